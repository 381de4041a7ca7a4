"""Real crawls of the fixture portals: the `news` spider in a subprocess against a local server.

For each portal the set of emitted article URLs must equal the expected set exactly: no listing
page, no duplicate, `since`, `max_articles` and robots.txt respected.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from newscrawler.demo.server import Page, Portal, serve
from newscrawler.distributed.portal import SyntheticPortal
from tests.conftest import ROOT, read_jsonl
from tests.portals import sites
from tests.portals.sites import SINCE, Fixture

pytestmark = pytest.mark.slow
CRAWL_SETTINGS = (
    "NEWSCRAWLER_ALLOW_PRIVATE_ADDRESSES=127.0.0.1",
    "AUTOTHROTTLE_ENABLED=0",
    "LOG_LEVEL=INFO",
    "NEWSCRAWLER_REPORT_ENABLED=0",
    "TELNETCONSOLE_ENABLED=0",
)


def crawl(
    fixture: Fixture, tmp_path: Path, *args: str, portal: Portal | None = None
) -> tuple[list[dict[str, Any]], str, str]:
    """`scrapy crawl news -a url=BASE/ ARGS -O out.jsonl`; returns (articles, log, base URL).
    `portal` serves the fixture's portal through a wrapper."""
    out = tmp_path / "out.jsonl"
    settings = [arg for s in CRAWL_SETTINGS for arg in ("-s", s)]
    with serve(portal or fixture.portal) as base:
        done = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"url={base}/", *args,
             *settings, "-O", str(out)],
            cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return read_jsonl(out), done.stderr, base


def paths(articles: list[dict[str, Any]], base: str) -> list[str]:
    return [a["url"].removeprefix(base) for a in articles]


def assert_exactly(articles: list[dict[str, Any]], base: str, expected: set[str]) -> None:
    emitted = paths(articles, base)
    duplicates = [p for p, n in Counter(emitted).items() if n > 1]
    assert not duplicates, f"emitted more than once: {duplicates}"
    assert set(emitted) == expected, (
        f"missing {expected - set(emitted)}, unexpected {set(emitted) - expected}"
    )
    assert len({a["id"] for a in articles}) == len(articles)
    for article in articles:
        assert article["canonical_url"] == article["url"]


def test_sitemap_only_portal_emits_every_listed_article(tmp_path: Path) -> None:
    fixture = sites.sitemap_only()
    articles, _, base = crawl(fixture, tmp_path)
    assert_exactly(articles, base, fixture.expected)


class SitemapOverlap:
    """Serves a portal slowly for sitemaps and records how many were being fetched at once."""

    def __init__(self, portal: Portal) -> None:
        self.portal = portal
        self.lock = threading.Lock()
        self.now = self.most = 0

    def __call__(self, path: str, base: str) -> Page | None:
        # not /feed.xml nor /index.xml, probed as feeds
        if not ("sitemap" in path or "index" in path) or path == "/index.xml":
            return self.portal(path, base)
        with self.lock:
            self.now += 1
            self.most = max(self.most, self.now)
        try:
            time.sleep(0.05)
            return self.portal(path, base)
        finally:
            with self.lock:
                self.now -= 1


@pytest.mark.parametrize("in_flight", [1, 3])
def test_sitemaps_walked_a_few_at_a_time_all_reached_none_stalls(
    tmp_path: Path, in_flight: int
) -> None:
    fixture = sites.many_sitemaps()
    overlap = SitemapOverlap(fixture.portal)
    setting = f"NEWSCRAWLER_SITEMAPS_IN_FLIGHT={in_flight}"
    articles, log, base = crawl(fixture, tmp_path, "-s", setting, portal=overlap)
    assert_exactly(articles, base, fixture.expected)
    assert 1 <= overlap.most <= in_flight  # the index lists 11 children: the gate held them
    requested = Counter(fixture.portal.requests)
    sitemaps = [p for p in requested if p.endswith(".xml")]
    assert all(requested[p] == 1 for p in sitemaps), requested  # each sitemap fetched once
    assert "/missing-sitemap.xml" in requested and "/private/sitemap.xml" not in requested
    assert "'newscrawler/discovery/sitemaps': 10," in log  # 2 indexes and the 8 children


