"""Operable by a newcomer and by cron (issue 15): exit codes, one-line errors, conveniences."""

from __future__ import annotations

import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from newscrawler import __version__
from tests.conftest import ROOT, run_cli


def test_version_option_and_user_agent() -> None:
    done = run_cli("--version", cwd=ROOT, timeout=60)
    assert done.returncode == 0
    assert done.stdout.strip() == f"newscrawler {__version__}"
    assert __version__ == "0.1.0"  # pyproject.toml's version, through the installed package
    from newscrawler.runner import crawl_settings

    assert crawl_settings()["USER_AGENT"].startswith(f"newscrawler/{__version__} (+")


def test_telnet_console_is_off_by_default() -> None:
    from newscrawler.runner import crawl_settings

    assert crawl_settings().getbool("TELNETCONSOLE_ENABLED") is False
    assert crawl_settings({"TELNETCONSOLE_ENABLED": "1"}).getbool("TELNETCONSOLE_ENABLED")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize(
    "command",
    [
        [sys.executable, "-m", "newscrawler.cli", "demo", "--serve", "--port"],
        [sys.executable, "-m", "newscrawler.demo.server", "--port"],
    ],
)
def test_demo_portal_served_on_a_chosen_port(command: list[str]) -> None:
    port = _free_port()
    server = subprocess.Popen(
        [*command, str(port)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        assert url == f"http://127.0.0.1:{port}/"
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200
            assert b"<html" in response.read().lower()
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_demo_serve_on_a_busy_port_is_one_line() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = run_cli("demo", "--serve", "--port", str(port), cwd=ROOT, timeout=60)
    assert done.returncode == 1
    assert done.stderr.strip().startswith(f"cannot serve on 127.0.0.1:{port}:")
    assert len(done.stderr.strip().splitlines()) == 1


def test_article_spider_run_is_named_after_its_hosts() -> None:
    from scrapy.settings import Settings

    from newscrawler.extensions.context import resolve_site
    from newscrawler.spiders.article import ArticleSpider

    spider = ArticleSpider(urls="https://www.a.example/1 https://b.example/2 https://a.example/3")
    assert resolve_site(Settings(), spider) == "a.example, b.example"
    assert resolve_site(Settings(), ArticleSpider(urls="https://a.example/1")) == "a.example"
    named = ArticleSpider(urls="https://a.example/1", site="demo")
    assert resolve_site(Settings(), named) == "demo"


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("htp://host.example/", "not an http(s) URL: 'htp://host.example/'"),
        ("ftp://host.example/", "not an http(s) URL"),
        ("https:///path", "no host in URL"),
        ("http://host.example:99999/", "not a valid URL"),
    ],
)
def test_a_url_that_is_not_http_with_a_host_is_a_usage_error(
    target: str, message: str, tmp_path: Path
) -> None:
    done = run_cli("crawl", target, "--output", str(tmp_path / "o.jsonl"), cwd=tmp_path, timeout=60)
    assert done.returncode == 2, done.stderr[-2000:]
    assert done.stderr.strip() == f"newscrawler crawl: {done.stderr.strip().split(': ', 1)[1]}"
    assert message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "o.jsonl").exists()
