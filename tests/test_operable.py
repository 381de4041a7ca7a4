"""Operable by a newcomer and by cron (issue 15): exit codes, one-line errors, conveniences."""

from __future__ import annotations

import random
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from newscrawler import __version__
from newscrawler.demo.server import Page, serve, static_portal
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
    assert crawl_settings().getbool("REMOTE_CONTROL_ENABLED") is False
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


# --- runs that did nothing fail, each with its own code and one line (items 1-3) ---------------

FAST = ("-s", "AUTOTHROTTLE_ENABLED=0", "-s", "RETRY_TIMES=0")


def _crawl(url: str, tmp_path: Path, *extra: str) -> tuple[subprocess.CompletedProcess[str], dict]:
    """`newscrawler crawl URL` for real; the process result and the run's .stats.json."""
    import json

    out = tmp_path / "out.jsonl"
    done = run_cli("crawl", url, "--output", str(out), *FAST, *extra, cwd=tmp_path, timeout=120)
    report = json.loads((tmp_path / "out.stats.json").read_text(encoding="utf-8"))
    return done, report


def _last_line(done: subprocess.CompletedProcess[str]) -> str:
    return done.stderr.strip().splitlines()[-1]


def test_every_request_refused_by_the_ssrf_guard_fails_with_its_own_code(tmp_path: Path) -> None:
    from newscrawler.demo.portal import demo_portal

    with serve(demo_portal()) as base:  # the README's old example: loopback, no allowance
        done, report = _crawl(f"{base}/", tmp_path)
    assert done.returncode == 6, done.stderr[-3000:]
    line = _last_line(done)
    assert line.startswith("newscrawler crawl: REFUSED (exit 6): every request was refused: ")
    assert "by the SSRF guard" in line and "--allow-private-addresses" in line
    assert report["refused"]["ssrf"] >= 1
    assert report["failed"]["exit_code"] == 6
    assert "quality gate passed" not in done.stderr


def test_refused_at_the_first_hop(tmp_path: Path) -> None:
    portal = static_portal(
        {"/": Page(b"", status=301, headers={"Location": "http://else.example/"})}
    )
    with serve(portal) as base:
        done, report = _crawl(f"{base}/", tmp_path, "--allow-private-addresses", "127.0.0.1")
    assert done.returncode == 6, done.stderr[-3000:]
    assert "every request was refused: 1 offsite" in _last_line(done)
    assert report["refused"] == {"offsite": 1}


def test_start_url_and_every_article_refused_by_robots_txt_fails(tmp_path: Path) -> None:
    # the sitemap comes through, but no web page does: the run fetched nothing
    def portal(path: str, base: str) -> Page | None:
        if path == "/robots.txt":
            text = f"User-agent: *\nDisallow: /news/\nSitemap: {base}/sitemap.xml\n"
            return Page(text.encode(), content_type="text/plain")
        if path == "/sitemap.xml":
            urls = "".join(f"<url><loc>{base}/news/{n}/</loc></url>" for n in range(3))
            xml = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
            return Page(xml.encode(), content_type="application/xml")
        if path.startswith("/news/"):
            return Page(b"<h1>never fetched: robots.txt disallows it</h1>")
        return None  # 404 (the home page, probed feeds)

    with serve(portal) as base:
        done, report = _crawl(f"{base}/news/", tmp_path, "--allow-private-addresses", "127.0.0.1")
    assert done.returncode == 6, done.stderr[-3000:]
    assert "every request was refused: " in _last_line(done) and "by robots.txt" in _last_line(done)
    assert report["refused"]["robots"] >= 4  # the start URL and the three listed articles
    assert report["pages"].get("sitemap") == 1


def test_unreachable_host_is_not_the_layout_change_code(tmp_path: Path) -> None:
    port = _free_port()  # nothing listens there: connection refused
    done, report = _crawl(
        f"http://127.0.0.1:{port}/", tmp_path, "--allow-private-addresses", "127.0.0.1",
        "--log-level", "ERROR",  # what a terminal shows (item 7): one line per failure
    )  # fmt: skip
    assert "Traceback" not in done.stderr
    assert done.stderr.count("Run summary for 127.0.0.1:") == 1  # printed: the log hid it
    assert done.returncode == 7, done.stderr[-3000:]
    line = _last_line(done)
    assert line.startswith("newscrawler crawl: UNREACHABLE (exit 7): the site could not be reached")
    assert "ConnectionRefusedError" in line
    assert report["failed"]["name"] == "UNREACHABLE"


