"""The shortcode scanner's grammar, one branch per row.

Each row changes one thing against its neighbour, so that dropping any rule of the scanner
(`_Scanner.tag_at`, `orphan_closer`, `run`) or of `parse_atts` flips a row. The registry is a
small one built here, so the rows do not depend on data/shortcodes.toml.
"""

from __future__ import annotations

import pytest

from newscrawler.extraction.shortcodes import (
    KINDS,
    SEP,
    Atts,
    Registry,
    default_registry,
    parse_atts,
    scan,
    strip_shortcodes,
)

REGISTRY = Registry(
    {
        **{"q": "quote", "pull": "quote", "row": "wrapper"},
        **{"cap": "caption", "vid": "media", "ad": "drop"},
    },
    (("vc_*", "wrapper"),),
)


def body(text: str) -> str:
    return strip_shortcodes(text, REGISTRY).text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # what may follow "[": a name, then whitespace, "]" or "/"
        ("[ x]", "[ x]"),
        ("[row.x] y", "[row.x] y"),
        ("a [row", "a [row"),  # the name runs to the end of the text
        ("[row x", "[row x"),  # no "]" at all
        (f"[row a={SEP}b] c", f"[row a={SEP}b] c"),  # a tag never spans two blocks
        ("[row\tk=1]b", "b"),
        # known names: lone, enclosing (to the FIRST closer), self-closing
        ("a [row] b", "a  b"),
        ("[row]a[/row]b[/row]", "ab"),  # the second closer is a stray one, removed
        ("[row/]z", "z"),
        ("[vid id=1 /]z", "z"),
        ("[vc_row]k[/vc_row]", "k"),  # a glob of the registry
        # kinds: wrappers keep their content, captions/media/drops lose it
        ("a [cap]c[/cap] b", "a  b"),
        ("a [ad]c[/ad] b", "a  b"),
        ("a [vid]c[/vid] b", "a  b"),
        # unknown names count only when the syntax leaves no doubt
        ("[1]x[/1]", "[1]x[/1]"),  # a name must start with a letter
        ("[foo]x[/foo]", "x"),  # it encloses
        ("[foo /]y", "y"),  # it self-closes
        ("then [foo] b", "then [foo] b"),  # a lone plain word: could be prose
        ("[foo]a[/foo] then [foo] b", "a then  b"),  # a name already seen counts
        ("[my_widget] t", " t"),  # shaped like a shortcode name
        ("[My_Widget] t", "[My_Widget] t"),  # shaped names are lower-case
        ("[my_link](http://x)", "[my_link](http://x)"),  # a markdown link
        ("[photo id=3] t", " t"),  # key=value attributes
        ("[Photo: AFP] t", "[Photo: AFP] t"),
        ("[foo] x=1", "[foo] x=1"),  # key=value after the tag does not count
        ("[foo é=1] t", "[foo é=1] t"),  # keys are ASCII words, as in WordPress
        # escaping with doubled brackets
        ("[[row]]", "[row]"),
        ("[[row]x[/row]]", "[row]x[/row]"),
        ("[[row] x", "[ x"),  # "[[" without "]]" does not escape: one "[" is text
        ("x [[row]", "x ["),  # ... also at the end of the text
        ("a [[row] x", "a [ x"),  # that "[" joins the text before it
        ("[[[row]]", "[[row]"),  # a third "[" is text before an escaped tag
        # stray closing tags
        ("[/foo] x", "[/foo] x"),  # unknown, unseen, not shaped: text
        ("[/my_box] x", " x"),  # shaped
        ("[/row] x", " x"),  # known
        ("[foo] and [/foo", "[foo] and [/foo"),
        ("[/Foo x", "[/Foo x"),
        # a shortcode whose closer lies beyond its parent's end is lone
        ("[row]x [q]y[/row] z[/q]", "x y z"),
    ],
)
def test_scanner_grammar(text: str, expected: str) -> None:
    assert body(text) == expected


