"""One getter per article field, each merging the layers: profile > structured data > page.

Why here and not in article.py: the orchestrator only parses, sequences and guards; each getter
reads the same `Page` (tree parsed once, metadata collected once) and returns a schema value.
"""

from __future__ import annotations

import copy
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any, cast
from urllib.parse import unquote, urlsplit

from lxml import etree
from lxml.html import HtmlElement

from newscrawler.extraction import authors as bylines
from newscrawler.extraction import dates, headerzone
from newscrawler.extraction import shown_dates as shown
from newscrawler.extraction.chrome import in_page_chrome
from newscrawler.extraction.featured import visible_image
from newscrawler.extraction.headline import MIN_H1_CHARS, choose_headline
from newscrawler.extraction.metadata import (
    Metadata,
    is_account_page,
    itemprop_first,
    itemprop_value,
    ld_bool,
    ld_breadcrumb_names,
    ld_image,
    ld_keywords,
    ld_people,
    ld_text,
    meta_first,
)
from newscrawler.extraction.pagetags import is_tag_class, is_tag_rel, page_tags, tag_links_of
from newscrawler.extraction.selectors import elements, select_all, select_first
from newscrawler.extraction.sitenames import fold, host_names, names_site
from newscrawler.extraction.standfirst import find_standfirst, tidy_description
from newscrawler.extraction.tagclean import clean_tags
from newscrawler.profiles.model import Profile
from newscrawler.text import normalize_text

# Parts of an <h1> that are not the headline: a kicker/overline above it, and the visually hidden
# separator some themes put between them for screen readers; inline <style>/<script> (CSS-in-JS).
_H1_EXTRAS = etree.XPath(
    ".//style | .//script"
    " | .//*[@class][re:test(@class, 'kicker|overline|dachzeile|roofline|topline|eyebrow|supertitle"
    "|spitzmarke|offscreen|sr-only|visually-hidden|screen-reader', 'i')]",
    namespaces={"re": "http://exslt.org/regular-expressions"},
)
_H2 = etree.XPath("//h2")
_GLUED_WORDS = 5
_TITLE_PARTS = re.compile(r"\s+[|–—-]\s+")
_SKIP_ANCESTORS = etree.XPath(
    "ancestor::*[self::footer or self::nav or self::aside or contains(@class, 'comment')"
    " or contains(@class, 'related') or contains(@class, 'teaser')]"
)
_MAX_BYLINE_CHARS = 150
_MAX_SECTION_CHARS = 60
# First breadcrumbs that are the home page, not a section (compared folded).
HOME_WORDS = frozenset(
    map(
        fold,
        (
            "home",
            "homepage",
            "startseite",
            "start",
            "accueil",
            "inicio",
            "portada",
            "forside",
            "etusivu",
            "hem",
            "news",
            "トップ",
            "ホーム",
            "首页",
        ),
    )
)
_MAX_CANDIDATES = 12
_BYLINE_REACH = 40  # a labelled byline stands within this many elements of the headline

PUBLISHED_META = (
    "article:published_time",
    "article:published:time",
    "article_published_time",
    "og:article:published_time",
    "article:published",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.created",
    "datepublished",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "article.published",
    "cxenseparse:recs:publishtime",
)
MODIFIED_META = (
    "article:modified_time",
    "article:modified:time",
    "article_modified_time",
    "og:article:modified_time",
    "og:updated_time",
    "article:modified",
    "dc.date.modified",
    "dcterms.modified",
    "datemodified",
    "lastmod",
    "last-modified",
    "article.updated",
)
AUTHOR_META = (
    "author",
    "article:author",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "dcterms.creator",
    "byl",
    "cxenseparse:author",
    "article.author",
    "twitter:misc:written by",
    "dcsext.author",
)
WRITTEN_BY = frozenset(
    {"written by", "author", "autor", "geschrieben von", "verfasst von", "auteur"}
)


