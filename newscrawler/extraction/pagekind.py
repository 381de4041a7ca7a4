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

import logging
import math
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from urllib.parse import urlsplit

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

logger = logging.getLogger(__name__)

ARTICLE = "article"
LISTING = "listing"
OTHER = "other"

# schema.org types that say "this page is a product or a discussion", not an article.
PRODUCT_TYPES = frozenset(
    {"product", "productgroup", "offer", "aggregateoffer", "individualproduct"}
)
FORUM_TYPES = frozenset({"discussionforumposting", "qapage"})
_COMMENT_TYPES = ("/Comment", "/UserComments")  # microdata: posts of a discussion
FAQ_TYPES = frozenset({"faqpage"})
PRODUCT_OG_TYPES = frozenset({"product", "product.group", "product.item", "og:product"})
# Elements whose text is never article text.
_SKIPPED = frozenset({"script", "style", "template", "svg", "iframe", "select"})
# Page chrome: navigation, header and footer bands, side rails.
_CHROME = frozenset({"nav", "header", "footer", "aside"})
_NOT_ENTERED = _SKIPPED | _CHROME
# HTML5: a <header> or <footer> is the page's banner or footer only outside sectioning content
# and <main>; inside those it is a section's own header (an article's headline and byline, a
# card's headline, a section's opening text) and is read like any other element
_SECTIONING = frozenset({"main", "article", "section"})
_SECTION_CHROME = frozenset({"header", "footer"})
# One wrapper per paragraph (a <div> or a one-item <ul> around each paragraph, page builders'
# modules): an element whose running text is one paragraph, with no headline link and nothing
# much else in it (WRAP_SHARE of its text), hands that paragraph to its parent's block
WRAP_SHARE = 0.9
_CONTROLS = frozenset({"button", "input", "textarea"})
_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
_PIECES = _HEADINGS | {"p", "li"}
MIN_HEADING = 3  # characters: a heading at all
# links styled as buttons: Bootstrap's btn, WordPress's wp-block-button__link and
# wp-element-button, Elementor's elementor-button (calls to action of service and shop pages)
_BUTTON_CLASS_WORDS = ("btn", "button")

# The weights: a logistic regression over these named features, fitted on half A of the sites of
# ../shared/wcxb-dev (halves by a hash of the domain) by `python -m newscrawler.bench.fit_pagekind`,
# which prints them in this form, and reported on half B (docs/page-kind.md has both halves).
# Measures are centred on the typical page of that half, so each reason's weight says how much it
# moved the verdict from an ordinary page.
FLAGS = {
    "ld_article": 0.8,  # a schema.org Article type (NewsArticle, BlogPosting, ...)
    "og_article": 0.8,  # og:type article (themes set it on static pages too: weak)
    "wp_single": 0.7,  # WordPress single-post body class
    "ld_product": -2.1,  # schema.org Product / Offer, or og:type product
    "ld_forum": -1.8,  # schema.org DiscussionForumPosting / QAPage
    "url_listing": -1.1,  # the generic listing URL rules (data/url_rules.toml)
    "url_slug": 1.3,  # the URL ends in a multi-word slug or a long numeric id
    "url_section": -1.0,  # the URL path is one or two plain words (/news, /blog/tips)
    "url_shop": -1.8,  # shop paths of the common shop platforms (/collections/, /products/)
    "url_docs": -3.2,  # documentation hosts and paths (docs., /docs/, /reference/, /wiki/)
    "url_forum": -2.8,  # forum software's URL schemes (/threads/, /t/, viewtopic.php, forum.)
    "url_service": -2.9,  # a service page's path (/service/, /services/)
    "ld_faq": -0.4,  # schema.org FAQPage
    "few_times": 1.1,  # one or two <time> elements: the date (and update) a post shows
    "many_times": -0.4,  # three or more <time> elements: a list of dated items or posts
    "one_article": 0.5,  # exactly one HTML5 <article> element
    "wp_comments": 0.5,  # WordPress's comment area (#comments, #respond): a blog post
    "comments_md": -3.1,  # 2+ Comment / Answer microdata items (Answers under one Question)
    "paged": -1.0,  # links to numbered pages of a listing (?page=2, /page/3/, "1 2 3")
    "docs": -0.2,  # a documentation generator or a documentation theme's sidebar
}
MEASURES = {  # name: (weight, typical value)
    "body": (0.43, 8.28),  # log(1 + characters of body text)
    "block": (0.2, 7.06),  # log(1 + characters of the dominant text block)
    "block_share": (1.71, 0.49),  # dominant block / all running text
    "teaser_share": (-0.7, 0.18),  # teaser-run text / (teaser text + dominant block)
    "link_share": (-1.27, 0.13),  # link text / all text outside chrome
    "controls": (-0.36, 2.09),  # log(1 + buttons and inputs outside chrome)
    "dated": (0.9, 0.66),  # extraction found a publication date
    "bylined": (0.81, 0.46),  # extraction found an author
    "code": (-0.43, 0.17),  # log(1 + <pre> code blocks)
    "prose_per_heading": (0.26, 0.99),  # log(1 + running-text paragraphs per h2-h6 heading)
    "button_links": (-0.11, 0.98),  # log(1 + links styled as buttons outside chrome)
}
FITTED_INTERCEPT = -0.11  # the score of the typical page, every flag at its typical rate
_TYPICAL_FLAGS = {"ld_article": 0.222, "og_article": 0.435, "wp_single": 0.192,
                  "ld_product": 0.099, "ld_forum": 0.05, "url_listing": 0.075,
                  "url_slug": 0.549, "url_section": 0.069, "url_shop": 0.061,
                  "url_docs": 0.039, "url_forum": 0.069, "url_service": 0.017,
                  "ld_faq": 0.047, "few_times": 0.124, "many_times": 0.107,
                  "one_article": 0.247, "wp_comments": 0.064, "comments_md": 0.043,
                  "paged": 0.079, "docs": 0.013}  # fmt: skip
