"""Text normalisation in one place, used by every field (issue 4 refines the rules).

- entities decoded (w3lib), Unicode NFC, zero-width characters and soft hyphens dropped;
- whitespace runs collapsed inside a paragraph, paragraph breaks kept;
- typographic quotes and apostrophes kept as the publisher wrote them.
"""

from __future__ import annotations

import re
import unicodedata

from w3lib.html import replace_entities

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"[^\S\n]+")
_NBSP = re.compile("[\u00a0\u202f\u2007]")


def normalize_text(text: str) -> str:
    """One paragraph or short field: entities, NFC, invisibles, whitespace collapsed.

    >>> normalize_text("  Caf&eacute;\\u00ad  cr\\u00e8me\\u200b ")
    'Café crème'
    """
    text = replace_entities(text)
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    return " ".join(text.split())


def normalize_body(paragraphs: list[str]) -> str:
    """Join paragraphs, one per line; no-break spaces become spaces; empty ones are dropped."""
    lines = (normalize_text(_NBSP.sub(" ", p)) for p in paragraphs)
    return "\n".join(line for line in lines if line)
