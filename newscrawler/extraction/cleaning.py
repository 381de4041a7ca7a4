"""Turn content blocks into body blocks, quotes and read-also links (STUB: replaced by issue 4).

Contract (keep it): clean_blocks(blocks, base_url=..., language=..., profile=...) -> Cleaned.
- Shortcodes (even split across blocks) are parsed and handled per the registry.
- Blocks of kind "quote" and quote-like shortcodes go to `quotes` and leave the body.
- Read-also lines/boxes go to `read_also` and leave the body.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from newscrawler.extraction.blocks import Block
from newscrawler.items import Link, Quote
from newscrawler.profiles.model import Profile


@dataclass
class Cleaned:
    blocks: list[Block]
    quotes: list[Quote] = field(default_factory=list)
    read_also: list[Link] = field(default_factory=list)


def clean_blocks(
    blocks: list[Block],
    *,
    base_url: str | None = None,
    language: str | None = None,
    profile: Profile | None = None,
) -> Cleaned:
    quotes: list[Quote] = []
    body: list[Block] = []
    for block in blocks:
        if block.kind == "quote":
            quotes.append({"text": block.text, "attribution": block.attribution})
        else:
            body.append(block)
    return Cleaned(blocks=body, quotes=quotes)
