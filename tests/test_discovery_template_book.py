"""The learned URL templates (discovery.templates) at their boundaries: which part of a URL becomes
which placeholder, how many shapes a book keeps, what it reports to the state and to
`newscrawler state show`, and how a crawl candidate is classified with or without a book."""

from __future__ import annotations

import re

import pytest

from newscrawler.discovery.classify import (
    MIN_BODY_WITH_SIGNAL,
    Kind,
    article_shaped,
    classify_candidate,
    is_article,
)
from newscrawler.discovery.templates import MAX_SHAPES, MIN_EVIDENCE, TemplateBook, url_shape
from newscrawler.extraction.pagekind import PageVerdict

BASE = "https://news.example"


# --- shapes -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "shape"),
    [
        ("/", "/"),  # the home page: no doubled slash
        ("/article/2000", "/article/<int>"),  # a year only before a month
        ("/2025/ab/", "/<int>/ab/"),
        ("/2025/1/storm-hits/", "/<yyyy>/<mm>/<slug>/"),  # a one-digit month
        ("/2025/123/storm-hits/", "/<int>/<int>/<slug>/"),  # three digits are no month
        ("/2025/11", "/<yyyy>/<mm>"),  # the month as the last segment
        ("/2025/11/123/", "/<yyyy>/<mm>/<int>/"),  # three digits are no day
        ("/2025/storm-hits/11", "/<int>/<slug>/<int>"),  # only the next segment can be a month
        ("/article/20/11", "/article/<int>/<int>"),  # a two-digit number after a word
        ("/News/Story-A.HTML", "/news/<slug>.html"),  # words and suffixes lower-cased
        ("/feed.xml", "/feed.xml"),
        ("/x/a_b_c", "/x/<slug>"),
        ("/x/ab12cd", "/x/<id>"),
        ("/x/ab12", "/x/<str>"),  # too short for an id
        ("/x/~tilde~", "/x/<str>"),
        ("/?a=&b=1", "/?a=<str>&b=<int>"),  # a blank value is kept
        ("/?Page=2", "/?page=<int>"),  # parameter names ignore case
        ("/x?%C3%A9t%C3%A9=1", "/x"),  # non-ASCII names are no template
    ],
)
def test_url_shapes_at_their_boundaries(path: str, shape: str) -> None:
    assert url_shape(BASE + path) == shape


# --- the book ------------------------------------------------------------------------------
def test_listing_pages_make_a_listing_shape_and_a_new_book_has_learned_nothing() -> None:
    book = TemplateBook()
    assert book.changed is False
    for n in range(MIN_EVIDENCE - 1):
        book.learn(f"{BASE}/articles/{n}?page=2", "listing")
    assert book.changed is True
    assert book.kind_of(f"{BASE}/articles/9?page=3") is None
    book.learn(f"{BASE}/articles/7?page=2", "listing")
    assert book.kind_of(f"{BASE}/articles/9?page=3") == "listing"
    assert list(book.rows()) == [("/articles/<int>?page=<int>", 0, MIN_EVIDENCE, 0)]


def test_mixed_listing_and_other_pages_decide_nothing() -> None:
    book = TemplateBook.from_rows([("/video/<slug>", 0, 1, 9), ("/tags/<slug>", 1, 0, 9)])
    assert book.verdict("/video/<slug>") is None
    assert book.verdict("/tags/<slug>") is None


def test_a_shape_without_a_literal_word_in_its_path_is_never_skipped() -> None:
    # WordPress static pages by id: /?page_id=<int> holds the about page and the imprint alike
    book = TemplateBook()
    for n in range(4 * MIN_EVIDENCE):
        book.learn(f"{BASE}/?page_id={n}", "other")
    assert book.kind_of(f"{BASE}/?page_id=99") is None
    assert book.verdict("/imprint?page_id=<int>") is None  # unseen shape


def test_a_full_book_learns_no_new_shape_but_still_counts_known_ones() -> None:
    rows = [("/article/<int>", 1, 0, 0)] + [(f"/s{n}", 1, 0, 0) for n in range(MAX_SHAPES - 1)]
    book = TemplateBook.from_rows(rows)
    book.learn(f"{BASE}/brand/new", "article")
    assert len(book.shapes) == MAX_SHAPES and "/brand/new" not in book.shapes
    assert book.changed is False, "nothing was learned"
    book.learn(f"{BASE}/article/7", "article")
    assert book.shapes["/article/<int>"].articles == 2 and book.changed is True
    one_less = TemplateBook.from_rows(rows[:-1])
    one_less.learn(f"{BASE}/brand/new", "article")
    assert len(one_less.shapes) == MAX_SHAPES


