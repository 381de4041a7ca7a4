"""The cleaning pipeline as the last guard of newscrawler's own spiders (issue 17): what it still
finds after extraction is a leftover, counted per kind, logged once per kind, shown in the run
summary and judged by the quality gate (max_leftover_rate, per profile). The demo has none."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from newscrawler.profiles.loader import load_profile
from newscrawler.quality import Figures, Thresholds, evaluate
from newscrawler.report import build_report, stats_path, summary
from tests.conftest import ROOT, read_jsonl
from tests.hostile_server import page, serve_hostile
from tests.test_hostile_crawl import ARTICLE, article_html, crawl, listing


def figures(extracted: int, leftovers: int) -> Figures:
    full = {"headline": 1.0, "body": 1.0, "authors": 1.0, "date_published": 1.0}
    return Figures(extracted, extracted, full, requests=extracted, errors=0, new_listed=0,
                   leftovers=leftovers)  # fmt: skip


def test_the_gate_fails_when_too_many_articles_needed_the_guard() -> None:
    assert evaluate(figures(100, 5), Thresholds()) == []
    failures = evaluate(figures(100, 6), Thresholds())
    assert [str(f) for f in failures] == ["cleaning leftovers in 0.06 of articles > 0.05"]
    strict = Thresholds().updated({"max_leftover_rate": 0}, "test")
    assert [f.check for f in evaluate(figures(100, 1), strict)] == ["max_leftover_rate"]
    assert evaluate(figures(4, 4), strict) == [], "below min_sample: not judged"
    with pytest.raises(ValueError, match=r"quality.max_leftover_rate must be in 0..1"):
        Thresholds().updated({"max_leftover_rate": 2}, "test")


def test_the_demo_profile_allows_no_leftover() -> None:
    profile = load_profile("demo")
    assert profile.quality["max_leftover_rate"] == 0


STATS: dict[str, Any] = {
    "newscrawler/coverage/articles": 10,
    "newscrawler/articles/emitted": 10,
    "newscrawler/cleaning/items": 10,
    "newscrawler/cleaning/leftover_items": 2,
    "newscrawler/cleaning/leftover/entities": 3,
    "newscrawler/cleaning/leftover/shortcodes/media": 1,
    "finish_reason": "finished",
}


def test_the_report_and_summary_show_the_leftovers() -> None:
    report = build_report(STATS, site="x", output=None, thresholds=Thresholds(), failures=[])
    assert report["cleaning"] == {
        "leftover_items": 2,
        "leftovers": {"entities": 3, "shortcodes/media": 1},
        "counters": {"items": 10},
    }
    assert "Cleaning leftovers: 3 entities, 1 shortcodes/media in 2 articles." in summary(report)
    clean = build_report(
        {"newscrawler/cleaning/items": 1}, site="x", output=None, thresholds=Thresholds(),
        failures=[],
    )  # fmt: skip
    assert "Cleaning leftovers: none." in summary(clean)


def test_the_demo_crawl_has_no_leftover(demo_output: Path) -> None:
    report = json.loads(stats_path(demo_output).read_text("utf-8"))
    stats = report["scrapy_stats"]
    assert stats["newscrawler/cleaning/items"] >= report["articles"]["emitted"] > 0
    assert report["cleaning"]["leftovers"] == {} and report["cleaning"]["leftover_items"] == 0
    assert report["quality"]["thresholds"]["max_leftover_rate"] == 0
    assert report["quality"]["passed"], report["quality"]["failures"]
    assert "Cleaning leftovers: none." in summary(report)


@pytest.mark.slow
def test_leftovers_in_real_crawls_are_cleaned_counted_logged_once_and_fail_the_gate(
    tmp_path: Path,
) -> None:
    # An escaped shortcode ("[[gallery]]", WordPress's way to print one) comes out of extraction
    # as a shortcode; the guard removes it and says so.
    text = "Le rachat [[gallery ids=3]] annoncé [[vc_row]] hier"
    routes = {
        "/": page(listing("Accueil", [f"{ARTICLE}un/", f"{ARTICLE}deux/", f"{ARTICLE}net/"])),
        f"{ARTICLE}un/": page(article_html("Premier", text)),
        f"{ARTICLE}deux/": page(article_html("Second", text)),
        f"{ARTICLE}net/": page(article_html("Propre")),
    }
    quality = json.dumps({"max_leftover_rate": 0.5, "min_sample": 1, "authors": 0})
    with serve_hostile(routes) as server:
        run = crawl(
            f"{server.url}/",
            tmp_path / "out.jsonl",
            {"NEWSCRAWLER_ALLOW_PRIVATE_ADDRESSES": "127.0.0.1", "NEWSCRAWLER_QUALITY": quality},
        )
        single = article_spider(f"{server.url}{ARTICLE}un/", tmp_path / "one.jsonl")
    bodies = {a["headline"]: a["body"] for a in run.items}
    assert set(bodies) == {"Premier", "Second", "Propre"}
    assert bodies["Premier"].startswith("Le rachat annoncé hier, paragraphe 0")
    assert "[" not in bodies["Second"]
    assert run.stat("newscrawler/cleaning/leftover_items") == 2
    assert run.stat("newscrawler/cleaning/leftover/shortcodes/media") == 10  # 5 paragraphs each
    assert run.stat("newscrawler/cleaning/leftover/shortcodes/wrapper") == 10
    logged = re.findall(r"Cleaning leftover after extraction \((\S+)\)", run.log)
    assert sorted(logged) == ["shortcodes/media", "shortcodes/wrapper"], "once per kind"
    assert re.search(
        r"Cleaning leftovers: 10 shortcodes/media, 10 shortcodes/wrapper in 2 articles\..*"
        r"QUALITY GATE "
        r"FAILED: cleaning leftovers in 0\.67 of articles > 0\.50",
        run.log,
    )
    # the article spider has the same guard
    assert single.returncode == 0, single.stderr[-2000:]
    assert [a["body"][:30] for a in read_jsonl(tmp_path / "one.jsonl")] == [
        "Le rachat annoncé hier, paragr"
    ]
    assert "'newscrawler/cleaning/leftover/shortcodes/media': 5" in single.stderr


def article_spider(url: str, output: Path) -> subprocess.CompletedProcess[str]:
    """`scrapy crawl article -a urls=URL -O OUTPUT` in a fresh process."""
    return subprocess.run(
        [
            sys.executable, "-m", "scrapy", "crawl", "article", "-a", f"urls={url}",
            "-O", str(output), "-s", "NEWSCRAWLER_ALLOW_PRIVATE_ADDRESSES=127.0.0.1",
        ],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
