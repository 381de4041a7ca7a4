"""Shared test set-up: paths from __file__, and one real demo crawl per session."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from tests.skip_policy import (  # noqa: F401  (hooks: the skip count and CI's no-skip rule)
    pytest_runtest_logreport,
    pytest_sessionfinish,
    pytest_terminal_summary,
)

# `make mutate` runs the suite under mutmut's trampolines on a shared machine: data generation is
# slow there, which is no defect of the code under test (--hypothesis-profile=mutate).
settings.register_profile(
    "mutate", suppress_health_check=list(HealthCheck), deadline=None, max_examples=20
)

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"


def run_cli(*args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run `newscrawler ARGS` in a fresh interpreter (a reactor cannot restart in-process)."""
    return subprocess.run(
        [sys.executable, "-m", "newscrawler.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    """`newscrawler demo` run once, for real: portal on 127.0.0.1, real spider, real feed."""
    workdir = tmp_path_factory.mktemp("demo")
    return run_cli("demo", "--output-dir", str(workdir / "output"), cwd=ROOT)


@pytest.fixture(scope="session")
def demo_output(demo_run: subprocess.CompletedProcess[str]) -> Path:
    assert demo_run.returncode == 0, demo_run.stderr[-3000:]
    line = next(ln for ln in demo_run.stdout.splitlines() if ln.startswith("Output: "))
    return Path(line.removeprefix("Output: "))


@pytest.fixture(scope="session")
def demo_articles(demo_output: Path) -> list[dict[str, Any]]:
    return read_jsonl(demo_output)


@pytest.fixture
def new_york_local_time() -> Iterator[None]:
    """The machine's local zone set to one that is not UTC (restored after)."""
    saved = os.environ.get("TZ")
    os.environ["TZ"] = "America/New_York"
    time.tzset()
    yield
    if saved is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = saved
    time.tzset()
