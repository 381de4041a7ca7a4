"""Every fixture page under tests/fixtures/pages/<case>/, checked field by field.

Each case holds page.html, meta.json ({"url", optional "profile", "now", "content_type"}) and
expected.json: one test per (case, field), so one wrong field never hides another. Two list
keys check the body by its lines: body_contains and body_excludes. A known defect is declared in
expected.json as "xfail": {field: reason}; the field's test is then a strict xfail, which fails
as soon as the defect is fixed (and the entry must go). Random cuts of every page
(hypothesis) must never raise and must still validate against the schema.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newscrawler.extraction.article import extract_article
from newscrawler.schema import validation_errors

PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"
FILES = ("page.html", "meta.json", "expected.json")
FOLDERS = sorted(p for p in PAGES.iterdir() if (p / "page.html").is_file())
CASES = [p.name for p in FOLDERS if all((p / name).is_file() for name in FILES)]
BODY_CHECKS = ("body_contains", "body_excludes")
NOT_FIELDS = (*BODY_CHECKS, "xfail")


def _load(case: str) -> tuple[bytes, dict[str, Any], dict[str, Any]]:
    folder = PAGES / case
    meta = json.loads((folder / "meta.json").read_text("utf-8"))
    expected = json.loads((folder / "expected.json").read_text("utf-8"))
    return (folder / "page.html").read_bytes(), meta, expected


def _profile(name: str | None) -> Any:
    if name is None:
        return None
    from newscrawler.profiles.loader import load_profile  # engineer D's loader

    return load_profile(name)


def _extract(case: str, html: bytes | None = None) -> dict[str, Any]:
    page, meta, _ = _load(case)
    return extract_article(
        page if html is None else html,
        meta["url"],
        _profile(meta.get("profile")),
        now=datetime.fromisoformat(meta["now"]) if "now" in meta else None,
        content_type=meta.get("content_type"),
    )


_cache: dict[str, dict[str, Any]] = {}


def extracted(case: str) -> dict[str, Any]:
    """One extraction per case for the whole module (fields are checked separately)."""
    if case not in _cache:
        _cache[case] = _extract(case)
    return _cache[case]


def _marks(case: str, key: str) -> list[pytest.MarkDecorator]:
    reason = _load(case)[2].get("xfail", {}).get(key)
    return [pytest.mark.xfail(strict=True, reason=reason)] if reason else []


FIELD_CASES = [
    pytest.param(case, key, id=f"{case}:{key}", marks=_marks(case, key))
    for case in CASES
    for key in _load(case)[2]
    if key not in NOT_FIELDS
]
BODY_CASES = [
    pytest.param(case, check, text, id=f"{case}:{check}:{text[:30]}")
    for case in CASES
    for check in BODY_CHECKS
    for text in _load(case)[2].get(check, [])
]


@pytest.mark.parametrize(("case", "key"), FIELD_CASES)
def test_field(case: str, key: str) -> None:
    expected = _load(case)[2][key]
    assert extracted(case)[key] == expected


@pytest.mark.parametrize(("case", "check", "text"), BODY_CASES)
def test_body(case: str, check: str, text: str) -> None:
    body = extracted(case)["body"]
    if check == "body_contains":
        assert text in body
    else:
        assert text not in body


@pytest.mark.parametrize("case", CASES)
def test_output_validates_against_the_schema(case: str) -> None:
    assert validation_errors(extracted(case)) == []


@pytest.mark.parametrize("folder", FOLDERS, ids=[p.name for p in FOLDERS])
def test_every_case_has_the_three_files(folder: Path) -> None:
    assert set(FILES) <= {p.name for p in folder.iterdir()}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=st.sampled_from(CASES), cut=st.floats(0, 1), junk=st.binary(max_size=64))
def test_truncated_pages_never_raise_and_stay_valid(case: str, cut: float, junk: bytes) -> None:
    page = _load(case)[0]
    truncated = page[: int(len(page) * cut)] + junk
    article = _extract(case, truncated)
    assert validation_errors(article) == []


@settings(max_examples=60, deadline=None)
@given(html=st.text(max_size=400) | st.binary(max_size=400))
def test_random_input_never_raises_and_stays_valid(html: str | bytes) -> None:
    article = extract_article(html, "https://example.com/a")
    assert validation_errors(article) == []


@settings(max_examples=40, deadline=None)
@given(
    head=st.lists(
        st.sampled_from(
            [
                '<script type="application/ld+json">{"@type": "NewsArticle", "author": [',
                '<script type="application/ld+json">{"@graph": [{"@id": 1}, null, 3]}</script>',
                '<meta property="article:published_time" content="2024-13-45T99:99">',
                '<meta name="author" content="By , and ; @x">',
                '<time datetime="0000-00-00">',
                "<h1>",
                '<link rel="canonical" href="javascript:alert(1)">',
                '<meta property="og:image" content="  ">',
                '<html lang="zz-INVALID">',
            ]
        ),
        max_size=6,
    ),
    text=st.text(max_size=80),
)
def test_hostile_metadata_never_raises(head: list[str], text: str) -> None:
    article = extract_article("".join(head) + text, "https://example.com/a")
    assert validation_errors(article) == []
