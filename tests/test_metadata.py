"""Structured data (JSON-LD, meta, microdata, <time>), headline choice, language and profile
selectors: each layer on small pages written for the case."""

from __future__ import annotations

import doctest
import importlib
import json
from datetime import UTC, datetime

import lxml.html
import pytest
from hypothesis import given
from hypothesis import strategies as st

from newscrawler.extraction.article import extract_article
from newscrawler.extraction.headline import choose_headline, strip_site_suffix
from newscrawler.extraction.language import detect, iso_code, page_language
from newscrawler.extraction.metadata import collect, ld_bool, ld_image, ld_keywords, ld_people
from newscrawler.extraction.pagetags import page_tags
from newscrawler.extraction.selectors import SelectorError, compile_selector, select_all
from newscrawler.extraction.sitenames import host_names
from newscrawler.extraction.tagclean import clean_tags
from newscrawler.profiles.model import Profile

URL = "https://news.example.com/world/story"
NOW = datetime(2024, 6, 1, tzinfo=UTC)


def page(head: str = "", body: str = "", lang: str = "en") -> str:
    return f'<html lang="{lang}"><head>{head}</head><body>{body}</body></html>'


def ld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def tree(html: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(html)


def test_graph_article_is_found_and_author_references_resolved() -> None:
    html = page(
        ld(
            {
                "@graph": [
                    {"@type": "Person", "@id": "#p1", "name": "Jane Doe", "url": "/jane"},
                    {"@type": "NewsArticle", "headline": "H", "author": [{"@id": "#p1"}]},
                ]
            }
        )
    )
    md = collect(tree(html), URL)
    assert md.article["headline"] == "H"
    assert ld_people(md, md.article) == [("Jane Doe", True)]


def test_article_nested_in_main_entity_and_list_types() -> None:
    html = page(
        ld([{"@type": "WebPage", "mainEntity": {"@type": ["BlogPosting"], "headline": "B"}}])
    )
    md = collect(tree(html), URL)
    assert md.article["headline"] == "B"
    assert md.page["@type"] == "WebPage"


def test_the_article_describing_this_url_wins_over_teasers() -> None:
    teaser = {"@type": "NewsArticle", "headline": "Teaser", "url": "https://news.example.com/other"}
    main = {"@type": "NewsArticle", "headline": "Main", "url": URL}
    md = collect(tree(page(ld(teaser) + ld(main))), URL)
    assert md.article["headline"] == "Main"


def test_invalid_json_ld_is_skipped_and_counted() -> None:
    html = page(
        '<script type="application/ld+json">{"headline": </script>'
        + ld({"@type": "Article", "headline": "OK"})
    )
    md = collect(tree(html), URL)
    assert md.errors == 1
    assert md.article["headline"] == "OK"


def test_json_ld_in_html_comments_and_with_trailing_semicolon_is_read() -> None:
    data = '<!-- {"@type": "NewsArticle", "headline": "C"}; -->'
    html = page(f'<script type="application/ld+json">{data}</script>')
    assert collect(tree(html), URL).article["headline"] == "C"


def test_meta_tags_by_property_and_name_lowercased() -> None:
    html = page('<meta property="OG:Title" content="T"><meta name="author" content="A">')
    md = collect(tree(html), URL)
    assert md.meta["og:title"] == ["T"] and md.meta["author"] == ["A"]


def test_microdata_properties_collected() -> None:
    html = page(body='<div itemscope><h1 itemprop="headline name">M</h1></div>')
    md = collect(tree(html), URL)
    assert set(md.itemprops) == {"headline", "name"}


def test_json_ld_value_shapes() -> None:
    md = collect(tree(page()), URL)
    assert ld_image(md, [{"@type": "ImageObject", "url": "https://x/i.jpg"}]) == "https://x/i.jpg"
    assert ld_image(md, "  ") is None
    assert ld_keywords("a, b,c") == ["a", " b", "c"]
    assert ld_keywords([{"name": "x"}, "y", 3]) == ["x", "y", "3"]
    assert (ld_bool("False"), ld_bool(True), ld_bool("maybe")) == (False, True, None)


LIVERPOOL = "Rückschlag für Liverpool"
AHRTAL = "Ahrtal: Zwei Rücktritte und Fragen"
PLOT = "New plot twist in the quadruple murder case"
HEADLINE_CASES = {
    "h1 confirmed by og": (["Storm hits coast"], "Storm hits coast", [], None, "Storm hits coast"),
    "logo h1 skipped": (["Daily", "Storm hits"], None, [], "Storm hits | Daily", "Storm hits"),
    "kicker in h1": ([f"Premier League {LIVERPOOL}"], LIVERPOOL, [], None, LIVERPOOL),
    # og:title adds a kicker the page does not show in its <h1>: the <h1> as shown wins
    "kicker in og": ([LIVERPOOL], f"Premier League: {LIVERPOOL}", [], None, LIVERPOOL),
    "og tail": ([PLOT], f"{PLOT} | Site | by Jane Doe", [], None, PLOT),
    "span h1": (["Ahrtal Zwei Rücktritte und Fragen"], None, [AHRTAL], None, AHRTAL),
    "title only": ([], None, [], "Only a title here - Site Name", "Only a title here"),
    "ld before og": ([], "OG title", ["LD headline"], None, "LD headline"),
    "nothing": ([], None, [], None, None),
}


@pytest.mark.parametrize(
    ("h1s", "og", "others", "title", "headline"),
    list(HEADLINE_CASES.values()),
    ids=list(HEADLINE_CASES),
)
def test_headline_choice(
    h1s: list[str], og: str | None, others: list[str], title: str | None, headline: str | None
) -> None:
    assert choose_headline(h1s, og, others, title, ["daily.example.com"]) == headline


def test_suffix_removed_only_when_it_names_the_site() -> None:
    assert strip_site_suffix("Deal done | Börsen-Zeitung", ["boersen-zeitung.de"]) == "Deal done"
    assert strip_site_suffix("Netz-Spott - Generalsekretär tritt zurück", ["freiepresse.de"]) == (
        "Netz-Spott - Generalsekretär tritt zurück"
    )
    names = host_names("https://www.dw.com/de/a-1")
    assert strip_site_suffix("Ziele, Chancen | DW | 28.04.2023", names) == "Ziele, Chancen"


def test_language_declared_first_then_detected() -> None:
    assert iso_code("de-AT") == "de" and iso_code("x-default") is None
    assert page_language(None, "fr_FR", text="English text") == "fr"
    text = "Dies ist ein deutscher Text über die Politik in Berlin und die Wahlen im Herbst."
    assert page_language(None, None, text=text) == "de"
    assert detect("short") is None


def test_language_of_a_page_without_declarations_is_detected() -> None:
    body = "<p>" + "La ville a inauguré mardi une nouvelle bibliothèque municipale. " * 3 + "</p>"
    article = extract_article(f"<html><body><h1>Titre</h1>{body}</body></html>", URL, now=NOW)
    assert article["language"] == "fr"


def test_css_xpath_and_pseudo_element_selectors() -> None:
    doc = tree(page(body='<h1 class="t">Title</h1><a class="by" href="/a">Ann</a>'))
    assert select_all(doc, ["h2.missing", "h1.t"]) == ["Title"]
    assert select_all(doc, ["xpath://a[@class='by']/@href"]) == ["/a"]
    assert select_all(doc, ["a.by::text"]) == ["Ann"]
    assert select_all(doc, ["[[[", "a.by::attr(href)"]) == ["/a"]


def test_bad_selector_names_itself() -> None:
    with pytest.raises(SelectorError, match=r"'xpath://\['"):
        compile_selector("xpath://[")


def test_profile_selectors_win_over_structured_data() -> None:
    html = page(
        '<meta property="og:title" content="Generic title">'
        '<meta property="article:published_time" content="2024-01-01T00:00:00Z">',
        '<h2 class="real-title">Profile title</h2><span class="who">Par Ana Roy</span>'
        '<span class="when">2024-02-02T10:00:00+01:00</span>',
        lang="fr",
    )
    profile = Profile(
        name="example",
        selectors={
            "headline": ("h1.nothing", "h2.real-title"),
            "authors": ("span.who",),
            "date_published": ("xpath://span[@class='when']/text()",),
        },
    )
    article = extract_article(html, URL, profile, now=NOW)
    assert article["headline"] == "Profile title"
    assert article["authors"] == ["Ana Roy"]
    assert article["date_published"] == "2024-02-02T10:00:00+01:00"
    assert article["site"] == "example"


def test_fields_from_open_graph_and_article_meta() -> None:
    html = page(
        '<meta property="og:description" content="Desc">'
        '<meta property="article:section" content="World">'
        '<meta property="article:tag" content="A"><meta property="article:tag" content="B">'
        '<meta property="og:image" content="/img/x.jpg">'
        '<meta property="article:modified_time" content="2024-05-02T00:00:00Z">'
        '<meta property="article:published_time" content="2024-05-01T00:00:00Z">'
        '<link rel="canonical" href="/world/story?amp=0">'
    )
    article = extract_article(html, URL, now=NOW)
    assert article["description"] == "Desc"
    assert article["section"] == "World"
    assert article["tags"] == ["A", "B"]
    assert article["image"] == "https://news.example.com/img/x.jpg"
    assert article["date_published"] == "2024-05-01T00:00:00+00:00"
    assert article["date_modified"] == "2024-05-02T00:00:00+00:00"
    assert article["canonical_url"] == "https://news.example.com/world/story?amp=0"


def test_modified_before_published_is_dropped() -> None:
    html = page(
        '<meta property="article:published_time" content="2024-05-03T00:00:00Z">'
        '<meta property="article:modified_time" content="2024-05-01T00:00:00Z">'
    )
    assert extract_article(html, URL, now=NOW)["date_modified"] is None


def test_bytes_in_a_legacy_encoding_are_decoded() -> None:
    html = page(
        '<meta charset="windows-1252"><title>Été</title>', "<h1>Un été brûlant à Paris</h1>"
    )
    article = extract_article(html.encode("cp1252"), URL, now=NOW)
    assert article["headline"] == "Un été brûlant à Paris"


SWAHILI = (
    "Jeshi la polisi mkoani Shinyanga limewakamata watu kumi na nane kwa tuhuma za makosa "
    "mbalimbali ikiwemo wizi na uvunjaji wa nyumba. Kamanda wa polisi wa mkoa alisema kwamba "
    "watuhumiwa watafikishwa mahakamani baada ya upelelezi kukamilika."
)
ENGLISH = (
    "The harbour reopened to passenger ferries on Tuesday, two weeks after a winter storm "
    "damaged the main pier and forced operators to cancel every crossing for the season."
)


def test_a_declared_english_default_yields_to_clearly_other_text() -> None:
    assert page_language("en-US", text=SWAHILI) == "sw"
    assert page_language("en-US", text=ENGLISH * 2) == "en"
    assert page_language("en", text="Kwa ufupi.") == "en"  # too short to overrule
    assert page_language("de", text=SWAHILI) == "de"  # other declarations are trusted


def test_the_standfirst_under_the_headline_is_the_description() -> None:
    lead = "The council voted late on Tuesday, after a debate that lasted into the night."
    html = page(
        '<meta property="og:description" content="Generic site description for sharing.">',
        '<div class="header"><div class="top"><h1>Council passes the budget at last</h1>'
        '<div class="related-lead"><h3>Other news</h3><a href="/x">Another story here</a></div>'
        '<div class="summary-box"><a href="/y">A linked teaser, not the lead at all</a></div>'
        f'<p class="article-lead">{lead}</p></div></div><p>Body text of the article.</p>',
    )
    assert extract_article(html, URL, now=NOW)["description"] == lead


def test_without_a_standfirst_og_description_is_used() -> None:
    html = page(
        '<meta property="og:description" content="Shared summary.">',
        "<div><h1>Council passes the budget at last</h1><p>Body.</p></div>",
    )
    assert extract_article(html, URL, now=NOW)["description"] == "Shared summary."


def test_section_from_breadcrumbs_when_nothing_else_names_it() -> None:
    crumbs = {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": 3, "name": "Council passes the budget at last"},
            {"@type": "ListItem", "position": 1, "name": "Startseite", "item": "https://x/"},
            {"@type": "ListItem", "position": 2, "item": {"@id": "https://x/p", "name": "Politik"}},
        ],
    }
    html = page(ld(crumbs), "<div><h1>Council passes the budget at last</h1><p>Body.</p></div>")
    assert extract_article(html, URL, now=NOW)["section"] == "Politik"


