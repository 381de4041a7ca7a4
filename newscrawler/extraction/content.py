"""Main content: find the article container and walk it, in document order, into Blocks.

Why this shape: one cheap pass to score paragraph parents (text mass minus link text, the
readability idea), then one walk of the chosen container that keeps paragraphs, subheadings and
list items and skips boilerplate subtrees (navigation, share bars, captions, newsletter boxes,
related lists, comments, ads, cookie banners, social embeds). The tree is only read, never
modified, so metadata readers can run before or after. Vocabularies live in `content_vocab`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from urllib.parse import urljoin

from lxml import etree
from lxml.html import HtmlElement

from newscrawler.extraction import quotes as html_quotes
from newscrawler.extraction.blocks import Anchor, Block
from newscrawler.extraction.content_vocab import (
    BLOCK_KINDS,
    BODY_TOKENS,
    CREDIT_MARKERS,
    HIDDEN_STYLE,
    INLINE_TAGS,
    JUNK_PREFIXES,
    JUNK_ROLES,
    HIDDEN_CLASSES,
    JUNK_TOKENS,
    LAYOUT_TOKENS,
    SKIP_TAGS,
    SOCIAL_NAMES,
    byline_prefixes,
    token_regex,
)
from newscrawler.extraction.selectors import elements, select_elements
from newscrawler.profiles.model import Profile
from newscrawler.text import normalize_text

_PARAGRAPHS = etree.XPath("//body//p")
_H1 = etree.XPath("//body//h1")
_CARDS = etree.XPath(
    "count(*[.//*[self::h2 or self::h3 or self::h4 or self::h5 or self::h6]"
    "[descendant::a[@href] or ancestor::a[@href]]])"
)
_WORD = re.compile(r"\w+")
_CREDIT = re.compile("|".join(re.escape(m) for m in CREDIT_MARKERS))
_BYLINE_START = re.compile(r"(?:" + "|".join(re.escape(p) for p in byline_prefixes()) + r")\s")
_SOCIAL = re.compile(r"\b(?:" + "|".join(SOCIAL_NAMES) + r")\b")
_DATELIKE = re.compile(r"\b\d{1,2}[:.h]\d{2}\b|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b")
_TEXTS = etree.XPath(
    "//body//text()[string-length(normalize-space()) > 10]"
    "[not(parent::script or parent::style or parent::noscript or parent::template)]"
)
_JUNK = token_regex(JUNK_TOKENS, JUNK_PREFIXES)
_LAYOUT = token_regex(LAYOUT_TOKENS, ())
_HIDDEN_CLASS = re.compile(
    r"(?:^|\s)(?:" + "|".join(re.escape(c) for c in HIDDEN_CLASSES) + r")(?=\s|$)"
)
_BODY = token_regex(BODY_TOKENS, ())
_HIDDEN = re.compile(HIDDEN_STYLE)
_MODIFIER = re.compile(r"--[\w-]*")
_SENTENCE_END = re.compile(r"[.!?…:\"”»。！？]\s*$")

_LONG_TEXT = 60  # a text node this long counts fully even outside paragraph tags
_LOOSE_TEXT = 0.2  # weight of shorter text outside paragraph tags
_NEVER = 2.0
_STRONG_SHARE = 0.5  # a boilerplate-named subtree holding half the text is kept anyway
_LAYOUT_SHARE = 0.1  # a layout-named subtree (sidebar, widget) holding 10 % is kept
_MIN_PARAGRAPH_TEXT = 500  # below this much <p> text, all text nodes are weighed
_MIN_LEAD = 60  # chars of a lead paragraph (shorter: bylines, datelines, kickers)
_SHORT_LINE = 120  # a line this short with a date or time in it is a dateline
_TITLE_OVERLAP = 0.5  # a heading sharing this share of words with the <h1> is a title variant
_SOCIAL_NAMES = 3  # a line naming this many social networks is a share bar
_DOMINANT = 0.7  # descend into a child holding this share of its parent's text
_MIN_CARDS = 3  # a teaser list has at least this many linked-heading children
_CARD_SHARE = 0.6  # ... making up this share of its children
_LINK_LIST_DENSITY = 0.6  # a list whose items are this much link text is a link list


def _attrs(el: HtmlElement) -> str:
    """The class and id of an element, lowercased, BEM modifiers ("--with-nav") removed."""
    cls, ident = el.get("class"), el.get("id")
    if cls is None and ident is None:
        return ""
    attrs = f"{cls or ''} {ident or ''}".lower()
    return _MODIFIER.sub("", attrs) if "--" in attrs else attrs


def junk_share(el: HtmlElement) -> float:
    """0 for an element that may hold article text; else the share of the container's text
    weight that it must hold to be kept anyway (above 1: never kept).

    Tags (nav, aside, figure...) are never kept; roles, hidden elements and boilerplate class/id
    words (share, comments, related...) yield to half the text (a soft paywall hides the
    article itself); layout words (sidebar, widget...) yield to 10 %.
    """
    if el.tag in SKIP_TAGS:
        return _NEVER
    if el.get("role") in JUNK_ROLES or is_hidden(el):
        return _STRONG_SHARE
    attrs = _attrs(el)
    if attrs:
        if _JUNK.search(attrs):
            return _STRONG_SHARE
        if _LAYOUT.search(attrs):
            return _LAYOUT_SHARE
    return 0.0


def is_hidden(el: HtmlElement) -> bool:
    """Hidden from sighted readers: `hidden`, aria-hidden, display:none, sr-only classes."""
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    style = el.get("style")
    if style is not None and _HIDDEN.search(style.lower()) is not None:
        return True
    cls = el.get("class")
    return cls is not None and _HIDDEN_CLASS.search(cls.lower()) is not None


def is_junk(el: HtmlElement) -> bool:
    """True for a subtree that is boilerplate by tag, role, class/id, or hidden."""
    return junk_share(el) > 0.0


def _link_chars(el: HtmlElement) -> int:
    return sum(len(a.text_content()) for a in el.iter("a"))


def _paragraph_weights(tree: HtmlElement) -> dict[HtmlElement, float]:
    """Non-link text length of each <p> (the cheap signal that works on most pages)."""
    weights: dict[HtmlElement, float] = {}
    for p in elements(_PARAGRAPHS, tree):
        size = len(p.text_content().strip())
        if size and p.find(".//a") is not None:
            size -= _link_chars(p)
        if size > 0:
            weights[p] = size
    return weights


def _text_weights(tree: HtmlElement) -> dict[HtmlElement, float]:
    """Non-link text per block element (the nearest ancestor that is not an inline tag)."""
    weights: dict[HtmlElement, float] = {}
    for text in _TEXTS(tree):
        el = text.getparent()
        if el is None:
            continue
        if text.is_tail:
            el = el.getparent()
        while el is not None and el.tag in INLINE_TAGS:
            if el.tag == "a":
                break
            el = el.getparent()
        if el is None or el.tag == "a":
            continue
        size = len(text.strip())
        if el.tag not in BLOCK_KINDS and size < _LONG_TEXT:
            size *= _LOOSE_TEXT  # short text outside paragraphs: menus, schedules, widgets
        weights[el] = weights.get(el, 0.0) + size
    return weights


def _accumulate(weights: dict[HtmlElement, float]) -> dict[HtmlElement, float]:
    """Each element's total: its own weight plus that of every block below it."""
    totals: dict[HtmlElement, float] = dict(weights)
    parents: dict[HtmlElement, float] = {}
    for el, weight in weights.items():  # blocks share parents: climb once per parent
        parent = el.getparent()
        if parent is not None:
            parents[parent] = parents.get(parent, 0.0) + weight
    for el, weight in parents.items():
        node: HtmlElement | None = el
        while node is not None:
            totals[node] = totals.get(node, 0.0) + weight
            node = node.getparent()
    return totals


