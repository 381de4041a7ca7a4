"""newscrawler.Addon (issue 17): what it turns on, the switches that turn each part off, and the
user's own settings winning over it; newscrawler's own settings are the add-on plus its spider
defaults, with every component the project had before."""

from __future__ import annotations

from typing import Any

import pytest
from scrapy.settings import BaseSettings, Settings
from scrapy.utils.test import get_crawler

import newscrawler
import newscrawler.settings as project_module
from newscrawler.addon import PARTS, RESOLVER, Addon

PROJECT = {name: getattr(project_module, name) for name in dir(project_module) if name.isupper()}


def paths(value: dict[Any, Any]) -> dict[str, Any]:
    """A component dict keyed by import path (Scrapy allows classes as keys too)."""
    return {
        key if isinstance(key, str) else f"{key.__module__}.{key.__qualname__}": order
        for key, order in value.items()
    }


def effective(settings: dict[str, Any]) -> Settings:
    """The settings a crawler ends with, add-ons applied (project priority for `settings`)."""
    return get_crawler(settings_dict=settings).settings


def test_the_addon_is_exported_by_the_package() -> None:
    assert newscrawler.Addon is Addon
    assert project_module.ADDONS == {"newscrawler.Addon": 0}


def test_newscrawler_settings_keep_every_component_through_the_addon() -> None:
    settings = effective(PROJECT)
    assert paths(settings.getdict("ITEM_PIPELINES")) == {
        "newscrawler.pipelines.CleaningPipeline": 700,
        "newscrawler.pipelines.SchemaValidationPipeline": 800,
        "newscrawler.state.pipeline.IncrementalPipeline": 850,
        "newscrawler.pipelines.DuplicateArticlePipeline": 900,
    }
    assert paths(settings.getdict("DOWNLOADER_MIDDLEWARES")) == {
        "newscrawler.extensions.runreport.FailedDownloads": 10,
        "newscrawler.middlewares.content.ContentGuardMiddleware": 100,
        "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
        "newscrawler.middlewares.retry.BackoffRetryMiddleware": 550,
        "newscrawler.middlewares.redirects.RedirectLoopMiddleware": 640,
        "newscrawler.spiders.middlewares.CrossDomainRedirectMiddleware": 650,
        "newscrawler.archive.middleware.ReplayMiddleware": 945,  # off unless NEWSCRAWLER_REPLAY
        "newscrawler.middlewares.ssrf.SSRFGuardMiddleware": 950,
        "newscrawler.archive.middleware.ArchiveMiddleware": 960,  # off unless NEWSCRAWLER_ARCHIVE
    }
    assert paths(settings.getdict("EXTENSIONS")) == {
        "newscrawler.redaction.LogRedaction": 0,
        "newscrawler.extensions.logtrim.LogTrim": 1,
        "newscrawler.state.delivery.StateExtension": 100,
        "newscrawler.extensions.runreport.RunReport": 200,
        "newscrawler.extensions.progress.Progress": 500,
    }
    assert settings.getdict("FEED_STORAGES") == {
        "": "newscrawler.feeds.AtomicFileFeedStorage",
        "file": "newscrawler.feeds.AtomicFileFeedStorage",
    }
    assert settings["TWISTED_DNS_RESOLVER"] == RESOLVER
    assert settings["FEED_EXPORT_ENCODING"] == "utf-8"
    assert settings.getint("DOWNLOAD_MAXSIZE") == 32 * 1024 * 1024
    assert settings.getfloat("NEWSCRAWLER_RETRY_AFTER_MAX") == 120.0


def test_no_setting_is_set_both_by_the_addon_and_by_newscrawler_settings() -> None:
    """settings.py holds newscrawler's spider defaults only: no second copy of the add-on."""
    for part in PARTS:
        assert not set(part.settings) & set(PROJECT), part.switch
        for name, components in part.components.items():
            assert not set(components) & set(PROJECT.get(name, {})), (part.switch, name)
    assert "FEED_STORAGES" not in PROJECT and "TWISTED_DNS_RESOLVER" not in PROJECT


def test_a_foreign_project_gets_the_parts_with_its_own_components_kept() -> None:
    settings = effective(
        {
            "ADDONS": {"newscrawler.Addon": 0},
            "ITEM_PIPELINES": {"myproject.pipelines.Store": 300},
            "DOWNLOAD_TIMEOUT": 5,
        }
    )
    pipelines = paths(settings.getdict("ITEM_PIPELINES"))
    assert pipelines["myproject.pipelines.Store"] == 300
    assert pipelines["newscrawler.pipelines.CleaningPipeline"] == 700
    assert settings.getint("DOWNLOAD_TIMEOUT") == 5, "the project's own value wins"
    assert settings.getint("REDIRECT_MAX_TIMES") == 5, "unset by the project: the add-on's"
    assert settings["TWISTED_DNS_RESOLVER"] == RESOLVER


