"""The headline: the on-page <h1> of the article, confirmed by the page's metadata titles.

Why not <title>: it carries the site name ("Story | Site"). Many pages also have several <h1>
(logo, section name, teasers), so an <h1> wins when a metadata title confirms it; otherwise the
JSON-LD headline or og:title, with a " | Site" / " - Site" suffix removed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_SUFFIX = re.compile(r"^(?P<head>.+?)\s+(?:[|\-–—:·•»]|::)\s+(?P<tail>[^|\-–—:·•»]{1,60})$")
_MAX_SUFFIX_WORDS = 5
_MIN_H1_CHARS = 8


def strip_site_suffix(title: str, site_names: Sequence[str] = ()) -> str:
    """Remove a trailing " | Site" / " - Site" (one or more); keep titles that are all one piece.

    >>> strip_site_suffix("Storm hits coast | Daily News")
    'Storm hits coast'
    >>> strip_site_suffix("Macron - Les réformes - Le Monde.fr", ["Le Monde.fr"])
    'Macron - Les réformes'
    """
    names = {n.casefold() for n in site_names if n}
    while True:
        match = _SUFFIX.match(title)
        if not match:
            return title
        tail = match.group("tail").strip()
        known = tail.casefold() in names or any(n in tail.casefold() for n in names if len(n) > 3)
        if not known and len(tail.split()) > _MAX_SUFFIX_WORDS:
            return title
        if not known and len(match.group("head")) < len(tail):
            return title
        title = match.group("head").strip()


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def confirmed(h1: str, titles: Sequence[str]) -> bool:
    """Whether an <h1> text is the article title that some metadata title announces."""
    if len(h1) < _MIN_H1_CHARS:
        return False
    key = _key(h1)
    if not key:
        return False
    for title in titles:
        other = _key(title)
        if not other:
            continue
        if key == other:
            return True
        shorter, longer = sorted((key, other), key=len)
        inside = longer.startswith(shorter) or longer.endswith(shorter) or f" {shorter} " in longer
        if inside and len(shorter) >= 0.5 * len(longer):
            return True
    return False


def choose_headline(
    h1s: Sequence[str],
    structured: Sequence[str],
    title: str | None,
    site_names: Sequence[str] = (),
) -> str | None:
    """The headline from on-page <h1> texts (document order), structured titles and <title>.

    >>> choose_headline(["Daily News", "Storm hits coast"], ["Storm hits coast | Daily News"], None)
    'Storm hits coast'
    """
    titles = [t for t in (*structured, title) if t]
    for h1 in h1s:
        if confirmed(h1, titles):
            return h1
    if structured:
        return strip_site_suffix(structured[0], site_names)
    long_h1s = [h for h in h1s if len(h.split()) >= 3]
    if len(long_h1s) == 1:
        return long_h1s[0]
    if title:
        return strip_site_suffix(title, site_names)
    return long_h1s[0] if long_h1s else None
