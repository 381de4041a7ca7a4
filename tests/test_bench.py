"""The benchmark's scorer on a tiny hand-made corpus: exact values computed by hand."""

from __future__ import annotations

import dataclasses
import gzip
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newscrawler.bench import load_corpus, shingles, tokens
from newscrawler.bench.chance import chance_gaps
from newscrawler.bench.cli import main
from newscrawler.bench.corpus import CorpusError, CorpusPage, site_half
from newscrawler.bench.metrics import (
    body_score,
    loose_author_match,
    same_day,
    same_minute,
    set_match,
    snippet_rate,
    text_match,
    word_f1,
)
from newscrawler.bench.report import (
    field_totals,
    half_rows,
    halves,
    render,
    render_halves,
    render_worst,
    summary,
)
from newscrawler.bench.runner import FIELDS, Timing, score_corpus

PAGE = "<html lang='en'><body><article><h1>{title}</h1><p>{body}</p></article></body></html>"

ROWS: list[dict[str, Any]] = [
    {
        "file": "pages/one.html.gz",
        "url": "https://example.org/one",
        "crawled_at": "2024-11-22 09:47:48.512552",
        "language": "en",
        "headline": "Foo bar",
        "authors": ["john smith", "Jane Doe"],
        "date_published": "2024-11-22 06:57:50+00:00",
        "description": None,
        "body": "a b c d e",
        "topics": ["Politics"],
    },
    {
        "file": "pages/two.html",
        "url": "https://example.org/two",
        "crawled_at": "2024-11-23 09:00:00",
        "language": "de",
        "headline": "Zwei",
        "authors": None,
        "date_published": "2024-11-22 23:00:00+00:00",
        "description": "Kurz.",
        "body": "one two three four five six",
        "topics": [],
    },
    {
        "file": "pages/three.html",
        "url": "https://example.org/three",
        "crawled_at": "2024-04-25 00:00:00",
        "language": "en",
        "headline": "Three",
        "authors": ["AP"],
        "date_published": "2024-04-24 00:00:00",
        "description": "Lead.",
        "body": "p q r s t",
        "topics": ["a", "B"],
    },
]

PREDICTED: dict[str, dict[str, Any]] = {
    "pages/one.html.gz": {
        "headline": " Foo   bar ",
        "authors": ["Jane  Doe", "JOHN SMITH"],
        "date_published": "2024-11-22T07:57:50+01:00",
        "body": "a b c d x",
        "tags": ["politics"],
    },
    "pages/two.html": {
        "headline": "Drei",
        "date_published": "2024-11-23T00:30:00+02:00",
        "description": "Kurz.",
        "body": "",
    },
    "pages/three.html": {
        "headline": "Three",
        "authors": ["AP", "Reuters"],
        "date_published": "2024-04-24",
        "description": "Other.",
        "body": "p q r s",
        "tags": ["b", "a"],
    },
}


def write_corpus(folder: Path, rows: list[dict[str, Any]]) -> Path:
    """A corpus folder of generated pages (never copies of real ones) and its expected.jsonl."""
    (folder / "pages").mkdir(parents=True, exist_ok=True)
    for row in rows:
        html = PAGE.format(title=row["headline"], body=row["body"]).encode()
        path = folder / row["file"]
        path.write_bytes(gzip.compress(html) if path.suffix == ".gz" else html)
    lines = "\n".join(json.dumps(row) for row in rows)
    (folder / "expected.jsonl").write_text(lines + "\n\n", encoding="utf-8")
    return folder


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return write_corpus(tmp_path, ROWS)


def fake(page: CorpusPage) -> dict[str, Any]:
    return PREDICTED[page.file]


def test_load_corpus_reads_gzip_and_plain_pages(corpus: Path) -> None:
    pages = load_corpus(corpus)
    assert [p.file for p in pages] == [r["file"] for r in ROWS]
    assert "<p>a b c d e</p>" in pages[0].html
    assert pages[0].crawled_at.isoformat() == "2024-11-22T09:47:48.512552+00:00"
    assert pages[1].language == "de"
    assert len(load_corpus(corpus, limit=1)) == 1


def test_missing_corpus_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match=r"expected\.jsonl"):
        load_corpus(tmp_path)


