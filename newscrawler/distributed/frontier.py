"""Names and small operations on the shared frontier in Redis, beyond what scrapy-redis keeps.

scrapy-redis keeps the request queue (`<spider>:requests`) and the seen set (`<spider>:dupefilter`).
Here: the start entries that `newscrawler enqueue` pushes (one JSON object per site), and the
register of live workers, which tells an idle worker whether the crawl round is over or another
worker may still add requests.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from redis import Redis

BUSY, IDLE = "busy", "idle"


@dataclass(frozen=True)
class FrontierKeys:
    """The Redis keys of one spider's frontier (scrapy-redis's defaults for its own keys)."""

    spider: str
    prefix: str = "newscrawler"

    @property
    def requests(self) -> str:
        return f"{self.spider}:requests"

    @property
    def dupefilter(self) -> str:
        return f"{self.spider}:dupefilter"

    @property
    def start(self) -> str:
        return f"{self.prefix}:{self.spider}:start"

    @property
    def workers(self) -> str:
        return f"{self.prefix}:{self.spider}:workers"

    def worker(self, worker_id: str) -> str:
        return f"{self.prefix}:{self.spider}:worker:{worker_id}"


@dataclass(frozen=True)
class StartEntry:
    """One site to crawl, as pushed by `newscrawler enqueue`: a site name and/or a start URL."""

    site: str
    url: str | None = None

    def dumps(self) -> str:
        return json.dumps({"site": self.site, "url": self.url}, ensure_ascii=False)

    @classmethod
    def loads(cls, raw: str | bytes) -> StartEntry:
        """Parse an entry; ValueError (with the raw text) when it is not one."""
        try:
            data = json.loads(raw)
            site, url = data["site"], data.get("url")
        except (ValueError, TypeError, KeyError) as exc:
            raise ValueError(f"bad start entry {raw!r}: {exc}") from exc
        if not isinstance(site, str) or not (url is None or isinstance(url, str)):
            raise ValueError(f"bad start entry {raw!r}: site and url must be strings")
        return cls(site=site, url=url)


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


def enqueue(client: Redis, keys: FrontierKeys, entries: list[StartEntry]) -> bool:
    """Push start entries; when no worker is live, start a new round (forget seen requests).

    Returns True when a new round was started. Within a round, a URL is fetched once by the
    cluster; across rounds it is fetched again, so updates and what a killed worker lost are found.
    """
    new_round = not live_workers(client, keys)
    pipe = client.pipeline(transaction=True)
    if new_round:
        pipe.delete(keys.dupefilter)
    pipe.rpush(keys.start, *[entry.dumps() for entry in entries])
    pipe.execute()
    return new_round
