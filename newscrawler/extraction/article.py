"""extract_article: the one entry point of pure extraction (HTML + URL + profile -> article dict).

Layers, in order of trust, merged field by field: site profile selectors, then structured data
(JSON-LD, meta, microdata, <time>), then analysis of the visible page. The page is parsed once;
every layer reads the same tree. Never raises on bad input (a failing field is logged and left
empty); never imports Scrapy.
"""

from __future__ import annotations

import hashlib
import logging
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

from lxml import etree
from lxml.html import HtmlElement

from newscrawler.encoding import decode_page
from newscrawler.extraction import quotes as html_quotes
from newscrawler.extraction.bios import declared_bios, without_bios
from newscrawler.extraction.blocks import Anchor, Block
from newscrawler.extraction.bodybyline import credits, split_body_byline
from newscrawler.extraction.cleaning import clean_blocks
from newscrawler.extraction.fields import (
    Page,
    authors,
    date_modified,
    date_published,
    description,
    headline,
    image,
    is_accessible_for_free,
    section,
    tags,
)
from newscrawler.extraction.language import page_language
from newscrawler.extraction.metadata import collect, meta_first
from newscrawler.extraction.parsing import parse_page, scrub
from newscrawler.extraction.selectors import elements
from newscrawler.items import Article
from newscrawler.profiles.model import Profile
from newscrawler.schema import SCHEMA_VERSION
from newscrawler.text import normalize_body, normalize_text

logger = logging.getLogger(__name__)

_CONTAINERS = tuple(
    etree.XPath(x)
    for x in (
        "//*[contains(concat(' ', normalize-space(@class), ' '), ' entry-content ')]",
        "//*[@itemprop='articleBody']",
        "//article",
        "//main",
        "//body",
    )
)
_BLOCK_TAGS = {"p": "p", "h2": "h", "h3": "h", "h4": "h", "h5": "h", "h6": "h", "li": "li"}
_WORD = re.compile(r"\w+")


def decode_html(html: str | bytes, content_type: str | None = None) -> str:
    """Bytes to text even when header or <meta> lie (see newscrawler.encoding)."""
    if isinstance(html, str):
        return html
    return decode_page(html, content_type)  # BOM, valid UTF-8, declarations, cp1252 (issue 8)


def article_id(canonical_url: str) -> str:
    """Stable id: the first 16 hex digits of the SHA-256 of the canonical URL."""
    return hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()[:16]


def site_name(url: str | None, profile: Profile | None) -> str:
    """The profile name, else the URL host without "www.", else "unknown".

    A generic profile (wordpress) names no site: the host does.
    """
    if profile is not None and not (profile.generic and url):
        return profile.name
    host = (urlsplit(url).hostname or "") if url else ""
    return host.removeprefix("www.") or "unknown"


def absolute_url(value: str | None, base: str | None) -> str | None:
    """An http(s) URL resolved against `base`, spaces escaped; None for anything else."""
    if not value:
        return None
    try:
        resolved = urljoin(base or "", value.strip())
    except ValueError:
        return None
    resolved = quote(resolved, safe=":/?#[]@!$&'()*+,;=%~")
    return resolved if resolved.startswith(("http://", "https://")) and len(resolved) > 8 else None


def _scrub(article: Article) -> None:
    """Drop control characters from every extracted string (lxml keeps them from bytes)."""
    for name in ("headline", "description", "body", "section"):
        value = getattr(article, name)
        if value:
            setattr(article, name, scrub(value) or None if name != "body" else scrub(value))
    article.authors = [a for a in map(scrub, article.authors) if a]
    article.tags = [t for t in map(scrub, article.tags) if t]


def _walk(container: HtmlElement, base_url: str | None) -> list[Block]:
    """Fallback body walk (used until the content analysis module is available)."""
    blocks: list[Block] = []
    for el in container.iter("p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote"):
        if any(a.tag == "blockquote" for a in el.iterancestors()):
            continue
        if el.tag == "blockquote":
            quote_ = html_quotes.parse_blockquote(el)
            if quote_ is not None:
                blocks.append(Block("quote", quote_["text"], attribution=quote_["attribution"]))
            continue
        text = normalize_text(el.text_content())
        if not text:
            continue
        anchors = tuple(
            Anchor(normalize_text(a.text_content()), urljoin(base_url or "", a.get("href", "")))
            for a in el.iter("a")
            if a.get("href")
        )
        blocks.append(Block(_BLOCK_TAGS[el.tag], text, anchors, normalize_text(el.text or "")))
    return blocks


