"""RunReport: counts what a run did, writes `<name>.stats.json`, judges it against the gate.

The gate's verdict goes into the stats (`newscrawler/quality/failed`, one line per failing
threshold) so the runner can end the process with ExitCode.QUALITY_GATE; the one-paragraph
summary is logged when the engine stops, after Scrapy's stats dump, as the last word of the log.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured

from newscrawler.echo import HeadlineEcho
from newscrawler.extensions.context import PROBE_META, feed_output, request_kind, resolve_site
from newscrawler.outcome import DISCOVERY_KINDS, PAGES_OK, empty_run
from newscrawler.quality import (
    COVERAGE_FIELDS,
    Thresholds,
    evaluate,
    is_filled,
    setting_overrides,
)
from newscrawler.report import build_report, figures, stats_path, summary, write_report
from newscrawler.state.pipeline import UnchangedArticle

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

QUALITY_FAILED = "newscrawler/quality/failed"
# A run that fetched no page (outcome.empty_run): its exit code and one-line reason.
EMPTY_RUN_CODE = "newscrawler/failed/exit_code"
EMPTY_RUN_REASON = "newscrawler/failed/reason"


def thresholds_for(crawler: Crawler) -> Thresholds:
    """Defaults, overridden by the spider's profile `[quality]`, then by NEWSCRAWLER_QUALITY."""
    thresholds = Thresholds()
    profile = getattr(crawler.spider, "profile", None)
    quality = getattr(profile, "quality", None)
    if quality:
        thresholds = thresholds.updated(quality, f"profile {getattr(profile, 'name', '?')}")
    overrides = setting_overrides(crawler.settings.get("NEWSCRAWLER_QUALITY") or {})
    if overrides:
        thresholds = thresholds.updated(overrides, "setting NEWSCRAWLER_QUALITY")
    return thresholds


class RunReport:
    """Per-run counters, report file and quality gate (settings: NEWSCRAWLER_REPORT_ENABLED)."""

    def __init__(
        self,
        stats: StatsCollector,
        *,
        thresholds: Thresholds,
        site: str | None = None,
        output: Path | None = None,
    ) -> None:
        self.stats = stats
        self.thresholds = thresholds
        self.site = site
        self.output = output
        self.report: dict[str, Any] | None = None
        self.echo = HeadlineEcho()  # listings emitted as articles (issue 13)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunReport:
        if not crawler.settings.getbool("NEWSCRAWLER_REPORT_ENABLED", True):
            raise NotConfigured  # no message: Scrapy then logs nothing at WARNING
        assert crawler.stats is not None
        report = cls(
            crawler.stats,
            thresholds=thresholds_for(crawler),
            site=resolve_site(crawler.settings, crawler.spider),
            output=feed_output(crawler.settings),
        )
        crawler.signals.connect(report.response_received, signal=signals.response_received)
        crawler.signals.connect(report.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(report.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(report.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(report.engine_stopped, signal=signals.engine_stopped)
        return report

    def response_received(self, response: Response, request: Request) -> None:
        kind = request_kind(request.meta, request.url)
        self.stats.inc_value(f"newscrawler/pages/{kind}")
        if kind == "robots" or request.meta.get(PROBE_META):
            return  # a missing robots.txt or optional feed is an answer, not a failure
        self.stats.inc_value("newscrawler/requests/judged")
        if response.status >= 400:
            self.stats.inc_value(f"newscrawler/errors/http/{response.status}")
        elif kind not in DISCOVERY_KINDS:  # a web page answered: the run did fetch something
            self.stats.inc_value(PAGES_OK)

    def item_scraped(self, item: Any) -> None:
        self.count_coverage(item)
        adapter = ItemAdapter(item)
        self.echo.add(adapter.get("headline"), adapter.get("body"))

    def item_dropped(self, item: Any, exception: BaseException) -> None:
        if isinstance(exception, UnchangedArticle):  # extracted fine, just not new
            self.count_coverage(item)

    def count_coverage(self, item: Any) -> None:
        adapter = ItemAdapter(item)
        self.stats.inc_value("newscrawler/coverage/articles")
        for name in COVERAGE_FIELDS:
            if is_filled(adapter.get(name)):
                self.stats.inc_value(f"newscrawler/coverage/fields/{name}")

    def spider_closed(self, reason: str) -> None:
        self.stats.set_value("newscrawler/coverage/listing_like_items", self.echo.listing_like())
        stats = {"finish_reason": reason, **self.stats.get_stats()}
        seen = figures(stats)
        failures = evaluate(seen, self.thresholds)
        if failures:
            self.stats.set_value(QUALITY_FAILED, "; ".join(str(f) for f in failures))
        # one worker of a shared frontier may rightly fetch nothing: the others took it all
        empty = None if seen.shared_frontier else empty_run(stats)
        if empty is not None:
            self.stats.set_value(EMPTY_RUN_CODE, int(empty.code))
            self.stats.set_value(EMPTY_RUN_REASON, empty.reason)
        self.report = build_report(
            stats,
            site=self.site,
            output=self.output,
            thresholds=self.thresholds,
            failures=failures,
            empty=empty,
        )
        if self.output is not None and not _is_device(self.output):
            try:
                write_report(self.report, stats_path(self.output))
            except OSError as exc:
                logger.error("Could not write the run report %s: %s", stats_path(self.output), exc)

    def engine_stopped(self) -> None:
        if self.report is not None:
            failed = self.report["quality"]["failures"] or self.report["failed"]
            log = logger.warning if failed else logger.info
            log("%s", summary(self.report))


def _is_device(path: Path) -> bool:
    """`-O /dev/stdout` and the like: no report file beside those."""
    return path.exists() and not path.is_file()


class FailedDownloads:
    """Downloader middleware counting downloads that failed for good, by exception type.

    Placed next to the engine (low order number), it sees only the exceptions that no other
    middleware turned into a retry or a response: final failures, once per page, not per attempt.
    Requests refused on purpose (IgnoreRequest: robots.txt, SSRF guard...) are not failures.
    """

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FailedDownloads:
        assert crawler.stats is not None
        return cls(crawler.stats)

    def process_exception(self, request: Request, exception: Exception) -> None:
        if not isinstance(exception, IgnoreRequest) and not request.meta.get(PROBE_META):
            self.stats.inc_value(f"newscrawler/errors/download/{type(exception).__name__}")
