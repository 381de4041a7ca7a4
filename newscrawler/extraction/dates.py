"""Dates: machine-readable values, visible byline text and URLs to ISO 8601, never after `now`.

Why this shape: structured values (JSON-LD, meta, <time datetime>) are parsed by a fast ISO
path; only visible text reaches dateparser, and then always with `languages=[lang]` (one failing
call without languages costs ~1.5 s) on a short date-like span cut out by regex first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import Any

# A date as written by a machine: 2024-03-12, 2024-03-12T14:05, 2024-03-12 14:05:33.123+0100 ...
_ISO = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*"
    r"(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?)?",
    re.IGNORECASE,
)
# Compact forms: 20240312T140500Z, 20240312
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T?(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{4})?)?$")
# Numeric day-first dates in text: 12.03.2024, 12/03/2024 (optionally followed by a time)
_DMY = re.compile(
    r"(?<!\d)(\d{1,2})[./](\d{1,2})[./](\d{4})(?!\d)"
    r"(?:\D{0,12}?(\d{1,2})[:.h](\d{2})(?!\d))?"
)
# Month-name dates and relative phrases: the spans handed to dateparser.
_WORD_DATE = re.compile(
    r"(?:\d{1,2}\.?\s*(?:de\s+)?[^\W\d]{3,}\.?\s*(?:de\s+)?\d{4}"
    r"|[^\W\d]{3,}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})"
    r"(?:[^\d\n]{0,14}?\d{1,2}[:.h]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{2,4}\b)?)?",
    re.IGNORECASE,
)
_URL_DATE = re.compile(
    r"/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:/|$|[^\d])"
)
_URL_MONTH_NAME = re.compile(r"/((?:19|20)\d{2})/([a-z]{3,9})/(0?[1-9]|[12]\d|3[01])(?:/|$)", re.I)
_URL_COMPACT = re.compile(r"[/_-]((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:[/_.-]|$)")
_CLOCK = re.compile(r"\d\s*[:.h]\s*\d\d|\d\s*h\b|\d\s*[ap]\.?m\b", re.IGNORECASE)
_YEAR = re.compile(r"\d{4}")
# Naive datetimes may be up to 14 h "ahead" of UTC only because of their unknown offset.
_NAIVE_SLACK = timedelta(hours=14)
_MIN_YEAR = 1990
_ISO_REACH = 60  # a machine date is looked for this far into a value
_ISO_LONGEST = 36  # 2024-03-12T14:05:33.123456+01:00, with room


def _tz(token: str | None) -> tzinfo | None:
    if not token:
        return None
    token = token.upper()
    if token in ("Z", "UTC", "GMT"):
        return UTC
    sign = -1 if token[0] == "-" else 1
    digits = token[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 14 or minutes > 59:
        return None
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _build(
    y: str,
    mo: str,
    d: str,
    h: str | None = None,
    mi: str | None = None,
    s: str | None = None,
    tz: str | None = None,
) -> datetime | None:
    try:
        return datetime(
            int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0), tzinfo=_tz(tz)
        )
    except ValueError:
        return None


def parse_iso(value: Any) -> tuple[datetime, bool] | None:
    """A machine-written date (ISO 8601 and close relatives) as (datetime, has_time).

    >>> parse_iso("2024-03-12T14:05:00+01:00")[0].isoformat()
    '2024-03-12T14:05:00+01:00'
    >>> parse_iso("not a date") is None
    True
    >>> parse_iso("Written by The Team, edited by Walter. Published on 2025-12-19")[0].day
    19
    """
    if not isinstance(value, str):
        return None
    value = value.strip()
    # a date that begins within the reach is read whole, not cut at it ("2025-12-1")
    match = _ISO.search(value[: _ISO_REACH + _ISO_LONGEST])
    if match and match.start() >= _ISO_REACH:
        match = None
    if match:
        built = _build(*match.groups())
        return (built, match.group(4) is not None) if built else None
    match = _COMPACT.match(value)
    if match:
        built = _build(*match.groups())
        return (built, match.group(4) is not None) if built else None
    return None


def from_url(url: str | None) -> datetime | None:
    """The date that many sites put in article paths: /2024/03/12/ or -20240312-.

    >>> from_url("https://ex.com/news/2024/03/12/story").date().isoformat()
    '2024-03-12'
    >>> from_url("https://ex.com/blog/2023/october/03/story/").date().isoformat()
    '2023-10-03'
    """
    if not url:
        return None
    match = _URL_DATE.search(url) or _URL_COMPACT.search(url)
    if match:
        return _build(*match.groups())
    named = _URL_MONTH_NAME.search(url)
    month = _english_months().get(named.group(2).casefold()) if named else None
    return _build(named.group(1), str(month), named.group(3)) if named and month else None


@lru_cache(maxsize=1)
def _english_months() -> dict[str, int]:
    """English month names and abbreviations (dateparser's CLDR data) -> month number."""
    from dateparser.languages.loader import default_loader

    info = default_loader.get_locale("en").info
    keys = ("january", "february", "march", "april", "may", "june", "july", "august",
            "september", "october", "november", "december")  # fmt: skip
    return {
        name.casefold().rstrip("."): number
        for number, key in enumerate(keys, 1)
        for name in info.get(key, ())
        if not name.isdigit()
    }


def swapped_by_url(value: datetime, url: str | None) -> datetime | None:
    """The URL's date when `value` is that date with day and month read the other way round
    ("03/10/2023" read month-first on a page whose path says /2023/october/03/).

    >>> swapped_by_url(datetime(2023, 3, 10), "https://ex.com/2023/10/03/x").date().isoformat()
    '2023-10-03'
    >>> swapped_by_url(datetime(2023, 3, 10), "https://ex.com/2023/03/10/x") is None
    True
    """
    from_path = from_url(url)
    if from_path is None or value.day > 12 or value.day == value.month:
        return None
    if (from_path.year, from_path.month, from_path.day) == (value.year, value.day, value.month):
        return from_path
    return None


@lru_cache(maxsize=256)
def _known_language(language: str) -> bool:
    """Whether dateparser has this language (an unknown one raises on every call)."""
    from dateparser.languages.loader import default_loader

    try:
        default_loader.get_locale(language)
    except ValueError:
        return False
    return True


# A full date in a plain form, the commonest span handed to dateparser: "4 March 2026",
# "27. Januar 2026", "04 Mar, 2026" and "March 4, 2026", "Jun 05 2026" (single spaces: from_text
# has collapsed them). Built here, without dateparser's 0.6-1.5 ms a call, when the month is a
# name of the page's language in dateparser's own data and the language is one of
# PLAIN_LANGUAGES: for those, dateparser PLAIN_CHECKED returns exactly this date for every day,
# month name (three cases), punctuation and year of these forms (174,000 spans checked, see
# docs/benchmarks.md; tests/test_dates.py checks a sample). Other spans, invalid dates and
# another dateparser version go to dateparser.
_PLAIN_DMY = re.compile(r"(\d{1,2})\.? ([^\W\d_]+)\.?,? ((?:19|20)\d\d)")
_PLAIN_MDY = re.compile(r"([^\W\d_]+)\.? (\d{1,2}),? ((?:19|20)\d\d)")
PLAIN_LANGUAGES = frozenset({"en", "de", "sv", "tr", "fr"})
PLAIN_CHECKED = "1.5.0"
_MONTH_KEYS = ("january", "february", "march", "april", "may", "june", "july", "august",
               "september", "october", "november", "december")  # fmt: skip


@lru_cache(maxsize=64)
def month_numbers(language: str) -> dict[str, int]:
    """Month names and abbreviations of `language` alone (dateparser's data), lower case ->
    month number."""
    from dateparser.languages.loader import default_loader

    info = default_loader.get_locale(language).info
    return {
        name.lower(): number
        for number, key in enumerate(_MONTH_KEYS, 1)
        for name in info.get(key, ())
        if isinstance(name, str) and not name.isdigit()
    }


@lru_cache(maxsize=1)
def _plain_checked() -> bool:
    """Whether the installed dateparser is the one `plain_date` was checked against."""
    import dateparser

    return str(getattr(dateparser, "__version__", "")) == PLAIN_CHECKED


def plain_date(text: str, language: str) -> datetime | None:
    """The date of a span in a plain full form (see `_PLAIN_DMY`), as dateparser reads it; None
    for anything else (dateparser decides those).

    >>> plain_date("27. Januar 2026", "de"), plain_date("March 4, 2026", "en")
    (datetime.datetime(2026, 1, 27, 0, 0), datetime.datetime(2026, 3, 4, 0, 0))
    >>> plain_date("March 4, 2026", "de") is None, plain_date("4 March 2026 10:00", "en") is None
    (True, True)
    """
    if language not in PLAIN_LANGUAGES or not _plain_checked():
        return None
    match = _PLAIN_DMY.fullmatch(text)
    if match is not None:
        day, name, year = match.groups()
    else:
        match = _PLAIN_MDY.fullmatch(text)
        if match is None:
            return None
        name, day, year = match.groups()
    month = month_numbers(language).get(name.lower())
    return _build(year, str(month), day) if month else None


def _dateparse(text: str, language: str, now: datetime) -> datetime | None:
    if not _known_language(language):
        return None
    plain = plain_date(text, language)
    if plain is not None:
        return plain
    import dateparser

    base = now.astimezone(UTC).replace(tzinfo=None)
    try:
        parsed: datetime | None = dateparser.parse(
            text,
            languages=[language],
            settings={"PREFER_DATES_FROM": "past", "RELATIVE_BASE": base},
        )
    except Exception:  # dateparser raises a zoo of errors on odd input; text dates are optional
        return None
    return parsed


def date_reading(text: str) -> str:
    """The part of a text `from_text` reads: whitespace collapsed, the first 200 characters.
    Two texts with the same reading give the same date."""
    return " ".join(text.split())[:200]


def from_text(text: str, language: str | None, now: datetime) -> tuple[datetime, bool] | None:
    """A date in visible text ("Publié le 12 mars 2024 à 14h05", "vor 3 Stunden", "12.03.2024").

    Numeric day-first dates are read by regex; anything else goes to dateparser with the page
    language only, on the short span that looks like a date (or the whole text when short).
    """
    text = date_reading(text)
    if not text:
        return None
    iso = parse_iso(text)
    if iso:
        return iso
    match = _DMY.search(text)
    if match:
        d, mo, y, h, mi = match.groups()
        if int(mo) > 12 >= int(d):  # 03/14/2024: only month-first reads as a date
            d, mo = mo, d
        built = _build(y, mo, d, h, mi)
        if built:
            return built, h is not None
    if not language:
        return None
    spans = [m.group(0) for m in _WORD_DATE.finditer(text)]
    if not spans and len(text) <= 60:
        spans = [text]
    for span in spans[:3]:
        parsed = _dateparse(span, language, now)
        if parsed is not None:
            clock = _CLOCK.search(span) is not None
            if not clock and not _YEAR.search(span) and parsed.tzinfo is None:
                # "2 hours ago" was counted from `now` in UTC: the result is a UTC instant
                return parsed.replace(tzinfo=UTC), True
            return parsed, clock or not _YEAR.search(span)
    return None


def not_after(value: datetime, now: datetime) -> bool:
    """True when `value` is not later than the crawl time (naive values get the widest offset)."""
    if value.year < _MIN_YEAR:
        return False
    if value.tzinfo is None:
        return value <= now.astimezone(UTC).replace(tzinfo=None) + _NAIVE_SLACK
    return value <= now


def in_local_day(value: datetime, day: date, declared: Iterable[Any]) -> datetime | None:
    """A UTC instant written in the site's own offset, when the page states the calendar day
    it was published on (`day`: the date in its URL path) one day from the UTC day, and another
    machine-written date on the page (`declared`) carries an offset that puts the instant on
    that day. The instant does not change; only the offset it is written in does.

    Why: CMSs build permalinks (/2025/12/18/) and print dates in the site's time zone while
    some export metadata in UTC: "2025-12-19T02:41:41+00:00" is December 18 at 21:41 where the
    site is, and December 18 is the day its reader sees. No offset is guessed: one the page
    declares, or none.

    >>> utc = datetime(2025, 12, 19, 2, 41, tzinfo=UTC)
    >>> in_local_day(utc, date(2025, 12, 18), ["2025-12-18T22:00:50-05:00"]).isoformat()
    '2025-12-18T21:41:00-05:00'
    >>> in_local_day(utc, date(2025, 12, 18), ["2025-12-19T14:39:52+00:00"]) is None
    True
    """
    if value.utcoffset() != timedelta(0) or abs((day - value.date()).days) != 1:
        return None
    for raw in declared:
        parsed = parse_iso(raw)
        offset = parsed[0].utcoffset() if parsed and parsed[1] else None
        if offset:  # neither naive nor UTC
            local = value.astimezone(timezone(offset))
            if local.date() == day:
                return local
    return None


def to_iso(value: datetime, has_time: bool = True) -> str:
    """ISO 8601 as the schema wants it: a date alone, or a time to the second with offset if known.

    >>> to_iso(datetime(2024, 3, 12, 14, 5, tzinfo=UTC))
    '2024-03-12T14:05:00+00:00'
    >>> to_iso(datetime(2024, 3, 12), has_time=False)
    '2024-03-12'
    """
    if not has_time:
        return value.date().isoformat()
    return value.replace(microsecond=0).isoformat()


def normalize(value: Any, now: datetime) -> str | None:
    """A structured date value to schema ISO, or None if unreadable or later than `now`."""
    parsed = parse_iso(value)
    if parsed is None or not not_after(parsed[0], now):
        return None
    return to_iso(*parsed)
