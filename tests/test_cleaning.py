"""clean_blocks: shortcodes across blocks, quotes leaving the body, read-also lifted (issue 4)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from types import MappingProxyType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newscrawler.extraction.blocks import Anchor, Block
from newscrawler.extraction.cleaning import clean_blocks
from newscrawler.extraction.shortcodes import Registry
from newscrawler.profiles.model import Profile
from newscrawler.text import normalize_text
from tests.shared_data import ROOT, local_origin, main_checkout, shared_dir, shared_file
from tests.test_shortcodes import DOCS

SEED_NAME = ("seed", "000_8ee08c2d1de8db32.txt")  # under ../shared, see tests/shared_data.py
BASE = "https://www.example-news.ma/monde/article/"
ENURESIE = "Énurésie : Des astuces pour faire face au pipi au lit"
P1 = "Le gouvernement a présenté mardi un plan de lutte contre la pénurie de médecins."
P2 = "Les syndicats ont salué des avancées mais restent prudents sur le calendrier."


def _texts(blocks: list[Block]) -> list[str]:
    return [b.text for b in blocks]


def _seed_blocks() -> list[Block]:
    """The seed article's paragraphs as the content walker hands them over."""
    from tests.test_shortcodes import SEED as SHORTCODE  # the seed's exact shortcode paragraph

    paragraphs = [
        "La Chine est prête à travailler avec d’autres pays afin de créer un nouveau paradigme.",
        "Le Président Xi a salué le rôle important que joue Internet.",
        SHORTCODE,
        "Le forum de deux jours, organisé sur le thème « Autonomisation numérique ».",
        f"A (re) lire : {ENURESIE}",
        "Les dernières données du forum ont montré que les technologies numériques progressent.",
    ]
    blocks = [Block("p", p) for p in paragraphs]
    blocks[4] = Block("p", paragraphs[4], (Anchor(ENURESIE, "/sante/enuresie/"),), "A (re) lire :")
    return blocks


def test_seed_case_exactly() -> None:
    blocks = _seed_blocks()
    cleaned = clean_blocks(blocks, base_url=BASE, language="fr")
    assert cleaned.blocks == [blocks[0], blocks[1], blocks[3], blocks[5]]
    assert len(cleaned.quotes) == 1
    assert cleaned.quotes[0]["attribution"] == "Président chinois, Xi Jinping"
    assert cleaned.quotes[0]["text"].startswith(
        "La Chine est prête à travailler avec d’autres pays"
    )
    assert cleaned.quotes[0]["text"].endswith("créer un avenir meilleur pour l’humanité")
    assert cleaned.read_also == [
        {"title": ENURESIE, "url": "https://www.example-news.ma/sante/enuresie/"}
    ]


def test_shortcode_split_across_blocks() -> None:
    blocks = [
        Block("p", f"[vc_row][vc_column_text]{P1}"),
        Block("p", "[penci_blockquote author=“Jeanne Martin”]Première phrase."),
        Block("p", "Deuxième phrase."),
        Block("p", f"Fin.[/penci_blockquote]{P2}"),
        Block("p", "[/vc_column_text][/vc_row]"),
    ]
    cleaned = clean_blocks(blocks)
    assert _texts(cleaned.blocks) == [P1, P2]
    assert cleaned.quotes == [
        {"text": "Première phrase.\nDeuxième phrase.\nFin.", "attribution": "Jeanne Martin"}
    ]


def test_media_spanning_blocks_removes_them_all() -> None:
    blocks = [
        Block("p", P1),
        Block("p", '[caption id="1"]'),
        Block("p", "Photo : AFP"),
        Block("p", "[/caption]"),
        Block("p", P2),
    ]
    assert _texts(clean_blocks(blocks).blocks) == [P1, P2]


def test_unchanged_blocks_are_returned_as_they_were() -> None:
    block = Block("li", "A [1] footnote", (Anchor("footnote", "https://x.org/"),), "A [1]")
    assert clean_blocks([block]).blocks == [block]


def test_changed_block_keeps_surviving_anchors_and_a_clean_lead() -> None:
    block = Block(
        "p",
        "[vc_column_text]See the report [gallery ids=1] and more",
        (Anchor("the report", "https://x.org/r"), Anchor("1", "https://x.org/g")),
        "[vc_column_text]See",
    )
    (out,) = clean_blocks([block]).blocks
    assert out == Block(
        "p", "See the report and more", (Anchor("the report", "https://x.org/r"),), "See"
    )