INTERCEPT = FITTED_INTERCEPT - sum(FLAGS[name] * rate for name, rate in _TYPICAL_FLAGS.items())
# Features that name another kind of page (a product, a service, a forum thread, documentation):
# the spider does not let an article declaration overrule them on a short page (spiders/judge.py).
CONTRARY = frozenset({"ld_product", "ld_forum", "url_shop", "url_service", "url_docs",
                      "url_forum", "docs", "comments_md"})  # fmt: skip
PROFILE_WEIGHT = 4.0  # a profile's URL pattern outweighs any other evidence but a missing body
MIN_BODY = 80  # characters: below this, extraction found no article at all
SHORT_BODY_WEIGHT = -4.0  # a body under MIN_BODY: no article, whatever else the page shows
# A run of teasers that holds TEASER_PAGE times the page's running text: a listing with a line of
# introduction (an article's related-posts run holds at most about twice its prose; wcxb-dev: no
# article at or above 3 but a 392-character one, docs/page-kind.md). It outweighs what a theme
# declares on every page (og:type article, WordPress's single-post class: +1.5).
TEASER_PAGE = 3.0
TEASER_PAGE_WEIGHT = -2.0

# URL shapes (on the path; documentation and forums also on the host): the URL schemes of common
# shop, forum and documentation software, not any one site's.
_SLUG = re.compile(r"([^/]*[-_][^/]*[-_][^/]*[-_]|\d{4,})[^/]*/?$")
# a post's slug of two or three words, under a section and a subsection
_SHORT_SLUG = re.compile(r"[^\W_]+(?:[-_][^\W_]+){1,2}(?:\.html?)?", re.IGNORECASE)
MIN_SLUG_DEPTH = 3  # path segments: /<section>/<subsection>/<slug>
_SECTION = re.compile(r"(/[a-z]+)?/[a-z]+/?", re.IGNORECASE)
_SHOP = re.compile(r"/(collections|products?|product-category|shop|store|browse)/", re.I)
# the path of a service page: site builders' and WordPress service post types (/services/<name>/)
_SERVICE = re.compile(r"/services?(/|$)", re.I)
_FORUM = re.compile(
    r"(^|\.)(forums?|community|discuss|discussions|boards?)\.|/(threads?|topic|t|forums?|"
    r"discussions?)/|viewtopic\.php|showthread\.php|[?&]topic=|/thread-\d+",
    re.IGNORECASE,
)
_DOCS = re.compile(
    r"(^|[./])(docs?|documentation|developers?|api|reference|manual|wiki|help|support|kb)([./]|$)",
    re.IGNORECASE,
)

LONG_PARAGRAPH = 120  # characters: a sentence or two of running text, not a teaser line
LONG_WIDE_PARAGRAPH = 60  # the same in Chinese, Japanese or Korean: about twice as dense
_WIDE = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
MIN_RUN = 4  # repeated siblings needed to call them a list of teasers
TEASER_MAX_TEXT = 600  # a teaser is a link and at most a short summary
MIN_HEADLINE_LINK = 20  # link text of a headline, not of a menu entry ("Sport", "Home")

