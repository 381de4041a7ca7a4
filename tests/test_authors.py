"""Author names from bylines and structured data: persons first, agencies beside them, the site
or desk only when no person is named, never navigation text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newscrawler.extraction.authors import choose, is_agency, looks_like_name, split_byline
from newscrawler.extraction.blocks import Block
from newscrawler.extraction.bodybyline import byline_names, split_body_byline


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("By Jane Doe", ["Jane Doe"]),
        ("By Jane Doe and John Roe, Staff Writer", ["Jane Doe", "John Roe"]),
        ("Par Marie Dupont et Jean Martin", ["Marie Dupont", "Jean Martin"]),
        ("Von Max Muster und Erika Mustermann", ["Max Muster", "Erika Mustermann"]),
        ("Por Ana García y Luis Pérez", ["Ana García", "Luis Pérez"]),
        ("Jane Doe, John Roe, Ann Lee", ["Jane Doe", "John Roe", "Ann Lee"]),
        ("Written by: Jane Doe", ["Jane Doe"]),
        ("Von Max Muster (dpa)", ["Max Muster"]),
        ("Jane Doe jane.doe@example.com", ["Jane Doe"]),
        ("Jane Doe @janedoe", ["Jane Doe"]),
        ("Jane Doe | March 3, 2024", ["Jane Doe"]),
        ("Jane Doe, Senior Correspondent", ["Jane Doe"]),
        ("BR24 Redaktion", ["BR24 Redaktion"]),
        ("Dr. Max Kolter", ["Dr. Max Kolter"]),
    ],
)
def test_bylines_split_into_names(byline: str, names: list[str]) -> None:
    assert split_byline(byline) == names


@pytest.mark.parametrize(
    "byline", ["Email the author", "Follow", "Twitter Facebook", "Contact", "2024-03-12", "By"]
)
def test_navigation_and_dates_are_not_names(byline: str) -> None:
    assert split_byline(byline) == []


def test_agencies_are_recognised() -> None:
    assert is_agency("dpa") and is_agency("Associated Press") and is_agency("AFP")
    assert not is_agency("Jane Doe")


def test_persons_come_first_and_agencies_stay_beside_them() -> None:
    assert choose([("Felix Schröder und Jörg Soldwisch, dpa", True)]) == (
        ["Felix Schröder", "Jörg Soldwisch", "dpa"],
        True,
    )


def test_agency_alone_is_kept_but_names_no_person() -> None:
    assert choose([("Reuters", True)]) == (["Reuters"], False)


def test_the_site_itself_is_not_a_person() -> None:
    names, person = choose([("Lesotho Times", True)], ["lesothotimes.com", "Lesotho Times"])
    assert (names, person) == (["Lesotho Times"], False)


def test_organisations_from_structured_data_are_not_persons() -> None:
    assert choose([("Example Media Group", False), ("Jane Doe", True)]) == (["Jane Doe"], True)


def test_duplicates_are_dropped_case_insensitively() -> None:
    assert choose([("Jane Doe", True), ("JANE DOE", True)]) == (["Jane Doe"], True)


def test_page_bylines_must_look_like_names_when_strict() -> None:
    assert choose([("kicker", True)], strict=True) == (["kicker"], False)
    assert choose([("Tom Hartley", True)], strict=True) == (["Tom Hartley"], True)


@pytest.mark.parametrize(
    ("name", "ok"),
    [("Jane Doe", True), ("Ludwig van Beethoven", True), ("kicker", False), ("more news", False)],
)
def test_name_shape(name: str, ok: bool) -> None:
    assert looks_like_name(name) is ok


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
def test_any_byline_gives_clean_non_empty_names(byline: str) -> None:
    for name in split_byline(byline):
        assert name and name == name.strip()
        assert "@" not in name


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=40), st.booleans()), max_size=5))
def test_choose_never_raises_and_never_returns_empty_names(
    candidates: list[tuple[str, bool]],
) -> None:
    names, _ = choose(candidates)
    assert all(names)
    assert len({n.casefold() for n in names}) == len(names)


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("Mathatisi Sebusi/Mohalenyane Phakela", ["Mathatisi Sebusi", "Mohalenyane Phakela"]),
        ("MTHOBISI SITHOLE", ["MTHOBISI SITHOLE"]),
        ("By Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
        ("Kolumne von", []),  # a label before the name, not a name
        ("Bethany Funke (R)", []),  # a caption or an attribution
        ("The storm hit the coast at dawn.", []),
        ("Wind speeds: 120 km/h", []),
        ("牛镛", []),  # no letter case to go by
    ],
)
def test_body_byline_line(line: str, names: list[str]) -> None:
    assert byline_names(Block("p", line)) == names


def test_body_byline_only_at_the_head_and_only_once() -> None:
    text = [Block("p", f"Paragraph {i} of the article, long enough to be text.") for i in range(6)]
    name = Block("p", "Jane Doe", bold=True)
    assert split_body_byline([*text[:1], name, *text[1:]]) == (text, ["Jane Doe"], True)
    late = [*text[:4], name, *text[4:]]
    assert split_body_byline(late) == (late, [], False)  # further down: a subheading
    styled = [name, text[0], Block("p", "Next Steps"), text[1], Block("p", "Old Town"), text[2]]
    assert split_body_byline(styled) == (styled, [], False)  # a subheading style
    assert split_body_byline([name]) == ([name], [], False)  # a page of one name is no article
    heading = [Block("h", "Jane Doe"), *text]
    assert split_body_byline(heading) == (heading, [], False)  # a subheading, whatever its words
    plain = Block("p", "Jane Doe")  # not bold: a candidate only metadata can confirm
    assert split_body_byline([plain, *text]) == (text, ["Jane Doe"], False)


@pytest.mark.parametrize("label", ["Breaking News", "Live Updates", "Key Points", "Eilmeldung"])
def test_labels_are_no_byline(label: str) -> None:
    assert byline_names(Block("p", label, bold=True)) == []


@given(st.lists(st.text(max_size=60), max_size=8))
def test_body_byline_keeps_every_other_block(texts: list[str]) -> None:
    blocks = [Block("p", t) for t in texts]
    body, names, _ = split_body_byline(blocks)
    assert len(body) == len(blocks) - (1 if names else 0)
    assert all(b in blocks for b in body)
    assert all(n.strip() for n in names)
