"""Exactly-once delivery across workers: the state extension on Redis, and the claim pipeline.

`DistributedStateExtension` is the cron `StateExtension` with two changes for distributed mode:
the store is the shared `RedisStateStore`, and there is no per-machine site lock (many workers
crawl the same site at once; Redis claims keep them apart). `ClaimPipeline` runs last: it claims
each article for this worker's run atomically, and drops (and counts) the ones another live run
holds or that were delivered meanwhile, so they never reach this worker's file.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem, NotConfigured

from newscrawler.distributed.config import connect, redis_url
from newscrawler.distributed.state import (
    DEFAULT_LEASE_SECONDS,
    RedisStateStore,
    StageConflict,
)
from newscrawler.extensions.context import feed_output, resolve_site
from newscrawler.state import Staged, content_hash
from newscrawler.state.delivery import StateExtension

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector


logger = logging.getLogger(__name__)


class NoSiteLock:
    """Stands in for the per-machine site lock: in distributed mode Redis keeps workers apart."""

    held = True

    def acquire(self) -> None:
        """Nothing to take."""

    def release(self) -> None:
        """Nothing to drop."""


class DistributedStateExtension(StateExtension):
    """StateExtension on the shared Redis store, without the per-machine site lock."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DistributedStateExtension:
        from scrapy import signals

        from newscrawler.signals import feed_finalized

        settings = crawler.settings
        url = redis_url(settings)
        if url is None or not settings.getbool("NEWSCRAWLER_STATE_ENABLED"):
            raise NotConfigured("distributed state needs REDIS_URL and NEWSCRAWLER_STATE_ENABLED")
        assert crawler.stats is not None
        site = resolve_site(settings, crawler.spider)
        lease = settings.getfloat("NEWSCRAWLER_REDIS_LEASE_SECONDS", DEFAULT_LEASE_SECONDS)
        full = settings.getbool("NEWSCRAWLER_FULL")
        store = RedisStateStore(connect(url), site, lease_seconds=lease, redeliver=full)
        extension = cls(
            store,
            NoSiteLock(),  # type: ignore[arg-type]
            crawler.stats,
            site=site,
            output=feed_output(settings),
            full=full,
        )
        worker = settings.get("NEWSCRAWLER_WORKER_ID")
        if worker:
            extension.run_id = f"{extension.run_id}-{worker}"
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(extension.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(extension.feed_finalized, signal=feed_finalized)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension


class ClaimPipeline:
    """Last pipeline in distributed mode: claim the article for this run, or drop it (counted)."""

    def __init__(self, extension: StateExtension, stats: StatsCollector) -> None:
        self.extension = extension
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ClaimPipeline:
        extension = crawler.get_extension(DistributedStateExtension)
        if extension is None:
            raise NotConfigured("distributed state is off")
        assert crawler.stats is not None
        return cls(extension, crawler.stats)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        canonical = adapter.get("canonical_url") or adapter.get("url")
        if not canonical:
            return item
        staged = Staged(
            canonical_url=str(canonical),
            url=adapter.get("url"),
            article_id=adapter.get("id"),
            content_hash=content_hash(adapter.asdict()),
            revision=int(adapter.get("revision") or 1),
            seen_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            date_published=adapter.get("date_published"),
            date_modified=adapter.get("date_modified"),
        )
        try:
            self.extension.store.stage(self.extension.run_id, staged)
        except StageConflict as conflict:
            name = type(conflict).__name__
            self.stats.inc_value(f"newscrawler/redis/dropped/{name}")
            raise DropItem(f"not emitted by this worker: {conflict}", log_level="DEBUG") from None
        return item
