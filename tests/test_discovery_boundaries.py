"""Discovery parsers at their boundaries: size caps at the limit and one past it, entry caps,
partial dates, robots.txt comments, news-sitemap languages. Found by `make mutate`: each test
pins one decision that no other test distinguished from its neighbour."""

from __future__ import annotations

import gzip
import logging
from datetime import UTC, datetime

import pytest
from lxml import etree
from parsel import Selector

from newscrawler.discovery import sitemaps
from newscrawler.discovery.dates import parse_date, parse_since
from newscrawler.discovery.links import absolute, anchors, is_amp_page, next_pages
from newscrawler.discovery.sitemaps import iter_sitemap, parse_sitemap, robots_sitemaps
from newscrawler.discovery.syndication import FeedEntry, parse_feed
from newscrawler.discovery.xml import (
    XmlTooLarge,
    iter_top_level,
    local_name,
    maybe_gunzip,
    namespace,
    parse_xml,
    text_of,
)

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


# --- feeds ---------------------------------------------------------------------------------------
ATOM_NS = 'xmlns="http://www.w3.org/2005/Atom"'


def one_entry(entry: str) -> FeedEntry:
    entries = parse_feed(f"<feed {ATOM_NS}><entry>{entry}</entry></feed>".encode())
    assert entries is not None and len(entries) == 1
    return entries[0]


@pytest.mark.parametrize(
    ("links", "expected"),
    [
        ('<link href="https://ex.com/a/"/>', "https://ex.com/a/"),  # no rel: alternate
        ('<link rel="self" href="https://ex.com/api"/><link href="https://ex.com/b/"/>',
         "https://ex.com/b/"),
        ('<link rel="self" href="https://ex.com/api"/>', "https://ex.com/api"),  # the only one
        ('<link rel="alternate"/><link rel="self" href="https://ex.com/c"/>', "https://ex.com/c"),
    ],
)  # fmt: skip
def test_atom_link_prefers_alternate_then_any_href(links: str, expected: str) -> None:
    assert one_entry(f"<title>T</title>{links}").link == expected


def test_atom_entry_without_any_href_is_dropped() -> None:
    feed = f'<feed {ATOM_NS}><entry><link rel="alternate"/></entry></feed>'.encode()
    assert parse_feed(feed) == []


def test_atom_categories_without_term_and_blank_titles() -> None:
    entry = one_entry('<link href="/x/"/><title>  </title><category/><category term=" Roads "/>')
    assert entry.tags == ("Roads",)
    assert entry.title is None


@pytest.mark.parametrize(
    ("dates", "updated"),
    [
        ("<modified>2024-05-04T00:00:00Z</modified>", datetime(2024, 5, 4, tzinfo=UTC)),
        ("<updated>2024-05-05T00:00:00Z</updated>", datetime(2024, 5, 5, tzinfo=UTC)),
        (
            "<modified>2024-05-04T00:00:00Z</modified><updated>2024-05-05T00:00:00Z</updated>",
            datetime(2024, 5, 4, tzinfo=UTC),
        ),
    ],
)
def test_rss_updated_from_modified_else_updated(dates: str, updated: datetime) -> None:
    feed = f"<rss><channel><item><link>https://ex.com/a/</link>{dates}</item></channel></rss>"
    entries = parse_feed(feed.encode())
    assert entries is not None
    assert entries[0].updated == updated


def test_rdf_items_inside_and_outside_the_channel_are_read() -> None:
    rdf = (
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        b'xmlns="http://purl.org/rss/1.0/"><channel><item><link>https://ex.com/in/</link></item>'
        b"</channel><item><link>https://ex.com/out/</link></item></rdf:RDF>"
    )
    entries = parse_feed(rdf)
    assert entries is not None
    assert sorted(e.link for e in entries) == ["https://ex.com/in/", "https://ex.com/out/"]


# --- links ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("/a", "https://ex.com/a"),
        ("   ", None),
        ("", None),
        (None, None),
        ("http://other.example/b", "http://other.example/b"),
        ("ftp://ex.com/f", None),
        ("mailto:a@ex.com", None),
        ("http:///nohost", None),
        ("https://ex.com:99999/", None),  # a malformed port
    ],
)
def test_absolute(href: str | None, expected: str | None) -> None:
    assert absolute(href, "https://ex.com/") == expected


@pytest.mark.parametrize(
    ("html", "amp"),
    [
        ("<html amp><head></head><body>x</body></html>", True),
        ("<html ⚡><body>x</body></html>", True),
        ("<html lang='en'><body>x</body></html>", False),
        ("<!-- a comment first --><html amp><body>x</body></html>", True),
    ],
)
def test_is_amp_page(html: str, amp: bool) -> None:
    assert is_amp_page(Selector(text=html)) is amp


