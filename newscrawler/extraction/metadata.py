"""Structured data of a page, collected in one tree scan: JSON-LD, meta tags, microdata, <time>.

Why one scan: extraction must stay within a few lxml parses of cost, so every machine-readable
hint is gathered by a single precompiled XPath, and the field getters below only read dicts.
Invalid JSON-LD is skipped (and counted in `Metadata.errors`), never fatal.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, cast

from lxml import etree
from lxml.html import HtmlElement

from newscrawler.text import normalize_text

ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "reviewnewsarticle",
        "askpublicnewsarticle",
        "blogposting",
        "liveblogposting",
        "socialmediaposting",
        "report",
        "techarticle",
        "scholarlyarticle",
        "satiricalarticle",
        "medicalscholarlyarticle",
    }
)
_PAGE_TYPES = frozenset({"webpage", "itempage", "collectionpage", "medicalwebpage"})
_PERSON_TYPES = frozenset({"person"})
# A CMS account rather than a reporter: WordPress's "admin" and similar generic author pages.
_ACCOUNT_PAGE = re.compile(
    r"/(?:author|authors|autor|auteur|user|users|profile)/"
    r"(?:admin|administrator|webmaster|editor|redaktion|redaction|redaccion|newsroom)[-_\d]*/?$",
    re.IGNORECASE,
)

_ITEMPROPS = etree.XPath("//@itemprop")
_TAGS = ("meta", "link", "script", "time", "title", "h1")
MAX_H1S = 12  # headline candidates kept (a page of teasers has dozens of <h1>s)


@dataclass
class Metadata:
    """Everything machine-readable on a page, as found (values are raw strings / JSON nodes)."""

    article: dict[str, Any] = field(default_factory=dict)  # the main JSON-LD article node
    page: dict[str, Any] = field(default_factory=dict)  # the JSON-LD WebPage node, if any
    breadcrumbs: dict[str, Any] = field(default_factory=dict)  # the JSON-LD BreadcrumbList
    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)  # JSON-LD @id -> node
    meta: dict[str, list[str]] = field(default_factory=dict)  # meta property/name -> contents
    itemprops: dict[str, list[HtmlElement]] = field(default_factory=dict)
    times: list[HtmlElement] = field(default_factory=list)
    h1s: list[HtmlElement] = field(default_factory=list)  # the first MAX_H1S <h1>s, in order
    canonical: str | None = None
    html_lang: str | None = None
    title: str | None = None
    errors: int = 0  # JSON-LD blocks that could not be read


def _types(node: dict[str, Any]) -> set[str]:
    value = node.get("@type")
    values = value if isinstance(value, list) else [value]
    return {v.rsplit("/", 1)[-1].lower() for v in values if isinstance(v, str)}


def _load_json(text: str) -> Any:
    """JSON-LD text to data; ValueError for anything unreadable, deep nesting included.

    On a first failure, the outermost {...} or [...] is tried: HTML comments, CDATA markers and
    trailing semicolons around the JSON are common.
    """
    try:
        try:
            return json.loads(text, strict=False)
        except ValueError:
            starts = [i for i in (text.find("{"), text.find("[")) if i >= 0]
            end = max(text.rfind("}"), text.rfind("]"))
            if not starts or end < min(starts):
                raise
            return json.loads(text[min(starts) : end + 1], strict=False)
    except RecursionError:  # hostile "[[[[...": json recurses per level (issue 8)
        raise ValueError("JSON-LD nested too deeply") from None


def _flatten(data: Any) -> Iterator[dict[str, Any]]:
    """Every node of a JSON-LD document, through @graph, arrays and nested mainEntity."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            yield item
            for key in ("@graph", "mainEntity", "mainEntityOfPage", "hasPart"):
                child = item.get(key)
                if isinstance(child, dict | list):
                    stack.append(child)


def _node_url(node: dict[str, Any]) -> str | None:
    for key in ("url", "mainEntityOfPage", "@id"):
        value = node.get(key)
        if isinstance(value, dict):
            value = value.get("@id") or value.get("url")
        if isinstance(value, str) and value.startswith("http"):
            return value
    return None


def _pick_article(candidates: list[dict[str, Any]], url: str | None) -> dict[str, Any]:
    """The article node that describes this page: URL match first, then the richest one."""
    if not candidates:
        return {}

    def score(node: dict[str, Any]) -> tuple[int, int, int]:
        node_url = (_node_url(node) or "").split("#")[0].rstrip("/")
        same = bool(url and node_url and node_url == url.split("#")[0].rstrip("/"))
        return same, "headline" in node, sum(k in node for k in ("author", "datePublished"))

    return max(candidates, key=score)


