"""Article or not: profile URL patterns first, then generic URL rules, then page signals.

Why three steps: URLs decide most cases before any fetch (cheap, and listing pages are never
emitted); a page whose URL says nothing is judged by what it declares (og:type, JSON-LD types, the
WordPress body classes) and, last, by how much article text extraction finds in it.
"""

from __future__ import annotations

import enum
import json
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from parsel import Selector

from newscrawler.discovery.templates import TemplateBook
from newscrawler.profiles.model import Profile

if TYPE_CHECKING:  # extraction.pagekind reads this module's vocabularies
    from newscrawler.extraction.pagekind import PageVerdict

# Body text an article must reach when only its URL shape (or nothing) vouches for it.
MIN_BODY_WITH_SIGNAL = 80
MIN_BODY_WITHOUT_SIGNAL = 400

ARTICLE_LD_TYPES = frozenset(
    {
        "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "blogposting",
        "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "liveblogposting",
        "socialmediaposting", "report", "scholarlyarticle", "techarticle", "satiricalarticle",
        "askpublicnewsarticle",
    }
)  # fmt: skip
LISTING_LD_TYPES = frozenset({"collectionpage", "itemlist", "searchresultspage", "profilepage"})
ARTICLE_BODY_CLASSES = frozenset({"single", "single-post", "single-format-standard", "postid"})
LISTING_BODY_CLASSES = frozenset(
    {"home", "blog", "archive", "category", "tag", "author", "search", "paged", "date", "page"}
)


class Kind(enum.Enum):
    """What a URL or page is, as far as the crawl is concerned."""

    ARTICLE = "article"  # emit (after extraction)
    LISTING = "listing"  # follow its links, never emit
    SKIP = "skip"  # neither fetch nor follow
    UNKNOWN = "unknown"  # fetch and decide from the page


@dataclass(frozen=True)
class UrlRules:
    """Generic regexes (data/url_rules.toml) on "path?query"."""

    skip: tuple[re.Pattern[str], ...]
    listing: tuple[re.Pattern[str], ...]
    article: tuple[re.Pattern[str], ...]


