"""The state's Scrapy components built from plain values: pipeline, middleware, extension."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scrapy import Request
from scrapy.utils.test import get_crawler

from newscrawler.extensions.context import (
    KIND_META,
    LASTMOD_META,
    NEW_LISTED_META,
    feed_output,
    is_finalized,
)
from newscrawler.feeds import part_path
from newscrawler.items import Article
from newscrawler.state import SqliteStateStore, Staged, lock_for
from newscrawler.state.delivery import StateExtension
from newscrawler.state.middleware import (
    KnownArticleMiddleware,
    _day_only,
    listed_as_newer,
    parse_when,
)
from newscrawler.state.pipeline import IncrementalPipeline, UnchangedArticle
from newscrawler.state.store import ArticleState

URL = "https://news.example/2026/11/a-story/"


def article(body: str = "First paragraph.", **fields: Any) -> Article:
    values: dict[str, Any] = {
        "id": "0123456789abcdef",
        "url": URL + "?utm_source=rss",
        "canonical_url": URL,
        "site": "news.example",
        "headline": "A story",
        "body": body,
        "authors": ["Ana Lima"],
        "date_published": "2026-11-20T08:00:00+01:00",
        "crawled_at": "2026-11-28T10:00:00Z",
    }
    return Article(**{**values, **fields})


class Response:
    """What the extension reads of a response: its meta."""

    def __init__(self, **meta: Any) -> None:
        self.meta = meta


@pytest.fixture
def stats() -> Any:
    return get_crawler().stats


@pytest.fixture
def extension(tmp_path: Path, stats: Any) -> StateExtension:
    lock = lock_for(tmp_path, "news.example")
    lock.acquire()
    store = SqliteStateStore(tmp_path / "news.example.sqlite3")
    ext = StateExtension(
        store, lock, stats, site="news.example", output=tmp_path / "out" / "run.jsonl"
    )
    ext.spider_opened()
    yield ext
    ext.engine_stopped()


def deliver(extension: StateExtension, *items: Article, lastmod: str | None = None) -> None:
    """What one run does with emitted items: stage them, finalize the file, commit."""
    for item in items:
        extension.item_scraped(item, Response(**{LASTMOD_META: lastmod} if lastmod else {}))
    assert extension.output is not None
    extension.output.parent.mkdir(parents=True, exist_ok=True)
    extension.output.write_text("...")
    extension.feed_finalized(extension.output)


def test_pipeline_gives_new_articles_revision_1_and_counts_them(
    extension: StateExtension, stats: Any
) -> None:
    pipeline = IncrementalPipeline(extension.store, stats)
    item = pipeline.process_item(article())
    assert item.revision == 1
    assert stats.get_value("newscrawler/articles/new") == 1


def test_pipeline_counts_an_article_once_whatever_the_copies(
    extension: StateExtension, stats: Any
) -> None:
    pipeline = IncrementalPipeline(extension.store, stats)
    pipeline.process_item(article())
    pipeline.process_item(article(url=URL + "amp/"))
    assert stats.get_value("newscrawler/articles/new") == 1


def test_pipeline_drops_unchanged_and_bumps_changed(extension: StateExtension, stats: Any) -> None:
    deliver(extension, article())
    pipeline = IncrementalPipeline(extension.store, stats)
    later = article(crawled_at="2026-11-29T10:00:00Z")  # fetch details differ, content does not
    with pytest.raises(UnchangedArticle, match="unchanged since revision 1"):
        pipeline.process_item(later)
    next_run = IncrementalPipeline(extension.store, stats)
    changed = next_run.process_item(article(body="First paragraph, corrected."))
    assert changed.revision == 2
    assert stats.get_value("newscrawler/articles/unchanged") == 1
    assert stats.get_value("newscrawler/articles/updated") == 1


def test_full_run_re_emits_unchanged_with_their_revision(
    extension: StateExtension, stats: Any
) -> None:
    deliver(extension, article())
    pipeline = IncrementalPipeline(extension.store, stats, full=True)
    assert pipeline.process_item(article()).revision == 1


def test_delivery_happens_only_when_the_feed_is_finalized(extension: StateExtension) -> None:
    extension.item_scraped(article(), Response())
    assert extension.store.get(URL) is None
    deliver(extension)
    state = extension.store.get(URL)
    assert state is not None
    assert state.delivered_to == str(extension.output)
    assert extension.stats.get_value("newscrawler/state/delivered") == 1


def test_unchanged_articles_record_the_lastmod_they_were_listed_with(
    extension: StateExtension,
) -> None:
    deliver(extension, article())
    extension.item_dropped(
        article(), Response(**{LASTMOD_META: "2026-11-27"}), UnchangedArticle("x")
    )
    state = extension.store.get(URL)
    assert state is not None
    assert state.lastmod == "2026-11-27"


def known(**dates: str | None) -> ArticleState:
    return ArticleState(URL, "id", "h", 1, "t", "t", **dates)


@pytest.mark.parametrize(
    ("lastmod", "state", "expected"),
    [
        ("2026-11-21", known(date_published="2026-11-20T08:00:00+01:00"), True),
        ("2026-11-20T07:00:00Z", known(date_published="2026-11-20T08:00:00+01:00"), False),
        ("2026-11-21", known(date_modified="2026-11-22T00:00:00Z"), False),
        ("2026-11-21", known(lastmod="2026-11-21"), False),
        ("Sun, 22 Nov 2026 10:00:00 GMT", known(lastmod="2026-11-21"), True),
        ("2026-11-21", known(), True),
        ("yesterday-ish", known(), None),
        # a day without a time covers the whole day (issue 13: a feed's timed pubDate against
        # the day the page shows), each side's day read as written
        ("Fri, 20 Nov 2026 09:30:00 +0000", known(date_published="2026-11-20"), False),
        ("2026-11-20T23:30:00-05:00", known(date_published="2026-11-20"), False),
        ("2026-11-21T00:00:00+00:00", known(date_published="2026-11-20"), True),
        ("2026-11-20", known(date_published="2026-11-20T23:00:00+01:00"), False),
        ("2026-11-21", known(date_published="2026-11-20T23:00:00+01:00"), True),
        # written late on the 19th in New York (already the 20th in UTC): a feed's day-only
        # "2026-11-20" is a later day as written, though its midnight is not a later instant
        ("2026-11-20", known(date_published="2026-11-19T23:00:00-05:00"), True),
        # a remembered time on that day or later is the more precise memory
        (
            "2026-11-20T15:00:00Z",
            known(date_published="2026-11-20", lastmod="2026-11-20T09:30Z"),
            True,
        ),
        (
            "2026-11-20T09:30:00Z",
            known(date_published="2026-11-20", lastmod="2026-11-20T09:30Z"),
            False,
        ),
        (
            "2026-11-20T15:00:00Z",
            known(date_published="2026-11-20", lastmod="2026-11-19T09:30Z"),
            False,
        ),
    ],
)
def test_listed_as_newer(lastmod: str, state: ArticleState, expected: bool | None) -> None:
    assert listed_as_newer(lastmod, state) is expected


@pytest.mark.parametrize("value", [None, 20261120, "2026-11-2", "2026-13-40", " 2026-11-20T1"])
def test_only_a_written_day_without_a_time_is_a_day(value: object) -> None:
    assert _day_only(value) is None
    assert _day_only(" 2026-11-20 ") == date(2026, 11, 20)


async def passed(middleware: KnownArticleMiddleware, requests: list[Request]) -> list[Any]:
    """What the middleware lets through of a callback's output."""

    async def output() -> AsyncIterator[Request]:
        for request in requests:
            yield request

    return [request async for request in middleware.process_spider_output(None, output())]


