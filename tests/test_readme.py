"""Every command in README.md is run by a test, so an example can never again do nothing.

`readme_commands()` reads the fenced `sh` and `cron` blocks. Each command is either run here
(`RUN_HERE`: against the embedded demo portal, the README's example hosts replaced by its URL)
or mapped to the test that runs it (`ELSEWHERE`). A command in neither fails
`test_every_readme_command_is_run_by_a_test`: add it to one of them.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

README = ROOT / "README.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
CRON_FIELDS = re.compile(r"^(\S+\s+){5}")
EXAMPLE_HOSTS = re.compile(
    r"https://(?:www\.)?(?:example-news\.com|portal\.example|blog\.example)/"
)
PAGE = ROOT / "tests" / "fixtures" / "pages" / "image_visible_wordpress" / "page.html"

# Commands run by this module, for real (see test_readme_commands_run).
RUN_HERE = {
    "newscrawler crawl https://www.example-news.com/ --max-articles 50",
    "newscrawler demo --serve --port 8000 &",
    "newscrawler crawl http://127.0.0.1:8000/ --allow-private-addresses 127.0.0.1"
    " --max-articles 10 --output out.jsonl",
    "newscrawler extract page.html --url https://example.com/news/story",
    "newscrawler extract - --url https://example.com/news/story < page.html",
    "newscrawler extract page.html --profile wordpress",
    "scrapy crawl news -a url=https://portal.example/ -O out.jsonl",
}
# make targets: checked with `make -n` here (the real runs are the suite and CI themselves)
MAKE_TARGETS = {
    "make demo",
    "make test",
    "make lint",
    "make typecheck",
    "make bench",
    "make fuzz",
    "make mutate",
    "make bench-archive",
}
# Commands run elsewhere: the test that runs the same command against a local server.
ELSEWHERE = {
    "newscrawler crawl https://www.example-news.com/ --since 2024-05-01 --max-articles 200":
        "tests/test_crawl_cli.py::test_newscrawler_crawl_end_to_end_without_a_terminal",
    "cd /srv/news && .venv/bin/newscrawler crawl https://www.example-news.com/"
    " --state-dir /srv/news/state >> logs/crawl-$(date -u +\\%F).log 2>&1"
    ' || echo "newscrawler crawl example-news exited $? (see logs/crawl-$(date -u +\\%F).log)";'
    " find logs -name 'crawl-*.log' -mtime +14 -delete":
        "tests/test_cron.py::test_rerun_emits_only_new_and_changed_articles_with_revisions",
    "cd /srv/news && .venv/bin/newscrawler crawl https://www.example-news.com/"
    " --state-dir /srv/news/state >> logs/crawl.log 2>&1":
        "tests/test_cron.py::test_rerun_emits_only_new_and_changed_articles_with_revisions",
    "newscrawler enqueue lemonde https://www.example-news.com/ https://other.example.org/":
        "tests/test_distributed_crawl.py::test_enqueued_sites_are_crawled_by_siteless_workers_once_across_runs",
    "newscrawler crawl --redis redis://127.0.0.1:6379/0":
        "tests/test_distributed_crawl.py::test_enqueued_sites_are_crawled_by_siteless_workers_once_across_runs",
    "newscrawler extract https://example.com/news/story":
        "tests/test_extract_cli.py::test_url_is_fetched_with_scrapy",
    "scrapy crawl news -a site=wordpress -a url=https://blog.example/ -a since=2024-05-01"
    " -a max_articles=50":
        "tests/test_crawl_portals.py::test_sitemap_only_since_skips_old_sitemaps_and_entries_before_fetching",
    'scrapy crawl article -a urls="https://portal.example/a https://portal.example/b"'
    " -O out.jsonl": "tests/test_crawl_cli.py::test_article_spider_extracts_exactly_the_given_urls",
    "scrapy crawl article -a file=urls.txt -O out.jsonl":
        "tests/test_crawl_cli.py::test_article_spider_extracts_exactly_the_given_urls",
    "newscrawler crawl demo --archive":
        "tests/test_archive_crawl.py::test_archive_sits_next_to_the_feed_and_every_line_points_into_it",
    "newscrawler reextract output/demo/archive/STAMP.warc.gz --output again.jsonl":
        "tests/test_archive_crawl.py::test_reextract_gives_the_crawls_jsonl_line_for_line",
    "newscrawler reextract output/demo/archive/STAMP.warc.gz"
    " --changed-only output/demo/STAMP.jsonl":
        "tests/test_archive_crawl.py::test_changed_only_against_the_crawl_finds_no_change",
    "newscrawler reextract CC-NEWS-20250101000000-00000.warc.gz --domain example.org":
        "tests/test_archive.py::test_domain_filter_keeps_subdomains_only_of_that_domain",
}  # fmt: skip


def readme_commands(text: str) -> list[str]:
    """The commands of the README's `sh` and `cron` blocks: comments and cron fields removed."""
    commands = []
    for language, block in FENCE.findall(text):
        if language not in ("sh", "cron"):
            continue
        for line in block.replace("\\\n", " ").splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if language == "cron":
                line = CRON_FIELDS.sub("", line)
            else:
                line = re.sub(r"\s+#\s.*$", "", line)
            commands.append(re.sub(r"\s+", " ", line))
    return commands


