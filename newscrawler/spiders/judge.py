"""The one place the news spider asks "is this page one article?", and gets the article with it.

Why one place: the spider composes no decision itself. The verdict is the page-kind verdict
(extraction.pagekind.judge_page: declared type, URL shape and the page's structure, with reasons),
read from the same parse as the article (loaders.load_page); a profile's article patterns still
settle it, and a generic listing URL (/, /page/2/, ?page=3, /category/...) is a listing without
being parsed at all, unless it ends in one post's slug or id (/topics/<name>/<slug>): then the
verdict decides. A page the structure calls "other" on a close call (confidence at least
FALLBACK_MIN_CONFIDENCE) or with too little text to judge (under SHORT_DISPATCH_CHARS), but that
declares itself an article or has an article URL, is judged as before the structural verdict (a
short dispatch, broken markup); a structural listing is never overruled.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scrapy.http import TextResponse

from newscrawler.discovery.classify import (
    Kind,
    classify_url,
    is_article,
    page_signal,
    profile_kind,
)
from newscrawler.extraction.pagekind import ends_in_headline_slug
from newscrawler.items import Article
from newscrawler.loaders import load_page
from newscrawler.profiles.model import Profile

ARTICLE, LISTING, OTHER = "article", "listing", "other"
# The old decision is asked only on close calls or short pages: asked on every "other" page that
# declares an article, it emitted 21 % of wcxb-dev's non-articles (documentation, products,
# services whose CMS says og:type=article) against 8 % by the verdict, for 5 more articles of 711.
FALLBACK_MIN_CONFIDENCE = 0.4  # both site halves agree (docs/page-kind.md)
SHORT_DISPATCH_CHARS = 600  # too little text for the structure to tell; halves agree at 600


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
    # a listing-shaped URL is a listing unparsed, unless it ends in one post's slug or id (a
    # section prefix before a post: /topics/<name>/<slug>, /sections/<name>/<date>/<id>/<slug>);
    # then only the verdict, which weighs the listing shape, may call it an article
    by_profile = profile_kind(response.url, profile)
    trusted = by_profile is Kind.ARTICLE
    if url_kind is Kind.LISTING and (
        by_profile is Kind.LISTING or not ends_in_headline_slug(response.url)
    ):
        return Judgement(LISTING, code="listing", reason="a listing: URL listing")
    item, verdict = load_page(response, profile, hints, stats=stats)
    length = len(item.body)
    if is_article(url_kind, Kind.UNKNOWN, length, trusted=trusted, verdict=verdict):
        return Judgement(ARTICLE, item)
    why = f"{verdict.kind} ({verdict.confidence:.2f}: {'; '.join(verdict.reasons[:4])})"
    if verdict.kind == LISTING:
        return Judgement(LISTING, code="listing", reason=f"a listing: {why}")
    # Not a listing, and the page declares itself an article (og:type, JSON-LD, WordPress
    # classes) or has an article URL (a dated slug, a long numeric id): the decision from before
    # the structural verdict settles it (a short dispatch, a page whose markup is broken).
    signal = page_signal(response.selector)
    # the verdict is unsure (a close call), or has too little text to judge the structure by,
    # and nothing shows the page is a product, a forum thread or documentation
    unsure = (
        verdict.confidence >= FALLBACK_MIN_CONFIDENCE or length < SHORT_DISPATCH_CHARS
    ) and not verdict.contrary
    vouched = verdict.is_article or (unsure and Kind.ARTICLE in (url_kind, signal))
    if vouched and is_article(url_kind, signal, length):
        return Judgement(ARTICLE, item)
    if vouched:
        return Judgement(OTHER, code="article_too_short", reason=f"body {length} chars")
    return Judgement(OTHER, code="not_article", reason=f"not an article: {why}, {length} chars")
