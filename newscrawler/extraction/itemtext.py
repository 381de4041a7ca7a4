"""Clean the text fields of an item that is already built: the cleaner behind CleaningPipeline.

Why: spiders outside newscrawler (and newscrawler's own, as a last guard) hand over text that may
still hold WordPress shortcodes, entities, invisible characters and read-also lines. The rules
are extraction's own (shortcodes.py, cleaning.py, related.py, text.py): each line of a field is
one block, the blocks go through `clean_blocks`, so a shortcode opening in one paragraph and
closing three later is handled exactly as on a page.

Two differences, both for idempotence (cleaning clean text changes nothing):
- entities are decoded until none is left ("&amp;amp;" ends as "&"), not once as on a page;
- a field is cleaned again until it no longer changes, so text that a first pass uncovers (an
  escaped ``[[gallery]]`` shows as ``[gallery]``) is handled by the second.

Pure: text in, text out, plus what was lifted out and counters of what changed.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from types import MappingProxyType

from w3lib.html import replace_entities

from newscrawler.extraction.blocks import Block
from newscrawler.extraction.cleaning import clean_blocks
from newscrawler.extraction.shortcodes import Registry, registry_for
from newscrawler.items import Link, Quote
from newscrawler.profiles.model import Profile
from newscrawler.text import strip_invisible

MAX_PASSES = 4  # a pass uncovers at most one level of escaping; real text settles in two


def decode_entities(text: str) -> str:
    """Entities decoded until none is left (each pass shortens the text, so this ends).

    >>> decode_entities("Tom &amp;amp; Jerry &raquo;")
    'Tom & Jerry »'
    """
    while "&" in text:
        decoded = replace_entities(text)
        if decoded == text:
            break
        text = decoded
    return text


def unwrapping(registry: Registry) -> Registry:
    """`registry` with quote-like shortcodes unwrapped (tags removed, words kept in place)."""
    exact = {
        name: ("wrapper" if kind == "quote" else kind) for name, kind in registry.exact.items()
    }
    globs = tuple((name, "wrapper" if kind == "quote" else kind) for name, kind in registry.globs)
    return Registry(MappingProxyType(exact), globs, registry.attribution_attributes)


@dataclass
class CleanedText:
    """A field's clean text, what was lifted out of it, and counters of what changed."""

    text: str
    quotes: list[Quote] = field(default_factory=list)
    read_also: list[Link] = field(default_factory=list)
    changes: Counter[str] = field(default_factory=Counter)


class TextCleaner:
    """Cleans field texts with one profile's shortcode registry and read-also phrases."""

    def __init__(self, profile: Profile | None = None) -> None:
        self.profile = profile
        self.registry = registry_for(profile)
        self.unwrapping = unwrapping(self.registry)

    def clean(
        self,
        text: str,
        *,
        one_line: bool = False,
        lift_quotes: bool = False,
        lift_read_also: bool = False,
        base_url: str | None = None,
    ) -> CleanedText:
        """`text` cleaned until stable: one paragraph per line (or one line), lifted parts apart.

        >>> TextCleaner().clean("Un&nbsp;[vc_row]texte[/vc_row] &amp;amp; plus").text
        'Un texte & plus'
        """
        result = CleanedText(text)
        for _ in range(MAX_PASSES):
            before = result.text
            self._pass(result, one_line, lift_quotes, lift_read_also, base_url)
            if result.text == before:
                break
        return result

    def _pass(
        self,
        result: CleanedText,
        one_line: bool,
        lift_quotes: bool,
        lift_read_also: bool,
        base_url: str | None,
    ) -> None:
        changes = result.changes
        text = result.text
        decoded = decode_entities(text) if "&" in text else text
        if decoded != text:
            changes["entities"] += 1
        composed = unicodedata.normalize("NFC", decoded)
        if composed != decoded:
            changes["unicode"] += 1
        visible = strip_invisible(composed.replace("\r\n", "\n"))
        if visible != composed.replace("\r\n", "\n"):
            changes["invisible"] += 1
        lines = [" ".join(line.split()) for line in visible.split("\n")]
        lines = [line for line in lines if line]
        if one_line:
            lines = [" ".join(lines)] if lines else []
        if "\n".join(lines) != visible:
            changes["whitespace"] += 1
        if any("[" in line for line in lines) or (lift_read_also and lines):
            cleaned = clean_blocks(
                [Block("p", line) for line in lines],
                base_url=base_url,
                profile=self.profile,
                registry=self.registry if lift_quotes else self.unwrapping,
                lift_read_also=lift_read_also,
            )
            lines = [block.text for block in cleaned.blocks]
            result.quotes.extend(cleaned.quotes)
            result.read_also.extend(cleaned.read_also)
            changes.update({k: v for k, v in cleaned.stats.items() if v})
        result.text = " ".join(lines) if one_line else "\n".join(lines)
