"""Exactly-once delivery, driven in-process through a real crawler's signals (no network).

Each `Run` is one scheduled run of a site as Scrapy's signals carry it: the StateExtension is built
by the crawler from its settings (as `newscrawler crawl` configures it), articles are written to
the run's `.part` file and announced with `item_scraped`, the feed storage's rename is announced
with `feed_finalized`, and `engine_stopped` ends the run. A run "killed" is one whose remaining
signals never come. What the state holds is read back from the sqlite file by a new store, as the
next run would.
"""

from __future__ import annotations

import inspect
import json
import logging
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from itemadapter import ItemAdapter
from pydispatch.dispatcher import getAllReceivers, liveReceivers
from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from newscrawler.discovery.classify import Kind, classify_candidate
from newscrawler.extensions.context import LASTMOD_META
from newscrawler.feeds import part_path
from newscrawler.items import Article
from newscrawler.signals import feed_finalized
from newscrawler.spiders.news import NewsSpider
from newscrawler.state import (
    ArticleState,
    SiteLockedError,
    SqliteStateStore,
    StateError,
    content_hash,
    lock_for,
    store_path,
    url_key,
)
from newscrawler.state.delivery import StateExtension, attached_state, utc_now
from newscrawler.state.pipeline import UnchangedArticle
from newscrawler.state.store import NotArticle
from newscrawler.state.templates import TemplateMemory

SITE = "news.example"
URL = "https://news.example/2026/11/a-story/"
STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def article(canonical: str = URL, body: str = "First paragraph.", **fields: Any) -> Article:
    values: dict[str, Any] = {
        "id": "0123456789abcdef",
        "url": canonical + "?utm_source=rss",
        "canonical_url": canonical,
        "site": SITE,
        "headline": "A story",
        "body": body,
        "date_published": "2026-11-20T08:00:00+01:00",
        "date_modified": "2026-11-21T09:30:00+01:00",
        "crawled_at": "2026-11-28T10:00:00Z",
    }
    return Article(**{**values, **fields})


def fetched(url: str, **meta: Any) -> HtmlResponse:
    """The response an article came from; the spider put the listing's lastmod in its meta."""
    return HtmlResponse(url, body=b"<html></html>", request=Request(url, meta=meta))


def sent(crawler: Crawler, signal: object, **arguments: Any) -> None:
    """Send a signal to the receivers connected to it on the crawler, as Scrapy's dispatcher
    does: each gets the named arguments its signature accepts. A receiver that raises fails the
    test (Scrapy would only log it).

    Scrapy's `send_catch_log` reads the receiver's code object to pick the arguments, so it passes
    everything to the `*args, **kwargs` wrapper `make mutate` puts around each method, and the
    method then refuses the arguments it does not take; `inspect.signature` sees through it.
    """
    receivers = liveReceivers(getAllReceivers(crawler.signals.sender, signal))
    for receiver in receivers:
        accepted = inspect.signature(receiver).parameters
        receiver(**{name: value for name, value in arguments.items() if name in accepted})


class Run:
    """One run of the site, its extension built by the crawler from the run's settings."""

    def __init__(
        self,
        state_dir: Path,
        output: Path | None,
        *,
        opened: bool = True,
        memory: bool = False,
        **settings: Any,
    ) -> None:
        self.output = output
        feeds = {str(output): {"format": "jsonl"}} if output is not None else {}
        self.crawler = get_crawler(
            settings_dict={
                "EXTENSIONS_BASE": {},  # only the extension under test listens
                "EXTENSIONS": {"newscrawler.state.delivery.StateExtension": 100},
                "NEWSCRAWLER_STATE_ENABLED": True,
                "NEWSCRAWLER_STATE_DIR": str(state_dir),
                "NEWSCRAWLER_SITE": SITE,
                "FEEDS": feeds,
                **settings,
            }
        )
        extension = self.crawler.get_extension(StateExtension)
        assert extension is not None
        self.extension = extension
        self.stats = self.crawler.stats
        # the spider middleware, built by Scrapy after the extensions (and kept alive by it)
        self.memory = TemplateMemory.from_crawler(self.crawler) if memory else None
        if opened:
            self.open()

    def open(self, spider: Spider | None = None) -> None:
        sent(self.crawler, signals.spider_opened, spider=spider)

    def emit(self, item: Any, *, lastmod: str | None = None, from_start: bool = False) -> None:
        """Write one article to the `.part` file, as the feed exporter does, and announce it
        with the response it came from (none for an item the spider's `start` yielded)."""
        assert self.output is not None
        self.output.parent.mkdir(parents=True, exist_ok=True)
        with part_path(self.output).open("a", encoding="utf-8") as part:
            part.write(json.dumps(ItemAdapter(item).asdict()) + "\n")
        url = str(ItemAdapter(item).get("url") or URL)
        meta = {LASTMOD_META: lastmod} if lastmod else {}
        response = None if from_start else fetched(url, **meta)
        sent(self.crawler, signals.item_scraped, item=item, response=response)

    def finalize(self) -> None:
        """The feed storage's rename of the `.part` file to its final name, and its signal."""
        assert self.output is not None
        part_path(self.output).replace(self.output)
        sent(self.crawler, feed_finalized, path=self.output)

    def stop(self, spider: Spider | None = None) -> None:
        sent(self.crawler, signals.spider_closed, spider=spider, reason="finished")
        sent(self.crawler, signals.engine_stopped)

    def stat(self, name: str) -> Any:
        assert self.stats is not None
        return self.stats.get_value(f"newscrawler/{name}")