_OG_TYPE = etree.XPath("/html/head/meta[@property='og:type']/@content")
# Markup read in one tag-filtered pass over the whole document, chrome included (page_markup):
# - <time> elements (one or two: the date a post shows; many: a list of dated items), <article>
#   elements (HTML5: exactly one is the page's post), <pre> code blocks (documentation), JSON-LD;
# - read by the walk: WordPress's comment area (the ids its comment template prints);
_COMMENT_AREA_IDS = frozenset({"comments", "respond"})
# - links to numbered pages of a listing (by their URL, or by a text that is a page number, "2",
#   "3", side by side);
_PAGE_NUMBER = re.compile(r"/page/(\d+)/?(?:$|[?#])|[?&](?:page|paged|pg)=(\d+)", re.IGNORECASE)
_GENERATOR = etree.XPath("/html/head/meta[@name='generator']/@content")
_DOC_GENERATORS = re.compile(
    r"sphinx|mkdocs|docusaurus|rustdoc|gitbook|vuepress|vitepress|docsify|antora|docfx|"
    r"doxygen|javadoc|typedoc|mediawiki|dokuwiki|confluence|starlight|nextra|mintlify",
    re.IGNORECASE,
)
_DOC_NAVIGATION = re.compile(
    r"sphinxsidebar|toctree|wy-nav-side|bd-sidebar|md-sidebar|theme-doc-sidebar|sidebar-elems|"
    r"nav-tree|td-sidebar|VPSidebar|sidebar-links|docs-sidebar"
)
_DOC_NAVIGATION_WORDS = ("idebar", "toctree", "nav-tree", "wy-nav-side")


class Evidence(NamedTuple):
    """One piece of evidence: its weight (positive: an article), why, whether it says the page
    lists other pages, and the named feature (FLAGS, MEASURES) with its raw value, for the fit
    (bench.fit_pagekind); fixed evidence (a profile's pattern, a missing body) names none."""

    weight: float
    reason: str
    listing: bool = False
    feature: str = ""
    value: float = 0.0


@dataclass(frozen=True)
class PageVerdict:
    """What a page is: `kind` ("article", "listing" or "other"), `confidence` that it is ONE
    article (0..1), and the `reasons` that moved the score, strongest first."""

    kind: str
    confidence: float
    reasons: tuple[str, ...] = ()
    # evidence that the page is a product, a forum thread or documentation (CONTRARY): a page
    # that shows it is one of those is not one article, whatever it declares besides
    contrary: tuple[str, ...] = ()

    @property
    def is_article(self) -> bool:
        return self.kind == ARTICLE


@dataclass
class Structure:
    """What one pass over the page's body found (characters are stripped text lengths)."""

    text: int = 0  # all visible text outside chrome
    link_text: int = 0  # of which inside links
    blocks: list[int] = field(default_factory=list)  # running-text chars, per parent
    paragraph_text: int = 0  # running text on the whole page
    teasers: int = 0  # items in the largest run of repeated teasers
    teaser_text: int = 0  # characters in that run
    teaser_paragraphs: int = 0  # running text inside any run of teasers
    controls: int = 0  # buttons and form inputs outside chrome: shops and services ask for input
    itemtypes: list[str] = field(default_factory=list)  # microdata itemtype values
    comments: int = 0  # microdata items of a discussion: Comment, UserComments, Answer
    headings: int = 0  # h2-h6 headings that are not links: the sections of a text
    prose: int = 0  # paragraphs and list items of running text (LONG_PARAGRAPH, few links)
    button_links: int = 0  # links styled as buttons outside chrome (calls to action)
    answers: int = 0  # microdata Answer items: replies of a Q&A thread, or a FAQ's answers
    questions: int = 0  # microdata Question items: one per thread, one per answer in a FAQ
    comment_area: bool = False  # an element with WordPress's comment-area id (#comments, ...)
    classes: list[str] = field(default_factory=list)  # class attributes, chrome's own included

    @property
    def dominant_block(self) -> int:
        """Characters of running text under the one parent that holds most of them."""
        return max(self.blocks, default=0)

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
        "el",
        "handed",
        "heads",
        "in_link",
        "kids",
        "link",
        "link_text",
        "own",
        "own_para",
        "para",
        "picture",
        "pieces",
        "scoped",
        "teaser_para",
        "text",
    )

    def __init__(self, el: HtmlElement, in_link: bool, scoped: bool = False) -> None:
        tag = el.tag
        text = el.text
        self.el = el
        self.scoped = scoped or tag in _SECTIONING  # inside <main>, <article> or <section>
        self.link = tag == "a" and _is_link(el)
        self.in_link = in_link or self.link
        self.own = self.text = len(text.strip()) if text else 0  # own: not inside a child
        self.link_text = self.text if self.in_link else 0
        self.heads = 0  # headline-sized links in the subtree
        # (child, text, headline links, running text, running text inside teasers)
        self.kids: list[tuple[HtmlElement, int, int, int, int]] = []
        self.own_para = 0  # running text in paragraphs that are children of this element
        self.pieces = 0  # paragraphs (or wrapped paragraphs) counted in own_para
        self.handed = 0  # one wrapped paragraph, handed to the parent's block
        self.para = 0  # running text in the subtree
        self.teaser_para = 0  # running text in the subtree that sits inside teasers
        self.picture = tag == "img"  # the subtree shows an image