def test_a_run_that_fetched_no_page_fails(tmp_path: Path) -> None:
    with serve(static_portal({})) as base:  # every path answers 404
        done, report = _crawl(f"{base}/", tmp_path, "--allow-private-addresses", "127.0.0.1")
    assert done.returncode == 8, done.stderr[-3000:]
    assert _last_line(done) == (
        "newscrawler crawl: NOTHING_FETCHED (exit 8): no page was fetched (HTTP errors: 1×404)"
    )
    assert report["errors"] == 1 and report["refused"] == {}


def test_progress_line_and_summary_count_the_same_things() -> None:
    from newscrawler.extensions.progress import progress_line, snapshot
    from newscrawler.quality import Thresholds
    from newscrawler.report import build_report, summary

    stats = {
        "newscrawler/pages/article": 5,
        "newscrawler/pages/robots": 1,
        "newscrawler/requests/judged": 5,
        "newscrawler/errors/http/404": 2,
        "newscrawler/errors/download/TimeoutError": 1,
        "downloader/response_status_count/404": 4,  # every attempt, robots.txt's 404 too
        "downloader/response_status_count/503": 3,  # retried, then answered 200
        "downloader/exception_count": 7,  # includes refusals (IgnoreRequest) and retries
        "newscrawler/ssrf/refused": 2,
        "robotstxt/forbidden": 1,
        "item_scraped_count": 3,
    }
    line = progress_line(snapshot(stats, elapsed=1.0))
    report = build_report(stats, site="x", output=None, thresholds=Thresholds(), failures=[])
    text = summary(report)
    assert "pages 6 |" in line and "Pages fetched: 5 article, 1 robots." in text
    assert "| errors 3 |" in line and report["errors"] == 3
    assert "Errors: 3 (HTTP errors: 2×404; download failures: 1×TimeoutError)" in text
    assert "| refused 3 |" in line and report["refused"] == {"ssrf": 2, "robots": 1}
    assert "Refused: 2 by the SSRF guard, 1 by robots.txt." in text


def test_exit_codes_are_documented_in_crawl_help_and_readme() -> None:
    from newscrawler.exitcodes import ExitCode

    done = run_cli("crawl", "--help", cwd=ROOT, timeout=60)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for code in ExitCode:
        assert f"{int(code)} {code.name}" in " ".join(done.stdout.split()), code
        assert f"| {int(code)} | {code.name} |" in readme, code


# --- bad input gets one clear line (items 5, 6) ------------------------------------------------


def _scrapy(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).parent / "scrapy"), *args],
        cwd=cwd, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "the news spider needs -a url=https://portal.example/ or -a site=NAME"
             " (known sites: demo, wordpress"),
        (("-a", "site=nosuch"), "news spider: no profile named 'nosuch' (known: demo, wordpress"),
        (("-a", "url=htp://x.example/"), "news spider: url: not an http(s) URL"),
    ],
)  # fmt: skip
def test_scrapy_crawl_news_bad_arguments_are_one_line(args: tuple[str, ...], message: str) -> None:
    done = _scrapy("crawl", "news", *args, "-s", "LOG_LEVEL=WARNING")
    assert done.returncode == 2, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith(f"scrapy: error: {message}")


