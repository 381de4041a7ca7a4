"""Read-also lines and boxes: phrases in many languages, layout variants, URL cleaning (issue 4).

Whole pages (tests/fixtures/pages/readalso_*) are checked field by field by test_fixture_pages.py.
"""

from __future__ import annotations

import re
from types import MappingProxyType
from urllib.parse import parse_qsl, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newscrawler.extraction.blocks import Anchor, Block
from newscrawler.extraction.related import (
    clean_url,
    default_phrases,
    phrase_key,
    phrases_for,
    split_read_also,
)
from newscrawler.items import Link
from newscrawler.profiles.model import Profile

BASE = "https://news.example/section/story"
PROSE = Block("p", "An ordinary paragraph of the article, long enough to be prose.")


def _line(lead: str, *titles: str, tail: str = "") -> Block:
    """A paragraph "<lead> <a>title</a> ... <tail>" as the content walker reports it."""
    anchors = tuple(Anchor(t, f"https://news.example/{i}") for i, t in enumerate(titles))
    text = " ".join(x for x in (lead, " | ".join(titles), tail) if x)
    return Block("p", text, anchors, lead)


def _split(*blocks: Block, profile: Profile | None = None) -> tuple[list[Block], list[Link]]:
    return split_read_also(list(blocks), base_url=BASE, phrases=phrases_for(profile))


PHRASES = [  # (language, line prefix as published)
    ("fr", "A (re) lire :"), ("fr", "À (re)lire :"), ("fr", "À lire aussi :"),
    ("fr", "Lire aussi :"), ("fr", "Voir aussi :"), ("fr", "A LIRE AUSSI >>"),
    ("en", "Read also:"), ("en", "Also read:"),
    ("en", "Read more:"), ("en", "See also:"), ("en", "Related:"), ("en", "RELATED —"),
    ("de", "Lesen Sie auch:"), ("de", "Mehr zum Thema:"), ("es", "Lee también:"),
    ("es", "Lea también:"), ("pt", "Leia também:"), ("pt", "Leia mais:"), ("it", "Leggi anche:"),
    ("nl", "Lees ook:"), ("pl", "Czytaj też:"), ("pl", "Przeczytaj również:"),
    ("ru", "Читайте также:"), ("ru", "ЧИТАЙТЕ ТАКЖЕ:"), ("ar", "اقرأ أيضا:"), ("ar", "اقرأ أيضاً:"),
    ("ar", "إقرأ أيضا -"),
]  # fmt: skip


@pytest.mark.parametrize(("language", "prefix"), PHRASES, ids=[f"{a}-{b}" for a, b in PHRASES])
def test_phrase_with_a_link_becomes_a_read_also_link(language: str, prefix: str) -> None:
    body, links = _split(PROSE, _line(prefix, "Other story"), PROSE)
    assert body == [PROSE, PROSE]
    assert links == [{"title": "Other story", "url": "https://news.example/0"}]


def test_prefix_in_strong_without_separator_then_the_link() -> None:
    # <p><strong>Lesen Sie auch</strong> <a>Titel</a></p>: no colon, the link follows at once
    body, links = _split(_line("Lesen Sie auch", "Die Wahl im Überblick"))
    assert body == []
    assert links == [{"title": "Die Wahl im Überblick", "url": "https://news.example/0"}]


def test_walker_without_lead_still_matches_on_the_text() -> None:
    block = Block("p", "Read also: Other story", (Anchor("Other story", "https://n.example/a"),))
    assert _split(block)[1] == [{"title": "Other story", "url": "https://n.example/a"}]


def test_link_that_wraps_the_phrase_too() -> None:
    # <p><a href="...">Lesen Sie auch:Marie Schreiber ...</a></p> (no space after the colon)
    for text in ("Lesen Sie auch:Die Wahl im Überblick", "Lesen Sie auch Die Wahl im Überblick"):
        block = Block("p", text, (Anchor(text, "https://n.example/w"),))
        assert _split(block) == (
            [],
            [{"title": "Die Wahl im Überblick", "url": "https://n.example/w"}],
        )


def test_prose_that_starts_with_a_link_is_not_read_also() -> None:
    text = "Related parties must declare their interests, the regulator said."
    block = Block("p", text, (Anchor("Related parties", "https://n.example/r"),))
    assert _split(block) == ([block], [])


def test_several_links_in_one_line() -> None:
    body, links = _split(_line("Lee también:", "Uno", "Dos", "Tres"))
    assert body == []
    assert [link["title"] for link in links] == ["Uno", "Dos", "Tres"]


def test_prefix_without_link_gives_a_title_with_a_null_url() -> None:
    block = Block("p", "Leia também: Governo anuncia novo plano")
    assert _split(block) == ([], [{"title": "Governo anuncia novo plano", "url": None}])


def test_the_seed_line() -> None:
    title = "Énurésie : Des astuces pour faire face au pipi au lit"
    block = Block("p", f"A (re) lire : {title}", (Anchor(title, "/sante/enuresie?utm_source=x"),))
    assert _split(block)[1] == [{"title": title, "url": "https://news.example/sante/enuresie"}]


