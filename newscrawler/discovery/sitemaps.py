"""Sitemaps: robots.txt `Sitemap:` lines, sitemap indexes, url sets, and Google News entries.

Scrapy's own sitemap helper drops the nested `news:*` elements; here they become `NewsInfo`, used
to skip old entries before fetching and as fallbacks (hints) for the article's fields.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urljoin

from lxml import etree

from newscrawler.discovery.dates import iso, parse_date
from newscrawler.discovery.xml import child_text, iter_top_level, local_name

GOOGLE_NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
# A sitemap may list at most 50,000 URLs; more is a broken or hostile file.
MAX_ENTRIES = 50_000


@dataclass(frozen=True)
class NewsInfo:
    """The `<news:news>` block of a Google News sitemap entry."""

    publication_date: datetime | None = None
    title: str | None = None
    language: str | None = None
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class SitemapEntry:
    """One `<url>` or `<sitemap>` entry."""

    loc: str
    lastmod: datetime | None = None
    news: NewsInfo | None = None

    @property
    def date(self) -> datetime | None:
        """Best known date: the news publication date, else lastmod."""
        if self.news is not None and self.news.publication_date is not None:
            return self.news.publication_date
        return self.lastmod

    def hints(self) -> dict[str, Any]:
        """Fallback article fields (schema names) known from the sitemap."""
        if self.news is None:
            return {}
        hints: dict[str, Any] = {}
        if self.news.publication_date is not None:
            hints["date_published"] = iso(self.news.publication_date)
        if self.news.title:
            hints["headline"] = self.news.title
        if self.news.language:
            hints["language"] = self.news.language.split("-")[0].lower()[:3]
        if self.news.keywords:
            hints["tags"] = list(self.news.keywords)
        return hints


@dataclass(frozen=True)
class Sitemap:
    """A parsed sitemap: an index (entries are sitemaps) or a url set (entries are pages)."""

    is_index: bool
    entries: tuple[SitemapEntry, ...]


def robots_sitemaps(robots_txt: str, base_url: str) -> list[str]:
    """Absolute URLs of the `Sitemap:` lines of a robots.txt (case-insensitive, any position).

    >>> robots_sitemaps("User-agent: *\\nsitemap: /s.xml\\n", "http://ex.com/robots.txt")
    ['http://ex.com/s.xml']
    """
    found = []
    for line in robots_txt.splitlines():
        name, _, value = line.partition(":")
        if name.strip().lower() == "sitemap" and value.strip():
            found.append(urljoin(base_url, value.partition("#")[0].strip()))
    return found


def _news(url_element: etree._Element) -> NewsInfo | None:
    for child in url_element:
        if local_name(child) == "news":
            break
    else:
        return None
    keywords = child_text(child, "keywords") or ""
    language = None
    for sub in child:
        if local_name(sub) == "publication":
            language = child_text(sub, "language")
    return NewsInfo(
        publication_date=parse_date(child_text(child, "publication_date")),
        title=child_text(child, "title"),
        language=language,
        keywords=tuple(k.strip() for k in keywords.split(",") if k.strip()),
    )


def iter_sitemap(data: bytes, base_url: str = "") -> tuple[bool, Iterator[SitemapEntry]] | None:
    """Stream a sitemap (plain or gzip): whether it is an index, and its entries one at a time.
    None when the document is not a sitemap.

    Streamed so that a 50,000-URL file never holds 50,000 entries: the spider turns each into a
    queued request before the next one is read. Relative `<loc>` values are resolved against
    `base_url`; entries without `<loc>` are skipped; at most MAX_ENTRIES are read.
    Raises ValueError (from discovery.xml) for oversized or corrupt compressed input.
    """
    streamed = iter_top_level(data)  # bounded memory on 50,000-URL files (issue 8)
    if streamed is None or local_name(streamed[0]) not in ("urlset", "sitemapindex"):
        return None
    root, children = streamed
    is_index = local_name(root) == "sitemapindex"

    def entries() -> Iterator[SitemapEntry]:
        wanted = "sitemap" if is_index else "url"
        count = 0
        for element in children:
            if local_name(element) != wanted:
                continue
            loc = child_text(element, "loc")
            if not loc:
                continue
            yield SitemapEntry(
                loc=urljoin(base_url, loc),
                lastmod=parse_date(child_text(element, "lastmod")),
                news=None if is_index else _news(element),
            )
            count += 1
            if count >= MAX_ENTRIES:
                return

    return is_index, entries()


def parse_sitemap(data: bytes, base_url: str = "") -> Sitemap | None:
    """Parse a whole sitemap (plain or gzip). None when the document is not a sitemap.

    iter_sitemap, with the entries collected: for callers that need them all at once.
    Raises ValueError (from discovery.xml) for oversized or corrupt compressed input.
    """
    streamed = iter_sitemap(data, base_url)
    if streamed is None:
        return None
    is_index, entries = streamed
    return Sitemap(is_index=is_index, entries=tuple(entries))