def test_read_also_inside_a_wrapper_is_found_after_stripping() -> None:
    block = Block(
        "p",
        "[vc_column_text]Lire aussi : La grève en questions[/vc_column_text]",
        (Anchor("La grève en questions", "https://x.fr/greve?utm_source=a"),),
        "[vc_column_text]Lire aussi :",
    )
    cleaned = clean_blocks([Block("p", P1), block], base_url="https://x.fr/")
    assert _texts(cleaned.blocks) == [P1]
    assert cleaned.read_also == [{"title": "La grève en questions", "url": "https://x.fr/greve"}]


def test_quote_blocks_leave_the_body_in_document_order() -> None:
    blocks = [
        Block("quote", "First [vc_row]quote[/vc_row].", attribution="A"),
        Block("p", P1),
        Block("p", "[su_quote cite=B]Second quote.[/su_quote]"),
        Block("quote", "Third quote.\n— C"),
        Block("p", P2),
    ]
    cleaned = clean_blocks(blocks)
    assert _texts(cleaned.blocks) == [P1, P2]
    assert cleaned.quotes == [
        {"text": "First quote.", "attribution": "A"},
        {"text": "Second quote.", "attribution": "B"},
        {"text": "Third quote.", "attribution": "C"},
    ]


def test_profile_overrides_the_registry() -> None:
    profile = Profile(name="p", shortcodes=MappingProxyType({"vc_row": "drop"}))
    blocks = [Block("p", "[vc_row]Promo text[/vc_row]"), Block("p", P1)]
    assert _texts(clean_blocks(blocks, profile=profile).blocks) == [P1]
    assert _texts(clean_blocks(blocks).blocks) == ["Promo text", P1]


def test_stats_count_what_was_handled() -> None:
    blocks = [Block("p", "[vc_row][gallery ids=1][su_quote cite=A]Q[/su_quote]T[/vc_row]")]
    assert clean_blocks(blocks).stats == {
        "shortcodes/wrapper": 1,
        "shortcodes/media": 1,
        "shortcodes/quote": 1,
        "quotes": 1,
    }


def test_a_tag_never_spans_two_blocks() -> None:
    blocks = [Block("p", "see [vc_row"), Block("p", "a=1] and more")]
    assert _texts(clean_blocks(blocks).blocks) == ["see [vc_row", "a=1] and more"]


def test_a_separator_character_in_a_text_is_just_a_space() -> None:
    assert _texts(clean_blocks([Block("p", "x\x1ey [vc_row]z")]).blocks) == ["x y z"]


def test_empty_input() -> None:
    cleaned = clean_blocks([])
    assert (cleaned.blocks, cleaned.quotes, cleaned.read_also) == ([], [], [])


WORDS = st.sampled_from(["alpha", "beta", "[1]", "[sic]", "gamma delta", "«x»", "l’a"])
MARKUP = st.sampled_from(
    ["[vc_row]", "[/vc_row]", "[vc_column width= »1/2″]", "[/vc_column]", "[gallery ids=1]",
     "[caption]", "[/caption]", "[su_quote cite=“A”]", "[/su_quote]", "[my_box a=1]", "[/my_box]"]
)  # fmt: skip
BLOCK_TEXT = st.lists(st.one_of(WORDS, MARKUP), min_size=1, max_size=6).map(" ".join)
BLOCKS = st.lists(BLOCK_TEXT.map(lambda t: Block("p", t)), max_size=6)


@given(BLOCKS)
def test_clean_blocks_is_idempotent(blocks: list[Block]) -> None:
    once = clean_blocks(blocks)
    twice = clean_blocks(once.blocks)
    assert twice.blocks == once.blocks
    assert twice.quotes == []
    assert twice.read_also == []


@given(BLOCKS)
def test_no_closing_tag_of_a_registry_name_survives(blocks: list[Block]) -> None:
    cleaned = clean_blocks(blocks)
    texts = [*_texts(cleaned.blocks), *(q["text"] for q in cleaned.quotes)]
    for name in ("vc_row", "vc_column", "caption", "su_quote", "my_box"):
        assert not any(f"[/{name}]" in t for t in texts)
    for quote in cleaned.quotes:
        assert quote["text"] and quote["attribution"] in (None, "A")


