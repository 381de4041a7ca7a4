"""The baseline of `make bench-crawl`: plain Scrapy fetching the portal's pages, no extraction.

Run with `scrapy runspider` outside the project, so only Scrapy's defaults apply.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scrapy.http import Response
from scrapy.spiders import SitemapSpider


class BareSpider(SitemapSpider):
    """robots.txt -> sitemaps -> every listed page, fetched and dropped."""

    name = "bare"

    def __init__(self, url: str = "", **kwargs: Any) -> None:
        self.sitemap_urls = [f"{url.rstrip('/')}/robots.txt"]
        super().__init__(**kwargs)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        self.crawler.stats.inc_value("bare/articles")  # type: ignore[union-attr]
        yield from ()