def known(state_dir: Path, url: str = URL) -> ArticleState | None:
    """What the site's state on disk says of `url`, as the next run would read it."""
    store = SqliteStateStore(store_path(state_dir, SITE))
    try:
        return store.get(url)
    finally:
        store.close()


PROBE = """
import sys
from pathlib import Path
from newscrawler.state import SiteLockedError, lock_for
try:
    lock_for(Path(sys.argv[1]), sys.argv[2]).acquire()
except SiteLockedError:
    sys.exit(3)
"""


def another_process_gets_the_lock(state_dir: Path) -> bool:
    probe = subprocess.run(
        [sys.executable, "-c", PROBE, str(state_dir), SITE], capture_output=True, check=False
    )
    assert probe.returncode in (0, 3), probe.stderr
    return probe.returncode == 0


@pytest.fixture
def log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO, logger="newscrawler.state")
    return caplog


def said(log: pytest.LogCaptureFixture) -> list[tuple[str, str]]:
    """What the state components logged (level name, message), in order."""
    return [
        (record.levelname, record.getMessage())
        for record in log.records
        if record.name.startswith("newscrawler.state")
    ]


def test_a_run_delivers_what_it_wrote_once_its_file_is_finalized(
    tmp_path: Path, log: pytest.LogCaptureFixture
) -> None:
    state_dir, output = tmp_path / "state", tmp_path / "out" / "run-1.jsonl"
    before = utc_now()
    run = Run(state_dir, output)
    assert said(log) == [("INFO", f"State of {SITE}: 0 known articles")]
    assert run.stat("state/known_articles") == 0
    item = article(url="https://news.example/?p=123")  # fetched by its shortlink
    run.emit(item, lastmod="2026-11-21")
    run.emit(article("https://news.example/2026/11/b-story/"))
    assert run.stat("state/staged") == 2
    assert known(state_dir) is None  # in the .part file only: not delivered
    run.finalize()
    assert run.stat("state/delivered") == 2
    assert said(log)[-1] == ("INFO", f"State of {SITE}: 2 articles marked delivered in {output}")
    run.stop()
    after = utc_now()
    delivered = known(state_dir)
    assert delivered is not None
    assert known(state_dir, "https://news.example/?p=123") == delivered  # by its fetched URL too
    assert delivered.canonical_url == url_key(URL)
    assert delivered.article_id == "0123456789abcdef"
    assert delivered.content_hash == content_hash(asdict(item))
    assert delivered.revision == 1
    assert delivered.date_published == "2026-11-20T08:00:00+01:00"
    assert delivered.date_modified == "2026-11-21T09:30:00+01:00"
    assert delivered.lastmod == "2026-11-21"
    assert delivered.delivered_to == str(output)
    assert delivered.first_seen == delivered.last_seen
    assert STAMP.match(delivered.first_seen)
    assert before <= delivered.first_seen <= after
    other = known(state_dir, "https://news.example/2026/11/b-story/")
    assert other is not None and other.lastmod is None  # listed with no lastmod


def test_the_site_stays_locked_for_the_whole_run_and_is_free_after(tmp_path: Path) -> None:
    state_dir = tmp_path / "state"
    run = Run(state_dir, tmp_path / "out" / "run.jsonl")
    assert run.extension.lock.held
    assert not another_process_gets_the_lock(state_dir)
    run.stop()
    assert not run.extension.lock.held
    assert another_process_gets_the_lock(state_dir)