def find_container(tree: HtmlElement) -> tuple[HtmlElement, dict[HtmlElement, float]] | None:
    """The element holding the article text (and text weights), None for a page without text.

    From the root, descend into the child that holds most of the text while it holds at least
    `_DOMINANT` of it: wrappers are passed, and the walk stops where the text splits across
    several children (paragraphs, or body parts between ads). Text mass decides here, not
    class names (a `main--with-nav` wrapper is not navigation).
    """
    weights = _paragraph_weights(tree)
    if sum(weights.values()) < _MIN_PARAGRAPH_TEXT:  # text in <div>s, not <p>s: look closer
        weights = _text_weights(tree)
    if not weights:
        return None
    totals = _accumulate(weights)
    node: HtmlElement = tree
    while True:
        best = _dominant_child(node, weights.get(node, 0.0), totals)
        if best is None:
            return node, totals
        node = best


def _dominant_child(node: HtmlElement, own: float,
                    totals: dict[HtmlElement, float]) -> HtmlElement | None:  # fmt: skip
    """The child holding `_DOMINANT` of the node's text, boilerplate children left out.

    A boilerplate or hidden child heavier than all the others together is content after all
    (soft paywalls and streamed pages ship the article `hidden`).
    """
    kept: list[tuple[float, HtmlElement]] = []
    left_out: list[tuple[float, HtmlElement]] = []
    for child in node:
        weight = totals.get(child)
        if weight is not None:
            share = junk_share(child)
            (left_out if share >= _STRONG_SHARE else kept).append((weight, child))
    total = own + sum(w for w, _ in kept)
    if left_out:
        heavy = max(left_out, key=_first)
        if heavy[0] > total:
            kept.append(heavy)
            total += heavy[0]
    if not kept:
        return None
    weight, best = max(kept, key=_first)
    return best if weight >= _DOMINANT * total else None


