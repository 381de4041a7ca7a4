"""Is this fetched page an article? The one place re-extraction asks.

Every archived page, of newscrawler's own crawls or of portals never crawled (Common Crawl's
CC-NEWS), is judged by the news spider's own judge (newscrawler/spiders/judge.py: the page-kind
verdict, profile patterns and URL rules), so re-extracting a crawl's archive emits exactly the
crawl's articles and a CC-NEWS page is judged as a crawl of its portal would judge it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from newscrawler.discovery.links import canonical_link, is_amp_page
from newscrawler.items import Article
from newscrawler.loaders import load_article
from newscrawler.spiders.judge import ARTICLE
from newscrawler.spiders.judge import judge as spider_judge
from newscrawler.urls import canonical_form

if TYPE_CHECKING:
    from scrapy.http import TextResponse
    from scrapy.statscollectors import StatsCollector

    from newscrawler.profiles.model import Profile


@dataclass(frozen=True)
class Verdict:
    """The article (when the page is one), else the reason it is not, as a counter key."""

    article: Article | None
    reason: str  # "article", "amp", "listing", "not_article", "article_too_short", "other"
    detail: str = ""


def judge(
    response: TextResponse,
    profile: Profile | None,
    hints: Mapping[str, Any] | None = None,
    stats: StatsCollector | None = None,
    *,
    every_page: bool = False,
) -> Verdict:
    """Extract the page and decide whether it is an article, as the news spider does; with
    `every_page` (pages the `article` spider was given), every HTML page is one, as it was."""
    selector = response.selector
    if is_amp_page(selector):
        canonical = canonical_link(selector, response.url)
        if canonical and canonical_form(canonical) != canonical_form(response.url):
            return Verdict(None, "amp", f"AMP page of {canonical}")
    if every_page:
        return Verdict(load_article(response, profile=profile, stats=stats), "article")
    found = spider_judge(response, profile, hints=hints, stats=stats)
    if found.item is not None and found.kind == ARTICLE:
        return Verdict(found.item, "article")
    return Verdict(None, found.code or found.kind, found.reason)