def without_headline(blocks: list[Block], headline: str | None) -> list[Block]:
    """The body without its first line when that line is the headline (same words, case and
    punctuation aside) and more text follows. For pages whose headline is no <h1> (those are
    never body): one printed atop the text container (a <font><b> in a table cell, a <p
    class="title"> in a CMS block) would otherwise open the body. A page whose <h1> is the
    headline and whose text repeats it keeps the repetition as printed, and so does a line that
    is a link (a teaser's title, leading to another page, is not this page's headline).

    >>> lines = [Block("p", "Fair draws record crowd!"), Block("p", "The fair closed.")]
    >>> [b.text for b in without_headline(lines, "Fair draws a record crowd")]
    ['Fair draws record crowd!', 'The fair closed.']
    >>> [b.text for b in without_headline(lines, "fair draws record crowd")]
    ['The fair closed.']
    >>> teaser = Block("h", "Fair draws record crowd", (Anchor("Fair draws record crowd", "/b"),))
    >>> len(without_headline([teaser, *lines[1:]], "Fair draws record crowd"))
    2
    """
    if len(blocks) < 2 or not headline:
        return blocks
    first = blocks[0]
    words = _words(headline)
    if _words(first.text) == words and not any(_words(a.text) == words for a in first.anchors):
        return blocks[1:]
    return blocks


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _blocks(tree: HtmlElement, url: str | None, profile: Profile | None) -> list[Block]:
    try:
        from newscrawler.extraction.content import extract_blocks
    except ImportError:
        container = next((c[0] for x in _CONTAINERS if (c := elements(x, tree))), tree)
        return _walk(container, url)
    found: list[Block] = extract_blocks(tree, url, profile)
    return found


def _fill(article: Article, tree: HtmlElement, url: str | None, profile: Profile | None,
          now: datetime, stats: dict[str, int] | None = None) -> None:  # fmt: skip
    md = collect(tree, url)
    page = Page(tree, md, url, profile, now, language=None)
    blocks = without_bios(_blocks(tree, url, profile), declared_bios(md))
    page.language = page_language(
        next(iter(page.profile_values("language")), None),
        md.html_lang,
        meta_first(md, "og:locale", "content-language", "language", "dc.language"),
        md.article.get("inLanguage") if isinstance(md.article.get("inLanguage"), str) else None,
        profile.language if profile else None,
        text=" ".join(b.text for b in blocks[:30]),
    )
    article.language = page.language
    cleaned = clean_blocks(blocks, base_url=url, language=page.language, profile=profile)
    body_blocks, line_names, bold = split_body_byline(cleaned.blocks)
    page.body_byline = line_names if bold else []
    article.quotes = cleaned.quotes
    article.read_also = cleaned.read_also
    if stats is not None:
        for key, count in cleaned.stats.items():
            stats[key] = stats.get(key, 0) + count
    canonical = absolute_url(md.canonical or meta_first(md, "og:url"), url)
    article.canonical_url = canonical
    for name, getter in (
        ("headline", headline),
        ("description", description),
        ("authors", authors),
        ("date_published", date_published),
        ("section", section),
        ("tags", tags),
        ("image", image),
        ("is_accessible_for_free", is_accessible_for_free),
    ):
        try:
            value = getter(page)
        except Exception:  # one bad field must not cost the article; logged with context
            logger.warning("extraction of %s failed on %s", name, url, exc_info=True)
            continue
        if value is not None:
            setattr(article, name, value)
    if not credits(article.authors, line_names):
        body_blocks = cleaned.blocks  # a name-shaped line the byline does not confirm: text
    if page.h1 is None:  # the headline is printed elsewhere than an <h1>: maybe atop the text
        body_blocks = without_headline(body_blocks, article.headline)
    article.body = normalize_body([b.text for b in body_blocks if not b.action])
    try:
        article.date_modified = date_modified(page, article.date_published)
    except Exception:
        logger.warning("extraction of date_modified failed on %s", url, exc_info=True)
    if article.image:
        article.image = absolute_url(article.image, url)


def extract_article(
    html: str | bytes | HtmlElement,
    url: str | None = None,
    profile: Profile | None = None,
    *,
    now: datetime | None = None,
    content_type: str | None = None,
    stats: dict[str, int] | None = None,
) -> dict[str, Any]:
    """Extract one article in the output schema (schema v1) from a page. Never raises on bad HTML.

    `now` is the crawl time: no date after it is returned, and relative dates ("2 hours ago")
    count from it. `content_type` is the HTTP header, used to decode bytes when given.
    `stats`, when given, receives the cleaning counters ("shortcodes/<kind>", "quotes",
    "read_also"; added to what it holds), so a crawl can count them without any change to the
    output schema. `html` may also be a tree parse_page made (read, never changed), so a caller
    that judges the page too (extraction.page.extract_page) parses it once.
    Without `url`, the page's own canonical link (or og:url) stands for it. The result validates
    against the schema whenever `url` is an http(s) URL or the page declares an absolute one.
    """
    now = now or datetime.now(UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    url = url or None
    article = Article(url=url, site=site_name(url, profile))
    try:
        tree = html if isinstance(html, HtmlElement) else parse_page(html, content_type)
        if tree is not None:
            _fill(article, tree, url, profile, now, stats)
            _scrub(article)
    except Exception:  # last line of defence: a broken page is an empty article, not a crash
        logger.warning("extraction failed on %s", url, exc_info=True)
    article.canonical_url = article.canonical_url or absolute_url(url, None)
    if article.url is None and article.canonical_url:  # a saved page names its own address
        article.url = article.canonical_url
        article.site = site_name(article.url, profile)
    if article.canonical_url:
        article.id = article_id(article.canonical_url)
    article.crawled_at = now.astimezone(UTC).isoformat(timespec="seconds")
    article.schema_version = SCHEMA_VERSION
    return vars(article)
