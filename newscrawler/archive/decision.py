"""Is this fetched page an article? The one place re-extraction asks.

Two rules, one call point (`judge`):
- pages of newscrawler's own crawls are judged as the news spider's parse_page judges them
  (newscrawler/discovery/classify.py: URL kind, profile patterns, page signal, body length), so
  re-extracting a crawl's archive emits exactly the crawl's articles;
- pages of portals never crawled (Common Crawl's CC-NEWS) are judged by the page-kind verdict
  (newscrawler/extraction/pagekind.py, judge_page: declared type, URL shape and structure),
  the decision made for unseen portals.
The page is parsed once for both the article and the verdict (loaders.load_page). When the
spider decides by the verdict too, set SPIDER_DECIDES_BY_VERDICT and both rules are one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from newscrawler.discovery.classify import Kind, classify_url, is_article, page_signal, profile_kind
from newscrawler.discovery.links import canonical_link, is_amp_page
from newscrawler.items import Article
from newscrawler.loaders import load_page
from newscrawler.urls import canonical_form

if TYPE_CHECKING:
    from scrapy.http import TextResponse
    from scrapy.statscollectors import StatsCollector

    from newscrawler.extraction.pagekind import PageVerdict
    from newscrawler.profiles.model import Profile


@dataclass(frozen=True)
class Verdict:
    """The article (when the page is one), else the reason it is not, as a counter key."""

    article: Article | None
    reason: str  # "article", "amp", "listing", "not_article", "article_too_short", "other"
    detail: str = ""
    page: PageVerdict | None = None  # the page-kind verdict, when the page was extracted


# Must follow spiders/news.py parse_page: True once it passes `verdict=` to is_article.
SPIDER_DECIDES_BY_VERDICT = False


def judge(
    response: TextResponse,
    profile: Profile | None,
    hints: Mapping[str, Any] | None = None,
    stats: StatsCollector | None = None,
    *,
    unseen_portal: bool = False,
) -> Verdict:
    """Extract the page and decide whether it is an article: as the crawl does, or (for a page
    of an `unseen_portal`, e.g. CC-NEWS) by the page-kind verdict."""
    selector = response.selector
    if is_amp_page(selector):
        canonical = canonical_link(selector, response.url)
        if canonical and canonical_form(canonical) != canonical_form(response.url):
            return Verdict(None, "amp", f"AMP page of {canonical}")
    by_verdict = unseen_portal or SPIDER_DECIDES_BY_VERDICT
    url_kind = classify_url(response.url, profile)
    trusted = profile_kind(response.url, profile) is Kind.ARTICLE
    signal = page_signal(selector)
    why = f"URL {url_kind.value}, page {signal.value}"
    if not by_verdict and (url_kind is Kind.LISTING or (not trusted and signal is Kind.LISTING)):
        return Verdict(None, "listing", why)
    item, page = load_page(response, profile=profile, hints=hints, stats=stats)
    length = len(item.body)
    verdict = page if by_verdict else None
    if is_article(url_kind, signal, length, trusted=trusted, verdict=verdict):
        return Verdict(item, "article", page=page)
    if by_verdict:
        reason = "article_too_short" if page.is_article else page.kind
        return Verdict(None, reason, f"{'; '.join(page.reasons[:3])}; {length} chars", page)
    if Kind.ARTICLE in (url_kind, signal):
        return Verdict(None, "article_too_short", f"body {length} chars", page)
    return Verdict(None, "not_article", f"{why}, {length} chars", page)