@dataclass
class Page:
    """What every field getter reads: the parsed tree and the structured data found in it."""

    tree: HtmlElement
    md: Metadata
    url: str | None
    profile: Profile | None
    now: datetime
    language: str | None = None
    h1: HtmlElement | None = None  # the <h1> the headline came from, set by `headline`
    headline: str | None = None  # the chosen headline, set by `headline`
    body_byline: list[str] = field(default_factory=list)  # names on a line atop the text
    shown_dates: list[shown.ShownDate] | None = None  # read on demand by `_shown`
    headline_at: tuple[HtmlElement | None] | None = None  # `_anchor` when there is no h1
    class_scan: _ClassScan | None = None  # byline and dateline candidates, read on demand

    @property
    def host(self) -> str:
        """The page URL's host without "www." ("" without a URL)."""
        return (self.url.split("/")[2] if self.url and "//" in self.url else "").removeprefix(
            "www."
        )

    @cached_property
    def sites(self) -> list[str]:
        """Names the site goes by: og:site_name and friends, the publisher, the host and its first
        label (computed once: headline, description, authors and section all read them)."""
        md = self.md
        names = [meta_first(md, "og:site_name", "application-name", "twitter:site") or ""]
        publisher = md.article.get("publisher")
        if isinstance(publisher, dict):
            names.append(ld_text(publisher.get("name")) or "")
        names += host_names(self.url)  # the host and its distinctive labels
        return [n.lstrip("@") for n in names if n]

    @cached_property
    def sections(self) -> list[str]:
        """The page's section as the URL path spells it (every folder above the page's own
        name: /children/patient-education/story) and as article:section declares it."""
        path = urlsplit(self.url).path if self.url else ""
        parts = [unquote(p) for p in path.split("/") if p]
        folders = [p for p in parts[:-1] if not p.isdigit()]  # the last part is the page itself
        declared = meta_first(self.md, "article:section")
        return [*folders, declared] if declared else folders

    def profile_values(self, name: str) -> list[str]:
        """Values of the profile's selectors for field `name` (empty without a profile)."""
        if self.profile is None or name not in self.profile.selectors:
            return []
        return select_all(self.tree, self.profile.selectors[name])

    def ld(self, key: str) -> Any:
        """A key of the JSON-LD article node, else of the WebPage node."""
        value = self.md.article.get(key)
        return value if value not in (None, "", []) else self.md.page.get(key)


def _text_ok(value: str | None) -> str | None:
    return normalize_text(value) or None if value else None


def site_names(page: Page) -> list[str]:
    """Names the site goes by (headline suffixes, bylines and crumbs that name the site)."""
    return page.sites


def headline(page: Page) -> str | None:
    """On-page <h1> confirmed by a metadata title; else JSON-LD/og:title without the site."""
    from_profile = page.profile_values("headline")
    if from_profile:
        return from_profile[0]
    md = page.md
    ld = ld_text(md.article.get("headline")) or ld_text(md.article.get("name"))
    structured = [
        t
        for t in (
            meta_first(md, "twitter:title"),
            _micro_headline(md),
            meta_first(md, "parsely-title", "sailthru.title", "dc.title", "title"),
        )
        if t
    ]
    found = [(el, t) for el in _headings(page.tree, md.h1s) if (t := _permalink_text(el, page.url))]
    og = meta_first(md, "og:title")
    shown = [t for el, t in found if not in_page_chrome(el)]
    if not any(len(t) >= MIN_H1_CHARS for t in shown):
        # no <h1> outside the chrome: page builders name every block like a region
        shown = [t for el, t in found if not in_page_chrome(el, by_class=False)]
    chosen = choose_headline(
        [t for _, t in found],
        og,
        structured,
        md.title,
        site_names(page),
        ld_headline=ld,
        shown=shown,
        sections=page.sections,
    )
    page.h1 = _headline_element(found, chosen)
    page.headline = chosen
    return chosen


def _headings(tree: HtmlElement, h1s: list[HtmlElement]) -> list[HtmlElement]:
    """The <h1>s (the first few, in document order, as metadata's walk met them). When every
    <h1> sits in the breadcrumb trail (an SEO copy of the title, as many German portals print
    it), the article's first <h2> outside navigation is the headline as shown, so it comes first
    and the breadcrumb <h1>s after it."""
    if not h1s or not all(_in_trail(h1) for h1 in h1s):
        return h1s
    shown = next((h2 for h2 in elements(_H2, tree)[:_MAX_CANDIDATES] if not _in_trail(h2)), None)
    return [shown, *h1s] if shown is not None else h1s


_UNLINKED_WORDS = etree.XPath(
    "boolean(.//text()[not(ancestor::a)][translate(normalize-space(.), "
    "'()[]|·-–—:,.0123456789', '')])"
)


