"""Tags printed on the page, for pages whose metadata lists none.

Why: many publishers show the article's topics as a row of links ("Themen: Energie, Berlin")
without repeating them in a keywords meta tag or JSON-LD. They are found by what marks a tag
in the markup: `rel="tag"` links (WordPress) and the links or buttons of a tag-list container
("tags", "taglist", "tag-list", "tags-widget", "related-tags"). Links to topic pages alone are not
enough: site menus link to them too. Links in <nav>, <aside> and the page's own header and footer
never count, and of several rows (categories, then tags) the longest is taken.

A tag leads into the site's own topic pages, so a link that leads elsewhere is none, whatever
box it sits in: themes put share buttons beside the tags and name the box after both
("tags-share-box"). Such a link is one to another site (when the page's URL is known), one that
hands a URL to an endpoint (`sharer.php?u=https%3A...`, `intent/tweet?text=...http...`), a
`mailto:`/`tel:`/`javascript:` link, or an in-page `#` anchor (like and expand buttons).
WordPress marks the post's categories `rel="category tag"`: those name the section, not a tag.
"""

from __future__ import annotations

import re
from typing import Any, cast
from urllib.parse import unquote, urlsplit

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
_WEB_SCHEMES = frozenset({"", "http", "https"})
_URL_IN_QUERY = re.compile(r"(?:https?|www)[.:]", re.I)  # after unquoting: a URL handed over
_GENERIC_LABELS = frozenset(
    {"www", "m", "amp", "news", "com", "co", "org", "net", "gov", "ac", "edu"}
)


def is_tag_rel(rel: str) -> bool:
    """A link's rel naming a tag (`rel="tag"`, `rel="category tag"`)."""
    return "tag" in rel.split()


def is_tag_class(cls: str) -> bool:
    """A class of a tag-list container (tested on classes holding "ag", as `_TAG_ATTRIBUTES`
    selects them)."""
    return _TAG_CLASS.search(cls) is not None


def tag_links_of(marked: list[tuple[HtmlElement, bool]]) -> list[HtmlElement]:
    """The tag links from the elements that mark them, in document order: (a link whose rel
    names a tag, True) or (a tag-list container, False), whose links and buttons count."""
    found: list[HtmlElement] = []
    for el, by_rel in marked:
        if by_rel:
            found.append(el)
        else:
            found.extend(el.iter("a", "button"))
    return list(dict.fromkeys(found))


def _tag_links(tree: HtmlElement) -> list[HtmlElement]:
    """`rel="tag"` links and the links and buttons inside tag-list containers, in order."""
    marked: list[tuple[HtmlElement, bool]] = []
    for value in cast(list[Any], _TAG_ATTRIBUTES(tree)):
        if value.attrname == "rel":
            if is_tag_rel(str(value)):
                marked.append((value.getparent(), True))
        elif is_tag_class(str(value)):
            marked.append((value.getparent(), False))
    return tag_links_of(marked)


def page_tags(
    tree: HtmlElement, url: str | None = None, links: list[HtmlElement] | None = None
) -> list[str]:
    """Texts of the largest row of tag links on the page (the first on a tie), or [].

    `url`, the page's address, lets links to other sites be told apart from the site's own.
    `links`, when given, are the page's tag links as `_tag_links` finds them (read by a walk
    that met them already).
    """
    matched = _tag_links(tree) if links is None else links
    inner = {el for link in matched for el in link.iterdescendants()}
    site = _site_labels(url)
    rows: dict[HtmlElement, list[str]] = {}
    for link in matched:
        if link in inner or not _in_article_part(link) or not _into_site(link, site):
            continue  # an <a> inside a matched <button> is the same tag
        if "category" in (link.get("rel") or "").lower().split():
            continue  # WordPress's rel="category tag": the section, not a tag
        text = _tag_text(link)
        if not 0 < len(text) <= _MAX_TAG_CHARS or text[-1] in ".!?":
            continue
        row = rows.setdefault(_row_of(link), [])
        if text not in row:
            row.append(text)
    best = max(rows.values(), key=len, default=[])
    return best[:_MAX_TAGS]


def _site_labels(url: str | None) -> frozenset[str]:
    """The distinctive labels of a URL's host: "www.bbc.co.uk" -> {"bbc"}, so the site's other
    hosts (bbc.com) match; the whole host when it has none (an IP address, "localhost").

    >>> sorted(_site_labels("https://www.bbc.co.uk/news/1")), sorted(_site_labels(None))
    (['bbc'], [])
    """
    host = (urlsplit(url).hostname or "") if url else ""
    if host.replace(".", "").isdigit() or ":" in host:
        return frozenset({host})  # an IP address
    labels = frozenset(x for x in host.split(".")[:-1] if x not in _GENERIC_LABELS)
    return labels or frozenset({host} if host else ())


def _into_site(link: HtmlElement, site: frozenset[str]) -> bool:
    """Whether a link (or a button, which has no href) may lead to one of the site's own pages.

    >>> from lxml.html import fragment_fromstring as f
    >>> bbc = _site_labels("https://www.bbc.com/news/1")
    >>> [_into_site(f(a), bbc) for a in ('<a href="/topics/c1">x</a>', '<button>x</button>',
    ...  '<a href="https://www.bbc.co.uk/topics/c1">x</a>', '<a href="https://x.com/bbc">x</a>',
    ...  '<a href="/share?url=https%3A%2F%2Fwww.bbc.com%2Fnews%2F1">x</a>',
    ...  '<a href="mailto:?body=x">x</a>', '<a href="#">x</a>')]
    [True, True, True, False, False, False, False]
    """
    href = (link.get("href") or "").strip() if link.tag == "a" else ""
    if not href:
        return True
    if href.startswith("#"):
        return False  # an in-page control: a like, expand or "copy link" button
    try:
        parts = urlsplit(href)
    except ValueError:
        return False
    if parts.scheme.lower() not in _WEB_SCHEMES or _URL_IN_QUERY.search(unquote(parts.query)):
        return False  # mailto:, javascript:...; an endpoint handed a URL (share, redirect)
    host = parts.hostname
    return not (host and site) or bool(_site_labels(f"//{host}") & site)


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
