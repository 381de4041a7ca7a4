"""Turn content blocks into body blocks, quotes and read-also links.

Why one pass over the joined blocks: a shortcode often opens in one ``<p>`` and closes several
paragraphs later, so the block texts are joined with a separator, scanned once for shortcodes,
and the surviving text is mapped back onto the blocks it came from (blocks left unchanged keep
their anchors; emptied blocks disappear). Then read-also lines and boxes are lifted out.

Decision (documented in the README): quotations leave the body. Quote-like shortcodes and
``Block(kind="quote")`` (HTML blockquotes) become ``quotes`` only, in document order; the body is
the article's own prose. Shortcode markup itself never reaches either.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections import Counter
from dataclasses import dataclass, field

from newscrawler.extraction.blocks import Block
from newscrawler.extraction.related import phrases_for, split_read_also
from newscrawler.extraction.shortcodes import (
    SEP,
    Registry,
    Scan,
    quote_of,
    registry_for,
    scan,
    strip_shortcodes,
)
from newscrawler.items import Link, Quote
from newscrawler.profiles.model import Profile
from newscrawler.text import normalize_text


@dataclass
class Cleaned:
    """The body blocks, what was lifted out of them, and counters for the run's stats."""

    blocks: list[Block]
    quotes: list[Quote] = field(default_factory=list)
    read_also: list[Link] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)


def _pieces(result: Scan, offsets: list[int]) -> list[str]:
    """The surviving text of each block (starting at `offsets` in the scanned text): each kept
    span is cut at the separators it crosses, its first piece going to the block it starts in."""
    kept = [""] * len(offsets)
    for a, b in result.body:
        first = bisect.bisect_right(offsets, a) - 1
        for n, piece in enumerate(result.text[a:b].split(SEP)):
            kept[first + n] += piece
    return kept


def _rebuilt(block: Block, text: str) -> Block | None:
    """`block` with its shortcode-free text; None when nothing is left or it is a quote block."""
    if block.kind == "quote":
        return None
    if text == block.text:
        return block
    text = normalize_text(text)
    if not text:
        return None
    anchors = tuple(a for a in block.anchors if a.text in text)  # a link without text survives
    lead = normalize_text(strip_shortcodes(block.lead).text)
    return dataclasses.replace(block, text=text, anchors=anchors, lead=lead)


def _quotes(result: Scan, blocks: list[Block], offsets: list[int], kept: list[str]) -> list[Quote]:
    """Quote-like shortcodes and quote blocks, in document order."""
    found: list[tuple[int, Quote]] = []
    for spans in result.quotes:
        lines = result.joined(spans.spans).replace(SEP, "\n").split("\n")
        quote = quote_of(lines, spans.attribution)
        if quote is not None:
            found.append((spans.start, quote))
    for n, block in enumerate(blocks):
        if block.kind == "quote":
            quote = quote_of(kept[n].split("\n"), block.attribution)
            if quote is not None:
                found.append((offsets[n], quote))
    found.sort(key=lambda item: item[0])  # stable: a quote shortcode before its quote block's rest
    return [quote for _, quote in found]


def clean_blocks(
    blocks: list[Block],
    *,
    base_url: str | None = None,
    language: str | None = None,
    profile: Profile | None = None,
    registry: Registry | None = None,
    lift_read_also: bool = True,
) -> Cleaned:
    """Shortcodes handled per the registry, quotes lifted out, read-also lines and boxes lifted out.

    `language` is accepted for the contract; phrases of every language are tried, since a page's
    declared language is often wrong and the phrases do not collide. `registry` replaces the
    profile's (the item pipeline unwraps quotes when an item has nowhere to put them), and
    `lift_read_also=False` leaves read-also lines in the body.
    """
    texts = [b.text.replace(SEP, " ") for b in blocks]
    offsets = []
    position = 0
    for text in texts:
        offsets.append(position)
        position += len(text) + 1
    result = scan(SEP.join(texts), registry or registry_for(profile))
    kept = _pieces(result, offsets)
    body = [block for block in map(_rebuilt, blocks, kept) if block is not None]
    quotes = _quotes(result, blocks, offsets, kept)
    links: list[Link] = []
    if lift_read_also:
        body, links = split_read_also(body, base_url=base_url, phrases=phrases_for(profile))
    stats = Counter(f"shortcodes/{tag.kind}" for tag in result.tags)
    stats.update({"quotes": len(quotes), "read_also": len(links)})
    return Cleaned(body, quotes, links, {k: v for k, v in stats.items() if v})
