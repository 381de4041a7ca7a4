"""Main-content detection and the block walk: which text becomes a Block, and what is dropped."""

from __future__ import annotations

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml.html import HtmlElement

from newscrawler.extraction.article import extract_article
from newscrawler.extraction.blocks import Anchor, Block
from newscrawler.extraction.blockwalk import walk
from newscrawler.extraction.boilerplate import class_share, junk_share
from newscrawler.extraction.content import extract_blocks, find_container
from newscrawler.extraction.lead import is_lead
from newscrawler.profiles.model import Profile

URL = "https://news.example.com/world/story"
FILLER = (
    "The council met on Tuesday evening to discuss the budget for the coming year, "
    "and most members agreed that the new library should be funded first."
)


def tree_of(body: str, head: str = "") -> HtmlElement:
    return lxml.html.document_fromstring(f"<html><head>{head}</head><body>{body}</body></html>")


def blocks_of(body: str, profile: Profile | None = None) -> list[Block]:
    return extract_blocks(tree_of(body), URL, profile)


def texts(blocks: list[Block]) -> list[str]:
    return [b.text for b in blocks]


def article(inner: str, paragraphs: int = 3) -> str:
    """A page: navigation, an article with `paragraphs` filler paragraphs then `inner`, footer."""
    ps = "".join(f"<p>{FILLER} ({n})</p>" for n in range(paragraphs))
    return (
        "<nav><ul><li><a href='/'>Home</a></li><li><a href='/world'>World</a></li></ul></nav>"
        f"<main><article><h1>Title</h1><div class='text'>{ps}{inner}</div></article></main>"
        "<footer><p>Contact us at the newsroom, any time of day or night.</p></footer>"
    )


def test_paragraphs_subheadings_and_list_items_in_document_order() -> None:
    blocks = blocks_of(
        article(
            "<h2>What next</h2><p>First point.</p><ul><li>One</li><li>Two</li></ul>"
            "<h3>Details</h3><ol><li>Three</li></ol>"
        )
    )
    assert [(b.kind, b.text) for b in blocks[3:]] == [
        ("h", "What next"),
        ("p", "First point."),
        ("li", "One"),
        ("li", "Two"),
        ("h", "Details"),
        ("li", "Three"),
    ]
    assert texts(blocks[:3]) == [f"{FILLER} ({n})" for n in range(3)]


def test_navigation_footer_and_headline_are_not_body() -> None:
    body = texts(blocks_of(article("")))
    assert not any(t in ("Home", "World", "Title") or t.startswith("Contact") for t in body)


def test_links_become_anchors_with_the_text_before_them_as_lead() -> None:
    blocks = blocks_of(
        article("<p><strong>Read also:</strong> <a href='/world/other'>Other story</a></p>")
    )
    assert blocks[-1] == Block(
        "p",
        "Read also: Other story",
        (Anchor("Other story", "https://news.example.com/world/other"),),
        "Read also:",
    )


def test_inline_markup_and_line_breaks() -> None:
    blocks = blocks_of(
        article("<p>An <em>inline</em> <a href='x'>link</a>, then<br>a new line</p>")
    )
    assert texts(blocks[-2:]) == ["An inline link, then", "a new line"]
    assert blocks[-2].anchors == (Anchor("link", "https://news.example.com/world/x"),)


def test_text_directly_inside_divs_becomes_paragraphs() -> None:
    blocks = blocks_of(
        article("<div>Loose text <b>with bold</b> <div>Nested block</div> tail</div>")
    )
    assert texts(blocks[-3:]) == ["Loose text with bold", "Nested block", "tail"]


def test_blockquote_becomes_a_quote_block_and_social_embeds_are_dropped() -> None:
    blocks = blocks_of(
        article(
            "<blockquote><p>We will rebuild the bridge.</p></blockquote>"
            "<blockquote class='twitter-tweet'><p>Look at this!</p>— someone</blockquote>"
        )
    )
    quotes = [b for b in blocks if b.kind == "quote"]
    assert len(quotes) == 1
    assert "We will rebuild the bridge." in quotes[0].text
    assert not any("Look at this" in t for t in texts(blocks))


