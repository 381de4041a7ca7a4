"""Dates as printed on a page (extraction/shown_dates.py, headerzone.py) and labelled bylines:
each written form on its own, on small pages written for these tests."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml.html import HtmlElement, fromstring

from newscrawler.extraction import extract_article
from newscrawler.extraction.authors import labelled_names, opens_byline
from newscrawler.extraction.headerzone import find_anchor
from newscrawler.extraction.shown_dates import (
    MODIFIED,
    PUBLISHED,
    class_kind,
    header_dates,
    is_month_first,
    key_kind,
    label_kind,
    labelled_dates,
    line_dates,
    read_date,
)

NOW = datetime(2025, 12, 31, tzinfo=UTC)
PROSE = "<p>" + "The council met on Tuesday to discuss the new plan for the harbour. " * 4 + "</p>"


@pytest.mark.parametrize(
    ("text", "language", "day", "has_time"),
    [
        ("Published on March 3, 2025", "en", "2025-03-03", False),
        ("Posted on Friday, December 19th, 2025 at 3:00 pm", "en", "2025-12-19", True),
        ("3 Mar. 2025", "en", "2025-03-03", False),
        ("Publié le 3 mars 2024 à 14h05", "fr", "2024-03-03", True),
        ("Mis à jour le 1er avril 2024", "fr", "2024-04-01", False),
        ("Veröffentlicht am 3. März 2024, 14:05 Uhr", "de", "2024-03-03", True),
        ("Aktualisiert: 24.11.2024", "de", "2024-11-24", False),
        ("Publicado el 12 de marzo de 2024", "es", "2024-03-12", False),
        ("Pubblicato il 5 giugno 2024", "it", "2024-06-05", False),
        ("Publicado em 7 de maio de 2024", "pt", "2024-05-07", False),
        ("2024年3月12日 10:30", "ja", "2024-03-12", True),
        ("Last updated 2025-02-22", "en", "2025-02-22", False),
        ("Updated: 10/31/2024", "en", "2024-10-31", False),
        ("DECEMBER 22, 2022", "en", "2022-12-22", False),
        ("Gepubliceerd op 3 maart 2024", "nl", "2024-03-03", False),
    ],
)
def test_read_date_forms(text: str, language: str, day: str, has_time: bool) -> None:
    found = read_date(text, language)
    assert found is not None
    assert found[0].date().isoformat() == day
    assert found[1] is has_time


@pytest.mark.parametrize(
    "text", ["Top 10 phones of 2025", "Version 2.0 (2024)", "Call 2024 3312", "March Madness 2024"]
)
def test_read_date_ignores_years_alone(text: str) -> None:
    assert read_date(text, "en") is None


def test_numeric_order_follows_the_region() -> None:
    assert read_date("03/10/2023", "en", is_month_first("en-US", "en"))[0].month == 3  # type: ignore[index]
    assert read_date("03/10/2023", "en", is_month_first("en-GB", "en"))[0].month == 10  # type: ignore[index]
    assert read_date("03.10.2023", "en", True)[0].month == 10  # type: ignore[index]  # dots: day first
    assert read_date("13/10/2023", "en", True)[0].month == 10  # type: ignore[index]  # impossible month


@pytest.mark.parametrize(
    ("before", "kind"),
    [
        ("Published:", PUBLISHED),
        ("Zuletzt aktualisiert am", MODIFIED),
        ("Mis à jour le", MODIFIED),
        ("Publicado el", PUBLISHED),
        ("By Jane Doe ·", ""),
        ("Updated by Jon Roe · Originally published", PUBLISHED),
    ],
)
def test_label_kind(before: str, kind: str) -> None:
    assert label_kind(before) == kind


@pytest.mark.parametrize(
    ("markup", "kind"),
    [
        ('<span class="entry-date published">x</span>', PUBLISHED),
        ('<span class="posted-on"><time>x</time></span>', PUBLISHED),
        ('<div class="field--name-changed">x</div>', MODIFIED),
        ('<span class="ArticleHeader_updatedAt__x9">x</span>', MODIFIED),
        ('<span itemprop="datePublished">x</span>', PUBLISHED),
        ('<span class="date">x</span>', ""),
    ],
)
def test_class_kind(markup: str, kind: str) -> None:
    el = fromstring(f"<div>{markup}</div>")
    inner = next(e for e in el.iter() if e.text == "x")
    assert class_kind(inner) == kind


def test_key_kind_reads_vendor_meta_names() -> None:
    assert key_kind("x-publish-date") == PUBLISHED
    assert key_kind("lastModifiedDate") == MODIFIED
    assert key_kind("og:title") == ""


def test_line_with_two_dates_keeps_each_label() -> None:
    dates = line_dates("Published 1 March 2024 | Updated 5 March 2024, 10:00", "en")
    assert [(d.day, kind, has_time) for d, has_time, kind in dates] == [
        (1, PUBLISHED, False),
        (5, MODIFIED, True),
    ]


def _page(body: str, lang: str = "en") -> tuple[HtmlElement, HtmlElement | None]:
    tree = fromstring(
        f'<html lang="{lang}"><head><title>x 2020</title></head><body>{body}</body></html>'
    )
    return tree, tree.find(".//h1")


def test_header_dates_nearest_first_and_regions_left_out() -> None:
    tree, h1 = _page(
        '<div class="related"><a>Old story</a> <span>May 1, 2020</span></div>'
        "<article><h1>Storm closes the harbour road 2024</h1>"
        "<p><span>Jane Doe</span> <span>12 March 2024</span></p>"
        + PROSE
        + '<div class="comments"><p>Reply · 13 March 2024</p></div></article>'
        "<footer><p>© 2024 · 1 January 2024</p></footer>"
    )
    found = header_dates(tree, h1, "en")
    assert [d.value.date().isoformat() for d in found] == ["2024-03-12"]
    assert found[0].kind == "" and found[0].distance > 0


def test_article_footer_is_the_articles_own() -> None:
    tree, h1 = _page(
        "<article><h1>Title</h1>" + PROSE + '<footer class="author__meta">'
        "<span>Ann Lee</span> <span>March 30, 2023</span></footer></article>"
    )
    assert [d.value.day for d in header_dates(tree, h1, "en")] == [30]


def test_layout_wrapper_with_sidebar_class_still_holds_the_header() -> None:
    tree, h1 = _page(
        '<section class="m-article m-article--sidebar-right"><h1>Title</h1>'
        "<div><span>by Ann Lee on Jan 22, 2025</span></div>" + PROSE + "</section>"
    )
    assert [d.value.date().isoformat() for d in header_dates(tree, h1, "en")] == ["2025-01-22"]


def test_labelled_dates_anywhere_need_a_label_or_time_element() -> None:
    tree, h1 = _page(
        "<main><h1>Title</h1>" + PROSE * 3 + "<p><small>Posted on April 13, 2023</small></p>"
        "<p>Back in April 14, 2023 it rained.</p><p><time>2 May 2023</time></p></main>"
        "<div><p>Posted on May 9, 2023</p></div>"
    )
    found = labelled_dates(tree, h1, "en")
    assert [(d.value.day, d.kind) for d in found] == [(2, ""), (13, PUBLISHED)]
    bare, _ = _page("<h1>Title</h1><p>Posted on April 13, 2023</p>")
    assert labelled_dates(bare, None, "en") == []  # no article or main: not read


def test_anchor_is_the_element_printing_the_headline() -> None:
    tree, _ = _page("<div class='box'><div>Site</div><div><b>Storm closes road</b></div></div>")
    anchor = find_anchor(tree, "Storm  closes road")
    assert anchor is not None and anchor.tag == "b"
    assert find_anchor(tree, "Something else") is None


def _extract(body: str, lang: str = "en", head: str = "") -> dict[str, object]:
    html = f'<html lang="{lang}"><head>{head}</head><body><article>{body}</article></body></html>'
    return extract_article(html, "https://paper.example/news/1", now=NOW)


def test_metadata_date_wins_over_the_shown_date() -> None:
    head = '<meta property="article:published_time" content="2024-01-05T08:00:00Z">'
    got = _extract("<h1>Title</h1><p>Updated 9 May 2024</p>" + PROSE, head=head)
    assert got["date_published"] == "2024-01-05T08:00:00+00:00"


def test_shown_date_and_updated_date() -> None:
    got = _extract("<h1>Title</h1><p>March 1, 2024 · Updated March 5, 2024</p>" + PROSE)
    assert (got["date_published"], got["date_modified"]) == ("2024-03-01", "2024-03-05")


def test_future_shown_date_is_not_taken() -> None:
    got = _extract("<h1>Title</h1><p>Event on March 1, 2030</p>" + PROSE)
    assert got["date_published"] is None


def test_date_in_the_url_when_the_page_shows_none() -> None:
    html = "<html><body><h1>Title</h1>" + PROSE + "</body></html>"
    got = extract_article(html, "https://paper.example/2024/03/12/title", now=NOW)
    assert got["date_published"] == "2024-03-12"


def test_relative_date_counts_from_now() -> None:
    got = _extract('<h1>Titel</h1><p class="date">vor 2 Tagen</p>' + PROSE, lang="de")
    assert got["date_published"] is not None
    assert got["date_published"][:10] == "2025-12-29"


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("By Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
        ("Author: Jane Doe", ["Jane Doe"]),
        ("Par Marie Dupont, le 3 mars 2024", ["Marie Dupont"]),
        ("Von Max Muster, 3. März 2024, 14:05 Uhr", ["Max Muster"]),
        ("Por Ana López", ["Ana López"]),
        ("By the end of the week", []),
        ("Bypass road opens", []),
    ],
)
def test_labelled_names(line: str, names: list[str]) -> None:
    assert labelled_names(line) == names


def test_labelled_byline_is_read_only_when_metadata_names_nobody() -> None:
    head = '<meta name="author" content="Ann Lee">'
    body = "<h1>Title</h1><p>By Jane Doe</p>" + PROSE
    assert _extract(body, head=head)["authors"] == ["Ann Lee"]
    assert _extract(body)["authors"] == ["Jane Doe"]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120), st.sampled_from(["en", "de", "fr", "es", "ja", None]))
def test_read_date_never_raises(text: str, language: str | None) -> None:
    found = read_date(text, language)
    if found is not None:
        value, _, start, end = found
        assert 1900 <= value.year <= 2099
        assert 0 <= start <= end <= len(text) + 10


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_opens_byline_never_raises(text: str) -> None:
    assert opens_byline(text) in (True, False)


@pytest.mark.parametrize(
    ("lang", "line", "day"),
    [
        ("en", "<p><span>Jane Doe</span> · <span>2 days ago</span></p>", "2025-12-29"),
        ("de", "<p>Max Muster, vor 3 Stunden</p>", "2025-12-30"),
        ("es", "<span>hace 2 días</span>", "2025-12-29"),
    ],
)
def test_relative_date_beside_the_byline(lang: str, line: str, day: str) -> None:
    got = _extract("<h1>A headline long enough</h1>" + line + PROSE, lang=lang)
    assert isinstance(got["date_published"], str) and got["date_published"][:10] == day
