"""`newscrawler crawl`, `newscrawler sites`, the `article` spider and the progress line."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from newscrawler.cli import build_parser
from newscrawler.cli.crawl import crawl_options
from newscrawler.demo.server import serve
from newscrawler.extensions.progress import Snapshot, progress_line, snapshot
from newscrawler.spiders.common import apply_contact_user_agent
from newscrawler.spiders.news import NewsSpider
from tests.conftest import ROOT, read_jsonl, run_cli
from tests.portals import sites
from tests.portals.sites import SINCE

PRIVATE = "NEWSCRAWLER_ALLOW_PRIVATE_ADDRESSES=127.0.0.1"


def parse(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(["crawl", *argv])


def test_crawl_options_for_a_url() -> None:
    options = crawl_options(
        parse("https://www.portal.example/", "--since", "2024-05-01", "--max-articles", "5",
              "--output", "out.jsonl", "-s", "AUTOTHROTTLE_ENABLED=0"),
        tty=False,
    )  # fmt: skip
    assert options.site == "portal.example"
    assert options.spider_kwargs == {
        "url": "https://www.portal.example/",
        "since": "2024-05-01",
        "max_articles": 5,
    }
    assert options.settings["NEWSCRAWLER_PROGRESS"] == "log"
    assert options.settings["LOG_LEVEL"] == "INFO"
    assert options.settings["AUTOTHROTTLE_ENABLED"] == "0"
    assert options.output == Path("out.jsonl")


def test_crawl_options_for_a_profile_with_url_override(tmp_path: Path) -> None:
    options = crawl_options(
        parse("demo", "--url", "http://127.0.0.1:9/", "--output-dir", str(tmp_path)), tty=True
    )
    assert options.site == "demo"
    assert options.spider_kwargs == {"site": "demo", "url": "http://127.0.0.1:9/"}
    assert options.settings["NEWSCRAWLER_PROGRESS"] == "tty"
    assert options.output is not None and options.output.parent == tmp_path / "demo"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["no-such-profile"], "no profile named"),
        (["demo", "--since", "last week"], "since must be an ISO date"),
        (["demo", "--max-articles", "0"], "positive integer"),
        (["demo", "-s", "NOVALUE"], "NAME=VALUE"),
        (["demo"], "no absolute start URL"),  # the demo portal's port is only known at run time
    ],
)
def test_crawl_usage_errors_exit_2(argv: list[str], message: str) -> None:
    done = run_cli("crawl", *argv, cwd=ROOT, timeout=60)
    assert done.returncode == 2
    assert message in done.stderr


def test_sites_lists_profiles_and_checks_files(tmp_path: Path) -> None:
    done = run_cli("sites", cwd=ROOT, timeout=60)
    assert done.returncode == 0
    names = [line.split()[0] for line in done.stdout.splitlines()]
    assert {"demo", "wordpress"} <= set(names)
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "bad"\n[selectors]\nheadline = ["h1["]\n', encoding="utf-8")
    done = run_cli("sites", "--check", str(bad), cwd=ROOT, timeout=60)
    assert done.returncode == 2
    assert "selectors.headline[0]" in done.stderr


@pytest.mark.slow
def test_newscrawler_crawl_end_to_end_without_a_terminal(tmp_path: Path) -> None:
    fixture = sites.links_only()
    out = tmp_path / "links.jsonl"
    with serve(fixture.portal) as base:
        done = run_cli(
            "crawl", f"{base}/", "--since", SINCE, "--max-articles", "4", "--output", str(out),
            "-s", PRIVATE, "-s", "AUTOTHROTTLE_ENABLED=0",
            "-s", "NEWSCRAWLER_PROGRESS_INTERVAL=0.05",
            "-s", "NEWSCRAWLER_QUALITY={\"max_error_rate\": 1}",
            cwd=tmp_path, timeout=120,
        )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    articles = read_jsonl(out)
    assert len(articles) == 4
    assert {a["url"].removeprefix(base) for a in articles} <= fixture.expected_since
    assert "Progress: pages " in done.stderr  # plain log lines, no carriage returns
    assert "\r" not in done.stderr


@pytest.mark.slow
def test_article_spider_extracts_exactly_the_given_urls(tmp_path: Path) -> None:
    fixture = sites.mixed()
    out = tmp_path / "articles.jsonl"
    with serve(fixture.portal) as base:
        listing = tmp_path / "urls.txt"
        listing.write_text(f"# picked by hand\n{base}/2024/05/03/bridge-reopens/amp/\n", "utf-8")
        done = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "article",
             "-a", f"urls={base}/2024/05/02/council-votes-budget/?utm_source=x, "
                   f"{base}/2024/05/02/council-votes-budget/",
             "-a", f"file={listing}", "-s", PRIVATE, "-O", str(out)],
            cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    articles = read_jsonl(out)
    assert sorted(a["canonical_url"].removeprefix(base) for a in articles) == [
        "/2024/05/02/council-votes-budget/",
        "/2024/05/03/bridge-reopens/",  # the AMP page's canonical
    ]
    assert set(fixture.portal.requests) >= {"/2024/05/03/bridge-reopens/amp/"}
    assert "/" not in fixture.portal.requests  # no discovery


def test_spider_arguments_are_validated() -> None:
    with pytest.raises(ValueError, match="url="):
        NewsSpider()
    with pytest.raises(ValueError, match="max_articles"):
        NewsSpider(url="https://ex.com/", max_articles="-1")
    with pytest.raises(ValueError, match="since"):
        NewsSpider(url="https://ex.com/", since="tomorrow")
    spider = NewsSpider(url="https://www.ex.com/", since="2024-05-01", max_articles="3")
    assert spider.allowed_domains == ["ex.com"]
    assert spider.max_articles == 3


def test_user_agent_carries_the_contact_url_unless_set() -> None:
    from scrapy.settings import Settings

    settings = Settings(
        {"NEWSCRAWLER_CONTACT_URL": "https://ops.example/contact"}, priority="project"
    )
    apply_contact_user_agent(settings)
    assert settings["USER_AGENT"].startswith("newscrawler/")
    assert settings["USER_AGENT"].endswith("(+https://ops.example/contact)")
    explicit = Settings({"NEWSCRAWLER_CONTACT_URL": "https://ops.example/"}, priority="project")
    explicit.set("USER_AGENT", "MyBot/1.0", priority="cmdline")
    apply_contact_user_agent(explicit)
    assert explicit["USER_AGENT"] == "MyBot/1.0"


def test_progress_snapshot_counts_pages_articles_and_errors() -> None:
    # the run summary's figures (issue 15): final failures, not every retried attempt
    stats = {
        "newscrawler/pages/article": 11,
        "newscrawler/pages/robots": 1,
        "item_scraped_count": 6,
        "newscrawler/errors/http/404": 2,
        "newscrawler/errors/http/503": 1,
        "newscrawler/errors/download/TimeoutError": 1,
        "downloader/response_status_count/503": 3,  # two retries, then a 503 for good
        "downloader/exception_count": 5,
    }
    snap = snapshot(stats, elapsed=3.0)
    assert snap == Snapshot(pages=12, articles=6, errors=4, elapsed=3.0)
    assert progress_line(snap) == (
        "pages 12 | articles 6 | 2.0 articles/s | errors 4 | refused 0 | 3s"
    )
    assert progress_line(Snapshot(0, 0, 0, 0.0)).startswith("pages 0 | articles 0 | 0.0")


def test_progress_on_a_terminal_rewrites_one_line() -> None:
    import io

    from newscrawler.extensions.progress import Progress

    class Stats:
        def get_stats(self) -> dict[str, int]:
            return {}

    stream = io.StringIO()
    progress = Progress(Stats(), "tty", 1.0, stream)  # type: ignore[arg-type]
    progress.show()
    progress.show(final=True)
    shown = stream.getvalue()
    assert shown.count("\r\x1b[2Kpages 0 | articles 0") == 2
    assert shown.endswith("s\n")
    with pytest.raises(ValueError, match="NEWSCRAWLER_PROGRESS"):
        Progress(Stats(), "fancy", 1.0)  # type: ignore[arg-type]


def test_recent_articles_are_fetched_first() -> None:
    from datetime import UTC, datetime, timedelta

    from newscrawler.spiders.news import recency_bonus

    now = datetime(2024, 5, 10, 12, tzinfo=UTC)
    ages = [timedelta(hours=2), timedelta(days=2), timedelta(days=10), timedelta(days=400)]
    bonuses = [recency_bonus(now - age, now) for age in ages]
    assert bonuses == sorted(bonuses, reverse=True) and bonuses[0] > bonuses[-1] == 0
    assert recency_bonus(None, now) == 0
    assert recency_bonus(now + timedelta(days=1), now) == bonuses[0]  # future dates: newest
