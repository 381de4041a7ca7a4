"""Discovery parsers at their boundaries: size caps at the limit and one past it, entry caps,
partial dates, robots.txt comments, news-sitemap languages. Found by `make mutate`: each test
pins one decision that no other test distinguished from its neighbour."""

from __future__ import annotations

import gzip
import logging
from datetime import UTC, datetime

import pytest

from newscrawler.discovery import sitemaps
from newscrawler.discovery.dates import parse_date
from newscrawler.discovery.sitemaps import iter_sitemap, parse_sitemap, robots_sitemaps
from newscrawler.discovery.xml import XmlTooLarge, iter_top_level, maybe_gunzip, parse_xml

DOC = b"<urlset><url><loc>https://ex.com/a</loc></url></urlset>"


# --- size caps: the limit itself passes, one byte more is refused, and the message says so -----
@pytest.mark.parametrize("parse", [parse_xml, iter_top_level])
def test_a_document_of_exactly_the_cap_is_read_one_byte_more_is_refused(parse: object) -> None:
    assert callable(parse)
    assert parse(DOC, len(DOC)) is not None
    with pytest.raises(XmlTooLarge, match=rf"^XML document exceeds {len(DOC) - 1} bytes$"):
        parse(DOC, len(DOC) - 1)


def test_a_gzip_body_decompressing_to_exactly_the_cap_is_read() -> None:
    packed = gzip.compress(DOC)
    assert maybe_gunzip(packed, len(DOC)) == DOC
    with pytest.raises(XmlTooLarge, match=rf"^decompressed XML exceeds {len(DOC) - 1} bytes$"):
        maybe_gunzip(packed, len(DOC) - 1)


@pytest.mark.parametrize("parse", [parse_xml, iter_top_level])
def test_the_cap_applies_to_the_decompressed_size(parse: object) -> None:
    assert callable(parse)
    with pytest.raises(XmlTooLarge, match="decompressed"):
        parse(gzip.compress(DOC), len(DOC) - 1)


@pytest.mark.parametrize("parse", [parse_xml, iter_top_level])
def test_whitespace_before_the_xml_declaration_is_tolerated(parse: object) -> None:
    assert callable(parse)
    assert parse(b'\n  <?xml version="1.0"?>' + DOC) is not None


def test_broken_bytes_end_the_stream_with_one_warning_naming_the_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    broken = b"<urlset>\n<url><loc>a</loc></url>\n<url><loc>b</loc></url>\n" + b"\x00" * 10
    streamed = iter_top_level(broken)
    assert streamed is not None
    with caplog.at_level(logging.WARNING, logger="newscrawler.discovery.xml"):
        children = [child.tag for child in streamed[1]]
    assert children == ["url", "url"]
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 1, "said once per document"
    assert messages[0].startswith("malformed XML recovered (21 errors; first at line 4: ")


def test_children_are_the_top_level_elements_only_in_order() -> None:
    doc = b"<r><a><b><c/></b></a><d/><e><a/></e></r>"
    streamed = iter_top_level(doc)
    assert streamed is not None
    assert [child.tag for child in streamed[1]] == ["a", "d", "e"]


# --- sitemaps ------------------------------------------------------------------------------------
def urlset(*locs: str) -> bytes:
    entries = "".join(f"<url><loc>{loc}</loc></url>" if loc else "<url/>" for loc in locs)
    return (
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'.encode()
    )


def test_at_most_max_entries_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sitemaps, "MAX_ENTRIES", 3)
    found = parse_sitemap(urlset(*(f"https://ex.com/{n}" for n in range(6))))
    assert found is not None
    assert [e.loc for e in found.entries] == [f"https://ex.com/{n}" for n in range(3)]


def test_entries_without_loc_and_foreign_elements_are_skipped_not_the_end() -> None:
    doc = urlset("", "https://ex.com/a").replace(b"</urlset>", b"<other/><url><loc>/b</loc></url>")
    found = iter_sitemap(doc + b"</urlset>", "https://ex.com/")
    assert found is not None
    assert [e.loc for e in found[1]] == ["https://ex.com/a", "https://ex.com/b"]


def test_an_index_has_no_news_and_a_urlset_entry_may() -> None:
    index = (
        b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<sitemap><loc>https://ex.com/s1.xml</loc><news><title>x</title></news></sitemap>"
        b"</sitemapindex>"
    )
    found = parse_sitemap(index)
    assert found is not None and found.is_index
    assert [e.news for e in found.entries] == [None]


NEWS = """<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>https://ex.com/a</loc>
<news:news><news:publication><news:name>Ex</news:name><news:language>{language}</news:language>
</news:publication>{extra}</news:news></url></urlset>"""


@pytest.mark.parametrize(
    ("language", "hint"),
    [("pt-BR", "pt"), ("ZH-Hant", "zh"), ("fil", "fil"), ("Klingon", "kli"), ("de", "de")],
)
def test_news_language_hint_is_the_primary_subtag(language: str, hint: str) -> None:
    found = parse_sitemap(NEWS.format(language=language, extra="").encode())
    assert found is not None
    assert found.entries[0].hints() == {"language": hint}


def test_news_without_keywords_or_language_has_none() -> None:
    doc = NEWS.format(language="", extra="").replace("<news:language></news:language>", "")
    found = parse_sitemap(doc.encode())
    assert found is not None
    news = found.entries[0].news
    assert news is not None
    assert (news.language, news.keywords) == (None, ())


@pytest.mark.parametrize(
    ("line", "url"),
    [
        ("Sitemap: https://ex.com/s.xml # the main one", "https://ex.com/s.xml"),
        ("Sitemap: https://ex.com/s.xml#a#b", "https://ex.com/s.xml"),
        ("SITEMAP:/news.xml", "https://ex.com/news.xml"),
    ],
)
def test_robots_sitemap_lines_drop_comments(line: str, url: str) -> None:
    assert robots_sitemaps(f"User-agent: *\n{line}\n", "https://ex.com/robots.txt") == [url]


# --- dates ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024", datetime(2024, 1, 1, tzinfo=UTC)),
        ("2024-05", datetime(2024, 5, 1, tzinfo=UTC)),
        ("2024-05-02", datetime(2024, 5, 2, tzinfo=UTC)),
        ("2024-05-02T10:00:00", datetime(2024, 5, 2, 10, tzinfo=UTC)),  # no zone: UTC
        ("2024-05-02T10:00:00Z", datetime(2024, 5, 2, 10, tzinfo=UTC)),
        ("Thu, 02 May 2024 08:00:00", datetime(2024, 5, 2, 8, tzinfo=UTC)),
    ],
)
def test_partial_and_zoneless_dates(text: str, expected: datetime) -> None:
    parsed = parse_date(text)
    assert parsed == expected
    assert parsed is not None and parsed.tzinfo is not None