def _running_text(frame: _Frame) -> int:
    """Characters of running text a paragraph holds: long, and mostly not links (else 0)."""
    if frame.link_text * 3 >= frame.text:
        return 0
    if frame.el.tag == "p":
        return frame.text if _long(frame.text, frame.el) else 0
    return frame.own if _long(frame.own, frame.el, own=True) else 0  # text straight in a <div>


def _long(size: int, el: HtmlElement, *, own: bool = False) -> bool:
    """Long enough for running text; CJK text (no spaces, denser) needs half the characters.

    >>> from lxml.html import fragment_fromstring
    >>> _long(70, fragment_fromstring("<p>" + "市議会は" * 18 + "</p>"))
    True
    >>> _long(70, fragment_fromstring("<p>" + "word " * 14 + "</p>"))
    False
    """
    if size >= LONG_PARAGRAPH:
        return True
    if size < LONG_WIDE_PARAGRAPH:
        return False
    sample = (el.text or "") if own else el.text_content()
    return bool(_WIDE.search(sample[:80]))


class _Walker:
    """Post-order walk of the body, without recursion (hostile pages nest deeply): text and link
    text outside chrome, running text by parent, runs of repeated teasers. Page chrome (nav,
    header, footer, aside) and non-text elements (scripts, styles, svg) are not entered; as in
    HTML5, a header or footer inside <main>, <article> or <section> is the section's own and is
    entered, and so is a <main> inside a banner <header> (an unclosed header)."""

    def __init__(self) -> None:
        self.found = Structure()

    def walk(self, root: HtmlElement) -> None:
        first = _Frame(root, False)
        found, classes = self.found, self.found.classes
        stack = [first]
        children = [iter(root)]
        while stack:
            top = stack[-1]
            child = next(children[-1], None)
            if child is None:
                stack.pop()
                children.pop()
                self._close(top)
                if stack:
                    self._add(stack[-1], top)
                continue
            tail = child.tail  # a child's tail is its parent's own text
            if tail and (size := len(tail.strip())):
                top.own += size
                top.text += size
                if top.in_link:
                    top.link_text += size
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIPPED:
                continue
            # ids and classes of every element entered, and of page chrome and its children (a
            # documentation sidebar is often an <aside> or a <nav>): read here, not in a scan of
            # their own over the whole document (which cost as much as this walk)
            if cls := child.get("class"):
                classes.append(cls)
            if child.get("id") in _COMMENT_AREA_IDS:
                found.comment_area = True
            if tag == "a" and cls and any(word in cls for word in _BUTTON_CLASS_WORDS):
                found.button_links += 1
            if tag in _CHROME and not (top.scoped and tag in _SECTION_CHROME):
                for kid in child:
                    if isinstance(kid.tag, str):
                        classes.append(kid.get("class") or "")
                        found.comment_area |= kid.get("id") in _COMMENT_AREA_IDS
                # broken markup: the page's <main> inside its banner (an unclosed <header>)
                main = next(child.iter("main"), None) if tag == "header" else None
                if main is not None:
                    stack.append(_Frame(main, top.in_link, True))
                    children.append(iter(main))
            else:
                if len(child):
                    stack.append(_Frame(child, top.in_link, top.scoped))
                    children.append(iter(child))
                else:
                    self._leaf(top, child, tag)
        if first.handed:
            found.blocks.append(first.handed)
            first.para += first.handed
        self.found.paragraph_text = first.para
        self.found.teaser_paragraphs = first.teaser_para

    def _leaf(self, parent: _Frame, el: HtmlElement, tag: str) -> None:
        """An element without children, added to its parent at once: what _Frame, _close and
        _add would do for it, without the frame (about half of a page's elements are leaves)."""
        text = el.text
        size = len(text.strip()) if text else 0
        link = tag == "a" and _is_link(el)
        in_link = parent.in_link or link
        found = self.found
        found.text += size
        parent.text += size
        if in_link:
            found.link_text += size
            parent.link_text += size
        heads = 1 if link and size >= MIN_HEADLINE_LINK else 0
        parent.heads += heads
        if tag == "img":
            parent.picture = True
        elif tag in _CONTROLS:
            found.controls += 1
        if itemtype := el.get("itemtype"):
            self._itemtype(itemtype)
        if not in_link and _long(size, el, own=True):  # running text of a leaf <p> or <div>
            parent.own_para += size  # a <p>, or a wrapper of one paragraph: the parent's block
            parent.pieces += 1
        if tag in _PIECES:
            self._piece(el, tag, size, size if in_link else 0, own=True)
        parent.kids.append((el, size, heads, 0, 0))

    def _piece(self, el: HtmlElement, tag: str, size: int, link_size: int, *, own: bool) -> None:
        """Count a section heading, or a paragraph or list item of running text."""
        if link_size * 3 >= size or size < MIN_HEADING:
            return
        if tag in _HEADINGS:
            self.found.headings += 1
        elif _long(size, el, own=own):
            self.found.prose += 1

    @staticmethod
    def _add(parent: _Frame, top: _Frame) -> None:
        parent.text += top.text
        parent.link_text += top.link_text
        parent.heads += top.heads
        parent.picture = parent.picture or top.picture
        parent.para += top.para
        parent.teaser_para += top.teaser_para
        if top.el.tag == "p":
            if running := _running_text(top):
                parent.own_para += running
                parent.pieces += 1
        elif top.handed:
            parent.own_para += top.handed
            parent.pieces += 1
        parent.kids.append((top.el, top.text, top.heads, top.para, top.teaser_para))

    def _close(self, frame: _Frame) -> None:
        if frame.link and (frame.text >= MIN_HEADLINE_LINK or frame.picture):
            frame.heads += 1
        found = self.found
        found.text += frame.own
        if frame.in_link:
            found.link_text += frame.own
        tag = frame.el.tag
        if itemtype := frame.el.get("itemtype"):
            self._itemtype(itemtype)
        if tag in _CONTROLS:
            found.controls += 1
        elif tag in _PIECES:
            self._piece(frame.el, tag, frame.text, frame.link_text, own=False)
        own = _running_text(frame) if tag != "p" else 0
        block = frame.own_para + own
        if (
            block
            and tag != "p"
            and frame.pieces + (1 if own else 0) == 1
            and not frame.heads
            and block >= WRAP_SHARE * frame.text
        ):
            frame.handed = block
        elif block:
            found.blocks.append(block)
            frame.para += block
        if len(frame.kids) >= MIN_RUN:
            self._run(frame)

    def _itemtype(self, itemtype: str) -> None:
        self.found.itemtypes.append(itemtype)
        name = itemtype.rstrip("/")
        if name.endswith(_COMMENT_TYPES):
            self.found.comments += 1
        elif name.endswith("/Answer"):
            self.found.answers += 1
        elif name.endswith("/Question"):
            self.found.questions += 1

    def _run(self, frame: _Frame) -> None:
        """Find the most common sibling signature; when its members look like teasers, record the
        run and count the running text inside them as teaser text."""
        kids = frame.kids
        by_signature = Counter(_signature(kid[0]) for kid in kids if kid[2])
        if not by_signature:
            return
        signature, count = by_signature.most_common(1)[0]
        if count < MIN_RUN:
            return
        members = [kid for kid in kids if _signature(kid[0]) == signature]
        teasers = [kid for kid in members if kid[2] and kid[1] <= TEASER_MAX_TEXT]
        if len(teasers) < MIN_RUN or len(teasers) * 2 < len(members):
            return
        frame.teaser_para += sum(kid[3] - kid[4] for kid in teasers)
        text = sum(kid[1] for kid in teasers)
        if (text, len(teasers)) > (self.found.teaser_text, self.found.teasers):
            self.found.teasers = len(teasers)
            self.found.teaser_text = text


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
    root = tree if body is None else body
    walker.walk(root)
    return walker.found


