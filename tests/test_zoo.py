"""The portal zoo: real crawls of generated portals the crawler was not written against.

Each portal of the pairwise covering design (tests/zoo/design.py) is served on 127.0.0.1 and
crawled from its home page by the `news` spider in a subprocess. Every article must be emitted
(recall 1.0), nothing else (no listing, author, tag, search, about or language page), with its
headline; its date and author are checked in a separate test.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from newscrawler.demo.server import serve
from tests.conftest import ROOT, read_jsonl
from tests.zoo.design import Choice, covering_design
from tests.zoo.portal import ZooPortal

pytestmark = pytest.mark.slow
DESIGN = covering_design()
SETTINGS = (
    "NEWSCRAWLER_ALLOW_PRIVATE_ADDRESSES=127.0.0.1",
    "AUTOTHROTTLE_ENABLED=0",
    "LOG_LEVEL=INFO",
    "NEWSCRAWLER_REPORT_ENABLED=0",
    "TELNETCONSOLE_ENABLED=0",
    "CONCURRENT_REQUESTS=32",
)
_CRAWLS: dict[str, tuple[ZooPortal, list[dict[str, Any]], str, str]] = {}


def crawl(choice: Choice, tmp: Path) -> tuple[ZooPortal, list[dict[str, Any]], str, str]:
    """Crawl the choice's portal once per session: (portal, articles, base URL, log)."""
    if choice.name not in _CRAWLS:
        portal = ZooPortal(choice)
        out = tmp / f"{choice.name}.jsonl"
        settings = [arg for s in SETTINGS for arg in ("-s", s)]
        with serve(portal) as base:
            done = subprocess.run(
                [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"url={base}/",
                 *settings, "-O", str(out)],
                cwd=ROOT, capture_output=True, text=True, timeout=180, check=False,
            )  # fmt: skip
        assert done.returncode == 0, done.stderr[-3000:]
        _CRAWLS[choice.name] = (portal, read_jsonl(out), base, done.stderr)
    return _CRAWLS[choice.name]


@pytest.fixture(scope="module")
def zoo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("zoo")


def by_path(articles: list[dict[str, Any]], base: str) -> dict[str, dict[str, Any]]:
    return {a["url"].removeprefix(base): a for a in articles}


def test_the_design_covers_every_choice_value_in_at_least_16_portals() -> None:
    assert len(DESIGN) >= 16
    for dimension in Choice.__dataclass_fields__:
        values = {getattr(choice, dimension) for choice in DESIGN}
        assert len(values) >= 2, dimension


@pytest.mark.parametrize("choice", DESIGN, ids=lambda c: c.name)
def test_every_article_and_nothing_else_with_its_headline(choice: Choice, zoo_dir: Path) -> None:
    portal, articles, base, _ = crawl(choice, zoo_dir)
    emitted = [a["url"].removeprefix(base) for a in articles]
    assert not [p for p, n in Counter(emitted).items() if n > 1], "emitted twice"
    expected = {s.path for s in portal.stories}
    missing, extra = expected - set(emitted), set(emitted) - expected
    assert not missing and not extra, f"missing {sorted(missing)}, not articles {sorted(extra)}"
    found = by_path(articles, base)
    for story in portal.stories:
        assert found[story.path]["headline"] == story.headline


@pytest.mark.parametrize("choice", DESIGN, ids=lambda c: c.name)
def test_every_section_is_paginated_to_its_end_and_the_feed_read(
    choice: Choice, zoo_dir: Path
) -> None:
    """Recall alone could come from related links; the pagination and feed must work too."""
    portal, _, _, _ = crawl(choice, zoo_dir)
    requested = set(portal.requests)
    assert not set(portal.listing_paths()) - requested, "pagination not followed to its end"
    feed = {"feed_link": "/syndication/latest.rss", "feed_anchor": "/feeds/news.xml"}
    if choice.syndication in feed:
        assert feed[choice.syndication] in requested
    if choice.syndication == "sitemap":
        assert "/sitemap.xml" in requested


@pytest.mark.parametrize("choice", DESIGN, ids=lambda c: c.name)
def test_every_article_has_the_date_and_author_a_reader_sees(choice: Choice, zoo_dir: Path) -> None:
    portal, articles, base, _ = crawl(choice, zoo_dir)
    found = by_path(articles, base)
    for story in portal.stories:
        article = found.get(story.path)
        assert article is not None, f"{story.path} not emitted"
        assert (article["date_published"] or "")[:10] == story.date, story.path
        assert article["authors"] == [story.author], story.path