def test_request_queue_is_on_disk_in_a_private_directory_removed_at_the_end(
    tmp_path: Path,
) -> None:
    fixture = sites.sitemap_only()
    queues = tmp_path / "queues"
    queues.mkdir()
    articles, log, base = crawl(fixture, tmp_path, "-s", f"NEWSCRAWLER_QUEUE_DIR={queues}")
    assert_exactly(articles, base, fixture.expected)
    assert "'scheduler/enqueued/disk':" in log and "'scheduler/enqueued/memory'" not in log
    assert list(queues.iterdir()) == []  # the temporary queue directory is gone


def test_a_killed_runs_queue_directory_is_removed_by_the_next_run(tmp_path: Path) -> None:
    queues = tmp_path / "queues"
    queues.mkdir()
    settings = [arg for s in (*CRAWL_SETTINGS, f"NEWSCRAWLER_QUEUE_DIR={queues}")
                for arg in ("-s", s)]  # fmt: skip
    with serve(SyntheticPortal(3000)) as base:
        victim = subprocess.Popen(
            [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"url={base}/", *settings,
             "-O", str(tmp_path / "killed.jsonl")],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while not any(q.rglob("*") for q in queues.iterdir()) and victim.poll() is None:
            assert time.monotonic() < deadline, "the crawl never queued a request on disk"
            time.sleep(0.05)
        victim.kill()
        victim.wait(timeout=30)
    left = list(queues.iterdir())
    assert [q.name.startswith(f"newscrawler-queue-{victim.pid}-") for q in left] == [True]
    fixture = sites.sitemap_only()
    articles, log, base = crawl(fixture, tmp_path, "-s", f"NEWSCRAWLER_QUEUE_DIR={queues}")
    assert_exactly(articles, base, fixture.expected)
    assert list(queues.iterdir()) == []
    assert "Removed 1 request queue(s) left by killed runs" in log


def test_memory_queue_on_request_and_jobdir_keeps_scrapys_resumable_queue(
    tmp_path: Path,
) -> None:
    fixture = sites.sitemap_only()
    articles, log, base = crawl(fixture, tmp_path, "-s", "NEWSCRAWLER_QUEUE_ON_DISK=0")
    assert_exactly(articles, base, fixture.expected)
    assert "'scheduler/enqueued/memory':" in log and "'scheduler/enqueued/disk'" not in log
    job = tmp_path / "job"
    articles, log, base = crawl(sites.sitemap_only(), tmp_path, "-s", f"JOBDIR={job}")
    assert_exactly(articles, base, fixture.expected)
    assert "'scheduler/enqueued/disk':" in log
    assert (job / "requests.queue").is_dir() and (job / "requests.seen").is_file()


def test_sitemap_only_since_skips_old_sitemaps_and_entries_before_fetching(tmp_path: Path) -> None:
    fixture = sites.sitemap_only()
    articles, _, base = crawl(fixture, tmp_path, "-a", f"since={SINCE}")
    assert_exactly(articles, base, fixture.expected_since)
    requested = set(fixture.portal.requests)
    assert "/old-posts.xml" not in requested  # index lastmod before `since`: never fetched
    assert not {s.path for s in fixture.stories if s.published < SINCE} & requested


def test_google_news_fields_fill_what_the_page_lacks(tmp_path: Path) -> None:
    fixture = sites.sitemap_only()
    articles, _, _ = crawl(fixture, tmp_path)
    library = next(a for a in articles if a["url"].endswith("/library-extends-hours/"))
    assert library["date_published"] == "2024-05-06T09:30:00+00:00"  # only in the news sitemap
    assert library["tags"] == ["library", "opening hours"]
    budget = next(a for a in articles if a["url"].endswith("/council-votes-budget/"))
    assert budget["date_published"] == "2024-05-02T09:30:00+00:00"  # the page's own date


def test_feed_only_portal_uses_rss_atom_and_rdf(tmp_path: Path) -> None:
    fixture = sites.feed_only()
    articles, _, base = crawl(fixture, tmp_path)
    assert_exactly(articles, base, fixture.expected)  # RSS links had utm tags: stripped


def test_feed_only_since(tmp_path: Path) -> None:
    fixture = sites.feed_only()
    articles, _, base = crawl(fixture, tmp_path, "-a", f"since={SINCE}")
    assert_exactly(articles, base, fixture.expected_since)
    assert "/news/snow-closes-schools-1002" not in fixture.portal.requests


def test_links_only_portal_follows_sections_and_pagination(tmp_path: Path) -> None:
    fixture = sites.links_only()
    articles, _, base = crawl(fixture, tmp_path)
    assert_exactly(articles, base, fixture.expected)
    requested = set(fixture.portal.requests)
    never = {"/about/", "/contact/", "/privacy-policy/", "/tag/minister/", "/author/jane-doe/"}
    assert not never & requested
    assert "/our-newsroom/" in requested  # fetched (its URL says nothing), judged, not emitted


def test_links_only_since_drops_old_articles_found_by_links(tmp_path: Path) -> None:
    fixture = sites.links_only()
    articles, _, base = crawl(fixture, tmp_path, "-a", f"since={SINCE}")
    assert_exactly(articles, base, fixture.expected_since)


def test_max_articles_stops_at_exactly_n(tmp_path: Path) -> None:
    fixture = sites.links_only()
    articles, log, base = crawl(fixture, tmp_path, "-a", "max_articles=3")
    assert len(articles) == 3
    assert set(paths(articles, base)) <= fixture.expected
    assert "max_articles" in log


def test_pagination_cap(tmp_path: Path) -> None:
    fixture = sites.links_only()
    articles, _, base = crawl(fixture, tmp_path, "-s", "NEWSCRAWLER_MAX_PAGINATION=1")
    emitted = set(paths(articles, base))
    assert "/politics/minister-story-number-3/" in emitted  # page 2: one step
    assert "/politics/minister-story-number-4/" not in emitted  # page 3: two steps
    assert "/politics/page/3/" not in fixture.portal.requests


def test_mixed_portal_emits_each_article_once(tmp_path: Path) -> None:
    fixture = sites.mixed()
    articles, log, base = crawl(fixture, tmp_path)
    assert_exactly(articles, base, fixture.expected)
    assert not any("amp" in a["url"] or "utm_" in a["url"] for a in articles)
    assert "Dropped cross-domain redirect" in log
    assert "elsewhere.invalid" not in "".join(a["url"] for a in articles)


def test_sitemap_on_another_host_is_read_but_only_on_site_pages_are_crawled(
    tmp_path: Path,
) -> None:
    fixture = sites.offsite_sitemap()
    articles, _, base = crawl(fixture, tmp_path)
    assert_exactly(articles, base, fixture.expected)
    assert "/cdn/sitemap.xml" in fixture.portal.requests
    assert "/2024/05/03/bridge-reopens/" not in fixture.portal.requests  # listed, but off-site


def test_robots_txt_disallowed_section_is_never_fetched(tmp_path: Path) -> None:
    fixture = sites.robots_disallow()
    articles, _, base = crawl(fixture, tmp_path)
    assert_exactly(articles, base, fixture.expected)
    assert not [p for p in fixture.portal.requests if p.startswith("/members/")]
    # fetched once: Scrapy's robots.txt middleware reads it, the spider takes its Sitemap: lines
    assert fixture.portal.requests.count("/robots.txt") == 1


def test_sitemaps_of_robots_txt_are_followed_without_obeying_it(tmp_path: Path) -> None:
    fixture = sites.robots_disallow()
    articles, _, _ = crawl(fixture, tmp_path, "-s", "ROBOTSTXT_OBEY=0")
    assert fixture.portal.requests.count("/robots.txt") == 1  # the spider's own request
    assert "/sitemap.xml" in fixture.portal.requests
    assert "/members/2024/05/04/insider-briefing/" in fixture.portal.requests  # sitemap only
    assert articles