def test_a_kept_book_is_capped_and_keeps_every_count() -> None:
    rows = [(f"/shape-{n}", 1, 2, 3) for n in range(MAX_SHAPES + 1)]
    book = TemplateBook.from_rows(rows)
    assert len(book.shapes) == MAX_SHAPES
    assert "/shape-0" in book.shapes and f"/shape-{MAX_SHAPES}" not in book.shapes
    assert book.changed is False
    assert next(book.rows()) == ("/shape-0", 1, 2, 3)


def test_rows_come_most_seen_first_then_by_shape() -> None:
    book = TemplateBook.from_rows(
        [("/b", 1, 0, 0), ("/c", 0, 5, 1), ("/a", 1, 0, 0), ("/d", 2, 0, 2)]
    )
    assert list(book.rows()) == [("/c", 0, 5, 1), ("/d", 2, 0, 2), ("/a", 1, 0, 0), ("/b", 1, 0, 0)]


def test_describe_prints_the_20_most_seen_shapes_with_their_verdicts() -> None:
    rows = [("/article/<int>", 5, 0, 0), ("/category/<slug>", 0, 4, 0), ("/about", 1, 0, 1)]
    rows += [(f"/x{n:02}", 0, 0, 1) for n in range(30)]
    lines = TemplateBook.from_rows(rows).describe()
    assert len(lines) == 20
    assert lines[:3] == [
        "/article/<int>  article  (5 article, 0 listing, 0 other)",
        "/category/<slug>  listing  (0 article, 4 listing, 0 other)",
        "/about  undecided  (1 article, 0 listing, 1 other)",
    ]
    assert TemplateBook.from_rows(rows).describe(limit=2) == lines[:2]


# --- candidates with and without a book --------------------------------------------------------
def test_without_a_book_a_candidate_is_classified_by_the_generic_rules() -> None:
    assert classify_candidate(f"{BASE}/2024/05/02/storm-hits-coast/", None, None) is Kind.ARTICLE
    assert classify_candidate(f"{BASE}/", None, None) is Kind.LISTING
    assert classify_candidate(f"{BASE}/politics/", None, None) is Kind.UNKNOWN


def test_a_book_without_a_verdict_for_the_shape_leaves_the_generic_rules() -> None:
    book = TemplateBook.from_rows([("/article/<int>", 1, 0, 0)])  # too little evidence
    assert classify_candidate(f"{BASE}/article/7", None, book) is Kind.UNKNOWN
    assert classify_candidate(f"{BASE}/2024/05/02/storm-hits-coast/", None, book) is Kind.ARTICLE


def test_article_shaped_keeps_the_urls_the_book_or_the_rules_call_articles_in_order() -> None:
    book = TemplateBook.from_rows([("/article/<int>", 3, 0, 0), ("/video/<slug>", 0, 0, 6)])
    urls = [
        f"{BASE}/article/7",
        f"{BASE}/video/a-clip",
        f"{BASE}/about/",
        f"{BASE}/2024/05/02/storm-hits-coast/",
    ]
    assert article_shaped(urls, None, book) == [urls[0], urls[3]]
    assert article_shaped(urls, None, None) == [urls[3]]


# --- the page-kind verdict decides, given a little body text -----------------------------------
@pytest.mark.parametrize(
    ("kind", "length", "expected"),
    [
        ("article", MIN_BODY_WITH_SIGNAL, True),
        ("article", MIN_BODY_WITH_SIGNAL - 1, False),
        ("listing", 100_000, False),
        ("other", 100_000, False),
    ],
)
def test_with_a_verdict_the_verdict_decides(kind: str, length: int, expected: bool) -> None:
    verdict = PageVerdict(kind, 0.9)
    # the verdict overrides what the URL and the declared type say, either way
    assert is_article(Kind.ARTICLE, Kind.ARTICLE, length, verdict=verdict) is expected
    assert is_article(Kind.LISTING, Kind.LISTING, length, verdict=verdict) is expected


def test_article_shaped_asks_the_sites_profile_first() -> None:
    from newscrawler.profiles.model import Profile

    profile = Profile("t", ("news.example",), article_url_patterns=(re.compile(r"^/story/\w+$"),))
    urls = [f"{BASE}/story/abc", f"{BASE}/about/"]
    assert article_shaped(urls, profile, None) == [urls[0]]
    assert article_shaped(urls, None, None) == []


