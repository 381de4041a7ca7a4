"""Read-also links: lines and boxes such as "A (re) lire : <a>Title</a>" lifted out of the body.

Why: portals drop links to their other articles into the text; they are not the article's words,
but where they point is useful data. A block is a read-also line when its text starts with a
phrase from data/read_also.toml (any language, plus the profile's), then a separator (":", a dash,
">", "»", "|"), the link itself, or nothing (a box heading; the link-only blocks after it are the
box's links). Phrases compare without case, accents, punctuation or spacing. Prose that merely
starts with the same words ("Voir aussi le rapport...") has no separator and is left alone.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib.resources import files
from types import MappingProxyType
from typing import Any
from urllib.parse import urljoin, urlsplit

from w3lib.url import safe_url_string

from newscrawler.extraction.blocks import Anchor, Block
from newscrawler.items import Link
from newscrawler.profiles.model import Profile
from newscrawler.text import normalize_text
from newscrawler.urls import strip_tracking

_WORD = re.compile(r"\w+")
_NOT_URL = re.compile(r"[\s\x00-\x1f\x7f]")
_SEPARATORS = frozenset(":：-–—>»›|/•·")
_GAP = frozenset(" \t\u00a0\u202f.…") | _SEPARATORS
_MAX_LINE = 300  # a read-also line is a title, not a paragraph
_SCAN = 80  # phrases are short: only the start of a block is compared


@cache
def _data() -> dict[str, Any]:
    return tomllib.loads(files("newscrawler").joinpath("data/read_also.toml").read_text("utf-8"))


def _fold(text: str) -> tuple[str, list[int]]:
    """Case- and accent-folded text, with the index in `text` of every folded character."""
    if text.isascii():
        return text.lower(), list(range(len(text)))
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        for part in unicodedata.normalize("NFKD", ch):
            if unicodedata.combining(part):
                continue
            for folded in part.casefold():
                chars.append(folded)
                index.append(i)
    return "".join(chars), index


@lru_cache(maxsize=8192)
def _folded_word(word: str) -> str | None:
    """The first word of a word folded (cached: most blocks open with a common word)."""
    found = _WORD.search(_fold(word)[0])
    return found.group() if found else None


def phrase_key(phrase: str) -> tuple[str, ...]:
    """The words of a phrase as compared: folded, punctuation and spacing ignored.

    >>> phrase_key("À (Re)lire :") == phrase_key("a (re) lire")
    True
    """
    return tuple(_WORD.findall(_fold(phrase)[0]))


@dataclass(frozen=True)
class Phrases:
    """Read-also phrases as word tuples, longest first (so "A lire aussi" wins over "A lire"),
    indexed by their first word so that most blocks are rejected after folding one word."""

    keys: tuple[tuple[str, ...], ...]
    by_first: Mapping[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, keys: Iterable[tuple[str, ...]]) -> Phrases:
        ordered = tuple(sorted(set(keys), key=lambda k: (-len(k), k)))
        by_first: dict[str, list[tuple[str, ...]]] = {}
        for key in ordered:
            by_first.setdefault(key[0], []).append(key)
        return cls(ordered, MappingProxyType({w: tuple(ks) for w, ks in by_first.items()}))

    def match(self, text: str) -> int | None:
        """Where the phrase that starts `text` ends (an index in `text`), or None."""
        head = text[:_SCAN]
        raw_first = _WORD.search(head)
        if raw_first is None:
            return None
        first = _folded_word(raw_first.group())
        candidates = self.by_first.get(first) if first else None
        if not candidates:
            return None
        folded, index = _fold(head)
        words = list(_WORD.finditer(folded))
        for key in candidates:
            if len(key) > len(words) or any(
                w.group() != k for w, k in zip(words[: len(key)], key, strict=True)
            ):
                continue
            end = index[words[len(key) - 1].end() - 1] + 1
            while end < len(text) and unicodedata.category(text[end]).startswith("M"):
                end += 1  # marks after the last letter (the tanwin of "أيضاً", the ें of "पढ़ें")
            return end
        return None


def _phrases(extra: Iterable[str]) -> Phrases:
    builtin = (p for ps in _data()["phrases"].values() for p in ps)
    return Phrases.of(k for k in map(phrase_key, (*builtin, *extra)) if k)


@cache
def default_phrases() -> Phrases:
    """Built-in phrases of every language, loaded once."""
    return _phrases(())


def phrases_for(profile: Profile | None) -> Phrases:
    """Built-in phrases plus the profile's own (any language)."""
    if profile is None or not profile.read_also_phrases:
        return default_phrases()
    return _extended(tuple(p for ps in profile.read_also_phrases.values() for p in ps))


@cache
def _extended(extra: tuple[str, ...]) -> Phrases:
    return _phrases(extra)