def _first(pair: tuple[float, HtmlElement]) -> float:
    return pair[0]


class _Walker:
    """Walks a container in document order, collecting paragraph text into Blocks."""

    def __init__(self, base_url: str | None, totals: dict[HtmlElement, float] | None = None,
                 mass: float = 0.0) -> None:  # fmt: skip
        self.base_url = base_url or ""
        self.skip: Callable[[HtmlElement], bool] | None = None
        self.totals = totals or {}
        self.mass = mass
        self.blocks: list[Block] = []
        self.parts: list[str] = []
        self.anchors: list[Anchor] = []
        self.lead: str | None = None

    def flush(self, kind: str = "p") -> None:
        if self.parts:
            text = normalize_text("".join(self.parts))
            if text:
                lead = self.lead if self.lead is not None else ""
                self.blocks.append(Block(kind, text, tuple(self.anchors), lead))
        self.parts = []
        self.anchors = []
        self.lead = None

    def inline(self, el: HtmlElement) -> None:
        """Text of an inline element (and its children) into the current paragraph."""
        tag = el.tag
        if tag == "br":
            self.flush()
            return
        if not isinstance(tag, str) or tag in SKIP_TAGS or is_hidden(el):
            return
        if tag == "a" and el.get("href") is not None:
            if self.lead is None and not self.anchors:
                self.lead = normalize_text("".join(self.parts))
            start = len(self.parts)
            self._children_inline(el)
            text = normalize_text("".join(self.parts[start:]))
            if text:
                self.anchors.append(Anchor(text, urljoin(self.base_url, el.get("href", ""))))
            return
        self._children_inline(el)

    def _children_inline(self, el: HtmlElement) -> None:
        if el.text:
            self.parts.append(el.text)
        for child in el:
            self.inline(child)
            if child.tail:
                self.parts.append(child.tail)

    def paragraph(self, el: HtmlElement, kind: str) -> None:
        self.flush()
        if self.skip is not None and self.skip(el):
            return
        self._children_inline(el)
        self.flush(kind)

    def container(self, el: HtmlElement) -> None:
        """Children of a block container: inline runs become paragraphs, blocks recurse."""
        if el.text:
            self.parts.append(el.text)
        for child in el:
            tag = child.tag
            if isinstance(tag, str):
                if tag in INLINE_TAGS:
                    self.inline(child)
                else:
                    self.flush()
                    self.block(child)
            if child.tail:
                self.parts.append(child.tail)
        self.flush()

    def block(self, el: HtmlElement) -> None:
        share = junk_share(el)
        if share and (share > 1.0 or self.totals.get(el, 0.0) < share * self.mass):
            return
        tag = el.tag
        if tag == "blockquote":
            quote = html_quotes.parse_blockquote(el)
            if quote is not None:
                self.blocks.append(Block("quote", quote["text"], attribution=quote["attribution"]))
            return
        kind = BLOCK_KINDS.get(tag)
        if kind is not None and not (kind == "li" and _has_blocks(el)):
            self.paragraph(el, kind)
            return
        if tag in ("ul", "ol") and _is_link_list(el):
            return
        if len(el) >= _MIN_CARDS and self.totals.get(el, 0.0) < _STRONG_SHARE * self.mass:
            if _is_card_list(el) or _is_link_list(el):
                return
        self.container(el)