def _declarations(tree: HtmlElement, structure: Structure, marks: Markup) -> tuple[set[str], str]:
    """schema.org types named in JSON-LD and microdata (lower case), and og:type."""
    types = {t.rsplit("/", 1)[-1] for t in ld_types(marks.json_ld[:20])}
    for itemtype in [tree.get("itemtype") or "", *structure.itemtypes[:50]]:
        types.update(t.rstrip("/").rsplit("/", 1)[-1].lower() for t in itemtype.split())
    og_type = _OG_TYPE(tree)
    return types, str(og_type[0]).strip().lower() if isinstance(og_type, list) and og_type else ""


def _declared(tree: HtmlElement, structure: Structure, marks: Markup) -> Iterator[Evidence]:
    """Evidence from what the page says it is (schema.org, Open Graph, WordPress body classes)."""
    types, og_type = _declarations(tree, structure, marks)
    body = tree.find("body") if tree.tag == "html" else None
    classes = set(((body.get("class") if body is not None else None) or "").lower().split())
    classes |= {c.split("-")[0] for c in classes if c.startswith("postid-")}
    if found := types & ARTICLE_LD_TYPES:
        yield _flag("ld_article", f"declares {min(found)}")
    if found := types & PRODUCT_TYPES:
        yield _flag("ld_product", f"declares {min(found)}")
    elif og_type in PRODUCT_OG_TYPES:
        yield _flag("ld_product", f"og:type {og_type}")
    if found := types & FORUM_TYPES:
        yield _flag("ld_forum", f"declares {min(found)}")
    if found := types & LISTING_LD_TYPES:
        yield Evidence(0.0, f"declares {min(found)}", listing=True)
    if types & FAQ_TYPES:
        yield _flag("ld_faq", "declares FAQPage")
    if og_type == "article":
        yield _flag("og_article", "og:type article")
    if classes & ARTICLE_BODY_CLASSES:
        yield _flag("wp_single", "WordPress single-post body class")
    elif found := classes & (LISTING_BODY_CLASSES - {"page"}):
        yield Evidence(0.0, f"WordPress {min(found)} body class", listing=True)


