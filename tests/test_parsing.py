"""Page text to a tree (newscrawler.extraction.parsing): text is parsed as its UTF-8 bytes."""

from __future__ import annotations

from lxml import etree

from newscrawler.extraction import extract_article
from newscrawler.extraction.parsing import parse_page

ARTICLE = (
    "<html lang='en'><head><title>Storm</title></head><body><article><h1>Storm hits the coast</h1>"
    + "<p>Rain fell all day on the coast, and the roads were closed by noon. </p>" * 12
    + "</article></body></html>"
)


def _markup(text: str | bytes) -> str:
    tree = parse_page(text)
    assert tree is not None
    return etree.tostring(tree, encoding="unicode")


def test_text_and_its_utf8_bytes_give_the_same_tree() -> None:
    for text in (
        ARTICLE,
        "\ufeff<p>héllo 😀 ünïcode</p>",
        "<meta charset='iso-8859-1'><p>é and 日本語</p>",
        "<p>&#x1F600; &amp; \u2028 line</p>",
    ):
        assert _markup(text) == _markup(text.encode("utf-8"))


def test_an_xhtml_page_given_as_text_is_read() -> None:
    """lxml refuses text that declares an encoding; such a page used to come out empty."""
    page = '<?xml version="1.0" encoding="utf-8"?>\n' + ARTICLE
    article = extract_article(page, "https://example.org/2024/05/02/storm")
    assert article["headline"] == "Storm hits the coast"
    assert article["body"].startswith("Rain fell all day")


def test_nul_characters_and_lone_surrogates() -> None:
    assert "ab" in _markup("<p>a\x00b</p>")
    assert "<p>a" in _markup("<p>a\udc80b</p>")  # not UTF-8: parsed as text, as before
    assert parse_page("") is None and parse_page("   ") is None


EARLY_END = (
    "<html><body><nav>Menu</nav></body></html><div><p>Story text after the header.</p></div>"
)
STREAMED = (
    '<html><body><p>First</p><template id="P:1"></template><p>Third</p>'
    '<div hidden id="S:1"><p>Second</p></div></body></html>'
)


def test_text_and_bytes_both_read_past_an_early_end_and_place_streamed_segments() -> None:
    """Both input paths repair the tree the same way (a merge once left the text path without
    either repair)."""
    for page in (
        EARLY_END,
        STREAMED,
        EARLY_END.replace("<div>", '<template id="P:2"></template><div>'),
    ):
        for given in (page, page.encode("utf-8")):
            tree = parse_page(given)
            assert tree is not None
            paragraphs = [p.text for p in tree.iter("p")]
            if page is STREAMED:
                assert paragraphs == ["First", "Second", "Third"]
                assert tree.find(".//div").get("hidden") is None
            else:
                assert paragraphs == ["Story text after the header."]
