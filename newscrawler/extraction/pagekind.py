"""Is this page one article, a listing of other pages, or something else? A verdict with reasons.

Three kinds of evidence, weighed together, none final on its own:
- what the page declares: schema.org types in JSON-LD and microdata, og:type, WordPress body
  classes (discovery.classify.page_signal's vocabulary, read from the same tree);
- what its URL looks like (discovery.classify.classify_url, a profile's patterns first);
- its structure, read in one pass over the tree. An article has one dominant text block: long
  paragraphs, side by side under one parent, with few links in them. A listing's main area is a
  run of repeated teasers (siblings with the same tag and class signature, each holding a link
  to another page and at most a short summary), or most of its text is link text. Both hold
  whatever the language or the class names, because only tags, shapes and sizes are compared.

Each piece of evidence adds to (or takes from) one score; the confidence that the page is one
article is the logistic of that score, and every piece that counted is named in `reasons`.
Pure: no Scrapy, no I/O.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from lxml import etree
from lxml.html import HtmlElement

from newscrawler.discovery.classify import (
    ARTICLE_BODY_CLASSES,
    ARTICLE_LD_TYPES,
    LISTING_BODY_CLASSES,
    LISTING_LD_TYPES,
    Kind,
    classify_url,
    ld_types,
    profile_kind,
)
from newscrawler.extraction.parsing import parse_page
from newscrawler.profiles.model import Profile

ARTICLE = "article"
LISTING = "listing"
OTHER = "other"

# schema.org types that say "this page is a product or a discussion", not an article.
PRODUCT_TYPES = frozenset(
    {"product", "productgroup", "offer", "aggregateoffer", "individualproduct"}
)
FORUM_TYPES = frozenset({"discussionforumposting", "qapage", "question"})
# Elements whose text is never article text.
_SKIPPED = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "select"})
# Page chrome: navigation, header and footer bands, side rails.
_CHROME = frozenset({"nav", "header", "footer", "aside"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

LONG_PARAGRAPH = 120  # characters: a sentence or two of running text, not a teaser line
MIN_RUN = 4  # repeated siblings needed to call them a list of teasers
TEASER_MAX_TEXT = 600  # a teaser is a link and at most a short summary
MIN_HEADLINE_LINK = 20  # link text of a headline, not of a menu entry ("Sport", "Home")

_LD = etree.XPath("//script[@type='application/ld+json']/text()")
_ITEMTYPES = etree.XPath("//*[@itemtype]/@itemtype")
_OG_TYPE = etree.XPath("//meta[@property='og:type']/@content")
_PUBLISHED = etree.XPath(
    "//meta[@property='article:published_time' or @name='article:published_time']"
    "|//*[@itemprop='datePublished']"
)


class Evidence(NamedTuple):
    """One piece of evidence: its weight (positive: an article), why, and whether it says the
    page lists other pages."""

    weight: float
    reason: str
    listing: bool = False


@dataclass(frozen=True)
class PageVerdict:
    """What a page is: `kind` ("article", "listing" or "other"), `confidence` that it is ONE
    article (0..1), and the `reasons` that moved the score, strongest first."""

    kind: str
    confidence: float
    reasons: tuple[str, ...] = ()

    @property
    def is_article(self) -> bool:
        return self.kind == ARTICLE


@dataclass
class Structure:
    """What one pass over the page's body found (characters are stripped text lengths)."""

    text: int = 0  # all visible text outside chrome
    link_text: int = 0  # of which inside links
    blocks: list[int] = field(default_factory=list)  # long-paragraph chars, per parent
    teasers: int = 0  # items in the largest run of repeated teasers
    teaser_text: int = 0  # characters in that run

    @property
    def dominant_block(self) -> int:
        """Characters of long paragraphs under the one parent that holds most of them."""
        return max(self.blocks, default=0)

    @property
    def paragraph_text(self) -> int:
        return sum(self.blocks)

    @property
    def link_share(self) -> float:
        return self.link_text / self.text if self.text else 0.0


def _text_len(value: str | None) -> int:
    return len(value.strip()) if value else 0


def _signature(el: HtmlElement) -> tuple[str, str]:
    return (el.tag, " ".join(sorted((el.get("class") or "").split())))


def _is_link(el: HtmlElement) -> bool:
    href = el.get("href")
    return bool(href) and not href.startswith(("#", "javascript:", "mailto:", "tel:"))