def test_readme_commands_are_read_from_sh_and_cron_blocks() -> None:
    text = "```sh\nmake demo   # try it\n# note\na \\\n  b\n```\n```toml\nx = 1\n```\n"
    text += "```cron\n17 * * * *  cd /srv && run # hourly\n```\n"
    assert readme_commands(text) == ["make demo", "a b", "cd /srv && run # hourly"]


def test_every_readme_command_is_run_by_a_test() -> None:
    commands = readme_commands(README.read_text(encoding="utf-8"))
    assert len(commands) >= 15
    untested = [c for c in commands if c not in RUN_HERE | MAKE_TARGETS | ELSEWHERE.keys()]
    assert untested == [], (
        "README commands no test runs: add each to RUN_HERE or ELSEWHERE in tests/test_readme.py"
    )
    for target in set(ELSEWHERE.values()):
        path, _, name = target.partition("::")
        assert f"def {name}(" in (ROOT / path).read_text(encoding="utf-8"), target
    stale = (RUN_HERE | MAKE_TARGETS | ELSEWHERE.keys()) - set(commands)
    assert stale == set(), "commands no longer in the README: remove them here"


def test_readme_make_targets_exist() -> None:
    for command in MAKE_TARGETS:
        done = subprocess.run(
            [*command.split(), "-n"], cwd=ROOT, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, (command, done.stderr)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def demo_portal(tmp_path: Path) -> Iterator[str]:
    """The README's own `newscrawler demo --serve --port N &`, on a free port."""
    port = _free_port()
    command = next(c for c in RUN_HERE if c.startswith("newscrawler demo --serve"))
    argv = shlex.split(command.removesuffix("&").replace("8000", str(port)))
    server = subprocess.Popen(
        [sys.executable, "-m", "newscrawler.cli", *argv[1:]],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        assert url == f"http://127.0.0.1:{port}/", server.stderr.read() if server.stderr else ""
        yield url
    finally:
        server.send_signal(signal.SIGINT)  # Ctrl-C, as a user stops it
        server.wait(timeout=10)


def _local(command: str, base: str) -> str:
    """The command pointed at the local demo portal: example hosts and port 8000 replaced, the
    loopback address allowed where the command does not already allow it."""
    command = EXAMPLE_HOSTS.sub(base, command).replace("http://127.0.0.1:8000/", base)
    if base in command and "--allow-private-addresses" not in command:
        option = "NEWSCRAWLER_ALLOW_PRIVATE_ADDRESSES=127.0.0.1"
        command += f" -s {option}" if command.startswith(("newscrawler", "scrapy")) else ""
    return command


@pytest.mark.slow
def test_readme_commands_run(demo_portal: str, tmp_path: Path) -> None:
    (tmp_path / "page.html").write_bytes(PAGE.read_bytes())
    (tmp_path / "page.html.gz").write_bytes(gzip.compress(PAGE.read_bytes()))
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    for command in sorted(RUN_HERE):
        if command.startswith("newscrawler demo --serve"):
            continue  # running: the fixture
        local = _local(command, demo_portal)
        cwd = ROOT if command.startswith("scrapy") else tmp_path  # scrapy.cfg is in the repo
        if command.startswith("scrapy"):
            local = local.replace("-O out.jsonl", f"-O {tmp_path / 'scrapy-out.jsonl'}")
        done = subprocess.run(
            local, shell=True, cwd=cwd, env=env, capture_output=True, text=True, timeout=300,
            check=False,
        )  # fmt: skip
        assert done.returncode == 0, (local, done.stderr[-3000:])
        if command.startswith("newscrawler extract"):
            article = json.loads(done.stdout)
            assert article["headline"] == "Harbour cranes return after a year of repairs"
    written = [
        json.loads(line) for line in (tmp_path / "out.jsonl").read_text("utf-8").splitlines()
    ]
    assert len(written) == 10  # --max-articles 10 against the demo portal
    assert (tmp_path / "out.stats.json").is_file()
    assert (tmp_path / "scrapy-out.jsonl").read_text("utf-8").count("\n") >= 10
    runs = list((tmp_path / "output").glob("127.0.0.1/*.jsonl"))
    assert (len(runs) == 1 and len(runs[0].read_text("utf-8").splitlines()) == 35) or 50


def test_readme_links_to_existing_docs_and_sections() -> None:
    text = README.read_text(encoding="utf-8")
    for target in re.findall(r"\]\((docs/[^)#]+)\)", text):
        assert (ROOT / target).is_file(), target
    anchors = {
        re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        for heading in re.findall(r"^#+ (.+)$", text, re.MULTILINE)
    }
    for anchor in re.findall(r"\]\(#([^)]+)\)", text):
        assert anchor in anchors, anchor
    first_screen = "\n".join(text.splitlines()[:30])  # enough to crawl a real site and set up cron
    assert "make demo" in first_screen and "newscrawler crawl https://" in first_screen
    assert "```cron" in first_screen
