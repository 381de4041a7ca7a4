"""scrapy-redis's scheduler, made to stop the crawl cleanly when Redis goes away mid-run.

Unchanged, a lost Redis makes every engine tick raise from `next_request`/`has_pending_requests`
and the worker spins on tracebacks. Here the first error closes the spider with the reason
`redis_unavailable` (counted in stats); the feed is then left as `.part` by the fenced storage, so
nothing half-known is delivered, and the next run redoes the work.
"""

from __future__ import annotations

import logging
import warnings
from typing import TYPE_CHECKING, Any

from redis.exceptions import RedisError
from scrapy.utils.defer import deferred_from_coro
from scrapy_redis.scheduler import Scheduler

from newscrawler.report import SHARED_FRONTIER

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

# scrapy-redis 0.9 still calls APIs that Scrapy 2.13+ deprecates (stats with `spider=`,
# Spider.log); harmless, and not ours to fix: keep them out of every worker's log.
warnings.filterwarnings("ignore", module="scrapy_redis.scheduler", message="Passing a 'spider'")
warnings.filterwarnings("ignore", module="scrapy_redis.scheduler", message="Spider.log")

REDIS_LOST = "redis_unavailable"  # the spider's close reason when Redis is lost mid-run


def stop_for_lost_redis(crawler: Crawler, error: BaseException) -> None:
    """Log once, count, and close the spider with reason REDIS_LOST (idempotent)."""
    assert crawler.stats is not None
    if crawler.stats.get_value("newscrawler/redis/lost"):
        return
    crawler.stats.set_value("newscrawler/redis/lost", 1)
    logger.error(
        "Lost Redis mid-run (%s): stopping this worker; its output is not delivered", error
    )
    engine = crawler.engine
    if engine is not None and engine.spider is not None:
        deferred_from_coro(engine.close_spider_async(reason=REDIS_LOST))


class RedisScheduler(Scheduler):  # type: ignore[misc]
    """`scrapy_redis.scheduler.Scheduler` that turns Redis errors into a clean stop."""

    crawler: Crawler | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisScheduler:
        instance: RedisScheduler = super().from_crawler(crawler)
        instance.crawler = crawler
        # other workers fetch part of what this one finds: the run report must not count those
        # pages as "seen but not fetched" (newscrawler.report.discovery)
        if crawler.stats is not None:
            crawler.stats.set_value(SHARED_FRONTIER, 1)
        return instance

    def _lost(self, error: BaseException) -> None:
        if self.crawler is not None:
            stop_for_lost_redis(self.crawler, error)

    def enqueue_request(self, request: Request) -> bool:
        try:
            return bool(super().enqueue_request(request))
        except RedisError as error:
            self._lost(error)
            return False

    def next_request(self) -> Any:
        try:
            return super().next_request()
        except RedisError as error:
            self._lost(error)
            return None

    def has_pending_requests(self) -> bool:
        try:
            return bool(super().has_pending_requests())
        except RedisError as error:
            self._lost(error)
            return False

    def close(self, reason: str) -> None:
        try:
            super().close(reason)
        except RedisError as error:
            logger.warning("Could not tidy the Redis frontier on close: %s", error)