def test_a_quote_nested_in_a_quote_does_not_open_a_second_quote() -> None:
    stripped = strip_shortcodes("[q author=A]x [pull author=B]y[/pull] z[/q] w", REGISTRY)
    assert stripped.text == " w"
    assert stripped.quotes == [{"text": "x y z", "attribution": "A"}]


def test_two_quotes_side_by_side_are_two_quotes() -> None:
    stripped = strip_shortcodes("[q author=A]x[/q] and [pull]y[/pull]", REGISTRY)
    assert stripped.text == " and "
    assert stripped.quotes == [
        {"text": "x", "attribution": "A"},
        {"text": "y", "attribution": None},
    ]


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        (f"[q]line one{SEP}line two[/q]", {"text": "line one\nline two", "attribution": None}),
        ("[q cite=https://x.org]t[/q]", {"text": "t", "attribution": None}),  # a URL, not a name
        ("[q cite=/people/ana]t[/q]", {"text": "t", "attribution": None}),
        ('[q author="A" cite=B]t[/q]', {"text": "t", "attribution": "A"}),  # author first
        ("[q cite=B]t[/q]", {"text": "t", "attribution": "B"}),
        ('[q author="  Ana   Lima "]t[/q]', {"text": "t", "attribution": "Ana Lima"}),
        ("[q]said it\n— Ana Lima[/q]", {"text": "said it", "attribution": "Ana Lima"}),
        # what a quote encloses stays in it: text before a stray closer, escapes, a lone "["
        ("[q]a[/my_box]b[/q]", {"text": "ab", "attribution": None}),
        ("[q]type [[row]] here[/q]", {"text": "type [row] here", "attribution": None}),
        ("[q]x [[row] y[/q]", {"text": "x [ y", "attribution": None}),
    ],
)
def test_quote_text_and_attribution(text: str, quote: dict[str, str | None]) -> None:
    assert strip_shortcodes(text, REGISTRY).quotes == [quote]


def test_an_empty_quote_is_dropped() -> None:
    assert strip_shortcodes("a [q author=A] [/q] b", REGISTRY).quotes == []


@pytest.mark.parametrize(
    ("text", "named", "positional"),
    [
        ("", {}, ()),
        ("   ", {}, ()),
        ('a="x y"', {"a": "x y"}, ()),
        ("a='x y'", {"a": "x y"}, ()),
        ('a=" x "', {"a": " x "}, ()),  # ASCII quotes keep the value as is
        ("a=“ Xi Jinping ”", {"a": "Xi Jinping"}, ()),  # texturized ones are trimmed
        ("a=« Xi »", {"a": "Xi"}, ()),
        ("a=‘ one ’", {"a": "one"}, ()),
        ("a=&quot;q&quot;", {"a": "q"}, ()),  # entity-encoded quotes
        ("a=&raquo;Xi&raquo;", {"a": "Xi"}, ()),
        ('a=\u00a0"v"', {"a": "v"}, ()),  # a no-break space counts as a space
        ("A=b", {"a": "b"}, ()),  # keys lower-cased
        ('a = "v"', {"a": "v"}, ()),
        ("k-e_y=1", {"k-e_y": "1"}, ()),
        ("é=1", {}, ("é=1",)),  # keys are ASCII words, as in WordPress
        ("a=b=c", {"a": "b=c"}, ()),
        ("a=“x” b=2", {"a": "x", "b": "2"}, ()),
        ('a="x"y', {}, ('a="x"y',)),  # a closing quote must end the token
        ('a="unclosed', {}, ('a="unclosed',)),
        ('"pos one" two', {}, ("pos one", "two")),
        ("'p q'", {}, ("p q",)),
        ('"', {}, ('"',)),
        ('x="<b>ok</b>"', {"x": "<b>ok</b>"}, ()),
        ('x="<b oops"', {"x": ""}, ()),  # unclosed HTML is rejected, as WordPress does
        ("<b oops", {}, ("", "oops")),
    ],
)
def test_attributes(text: str, named: dict[str, str], positional: tuple[str, ...]) -> None:
    assert parse_atts(text) == Atts(named, positional)