@pytest.mark.parametrize(
    "module",
    [
        "newscrawler.extraction.dates",
        "newscrawler.extraction.authors",
        "newscrawler.extraction.headline",
        "newscrawler.extraction.sitenames",
        "newscrawler.extraction.language",
        "newscrawler.extraction.parsing",
    ],
)
def test_docstring_examples(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0


def test_a_generic_profile_names_no_site() -> None:
    generic = Profile(name="wordpress", generic=True)
    article = extract_article(page(), "https://www.blog.example.org/a", generic, now=NOW)
    assert article["site"] == "blog.example.org"
    assert extract_article(page(), URL, Profile(name="example"), now=NOW)["site"] == "example"


ARTICLE = "<article><h1>Bridge reopens after repairs</h1><p>" + "The bridge reopened. " * 8 + "</p>"


def test_page_tags_fill_in_only_when_metadata_lists_none() -> None:
    row = '<div class="tags"><a href="/t/bridges">Bridges</a><a href="/t/city">City</a></div>'
    on_page = extract_article(page(body=ARTICLE + row + "</article>"), URL, now=NOW)
    assert on_page["tags"] == ["Bridges", "City"]
    meta = '<meta name="keywords" content="Infrastructure, Traffic">'
    declared = extract_article(page(meta, ARTICLE + row + "</article>"), URL, now=NOW)
    assert declared["tags"] == ["Infrastructure", "Traffic"]


@pytest.mark.parametrize(
    ("markup", "tags"),
    [
        # a site menu linking to topic pages is no tag row
        ('<nav><a rel="tag" href="/t/a">Politics</a><a rel="tag" href="/t/b">Sport</a></nav>', []),
        # a framework's button wrapping a link is one tag, and comments do not split the row
        (
            '<div class="taglist"><span><button class="tag"><a href="/t/x">Dax</a></button></span>'
            "<!----><span><button><a>Euro</a></button></span></div>",
            ["Dax", "Euro"],
        ),
        # a sentence in a tag box is a teaser, not a tag
        ('<div class="tags"><a href="/t/x">All about the World Cup.</a></div>', []),
    ],
)
def test_page_tag_rows(markup: str, tags: list[str]) -> None:
    assert page_tags(lxml.html.fromstring(page(body=ARTICLE + "</article>" + markup))) == tags


TAGS_ROW = (
    '<div class="entry-tags"><a href="/tag/bridges/" rel="tag">Bridges</a>'
    '<a href="https://example.com/tag/city/" rel="tag">City</a></div>'
)
QUOTED = "https%3A%2F%2Fwww.example.org%2Fa"


@pytest.mark.parametrize(
    ("markup", "url", "tags"),
    [
        # a share bar named after both ("tags-social"): its links lead to other sites' share
        # endpoints, by mail, or nowhere; the row of the site's own tag pages wins
        (
            TAGS_ROW + '<div class="tags-social">'
            f'<a href="https://www.linkedin.com/shareArticle?mini=true&amp;url={QUOTED}">LinkedIn</a>'
            '<a href="https://bsky.app/intent/compose?text=Bridge%20reopens">Bluesky</a>'
            '<a href="https://t.me/s/examplenews">Telegram</a>'
            f'<a href="mailto:?body={QUOTED}">Email</a><a href="#">Like</a>'
            '<a href="javascript:window.print()">Print</a></div>',
            "https://www.example.org/a",
            ["Bridges", "City"],
        ),
        # without the page's URL, an endpoint handed a URL is still no tag (the host is unknown)
        (
            '<ul class="tag-list">'
            f'<li><a href="https://www.facebook.com/sharer/sharer.php?u={QUOTED}">Facebook</a></li>'
            f'<li><a href="/share?url={QUOTED}">Share</a></li>'
            '<li><a href="/topics/bridges">Bridges</a></li></ul>',
            None,
            ["Bridges"],
        ),
        # topic pages of another site (an encyclopedia) are no tags of this one
        (
            '<div class="tags"><a href="https://en.wikipedia.org/wiki/Bridge">Bridge</a>'
            '<a href="https://en.wikipedia.org/wiki/Repair">Repair</a></div>',
            "https://news.example.org/a",
            [],
        ),
        # WordPress's categories (rel="category tag") name the section: a longer row of them
        # does not beat the tags, and alone they are none
        (
            '<div class="cat-links"><a href="/category/local/" rel="category tag">Local</a>'
            '<a href="/category/traffic/" rel="category tag">Traffic</a></div>'
            '<div class="tags-links"><a href="/tag/bridges/" rel="tag">Bridges</a></div>',
            "https://www.example.org/a",
            ["Bridges"],
        ),
        (
            '<span class="cat-links">'
            '<a href="/category/local/" rel="category tag">Local</a></span>',
            "https://www.example.org/a",
            [],
        ),
    ],
)
def test_tag_links_lead_into_the_site(markup: str, url: str | None, tags: list[str]) -> None:
    tree = lxml.html.fromstring(page(body=ARTICLE + markup + "</article>"))
    assert page_tags(tree, url) == tags


def test_cms_ids_among_the_keywords_are_no_tags() -> None:
    meta = (
        '<meta name="keywords" content="26157981-b4f7-4929-adc1-e860c6f03636, Travel,'
        ' 5f2b8c9d0e1a2b3c4d5e6f70, Jasper">'
    )
    assert extract_article(page(meta, ARTICLE + "</article>"), URL, now=NOW)["tags"] == [
        "Travel",
        "Jasper",
    ]


def test_a_glued_json_ld_keyword_string_gives_way_to_the_listed_keywords() -> None:
    glued = ld({"@type": "NewsArticle", "keywords": "Boxen Russland Frank Warren Tyson Fury"})
    meta = '<meta name="keywords" content="Boxen,Tyson Fury,Frank Warren,Russland">'
    got = extract_article(page(glued + meta, ARTICLE + "</article>"), URL, now=NOW)["tags"]
    assert got == ["Boxen", "Tyson Fury", "Frank Warren", "Russland"]
    alone = ld({"@type": "NewsArticle", "keywords": "Boxen Russland Frank Warren Tyson Fury"})
    single = extract_article(page(alone, ARTICLE + "</article>"), URL, now=NOW)["tags"]
    assert single == ["Boxen Russland Frank Warren Tyson Fury"]  # nothing better listed


@given(st.lists(st.text(max_size=40), max_size=12), st.sampled_from(["", "www.site.example"]))
def test_clean_tags_gives_distinct_non_empty_tags(raw: list[str], host: str) -> None:
    tags = clean_tags(raw, host)
    assert all(t and t == t.strip() for t in tags)
    assert len({t.casefold() for t in tags}) == len(tags)


@pytest.mark.parametrize(
    "trail",
    [
        '<nav class="crumbs">{h1}</nav>',
        '<ol itemscope itemtype="https://schema.org/BreadcrumbList"><li>{h1}</li></ol>',
        '<div aria-label="Breadcrumb">{h1}</div>',
    ],
)
def test_an_h1_in_the_breadcrumb_trail_yields_to_the_article_heading(trail: str) -> None:
    h1 = "<h1>Wahl 2024: Parteien ringen um Stimmen in der Mitte</h1>"
    body = trail.format(h1=h1) + (
        "<article><h2><span class='kicker'>Landtag</span> Mitte-Parteien verlieren Boden</h2>"
        "<p>" + "Die Parteien der Mitte verlieren weiter an Zustimmung. " * 4 + "</p></article>"
    )
    og = '<meta property="og:title" content="Mitte-Parteien verlieren Boden">'
    og += ld(
        {"@type": "NewsArticle", "headline": "Wahl 2024: Parteien ringen um Stimmen in der Mitte"}
    )
    assert extract_article(page(og, body, "de"), URL, now=NOW)["headline"] == (
        "Mitte-Parteien verlieren Boden"
    )


STORY = "https://board.example.net/story/1/libraries-open-late"


@pytest.mark.parametrize(
    ("h1", "headline"),
    [  # the rest of the <h1> is other links: the source and the comment count
        (
            f'<h1><a href="{STORY}">Libraries open late</a> <a href="https://src.example.com/a">'
            f'(src.example.com)</a> <a href="{STORY}#comments">42</a></h1>',
            "Libraries open late",
        ),
        (  # words outside links are part of the title
            f'<h1><a href="{STORY}">Libraries open late</a> in winter '
            '<a href="https://src.example.com/a">(src.example.com)</a></h1>',
            "Libraries open late in winter (src.example.com)",
        ),
        (  # a single link around the whole title
            f'<h1><a href="{STORY}">Libraries open late</a></h1>',
            "Libraries open late",
        ),
    ],
)
def test_link_post_headline_is_the_link_to_the_page_itself(h1: str, headline: str) -> None:
    page = f"<html><body><main>{h1}<p>{'Text of the story. ' * 20}</p></main></body></html>"
    assert extract_article(page, STORY)["headline"] == headline
