"""Blocks: the unit that content analysis hands to the cleaners (shortcodes, quotes, read-also).

A block is one paragraph-level element of the article body, in document order. Cleaners take a
list of blocks and return a new list (never mutate the parsed tree in place), plus what they lifted
out (quotes, read-also links).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Anchor:
    """A link inside a block: its visible text, its absolute URL and its title attribute."""

    text: str
    href: str
    title: str = ""


@dataclass(frozen=True)
class Block:
    """One paragraph-level piece of the body.

    kind: "p", "h" (subheading), "li", "blockquote", "pre", "box" (an aside/related box)...
    text: visible text, whitespace collapsed inside, no trailing newline.
    anchors: links inside the block, in order.
    lead: text before the first anchor, already stripped (handy for "Lire aussi : <a>" lines).
    attribution: for kind "quote" only, who said it (None when the page does not say).
    bold: every character of the paragraph is inside <strong>/<b> (a label, a byline, a
        subheading styled as a paragraph).
    action: a call to action, a line made only of links styled as buttons ("Buy on Amazon",
        "Book now"): read by the cleaners and the byline check like any line, left out of the
        body text.
    """

    kind: str
    text: str
    anchors: tuple[Anchor, ...] = field(default=())
    lead: str = ""
    attribution: str | None = None
    bold: bool = False
    action: bool = False
