"""The retry middleware waits exactly as long as asked, seen on an injected clock.

The wait runs on `call_later`; the test replaces it with a Twisted `task.Clock` it advances by hand,
so "it waited 1 s" is a fact about the clock, not a measurement on a loaded machine.
"""

from __future__ import annotations

import asyncio

import pytest
from scrapy import Request
from scrapy.http import Response
from scrapy.utils.test import get_crawler
from twisted.internet.task import Clock

import newscrawler.middlewares.retry as retry_module
from newscrawler.middlewares.retry import BackoffRetryMiddleware


def middleware(**settings: object) -> BackoffRetryMiddleware:
    crawler = get_crawler(settings_dict={"RETRY_TIMES": 2, **settings})
    crawler.spider = crawler._create_spider("t")  # type: ignore[attr-defined]
    assert crawler.stats is not None
    crawler.stats.open_spider()
    return BackoffRetryMiddleware.from_crawler(crawler)


async def _settle() -> None:
    for _ in range(10):  # let the coroutine run up to its next wait
        await asyncio.sleep(0)


def retried_after(
    monkeypatch: pytest.MonkeyPatch, response_headers: dict[str, str], status: int
) -> tuple[bool, bool, object]:
    """(done just before the wait ends, done when it ends, the result) on the injected clock."""
    clock = Clock()
    monkeypatch.setattr(retry_module, "call_later", clock.callLater)
    mw = middleware(NEWSCRAWLER_RETRY_BACKOFF_BASE=0.5)
    request = Request("http://x.test/a")
    response = Response(request.url, status=status, headers=response_headers)

    async def drive(wait: float) -> tuple[bool, bool, object]:
        task = asyncio.ensure_future(mw.process_response(request, response))
        await _settle()
        clock.advance(wait - 0.001)
        await _settle()
        early = task.done()
        clock.advance(0.001)
        await _settle()
        return early, task.done(), task.result() if task.done() else None

    wait = float(response_headers.get("Retry-After", 0.5))
    return asyncio.run(drive(wait))


def test_a_429_retry_waits_the_retry_after_seconds_then_retries(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    early, done, result = retried_after(monkeypatch, {"Retry-After": "1"}, 429)
    assert not early, "retried before the server's Retry-After had passed"
    assert done
    assert isinstance(result, Request) and result.url == "http://x.test/a"
    assert result.meta["retry_times"] == 1


def test_a_500_without_retry_after_waits_the_backoff_base(monkeypatch: pytest.MonkeyPatch) -> None:
    early, done, result = retried_after(monkeypatch, {}, 500)
    assert (early, done) == (False, True)
    assert isinstance(result, Request)
