"""Tests written in Python in place of XPaths (for speed) answer exactly as the XPaths did, on
random small trees: the XPaths are kept here as the specification."""

from __future__ import annotations

import itertools
from typing import Any, cast

import lxml.html
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml.html import HtmlElement

from newscrawler.extraction import boilerplate, shown_dates

# boilerplate.is_card_list's count, as an XPath (what it was before session 8)
_CARDS = etree.XPath(
    "count(*[.//*[self::h2 or self::h3 or self::h4 or self::h5 or self::h6]"
    "[descendant::a[@href][not(starts-with(@href, '#'))] or ancestor::a[@href]]])"
)
# shown_dates' year text nodes, as an XPath (what it was before session 8)
_YEAR_TEXT = etree.XPath(
    ".//*[not(self::script or self::style or self::noscript or self::template)]"
    "/text()[contains(., '20') or contains(., '19')]"
)

OPEN = [
    "<div>", "<section>", "<h2>", "<h3>", "<h6>", '<a href="/story">', '<a href="#top">',
    '<a href="">', "<a>", "<p>", "<script>", "<span>", "<style>", "<li>",
]  # fmt: skip
TEXT = ["", "x", "in 2019", "1920", "a 20", " ", "2"]


@st.composite
def trees(draw: st.DrawFn, depth: int = 0) -> str:
    """A random fragment: elements from OPEN holding text and further elements."""
    parts = []
    for _ in range(draw(st.integers(0, 4 if depth < 3 else 0))):
        tag = draw(st.sampled_from(OPEN))
        name = tag[1:].split()[0].rstrip(">")
        inner = (
            draw(trees(depth + 1))
            if name not in ("script", "style")
            else draw(st.sampled_from(TEXT))
        )
        parts.append(f"{tag}{draw(st.sampled_from(TEXT))}{inner}</{name}>")
        parts.append(draw(st.sampled_from(TEXT)))
    return "".join(parts)


def _spec_card_list(el: HtmlElement) -> bool:
    headings = el.iter("h2", "h3", "h4", "h5", "h6")
    if sum(1 for _ in itertools.islice(headings, boilerplate.MIN_CARDS)) < boilerplate.MIN_CARDS:
        return False
    cards = cast(float, _CARDS(el))
    children = sum(1 for c in el if isinstance(c.tag, str))
    return cards >= boilerplate.MIN_CARDS and cards >= boilerplate.CARD_SHARE * children


def _nodes(texts: list[Any]) -> list[tuple[Any, bool, str]]:
    return [(t.getparent(), t.is_tail, str(t)) for t in texts]


@settings(max_examples=300, deadline=None)
@given(trees(), st.sampled_from(["", '<a href="/x">', "<a>"]))
def test_card_count_and_year_texts_answer_as_their_xpaths(fragment: str, wrap: str) -> None:
    close = "</a>" if wrap else ""
    page = lxml.html.document_fromstring(
        f"<html><body>{wrap}<div>{fragment}</div>{close}</body></html>"
    )
    for el in page.iter(etree.Element):
        assert boilerplate.is_card_list(el) == _spec_card_list(el)
        assert _nodes(shown_dates._year_texts(el)) == _nodes(cast(list[Any], _YEAR_TEXT(el)))


def test_cards_count_children_with_a_linked_heading_below_them() -> None:
    card = '<div><h3><a href="/a">Story</a></h3></div>'
    page = lxml.html.fragment_fromstring(f"<div>{card * 3}<p>More</p></div>")
    assert boilerplate.is_card_list(page)
    in_page = lxml.html.fragment_fromstring(
        "<div>" + '<div><h3><a href="#a">A</a></h3></div>' * 3 + "</div>"
    )
    assert not boilerplate.is_card_list(in_page)
    bare = lxml.html.fragment_fromstring("<div>" + '<h3><a href="/a">A</a></h3>' * 3 + "</div>")
    assert not boilerplate.is_card_list(bare)  # the heading must lie below the child


def test_year_texts_leave_out_the_roots_own_text() -> None:
    root = lxml.html.fragment_fromstring(
        "<div>2021 <p>May 2024</p> 2022 <script>2023</script></div>"
    )
    assert [str(t) for t in shown_dates._year_texts(root)] == ["May 2024"]
