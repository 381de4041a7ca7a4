"""The archive end to end: a real crawl of the demo portal with --archive, `newscrawler reextract`
of that archive (identical JSONL, line for line), a replayed `scrapy crawl news` with the portal
stopped (the same articles), and every kind of bad archive input through the CLI and a replay."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from newscrawler.cli import main
from newscrawler.demo.portal import demo_portal
from newscrawler.demo.server import serve
from newscrawler.exitcodes import ExitCode
from tests.archive_files import (
    ARTICLE_HTML,
    PNG,
    append_resource_record,
    article_page,
    exchange,
    shift_content_length,
    three_articles,
    truncate_member,
    write_archive,
)
from tests.conftest import FIXTURES, ROOT, read_jsonl, run_cli

pytestmark = pytest.mark.slow

DEMO_ARTICLES = len(json.loads((FIXTURES / "demo_expected.json").read_text("utf-8"))["articles"])


@pytest.fixture(scope="module")
def archived_crawl(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """`newscrawler crawl demo --archive` against the served demo portal, which is then stopped."""
    work = tmp_path_factory.mktemp("archived")
    with serve(demo_portal()) as base:
        done = run_cli(
            "crawl", "demo", "--url", f"{base}/", "--archive",
            "--allow-private-addresses", "127.0.0.1", "--output-dir", str(work / "output"),
            "--state-dir", str(work / "state"), "-s", "AUTOTHROTTLE_ENABLED=0",
            cwd=ROOT,
        )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    output = Path(re.search(r"^Output: (.+)$", done.stdout, re.M)[1])  # type: ignore[index]
    archive = Path(re.search(r"^Archive: (.+)$", done.stdout, re.M)[1])  # type: ignore[index]
    return {"work": work, "base": base, "output": output, "archive": archive}


def test_archive_sits_next_to_the_feed_and_every_line_points_into_it(
    archived_crawl: dict[str, Any],
) -> None:
    output, archive = archived_crawl["output"], archived_crawl["archive"]
    assert archive == output.parent / "archive" / f"{output.stem}.warc.gz"
    assert not list(archive.parent.glob("*.part"))
    articles = read_jsonl(output)
    assert len(articles) == DEMO_ARTICLES
    from newscrawler.archive.middleware import read_one

    for article in articles:
        assert article["archive"]["file"] == archive.name
        record = read_one(archive, article["archive"]["offset"], 1 << 25)
        assert record is not None and record.url == article["url"]


def test_sitemaps_feeds_listings_and_robots_are_archived_too(
    archived_crawl: dict[str, Any],
) -> None:
    from newscrawler.archive.reader import ArchivedResponse, read_archive

    kinds = {
        str(r.metadata.get("kind"))
        for r in read_archive(archived_crawl["archive"], 1 << 25)
        if isinstance(r, ArchivedResponse)
    }
    assert {"robots", "sitemap", "feed", "listing", "article"} <= kinds


def test_reextract_gives_the_crawls_jsonl_line_for_line(
    archived_crawl: dict[str, Any], tmp_path: Path
) -> None:
    again = tmp_path / "again.jsonl"
    done = run_cli("reextract", str(archived_crawl["archive"]), "--output", str(again), cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"articles written: {DEMO_ARTICLES}" in done.stdout
    assert "Skipped (bad input): none" in done.stdout
    assert again.read_bytes() == archived_crawl["output"].read_bytes()


def test_changed_only_against_the_crawl_finds_no_change(
    archived_crawl: dict[str, Any], tmp_path: Path
) -> None:
    again = tmp_path / "changed.jsonl"
    done = run_cli(
        "reextract", str(archived_crawl["archive"]), "--output", str(again),
        "--changed-only", str(archived_crawl["output"]), cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"0 changed, 0 new, {DEMO_ARTICLES} unchanged, 0 not emitted again" in done.stdout
    assert again.read_bytes() == b""


def test_replayed_crawl_offline_gives_the_same_articles(
    archived_crawl: dict[str, Any], tmp_path: Path
) -> None:
    replayed = tmp_path / "replayed.jsonl"
    done = subprocess.run(
        [
            sys.executable, "-m", "scrapy", "crawl", "news", "-a", "site=demo",
            "-a", f"url={archived_crawl['base']}/", "-O", str(replayed),
            "-s", f"NEWSCRAWLER_REPLAY={archived_crawl['archive']}", "-s", "LOG_LEVEL=INFO",
        ],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert "'newscrawler/replay/missing'" not in done.stderr  # the portal is down: all replayed
    assert sorted(replayed.read_text("utf-8").splitlines()) == sorted(
        archived_crawl["output"].read_text("utf-8").splitlines()
    )


# --- bad input through the CLI and through a replay ------------------------------------------


def _damaged(target: int, damage: Callable[[Path, int], None]) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / "damaged.warc.gz"
        damage(path, three_articles(path)[target])
        return path

    return make


def _with_resource(folder: Path) -> Path:
    path = folder / "resource.warc.gz"
    three_articles(path)
    append_resource_record(path)
    return path


def _oversized(folder: Path) -> Path:
    path = folder / "big.warc.gz"
    big = article_page(1)[1] + b"<!-- " + b"x" * (2 << 20) + b" -->"
    write_archive(path, [exchange(*article_page(0)), exchange(article_page(1)[0], big),
                         exchange(*article_page(2))])  # fmt: skip
    return path


def _binary(folder: Path) -> Path:
    path = folder / "binary.warc.gz"
    write_archive(path, [exchange(*article_page(0)), exchange(article_page(1)[0], PNG),
                         exchange(*article_page(2))])  # fmt: skip
    return path


def _html_file(folder: Path) -> Path:
    path = folder / "page.warc.gz"
    path.write_bytes(ARTICLE_HTML)
    return path


BAD_INPUTS = [
    pytest.param(_damaged(1, truncate_member), "damaged", 2, id="truncated-gzip-member"),
    pytest.param(
        _damaged(1, lambda p, o: shift_content_length(p, o, -10)), "digest_mismatch", 2,
        id="wrong-content-length",
    ),
    pytest.param(_with_resource, "not_http", 3, id="non-http-record"),
    pytest.param(_oversized, "too_large", 2, id="over-download-maxsize"),
    pytest.param(_binary, "binary", 2, id="binary-body"),
    pytest.param(_html_file, "not_warc", 0, id="html-file-as-warc"),
]  # fmt: skip


@pytest.mark.parametrize(("make", "reason", "articles"), BAD_INPUTS)
def test_reextract_cli_skips_bad_input_and_goes_on(
    make: Callable[[Path], Path],
    reason: str,
    articles: int,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    bad = make(tmp_path)
    good = tmp_path / "good.warc.gz"
    write_archive(good, [exchange(*article_page(7))])
    output = tmp_path / "out.jsonl"
    code = main(
        ["reextract", str(bad), str(good), "--output", str(output), "--max-size", "1000000"]
    )
    out = capsys.readouterr()
    assert code == 0
    assert re.search(rf"^Skipped \(bad input\):.*\b{reason} 1\b", out.out, re.M), out.out
    assert f"Skipped ({reason}) {bad}" in caplog.text  # logged with its place
    assert len(read_jsonl(output)) == articles + 1  # the run went on to the next archive


def test_reextract_cli_fails_when_no_archive_is_readable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["reextract", str(_html_file(tmp_path)), "--output", str(tmp_path / "o.jsonl")])
    assert code == 1
    assert "not_warc 1" in capsys.readouterr().out


REPLAY_STATS = {  # what a replayed crawl counts for each bad input
    "binary": "newscrawler/skipped/binary",  # served, then refused by the content guard
}


@pytest.mark.parametrize(("make", "reason", "articles"), BAD_INPUTS)
def test_replay_from_a_bad_archive_counts_what_it_skipped(
    make: Callable[[Path], Path], reason: str, articles: int, tmp_path: Path
) -> None:
    archive = make(tmp_path)
    replayed = tmp_path / "replayed.jsonl"
    done = subprocess.run(
        [
            sys.executable, "-m", "scrapy", "crawl", "article",
            "-a", f"urls={' '.join(article_page(n)[0] for n in range(3))}",
            "-O", str(replayed), "-s", f"NEWSCRAWLER_REPLAY={archive}", "-s", "LOG_LEVEL=INFO",
            "-s", "ROBOTSTXT_OBEY=0", "-s", "DOWNLOAD_MAXSIZE=1000000",
        ],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    # a replay that serves no page at all is an empty run, and says so by its exit code
    expected = ExitCode.OK if articles else ExitCode.NOTHING_FETCHED
    assert done.returncode == expected, done.stderr[-3000:]
    stat = REPLAY_STATS.get(reason, f"newscrawler/replay/skipped/{reason}")
    assert f"'{stat}': 1" in done.stderr
    assert len(read_jsonl(replayed)) == articles


def test_compressed_page_is_archived_as_transferred_and_reextracted_alike(
    tmp_path: Path,
) -> None:
    """The server gzips the page: the archive keeps the gzip bytes and their Content-Encoding
    (the WARC standard's payload as transferred), and re-extraction decodes them as the crawl
    did, giving the crawl's line."""
    import gzip

    from newscrawler.archive.reader import ArchivedResponse, read_archive
    from newscrawler.demo.server import Page, static_portal

    compressed = gzip.compress(ARTICLE_HTML)
    pages = {"/news/budget": Page(compressed, headers={"Content-Encoding": "gzip"})}
    crawled, archive = tmp_path / "crawled.jsonl", tmp_path / "run.warc.gz"
    with serve(static_portal(pages)) as base:
        done = subprocess.run(
            [
                sys.executable, "-m", "scrapy", "crawl", "article",
                "-a", f"urls={base}/news/budget",
                "-O", str(crawled), "-s", f"NEWSCRAWLER_ARCHIVE={archive}",
                "-s", "NEWSCRAWLER_ALLOW_PRIVATE_ADDRESSES=127.0.0.1", "-s", "ROBOTSTXT_OBEY=0",
            ],
            cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    (record,) = [r for r in read_archive(archive, 1 << 25) if isinstance(r, ArchivedResponse)]
    assert record.body == compressed and record.header("Content-Encoding") == "gzip"
    again = tmp_path / "again.jsonl"
    assert main(["reextract", str(archive), "--output", str(again)]) == 0
    assert again.read_bytes() == crawled.read_bytes()
    assert read_jsonl(again)[0]["headline"] == "Council approves budget after long debate"
