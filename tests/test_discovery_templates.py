"""Issue 13's pure parts: URL templates, pagination and feed vocabulary, the listing echo check,
the discovery gate, and the templates kept in the state."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from parsel import Selector

from newscrawler.discovery.classify import Kind, classify_candidate, classify_url
from newscrawler.discovery.links import feed_links, next_pages
from newscrawler.discovery.templates import TemplateBook, url_shape
from newscrawler.echo import HeadlineEcho
from newscrawler.profiles.model import Profile
from newscrawler.quality import Figures, Thresholds, evaluate
from newscrawler.state.sqlite import SqliteStateStore

BASE = "https://news.example"


@pytest.mark.parametrize(
    ("url", "shape"),
    [
        ("/article/123", "/article/<int>"),
        ("/article/123/", "/article/<int>/"),
        ("/2025/11/08/council-votes-budget/", "/<yyyy>/<mm>/<dd>/<slug>/"),
        ("/articles/4?page=2", "/articles/<int>?page=<int>"),
        ("/?p=42", "/?p=<int>"),
        ("/politique/le-conseil-vote-1234.html", "/politique/<slug>.html"),
        ("/news/a1b2c3d4", "/news/<id>"),
        ("/category/world/page/3/", "/category/world/page/<int>/"),
    ],
)
def test_url_shapes(url: str, shape: str) -> None:
    assert url_shape(BASE + url) == shape


@given(st.integers(0, 10**9), st.integers(0, 10**9))
def test_urls_differing_only_in_numbers_share_a_shape(a: int, b: int) -> None:
    assert url_shape(f"{BASE}/article/{a}?page={a}") == url_shape(f"{BASE}/article/{b}?page={b}")


@given(st.text(max_size=80))
def test_any_path_has_a_shape(path: str) -> None:
    assert url_shape(BASE + "/" + path).startswith("/")


def test_a_shape_decides_only_with_unanimous_evidence_and_skips_carefully() -> None:
    book = TemplateBook()
    for n in range(2):
        book.learn(f"{BASE}/article/{n}", "article")
    assert book.kind_of(f"{BASE}/article/9") is None  # two pages are not enough
    book.learn(f"{BASE}/article/2", "article")
    assert book.kind_of(f"{BASE}/article/9") == "article"
    for n in range(5):
        book.learn(f"{BASE}/video/clip-{n}", "other")
    assert book.kind_of(f"{BASE}/video/clip-9") is None  # skipping takes 6 pages
    book.learn(f"{BASE}/video/clip-5", "other")
    assert book.kind_of(f"{BASE}/video/clip-9") == "skip"
    for n in range(9):
        book.learn(f"{BASE}/static-page-{n}/", "other")
    assert book.kind_of(f"{BASE}/council-votes-budget/") is None  # /<slug>/ is never skipped


def test_profile_patterns_win_over_learned_templates() -> None:
    book = TemplateBook.from_rows([("/article/<int>", 0, 5, 0)])
    assert classify_candidate(f"{BASE}/article/1", None, book) is Kind.LISTING
    profile = Profile("t", ("news.example",), article_url_patterns=(re.compile(r"^/article/\d+$"),))
    assert classify_candidate(f"{BASE}/article/1", profile, book) is Kind.ARTICLE


def test_wordpress_default_permalinks_are_articles() -> None:
    assert classify_url(f"{BASE}/?p=123") is Kind.ARTICLE
    assert classify_url(f"{BASE}/news/?p=2") is Kind.LISTING
    assert classify_url(f"{BASE}/?s=x") is Kind.SKIP


def test_templates_survive_in_the_sqlite_state_and_old_files_gain_the_table(
    tmp_path: Path,
) -> None:
    path = tmp_path / "site.sqlite3"
    store = SqliteStateStore(path)
    store.save_templates([("/article/<int>", 4, 0, 0), ("/articles/<int>", 0, 3, 0)])
    store.close()
    store = SqliteStateStore(path)
    book = TemplateBook.from_rows(store.templates())
    assert book.kind_of(f"{BASE}/article/7") == "article"
    store.reset()
    assert store.templates() == []
    store.close()
    with sqlite3.connect(path) as db:  # a file from before issue 13
        db.execute("DROP TABLE templates")
    store = SqliteStateStore(path)
    assert store.templates() == []
    store.close()


@pytest.mark.parametrize(
    ("html", "url", "expected"),
    [
        ('<ul class="pagination"><li class="page-item active"><span class="page-link">1</span>'
         '</li><li class="page-item"><a class="page-link" href="/s?start=3">2</a></li></ul>',
         "/s", "/s?start=3"),
        ('<div class="nav-links"><a class="next page-numbers" href="/s/p/2">Weiter »</a></div>',
         "/s", "/s/p/2"),
        ('<a href="/s?o=3">Suivant</a>', "/s", "/s?o=3"),
        ('<a href="/s?o=3">Siguiente</a>', "/s", "/s?o=3"),
        ('<a href="/s?o=3">Ältere Beiträge</a>', "/s", "/s?o=3"),
        ('<a href="/s?o=3">»</a>', "/s", "/s?o=3"),
        ('<a class="btn load-more" href="/s?offset=3">+</a>', "/s", "/s?offset=3"),
        ('<div class="nav-previous"><a href="/s/pg/2/">Older posts</a></div>', "/s", "/s/pg/2/"),
    ],
)  # fmt: skip
def test_next_page_markup_and_words(html: str, url: str, expected: str) -> None:
    assert next_pages(Selector(text=html), BASE + url) == [BASE + expected]


def test_no_next_page_from_ordinary_links() -> None:
    html = '<a href="/story-1">Read more</a><a href="/s/3">3</a><a class="next" href="/n">x</a>'
    assert next_pages(Selector(text=html), BASE + "/s") == []


def test_feeds_linked_only_from_an_anchor() -> None:
    html = ('<a href="/rss.xml" type="application/rss+xml">RSS</a><a href="/feeds/world">W</a>'
            '<a href="https://other.example/feed/">theirs</a><a href="/features/">F</a>'
            '<a href="/comments/feed/">comments</a>')  # fmt: skip
    assert feed_links(Selector(text=html), BASE + "/") == [
        f"{BASE}/rss.xml",
        f"{BASE}/feeds/world",
    ]


def test_the_echo_check_flags_listings_not_articles_quoting_headlines() -> None:
    stories = [f"Harbour works approved after debate number {n}" for n in range(6)]
    echo = HeadlineEcho()
    for title in stories:
        body = f"The works were approved.\nSee also: {stories[0]}\n{stories[1]}\nMore text here."
        echo.add(title, body)  # an article quoting two other headlines: not a listing
    echo.add("Harbour", "\n".join(f"{t} — a short summary." for t in stories))
    assert echo.listing_like() == 1


def test_the_gate_fails_listings_emitted_and_articles_left_unfetched() -> None:
    thresholds = Thresholds(min_coverage={}).updated(
        {"max_listing_like": 0.1, "max_unfetched": 0.2}, "test"
    )
    listings = Figures(20, 20, {}, 30, 0, 0, listing_like=6)
    assert [f.check for f in evaluate(listings, thresholds)] == ["max_listing_like"]
    unfetched = Figures(20, 20, {}, 30, 0, 0, shaped_seen=150, shaped_unfetched=140)
    assert [f.check for f in evaluate(unfetched, thresholds)] == ["max_unfetched"]
    capped = Figures(20, 20, {}, 30, 0, 0, shaped_seen=150, shaped_unfetched=140,
                     capped_by_user=True)  # fmt: skip
    assert evaluate(capped, thresholds) == []
    shared = Figures(20, 20, {}, 30, 0, 0, shaped_seen=150, shaped_unfetched=140,
                     shared_frontier=True)  # fmt: skip
    assert evaluate(shared, thresholds) == []  # the other workers fetched them
    with pytest.raises(ValueError, match="max_unfetched"):
        Thresholds().updated({"max_unfetched": 2}, "test")


def test_feed_authors_are_hints_for_the_article() -> None:
    from newscrawler.discovery.syndication import parse_feed

    rss = (b'<rss xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><item><link>/a</link>'
           b"<pubDate>Sat, 08 Nov 2025 09:30:00 +0000</pubDate>"
           b"<author>desk@zoo.example (Jane Doe)</author></item><item><link>/b</link>"
           b"<dc:creator>Marc Dubois</dc:creator><author>desk@zoo.example</author></item>"
           b"</channel></rss>")  # fmt: skip
    atom = (b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="/c"/>'
            b"<author><name>Anna Schmidt</name></author></entry></feed>")  # fmt: skip
    entries = (parse_feed(rss, BASE) or []) + (parse_feed(atom, BASE) or [])
    assert [e.hints().get("authors") for e in entries] == [
        ["Jane Doe"],
        ["Marc Dubois"],
        ["Anna Schmidt"],
    ]
    assert entries[0].hints()["date_published"].startswith("2025-11-08T09:30")
