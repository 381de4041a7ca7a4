"""Page language as ISO 639-1: declared (html lang, og:locale, JSON-LD) first, else detected.

Why declared first: it is free and usually right; detection (py3langid, model shipped in the
wheel, no download) costs a model load once per process and a few ms per page.
"""

from __future__ import annotations

import re
from typing import Any

_CODE = re.compile(r"^\s*([a-zA-Z]{2})(?:$|[-_\s])")
_MIN_DETECT_CHARS = 40
_SAMPLE_CHARS = 3000
_CHECK_CHARS, _MIN_CHECK_CHARS = 600, 200
_MARGIN = 0.5  # log-probability per character by which another language must beat English


def iso_code(value: Any) -> str | None:
    """ "de-AT", "en_GB", "FR" -> "de", "en", "fr"; anything else -> None.

    >>> iso_code("en_GB"), iso_code("x-default"), iso_code(None)
    ('en', None, None)
    """
    if not isinstance(value, str):
        return None
    match = _CODE.match(value)
    return match.group(1).lower() if match else None


def detect(text: str) -> str | None:
    """The language of a text sample, or None when it is too short to tell."""
    sample = text[:_SAMPLE_CHARS]
    if len(sample.strip()) < _MIN_DETECT_CHARS:
        return None
    import py3langid  # loads its shipped model on first use (~1 s, once per process)

    try:
        code, _ = py3langid.classify(sample)
    except Exception:  # the detector is best effort; a missing language is allowed
        return None
    return iso_code(code)


def _overrules_default(text: str) -> str | None:
    """Another language when the text is clearly not in the CMS default "en", else None."""
    sample = text[:_CHECK_CHARS]
    if len(sample) < _MIN_CHECK_CHARS:
        return None
    import py3langid

    try:
        ranked = py3langid.rank(sample)
    except Exception:  # best effort: keep the declared language
        return None
    best, best_score = ranked[0]
    english = next((score for code, score in ranked if code == "en"), None)
    if best == "en" or english is None or best_score - english < _MARGIN * len(sample):
        return None
    return iso_code(best)


def page_language(*declared: Any, text: str = "") -> str | None:
    """The first well-formed declared code, else the detected language of `text`.

    A declared "en" is checked against the text: it is the default of many CMS themes, left in
    place on Swahili, Zulu or German sites, and the page language drives date parsing.
    """
    for value in declared:
        code = iso_code(value)
        if code == "en":
            return _overrules_default(text) or code
        if code:
            return code
    return detect(text)
