"""Main content: find the article container, then walk it (and the lead) into Blocks.

Why this shape: paragraph text minus link text is weighed once per page and summed up the
tree; from the root we descend into the child holding most of the text while it dominates, so
wrappers are passed and the walk stops where the article's paragraphs split. Text mass decides,
not class names, which only prune subtrees during the walk (`boilerplate`, `blockwalk`). The
tree is only read, never modified, so metadata readers can run before or after.
"""

from __future__ import annotations

from lxml import etree
from lxml.html import HtmlElement

from newscrawler.extraction.blocks import Block
from newscrawler.extraction.blockwalk import walk
from newscrawler.extraction.boilerplate import (
    NEVER,
    STRONG_SHARE,
    junk_share,
    link_chars,
    text_of,
)
from newscrawler.extraction.content_vocab import BLOCK_KINDS, INLINE_TAGS, SKIP_TAGS
from newscrawler.extraction.ldbody import json_ld_body
from newscrawler.extraction.lead import lead_blocks
from newscrawler.extraction.related import Phrases, phrases_for
from newscrawler.extraction.selectors import select_elements
from newscrawler.profiles.model import Profile

__all__ = ["extract_blocks", "find_container"]

REPEATED_LINE = 80  # a paragraph this long printed twice is a copy of the article
REPEATED_SHARE = 0.25  # ... when this share of the long paragraphs are such copies
SIBLING_TEXT = 200  # a sibling of the container with this much paragraph text joins it
SHORT_RESULT = 0.25  # a body with less than this share of the page's paragraph text is short
BETTER = 2.0  # ... and another candidate holding this many times its text replaces it
MIN_DOM_BODY = 200  # below this much body text, the JSON-LD articleBody is tried
DOMINANT = 0.65  # descend into a child holding this share of its parent's text
MIN_PARAGRAPH_TEXT = 500  # below this much <p> text, all text nodes are weighed
LONG_TEXT = 60  # a text node this long counts fully even outside paragraph tags
LOOSE_TEXT = 0.2  # weight of shorter text outside paragraph tags (menus, schedules)

_TEXTS = etree.XPath(
    "//body//text()[string-length(normalize-space()) > 10]"
    "[not(parent::script or parent::style or parent::noscript or parent::template)]"
)
Weights = dict[HtmlElement, float]


def extract_blocks(tree: HtmlElement, url: str | None, profile: Profile | None) -> list[Block]:
    """The article body as Blocks: profile "body" selectors first, else generic analysis."""
    phrases = phrases_for(profile)
    if profile is not None and profile.selectors.get("body"):
        found = select_elements(tree, profile.selectors["body"])
        if found:
            blocks = walk(found, url, phrases=phrases)
            if blocks:
                return blocks
    found_container = find_container(tree)
    if found_container is None:
        return json_ld_body(tree)
    container, totals = found_container
    blocks = _blocks_of(tree, container, url, totals, phrases)
    page_text = totals.get(tree, 0.0)
    if _text_mass(blocks) < SHORT_RESULT * page_text:
        blocks = _better_of(blocks, tree, container, url, totals, phrases)
    blocks = _line_runs_instead(blocks, tree, container, url, totals, phrases)
    if sum(len(b.text) for b in blocks) < MIN_DOM_BODY:
        structured = json_ld_body(tree)
        if sum(len(b.text) for b in structured) > sum(len(b.text) for b in blocks):
            return structured
    return _printed_once(blocks)


def _printed_once(blocks: list[Block]) -> list[Block]:
    """Each paragraph of `REPEATED_LINE` characters or more once: pages ship copies of the
    article for other screen sizes (desktop, tablet, mobile) and a walk meets all of them."""
    long = [b.text for b in blocks if len(b.text) >= REPEATED_LINE and b.kind != "quote"]
    if len(long) - len(set(long)) < REPEATED_SHARE * len(long):
        return blocks  # a few lines printed twice (a summary, a refrain): as printed
    seen: set[str] = set()
    kept: list[Block] = []
    for block in blocks:
        if len(block.text) >= REPEATED_LINE and block.kind != "quote":
            if block.text in seen:
                continue
            seen.add(block.text)
        kept.append(block)
    return kept


def _blocks_of(tree: HtmlElement, container: HtmlElement, url: str | None, totals: Weights,
               phrases: Phrases | None) -> list[Block]:  # fmt: skip
    """The lead and the walk of a container with its text-holding siblings."""
    parts = with_siblings(container, totals)
    return lead_blocks(tree, parts[0], url) + walk(parts, url, totals, phrases)


