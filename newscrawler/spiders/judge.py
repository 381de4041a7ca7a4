"""The one place the news spider asks "is this page one article?", and gets the article with it.

Why one place: the decision is being replaced (structural page kinds, issue 13 item 1); the spider
composes nothing itself, so swapping the decision changes this module only. Today's decision:
profile patterns, generic URL rules, declared page signals (og:type, JSON-LD, WordPress body
classes), and the extracted body's length (newscrawler.discovery.classify).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scrapy.http import TextResponse

from newscrawler.discovery.classify import Kind, classify_url, is_article, page_signal, profile_kind
from newscrawler.items import Article
from newscrawler.loaders import load_article
from newscrawler.profiles.model import Profile

ARTICLE, LISTING, OTHER = "article", "listing", "other"


@dataclass(frozen=True)
class Judgement:
    """What a fetched page is: `kind` ARTICLE (with its `item`), LISTING or OTHER; for the last
    two, `code` names the not-emitted counter and `reason` the log line's why."""

    kind: str
    item: Article | None = None
    code: str = ""
    reason: str = ""


def judge(
    response: TextResponse, profile: Profile | None, *, hints: Any = None, stats: Any = None
) -> Judgement:
    """Judge one fetched HTML page (extracting it only when it may be an article)."""
    url_kind = classify_url(response.url, profile)
    trusted = profile_kind(response.url, profile) is Kind.ARTICLE
    signal = page_signal(response.selector)
    if url_kind is Kind.LISTING or (signal is Kind.LISTING and not trusted):
        why = f"a listing: URL {url_kind.value}, page {signal.value}"
        return Judgement(LISTING, code="listing", reason=why)
    item = load_article(response, profile=profile, hints=hints, stats=stats)
    length = len(item.body)
    if is_article(url_kind, signal, length, trusted=trusted):
        return Judgement(ARTICLE, item)
    if Kind.ARTICLE in (url_kind, signal):
        return Judgement(OTHER, code="article_too_short", reason=f"body {length} chars")
    why = f"not an article: URL {url_kind.value}, page {signal.value}, {length} chars"
    return Judgement(OTHER, code="not_article", reason=why)
