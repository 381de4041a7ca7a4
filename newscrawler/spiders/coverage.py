"""How much of the site a run saw: article-shaped URLs found and fetched, pages judged per kind.

Why: a crawl that finds 10 articles of 150 looks like a success unless it says how many
article-shaped links it saw and never fetched (depth and page caps, robots.txt, errors). These
figures go to the stats; newscrawler.report derives "seen but not fetched" from them for
`.stats.json`, the run summary and the quality gate.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from newscrawler.seen import SeenKeys

PREFIX = "newscrawler/coverage/"


class CrawlCoverage:
    """Counts into Scrapy stats; remembers digests only (flat memory, see newscrawler.seen)."""

    def __init__(self, stats: Callable[[], Any]) -> None:
        self.stats_of = stats  # the crawler's stats exist only once the crawl starts
        self.shaped = SeenKeys()  # canonical forms of article-shaped URLs seen
        self.judged_keys = SeenKeys()  # ... of every page fetched and judged

    def saw(self, key: str) -> None:
        """An article-shaped URL was found (queued or not; maybe fetched before its shape was
        known to hold articles)."""
        if key in self.shaped:
            return
        self.shaped.add(key)
        self.stats_of().inc_value(f"{PREFIX}article_shaped_seen")
        if key in self.judged_keys:
            self.stats_of().inc_value(f"{PREFIX}article_shaped_fetched")

    def judged(self, key: str, kind: str) -> None:
        """A fetched page was judged `kind` ("article", "listing", "other")."""
        self.stats_of().inc_value(f"{PREFIX}judged/{kind}")
        if key in self.judged_keys:
            return
        self.judged_keys.add(key)
        if key in self.shaped:
            self.stats_of().inc_value(f"{PREFIX}article_shaped_fetched")
