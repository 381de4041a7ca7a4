"""StateExtension: the site lock, and exactly-once delivery of articles into finalized files.

Every article written to the run's `.part` file is staged in the state store; only when the feed
storage has renamed the file to its final name (signal `feed_finalized`) are the staged articles
marked delivered. A run killed before that leaves them staged; the next run discards them (their
file was never finalized) and emits them again. A run killed between the rename and the commit is
settled the other way round: its file exists, so the next run commits its staged articles.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import NotConfigured

from newscrawler.extensions.context import (
    LASTMOD_META,
    feed_output,
    is_finalized,
    resolve_site,
)
from newscrawler.feeds import part_path
from newscrawler.signals import feed_finalized
from newscrawler.state import (
    DEFAULT_STATE_DIR,
    SiteLock,
    Staged,
    StateStore,
    content_hash,
    lock_for,
    open_store,
)
from newscrawler.state.pipeline import UnchangedArticle

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class StateExtension:
    """Holds the site's lock and store for the whole run; stages and commits deliveries."""

    def __init__(
        self,
        store: StateStore,
        lock: SiteLock,
        stats: StatsCollector,
        *,
        site: str,
        output: Path | None,
        full: bool = False,
    ) -> None:
        self.store = store
        self.lock = lock
        self.stats = stats
        self.site = site
        self.output = output
        self.full = full
        self.run_id = f"{utc_now()}-{uuid.uuid4().hex}"

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StateExtension:
        settings = crawler.settings
        if not settings.getbool("NEWSCRAWLER_STATE_ENABLED"):
            raise NotConfigured  # no message: Scrapy then logs nothing at WARNING
        assert crawler.stats is not None
        site = resolve_site(settings, crawler.spider)
        state_dir = Path(settings.get("NEWSCRAWLER_STATE_DIR") or DEFAULT_STATE_DIR)
        lock = lock_for(state_dir, site)
        lock.acquire()  # SiteLockedError stops the crawl before anything is opened
        try:
            store = open_store(state_dir, site)
        except Exception:
            lock.release()
            raise
        extension = cls(
            store,
            lock,
            crawler.stats,
            site=site,
            output=feed_output(settings),
            full=settings.getbool("NEWSCRAWLER_FULL"),
        )
        extension.connect_signals(crawler)
        return extension

    def connect_signals(self, crawler: Crawler) -> None:
        """Hook the run's lifecycle (shared with subclasses that open another store)."""
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(self.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(self.feed_finalized, signal=feed_finalized)
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    def spider_opened(self) -> None:
        committed, discarded = self.store.recover(self.settle)
        if committed or discarded:
            logger.warning(
                "State of %s: settled earlier interrupted runs: %d committed (file finalized), "
                "%d discarded (file never finalized, .part removed; their articles are emitted "
                "again by this run)",
                self.site,
                committed,
                discarded,
            )
        self.stats.set_value("newscrawler/state/known_articles", self.store.count())
        self.store.begin_run(self.run_id, self.output, utc_now())
        logger.info(
            "State of %s: %d known articles%s",
            self.site,
            self.store.count(),
            " (--full: all re-fetched and re-emitted)" if self.full else "",
        )

    def settle(self, output: Path) -> bool:
        """Whether a dead run's file was finalized; if not, remove the `.part` it left behind.

        Called only for runs that cannot be alive (the site lock is ours, or their lease expired).
        """
        if is_finalized(output):
            return True
        leftover = part_path(output)
        try:
            leftover.unlink()
        except FileNotFoundError:
            pass  # killed before it wrote anything, or the .part was removed by hand
        except OSError as exc:
            logger.warning("Could not remove %s left by a killed run: %s", leftover, exc)
        else:
            logger.info("Removed %s, left by a killed run", leftover)
        return False

    def item_scraped(self, item: Any, response: Any) -> None:
        adapter = ItemAdapter(item)
        canonical = adapter.get("canonical_url") or adapter.get("url")
        if not canonical:
            return
        self.store.stage(
            self.run_id,
            Staged(
                canonical_url=str(canonical),
                url=adapter.get("url"),
                article_id=adapter.get("id"),
                content_hash=content_hash(adapter.asdict()),
                revision=int(adapter.get("revision") or 1),
                seen_at=utc_now(),
                date_published=adapter.get("date_published"),
                date_modified=adapter.get("date_modified"),
                lastmod=_lastmod(response),
            ),
        )
        self.stats.inc_value("newscrawler/state/staged")

    def item_dropped(self, item: Any, response: Any, exception: BaseException) -> None:
        if isinstance(exception, UnchangedArticle):
            adapter = ItemAdapter(item)
            url = adapter.get("canonical_url") or adapter.get("url")
            if url:
                self.store.touch(str(url), utc_now(), _lastmod(response))

    def feed_finalized(self, path: Path) -> None:
        delivered = self.store.commit_run(self.run_id)
        self.stats.set_value("newscrawler/state/delivered", delivered)
        logger.info("State of %s: %d articles marked delivered in %s", self.site, delivered, path)

    def engine_stopped(self) -> None:
        self.store.close()
        self.lock.release()


def attached_state(crawler: Crawler) -> tuple[StateStore, StatsCollector, bool]:
    """The run's store, stats and --full flag, for the components that read the state."""
    extension = crawler.get_extension(StateExtension)
    if extension is None:
        raise NotConfigured  # no message: Scrapy then logs nothing at WARNING
    return extension.store, extension.stats, extension.full


def _lastmod(response: Any) -> str | None:
    meta = getattr(response, "meta", None) or {}
    value = meta.get(LASTMOD_META)
    return str(value) if value else None
