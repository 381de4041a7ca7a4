"""RSS 2.0, Atom and RDF (RSS 1.0) feeds: entry links with their date, title, categories and
authors.

Feed dates let the spider skip entries older than `since` before fetching them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urljoin

from lxml import etree

from newscrawler.discovery.dates import iso, parse_date
from newscrawler.discovery.xml import child_text, local_name, parse_xml, text_of

MAX_ENTRIES = 10_000
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


@dataclass(frozen=True)
class FeedEntry:
    """One item/entry of a feed."""

    link: str
    published: datetime | None = None
    updated: datetime | None = None
    title: str | None = None
    tags: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()

    def hints(self) -> dict[str, Any]:
        """Fallback article fields (schema names) known from the feed."""
        hints: dict[str, Any] = {}
        if self.published is not None:
            hints["date_published"] = iso(self.published)
        if self.title:
            hints["headline"] = self.title
        if self.tags:
            hints["tags"] = list(self.tags)
        if self.authors:
            hints["authors"] = list(self.authors)
        return hints


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in element if local_name(c) == name]


_RSS_AUTHOR = re.compile(r"^\S+@\S+\s*\((?P<name>[^)]+)\)\s*$")


def _authors(item: etree._Element, atom: bool) -> list[str]:
    """Atom <author><name>, Dublin Core <dc:creator>, RSS <author> ("desk@x.org (Jane Doe)"; a
    bare e-mail address names nobody).

    >>> rss = etree.fromstring(b"<item><author>desk@x.org (Jane Doe)</author></item>")
    >>> _authors(rss, False)
    ['Jane Doe']
    """
    if atom:
        names = [child_text(a, "name") or "" for a in _children(item, "author")]
    else:
        names = [text_of(c) for c in _children(item, "creator")]
        for author in _children(item, "author"):
            text = text_of(author).strip()
            match = _RSS_AUTHOR.match(text)
            names.append(match["name"] if match else "" if "@" in text else text)
    return list(dict.fromkeys(" ".join(n.split()) for n in names if n and n.strip()))


def _atom_link(entry: etree._Element) -> str | None:
    links = _children(entry, "link")
    for link in links:
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link.get("href")
    return next((link.get("href") for link in links if link.get("href")), None)


def _entry(item: etree._Element, atom: bool, base_url: str) -> FeedEntry | None:
    if atom:
        link = _atom_link(item)
        date = child_text(item, "published") or child_text(item, "updated")
        updated = child_text(item, "updated")
        tags = [c.get("term") or "" for c in _children(item, "category")]
    else:
        link = child_text(item, "link") or item.get(f"{{{RDF_NS}}}about")
        guid = _children(item, "guid")
        if not link and guid and guid[0].get("isPermaLink", "true") == "true":
            link = child_text(item, "guid")
        date = child_text(item, "pubdate") or child_text(item, "date")
        updated = child_text(item, "modified") or child_text(item, "updated")
        tags = [text_of(c) for c in _children(item, "category")]
        tags += [text_of(c) for c in _children(item, "subject")]
    if not link:
        return None
    title = child_text(item, "title")
    return FeedEntry(
        link=urljoin(base_url, link.strip()),
        published=parse_date(date),
        updated=parse_date(updated),
        title=" ".join(title.split()) if title else None,
        tags=tuple(t.strip() for t in tags if t and t.strip()),
        authors=tuple(_authors(item, atom)),
    )


def parse_feed(data: bytes, base_url: str = "") -> list[FeedEntry] | None:
    """Entries of an RSS 2.0, Atom or RDF feed, in document order; None when not a feed."""
    root = parse_xml(data)
    if root is None:
        return None
    kind = local_name(root)
    if kind == "feed":
        items = _children(root, "entry")
    elif kind == "rss":
        items = [i for channel in _children(root, "channel") for i in _children(channel, "item")]
    elif kind == "rdf":
        items = _children(root, "item")
        items += [i for channel in _children(root, "channel") for i in _children(channel, "item")]
    else:
        return None
    entries = []
    for item in items[:MAX_ENTRIES]:
        entry = _entry(item, kind == "feed", base_url)
        if entry is not None:
            entries.append(entry)
    return entries