def _text_mass(blocks: list[Block]) -> int:
    """Characters of text outside links: what a better candidate must hold more of."""
    return sum(
        len(b.text) - sum(len(a.text) for a in b.anchors) for b in blocks if b.kind != "quote"
    )


def _better_of(blocks: list[Block], tree: HtmlElement, container: HtmlElement, url: str | None,
               totals: Weights, phrases: Phrases | None) -> list[Block]:  # fmt: skip
    """A short result beside the page's paragraph text: the walk of the densest block of
    paragraphs elsewhere on the page, or of the container's parent, when it holds `BETTER`
    times the text (a widget or a teaser won the descent; the article is beside it)."""
    best, mass = blocks, _text_mass(blocks)
    for other in _alternatives(container, totals):
        found = _blocks_of(tree, other, url, totals, phrases)
        if (found_mass := _text_mass(found)) > BETTER * mass:
            best, mass = found, found_mass
    return best


def _line_runs_instead(blocks: list[Block], tree: HtmlElement, container: HtmlElement,
                       url: str | None, totals: Weights,
                       phrases: Phrases | None) -> list[Block]:  # fmt: skip
    """The walk of the element holding most text written as runs between `<br>`s rather than
    in `<p>`s (older CMSs, hand-written pages), when it holds `BETTER` times the text of the
    result: the paragraph weights do not see such text, so a teaser's `<p>` could win."""
    runs = _line_runs(tree)
    if not runs:
        return blocks
    best = max(runs, key=runs.__getitem__)
    mass = _text_mass(blocks)
    if runs[best] <= BETTER * mass or best is container or container in best.iterancestors():
        return blocks
    if junk_share(best) or any(junk_share(up) >= STRONG_SHARE for up in best.iterancestors()):
        return blocks
    weighed = dict(totals)
    for el, size in runs.items():
        weighed[el] = weighed.get(el, 0.0) + size
        for up in el.iterancestors():
            weighed[up] = weighed.get(up, 0.0) + size
    found = _blocks_of(tree, best, url, weighed, phrases)
    return found if _text_mass(found) > BETTER * mass else blocks


def _line_runs(tree: HtmlElement) -> Weights:
    """Characters of text runs of `LONG_TEXT` or more after a `<br>`, per block element
    (the nearest ancestor that is not inline), outside paragraphs and links."""
    runs: Weights = {}
    for br in tree.iter("br"):
        tail = br.tail
        if tail is None or len(tail) < LONG_TEXT or len(tail := tail.strip()) < LONG_TEXT:
            continue
        block = br.getparent()
        while block is not None and block.tag in INLINE_TAGS and block.tag != "a":
            block = block.getparent()
        if block is not None and block.tag not in ("p", "a") and block.tag not in SKIP_TAGS:
            runs[block] = runs.get(block, 0.0) + len(tail)
    return runs


def _alternatives(container: HtmlElement, totals: Weights) -> list[HtmlElement]:
    """The parent of the container, and the element with the most paragraph text in its own
    children (the densest run of paragraphs) when it lies outside the container."""
    found: list[HtmlElement] = []
    parent = container.getparent()
    if parent is not None and parent.tag not in ("body", "html"):
        found.append(parent)
    direct: Weights = {}
    for el, weight in totals.items():
        if el.tag in BLOCK_KINDS and (up := el.getparent()) is not None:
            direct[up] = direct.get(up, 0.0) + weight
    if direct:
        densest = max(direct, key=direct.__getitem__)
        inside = densest is container or container in densest.iterancestors()
        if not inside and not junk_share(densest) and densest not in found:
            found.append(densest)
    return found


# Text elements between two parts of a split body are part of it, however short: the
# subheadings and the short paragraphs and lists between the paragraphs that joined
_FLOW = frozenset({"p", "ul", "ol", "dl", "h2", "h3", "h4", "h5", "h6", "table", "blockquote"})


def with_siblings(container: HtmlElement, totals: Weights) -> list[HtmlElement]:
    """The container and its siblings that hold paragraph text too, in document order.

    Bodies come split: a free first paragraph before the metered rest, parts between ads. A
    sibling joins when it holds `SIBLING_TEXT` characters of paragraph text and does not look
    like boilerplate; its walk drops teasers and link lists as usual.
    """
    outer, parent = container, container.getparent()
    if parent is not None and totals.get(parent) == totals.get(container):
        outer, parent = parent, parent.getparent()  # a bare wrapper: its siblings count
    if parent is None or parent.tag in ("body", "html"):
        return [container]
    children = [el for el in parent if isinstance(el.tag, str)]
    joined = {
        i
        for i, el in enumerate(children)
        if el is outer or (totals.get(el, 0.0) >= SIBLING_TEXT and not junk_share(el))
    }
    first, last = min(joined), max(joined)
    return [
        container if el is outer else el
        for i, el in enumerate(children)
        if i in joined or (first < i < last and el.tag in _FLOW and not junk_share(el))
    ]


