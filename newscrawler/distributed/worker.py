"""WorkerCoordination: what one worker does to share a Redis frontier with the others.

- registers itself with a heartbeat (busy/idle, expiring after the lease), so the others know it
  is alive and whether it may still add requests;
- starts a new crawl round (forgets the seen-requests set) when it is the first worker up;
- when idle, wakes up as soon as another worker adds requests, and stays open while another
  worker is busy: it closes only when the site's whole round is over;
- stops the crawl cleanly (reason `redis_unavailable`) when Redis stops answering.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from redis.exceptions import RedisError
from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.utils.asyncio import create_looping_call

from newscrawler.distributed.config import connect, redis_url
from newscrawler.distributed.frontier import BUSY, IDLE, FrontierKeys, live_workers
from newscrawler.distributed.scheduler import stop_for_lost_redis
from newscrawler.extensions.context import resolve_site

if TYPE_CHECKING:
    from redis import Redis
    from scrapy import Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

DEFAULT_LEASE_SECONDS = 30.0

# Register this worker; if no other worker is live, start a new round (forget seen requests).
# KEYS: workers set, this worker's key, dupefilter. ARGV: worker id, lease ms, key prefix.
_JOIN = """
local live = 0
for _, w in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if w ~= ARGV[1] and redis.call('EXISTS', ARGV[3] .. w) == 1 then live = live + 1 end
end
if live == 0 then redis.call('DEL', KEYS[3]) end
redis.call('SADD', KEYS[1], ARGV[1])
redis.call('SET', KEYS[2], 'busy', 'PX', ARGV[2])
return live
"""


class WorkerCoordination:
    """Heartbeat, round start and idle policy of one worker (see module)."""

    def __init__(
        self, crawler: Crawler, client: Redis, worker_id: str, lease_seconds: float
    ) -> None:
        self.crawler = crawler
        self.client = client
        self.worker_id = worker_id
        self.lease_ms = max(int(lease_seconds * 1000), 300)
        self.interval = min(0.5, lease_seconds / 4)
        self.keys: FrontierKeys | None = None
        self._loop: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WorkerCoordination:
        url = redis_url(crawler.settings)
        if url is None:
            raise NotConfigured("distributed mode is off (no REDIS_URL)")
        lease = crawler.settings.getfloat("NEWSCRAWLER_REDIS_LEASE_SECONDS", DEFAULT_LEASE_SECONDS)
        worker_id = crawler.settings.get("NEWSCRAWLER_WORKER_ID") or "worker"
        extension = cls(crawler, connect(url), worker_id, lease)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        self.keys = FrontierKeys(spider.name, resolve_site(self.crawler.settings, spider))
        try:
            others = self.client.register_script(_JOIN)(
                keys=[self.keys.workers, self.keys.worker(self.worker_id), self.keys.dupefilter],
                args=[self.worker_id, self.lease_ms, self.keys.worker("")],
            )
        except RedisError as error:
            stop_for_lost_redis(self.crawler, error)
            return
        logger.info(
            "Worker %s joined the Redis frontier (%s other live workers%s)",
            self.worker_id,
            others,
            "" if int(others) else "; new round",
        )
        self._loop = create_looping_call(self.beat)
        self._loop.start(self.interval, now=False)

    def beat(self) -> None:
        """Publish busy/idle with a fresh lease; when idle, have the engine look for work."""
        assert self.keys is not None
        engine = self.crawler.engine
        if engine is None or engine.spider is None:
            return
        idle = engine.spider_is_idle()
        try:
            self.client.set(
                self.keys.worker(self.worker_id), IDLE if idle else BUSY, px=self.lease_ms
            )
        except RedisError as error:
            stop_for_lost_redis(self.crawler, error)
            return
        if idle:  # re-check the frontier and the others now, not at the engine's next 5 s tick
            self._wake(engine)

    @staticmethod
    def _wake(engine: Any) -> None:
        """Ask the engine to pull from the scheduler now rather than at its 5 s heartbeat."""
        slot = getattr(engine, "_slot", None)
        if slot is not None:
            slot.nextcall.schedule()

    def spider_idle(self, spider: Spider) -> None:
        """Stay open while the round may still bring work: queued requests or another busy
        worker. Closing otherwise ends this worker's part of the round."""
        assert self.keys is not None
        if self.crawler.stats is not None and self.crawler.stats.get_value(
            "newscrawler/redis/lost"
        ):
            return
        try:
            if self.client.zcard(self.keys.requests) > 0:
                raise DontCloseSpider
            others = live_workers(self.client, self.keys)
        except RedisError as error:
            stop_for_lost_redis(self.crawler, error)
            return
        others.pop(self.worker_id, None)
        if BUSY in others.values():
            self.client.set(self.keys.worker(self.worker_id), IDLE, px=self.lease_ms)
            raise DontCloseSpider
        logger.info("Round over for worker %s (other live workers: %s)", self.worker_id, others)

    def spider_closed(self, spider: Spider) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        if self.keys is None:
            return
        try:
            self.client.delete(self.keys.worker(self.worker_id))
            self.client.srem(self.keys.workers, self.worker_id)
        except RedisError as error:
            logger.warning("Could not unregister worker %s: %s", self.worker_id, error)
