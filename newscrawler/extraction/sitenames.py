"""Names a site goes by, and whether a piece of text is one of them.

Why: a byline or a title suffix that names the site ("Lesotho Times", "| Börsen-Zeitung") is the
publisher, not an author or part of the headline. Comparison ignores case, accents, punctuation
and "oe"-style umlaut spellings, so "boersen-zeitung.de" names "Börsen-Zeitung".
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from urllib.parse import urlsplit

_UMLAUTS = str.maketrans({"ä": "a", "ö": "o", "ü": "u"})
_MIN_KEY = 3
_GENERIC_LABELS = frozenset({"www", "m", "amp", "news", "com", "co", "org", "net"})


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Comparison key: case, accents, umlaut spellings and punctuation ignored.

    Remembered per text: a page compares the same few site names with every byline, crumb and
    title part (about 35 folds a page on WCXB, most of them of the same names).

    >>> fold("Börsen-Zeitung") == fold("boersen-zeitung")
    True
    """
    text = text.casefold().translate(_UMLAUTS)
    text = text.replace("ae", "a").replace("oe", "o").replace("ue", "u")
    text = unicodedata.normalize("NFKD", text)
    return "".join(filter(str.isalnum, text))  # no generator: a frame per character costs


def host_names(url: str | None) -> list[str]:
    """Site names implied by a URL: the host and its distinctive labels.

    >>> host_names("https://news.orf.at/stories/1")
    ['news.orf.at', 'orf']
    """
    host = (urlsplit(url).hostname or "") if url else ""
    labels = [x for x in host.split(".")[:-1] if x not in _GENERIC_LABELS]
    return [host, *labels] if host else []


def names_site(text: str, site_names: Sequence[str]) -> bool:
    """Whether `text` is (or contains) one of the site's names.

    >>> names_site("news.ORF.at", ["orf"]), names_site("Jane Doe", ["orf"])
    (True, False)
    """
    key = fold(text)
    if not key:
        return False
    for name in site_names:
        other = fold(name)
        if other == key or (
            len(other) >= _MIN_KEY and (other in key or (len(key) >= _MIN_KEY and key in other))
        ):
            return True
    return False