def _has_blocks(el: HtmlElement) -> bool:
    return any(isinstance(c.tag, str) and c.tag not in INLINE_TAGS for c in el)


def _is_card_list(el: HtmlElement) -> bool:
    """Several children that each carry a linked heading: teasers of other articles."""
    cards = int(_CARDS(el))
    return cards >= _MIN_CARDS and cards >= _CARD_SHARE * sum(
        1 for c in el if isinstance(c.tag, str)
    )


def _is_link_list(el: HtmlElement) -> bool:
    """A list of (mostly) links: related articles, navigation, tags."""
    text = len(el.text_content().strip())
    return text == 0 or _link_chars(el) >= _LINK_LIST_DENSITY * text


def walk(containers: Iterable[HtmlElement], base_url: str | None,
         totals: dict[HtmlElement, float] | None = None) -> list[Block]:  # fmt: skip
    """Blocks of each container, in order (the containers themselves are not junk-checked).

    With `totals` (text weight per element), a subtree whose class looks like boilerplate but
    that holds a large share of the container's text is kept: mass beats a class name.
    """
    containers = list(containers)
    mass = sum(totals.get(c, 0.0) for c in containers) if totals else 0.0
    walker = _Walker(base_url, totals, mass)
    for el in containers:
        kind = BLOCK_KINDS.get(el.tag)
        if kind is not None and not _has_blocks(el):
            walker.paragraph(el, kind)
        else:
            walker.container(el)
    return walker.blocks


def extract_blocks(tree: HtmlElement, url: str | None, profile: Profile | None) -> list[Block]:
    """The article body as Blocks: profile "body" selectors first, else generic analysis."""
    if profile is not None and profile.selectors.get("body"):
        found = select_elements(tree, profile.selectors["body"])
        if found:
            blocks = walk(found, url)
            if blocks:
                return blocks
    found_container = find_container(tree)
    if found_container is None:
        return []
    container, totals = found_container
    return lead_blocks(tree, container, url) + walk([container], url, totals)


class _Stop(Exception):
    """The lead walk reached the container."""


def lead_blocks(tree: HtmlElement, container: HtmlElement, base_url: str | None) -> list[Block]:
    """Paragraphs between the headline (<h1>) and the container: standfirst, key points.

    Publishers often put the lead in the article header, outside the text container; it is
    part of the article text. Boilerplate there (bylines, share bars, captions) is dropped by
    the same vocabularies as in the body.
    """
    h1s = elements(_H1, tree)
    if not h1s:
        return []
    h1 = h1s[0]
    container_chain = set(container.iterancestors())
    if h1 in container_chain or container in set(h1.iterancestors()):
        return []
    h1_chain = set(h1.iterancestors())
    common = next((a for a in container.iterancestors() if a in h1_chain), None)
    if common is None:
        return []
    walker = _Walker(base_url)
    active = False

    def visit(el: HtmlElement) -> None:
        nonlocal active
        for child in el:
            if child is container:
                raise _Stop
            if child is h1:
                active = True
            elif child in container_chain or child in h1_chain:
                visit(child)
            elif active and isinstance(child.tag, str):
                walker.block(child)

    try:
        visit(common)
    except _Stop:
        pass
    walker.flush()
    title = set(_WORD.findall(h1.text_content().lower()))
    return [b for b in walker.blocks if _is_lead(b, title)]


def _is_lead(block: Block, title: set[str]) -> bool:
    """A lead paragraph, not a byline, dateline, credit, share bar or headline variant."""
    text = block.text
    if len(text) < _MIN_LEAD:
        return False
    lowered = text.lower()
    if block.kind == "h":
        words = set(_WORD.findall(lowered))
        if words and len(words & title) >= _TITLE_OVERLAP * min(len(words), len(title) or 1):
            return False
    if _CREDIT.search(lowered) or _BYLINE_START.match(lowered):
        return False
    if block.kind != "li" and len(text) < _SHORT_LINE and _DATELIKE.search(text):
        return False
    return len(_SOCIAL.findall(lowered)) < _SOCIAL_NAMES
