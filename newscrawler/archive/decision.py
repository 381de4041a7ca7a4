"""Is this fetched page an article? The one place re-extraction asks, so it judges as a crawl does.

It composes what the news spider's parse_page composes (newscrawler/discovery/classify.py: URL
kind, profile patterns, page signal, body length): same input, same verdict, so re-extracting a
crawl's archive emits exactly the crawl's articles. When a structural page verdict (issue 14's
`judge_page`) replaces that composition in the spider, it replaces it here, in `judge`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from newscrawler.discovery.classify import Kind, classify_url, is_article, page_signal, profile_kind
from newscrawler.discovery.links import canonical_link, is_amp_page
from newscrawler.items import Article
from newscrawler.loaders import load_article
from newscrawler.urls import canonical_form

if TYPE_CHECKING:
    from scrapy.http import TextResponse
    from scrapy.statscollectors import StatsCollector

    from newscrawler.profiles.model import Profile


@dataclass(frozen=True)
class Verdict:
    """The article (when the page is one), else the reason it is not, as a counter key."""

    article: Article | None
    reason: str  # "article", "amp", "listing", "not_article", "article_too_short"
    detail: str = ""


def judge(
    response: TextResponse,
    profile: Profile | None,
    hints: Mapping[str, Any] | None = None,
    stats: StatsCollector | None = None,
) -> Verdict:
    """Extract the page and decide, as the crawl does, whether it is an article."""
    selector = response.selector
    if is_amp_page(selector):
        canonical = canonical_link(selector, response.url)
        if canonical and canonical_form(canonical) != canonical_form(response.url):
            return Verdict(None, "amp", f"AMP page of {canonical}")
    url_kind = classify_url(response.url, profile)
    trusted = profile_kind(response.url, profile) is Kind.ARTICLE
    signal = page_signal(selector)
    why = f"URL {url_kind.value}, page {signal.value}"
    if url_kind is Kind.LISTING or (not trusted and signal is Kind.LISTING):
        return Verdict(None, "listing", why)
    item = load_article(response, profile=profile, hints=hints, stats=stats)
    if is_article(url_kind, signal, len(item.body), trusted=trusted):
        return Verdict(item, "article")
    if Kind.ARTICLE in (url_kind, signal):
        return Verdict(None, "article_too_short", f"body {len(item.body)} chars")
    return Verdict(None, "not_article", f"{why}, {len(item.body)} chars")