@pytest.mark.parametrize(
    "junk",
    [
        "<div class='share-bar'><a href='#'>Share on Facebook</a> <span>Tweet this</span></div>",
        "<div class='newsletter-box'><p>Sign up for our daily newsletter, it is free.</p></div>",
        "<div id='comments'><p>What a great article, thank you for writing it!</p></div>",
        "<div class='ad-slot'><p>Advertisement</p></div>",
        "<figure><img src='a.jpg'><figcaption>The bridge. Photo: Agency</figcaption></figure>",
        "<div class='cookie-consent'><p>We use cookies to show you relevant adverts.</p></div>",
        "<div class='byline'>By Jane Doe, Foreign Correspondent in the capital</div>",
        "<aside><p>Related: the history of the bridge in twelve pictures.</p></aside>",
        "<p style='display: none'>Hidden prompt asking you to enable JavaScript.</p>",
        "<span class='sr-only'>Opens in a new window, read carefully please</span>",
        "<ul><li><a href='/a'>Most read story one</a></li><li><a href='/b'>Two</a></li></ul>",
        "<div class='pic'><img src='x.jpg'><span>The minister arrives at the summit.</span></div>",
        "<p>Advertisement</p>",
        "<p>Stand: 24.04.2024 22:58 Uhr</p>",
        "<p>© dpa-infocom, dpa:240516-99-53606/3</p>",
    ],
)
def test_boilerplate_inside_the_article_is_dropped(junk: str) -> None:
    assert texts(blocks_of(article(junk))) == [f"{FILLER} ({n})" for n in range(3)]


def test_teaser_cards_and_the_heading_above_them_are_dropped() -> None:
    cards = "".join(
        f"<div class='c'><h3><a href='/s{n}'>Story {n}</a></h3><p>Teaser {n} text.</p></div>"
        for n in range(4)
    )
    body = texts(blocks_of(article(f"<section><h2>More stories</h2><div>{cards}</div></section>")))
    assert body == [f"{FILLER} ({n})" for n in range(3)]


def test_a_boilerplate_looking_class_yields_to_the_text_mass() -> None:
    """`sidebar-grid` and `main--with-nav` wrap the whole article: kept."""
    ps = "".join(f"<p>{FILLER} ({n})</p>" for n in range(4))
    page = f"<main class='main main--with-nav'><div class='sidebar-grid__content'>{ps}</div></main>"
    assert texts(blocks_of(page)) == [f"{FILLER} ({n})" for n in range(4)]
    assert class_share("sidebar-grid__content", "") == 0.1
    assert class_share("main main--with-nav", "") == 0.0


def test_soft_paywall_text_shipped_hidden_is_kept_when_it_is_the_article() -> None:
    hidden = "".join(f"<p>{FILLER} ({n})</p>" for n in range(5))
    page = (
        f"<article><h1>T</h1><p>{FILLER} (teaser)</p><div class='paywall' hidden>{hidden}</div>"
        "</article><div id='login' hidden><p>Please log in to your account to continue.</p></div>"
    )
    body = texts(blocks_of(page))
    assert body == [f"{FILLER} (teaser)"] + [f"{FILLER} ({n})" for n in range(5)]


def test_paywall_prompt_box_is_dropped_but_paywall_paragraphs_are_kept() -> None:
    page = article(
        "<p class='paywall'>A subscriber paragraph with the rest of the story.</p>"
        "<div class='paywall-prompt'><p>Subscribe to read the rest of this story.</p></div>"
    )
    assert texts(blocks_of(page))[-1] == "A subscriber paragraph with the rest of the story."