ANY_BLOCKS = st.lists(
    st.builds(
        Block,
        kind=st.sampled_from(["p", "h", "li", "quote", "box"]),
        text=st.text(max_size=60),
        anchors=st.lists(
            st.builds(Anchor, st.text(max_size=12), st.text(max_size=20)), max_size=3
        ).map(tuple),
        lead=st.text(max_size=12),
        attribution=st.none() | st.text(max_size=12),
    ),
    max_size=6,
)


@given(ANY_BLOCKS)
def test_any_blocks_give_schema_shaped_output(blocks: list[Block]) -> None:
    cleaned = clean_blocks(blocks, base_url="https://n.example/a")
    for quote in cleaned.quotes:
        assert quote["text"].strip() and (quote["attribution"] is None or quote["attribution"])
    for link in cleaned.read_also:
        assert link["title"] and (link["url"] is None or link["url"].startswith("http"))


def test_seed_file_matches_the_test_copy() -> None:
    # the shortcode paragraph used above is the seed's third line, byte for byte
    from tests.test_shortcodes import SEED as SHORTCODE

    seed = shared_file(*SEED_NAME)  # a missing seed fails, naming the path it looked for
    assert seed.read_text("utf-8").splitlines()[2] == SHORTCODE


def test_the_run_counters_name_what_was_lifted() -> None:
    assert clean_blocks(_seed_blocks(), base_url=BASE).stats == {
        "shortcodes/quote": 1,
        "quotes": 1,
        "read_also": 1,
    }


def test_an_empty_quote_shortcode_leaves_no_quote_and_is_still_counted_as_a_tag() -> None:
    cleaned = clean_blocks(
        [Block("p", 'Avant. [penci_blockquote author="A"] [/penci_blockquote] Après.')]
    )
    assert cleaned.quotes == []
    assert _texts(cleaned.blocks) == ["Avant. Après."]
    assert cleaned.stats == {"shortcodes/quote": 1}


def test_seed_path_is_relative_to_the_repository_root(tmp_path: Path) -> None:
    # no absolute machine path: the seed is looked up in ../shared beside the checkout
    # (under `make mutate` the tests run from mutmut's copy in <checkout>/mutants/)
    checkout = ROOT.parent if ROOT.name == "mutants" and not (ROOT / ".git").exists() else ROOT
    origin = local_origin(checkout)
    beside = [checkout.parent, main_checkout(checkout).parent, *([origin.parent] if origin else [])]
    assert shared_dir(ROOT) in [parent / "shared" for parent in beside]
    clone = tmp_path / "clone"
    clone.mkdir()
    assert shared_dir(clone) == tmp_path / "shared"
    worktree = tmp_path / "wt" / "branch"
    worktree.mkdir(parents=True)
    (tmp_path / "main" / ".git" / "worktrees" / "branch").mkdir(parents=True)
    (worktree / ".git").write_text(f"gitdir: {tmp_path}/main/.git/worktrees/branch\n")
    (tmp_path / "shared").mkdir()
    assert main_checkout(worktree) == tmp_path / "main"
    assert shared_dir(worktree) == tmp_path / "shared"
    (worktree / "mutants").mkdir()
    assert shared_dir(worktree / "mutants") == tmp_path / "shared"


def test_a_clone_of_a_local_checkout_finds_the_origins_shared_data(tmp_path: Path) -> None:
    origin, clone = tmp_path / "work" / "main", tmp_path / "elsewhere" / "clone"
    (tmp_path / "work" / "shared").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(origin)], check=True)
    subprocess.run(["git", "clone", "-q", str(origin), str(clone)], check=True, capture_output=True)
    assert shared_dir(clone) == tmp_path / "work" / "shared"


def test_missing_shared_data_fails_naming_the_path() -> None:
    with pytest.raises(AssertionError, match=r"shared data missing: .*shared/seed/absent\.txt"):
        shared_file("seed", "absent.txt")