def _by_markup(tree: HtmlElement, structure: Structure, marks: Markup) -> Iterator[Evidence]:
    """Evidence from markup that software prints for one kind of page: the dates a post shows,
    HTML5 <article>, code blocks, numbered pages, comment areas and documentation markup.
    """
    times, articles, code = marks.times, marks.articles, marks.code
    if times >= 3:
        yield _flag("many_times", f"{times} <time> elements: a list of dated items")
    elif times:
        yield _flag("few_times", f"{times} <time> element{'s' if times > 1 else ''}")
    if articles == 1:
        yield _flag("one_article", "one <article> element")
    yield _scaled("code", math.log1p(code), f"{code} code blocks" if code else "no code blocks")
    if structure.comment_area:
        yield _flag("wp_comments", "a comment area (#comments, #respond)")
    # a Q&A thread is one Question and its Answers; a FAQ block pairs each answer with its own
    # question (articles carry FAQ blocks), so its answers are not posts of a discussion
    answers = structure.answers if structure.questions <= 1 else 0
    if (posts := structure.comments + answers) >= 2:
        yield _flag("comments_md", f"{posts} microdata comments or answers")
    if marks.paged:
        yield _flag("paged", "links to numbered pages of a listing", listing=True)
    generator = _GENERATOR(tree)
    generators = " ".join(map(str, generator)) if isinstance(generator, list) else ""
    class_text = " ".join(structure.classes)
    sidebar = any(word in class_text for word in _DOC_NAVIGATION_WORDS)  # cheap pre-check
    if _DOC_GENERATORS.search(generators) or (sidebar and _DOC_NAVIGATION.search(class_text)):
        yield _flag("docs", "documentation generator or sidebar")


@dataclass
class Markup:
    """What one C-level pass over the whole document (chrome included) found: <time>, <article>
    and <pre> elements, JSON-LD scripts, and whether links go to numbered pages of a listing."""

    times: int = 0
    articles: int = 0
    code: int = 0
    paged: bool = False
    json_ld: list[str] = field(default_factory=list)


def page_markup(tree: HtmlElement) -> Markup:
    """One pass over the elements that software prints for one kind of page (tree.iter with a
    tag filter: the walk over the rest is in C). Links: a URL of page 2 or more (/page/N/,
    ?page=N, ?paged=N, ?pg=N), or two links whose texts are page numbers side by side.

    >>> from lxml.html import document_fromstring
    >>> page_markup(document_fromstring("<p><a href='/a'>1</a> <a href='/a?x=2'>2</a></p>")).paged
    True
    >>> footnotes = "<p>Text<sup><a href='/n#1'>1</a></sup></p><p><a href='/n#2'>2</a></p>"
    >>> page_markup(document_fromstring(footnotes)).paged
    False
    """
    found = Markup()
    groups: dict[Any, set[str]] = {}
    for el in tree.iter("a", "time", "article", "pre", "script"):
        tag = el.tag
        if tag != "a":
            if tag == "time":
                found.times += 1
            elif tag == "article":
                found.articles += 1
            elif tag == "pre":
                found.code += 1
            elif el.get("type") == "application/ld+json" and el.text:
                found.json_ld.append(el.text)
            continue
        if found.paged:
            continue
        href = el.get("href")
        if not href or href.startswith(("#", "javascript:")):
            continue
        match = _PAGE_NUMBER.search(href) if "page" in href or "pg=" in href else None
        if match and int(match.group(1) or match.group(2)) >= 2:
            found.paged = True
            continue
        text = (el.text_content() if len(el) else el.text or "").strip()
        if 0 < len(text) <= 3 and text.isascii() and text.isdigit():
            parent = el.getparent()
            if parent is not None and parent.tag == "li":
                parent = parent.getparent()
            numbers = groups.setdefault(parent, set())
            numbers.add(text)
            found.paged = len(numbers) >= 2
    return found