def test_lead_between_headline_and_container_is_kept_without_bylines_or_dates() -> None:
    ps = "".join(f"<p>{FILLER} ({n})</p>" for n in range(4))
    page = (
        "<article><header><span>Politics</span><h1>Budget passes</h1>"
        "<p class='standfirst'>The council approved next year's budget after a long debate.</p>"
        "<p>By Jane Doe and John Roe, with reporting from the town hall</p>"
        "<p>Published 12.03.2025, 14:30 — updated 15:10</p>"
        f"</header><div class='body'>{ps}</div></article>"
    )
    body = texts(blocks_of(page))
    assert body[0] == "The council approved next year's budget after a long debate."
    assert body[1:] == [f"{FILLER} ({n})" for n in range(4)]


@pytest.mark.parametrize(
    ("block", "title", "expected"),
    [
        (
            Block("p", "Ministers agreed on Monday to raise the minimum wage by four per cent."),
            "",
            True,
        ),
        (
            Block("p", "Photo: Jane Doe / Agency — the minister at the press conference today"),
            "",
            False,
        ),
        (
            Block("h", "Wage rise: ministers agree to raise the minimum wage"),
            "minimum wage rise",
            False,
        ),
        (
            Block("p", "Share on Facebook Twitter WhatsApp and by email with your friends now"),
            "",
            False,
        ),
        (Block("p", "Short lead."), "", False),
    ],
)
def test_lead_line_tests(block: Block, title: str, expected: bool) -> None:
    assert is_lead(block, set(title.split())) is expected


def test_profile_body_selectors_are_tried_in_order_then_generic() -> None:
    page = (
        "<div class='custom'><p>Profile text.</p><div class='ad'>Ad</div></div>"
        + article("")
    )  # fmt: skip
    profile = Profile(name="x", selectors={"body": ("div.missing", "div.custom")})
    assert texts(blocks_of(page, profile)) == ["Profile text."]
    unmatched = Profile(name="y", selectors={"body": ("div.missing",)})
    assert texts(blocks_of(page, unmatched)) == [f"{FILLER} ({n})" for n in range(3)]


def test_container_is_the_article_not_a_heavier_menu_of_short_links() -> None:
    menu = "".join(f"<li><a href='/{n}'>Section {n}</a> <span>new</span></li>" for n in range(80))
    found = find_container(tree_of(f"<nav><ul>{menu}</ul></nav>" + article("")))
    assert found is not None
    assert found[0].get("class") == "text"


def test_page_without_text_has_no_blocks() -> None:
    assert blocks_of("") == []
    assert blocks_of("<div><img src='a.jpg'></div>") == []


def test_the_tree_is_not_modified() -> None:
    tree = tree_of(article("<div class='ad'>Ad</div><blockquote>Q</blockquote>"))
    before = lxml.html.tostring(tree)
    extract_blocks(tree, URL, None)
    assert lxml.html.tostring(tree) == before


def test_junk_share_tiers() -> None:
    el = lxml.html.fragment_fromstring
    assert junk_share(el("<nav>x</nav>")) > 1
    assert junk_share(el("<div class='related-posts'>x</div>")) == 0.5
    assert junk_share(el("<div role='dialog'>x</div>")) == 0.5
    assert junk_share(el("<div class='widget'>x</div>")) == 0.1
    assert junk_share(el("<div class='header shadow'>x</div>")) == 0.1
    assert junk_share(el("<div class='shadow thread'>x</div>")) == 0.0
    assert junk_share(el("<p class='paywall'>x</p>")) == 0.0


HTML_PIECES = st.sampled_from(
    [
        "<p>", "</p>", "<div class='ad'>", "<div>", "</div>", "<article>", "</article>",
        "<h1>", "</h1>", "<h2>", "<blockquote>", "</blockquote>", "<a href='/x'>", "</a>",
        "<br>", "<ul><li>", "</li></ul>", "<nav>", "<!-- c -->", "<script>var a=1;</script>",
        "<p hidden>", "<span class='sr-only'>", "&amp;", "\u00ad", "\u200b", "  \n ",
    ]
)  # fmt: skip


