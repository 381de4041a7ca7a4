"""The quality gate and the run report, from plain figures and stats (no crawl)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newscrawler.quality import (
    COVERAGE_FIELDS,
    Failure,
    Figures,
    Thresholds,
    coverage,
    evaluate,
    setting_overrides,
)
from newscrawler.report import build_report, figures, stats_path, summary, write_report


def run(**overrides: object) -> Figures:
    values: dict[str, object] = {
        "extracted": 20,
        "emitted": 20,
        "coverage": {"headline": 1.0, "body": 1.0, "authors": 1.0, "date_published": 1.0},
        "requests": 25,
        "errors": 0,
        "new_listed": 20,
    }
    values.update(overrides)
    return Figures(**values)  # type: ignore[arg-type]


def test_a_healthy_run_passes_the_default_gate() -> None:
    assert evaluate(run(), Thresholds()) == []


def test_bylines_gone_trip_the_authors_coverage_and_name_the_figure() -> None:
    failures = evaluate(run(coverage={"headline": 1, "body": 1, "date_published": 1}), Thresholds())
    assert failures == [Failure("authors", 0.0, 0.5)]
    assert str(failures[0]) == "authors coverage 0.00 < 0.50"


def test_coverage_is_not_judged_on_too_few_articles() -> None:
    assert evaluate(run(extracted=4, coverage={}), Thresholds()) == []
    assert evaluate(run(extracted=5, coverage={}), Thresholds(min_sample=5)) != []


def test_error_rate_above_the_maximum_fails() -> None:
    failures = evaluate(run(requests=10, errors=3), Thresholds())
    assert [str(f) for f in failures] == ["error rate 0.30 > 0.20"]


def test_no_articles_although_sources_listed_new_ones_fails() -> None:
    failures = evaluate(run(extracted=0, emitted=0, new_listed=7), Thresholds())
    assert [f.check for f in failures] == ["min_articles"]
    assert "articles 0 < 1" in str(failures[0])


def test_a_quiet_run_with_nothing_new_passes() -> None:
    assert evaluate(run(extracted=0, emitted=0, new_listed=0, requests=3), Thresholds()) == []


def test_profile_and_setting_overrides_apply_in_order() -> None:
    thresholds = Thresholds().updated({"authors": 0.9, "min_articles": 3}, "profile x")
    thresholds = thresholds.updated({"authors": 0}, "setting")
    assert thresholds.min_coverage["authors"] == 0
    assert thresholds.min_coverage["headline"] == 0.9
    assert thresholds.min_articles == 3
    assert evaluate(run(coverage={"headline": 1, "body": 1, "date_published": 1}), thresholds) == []


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"byline": 0.5}, "profile demo: unknown quality key 'byline'"),
        ({"authors": 1.5}, r"quality.authors must be in 0..1"),
        ({"authors": "high"}, r"quality.authors must be a number"),
        ({"min_articles": -1}, r"quality.min_articles must be a whole number"),
        ({"max_error_rate": True}, r"quality.max_error_rate must be a number"),
    ],
)
def test_bad_thresholds_are_refused_naming_origin_and_key(
    values: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        Thresholds().updated(values, "profile demo")


@given(
    st.dictionaries(st.sampled_from(COVERAGE_FIELDS), st.integers(0, 50)),
    st.integers(0, 50),
)
def test_coverage_shares_are_between_0_and_1_for_every_field(
    counts: dict[str, int], extra: int
) -> None:
    total = max(counts.values(), default=0) + extra
    shares = coverage(counts, total)
    assert set(shares) == set(COVERAGE_FIELDS)
    assert all(0.0 <= share <= 1.0 for share in shares.values())


STATS = {
    "start_time": datetime(2026, 11, 28, 10, 0, 0, tzinfo=UTC),
    "finish_time": datetime(2026, 11, 28, 10, 1, 30, tzinfo=UTC),
    "finish_reason": "finished",
    "downloader/request_count": 45,
    "newscrawler/requests/judged": 39,
    "newscrawler/errors/http/404": 2,
    "newscrawler/errors/http/503": 1,
    "newscrawler/errors/download/TimeoutError": 1,
    "spider_exceptions/KeyError": 2,
    "newscrawler/pages/article": 30,
    "newscrawler/pages/sitemap": 2,
    "newscrawler/pages/robots": 1,
    "newscrawler/articles/new": 10,
    "newscrawler/articles/updated": 2,
    "newscrawler/articles/unchanged": 15,
    "newscrawler/articles/emitted": 12,
    "newscrawler/dropped/schema_invalid": 1,
    "newscrawler/dropped/duplicate": 2,
    "newscrawler/not_emitted/article_too_short": 3,
    "newscrawler/not_emitted/duplicate": 1,
    "newscrawler/state/skipped_known": 100,
    "newscrawler/state/skipped_not_article": 4,
    "newscrawler/state/known_articles": 500,
    "newscrawler/coverage/articles": 27,
    "newscrawler/coverage/fields/headline": 27,
    "newscrawler/coverage/fields/body": 27,
    "newscrawler/coverage/fields/authors": 9,
    "newscrawler/coverage/fields/date_published": 27,
    "newscrawler/sources/new_listed": 12,
}


def test_figures_from_stats() -> None:
    seen = figures(STATS)
    assert (seen.extracted, seen.emitted, seen.requests, seen.new_listed) == (27, 12, 40, 12)
    assert seen.errors == 4  # 404 x2, 503 x1, one download that failed for good
    assert seen.coverage["authors"] == pytest.approx(1 / 3)


def test_report_content_field_by_field(tmp_path: Path) -> None:
    output = tmp_path / "demo" / "20261128T100000Z.jsonl"
    failures = evaluate(figures(STATS), Thresholds())
    report = build_report(
        STATS, site="demo", output=output, thresholds=Thresholds(), failures=failures
    )
    assert report["site"] == "demo"
    assert report["output"] == str(output)
    assert report["duration_seconds"] == 90.0
    assert report["finish_reason"] == "finished"
    assert report["pages"] == {"article": 30, "robots": 1, "sitemap": 2}
    assert report["articles"] == {
        "new": 10,
        "updated": 2,
        "unchanged": 15,
        "emitted": 12,
        "extracted": 27,
        "dropped": {"duplicate": 2, "schema_invalid": 1},
        "not_emitted": {"article_too_short": 3, "duplicate": 1},
        "skipped_known": 100,
        "skipped_not_article": 4,
    }
    assert report["http_errors"] == {"404": 2, "503": 1}
    assert report["exceptions"] == {"KeyError": 2, "TimeoutError": 1}
    assert report["coverage"]["authors"] == 0.3333
    assert report["coverage"]["headline"] == 1.0
    assert report["requests_judged"] == 40
    assert report["error_rate"] == 0.1
    assert report["quality"]["passed"] is False
    assert report["quality"]["failures"] == ["authors coverage 0.33 < 0.50"]
    assert report["scrapy_stats"]["start_time"] == "2026-11-28T10:00:00+00:00"
    path = stats_path(output)
    assert path == tmp_path / "demo" / "20261128T100000Z.stats.json"
    write_report(report, path)
    assert json.loads(path.read_text(encoding="utf-8")) == report
    assert not path.with_name(path.name + ".part").exists()


def test_summary_is_one_paragraph_with_the_figures_and_the_verdict() -> None:
    failures = evaluate(figures(STATS), Thresholds())
    text = summary(
        build_report(STATS, site="demo", output=None, thresholds=Thresholds(), failures=failures)
    )
    assert "\n" not in text
    assert text.startswith("Run summary for demo: 12 articles written (10 new, 2 updated)")
    assert "15 unchanged" in text
    assert "; fetched but not emitted: 3 article_too_short, 1 duplicate." in text
    assert "HTTP errors: 2×404, 1×503" in text
    assert "QUALITY GATE FAILED: authors coverage 0.33 < 0.50" in text


def test_summary_of_a_run_with_nothing_new() -> None:
    quiet = {
        "newscrawler/state/skipped_known": 10,
        "newscrawler/state/known_articles": 10,
        "finish_reason": "finished",
    }
    text = summary(build_report(quiet, site="x", output=None, thresholds=Thresholds(), failures=[]))
    assert "0 articles written" in text
    assert "10 known pages not re-fetched" in text
    assert "Coverage: no articles extracted" in text
    assert "quality gate passed" in text


def test_summary_without_state_does_not_pretend_to_know_what_is_new() -> None:
    plain = {"item_scraped_count": 3, "newscrawler/coverage/articles": 3}
    report = build_report(plain, site="x", output=None, thresholds=Thresholds(), failures=[])
    assert report["incremental"] is False
    assert report["articles"]["emitted"] == 3
    assert "3 articles written (no incremental state); dropped: none;" in summary(report)
    assert "fetched but not emitted: none." in summary(report)


def test_a_profile_with_a_bad_quality_table_is_refused_on_load(tmp_path: Path) -> None:
    from newscrawler.profiles.loader import ProfileError, load_profile

    path = tmp_path / "gazette.toml"
    path.write_text('name = "gazette"\n[quality]\nbyline = 0.5\n', encoding="utf-8")
    with pytest.raises(ProfileError, match=r"gazette\.toml.*unknown quality key 'byline'"):
        load_profile(str(path))
    path.write_text('name = "gazette"\n[quality]\nauthors = 0.9\n', encoding="utf-8")
    assert load_profile(str(path)).quality == {"authors": 0.9}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("{authors: 0}", "not JSON"),
        ("[1]", "must be a JSON object"),
        ('{"byline": 1}', "unknown quality key 'byline'"),
    ],
)
def test_the_quality_setting_is_checked(value: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        setting_overrides(value)
    assert setting_overrides({"authors": 0.2}) == {"authors": 0.2}


def test_run_report_component_counts_writes_and_judges(tmp_path: Path) -> None:
    from scrapy.utils.test import get_crawler

    from newscrawler.extensions.runreport import QUALITY_FAILED, RunReport
    from newscrawler.items import Article
    from newscrawler.state.pipeline import UnchangedArticle

    stats = get_crawler().stats
    output = tmp_path / "site" / "20261128T100000Z.jsonl"
    report = RunReport(stats, thresholds=Thresholds(), site="site", output=output)
    for n in range(6):
        report.item_scraped(Article(headline=f"H{n}", body="Text.", date_published="2026-11-28"))
    report.item_dropped(Article(headline="Old", body="Text."), UnchangedArticle("same"))
    report.item_dropped(Article(headline="Bad"), ValueError("not counted"))
    report.spider_closed("finished")
    assert stats.get_value("newscrawler/coverage/articles") == 7
    assert stats.get_value(QUALITY_FAILED) == "authors coverage 0.00 < 0.50"
    written = json.loads(stats_path(output).read_text(encoding="utf-8"))
    assert written["coverage"]["headline"] == 1.0
    assert written["coverage"]["date_published"] == round(6 / 7, 4)
    assert written["quality"]["passed"] is False
