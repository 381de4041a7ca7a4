"""The page-kind decision at each of its boundaries, one signal at a time.

Fixture articles carry every article signal at once (og:type, JSON-LD, WordPress body classes,
`entry-content`), so in crawl tests no single rule ever decides. Here each rule of `page_signal`
and each branch of `is_article` is the only thing that differs between two rows of a table, and
the body-length thresholds are probed at the named constant and one below it.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from lxml.html import document_fromstring
from parsel import Selector

from newscrawler.demo.server import Page, serve
from newscrawler.discovery.classify import (
    ARTICLE_BODY_CLASSES,
    ARTICLE_LD_TYPES,
    LISTING_BODY_CLASSES,
    LISTING_LD_TYPES,
    MIN_BODY_WITH_SIGNAL,
    MIN_BODY_WITHOUT_SIGNAL,
    Kind,
    classify_url,
    is_article,
    page_signal,
    url_rules,
)
from newscrawler.exitcodes import ExitCode
from newscrawler.extraction.pagekind import (
    CONTRARY,
    LONG_PARAGRAPH,
    MIN_HEADING,
    MIN_SLUG_DEPTH,
    ends_in_headline_slug,
    page_evidence,
    page_structure,
)
from tests.conftest import read_jsonl
from tests.test_cron import CronPortal, crawl, finalized

A, L, U, S = Kind.ARTICLE, Kind.LISTING, Kind.UNKNOWN, Kind.SKIP


def page(head: str = "", body_class: str | None = None) -> Selector:
    body = "<body>" if body_class is None else f'<body class="{body_class}">'
    return Selector(text=f"<html><head>{head}</head>{body}<p>Text.</p></body></html>")


def og(content: str) -> str:
    return f'<meta property="og:type" content="{content}">'


def ld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


# --- page_signal: one signal at a time ---------------------------------------------------------
SCHEMA_ORG_SPELLING = {  # the types as schema.org writes them (the rule compares lower-case)
    "article": "Article", "newsarticle": "NewsArticle", "blogposting": "BlogPosting",
    "reportagenewsarticle": "ReportageNewsArticle", "analysisnewsarticle": "AnalysisNewsArticle",
    "opinionnewsarticle": "OpinionNewsArticle", "reviewnewsarticle": "ReviewNewsArticle",
    "backgroundnewsarticle": "BackgroundNewsArticle", "liveblogposting": "LiveBlogPosting",
    "socialmediaposting": "SocialMediaPosting", "report": "Report",
    "scholarlyarticle": "ScholarlyArticle", "techarticle": "TechArticle",
    "satiricalarticle": "SatiricalArticle", "askpublicnewsarticle": "AskPublicNewsArticle",
    "collectionpage": "CollectionPage", "itemlist": "ItemList",
    "searchresultspage": "SearchResultsPage", "profilepage": "ProfilePage",
}  # fmt: skip


def test_every_json_ld_type_of_the_rule_is_spelled_here() -> None:
    assert set(SCHEMA_ORG_SPELLING) == ARTICLE_LD_TYPES | LISTING_LD_TYPES


@pytest.mark.parametrize(
    ("name", "kind"),
    [(SCHEMA_ORG_SPELLING[t], A) for t in sorted(ARTICLE_LD_TYPES)]
    + [(SCHEMA_ORG_SPELLING[t], L) for t in sorted(LISTING_LD_TYPES)]
    + [("WebPage", U), ("Organization", U), ("Event", U)],
)
def test_each_json_ld_type_alone(name: str, kind: Kind) -> None:
    assert page_signal(page(ld({"@context": "https://schema.org", "@type": name}))) is kind


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        ({"@type": ["WebPage", "NewsArticle"]}, A),  # a list of types
        ({"@graph": [{"@type": "WebSite"}, {"@type": "BlogPosting"}]}, A),  # Yoast's @graph
        ([{"@type": "Organization"}, {"@type": "Article"}], A),  # a top-level list
        ({"@type": "WebPage", "mainEntity": {"@type": "ItemList"}}, L),
        ({"@type": "WebPage", "author": {"@type": "Article"}}, U),  # other keys are not read
        ({"@type": "WebPage", "publisher": [{"@type": "CollectionPage"}]}, U),
        ({"@type": 7}, U),  # not a name
        ({"@type": [None, "ItemList"]}, L),
    ],
)
def test_json_ld_shapes(data: object, kind: Kind) -> None:
    assert page_signal(page(ld(data))) is kind


def test_broken_and_hostile_json_ld_is_ignored_not_raised() -> None:
    broken = '<script type="application/ld+json">{"@type": "NewsArticle",</script>'
    assert page_signal(page(broken)) is U
    deep = '<script type="application/ld+json">' + "[" * 100_000 + "]" * 100_000 + "</script>"
    assert page_signal(page(deep + ld({"@type": "NewsArticle"}))) is A


def test_json_ld_reading_is_bounded() -> None:
    """At most 20 scripts, 200 items per list and 100 types are read (hostile pages, issue 8)."""
    filler = ld({"@type": "WebPage"})
    assert page_signal(page(filler * 19 + ld({"@type": "NewsArticle"}))) is A
    assert page_signal(page(filler * 20 + ld({"@type": "NewsArticle"}))) is U
    web_pages = [{"@type": "WebPage"}] * 199
    assert page_signal(page(ld([*web_pages, {"@type": "Article"}]))) is A  # the 200th item
    assert page_signal(page(ld([*web_pages, {"@type": "WebPage"}, {"@type": "Article"}]))) is U
    types = [{"@type": "Article"}] + [{"@type": f"T{i}"} for i in range(99)]
    assert page_signal(page(ld(types))) is A
    many = [{"@type": "Article"}] + [{"@type": f"T{i}"} for i in range(100)]
    assert page_signal(page(ld(many))) is U


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        *[("article", A), (" Article ", A), ("ARTICLE", A), ("website", L), ("WebSite", L)],
        *[("video.other", U), ("profile", U), ("", U), ("articles", U)],
    ],
)
def test_og_type_alone(content: str, kind: Kind) -> None:
    assert page_signal(page(og(content))) is kind


@pytest.mark.parametrize(
    ("body_class", "kind"),
    [(c, A) for c in sorted(ARTICLE_BODY_CLASSES)]
    + [(c, L) for c in sorted(LISTING_BODY_CLASSES)]
    + [
        ("postid-4821", A),  # WordPress: the post's id
        ("wp-theme postid-7 logged-out", A),
        ("Single-Post", A),  # class names compared lower-case
        ("postid", A),
        ("post-4821", U),  # the id class of any post type, listing excerpts included
        ("single-product", U),
        ("mypostid-7", U),
        ("home-page", U),
        ("page-id-5", U),
        ("", U),
    ],
)
def test_each_wordpress_body_class_alone(body_class: str, kind: Kind) -> None:
    assert page_signal(page(body_class=body_class)) is kind


def test_no_signal_at_all_is_unknown() -> None:
    assert page_signal(page()) is U
    assert page_signal(Selector(text="<html><body><p>x</p></body></html>")) is U


@pytest.mark.parametrize(
    ("head", "body_class"),
    [
        (og("article") + ld({"@type": "CollectionPage"}), None),
        (og("website") + ld({"@type": "NewsArticle"}), None),
        (og("website"), "single"),
        ("", "home postid-12"),
    ],
)
def test_an_article_signal_outweighs_a_listing_signal(head: str, body_class: str | None) -> None:
    assert page_signal(page(head, body_class)) is A


# --- is_article: the branches and the length thresholds -----------------------------------------
def test_the_thresholds_are_ordered() -> None:
    assert 0 < MIN_BODY_WITH_SIGNAL < MIN_BODY_WITHOUT_SIGNAL


W, WO = MIN_BODY_WITH_SIGNAL, MIN_BODY_WITHOUT_SIGNAL


@pytest.mark.parametrize(
    ("url_kind", "signal", "length", "trusted", "expected"),
    [
        # a profile's article pattern settles it, given any body at all, whatever else says
        (A, U, 1, True, True),
        (A, U, 0, True, False),
        (L, L, 1, True, True),
        # a listing or skipped URL is never an article, whatever the page claims
        (L, A, 100_000, False, False),
        (S, A, 100_000, False, False),
        (L, U, 100_000, False, False),
        # a page saying LISTING outweighs an article URL (a section at a dated URL)
        (A, L, 100_000, False, False),
        (U, L, 100_000, False, False),
        # one ARTICLE vouching (URL or page): MIN_BODY_WITH_SIGNAL is enough, one less is not
        (A, U, W, False, True),
        (A, U, W - 1, False, False),
        (U, A, W, False, True),
        (U, A, W - 1, False, False),
        (A, A, W, False, True),
        (A, A, W - 1, False, False),
        # nobody vouching: MIN_BODY_WITHOUT_SIGNAL is needed
        (U, U, WO, False, True),
        (U, U, WO - 1, False, False),
        (U, U, W, False, False),
    ],
)
def test_is_article_table(
    url_kind: Kind, signal: Kind, length: int, trusted: bool, expected: bool
) -> None:
    assert is_article(url_kind, signal, length, trusted=trusted) is expected


@pytest.mark.parametrize(
    "url", ["https://ex.com/", "https://ex.com/category/world/", "https://ex.com/page/3/"]
)
def test_a_listing_url_whose_page_claims_article_is_not_an_article(url: str) -> None:
    claims = page(og("article") + ld({"@type": "NewsArticle"}), "single postid-9")
    assert classify_url(url) is L
    assert page_signal(claims) is A
    assert is_article(classify_url(url), page_signal(claims), 100_000) is False


# --- the same in a real crawl --------------------------------------------------------------------
CLAIMING = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>World – The Cron Gazette</title>
<link rel="canonical" href="{base}/category/world/">
<meta property="og:type" content="article">
<script type="application/ld+json">{{"@type": "NewsArticle", "headline": "World"}}</script>
</head><body class="single single-post postid-77">
<article><h1 class="entry-title">World</h1><div class="entry-content">{paragraphs}</div></article>
</body></html>"""


