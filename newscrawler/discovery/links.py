"""Links a page offers to discovery: feeds, pagination, canonical/AMP, and plain anchors.

Only http(s) URLs come out, absolute, with fragments and tracking parameters removed.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from parsel import Selector

from newscrawler.discovery.pagination import (
    is_feed_path,
    next_hrefs,
    numbered_successors,
    page_number,
)
from newscrawler.urls import clean_url

__all__ = ["page_number"]  # re-exported: pagination.page_number, known here first

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
# Where feeds usually live when a page does not announce one (WordPress, Hugo, Jekyll, Ghost...).
COMMON_FEED_PATHS = ("/feed/", "/rss", "/feed.xml", "/rss.xml", "/atom.xml", "/index.xml")
COMMON_SITEMAP_PATHS = ("/sitemap.xml", "/sitemap_index.xml")
MAX_LINKS_PER_PAGE = 2000


def absolute(href: str | None, base: str) -> str | None:
    """Absolute cleaned http(s) URL, or None (javascript:, mailto:, malformed...)."""
    if not href or not href.strip():
        return None
    try:
        url = urljoin(base, href.strip())
        parts = urlsplit(url)
        _ = parts.port  # raises ValueError on a malformed port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return clean_url(url)


def base_url(selector: Selector, url: str) -> str:
    """The page's <base href> resolved against its URL, else the URL."""
    return urljoin(url, selector.xpath("//base/@href").get() or "")


def feed_links(selector: Selector, url: str) -> list[str]:
    """Feeds announced by <link rel="alternate" type="application/rss+xml|atom+xml">, and plain
    <a> links with a feed type or a feed-like path (rss.xml, /feed, feeds/...) on the same host.

    >>> page = Selector(text='<a href="/rss.xml" type="application/rss+xml">RSS</a>'
    ...                      '<a href="/feeds/world">World</a><a href="/features/">F</a>')
    >>> feed_links(page, "https://ex.com/")
    ['https://ex.com/rss.xml', 'https://ex.com/feeds/world']
    """
    base = base_url(selector, url)
    found = []
    for link in selector.xpath("//link[@href][@rel][@type]"):
        rel = link.attrib["rel"].lower().split()
        kind = link.attrib["type"].lower().strip()
        if "alternate" in rel and kind in FEED_TYPES:
            absolute_url = absolute(link.attrib["href"], base)
            if absolute_url and "/comments/feed" not in absolute_url:
                found.append(absolute_url)
    host = urlsplit(url).hostname
    for anchor in selector.xpath("//a[@href]")[:MAX_LINKS_PER_PAGE]:
        absolute_url = absolute(anchor.attrib["href"], base)
        if not absolute_url or urlsplit(absolute_url).hostname != host:
            continue
        # an absent type reads as "" (a mutant's "XXXX" is no feed type either)
        kind = (anchor.attrib.get("type") or "").lower().strip()  # pragma: no mutate
        if kind in FEED_TYPES or is_feed_path(absolute_url):
            found.append(absolute_url)
    return list(dict.fromkeys(found))


def canonical_link(selector: Selector, url: str) -> str | None:
    """The page's <link rel="canonical">, absolute, or None."""
    href = selector.xpath("//link[contains(concat(' ', @rel, ' '), ' canonical ')]/@href").get()
    return absolute(href, base_url(selector, url))


def is_amp_page(selector: Selector) -> bool:
    """True for an AMP document (<html amp> or <html ⚡>)."""
    root = selector.root  # the document element: always <html> for an HTML selector
    return root.tag == "html" and any(name in ("amp", "⚡") for name in root.attrib)


def next_pages(selector: Selector, url: str) -> list[str]:
    """Pagination successors (see discovery.pagination): rel=next, the numbered link after the
    current page, "next"/"older posts"/"load more" links, and /page/N+1/ or ?page=N+1 anchors."""
    base = base_url(selector, url)
    found = [absolute(href, base) for href in next_hrefs(selector, url)]
    hrefs = selector.xpath("//a/@href").getall()[:MAX_LINKS_PER_PAGE]
    found += numbered_successors([u for u in (absolute(h, base) for h in hrefs) if u], url)
    return [u for u in dict.fromkeys(found) if u and u != url]


def anchors(selector: Selector, url: str) -> list[str]:
    """Every distinct http(s) anchor target of the page, in document order (capped)."""
    base = base_url(selector, url)
    found = (absolute(href, base) for href in selector.xpath("//a/@href").getall())
    return [u for u in dict.fromkeys(found) if u][:MAX_LINKS_PER_PAGE]