class _Frame:
    """One open element of the walk: its flags and what its subtree holds so far."""

    __slots__ = (
        "chrome",
        "el",
        "heads",
        "in_link",
        "kids",
        "link",
        "link_text",
        "own",
        "para",
        "picture",
        "text",
    )

    def __init__(self, el: HtmlElement, chrome: bool, in_link: bool) -> None:
        tag = el.tag
        self.el = el
        self.chrome = chrome or tag in _CHROME
        self.link = tag == "a" and _is_link(el)
        self.in_link = in_link or self.link
        self.own = self.text = _text_len(el.text)  # own: text not inside a child element
        self.link_text = self.text if self.in_link else 0
        self.heads = 0  # headline-sized links in the subtree
        self.kids: list[tuple[HtmlElement, int, int]] = []  # (child, text, headline links)
        self.para = 0  # characters of long paragraphs among the children
        self.picture = tag == "img"  # the subtree shows an image


def _running_text(frame: _Frame) -> bool:
    """A paragraph of running text: long, and mostly not links."""
    return not frame.chrome and frame.text >= LONG_PARAGRAPH and frame.link_text * 3 < frame.text


class _Walker:
    """Post-order walk of the body, without recursion (hostile pages nest deeply): text and link
    text outside chrome, long paragraphs by parent, the largest run of repeated teasers."""

    def __init__(self) -> None:
        self.found = Structure()

    def walk(self, root: HtmlElement) -> None:
        stack = [_Frame(root, False, False)]
        children = [iter(root)]
        while stack:
            child = next(children[-1], None)
            top = stack[-1]
            if child is None:
                stack.pop()
                children.pop()
                self._close(top)
                if stack:
                    parent = stack[-1]
                    parent.text += top.text
                    parent.link_text += top.link_text
                    parent.heads += top.heads
                    parent.picture = parent.picture or top.picture
                    parent.kids.append((top.el, top.text, top.heads))
                    if top.el.tag == "p" and _running_text(top):
                        parent.para += top.text
                continue
            tail = _text_len(child.tail)  # a child's tail is its parent's own text
            top.own += tail
            top.text += tail
            if top.in_link:
                top.link_text += tail
            if isinstance(child.tag, str) and child.tag not in _SKIPPED:
                stack.append(_Frame(child, top.chrome, top.in_link))
                children.append(iter(child))

    def _close(self, frame: _Frame) -> None:
        if frame.link and (frame.text >= MIN_HEADLINE_LINK or frame.picture):
            frame.heads += 1
        if frame.chrome:
            return
        found = self.found
        found.text += frame.own
        if frame.in_link:
            found.link_text += frame.own
        if frame.para:
            found.blocks.append(frame.para)
        if len(frame.kids) >= MIN_RUN:
            self._run(frame.kids)

    def _run(self, kids: list[tuple[HtmlElement, int, int]]) -> None:
        """Record the most common sibling signature when its members look like teasers."""
        by_signature = Counter(_signature(el) for el, _, heads in kids if heads)
        if not by_signature:
            return
        signature, count = by_signature.most_common(1)[0]
        if count < MIN_RUN:
            return
        members = [(text, heads) for el, text, heads in kids if _signature(el) == signature]
        teasers = [text for text, heads in members if heads and text <= TEASER_MAX_TEXT]
        if len(teasers) < MIN_RUN or len(teasers) * 2 < len(members):
            return
        if (sum(teasers), len(teasers)) > (self.found.teaser_text, self.found.teasers):
            self.found.teasers = len(teasers)
            self.found.teaser_text = sum(teasers)


def page_structure(tree: HtmlElement) -> Structure:
    """One pass over the body of a parsed page.

    >>> from lxml.html import document_fromstring
    >>> s = page_structure(document_fromstring(
    ...     "<body><nav><a href='/'>Home</a></nav><div>" + ("<p>" + "word " * 40 + "</p>") * 3
    ...     + "</div></body>"))
    >>> (s.dominant_block, s.teasers, round(s.link_share, 2))
    (597, 0, 0.0)
    """
    walker = _Walker()
    body = tree.find("body") if tree.tag == "html" else tree
    walker.walk(tree if body is None else body)
    return walker.found


def _strings(xpath: etree.XPath, tree: HtmlElement, limit: int) -> list[str]:
    found = xpath(tree)
    return [str(v) for v in found[:limit]] if isinstance(found, list) else []


def _schema_types(tree: HtmlElement) -> set[str]:
    """schema.org types named in JSON-LD and in microdata."""
    types = {t.rsplit("/", 1)[-1] for t in ld_types(_strings(_LD, tree, 20))}
    for itemtype in _strings(_ITEMTYPES, tree, 50):
        types.update(t.rstrip("/").rsplit("/", 1)[-1].lower() for t in itemtype.split())
    return types