@dataclass
class PortalWithClaimingSection(CronPortal):
    """The cron portal whose home also links a section page dressed up as an article."""

    fetched: Counter[str] = field(default_factory=Counter)

    def __call__(self, path: str, base: str) -> Page | None:
        self.fetched[path] += 1
        if path == "/category/world/":
            text = "The section gathers the latest reports from abroad and their follow-ups."
            return Page(CLAIMING.format(base=base, paragraphs=f"<p>{text}</p>" * 12).encode())
        found = super().__call__(path, base)
        if path == "/" and found is not None:
            link = b'<li><a href="/category/world/">World</a></li></ul>'
            return Page(found.body.replace(b"</ul>", link), found.content_type)
        return found


def test_a_section_page_claiming_to_be_an_article_is_fetched_but_never_emitted(
    tmp_path: Path,
) -> None:
    site = PortalWithClaimingSection()
    site.add(1, 2, 3)
    with serve(site) as base:
        run = crawl(base, tmp_path)
    assert run.returncode == ExitCode.OK, run.stderr[-3000:]
    assert site.fetched["/category/world/"] == 1, "the section is fetched, to follow its links"
    [output] = finalized(tmp_path)
    emitted = sorted(article["url"].removeprefix(base) for article in read_jsonl(output))
    assert emitted == [f"/news/story-number-{n}/" for n in (1, 2, 3)]


