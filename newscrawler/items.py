"""The output schema, typed: one Article per JSON line (see schema/article-v1.json)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypedDict


class Quote(TypedDict):
    """A quotation lifted out of the article, with the attribution as the publisher wrote it."""

    text: str
    attribution: str | None


class Link(TypedDict):
    """A "read also" link: the title as shown, and the absolute URL (None when not linked)."""

    title: str
    url: str | None


@dataclass
class Article:
    """One article, in the order of schema v1. Every field has a default so loaders can fill it."""

    id: str | None = None
    url: str | None = None
    canonical_url: str | None = None
    site: str | None = None
    headline: str | None = None
    description: str | None = None
    body: str = ""
    authors: list[str] = field(default_factory=list)
    date_published: str | None = None
    date_modified: str | None = None
    language: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    image: str | None = None
    quotes: list[Quote] = field(default_factory=list)
    read_also: list[Link] = field(default_factory=list)
    is_accessible_for_free: bool | None = None
    revision: int = 1
    crawled_at: str | None = None
    schema_version: int = 1


@dataclass
class ArchivedArticle(Article):
    """An Article of a crawl with --archive: schema v1's optional `archive` field comes last,
    {"file": WARC file name, "offset": its response record's offset} (docs/archive.md)."""

    archive: dict[str, object] | None = None
