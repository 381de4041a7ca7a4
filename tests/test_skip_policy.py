"""The no-skip rule itself: a skip is counted in the summary, and fails the run under CI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

SKIPPING = "import pytest\n\ndef test_skipped():\n    pytest.skip('no server')\n\n" + (
    "def test_passes():\n    assert True\n"
)


def run_pytest(tmp_path: Path, *, ci: bool) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_sample.py").write_text(SKIPPING, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "NEWSCRAWLER_FAIL_ON_SKIP"}
    if ci:
        env["NEWSCRAWLER_FAIL_ON_SKIP"] = "1"
    plugins = ["-p", "tests.skip_policy", "-p", "no:cacheprovider"]
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", *plugins, "--rootdir", str(tmp_path), str(tmp_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_skip_is_counted_in_the_summary(tmp_path: Path) -> None:
    run = run_pytest(tmp_path, ci=False)
    assert run.returncode == 0, run.stdout[-2000:]
    assert "skipped: 1 test(s) did NOT run" in run.stdout


def test_under_ci_a_skip_fails_the_run(tmp_path: Path) -> None:
    run = run_pytest(tmp_path, ci=True)
    assert run.returncode == 1, run.stdout[-2000:]
    assert "NEWSCRAWLER_FAIL_ON_SKIP is set, so this run fails" in run.stdout