@settings(max_examples=120, deadline=None)
@given(st.lists(HTML_PIECES | st.text(max_size=30), max_size=40))
def test_random_markup_never_raises_and_blocks_are_clean(pieces: list[str]) -> None:
    html = "".join(pieces)
    tree = lxml.html.document_fromstring(f"<html><body>{html}</body></html>")  # never empty
    for block in extract_blocks(tree, URL, None):
        assert block.kind in {"p", "h", "li", "quote"}
        if block.kind != "quote":  # quote text is the quotes module's (it keeps lines)
            assert block.text and block.text == " ".join(block.text.split())
            assert "\u00ad" not in block.text and "\u200b" not in block.text


def test_a_read_also_box_is_kept_for_the_cleaner_and_other_link_lists_are_not() -> None:
    box = (
        "<div class='related'><h3>Lire aussi</h3><ul><li><a href='/a'>Premier</a></li>"
        "<li><a href='/b'>Second</a></li></ul></div>"
        "<ul><li><a href='/c'>Autre lien</a></li><li><a href='/d'>Encore</a></li></ul>"
    )
    blocks = blocks_of(article(box))
    assert [(b.kind, b.text) for b in blocks[3:]] == [
        ("h", "Lire aussi"),
        ("li", "Premier"),
        ("li", "Second"),
    ]
    assert blocks[4].anchors == (Anchor("Premier", "https://news.example.com/a"),)


def test_a_split_body_is_walked_whole_and_the_lead_follows_the_nearest_h1() -> None:
    """A free first paragraph before the metered rest; a logo in an <h1> in the site header."""
    rest = "".join(f"<p>{FILLER} ({n})</p>" for n in range(6))
    page = (
        "<header><h1><a href='/'>The Daily Site</a></h1><p>Your trusted source of news since "
        "1850, every single day of the year.</p></header>"
        "<article><h1>Budget passes</h1><div class='content'>"
        "<p class='standfirst'>The council approved next year's budget after a long debate.</p>"
        f"<div class='free'><p>{FILLER} (free)</p></div><div class='metered'>{rest}</div>"
        "<div class='more'><p>Subscribe now and get a year of news for the price of a month.</p>"
        "</div></div></article>"
    )
    body = texts(blocks_of(page))
    assert body[:2] == [
        "The council approved next year's budget after a long debate.",
        f"{FILLER} (free)",
    ]
    assert body[2:] == [f"{FILLER} ({n})" for n in range(6)]  # not the short promo after it
    assert not any("trusted source" in t for t in body)


def test_live_entries_with_permalinked_headings_are_not_teaser_cards() -> None:
    entries = "".join(
        f"<div class='entry'><h3><a href='#e{n}'>Update {n}</a></h3><p>Entry {n} text.</p></div>"
        for n in range(3)
    )
    body = texts(blocks_of(article(f"<div class='entries'>{entries}</div>", paragraphs=6)))
    assert body[6:] == ["Update 0", "Entry 0 text.", "Update 1", "Entry 1 text.",
                        "Update 2", "Entry 2 text."]  # fmt: skip


def test_json_ld_article_body_when_scripts_render_the_text() -> None:
    ld = (
        '<script type="application/ld+json">{"@context": "https://schema.org", "@graph": ['
        '{"@type": "WebPage"}, {"@type": "NewsArticle", "headline": "H", "articleBody": '
        '"First paragraph of the story.\\n\\nSecond <b>paragraph</b> &amp; more."}]}</script>'
    )
    broken = '<script type="application/ld+json">{"articleBody": </script>'
    tree = tree_of("<div id='app'>Loading…</div>", head=broken + ld)
    assert texts(extract_blocks(tree, URL, None)) == [
        "First paragraph of the story.",
        "Second paragraph & more.",
    ]
    html_body = ld.replace("\\n\\nSecond", "<p>Second").replace("more.", "more.</p>")
    assert texts(extract_blocks(tree_of("", head=html_body), URL, None)) == [
        "First paragraph of the story.",
        "Second paragraph & more.",
    ]
    rich = tree_of(article(""), head=ld)  # the page's own text wins when there is enough
    assert texts(extract_blocks(rich, URL, None)) == [f"{FILLER} ({n})" for n in range(3)]