def _permalink_text(h1: HtmlElement, url: str | None) -> str:
    """The <h1>'s text; only the text of its link to the page itself when the rest of the
    <h1> is other links (a news aggregator's "Story title (source.com) 87": the source and
    the comment count link elsewhere, the title links to the story's own address)."""
    text = h1_text(h1)
    links = list(itertools.islice(h1.iter("a"), 4))
    if not url or len(links) < 2:
        return text
    path = urlsplit(url).path.rstrip("/")
    own = next((a for a in links if urlsplit(a.get("href") or "").path.rstrip("/") == path), None)
    if own is None or not path or _UNLINKED_WORDS(h1):  # words outside links: part of the title
        return text
    title = normalize_text(own.text_content())
    return title if MIN_H1_CHARS <= len(title) < len(text) else text


def _in_trail(el: HtmlElement) -> bool:
    """Inside navigation or a breadcrumb trail (where some portals put their <h1>): a <nav>, or
    an element whose class, aria-label or schema.org type names a breadcrumb."""
    for ancestor in el.iterancestors():
        if ancestor.tag == "nav":
            return True
        get = ancestor.get  # (no generator: this runs for every ancestor of every <h1>)
        marks = " ".join((get("class") or "", get("aria-label") or "", get("itemtype") or ""))
        if "breadcrumb" in marks.lower():
            return True
    return False


def h1_text(h1: HtmlElement) -> str:
    """The text of an <h1> without its kicker/overline and screen-reader-only parts.

    >>> from lxml.html import fragment_fromstring
    >>> h1_text(fragment_fromstring('<h1><span class="title__overline">Nahost</span>'
    ...     '<span class="sr-only"> - </span><span>Waffenruhe hält</span></h1>'))
    'Waffenruhe hält'
    >>> h1_text(fragment_fromstring('<h1>Top programs of 2025<br>Your guide</h1>'))
    'Top programs of 2025 Your guide'
    """
    if h1.find(".//br") is not None:  # a line break between two words is a space between them
        h1 = copy.deepcopy(h1)
        for br in h1.iter("br"):
            br.tail = " " + (br.tail or "")
    if elements(_H1_EXTRAS, h1):
        h1 = copy.deepcopy(h1)
        for extra in elements(_H1_EXTRAS, h1):
            extra.drop_tree()
        text = normalize_text(h1.text_content())
        if len(text) >= MIN_H1_CHARS:  # else the kicker was most of it: keep it
            return text
    return normalize_text(h1.text_content())


def _micro_headline(md: Metadata) -> str | None:
    """A microdata headline that is not an <h1> (those are read as <h1>s already)."""
    for el in md.itemprops.get("headline", ()):
        if el.tag != "h1" and (text := normalize_text(itemprop_value(el)[:400])):
            return text
    return None


def _headline_element(
    found: list[tuple[HtmlElement, str]], chosen: str | None
) -> HtmlElement | None:
    """The <h1> showing the chosen headline (it anchors the standfirst search)."""
    if chosen:
        low = chosen.casefold()
        for el, text in found:
            if text.casefold() in low or low in text.casefold():
                return el
    return next((el for el, text in found if len(text.split()) >= 3), None)


def description(page: Page) -> str | None:
    """The standfirst: profile, the lead printed under the headline, og/meta/twitter/JSON-LD."""
    from_profile = page.profile_values("description")
    if from_profile:
        return " ".join(from_profile)
    md = page.md
    found = (
        find_standfirst(page.h1)
        or meta_first(md, "og:description", "description", "twitter:description", "dc.description")
        or ld_text(page.ld("description"))
        or itemprop_first(md, "description")
    )
    return tidy_description(found, site_names(page)) or None if found else None


def _all_elements(tree: HtmlElement) -> Iterator[HtmlElement]:
    """Every element of the tree's document, in document order (what XPath's //* selects).

    Byline and dateline candidates are found by this walk, which stops at the first few: an
    XPath over the whole page (four contains() on every class) cost a third of a parse, and
    their readers seldom look past the first match."""
    return cast(Iterator[HtmlElement], tree.getroottree().getroot().iter(etree.Element))


