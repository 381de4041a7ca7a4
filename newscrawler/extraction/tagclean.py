"""Tags as a reader would list them, from what publishing software puts in keyword fields.

Why: besides the article's topics, keyword meta tags carry the CMS's own bookkeeping: ids
("26157981-b4f7-…"), internal flags ("_commerce"), machine facets ("NLP Entity Tokens: Canada",
"Section: Sport:Football") and the site's host name. A facet that names a category keeps its
value ("Category: Wine" is the topic "Wine"); the other facets and the rest are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from newscrawler.text import normalize_text

MAX_TAGS = 50
_MAX_TAG_CHARS = 100
# A UUID or long hex id among the keywords is the CMS's reference, not a topic.
_ID_TAG = re.compile(
    r"^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{24,})$", re.I
)
_FACET = re.compile(r"^(?P<facet>[^\W\d][\w ]{0,30}?)\s*:\s*(?P<value>\S.*)$")
_VALUE_FACETS = frozenset({"category", "categories", "topic", "topics", "tag", "tags", "keyword"})
_DROPPED_FACETS = frozenset(
    {"section", "region", "primary region", "primary category", "nlp category",
     "nlp entity tokens", "nlp entities", "content type", "page type", "author", "source"}
)  # fmt: skip


def clean_tags(raw: Iterable[str], host: str = "") -> list[str]:
    """Tags in order, deduplicated case-insensitively, CMS bookkeeping removed.

    >>> clean_tags(["Category: Wine", "NLP Category: General", "Wine Guy", "theprovince.com",
    ...             "wine guy", "_commerce"], "www.theprovince.com")
    ['Wine', 'Wine Guy']
    >>> clean_tags(["Politik: Inland", "Brexit"])
    ['Politik: Inland', 'Brexit']
    """
    site = host.casefold().removeprefix("www.")
    seen: dict[str, str] = {}
    for value in raw:
        tag = _topic(normalize_text(value), site)
        if tag and tag.casefold() not in seen:
            seen[tag.casefold()] = tag
    return list(seen.values())[:MAX_TAGS]


def _topic(tag: str, site: str) -> str | None:
    if not tag or len(tag) > _MAX_TAG_CHARS or tag.startswith("_") or _ID_TAG.match(tag):
        return None  # "_commerce"-style flags and ids are the CMS's, not the reader's
    if site and tag.casefold().removeprefix("www.") == site:
        return None
    facet = _FACET.match(tag)
    if facet is not None:
        name = facet.group("facet").casefold()
        if name in _DROPPED_FACETS:
            return None
        if name in _VALUE_FACETS:
            return facet.group("value").strip() or None
    return tag