def ends_in_headline_slug(url: str) -> bool:
    """Whether the URL's last path segment is a multi-word slug or a long numeric id: the shape
    of one post, even under a section prefix (WordPress's /%category%/%postname%/ permalinks,
    /sections/<name>/<date>/<id>/<slug>). Under two or more segments (a section and a
    subsection), a slug of two or three words is enough: /topics/<section>/best-toothbrush.

    >>> ends_in_headline_slug("https://ex.com/topics/gadgets/best-electric-scooter-2025")
    True
    >>> ends_in_headline_slug("https://ex.com/topics/health-fitness/best-toothbrush")
    True
    >>> ends_in_headline_slug("https://ex.com/category/world/"), ends_in_headline_slug("/page/3/")
    (False, False)
    >>> ends_in_headline_slug("/category/news-and-events/"), ends_in_headline_slug("/a/b/europe")
    (False, False)
    """
    path = urlsplit(url).path
    if _SLUG.search(path):
        return True
    segments = [segment for segment in path.split("/") if segment]
    return len(segments) >= MIN_SLUG_DEPTH and bool(_SHORT_SLUG.fullmatch(segments[-1]))


def _by_url(url: str | None, profile: Profile | None) -> Iterator[Evidence]:
    """Evidence from the URL's shape: the generic rules, then the shape of its last segment."""
    if not url:
        return
    by_profile = profile_kind(url, profile)  # a site's own patterns settle it, either way
    if by_profile is Kind.ARTICLE:
        yield Evidence(PROFILE_WEIGHT, "profile article URL pattern")
        return
    if by_profile is Kind.LISTING:
        yield Evidence(-PROFILE_WEIGHT, "profile listing URL pattern", listing=True)
        return
    if classify_url(url, profile) is Kind.LISTING:
        yield _flag("url_listing", "listing-shaped URL", listing=True)
    parts = urlsplit(url)
    path = parts.path
    if _SLUG.search(path):
        yield _flag("url_slug", "URL ends in a headline slug or a long id")
    elif _SECTION.fullmatch(path):
        yield _flag("url_section", "URL names a section (one or two plain words)")
    if _SERVICE.search(path):
        yield _flag("url_service", "service-shaped URL (/services/)")
    if _SHOP.search(path):
        yield _flag("url_shop", "shop-shaped URL (collections, products, store)")
    if _FORUM.search(f"{parts.hostname or ''}/{path}?{parts.query}"):
        yield _flag("url_forum", "forum-shaped URL (threads, topics, forum hosts)")
    if _DOCS.search(f"{parts.hostname or ''}{path}"):
        yield _flag("url_docs", "documentation-shaped URL (docs, reference, help, wiki)")


def _by_structure(s: Structure, body_length: int | None) -> Iterator[Evidence]:
    """Evidence from the page's structure (see Structure)."""
    block, text = s.dominant_block, body_length if body_length is not None else s.paragraph_text
    yield _scaled("body", math.log1p(text), f"{text} chars of body text")
    yield _scaled("block", math.log1p(block), f"largest text block {block} chars")
    if s.paragraph_text:
        share = block / s.paragraph_text
        yield _scaled("block_share", share, f"{round(100 * share)} % of running text in one block")
    teasers = s.teaser_text / (s.teaser_text + block + 1)
    yield _scaled(
        "teaser_share",
        teasers,
        f"a run of {s.teasers} repeated teasers" if s.teasers else "no run of repeated teasers",
        listing=s.teasers >= MIN_RUN and s.teaser_text >= block,
    )
    if s.teasers >= MIN_RUN and s.teaser_text >= TEASER_PAGE * max(s.paragraph_text, 1):
        yield Evidence(
            TEASER_PAGE_WEIGHT,
            f"the teasers hold {s.teaser_text} chars, the page's running text {s.paragraph_text}",
            listing=True,
        )
    yield _scaled(
        "link_share", s.link_share, f"{round(100 * s.link_share)} % of the text is links",
        listing=s.link_share >= 0.5,
    )  # fmt: skip
    controls = f"{s.controls} buttons and inputs" if s.controls else "no buttons or inputs"
    yield _scaled("controls", math.log1p(s.controls), controls)
    # the rhythm of a text: sections of several paragraphs each; a landing page's headings
    # each carry a line or two
    per_heading = s.prose / (s.headings + 1)
    yield _scaled("prose_per_heading", math.log1p(per_heading),
                  f"{per_heading:.1f} paragraphs per heading ({s.headings} headings)")  # fmt: skip
    yield _scaled(
        "button_links",
        math.log1p(s.button_links),
        f"{s.button_links} links styled as buttons" if s.button_links else "no button links",
    )


