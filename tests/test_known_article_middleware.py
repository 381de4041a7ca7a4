"""KnownArticleMiddleware in-process: built from a real crawler, a real sqlite state, a fixed clock.

The crawl tests exercise it in a subprocess; these pin its decisions at each boundary (the
recheck period, lastmod equal to or one second past what was remembered), its counts and its
log lines, so that mutation testing sees them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from scrapy import Request, signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from newscrawler.extensions.context import KIND_META, LASTMOD_META, NEW_LISTED_META
from newscrawler.signals import page_not_article
from newscrawler.state import SqliteStateStore, Staged
from newscrawler.state.delivery import StateExtension
from newscrawler.state.middleware import KnownArticleMiddleware, parse_when

NOW = datetime(2026, 11, 28, 12, 0, 0, tzinfo=UTC)
URL = "https://news.example/2026/11/a-story/"
VIDEO = "https://news.example/video/1"


def at_now() -> datetime:
    return NOW


def middleware(store: SqliteStateStore, stats: Any, **options: Any) -> KnownArticleMiddleware:
    return KnownArticleMiddleware(store, stats, clock=at_now, **options)


def delivered(store: SqliteStateStore, url: str = URL, **dates: str) -> None:
    store.begin_run(url, None, "t")
    store.stage(url, Staged(url, None, "id", "h", 1, "t", **dates))
    store.commit_run(url)


def listed(url: str, lastmod: str | None = None, kind: str = "article") -> Request:
    return Request(url, meta={KIND_META: kind} | ({LASTMOD_META: lastmod} if lastmod else {}))


def iso(when: datetime) -> str:
    return when.isoformat()


# --- building it from a crawler ---------------------------------------------------------------


def test_from_crawler_uses_the_runs_store_stats_and_full_flag(state_crawler: Any) -> None:
    crawler = state_crawler(NEWSCRAWLER_FULL=True)
    extension = crawler.get_extension(StateExtension)
    built = KnownArticleMiddleware.from_crawler(crawler)
    assert built.store is extension.store
    assert built.stats is crawler.stats
    assert built.full is True
    assert KnownArticleMiddleware.from_crawler(state_crawler()).full is False


def test_from_crawler_without_state_is_not_configured() -> None:
    with pytest.raises(NotConfigured):
        KnownArticleMiddleware.from_crawler(get_crawler())


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (None, timedelta(days=7)),  # Scrapy's settings alone: the documented default
        (0.5, timedelta(hours=12)),
        (0, timedelta(0)),
        (-3, timedelta(0)),  # a negative period is no period
    ],
)
def test_the_recheck_period_comes_from_the_setting_in_days(
    state_crawler: Any, days: float | None, expected: timedelta
) -> None:
    settings = {} if days is None else {"NEWSCRAWLER_RECHECK_NOT_ARTICLES_DAYS": days}
    built = KnownArticleMiddleware.from_crawler(state_crawler(**settings))
    assert built.recheck_not_articles == expected


def test_a_page_judged_no_article_is_remembered_through_the_crawl_signal(
    state_crawler: Any,
) -> None:
    crawler = state_crawler()
    built = KnownArticleMiddleware.from_crawler(crawler)
    built.clock = at_now
    crawler.signals.send_catch_log(
        page_not_article, urls=[VIDEO, VIDEO + "?from=home"], lastmod="2026-11-20", spider=None
    )
    judged = built.store.not_article(VIDEO)
    assert judged is not None
    assert (judged.checked_at, judged.lastmod) == ("2026-11-28T12:00:00+00:00", "2026-11-20")
    assert built.skip(listed(VIDEO))


def test_the_closing_summary_is_logged_through_the_crawl_signal(
    state_crawler: Any, caplog: pytest.LogCaptureFixture
) -> None:
    crawler = state_crawler(NEWSCRAWLER_RECHECK_NOT_ARTICLES_DAYS=2.5)
    built = KnownArticleMiddleware.from_crawler(crawler)
    built.clock = at_now
    built.store.note_not_article(VIDEO, iso(NOW - timedelta(days=1)))
    built.store.note_not_article(VIDEO + "/2", iso(NOW - timedelta(days=1)))
    for url in (VIDEO, VIDEO, VIDEO + "/2"):
        assert built.skip(listed(url))
    with caplog.at_level(logging.INFO, logger="newscrawler.state.middleware"):
        crawler.signals.send_catch_log(signals.spider_closed, spider=None, reason="finished")
    assert [r.getMessage() for r in caplog.records if r.name == "newscrawler.state.middleware"] == [
        "Not fetched again: 2 listed pages judged no article within the last 2.5 days"
        " (NEWSCRAWLER_RECHECK_NOT_ARTICLES_DAYS; --full fetches them)"
    ]


def test_no_closing_summary_when_no_page_was_spared(
    store: SqliteStateStore, stats: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="newscrawler.state.middleware"):
        middleware(store, stats).spider_closed()
    assert not [r for r in caplog.records if r.name == "newscrawler.state.middleware"]


# --- what passes ------------------------------------------------------------------------------


async def through(stage: Any, entries: list[Any]) -> list[Any]:
    async def source() -> AsyncIterator[Any]:
        for entry in entries:
            yield entry

    return [entry async for entry in stage(source())]


def test_start_requests_and_callback_output_are_filtered_alike_and_items_pass(
    store: SqliteStateStore, stats: Any
) -> None:
    delivered(store)
    known_article = middleware(store, stats)
    item = {"url": URL}
    entries = [listed(URL), item, listed("https://news.example/other/")]
    for stage in (
        known_article.process_start,
        lambda result: known_article.process_spider_output(None, result),
    ):
        kept = asyncio.run(through(stage, entries))
        assert kept == [item, entries[2]]
    assert stats.get_value("newscrawler/state/skipped_known") == 1  # one page, however often


# --- known articles ---------------------------------------------------------------------------


def test_a_known_article_listed_with_the_same_lastmod_is_skipped_one_second_later_fetched(
    store: SqliteStateStore, stats: Any
) -> None:
    delivered(store, date_modified="2026-11-25T10:00:00+00:00")
    known_article = middleware(store, stats)
    assert known_article.skip(listed(URL, "2026-11-25T10:00:00Z"))
    assert not known_article.skip(listed(URL, "2026-11-25T10:00:01Z"))
    assert stats.get_value("newscrawler/state/refetched_listed_newer") == 1
    assert stats.get_value("newscrawler/state/skipped_known") == 0  # fetched after all


def test_a_known_article_skipped_for_an_undated_link_is_counted_once(
    store: SqliteStateStore, stats: Any
) -> None:
    delivered(store)
    delivered(store, "https://news.example/other/")
    known_article = middleware(store, stats)
    assert known_article.skip(listed(URL))
    assert known_article.skip(listed(URL + "?utm_source=x"))
    assert known_article.skip(listed("https://news.example/other/"))
    assert stats.get_value("newscrawler/state/skipped_known") == 2
    assert not known_article.skip(listed(URL, "2026-12-01"))  # listed as changed
    assert stats.get_value("newscrawler/state/skipped_known") == 1
    assert not known_article.skip(listed(URL, "2026-12-02"))  # its skip was taken back once
    assert stats.get_value("newscrawler/state/skipped_known") == 1
    assert stats.get_value("newscrawler/state/refetched_listed_newer") == 2


def test_an_unparsable_lastmod_fetches_a_known_article_and_says_so(
    store: SqliteStateStore, stats: Any, caplog: pytest.LogCaptureFixture
) -> None:
    delivered(store)
    with caplog.at_level(logging.INFO, logger="newscrawler.state.middleware"):
        assert not middleware(store, stats).skip(listed(URL, "last tuesday"))
    assert stats.get_value("newscrawler/state/lastmod_unparsable") == 1
    assert stats.get_value("newscrawler/state/skipped_known") is None
    assert [r.getMessage() for r in caplog.records if r.name.startswith("newscrawler")] == [
        f"Unparsable lastmod 'last tuesday' for {URL}: fetching it again"
    ]


def test_a_full_run_fetches_known_articles_and_recently_judged_pages(
    store: SqliteStateStore, stats: Any
) -> None:
    delivered(store)
    store.note_not_article(VIDEO, iso(NOW - timedelta(hours=1)))
    full = middleware(store, stats, full=True)
    assert not full.skip(listed(URL))
    assert not full.skip(listed(VIDEO))
    assert stats.get_value("newscrawler/state/skipped_not_article") is None
    assert middleware(store, stats).skip(listed(VIDEO))  # the same page, not full: skipped


# --- new pages --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "lastmod", "counted"),
    [("article", "2026-11-27", True), ("article", None, False), ("listing", "2026-11-27", False)],
)
def test_only_a_new_dated_article_listing_counts_as_new_listed(
    store: SqliteStateStore, stats: Any, kind: str, lastmod: str | None, counted: bool
) -> None:
    request = listed("https://news.example/new/", lastmod, kind)
    assert not middleware(store, stats).skip(request)
    assert stats.get_value("newscrawler/sources/new_listed") == (1 if counted else None)
    assert request.meta.get(NEW_LISTED_META) is (True if counted else None)


# --- pages judged no article ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "skipped"),
    [
        (timedelta(days=7) - timedelta(seconds=1), True),
        (timedelta(days=7), False),  # the recheck period is over: judged again
        (timedelta(seconds=0), True),
    ],
)
def test_a_page_judged_no_article_is_spared_for_exactly_the_recheck_period(
    store: SqliteStateStore, stats: Any, age: timedelta, skipped: bool
) -> None:
    store.note_not_article(VIDEO, iso(NOW - age))
    assert middleware(store, stats).skip(listed(VIDEO)) is skipped  # 7 days: the default
    assert stats.get_value("newscrawler/state/skipped_not_article") == (1 if skipped else None)


def test_with_rechecking_off_even_a_judgement_dated_ahead_of_the_clock_is_not_trusted(
    store: SqliteStateStore, stats: Any
) -> None:
    """A state written by a machine whose clock ran ahead, or before the clock was set back."""
    store.note_not_article(VIDEO, iso(NOW + timedelta(hours=1)))
    assert middleware(store, stats).skip(listed(VIDEO))  # within the default 7 days: spared
    assert not middleware(store, stats, recheck_not_articles=timedelta(0)).skip(listed(VIDEO))


def test_a_judgement_with_an_unreadable_date_is_not_trusted(
    store: SqliteStateStore, stats: Any
) -> None:
    store.note_not_article(VIDEO, "some day")
    assert not middleware(store, stats).skip(listed(VIDEO))


@pytest.mark.parametrize(
    ("judged_lastmod", "listed_lastmod", "skipped"),
    [
        ("2026-11-20T00:00:00Z", "2026-11-20T00:00:00Z", True),  # listed as when judged
        ("2026-11-20T00:00:00Z", "2026-11-20T00:00:01Z", False),  # changed since
        ("2026-11-20T00:00:00Z", "2026-11-19", True),
        # judged without a lastmod: compared with when it was judged (NOW - 1 day)
        (None, "2026-11-27T12:00:00Z", True),
        (None, "2026-11-27T12:00:01Z", False),
        (None, None, True),
        (None, "not a date", True),  # no usable listing date: the judgement stands
    ],
)
def test_a_page_judged_no_article_is_fetched_again_when_listed_as_changed_since(
    store: SqliteStateStore,
    stats: Any,
    judged_lastmod: str | None,
    listed_lastmod: str | None,
    skipped: bool,
) -> None:
    store.note_not_article(VIDEO, iso(NOW - timedelta(days=1)), judged_lastmod)
    assert middleware(store, stats).skip(listed(VIDEO, listed_lastmod)) is skipped


def test_pages_judged_no_article_are_counted_once_each(store: SqliteStateStore, stats: Any) -> None:
    for url in (VIDEO, VIDEO + "/2"):
        store.note_not_article(url, iso(NOW - timedelta(days=1)))
    spare = middleware(store, stats)
    for url in (VIDEO, VIDEO + "?utm_source=x", VIDEO + "/2", VIDEO):
        assert spare.skip(listed(url))
    assert stats.get_value("newscrawler/state/skipped_not_article") == 2


@pytest.mark.parametrize("kind", ["listing", "feed", "sitemap", None])
def test_a_page_judged_no_article_is_always_fetched_as_a_listing(
    store: SqliteStateStore, stats: Any, kind: str | None
) -> None:
    store.note_not_article(VIDEO, iso(NOW - timedelta(days=1)))
    request = Request(VIDEO, meta={} if kind is None else {KIND_META: kind})
    assert not middleware(store, stats).skip(request)


@pytest.mark.parametrize(
    ("recheck", "remembered"),
    [(timedelta(hours=12), True), (timedelta(seconds=1), True), (timedelta(0), False)],
)
def test_pages_judged_no_article_are_remembered_unless_rechecking_is_off(
    store: SqliteStateStore, stats: Any, recheck: timedelta, remembered: bool
) -> None:
    judge = middleware(store, stats, recheck_not_articles=recheck)
    judge.note_not_article([VIDEO, VIDEO, VIDEO + "?amp=1"], "2026-11-20")
    judged = store.not_article(VIDEO)
    assert (judged is not None) is remembered
    if judged is not None:
        assert (judged.checked_at, judged.lastmod) == ("2026-11-28T12:00:00+00:00", "2026-11-20")
        assert judge.skip(listed(VIDEO))  # judged just now: spared
    assert store.count_not_articles() == (1 if remembered else 0)


def test_a_lastmod_that_is_no_string_is_not_remembered(store: SqliteStateStore, stats: Any) -> None:
    middleware(store, stats).note_not_article([VIDEO], lastmod=20261120)  # type: ignore[arg-type]
    judged = store.not_article(VIDEO)
    assert judged is not None and judged.lastmod is None


def test_recorded_judgements_keep_whole_seconds_of_the_clock(
    store: SqliteStateStore, stats: Any
) -> None:
    judge = KnownArticleMiddleware(store, stats, clock=lambda: NOW.replace(microsecond=654321))
    judge.note_not_article([VIDEO])
    judged = store.not_article(VIDEO)
    assert judged is not None and judged.checked_at == "2026-11-28T12:00:00+00:00"


def test_the_default_clock_is_the_current_utc_time(store: SqliteStateStore, stats: Any) -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    KnownArticleMiddleware(store, stats).note_not_article([VIDEO])
    judged = store.not_article(VIDEO)
    assert judged is not None
    checked = datetime.fromisoformat(judged.checked_at)
    assert checked.tzinfo is not None and checked.utcoffset() == timedelta(0)
    assert checked >= before


# --- parse_when -------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [None, 20261128, "", "   ", "\n"])
def test_parse_when_of_nothing_is_none(value: object) -> None:
    assert parse_when(value) is None


def test_parse_when_strips_surrounding_space() -> None:
    assert parse_when(" 2026-11-28T10:00:00Z\n") == datetime(2026, 11, 28, 10, tzinfo=UTC)
    assert parse_when(" Sat, 28 Nov 2026 10:00:00 GMT ") == datetime(2026, 11, 28, 10, tzinfo=UTC)


def test_parse_when_of_a_time_past_the_last_representable_instant_is_none() -> None:
    assert parse_when("9999-12-31T23:59:59-01:00") is None


def test_parse_when_gives_utc_whatever_the_machines_zone(new_york_local_time: None) -> None:
    when = parse_when("2026-11-28T10:00:00+01:00")
    assert when is not None
    assert when.utcoffset() == timedelta(0)
    assert when.tzname() == "UTC"
    naive = parse_when("2026-11-28T10:00:00")  # no zone given: UTC, not the machine's
    assert naive == datetime(2026, 11, 28, 10, tzinfo=UTC)
