"""Downloader middleware of the spiders: redirects that leave the portal are dropped, loudly.

Why not only Scrapy's offsite filter: it drops such requests at DEBUG level; a portal that
redirects its articles to another domain is worth an INFO line and a counter.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from scrapy.exceptions import IgnoreRequest

from newscrawler.profiles.loader import host_of

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


def host_allowed(url: str, domains: list[str] | tuple[str, ...]) -> bool:
    """True when the URL's host is one of `domains` or a subdomain of one (www. ignored).

    >>> host_allowed("https://www.ex.com/", ["ex.com"]), host_allowed("https://ex.org/", ["ex.com"])
    (True, False)
    """
    host = host_of(url)
    return any(host == d or host.endswith(f".{d}") for d in domains)


class CrossDomainRedirectMiddleware:
    """Drop (log at INFO, count) a redirect whose target is outside the spider's allowed_domains.

    Placed after RedirectMiddleware (a higher number), so it sees the 3xx response first.
    """

    def __init__(self, stats: StatsCollector, crawler: Crawler | None = None) -> None:
        self.stats = stats
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrossDomainRedirectMiddleware:
        assert crawler.stats is not None
        return cls(crawler.stats, crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        spider = self.crawler.spider if self.crawler else None
        domains = getattr(spider, "allowed_domains", None)
        location = response.headers.get("Location")
        if not domains or response.status not in REDIRECT_STATUSES or not location:
            return response
        if request.meta.get("allow_offsite"):  # e.g. sitemaps, which may live on a CDN
            return response
        target = urljoin(request.url, location.decode("latin-1").strip())
        if host_allowed(target, domains):
            return response
        self.stats.inc_value("newscrawler/offsite/redirect_dropped")
        logger.info("Dropped cross-domain redirect %s -> %s", request.url, target)
        raise IgnoreRequest(f"redirect to another domain: {target}")
