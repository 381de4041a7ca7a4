"""The page-language check's ranking (newscrawler.extraction.language.rank) is py3langid's.

Why these tests: `rank` runs py3langid's byte automaton with numpy, which is exact only because
the shipped model's automaton forgets its start state after SYNC_BYTES bytes. The first test
proves that for the installed model and pins its digest; the others compare rankings.
"""

from __future__ import annotations

import random

import py3langid
import py3langid.langid
import pytest

from newscrawler.extraction import language
from newscrawler.extraction.language import MODEL_DIGEST, SYNC_BYTES, page_language, rank


def test_the_installed_model_is_the_proven_one() -> None:
    identifier = py3langid.langid._get_identifier()
    digest = language.model_digest(identifier)
    assert digest == MODEL_DIGEST, (
        f"py3langid ships another model ({digest}): check `synchronises(identifier, n)` for the "
        "smallest n, then set SYNC_BYTES and MODEL_DIGEST (until then py3langid reads the text)"
    )
    assert language.synchronises(identifier, SYNC_BYTES)
    assert not language.synchronises(identifier, SYNC_BYTES - 1)
    assert language._automaton() is not None


SAMPLES = [
    "",
    "a",
    "abcde",
    "abcdef",
    "THE COUNCIL MET ON MONDAY",
    "The council met on Monday to discuss the budget for the coming year. " * 8,
    "Wakazi wa kijiji hicho walisema kwamba mvua kubwa ilinyesha usiku kucha. " * 6,
    "Der Gemeinderat hat am Montag über den Haushalt für das kommende Jahr beraten. " * 6,
    "東京都は月曜日、来年度の予算案を発表した。" * 20,
    "Ελληνικά κείμενα και кириллица, e\u0301 combining, \ud800 lone surrogate, 😀 emoji",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_rank_is_py3langids_ranking(text: str) -> None:
    assert rank(text) == py3langid.rank(text)


def test_rank_on_random_texts() -> None:
    rnd = random.Random(14)
    alphabet = "abcdefghijklmnopqrstuvwxyz ABCDEFäöüéßçñ日本語中文Ελληνικάкириллица0123\n\t.,"
    for _ in range(200):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 700)))
        assert rank(text) == py3langid.rank(text)


def test_another_model_is_read_by_py3langid(monkeypatch: pytest.MonkeyPatch) -> None:
    language._automaton.cache_clear()
    monkeypatch.setattr(language, "MODEL_DIGEST", "another")
    try:
        assert language._automaton() is None
        text = "Wakazi wa kijiji hicho walisema kwamba mvua kubwa ilinyesha usiku kucha. " * 6
        assert rank(text) == py3langid.rank(text)
        assert page_language("en", text=text) == "sw"
    finally:
        language._automaton.cache_clear()