def test_an_http_url_is_no_attribution_either() -> None:
    assert strip_shortcodes("[q cite=http://x.org/a]t[/q]", REGISTRY).quotes == [
        {"text": "t", "attribution": None}
    ]


def test_override_puts_exact_names_and_globs_first_and_keeps_the_rest() -> None:
    base = Registry({"q": "quote", "row": "wrapper"}, (("vc_*", "wrapper"),), ("by",))
    over = base.override(
        {"row": "drop", "vc_img*": "media", "x?": "caption", "[ab]c": "drop", "X_box": "media"}
    )
    assert over.exact == {"q": "quote", "row": "drop", "X_box": "media"}
    assert over.globs == (
        ("vc_img*", "media"), ("x?", "caption"), ("[ab]c", "drop"), ("vc_*", "wrapper")
    )  # fmt: skip
    assert (over.kind("vc_img_box"), over.kind("vc_row"), over.kind("xy"), over.kind("bc")) == (
        "media",
        "wrapper",
        "caption",
        "drop",
    )
    assert over.kind("q") == "quote" and over.kind("zz") is None
    assert over.attribution_attributes == ("by",)
    assert base.exact == {"q": "quote", "row": "wrapper"}, "the base registry is unchanged"


def test_override_refuses_an_unknown_kind_naming_where_it_comes_from() -> None:
    message = r"^profile shortcodes: unknown shortcode kind 'x' for 'a'$"
    with pytest.raises(ValueError, match=message):
        REGISTRY.override({"a": "x"})


def test_the_default_registry_loads_from_its_data_file() -> None:
    default_registry.cache_clear()
    registry = default_registry()
    assert registry.kind("penci_blockquote") == "quote"
    assert registry.attribution_attributes[:2] == ("author", "cite")
    assert all(kind in KINDS for kind in registry.exact.values())


def spans(text: str) -> list[tuple[str, int, int, tuple[int, int] | None, Atts]]:
    """(name, start, end, content span, attributes) of every tag the scanner recognises."""
    return [(t.name, t.start, t.end, t.content, t.atts) for t in scan(text, REGISTRY).tags]


NO_ATTS = Atts()


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        # the outer tag takes the FIRST closer; the inner one of the same name is then lone
        ("[row][row]x[/row]", [("row", 0, 17, (5, 11), NO_ATTS), ("row", 5, 10, None, NO_ATTS)]),
        # an escaped tag spans both brackets and records what it would enclose
        ("[[row]] x", [("row", 0, 7, None, NO_ATTS)]),
        ("[[row]y[/row]]", [("row", 0, 14, (6, 7), NO_ATTS)]),
        # a self-closing tag encloses nothing, even with a closer after it
        ("[row/]a[/row]", [("row", 0, 6, None, NO_ATTS)]),
        # a closer right after the opening tag: empty content, not a lone tag
        ("[row][/row]", [("row", 0, 11, (5, 5), NO_ATTS)]),
        # the self-closing "/" is not an attribute
        ("[vid id=1 /]", [("vid", 0, 12, None, Atts({"id": "1"}))]),
        ("[vid id=1/]", [("vid", 0, 11, None, Atts({"id": "1"}))]),
    ],
)
def test_tag_spans(text: str, tags: list[object]) -> None:
    assert spans(text) == tags


def test_a_closing_tag_cut_off_before_its_bracket_is_text() -> None:
    assert body("[/row x") == "[/row x"
    assert body("a [/row") == "a [/row"


def test_a_key_with_nothing_after_the_equals_sign_is_positional() -> None:
    assert parse_atts("a=") == Atts({}, ("a=",))
    assert parse_atts("b=2 a=") == Atts({"b": "2"}, ("a=",))
