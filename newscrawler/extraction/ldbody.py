"""The JSON-LD `articleBody` as Blocks: the body of pages whose text is rendered by scripts.

Why only a fallback: the DOM keeps subheadings, lists, quotes and links, and publishers often
truncate `articleBody` or fill it with another text; but a page whose markup holds next to
nothing (a script-rendered app) still has its article here. Invalid JSON-LD is skipped.
"""

from __future__ import annotations

import contextlib
import json
import re

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from newscrawler.extraction.blocks import Block
from newscrawler.extraction.blockwalk import clean, walk

_JSON_DEPTH = 8  # how deep articleBody is looked for (through @graph, mainEntity...)
_BLOCK_MARKUP = re.compile(r"<(?:p|br|div|h[2-6]|li|blockquote)\b", re.IGNORECASE)


def json_ld_body(tree: HtmlElement) -> list[Block]:
    """The JSON-LD `articleBody` as paragraphs: the fallback for pages whose text is rendered
    by scripts (the DOM holds next to nothing). Invalid JSON-LD is skipped."""
    for script in tree.iter("script"):
        if "ld+json" not in (script.get("type") or "") or not script.text:
            continue
        try:
            data = json.loads(script.text, strict=False)
        except ValueError:
            continue
        body = _find_key(data, "articleBody", _JSON_DEPTH)
        if isinstance(body, str) and body.strip():
            if "<" in body:  # some publishers put the HTML itself there
                with contextlib.suppress(etree.ParserError, ValueError):
                    fragment = lxml.html.fragment_fromstring(body, "div")
                    if _BLOCK_MARKUP.search(body):
                        return walk([fragment], None)
                    body = "".join(fragment.itertext())
            return [Block("p", line) for line in map(clean, body.splitlines()) if line]
    return []


def _find_key(data: object, key: str, depth: int) -> object:
    """The first value of `key` in nested JSON (objects, arrays, @graph), depth-limited."""
    if depth <= 0:
        return None
    if isinstance(data, dict):
        if key in data:
            return data[key]
        data = list(data.values())
    if isinstance(data, list):
        for item in data:
            found = _find_key(item, key, depth - 1)
            if found is not None:
                return found
    return None