def find_container(tree: HtmlElement) -> tuple[HtmlElement, Weights] | None:
    """The element holding the article text, and the text weight of every element above a
    paragraph; None for a page without text."""
    weights = _paragraph_weights(tree)
    if sum(weights.values()) < MIN_PARAGRAPH_TEXT:  # text in <div>s, not <p>s: look closer
        weights = _text_weights(tree)
    if not weights:
        return None
    totals = _accumulate(weights)
    node: HtmlElement = tree
    while (best := _dominant_child(node, weights.get(node, 0.0), totals)) is not None:
        node = best
    if node.tag == "p" and (parent := node.getparent()) is not None and _text_block(parent):
        node = parent  # one long paragraph outweighed the lists and headings beside it
    return node, totals


_TEXT_CHILDREN = frozenset({"p", "ul", "ol", "h2", "h3", "h4", "h5", "h6", "table", "blockquote"})


def _text_block(el: HtmlElement) -> bool:
    """A block made only of paragraphs, lists, subheadings and tables, with a list or a
    subheading among them: the text of one article (`<br>` and inline runs aside)."""
    tags = {c.tag for c in el if isinstance(c.tag, str) and c.tag != "br"}
    return (
        el.tag not in ("body", "html")
        and bool(tags)
        and tags <= _TEXT_CHILDREN
        and bool(tags - {"p"})
        and not junk_share(el)
    )


def _paragraph_weights(tree: HtmlElement) -> Weights:
    """Non-link text length of each <p> (the cheap signal that works on most pages)."""
    weights: Weights = {}
    for p in tree.iter("p"):
        if next(p.iterancestors("a"), None) is not None:  # a teaser's text inside its link
            continue
        size = len(text_of(p).strip())
        if size and next(p.iter("a"), None) is not None:
            size -= link_chars(p)
        if size > 0:
            weights[p] = float(size)
    return weights


def _text_weights(tree: HtmlElement) -> Weights:
    """Non-link text per block element (the nearest ancestor that is not an inline tag)."""
    weights: Weights = {}
    found = _TEXTS(tree)
    for text in found if isinstance(found, list) else ():
        if not isinstance(text, etree._ElementUnicodeResult):  # text() gives only these
            continue
        el = text.getparent()
        if el is not None and text.is_tail:
            el = el.getparent()
        while el is not None and el.tag in INLINE_TAGS and el.tag != "a":
            el = el.getparent()
        if el is None or el.tag == "a":
            continue
        size = float(len(text.strip()))
        if el.tag not in BLOCK_KINDS and size < LONG_TEXT:
            size *= LOOSE_TEXT
        weights[el] = weights.get(el, 0.0) + size
    return weights


def _accumulate(weights: Weights) -> Weights:
    """Each element's total: its own weight plus that of every block below it."""
    totals: Weights = dict(weights)
    parents: Weights = {}
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


def _dominant_child(node: HtmlElement, own: float, totals: Weights) -> HtmlElement | None:
    """The child holding `DOMINANT` of the node's text, boilerplate children left out.

    A boilerplate or hidden child heavier than all the others together is content after all
    (soft paywalls and streamed pages ship the article `hidden`).
    """
    kept: list[tuple[float, HtmlElement]] = []
    left_out: list[tuple[float, HtmlElement]] = []
    for child in node:
        weight = totals.get(child)
        if weight is not None:
            share = junk_share(child)
            if share == NEVER and child.tag not in SKIP_TAGS:
                continue  # a comment thread: never the article, however long
            (left_out if share >= STRONG_SHARE else kept).append((weight, child))
    total = own + sum(w for w, _ in kept)
    if left_out:
        heavy = max(left_out, key=_weight)
        if heavy[0] > total:
            kept.append(heavy)
            total += heavy[0]
    if not kept:
        return None
    weight, best = max(kept, key=_weight)
    return best if weight >= DOMINANT * total else None


def _weight(pair: tuple[float, HtmlElement]) -> float:
    return pair[0]
