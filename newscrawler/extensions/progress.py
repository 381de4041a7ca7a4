"""Crawl progress for people: a live line on a terminal, plain periodic log lines otherwise.

Enabled by `newscrawler crawl` (setting NEWSCRAWLER_PROGRESS = "tty" or "log"); plain
`scrapy crawl` keeps Scrapy's own LogStats lines.
"""

from __future__ import annotations

import logging
import sys
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from newscrawler.extensions.logtrim import install_on_root
from newscrawler.outcome import error_count, refusals, under
from newscrawler.report import emitted_count

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)
MODES = ("tty", "log")


@dataclass(frozen=True)
class Snapshot:
    """What the progress line shows."""

    pages: int
    articles: int
    errors: int
    elapsed: float
    refused: int = 0

    @property
    def rate(self) -> float:
        return self.articles / self.elapsed if self.elapsed > 0 else 0.0


def snapshot(stats: dict[str, Any], elapsed: float) -> Snapshot:
    """Pages fetched, articles written, errors and refusals, counted as the run summary counts
    them (outcome.error_count: final failures, not every retried attempt)."""
    return Snapshot(
        pages=sum(under(stats, "newscrawler/pages/").values()),
        articles=emitted_count(stats),
        errors=error_count(stats),
        elapsed=elapsed,
        refused=sum(refusals(stats).values()),
    )


def progress_line(snap: Snapshot) -> str:
    """One line of progress.

    >>> progress_line(Snapshot(pages=120, articles=40, errors=2, elapsed=8.0, refused=1))
    'pages 120 | articles 40 | 5.0 articles/s | errors 2 | refused 1 | 8s'
    """
    return (
        f"pages {snap.pages} | articles {snap.articles} | {snap.rate:.1f} articles/s"
        f" | errors {snap.errors} | refused {snap.refused} | {snap.elapsed:.0f}s"
    )


class Progress:
    """Print `progress_line` every `interval` seconds: in place on a TTY, as log lines otherwise."""

    def __init__(
        self, stats: StatsCollector, mode: str, interval: float, stream: TextIO | None = None
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"NEWSCRAWLER_PROGRESS must be one of {MODES}, got {mode!r}")
        self.stats = stats
        self.mode = mode
        self.interval = interval
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self.loop: task.LoopingCall | None = None
        self.showing = False  # a progress line without its newline is on the terminal
        self.clearer = ClearBeforeLogging(self)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        mode = crawler.settings.get("NEWSCRAWLER_PROGRESS")
        if not mode:
            raise NotConfigured  # no message: Scrapy then logs nothing at WARNING
        default = 1.0 if mode == "tty" else 30.0
        interval = crawler.settings.getfloat("NEWSCRAWLER_PROGRESS_INTERVAL", default)
        assert crawler.stats is not None
        progress = cls(crawler.stats, str(mode), interval)
        crawler.signals.connect(progress.spider_opened, signal=signals.spider_opened)
        if progress.mode == "tty":
            crawler.signals.connect(progress.clearer.install, signal=signals.engine_started)
            crawler.signals.connect(progress.clearer.install, signal=signals.spider_opened)
        crawler.signals.connect(progress.spider_closed, signal=signals.spider_closed)
        return progress

    def spider_opened(self) -> None:
        self.started = time.monotonic()
        self.loop = task.LoopingCall(self.show)
        self.loop.start(self.interval, now=False)

    def show(self, final: bool = False) -> None:
        line = progress_line(snapshot(self.stats.get_stats(), time.monotonic() - self.started))
        if self.mode == "tty":
            self.stream.write(f"\r\x1b[2K{line}{chr(10) if final else ''}")
            self.stream.flush()
            self.showing = not final
        else:
            logger.info("Progress: %s", line)

    def clear(self) -> None:
        """Erase the progress line, so a log line starts at the beginning of an empty line."""
        if self.showing:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            self.showing = False

    def spider_closed(self) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.show(final=True)


class ClearBeforeLogging(logging.Filter):
    """Handler filter: erase the live progress line before a log line is written (it is
    drawn again at the next tick), so log lines never land in the middle of it."""

    def __init__(self, progress: Progress) -> None:
        super().__init__()
        self.progress = progress

    def filter(self, record: logging.LogRecord) -> bool:
        self.progress.clear()
        return True

    def install(self) -> None:
        install_on_root(self)
