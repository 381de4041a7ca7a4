"""The distributed-mode switch: `REDIS_URL` (setting or environment) or `--redis URL`.

Without a Redis URL nothing here is used and the crawl stays on Scrapy's embedded scheduler. With
one, `apply_distributed` points Scrapy at scrapy-redis's scheduler and duplicate filter (the
frontier shared by every worker), adds the worker coordination extension and the fenced feed
storage, and names the worker so that its output file is its own.
"""

from __future__ import annotations

import os
import re
import socket
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from newscrawler.distributed.frontier import FrontierKeys
from newscrawler.paths import safe_site_dirname, utc_stamp

if TYPE_CHECKING:
    from datetime import datetime

    from redis import Redis
    from scrapy.settings import BaseSettings

ENV_VAR = "REDIS_URL"
CHECK_TIMEOUT = 5.0  # seconds to connect at start before calling Redis unreachable


class RedisUnavailable(RuntimeError):
    """Distributed mode was asked for but Redis does not answer (exit code REDIS_UNAVAILABLE)."""


def redis_url(settings: BaseSettings | Mapping[str, Any] | None = None) -> str | None:
    """The Redis URL of distributed mode: the REDIS_URL setting, else the environment, else None."""
    value = (settings.get("REDIS_URL") if settings is not None else None) or os.environ.get(ENV_VAR)
    text = str(value or "").strip()
    return text or None


def redact(url: str) -> str:
    """The URL without its password, for messages and logs.

    >>> redact("redis://user:secret@db.example:6379/0")
    'redis://user:***@db.example:6379/0'
    >>> redact("unix:///tmp/redis.sock?db=0")
    'unix:///tmp/redis.sock?db=0'
    """
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = f"{parts.username or ''}:***@{parts.hostname or ''}"
    netloc += f":{parts.port}" if parts.port else ""
    return urlunsplit(parts._replace(netloc=netloc))


def default_worker_id() -> str:
    """hostname-pid: unique among the workers of a cluster, readable in file names."""
    return f"{socket.gethostname() or 'worker'}-{os.getpid()}"


def safe_worker_id(worker: str) -> str:
    """A worker id that is safe inside a file name and a Redis key.

    >>> safe_worker_id("node 1/../x")
    'node_1_.._x'
    """
    return re.sub(r"[^A-Za-z0-9._-]+", "_", worker).strip("_")[:64] or "worker"


def connect(url: str, *, timeout: float = CHECK_TIMEOUT) -> Redis:
    """A client for `url` that fails fast, without talking to the server yet."""
    import redis

    return redis.Redis.from_url(
        url, socket_connect_timeout=timeout, socket_timeout=timeout * 6, decode_responses=True
    )


def check_redis(url: str, *, timeout: float = CHECK_TIMEOUT) -> None:
    """Raise RedisUnavailable with a clear message unless Redis answers PING at `url`."""
    import redis

    try:
        connect(url, timeout=timeout).ping()
    except (redis.RedisError, OSError, ValueError) as exc:
        raise RedisUnavailable(
            f"Redis is unreachable at {redact(url)} ({exc}); start it or fix --redis/REDIS_URL"
        ) from exc


def distributed_settings(
    url: str,
    worker: str,
    site: str,
    extensions: Mapping[str, Any] | None = None,
    pipelines: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The settings that turn a crawl into one worker of a shared Redis frontier.

    `extensions` and `pipelines` are the crawl's own EXTENSIONS and ITEM_PIPELINES, extended.
    """
    extensions = dict(extensions or {})
    extensions["newscrawler.distributed.worker.WorkerCoordination"] = 50
    extensions["newscrawler.state.delivery.StateExtension"] = None
    extensions["newscrawler.distributed.delivery.DistributedStateExtension"] = 100
    pipelines = dict(pipelines or {})
    pipelines["newscrawler.distributed.delivery.ClaimPipeline"] = 990  # after every other one
    return {
        "REDIS_URL": url,
        "NEWSCRAWLER_WORKER_ID": safe_worker_id(worker),
        # scrapy-redis: the request queue and the seen-requests set live in Redis
        "SCHEDULER": "newscrawler.distributed.scheduler.RedisScheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        # one frontier per site: a spider instance crawls one site (see distributed/frontier.py)
        "NEWSCRAWLER_SITE": site,
        "SCHEDULER_QUEUE_KEY": FrontierKeys("%(spider)s", site).requests,
        "SCHEDULER_DUPEFILTER_KEY": FrontierKeys("%(spider)s", site).dupefilter,
        "SCHEDULER_PERSIST": True,  # a worker that finishes must not wipe the others' frontier
        # no sitemap gate: a sitemap one worker admits may be parsed by another, so a per-worker
        # count of sitemaps in flight would hold the rest back until that worker went idle
        "NEWSCRAWLER_SITEMAPS_IN_FLIGHT": 0,
        "EXTENSIONS": extensions,
        "ITEM_PIPELINES": pipelines,
        "FEED_STORAGES": {
            "": "newscrawler.distributed.feeds.FencedFeedStorage",
            "file": "newscrawler.distributed.feeds.FencedFeedStorage",
        },
    }


def worker_output_file(
    output_dir: Path, site: str, worker: str, now: datetime | None = None
) -> Path:
    """output/<site>/<UTC timestamp>-<worker>.jsonl: one file per worker, never shared."""
    name = f"{utc_stamp(now)}-{safe_worker_id(worker)}.jsonl"
    return output_dir / safe_site_dirname(site) / name