def test_box_heading_followed_by_link_only_items() -> None:
    heading = Block("h", "À lire aussi")
    items = [Block("li", t, (Anchor(t, f"/{i}"),)) for i, t in enumerate(["Un", "Deux"])]
    body, links = _split(PROSE, heading, *items, PROSE)
    assert body == [PROSE, PROSE]
    assert links == [
        {"title": "Un", "url": "https://news.example/0"},
        {"title": "Deux", "url": "https://news.example/1"},
    ]


def test_box_block_with_several_links() -> None:
    box = Block(
        "box",
        "Related stories: First one Second one",
        (Anchor("First one", "/1"), Anchor("Second one", "/2")),
        "Related stories:",
    )
    body, links = _split(box)
    assert body == []
    assert [link["url"] for link in links] == ["https://news.example/1", "https://news.example/2"]


def test_lone_heading_without_links_is_dropped_and_prose_after_it_kept() -> None:
    assert _split(Block("h", "See also"), PROSE) == ([PROSE], [])


NOT_READ_ALSO = [
    "Voir aussi le rapport publié hier par l’autorité des transports.",
    "Read more about the policy in the annex.",
    "Related parties must declare their interests, the regulator said.",
    "Lesen Sie auch die Stellungnahme der Opposition, die heute erschien.",
    "Lire : " + "un très long paragraphe " * 20,
    "Readers also said: this is fine.",
]


@pytest.mark.parametrize("text", NOT_READ_ALSO)
def test_prose_that_starts_like_a_phrase_stays_in_the_body(text: str) -> None:
    block = Block("p", text)
    assert _split(block) == ([block], [])


def test_very_long_line_is_prose_even_with_a_separator() -> None:
    block = Block("p", "Read more: " + "words " * 80)
    assert _split(block) == ([block], [])


def test_quote_blocks_are_never_read_also() -> None:
    block = Block("quote", "Read also: my memoir", attribution="Someone")
    assert _split(block) == ([block], [])


def test_duplicate_links_are_kept_once() -> None:
    line = _line("Read also:", "Other story")
    assert len(_split(line, line)[1]) == 1


def test_profile_adds_phrases() -> None:
    profile = Profile(name="x", read_also_phrases=MappingProxyType({"fr": ("Notre dossier",)}))
    block = _line("Notre dossier :", "Tout sur la grève")
    assert _split(block)[1] == []
    assert _split(block, profile=profile)[1] == [
        {"title": "Tout sur la grève", "url": "https://news.example/0"}
    ]


def test_phrase_key_ignores_case_accents_punctuation_and_spacing() -> None:
    assert phrase_key("À (Re)lire :") == phrase_key("a (re) lire") == ("a", "re", "lire")
    assert phrase_key("ЧИТАЙТЕ ТАКЖЕ") == phrase_key("Читайте также")


def test_longest_phrase_wins() -> None:
    text = "A lire aussi : Titre"
    end = default_phrases().match(text)
    assert end is not None and text[:end] == "A lire aussi"


def test_every_language_of_the_issue_has_phrases() -> None:
    keys = default_phrases().keys
    issue = ["Lire aussi", "Read also", "Lesen Sie auch", "Lee también", "Leia também"]
    issue += ["Leggi anche", "Lees ook", "Czytaj też", "Читайте также", "اقرأ أيضا"]
    for phrase in issue:
        assert phrase_key(phrase) in keys


URLS = [
    ("/a?id=3&utm_source=x&utm_medium=y#top", "https://news.example/a?id=3#top"),
    ("https://o.example/p?fbclid=abc", "https://o.example/p"),
    ("https://o.example/p?gclid=1&q=ok&UTM_Campaign=z", "https://o.example/p?q=ok"),
    ("https://o.example/p?a=1&a=2", "https://o.example/p?a=1&a=2"),
    ("//cdn.example/x", "https://cdn.example/x"),
    ("../other", "https://news.example/other"),
    ("https://o.example/a b", "https://o.example/a%20b"),
    ("javascript:void(0)", None),
    ("http://[::1", None),
    ("http://a:99999999/x", None),
    ("https://ex.com:abc/", None),
    ("https://exa mple.com/", None),
    ("http:///x", None),
    ("mailto:desk@news.example", None),
    ("", None),
    ("   ", None),
]


@pytest.mark.parametrize(("href", "expected"), URLS)
def test_clean_url(href: str, expected: str | None) -> None:
    assert clean_url(href, BASE) == expected


@given(st.text(max_size=40), st.sampled_from([None, BASE, "", "not a url"]))
def test_clean_url_never_raises_and_gives_a_schema_url(href: str, base: str | None) -> None:
    url = clean_url(href, base)
    assert url is None or re.fullmatch(r"https?://\S+", url)


QUERY_KEYS = st.sampled_from(["id", "page", "q", "utm_source", "utm_term", "fbclid", "gclid", "x"])


@given(st.lists(st.tuples(QUERY_KEYS, st.text("abc123", max_size=4)), max_size=6))
def test_clean_url_removes_only_tracking_and_is_idempotent(query: list[tuple[str, str]]) -> None:
    url = "https://n.example/p?" + "&".join(f"{k}={v}" for k, v in query)
    cleaned = clean_url(url)
    assert cleaned is not None
    kept = [(k, v) for k, v in query if not k.startswith("utm_") and k not in ("fbclid", "gclid")]
    assert parse_qsl(urlsplit(cleaned).query, keep_blank_values=True) == kept
    assert clean_url(cleaned) == cleaned
