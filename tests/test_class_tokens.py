"""Class/id vocabulary tests by set look-ups (content_vocab.Tokens, boilerplate's class tests)
answer exactly as the regular expressions they replaced."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newscrawler.extraction import boilerplate
from newscrawler.extraction.chrome import REGION_TOKENS
from newscrawler.extraction.content_vocab import (
    BOX_PREFIXES,
    HIDDEN_CLASSES,
    JUNK_PREFIXES,
    JUNK_TOKENS,
    LAYOUT_TOKENS,
    Tokens,
)

# Pieces class and id values are made of, separators of every kind among them.
PIECES = st.sampled_from(
    [
        "ad", "ads", "advert", "advertisement", "x", "-", "_", " ", "\n", "\t", "\u2003", "\x1c",
        "\x85", "comment", "comments", "s", "list", "respond", "hidden", "sr", "only", "vh",
        "paywall", "é", ":", "9", "A", "Sidebar", "--", "disqus", "thread", "share", "widget",
        "dfp", "Ab", "abonn",
    ]
)  # fmt: skip
VALUES = st.lists(PIECES, max_size=10).map("".join)


def token_regex(exact: tuple[str, ...], prefixes: tuple[str, ...]) -> re.Pattern[str]:
    """The regex `Tokens` replaced, kept as its specification: a class/id part (separated by
    whitespace, "-" or "_") equal to a token or a prefix followed by letters and digits."""
    alternatives = [re.escape(t) for t in exact] + [re.escape(p) + r"[a-z0-9]*" for p in prefixes]
    if not alternatives:
        return re.compile(r"(?!x)x")
    return re.compile(r"(?:^|[\s_-])(?:" + "|".join(alternatives) + r")(?=$|[\s_-])")


_HIDDEN = re.compile(r"(?:^|\s)(?:" + "|".join(re.escape(c) for c in HIDDEN_CLASSES) + r")(?=\s|$)")
_DISCUSSION = re.compile(
    r"(?:^|\s)(?:comments|comment-list|commentlist|comments-area|comments-list|comment-respond"
    r"|respond|comment-body|comment-content|comment-thread|disqus_thread|comment-form)(?=\s|$)"
)


@given(VALUES)
def test_tokens_answer_as_the_token_regex(value: str) -> None:
    for exact, prefixes in (
        (JUNK_TOKENS, JUNK_PREFIXES),
        (LAYOUT_TOKENS, ()),
        ((), BOX_PREFIXES),
        (REGION_TOKENS, ("sidebar",)),
    ):
        expected = token_regex(exact, prefixes).search(value.lower()) is not None
        assert (Tokens(exact, prefixes).search(value.lower()) is not None) is expected


@given(VALUES, VALUES)
def test_class_tests_answer_as_the_regexes(cls: str, ident: str) -> None:
    both = f"{cls} {ident}".lower()
    assert boilerplate._hidden_class(cls) is (_HIDDEN.search(cls.lower()) is not None)
    assert boilerplate.is_discussion(cls, ident) is (_DISCUSSION.search(both) is not None)
    box = token_regex((), BOX_PREFIXES).search(both) is not None
    assert boilerplate.box_share(cls, ident) is box


@pytest.mark.parametrize(("exact", "prefixes"), [(("top-ad",), ()), ((), ("ad_",)), ((), ("a",))])
def test_tokens_refuse_a_token_with_a_separator(
    exact: tuple[str, ...], prefixes: tuple[str, ...]
) -> None:
    with pytest.raises(ValueError, match="separator"):
        Tokens(exact, prefixes)


def test_a_prefix_takes_letters_and_digits_only() -> None:
    tokens = Tokens((), ("advert",))
    assert tokens.search("box advertisement2") == "advertisement2"
    assert tokens.search("advert:x") is None
    assert tokens.search("myadvert") is None
    assert tokens.search("my_advert") == "advert"
