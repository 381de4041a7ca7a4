"""The next page of a listing, however the site prints it.

In order of trust: `rel=next` (HTML's own word for it); the numbered link after the current page
inside a pagination container; a link marked "next" / "older posts" / "load more" by the classes
common themes use (WordPress, Bootstrap, Drupal, WP-PageNavi); a link whose text is one of those
words or an arrow; and, as before, /page/N+1/ or ?page=N+1 on the same path. The vocabulary is data
(newscrawler/data/pagination.toml), read once.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from urllib.parse import parse_qsl, urlsplit

from parsel import Selector

_PAGE_NUMBER = re.compile(r"(?:/page/(\d+)/?$)|(?:[?&](?:page|paged)=(\d+))", re.IGNORECASE)
_PATH_PAGE = re.compile(r"/page/\d+/?$", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
MAX_ANCHORS = 2000


@dataclass(frozen=True)
class Vocabulary:
    """Pagination markup and words (data/pagination.toml)."""

    containers: frozenset[str]
    next_classes: frozenset[str]
    load_more: frozenset[str]
    words: frozenset[str]
    arrows: frozenset[str]
    feed_paths: tuple[re.Pattern[str], ...]


@cache
def vocabulary() -> Vocabulary:
    """The built-in vocabulary, loaded once."""
    text = resources.files("newscrawler").joinpath("data/pagination.toml").read_text("utf-8")
    data = tomllib.loads(text)
    return Vocabulary(
        frozenset(data["container_classes"]),
        frozenset(data["next_classes"]),
        frozenset(data["load_more_classes"]),
        frozenset(data["next_words"]),
        frozenset(data["arrows"]),
        tuple(re.compile(p, re.IGNORECASE) for p in data["feed_path_patterns"]),
    )


def page_number(url: str) -> int:
    """The page number a listing URL carries (/page/N/, ?page=N, ?paged=N); 1 when none.

    >>> page_number("https://ex.com/news/page/3/"), page_number("https://ex.com/news")
    (3, 1)
    """
    match = _PAGE_NUMBER.search(url)
    return int(match.group(1) or match.group(2)) if match else 1


def is_next_text(text: str) -> bool:
    """Whether a link's text says "next page" in the vocabulary (arrows alone or beside a word).

    >>> [is_next_text(t) for t in ("Next »", "Page suivante", "Weiter", "»", "Read more", "3")]
    [True, True, True, True, False, False]
    """
    vocab = vocabulary()
    words = _SPACES.sub(" ", text).strip().lower()
    if not words or len(words) > 40:
        return False
    if words in vocab.words or words in vocab.arrows:
        return True
    stripped = words
    # longest first keeps a multi-character arrow whole; the data's only one, ">>", is made of
    # ">", so any order gives the same text today (no mutate: the order mutants are equivalent)
    for arrow in sorted(vocab.arrows, key=len, reverse=True):  # pragma: no mutate
        stripped = stripped.replace(arrow, " ")
    stripped = _SPACES.sub(" ", stripped).strip()
    return stripped != words and stripped in vocab.words


def _classes(value: str | None) -> set[str]:
    # an absent class attribute reads as "" (a mutant's "XXXX" names no class the rules know)
    return set((value or "").lower().split())  # pragma: no mutate


def _in_container(anchor: Selector, containers: frozenset[str]) -> bool:
    for ancestor in anchor.xpath("ancestor::*[@class][position() <= 4]"):
        if _classes(ancestor.attrib.get("class")) & containers:
            return True
    return False


def _current_number(selector: Selector, url: str) -> int:
    """The current page's number: the pagination's marked item (aria-current, .current, .active)
    when it is a number, else the number in the URL."""
    has = "contains(concat(' ', normalize-space(@class), ' '), ' {} ')"
    marked = selector.xpath(
        f"//*[@aria-current='page' or {has.format('current')} or {has.format('active')}]"
    )
    for node in marked[:20]:
        text = " ".join(node.xpath(".//text()").getall()).strip()
        if text.isdigit() and _in_container(node, vocabulary().containers | {"page-item"}):
            return int(text)
    return page_number(url)


def next_hrefs(selector: Selector, url: str) -> list[str]:
    """Raw hrefs of the next page(s) of this listing, most trusted first (not yet absolute).

    >>> page = Selector(text='<nav class="navigation pagination"><div class="nav-links">'
    ...     '<span aria-current="page" class="page-numbers current">1</span>'
    ...     '<a class="page-numbers" href="/news/p2">2</a>'
    ...     '<a class="page-numbers" href="/news/p3">3</a>'
    ...     '</div></nav><a href="/older">Older posts</a><a href="/x">Read more</a>')
    >>> next_hrefs(page, "https://ex.com/news")
    ['/news/p2', '/older']
    >>> next_hrefs(Selector(text='<a class="btn load-more" href="/news?offset=20">+</a>'), "https://ex.com/")
    ['/news?offset=20']
    """
    vocab = vocabulary()
    found: list[str] = selector.xpath(
        "//link[contains(concat(' ', @rel, ' '), ' next ')]/@href"
        " | //a[contains(concat(' ', @rel, ' '), ' next ')]/@href"
    ).getall()
    current: int | None = None
    for anchor in selector.xpath("//a[@href]")[:MAX_ANCHORS]:
        href = anchor.attrib["href"]
        if href.startswith(("#", "javascript:")):
            continue
        text = " ".join(anchor.xpath(".//text()").getall()).strip()
        classes = _classes(anchor.attrib.get("class"))
        parent = anchor.xpath("..")
        if parent:
            classes |= _classes(parent[0].attrib.get("class"))
        if text.isdigit():
            if current is None:
                current = _current_number(selector, url)
            if int(text) == current + 1 and _in_container(anchor, vocab.containers):
                found.append(href)
            continue
        marked = classes & vocab.next_classes and _in_container(anchor, vocab.containers)
        if classes & vocab.load_more or marked or is_next_text(text):
            found.append(href)
    return list(dict.fromkeys(found))


def numbered_successors(hrefs: list[str], url: str) -> list[str]:
    """Absolute URLs among `hrefs` that are page N+1 of this listing's own path (/page/N+1/,
    ?page=N+1), as rel=next-less themes print them.

    >>> numbered_successors(["https://ex.com/a/page/3/", "https://ex.com/a/page/2/",
    ...                      "https://ex.com/b/page/2/"], "https://ex.com/a/")
    ['https://ex.com/a/page/2/']
    """
    current = page_number(url)
    here = urlsplit(url).path.split("/page/")[0].rstrip("/")
    return [
        href
        for href in hrefs
        if page_number(href) == current + 1
        and urlsplit(href).path.split("/page/")[0].rstrip("/") == here
    ]


PAGE_KEYS = frozenset({"page", "paged", "pg", "start", "offset", "p"})


def listing_key(url: str) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    """A listing URL without its page number: two pages of one listing share it.

    >>> listing_key("https://ex.com/news/page/3/") == listing_key("https://ex.com/news/")
    True
    >>> listing_key("https://ex.com/a?page=2&s=x") == listing_key("https://ex.com/a?s=x&page=5")
    True
    """
    parts = urlsplit(url)
    path = _PATH_PAGE.sub("", parts.path).removesuffix("/")
    query = tuple(sorted((k, v) for k, v in parse_qsl(parts.query) if k.lower() not in PAGE_KEYS))
    return parts.netloc, path, query


def is_feed_path(url: str) -> bool:
    """Whether a URL's path looks like a feed (rss.xml, atom.xml, /feed, /rss, index.xml, feeds/…).

    >>> paths = ("/rss.xml", "/feed/", "/feeds/world", "/index.xml", "/features/")
    >>> [is_feed_path(f"https://ex.com{p}") for p in paths]
    [True, True, True, True, False]
    """
    path = urlsplit(url).path
    return "/comments/feed" not in path and any(p.search(path) for p in vocabulary().feed_paths)
