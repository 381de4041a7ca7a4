"""The state store interface: what a scheduled run remembers about a site between runs.

Pipelines, middlewares and extensions talk to a `StateStore` only, never to sqlite or Redis
directly, so a shared store for several workers (issue 7) can replace the per-site sqlite file.

Delivery is two-phase so that a run killed at any moment neither loses nor duplicates an article:
1. `begin_run` records the run and the file its feed will be finalized to;
2. each emitted article is `stage`d under that run (it is in the `.part` file, not delivered yet);
3. `commit_run` turns the staged rows into delivered state once the feed file is finalized;
4. `recover` (at the start of the next run) commits runs whose file was finalized after all (the
   process died between the rename and the commit) and forgets runs whose file never was.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Protocol

from newscrawler.urls import canonical_form

# Fields that describe the article itself; the rest (fetch URL, crawl time, revision...) say how
# and when it was fetched and must not make an unchanged article look changed.
CONTENT_FIELDS = (
    "canonical_url",
    "headline",
    "description",
    "body",
    "authors",
    "date_published",
    "date_modified",
    "language",
    "section",
    "tags",
    "image",
    "quotes",
    "read_also",
    "is_accessible_for_free",
)


def content_hash(article: Mapping[str, Any]) -> str:
    """A stable digest of an article's content fields (key order and fetch details ignored).

    >>> a = {"headline": "A", "body": "x", "crawled_at": "2026-01-01T00:00:00Z"}
    >>> content_hash(a) == content_hash({**a, "crawled_at": "2027-01-01T00:00:00Z"})
    True
    >>> content_hash(a) == content_hash({**a, "body": "y"})
    False
    """
    content = {name: article.get(name) for name in CONTENT_FIELDS}
    encoded = json.dumps(
        content,
        sort_keys=True,
        ensure_ascii=False,  # pragma: no mutate (ensure_ascii=None is as falsy as False)
        separators=(",", ":"),
    )
    return hashlib.sha256(encoded.encode()).hexdigest()  # str.encode is always UTF-8


class StateError(RuntimeError):
    """The state cannot be used (unreadable file, other schema version...): says how to recover."""


class Verdict(Enum):
    """How an extracted article compares with what was delivered before."""

    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class ArticleState:
    """What is remembered of one delivered article (keyed by its canonical URL)."""

    canonical_url: str
    article_id: str | None
    content_hash: str
    revision: int
    first_seen: str
    last_seen: str
    date_published: str | None = None
    date_modified: str | None = None
    lastmod: str | None = None  # the newest sitemap lastmod / feed updated seen for it
    delivered_to: str | None = None  # the finalized file that holds the delivered revision


@dataclass(frozen=True)
class Staged:
    """An article emitted into a run's `.part` file, waiting for the file to be finalized."""

    canonical_url: str
    url: str | None
    article_id: str | None
    content_hash: str
    revision: int
    seen_at: str
    date_published: str | None = None
    date_modified: str | None = None
    lastmod: str | None = None


@dataclass(frozen=True)
class NotArticle:
    """A page fetched as an article candidate that was none (a video page, a gallery, "About
    us"): remembered so that the sitemaps listing it do not make every run fetch it again."""

    url: str
    checked_at: str
    lastmod: str | None = None  # the lastmod it was listed with when judged


def classify(previous: ArticleState | None, digest: str) -> tuple[Verdict, int]:
    """The verdict for an article with content `digest`, and the revision to emit it with.

    >>> classify(None, "h")
    (<Verdict.NEW: 'new'>, 1)
    """
    if previous is None:
        return Verdict.NEW, 1
    if previous.content_hash == digest:
        return Verdict.UNCHANGED, previous.revision
    return Verdict.UPDATED, previous.revision + 1


class StateStore(Protocol):
    """Per-site memory of delivered articles, with two-phase delivery (see module docstring)."""

    def get(self, url: str) -> ArticleState | None:
        """The delivered state of the article at `url` (its canonical or a fetched URL)."""

    def touch(self, url: str, seen_at: str, lastmod: str | None = None) -> None:
        """Record that a known article was seen unchanged (and the lastmod it was listed with)."""

    def note_not_article(self, url: str, checked_at: str, lastmod: str | None = None) -> None:
        """Remember that the page at `url` was fetched and is no article."""

    def not_article(self, url: str) -> NotArticle | None:
        """When the page at `url` was last judged no article, if it was."""

    def begin_run(self, run_id: str, output: Path | None, started_at: str) -> None:
        """Record a run and the file its feed will be finalized to."""

    def stage(self, run_id: str, article: Staged) -> None:
        """Hold an article emitted into the run's in-progress file."""

    def commit_run(self, run_id: str) -> int:
        """Mark the run's staged articles delivered (their file is finalized). Returns how many."""

    def recover(self, is_finalized: Callable[[Path], bool]) -> tuple[int, int]:
        """Settle unfinished runs of earlier processes: (runs committed, runs discarded)."""

    def reset(self) -> None:
        """Forget everything about the site."""

    def count(self) -> int:
        """How many delivered articles are known."""

    def count_not_articles(self) -> int:
        """How many listed pages are remembered as no article."""

    def templates(self) -> list[tuple[str, int, int, int]]:
        """The site's learned URL templates: (shape, articles, listings, others) rows
        (see newscrawler.discovery.templates)."""

    def save_templates(self, rows: Iterable[tuple[str, int, int, int]]) -> None:
        """Replace the site's learned URL templates."""

    def close(self) -> None:
        """Release the store's resources."""


def url_key(url: str) -> str:
    """The form a URL is remembered under: the crawl's canonical form (`newscrawler.urls`), so
    http/https, www, trailing-slash, fragment and tracking variants are one article.

    >>> url_key("HTTP://www.Example.com/a/?b=2&utm_source=rss&a=1#top")
    'https://example.com/a?a=1&b=2'
    >>> url_key("http://example.com:99999/")  # unparsable: kept as is, it matches nothing else
    'http://example.com:99999/'
    """
    try:
        return canonical_form(url)
    except ValueError:
        return url.strip()