def test_a_component_the_user_lists_keeps_the_users_order_or_none() -> None:
    settings = effective(
        {
            "ADDONS": {"newscrawler.Addon": 0},
            "ITEM_PIPELINES": {"newscrawler.pipelines.CleaningPipeline": None},
            "DOWNLOADER_MIDDLEWARES": {"newscrawler.middlewares.ssrf.SSRFGuardMiddleware": 900},
            "FEED_STORAGES": {"file": "scrapy.extensions.feedexport.FileFeedStorage"},
        }
    )
    assert (
        paths(settings.getdict("ITEM_PIPELINES"))["newscrawler.pipelines.CleaningPipeline"] is None
    )
    middlewares = paths(settings.getdict("DOWNLOADER_MIDDLEWARES"))
    assert middlewares["newscrawler.middlewares.ssrf.SSRFGuardMiddleware"] == 900
    storages = settings.getdict("FEED_STORAGES")
    assert storages["file"] == "scrapy.extensions.feedexport.FileFeedStorage"
    assert storages[""] == "newscrawler.feeds.AtomicFileFeedStorage"


SWITCHED = {
    "NEWSCRAWLER_CLEANING_ENABLED": ("ITEM_PIPELINES", "newscrawler.pipelines.CleaningPipeline"),
    "NEWSCRAWLER_ARTICLE_CHECKS_ENABLED": (
        "ITEM_PIPELINES",
        "newscrawler.pipelines.SchemaValidationPipeline",
    ),
    "NEWSCRAWLER_SSRF_GUARD_ENABLED": (
        "DOWNLOADER_MIDDLEWARES",
        "newscrawler.middlewares.ssrf.SSRFGuardMiddleware",
    ),
    "NEWSCRAWLER_RETRY_POLICY_ENABLED": (
        "DOWNLOADER_MIDDLEWARES",
        "newscrawler.middlewares.retry.BackoffRetryMiddleware",
    ),
    "NEWSCRAWLER_CONTENT_GUARDS_ENABLED": (
        "DOWNLOADER_MIDDLEWARES",
        "newscrawler.middlewares.content.ContentGuardMiddleware",
    ),
    "NEWSCRAWLER_REPORT_ENABLED": ("EXTENSIONS", "newscrawler.extensions.runreport.RunReport"),
}


def test_every_part_has_a_switch_tested() -> None:
    assert set(SWITCHED) | {"NEWSCRAWLER_ATOMIC_FEEDS_ENABLED"} == {p.switch for p in PARTS}


@pytest.mark.parametrize("switch", sorted(SWITCHED))
def test_each_part_turns_off_by_its_switch(switch: str) -> None:
    name, component = SWITCHED[switch]
    on = effective({"ADDONS": {"newscrawler.Addon": 0}})
    off = effective({"ADDONS": {"newscrawler.Addon": 0}, switch: False})
    assert component in paths(on.getdict(name))
    assert component not in paths(off.getdict(name))
    others = {s for s in SWITCHED if s != switch}
    assert all(SWITCHED[s][1] in paths(off.getdict(SWITCHED[s][0])) for s in others)


def test_the_feed_and_resolver_switches() -> None:
    off = effective(
        {
            "ADDONS": {"newscrawler.Addon": 0},
            "NEWSCRAWLER_ATOMIC_FEEDS_ENABLED": False,
            "NEWSCRAWLER_SSRF_GUARD_ENABLED": "0",
        }
    )
    assert off.getdict("FEED_STORAGES") == {}
    assert off["TWISTED_DNS_RESOLVER"] == "scrapy.resolver.CachingThreadedResolver"


def test_higher_priority_component_dicts_are_extended_not_replaced() -> None:
    """Like distributed mode, which sets ITEM_PIPELINES and FEED_STORAGES on the command line."""
    settings = Settings()
    settings.set(
        "ITEM_PIPELINES", {"newscrawler.distributed.delivery.ClaimPipeline": 990}, "cmdline"
    )
    settings.set(
        "FEED_STORAGES", {"file": "newscrawler.distributed.feeds.FencedFeedStorage"}, "cmdline"
    )
    Addon().update_settings(settings)
    assert settings.getpriority("ITEM_PIPELINES") == settings.getpriority("FEED_STORAGES") == 40
    pipelines = paths(settings.getdict("ITEM_PIPELINES"))
    assert pipelines["newscrawler.distributed.delivery.ClaimPipeline"] == 990
    assert max(pipelines.values()) == 990
    assert (
        settings.getdict("FEED_STORAGES")["file"]
        == "newscrawler.distributed.feeds.FencedFeedStorage"
    )


def test_addon_values_are_copies() -> None:
    first, second = BaseSettings(), BaseSettings()
    Addon().update_settings(first)
    Addon().update_settings(second)
    first["NEWSCRAWLER_ALLOWED_SCHEMES"].append("ftp")
    assert second["NEWSCRAWLER_ALLOWED_SCHEMES"] == ["http", "https"]
