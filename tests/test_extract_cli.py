"""`newscrawler extract`: a file, stdin or a URL (real Scrapy fetch from a real local server)
to one article as JSON; unreadable input exits non-zero with one line on stderr."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from newscrawler.cli import main
from newscrawler.demo.server import Page, serve, static_portal
from newscrawler.schema import validation_errors
from tests.conftest import ROOT, run_cli

FIXTURE = ROOT / "tests" / "fixtures" / "pages" / "meta_jsonld_graph" / "page.html"
PAGE_URL = "https://daily.example.com/politics/council-approves-budget"
ARTICLE_HTML = FIXTURE.read_bytes()
# A legacy-encoded page whose charset is only in the HTTP header.
LATIN1_HTML = (
    "<html><head><title>Un été brûlant</title></head><body><h1>Un été brûlant à Paris</h1>"
    "<p>La canicule a fait grimper les températures au-delà de quarante degrés à Paris.</p>"
    "</body></html>"
).encode("cp1252")


@pytest.fixture(scope="module")
def portal() -> Iterator[str]:
    pages = {
        "/robots.txt": Page(b"User-agent: *\nDisallow: /private/\n", "text/plain"),
        "/news/budget": Page(ARTICLE_HTML),
        "/news/ete": Page(LATIN1_HTML, "text/html; charset=windows-1252"),
        "/private/secret": Page(ARTICLE_HTML),
    }
    with serve(static_portal(pages)) as base:
        yield base


def extract(*args: str) -> subprocess.CompletedProcess[str]:
    """A real `newscrawler extract` process (a Scrapy reactor runs once per process)."""
    return run_cli("extract", *args, cwd=ROOT, timeout=120)


@pytest.fixture
def cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., subprocess.CompletedProcess[str]]:
    """`newscrawler extract` in this process, for inputs that need no download."""

    def call(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[str]:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        code = main(["extract", *args])
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(args, code, out, err)

    return call


def test_file_with_url_prints_a_valid_article(cli: Callable[..., Any]) -> None:
    done = cli(str(FIXTURE), "--url", PAGE_URL)
    assert done.returncode == 0, done.stderr
    article = json.loads(done.stdout)
    assert article["headline"] == "Council approves budget after long debate"
    assert article["authors"] == ["Jane Okafor"]
    assert article["url"] == PAGE_URL
    assert validation_errors(article) == []


def test_page_without_url_takes_its_canonical_link(cli: Callable[..., Any]) -> None:
    page = LATIN1_HTML.replace(
        b"<head>", f'<head><link rel="canonical" href="{PAGE_URL}">'.encode()
    )
    done = cli("-", stdin=page)
    assert done.returncode == 0, done.stderr
    article = json.loads(done.stdout)
    assert article["url"] == article["canonical_url"] == PAGE_URL
    assert article["site"] == "daily.example.com"
    assert validation_errors(article) == []
    assert done.stderr == ""


def test_page_without_any_url_warns_that_it_does_not_validate(cli: Callable[..., Any]) -> None:
    done = cli("-", stdin=LATIN1_HTML)
    assert done.returncode == 0
    article = json.loads(done.stdout)
    assert article["url"] is None and article["id"] is None
    assert article["headline"] == "Un été brûlant à Paris"
    assert "does not validate" in done.stderr and len(done.stderr.splitlines()) == 1


def test_stdin_is_read_as_bytes(cli: Callable[..., Any]) -> None:
    done = cli("-", "--url", PAGE_URL, stdin=LATIN1_HTML)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["headline"] == "Un été brûlant à Paris"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["/nonexistent/page.html"], 1, "cannot read /nonexistent/page.html"),
        ([str(ROOT / "tests")], 1, "cannot read"),
        ([str(FIXTURE), "--profile", "no-such-profile"], 2, "no profile named 'no-such-profile'"),
        ([str(FIXTURE), "--url", "ftp://example.com/a"], 2, "--url must be an http(s) URL"),
    ],
)
def test_unreadable_input_is_one_line_and_non_zero(
    cli: Callable[..., Any], args: list[str], code: int, message: str
) -> None:
    done = cli(*args)
    assert done.returncode == code
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1
    assert message in done.stderr


def test_empty_stdin_is_an_error(cli: Callable[..., Any]) -> None:
    done = cli("-", stdin=b"  \n")
    assert done.returncode == 1
    assert "stdin is empty" in done.stderr


@pytest.mark.slow
def test_url_is_fetched_with_scrapy(portal: str) -> None:
    done = extract(f"{portal}/news/budget", "--allow-private-addresses", "127.0.0.1")
    assert done.returncode == 0, done.stderr
    article = json.loads(done.stdout)
    assert article["url"] == f"{portal}/news/budget"
    assert article["headline"] == "Council approves budget after long debate"


@pytest.mark.slow
def test_header_charset_of_a_fetched_page_is_used(portal: str) -> None:
    done = extract(f"{portal}/news/ete", "--allow-private-addresses", "127.0.0.1")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["headline"] == "Un été brûlant à Paris"


@pytest.mark.slow
def test_robots_txt_is_respected(portal: str) -> None:
    done = extract(f"{portal}/private/secret", "--allow-private-addresses", "127.0.0.1")
    assert done.returncode == 1
    assert "robots.txt forbids" in done.stderr
    assert done.stdout == ""


@pytest.mark.slow
def test_missing_page_and_guarded_address_fail_cleanly(portal: str) -> None:
    missing = extract(f"{portal}/news/nothing-here", "--allow-private-addresses", "127.0.0.1")
    assert missing.returncode == 1 and "HTTP 404" in missing.stderr
    guarded = extract(f"{portal}/news/budget")  # loopback is refused by default (SSRF guard)
    assert guarded.returncode == 1 and "SSRF guard" in guarded.stderr


def test_paths_are_not_urls(cli: Callable[..., Any], tmp_path: Path) -> None:
    page = tmp_path / "http-page.html"
    page.write_bytes(ARTICLE_HTML)
    done = cli(str(page))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["url"] is None