def _declared(tree: HtmlElement) -> Iterator[Evidence]:
    """Evidence from what the page says it is."""
    types = _schema_types(tree)
    og_type = " ".join(_strings(_OG_TYPE, tree, 1)).strip().lower()
    body = tree.find("body") if tree.tag == "html" else None
    classes = set(((body.get("class") if body is not None else None) or "").lower().split())
    classes |= {c.split("-")[0] for c in classes if c.startswith("postid-")}
    if types & ARTICLE_LD_TYPES:
        yield Evidence(1.5, f"declares {sorted(types & ARTICLE_LD_TYPES)[0]}")
    if types & LISTING_LD_TYPES:
        yield Evidence(-1.5, f"declares {sorted(types & LISTING_LD_TYPES)[0]}", listing=True)
    if types & PRODUCT_TYPES:
        yield Evidence(-2.0, f"declares {sorted(types & PRODUCT_TYPES)[0]}")
    if types & FORUM_TYPES:
        yield Evidence(-2.0, f"declares {sorted(types & FORUM_TYPES)[0]}")
    if og_type == "article":
        yield Evidence(0.5, "og:type article")
    elif og_type == "website":
        yield Evidence(-0.3, "og:type website")
    if classes & ARTICLE_BODY_CLASSES:
        yield Evidence(1.5, "WordPress single-post body class")
    elif classes & LISTING_BODY_CLASSES:
        yield Evidence(
            -1.5, f"WordPress {sorted(classes & LISTING_BODY_CLASSES)[0]} body class", listing=True
        )
    if _PUBLISHED(tree):
        yield Evidence(0.5, "declares a publication date")


def _by_url(url: str | None, profile: Profile | None) -> Iterator[Evidence]:
    if not url:
        return
    if profile_kind(url, profile) is Kind.ARTICLE:
        yield Evidence(4.0, "profile article URL pattern")
        return
    kind = classify_url(url, profile)
    if kind is Kind.ARTICLE:
        yield Evidence(1.0, "article-shaped URL")
    elif kind is Kind.LISTING:
        yield Evidence(-2.5, "listing-shaped URL", listing=True)
    elif kind is Kind.SKIP:
        yield Evidence(-2.0, "URL of a page that is not news")


def _by_structure(s: Structure) -> Iterator[Evidence]:
    block = s.dominant_block
    if block >= 1500:
        yield Evidence(2.0, f"one dominant text block ({block} chars)")
    elif block >= 500:
        yield Evidence(1.0, f"a text block of {block} chars")
    elif block < 200:
        yield Evidence(-1.5, "no block of running text")
    if s.teasers >= MIN_RUN and s.teaser_text >= block:
        yield Evidence(
            -2.5, f"a run of {s.teasers} repeated teasers outweighs the text", listing=True
        )
    if s.text and s.link_share >= 0.5:
        yield Evidence(-1.5, f"{round(100 * s.link_share)} % of the text is links", listing=True)


def _as_tree(html: str | bytes | HtmlElement) -> HtmlElement | None:
    if isinstance(html, HtmlElement):
        return html
    return parse_page(html)


def judge_page(
    html: str | bytes | HtmlElement,
    url: str | None = None,
    profile: Profile | None = None,
    *,
    body_length: int | None = None,
) -> PageVerdict:
    """How sure it is that a page is one article, and why.

    `html` may be an already parsed tree (extraction's), so a page is parsed once. `body_length`
    is the length of the body extraction found, when known: a page without one is no article.

    >>> teaser = "<div class='c'><h2><a href='/a/{0}'>Headline {0} of today</a></h2><p>.</p></div>"
    >>> listing = "<html><body>" + "".join(teaser.format(i) for i in range(8)) + "</body></html>"
    >>> v = judge_page(listing, "https://ex.com/politics/")
    >>> v.kind, v.is_article
    ('listing', False)
    """
    tree = _as_tree(html)
    if tree is None:
        return PageVerdict(OTHER, 0.0, ("no document",))
    structure = page_structure(tree)
    evidence = [*_declared(tree), *_by_url(url, profile), *_by_structure(structure)]
    if body_length is not None and body_length < 80:
        evidence.append(Evidence(-4.0, f"extracted body is {body_length} chars"))
    score = sum(e.weight for e in evidence)
    confidence = round(1.0 / (1.0 + math.exp(-score)), 3)
    reasons = tuple(e.reason for e in sorted(evidence, key=lambda e: -abs(e.weight)))
    if confidence >= 0.5:
        kind = ARTICLE
    elif any(e.listing for e in evidence):
        kind = LISTING
    else:
        kind = OTHER
    return PageVerdict(kind, confidence, reasons or ("no evidence either way",))