def _by_article(article: Mapping[str, Any]) -> Iterator[Evidence]:
    """Evidence from what extraction found: an article shows its date and its author."""
    dated = bool(article.get("date_published"))
    yield _scaled("dated", float(dated), "a publication date" if dated else "no publication date")
    bylined = bool(article.get("authors"))
    yield _scaled("bylined", float(bylined), "an author" if bylined else "no author")


def _flag(name: str, reason: str, *, listing: bool = False) -> Evidence:
    """A yes/no feature the page shows."""
    return Evidence(FLAGS[name], reason, listing, name, 1.0)


def _scaled(name: str, value: float, reason: str, *, listing: bool = False) -> Evidence:
    """A measured feature, weighed by how far it is from the typical page's."""
    weight, typical = MEASURES[name]
    return Evidence(weight * (value - typical), reason, listing, name, value)


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
    article: Mapping[str, Any] | None = None,
) -> PageVerdict:
    """How sure it is that a page is one article, and why.

    `html` may be an already parsed tree (extraction's), so a page is parsed once. `body_length`
    is the length of the body extraction found, when known; `article`, extraction's result,
    when known (its body, date and authors count; extraction.page.extract_page passes it).

    >>> teaser = "<div class='c'><h2><a href='/a/{0}'>Headline {0} of today</a></h2><p>.</p></div>"
    >>> listing = "<html><body>" + "".join(teaser.format(i) for i in range(8)) + "</body></html>"
    >>> v = judge_page(listing, "https://ex.com/politics/")
    >>> v.kind, v.is_article
    ('listing', False)
    """
    try:
        tree = _as_tree(html)
        if tree is None:
            return PageVerdict(OTHER, 0.0, ("no document",))
        return _judge(tree, url, profile, body_length, article)
    except Exception as exc:  # one odd page must not stop a crawl: logged with its context
        logger.warning("page kind of %s could not be judged", url, exc_info=True)
        return PageVerdict(OTHER, 0.0, (f"not judged: {type(exc).__name__}",))


def page_evidence(
    tree: HtmlElement,
    url: str | None = None,
    profile: Profile | None = None,
    *,
    body_length: int | None = None,
    article: Mapping[str, Any] | None = None,
) -> list[Evidence]:
    """Every piece of evidence judge_page weighs, with its feature's raw value (for the fit).

    >>> from lxml.html import document_fromstring
    >>> tree = document_fromstring("<html><body><p>" + "word " * 40 + "</p></body></html>")
    >>> sorted(e.feature for e in page_evidence(tree, "https://ex.com/news/") if e.feature)[:3]
    ['block', 'block_share', 'body']
    """
    if article is not None and body_length is None:
        body_length = len(article.get("body") or "")
    structure = page_structure(tree)
    marks = page_markup(tree)
    evidence = [
        *_declared(tree, structure, marks),
        *_by_url(url, profile),
        *_by_structure(structure, body_length),
        *_by_markup(tree, structure, marks),
    ]
    if article is not None:
        evidence += _by_article(article)
    if body_length is not None and body_length < MIN_BODY:
        evidence.append(Evidence(SHORT_BODY_WEIGHT, f"extracted body is {body_length} chars"))
    return evidence


def _judge(
    tree: HtmlElement,
    url: str | None,
    profile: Profile | None,
    body_length: int | None,
    article: Mapping[str, Any] | None,
) -> PageVerdict:
    evidence = page_evidence(tree, url, profile, body_length=body_length, article=article)
    score = INTERCEPT + sum(e.weight for e in evidence)
    confidence = round(1.0 / (1.0 + math.exp(-score)), 3)
    reasons = tuple(
        f"{e.reason} ({e.weight:+.1f})"
        for e in sorted(evidence, key=lambda e: -abs(e.weight))
        if abs(e.weight) >= 0.1
    )
    if confidence >= 0.5:
        kind = ARTICLE
    elif any(e.listing for e in evidence):
        kind = LISTING
    else:
        kind = OTHER
    contrary = tuple(e.reason for e in evidence if e.feature in CONTRARY)
    return PageVerdict(kind, confidence, reasons or ("no evidence either way",), contrary)
