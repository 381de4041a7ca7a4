"""Page-kind verdict on fixture pages written here (never copies of corpus pages).

Each fixture names the shape it stands for: teaser cards with summaries, plain headline lists,
tables, image grids, forum threads, product pages, documentation, and articles with related-story
rails and comment threads, in several languages and with class names of no known theme.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml.html import document_fromstring
from scrapy.http import HtmlResponse

from newscrawler.bench import pagekind as bench_pagekind
from newscrawler.bench.corpus import load_corpus
from newscrawler.discovery.classify import Kind, is_article
from newscrawler.extraction.page import extract_page
from newscrawler.extraction.pagekind import PageVerdict, judge_page, page_structure
from newscrawler.loaders import load_article, load_page
from newscrawler.profiles.loader import parse_profile
from newscrawler.spiders.judge import judge as spider_judge

SENTENCES = {
    "en": "The council voted late on Tuesday to keep the river crossing open through the winter, "
    "after residents had argued for months that the detour doubled their daily commute. ",
    "fr": "Le conseil municipal a voté mardi soir le maintien du pont ouvert tout l'hiver, après "
    "des mois de protestations des habitants contre un détour qui doublait leur trajet. ",
    "de": "Der Gemeinderat hat am Dienstagabend beschlossen, die Brücke den ganzen Winter offen "
    "zu halten, nachdem Anwohner monatelang über den doppelt so langen Umweg geklagt hatten. ",
    "es": "El ayuntamiento votó el martes por la noche mantener el puente abierto todo el "
    "invierno, después de meses de quejas de los vecinos por un desvío que duplicaba su trayecto. ",
    "ja": "市議会は火曜日の夜、冬の間も橋を開通させ続けることを決定した。住民は数か月にわたり、"
    "迂回路によって通勤時間が二倍になったと訴えていた。今後は夜間の照明も増やされる予定だ。",
}


def page(body: str, head: str = "", lang: str = "en") -> str:
    head = f"<head><title>T</title>{head}</head>"
    return f"<!doctype html><html lang='{lang}'>{head}<body>{body}</body></html>"


def nav(lang: str = "en") -> str:
    items = "".join(f"<li><a href='/s/{i}'>Section {i}</a></li>" for i in range(8))
    return f"<header><div class='zz-top'><ul class='menu'>{items}</ul></div></header>"


def footer() -> str:
    links = "".join(f"<a href='/p/{i}'>Page {i}</a> " for i in range(6))
    return f"<footer><p>{links}</p><p>© Example Media</p></footer>"


def article_body(lang: str = "en", paragraphs: int = 6) -> str:
    return "".join(f"<p>{SENTENCES[lang] * 2}</p>" for _ in range(paragraphs))


def article_page(lang: str = "en", extra: str = "", head: str = "") -> str:
    return page(
        nav(lang)
        + "<div class='qx-wrap'><div class='qx-main'><h1>River crossing stays open</h1>"
        + "<div class='qx-meta'>By <a href='/people/ana'>Ana Ruiz</a></div>"
        + f"<div class='qx-text'>{article_body(lang)}</div></div>{extra}</div>"
        + footer(),
        head,
        lang,
    )


def related_rail(count: int = 6) -> str:
    items = "".join(
        f"<li class='qx-rel'><a href='/news/{i}'>Another headline about the city, no. {i}</a></li>"
        for i in range(count)
    )
    return f"<div class='qx-side'><h3>More</h3><ul>{items}</ul></div>"


def comment_thread(count: int = 8) -> str:
    comments = "".join(
        f"<div class='qx-c'><a href='/u/{i}'>reader{i}</a><p>I agree, the detour was awful and "
        f"took far too long every single morning. Comment {i}.</p></div>"
        for i in range(count)
    )
    return f"<section class='qx-comments'>{comments}</section>"


def cards(lang: str = "en", count: int = 10) -> str:
    summary = SENTENCES[lang][:140]
    return "".join(
        f"<div class='box7'><h3><a href='/a/{i}'>A headline for story number {i} today</a></h3>"
        f"<p>{summary}</p><span><a href='/people/{i}'>Writer {i}</a></span></div>"
        for i in range(count)
    )


def assert_kind(verdict: PageVerdict, kind: str) -> None:
    assert verdict.kind == kind, verdict
    assert verdict.is_article is (kind == "article")
    assert 0.0 <= verdict.confidence <= 1.0
    assert verdict.reasons


@pytest.mark.parametrize("lang", ["en", "fr", "de", "es", "ja"])
def test_plain_article_without_metadata_is_an_article(lang: str) -> None:
    verdict = judge_page(article_page(lang), "https://ex.test/item/8812")
    assert_kind(verdict, "article")
    assert verdict.confidence >= 0.7
    assert any("chars of body text" in r for r in verdict.reasons)


def test_article_with_related_rail_and_comments_is_an_article() -> None:
    html = article_page("en", related_rail(8) + comment_thread(12))
    assert_kind(judge_page(html, "https://ex.test/item/8812"), "article")


@pytest.mark.parametrize("lang", ["en", "fr", "de", "es"])
def test_cards_with_summaries_are_a_listing(lang: str) -> None:
    html = page(
        nav(lang) + f"<main><div class='grid9'>{cards(lang)}</div></main>" + footer(), lang=lang
    )
    verdict = judge_page(html, "https://ex.test/articles/3")
    assert_kind(verdict, "listing")
    assert verdict.confidence < 0.3
    assert any("repeated teasers" in r for r in verdict.reasons)


def test_cards_win_over_a_declared_article_type() -> None:
    """A home page whose theme declares og:type article on every page is still a listing."""
    head = "<meta property='og:type' content='article'>"
    html = page(nav() + f"<main>{cards('en', 12)}</main>" + footer(), head)
    assert_kind(judge_page(html, "https://ex.test/articles/3"), "listing")


LISTS = {
    "plain headline list": (
        "fr",
        "<ul>{}</ul>",
        "<li><a href='/n/{i}'>Le conseil vote le maintien du pont n° {i}</a> <i>12/03</i></li>",
    ),
    "table of headlines": (
        "de",
        "<table>{}</table>",
        "<tr><td>03-01</td><td><a href='/d/{i}'>Gemeinderat beschließt Brücke {i}</a></td></tr>",
    ),
    "grid of images only": (
        "es",
        "<div class='mosaic'>{}</div>",
        "<figure class='t'><a href='/g/{i}'><img src='/i/{i}.jpg' alt='foto {i}'></a></figure>",
    ),
}


@pytest.mark.parametrize("shape", sorted(LISTS))
def test_lists_of_links_are_listings(shape: str) -> None:
    lang, wrapper, item = LISTS[shape]
    items = "".join(item.format(i=i) for i in range(20))
    html = page(nav(lang) + f"<div class='col'>{wrapper.format(items)}</div>" + footer(), lang=lang)
    assert_kind(judge_page(html, "https://ex.test/rubrique-ville"), "listing")


def test_forum_thread_is_not_an_article() -> None:
    posts = "".join(
        f"<div class='post'><div class='who'><a href='/member/{i}'>member{i}</a></div>"
        f"<div class='msg'><p>{SENTENCES['en']}</p></div></div>"
        for i in range(10)
    )
    head = '<script type="application/ld+json">{"@type": "DiscussionForumPosting"}</script>'
    html = page(nav() + f"<main><h1>Detour question</h1>{posts}</main>" + footer(), head)
    assert not judge_page(html, "https://forum.ex.test/t/detour-question/5521").is_article


def test_product_page_is_not_an_article() -> None:
    ld = {"@context": "https://schema.org", "@type": "Product", "name": "Kettle",
          "offers": {"@type": "Offer", "price": "29.00"}}  # fmt: skip
    head = f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    body = nav() + f"<main><h1>Kettle</h1><p>{SENTENCES['en']}</p><button>Add</button></main>"
    assert not judge_page(page(body + footer(), head), "https://shop.ex.test/kettle").is_article


def test_listing_url_and_thin_page_is_not_an_article() -> None:
    html = page(nav() + "<main><p>Nothing here yet.</p></main>" + footer())
    verdict = judge_page(html, "https://ex.test/category/city/")
    assert not verdict.is_article
    assert any("listing-shaped URL" in r for r in verdict.reasons)


def test_empty_or_broken_input_never_raises() -> None:
    assert judge_page("", "https://ex.test/") == PageVerdict("other", 0.0, ("no document",))
    assert not judge_page(b"\x00\x01", None).is_article
    deep = "<div>" * 5000 + "x" + "</div>" * 5000
    assert not judge_page(page(deep)).is_article


def test_a_parsed_tree_is_judged_the_same_as_its_text() -> None:
    html = article_page("de")
    url = "https://ex.test/item/8812"
    assert judge_page(document_fromstring(html), url) == judge_page(html, url)


def test_short_extracted_body_is_not_an_article() -> None:
    assert not judge_page(article_page(), "https://ex.test/item/8812", body_length=0).is_article


def test_extract_page_returns_article_and_verdict_from_one_parse() -> None:
    article, verdict = extract_page(article_page("fr"), "https://ex.test/item/8812")
    assert article["headline"] == "River crossing stays open"
    assert article["body"].startswith("Le conseil municipal")
    assert_kind(verdict, "article")
    listing, verdict = extract_page(page(f"<main>{cards()}</main>"), "https://ex.test/articles/1")
    assert set(listing) == set(article)  # same schema fields whatever the verdict
    assert_kind(verdict, "listing")


def test_load_page_gives_the_item_and_the_verdict() -> None:
    url = "https://ex.test/articles/2"
    response = HtmlResponse(url, body=page(f"<main>{cards()}</main>").encode(), encoding="utf-8")
    item, verdict = load_page(response)
    assert item.url == url
    assert_kind(verdict, "listing")
    assert load_article(response).url == url  # the old entry point still works


@pytest.mark.parametrize(
    ("kind", "body_length", "expected"),
    [("article", 500, True), ("article", 20, False), ("listing", 5000, False)],
)
def test_is_article_follows_the_verdict(kind: str, body_length: int, expected: bool) -> None:
    verdict = PageVerdict(kind, 0.9 if kind == "article" else 0.1, ("fixture",))
    # The URL and page signal say article; the verdict (which weighed them) decides.
    assert is_article(Kind.ARTICLE, Kind.ARTICLE, body_length, verdict=verdict) is expected
    assert is_article(Kind.UNKNOWN, Kind.UNKNOWN, body_length, trusted=True, verdict=verdict)


def test_documentation_page_is_not_an_article() -> None:
    toc = "".join(f"<li><a href='/docs/api/{i}'>Method {i}</a></li>" for i in range(30))
    text = "".join(
        f"<h2>Option {i}</h2><p>{SENTENCES['en']}</p><pre>client.call(option={i})</pre>"
        for i in range(5)
    )
    html = page(f"<nav><ul>{toc}</ul></nav><main><h1>Client options</h1>{text}</main>")
    verdict = judge_page(html, "https://docs.ex.test/reference/client-options")
    assert not verdict.is_article
    assert any("documentation-shaped URL" in r for r in verdict.reasons)


def test_dated_bylined_extraction_raises_confidence() -> None:
    html, url = article_page("es"), "https://ex.test/blog/puente"
    bare = judge_page(html, url, article={"body": "x" * 2000})
    known = judge_page(html, url, article={"body": "x" * 2000, "date_published": "2025-01-02",
                                           "authors": ["Ana Ruiz"]})  # fmt: skip
    assert known.confidence > bare.confidence
    assert "a publication date" in " ".join(known.reasons)


def test_bench_prints_confusion_table_and_goal_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pages = {
        "a.html": (
            "article",
            "https://ex.test/2025/03/04/river-crossing-stays-open",
            article_page(),
        ),
        "l.html": ("listing", "https://ex.test/articles/2", page(f"<main>{cards()}</main>")),
    }
    lines = []
    for name, (kind, url, html) in pages.items():
        (tmp_path / name).write_text(html, encoding="utf-8")
        lines.append(json.dumps({"file": name, "url": url, "page_type": kind, "domain": "ex.test"}))
    (tmp_path / "expected.jsonl").write_text("\n".join(lines), encoding="utf-8")
    assert bench_pagekind.main(["--corpus", str(tmp_path), "--halves"]) == 0
    out = capsys.readouterr().out
    assert "| article | 1 | 1 (100 %) | 1 (100 %) | 0 (0 %) | 0 (0 %) |" in out
    # Today's decision emits the cards page (its summaries pass 400 characters); the verdict not.
    assert "| listing | 1 | 1 (100 %) | 0 (0 %) | 1 (100 %) | 0 (0 %) |" in out
    assert "| article recall | ≥ 0.95 | 1.000 | 1.000 |" in out
    assert "| listing+collection judged article | ≤ 0.05 | 1.000 | 0.000 |" in out
    data = bench_pagekind.tally([bench_pagekind.judge(p) for p in load_corpus(tmp_path)])
    assert bench_pagekind.SECTION.render(data)[0].startswith("page kind")
    # --spider adds the news spider's own decision (spiders/judge.py) as a column
    assert bench_pagekind.main(["--corpus", str(tmp_path), "--spider"]) == 0
    out = capsys.readouterr().out
    assert "| article | 1 | 1 (100 %) | 1 (100 %) | 0 (0 %) | 0 (0 %) | 1 (100 %) |" in out
    assert "| listing+collection judged article | ≤ 0.05 | 1.000 | 0.000 | 0.000 |" in out


@pytest.mark.parametrize(
    "url",
    [
        "https://forum.ex.test/t/which-bridge-detour-is-faster/5521",
        "https://ex.test/community/threads/which-bridge-detour-is-faster.5521/",
        "https://ex.test/board/viewtopic.php?t=5521",
    ],
)
def test_forum_thread_without_declared_type_is_not_an_article(url: str) -> None:
    posts = "".join(
        f"<div class='m{i % 2}'><a href='/member/{i}'>member{i}</a><p>{SENTENCES['en']}</p></div>"
        for i in range(6)
    )
    html = page(nav() + f"<main><h1>Which detour is faster?</h1>{posts}</main>" + footer())
    verdict = judge_page(html, url, article={"body": "x" * 1500, "date_published": "2025-01-02"})
    assert not verdict.is_article
    assert any("forum-shaped URL" in r for r in verdict.reasons)


def test_a_page_that_cannot_be_judged_is_logged_not_raised(
    caplog: pytest.LogCaptureFixture,
) -> None:
    verdict = judge_page(12345, "https://ex.test/x")  # type: ignore[arg-type]
    assert verdict.kind == "other" and not verdict.is_article
    assert verdict.reasons[0].startswith("not judged")
    assert "could not be judged" in caplog.text


def test_the_unseen_portal_of_issue_13() -> None:
    """No JSON-LD, no Open Graph, numeric ids: cards are listings, a story is an article."""
    links = "".join(f"<a href='/articles/{i}'>Category {i}</a>" for i in range(1, 7))
    menu = f"<nav><a href='/'>Home</a>{links}<a href='/rss.xml'>RSS</a></nav>"
    text = "".join(f"<p>{SENTENCES['en']}</p>" for _ in range(3))
    story = page(
        f"{menu}<div class='container'><h1>Budget approved</h1><div class='meta'>"
        "<strong>Author:</strong> <a href='/author/2'>Jane Roe</a> "
        f"<strong>Published:</strong> November 08, 2025</div>{text}</div>"
    )
    article, verdict = extract_page(story, "http://127.0.0.1:8000/article/7")
    assert article["authors"] == ["Jane Roe"]
    assert_kind(verdict, "article")
    cards_page = page(f"{menu}<div class='container'><h1>Latest</h1>{cards()}</div>")
    for path in ("/", "/articles/3", "/articles/3?page=2", "/author/2"):
        _, verdict = extract_page(cards_page, f"http://127.0.0.1:8000{path}")
        assert_kind(verdict, "listing")


def test_a_profiles_url_patterns_settle_the_verdict() -> None:
    profile = parse_profile(
        {"name": "exsite", "urls": {"article": ["^/s/\\d+$"], "listing": ["^/rubrik/"]}}, "test"
    )
    listing = page(nav() + f"<main>{cards()}</main>" + footer())
    assert judge_page(listing, "https://ex.test/s/12", profile).is_article
    verdict = judge_page(article_page(), "https://ex.test/rubrik/stadt", profile)
    assert_kind(verdict, "listing")
    assert "profile listing URL pattern" in " ".join(verdict.reasons)


def test_short_cjk_paragraphs_are_running_text() -> None:
    """CJK text has no spaces and packs more per character: half the length is a paragraph."""
    ja = "".join(f"<p>{SENTENCES['ja']}</p>" for _ in range(6))
    en = "".join(f"<p>{SENTENCES['en'][: len(SENTENCES['ja'])]}</p>" for _ in range(6))
    assert page_structure(document_fromstring(page(f"<div>{ja}</div>"))).dominant_block >= 400
    assert page_structure(document_fromstring(page(f"<div>{en}</div>"))).dominant_block == 0


def test_a_short_page_that_declares_a_product_is_not_emitted_by_the_spider() -> None:
    # the theme says og:type article, the shop says Product: on a short page the spider's old
    # decision (an article declaration vouches for it) must not overrule the product evidence
    ld = {"@context": "https://schema.org", "@type": "Product", "name": "Kettle"}
    head = (
        '<meta property="og:type" content="article">'
        f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    )
    body = nav() + f"<main><h1>Kettle</h1><p>{SENTENCES['en']}</p></main>" + footer()
    url = "https://shop.ex.test/2025/05/02/kettle-with-steel-handle/"
    response = HtmlResponse(url, body=page(body, head).encode(), encoding="utf-8")
    verdict = judge_page(page(body, head), url)
    assert verdict.contrary and not verdict.is_article
    assert spider_judge(response, None).kind != "article"
    # the same short page without the product declaration is a short dispatch, still emitted
    plain = page(body, '<meta property="og:type" content="article">')
    response = HtmlResponse(url, body=plain.encode(), encoding="utf-8")
    assert not judge_page(plain, url).contrary
    assert spider_judge(response, None).kind == "article"


def test_numbered_pages_mark_a_listing_and_one_dated_article_element_an_article() -> None:
    pager = "<ul class='x'>" + "".join(
        f"<li><a href='/news/?page={n}'>{n}</a></li>" for n in (1, 2, 3)
    ) + "</ul>"  # fmt: skip
    listing = judge_page(page(nav() + f"<main>{cards()}{pager}</main>" + footer()), None)
    assert any("numbered pages" in reason for reason in listing.reasons)
    assert_kind(listing, "listing")
    text = article_body()
    dated = page(
        nav() + f"<article><h1>Storm</h1><time>May 2, 2025</time>{text}</article>" + footer()
    )
    undated = page(nav() + f"<div><h1>Storm</h1>{text}</div>" + footer())
    with_markup = judge_page(dated, "https://ex.test/storm")
    without = judge_page(undated, "https://ex.test/storm")
    assert with_markup.confidence > without.confidence
    assert any("<article>" in reason for reason in with_markup.reasons)


def test_section_names_are_not_forum_urls() -> None:
    # forum software's schemes are /topic/, /t/, /threads/...; /topics/ and /community/ name
    # sections of news and tutorial sites
    html = article_page()
    for url in ("https://ex.test/topics/health/best-toothbrush-for-kids",
                "https://ex.test/community/tutorials/how-to-set-up-a-server"):  # fmt: skip
        assert not any("forum" in r for r in judge_page(html, url).reasons), url
    forum = judge_page(html, "https://ex.test/forums/topic/123-help-with-my-router/")
    assert any("forum" in r for r in forum.reasons)


def test_a_main_inside_the_page_banner_is_read() -> None:
    """Broken markup: an unclosed <header> holds the whole page, its <main> included. The walk
    does not enter page chrome, but the page's <main> is never chrome."""
    menu = "<nav>" + "".join(f"<a href='/s/{i}'>Section {i}</a>" for i in range(8)) + "</nav>"
    main = f"<main><h1>Winter road safety</h1>{article_body()}</main>"
    html = page(f"<header><div class='brand'>Example Agency</div>{menu}{main}" + footer())
    structure = page_structure(document_fromstring(html))
    assert structure.dominant_block >= 1500
    assert structure.link_text == 0  # the banner's own menu is still not read
    assert_kind(judge_page(html, "https://ex.test/safety/winter-roads"), "article")