def test_the_next_run_knows_the_articles_and_records_their_new_revision(tmp_path: Path) -> None:
    state_dir = tmp_path / "state"
    first = Run(state_dir, tmp_path / "out" / "run-1.jsonl")
    first.emit(article())
    first.finalize()
    first.stop()
    second = Run(state_dir, tmp_path / "out" / "run-2.jsonl", NEWSCRAWLER_FULL=True)
    assert second.stat("state/known_articles") == 1
    _, _, full = attached_state(second.crawler)
    assert full
    second.emit(article(body="First paragraph, corrected.", revision=2))
    second.finalize()
    second.stop()
    updated = known(state_dir)
    assert updated is not None
    assert updated.revision == 2
    assert updated.delivered_to == str(tmp_path / "out" / "run-2.jsonl")
    assert updated.first_seen <= updated.last_seen


def test_a_run_killed_before_its_file_was_finalized_loses_nothing(
    tmp_path: Path, log: pytest.LogCaptureFixture
) -> None:
    """The killed run's articles were never delivered: the next run forgets them, removes the
    `.part` file and emits them again."""
    state_dir = tmp_path / "state"
    killed = Run(state_dir, tmp_path / "out" / "run-1.jsonl")
    killed.emit(article())
    assert killed.output is not None and part_path(killed.output).exists()
    killed.extension.lock.release()  # SIGKILL: the kernel drops the lock, nothing else happens
    log.clear()
    after = Run(state_dir, tmp_path / "out" / "run-2.jsonl")
    assert not part_path(killed.output).exists()
    assert not killed.output.exists()
    assert after.stat("state/known_articles") == 0
    assert said(log) == [
        ("INFO", f"Removed {part_path(killed.output)}, left by a killed run"),
        ("WARNING", f"State of {SITE}: settled earlier interrupted runs: 0 committed (file "
         "finalized), 1 discarded (file never finalized, .part removed; their articles are "
         "emitted again by this run)"),
        ("INFO", f"State of {SITE}: 0 known articles"),
    ]  # fmt: skip
    assert known(state_dir) is None
    after.emit(article())  # emitted again, and delivered by this run
    after.finalize()
    after.stop()
    again = known(state_dir)
    assert again is not None and again.delivered_to == str(after.output)


def test_a_run_killed_after_its_file_was_finalized_is_committed_by_the_next(
    tmp_path: Path, log: pytest.LogCaptureFixture
) -> None:
    """Killed between the rename and the commit: the file exists, so its articles count as
    delivered (emitting them again would duplicate them)."""
    state_dir = tmp_path / "state"
    killed = Run(state_dir, tmp_path / "out" / "run-1.jsonl")
    killed.emit(article())
    assert killed.output is not None
    part_path(killed.output).replace(killed.output)  # renamed; no feed_finalized, no stop
    killed.extension.lock.release()
    log.clear()
    after = Run(state_dir, tmp_path / "out" / "run-2.jsonl")
    assert said(log) == [
        ("WARNING", f"State of {SITE}: settled earlier interrupted runs: 1 committed (file "
         "finalized), 0 discarded (file never finalized, .part removed; their articles are "
         "emitted again by this run)"),
        ("INFO", f"State of {SITE}: 1 known articles"),
    ]  # fmt: skip
    assert after.stat("state/known_articles") == 1
    assert killed.output.read_text(encoding="utf-8")  # the finalized file is left alone
    delivered = known(state_dir)
    assert delivered is not None and delivered.delivered_to == str(killed.output)
    after.stop()


def test_a_full_run_says_so(tmp_path: Path, log: pytest.LogCaptureFixture) -> None:
    run = Run(tmp_path / "state", tmp_path / "out" / "run.jsonl", NEWSCRAWLER_FULL=True)
    run.stop()
    assert said(log) == [
        ("INFO", f"State of {SITE}: 0 known articles (--full: all re-fetched and re-emitted)")
    ]


def test_settling_a_dead_run(tmp_path: Path, log: pytest.LogCaptureFixture) -> None:
    run = Run(tmp_path / "state", tmp_path / "out" / "run.jsonl")
    output, part = tmp_path / "old" / "run.jsonl", part_path(tmp_path / "old" / "run.jsonl")
    output.parent.mkdir()
    log.clear()
    assert not run.extension.settle(output)  # no file, no .part: nothing to remove
    assert said(log) == []
    part.mkdir()  # a .part that cannot be removed
    with pytest.raises(OSError) as refused:
        part.unlink()
    assert not run.extension.settle(output)
    assert said(log) == [
        ("WARNING", f"Could not remove {part} left by a killed run: {refused.value}")
    ]
    part.rmdir()
    output.write_text("{}\n")
    assert run.extension.settle(output)  # finalized: its articles were delivered
    assert output.exists()
    run.stop()


