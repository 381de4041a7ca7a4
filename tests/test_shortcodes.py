"""WordPress shortcode grammar and registry-driven cleaning (issue 4): tables, properties, and
adversarial inputs that would hang a quadratic scanner."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from types import MappingProxyType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newscrawler.extraction.shortcodes import (
    Atts,
    default_registry,
    parse_atts,
    registry_for,
    scan,
    strip_shortcodes,
)
from newscrawler.profiles.model import Profile

SEED = (
    "[penci_blockquote style= »style-2″ align= »none » author= »Président chinois, Xi Jinping » "
    "font_weight= »bold » font_style= »italic »]La Chine est prête à travailler avec d’autres pays "
    "pour saisir les opportunités historiques offertes par la révolution de l’information, "
    "favoriser de nouveaux moteurs de croissance grâce à l’innovation, innover dans la "
    "coopération numérique, créer un nouveau modèle pour la cybersécurité, construire une "
    "communauté de destin dans le cyberespace, et collaborer afin de créer un avenir meilleur "
    "pour l’humanité[/penci_blockquote]"
)
SEED_QUOTE = SEED[SEED.index("]") + 1 : SEED.index("[/")]

# (case id, input, body text expected, quotes expected as (text, attribution) pairs)
GRAMMAR = [
    ("seed", SEED, "", [(SEED_QUOTE, "Président chinois, Xi Jinping")]),
    ("enclosing-wrapper", "a [vc_row]b[/vc_row] c", "a b c", []),
    ("self-closing-drop", 'x [vc_empty_space height="32px" /] y', "x  y", []),
    ("self-closing-no-space", "x[my_icon/]y", "xy", []),
    ("self-closing-unknown", 'x [my_widget id="3" /] y', "x  y", []),
    ("lone-media", 'Text [gallery ids="1,2,3"] end', "Text  end", []),
    ("lone-registry-no-attrs", "A[embed]B", "AB", []),
    ("escaped-lone", "Type [[gallery]] to add one", "Type [gallery] to add one", []),
    ("escaped-enclosing", "[[caption]Photo[/caption]]", "[caption]Photo[/caption]", []),
    ("escaped-open-only", "[[gallery] x", "[ x", []),
    ("escaped-close-only", "[gallery]] x", "] x", []),
    ("nested-different",
     "[vc_row][vc_column][vc_column_text]Hi[/vc_column_text][/vc_column][/vc_row]", "Hi", []),
    ("hyphen-name", 'Form: [contact-form-7 id="5" title="Contact"] end', "Form:  end", []),
    ("underscore-unknown", "[my_box]inner[/my_box]", "inner", []),
    ("name-boundary-hyphen", "[caption-box]kept[/caption-box]", "kept", []),
    ("name-boundary-underscore", "[video_intro]kept[/video_intro]", "kept", []),
    ("first-closer-wins", "[su_column]a[/su_column]b[/su_column]", "ab", []),
    ("caption-removed", '[caption id="attachment_1" width="300"]<img> Photo: AFP[/caption]Text',
     "Text", []),
    ("wp-caption-removed", "[wp_caption]A cat[/wp_caption] Text", " Text", []),
    ("embed-removed", "[embed]https://youtu.be/x[/embed]Text", "Text", []),
    ("video-self-closing", '[video src="a.mp4" /]Text', "Text", []),
    ("audio-youtube-playlist", "[audio mp3=a.mp3][youtube id=1][playlist ids=2]T", "T", []),
    ("drop-button", '[button url="/sub"]Subscribe[/button]Text', "Text", []),
    ("unknown-key-value-lone", '[foo bar="1"]text', "text", []),
    ("curly-quotes", "[su_quote cite=“Jane Doe”]Q[/su_quote]", "", [("Q", "Jane Doe")]),
    ("guillemets-nbsp", "[penci_blockquote author=«\u00a0Jean Dupont\u00a0»]Q[/penci_blockquote]",
     "", [("Q", "Jean Dupont")]),
    ("guillemets-narrow-nbsp", "[bs_quote author=«\u202fJean\u202f»]Q[/bs_quote]", "",
     [("Q", "Jean")]),
    ("prime-after-digit", "[vc_column width= »1/2″]x[/vc_column]", "x", []),
    ("single-curly", "[su_quote cite=‘Ann O’Neil’]Q[/su_quote]", "", [("Q", "Ann O’Neil")]),
    ("entity-quot", "[su_quote cite=&quot;Ann Lee&quot;]Q[/su_quote]", "", [("Q", "Ann Lee")]),
    ("entity-raquo-8243", "[penci_blockquote author= &raquo;Xi Jinping&#8243;]Q[/penci_blockquote]",
     "", [("Q", "Xi Jinping")]),
    ("entity-8221", "[td_pull_quote author=&#8221;Ann&#8221;]Q[/td_pull_quote]", "",
     [("Q", "Ann")]),
    ("quote-attr-order", '[su_quote cite="Cite" author="Author"]Q[/su_quote]', "",
     [("Q", "Author")]),
    ("quote-no-attribution", "[pullquote]Words[/pullquote]", "", [("Words", None)]),
    ("quote-dash-line", "[blockquote]Words.\n— Ann Smith[/blockquote]", "",
     [("Words.", "Ann Smith")]),
    ("quote-url-cite-ignored", '[su_quote cite="https://x.org"]Q[/su_quote]', "", [("Q", None)]),
    ("quote-empty", "[pullquote][/pullquote]after", "after", []),
    ("quote-lone", "[su_quote]after", "after", []),
    ("quote-in-wrapper", '[vc_row][su_quote cite="B"]Q[/su_quote]after[/vc_row]', "after",
     [("Q", "B")]),
    ("wrapper-in-quote", '[penci_blockquote author="A"][vc_column_text]Q[/vc_column_text]'
     "[/penci_blockquote]", "", [("Q", "A")]),
    ("improper-nesting", "[vc_row][vc_column]x[/vc_row][/vc_column]", "x", []),
    ("same-name-nesting", "[vc_row]a[vc_row]b[/vc_row]c[/vc_row]", "abc", []),
    ("orphan-known-closer", "text[/vc_row] more", "text more", []),
    ("orphan-unknown-closer-kept", "a[/b] c", "a[/b] c", []),
    ("unterminated-tag", "see [vc_row and more", "see [vc_row and more", []),
    ("attr-with-bracket", '[vc_row el_class="[x"]y[/vc_row]', "y", []),
    ("attr-url-slash", '[vc_row link="https://a.b/c/"]x[/vc_row]', "x", []),
    ("self-closing-after-url", '[vc_single_image image="1" link="https://a.b/"/]T', "T", []),
    ("newline-in-attrs", '[vc_row\nfull_width="stretch"]x[/vc_row]', "x", []),
    ("uppercase-unknown-lone", "[NOTE] x", "[NOTE] x", []),
    ("registry-is-case-sensitive", "[CAPTION]x[/CAPTION]", "x", []),
    ("footnote", "as shown [1] and [12]", "as shown [1] and [12]", []),
    ("sic", "he wrote [sic] this", "he wrote [sic] this", []),
    ("photo-credit", "[Photo: AFP]", "[Photo: AFP]", []),
    ("ellipsis", "cut […] here [...]", "cut […] here [...]", []),
    ("updated", "[Updated 10:32] Police said", "[Updated 10:32] Police said", []),
    ("markdown-link", "[read_more](https://x.org) and [here](/a)",
     "[read_more](https://x.org) and [here](/a)", []),
    ("json-array", 'data: [1, 2, 3] and ["a", "b"] {"k": [true]}',
     'data: [1, 2, 3] and ["a", "b"] {"k": [true]}', []),
    ("cloudflare-email", "write to [email protected] now", "write to [email protected] now", []),
    ("empty-brackets", "[] [ ] [/]", "[] [ ] [/]", []),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "body", "quotes"), [c[1:] for c in GRAMMAR], ids=[c[0] for c in GRAMMAR]
)
def test_grammar_table(text: str, body: str, quotes: list[tuple[str, str | None]]) -> None:
    result = strip_shortcodes(text)
    assert result.text == body
    assert [(q["text"], q["attribution"]) for q in result.quotes] == quotes


def test_table_is_big_enough() -> None:
    assert len(GRAMMAR) >= 40


# (attribute text, named, positional): shortcode_parse_atts semantics, plus texturized forms
ATTS = [
    ("a=\"1\" b='2' c=3", {"a": "1", "b": "2", "c": "3"}, ()),
    ('KEY="v"', {"key": "v"}, ()),
    ('k = "spaced"', {"k": "spaced"}, ()),
    ("\"pos one\" 'pos two' three", {}, ("pos one", "pos two", "three")),
    ('a="x"y b="z"', {"b": "z"}, ('a="x"y',)),
    ('k="unclosed', {}, ('k="unclosed',)),
    ("title='l’auteur'", {"title": "l’auteur"}, ()),
    ("title=‘l’auteur’", {"title": "l’auteur"}, ()),
    ('html="<b>bold</b>" bad="<b"', {"html": "<b>bold</b>", "bad": ""}, ()),
    ("url=https://x.org/?a=1&b=2", {"url": "https://x.org/?a=1&b=2"}, ()),
    ('e=""', {"e": ""}, ()),
    ("x=\u00a0“nbsp”", {"x": "nbsp"}, ()),
    (" style= »style-2″ align= »none »", {"style": "style-2", "align": "none"}, ()),
    ("a=&#8220;b&#8221;", {"a": "b"}, ()),
    ("", {}, ()),
]


@pytest.mark.parametrize(("text", "named", "positional"), ATTS)
def test_parse_atts(text: str, named: dict[str, str], positional: tuple[str, ...]) -> None:
    assert parse_atts(text) == Atts(named, positional)


def test_seed_tag_fields() -> None:
    (tag,) = scan(SEED).tags
    assert tag.name == "penci_blockquote"
    assert tag.kind == "quote"
    assert tag.atts.named == {
        "style": "style-2",
        "align": "none",
        "author": "Président chinois, Xi Jinping",
        "font_weight": "bold",
        "font_style": "italic",
    }
    assert tag.content is not None
    assert SEED[tag.content[0] : tag.content[1]] == SEED_QUOTE
    assert (tag.start, tag.end) == (0, len(SEED))


def test_tags_record_escapes_and_nesting_in_document_order() -> None:
    text = "[[gallery]] [vc_row][my_box a=1]x[/my_box][/vc_row]"
    tags = scan(text).tags
    assert [(t.name, t.kind, t.escaped) for t in tags] == [
        ("gallery", "media", True),
        ("vc_row", "wrapper", False),
        ("my_box", "unknown", False),
    ]
    assert tags[2].atts.named == {"a": "1"}


def test_registry_kinds_exact_before_globs() -> None:
    registry = default_registry()
    assert registry.kind("su_quote") == "quote"  # exact, although su_* is a wrapper glob
    assert registry.kind("su_row") == "wrapper"
    assert registry.kind("et_pb_section") == "wrapper"
    assert registry.kind("caption") == "caption"
    assert registry.kind("nonexistent") is None


def test_profile_overrides_registry() -> None:
    profile = Profile(name="x", shortcodes=MappingProxyType({"vc_row": "drop", "promo_*": "drop"}))
    registry = registry_for(profile)
    assert strip_shortcodes("[vc_row]ad[/vc_row][promo_box]b[/promo_box]ok", registry).text == "ok"
    assert strip_shortcodes("[vc_row]kept[/vc_row]").text == "kept"  # the default is untouched


def test_profile_with_unknown_kind_is_a_clear_error() -> None:
    profile = Profile(name="x", shortcodes=MappingProxyType({"vc_row": "explode"}))
    with pytest.raises(ValueError, match="unknown shortcode kind 'explode'"):
        registry_for(profile)


# ---- properties ------------------------------------------------------------------------------

PLAIN = st.text(
    alphabet=st.characters(blacklist_characters="[]", blacklist_categories=("Cs",)), max_size=12
)
LITERALS = st.sampled_from(["[1]", "[sic]", "[Photo: AFP]", "[…]", "[Updated 10:32]", "[x](y)"])
ATTRS = st.sampled_from(["", ' a="1"', " style= »x″", " b='y z'", " c=3", " author=“A B”"])
WRAPPERS = st.sampled_from(["vc_row", "vc_column", "et_pb_text", "row", "my_box", "custom-block"])
LONE = st.sampled_from(["vc_row", "vc_column_text", "et_pb_section", "fusion_text"])


def _tree(children: st.SearchStrategy[list[tuple[str, str]]]) -> st.SearchStrategy[tuple[str, str]]:
    """(source, text a reader sees): an enclosing wrapper around generated children."""

    def wrap(args: tuple[str, str, list[tuple[str, str]]]) -> tuple[str, str]:
        name, attrs, kids = args
        inner = "".join(k[0] for k in kids)
        return f"[{name}{attrs}]{inner}[/{name}]", "".join(k[1] for k in kids)

    return st.tuples(WRAPPERS, ATTRS, children).map(wrap)


LEAF = st.one_of(
    PLAIN.map(lambda t: (t, t)),
    LITERALS.map(lambda t: (t, t)),
    st.tuples(LONE, ATTRS).map(lambda a: (f"[{a[0]}{a[1]}]", "")),
    st.tuples(WRAPPERS, ATTRS).map(lambda a: (f"[{a[0]}{a[1]} /]", "")),
)
SEGMENTS = st.recursive(LEAF, lambda inner: _tree(st.lists(inner, max_size=4)), max_leaves=12)
DOCS = st.lists(SEGMENTS, max_size=8).map(
    lambda segs: ("".join(s[0] for s in segs), "".join(s[1] for s in segs))
)
REMOVED = st.sampled_from(["gallery", "caption", "embed", "su_quote", "adsense"])
REMOVED_SEGMENT = st.tuples(REMOVED, ATTRS, PLAIN).map(
    lambda a: (f"[{a[0]}{a[1]}]{a[2]}[/{a[0]}]", "")
)
WITH_REMOVALS = st.lists(st.one_of(SEGMENTS, REMOVED_SEGMENT), max_size=8).map(
    lambda segs: ("".join(s[0] for s in segs), "".join(s[1] for s in segs))
)


@given(DOCS)
def test_every_character_that_is_not_markup_survives_in_order(doc: tuple[str, str]) -> None:
    source, visible = doc
    assert strip_shortcodes(source).text == visible


@given(WITH_REMOVALS)
def test_cleaning_is_idempotent(doc: tuple[str, str]) -> None:
    once = strip_shortcodes(doc[0])
    assert once.text == doc[1]
    twice = strip_shortcodes(once.text)
    assert twice.text == once.text
    assert twice.quotes == []


@given(WITH_REMOVALS)
def test_no_closing_tag_of_a_recognised_name_is_left(doc: tuple[str, str]) -> None:
    out = strip_shortcodes(doc[0]).text
    names = {t.name for t in scan(doc[0]).tags}
    assert not [n for n in names if f"[/{n}]" in out]


SOUP_TOKENS = ["[", "]", "/", "[/", "vc_row", "gallery", "su_quote", "a", " ", "=", '"', "»", "x_y"]
SOUP = st.lists(st.sampled_from(SOUP_TOKENS), max_size=40).map("".join)


def _is_subsequence(small: str, big: str) -> bool:
    chars = iter(big)
    return all(ch in chars for ch in small)


@settings(max_examples=300)
@given(SOUP)
def test_any_bracket_soup_is_handled_and_only_loses_characters(text: str) -> None:
    result = strip_shortcodes(text)
    assert _is_subsequence(result.text, text)
    for quote in result.quotes:
        assert quote["text"].strip()


# ---- adversarial input: linear time -------------------------------------------------------------
# Each input is around a megabyte. The linear scanner handles it in about a second; a scanner that
# rescans to the end of the text for every "[" or every attribute would need ~10^11-10^12 steps,
# i.e. hours, so the generous timeout turns quadratic behaviour into a hang-and-fail, not a
# flaky timing assertion.
ADVERSARIAL = {
    "200KB-of-brackets": ("'[' * 1_000_000", 1_000_000),
    "escape-openers": ("'[[vc_row ' * 200_000", 1_800_000),
    "unbalanced-single-quotes": ("'[vc_row ' + \"a='x \" * 300_000 + ']'", 0),
    "unbalanced-texturized-quotes": ("'[vc_row ' + 'a=«x ' * 300_000 + ']'", 0),
    "unbalanced-double-quotes": ("'[vc_row ' + 'a=\"x ' * 300_000 + ']'", 0),
    "10000-unclosed-unknown-tags": ("'[abc ' * 200_000 + ']'", 1_000_001),
    "10000-unclosed-registry-tags": ("'[vc_row]' * 200_000", 0),
    "unclosed-closers": ("'[/vc_row' * 200_000", 1_600_000),
    "deep-distinct-nesting": (
        "''.join(f'[n{i}_x]' for i in range(100_000)) + 'x'"
        " + ''.join(f'[/n{i}_x]' for i in reversed(range(100_000)))",
        1,
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize(("expression", "length"), ADVERSARIAL.values(), ids=ADVERSARIAL.keys())
def test_adversarial_input_is_linear(expression: str, length: int) -> None:
    code = textwrap.dedent(
        f"""
        from newscrawler.extraction.shortcodes import strip_shortcodes
        print(len(strip_shortcodes({expression}).text))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=180, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout) == length
