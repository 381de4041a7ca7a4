"""Dates: machine values, visible text in the page language, URLs; never after the crawl time."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newscrawler.extraction import dates

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
SCHEMA_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$")


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2024-03-12T14:05:00+01:00", "2024-03-12T14:05:00+01:00"),
        ("2024-03-12T14:05:00Z", "2024-03-12T14:05:00+00:00"),
        ("2024-03-12T14:05:33.123456+0200", "2024-03-12T14:05:33+02:00"),
        ("2024-03-12 14:05", "2024-03-12T14:05:00"),
        ("2024-03-12", "2024-03-12"),
        ("  2024-3-2T09:00:00 UTC ", "2024-03-02T09:00:00+00:00"),
        ("20240312T140500Z", "2024-03-12T14:05:00+00:00"),
    ],
)
def test_structured_values_become_schema_iso(value: str, iso: str) -> None:
    assert dates.normalize(value, NOW) == iso


@pytest.mark.parametrize("value", ["", "yesterday", "2024-02-30", "2024-13-01", None, 20240312, []])
def test_unreadable_structured_values_are_none(value: object) -> None:
    assert dates.normalize(value, NOW) is None


def test_a_date_after_the_crawl_time_is_never_returned() -> None:
    assert dates.normalize("2024-06-01T12:30:00+00:00", NOW) is None
    assert dates.normalize("2024-06-01T11:30:00+00:00", NOW) == "2024-06-01T11:30:00+00:00"


def test_naive_times_get_the_widest_offset_before_being_called_future() -> None:
    # 20:00 with no offset may be 20:00 in UTC-10, i.e. before NOW is impossible to rule out
    assert dates.not_after(datetime(2024, 6, 1, 20, 0), NOW)
    assert not dates.not_after(datetime(2024, 6, 3, 0, 0), NOW)


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("fr", "Publié le 12 mars 2024 à 14h05", datetime(2024, 3, 12, 14, 5)),
        ("de", "Veröffentlicht am 12.03.2024, 14:05 Uhr", datetime(2024, 3, 12, 14, 5)),
        ("de", "12. März 2024", datetime(2024, 3, 12)),
        ("en", "Updated March 12, 2024 2:05 PM", datetime(2024, 3, 12, 14, 5)),
        ("es", "12 de marzo de 2024", datetime(2024, 3, 12)),
    ],
)
def test_byline_text_in_the_page_language(language: str, text: str, expected: datetime) -> None:
    found = dates.from_text(text, language, NOW)
    assert found is not None
    assert found[0].replace(tzinfo=None) == expected


@pytest.mark.parametrize(
    ("language", "text", "hours"),
    [("fr", "il y a 2 heures", 2), ("de", "vor 3 Stunden", 3), ("en", "5 hours ago", 5)],
)
def test_relative_dates_count_back_from_the_crawl_time(
    language: str, text: str, hours: int
) -> None:
    found = dates.from_text(text, language, NOW)
    assert found == (NOW - timedelta(hours=hours), True)


def test_yesterday_is_the_day_before_the_crawl() -> None:
    found = dates.from_text("hier", "fr", NOW)
    assert found is not None and found[0].date() == (NOW - timedelta(days=1)).date()


def test_numeric_dates_are_day_first_unless_only_month_first_makes_sense() -> None:
    assert dates.from_text("12/03/2024", None, NOW) == (datetime(2024, 3, 12), False)
    assert dates.from_text("03/14/2024 10:30", None, NOW) == (datetime(2024, 3, 14, 10, 30), True)


def test_text_without_a_language_is_only_read_by_regex() -> None:
    assert dates.from_text("12.03.2024", None, NOW) == (datetime(2024, 3, 12), False)
    assert dates.from_text("il y a 2 heures", None, NOW) is None


def test_unknown_language_is_not_an_error() -> None:
    assert dates.from_text("gestern", "zz", NOW) is None


@pytest.mark.parametrize(
    ("url", "day"),
    [
        ("https://ex.com/news/2024/03/12/story", "2024-03-12"),
        ("https://ex.com/2024-3-2/story", "2024-03-02"),
        ("https://ex.com/story-20240312-abc.html", "2024-03-12"),
    ],
)
def test_url_dates(url: str, day: str) -> None:
    found = dates.from_url(url)
    assert found is not None and found.date().isoformat() == day


@pytest.mark.parametrize(
    "url", [None, "https://ex.com/news/story-12345", "https://ex.com/2024/13/45/"]
)
def test_urls_without_dates(url: str | None) -> None:
    assert dates.from_url(url) is None


def test_offsets_are_kept() -> None:
    tz = timezone(timedelta(hours=5, minutes=30))
    assert dates.to_iso(datetime(2024, 9, 4, 16, 20, 35, tzinfo=tz)) == "2024-09-04T16:20:35+05:30"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_structured_parsing_never_raises_and_matches_the_schema(value: str) -> None:
    iso = dates.normalize(value, NOW)
    assert iso is None or SCHEMA_DATE.match(iso)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=60), st.sampled_from(["en", "fr", "de", None, "xx"]))
def test_text_parsing_never_raises(text: str, language: str | None) -> None:
    found = dates.from_text(text, language, NOW)
    if found is not None:
        assert SCHEMA_DATE.match(dates.to_iso(*found))


@settings(max_examples=100, deadline=None)
@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1)))
def test_iso_round_trip(value: datetime) -> None:
    aware = value.replace(microsecond=0, tzinfo=UTC)
    assert dates.parse_iso(dates.to_iso(aware)) == (aware, True)


UTC_INSTANT = datetime(2025, 12, 19, 2, 41, 41, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "day", "declared"),
    [
        (UTC_INSTANT, "2025-12-18", []),  # no offset declared on the page: none is guessed
        (UTC_INSTANT, "2025-12-18", ["2025-12-19T14:39:52+00:00", "2025-12-18"]),  # UTC, no time
        (UTC_INSTANT, "2025-12-18", ["2025-06-18T22:00:00+09:00"]),  # the offset gives Dec 19
        (UTC_INSTANT, "2025-12-16", ["2025-12-18T22:00:00-05:00"]),  # two days: another date
        (UTC_INSTANT.astimezone(timezone(timedelta(hours=-5))), "2025-12-17", ["x-05:00"]),
    ],
)
def test_a_utc_instant_keeps_its_offset_unless_the_page_declares_the_local_one(
    value: datetime, day: str, declared: list[str]
) -> None:
    assert dates.in_local_day(value, datetime.fromisoformat(day).date(), declared) is None


def test_a_utc_instant_is_written_in_the_declared_offset_of_the_urls_day() -> None:
    local = dates.in_local_day(
        UTC_INSTANT,
        datetime(2025, 12, 18).date(),
        ["2025-12-18T23:59:00+02:00", "2025-12-18T22:00-05:00"],
    )
    assert local is not None and local.isoformat() == "2025-12-18T21:41:41-05:00"
    assert local == UTC_INSTANT  # the same instant


def _dateparser_reads(text: str, language: str) -> datetime | None:
    """What dates._dateparse got from dateparser before plain_date: the same call."""
    import dateparser

    base = NOW.astimezone(UTC).replace(tzinfo=None)
    settings = {"PREFER_DATES_FROM": "past", "RELATIVE_BASE": base}
    return dateparser.parse(text, languages=[language], settings=settings)


@pytest.mark.parametrize("language", sorted(dates.PLAIN_LANGUAGES))
def test_plain_full_dates_are_read_as_dateparser_reads_them(language: str) -> None:
    # a sample of what was checked exhaustively (docs/benchmarks.md): every month name of the
    # language, in three cases, with a day and year and punctuation that vary with it
    names = list(dates.month_numbers(language))
    spans = []
    for i, name in enumerate(names):
        day, year = ("1", "05", "29", "31", "12")[i % 5], ("2024", "2027")[i % 2]
        cased = (name, name.title(), name.upper())[i % 3]
        spans += [f"{day}. {cased}, {year}", f"{cased}. {day}, {year}", f"{day} {cased} {year}"]
    read = [(span, dates.plain_date(span, language)) for span in spans]
    assert sum(value is not None for _, value in read) >= len(spans) // 2
    for span, value in read:
        if value is not None:
            assert value == _dateparser_reads(span, language), span


@pytest.mark.parametrize(
    ("span", "language"),
    [
        ("4 March 2026 10:00", "en"),  # a time: dateparser's
        ("March 4th, 2026", "en"),
        ("4 März 2026", "en"),  # not a month name of the page's language
        ("31 February 2026", "en"),  # no such day: dateparser decides
        ("4  March 2026", "en"),
        ("4 marzo 2026", "it"),  # a language not checked
        ("Monday 4 March", "en"),
    ],
)
def test_other_spans_are_left_to_dateparser(span: str, language: str) -> None:
    assert dates.plain_date(span, language) is None


def test_another_dateparser_version_reads_every_span_itself(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert dates.plain_date("4 March 2026", "en") == datetime(2026, 3, 4)
    monkeypatch.setattr(dates, "PLAIN_CHECKED", "0.0")
    dates._plain_checked.cache_clear()
    try:
        assert dates.plain_date("4 March 2026", "en") is None
        assert dates.from_text("4 March 2026", "en", NOW) == (datetime(2026, 3, 4), False)
    finally:
        dates._plain_checked.cache_clear()