def test_bad_line_and_missing_page_are_clear_errors(corpus: Path) -> None:
    (corpus / "pages" / "two.html").unlink()
    with pytest.raises(CorpusError, match="line 2: cannot read"):
        load_corpus(corpus)
    (corpus / "expected.jsonl").write_text("{not json\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="line 1: invalid JSON"):
        load_corpus(corpus)


def test_shingles_are_multisets_of_4grams() -> None:
    assert shingles("") == {}
    assert shingles("Hello, world") == {("Hello", "world"): 1}
    assert shingles("a b c d a b c d")[("a", "b", "c", "d")] == 2
    score = body_score("a b c d a b c d", "a b c d")
    assert score is not None
    assert (score.precision, score.recall) == (0.2, 1.0)  # 1 common of 5 predicted shingles


def test_body_scores_by_hand(corpus: Path) -> None:
    results = score_corpus(load_corpus(corpus), fake)
    assert [(r.body.precision, r.body.recall) for r in results if r.body] == [
        (0.5, 0.5),  # abcd common; bcdx vs bcde
        (None, 0.0),  # empty prediction: no precision, recall 0
        (1.0, 0.5),  # pqrs of pqrs+qrst
    ]
    body = field_totals(results)["body"]
    assert body["precision"] == 0.75  # mean over the 2 non-empty predictions
    assert body["recall"] == pytest.approx(1 / 3)  # mean over all 3 pages
    assert body["f1"] == pytest.approx(6 / 13)  # harmonic mean of the two means
    assert (body["scored"], body["empty"]) == (3, 1)


def test_other_fields_by_hand(corpus: Path) -> None:
    totals = field_totals(score_corpus(load_corpus(corpus), fake))
    assert totals["headline"] == {"score": 2 / 3, "matched": 2, "scored": 3}
    # page two expects no authors (null): not scored; page three has an extra name
    assert totals["authors"] == {"score": 0.5, "matched": 1, "scored": 2}
    # 07:57+01:00 is 06:57Z; 00:30+02:00 is 22:30Z on the 22nd; a bare date is its own day
    assert totals["date_day"] == {"score": 1.0, "matched": 3, "scored": 3}
    # page three: expected midnight and a bare date carry no time; not scored for the minute
    assert totals["date_minute"] == {"score": 0.5, "matched": 1, "scored": 2}
    assert totals["description"] == {"score": 0.5, "matched": 1, "scored": 2}
    assert totals["topics"] == {"score": 1.0, "matched": 2, "scored": 2}


def test_per_language_groups_and_rendering(corpus: Path) -> None:
    results = score_corpus(load_corpus(corpus), fake)
    report = summary(results, {})
    assert list(report["languages"]) == ["en", "de"]
    assert report["languages"]["de"]["body"]["empty"] == 1
    assert report["languages"]["en"]["body"]["precision"] == 0.75
    text = render(report)
    assert "body F1          0.462  P=0.750 R=0.333 scored=3 empty=1" in text
    assert "headline         0.667  2/3" in text
    worst = render_worst(results, ["body", "headline"], 1)
    assert "0.000  P=empty R=0.000  pages/two.html" in worst
    assert "expected:  Zwei" in worst and "predicted: Drei" in worst


def test_crash_is_counted_and_scored_as_empty(corpus: Path) -> None:
    def crashing(page: CorpusPage) -> dict[str, Any]:
        if page.file == "pages/two.html":
            raise RuntimeError("boom")
        return fake(page)

    results = score_corpus(load_corpus(corpus), crashing)
    report = summary(results, {})
    assert [c["file"] for c in report["crashes"]] == ["pages/two.html"]
    assert report["crashes"][0]["error"].startswith("RuntimeError: boom")
    assert results[1].matches["headline"] is False and results[1].matches["authors"] is None


@pytest.mark.parametrize(
    ("scorer", "predicted", "expected", "result"),
    [
        (text_match, None, "X", False),
        (text_match, "X", None, None),
        (set_match, None, ["A"], False),
        (set_match, ["a"], [], None),
        (same_day, "not a date", "2024-01-01", False),
        (same_day, "2024-01-01T23:30:00-05:00", "2024-01-02 04:30:00+00:00", True),
        (same_minute, "2024-01-01T10:00:59", "2024-01-01 10:00:01", True),
        (same_minute, "2024-01-01", "2024-01-01 10:00:00", None),
        (loose_author_match, ["Ann Lee"], None, None),
        (loose_author_match, ["Ann Lee", "Bo Chan"], ["Ann Lee"], True),
        (loose_author_match, ["Bo Chan"], ["Ann Lee"], False),
        (word_f1, "", "x", 0.0),
        (word_f1, "A a b", "a B", 0.8),
        (snippet_rate, "x", ["X", "y", 3], 0.5),
    ],
)
def test_scorer_edges(scorer: Any, predicted: object, expected: object, result: object) -> None:
    assert scorer(predicted, expected) == result


def test_cli_runs_real_extraction_and_writes_json(corpus: Path, capsys: Any) -> None:
    out = corpus / "results.json"
    code = main(["--corpus", str(corpus), "--repeat", "1", "--json", str(out), "--per-page"])
    assert code == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["pages"] == 3 and report["crashes"] == []
    assert report["overall"]["body"]["scored"] == 3
    assert len(report["pages_detail"]) == 3
    assert report["speed"]["ratio_mean"] > 0
    printed = capsys.readouterr().out
    assert "crashes: 0" in printed and "worst body F1" in printed


def test_cli_field_filter_and_missing_corpus(corpus: Path, tmp_path: Path, capsys: Any) -> None:
    assert main(["--corpus", str(corpus), "--repeat", "0", "--field", "date"]) == 0
    printed = capsys.readouterr().out
    assert "date_day" in printed and "headline" not in printed and "speed" not in printed
    assert main(["--corpus", str(tmp_path / "nowhere")]) == 2
    assert "no corpus at" in capsys.readouterr().err


def test_newscrawler_bench_subcommand(corpus: Path, capsys: Any) -> None:
    from newscrawler.cli import main as newscrawler_main

    assert newscrawler_main(["bench", "--corpus", str(corpus), "--repeat", "0"]) == 0
    assert "body F1" in capsys.readouterr().out


@settings(max_examples=200, deadline=None)
@given(pred=st.text(max_size=200), true=st.text(max_size=200))
def test_body_score_properties(pred: str, true: str) -> None:
    score = body_score(pred, true)
    if not tokens(true):
        assert score is None
        return
    assert score is not None
    assert 0.0 <= score.recall <= 1.0
    assert score.precision is None or 0.0 <= score.precision <= 1.0
    assert (score.precision is None) == (not tokens(pred))
    same = body_score(true, true)
    assert same is not None and (same.precision, same.recall) == (1.0, 1.0)


@given(st.lists(st.text(alphabet="abc ", min_size=1, max_size=5), max_size=30))
def test_shingle_count(words: list[str]) -> None:
    n = len(tokens(" ".join(words)))
    assert sum(shingles(" ".join(words)).values()) == (0 if n == 0 else max(1, n - 3))


@pytest.mark.slow
def test_bench_crawl_runs_every_spider_and_reports_memory_growth() -> None:
    """`make bench-crawl` on two tiny portals: every crawl delivers all articles and the report
    has its throughput and memory lines (the figures themselves are for the README, not here)."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    done = subprocess.run(
        [sys.executable, "-m", "newscrawler.bench.crawl", "--sizes", "40,80"],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stderr[-2000:]  # 1: a target missed at this size
    out = done.stdout
    for size in (40, 80):
        assert f"{size} articles: news/bare throughput" in out
        assert f"{size}/{size} articles written" in out
        for label in ("news", "bare", "news+memq"):
            row = next(
                line.split() for line in out.splitlines() if line.split()[:2] == [str(size), label]
            )
            assert row[2] == str(size)  # articles written (bare: pages fetched)
    assert "peak RSS of the news spider: " in out and "per 1,000 more articles" in out


# A corpus of page types (WCXB's format): domain, page_type, one author string, snippets.
TYPED_ROWS: list[dict[str, Any]] = [
    {
        "file": "pages/0001.html",
        "url": "https://alpha.example/post",
        "crawled_at": None,
        "language": None,
        "page_type": "article",
        "domain": "alpha.example",
        "headline": "Alpha post",
        "authors": ["Ann Lee, MS, RD"],
        "date_published": "2025-03-03",
        "body": "The cat sat down",
        "with": ["cat sat"],
        "without": ["subscribe now"],
    },
    {
        "file": "pages/0002.html",
        "url": "https://beta.example/list",
        "crawled_at": None,
        "language": None,
        "page_type": "listing",
        "domain": "beta.example",
        "headline": "Beta list",
        "authors": None,
        "date_published": None,
        "body": "one two three four",
        "with": ["one two", "three four"],
        "without": ["footer"],
    },
]
TYPED_PREDICTED: dict[str, dict[str, Any]] = {
    "pages/0001.html": {
        "headline": "Alpha post",
        "authors": ["Ann Lee"],
        "date_published": "2025-03-03T10:00:00",
        "body": "The cat sat. Subscribe now",
    },
    "pages/0002.html": {"headline": "Other", "body": "one two footer"},
}


@pytest.fixture
def typed(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "typed", TYPED_ROWS)


def typed_fake(page: CorpusPage) -> dict[str, Any]:
    return TYPED_PREDICTED[page.file]


def test_typed_corpus_scores_word_f1_snippets_and_loose_authors(typed: Path) -> None:
    results = score_corpus(load_corpus(typed), typed_fake)
    first, second = results
    # the cat sat subscribe now (5) vs the cat sat down (4): 3 common -> P 3/5, R 3/4
    assert first.word_f1 == pytest.approx(2 * 0.6 * 0.75 / 1.35)
    assert (first.with_rate, first.without_rate) == (1.0, 1.0)
    assert first.matches["authors"] is True  # "Ann Lee" within "Ann Lee, MS, RD"
    assert first.matches["date_day"] is True
    assert (second.with_rate, second.without_rate) == (0.5, 1.0)
    assert second.matches["authors"] is None and second.matches["date_day"] is None
    report = summary(results, {})
    assert list(report["page_types"]) == ["article", "listing"]
    assert report["page_types"]["listing"]["with"] == {"score": 0.5, "scored": 1}
    assert report["overall"]["without"]["score"] == 1.0
    text = render(report)
    assert "per page type" in text and "per language" not in text
    row = next(line.split() for line in text.splitlines() if line.startswith("listing"))
    assert row[:2] == ["listing", "1"] and "0.500" in row


def test_news_corpus_keeps_exact_author_sets(corpus: Path) -> None:
    results = score_corpus(load_corpus(corpus), fake)
    assert results[2].matches["authors"] is False  # {AP, Reuters} != {AP}: no loose match here
    assert results[0].page.page_type is None
    assert "per language" in render(summary(results, {}))


def test_site_and_stable_halves(typed: Path, corpus: Path) -> None:
    pages = load_corpus(typed) + load_corpus(corpus)
    assert [p.site for p in pages] == ["alpha.example", "beta.example", *["example.org"] * 3]
    assert all(p.half in ("A", "B") for p in pages)
    assert len({p.half for p in pages if p.site == "example.org"}) == 1  # one site, one half
    assert site_half("alpha.example") == site_half("alpha.example")
    no_url = CorpusPage("pages/de/Spiegel_2024_11_22.html.gz", None, "de", datetime.now(UTC), "")
    assert no_url.site == "spiegel"


def test_halves_side_by_side_with_difference(typed: Path) -> None:
    halves_of = {p.file: p.half for p in load_corpus(typed)}
    assert sorted(halves_of.values()) == ["A", "B"], "fixture sites must fall in both halves"
    results = score_corpus(load_corpus(typed), typed_fake)
    timing = Timing([2.0, 4.0], [1.0, 1.0])
    reports = halves(results, timing, FIELDS)
    a = "A" if halves_of["pages/0001.html"] == "A" else "B"
    assert reports[a]["pages"] == 1 and reports[a]["page_types"].keys() == {"article"}
    assert reports[a]["speed"]["ratio_mean"] == 2.0
    text = render_halves(reports)
    headline = next(line.split() for line in text.splitlines() if line.startswith("headline"))
    values = {"A": headline[1], "B": headline[2]}
    assert values[a] == "1.000" and values["B" if a == "A" else "A"] == "0.000"
    assert headline[3] == ("+1.000" if a == "A" else "-1.000")
    assert any(line.startswith("extraction / parse") for line in text.splitlines())


def test_chance_gap_of_two_sites_is_their_gap(typed: Path) -> None:
    # Two sites: every random split puts one on each side, so the gap by chance is the gap itself.
    results = score_corpus(load_corpus(typed), typed_fake)
    reports = halves(results, None, FIELDS)
    chance = chance_gaps(results, FIELDS, rounds=25)
    actual = {label: abs(x - y) for label, (x, y) in half_rows(reports) if None not in (x, y)}
    assert actual["headline"] == 1.0  # one headline right, one wrong
    assert chance["gaps"] == pytest.approx(actual) and chance["rounds"] == 25
    text = render_halves(reports, chance)
    headline = next(line.split() for line in text.splitlines() if line.startswith("headline"))
    assert headline[4] == "1.000" and len(headline) == 5  # the bound, not beyond it
    assert "of 25 random splits" in text


def test_chance_gap_flags_a_split_beyond_chance(typed: Path) -> None:
    results = score_corpus(load_corpus(typed), typed_fake)
    reports = halves(results, None, FIELDS)
    chance = {"gaps": {"headline": 0.5}, "rounds": 9, "level": 0.9}
    text = render_halves(reports, chance)
    headline = next(line.split() for line in text.splitlines() if line.startswith("headline"))
    assert headline[4:] == ["0.500", "beyond"]
    body = next(line.split() for line in text.splitlines() if line.startswith("body F1"))
    assert len(body) == 5  # body F1, A, B, A-B: no bound was computed for it


def test_chance_gaps_need_two_sites_and_repeat(corpus: Path) -> None:
    one_site = score_corpus(load_corpus(corpus), fake)
    assert chance_gaps(one_site)["gaps"] == {}
    assert "chance" not in render_halves(halves(one_site, None, FIELDS), chance_gaps(one_site))
    sites = [dataclasses.replace(r, page=dataclasses.replace(r.page, url=f"https://s{i}.example/x"))
             for i, r in enumerate(one_site)]  # fmt: skip
    assert len({r.page.site for r in sites}) == 3
    first, again = chance_gaps(sites, rounds=50), chance_gaps(sites, rounds=50)
    assert first == again and first["gaps"]["headline"] > 0
    assert chance_gaps(sites, rounds=50, seed=1)["rounds"] == 50


class _CountSection:
    """A stand-in extra section: counts pages per labelled type."""

    name = "count"

    def collect(self, results: Any) -> dict[str, Any] | None:
        kinds = [r.page.page_type for r in results if r.page.page_type]
        return {"kinds": len(kinds)} if kinds else None

    def render(self, data: dict[str, Any]) -> list[str]:
        return ["typed pages", f"  {data['kinds']}"]


def test_extra_sections_are_collected_and_printed(
    typed: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newscrawler.bench import sections

    monkeypatch.setattr(sections, "registered", lambda: (_CountSection(),))
    report = summary(score_corpus(load_corpus(typed), typed_fake), {})
    assert report["sections"] == {"count": {"kinds": 2}}
    assert "typed pages\n  2" in render(report)
    news = summary(score_corpus(load_corpus(corpus), fake), {})
    assert news["sections"] == {} and "typed pages" not in render(news)


def test_missing_section_module_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    from newscrawler.bench import sections

    monkeypatch.setattr(sections, "SECTION_MODULES", ("newscrawler.bench.no_such_section",))
    sections.registered.cache_clear()
    try:
        assert sections.registered() == ()
    finally:
        sections.registered.cache_clear()


def test_cli_scores_several_corpora_with_halves(
    corpus: Path, typed: Path, capsys: Any, tmp_path: Path
) -> None:
    out = tmp_path / "all.json"
    args = ["--corpus", str(corpus), "--corpus", str(typed), "--repeat", "1", "--halves"]
    assert main([*args, "--json", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [r["corpus"] for r in data["corpora"]] == [str(corpus), str(typed)]
    assert all(set(r["halves"]) == {"A", "B"} for r in data["corpora"])
    assert set(data["corpora"][1]["halves_chance"]["gaps"]) >= {"word F1", "headline"}
    assert data["corpora"][1]["speed"]["ratio_mean"] > 0
    printed = capsys.readouterr().out
    assert printed.count("corpus: ") == 2 and printed.count("halves (split by site") == 2
    assert "word F1" in printed and "per page type" in printed


def test_shared_corpus_found_above_a_worktree(tmp_path: Path) -> None:
    from newscrawler.bench.corpus import shared_corpus

    repo = tmp_path / "wt" / "branch"
    repo.mkdir(parents=True)
    assert shared_corpus(repo, "wcxb-dev") == tmp_path / "wt" / "shared" / "wcxb-dev"  # fallback
    write_corpus(tmp_path / "shared" / "wcxb-dev", TYPED_ROWS)
    assert shared_corpus(repo, "wcxb-dev") == tmp_path / "shared" / "wcxb-dev"
