"""Dates as the reader sees them: printed near the headline or byline, labelled or not.

Why: many pages declare no date in metadata, or declare one that is not the date they show
("Updated September 28, 2025" on a guide first published years before). A reader takes the
date printed in the article's header, or a line that says what it is ("Published: November 08,
2025", "Mis à jour le 3 mars 2024"). This module finds those dates, says which kind each one is
(published, modified, or not said) and how far from the headline it stands.

How, cheaply: one pass over the elements around the headline, a regex prefilter (a year, or a
numeric date) on each text node, then a parser that reads month names from dateparser's
CLDR-derived data for the page's language (and English) without calling dateparser; only a short
relative phrase ("vor 3 Stunden", "2 days ago") goes to dateparser, restricted to the language.
The label words are data (data/date_labels.toml): two concepts translated per language, plus the
class words of hAtom, WordPress, Drupal and schema.org markup.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache, lru_cache
from importlib.resources import files
from typing import Any, cast

from lxml import etree
from lxml.html import HtmlElement

from newscrawler.extraction import dates
from newscrawler.extraction.headerzone import (
    MAX_LINE,
    SKIP_TAGS,
    line_of,
    owner,
    skipped,
    window,
)
from newscrawler.extraction.selectors import elements

PUBLISHED = "published"
MODIFIED = "modified"
_MAX_DATES = 6
_RELATIVE_REACH = 30  # relative dates are read only this close to the headline
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_NUMERIC = re.compile(
    r"(?<!\d)(\d{1,2})([./-])(\d{1,2})\2((?:19|20)\d\d)(?!\d)"
    r"|(?<!\d)((?:19|20)\d\d)([./-])(\d{1,2})\6(\d{1,2})(?!\d)"
)
_CJK = re.compile(r"((?:19|20)\d\d)\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]?")
_CLOCK = re.compile(
    r"^\D{0,12}?(\d{1,2})\s*[:h.]\s*(\d{2})(?!\d)(?:\s*([ap])\.?\s?m\b\.?)?", re.IGNORECASE
)
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
_LETTERS = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class ShownDate:
    """A date printed on the page: its value, whether a time was printed, what kind the label
    or markup says it is ("published", "modified" or ""), and its distance from the headline in
    elements (-1: labelled, found anywhere on the page)."""

    value: datetime
    has_time: bool
    kind: str
    distance: int
    line: str


# ---------------------------------------------------------------- vocabularies


@dataclass(frozen=True)
class Labels:
    """Label words and class words per kind, compiled."""

    words: dict[str, frozenset[str]]  # kind -> label phrases (lower case)
    classes: dict[str, frozenset[str]]  # kind -> class words


@cache
def labels() -> Labels:
    """The label vocabulary of data/date_labels.toml, loaded once."""
    text = files("newscrawler").joinpath("data/date_labels.toml").read_text("utf-8")
    data = tomllib.loads(text)
    words = {
        kind: frozenset(w.casefold() for per_lang in langs.values() for w in per_lang)
        for kind, langs in data["labels"].items()
    }
    classes = {kind: frozenset(v) for kind, v in data["classes"].items()}
    return Labels(words, classes)


@cache
def month_table(language: str | None) -> tuple[re.Pattern[str] | None, dict[str, int]]:
    """A regex of the month names of `language` and English, and name -> month number, from
    dateparser's language data (CLDR month names and abbreviations).

    >>> pattern, months = month_table("de")
    >>> months["märz"], months["march"], months["mär"]
    (3, 3, 3)
    """
    from dateparser.languages.loader import default_loader

    names: dict[str, int] = {}
    for code in dict.fromkeys((language or "en", "en")):
        try:
            info = default_loader.get_locale(code).info
        except ValueError:
            continue
        for number, key in enumerate(_MONTH_KEYS, 1):
            for name in info.get(key, ()):
                name = name.casefold().rstrip(".")
                if name and not name.isdigit():
                    names.setdefault(name, number)
    if not names:
        return None, {}
    alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    day = r"(\d{1,2})(?:st|nd|rd|th|er|º|\.)?"
    year = r"((?:19|20)\d\d)(?!\d)"
    pattern = re.compile(
        rf"(?<!\w){day}\s*(?:de\s+|of\s+)?({alternation})\.?,?\s*(?:de\s+)?{year}"
        rf"|(?<!\w)({alternation})\.?\s+{day},?\s+{year}"
        rf"|(?<!\w){year}\.?\s*({alternation})\.?\s+{day}(?!\d)",
        re.IGNORECASE,
    )
    return pattern, names


_MONTH_KEYS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip


# ---------------------------------------------------------------- reading one line


def _numeric(match: re.Match[str], month_first: bool) -> tuple[str, str, str] | None:
    """(year, month, day) of a numeric date; 03/14/2024 is month-first whatever the order."""
    if match.group(5):  # 2024-03-12, 2024.03.12, 2024/03/12
        return match.group(5), match.group(7), match.group(8)
    a, sep, b, year = match.group(1, 2, 3, 4)
    if int(b) > 12 >= int(a):
        return year, a, b
    if int(a) > 12 >= int(b):
        return year, b, a
    if sep == "/" and month_first:
        return year, a, b
    return year, b, a


def read_date(
    text: str, language: str | None, month_first: bool | None = None
) -> tuple[datetime, bool, int, int] | None:
    """The first date written in `text`: (value, time printed, start, end of the date).

    Month names come from dateparser's data for `language` and English; numeric dates are
    day-first except with "/" where `month_first` (default: dateparser's `date_order` of the
    language; see `is_month_first` for the page's region).

    >>> read_date("Published: November 08, 2025", "en")[:2]
    (datetime.datetime(2025, 11, 8, 0, 0), False)
    >>> read_date("Mis à jour le 3 mars 2024 à 14h05", "fr")[:2]
    (datetime.datetime(2024, 3, 3, 14, 5), True)
    >>> read_date("Updated: 10/31/2024", "en")[0].date().isoformat()
    '2024-10-31'
    >>> read_date("2024年3月12日", "ja")[0].date().isoformat()
    '2024-03-12'
    >>> read_date("version 2.0, 2024", "en") is None
    True
    """
    if not _YEAR.search(text):
        return None
    found: list[tuple[int, int, tuple[str, str, str]]] = []
    pattern, months = month_table(language)
    if pattern is not None:
        match = pattern.search(text)
        if match:
            g = match.groups()
            if g[0]:
                ymd = (g[2], str(months[g[1].casefold().rstrip(".")]), g[0])
            elif g[3]:
                ymd = (g[5], str(months[g[3].casefold().rstrip(".")]), g[4])
            else:
                ymd = (g[6], str(months[g[7].casefold().rstrip(".")]), g[8])
            found.append((match.start(), match.end(), ymd))
    match = _NUMERIC.search(text)
    if match:
        order = _month_first(language) if month_first is None else month_first
        ymd_numeric = _numeric(match, order)
        if ymd_numeric:
            found.append((match.start(), match.end(), ymd_numeric))
    match = _CJK.search(text)
    if match:
        year, month, day = match.group(1, 2, 3)
        found.append((match.start(), match.end(), (year, month, day)))
    iso = dates.parse_iso(text) if "-" in text else None
    if iso is not None:
        at = text.find(str(iso[0].year))
        return iso[0], iso[1], max(at, 0), max(at, 0) + 10
    for start, end, (y, mo, d) in sorted(found):
        clock = _CLOCK.match(text[end : end + 40])
        hour, minute = (clock.group(1), clock.group(2)) if clock else (None, None)
        if clock and clock.group(3):
            hour = str(int(hour or 0) % 12 + (12 if clock.group(3).lower() == "p" else 0))
        built = dates._build(y, mo, d, hour, minute)
        if built is not None:
            return built, clock is not None, start, end
    return None


def is_month_first(locale: str | None, language: str | None) -> bool | None:
    """Whether "03/10/2023" is March 10 on this page: a declared region decides for English
    (en-US month-first, en-GB, en-AU, en-IN... day-first); otherwise None (the language's
    default order from dateparser).

    >>> is_month_first("en-GB", "en"), is_month_first("en_US", "en"), is_month_first("de", "de")
    (False, True, None)
    """
    parts = re.split(r"[-_]", (locale or "").strip())
    if language != "en" or len(parts) < 2 or len(parts[1]) != 2:
        return None
    return parts[1].upper() in _MONTH_FIRST_REGIONS


_MONTH_FIRST_REGIONS = frozenset({"US", "PR", "GU", "VI", "AS", "MP", "UM", "PH", "FM", "MH", "PW"})


@lru_cache(maxsize=1024)
def key_kind(name: str) -> str:
    """The kind a metadata key names by its words ("w-published-date", "citation_publication_
    date", "lastUpdated"), from the same class vocabulary; "" for any other key.

    >>> key_kind("w-published-date"), key_kind("citation_publication_date"), key_kind("author")
    ('published', 'published', '')
    """
    words = {w.casefold() for w in _WORD.findall(name)}
    words |= {w for w in re.split(r"[\s_:.-]+", name.casefold()) if w}
    vocab = labels().classes
    if words & vocab[MODIFIED]:
        return MODIFIED
    return PUBLISHED if words & vocab[PUBLISHED] else ""


@cache
def _month_first(language: str | None) -> bool:
    from dateparser.languages.loader import default_loader

    try:
        order = default_loader.get_locale(language or "en").info.get("date_order", "DMY")
    except ValueError:
        return False
    return str(order).startswith("M")


def label_kind(before: str) -> str:
    """The kind a label printed before a date names: the last label phrase in `before` wins.

    >>> label_kind("Posted on"), label_kind("Jane Doe · Updated"), label_kind("By Jane Doe")
    ('published', 'modified', '')
    >>> label_kind("Veröffentlicht am 3. März, aktualisiert am")
    'modified'
    """
    words = " ".join(_LETTERS.findall(before.casefold()))
    best, at = "", -1
    for kind, phrases in labels().words.items():
        for phrase in phrases:
            found = _last_phrase(words, phrase)
            if found > at or (found == at >= 0 and kind == MODIFIED):
                best, at = kind, found
    return best


def _last_phrase(words: str, phrase: str) -> int:
    """End position of the last whole-word occurrence of `phrase` in `words`, else -1."""
    end = -1
    start = words.find(phrase)
    while start >= 0:
        stop = start + len(phrase)
        if (start == 0 or words[start - 1] == " ") and (stop == len(words) or words[stop] == " "):
            end = stop
        start = words.find(phrase, start + 1)
    return end


def class_kind(el: HtmlElement, levels: int = 3) -> str:
    """The kind that the element's (or a near ancestor's) class, id or itemprop names.

    >>> from lxml.html import fragment_fromstring
    >>> class_kind(fragment_fromstring('<span class="entry-date updated">x</span>'))
    'modified'
    >>> class_kind(fragment_fromstring('<div class="byline__release-date">x</div>'))
    'published'
    """
    vocab = labels().classes
    node: HtmlElement | None = el
    for _ in range(levels):
        if node is None or not isinstance(node.tag, str):
            break
        value = " ".join(filter(None, (node.get("class"), node.get("id"), node.get("itemprop"))))
        if value:
            words = {w.casefold() for w in _WORD.findall(value)}
            words |= {w.casefold() for w in re.split(r"[\s_-]+", value) if w}
            if words & vocab[MODIFIED]:
                return MODIFIED
            if words & vocab[PUBLISHED]:
                return PUBLISHED
        node = node.getparent()
    return ""


# ---------------------------------------------------------------- finding the lines


@cache
def relative_marker(language: str | None) -> re.Pattern[str] | None:
    """A regex for "ago" in `language` from dateparser's data ("ago", "vor", "il y a", "hace",
    "前"): with a number beside it, a relative date ("2 days ago", "vor 3 Stunden").

    >>> bool(relative_marker("de").search("vor 3 Stunden")), relative_marker(None) is None
    (True, True)
    """
    from dateparser.languages.loader import default_loader

    if not language:
        return None
    try:
        words = default_loader.get_locale(language).info.get("ago", [])
    except ValueError:
        return None
    words = [w for w in words if isinstance(w, str) and w.strip()]
    if not words:
        return None
    alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![^\W\d_])(?:{alternation})(?![^\W\d_])", re.IGNORECASE)


def _relative(el: HtmlElement, language: str | None, now: datetime | None) -> ShownDate | None:
    """A short relative date in the element's own text, counted from `now` by dateparser
    (restricted to the page language, on this one short line only)."""
    marker = relative_marker(language) if now is not None else None
    own = " ".join((el.text or "").split())
    if marker is None or now is None or not own or len(own) > 40 or not _DIGIT.search(own):
        return None
    hit = marker.search(own)
    if hit is None:
        return None
    before, after = own[: hit.start()].split()[-2:], own[hit.end() :].split()[:2]
    for span in (" ".join([hit.group(0), *after]), " ".join([*before, hit.group(0)])):
        found = dates.from_text(span, language, now)  # "vor 3 Stunden" / "2 days ago"
        if found is not None:
            return ShownDate(found[0], found[1], label_kind(own[: hit.start()]), 0, own)
    return None


_DIGIT = re.compile(r"\d")


def header_dates(
    tree: HtmlElement,
    anchor: HtmlElement | None,
    language: str | None,
    month_first: bool | None = None,
    now: datetime | None = None,
) -> list[ShownDate]:
    """Dates printed in short lines near the headline (`anchor`), nearest first.

    >>> from lxml.html import fromstring
    >>> page = fromstring('''<html><body><nav>May 1, 2020</nav><article><h1>Title</h1>
    ...   <p class="meta">By Ann Lee · <strong>Published:</strong> November 08, 2025</p>
    ...   <p>Updated 2 Dec 2025</p><p>Body text about 1999 and more.</p></article></body></html>''')
    >>> [(d.value.date().isoformat(), d.kind) for d in header_dates(page, page.find(".//h1"), "en")]
    [('2025-11-08', 'published'), ('2025-12-02', 'modified')]
    """
    found: list[ShownDate] = []
    seen: set[HtmlElement] = set()  # the elements, not their id(): a freed proxy's id is reused
    stop = frozenset(anchor.iterancestors()) if anchor is not None else frozenset()
    tail = " ".join((anchor.tail or "").split()) if anchor is not None else ""
    if tail and len(tail) <= MAX_LINE:  # "<legend>Title</legend> 20 December 2025"
        for value, has_time, label in line_dates(tail, language, month_first):
            found.append(ShownDate(value, has_time, label, 1, tail))
    for el, distance in window(tree, anchor):
        if el.tag in SKIP_TAGS:
            continue
        if not _has_year(el):  # "2 days ago", "vor 3 Stunden" next to the byline
            relative = _relative(el, language, now) if distance <= _RELATIVE_REACH else None
            if relative is not None and not skipped(el, stop):
                found.append(replace(relative, distance=distance))
            continue
        found_line = line_of(el, anchor)
        if found_line is None or found_line[0] in seen:
            continue
        line_el, line = found_line
        seen.add(line_el)
        in_line = line_dates(line, language, month_first)
        if not in_line or skipped(line_el, stop):
            continue
        markup = class_kind(el) or class_kind(line_el, 1)
        for value, has_time, label in in_line:
            kind = label or (markup if len(in_line) == 1 else "")
            found.append(ShownDate(value, has_time, kind, distance, line))
        if len(found) >= _MAX_DATES:
            break
    return found


def line_dates(
    line: str, language: str | None, month_first: bool | None = None
) -> list[tuple[datetime, bool, str]]:
    """Every date of one line with the kind its own label names: the words between the
    previous date and this one ("Updated 05/03/2024 · First published 1 March 2024").

    >>> [(v.day, k) for v, _, k in line_dates("Updated 05/03/2024 · First published 1 March 2024",
    ...                                      "en", month_first=False)]
    [(5, 'modified'), (1, 'published')]
    """
    found: list[tuple[datetime, bool, str]] = []
    rest = line
    while len(found) < 3:
        read = read_date(rest, language, month_first)
        if read is None:
            break
        value, has_time, start, end = read
        found.append((value, has_time, label_kind(rest[:start])))
        rest = rest[end:]
    return found


def _has_year(el: HtmlElement) -> bool:
    """Own text (not children's) holds a year: the cheap test run on every element. (Substring
    tests in C first: most elements' own text holds neither "19" nor "20", and the year regex,
    which opens with a look-behind, is tried at every position.)"""
    own = el.text or ""
    if len(el):
        own += "".join([child.tail or "" for child in el])
    return ("20" in own or "19" in own) and _YEAR.search(own) is not None


# Text nodes holding a year of this century or the last: XPath 1.0 in C, no Python per node.
# One descendant step over text nodes (libxml2 reads `//text()` as one walk), the parent tested
# after `contains()`: stepping through every element first (`.//*[not(...)]/text()`) cost
# two thirds more. `_year_texts` drops the root's own text nodes, which that spelling excluded.
_YEAR_TEXT = etree.XPath(
    ".//text()[contains(., '20') or contains(., '19')]"
    "[not(parent::script or parent::style or parent::noscript or parent::template)]"
)
_TIME_TEXT = etree.XPath(".//time[not(@datetime)]")
_LABEL_GAP = 6  # words of the line before the date in which its label is looked for


def _year_texts(root: HtmlElement) -> list[Any]:
    """`_YEAR_TEXT`'s text nodes in the elements below `root` (not root's text, nor the tails of
    its children: text nodes whose parent is `root`), in document order."""
    found: list[Any] = []
    for text in cast(list[Any], _YEAR_TEXT(root)):
        holder = text.getparent()  # lxml: the element whose text or tail this is
        if (holder.getparent() if text.is_tail else holder) is not root:
            found.append(text)
    return found


def labelled_dates(
    tree: HtmlElement,
    anchor: HtmlElement | None,
    language: str | None,
    month_first: bool | None = None,
    limit: int = 60,
) -> list[ShownDate]:
    """Anywhere in the article (the <article> or <main> holding the headline), outside
    navigation, comments and related lists: dates whose own line says what they are ("Posted
    on April 13, 2023", "Mis à jour le 3 mars 2024"), and the text of `<time>` elements without
    a machine value. Distance is -1 (not near the headline).

    >>> from lxml.html import fromstring
    >>> page = fromstring('''<html><body><article><h1>T</h1><p>Long text.</p><div class="meta">
    ...   <span>Posted on</span> <span>April 13, 2023</span></div>
    ...   <div class="comments"><p>Updated May 2, 2024</p></div></article></body></html>''')
    >>> [(d.value.date().isoformat(), d.kind) for d in labelled_dates(page, None, "en")]
    [('2023-04-13', 'published')]
    """
    stop = frozenset(anchor.iterancestors()) if anchor is not None else frozenset()
    found: list[ShownDate] = []
    seen: set[HtmlElement] = set()  # the elements, not their id(): a freed proxy's id is reused
    # only inside the <article> or <main> that holds the headline (or the page's first one): a
    # page without one is rarely an article, and this scan reads all of the text below it
    ancestors = anchor.iterancestors() if anchor is not None else iter(())
    root = next((a for a in ancestors if a.tag in ("article", "main")), None)
    if root is None:
        root = next(tree.iter("article", "main"), None)
    if root is None:
        return []
    texts = _year_texts(root)[:limit]
    nodes = [*elements(_TIME_TEXT, root)[:10], *map(owner, texts)]
    for el in nodes:
        if el is None or el in seen:
            continue
        seen.add(el)
        found_line = line_of(el, anchor)
        if found_line is None:
            continue
        line_el, line = found_line
        read = read_date(line, language, month_first)
        if read is None:
            continue
        kind = label_kind(" ".join(line[: read[2]].split()[-_LABEL_GAP:]))
        kind = kind or class_kind(el) or ("time" if el.tag == "time" else "")
        if kind and not skipped(line_el, stop):
            found.append(ShownDate(read[0], read[1], "" if kind == "time" else kind, -1, line))
    return found
