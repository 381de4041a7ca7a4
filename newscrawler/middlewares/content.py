"""Skip responses that are not web pages before any parser sees them.

PDFs, images, audio, video, archives and office files are refused by their Content-Type, and
their download is stopped as soon as the headers arrive (StopDownload on headers_received), so
a 200 MB video costs a few kilobytes. A body that is not text (a known binary signature, or
control and NUL bytes where text has none: newscrawler.sniff) is skipped even when served as
text/html. Empty 200 responses are skipped too. Each skip is one log line and a
`newscrawler/skipped/...` counter; never an exception.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import IgnoreRequest, StopDownload

from newscrawler.sniff import binary_kind

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.http.headers import Headers
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

SKIPPED_TYPES = (
    "application/pdf",
    "image/",
    "audio/",
    "video/",
    "font/",
    "application/zip",
    "application/x-7z-compressed",
    "application/x-rar",
    "application/vnd.",
    "application/msword",
    "application/x-shockwave-flash",
    "application/java-archive",
    "application/wasm",
)


def media_type(content_type: str | bytes | None) -> str:
    """The lower-case media type of a Content-Type value, without parameters.

    >>> media_type(b"Application/PDF; name=x.pdf")
    'application/pdf'
    """
    if content_type is None:
        return ""
    text = content_type.decode("latin-1") if isinstance(content_type, bytes) else content_type
    return text.split(";", 1)[0].strip().lower()


class ContentGuardMiddleware:
    """Downloader middleware: refuse non-page content types, binary bodies and empty bodies."""

    def __init__(self, stats: StatsCollector, skipped_types: Iterable[str] = SKIPPED_TYPES) -> None:
        self.stats = stats
        self.skipped_types = tuple(t.lower() for t in skipped_types)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ContentGuardMiddleware:
        assert crawler.stats is not None
        types = crawler.settings.getlist("NEWSCRAWLER_SKIPPED_CONTENT_TYPES", list(SKIPPED_TYPES))
        middleware = cls(crawler.stats, types)
        crawler.signals.connect(middleware.headers_received, signal=signals.headers_received)
        return middleware

    def is_skipped_type(self, content_type: str | bytes | None) -> bool:
        kind = media_type(content_type)
        return bool(kind) and kind.startswith(self.skipped_types)

    def headers_received(
        self, headers: Headers, body_length: int, request: Request, **_: Any
    ) -> None:
        """Stop downloading a body nobody will read; process_response then skips it."""
        if self.is_skipped_type(headers.get(b"Content-Type")):
            raise StopDownload(fail=False)

    def process_response(self, request: Request, response: Response) -> Response:
        content_type = media_type(response.headers.get(b"Content-Type"))
        if self.is_skipped_type(content_type):
            self._skip(request, f"content_type/{content_type}", f"{content_type} is not a web page")
        if response.status == 200 and not response.body and request.method != "HEAD":
            self._skip(request, "empty_body", "empty 200 response")
        if content_type in ("", "text/html", "application/xhtml+xml", "text/plain"):
            kind = binary_kind(response.body)
            gzipped_file = kind == "gzip" and (
                not content_type or request.url.split("?", 1)[0].endswith(".gz")
            )
            if kind is not None and not gzipped_file:
                label = content_type or "no content type"
                self._skip(request, "binary", f"{kind} bytes served as {label}")
        return response

    def _skip(self, request: Request, key: str, why: str) -> None:
        self.stats.inc_value("newscrawler/skipped")
        self.stats.inc_value(f"newscrawler/skipped/{key}")
        logger.info("Skipped %s: %s", request, why)
        raise IgnoreRequest(f"skipped: {why}")