def clean_url(href: str | None, base_url: str | None = None) -> str | None:
    """Absolute http(s) URL without tracking parameters (utm_*, fbclid, gclid...), else None.

    The tracking parameters are `newscrawler.urls`'s (one list for crawl and output URLs); unlike
    a crawl URL, a read-also link keeps its fragment.

    >>> clean_url("/a?id=3&utm_source=x&fbclid=y#top", "https://news.example/b")
    'https://news.example/a?id=3#top'
    """
    if not href or not href.strip():
        return None
    try:
        url = urljoin(base_url or "", href.strip())
        # No host before w3lib reads it: w3lib 2.6 parses as browsers do and would turn
        # "http:///x" into "http://x/", so the host check must not depend on its version.
        if not url.startswith(("http://", "https://")) or not urlsplit(url).hostname:
            return None
        url = safe_url_string(strip_tracking(url, keep_fragment=True))
    except ValueError:  # unparsable host or port: a link we cannot give
        return None
    return None if _NOT_URL.search(url) else url


def _after(text: str, end: int) -> tuple[str, bool]:
    """The text after a phrase ending at `end`, separators skipped; and whether there was one."""
    gap = end
    while gap < len(text) and text[gap] in _GAP:
        gap += 1
    return normalize_text(text[gap:]), any(ch in _SEPARATORS for ch in text[end:gap])


def _title(anchor_text: str, prefix: str) -> str:
    """An anchor's title; when the link wraps the phrase too ("<a>Read also: T</a>"), just T."""
    if prefix and anchor_text.startswith(prefix):
        return _after(anchor_text, len(prefix))[0]
    return anchor_text


def _declared(anchor: Anchor, title: str) -> str:
    """The link's title attribute when it is the visible title without the kicker glued before it
    ("Unterdrückung in Russland Die Gesichter…" titled "Die Gesichter…") or the whole of a title
    the text cuts short ("Famous men and…"); else the visible title.

    >>> link = Anchor("Russia Faces of prisoners", "u", "Faces of prisoners")
    >>> _declared(link, link.text)
    'Faces of prisoners'
    >>> _declared(Anchor("Read more", "u", "Click here"), "Read more")
    'Read more'
    """
    declared, shown = _words(anchor.title), _words(title.rstrip("…. "))
    if not declared or not shown or declared == shown:
        return title
    if f" {declared} " in f" {shown} " and len(declared) >= len(shown) / 3:
        return anchor.title
    return anchor.title if declared.startswith(shown) else title


def _words(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def _links(block: Block, rest: str, prefix: str, base_url: str | None) -> list[Link]:
    """The links of a read-also block: one per anchor, or the rest of the line without a URL."""
    anchors = [a for a in block.anchors if a.text] or list(block.anchors[:1])
    if not anchors:
        return [{"title": rest, "url": None}] if rest else []
    links: list[Link] = []
    for anchor in anchors:
        title = _title(anchor.text, prefix) or (rest if len(anchors) == 1 else "")
        if title and anchor.title:
            title = _declared(anchor, title)
        if title:
            links.append({"title": title, "url": clean_url(anchor.href, base_url)})
    return links


def _link_only(block: Block) -> bool:
    """A block that is (nearly) all link text: an item of a read-also box."""
    linked = sum(len(a.text) for a in block.anchors)
    return bool(block.anchors) and len(block.text) <= _MAX_LINE and linked >= 0.6 * len(block.text)


def _read_also_rest(block: Block, phrases: Phrases) -> tuple[str, str] | None:
    """(the phrase as written, the text after it) when `block` is a read-also line or box
    heading, else None."""
    if block.kind == "quote":
        return None
    end = phrases.match(block.text)
    if end is None:
        return None
    rest, has_separator = _after(block.text, end)
    first = block.anchors[0].text if block.anchors else ""
    starts_link = bool(first) and (rest.startswith(first) or first == block.text)
    if rest and not (has_separator or starts_link):
        return None
    if len(rest) > (_MAX_LINE * 2 if block.kind == "box" else _MAX_LINE):
        return None
    return block.text[:end], rest


def split_read_also(
    blocks: list[Block], *, base_url: str | None, phrases: Phrases
) -> tuple[list[Block], list[Link]]:
    """Body blocks without the read-also lines and boxes, and the links they held (deduplicated)."""
    body: list[Block] = []
    links: list[Link] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        found = _read_also_rest(block, phrases)
        i += 1
        if found is None:
            body.append(block)
            continue
        prefix, rest = found
        if rest or block.anchors:
            links.extend(_links(block, rest, prefix, base_url))
            continue
        while i < len(blocks) and _link_only(blocks[i]) and blocks[i].kind != "quote":
            links.extend(_links(blocks[i], blocks[i].text, "", base_url))
            i += 1
    seen: set[tuple[str, str | None]] = set()
    unique = []
    for link in links:
        if (link["title"], link["url"]) not in seen:
            seen.add((link["title"], link["url"]))
            unique.append(link)
    return body, unique
