"""Crawl-side polish: commands work from any directory, quiet output, explained losses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def test_demo_runs_from_any_directory_and_prints_only_the_summary(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SCRAPY_SETTINGS_MODULE"}
    done = subprocess.run(
        [sys.executable, "-m", "newscrawler.cli", "demo", "--output-dir", str(tmp_path / "out")],
        cwd=tmp_path,  # no scrapy.cfg here or above
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Spider not found" not in done.stderr
    assert done.stderr == ""  # no "Disabled ...: ... is off" warnings, nothing at all
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Demo portal serving at http://127.0.0.1:")
    assert lines[1].startswith("Articles written: ")
    assert int(lines[1].split(": ")[1]) > 0
    assert lines[-1].startswith("Output: ") and lines[-1].endswith(".jsonl")
    assert Path(lines[-1].removeprefix("Output: ")).is_file()


def test_crawl_and_extract_run_from_any_directory(tmp_path: Path) -> None:
    from newscrawler.demo.server import serve
    from tests.portals import sites

    fixture = sites.robots_disallow()
    env = {k: v for k, v in os.environ.items() if k != "SCRAPY_SETTINGS_MODULE"}
    out = tmp_path / "out.jsonl"
    with serve(fixture.portal) as base:
        crawl = subprocess.run(
            [sys.executable, "-m", "newscrawler.cli", "crawl", f"{base}/", "--output", str(out),
             "--state-dir", str(tmp_path / "state"), "--allow-private-addresses", "127.0.0.1"],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    assert len(out.read_text(encoding="utf-8").splitlines()) == len(fixture.expected)
    page = tmp_path / "page.html"
    page.write_text("<html><body><article><h1>Titre</h1><p>Texte.</p></article></body></html>")
    extract = subprocess.run(
        [sys.executable, "-m", "newscrawler.cli", "extract", str(page)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert extract.returncode == 0, extract.stderr[-3000:]
    assert '"headline": "Titre"' in extract.stdout
