"""newscrawler as a Scrapy add-on: ``ADDONS = {"newscrawler.Addon": 0}`` in any project.

Why: the cleaning, the SSRF guard, the atomic feeds and the run report are useful to any Scrapy
project, not only to newscrawler's spiders; copying settings blocks out of newscrawler/settings.py
would go stale. newscrawler's own settings.py enables this add-on too, so both share one copy.

Each part below has an off switch (a setting, default True). The user's settings always win:
plain settings are set with the "addon" priority (below project, spider and command line), and
components are added only where the user did not list them (list one with None to remove it).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

_Components = Mapping[str, Mapping[str, int | None]]


@dataclass(frozen=True)
class Part:
    """One thing the add-on turns on: its off switch, its settings, its components."""

    switch: str
    settings: Mapping[str, Any] = field(default_factory=dict)
    components: _Components = field(default_factory=dict)  # ITEM_PIPELINES etc: path -> order
    keyed: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # FEED_STORAGES...


PARTS = (
    # Extraction's cleaner on every item's text fields (newscrawler.pipelines.CleaningPipeline).
    Part(
        "NEWSCRAWLER_CLEANING_ENABLED",
        components={"ITEM_PIPELINES": {"newscrawler.pipelines.CleaningPipeline": 700}},
    ),
    # Schema v1 validation and duplicate dropping: newscrawler Articles only, unless
    # NEWSCRAWLER_VALIDATE_SCHEMA = True (then every item is judged as an article).
    Part(
        "NEWSCRAWLER_ARTICLE_CHECKS_ENABLED",
        components={
            "ITEM_PIPELINES": {
                "newscrawler.pipelines.SchemaValidationPipeline": 800,
                "newscrawler.pipelines.DuplicateArticlePipeline": 900,
            }
        },
    ),
    # Local feeds are written to `<path>.part` and renamed when complete (newscrawler/feeds.py).
    Part(
        "NEWSCRAWLER_ATOMIC_FEEDS_ENABLED",
        settings={"FEED_EXPORT_ENCODING": "utf-8"},  # JSON Lines with non-ASCII unescaped
        keyed={
            "FEED_STORAGES": {
                "": "newscrawler.feeds.AtomicFileFeedStorage",
                "file": "newscrawler.feeds.AtomicFileFeedStorage",
            }
        },
    ),
    # SSRF guard: only public unicast addresses are fetched, from DNS or redirects. The resolver
    # is a pre-crawler setting (see Addon.update_pre_crawler_settings).
    # NEWSCRAWLER_ALLOW_PRIVATE_ADDRESSES: "127.0.0.1", "10.0.0.0/8,::1", a list, or "*" (off);
    # NEWSCRAWLER_DNS_OVERRIDES: host -> IP pins, like curl --resolve.
    Part(
        "NEWSCRAWLER_SSRF_GUARD_ENABLED",
        settings={
            "NEWSCRAWLER_ALLOW_PRIVATE_ADDRESSES": [],
            "NEWSCRAWLER_DNS_OVERRIDES": {},
            "NEWSCRAWLER_ALLOWED_SCHEMES": ["http", "https"],
        },
        components={
            "DOWNLOADER_MIDDLEWARES": {"newscrawler.middlewares.ssrf.SSRFGuardMiddleware": 950}
        },
    ),
    # Retries wait: Retry-After when sent (up to NEWSCRAWLER_RETRY_AFTER_MAX s), else backoff.
    Part(
        "NEWSCRAWLER_RETRY_POLICY_ENABLED",
        settings={
            "NEWSCRAWLER_RETRY_BACKOFF_BASE": 1.0,
            "NEWSCRAWLER_RETRY_BACKOFF_MAX": 30.0,
            "NEWSCRAWLER_RETRY_AFTER_MAX": 120.0,
        },
        components={
            "DOWNLOADER_MIDDLEWARES": {
                "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
                "newscrawler.middlewares.retry.BackoffRetryMiddleware": 550,
            }
        },
    ),
    # Content guards: non-pages and binary bodies skipped, redirect loops ended, size caps (they
    # bound decompressed bodies too: a gzip bomb stops at DOWNLOAD_MAXSIZE), secrets kept out of
    # the log.
    Part(
        "NEWSCRAWLER_CONTENT_GUARDS_ENABLED",
        settings={
            "DOWNLOAD_MAXSIZE": 32 * 1024 * 1024,
            "DOWNLOAD_WARNSIZE": 4 * 1024 * 1024,
            "DOWNLOAD_TIMEOUT": 30,
            "REDIRECT_MAX_TIMES": 5,
        },
        components={
            "DOWNLOADER_MIDDLEWARES": {
                "newscrawler.middlewares.content.ContentGuardMiddleware": 100,
                "newscrawler.middlewares.redirects.RedirectLoopMiddleware": 640,
            },
            "EXTENSIONS": {"newscrawler.redaction.LogRedaction": 0},
        },
    ),
    # Run report: <output name>.stats.json, the summary paragraph, the quality gate
    # (NEWSCRAWLER_QUALITY overrides profile/default thresholds, see newscrawler/quality.py).
    Part(
        "NEWSCRAWLER_REPORT_ENABLED",
        settings={"NEWSCRAWLER_QUALITY": {}},
        components={
            "EXTENSIONS": {"newscrawler.extensions.runreport.RunReport": 200},
            "DOWNLOADER_MIDDLEWARES": {"newscrawler.extensions.runreport.FailedDownloads": 10},
        },
    ),
)
RESOLVER = "newscrawler.middlewares.ssrf.GuardedResolver"


def _setdefault_components(settings: BaseSettings, name: str, paths: Mapping[str, Any]) -> None:
    """Add components the user did not list (as a path or a class), whatever their priority.

    Scrapy's setdefault_in_component_priority_dict does this too, but imports every listed
    component to compare; this compares import paths and leaves the user's components alone.
    """
    current = settings.getdict(name)
    listed = {
        key if isinstance(key, str) else f"{key.__module__}.{key.__qualname__}" for key in current
    }
    missing = {path: order for path, order in paths.items() if path not in listed}
    if missing:
        settings.set(name, {**current, **missing}, settings.getpriority(name) or 0)


def _setdefault_keys(settings: BaseSettings, name: str, values: Mapping[str, Any]) -> None:
    """Add the keys of a dict setting that the user did not set."""
    current = settings.getdict(name)
    missing = {key: value for key, value in values.items() if key not in current}
    if missing:
        settings.set(name, {**current, **missing}, settings.getpriority(name) or 0)


def enabled_parts(settings: BaseSettings) -> list[Part]:
    """The parts whose switch is on (every part unless a setting turns it off)."""
    return [part for part in PARTS if settings.getbool(part.switch, True)]


class Addon:
    """Turns on newscrawler's cleaning, feeds, guards and run report (see the module docstring).

    Off switches (settings, default True): NEWSCRAWLER_CLEANING_ENABLED,
    NEWSCRAWLER_ARTICLE_CHECKS_ENABLED, NEWSCRAWLER_ATOMIC_FEEDS_ENABLED,
    NEWSCRAWLER_SSRF_GUARD_ENABLED, NEWSCRAWLER_RETRY_POLICY_ENABLED,
    NEWSCRAWLER_CONTENT_GUARDS_ENABLED, NEWSCRAWLER_REPORT_ENABLED.
    """

    @classmethod
    def update_pre_crawler_settings(cls, settings: BaseSettings) -> None:
        """The SSRF guard's resolver: read by the crawler process before any crawler exists."""
        if settings.getbool("NEWSCRAWLER_SSRF_GUARD_ENABLED", True):
            settings.set("TWISTED_DNS_RESOLVER", RESOLVER, "addon")

    def update_settings(self, settings: BaseSettings) -> None:
        for part in enabled_parts(settings):
            for name, value in part.settings.items():
                settings.set(name, copy.deepcopy(value), "addon")  # never a shared list
            for name, paths in part.components.items():
                _setdefault_components(settings, name, paths)
            for name, values in part.keyed.items():
                _setdefault_keys(settings, name, values)
