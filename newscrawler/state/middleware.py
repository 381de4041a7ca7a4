"""KnownArticleMiddleware: known pages are fetched again only when a source says so.

Listing pages, feeds and sitemaps are never in the state, so they always pass. A request for an
article the state knows passes only when its meta `newscrawler_lastmod` (the sitemap `lastmod` or
feed `updated` it was listed with) is newer than anything the state remembers of it.

A listed page that an earlier run fetched and judged no article (a video page, a gallery, "About
us") is not fetched again for `NEWSCRAWLER_RECHECK_NOT_ARTICLES_DAYS` days, unless it is listed
with a newer lastmod than when it was judged: without this, every quiet run would spend most of
its requests on the same few non-article pages. After that many days it is judged again, so a
misjudged page is late, never lost; `--full` fetches everything.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

from scrapy import Request, signals

from newscrawler.extensions.context import KIND_META, LASTMOD_META, NEW_LISTED_META
from newscrawler.signals import page_not_article
from newscrawler.state.store import ArticleState, NotArticle, StateStore

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


def _parsed(text: str) -> datetime | None:
    """An ISO 8601 or RFC 822 date as written (its own offset, or naive)."""
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        try:
            return parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None


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
    when = _parsed(value.strip())
    if when is None:
        return None
    try:
        return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    except OverflowError:  # 9999-12-31T23:59:59-01:00 is past the last representable instant
        return None


def _day_only(value: object) -> date | None:
    """The day of a date written without a time ("2025-11-20"), else None.

    >>> _day_only("2025-11-20"), _day_only("2025-11-20T09:30:00+00:00")
    (datetime.date(2025, 11, 20), None)
    """
    if not isinstance(value, str) or len(value.strip()) != len("yyyy-mm-dd"):
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def utc_now() -> datetime:
    return datetime.now(UTC)


def listed_as_newer(lastmod: object, known: ArticleState) -> bool | None:
    """Whether a listing's lastmod is newer than what the state remembers (None: unparsable).

    A date without a time (a feed or a page that gives only the day) covers that whole day: the
    listing is newer than it only on a later day, each day read as written (a feed's timed
    pubDate against the page's shown day). A remembered time on that day or later is the more
    precise memory, and the one compared.

    >>> shown = ArticleState("https://ex.com/a", "id", "hash", 1, "", "", "2025-11-20")
    >>> [listed_as_newer(v, shown) for v in ("Thu, 20 Nov 2025 09:30:00 +0000",
    ...  "2025-11-20T23:30:00-05:00", "2025-11-21T00:10:00+01:00", "2025-11-21", "soon")]
    [False, False, True, True, None]
    >>> timed = ArticleState("https://ex.com/a", "id", "hash", 1, "", "", "2025-11-20T05:00+05:00")
    >>> [listed_as_newer(v, timed) for v in ("2025-11-20", "2025-11-21", "2025-11-20T01:00Z")]
    [False, True, True]
    >>> both = ArticleState("https://ex.com/a", "id", "hash", 1, "", "", "2025-11-20",
    ...                     lastmod="2025-11-20T09:30:00Z")  # listed by the feed, then updated
    >>> listed_as_newer("2025-11-20T15:00:00Z", both), listed_as_newer("2025-11-20T09:30Z", both)
    (True, False)
    """
    when = parse_when(lastmod)
    if when is None:
        return None
    text = str(lastmod).strip()
    listed_day, listed_timed = (_parsed(text) or when).date(), _day_only(text) is None
    times: list[tuple[datetime, date]] = []  # (instant, day as written)
    days: list[date] = []
    for value in (known.lastmod, known.date_modified, known.date_published):
        remembered = parse_when(value)
        if remembered is None:
            continue
        day = _day_only(value)
        if day is None:
            times.append((remembered, (_parsed(str(value).strip()) or remembered).date()))
        else:
            days.append(day)
    days = [day for day in days if not any(written >= day for _, written in times)]
    after_times = all(
        when > instant if listed_timed else listed_day > written for instant, written in times
    )
    return after_times and all(listed_day > day for day in days)


class KnownArticleMiddleware:
    """Spider middleware dropping requests for known, unchanged articles and for recently judged
    non-article pages (both counted in stats)."""

    def __init__(
        self,
        store: StateStore,
        stats: StatsCollector,
        *,
        full: bool = False,
        recheck_not_articles: timedelta = timedelta(days=7),
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.store = store
        self.stats = stats
        self.full = full
        self.recheck_not_articles = recheck_not_articles
        self.clock = clock  # injected by tests: the recheck period is measured on it
        self.skipped: set[str] = set()
        self.skipped_not_articles: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> KnownArticleMiddleware:
        from newscrawler.state.delivery import attached_state

        store, stats, full = attached_state(crawler)
        days = crawler.settings.getfloat("NEWSCRAWLER_RECHECK_NOT_ARTICLES_DAYS", 7.0)
        middleware = cls(store, stats, full=full, recheck_not_articles=timedelta(days=max(days, 0)))
        crawler.signals.connect(middleware.note_not_article, signal=page_not_article)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def note_not_article(self, urls: list[str], lastmod: str | None = None, **_: Any) -> None:
        """Remember a page judged no article (`page_not_article` signal), under each of its URLs."""
        if self.recheck_not_articles <= timedelta(0):
            return
        now = self.clock().isoformat(timespec="seconds")
        for url in dict.fromkeys(urls):
            self.store.note_not_article(url, now, lastmod if isinstance(lastmod, str) else None)

    def spider_closed(self, **_: Any) -> None:
        if self.skipped_not_articles:
            logger.info(
                "Not fetched again: %d listed pages judged no article within the last %g days"
                " (NEWSCRAWLER_RECHECK_NOT_ARTICLES_DAYS; --full fetches them)",
                len(self.skipped_not_articles),
                self.recheck_not_articles / timedelta(days=1),
            )

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
            if self._recently_judged_not_article(request):
                return True
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

    def _recently_judged_not_article(self, request: Request) -> bool:
        """A page judged no article less than the recheck period ago, and listed with no newer
        lastmod than it had then."""
        if self.full or self.recheck_not_articles <= timedelta(0):
            return False
        if request.meta.get(KIND_META) != "article":
            return False  # listings, feeds and sitemaps are always fetched
        judged = self.store.not_article(request.url)
        if judged is None or not self._still_judged(judged, request.meta.get(LASTMOD_META)):
            return False
        if judged.url not in self.skipped_not_articles:
            self.skipped_not_articles.add(judged.url)
            self.stats.inc_value("newscrawler/state/skipped_not_article")
        return True

    def _still_judged(self, judged: NotArticle, lastmod: object) -> bool:
        checked = parse_when(judged.checked_at)
        if checked is None or self.clock() - checked >= self.recheck_not_articles:
            return False
        listed = parse_when(lastmod)
        if listed is None:
            return True
        previous = parse_when(judged.lastmod)
        return listed <= (previous or checked)
