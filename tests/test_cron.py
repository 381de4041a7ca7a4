"""Scheduled runs for real: `newscrawler crawl` in subprocesses against a local portal.

The portal (served from this process on 127.0.0.1, port 0) can change between runs: articles are
edited, added, lose their bylines; the state, the lock and the quality gate must notice.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from newscrawler.demo.server import Page, serve
from newscrawler.exitcodes import ExitCode
from tests.conftest import ROOT, read_jsonl

pytestmark = pytest.mark.slow

TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{headline} – The Cron Gazette</title>
<link rel="canonical" href="{base}/news/{slug}/">
<meta property="og:type" content="article">
<meta property="og:title" content="{headline}">
<meta property="article:published_time" content="{published}">
<meta property="article:modified_time" content="{modified}">
<script type="application/ld+json">{jsonld}</script>
</head><body>
<header><a href="/">The Cron Gazette</a></header>
<article>
<h1 class="entry-title">{headline}</h1>
{byline}
<time class="entry-date published" datetime="{published}">{published}</time>
<div class="entry-content">{paragraphs}</div>
</article>
<footer><a href="/about/">About us</a></footer>
</body></html>
"""


@dataclass
class Story:
    slug: str
    headline: str
    author: str
    published: str
    modified: str
    paragraphs: tuple[str, ...]


def story(n: int) -> Story:
    return Story(
        slug=f"story-number-{n}",
        headline=f"Council votes on budget item number {n}",
        author=["Ana Lima", "Bruno Costa", "Chloé Martin"][n % 3],
        published=f"2026-11-{1 + n % 20:02d}T08:00:00+00:00",
        modified=f"2026-11-{1 + n % 20:02d}T09:00:00+00:00",
        paragraphs=tuple(
            f"Paragraph {i} of story {n}: the council met on Tuesday and discussed the proposal "
            f"in detail, with several members asking for more time before the final vote."
            for i in range(1, 5)
        ),
    )


@dataclass
class CronPortal:
    """A small news site whose articles can be changed between runs (thread-safe enough)."""

    stories: dict[str, Story] = field(default_factory=dict)
    bylines: bool = True
    delay: float = 0.0  # seconds per article page, to make a crawl last long enough to kill
    missing: set[str] = field(default_factory=set)  # listed, but their pages answer 404
    # serve this many article pages, then hold the others until `released` is set: a crawl that
    # is reliably midway, whatever the machine's load
    hold_after: int | None = None
    released: threading.Event = field(default_factory=threading.Event)
    holding: threading.Event = field(default_factory=threading.Event)  # a request is held
    served: int = 0
    _served_lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, *numbers: int) -> None:
        for n in numbers:
            item = story(n)
            self.stories[item.slug] = item

    def __call__(self, path: str, base: str) -> Page | None:
        if path == "/robots.txt":
            return Page(
                f"User-agent: *\nAllow: /\nSitemap: {base}/sitemap.xml\n".encode(), "text/plain"
            )
        if path == "/sitemap.xml":
            return Page(self.sitemap(base).encode(), "application/xml")
        if path == "/":
            links = "".join(
                f'<li><a href="/news/{s.slug}/">{s.headline}</a></li>'
                for s in self.stories.values()
            )
            return Page(f"<html><body><h1>Latest</h1><ul>{links}</ul></body></html>".encode())
        slug = path.removeprefix("/news/").rstrip("/")
        if path.startswith("/news/") and slug in self.stories and slug not in self.missing:
            if self.delay:
                time.sleep(self.delay)
            with self._served_lock:
                self.served += 1
                held = self.hold_after is not None and self.served > self.hold_after
            if held:
                self.holding.set()
                self.released.wait(timeout=600)  # bounds a failure only (a test that forgot)
            return Page(self.article(self.stories[slug], base).encode())
        return None

    def sitemap(self, base: str) -> str:
        urls = "".join(
            f"<url><loc>{base}/news/{s.slug}/</loc><lastmod>{s.modified}</lastmod></url>"
            for s in self.stories.values()
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
        )

    def article(self, s: Story, base: str) -> str:
        jsonld: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": s.headline,
            "datePublished": s.published,
            "dateModified": s.modified,
        }
        byline = ""
        if self.bylines:
            jsonld["author"] = [{"@type": "Person", "name": s.author}]
            byline = (
                f'<div class="byline">By <a rel="author" href="/author/x/">{s.author}</a></div>'
            )
        return TEMPLATE.format(
            base=base,
            slug=s.slug,
            headline=s.headline,
            published=s.published,
            modified=s.modified,
            jsonld=json.dumps(jsonld),
            byline=byline,
            paragraphs="".join(f"<p>{p}</p>" for p in s.paragraphs),
        )


