"""A naive WordPress spider: it takes the text as the page gives it, shortcodes and all."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Response


class WordPressSpider(scrapy.Spider):
    """Follow the home page's links; posts give article dicts, pages give page dicts."""

    name = "wp"

    def __init__(self, url: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_urls = [url]

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> WordPressSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.log_feed_files, signal=signals.item_scraped)
        return spider

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        for href in response.css("a::attr(href)").getall():
            callback = self.parse_page if "/page/" in href else self.parse_post
            yield response.follow(href, callback)

    def parse_post(self, response: Response) -> Iterator[dict[str, Any]]:
        yield {
            "url": response.url,
            "headline": response.css("h1::text").get(),
            "description": response.css(".chapo::text").get(),
            "body": "\n".join(response.css(".entry-content p::text").getall()),
            "quotes": [],
            "read_also": [],
        }

    def parse_page(self, response: Response) -> Iterator[dict[str, Any]]:
        yield {
            "url": response.url,
            "headline": response.css("h1::text").get(),
            "body": "\n".join(response.css(".entry-content p::text").getall()),
        }

    def log_feed_files(self) -> None:
        """What exists of the output once an item is exported (the test reads this line)."""
        for uri in self.settings.getdict("FEEDS"):
            final = Path(str(uri))
            part = final.with_name(final.name + ".part")
            self.logger.info("During the crawl: final=%s part=%s", final.exists(), part.exists())