def test_middleware_drops_known_articles_unless_listed_newer(
    extension: StateExtension, stats: Any
) -> None:
    deliver(extension, article(date_modified="2026-11-25T00:00:00Z"))
    middleware = KnownArticleMiddleware(extension.store, stats)
    requests = [
        Request(URL, meta={KIND_META: "article"}),  # known, no lastmod: skipped
        Request(URL + "?utm_source=x", meta={LASTMOD_META: "2026-11-24"}),  # known, older
        Request(URL + "#top", meta={LASTMOD_META: "2026-11-26T09:00:00Z"}),  # known, newer
        Request("https://news.example/new/", meta={KIND_META: "article", LASTMOD_META: "x"}),
        Request("https://news.example/linked/", meta={KIND_META: "article"}),  # not from a source
        Request("https://news.example/sitemap.xml", meta={KIND_META: "sitemap"}),
    ]
    kept = asyncio.run(passed(middleware, requests))
    assert [r.url for r in kept] == [
        URL + "#top",
        "https://news.example/new/",
        "https://news.example/linked/",
        "https://news.example/sitemap.xml",
    ]
    # one page, dropped for two links, then fetched after all for the newer one: not skipped
    assert stats.get_value("newscrawler/state/skipped_known") == 0
    assert stats.get_value("newscrawler/state/refetched_listed_newer") == 1
    assert stats.get_value("newscrawler/sources/new_listed") == 1
    # marked, so the spider takes the count back if the page is no article
    assert [r.url for r in kept if r.meta.get(NEW_LISTED_META)] == ["https://news.example/new/"]


def test_middleware_lets_everything_through_on_a_full_run(
    extension: StateExtension, stats: Any
) -> None:
    deliver(extension, article())
    middleware = KnownArticleMiddleware(extension.store, stats, full=True)
    assert not middleware.skip(Request(URL))