# --- a shape earlier runs judged "skip" is re-probed once per run ------------------------------
SKIPPED = ("/video/<slug>", 0, 0, 2 * MIN_EVIDENCE)  # other pages only, a literal word: "skip"


def test_a_shape_earlier_runs_skipped_lets_one_fetched_url_through_per_run() -> None:
    book = TemplateBook.from_rows([SKIPPED, ("/article/<int>", 5, 0, 0), ("/tags/<int>", 0, 5, 0)])
    assert book.kind_of(f"{BASE}/video/clip-1") == "skip"  # not fetched (no probe): none spent
    assert book.probed == []
    let_through = [book.kind_of(f"{BASE}/video/clip-{n}", probe=True) for n in (2, 3, 4)]
    assert let_through == [None, "skip", "skip"]  # the first fetched URL only
    assert book.probed == [f"{BASE}/video/clip-2"]
    # shapes with another verdict are never held back, and spend nothing
    assert book.kind_of(f"{BASE}/article/9", probe=True) == "article"
    assert book.kind_of(f"{BASE}/tags/9", probe=True) == "listing"
    assert book.probed == [f"{BASE}/video/clip-2"]
    # the probed page was an article: the shape is mixed, its URLs are fetched from then on
    book.learn(f"{BASE}/video/clip-2", "article")
    assert book.kind_of(f"{BASE}/video/clip-5", probe=True) is None
    assert book.kind_of(f"{BASE}/video/clip-5") is None


def test_a_probe_passes_over_the_pages_earlier_probes_fetched() -> None:
    book = TemplateBook.from_rows([SKIPPED])
    earlier = {f"{BASE}/video/clip-1", f"{BASE}/video/clip-2"}
    book.probed_before = earlier.__contains__
    kinds = [book.kind_of(f"{BASE}/video/clip-{n}", probe=True) for n in (1, 2, 3, 4)]
    assert kinds == ["skip", "skip", None, "skip"]  # the first page no earlier probe fetched
    assert book.probed == [f"{BASE}/video/clip-3"]


def test_a_book_without_a_state_knows_no_earlier_probe() -> None:
    book = TemplateBook.from_rows([SKIPPED])
    assert book.probed_before(f"{BASE}/video/clip-1") is False
    assert book.kind_of(f"{BASE}/video/clip-1", probe=True) is None


def test_the_verdict_of_each_probed_page_is_kept_for_the_state() -> None:
    book = TemplateBook.from_rows([SKIPPED, ("/gallery/<slug>", 0, 0, 9)])
    video, gallery = f"{BASE}/video/clip-1", f"{BASE}/gallery/set-1"
    assert book.kind_of(video, probe=True) is None and book.kind_of(gallery, probe=True) is None
    book.learn(video, "other")
    book.learn(gallery, "article")
    book.learn(f"{BASE}/video/clip-2", "other")  # fetched for another reason: no probe
    assert book.probe_verdicts == {video: "other", gallery: "article"}


def test_every_skipped_shape_gets_its_own_probe() -> None:
    book = TemplateBook.from_rows([SKIPPED, ("/gallery/<slug>", 0, 0, 9)])
    paths = ("/video/a-b", "/gallery/c-d", "/video/e-f", "/gallery/g-h")
    urls = [BASE + path for path in paths]
    assert [book.kind_of(url, probe=True) for url in urls] == [None, None, "skip", "skip"]
    assert book.probed == urls[:2]


def test_a_shape_judged_skip_during_this_run_is_not_probed_in_it() -> None:
    book = TemplateBook()
    for n in range(2 * MIN_EVIDENCE):
        book.learn(f"{BASE}/video/clip-{n}", "other")
    assert book.kind_of(f"{BASE}/video/clip-99", probe=True) == "skip"
    assert book.probed == []


def test_only_a_candidate_about_to_be_fetched_reprobes_a_skipped_shape() -> None:
    book = TemplateBook.from_rows([SKIPPED])
    clip = f"{BASE}/video/clip-1"
    # counting article-shaped links and a plain classification fetch nothing: no probe spent
    assert article_shaped([clip], None, book) == []
    assert classify_candidate(clip, None, book) is Kind.SKIP
    # the crawl's candidate is fetched and judged by its page, as if the book knew nothing
    assert classify_candidate(clip, None, book, probe=True) is Kind.UNKNOWN
    assert classify_candidate(f"{BASE}/video/clip-2", None, book, probe=True) is Kind.SKIP
