"""Downloader middleware of the spiders: redirects that leave the portal are dropped, loudly.

Why not only Scrapy's offsite filter: it drops such requests at DEBUG level; a portal that
redirects its articles to another domain is worth an INFO line and a counter.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import IgnoreRequest

from newscrawler.profiles.loader import host_of

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


def host_allowed(url: str, domains: list[str] | tuple[str, ...]) -> bool:
    """True when the URL's host is one of `domains` or a subdomain of one (www. ignored).

    >>> host_allowed("https://www.ex.com/", ["ex.com"]), host_allowed("https://ex.org/", ["ex.com"])
    (True, False)
    """
    host = host_of(url)
    return any(host == d or host.endswith(f".{d}") for d in domains)


class CrossDomainRedirectMiddleware:
    """Drop (log at INFO, count) a redirect whose target is outside the spider's allowed_domains."""

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrossDomainRedirectMiddleware:
        assert crawler.stats is not None
        return cls(crawler.stats)

    def process_request(self, request: Request, spider: Spider | None = None) -> Any:
        redirects = request.meta.get("redirect_urls")
        domains = getattr(spider, "allowed_domains", None)
        if not redirects or not domains or host_allowed(request.url, domains):
            return None
        self.stats.inc_value("newscrawler/offsite/redirect_dropped")
        logger.info("Dropped cross-domain redirect %s -> %s", redirects[0], request.url)
        raise IgnoreRequest(f"redirect to another domain: {request.url}")
