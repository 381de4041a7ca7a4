"""Is an element part of the page's chrome (site header, navigation, sidebars, footers, boxes
of other stories) rather than the article? Read from tags, ARIA roles and class words.

Why separate from `boilerplate`: that module weighs subtrees against the text they hold, while
a headline (an <h1>, one line) has no text mass to weigh; here only the enclosing structure
counts. A `<header>` inside `<article>` or `<main>` is the article's own header, not chrome.
"""

from __future__ import annotations

from lxml.html import HtmlElement

from newscrawler.extraction.boilerplate import STRONG_SHARE, class_share, is_hidden
from newscrawler.extraction.content_vocab import Tokens

_CHROME_TAGS = frozenset({"nav", "aside", "footer", "menu", "dialog"})
_CHROME_ROLES = frozenset(
    {"navigation", "complementary", "contentinfo", "dialog", "alertdialog", "search", "menu"}
)
_ARTICLE_TAGS = frozenset({"article", "main"})
_PAGE_TAGS = frozenset({"body", "html"})
# class/id words of page regions beside the article (WordPress and common theme names)
REGION_TOKENS = ("sidebar", "widget", "widgets", "footer", "navbar", "menu")
_REGION = Tokens(REGION_TOKENS, ("sidebar",))


def in_page_chrome(el: HtmlElement, *, by_class: bool = True) -> bool:
    """True when `el` or an ancestor is navigation, a sidebar, a footer, a hidden box, a box of
    other stories (related, popular, comments...) or the site header outside the article.
    With `by_class` False, only tags, ARIA roles, hidden boxes and the site header count, not
    class words (page builders name every block of a page `widget` or `sidebar-*`).
    The classes of `<body>` and `<html>` describe the whole page's layout (WordPress themes
    write `has-sidebar`, `et-tb-has-footer` there), never a region of it.

    >>> from lxml.html import fromstring
    >>> page = fromstring('<body><header><nav></nav><h1>Site</h1></header>'
    ...     '<article><header><h1>Story</h1></header></article>'
    ...     '<div class="sidebar"><h1>Most read</h1></div></body>')
    >>> [in_page_chrome(h) for h in page.iter("h1")]
    [True, False, True]
    """
    node: HtmlElement | None = el
    while node is not None:
        tag = node.tag
        if tag in _ARTICLE_TAGS or node.get("itemprop") == "articleBody":
            return False
        if tag in _CHROME_TAGS or node.get("role") in _CHROME_ROLES or is_hidden(node):
            return True
        if (tag == "header" or node.get("role") == "banner") and _site_header(node):
            return True
        if tag in _PAGE_TAGS:
            return False
        cls, ident = node.get("class") or "", node.get("id") or ""
        if (
            by_class
            and (cls or ident)
            and (
                class_share(cls, ident) >= STRONG_SHARE
                or _REGION.search(f"{cls} {ident}".lower()) is not None
            )
        ):
            return True
        node = node.getparent()
    return False


def _site_header(header: HtmlElement) -> bool:
    """A header outside any article that carries the site's navigation."""
    if any(a.tag in _ARTICLE_TAGS for a in header.iterancestors()):
        return False
    return next(header.iter("nav", "ul"), None) is not None
