"""TemplateMemory: a scheduled run starts knowing the site's URL templates, keeps what it learns.

The spider learns which URL shapes hold articles and which hold listings
(newscrawler.discovery.templates); this extension hands it the book the site's state kept when the
run opens and writes the book back when it closes (only if something was learned). A page let
through to re-probe a shape judged "skip" that was again no article is remembered as such, so the
next run probes another page of that shape instead of the same one. It also gives
the spider a way to ask whether an article is already delivered, so that a cron run stops going
back through a section once a listing page brings nothing new.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from scrapy import signals

from newscrawler.discovery.templates import TemplateBook
from newscrawler.state.middleware import utc_now
from newscrawler.state.store import StateStore

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


class TemplateMemory:
    """Loads and saves the spider's `templates` (a TemplateBook) through the run's state store.

    A spider middleware with no hooks of its own (only signals): it is built after the
    extensions, so it can reach the StateExtension's store."""

    def __init__(
        self, store: StateStore, stats: StatsCollector, clock: Callable[[], datetime] = utc_now
    ) -> None:
        self.store = store
        self.stats = stats
        self.clock = clock  # when a re-probed page was judged (injected by tests)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TemplateMemory:
        from newscrawler.state.delivery import attached_state

        store, stats, _ = attached_state(crawler)  # NotConfigured without state
        memory = cls(store, stats)
        crawler.signals.connect(memory.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(memory.spider_closed, signal=signals.spider_closed)
        return memory

    def spider_opened(self, spider: Any) -> None:
        if not isinstance(getattr(spider, "templates", None), TemplateBook):
            return
        book = TemplateBook.from_rows(self.store.templates())
        book.probed_before = self.probed_before
        spider.templates = book
        spider.known_article = self.known_article
        self.stats.set_value("newscrawler/templates/loaded", len(book.shapes))
        if book.shapes:
            logger.info(
                "URL templates of the site: %d shapes known from earlier runs", len(book.shapes)
            )

    def known_article(self, url: str) -> bool:
        """Whether an earlier run delivered the article at `url`."""
        return self.store.get(url) is not None

    def probed_before(self, url: str) -> bool:
        """Whether a page at `url` was fetched and judged no article (by a re-probe or as a
        listed page): a re-probe then tries another page of its shape."""
        return self.store.not_article(url) is not None

    def spider_closed(self, spider: Any) -> None:
        book = getattr(spider, "templates", None)
        if isinstance(book, TemplateBook) and book.probed:  # shapes judged "skip" checked again
            self.stats.set_value("newscrawler/templates/reprobed", len(book.probed))
            logger.info("URL templates re-probed (judged skip before): %s", ", ".join(book.probed))
            now = self.clock().isoformat(timespec="seconds")
            for url, kind in book.probe_verdicts.items():
                if kind != "article":
                    self.store.note_not_article(url, now)
        if isinstance(book, TemplateBook) and book.changed:
            self.store.save_templates(book.rows())
            self.stats.set_value("newscrawler/templates/saved", len(book.shapes))