@pytest.mark.parametrize(
    ("setting", "accepted"),
    [
        ("NEWSCRAWLER_ALLOW_PRIVATE_ADDRESSES=1", "IP addresses or networks"),
        ("NEWSCRAWLER_MAX_LINK_DEPTH=-1", "a whole number ≥ 0"),
        ("NEWSCRAWLER_FULL=maybe", "true or false"),
        ("NEWSCRAWLER_PROGRESS_INTERVAL=0", "a number of seconds > 0"),
        ('NEWSCRAWLER_DNS_OVERRIDES={"a.example": "not-an-ip"}', "host name to IP address"),
    ],
)
def test_a_bad_setting_is_one_line_naming_it(setting: str, accepted: str, tmp_path: Path) -> None:
    name, _, value = setting.partition("=")
    done = run_cli("crawl", "https://news.example/", "-s", setting, cwd=tmp_path, timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"newscrawler crawl: setting {name}: bad value {value!r}; accepted: "
        + done.stderr.split("; accepted: ", 1)[1].strip()
    )
    assert accepted in done.stderr and "Traceback" not in done.stderr
    scrapy = _scrapy("crawl", "news", "-a", "url=https://news.example/", "-s", setting)
    assert scrapy.returncode == 2 and "Traceback" not in scrapy.stderr
    assert scrapy.stderr.strip().splitlines()[-1].startswith(f"scrapy: error: setting {name}: ")


def test_an_unknown_newscrawler_setting_is_named_with_the_closest_one() -> None:
    from newscrawler.settings_check import check_settings

    assert check_settings({"NEWSCRAWLER_MAX_LINK_DEPT": 2}) == [
        "setting NEWSCRAWLER_MAX_LINK_DEPT is not a newscrawler setting;"
        " did you mean NEWSCRAWLER_MAX_LINK_DEPTH?"
    ]


def test_every_newscrawler_setting_has_a_spec() -> None:
    # a setting added to settings.py or read anywhere in the package without a row in SPECS
    # would go unchecked: this test names it
    import re

    import newscrawler.settings as project
    from newscrawler.settings_check import SPECS

    names = {name for name in vars(project) if name.startswith("NEWSCRAWLER_")}
    for path in (ROOT / "newscrawler").rglob("*.py"):
        names |= set(re.findall(r"[\"'](NEWSCRAWLER_[A-Z_]+)[\"']", path.read_text("utf-8")))
    names -= {"NEWSCRAWLER_STATE_DIR_ENV"}
    assert sorted(names - set(SPECS)) == []
    from newscrawler.runner import crawl_settings
    from newscrawler.settings_check import check_settings

    assert check_settings(crawl_settings()) == []  # the defaults pass


def test_a_bad_profile_value_is_one_line(tmp_path: Path) -> None:
    profile = tmp_path / "bad.toml"
    profile.write_text(
        'name = "bad"\nstart_urls = ["https://b.example/"]\n[quality]\nauthors = 2\n'
    )
    done = run_cli("crawl", str(profile), cwd=tmp_path, timeout=60)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "quality.authors" in done.stderr


# --- terminal output (item 7) -------------------------------------------------------------------


def test_network_failure_records_are_one_line() -> None:
    import io
    import logging

    from scrapy.exceptions import DownloadConnectionRefusedError

    from newscrawler.extensions.logtrim import OneLineNetworkFailures

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(OneLineNetworkFailures())
    log = logging.getLogger("test.logtrim")
    log.addHandler(handler)
    try:
        for error in (DownloadConnectionRefusedError("refused: 111"), KeyError("bug")):
            try:
                raise error
            except Exception:
                log.error("Error downloading %s", "<GET http://a.example/>", exc_info=True)
    finally:
        log.removeHandler(handler)
    lines = stream.getvalue().splitlines()
    assert lines[0] == (
        "Error downloading <GET http://a.example/>: DownloadConnectionRefusedError: refused: 111"
    )
    assert lines[1] == "Error downloading <GET http://a.example/>"
    assert lines[2] == "Traceback (most recent call last):"  # a bug keeps its traceback


def test_progress_line_is_cleared_before_a_log_line() -> None:
    import io
    import logging

    from newscrawler.extensions.progress import Progress

    class Stats:
        def get_stats(self) -> dict[str, int]:
            return {}

    terminal = io.StringIO()
    progress = Progress(Stats(), "tty", 1.0, terminal)  # type: ignore[arg-type]
    handler = logging.StreamHandler(terminal)
    handler.addFilter(progress.clearer)
    log = logging.getLogger("test.progress")
    log.addHandler(handler)
    try:
        progress.show()
        log.warning("a warning")
        log.warning("another")  # the line is already clear: nothing more to erase
    finally:
        log.removeHandler(handler)
    shown = terminal.getvalue()
    assert shown.endswith("| 0s\r\x1b[2Ka warning\nanother\n")


