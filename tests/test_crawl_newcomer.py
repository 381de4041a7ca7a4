"""Issue 13's own scenario, end to end: a site the project has never seen, crawled by cron.

The portal is the zoo's rendering of the site the issue measured: /article/<n> pages with no
metadata (date and author as labelled text), six... here two numeric categories /articles/<k>
paginated with ?page=N, author pages, and an RSS feed linked only from an <a> in the nav.
Two `newscrawler crawl` runs with a state: the first emits every article and learns the site's
URL templates, `newscrawler state show` prints them, the second starts knowing them, stops going
back through the sections once a page brings nothing new, fetches no article again (the feed's
timed pubDate is not newer than the day the page shows) and emits nothing twice.

Then a site that starts publishing articles under a URL shape judged "skip" (it held only photo
galleries): the next run re-probes one URL of that shape and finds the article.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from newscrawler.demo.server import Page, serve
from newscrawler.exitcodes import ExitCode
from tests.conftest import ROOT, read_jsonl, run_cli
from tests.portals.pages import FixturePortal, Story, article_page, listing_page
from tests.zoo.design import Choice
from tests.zoo.portal import ZooPortal

pytestmark = pytest.mark.slow
NEWCOMER = Choice("numeric", "no", "numeric", "cards", "numbers", "feed_anchor", "none", "en")


def crawl(base: str, work: Path) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable, "-m", "newscrawler.cli", "crawl", f"{base}/",
        "--output-dir", str(work / "output"), "--state-dir", str(work / "state"),
        "-s", "NEWSCRAWLER_ALLOW_PRIVATE_ADDRESSES=127.0.0.1", "-s", "AUTOTHROTTLE_ENABLED=False",
    ]  # fmt: skip
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=180)


def test_a_new_site_is_crawled_whole_and_its_templates_are_remembered(tmp_path: Path) -> None:
    portal = ZooPortal(NEWCOMER)
    with serve(portal) as base:
        first = crawl(base, tmp_path)
        assert first.returncode == ExitCode.OK, first.stderr[-3000:]
        [out] = sorted((tmp_path / "output").glob("*/*.jsonl"))
        articles = read_jsonl(out)
        assert {a["url"].removeprefix(base) for a in articles} == {s.path for s in portal.stories}
        report = json.loads(
            out.with_name(out.name.removesuffix(".jsonl") + ".stats.json").read_text()
        )
        found = report["discovery"]
        assert found["judged"]["article"] == len(portal.stories)
        assert found["judged"]["listing"] >= len(portal.listing_paths())
        assert found["article_shaped_not_fetched"] == 0
        assert found["listing_like_items"] == 0
        assert "/feeds/news.xml" in portal.requests
        assert "Pages judged:" in first.stderr and "article-shaped URLs seen" in first.stderr

        shown = run_cli(
            "state", "show", f"{base}/", "--state-dir", str(tmp_path / "state"), cwd=ROOT
        )
        assert shown.returncode == 0, shown.stderr
        assert "/article/<int>  article" in shown.stdout
        assert "/articles/<int>?page=<int>  listing" in shown.stdout

        portal.requests.clear()
        second = crawl(base, tmp_path)
        assert second.returncode == ExitCode.OK, second.stderr[-3000:]
    assert not {s.path for s in portal.stories} & set(portal.requests)  # none fetched again
    assert "shapes known from earlier runs" in second.stderr
    assert "newscrawler/discovery/pagination_stopped_nothing_new" in second.stderr
    later = sorted((tmp_path / "output").glob("*/*.jsonl"))[1:]
    assert all(read_jsonl(path) == [] for path in later)  # nothing new: nothing emitted
    further = {p for p in portal.listing_paths() if "?page=" in p}
    assert "/articles/1" in portal.requests
    assert not further & set(portal.requests)  # no going back through known sections


NEWS = [
    Story(f"/news/council-meeting-number-{n}/", f"Council meeting {n}", f"2026-11-0{n}")
    for n in (1, 2, 3, 4)
]
GALLERIES = [f"/gallery/harbour-photos-number-{n}/" for n in range(1, 7)]
NEW_KIND = Story("/gallery/festival-opens-on-the-quay/", "Festival opens on the quay", "2026-11-09")


def gallery(path: str) -> Page:
    """A photo gallery: a title, a picture and its credit; neither article nor listing."""
    html = (
        f"<!doctype html><html lang='en'><head><title>Photos</title></head><body><main>"
        f"<h1>Harbour photos</h1><img src='{path}1.jpg' alt=''><p>Photo: staff.</p></main>"
        "</body></html>"
    )
    return Page(html.encode())


def state_show(base: str, work: Path) -> str:
    shown = run_cli("state", "show", f"{base}/", "--state-dir", str(work / "state"), cwd=ROOT)
    assert shown.returncode == 0, shown.stderr
    return shown.stdout


def test_a_shape_judged_skip_is_probed_again_on_the_next_run(tmp_path: Path) -> None:
    routes = {s.path: (lambda base, s=s: article_page(s, base)) for s in NEWS}
    routes |= {path: (lambda base, path=path: gallery(path)) for path in GALLERIES}
    home = [s.path for s in NEWS] + GALLERIES
    routes["/"] = lambda base: listing_page(home)
    portal = FixturePortal(routes)
    with serve(portal) as base:
        first = crawl(base, tmp_path)
        assert first.returncode == ExitCode.OK, first.stderr[-3000:]
        assert "/gallery/<slug>/  skip  (0 article, 0 listing, 6 other)" in state_show(
            base, tmp_path
        )
        # the site starts publishing articles under the gallery shape, newest first on its home
        routes[NEW_KIND.path] = lambda base: article_page(NEW_KIND, base)
        home.insert(0, NEW_KIND.path)
        portal.requests.clear()
        second = crawl(base, tmp_path)
        assert second.returncode == ExitCode.OK, second.stderr[-3000:]
        shown = state_show(base, tmp_path)
    first_out, second_out = sorted((tmp_path / "output").glob("*/*.jsonl"))
    assert {a["url"].removeprefix(base) for a in read_jsonl(first_out)} == {s.path for s in NEWS}
    assert [a["url"].removeprefix(base) for a in read_jsonl(second_out)] == [NEW_KIND.path]
    # one URL of the skipped shape per run: the old galleries stay skipped
    assert [p for p in portal.requests if p.startswith("/gallery/")] == [NEW_KIND.path]
    assert "'newscrawler/templates/reprobed': 1" in second.stderr
    assert "/gallery/<slug>/  undecided  (1 article, 0 listing, 6 other)" in shown


def test_successive_runs_reprobe_successive_pages_of_a_skipped_shape(tmp_path: Path) -> None:
    routes = {s.path: (lambda base, s=s: article_page(s, base)) for s in NEWS}
    routes |= {path: (lambda base, path=path: gallery(path)) for path in GALLERIES}
    portal = FixturePortal(routes)
    routes["/"] = lambda base: listing_page([s.path for s in NEWS] + GALLERIES)
    probes = []
    with serve(portal) as base:
        for _ in range(3):  # the first run learns the shape "skip"; each later run probes one
            portal.requests.clear()
            run = crawl(base, tmp_path)
            assert run.returncode == ExitCode.OK, run.stderr[-3000:]
            probes.append([p for p in portal.requests if p.startswith("/gallery/")])
    assert sorted(probes[0]) == GALLERIES  # in the order the responses came
    assert probes[1:] == [GALLERIES[:1], GALLERIES[1:2]]  # not the same old page again