def _compile(patterns: Iterable[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


@cache
def url_rules() -> UrlRules:
    """The built-in URL rules, loaded once."""
    text = resources.files("newscrawler").joinpath("data/url_rules.toml").read_text("utf-8")
    data = tomllib.loads(text)
    return UrlRules(_compile(data["skip"]), _compile(data["listing"]), _compile(data["article"]))


def _target(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _any(patterns: Iterable[re.Pattern[str]], target: str) -> bool:
    return any(p.search(target) for p in patterns)


def profile_kind(url: str, profile: Profile | None) -> Kind | None:
    """LISTING or ARTICLE when one of the profile's URL patterns matches (listing first)."""
    if profile is None:
        return None
    target = _target(url)
    if _any(profile.listing_url_patterns, target):
        return Kind.LISTING
    if _any(profile.article_url_patterns, target):
        return Kind.ARTICLE
    return None


def classify_url(url: str, profile: Profile | None = None) -> Kind:
    """Kind of a URL before fetching it.

    >>> classify_url("https://ex.com/2024/05/02/storm-hits-coast/").value
    'article'
    >>> [classify_url(f"https://ex.com{p}").value for p in ("/", "/tag/x/", "/politics/")]
    ['listing', 'skip', 'unknown']
    """
    target = _target(url)
    by_profile = profile_kind(url, profile)
    if by_profile is not None:
        return by_profile
    rules = url_rules()
    if _any(rules.skip, target):
        return Kind.SKIP
    if _any(rules.listing, target):
        return Kind.LISTING
    if _any(rules.article, target):
        return Kind.ARTICLE
    return Kind.UNKNOWN


def classify_candidate(
    url: str, profile: Profile | None, templates: TemplateBook | None, *, probe: bool = False
) -> Kind:
    """Kind of a URL found while crawling: the profile's patterns, then the generic skip rules,
    then the site's learned templates, then the generic listing/article rules. `probe`: the
    caller fetches the URL unless it is skipped, so a shape judged "skip" by earlier runs may be
    re-probed with it (TemplateBook.kind_of).

    >>> from newscrawler.discovery.templates import TemplateBook
    >>> book = TemplateBook.from_rows([("/article/<int>", 3, 0, 0), ("/articles/<int>", 0, 4, 0)])
    >>> [classify_candidate(f"https://ex.com{p}", None, book).value
    ...  for p in ("/article/7", "/articles/2", "/tag/x/", "/2024/05/02/a-b/")]
    ['article', 'listing', 'skip', 'article']
    """
    by_profile = profile_kind(url, profile)
    if by_profile is not None:
        return by_profile
    if _any(url_rules().skip, _target(url)):
        return Kind.SKIP
    learned = templates.kind_of(url, probe=probe) if templates is not None else None
    return Kind(learned) if learned else classify_url(url)


def article_shaped(
    urls: Iterable[str], profile: Profile | None, templates: TemplateBook | None
) -> list[str]:
    """The URLs whose shape says article before fetching (see classify_candidate).

    >>> article_shaped(["https://ex.com/2024/05/02/a-b/", "https://ex.com/about/"], None, None)
    ['https://ex.com/2024/05/02/a-b/']
    """
    return [u for u in urls if classify_candidate(u, profile, templates) is Kind.ARTICLE]


def ld_types(scripts: Iterable[str]) -> set[str]:
    """Lower-cased schema.org @type names in JSON-LD scripts (top level, @graph, mainEntity).

    >>> sorted(ld_types(['{"@graph": [{"@type": "NewsArticle"}, {"@type": ["WebPage"]}]}', "{"]))
    ['newsarticle', 'webpage']
    """
    types: set[str] = set()
    for raw in list(scripts)[:20]:
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):  # RecursionError: hostile deep nesting (issue 8)
            continue
        stack = [data]
        while stack and len(types) < 100:
            node = stack.pop()
            if isinstance(node, list):
                stack.extend(node[:200])
            elif isinstance(node, dict):
                kind = node.get("@type")
                for name in kind if isinstance(kind, list) else [kind]:
                    if isinstance(name, str):
                        types.add(name.lower())
                stack.extend(v for k, v in node.items() if k in ("@graph", "mainEntity"))
    return types


def page_signal(selector: Selector) -> Kind:
    """What the page says it is: ARTICLE, LISTING, or UNKNOWN when it says nothing."""
    # absent attributes read as "" (pragmas: a mutant's "XXXX" is no signal either)
    og_type = selector.xpath("//meta[@property='og:type']/@content").get("")  # pragma: no mutate
    body_class = selector.xpath("//body/@class").get("")  # pragma: no mutate
    og_type = og_type.strip().lower()
    body_classes = set(body_class.lower().split())
    body_classes |= {c.split("-")[0] for c in body_classes if c.startswith("postid-")}
    types = ld_types(selector.xpath("//script[@type='application/ld+json']/text()").getall())
    if types & ARTICLE_LD_TYPES or og_type == "article" or body_classes & ARTICLE_BODY_CLASSES:
        return Kind.ARTICLE
    if types & LISTING_LD_TYPES or og_type == "website" or body_classes & LISTING_BODY_CLASSES:
        return Kind.LISTING
    return Kind.UNKNOWN


def is_article(
    url_kind: Kind,
    signal: Kind,
    body_length: int,
    *,
    trusted: bool = False,
    verdict: PageVerdict | None = None,
) -> bool:
    """Final decision once the page is extracted.

    `trusted`: a profile article pattern matched, which settles it (given any body at all).
    With the page-kind `verdict` (extraction.pagekind.judge_page, which already weighs the URL,
    the declared type and the page's structure), the verdict decides, given a little body text.
    Without it (the old decision): a page signal of LISTING wins over the URL (a section at a
    dated URL); a URL or page ARTICLE signal needs a little body text; with no vouching, a lot.
    """
    if trusted:
        return body_length > 0
    if verdict is not None:
        return verdict.is_article and body_length >= MIN_BODY_WITH_SIGNAL
    if url_kind in (Kind.LISTING, Kind.SKIP) or signal is Kind.LISTING:
        return False
    if Kind.ARTICLE in (url_kind, signal):
        return body_length >= MIN_BODY_WITH_SIGNAL
    return body_length >= MIN_BODY_WITHOUT_SIGNAL
