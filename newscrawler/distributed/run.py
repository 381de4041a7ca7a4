"""Run this process as one worker of a shared Redis frontier: the core of `crawl --redis`.

Checks Redis first (a clear error and exit code REDIS_UNAVAILABLE rather than a traceback from
deep inside Scrapy), switches the settings to distributed mode, writes to the worker's own file
`<output dir>/<site>/<UTC timestamp>-<worker>.jsonl`, and maps a Redis lost mid-run to the same
exit code.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from scrapy.utils.project import get_project_settings

from newscrawler.distributed.config import (
    check_redis,
    default_worker_id,
    distributed_settings,
    safe_worker_id,
    worker_output_file,
)
from newscrawler.distributed.scheduler import REDIS_LOST
from newscrawler.exitcodes import ExitCode
from newscrawler.runner import CrawlResult, run_crawl


def worker_settings(
    url: str, worker: str, site: str, settings: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The crawl's own overrides plus distributed mode (state on: exactly-once needs it)."""
    project = get_project_settings()
    project.setdict(dict(settings or {}), priority="cmdline")
    extensions, pipelines = project.getdict("EXTENSIONS"), project.getdict("ITEM_PIPELINES")
    overrides = dict(settings or {})
    overrides["NEWSCRAWLER_STATE_ENABLED"] = True
    overrides.update(distributed_settings(url, worker, site, extensions, pipelines))
    return overrides


def run_worker(
    spider: Any,
    *,
    redis: str,
    site: str,
    output_dir: Path,
    spider_kwargs: Mapping[str, Any] | None = None,
    settings: Mapping[str, Any] | None = None,
    worker: str | None = None,
) -> CrawlResult:
    """Crawl as one worker until the round is over. Raises RedisUnavailable if Redis is down."""
    check_redis(redis)
    worker_id = safe_worker_id(worker or default_worker_id())
    output = worker_output_file(output_dir, site, worker_id)
    result = run_crawl(
        spider,
        spider_kwargs=spider_kwargs,
        settings=worker_settings(redis, worker_id, site, settings),
        output=output,
    )
    stats = result.stats
    if stats.get("finish_reason") == REDIS_LOST or stats.get("newscrawler/redis/lost"):
        result.exit_code = ExitCode.REDIS_UNAVAILABLE
        result.output = None
    return result
