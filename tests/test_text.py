"""Text normalisation rules (issue 4): one table per rule, and properties."""

from __future__ import annotations

import doctest
import importlib
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newscrawler.text import normalize_body, normalize_lines, normalize_text, strip_invisible

NORMALIZE = [
    ("entities", "Caf&eacute; &amp; th&#233; &#x2019;", "Café & thé ’"),
    ("entity-once", "&amp;amp; stays one level", "&amp; stays one level"),
    ("nfc", "Cafe\u0301 cre\u0300me", "Café crème"),
    ("zero-width-space", "data\u200bset", "dataset"),
    ("word-joiner-bom", "\ufeffword\u2060joined", "wordjoined"),
    ("soft-hyphen", "co\u00adop\u00ader\u00adation", "cooperation"),
    ("nbsp", "Covid-19\u00a0: la\u00a0reprise", "Covid-19 : la reprise"),
    ("narrow-nbsp", "«\u202fBonjour\u202f»", "« Bonjour »"),
    ("figure-space", "1\u2007000", "1 000"),
    ("whitespace-runs", "  a \t b\n\n c  ", "a b c"),
    ("typographic-quotes-kept", "“Yes,” it’s ‘fine’ „ja“ «oui»", "“Yes,” it’s ‘fine’ „ja“ «oui»"),
    ("apostrophes-kept", "l’homme l'homme", "l’homme l'homme"),
    ("bidi-marks", "\u200fمرحبا\u200e \u202bx\u202c", "مرحبا x"),
    ("controls", "a\x00b\x07c\x1ed\x85e", "abcde"),
    ("zwnj-kept-in-persian", "می\u200cخواهم", "می\u200cخواهم"),
    ("zwj-kept-in-emoji", "👨\u200d👩\u200d👧", "👨\u200d👩\u200d👧"),
    ("stray-joiners-dropped", "a\u200cb \u200dword\u200d", "ab word"),
    ("empty", " \u00a0\u200b ", ""),
]  # fmt: skip


@pytest.mark.parametrize(
    ("raw", "expected"), [c[1:] for c in NORMALIZE], ids=[c[0] for c in NORMALIZE]
)
def test_normalize_text(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


def test_normalize_body_keeps_paragraph_breaks_and_drops_empty_ones() -> None:
    paragraphs = ["  First\u00a0paragraph. ", "", "\u200b", "Second\n  one."]
    assert normalize_body(paragraphs) == "First paragraph.\nSecond one."


def test_normalize_lines_splits_on_line_breaks() -> None:
    assert normalize_lines("one\n\n  two\u00a0three \r\nfour") == "one\ntwo three\nfour"


INVISIBLE = "\u00ad\u200b\u200e\u200f\u2060\ufeff\u202a\u202c"
TEXT = st.text(
    alphabet=st.one_of(
        st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Co"), blacklist_characters="&"),
        st.sampled_from(INVISIBLE + " \t\n\u00a0\u202f"),
    )
)


@given(TEXT)
def test_normalize_text_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


@given(TEXT)
def test_output_has_single_spaces_no_invisibles_and_is_nfc(text: str) -> None:
    out = normalize_text(text)
    assert out == out.strip()
    assert "  " not in out
    assert "\n" not in out
    assert not set(out) & set(INVISIBLE)
    assert unicodedata.is_normalized("NFC", out)


@given(TEXT)
def test_visible_characters_survive_in_order(text: str) -> None:
    nfc = unicodedata.normalize("NFC", strip_invisible(text))
    visible = [c for c in nfc if not c.isspace()]
    assert [c for c in normalize_text(text) if not c.isspace()] == visible


@given(st.lists(TEXT, max_size=6))
def test_body_lines_are_normalised_and_never_empty(paragraphs: list[str]) -> None:
    body = normalize_body(paragraphs)
    for line in body.split("\n") if body else []:
        assert line
        assert normalize_text(line) == line


@pytest.mark.parametrize(
    "module",
    ["newscrawler.text", "newscrawler.extraction.shortcodes", "newscrawler.extraction.quotes",
     "newscrawler.extraction.related"],
)  # fmt: skip
def test_docstring_examples_run(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0
    assert result.failed == 0
