"""Feeds: RSS 2.0, Atom and RDF entries with their link, date, title and categories."""

from __future__ import annotations

import gzip
import zlib
from datetime import UTC, datetime
from html import escape

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newscrawler.discovery.sitemaps import Sitemap, parse_sitemap
from newscrawler.discovery.syndication import FeedEntry, parse_feed
from newscrawler.discovery.xml import GZIP_MAGIC

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Ex</title>
<item><title> Council  votes </title><link>https://a.ex/council-votes/</link>
<pubDate>Thu, 02 May 2024 08:00:00 GMT</pubDate>
<category>Town</category><category>Budget</category></item>
<item><title>Guid only</title><guid>https://a.ex/guid-only/</guid></item>
<item><title>Not a permalink</title><guid isPermaLink="false">urn:x:1</guid></item>
<item><title>Relative</title><link>/relative/</link></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Ex</title>
<entry><title>Bridge</title><link rel="self" href="https://a.ex/api/1"/>
<link rel="alternate" href="https://a.ex/bridge/"/><published>2024-05-03T10:00:00+02:00</published>
<updated>2024-05-04T10:00:00+02:00</updated><category term="Roads"/></entry>
<entry><title>Updated only</title><link href="https://a.ex/updated/"/><updated>2024-05-05T00:00:00Z</updated></entry>
</feed>"""

RDF = b"""<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://a.ex/"><title>Ex</title></channel>
<item rdf:about="https://a.ex/rdf-story/"><title>RDF story</title><link>https://a.ex/rdf-story/</link>
<dc:date>2024-05-06T08:00:00Z</dc:date><dc:subject>Science</dc:subject></item>
</rdf:RDF>"""


def test_rss_items() -> None:
    entries = parse_feed(RSS, "https://a.ex/feed/")
    assert entries is not None
    assert [e.link for e in entries] == [
        "https://a.ex/council-votes/",
        "https://a.ex/guid-only/",
        "https://a.ex/relative/",
    ]
    first = entries[0]
    assert first.title == "Council votes"
    assert first.published == datetime(2024, 5, 2, 8, 0, tzinfo=UTC)
    assert first.tags == ("Town", "Budget")
    assert first.hints() == {
        "date_published": "2024-05-02T08:00:00+00:00",
        "headline": "Council votes",
        "tags": ["Town", "Budget"],
    }


def test_atom_entries_prefer_the_alternate_link_and_published_date() -> None:
    entries = parse_feed(ATOM)
    assert entries is not None
    bridge, updated = entries
    assert bridge.link == "https://a.ex/bridge/"
    assert bridge.published == datetime(2024, 5, 3, 8, 0, tzinfo=UTC)
    assert bridge.updated == datetime(2024, 5, 4, 8, 0, tzinfo=UTC)
    assert bridge.tags == ("Roads",)
    assert updated.link == "https://a.ex/updated/"
    assert updated.published == datetime(2024, 5, 5, tzinfo=UTC)


def test_rdf_items() -> None:
    entries = parse_feed(RDF)
    assert entries is not None
    assert [(e.link, e.published, e.tags) for e in entries] == [
        ("https://a.ex/rdf-story/", datetime(2024, 5, 6, 8, 0, tzinfo=UTC), ("Science",))
    ]


def test_not_a_feed() -> None:
    assert parse_feed(b"<!doctype html><html><body>404</body></html>") is None
    assert parse_feed(b"") is None
    assert parse_feed(b"<urlset/>") is None


def test_empty_feed_is_an_empty_list() -> None:
    assert parse_feed(b'<rss version="2.0"><channel><title>x</title></channel></rss>') == []


titles = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(
    lambda t: t.strip()
)
slugs = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=20)


@given(st.lists(st.tuples(slugs, titles), min_size=1, max_size=5))
def test_rss_round_trip(items: list[tuple[str, str]]) -> None:
    body = "".join(
        f"<item><title>{escape(title)}</title><link>https://a.ex/{slug}/</link></item>"
        for slug, title in items
    )
    entries = parse_feed(f'<rss version="2.0"><channel>{body}</channel></rss>'.encode())
    assert entries is not None
    assert [(e.link, e.title) for e in entries] == [
        (f"https://a.ex/{slug}/", " ".join(title.split())) for slug, title in items
    ]


@given(st.binary(max_size=300).filter(lambda data: not data.startswith(GZIP_MAGIC)))
def test_arbitrary_bytes_are_a_feed_a_sitemap_or_none_never_an_error(data: bytes) -> None:
    feed = parse_feed(data)
    assert feed is None or all(isinstance(entry, FeedEntry) for entry in feed)
    sitemap = parse_sitemap(data)
    assert sitemap is None or isinstance(sitemap, Sitemap)


def _corrupt_gzip(data: bytes) -> bool:
    try:
        gzip.decompress(data)
    except (OSError, EOFError, zlib.error):
        return True
    return False


@given(st.binary(max_size=300).map(lambda tail: GZIP_MAGIC + tail).filter(_corrupt_gzip))
def test_corrupt_gzip_is_the_documented_value_error(data: bytes) -> None:
    for parse in (parse_feed, parse_sitemap):
        with pytest.raises(ValueError, match="corrupt gzip data"):
            parse(data)