def collect(tree: HtmlElement, url: str | None = None) -> Metadata:
    """Scan the parsed page once and gather its structured data."""
    md = Metadata()
    articles: list[dict[str, Any]] = []
    md.html_lang = tree.get("lang") or tree.get("xml:lang")
    props = cast(list[Any], _ITEMPROPS(tree))  # attribute values; their parent is the element
    for prop in props:
        for name in str(prop).split():
            md.itemprops.setdefault(name, []).append(prop.getparent())
    for el in tree.iter(*_TAGS):  # in C, far cheaper than an XPath union
        tag = el.tag
        if tag == "meta":
            content = el.get("content")
            if content is None:
                continue
            for attr in ("property", "name"):
                key = el.get(attr)
                if key:
                    md.meta.setdefault(key.strip().lower(), []).append(content)
        elif tag == "script":
            if not (el.get("type") or "").strip().lower().startswith("application/ld+json"):
                continue
            try:
                data = _load_json(el.text or "")
            except ValueError:
                md.errors += 1
                continue
            for node in _flatten(data):
                types = _types(node)
                if "@id" in node and len(node) > 2:
                    md.nodes.setdefault(str(node["@id"]), node)
                if types & ARTICLE_TYPES:
                    articles.append(node)
                elif types & _PAGE_TYPES and not md.page:
                    md.page = node
                elif "breadcrumblist" in types and not md.breadcrumbs:
                    md.breadcrumbs = node
        elif tag == "link":
            if md.canonical is None and "canonical" in (el.get("rel") or "").lower().split():
                md.canonical = (el.get("href") or "").strip() or None
        elif tag == "time":
            md.times.append(el)
        elif tag == "title":
            if md.title is None:
                md.title = normalize_text(el.text_content()) or None
        elif len(md.h1s) < MAX_H1S:  # an <h1>: read here, not by a walk of its own
            md.h1s.append(el)
    md.article = _pick_article(articles, url)
    return md


# ---------------------------------------------------------------- field getters (raw candidates)


def meta_first(md: Metadata, *keys: str) -> str | None:
    """The first non-empty meta content among `keys`, in the order given."""
    for key in keys:
        for value in md.meta.get(key, ()):
            value = normalize_text(value)
            if value:
                return value
    return None


def itemprop_value(el: HtmlElement) -> str:
    """The value of a microdata property, per the HTML spec's element rules."""
    tag = el.tag
    value: str
    if tag == "meta":
        return el.get("content") or ""
    if tag in ("a", "link", "area"):
        return el.get("href") or ""
    if tag in ("img", "source", "video", "audio", "iframe", "embed"):
        return el.get("src") or ""
    if tag == "time":
        value = el.get("datetime") or el.text_content()
        return value
    value = el.get("content") or el.text_content()
    return value


def itemprop_first(md: Metadata, name: str) -> str | None:
    """The first non-empty value of microdata property `name` (skipping huge text nodes)."""
    for el in md.itemprops.get(name, ()):
        value = normalize_text(itemprop_value(el)[:400])
        if value:
            return value
    return None


def ld_text(value: Any) -> str | None:
    """A JSON-LD text value (string, list of strings, or {"@value"/"name"}) as one string."""
    if isinstance(value, list):
        value = next((v for v in value if v), None)
    if isinstance(value, dict):
        value = value.get("@value") or value.get("name")
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return normalize_text(str(value)) or None
    return None


def _resolve(md: Metadata, value: Any) -> Any:
    if isinstance(value, dict) and "@id" in value and len(value) <= 2:
        return md.nodes.get(str(value["@id"]), value)
    return value


def ld_people(md: Metadata, node: dict[str, Any]) -> list[tuple[str, bool]]:
    """(name, is_person) for every author/creator of a JSON-LD node, @id references resolved."""
    found: list[tuple[str, bool]] = []
    for key in ("author", "creator"):
        value = node.get(key)
        values = value if isinstance(value, list) else [value]
        for item in values:
            item = _resolve(md, item)
            if isinstance(item, str):
                found.append((item, True))
            elif isinstance(item, dict):
                name = ld_text(item.get("name"))
                if not name and (item.get("givenName") or item.get("familyName")):
                    given, family = item.get("givenName", ""), item.get("familyName", "")
                    name = normalize_text(f"{given} {family}")
                if name:
                    types = _types(item)
                    person = (not types or bool(types & _PERSON_TYPES)) and not _is_account(item)
                    found.append((name, person))
        if found:
            break
    return found


def is_account_page(url: str) -> bool:
    """A CMS account's author page ("/author/admin/"): whoever it names is the site, not a person.

    >>> is_account_page("https://example.org/author/admin/"), is_account_page("/author/jdoe/")
    (True, False)
    """
    return bool(_ACCOUNT_PAGE.search(url))


def _is_account(node: dict[str, Any]) -> bool:
    pages = (node.get("url"), node.get("@id"))
    return any(isinstance(p, str) and is_account_page(p) for p in pages)


def ld_image(md: Metadata, value: Any) -> str | None:
    """The first image URL of a JSON-LD image value (string, ImageObject, list of either)."""
    values = value if isinstance(value, list) else [value]
    for item in values:
        item = _resolve(md, item)
        if isinstance(item, dict):
            item = item.get("url") or item.get("contentUrl")
            if isinstance(item, list):
                item = item[0] if item else None
        if isinstance(item, str) and item.strip():
            return item.strip()
    return None


def ld_keywords(value: Any) -> list[str]:
    """JSON-LD keywords: a comma-separated string or a list (of strings or DefinedTerms)."""
    if isinstance(value, str):
        return value.split(",")
    if isinstance(value, list):
        return [t for v in value if (t := ld_text(v))]
    return []


def _position(item: dict[str, Any]) -> int:
    position = item.get("position")
    return position if isinstance(position, int) else 0


def ld_breadcrumb_names(node: Any) -> list[str]:
    """Names of a BreadcrumbList's items, in position order."""
    items = node.get("itemListElement") if isinstance(node, dict) else None
    if not isinstance(items, list):
        return []
    ordered = sorted((i for i in items if isinstance(i, dict)), key=_position)
    names = []
    for item in ordered:
        inner = item.get("item")
        name = ld_text(item.get("name")) or (ld_text(inner) if isinstance(inner, dict) else None)
        if name:
            names.append(name)
    return names


def ld_bool(value: Any) -> bool | None:
    """isAccessibleForFree as a bool: JSON booleans and the strings "true"/"false"."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None