def test_middleware_skips_pages_judged_no_article_until_recheck_or_newer_listing(
    extension: StateExtension, stats: Any
) -> None:
    store = extension.store
    now = datetime.now(UTC)
    recent, old = now - timedelta(days=1), now - timedelta(days=8)
    store.note_not_article("https://news.example/video/1", recent.isoformat(), "2026-11-01")
    store.note_not_article("https://news.example/video/2", old.isoformat(), "2026-11-01")
    store.note_not_article("https://news.example/video/3", recent.isoformat())
    middleware = KnownArticleMiddleware(store, stats, recheck_not_articles=timedelta(days=7))

    def skipped(url: str, lastmod: str | None = None) -> bool:
        meta = {KIND_META: "article"} | ({LASTMOD_META: lastmod} if lastmod else {})
        return middleware.skip(Request(url, meta=meta))

    assert skipped("https://news.example/video/1")
    assert skipped("http://www.news.example/video/1?utm_source=x", "2026-11-01")
    assert not skipped("https://news.example/video/1", "2026-11-02")  # listed as changed
    assert not skipped("https://news.example/video/2")  # judged 8 days ago: judge again
    assert skipped("https://news.example/video/3", (recent - timedelta(hours=1)).isoformat())
    assert not skipped("https://news.example/video/3", now.isoformat())
    assert stats.get_value("newscrawler/state/skipped_not_article") == 2  # pages, not requests
    for off in (
        KnownArticleMiddleware(store, stats, full=True),
        KnownArticleMiddleware(store, stats, recheck_not_articles=timedelta(0)),
    ):
        assert not off.skip(Request("https://news.example/video/1", meta={KIND_META: "article"}))
    listing = Request("https://news.example/video/1", meta={KIND_META: "listing"})
    assert not middleware.skip(listing)  # followed as a listing: always fetched
    middleware.note_not_article(["https://news.example/a", "https://news.example/b"], "2026-11-05")
    judged = store.not_article("https://news.example/b")
    assert judged is not None and judged.lastmod == "2026-11-05"


def test_feed_output_and_finalization(tmp_path: Path) -> None:
    from scrapy.settings import Settings

    target = tmp_path / "a.jsonl"
    assert feed_output(Settings({"FEEDS": {str(target): {}}})) == target
    assert feed_output(Settings({"FEEDS": {target.as_uri(): {}}})) == target
    assert feed_output(Settings({"FEEDS": {"s3://bucket/x.jsonl": {}}})) is None
    assert not is_finalized(target)
    part_path(target).write_text("partial")
    target.write_text("old")
    assert not is_finalized(target)  # an append run still in progress, or killed
    part_path(target).unlink()
    assert is_finalized(target)


def test_a_dead_runs_part_file_is_removed_when_its_run_is_discarded(
    tmp_path: Path, stats: Any
) -> None:
    store = SqliteStateStore(tmp_path / "s.sqlite3")
    killed, done = tmp_path / "out" / "killed.jsonl", tmp_path / "out" / "done.jsonl"
    killed.parent.mkdir()
    part_path(killed).write_text('{"id": "1"}\n')
    done.write_text('{"id": "2"}\n')
    store.begin_run("killed", killed, "t1")
    store.stage("killed", Staged("https://x.example/1", None, "1", "h", 1, "t1"))
    store.begin_run("done", done, "t2")
    store.stage("done", Staged("https://x.example/2", None, "2", "h", 1, "t2"))
    lock = lock_for(tmp_path, "x")
    extension = StateExtension(store, lock, stats, site="x", output=tmp_path / "out" / "new.jsonl")
    extension.spider_opened()
    assert not part_path(killed).exists()
    assert done.exists()
    assert store.get("https://x.example/2") is not None  # renamed before the kill: delivered
    assert store.get("https://x.example/1") is None  # never finalized: emitted again
    store.close()


aware_datetimes = st.datetimes(
    min_value=datetime(1990, 1, 1),
    max_value=datetime(2100, 1, 1),
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-7))]),
)


@given(aware_datetimes)
def test_parse_when_reads_iso_and_rfc822_as_the_same_instant(when: datetime) -> None:
    when = when.replace(microsecond=0)
    assert parse_when(when.isoformat()) == when
    assert parse_when(format_datetime(when)) == when
    assert parse_when(when.isoformat()).tzinfo == UTC  # type: ignore[union-attr]


@given(st.one_of(st.text(max_size=30), st.just("9999-12-31T23:59:59-01:00")))
def test_parse_when_never_raises(text: str) -> None:
    result = parse_when(text)
    assert result is None or result.tzinfo == UTC
