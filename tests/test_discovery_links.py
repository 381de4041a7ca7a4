"""Links a page offers: feeds, pagination, canonical/AMP, anchors; and URL/page classification."""

from __future__ import annotations

from html import escape

import pytest
from hypothesis import given
from hypothesis import strategies as st
from parsel import Selector

from newscrawler.discovery.classify import Kind, classify_url, is_article, page_signal
from newscrawler.discovery.links import (
    anchors,
    canonical_link,
    feed_links,
    is_amp_page,
    next_pages,
    page_number,
)
from newscrawler.profiles.loader import parse_profile

BASE = "https://news.example/politics/"


def sel(html: str) -> Selector:
    return Selector(text=html)


def test_feed_links_from_link_alternate() -> None:
    page = sel(
        '<head><link rel="alternate" type="application/rss+xml" href="/feed/">'
        '<link rel="alternate" type="application/atom+xml" href="https://news.example/atom.xml">'
        '<link rel="alternate" type="application/rss+xml" href="/comments/feed/">'
        '<link rel="alternate" hreflang="fr" href="/fr/">'
        '<link rel="stylesheet" type="text/css" href="/s.css"></head>'
    )
    assert feed_links(page, BASE) == ["https://news.example/feed/", "https://news.example/atom.xml"]


def test_next_pages_rel_next_and_numbered_anchors() -> None:
    page = sel(
        '<link rel="next" href="/politics/page/2/"><a href="/politics/page/2/">2</a>'
        '<a href="/politics/page/3/">3</a><a href="/sport/page/2/">other section</a>'
    )
    assert next_pages(page, BASE) == ["https://news.example/politics/page/2/"]
    query = sel('<a href="?page=3">next</a><a href="?page=1">prev</a>')
    assert next_pages(query, "https://news.example/sport/?page=2") == [
        "https://news.example/sport/?page=3"
    ]


@pytest.mark.parametrize(
    ("url", "number"),
    [("https://a.ex/x/page/7/", 7), ("https://a.ex/x/?page=4", 4), ("https://a.ex/x?paged=2", 2),
     ("https://a.ex/x/", 1)],
)  # fmt: skip
def test_page_number(url: str, number: int) -> None:
    assert page_number(url) == number


def test_canonical_and_amp_detection() -> None:
    amp = sel('<html amp><head><link rel="canonical" href="/politics/story/"></head></html>')
    assert is_amp_page(amp)
    assert (
        canonical_link(amp, "https://news.example/m/story")
        == "https://news.example/politics/story/"
    )
    assert is_amp_page(sel("<html ⚡><body></body></html>"))
    assert not is_amp_page(sel("<html lang='en'><body></body></html>"))


def test_anchors_are_absolute_clean_http_and_unique() -> None:
    page = sel(
        '<base href="https://news.example/"><a href="a/?utm_source=x#top">1</a><a href="a/">2</a>'
        '<a href="mailto:x@y.z">m</a><a href="javascript:void(0)">j</a><a href="http://[bad">b</a>'
        '<a href="https://other.example/b">o</a><a>no href</a>'
    )
    assert anchors(page, BASE) == ["https://news.example/a/", "https://other.example/b"]


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/", Kind.LISTING),
        ("/page/2/", Kind.LISTING),
        ("/category/politics/", Kind.LISTING),
        ("/politics/?page=3", Kind.LISTING),
        ("/2024/05/", Kind.LISTING),
        ("/tag/budget/", Kind.SKIP),
        ("/author/jane-doe/", Kind.SKIP),
        ("/search/?q=x", Kind.SKIP),
        ("/?s=budget", Kind.SKIP),
        ("/about/", Kind.SKIP),
        ("/contact-us/", Kind.SKIP),
        ("/privacy-policy/", Kind.SKIP),
        ("/mentions-legales/", Kind.SKIP),
        ("/feed/", Kind.SKIP),
        ("/wp-content/uploads/a.jpg", Kind.SKIP),
        ("/2024/05/02/council-votes-budget/", Kind.ARTICLE),
        ("/politique/le-conseil-vote-le-budget-1234567.html", Kind.ARTICLE),
        ("/news/council-votes-budget", Kind.ARTICLE),
        ("/politics/", Kind.UNKNOWN),
        ("/politics/minister-resigns/", Kind.UNKNOWN),
    ],
)
def test_generic_url_rules(path: str, kind: Kind) -> None:
    assert classify_url(f"https://news.example{path}") is kind


def test_profile_patterns_come_first() -> None:
    profile = parse_profile(
        {"name": "ex", "urls": {"article": ["^/politics/[a-z-]+/$"], "listing": ["^/2024/"]}},
        "inline",
    )
    assert classify_url("https://ex.com/politics/minister-resigns/", profile) is Kind.ARTICLE
    assert classify_url("https://ex.com/2024/05/02/story-slug/", profile) is Kind.LISTING


@pytest.mark.parametrize(
    ("html", "kind"),
    [
        ('<meta property="og:type" content="article">', Kind.ARTICLE),
        ('<script type="application/ld+json">{"@type": "NewsArticle"}</script>', Kind.ARTICLE),
        (
            '<script type="application/ld+json">{"@graph": [{"@type": "WebSite"},'
            ' {"@type": ["ReportageNewsArticle"]}]}</script>',
            Kind.ARTICLE,
        ),
        ("<body class='post-template-default single single-post postid-12'>", Kind.ARTICLE),
        ('<meta property="og:type" content="website">', Kind.LISTING),
        ('<script type="application/ld+json">{"@type": "CollectionPage"}</script>', Kind.LISTING),
        ("<body class='archive category category-politics'>", Kind.LISTING),
        ('<script type="application/ld+json">{not json</script>', Kind.UNKNOWN),
        ("<p>nothing said</p>", Kind.UNKNOWN),
    ],
)
def test_page_signals(html: str, kind: Kind) -> None:
    assert page_signal(sel(html)) is kind


def test_article_decision() -> None:
    assert is_article(Kind.UNKNOWN, Kind.ARTICLE, 200)
    assert not is_article(Kind.UNKNOWN, Kind.ARTICLE, 10)  # signal but no text: not emitted
    assert not is_article(Kind.ARTICLE, Kind.LISTING, 5000)  # page says listing
    assert not is_article(Kind.UNKNOWN, Kind.UNKNOWN, 300)  # nothing vouches, short text
    assert is_article(Kind.UNKNOWN, Kind.UNKNOWN, 3000)
    assert is_article(Kind.ARTICLE, Kind.LISTING, 40, trusted=True)  # profile pattern settles it
    assert not is_article(Kind.ARTICLE, Kind.ARTICLE, 0, trusted=True)


@given(st.text(max_size=80))
def test_any_href_is_either_a_clean_absolute_url_or_dropped(href: str) -> None:
    found = anchors(sel(f"<a href='{escape(href, quote=True)}'>x</a>"), BASE)
    assert len(found) <= 1
    for url in found:
        assert url.startswith(("http://", "https://")) and "#" not in url
        assert classify_url(url) in Kind