def test_items_are_keyed_by_canonical_url_else_by_url(tmp_path: Path) -> None:
    state_dir = tmp_path / "state"
    run = Run(state_dir, tmp_path / "out" / "run.jsonl")
    run.emit(article(canonical_url=None, url="https://news.example/no-canonical/", revision=3))
    run.emit({"url": "https://news.example/a-dict-item/", "headline": "x"})  # no revision field
    run.emit(article(canonical_url=None, url=None))  # nothing to key it by: not staged
    assert run.stat("state/staged") == 2
    run.finalize()
    run.stop()
    by_url = known(state_dir, "https://news.example/no-canonical/")
    assert by_url is not None and by_url.revision == 3
    plain = known(state_dir, "https://news.example/a-dict-item/")
    assert plain is not None and plain.revision == 1


def test_an_item_with_no_response_is_delivered_without_a_lastmod(tmp_path: Path) -> None:
    state_dir = tmp_path / "state"
    run = Run(state_dir, tmp_path / "out" / "run.jsonl")
    run.emit(article(), from_start=True)
    run.finalize()
    run.stop()
    delivered = known(state_dir)
    assert delivered is not None and delivered.lastmod is None


def test_an_item_with_no_key_stages_nothing(tmp_path: Path) -> None:
    run = Run(tmp_path / "state", tmp_path / "out" / "run.jsonl")
    run.emit(article(canonical_url=None, url=None))
    assert run.stat("state/staged") is None
    run.stop()


def test_unchanged_articles_record_when_they_were_seen_but_other_drops_do_not(
    tmp_path: Path,
) -> None:
    state_dir = tmp_path / "state"
    first = Run(state_dir, tmp_path / "out" / "run-1.jsonl")
    first.emit(article())
    first.finalize()
    first.stop()
    delivered = known(state_dir)
    assert delivered is not None
    second = Run(state_dir, tmp_path / "out" / "run-2.jsonl")

    def dropped(item: Article, exception: BaseException, **meta: Any) -> None:
        sent(
            second.crawler,
            signals.item_dropped,
            item=item,
            response=fetched(URL, **meta),
            exception=exception,
            spider=None,
        )

    dropped(article(), DropItem("too short"), **{LASTMOD_META: "2026-12-01"})
    assert known(state_dir) == delivered  # not an unchanged article: nothing recorded
    printed = article(url="https://news.example/print/a-story/")  # known by its canonical URL
    dropped(printed, UnchangedArticle("same"), **{LASTMOD_META: "2026-12-02"})
    touched = known(state_dir)
    assert touched is not None
    assert touched.lastmod == "2026-12-02"
    assert touched.last_seen >= delivered.last_seen and STAMP.match(touched.last_seen)
    dropped(article(canonical_url=None), UnchangedArticle("same"), **{LASTMOD_META: "2026-12-03"})
    by_url = known(state_dir)
    assert by_url is not None and by_url.lastmod == "2026-12-03"
    dropped(article(), UnchangedArticle("same"))  # listed without a lastmod: the last one stays
    kept = known(state_dir)
    assert kept is not None and kept.lastmod == "2026-12-03"
    dropped(article(canonical_url=None, url=None), UnchangedArticle("same"))  # no URL: ignored
    second.stop()