@pytest.fixture
def portal() -> Iterator[tuple[CronPortal, str]]:
    site = CronPortal()
    site.add(*range(1, 11))
    with serve(site) as base:
        yield site, base


def crawl_command(base: str, work: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "newscrawler.cli",
        "crawl",
        f"{base}/",
        "--output-dir",
        str(work / "output"),
        "--state-dir",
        str(work / "state"),
        "-s",
        "NEWSCRAWLER_ALLOW_PRIVATE_ADDRESSES=127.0.0.1",
        "-s",
        "AUTOTHROTTLE_ENABLED=False",
        *extra,
    ]


def crawl(base: str, work: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        crawl_command(base, work, *extra),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def finalized(work: Path) -> list[Path]:
    """Finalized output files, oldest first: what a downstream job globs."""
    return sorted((work / "output").glob("*/*.jsonl"))


def slugs(path: Path) -> set[str]:
    return {article["url"].rstrip("/").rsplit("/", 1)[-1] for article in read_jsonl(path)}


def test_rerun_emits_only_new_and_changed_articles_with_revisions(
    portal: tuple[CronPortal, str], tmp_path: Path
) -> None:
    site, base = portal
    first = crawl(base, tmp_path)
    assert first.returncode == ExitCode.OK, first.stderr[-3000:]
    [out1] = finalized(tmp_path)
    articles = read_jsonl(out1)
    assert len(articles) == 10
    assert {a["revision"] for a in articles} == {1}

    edited = site.stories["story-number-3"]
    edited.paragraphs = (*edited.paragraphs[:3], "Correction: the vote was postponed.")
    edited.modified = "2026-11-27T12:00:00+00:00"
    site.add(11, 12)
    second = crawl(base, tmp_path)
    assert second.returncode == ExitCode.OK, second.stderr[-3000:]
    out2 = finalized(tmp_path)[-1]
    emitted = {a["url"].rstrip("/").rsplit("/", 1)[-1]: a for a in read_jsonl(out2)}
    assert set(emitted) == {"story-number-3", "story-number-11", "story-number-12"}
    assert emitted["story-number-3"]["revision"] == 2
    assert "postponed" in emitted["story-number-3"]["body"]
    assert emitted["story-number-11"]["revision"] == 1
    assert emitted["story-number-3"]["id"] == next(
        a["id"] for a in articles if a["url"].endswith("/story-number-3/")
    )

    report = json.loads(out2.with_name(out2.stem + ".stats.json").read_text())
    assert report["articles"]["new"] == 2
    assert report["articles"]["updated"] == 1
    assert report["articles"]["skipped_known"] == 9  # known, lastmod not newer: not fetched
    assert report["quality"]["passed"] is True
    assert report["output"] == str(out2)
    assert "Run summary for" in second.stderr

    third = crawl(base, tmp_path)  # nothing changed: an empty, finalized file
    assert third.returncode == ExitCode.OK, third.stderr[-3000:]
    assert read_jsonl(finalized(tmp_path)[-1]) == []

    full = crawl(base, tmp_path, "--full")
    assert full.returncode == ExitCode.OK, full.stderr[-3000:]
    again = read_jsonl(finalized(tmp_path)[-1])
    assert len(again) == 12
    assert {a["url"].rsplit("/", 2)[-2]: a["revision"] for a in again}["story-number-3"] == 2


def test_kill_9_midway_then_rerun_loses_and_duplicates_nothing(
    portal: tuple[CronPortal, str], tmp_path: Path
) -> None:
    site, base = portal
    site.add(*range(11, 81))
    site.hold_after = 20  # the crawl gets 20 of the 80 articles, then waits for the rest
    command = crawl_command(base, tmp_path, "-s", "CONCURRENT_REQUESTS=2")
    victim = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60  # bounds a failure only: the kill waits for events
    parts: list[Path] = []
    while site.served <= 20 or not parts:  # held midway, and articles reached the .part
        assert victim.poll() is None, "the crawl ended while 60 articles were held"
        assert time.monotonic() < deadline, f"served {site.served}, .part: {parts}"
        time.sleep(0.05)
        parts = [p for p in (tmp_path / "output").glob("*/*.jsonl.part") if p.stat().st_size > 0]
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()
    site.hold_after = None
    site.released.set()
    assert parts[0].exists(), "a killed run leaves its .part behind"
    assert finalized(tmp_path) == [], "a killed run never leaves a finalized file"
    # only 20 article pages were served; how many of those reached the disk is up to the
    # exporter's file buffer (at least one flush, the .part is not empty)
    written = parts[0].read_bytes().count(b"\n")
    assert 0 < written <= 20, f"killed midway: {written} articles were in the .part"

    rerun = crawl(base, tmp_path)
    assert rerun.returncode == ExitCode.OK, rerun.stderr[-3000:]
    outputs = finalized(tmp_path)
    assert len(outputs) == 1
    assert not parts[0].exists(), "the next run removes the .part of the killed one"
    ids = [a["id"] for path in outputs for a in read_jsonl(path)]
    assert len(ids) == len(set(ids)) == 80
    assert {slug for path in outputs for slug in slugs(path)} == set(site.stories)


def test_a_second_concurrent_run_exits_at_once_with_locked(
    portal: tuple[CronPortal, str], tmp_path: Path
) -> None:
    site, base = portal
    site.hold_after = 2  # the first run stays midway until the second one has been refused
    first = subprocess.Popen(
        crawl_command(base, tmp_path, "-s", "CONCURRENT_REQUESTS=1"),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # an event, not a clock: a request is held, so the first run is crawling (it took the lock
    # before its first request) and stays midway until released, however slow the second run is
    held = site.holding.wait(timeout=300)  # the timeout bounds a failure only
    second = crawl(base, tmp_path)
    still_running = first.poll() is None
    site.released.set()
    _out, err = first.communicate(timeout=300)
    assert held, f"the first run never reached its third article: {err[-3000:]}"
    assert still_running, "the first run must still hold the lock while the second starts"
    assert second.returncode == ExitCode.LOCKED, second.stderr[-2000:]
    assert "is locked by pid" in second.stderr
    assert first.returncode == ExitCode.OK, err[-3000:]
    [output] = finalized(tmp_path)  # the locked run wrote nothing at all
    assert len(read_jsonl(output)) == 10
    assert not list((tmp_path / "output").glob("*/*.part"))


def test_layout_change_without_bylines_trips_the_authors_gate(
    portal: tuple[CronPortal, str], tmp_path: Path
) -> None:
    site, base = portal
    first = crawl(base, tmp_path)
    assert first.returncode == ExitCode.OK, first.stderr[-3000:]
    site.bylines = False  # the redesign: bylines are gone
    site.add(*range(11, 21))
    second = crawl(base, tmp_path)
    assert second.returncode == ExitCode.QUALITY_GATE, second.stderr[-3000:]
    assert "authors coverage 0.00 < 0.50" in second.stderr
    output = finalized(tmp_path)[-1]
    assert len(read_jsonl(output)) == 10  # still delivered: the gate reports, it does not hide
    report = json.loads(output.with_name(output.stem + ".stats.json").read_text())
    assert report["quality"]["passed"] is False
    assert report["quality"]["failures"] == ["authors coverage 0.00 < 0.50"]
    assert report["coverage"]["authors"] == 0.0


def test_profile_quality_settings_can_relax_the_gate(
    portal: tuple[CronPortal, str], tmp_path: Path
) -> None:
    site, base = portal
    site.bylines = False
    result = crawl(base, tmp_path, "-s", 'NEWSCRAWLER_QUALITY={"authors": 0}')
    assert result.returncode == ExitCode.OK, result.stderr[-3000:]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--since", "last tuesdayish"), "since"),
        (("--since", "2026-13-45"), "since"),
        (("-s", 'NEWSCRAWLER_QUALITY={"byline": 1}'), "unknown quality key 'byline'"),
    ],
)
def test_bad_arguments_are_usage_errors(
    portal: tuple[CronPortal, str], tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    _, base = portal
    result = crawl(base, tmp_path, *args)
    assert result.returncode == ExitCode.USAGE
    assert message in result.stderr
    assert not (tmp_path / "output").exists()


def test_unknown_site_is_a_usage_error(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "newscrawler.cli", "crawl", "no-such-site-profile",
         "--state-dir", str(tmp_path / "state")],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == ExitCode.USAGE
    assert "no-such-site-profile" in result.stderr


def test_unwritable_output_dir_is_a_usage_error(
    portal: tuple[CronPortal, str], tmp_path: Path
) -> None:
    _, base = portal
    blocker = tmp_path / "output"
    blocker.write_text("a file where the output directory should be")
    result = crawl(base, tmp_path)
    assert result.returncode == ExitCode.USAGE
    assert "output" in result.stderr


def test_a_corrupt_state_file_is_an_error_with_a_way_out(
    portal: tuple[CronPortal, str], tmp_path: Path
) -> None:
    _, base = portal
    state = tmp_path / "state"
    result_ok = crawl(base, tmp_path)
    assert result_ok.returncode == ExitCode.OK, result_ok.stderr[-3000:]
    [db] = state.glob("*.sqlite3")
    for suffix in ("", "-wal", "-shm"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)
    db.write_bytes(b"this is not a database" * 100)
    broken = crawl(base, tmp_path)
    assert broken.returncode == ExitCode.ERROR
    assert "state reset" in broken.stderr


def test_new_articles_listed_but_not_delivered_trip_the_gate(
    portal: tuple[CronPortal, str], tmp_path: Path
) -> None:
    site, base = portal
    assert crawl(base, tmp_path).returncode == ExitCode.OK
    site.add(11, 12, 13)
    site.missing = {"story-number-11", "story-number-12", "story-number-13"}
    result = crawl(base, tmp_path)
    assert result.returncode == ExitCode.QUALITY_GATE, result.stderr[-3000:]
    output = finalized(tmp_path)[-1]
    assert read_jsonl(output) == []
    report = json.loads(output.with_name(output.stem + ".stats.json").read_text())
    assert report["http_errors"] == {"404": 3}
    error_rate, min_articles = report["quality"]["failures"]
    assert error_rate == f"error rate {report['error_rate']:.2f} > 0.20"
    assert min_articles == "articles 0 < 1 although sources listed new"
    assert min_articles in result.stderr


KILL_AFTER_RENAME = """
import os, signal, sys
from pathlib import Path
from scrapy.utils.project import get_project_settings
from newscrawler.runner import run_crawl
from newscrawler.signals import feed_finalized


class KillAfterRename:
    '''Dies by SIGKILL once the feed file is renamed, before the state commits it.'''

    @classmethod
    def from_crawler(cls, crawler):
        crawler.signals.connect(cls.die, signal=feed_finalized)
        return cls()

    @staticmethod
    def die(path):
        os.kill(os.getpid(), signal.SIGKILL)


base, output, state = sys.argv[1:4]
extensions = get_project_settings().getdict("EXTENSIONS")
extensions["__main__.KillAfterRename"] = 50  # connected before the state extension (100)
run_crawl(
    "news",
    spider_kwargs={"url": base + "/"},
    settings={
        "EXTENSIONS": extensions,
        "NEWSCRAWLER_STATE_ENABLED": True,
        "NEWSCRAWLER_STATE_DIR": state,
        "NEWSCRAWLER_SITE": "127.0.0.1",
        "NEWSCRAWLER_ALLOW_PRIVATE_ADDRESSES": "127.0.0.1",
        "AUTOTHROTTLE_ENABLED": False,
    },
    output=Path(output),
)
"""


def test_kill_between_rename_and_commit_delivers_once(
    portal: tuple[CronPortal, str], tmp_path: Path
) -> None:
    site, base = portal
    output = tmp_path / "output" / "127.0.0.1" / "20261128T000000Z.jsonl"
    killed = subprocess.run(
        [sys.executable, "-c", KILL_AFTER_RENAME, base, str(output), str(tmp_path / "state")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-3000:]
    assert len(read_jsonl(output)) == 10  # renamed: finalized, but never marked delivered
    site.add(11)
    rerun = crawl(base, tmp_path)
    assert rerun.returncode == ExitCode.OK, rerun.stderr[-3000:]
    assert "1 committed (file finalized)" in rerun.stderr
    ids = [a["id"] for path in finalized(tmp_path) for a in read_jsonl(path)]
    assert len(ids) == len(set(ids)) == 11


@dataclass
class PortalWithAboutPage(CronPortal):
    """The cron portal whose sitemap also lists a page that is no article (a newsroom page)."""

    about_lastmod: str = "2026-11-01"
    about_fetches: int = 0

    def __call__(self, path: str, base: str) -> Page | None:
        if path == "/our-newsroom/":
            self.about_fetches += 1
            return Page(
                b"<html><head><title>About us</title></head><body><h1>About us</h1>"
                b"<p>We are a small local newsroom.</p><a href='/'>Home</a></body></html>"
            )
        return super().__call__(path, base)

    def sitemap(self, base: str) -> str:
        about = f"<url><loc>{base}/our-newsroom/</loc><lastmod>{self.about_lastmod}</lastmod></url>"
        return super().sitemap(base).replace("</urlset>", f"{about}</urlset>")


def test_a_quiet_rerun_with_a_listed_non_article_passes_the_gate(tmp_path: Path) -> None:
    site = PortalWithAboutPage()
    site.add(1, 2, 3)
    with serve(site) as base:
        first = crawl(base, tmp_path, "--log-level", "INFO")
        assert first.returncode == ExitCode.OK, first.stderr[-3000:]
        recheck = "NEWSCRAWLER_RECHECK_NOT_ARTICLES_DAYS=0"  # fetch it again all the same
        quiet = crawl(base, tmp_path, "--log-level", "INFO", "-s", recheck)  # nothing new since
    assert quiet.returncode == ExitCode.OK, quiet.stderr[-3000:]
    assert site.about_fetches == 2
    assert re.search(r"Not emitted \(not an article: .*\): http://\S+/our-newsroom/", quiet.stderr)
    output = finalized(tmp_path)[-1]
    assert read_jsonl(output) == []
    report = json.loads(output.with_name(output.stem + ".stats.json").read_text())
    assert report["quality"]["failures"] == []


def test_a_listed_non_article_is_not_fetched_again_until_its_listing_changes(
    tmp_path: Path,
) -> None:
    site = PortalWithAboutPage()
    site.add(1, 2, 3)
    with serve(site) as base:
        assert crawl(base, tmp_path).returncode == ExitCode.OK
        assert site.about_fetches == 1
        quiet = crawl(base, tmp_path, "--log-level", "INFO")
        assert quiet.returncode == ExitCode.OK, quiet.stderr[-3000:]
        assert site.about_fetches == 1  # judged no article a moment ago: not fetched
        assert "Not fetched again: 1 listed pages judged no article" in quiet.stderr
        output = finalized(tmp_path)[-1]
        report = json.loads(output.with_name(output.stem + ".stats.json").read_text())
        assert report["articles"]["skipped_not_article"] == 1
        assert report["quality"]["failures"] == []
        assert "1 pages judged no article not re-fetched" in quiet.stderr

        site.about_lastmod = "2026-11-20T10:00:00+00:00"  # the sitemap says it changed
        assert crawl(base, tmp_path).returncode == ExitCode.OK
        assert site.about_fetches == 2
        assert crawl(base, tmp_path).returncode == ExitCode.OK
        assert site.about_fetches == 2  # judged again with that lastmod: skipped again
        assert crawl(base, tmp_path, "--full").returncode == ExitCode.OK
        assert site.about_fetches == 3
