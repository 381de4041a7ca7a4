"""Retry with backoff that honours Retry-After, which Scrapy's RetryMiddleware ignores.

It replaces Scrapy's RetryMiddleware (same settings: RETRY_TIMES, RETRY_HTTP_CODES,
RETRY_EXCEPTIONS) and waits before each retry: the server's Retry-After (seconds or an HTTP
date) when given, otherwise exponential backoff. A Retry-After longer than
NEWSCRAWLER_RETRY_AFTER_MAX is not waited for: the page is given up with a log line, because
one slow page must not stall a nightly run. 404 and 410 are not in RETRY_HTTP_CODES: they are
final, and HttpErrorMiddleware logs and counts them.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.utils.asyncio import call_later
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.response import response_status_message
from twisted.internet.defer import Deferred

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)


def retry_after_seconds(value: str | bytes | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header value (delta-seconds or HTTP-date), or None.

    >>> retry_after_seconds("120")
    120.0
    >>> now = datetime(2015, 10, 21, 7, 28, tzinfo=UTC)
    >>> retry_after_seconds("Wed, 21 Oct 2015 07:28:10 GMT", now)
    10.0
    >>> retry_after_seconds("soon") is None
    True
    """
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if re.fullmatch(r"[0-9]{1,10}", text):  # not str.isdigit: "¹" is a digit to Python
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def backoff_seconds(retry_times: int, base: float, cap: float) -> float:
    """Exponential backoff before retry number `retry_times` (1-based): base, 2*base, 4*base...

    >>> [backoff_seconds(n, 0.5, 3.0) for n in (1, 2, 3, 4)]
    [0.5, 1.0, 2.0, 3.0]
    """
    return float(min(cap, base * 2.0 ** max(0, retry_times - 1)))


async def sleep(seconds: float) -> None:
    """Wait without blocking the reactor (asyncio or Twisted)."""
    if seconds <= 0:
        return
    waiter: Deferred[None] = Deferred()
    call_later(seconds, waiter.callback, None)
    await maybe_deferred_to_future(waiter)


class BackoffRetryMiddleware(RetryMiddleware):
    """RetryMiddleware that waits before retrying, as the server asked or with backoff."""

    def __init__(
        self,
        settings: BaseSettings,
        backoff_base: float = 1.0,
        backoff_max: float = 30.0,
        retry_after_max: float = 120.0,
    ) -> None:
        super().__init__(settings)
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.retry_after_max = retry_after_max

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffRetryMiddleware:
        settings = crawler.settings
        middleware = cls(
            settings,
            backoff_base=settings.getfloat("NEWSCRAWLER_RETRY_BACKOFF_BASE", 1.0),
            backoff_max=settings.getfloat("NEWSCRAWLER_RETRY_BACKOFF_MAX", 30.0),
            retry_after_max=settings.getfloat("NEWSCRAWLER_RETRY_AFTER_MAX", 120.0),
        )
        middleware.crawler = crawler
        return middleware

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        if not self._will_retry(request):
            return self._retry(request, response_status_message(response.status)) or response
        header = response.headers.get(b"Retry-After")
        asked = retry_after_seconds(header)
        if asked is not None and asked > self.retry_after_max:
            self._count("retry_after_too_long")
            logger.warning(
                "Not retrying %s: HTTP %d with Retry-After %s s, above the %s s cap "
                "(NEWSCRAWLER_RETRY_AFTER_MAX)",
                request,
                response.status,
                int(asked),
                int(self.retry_after_max),
            )
            return response
        delay = asked if asked is not None else self._backoff(request)
        if asked is not None:
            self._count("retry_after_honoured")
        await self._wait(request, delay, f"HTTP {response.status}")
        return self._retry(request, response_status_message(response.status)) or response

    async def process_exception(  # type: ignore[override]
        self, request: Request, exception: Exception
    ) -> Request | Response | None:
        retryable = isinstance(exception, self.exceptions_to_retry)
        if retryable and not request.meta.get("dont_retry", False) and self._will_retry(request):
            await self._wait(request, self._backoff(request), type(exception).__name__)
        return super().process_exception(request, exception)

    def _will_retry(self, request: Request) -> bool:
        limit = request.meta.get("max_retry_times", self.max_retry_times)
        return bool(request.meta.get("retry_times", 0) < limit)

    def _backoff(self, request: Request) -> float:
        return backoff_seconds(
            request.meta.get("retry_times", 0) + 1, self.backoff_base, self.backoff_max
        )

    async def _wait(self, request: Request, delay: float, why: str) -> None:
        logger.info("Waiting %.1f s before retrying %s (%s)", delay, request, why)
        self._count("backoff_waits")
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("newscrawler/retry/backoff_ms", round(delay * 1000))
        await sleep(delay)

    def _count(self, key: str) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"newscrawler/retry/{key}")
