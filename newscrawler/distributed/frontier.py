"""Names and small operations on the shared frontier in Redis, beyond what scrapy-redis keeps.

scrapy-redis keeps each site's request queue and seen-requests set (keys named here, per site).
Here also: the sites that `newscrawler enqueue` queues for workers started without a site, and the
register of live workers, which tells an idle worker whether the crawl round is over or another
worker may still add requests.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from newscrawler.paths import safe_site_dirname

if TYPE_CHECKING:
    from redis import Redis

BUSY, IDLE = "busy", "idle"


@dataclass(frozen=True)
class FrontierKeys:
    """The Redis keys of one site's frontier. Sites have separate frontiers because a spider
    instance crawls one site (its profile, its allowed domains)."""

    spider: str
    site: str
    prefix: str = "newscrawler"

    @property
    def _site(self) -> str:
        return safe_site_dirname(self.site)

    @property
    def requests(self) -> str:
        """The scrapy-redis request queue (SCHEDULER_QUEUE_KEY)."""
        return f"{self.spider}:{self._site}:requests"

    @property
    def dupefilter(self) -> str:
        """The scrapy-redis seen-requests set (SCHEDULER_DUPEFILTER_KEY)."""
        return f"{self.spider}:{self._site}:dupefilter"

    @property
    def workers(self) -> str:
        return f"{self.prefix}:{self.spider}:{self._site}:workers"

    def worker(self, worker_id: str) -> str:
        return f"{self.prefix}:{self.spider}:{self._site}:worker:{worker_id}"


def pending_sites_key(spider: str, prefix: str = "newscrawler") -> str:
    """The list of sites waiting for a worker, filled by `newscrawler enqueue`."""
    return f"{prefix}:{spider}:pending"


def live_workers(client: Redis, keys: FrontierKeys) -> dict[str, str]:
    """worker id -> busy/idle for every worker whose heartbeat has not expired; prunes the rest."""
    ids = sorted(str(worker) for worker in client.smembers(keys.workers))
    if not ids:
        return {}
    states = client.mget([keys.worker(worker) for worker in ids])
    dead = [worker for worker, state in zip(ids, states, strict=True) if state is None]
    if dead:
        client.srem(keys.workers, *dead)
    return {w: str(s) for w, s in zip(ids, states, strict=True) if s is not None}


def enqueue_sites(client: Redis, spider: str, targets: list[str]) -> int:
    """Queue sites (profile names or URLs, as `crawl` takes them); returns the queue's length."""
    return int(client.rpush(pending_sites_key(spider), *targets))


def next_site(client: Redis, spider: str) -> str | None:
    """Take the next queued site, or None when there is none (atomic: each site goes to one)."""
    target = client.lpop(pending_sites_key(spider))
    return str(target) if target is not None else None
