"""The standfirst: the lead paragraph a publisher prints under the headline ("article-subtitle",
"standfirst", "lead", "summary", "excerpt"...), the page's own summary of the article.

Why near the <h1>: the same class words also name teaser lists and site descriptions elsewhere on
the page; only an element in the headline's neighbourhood (under its ancestor a few levels up)
is the article's standfirst. Reading only that subtree also keeps the cost flat. Even there, a
class word shared by several elements is a list of other articles' excerpts, a class word inside
a link or a figure is a teaser card or a caption, and subscription boxes and photo credits are
not the article's summary.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import cast

from lxml import etree
from lxml.html import HtmlElement

from newscrawler.extraction.content_vocab import BOX_PREFIXES, CREDIT_MARKERS, JUNK_PREFIXES
from newscrawler.text import normalize_text

_CLASS = re.compile(
    r"(?:^|[\s_-])(?:sub-?title|standfirst|lead|intro|summary|excerpt|dek|abstract)"
    r"(?:$|[\s_-])",
    re.IGNORECASE,
)
_SKIP = re.compile(r"(?:^|[\s_-])(?:related|comment|nav|menu|footer|share|byline|author)", re.I)
_PARTS = re.compile(r"[\s_-]+")
# Class words of a picture or its caption ("lead-asset", "intro-image"), read on the element
# itself only: an ancestor's "has-image" or "has-medium-media" says nothing about the text.
_MEDIA_PARTS = frozenset(
    {"asset", "image", "img", "photo", "picture", "caption", "credit", "figure", "media", "video",
     "gallery"}
)  # fmt: skip
_NOT_OWN = frozenset({"a", "figure", "figcaption", "li"})  # a teaser card, a caption, a list item
_CREDITS = (*CREDIT_MARKERS, "photograph:", "photography:")
_REPEAT_LEVELS = 6
_SAME_CLASS = etree.XPath("count((descendant-or-self::*[@class = $cls])[position() <= 2])")
_LEVELS = 4  # how far up from the <h1> the shared ancestor may be
_MIN_CHARS, _MAX_CHARS = 30, 1000
_MAX_SCAN = 400
_MAX_LINK_SHARE = 0.3


def _top(h1: HtmlElement) -> HtmlElement | None:
    """The highest ancestor of the <h1> within _LEVELS, below <body>."""
    top = None
    for level, ancestor in enumerate(h1.iterancestors()):
        if level >= _LEVELS or ancestor.tag in ("body", "html"):
            break
        top = ancestor
    return top


def _teaser(el: HtmlElement, length: int) -> bool:
    """A box of other articles: headings inside, or mostly link text."""
    if next(el.iter("h2", "h3", "h4", "figure", "time"), None) is not None:
        return True
    linked = sum(len(a.text_content()) for a in el.iter("a"))
    return linked > _MAX_LINK_SHARE * length


@lru_cache(maxsize=4096)
def _named_standfirst(cls: str) -> bool:
    """A class naming a standfirst ("article__lead", "sub-title"), not a related box or byline."""
    return bool(_CLASS.search(cls)) and not _SKIP.search(cls)


@lru_cache(maxsize=4096)
def _boilerplate_class(cls: str, *, media: bool = False) -> bool:
    """A class naming a subscription box or a promotion ("article-subscribe--subtitle"), or with
    `media` a picture.

    >>> _boilerplate_class("article-subscribe--subtitle"), _boilerplate_class("article__lead")
    (True, False)
    >>> _boilerplate_class("lead-asset", media=True), _boilerplate_class("summary-art", media=True)
    (True, False)
    """
    parts = [p for p in _PARTS.split(cls.lower()) if p]
    if media and any(p in _MEDIA_PARTS for p in parts):
        return True
    return any(p.startswith(JUNK_PREFIXES + BOX_PREFIXES) for p in parts)


def _near(el: HtmlElement, top: HtmlElement) -> HtmlElement:
    """The element's ancestor _REPEAT_LEVELS up (at most `top`): where a list of excerpts would
    repeat its class."""
    node = el
    for _ in range(_REPEAT_LEVELS):
        parent = node.getparent()
        if parent is None or node is top:
            break
        node = parent
    return node


def _own(el: HtmlElement, top: HtmlElement) -> bool:
    """The article's own standfirst: its class is not repeated nearby (a list of excerpts), and
    neither it nor an ancestor below `top` is a link, figure, list item or boilerplate box."""
    cls = el.get("class") or ""
    if _boilerplate_class(cls, media=True) or cast(float, _SAME_CLASS(_near(el, top), cls=cls)) > 1:
        return False
    for node in (el, *el.iterancestors()):
        if node is top:
            return True
        if node.tag in _NOT_OWN or _boilerplate_class(node.get("class") or ""):
            return False
    return True


def find_standfirst(h1: HtmlElement | None) -> str | None:
    """The standfirst text in the headline's neighbourhood, or None.

    Only the subtree of the <h1>'s ancestor a few levels up is read (its first _MAX_SCAN
    elements), so the cost does not grow with the page.
    """
    top = _top(h1) if h1 is not None else None
    if h1 is None or top is None:
        return None
    holding_h1 = set(h1.iterancestors())  # they hold the headline: not its standfirst
    for count, el in enumerate(top.iter(etree.Element)):
        if count >= _MAX_SCAN:
            break
        cls = el.get("class")
        if not cls or not _named_standfirst(cls) or el.tag in ("h1", "img") or el in holding_h1:
            continue
        text = normalize_text(el.text_content())
        if not _MIN_CHARS <= len(text) <= _MAX_CHARS or _teaser(el, len(text)):
            continue
        if not any(marker in text.lower() for marker in _CREDITS) and _own(el, top):
            return text
    return None
