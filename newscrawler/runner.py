"""Run one crawl in this process and report how it ended: the shared core of the CLI commands."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings

from newscrawler.exitcodes import ExitCode
from newscrawler.extensions.runreport import EMPTY_RUN_CODE, EMPTY_RUN_REASON, QUALITY_FAILED

SETTINGS_MODULE = "newscrawler.settings"

# Ways a crawl ends having done its job: all pages done, or the `max_articles` limit reached.
COMPLETE_FINISH_REASONS = frozenset({"finished", "max_articles"})


@dataclass
class CrawlResult:
    """What a finished crawl leaves behind: exit code, Scrapy stats and the finalized feed."""

    exit_code: ExitCode
    stats: dict[str, Any] = field(default_factory=dict)
    output: Path | None = None
    reason: str | None = None  # one line for the user when the run failed


def use_project_settings() -> None:
    """Point Scrapy at newscrawler's settings unless SCRAPY_SETTINGS_MODULE says otherwise.

    Why: Scrapy finds a project through scrapy.cfg in the working directory; an installed
    `newscrawler` run from anywhere else would find no spiders.
    """
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", SETTINGS_MODULE)


def crawl_settings(
    overrides: Mapping[str, Any] | None = None, output: Path | None = None
) -> Settings:
    """Project settings + command-line overrides + the JSON Lines feed at `output`."""
    use_project_settings()
    settings = get_project_settings()
    settings.setdict(dict(overrides or {}), priority="cmdline")
    if output is not None:
        feeds = {str(output): {"format": "jsonlines", "encoding": "utf8", "overwrite": True}}
        settings.set("FEEDS", feeds, priority="cmdline")
    return settings


def effective_settings(overrides: Mapping[str, Any] | None = None) -> Settings:
    """The settings a crawl sees, add-on applied, for code that runs without a crawler
    (`extract`, `reextract`): the add-on, not settings.py, holds caps such as DOWNLOAD_MAXSIZE."""
    from newscrawler.addon import Addon

    settings = crawl_settings(overrides)
    Addon().update_settings(settings)
    return settings


def run_crawl(
    spider: str,
    *,
    spider_kwargs: Mapping[str, Any] | None = None,
    settings: Mapping[str, Any] | None = None,
    output: Path | None = None,
) -> CrawlResult:
    """Run `spider` to completion (blocking) and return its result. One call per process."""
    process = CrawlerProcess(crawl_settings(settings, output))
    crawler = process.create_crawler(spider)
    process.crawl(crawler, **dict(spider_kwargs or {}))
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    finalized = output is None or output.exists()
    code, reason = judge(stats, finalized=finalized)
    if code == ExitCode.ERROR and finalized is False and reason is None:
        reason = f"the output {output} was not finalized"
    return CrawlResult(
        exit_code=code, stats=stats, output=output if finalized else None, reason=reason
    )


def judge(stats: Mapping[str, Any], *, finalized: bool = True) -> tuple[ExitCode, str | None]:
    """How a crawl ended, from its stats: exit code and, unless OK, a one-line reason.

    A run that fetched nothing (RunReport's verdict) fails before the quality gate is asked.
    """
    reason = stats.get("finish_reason")
    if reason not in COMPLETE_FINISH_REASONS:
        return ExitCode.ERROR, f"the crawl stopped early ({reason})"
    if not finalized:
        return ExitCode.ERROR, None
    if stats.get(EMPTY_RUN_CODE):  # set by RunReport: the run fetched nothing
        return ExitCode(stats[EMPTY_RUN_CODE]), str(stats.get(EMPTY_RUN_REASON))
    if stats.get(QUALITY_FAILED):  # set by RunReport
        return ExitCode.QUALITY_GATE, f"quality gate failed: {stats[QUALITY_FAILED]}"
    return ExitCode.OK, None


def field_coverage(path: Path) -> tuple[int, dict[str, int]]:
    """Count the articles of a JSON Lines file and, per field, how many have a non-empty value."""
    count, filled = 0, dict[str, int]()
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            article = json.loads(line)
            count += 1
            for name, value in article.items():
                if value not in (None, "", [], {}):
                    filled[name] = filled.get(name, 0) + 1
                else:
                    filled.setdefault(name, 0)
    return count, filled
