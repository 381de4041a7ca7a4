"""A distributed-test worker: `python -m tests.distributed_worker REDIS BASE OUT ID`.

Runs the real `news` spider through `run_worker` (scrapy-redis scheduler and dupefilter, Redis
state, claims, fenced feed), as `newscrawler crawl URL --redis` does. Prints `Output: <path>` when
its file was finalized and `Stats: {json}`, and exits with the worker's exit code.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from newscrawler.distributed.config import RedisUnavailable
from newscrawler.distributed.run import run_worker
from newscrawler.exitcodes import ExitCode

SITE = "synthetic"


def worker_settings() -> dict[str, object]:
    return {
        "NEWSCRAWLER_ALLOW_PRIVATE_ADDRESSES": "127.0.0.1",
        "NEWSCRAWLER_REPORT_ENABLED": False,
        "NEWSCRAWLER_REDIS_LEASE_SECONDS": float(os.environ.get("TEST_LEASE", "3")),
        "AUTOTHROTTLE_ENABLED": False,
        "CONCURRENT_REQUESTS": 16,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
        "LOG_LEVEL": os.environ.get("TEST_LOG_LEVEL", "INFO"),
    }


def main(redis: str, base: str, output_dir: str, worker: str) -> int:
    try:
        result = run_worker(
            "news",
            redis=redis,
            site=SITE,
            output_dir=Path(output_dir),
            spider_kwargs={"url": f"{base}/"},
            settings=worker_settings(),
            worker=worker,
        )
    except RedisUnavailable as error:
        print(f"Error: {error}", file=sys.stderr)
        return int(ExitCode.REDIS_UNAVAILABLE)
    if result.output is not None:
        print(f"Output: {result.output}", flush=True)
    stats = {k: v for k, v in result.stats.items() if isinstance(v, int | float | str)}
    for key in ("start_time", "finish_time"):
        if key in result.stats:
            stats[key] = result.stats[key].timestamp()
    print(f"Stats: {json.dumps(stats)}", flush=True)
    return int(result.exit_code)


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
