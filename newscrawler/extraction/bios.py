"""Author and publisher boxes: the bio a page declares in its metadata, printed again as a box.

Why by metadata and not by words: sites print the author's bio ("Jane is a freelance writer
who...") or the publisher's "about us" beside the article, in any language and under any class
name, and schema.org gives the very same text as the `description` of the article's `author`
and `publisher` in JSON-LD. A body line that is part of such a description is that box, not
the article, and so is the line just before it that prints the person's or publisher's
name. The article's own `description` (its standfirst) is not used.
"""

from __future__ import annotations

import re
from typing import Any

from w3lib.html import replace_tags

from newscrawler.extraction.blocks import Block
from newscrawler.extraction.metadata import Metadata

RUN = 8  # a body line whose first this many words stand in a declared bio is that bio

_WORD = re.compile(r"\w+")


Bios = tuple[frozenset[tuple[str, ...]], frozenset[tuple[str, ...]]]  # word runs, names


def declared_bios(md: Metadata) -> Bios:
    """Every run of `RUN` words of the JSON-LD descriptions of the article's authors and of
    its publisher, and the names of those that have one (case-folded words), for
    `without_bios`."""
    runs: set[tuple[str, ...]] = set()
    names: set[tuple[str, ...]] = set()
    for key in ("author", "creator", "publisher"):
        value = md.article.get(key)
        for item in value if isinstance(value, list) else [value]:
            node = _resolved(md, item)
            text = node.get("description") if node is not None else None
            if node is None or not isinstance(text, str):
                continue
            words = _words(replace_tags(text, " "))
            if len(words) >= RUN:
                runs.update(tuple(words[i : i + RUN]) for i in range(len(words) - RUN + 1))
                if isinstance(name := node.get("name"), str) and _words(name):
                    names.add(tuple(_words(name)))
    return frozenset(runs), frozenset(names)


def without_bios(blocks: list[Block], bios: Bios) -> list[Block]:
    """The blocks without the lines that open with a run of words of a declared bio, and
    without a line printing a declared name just before such a line."""
    runs, names = bios
    if not runs:
        return blocks
    kept: list[Block] = []
    for block in blocks:
        if block.kind != "quote" and tuple(_words(block.text)[:RUN]) in runs:
            if kept and tuple(_words(kept[-1].text)) in names:
                kept.pop()
            continue
        kept.append(block)
    return kept


def _resolved(md: Metadata, item: Any) -> dict[str, Any] | None:
    """A JSON-LD node, an @id reference resolved to the node it names."""
    if not isinstance(item, dict):
        return None
    if "@id" in item and len(item) <= 2:
        found = md.nodes.get(str(item["@id"]))
        return found if found is not None else item
    return item


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())