def test_is_amp_page_of_a_document_whose_root_is_not_html() -> None:
    assert is_amp_page(Selector(text="<svg amp='1'></svg>", type="xml")) is False


LISTING = """<html><head><link rel="next" href="/news/page/2/"></head><body>
<a href="/news/page/2/">2</a> <a href="/news/page/3/">3</a> <a href="/sport/page/2/">Sport 2</a>
<a rel="next nofollow" href="/news/page/2/?x">next</a> <a href="/news/page/1/">1</a>
</body></html>"""


def test_next_pages_are_rel_next_and_the_next_number_of_the_same_listing() -> None:
    found = next_pages(Selector(text=LISTING), "https://ex.com/news/")
    assert found == ["https://ex.com/news/page/2/", "https://ex.com/news/page/2/?x"]


def test_next_pages_from_page_two_and_never_the_page_itself() -> None:
    html = '<html><body><a rel="next" href="">self</a><a href="/news/page/3">3</a></body></html>'
    assert next_pages(Selector(text=html), "https://ex.com/news/page/2/") == [
        "https://ex.com/news/page/3"
    ]


def test_next_pages_resolve_against_the_base_element() -> None:
    linked = (
        '<html><head><base href="/news/"></head>'
        '<body><a rel="next" href="page/2/">n</a><a href="page/2/">2</a></body></html>'
    )
    assert next_pages(Selector(text=linked), "https://ex.com/news/") == [
        "https://ex.com/news/page/2/"
    ]


def test_news_without_a_publication_block_has_no_language() -> None:
    doc = NEWS.format(language="de", extra="").replace("<news:publication>", "<x>")
    doc = doc.replace("</news:publication>", "</x>")
    found = parse_sitemap(doc.encode())
    assert found is not None
    news = found.entries[0].news
    assert news is not None and news.language is None


def test_whitespace_before_the_declaration_streams_every_child_without_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    streamed = iter_top_level(b'\n  <?xml version="1.0"?>' + DOC)
    assert streamed is not None
    with caplog.at_level(logging.WARNING, logger="newscrawler.discovery.xml"):
        assert [child.tag for child in streamed[1]] == ["url"]
    assert caplog.records == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-01", datetime(2024, 5, 1, tzinfo=UTC)),
        (" 2024-05-01T06:30:00+02:00 ", datetime(2024, 5, 1, 4, 30, tzinfo=UTC)),
    ],
)
def test_since_takes_an_iso_date_or_datetime(text: str, expected: datetime) -> None:
    assert parse_since(text) == expected


@pytest.mark.parametrize("text", ["2024-05", "2024", "yesterday", "", "Thu, 02 May 2024 08:00:00"])
def test_since_refuses_anything_but_a_full_iso_date(text: str) -> None:
    with pytest.raises(
        ValueError, match=rf"^since must be an ISO date such as 2024-05-01, got {text!r}$"
    ):
        parse_since(text)


def test_namespace_and_local_name_of_elements_comments_and_plain_tags() -> None:
    root = etree.fromstring(b'<a:r xmlns:a="urn:x"><Plain/><!-- c --></a:r>')
    plain, comment = root[0], root[1]
    assert (namespace(root), local_name(root)) == ("urn:x", "r")
    assert (namespace(plain), local_name(plain)) == ("", "plain")
    assert (namespace(comment), local_name(comment)) == ("", "")


def test_text_of_joins_mixed_content_as_is() -> None:
    assert text_of(etree.fromstring(b"<t> a <b>c</b>d </t>")) == "a cd"


def test_blank_rss_categories_are_not_tags() -> None:
    feed = (
        b"<rss><channel><item><link>https://ex.com/a/</link><category>  </category>"
        b"<category> Town </category><category/></item></channel></rss>"
    )
    entries = parse_feed(feed)
    assert entries is not None
    assert entries[0].tags == ("Town",)


def test_next_pages_compare_listing_paths_without_their_trailing_slash_only() -> None:
    html = (
        '<html><body><a href="/tech/UX/page/2/">2</a><a href="/tech/U/page/2/">x</a></body></html>'
    )
    assert next_pages(Selector(text=html), "https://ex.com/tech/UX/") == [
        "https://ex.com/tech/UX/page/2/"
    ]


def test_anchors_are_absolute_against_the_page_url() -> None:
    html = '<a href="/a">a</a><a href="b">b</a><a href="mailto:x@ex.com">m</a>'
    assert anchors(Selector(text=html), "https://ex.com/news/x") == [
        "https://ex.com/a",
        "https://ex.com/news/b",
    ]


