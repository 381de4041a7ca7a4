"""Tags printed on the page, for pages whose metadata lists none.

Why: many publishers show the article's topics as a row of links ("Themen: Energie, Berlin")
without repeating them in a keywords meta tag or JSON-LD. They are found by what marks a tag
in the markup: `rel="tag"` links (WordPress) and the links or buttons of a tag-list container
("tags", "taglist", "tag-list", "tags-widget", "related-tags"). Links to topic pages alone are not
enough: site menus link to them too. Links in <nav>, <aside> and the page's own header and footer
never count, and of several rows (categories, then tags) the longest is taken.
"""

from __future__ import annotations

import re
from typing import Any, cast

from lxml import etree
from lxml.html import HtmlElement

from newscrawler.text import normalize_text

# Attribute values only, picked in C: rel values of links that mention "tag", and class values
# holding "ag" (tags, taglist, tag-list...); the exact tests then run in Python on those few.
_TAG_ATTRIBUTES = etree.XPath("//a/@rel[contains(., 'tag')] | //@class[contains(., 'ag')]")
_TAG_CLASS = re.compile(
    r"(?:^|[\s_-])(?:tags|tag-?list|taglist|tags-widget|related-tags)(?:[\s_-]|$)", re.I
)
_OUTSIDE = frozenset({"nav", "aside", "menu"})  # site menus and sidebars
_PAGE_FRAME = frozenset({"header", "footer"})  # the page's, unless inside the article
_ARTICLE = frozenset({"article", "main"})
_WRAPPER_LEVELS = 4  # elements that wrap one tag link each (<li>, <span>, components)
_MAX_TAG_CHARS = 60
_MAX_TAGS = 30


def _tag_links(tree: HtmlElement) -> list[HtmlElement]:
    """`rel="tag"` links and the links and buttons inside tag-list containers, in order."""
    found: list[HtmlElement] = []
    for value in cast(list[Any], _TAG_ATTRIBUTES(tree)):
        if value.attrname == "rel":
            if "tag" in str(value).split():
                found.append(value.getparent())
        elif _TAG_CLASS.search(str(value)):
            found.extend(value.getparent().iter("a", "button"))
    return list(dict.fromkeys(found))


def page_tags(tree: HtmlElement) -> list[str]:
    """Texts of the largest row of tag links on the page (the first on a tie), or []."""
    matched = _tag_links(tree)
    inner = {el for link in matched for el in link.iterdescendants()}
    rows: dict[HtmlElement, list[str]] = {}
    for link in matched:
        if link in inner or not _in_article_part(link):
            continue  # an <a> inside a matched <button> is the same tag
        text = _tag_text(link)
        if not 0 < len(text) <= _MAX_TAG_CHARS or text[-1] in ".!?":
            continue
        row = rows.setdefault(_row_of(link), [])
        if text not in row:
            row.append(text)
    best = max(rows.values(), key=len, default=[])
    return best[:_MAX_TAGS]


def _tag_text(link: HtmlElement) -> str:
    """The tag's words: without a count printed in its own element ("Gaza <span>398</span>")
    or a "#" icon standing apart ("# Brexit"); a number that is part of the text stays."""
    parts = [link.text or ""]
    for child in link.iterdescendants():
        if not isinstance(child.tag, str):
            continue
        own = normalize_text(child.text or "")
        if own and not own.isdigit():
            parts.append(child.text or "")
        parts.append(child.tail or "")
    text = normalize_text(" ".join(parts))
    return text[2:] if text.startswith("# ") else text


def _in_article_part(link: HtmlElement) -> bool:
    """Not in a menu or sidebar, nor in the page's header or footer (an <article>'s own footer,
    where WordPress themes print the tags, counts)."""
    frame = False
    for ancestor in link.iterancestors():
        if ancestor.tag in _OUTSIDE:
            return False
        if ancestor.tag in _ARTICLE:
            return True
        frame = frame or ancestor.tag in _PAGE_FRAME
    return not frame


def _row_of(link: HtmlElement) -> HtmlElement:
    """The element holding a row of tag links: above the wrappers around this one link
    (<li>, <span>, a component holding only it)."""
    node = link
    for _ in range(_WRAPPER_LEVELS):
        parent = node.getparent()
        if parent is None or sum(isinstance(child.tag, str) for child in parent) > 1:
            break  # (comments, which frameworks scatter, are not elements of the row)
        node = parent
    parent = node.getparent()
    return parent if parent is not None else node