class _ClassScan:
    """Byline and dateline candidates, read by one walk in document order that goes only as far
    as its readers ask (see `_all_elements`): elements with "author"/"byline" in their class,
    rel=author links and links to author pages (bylines); elements whose class names a date, a
    time, a byline or a publication (datelines). The dateline reader, which runs after the
    byline reader, starts with what that one's walk met, instead of walking the same elements
    again. The walk also notes the page's tag links (pagetags), which are read from it when it
    has reached the end (else by their XPath). The tests are spelled out: a generator per
    element costs more."""

    def __init__(self, tree: HtmlElement) -> None:
        self._elements: Iterator[HtmlElement] | None = _all_elements(tree)
        self._bylines: list[HtmlElement] = []
        self._datelines: list[HtmlElement] = []
        self._tags: list[tuple[HtmlElement, bool]] = []  # (element, by its rel) as met

    def _advance(self) -> None:
        """Read elements up to the next candidate of either kind (or to the end)."""
        if self._elements is None:
            return
        for el in self._elements:
            cls = el.get("class")
            byline = dateline = False
            if cls is not None:
                if "author" in cls or "byline" in cls or "Author" in cls or "Byline" in cls:
                    byline = True
                if (
                    "date" in cls
                    or "Date" in cls
                    or "byline" in cls
                    or "publish" in cls
                    or "posted" in cls
                    or "time" in cls
                ):
                    dateline = True
                if "ag" in cls and is_tag_class(cls):
                    self._tags.append((el, False))
            if el.tag == "a":
                rel = el.get("rel")
                if rel is not None and "tag" in rel and is_tag_rel(rel):
                    self._tags.append((el, True))
                if not byline:
                    href = el.get("href") or ""
                    byline = rel == "author" or "/autor" in href or "/author" in href
            if byline:
                self._bylines.append(el)
            if dateline:
                self._datelines.append(el)
            if byline or dateline:
                return
        self._elements = None

    def _read(self, found: list[HtmlElement]) -> Iterator[HtmlElement]:
        index = 0
        while True:
            while index >= len(found):
                if self._elements is None:
                    return
                self._advance()
            yield found[index]
            index += 1

    def tag_links(self) -> list[HtmlElement] | None:
        """pagetags' tag links (`tag_links_of`), once the walk has reached the end; else None."""
        if self._elements is not None:
            return None
        return tag_links_of(self._tags)

    def bylines(self) -> Iterator[HtmlElement]:
        """Byline candidates in document order."""
        return self._read(self._bylines)

    def datelines(self) -> Iterator[HtmlElement]:
        """Dateline candidates in document order."""
        return self._read(self._datelines)


def _class_scan(page: Page) -> _ClassScan:
    if page.class_scan is None:
        page.class_scan = _ClassScan(page.tree)
    return page.class_scan


def _dom_authors(page: Page, sites: list[str]) -> tuple[list[str], bool]:
    """Names in the first visible byline: rel=author links, .author and .byline elements."""
    for el in itertools.islice(_class_scan(page).bylines(), 40):
        text = normalize_text(el.text_content())
        if not text or len(text) > _MAX_BYLINE_CHARS or _SKIP_ANCESTORS(el):
            continue
        if any(is_account_page(a.get("href") or "") for a in el.iter("a")):
            continue  # the CMS account ("/author/admin/") names the site, not the reporter
        names, person = bylines.choose([(text, True)], sites, strict=True)
        if not person:
            continue
        parent = el.getparent()
        if parent is not None and parent.tag not in ("body", "html"):
            wider, _ = bylines.choose(
                [(normalize_text(parent.text_content()), True)], sites, strict=True
            )
            if len(parent.text_content()) <= _MAX_BYLINE_CHARS and set(names) < set(wider):
                return wider, True
        return names, True
    return [], False


def _meta_bylines(md: Metadata) -> list[tuple[str, bool]]:
    """Author meta tags, plus the "Written by" label/data pairs of twitter:labelN/dataN."""
    found = [
        (v, True)
        for key in AUTHOR_META
        for v in md.meta.get(key, ())
        if v and not v.strip().startswith(("http://", "https://", "/"))
    ]
    for i in range(1, 5):
        label = meta_first(md, f"twitter:label{i}")
        if label and label.casefold() in WRITTEN_BY:
            found += [(v, True) for v in md.meta.get(f"twitter:data{i}", ())]
    return found[:10]


def _micro_authors(md: Metadata) -> list[tuple[str, bool]]:
    """Microdata authors of the first byline only (later ones belong to teasers)."""
    found = [e for e in md.itemprops.get("author", ())[:20] if not _SKIP_ANCESTORS(e)]
    if not found:
        return []
    first = found[0].getparent()
    near = [e for e in found[:10] if e.getparent() is first or e is found[0]]
    return [(name, True) for el in near if (name := _micro_name(el))]