# --- the URL rules, loaded from data/url_rules.toml --------------------------------------------
def test_url_rules_load_from_their_data_file_and_ignore_case() -> None:
    url_rules.cache_clear()  # load them again here, not from an earlier test's cache
    rules = url_rules()
    patterns = (*rules.skip, *rules.listing, *rules.article)
    assert len(rules.skip) > 0 and len(rules.listing) > 0 and len(rules.article) > 0
    assert all(p.flags & re.IGNORECASE for p in patterns)
    assert classify_url("https://ex.com/TAG/x/") is S
    assert classify_url("https://ex.com/Category/World/") is L
    assert classify_url("https://ex.com/2024/05/02/Storm-Hits-Coast/") is A


# --- page-kind evidence (extraction/pagekind.py): one signal at a time, thresholds at ±1 ---------
def _features(html: str, url: str = "https://ex.org/x") -> dict[str, float]:
    tree = document_fromstring(html)
    return {e.feature: e.value for e in page_evidence(tree, url) if e.feature}


def _body(inner: str) -> str:
    return f"<html><body><main>{inner}</main></body></html>"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/guides/kitchen/sharpen-knives", True),  # MIN_SLUG_DEPTH segments, two words
        ("/guides/kitchen/sharpen-dull-knives", True),  # three words
        ("/kitchen/sharpen-knives", False),  # one segment less: a section and its subsection
        ("/guides/kitchen/knives", False),  # one word: a subsection's name
        ("/guides/kitchen/sharpen-knives.html", True),
        ("/how-to-sharpen-dull-knives", True),  # four words: a post at any depth
    ],
)
def test_a_short_slug_is_a_post_only_under_a_section_and_subsection(
    path: str, expected: bool
) -> None:
    assert MIN_SLUG_DEPTH == 3
    assert ends_in_headline_slug(f"https://ex.org{path}") is expected


