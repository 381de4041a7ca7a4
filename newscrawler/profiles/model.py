"""A site profile: everything newscrawler knows about one portal, as plain data.

Profiles are loaded from TOML files (see profiles/loader.py) and validated there; this module only
defines the shape, so extraction can take a Profile without knowing where it came from.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

EMPTY: Mapping[str, tuple[str, ...]] = MappingProxyType({})


@dataclass(frozen=True)
class Profile:
    """One portal. Field selectors are CSS (XPath when prefixed "xpath:"), tried in order."""

    name: str
    domains: tuple[str, ...] = ()
    start_urls: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    article_url_patterns: tuple[re.Pattern[str], ...] = ()
    listing_url_patterns: tuple[re.Pattern[str], ...] = ()
    # field name -> ordered fallback selectors (headline, body, authors, date_published, ...)
    selectors: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: EMPTY)
    # language code -> extra read-also phrases (added to the built-in ones)
    read_also_phrases: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: EMPTY)
    # shortcode name or glob ("vc_*") -> kind ("quote", "caption", "wrapper", "media", "drop")
    shortcodes: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    # quality thresholds for scheduled runs (min coverage per field, max error rate, ...)
    quality: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    language: str | None = None
    # a generic profile (e.g. wordpress) has no domains of its own: it takes the crawled site's host
    generic: bool = False
    description: str | None = None
