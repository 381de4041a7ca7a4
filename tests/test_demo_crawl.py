"""End to end: `newscrawler demo` serves the demo portal, crawls it with the real spider and
writes JSON Lines; every article is checked field by field against fixtures/demo_expected.json.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from newscrawler.schema import validation_errors
from tests.conftest import FIXTURES

pytestmark = pytest.mark.slow

EXPECTED = json.loads((FIXTURES / "demo_expected.json").read_text("utf-8"))["articles"]
SEED_PATH = next(a["path"] for a in EXPECTED if "body" in a)
SEED_QUOTE = (
    "La Chine est prête à travailler avec d’autres pays pour saisir les opportunités historiques "
    "offertes par la révolution de l’information, favoriser de nouveaux moteurs de croissance "
    "grâce à l’innovation, innover dans la coopération numérique, créer un nouveau modèle pour la "
    "cybersécurité, construire une communauté de destin dans le cyberespace, et collaborer afin de "
    "créer un avenir meilleur pour l’humanité"
)
EXACT_FIELDS = ("headline", "authors", "date_published", "section", "tags", "language")
OPTIONAL_FIELDS = ("description", "date_modified")


@pytest.fixture(scope="module")
def base_url(demo_run: subprocess.CompletedProcess[str]) -> str:
    match = re.search(r"serving at (http://127\.0\.0\.1:\d+)/", demo_run.stdout)
    assert match, demo_run.stdout
    return match.group(1)


@pytest.fixture(scope="module")
def by_path(demo_articles: list[dict[str, Any]], base_url: str) -> dict[str, dict[str, Any]]:
    return {a["url"].removeprefix(base_url): a for a in demo_articles}


def _case_id(article: dict[str, Any]) -> str:
    return str(article["path"].strip("/").split("/")[-1])


def test_demo_prints_a_summary(demo_run: subprocess.CompletedProcess[str]) -> None:
    assert demo_run.returncode == 0, demo_run.stderr[-3000:]
    assert f"Articles written: {len(EXPECTED)}" in demo_run.stdout
    assert re.search(r"^\s+headline\s+\d+/\d+$", demo_run.stdout, re.M), demo_run.stdout
    assert re.search(r"^Output: .*/demo/\d{8}T\d{6}Z\.jsonl$", demo_run.stdout, re.M)


def test_output_is_finalized_utf8_jsonl(demo_output: Path) -> None:
    assert demo_output.suffix == ".jsonl"
    assert not list(demo_output.parent.glob("*.part")), "no unfinished feed is left behind"
    raw = demo_output.read_text("utf-8")
    assert "é" in raw and "\\u00e9" not in raw, "non-ASCII characters are written unescaped"


def test_every_line_validates_against_the_schema(demo_articles: list[dict[str, Any]]) -> None:
    problems = {a.get("url"): validation_errors(a) for a in demo_articles}
    assert {url: errs for url, errs in problems.items() if errs} == {}


def test_every_article_exactly_once(
    by_path: dict[str, dict[str, Any]], demo_articles: list
) -> None:
    assert sorted(by_path) == sorted(a["path"] for a in EXPECTED)
    assert len({a["id"] for a in demo_articles}) == len(demo_articles)


FIELD_CASES = [
    pytest.param(expected, field, id=f"{_case_id(expected)}-{field}")
    for expected in EXPECTED
    for field in EXACT_FIELDS + OPTIONAL_FIELDS
    if field in expected  # description/date_modified only where the page declares them
]


@pytest.mark.parametrize(("expected", "field"), FIELD_CASES)
def test_field(expected: dict[str, Any], field: str, by_path: dict[str, dict[str, Any]]) -> None:
    assert by_path[expected["path"]][field] == expected[field]


@pytest.mark.parametrize("expected", EXPECTED, ids=_case_id)
def test_quotes_and_read_also(
    expected: dict[str, Any], by_path: dict[str, dict[str, Any]], base_url: str
) -> None:
    article = by_path[expected["path"]]
    assert article["quotes"] == expected["quotes"]
    want = [
        {"title": r["title"], "url": base_url + r["path"] if r["path"] else None}
        for r in expected["read_also"]
    ]
    assert article["read_also"] == want


@pytest.mark.parametrize("expected", EXPECTED, ids=_case_id)
def test_body(expected: dict[str, Any], by_path: dict[str, dict[str, Any]]) -> None:
    body = by_path[expected["path"]]["body"]
    for text in expected.get("body_contains", []):
        assert text in body
    for text in expected.get("body_excludes", []):
        assert text not in body
    if "body" in expected:
        assert body == expected["body"]


@pytest.mark.parametrize("expected", [a for a in EXPECTED if "image_path" in a], ids=_case_id)
def test_image_is_absolute(
    expected: dict[str, Any], by_path: dict[str, dict[str, Any]], base_url: str
) -> None:
    assert by_path[expected["path"]]["image"] == base_url + expected["image_path"]


class TestSeedArticle:
    """The document the project was created from must come out exactly right."""

    def test_body_has_no_artifacts(self, by_path: dict[str, dict[str, Any]]) -> None:
        body = by_path[SEED_PATH]["body"]
        for artifact in ("[", "penci", "»style", "A (re) lire"):
            assert artifact not in body
        assert body.startswith("La Chine est prête à travailler avec d’autres pays afin de créer")
        assert body.endswith("le pays a construit le plus grand réseau commercial 5G au monde.")
        assert len(body.splitlines()) == 5

    def test_quote_with_attribution(self, by_path: dict[str, dict[str, Any]]) -> None:
        assert by_path[SEED_PATH]["quotes"] == [
            {"text": SEED_QUOTE, "attribution": "Président chinois, Xi Jinping"}
        ]

    def test_read_also_link(self, by_path: dict[str, dict[str, Any]], base_url: str) -> None:
        target = next(
            a
            for a in EXPECTED
            if a["headline"] == "Énurésie : Des astuces pour faire face au pipi au lit"
        )
        assert by_path[SEED_PATH]["read_also"] == [
            {
                "title": "Énurésie : Des astuces pour faire face au pipi au lit",
                "url": base_url + target["path"],
            }
        ]

    def test_language_date_author(self, by_path: dict[str, dict[str, Any]]) -> None:
        seed = by_path[SEED_PATH]
        assert seed["language"] == "fr"
        assert seed["date_published"] == "2021-11-22T09:15:00+01:00"
        assert seed["authors"] == ["Jean-Marc Ebodé"]