def test_the_state_dir_defaults_to_the_projects(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    run = Run(Path(), None, NEWSCRAWLER_STATE_DIR="")
    assert run.extension.output is None
    run.stop()
    assert (tmp_path / ".newscrawler" / "state" / f"{SITE}.sqlite3").is_file()


def test_the_state_is_the_spiders_site_when_no_site_is_set(tmp_path: Path) -> None:
    """`scrapy crawl news -a url=...` with the state on: the crawler builds the extension after
    the spider, whose site names the state."""
    crawler = get_crawler(
        settings_dict={
            "NEWSCRAWLER_STATE_ENABLED": True,
            "NEWSCRAWLER_STATE_DIR": str(tmp_path),
            "EXTENSIONS_BASE": {},
        }
    )
    crawler.spider = NewsSpider.from_crawler(crawler, url="https://www.portal.example/news/")
    extension = StateExtension.from_crawler(crawler)
    assert extension.site == "portal.example"
    sent(crawler, signals.engine_stopped)
    assert store_path(tmp_path, "portal.example").is_file()


def test_no_state_without_the_setting(tmp_path: Path) -> None:
    crawler = get_crawler(
        settings_dict={
            "EXTENSIONS": {"newscrawler.state.delivery.StateExtension": 100},
            "NEWSCRAWLER_STATE_DIR": str(tmp_path),
            "NEWSCRAWLER_SITE": SITE,
        }
    )
    assert crawler.get_extension(StateExtension) is None
    with pytest.raises(NotConfigured):
        attached_state(crawler)
    assert list(tmp_path.iterdir()) == []  # no lock, no store


def test_a_site_locked_by_another_run_stops_the_crawl_before_anything_opens(
    tmp_path: Path,
) -> None:
    state_dir = tmp_path / "state"
    holder = subprocess.Popen(
        [sys.executable, "-c", PROBE + "\nsys.stdout.write('held\\n'); sys.stdout.flush()\n"
         "sys.stdin.read()\n", str(state_dir), SITE],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        with pytest.raises(SiteLockedError):
            Run(state_dir, tmp_path / "out" / "run.jsonl")
        assert not store_path(state_dir, SITE).exists()
    finally:
        holder.communicate("")
    assert holder.returncode == 0


def test_an_unusable_state_stops_the_crawl_and_frees_the_lock(tmp_path: Path) -> None:
    state_dir = tmp_path / "state"
    state_dir.mkdir()
    store_path(state_dir, SITE).write_bytes(b"not a database, really" * 100)
    with pytest.raises(StateError, match="unreadable"):
        Run(state_dir, tmp_path / "out" / "run.jsonl")
    assert another_process_gets_the_lock(state_dir)


@pytest.fixture
def zone_west_of_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The machine's local time zone set 5 hours behind UTC (POSIX TZ, no tz database needed)."""
    monkeypatch.setenv("TZ", "EST+05")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("zone_west_of_utc")
def test_utc_now_is_an_iso_instant_in_utc_whatever_the_machines_zone() -> None:
    assert time.localtime().tm_gmtoff == -5 * 3600
    before = datetime.now(UTC).replace(microsecond=0)
    stamp = utc_now()
    after = datetime.now(UTC)
    assert STAMP.match(stamp)
    assert before <= datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC) <= after


def test_an_extension_built_without_full_is_an_incremental_run(tmp_path: Path) -> None:
    store = SqliteStateStore(tmp_path / "s.sqlite3")
    extension = StateExtension(store, lock_for(tmp_path, SITE), get_crawler().stats, site=SITE,
                               output=None)  # fmt: skip
    assert extension.full is False
    store.close()


def test_each_run_has_its_own_id(tmp_path: Path) -> None:
    first = Run(tmp_path / "state", tmp_path / "out" / "a.jsonl")
    first.stop()
    second = Run(tmp_path / "state", tmp_path / "out" / "b.jsonl")
    second.stop()
    assert first.extension.run_id != second.extension.run_id


# TemplateMemory: the URL templates a site's runs learn, kept in its state


def news_spider(run: Run) -> NewsSpider:
    spider = NewsSpider.from_crawler(run.crawler, url="https://news.example/")
    assert isinstance(spider, NewsSpider)
    return spider


def opened_news_run(tmp_path: Path, number: int) -> tuple[Run, NewsSpider]:
    """Run `number` of the site with template memory, opened with a news spider."""
    output = tmp_path / "out" / f"run-{number}.jsonl"
    run = Run(tmp_path / "state", output, opened=False, memory=True)
    spider = news_spider(run)
    run.open(spider)
    return run, spider


def test_a_run_starts_with_the_templates_earlier_runs_learned(
    tmp_path: Path, log: pytest.LogCaptureFixture
) -> None:
    first, spider = opened_news_run(tmp_path, 1)
    assert said(log) == [("INFO", f"State of {SITE}: 0 known articles")]  # no templates yet
    assert first.stat("templates/loaded") == 0
    assert spider.known_article is not None and not spider.known_article(URL)
    for n in range(6):
        spider.templates.learn(f"https://news.example/article/{n}", "article")
    first.emit(article())
    first.finalize()
    first.stop(spider)
    assert first.stat("templates/saved") == 1

    log.clear()
    second, spider = opened_news_run(tmp_path, 2)
    assert said(log) == [
        ("INFO", f"State of {SITE}: 1 known articles"),
        ("INFO", "URL templates of the site: 1 shapes known from earlier runs"),
    ]
    assert second.stat("templates/loaded") == 1
    assert spider.templates.kind_of("https://news.example/article/99") == "article"
    assert not spider.templates.changed
    assert spider.known_article is not None
    assert spider.known_article(URL)  # delivered by the first run
    assert spider.known_article("http://www.news.example/2026/11/a-story?utm_source=x")
    assert not spider.known_article("https://news.example/2026/11/another-story/")
    second.stop(spider)  # learned nothing new: nothing written back
    assert second.stat("templates/saved") is None


def test_a_run_reports_the_urls_it_let_through_to_reprobe_shapes_judged_skip(
    tmp_path: Path, log: pytest.LogCaptureFixture
) -> None:
    first, spider = opened_news_run(tmp_path, 1)
    for n in range(6):  # pages that were neither articles nor listings, in two shapes
        spider.templates.learn(f"https://news.example/video/clip-{n}", "other")
        spider.templates.learn(f"https://news.example/gallery/set-{n}", "other")
    first.stop(spider)  # this run judged the shapes "skip" itself: it re-probed nothing
    assert first.stat("templates/saved") == 2
    assert first.stat("templates/reprobed") is None

    second, spider = opened_news_run(tmp_path, 2)
    urls = [
        "https://news.example/video/clip-new",
        "https://news.example/gallery/set-new",
        "https://news.example/video/clip-newer",
    ]
    kinds = [classify_candidate(url, None, spider.templates, probe=True) for url in urls]
    assert kinds == [Kind.UNKNOWN, Kind.UNKNOWN, Kind.SKIP]
    log.clear()
    second.stop(spider)
    assert second.stat("templates/reprobed") == 2
    assert said(log) == [
        ("INFO", f"URL templates re-probed (judged skip before): {urls[0]}, {urls[1]}"),
    ]


def test_a_reprobed_page_that_is_still_no_article_is_not_the_next_runs_probe(
    tmp_path: Path,
) -> None:
    first, spider = opened_news_run(tmp_path, 1)
    for n in range(6):
        spider.templates.learn(f"https://news.example/video/clip-{n}", "other")
        spider.templates.learn(f"https://news.example/gallery/set-{n}", "other")
    first.stop(spider)

    second, spider = opened_news_run(tmp_path, 2)
    assert second.memory is not None
    second.memory.clock = lambda: datetime(2026, 11, 20, 6, 30, tzinfo=UTC)
    clip, gallery = "https://news.example/video/clip-new", "https://news.example/gallery/set-new"
    kinds = [classify_candidate(url, None, spider.templates, probe=True) for url in (clip, gallery)]
    assert kinds == [Kind.UNKNOWN, Kind.UNKNOWN]
    spider.templates.learn(clip, "other")  # the probes' pages, as the spider judged them
    spider.templates.learn(gallery, "article")
    second.stop(spider)
    store = SqliteStateStore(store_path(tmp_path / "state", SITE))
    try:  # only the page that was again no article is remembered, at the run's time
        assert store.not_article(clip) == NotArticle(clip, "2026-11-20T06:30:00+00:00")
        assert store.not_article(gallery) is None
    finally:
        store.close()

    third, spider = opened_news_run(tmp_path, 3)
    newer = "https://news.example/video/clip-newer"
    kinds = [classify_candidate(url, None, spider.templates, probe=True) for url in (clip, newer)]
    assert kinds == [Kind.SKIP, Kind.UNKNOWN]  # met first, but probed last run: the next one
    assert spider.templates.probed == [newer]
    third.stop(spider)


def test_a_spider_that_learns_no_templates_is_left_alone(tmp_path: Path) -> None:
    with_none, plain = Spider("other"), Spider("plain")  # no TemplateBook; no `templates` at all
    with_none.templates = None  # type: ignore[attr-defined]
    for spider in (with_none, plain):
        run = Run(tmp_path / "state", tmp_path / "out" / "run.jsonl", opened=False, memory=True)
        run.open(spider)
        run.stop(spider)
        assert not hasattr(spider, "known_article")
        assert run.stat("templates/loaded") is None
        assert run.stat("templates/saved") is None
    assert with_none.templates is None  # type: ignore[attr-defined]


def test_no_template_memory_without_state() -> None:
    with pytest.raises(NotConfigured):
        TemplateMemory.from_crawler(get_crawler())