def test_a_header_inside_a_section_is_not_the_page_banner() -> None:
    """HTML5: <header> and <footer> are the page's banner and footer only outside <main>,
    <article> and <section>. Inside them they belong to the section: a post's headline in a
    WordPress-style teaser, or a page builder's content section."""
    summary = SENTENCES["en"][:140]
    teasers = "".join(
        f"<article class='post'><header class='entry-header'><h2><a href='/2025/05/story-{i}/'>"
        f"A headline for story number {i} today</a></h2></header><p>{summary}</p></article>"
        for i in range(10)
    )
    html = page(nav() + f"<main>{teasers}</main>" + footer())
    structure = page_structure(document_fromstring(html))
    assert structure.teasers == 10
    assert_kind(judge_page(html, "https://ex.test/blog/"), "listing")
    # a top-level banner is still page chrome: the same page without it reads the same text
    bare = page_structure(document_fromstring(page(f"<main>{teasers}</main>" + footer())))
    assert structure.text == bare.text
    # the text of a post whose builder wraps it in a <header> inside <main>
    post = page(nav() + f"<main><header class='c-post'><div>{article_body()}</div></header></main>")
    assert page_structure(document_fromstring(post)).dominant_block >= 1500


def test_one_wrapper_per_paragraph_is_still_one_text_block() -> None:
    """Page builders wrap each paragraph in its own module (or a list of one item): the
    paragraphs of one text are then not siblings, but they are still one text block."""
    text = SENTENCES["en"]
    shapes = {
        "modules": "".join(f"<div class='m1'><div class='m2'><p>{text}</p></div></div>" * 8),
        "one-item lists": "".join(f"<ul><li>{text}</li></ul>" * 8),
        "text in divs": "".join(f"<div class='m1'><div>{text}</div></div>" * 8),
    }
    for shape, body in shapes.items():
        html = page(nav() + f"<div class='pg'><h1>How to cross in winter</h1>{body}</div>")
        structure = page_structure(document_fromstring(html))
        assert structure.dominant_block == structure.paragraph_text >= 1000, shape
        assert_kind(judge_page(html, "https://ex.test/guides/winter-crossing"), "article")
    # a teaser holds a headline link: its summary stays its own small block
    listing = page_structure(document_fromstring(page(nav() + f"<main>{cards()}</main>")))
    assert listing.dominant_block < 200


