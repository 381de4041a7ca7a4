"""Name redirect loops: Scrapy ends them quietly (duplicate filter or REDIRECT_MAX_TIMES, both
logged at DEBUG), so a site whose article URLs bounce forever would vanish from the output
without a word. This middleware sees the 3xx before RedirectMiddleware does and, when the target
was already visited in this redirect chain, drops the request with one log line and a counter.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from scrapy.exceptions import IgnoreRequest
from w3lib.url import safe_url_string

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


def redirect_target(response: Response) -> str | None:
    """The absolute URL a 3xx response points to, or None (also when it is no URL at all:
    w3lib 2.6 refuses a host with forbidden characters; RedirectMiddleware then decides)."""
    if not 300 <= response.status < 400:
        return None
    location = response.headers.get(b"Location")
    if not location:
        return None
    try:
        return safe_url_string(urljoin(response.url, location.decode("latin-1")))
    except ValueError:
        return None


class RedirectLoopMiddleware:
    """Downloader middleware, placed after RedirectMiddleware (priority > 600)."""

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectLoopMiddleware:
        assert crawler.stats is not None
        return cls(crawler.stats)

    def process_response(self, request: Request, response: Response) -> Response:
        target = redirect_target(response)
        if target is None:
            return response
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if target in chain:
            self.stats.inc_value("newscrawler/redirect/loop")
            logger.warning("Redirect loop dropped: %s", " -> ".join([*chain, target]))
            raise IgnoreRequest(f"redirect loop back to {target}")
        return response