def test_a_malformed_link_does_not_cost_the_article() -> None:
    blocks = blocks_of(article("<p>See <a href='http://[::1'>this</a> now.</p>"))
    assert blocks[-1].text == "See this now."
    assert blocks[-1].anchors == (Anchor("this", "http://[::1"),)


def test_a_quote_in_a_figure_keeps_its_figcaption_attribution() -> None:
    figure = (
        "<figure><blockquote><p>We will rebuild it, stone by stone.</p></blockquote>"
        "<figcaption>Mayor Ana Lopez</figcaption></figure>"
        "<figure><img src='a.jpg'><figcaption>A photo caption, not a quote</figcaption></figure>"
    )
    quotes = [b for b in blocks_of(article(figure)) if b.kind == "quote"]
    assert len(quotes) == 1
    assert "We will rebuild it, stone by stone." in quotes[0].text
    assert quotes[0].attribution == "Mayor Ana Lopez"


@pytest.mark.parametrize(
    ("paragraph", "bold"),
    [
        ("<p><strong>Jane Doe</strong></p>", True),
        ("<p><b>Jane</b> <strong>Doe</strong>&nbsp;</p>", True),
        ("<p><strong><a href='/author/jane'>Jane Doe</a></strong></p>", True),
        ("<p><strong>Jane</strong> Doe</p>", False),
        ("<p>Jane Doe</p>", False),
    ],
)
def test_blocks_say_whether_a_paragraph_is_bold_throughout(paragraph: str, bold: bool) -> None:
    container = lxml.html.fromstring(f"<div>{paragraph}<p>{'Text. ' * 20}</p></div>")
    blocks = walk([container], "https://news.example/a")
    assert blocks[0].bold is bold
    assert blocks[1].bold is False


TITLE = "Harbour ferry returns after winter break"
FERRY = "".join(
    f"<p>The ferry to the islands resumed its timetable on Monday morning, part {n}.</p>"
    for n in range(4)
)
FERRY_BODY = "\n".join(
    f"The ferry to the islands resumed its timetable on Monday morning, part {n}." for n in range(4)
)


@pytest.mark.parametrize(
    ("markup", "body"),
    [
        # no <h1>: the headline printed atop the text (a CMS block's title) is not body
        (f'<section class="node"><h2 class="node-title">{TITLE}</h2>{FERRY}</section>', FERRY_BODY),
        # ... in other case and punctuation too
        (f"<div><p><b>{TITLE.upper()}!</b></p>{FERRY}</div>", FERRY_BODY),
        # the <h1> is the headline: a repetition in the text is the publisher's, kept as printed
        (f"<h1>{TITLE}</h1><div><h2>{TITLE}</h2>{FERRY}</div>", f"{TITLE}\n{FERRY_BODY}"),
        # a line that links elsewhere is a teaser's title, not this page's headline
        (f'<div><h3><a href="/other">{TITLE}</a></h3>{FERRY}</div>', f"{TITLE}\n{FERRY_BODY}"),
    ],
)
def test_the_headline_atop_the_text_is_not_body(markup: str, body: str) -> None:
    html = f"<html><head><title>{TITLE}</title></head><body>{markup}</body></html>"
    extracted = extract_article(html, URL)
    assert (extracted["headline"], extracted["body"]) == (TITLE, body)