def authors(page: Page) -> list[str]:
    """Persons from profile > JSON-LD > meta > microdata > byline; the site, desks and
    organisations only when no source names a person."""
    from_profile = page.profile_values("authors")
    sites = site_names(page)
    if from_profile:
        return bylines.choose(((v, True) for v in from_profile), sites)[0]
    md = page.md
    fallback: list[str] = []
    sources: tuple[Callable[[], list[tuple[str, bool]]], ...] = (
        lambda: ld_people(md, md.article),
        lambda: _meta_bylines(md),
        lambda: _micro_authors(md),
    )
    for candidates in sources:
        names, person = bylines.choose(candidates(), sites)
        if person:
            return names
        fallback = fallback or names
    if any(bylines.is_agency(n) for n in fallback):
        return fallback  # metadata credits an agency: a byline found in the page is a guess
    names, person = _dom_authors(page, sites)
    if person:
        return names
    names = _header_byline(page, sites)
    if names:
        return names
    names, person = bylines.choose(((n, True) for n in page.body_byline), sites, strict=True)
    return names if person else fallback


def _header_byline(page: Page, sites: list[str]) -> list[str]:
    """A byline printed near the headline that opens with a byline word and names persons
    ("By Jane Doe", "<b>Author:</b> Jane Doe", "Par Marie Dupont, le 3 mars"), whatever its
    markup: for pages whose byline has no author class, link or metadata."""
    anchor = _anchor(page)
    if anchor is None:
        return []
    stop = frozenset(anchor.iterancestors())
    for el, distance in headerzone.window(page.tree, anchor):
        if distance > _BYLINE_REACH:
            break
        own = el.text
        if not own or el.tag in headerzone.SKIP_TAGS or not bylines.opens_byline(own.strip()):
            continue
        found = headerzone.line_of(el, anchor)
        if found is None or headerzone.skipped(found[0], stop):
            continue
        if any(is_account_page(a.get("href") or "") for a in found[0].iter("a")):
            continue  # "By admin": the CMS account names the site, not the reporter
        names = bylines.labelled_names(found[1], sites)
        if names:
            return names
    return []


def _micro_name(el: HtmlElement) -> str:
    for child in el.iter():
        if child is not el and "name" in (child.get("itemprop") or "").split():
            return normalize_text(itemprop_value(child))
    return normalize_text(itemprop_value(el)) if len(el.text_content()) < _MAX_BYLINE_CHARS else ""


def _structured_date(page: Page, ld_key: str, meta_keys: tuple[str, ...]) -> str | None:
    md = page.md
    values = [page.ld(ld_key)]
    values += [v for key in meta_keys for v in md.meta.get(key, ())]
    values += [itemprop_value(el) for el in md.itemprops.get(ld_key, ())[:5]]
    # vendor-prefixed keys of the same meaning ("w-published-date", "citation_publication_date")
    kind = shown.MODIFIED if ld_key == "dateModified" else shown.PUBLISHED
    values += [
        v
        for key, found in md.meta.items()
        if key not in meta_keys and shown.key_kind(key) == kind
        for v in found[:1]
    ]
    for value in values:
        if isinstance(value, list):
            value = value[0] if value else None
        iso = dates.normalize(value, page.now)
        if iso:
            return iso
    return None


def _anchor(page: Page) -> HtmlElement | None:
    """The element that prints the headline: where the header zone (byline, dateline) is."""
    if page.h1 is not None:
        return page.h1
    if page.headline_at is None:  # looked up once: dates and bylines both ask
        page.headline_at = (headerzone.find_anchor(page.tree, page.headline),)
    return page.headline_at[0]


def _shown(page: Page) -> list[shown.ShownDate]:
    """Dates printed on the page (see shown_dates): near the headline first, then, unless one of
    those is the article's date, labelled ones anywhere (a scan of the whole page's text, so
    only when needed); read once per page, and only when metadata gave no date."""
    if page.shown_dates is None:
        anchor = _anchor(page)
        locale = page.md.html_lang or meta_first(page.md, "og:locale")
        order = shown.is_month_first(locale, page.language)
        near = shown.header_dates(page.tree, anchor, page.language, order, page.now)
        if any(d.kind != shown.MODIFIED and dates.not_after(d.value, page.now) for d in near):
            page.shown_dates = near
        else:
            page.shown_dates = near + shown.labelled_dates(page.tree, anchor, page.language, order)
    return page.shown_dates


