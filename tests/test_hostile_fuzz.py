"""Property-based fuzzing of extraction and cleaning: hostile input never raises, output validates.

The default run is short (part of `make test`). `make fuzz` runs the same properties much longer:
NEWSCRAWLER_FUZZ_EXAMPLES sets the number of examples per property (see the README).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newscrawler.encoding import decode_page
from newscrawler.extraction.article import extract_article
from newscrawler.extraction.blocks import Anchor, Block
from newscrawler.extraction.cleaning import clean_blocks
from newscrawler.schema import validation_errors

EXAMPLES = int(os.environ.get("NEWSCRAWLER_FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
URL = "https://news.example.fr/2026/11/28/un-article/"

TAGS = [
    "p",
    "div",
    "article",
    "main",
    "h1",
    "h2",
    "span",
    "a",
    "blockquote",
    "script",
    "time",
    "meta",
    "html",
    "body",
    "head",
    "title",
    "ul",
    "li",
    "figure",
    "aside",
    "br",
    "table",
]
ATTRS = [
    'class="entry-content"',
    'itemprop="articleBody"',
    'property="og:title" content="Titre"',
    'type="application/ld+json"',
    'datetime="2026-13-45T99:99"',
    'href="javascript:alert(1)"',
    'href="//evil.example/x"',
    'lang="xx-INVALID"',
    'name="author" content="<b>"',
    "",
]
WORDS = st.sampled_from(
    [
        "café",
        "« citation »",
        "l’été",
        "[caption id=1]",
        "[/caption]",
        '[gallery ids="1,2"]',
        "[embed]https://x[/embed]",
        "&amp;",
        "&#0;",
        "&#x110000;",
        "\x00",
        "\u202e",
        "\ufeff",
        "{",
        '{"@type": "NewsArticle", "headline": [1]}',
        "]]>",
        "<!--",
        "-->",
        "Lire aussi :",
        "Par",
        "2026-11-28",
        "il y a 2 heures",
        "\U0001f600",
        "x",
    ]
)


@st.composite
def tag_soup(draw: st.DrawFn, depth: int = 0) -> str:
    """Random, often broken, HTML: unclosed and misnested tags, entities, shortcodes, junk."""
    parts = []
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.integers(0, 4))
        if kind == 0 and depth < 4:
            tag = draw(st.sampled_from(TAGS))
            attr = draw(st.sampled_from(ATTRS))
            inner = draw(tag_soup(depth + 1))
            close = draw(st.sampled_from([f"</{tag}>", "", "</div>", "</html>"]))
            parts.append(f"<{tag} {attr}>{inner}{close}")
        elif kind == 1:
            parts.append(" ".join(draw(st.lists(WORDS, max_size=8))))
        elif kind == 2:
            parts.append(draw(st.text(max_size=40)))
        else:
            parts.append(draw(st.sampled_from(["<p>", "</p>", "<", ">", "</body>", "<html>"])))
    return "".join(parts)


def check(article: dict[str, object]) -> None:
    assert validation_errors(article) == [], validation_errors(article)


@FUZZ
@given(tag_soup())
def test_random_html_never_raises_and_validates(html: str) -> None:
    check(extract_article(html, URL))


@FUZZ
@given(st.binary(max_size=4000), st.sampled_from([None, "text/html", "text/html; charset=utf-8"]))
def test_random_bytes_never_raise_and_validate(body: bytes, content_type: str | None) -> None:
    check(extract_article(body, URL, content_type=content_type))


@FUZZ
@given(tag_soup(), st.sampled_from(["utf-8", "cp1252", "utf-16"]))
def test_random_html_in_any_encoding_validates(html: str, encoding: str) -> None:
    body = html.encode(encoding, errors="replace")
    check(extract_article(body, URL, content_type=f"text/html; charset={encoding}"))


@FUZZ
@given(st.lists(WORDS | st.text(max_size=30), max_size=12))
def test_article_made_of_random_shortcodes_validates(words: list[str]) -> None:
    paragraphs = "".join(f"<p>{w}</p>" for w in words)
    html = f"<html><body><article><h1>Titre</h1>{paragraphs}</article></body></html>"
    check(extract_article(html, URL))


BLOCKS = st.builds(
    Block,
    kind=st.sampled_from(["p", "h", "li", "blockquote", "pre", "box"]),
    text=st.lists(WORDS | st.text(max_size=30), max_size=6).map(" ".join),
    anchors=st.lists(
        st.builds(Anchor, text=st.text(max_size=20), href=st.sampled_from([URL, "/x", ""])),
        max_size=2,
    ).map(tuple),
    lead=st.text(max_size=20),
)


@FUZZ
@given(st.lists(BLOCKS, max_size=10))
def test_cleaning_random_blocks_never_raises(blocks: list[Block]) -> None:
    cleaned = clean_blocks(blocks, base_url=URL)
    assert all(isinstance(b, Block) for b in cleaned.blocks)
    assert all(isinstance(q.text, str) for q in cleaned.quotes)


@FUZZ
@given(st.binary(max_size=20_000), st.text(max_size=60))
def test_decoding_any_bytes_with_any_header_never_raises(body: bytes, content_type: str) -> None:
    text = decode_page(body, content_type)
    assert "\x00" not in text