def test_teasers_holding_three_times_the_running_text_are_a_listing() -> None:
    """A theme that declares every page a post (og:type article, WordPress's single-post class,
    one <article>) around a line of introduction and a long run of teasers: a listing, even when
    the intro alone is enough body for the spider."""
    head = "<meta property='og:type' content='article'>"
    teasers = "".join(
        f"<div class='wp-block-column'><figure><a href='/winners/{i}'><img src='/i/{i}.jpg'></a>"
        f"</figure><h3><a href='/winners/{i}'>Winner of the year in category {i}</a></h3>"
        f"<h4>Studio number {i}, Lisbon</h4></div>"
        for i in range(30)
    )
    body = (
        nav()
        + f"<main><article><h1>Best of the year</h1><p>{SENTENCES['en'] * 2}</p>"
        + f"<div class='wp-block-columns'>{teasers}</div></article></main>"
        + footer()
    )
    html = page(body, head).replace("<body>", "<body class='post-template-default single'>")
    url = "https://ex.test/awards/best-of-year/"
    verdict = judge_page(html, url)
    assert_kind(verdict, "listing")
    assert any("the teasers hold" in r for r in verdict.reasons)
    response = HtmlResponse(url, body=html.encode(), encoding="utf-8")
    assert spider_judge(response, None).kind != "article"
    # the same intro with a related-posts run of a few teasers is still one article
    few = html.replace(teasers, teasers[: len(teasers) // 6])
    few = few.replace(f"<p>{SENTENCES['en'] * 2}</p>", article_body())
    assert_kind(judge_page(few, url), "article")
