"""Shared test set-up: paths from __file__, and one real demo crawl per session."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.utils.test import get_crawler

from newscrawler.state import SqliteStateStore
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


@pytest.fixture
def state_crawler(tmp_path: Path) -> Iterator[Callable[..., Crawler]]:
    """Build real crawlers (`get_crawler`) whose StateExtension holds the lock and sqlite state of
    site news.example under tmp_path (one state dir per crawler); released after the test."""
    from newscrawler.state.delivery import StateExtension

    crawlers: list[Crawler] = []

    def build(**settings: Any) -> Crawler:
        crawler = get_crawler(
            Spider,
            settings_dict={
                # CoreStats would need a spider_opened before a spider_closed sent by a test
                "EXTENSIONS": {StateExtension: 100, "scrapy.extensions.corestats.CoreStats": None},
                "NEWSCRAWLER_STATE_ENABLED": True,
                "NEWSCRAWLER_STATE_DIR": str(tmp_path / f"state{len(crawlers)}"),
                "NEWSCRAWLER_SITE": "news.example",
                **settings,
            },
        )
        crawlers.append(crawler)
        return crawler

    yield build
    for crawler in crawlers:
        extension = crawler.get_extension(StateExtension)
        if extension is not None:
            extension.engine_stopped()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStateStore]:
    """A real sqlite state of site news.example in tmp_path, closed after the test."""
    db = SqliteStateStore(tmp_path / "news.example.sqlite3")
    yield db
    db.close()


@pytest.fixture
def stats() -> Any:
    """The stats collector of a real (unconfigured) crawler."""
    return get_crawler().stats
