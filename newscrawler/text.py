"""Text normalisation in one place, used by every field.

Rules (why: the same text must compare, dedupe and tokenise the same whatever the page's markup):
- entities decoded once (w3lib; a literal "&amp;amp;" in the text becomes "&amp;", not "&");
- Unicode NFC;
- invisible characters dropped: zero-width space, word joiner, BOM, soft hyphen, bidi marks and
  embeddings, control characters; zero-width (non-)joiners are kept only between two non-ASCII
  characters, where they shape Persian/Indic words and emoji sequences;
- every whitespace run (no-break and narrow no-break spaces included) becomes one space inside a
  paragraph; paragraphs are kept apart, one per line, in `normalize_body`;
- typographic quotes, apostrophes and dashes are kept as the publisher wrote them;
- UTF-8 read as Latin-1 ("Investorâ\x80\x99s") is read again as UTF-8: a C1 control character
  (U+0080-U+009F) never stands in text, so one after a UTF-8 lead byte proves the misreading.
"""

from __future__ import annotations

import re
import unicodedata

from w3lib.html import replace_entities

_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200e\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]"
)
_C1 = re.compile("[\x80-\x9f]")
_LATIN1_RUN = re.compile("[\xc2-\xf4][\x80-\xbf]{1,3}")
_LONE_JOINER = re.compile(r"(?<![^\s\x00-\x7f])[\u200c\u200d]|[\u200c\u200d](?![^\s\x00-\x7f])")


def strip_invisible(text: str) -> str:
    """Drop characters that show nothing (see the module rules); joiners kept inside words.

    >>> strip_invisible("co\\u00adop\\u200beration") == "cooperation"
    True
    """
    text = _INVISIBLE.sub("", text)
    if "\u200c" in text or "\u200d" in text:
        text = _LONE_JOINER.sub("", text)
    return text


def repair_mojibake(text: str) -> str:
    """UTF-8 bytes that were decoded as Latin-1, decoded again: only when the text holds a C1
    control character, and only the runs that decode.

    >>> repair_mojibake("Investor\u00e2\x80\x99s Guide | JOHNSON\u00e2\x80\x99S\u00c2\u00ae")
    'Investor’s Guide | JOHNSON’S®'
    >>> repair_mojibake("Â® and â are fine without a C1 character")
    'Â® and â are fine without a C1 character'
    """
    if not _C1.search(text):
        return text
    return _LATIN1_RUN.sub(_redecode, text)


def _redecode(match: re.Match[str]) -> str:
    run = match.group()
    try:
        return run.encode("latin-1").decode("utf-8")
    except UnicodeDecodeError:
        return run


def normalize_text(text: str) -> str:
    """One paragraph or short field: entities, NFC, invisibles, whitespace collapsed.

    >>> normalize_text("  Caf&eacute;\\u00ad  cr\\u00e8me\\u200b ")
    'Café crème'
    >>> normalize_text("« Bonjour\\u00a0», dit-il’")
    '« Bonjour », dit-il’'
    """
    if "&" in text:  # (no entity without one: most paragraphs skip w3lib's regex)
        text = replace_entities(text)
    if not text.isascii():  # C1 characters and composable ones are never ASCII
        if _C1.search(text):  # inline test: this runs on every paragraph
            text = repair_mojibake(text)
        text = unicodedata.normalize("NFC", text)
    text = strip_invisible(text)
    return " ".join(text.split())


def normalize_lines(text: str) -> str:
    """A multi-paragraph text: each line normalised, empty lines dropped, line breaks kept.

    >>> normalize_lines(" one \\n\\n two\\u00a0 three ")
    'one\\ntwo three'
    """
    return normalize_body(text.splitlines())


def normalize_body(paragraphs: list[str]) -> str:
    """Join paragraphs, one per line; no-break spaces become spaces; empty ones are dropped."""
    lines = (normalize_text(p) for p in paragraphs)
    return "\n".join(line for line in lines if line)
