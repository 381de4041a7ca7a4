"""The lead: paragraphs between the headline (<h1>) and the text container.

Why: publishers often put the standfirst or key points in the article header, outside the
container that holds the paragraphs, yet they are part of the article text. The header also
holds bylines, datelines, photo credits, share bars and kicker/title variants: those are
filtered by the boilerplate vocabularies and by the line tests in `is_lead`.
"""

from __future__ import annotations

import contextlib
import re

from lxml.html import HtmlElement

from newscrawler.extraction.blocks import Block
from newscrawler.extraction.blockwalk import Walker
from newscrawler.extraction.boilerplate import LAYOUT_SHARE, text_of
from newscrawler.extraction.content_vocab import CREDIT_MARKERS, SOCIAL_NAMES, byline_prefixes

MIN_LEAD = 60  # chars of a lead paragraph (shorter: bylines, datelines, kickers)
SHORT_LINE = 120  # a line this short with a date or time in it is a dateline
TITLE_OVERLAP = 0.5  # a heading sharing this share of words with the <h1> is a title variant
SHARE_BAR_NAMES = 3  # a line naming this many social networks is a share bar

_WORD = re.compile(r"\w+")
_CREDIT = re.compile("|".join(re.escape(m) for m in CREDIT_MARKERS))
_BYLINE_START = re.compile(r"(?:" + "|".join(re.escape(p) for p in byline_prefixes()) + r")\s")
_SOCIAL = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in SOCIAL_NAMES) + r")\b")
_DATELIKE = re.compile(r"\b\d{1,2}[:.h]\d{2}\b|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b")


class _Reached(Exception):
    """The lead walk reached the container."""


def lead_blocks(tree: HtmlElement, container: HtmlElement, base_url: str | None) -> list[Block]:
    """Lead paragraphs after the headline <h1> and before `container`, in document order."""
    found = _headline(tree, container)
    if found is None:
        return []
    h1, common = found
    container_chain = set(container.iterancestors())
    h1_chain = set(h1.iterancestors())
    walker = Walker(base_url)
    walker.tolerated = LAYOUT_SHARE  # a "teaser" or "header" class is where leads live
    active = False

    def visit(el: HtmlElement) -> None:
        nonlocal active
        for child in el:
            if child is container:
                raise _Reached
            if child is h1:
                active = True
            elif child in container_chain or child in h1_chain:
                visit(child)
            elif active and isinstance(child.tag, str):
                walker.block(child)

    with contextlib.suppress(_Reached):
        visit(common)
    walker.flush()
    title = set(_WORD.findall(h1.text_content().lower()))
    return [b for b in walker.blocks if is_lead(b, title)]


def _headline(tree: HtmlElement, container: HtmlElement) -> tuple[HtmlElement, HtmlElement] | None:
    """The <h1> nearest the container (a logo in an <h1> is farther), and their common
    ancestor; None when there is no <h1> outside the container, or one is inside it."""
    depth = {a: d for d, a in enumerate(container.iterancestors())}
    best: tuple[int, HtmlElement, HtmlElement] | None = None
    for h1 in tree.iter("h1"):
        if not text_of(h1).strip():
            continue
        common = next((a for a in h1.iterancestors() if a in depth or a is container), None)
        if common is None or common is container:
            return None  # the headline is inside the container: no separate lead
        if common is h1 or h1 in depth:
            continue
        if best is None or depth[common] <= best[0]:
            best = (depth[common], h1, common)
    return (best[1], best[2]) if best is not None else None


def is_lead(block: Block, title: set[str]) -> bool:
    """A lead paragraph, not a byline, dateline, credit, share bar or headline variant.

    >>> is_lead(Block("p", "By Jane Doe and John Roe, with reporting from Kyiv and Kharkiv"), set())
    False
    """
    text = block.text
    if len(text) < MIN_LEAD:
        return False
    lowered = text.lower()
    if block.kind == "h":
        words = set(_WORD.findall(lowered))
        if words and len(words & title) >= TITLE_OVERLAP * len(words):
            return False
    if _CREDIT.search(lowered) or _BYLINE_START.match(lowered):
        return False
    if block.kind != "li" and len(text) < SHORT_LINE and _DATELIKE.search(text):
        return False
    return len(_SOCIAL.findall(lowered)) < SHARE_BAR_NAMES