def test_a_profiles_own_read_also_phrase_is_used() -> None:
    """A phrase none of the built-in vocabularies has, declared by a site's profile."""
    promo = "Zum Weiterklicken: Der Haushalt im Detail"
    blocks = [
        Block("p", P1),
        Block("p", promo, (Anchor("Der Haushalt im Detail", "/haushalt/"),), "Zum Weiterklicken:"),
    ]
    profile = Profile(name="p", read_also_phrases=MappingProxyType({"de": ("Zum Weiterklicken",)}))
    with_profile = clean_blocks(blocks, base_url="https://ex.de/a/", profile=profile)
    assert with_profile.read_also == [
        {"title": "Der Haushalt im Detail", "url": "https://ex.de/haushalt/"}
    ]
    assert _texts(with_profile.blocks) == [P1]
    assert _texts(clean_blocks(blocks, base_url="https://ex.de/a/").blocks) == [P1, promo]


def test_without_lifting_read_also_the_line_stays_in_the_body() -> None:
    blocks = _seed_blocks()
    cleaned = clean_blocks(blocks, base_url=BASE, lift_read_also=False)
    assert _texts(cleaned.blocks) == _texts([blocks[0], blocks[1], blocks[3], blocks[4], blocks[5]])
    assert cleaned.read_also == []
    assert cleaned.stats == {"shortcodes/quote": 1, "quotes": 1}


def test_a_quote_shortcode_inside_a_blockquote_comes_before_the_rest_of_it() -> None:
    blocks = [Block("quote", "[su_quote cite=A]Inner words.[/su_quote] Outer words.")]
    cleaned = clean_blocks(blocks)
    assert cleaned.quotes == [
        {"text": "Inner words.", "attribution": "A"},
        {"text": "Outer words.", "attribution": None},
    ]
    assert cleaned.blocks == []


def test_a_linked_image_keeps_its_url_when_the_line_loses_a_shortcode() -> None:
    # <p>[vc_column_text]Lire aussi : <a href=...><img></a> La grève[/vc_column_text]</p>
    block = Block(
        "p",
        "[vc_column_text]Lire aussi : La grève en questions[/vc_column_text]",
        (Anchor("", "https://x.fr/greve"),),
        "[vc_column_text]Lire aussi :",
    )
    cleaned = clean_blocks([Block("p", P1), block], base_url="https://x.fr/")
    assert cleaned.read_also == [{"title": "La grève en questions", "url": "https://x.fr/greve"}]


def test_an_explicit_registry_wins_over_the_profiles() -> None:
    profile = Profile(name="p", shortcodes=MappingProxyType({"vc_row": "drop"}))
    unwrap = Registry(MappingProxyType({"su_quote": "wrapper"}))
    blocks = [Block("p", "[vc_row]Kept[/vc_row] [su_quote]Said.[/su_quote]")]
    cleaned = clean_blocks(blocks, profile=profile, registry=unwrap)
    assert (_texts(cleaned.blocks), cleaned.quotes) == (["Kept Said."], [])


def test_a_shortcode_opening_a_late_block_leaves_its_text_in_that_block() -> None:
    paragraphs = [f"Paragraph {n} of the article." for n in range(6)]
    blocks = [*(Block("p", p) for p in paragraphs), Block("p", "[ad]Seventh."), Block("p", "End.")]
    assert _texts(clean_blocks(blocks).blocks) == [*paragraphs, "Seventh.", "End."]


# the separator is cleaning's own character (a space in a block's text): none in these blocks
OWN_DOCS = DOCS.map(lambda doc: (doc[0].replace("\x1e", " "), doc[1].replace("\x1e", " ")))


# no deadline nor "too slow" check: generating eight documents on a loaded machine is no defect
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(OWN_DOCS, max_size=8))
def test_blocks_with_their_own_shortcodes_are_cleaned_one_by_one(
    docs: list[tuple[str, str]],
) -> None:
    """When no shortcode crosses a block boundary, each block loses exactly its own markup."""
    cleaned = clean_blocks([Block("p", source) for source, _ in docs])
    unchanged_or_rebuilt = [
        text if text == source else normalize_text(text) for source, text in docs
    ]
    emptied = [text != source and not normalize_text(text) for source, text in docs]
    expected = [text for text, gone in zip(unchanged_or_rebuilt, emptied, strict=True) if not gone]
    assert _texts(cleaned.blocks) == expected
