"""Sitemaps: robots.txt lines, indexes, gzip, lastmod, and Google News entries (news:*)."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from newscrawler.discovery.sitemaps import parse_sitemap, robots_sitemaps

NEWS = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url>
    <loc>https://news.example/2024/05/02/council-votes/</loc>
    <lastmod>2024-05-02T12:00:00+02:00</lastmod>
    <image:image><image:loc>https://news.example/a.jpg</image:loc></image:image>
    <news:news>
      <news:publication><news:name>Example</news:name><news:language>fr-FR</news:language></news:publication>
      <news:publication_date>2024-05-02T10:30:00+02:00</news:publication_date>
      <news:title>Le conseil vote le budget</news:title>
      <news:keywords>budget, conseil municipal, , vote</news:keywords>
    </news:news>
  </url>
  <url><loc>/relative/page/</loc></url>
  <url><lastmod>2024-05-02</lastmod></url>
</urlset>"""


def test_robots_sitemap_lines_any_case_relative_and_commented() -> None:
    text = "User-agent: *\nDisallow: /x\nSITEMAP: https://a.ex/s1.xml\nsitemap:/s2.xml # main\n"
    assert robots_sitemaps(text, "https://a.ex/robots.txt") == [
        "https://a.ex/s1.xml",
        "https://a.ex/s2.xml",
    ]


def test_google_news_entry_fields() -> None:
    sitemap = parse_sitemap(NEWS, "https://news.example/news.xml")
    assert sitemap is not None and not sitemap.is_index
    first = sitemap.entries[0]
    assert first.loc == "https://news.example/2024/05/02/council-votes/"
    assert first.news is not None
    assert first.news.publication_date == datetime(2024, 5, 2, 8, 30, tzinfo=UTC)
    assert first.news.title == "Le conseil vote le budget"
    assert first.news.language == "fr-FR"
    assert first.news.keywords == ("budget", "conseil municipal", "vote")
    assert first.lastmod == datetime(2024, 5, 2, 10, 0, tzinfo=UTC)
    assert first.date == first.news.publication_date  # the news date wins over lastmod


def test_google_news_hints_use_schema_field_names() -> None:
    sitemap = parse_sitemap(NEWS, "https://news.example/news.xml")
    assert sitemap is not None
    assert sitemap.entries[0].hints() == {
        "date_published": "2024-05-02T10:30:00+02:00",
        "headline": "Le conseil vote le budget",
        "language": "fr",
        "tags": ["budget", "conseil municipal", "vote"],
    }


def test_relative_loc_resolved_and_entries_without_loc_skipped() -> None:
    sitemap = parse_sitemap(NEWS, "https://news.example/news.xml")
    assert sitemap is not None
    assert [e.loc for e in sitemap.entries] == [
        "https://news.example/2024/05/02/council-votes/",
        "https://news.example/relative/page/",
    ]
    assert sitemap.entries[1].news is None and sitemap.entries[1].hints() == {}


def test_gzip_sitemap_index() -> None:
    index = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <sitemap><loc>https://a.ex/posts.xml.gz</loc><lastmod>2024-05-01</lastmod></sitemap>
    <sitemap><loc>https://a.ex/pages.xml</loc></sitemap></sitemapindex>"""
    sitemap = parse_sitemap(gzip.compress(index))
    assert sitemap is not None and sitemap.is_index
    assert [(e.loc, e.lastmod) for e in sitemap.entries] == [
        ("https://a.ex/posts.xml.gz", datetime(2024, 5, 1, tzinfo=UTC)),
        ("https://a.ex/pages.xml", None),
    ]


def test_not_a_sitemap() -> None:
    assert parse_sitemap(b"<html><body>Not found</body></html>") is None
    assert parse_sitemap(b"") is None
    assert parse_sitemap(b'<?xml version="1.0"?><rss><channel/></rss>') is None


def test_unreadable_dates_are_none_not_errors() -> None:
    body = b"""<urlset><url><loc>https://a.ex/x</loc><lastmod>yesterday</lastmod></url></urlset>"""
    sitemap = parse_sitemap(body)
    assert sitemap is not None and sitemap.entries[0].lastmod is None


offsets = st.integers(min_value=-12 * 60, max_value=14 * 60).map(
    lambda m: timezone(timedelta(minutes=m))
)
moments = st.datetimes(
    min_value=datetime(1995, 1, 1), max_value=datetime(2100, 1, 1), timezones=offsets
).map(lambda d: d.replace(microsecond=0))


@given(moments)
def test_publication_date_round_trips_through_the_sitemap(moment: datetime) -> None:
    body = (
        '<urlset xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url>'
        "<loc>https://a.ex/x</loc><news:news>"
        f"<news:publication_date>{moment.isoformat()}</news:publication_date>"
        "</news:news></url></urlset>"
    ).encode()
    sitemap = parse_sitemap(body)
    assert sitemap is not None
    assert sitemap.entries[0].date == moment
