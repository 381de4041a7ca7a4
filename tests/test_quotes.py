"""HTML quotations: attribution sources, social embeds, and the tree left untouched (issue 4).

Whole pages with quotes (tests/fixtures/pages/quote_*) are checked field by field by
test_fixture_pages.py through extract_article.
"""

from __future__ import annotations

import lxml.html
import pytest
from lxml.html import HtmlElement

from newscrawler.extraction.quotes import (
    is_social_embed,
    parse_blockquote,
    parse_pull_quote,
    pull_quote,
    split_attribution,
)
from newscrawler.items import Quote


def _quote_element(html: str) -> HtmlElement:
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    return next(el for el in root.iter("blockquote", "q"))


BLOCKQUOTES = [
    ("wp-quote-block-cite",
     '<blockquote class="wp-block-quote"><p>One.</p><p>Two.</p>'
     "<cite>Jane Doe, CEO</cite></blockquote>",
     {"text": "One.\nTwo.", "attribution": "Jane Doe, CEO"}),
    ("cite-in-last-paragraph",
     "<blockquote><p>Words.</p><p>— <cite>Ann Lee</cite></p></blockquote>",
     {"text": "Words.", "attribution": "Ann Lee"}),
    ("footer-with-dash",
     "<blockquote><p>Words.</p><footer>&mdash; Mario Rossi, sindaco</footer></blockquote>",
     {"text": "Words.", "attribution": "Mario Rossi, sindaco"}),
    ("bootstrap-footer-with-cite",
     '<blockquote class="blockquote"><p>Words.</p><footer class="blockquote-footer">'
     "Someone famous in <cite>Source Title</cite></footer></blockquote>",
     {"text": "Words.", "attribution": "Someone famous in Source Title"}),
    ("figure-figcaption",
     '<figure class="quote"><blockquote><p>Words.</p></blockquote>'
     "<figcaption>– Anna</figcaption></figure>",
     {"text": "Words.", "attribution": "Anna"}),
    ("wp-pullquote",
     '<figure class="wp-block-pullquote"><blockquote><p>Big words.</p>'
     "<cite>Chief</cite></blockquote></figure>",
     {"text": "Big words.", "attribution": "Chief"}),
    ("dash-line-paragraph",
     "<blockquote><p>Es justa.</p><p>— María López, portavoz</p></blockquote>",
     {"text": "Es justa.", "attribution": "María López, portavoz"}),
    ("dash-line-after-br",
     "<blockquote><p>To be or not to be.<br>- Hamlet</p></blockquote>",
     {"text": "To be or not to be.", "attribution": "Hamlet"}),
    ("no-attribution",
     "<blockquote><p>Just words.</p></blockquote>",
     {"text": "Just words.", "attribution": None}),
    ("inline-cite-is-text",
     "<blockquote><p>As <cite>Hamlet</cite> says, hi.</p></blockquote>",
     {"text": "As Hamlet says, hi.", "attribution": None}),
    ("bare-text-and-entities",
     "<blockquote>  Caf&eacute;\u00a0cr\u00e8me  </blockquote>",
     {"text": "Café crème", "attribution": None}),
    ("script-skipped",
     "<blockquote><p>Words.</p><script>var x = 1;</script></blockquote>",
     {"text": "Words.", "attribution": None}),
    ("long-dash-line-is-text",
     "<blockquote><p>Intro.</p><p>- and then one two three four five six seven eight nine ten "
     "eleven twelve thirteen</p></blockquote>",
     {"text": "Intro.\n- and then one two three four five six seven eight nine ten eleven twelve "
      "thirteen", "attribution": None}),
    ("only-a-dash-line-is-text",
     "<blockquote><p>— Ann</p></blockquote>",
     {"text": "— Ann", "attribution": None}),
    ("pull-q-with-cite-url",
     '<q cite="https://example.org/speech">We choose to go.</q>',
     {"text": "We choose to go.", "attribution": None}),
    ("empty", "<blockquote> <p>\u200b</p> </blockquote>", None),
    ("attribution-only", "<blockquote><cite>Nobody</cite></blockquote>", None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("html", "expected"), [c[1:] for c in BLOCKQUOTES], ids=[c[0] for c in BLOCKQUOTES]
)
def test_parse_blockquote(html: str, expected: Quote | None) -> None:
    assert parse_blockquote(_quote_element(html)) == expected


TWEET = '<p>x</p>&mdash; A (@a) <a href="https://twitter.com/a/status/12">May 1</a>'
EMBEDS = [  # (id, attributes of the <blockquote>, its content)
    ("tweet-class", 'class="twitter-tweet"', "<p>Hi</p>"),
    ("tweet-video", 'class="twitter-video" data-status="hidden"', "<p>Hi</p>"),
    ("instagram", 'class="instagram-media" data-instgrm-version="14"', "<p>x</p>"),
    ("instagram-attr-only", 'data-instgrm-permalink="https://instagram.com/p/1"', "<p>x</p>"),
    ("tiktok", 'class="tiktok-embed" cite="https://www.tiktok.com/@a/video/1"', "<p>x</p>"),
    ("tiktok-cite-only", 'cite="https://www.tiktok.com/@a/video/1"', "<p>x</p>"),
    ("stripped-tweet", "", TWEET),
    ("stripped-x-post", "", '<p>x</p><a href="https://x.com/a/status/12">May 1</a>'),
    ("facebook-post", 'class="fb-xfbml-parse-ignore"', "<p>x</p>"),
    ("bluesky", 'class="bluesky-embed" data-bluesky-uri="at://x"', "<p>x</p>"),
    ("wp-embedded-post", 'class="wp-embedded-content"', '<a href="https://a.b/p">T</a>'),
]
NOT_EMBEDS = [
    ("plain", "<blockquote><p>Words.</p></blockquote>"),
    ("link-to-article", '<blockquote><p>See <a href="https://news.example/a">this</a>.</p></blockquote>'),
    ("tweet-link-not-last", '<blockquote><p><a href="https://twitter.com/a/status/1">t</a> and '
     '<a href="https://news.example/b">b</a></p></blockquote>'),
]  # fmt: skip


@pytest.mark.parametrize(("attrs", "inner"), [c[1:] for c in EMBEDS], ids=[c[0] for c in EMBEDS])
def test_social_embeds_are_not_quotes(attrs: str, inner: str) -> None:
    el = _quote_element(f"<blockquote {attrs}>{inner}</blockquote>")
    assert is_social_embed(el)
    assert parse_blockquote(el) is None


@pytest.mark.parametrize("html", [c[1] for c in NOT_EMBEDS], ids=[c[0] for c in NOT_EMBEDS])
def test_ordinary_blockquotes_are_not_embeds(html: str) -> None:
    assert not is_social_embed(_quote_element(html))


def test_parsing_never_changes_the_tree() -> None:
    html = (
        '<figure><blockquote class="wp-block-quote"><p>A<br>— B</p><cite>C</cite>'
        "<script>x</script></blockquote><figcaption>D</figcaption></figure>"
    )
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    before = lxml.html.tostring(root)
    parse_blockquote(next(root.iter("blockquote")))
    assert lxml.html.tostring(root) == before


SPLITS = [
    (["Text.", "— Name"], (["Text."], "Name")),
    (["Text.", "– Name, role"], (["Text."], "Name, role")),
    (["Text.", "-- Name"], (["Text."], "Name")),
    (["Text.", "~ Name"], (["Text."], "Name")),
    (["Text.", "Name"], (["Text.", "Name"], None)),
    (["— Name"], (["— Name"], None)),
    ([], ([], None)),
]


@pytest.mark.parametrize(("lines", "expected"), SPLITS)
def test_split_attribution(lines: list[str], expected: tuple[list[str], str | None]) -> None:
    assert split_attribution(lines) == expected


PULL_QUOTES = [  # (id, holder html, expected Quote or None when the <q> stays body text)
    ("q-cite-alone", '<p><q cite="https://a.example/s">Words.</q></p>',
     {"text": "Words.", "attribution": None}),
    ("q-cite-dash-name", '<p>“<q cite="u">Words.</q>” — Ann Lee, mayor</p>',
     {"text": "Words.", "attribution": "Ann Lee, mayor"}),
    ("aside-q-cite-element", "<aside><q>Words.</q><cite>Ann Lee</cite></aside>",
     {"text": "Words.", "attribution": "Ann Lee"}),
    ("figure-q-figcaption", "<figure><q>Words.</q><figcaption>– Ann</figcaption></figure>",
     {"text": "Words.", "attribution": "Ann"}),
    ("pullquote-class-div", '<div class="td-pullquote"><q>Words.</q></div>',
     {"text": "Words.", "attribution": None}),
    ("q-in-sentence", '<p>She said <q cite="u">words</q> and left.</p>', None),
    ("q-then-text", '<p><q cite="u">Words.</q> she said, and left the room.</p>', None),
    ("plain-q-alone-in-p", "<p><q>Words.</q></p>", None),
    ("two-qs", '<p><q cite="u">One.</q><q cite="u">Two.</q></p>', None),
    ("cite-before-q", '<aside><cite>Ann</cite><q>Words.</q></aside>', None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("html", "expected"), [c[1:] for c in PULL_QUOTES], ids=[c[0] for c in PULL_QUOTES]
)
def test_pull_quote(html: str, expected: Quote | None) -> None:
    holder = lxml.html.fragment_fromstring(html)
    found = pull_quote(holder)
    if expected is None:
        assert found is None
    else:
        assert found is not None
        assert parse_pull_quote(*found) == expected
