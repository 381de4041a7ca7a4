"""One worker process of the distributed tests: `python distributed_worker.py REDIS BASE OUT ID`.

Runs the real distributed machinery (`run_worker`: scrapy-redis scheduler and dupefilter, Redis
state, claims, fenced feed) with a small sitemap spider, so the tests exercise the frontier sharing
itself. Prints `Output: <path>` when its file was finalized, and exits with the worker's exit code.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

from scrapy import Request, Spider
from scrapy.http import Response

from newscrawler.distributed.config import RedisUnavailable
from newscrawler.distributed.run import run_worker
from newscrawler.exitcodes import ExitCode
from newscrawler.extraction import extract_article

LOC = re.compile(r"<loc>([^<]+)</loc>")


class SitemapNewsSpider(Spider):
    """robots-free discovery for the synthetic portal: sitemap index -> sitemaps -> articles."""

    name = "news"

    def __init__(self, url: str, site: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.url = url.rstrip("/")
        self.site = site

    async def start(self) -> AsyncIterator[Request]:
        # filtered like any request: in a round, only the first worker fetches the index
        yield Request(f"{self.url}/sitemap.xml", callback=self.parse_index)

    def parse_index(self, response: Response) -> Iterator[Request]:
        for loc in LOC.findall(response.text):
            yield Request(loc, callback=self.parse_sitemap)

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        for loc in LOC.findall(response.text):
            yield Request(loc, callback=self.parse_article)

    def parse_article(self, response: Response) -> Iterator[dict[str, Any]]:
        yield extract_article(response.text, response.url)


def main(redis: str, base: str, output_dir: str, worker: str) -> int:
    try:
        result = run_worker(
            SitemapNewsSpider,
            redis=redis,
            site="synthetic",
            output_dir=Path(output_dir),
            spider_kwargs={"url": base, "site": "synthetic"},
            settings={
                "NEWSCRAWLER_ALLOW_PRIVATE_ADDRESSES": "127.0.0.1",
                "NEWSCRAWLER_REPORT_ENABLED": False,
                "NEWSCRAWLER_REDIS_LEASE_SECONDS": float(os.environ.get("TEST_LEASE", "3")),
                "AUTOTHROTTLE_ENABLED": False,
                "ROBOTSTXT_OBEY": False,
                "CONCURRENT_REQUESTS": 16,
                "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
                "LOG_LEVEL": os.environ.get("TEST_LOG_LEVEL", "INFO"),
            },
            worker=worker,
        )
    except RedisUnavailable as error:
        print(f"Error: {error}", file=sys.stderr)
        return int(ExitCode.REDIS_UNAVAILABLE)
    if result.output is not None:
        print(f"Output: {result.output}", flush=True)
    stats = {k: v for k, v in result.stats.items() if isinstance(v, (int, float, str))}
    stats.update(
        (k, v.timestamp()) for k, v in result.stats.items() if k in ("start_time", "finish_time")
    )
    print(f"Stats: {json.dumps(stats)}", flush=True)
    return int(result.exit_code)


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
