"""The article's header zone: the short lines printed around the headline (byline, dateline).

Why a module: dates and bylines are both read from the few elements around the headline, in
short lines ("By Jane Doe · Updated March 3, 2024"), outside navigation, comments and related
lists. Finding those lines cheaply (two XPath axes from the headline, text read only up to a
line's length) is one job; what a line means is the caller's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, cast

from lxml import etree
from lxml.html import HtmlElement

SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "select", "option"})
_SKIP_REGION_TAGS = frozenset({"nav", "footer", "aside", "form"})
_SKIP_REGION_WORDS = frozenset(
    {"comment", "comments", "related", "teaser", "sidebar", "widget", "footer", "nav", "menu"}
)
_SECTION_TAGS = frozenset({"body", "html", "article", "main", "header", "section"})
MAX_LINE = 160  # a byline or dateline is short; longer text is prose
_BEFORE = 40  # elements before the headline (kicker, category, date above the title)
_AFTER = 150  # elements after it (byline block, share bar, lead)


def find_anchor(tree: HtmlElement, headline: str | None) -> HtmlElement | None:
    """The element that prints the headline when it is not an <h1> (a <legend>, a styled
    <div>): the innermost element of the body whose whole text is the headline.

    >>> from lxml.html import fromstring
    >>> page = fromstring("<html><body><h2>News</h2><div><p> My  title</p></div></body></html>")
    >>> find_anchor(page, "My title").tag
    'p'
    """
    if not headline:
        return None
    found = cast(list[Any], _HEADLINE_AT(tree, h=" ".join(headline.split())))
    return owner(found[0]) if found else None


# One text node that is the whole headline (a headline split over several nodes is left alone:
# comparing the text of every element costs a pass over the page per element depth).
_HEADLINE_AT = etree.XPath("(//body//text()[normalize-space(.) = $h])[1]")


def owner(text: Any) -> HtmlElement | None:
    """The element whose own text a text node is (a tail belongs to the parent's parent)."""
    parent = text.getparent()
    if parent is not None and (text.is_tail or not isinstance(parent.tag, str)):
        parent = parent.getparent()
    return cast(HtmlElement | None, parent)


def skipped(el: HtmlElement, stop: frozenset[HtmlElement] = frozenset()) -> bool:
    """Inside navigation, comments, related-story lists and other regions that are not the
    article's own header (their dates belong to other content). Only the ancestors below
    `stop` (the headline's own ancestors) count: a layout wrapper that holds the headline is
    not a sidebar, whatever its class says ("m-article--sidebar-right"). A <footer> inside an
    <article> is that article's footer (byline, date), not the page's."""
    for node in (el, *el.iterancestors()):
        if node in stop:
            return False
        tag = node.tag
        if tag in _SKIP_REGION_TAGS and not (tag == "footer" and _in_article(node)):
            return True
        value = node.get("class") or node.get("id")
        if value and _SKIP_REGION_WORDS & set(re.split(r"[\s_-]+", value.casefold())):
            return True
    return False


def _in_article(el: HtmlElement) -> bool:
    return any(node.tag == "article" for node in el.iterancestors())


def line_text(el: HtmlElement, limit: int = MAX_LINE) -> str | None:
    """Visible text with a space between elements ("Mental Health</a>DECEMBER 22" stays two
    words), whitespace collapsed; None as soon as it grows past `limit` characters (a block of
    prose is not read to its end just to learn that it is long)."""
    parts: list[str] = []
    size = 0
    for piece in el.itertext():
        size += len(piece)
        if size > limit * 4:  # generous: whitespace collapses afterwards
            return None
        parts.append(piece)
    text = " ".join(" ".join(parts).split())
    return text if len(text) <= limit else None


def line_of(el: HtmlElement, anchor: HtmlElement | None = None) -> tuple[HtmlElement, str] | None:
    """The widest element around `el` that is still one short line (a label in a sibling
    element joins its date), and its text; it never takes in the headline or a section.
    None when `el` itself is longer than a line."""
    text = line_text(el)
    if text is None:
        return None
    node = el
    for _ in range(3):
        parent = node.getparent()
        if parent is None or parent.tag in _SECTION_TAGS:
            break
        wider = line_text(parent)
        if wider is None or (anchor is not None and anchor in parent.iterdescendants()):
            break
        node, text = parent, wider
    return node, text


def _following(anchor: HtmlElement, limit: int) -> Iterator[HtmlElement]:
    """The first `limit` elements after the anchor's subtree, in document order (XPath's
    following axis, walked lazily: a caller that stops early pays for what it read)."""
    count = 0
    node: HtmlElement | None = anchor
    while node is not None:
        for sibling in node.itersiblings():
            for el in sibling.iter():
                if isinstance(el.tag, str):
                    yield el
                    count += 1
                    if count >= limit:
                        return
        node = node.getparent()


_LAST_ELEMENTS = etree.XPath("(descendant-or-self::*)[position() > last() - $k]")


def _preceding(anchor: HtmlElement, limit: int) -> Iterator[HtmlElement]:
    """The `limit` elements before the anchor (not its ancestors, not <head>), nearest first."""
    count = 0
    node: HtmlElement | None = anchor
    while node is not None:
        for sibling in node.itersiblings(preceding=True):
            if not isinstance(sibling.tag, str) or sibling.tag == "head":
                continue  # comments, processing instructions, the <head>
            # the sibling's last elements only: a mega-menu before the headline holds thousands
            tail = cast(list[HtmlElement], _LAST_ELEMENTS(sibling, k=limit - count))
            for el in reversed(tail):
                yield el
                count += 1
            if count >= limit:
                return
        node = node.getparent()


def window(tree: HtmlElement, anchor: HtmlElement | None) -> Iterator[tuple[HtmlElement, int]]:
    """The elements around the anchor (the headline) with their distance from it, nearest
    first; the headline itself is left out: a date in it is its subject ("Wahl am 12.03.2023"),
    not its date. Without an anchor, the first elements of the page's <article>/<main>."""
    if anchor is None:
        for tag in ("article", "main"):
            found = next(tree.iter(tag), None)
            if found is not None:
                for distance, el in enumerate(found.iter()):
                    if distance >= _AFTER:
                        return
                    if isinstance(el.tag, str):
                        yield el, distance
                return
        return
    after, before = _following(anchor, _AFTER), _preceding(anchor, _BEFORE)
    for distance in range(1, max(_AFTER, _BEFORE) + 1):
        ahead, behind = next(after, None), next(before, None)
        if ahead is None and behind is None:
            return
        if ahead is not None:
            yield ahead, distance
        if behind is not None:
            yield behind, distance