def _shown_published(page: Page) -> str | None:
    """The date the page shows for itself: near the headline, one labelled as published, else
    one without a label; then a labelled one anywhere; last, an "Updated" date (the only date
    a reader is given is still the article's date)."""
    found = _shown(page)
    near = [d for d in found if d.distance >= 0]
    picks = (
        *(d for d in near if d.kind == shown.PUBLISHED),
        *(d for d in near if not d.kind),
        *(d for d in found if d.distance < 0 and d.kind != shown.MODIFIED),
        *(d for d in found if d.kind == shown.MODIFIED),
    )
    for date in picks:
        if dates.not_after(date.value, page.now):
            return dates.to_iso(date.value, date.has_time)
    return None


def _shown_modified(page: Page) -> str | None:
    """An "Updated"/"Mis à jour" date the page shows (labelled or marked up as such)."""
    for date in _shown(page):
        if date.kind == shown.MODIFIED and dates.not_after(date.value, page.now):
            return dates.to_iso(date.value, date.has_time)
    return None


def _time_elements(page: Page) -> str | None:
    for el in page.md.times[:_MAX_CANDIDATES]:
        if _SKIP_ANCESTORS(el):
            continue
        iso = dates.normalize(el.get("datetime"), page.now)
        if iso:
            return iso
    return None


def _text_date(page: Page, texts: list[str]) -> str | None:
    """The first date read from `texts` that is not after `now`. A text whose reading
    (`dates.date_reading`) was tried before gives the same date and is not read again (a
    dateline's <time> and the element around it give the same text, and a dateparser call
    costs 0.1-1.5 ms)."""
    tried: set[str] = set()
    for text in texts:
        key = dates.date_reading(text)
        if key in tried:
            continue
        tried.add(key)
        found = dates.from_text(text, page.language, page.now)
        if found and dates.not_after(found[0], page.now):
            return dates.to_iso(*found)
    return None


def _dateline_texts(page: Page) -> list[str]:
    texts: list[str] = []
    for el in page.md.times[:_MAX_CANDIDATES]:
        texts.append(el.text_content())
    for el in itertools.islice(_class_scan(page).datelines(), 40):
        text = el.text_content()
        if len(text) <= _MAX_BYLINE_CHARS and not _SKIP_ANCESTORS(el):
            texts.append(text)
        if len(texts) >= _MAX_CANDIDATES:
            break
    return [t for t in texts if t.strip()]


def date_published(page: Page) -> str | None:
    """Profile > JSON-LD/meta/microdata > <time datetime> > the date shown near the headline or
    labelled as such > visible dateline > URL."""
    from_profile = page.profile_values("date_published")
    if from_profile:
        found = _text_date(page, from_profile)
        if found:
            return found
    found = _structured_date(page, "datePublished", PUBLISHED_META) or _time_elements(page)
    if found:
        return _in_local_day(page, found)
    found = _shown_published(page) or _text_date(page, _dateline_texts(page))
    if found:  # "03/10/2023" read in the wrong order, when the URL's date says which
        swapped = dates.swapped_by_url(datetime.fromisoformat(found[:10]), page.url)
        return dates.to_iso(swapped, False) if swapped else found
    from_url = dates.from_url(page.url)
    if from_url and dates.not_after(from_url, page.now):
        return dates.to_iso(from_url, False)
    return _title_date(page)


def _in_local_day(page: Page, found: str) -> str:
    """A UTC instant written in the offset the page declares elsewhere, when that puts it on
    the day the URL path names (see dates.in_local_day); else as found."""
    from_path = dates.from_url(page.url) if found.endswith("+00:00") else None
    if from_path is None:
        return found
    md = page.md
    declared = itertools.chain(
        (el.get("datetime") for el in md.times[:_MAX_CANDIDATES]),
        (v for key in (*PUBLISHED_META, *MODIFIED_META) for v in md.meta.get(key, ())[:1]),
        (page.ld(key) for key in ("dateModified", "dateCreated")),
    )
    local = dates.in_local_day(datetime.fromisoformat(found), from_path.date(), declared)
    return dates.to_iso(local) if local else found


