"""extract_article: the one entry point of pure extraction (FIRST VERSION: issue 3 grows it).

Layers, in order of trust, merged field by field: site profile selectors, structured data,
generic content analysis. Never raises on bad HTML; never imports Scrapy.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree
from lxml.html import HtmlElement
from w3lib.encoding import html_to_unicode

from newscrawler.extraction import quotes as html_quotes
from newscrawler.extraction.blocks import Anchor, Block
from newscrawler.extraction.cleaning import clean_blocks
from newscrawler.items import Article
from newscrawler.profiles.model import Profile
from newscrawler.schema import SCHEMA_VERSION
from newscrawler.text import normalize_body, normalize_text

_CONTAINERS = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' entry-content ')]",
    "//*[@itemprop='articleBody']",
    "//article",
    "//main",
    "//body",
)
_BLOCK_TAGS = {"p": "p", "h2": "h", "h3": "h", "h4": "h", "h5": "h", "h6": "h", "li": "li"}


def decode_html(html: str | bytes, content_type: str | None = None) -> str:
    """Bytes to text with the declared (header, BOM, meta) or sniffed encoding."""
    if isinstance(html, str):
        return html
    _, text = html_to_unicode(content_type, html)
    return text


def article_id(canonical_url: str) -> str:
    """Stable id: the first 16 hex digits of the SHA-256 of the canonical URL."""
    return hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()[:16]


def site_name(url: str | None, profile: Profile | None) -> str:
    if profile is not None:
        return profile.name
    host = (urlsplit(url).hostname or "") if url else ""
    return host.removeprefix("www.") or "unknown"


def _parse(text: str) -> HtmlElement | None:
    try:
        return lxml.html.document_fromstring(text.replace("\x00", ""))
    except (etree.ParserError, ValueError):
        return None


def _first(tree: HtmlElement, xpath: str) -> str | None:
    for value in tree.xpath(xpath):
        value = normalize_text(value if isinstance(value, str) else value.text_content())
        if value:
            return value
    return None


def _json_ld(tree: HtmlElement) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            data = json.loads(script)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                stack.extend(v for k, v in item.items() if k in ("@graph", "mainEntity"))
                found.append(item)
    return found


def _walk(container: HtmlElement, base_url: str | None) -> list[Block]:
    blocks: list[Block] = []
    for el in container.iter("p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote"):
        if any(a.tag == "blockquote" for a in el.iterancestors()):
            continue
        if el.tag == "blockquote":
            quote = html_quotes.parse_blockquote(el)
            if quote is not None:
                blocks.append(Block("quote", quote["text"], attribution=quote["attribution"]))
            continue
        text = normalize_text(el.text_content())
        if not text:
            continue
        anchors = tuple(
            Anchor(normalize_text(a.text_content()), urljoin(base_url or "", a.get("href", "")))
            for a in el.iter("a")
            if a.get("href")
        )
        lead = normalize_text(el.text or "")
        blocks.append(Block(_BLOCK_TAGS[el.tag], text, anchors, lead))
    return blocks


def extract_article(
    html: str | bytes,
    url: str | None = None,
    profile: Profile | None = None,
    *,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Extract one article in the output schema (schema v1) from a page. Never raises on bad HTML."""
    now = now or datetime.now(UTC)
    article = Article(url=url, site=site_name(url, profile))
    tree = _parse(decode_html(html))
    if tree is not None:
        ld = next((d for d in _json_ld(tree) if "headline" in d), {})
        article.headline = _first(tree, "//h1") or ld.get("headline")
        article.description = _first(tree, "//meta[@property='og:description']/@content")
        article.language = (_first(tree, "/html/@lang") or "")[:2].lower() or None
        article.date_published = _first(
            tree, "//meta[@property='article:published_time']/@content|//time/@datetime"
        )
        article.authors = [
            a for a in [_first(tree, "//meta[@name='author']/@content|//a[@rel='author']")] if a
        ]
        canonical = _first(tree, "//link[@rel='canonical']/@href")
        if canonical and url:
            article.canonical_url = urljoin(url, canonical)
        container = next((c[0] for x in _CONTAINERS if (c := tree.xpath(x))), tree)
        cleaned = clean_blocks(
            _walk(container, url), base_url=url, language=article.language, profile=profile
        )
        article.body = normalize_body([b.text for b in cleaned.blocks])
        article.quotes = cleaned.quotes
        article.read_also = cleaned.read_also
    article.canonical_url = article.canonical_url or url
    if article.canonical_url:
        article.id = article_id(article.canonical_url)
    article.crawled_at = now.astimezone(UTC).isoformat(timespec="seconds")
    article.schema_version = SCHEMA_VERSION
    return vars(article)
