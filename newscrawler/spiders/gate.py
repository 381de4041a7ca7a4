"""At most a few sitemaps in flight at once; the others wait their turn, in order.

Why: Scrapy works on the output of every response it holds at the same time, interleaved. If
the 40 child sitemaps of an index were fetched together, each would keep its parser and its
response alive while its hundreds of entries are queued one by one, and peak memory would grow
with the portal. With one or two at a time it stays flat, and the article queue never runs dry:
one sitemap lists hundreds of pages.
"""

from __future__ import annotations

import sys
from collections import deque
from collections.abc import Iterator

from scrapy import Request


class SitemapGate:
    """Admits sitemap requests up to `limit` in flight (0: no limit), each URL once; `finished`
    lets the next in.

    >>> gate = SitemapGate(1)
    >>> [r.url for r in gate.admit(Request("https://a.example/s1.xml"))]
    ['https://a.example/s1.xml']
    >>> list(gate.admit(Request("https://a.example/s2.xml"))), len(gate.waiting)
    ([], 1)
    >>> list(gate.admit(Request("https://a.example/s1.xml"))), len(gate.waiting)
    ([], 1)
    >>> [r.url for r in gate.finished()]
    ['https://a.example/s2.xml']
    >>> unlimited = SitemapGate(0)
    >>> sum(len(list(unlimited.admit(Request(f"https://a.example/{n}.xml")))) for n in range(50))
    50
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit if limit > 0 else sys.maxsize
        self.in_flight = 0
        self.waiting: deque[Request] = deque()
        self.seen: set[str] = set()

    def admit(self, request: Request) -> Iterator[Request]:
        """The request now (a slot is free), or nothing: it waits, or its URL was seen before."""
        if request.url in self.seen:
            return
        self.seen.add(request.url)
        if self.in_flight < self.limit:
            self.in_flight += 1
            yield request
        else:
            self.waiting.append(request)

    def finished(self) -> Iterator[Request]:
        """A sitemap was parsed or failed: the next waiting ones, up to the limit."""
        self.in_flight = max(0, self.in_flight - 1)
        while self.waiting and self.in_flight < self.limit:
            self.in_flight += 1
            yield self.waiting.popleft()

    def release(self) -> Iterator[Request]:
        """The crawl is idle, so nothing is in flight whatever the count says (a request dropped
        before its callback or errback ran): let the next waiting ones in."""
        self.in_flight = 1
        yield from self.finished()