def _title_date(page: Page) -> str | None:
    """The date some sites append to the page title ("Story | DW | 28.04.2023"): the last
    resort, read only from the title's trailing parts, and only in numeric form."""
    for title in (page.md.title, meta_first(page.md, "og:title")):
        parts = _TITLE_PARTS.split(title or "")
        for part in parts[1:][::-1][:2]:  # the last two parts after a separator
            found = dates.from_text(part, None, page.now)
            if found and dates.not_after(found[0], page.now):
                return dates.to_iso(found[0], found[1])
    return None


def date_modified(page: Page, published: str | None) -> str | None:
    """Profile > JSON-LD/meta/microdata > an "Updated" date shown on the page; dropped when
    it is before the publication date."""
    from_profile = page.profile_values("date_modified")
    found = _text_date(page, from_profile) if from_profile else None
    found = found or _structured_date(page, "dateModified", MODIFIED_META)
    if not found and page.shown_dates is not None:  # read already: metadata had no date
        found = _shown_modified(page)
    if found and published and found[:10] < published[:10]:
        return None
    return found


def section(page: Page) -> str | None:
    """Profile > JSON-LD articleSection > article:section and friends > microdata."""
    from_profile = page.profile_values("section")
    if from_profile:
        return from_profile[0]
    md = page.md
    return (
        ld_text(md.article.get("articleSection"))
        or meta_first(md, "article:section", "parsely-section", "sailthru.section", "section")
        or itemprop_first(md, "articleSection")
        or _breadcrumb_section(page)
    )


def _breadcrumb_section(page: Page) -> str | None:
    """The first breadcrumb after the home page, unless it is the article itself."""
    md = page.md
    node = md.breadcrumbs or md.page.get("breadcrumb")
    names = [n for n in ld_breadcrumb_names(node) if fold(n) not in HOME_WORDS]
    sites = site_names(page)
    names = [n for n in names if not names_site(n, sites)]
    if names and page.headline and fold(names[-1]) == fold(page.headline):
        names.pop()  # the last crumb is often the article itself
    return names[0] if names and len(names[0]) <= _MAX_SECTION_CHARS else None


def _meta_keywords(md: Metadata) -> list[str]:
    for key in ("news_keywords", "keywords", "parsely-tags", "sailthru.tags"):
        found = [t for v in md.meta.get(key, ()) for t in v.split(",")]
        if found:
            return found
    return []


def _glued(keywords: list[str]) -> bool:
    """One long JSON-LD keyword string whose separators were lost ("Boxen Russland Frank
    Warren Tyson Fury"): a list written as one, which the keyword meta tags may list properly."""
    return len(keywords) == 1 and len(keywords[0].split()) >= _GLUED_WORDS


def tags(page: Page) -> list[str]:
    """Profile > JSON-LD keywords > article:tag > news_keywords/keywords meta > tag links on the
    page; deduplicated."""
    raw = page.profile_values("tags")
    md = page.md
    if not raw:
        raw = ld_keywords(md.article.get("keywords"))
    if not raw or _glued(raw):
        listed = list(md.meta.get("article:tag", ())) or _meta_keywords(md)
        raw = listed if len(listed) > 1 or not raw else raw
    if not raw:
        scan = page.class_scan
        raw = page_tags(page.tree, page.url, scan.tag_links() if scan is not None else None)
    return clean_tags(raw, page.host)


def image(page: Page) -> str | None:
    """Profile > JSON-LD image > og:image > twitter:image > microdata > the featured image the
    page shows (featured.visible_image); made absolute later."""
    from_profile = (
        select_first(page.tree, page.profile.selectors.get("image", ())) if page.profile else None
    )
    md = page.md
    return (
        from_profile
        or ld_image(md, md.article.get("image"))
        or meta_first(
            md,
            "og:image",
            "og:image:url",
            "og:image:secure_url",
            "twitter:image",
            "twitter:image:src",
            "thumbnail",
        )
        or itemprop_first(md, "image")
        or visible_image(page.tree)
    )


def is_accessible_for_free(page: Page) -> bool | None:
    """JSON-LD isAccessibleForFree of the article (or its page); None when not declared."""
    value = ld_bool(page.md.article.get("isAccessibleForFree"))
    if value is None:
        value = ld_bool(page.md.page.get("isAccessibleForFree"))
    return value


__all__ = [
    "Page", "authors", "date_modified", "date_published", "description", "headline", "image",
    "is_accessible_for_free", "section", "tags",
]  # fmt: skip