@pytest.mark.parametrize(
    ("path", "flagged"),
    [("/service/boiler-repair/", True), ("/services", True), ("/our-services/", False),
     ("/servicesx/y", False), ("/news/service-cuts-announced", False)],
)  # fmt: skip
def test_a_service_path_alone_is_contrary_evidence(path: str, flagged: bool) -> None:
    features = _features(_body("<p>Short.</p>"), f"https://ex.org{path}")
    assert ("url_service" in features and features["url_service"] == 1.0) is flagged
    assert "url_service" in CONTRARY


def _qa(questions: int, answers: int) -> str:
    q = '<div itemscope itemtype="https://schema.org/Question"><b>Why?</b></div>'
    a = '<div itemscope itemtype="https://schema.org/Answer">Because.</div>'
    return _body(q * questions + a * answers)


@pytest.mark.parametrize(
    ("questions", "answers", "discussion"),
    [(1, 2, True), (1, 1, False), (0, 2, True), (2, 2, False), (3, 3, False)],
)
def test_answers_are_a_discussion_only_under_one_question(
    questions: int, answers: int, discussion: bool
) -> None:
    """A Q&A thread: one Question, its Answers (two or more). A FAQ block: a Question per
    Answer, which articles carry."""
    assert _features(_qa(questions, answers)).get("comments_md", 0.0) == float(discussion)


@pytest.mark.parametrize(
    ("markup", "count"),
    [
        ('<a class="btn btn-outline-secondary" href="/print">Print recipe</a>', 1),
        ('<a class="wp-block-button__link" href="/donate">Donate</a>', 1),
        ('<a class="bt-n" href="/x">Not a button</a>', 0),
        ('<a href="/print">Print recipe</a>', 0),
        ('<nav><a class="btn" href="/print">Print recipe</a></nav>', 0),  # page chrome
        ('<span class="btn">Print</span>', 0),  # not a link
    ],
)
def test_links_styled_as_buttons_outside_chrome(markup: str, count: int) -> None:
    structure = page_structure(document_fromstring(_body(markup)))
    assert structure.button_links == count


@pytest.mark.parametrize(
    ("paragraph", "heading", "prose", "headings"),
    [
        (LONG_PARAGRAPH, MIN_HEADING, 1, 1),
        (LONG_PARAGRAPH - 1, MIN_HEADING, 0, 1),
        (LONG_PARAGRAPH, MIN_HEADING - 1, 1, 0),
    ],
)
def test_prose_per_heading_counts_long_paragraphs_and_real_headings(
    paragraph: int, heading: int, prose: int, headings: int
) -> None:
    html = _body(f"<h2>{'H' * heading}</h2><p>{'w' * paragraph}</p>")
    structure = page_structure(document_fromstring(html))
    assert (structure.prose, structure.headings) == (prose, headings)
    per_heading = math.log1p(prose / (headings + 1))
    assert _features(html)["prose_per_heading"] == pytest.approx(per_heading)


def test_a_linked_heading_is_a_teaser_not_a_section() -> None:
    html = _body("<h3><a href='/a/1'>A headline of another page</a></h3>")
    assert page_structure(document_fromstring(html)).headings == 0


@pytest.mark.parametrize(
    ("markup", "area"),
    [
        ('<div id="comments"></div>', True),
        ('<footer><div id="respond"></div></footer>', True),  # a child of the chrome
        ('<footer><div><div id="respond"></div></div></footer>', False),  # deeper: not read
        ('<div id="commentsx"></div>', False),
        # HTML5: a footer inside <main> or <article> is the section's, not page chrome: read
        ('<main><footer><div><div id="respond"></div></div></footer></main>', True),
    ],
)
def test_the_comment_area_is_read_by_the_walk(markup: str, area: bool) -> None:
    html = f"<html><body>{markup}</body></html>"  # page chrome at the top level, not in <main>
    assert page_structure(document_fromstring(html)).comment_area is area
    assert ("wp_comments" in _features(html)) is area


@pytest.mark.parametrize(
    ("markup", "docs"),
    [
        ('<nav class="sidebar"><div class="sidebar-elems"></div></nav>', True),  # rustdoc
        ('<aside class="theme-doc-sidebar-container"></aside>', True),  # Docusaurus
        ('<div class="sphinxsidebar"></div>', True),
        ('<nav><div><div class="sphinxsidebar"></div></div></nav>', False),  # deeper in chrome
        ('<div class="sidebar"></div>', False),
    ],
)
def test_documentation_sidebars_are_read_by_the_walk(markup: str, docs: bool) -> None:
    assert ("docs" in _features(_body(markup))) is docs