# --- extract: gzip and non-HTML input (item 8); binary bodies in a crawl (item 9) ----------------

PAGE = ROOT / "tests" / "fixtures" / "pages" / "amp" / "page.html"
PAGE_URL = "https://news.example/2024/05/02/a/"


def _extract(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "newscrawler.cli", "extract", *args],
        cwd=ROOT, input=stdin, capture_output=True, timeout=120, check=False,
    )  # fmt: skip


def test_extract_recognises_gzip_by_its_magic_bytes(tmp_path: Path) -> None:
    import gzip
    import json

    plain = _extract(str(PAGE), "--url", PAGE_URL)
    assert plain.returncode == 0
    expected = json.loads(plain.stdout)
    packed = tmp_path / "page.html.gz"
    packed.write_bytes(gzip.compress(PAGE.read_bytes()))
    named_oddly = tmp_path / "page.html"  # the magic bytes decide, not the name
    named_oddly.write_bytes(packed.read_bytes())
    for done in (
        _extract(str(packed), "--url", PAGE_URL),
        _extract(str(named_oddly), "--url", PAGE_URL),
        _extract("-", "--url", PAGE_URL, stdin=packed.read_bytes()),
    ):
        assert done.returncode == 0, done.stderr
        article = json.loads(done.stdout)
        assert article["headline"] == expected["headline"] and article["body"] == expected["body"]


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "jpeg"),
        (random.Random(7).randbytes(8192), "binary"),
    ],
)
def test_extract_refuses_input_that_is_not_html(data: bytes, kind: str, tmp_path: Path) -> None:
    import gzip

    source = tmp_path / "input.html"
    source.write_bytes(data)
    for done in (_extract(str(source)), _extract("-", stdin=gzip.compress(data))):
        assert done.returncode == 1
        assert done.stdout == b""
        message = done.stderr.decode().strip()
        assert message.endswith(f"is not an HTML page ({kind} data)") and "\n" not in message


@pytest.mark.parametrize("seed", range(20))
def test_random_or_compressed_bytes_are_never_taken_for_text(seed: int) -> None:
    import random
    import zlib

    from newscrawler.sniff import binary_kind

    data = random.Random(seed).randbytes(6000)
    assert binary_kind(data) == "binary"
    assert binary_kind(zlib.compress(data[:3000] + b"<p>x</p>" * 50)) == "binary"


def test_real_pages_are_text() -> None:
    from newscrawler.sniff import binary_kind

    pages = sorted((ROOT / "tests" / "fixtures" / "pages").glob("*/page.html"))
    assert len(pages) > 20
    assert [p.parent.name for p in pages if binary_kind(p.read_bytes())] == []
    utf16 = "<html><body><p>Café crème</p></body></html>".encode("utf-16")
    assert binary_kind(utf16) is None  # half NUL bytes, but its byte-order mark says text


def test_a_binary_body_labelled_html_is_counted_logged_and_never_emitted(tmp_path: Path) -> None:
    import json
    import random

    from newscrawler.demo.portal import demo_portal

    demo = demo_portal()
    noise = Page(random.Random(3).randbytes(20000), content_type="text/html; charset=utf-8")
    article = json.loads((ROOT / "tests/fixtures/demo_expected.json").read_text("utf-8"))
    path = article["articles"][0]["path"]

    def portal(request_path: str, base: str) -> Page | None:
        return noise if request_path == "/noise.html" else demo(request_path, base)

    out = tmp_path / "out.jsonl"
    with serve(portal) as base:
        done = _scrapy(
            "crawl", "article", "-a", f"urls={base}/noise.html {base}{path}",
            "-s", "NEWSCRAWLER_ALLOW_PRIVATE_ADDRESSES=127.0.0.1", "-O", str(out),
        )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    emitted = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [a["url"].removeprefix(base) for a in emitted] == [path]
    report = json.loads((tmp_path / "out.stats.json").read_text("utf-8"))
    assert report["scrapy_stats"]["newscrawler/skipped/binary"] == 1
    assert "binary bytes served as text/html" in done.stderr