def test_without_a_base_url_a_relative_loc_stays_as_written() -> None:
    doc = b"<urlset><url><loc>?p=1</loc></url><url><loc>/a</loc></url></urlset>"
    found = parse_sitemap(doc)
    assert found is not None
    assert [entry.loc for entry in found.entries] == ["?p=1", "/a"]


def test_iter_sitemap_and_parse_feed_without_a_base_url_keep_relative_links() -> None:
    streamed = iter_sitemap(b"<urlset><url><loc>?p=1</loc></url></urlset>")
    assert streamed is not None
    assert [entry.loc for entry in streamed[1]] == ["?p=1"]
    feed = parse_feed(b"<rss><channel><item><link>?p=2</link></item></channel></rss>")
    assert feed is not None and [entry.link for entry in feed] == ["?p=2"]


# --- feed authors and tags ------------------------------------------------------------------
ATOM = b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="/a"/>%s</entry></feed>'


@pytest.mark.parametrize(
    ("entry", "authors"),
    [
        # Atom: the <name>, never the e-mail address; an author without a name names nobody
        (b"<author><name>Anna Schmidt</name><email>anna@x.org</email></author>", ("Anna Schmidt",)),
        (b"<author><email>desk@x.org</email></author>", ()),
    ],
)
def test_atom_authors(entry: bytes, authors: tuple[str, ...]) -> None:
    [found] = parse_feed(ATOM % entry, "https://ex.com/") or []
    assert found.authors == authors


@pytest.mark.parametrize(
    ("item", "authors"),
    [
        (b"<author>Jane Doe</author>", ("Jane Doe",)),  # a plain name, no e-mail address
        (b"<author>desk@x.org</author>", ()),
        (b"<author>desk@x.org (  )</author>", ()),  # blank parentheses name nobody either
        (b"<dc:creator>  </dc:creator><dc:creator>Marc\n Dubois</dc:creator>", ("Marc Dubois",)),
    ],
)
def test_rss_authors(item: bytes, authors: tuple[str, ...]) -> None:
    rss = (
        b'<rss xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><item><link>/a</link>'
        + item
        + b"</item></channel></rss>"
    )
    [found] = parse_feed(rss, "https://ex.com/") or []
    assert found.authors == authors


def test_blank_atom_category_terms_are_no_tags() -> None:
    entry = b'<category term=" "/><category/><category term=" World "/>'
    [found] = parse_feed(ATOM % entry, "https://ex.com/") or []
    assert found.tags == ("World",)


# --- XML details ------------------------------------------------------------------------------
def test_a_recoverable_error_is_reported_with_libxml2s_own_message(
    caplog: pytest.LogCaptureFixture,
) -> None:
    doc = b"<urlset><x:url><loc>a</loc></x:url><url><loc>b</loc></url></urlset>"
    streamed = iter_top_level(doc)
    assert streamed is not None
    with caplog.at_level(logging.WARNING, logger="newscrawler.discovery.xml"):
        assert len(list(streamed[1])) == 2
    [message] = [r.getMessage() for r in caplog.records]
    # libxml2 names the problem (its wording may vary by version; the prefix is in it)
    assert message.startswith("malformed XML recovered (1 errors; first at line 1: Namespace")
    assert "prefix x " in message


def test_a_declared_encoding_is_honoured_after_leading_whitespace() -> None:
    root = parse_xml(b'\n  <?xml version="1.0" encoding="ISO-8859-1"?><a>caf\xe9</a>')
    assert root is not None and root.text == "café"


def test_rfc3339_lower_case_t_and_z_are_read() -> None:
    assert parse_date("2024-05-02t10:00:00z") == datetime(2024, 5, 2, 10, tzinfo=UTC)
    assert parse_date("2024-05-02T10:00:00Z") == datetime(2024, 5, 2, 10, tzinfo=UTC)


def test_a_sitemap_larger_than_the_parsers_read_chunks_streams_every_entry_whole() -> None:
    # lxml reads 32 KiB at a time: entries straddling a chunk edge must come out complete
    urls = b"".join(
        b"<url><loc>https://ex.com/news/%d</loc><lastmod>2024-05-02</lastmod></url>" % n
        for n in range(3000)
    )
    streamed = iter_sitemap(b"<urlset>" + urls + b"</urlset>")
    assert streamed is not None
    entries = list(streamed[1])
    assert [e.loc for e in entries] == [f"https://ex.com/news/{n}" for n in range(3000)]
    assert all(e.lastmod == datetime(2024, 5, 2, tzinfo=UTC) for e in entries)
