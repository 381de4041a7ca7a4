"""The standfirst: the lead paragraph a publisher prints under the headline ("article-subtitle",
"standfirst", "lead", "summary", "excerpt"...), the page's own summary of the article.

Why near the <h1>: the same class words also name teaser lists and site descriptions elsewhere on
the page; only an element in the headline's neighbourhood (under its ancestor a few levels up)
is the article's standfirst. Reading only that subtree also keeps the cost flat.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement

from newscrawler.text import normalize_text

_CLASS = re.compile(
    r"(?:^|[\s_-])(?:sub-?title|standfirst|lead|intro|summary|excerpt|dek|abstract)"
    r"(?:$|[\s_-])",
    re.IGNORECASE,
)
_SKIP = re.compile(r"(?:^|[\s_-])(?:related|comment|nav|menu|footer|share|byline|author)", re.I)
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


def find_standfirst(h1: HtmlElement | None) -> str | None:
    """The standfirst text in the headline's neighbourhood, or None.

    Only the subtree of the <h1>'s ancestor a few levels up is read (its first _MAX_SCAN
    elements), so the cost does not grow with the page.
    """
    top = _top(h1) if h1 is not None else None
    if top is None:
        return None
    for count, el in enumerate(top.iter(etree.Element)):
        if count >= _MAX_SCAN:
            break
        cls = el.get("class")
        if not cls or not _CLASS.search(cls) or _SKIP.search(cls):
            continue
        if el.tag in ("h1", "a", "img") or h1 in el.iterdescendants():
            continue
        text = normalize_text(el.text_content())
        if _MIN_CHARS <= len(text) <= _MAX_CHARS and not _teaser(el, len(text)):
            return text
    return None
