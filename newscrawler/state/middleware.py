"""KnownArticleMiddleware: known article pages are fetched again only when a source says so.

Listing pages, feeds and sitemaps are never in the state, so they always pass. A request for an
article the state knows passes only when its meta `newscrawler_lastmod` (the sitemap `lastmod` or
feed `updated` it was listed with) is newer than anything the state remembers of it.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

from scrapy import Request

from newscrawler.extensions.context import KIND_META, LASTMOD_META, NEW_LISTED_META
from newscrawler.state.store import ArticleState, StateStore

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


def parse_when(value: object) -> datetime | None:
    """An ISO 8601 or RFC 822 date as an aware UTC datetime (naive and date-only taken as UTC).

    >>> parse_when("2026-11-28")
    datetime.datetime(2026, 11, 28, 0, 0, tzinfo=datetime.timezone.utc)
    >>> parse_when("Sat, 28 Nov 2026 10:00:00 +0100").hour
    9
    >>> parse_when("soon") is None
    True
    """
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    try:
        return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    except OverflowError:  # 9999-12-31T23:59:59-01:00 is past the last representable instant
        return None


def listed_as_newer(lastmod: object, known: ArticleState) -> bool | None:
    """Whether a listing's lastmod is newer than what the state remembers (None: unparsable)."""
    when = parse_when(lastmod)
    if when is None:
        return None
    remembered = [
        parse_when(value) for value in (known.lastmod, known.date_modified, known.date_published)
    ]
    dates = [value for value in remembered if value is not None]
    return not dates or when > max(dates)


class KnownArticleMiddleware:
    """Spider middleware dropping requests for known, unchanged articles (counted in stats)."""

    def __init__(self, store: StateStore, stats: StatsCollector, *, full: bool = False) -> None:
        self.store = store
        self.stats = stats
        self.full = full
        self.skipped: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> KnownArticleMiddleware:
        from newscrawler.state.delivery import attached_state

        store, stats, full = attached_state(crawler)
        return cls(store, stats, full=full)

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for entry in start:
            if not (isinstance(entry, Request) and self.skip(entry)):
                yield entry

    async def process_spider_output(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        async for entry in result:
            if not (isinstance(entry, Request) and self.skip(entry)):
                yield entry

    def skip(self, request: Request) -> bool:
        """Whether to drop this request: a known article that no source says has changed."""
        known = self.store.get(request.url)
        if known is None:
            if request.meta.get(KIND_META) == "article" and request.meta.get(LASTMOD_META):
                # listed, dated, by a sitemap or feed: the min_articles check counts on these
                self.stats.inc_value("newscrawler/sources/new_listed")
                request.meta[NEW_LISTED_META] = True  # taken back if it is no article
            return False
        if self.full:
            return False
        lastmod = request.meta.get(LASTMOD_META)
        newer = listed_as_newer(lastmod, known) if lastmod else False
        if newer is None:
            logger.info("Unparsable lastmod %r for %s: fetching it again", lastmod, request.url)
            self.stats.inc_value("newscrawler/state/lastmod_unparsable")
            return False
        if newer:
            self.stats.inc_value("newscrawler/state/refetched_listed_newer")
            if known.canonical_url in self.skipped:  # an undated link to it was dropped before
                self.skipped.discard(known.canonical_url)
                self.stats.inc_value("newscrawler/state/skipped_known", -1)
            return False
        if known.canonical_url not in self.skipped:  # count pages, not the links to them
            self.skipped.add(known.canonical_url)
            self.stats.inc_value("newscrawler/state/skipped_known")
        return True
