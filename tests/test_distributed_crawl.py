"""Workers sharing a real Redis frontier crawl a real local portal, in real processes.

Every worker is `newscrawler crawl URL --redis REDIS --worker-id ID` in its own process, running
the real `news` spider. The portal is the synthetic N-article portal served on 127.0.0.1 port 0;
Redis is a real redis-server on a unix socket.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newscrawler.demo.server import serve
from newscrawler.distributed.portal import SyntheticPortal
from newscrawler.distributed.state import RedisStateStore
from newscrawler.exitcodes import ExitCode
from tests.conftest import ROOT, read_jsonl
from tests.redis_server import RedisServer, redis_server

__all__ = ["redis_server"]  # the fixture, imported for pytest

LEASE = 2.0  # seconds before a killed worker's run and heartbeat expire
TIMEOUT = 180
SITE = "127.0.0.1"  # the site of a crawl started from a URL: its host


@pytest.fixture(scope="module")
def portal_2000() -> Iterator[tuple[str, SyntheticPortal]]:
    portal = SyntheticPortal(2000)
    with serve(portal) as base:
        yield base, portal


@pytest.fixture(scope="module")
def portal_600() -> Iterator[tuple[str, SyntheticPortal]]:
    portal = SyntheticPortal(600)
    with serve(portal) as base:
        yield base, portal


def start_worker(
    redis_url: str, base: str, out: Path, worker: str, *settings: str
) -> subprocess.Popen[str]:
    command = [
        sys.executable, "-m", "newscrawler.cli", "crawl", f"{base}/",
        "--redis", redis_url, "--worker-id", worker, "--output-dir", str(out),
        "--allow-private-addresses", "127.0.0.1", "--log-level", "INFO",
        "-s", f"NEWSCRAWLER_REDIS_LEASE_SECONDS={LEASE}", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16",
    ]  # fmt: skip
    for setting in settings:
        command += ["-s", setting]
    return subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    stdout, stderr = process.communicate(timeout=TIMEOUT)
    return process.returncode, stdout, stderr


def requests_fetched(out: Path) -> int:
    """Pages downloaded by all workers, from their run reports (`<name>.stats.json`)."""
    reports = [json.loads(path.read_text()) for path in out.rglob("*.stats.json")]
    return sum(int(r["scrapy_stats"].get("downloader/request_count", 0)) for r in reports)


def finalized(out: Path) -> dict[str, list[dict[str, Any]]]:
    """worker id -> the articles of its finalized file(s)."""
    files: dict[str, list[dict[str, Any]]] = {}
    for path in sorted(out.rglob("*.jsonl")):
        worker = path.stem.split("-", 1)[1]
        files.setdefault(worker, []).extend(read_jsonl(path))
    return files


def part_lines(out: Path) -> list[dict[str, Any]]:
    """Complete lines of the in-progress (.part) files."""
    articles = []
    for path in out.rglob("*.jsonl.part"):
        for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
            if line.endswith("\n"):
                articles.append(json.loads(line))
    return articles


def wait_for_part_lines(out: Path, count: int, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + TIMEOUT
    while len(part_lines(out)) < count:
        assert process.poll() is None, "the worker ended before it was interrupted"
        assert time.monotonic() < deadline, "the worker wrote nothing"
        time.sleep(0.05)


def wait_for_lease_expiry(server: RedisServer) -> None:
    """Until the interrupted run's lease is gone, its claims (rightly) hold its articles."""
    deadline = time.monotonic() + TIMEOUT
    while list(server.client().scan_iter(match="newscrawler:state:*:lease:*")):
        assert time.monotonic() < deadline
        time.sleep(0.1)


def all_ids(files: dict[str, list[dict[str, Any]]]) -> list[str]:
    return [article["id"] for articles in files.values() for article in articles]


@pytest.mark.slow
def test_two_workers_crawl_one_portal_together_exactly_once(
    redis_server: RedisServer, portal_2000: tuple[str, SyntheticPortal], tmp_path: Path
) -> None:
    base, portal = portal_2000
    out = tmp_path / "output"
    workers = [start_worker(redis_server.url, base, out, name) for name in ("w1", "w2")]
    results = [finish(worker) for worker in workers]
    for code, _, stderr in results:
        assert code == ExitCode.OK, stderr[-3000:]

    files = finalized(out)
    assert sorted(files) == ["w1", "w2"], "one finalized file per worker, named after it"
    ids = all_ids(files)
    assert len(ids) == len(set(ids)), "no article is in two files (or twice in one)"
    urls = {article["canonical_url"] for articles in files.values() for article in articles}
    assert urls == set(portal.article_urls(base)), "the union is the whole portal"
    assert all(len(articles) > 100 for articles in files.values()), "both workers did real work"
    assert not list(out.rglob("*.part")), "nothing left unfinalized"
    store = RedisStateStore(redis_server.client(), SITE)
    assert store.count() == 2000, "every delivered article is remembered in the shared state"
    assert requests_fetched(out) < 2000 * 1.1, "each page is fetched once by the cluster"


@pytest.mark.slow
def test_killed_worker_loses_nothing_and_a_rerun_emits_what_it_lost(
    redis_server: RedisServer, portal_600: tuple[str, SyntheticPortal], tmp_path: Path
) -> None:
    base, portal = portal_600
    out = tmp_path / "output"
    # The survivor is slowed down so the victim always holds a real share of the frontier when it
    # is killed (at full speed the survivor could take nearly all of it and the victim end first).
    victim = start_worker(redis_server.url, base, out / "victim", "victim")
    survivor = start_worker(
        redis_server.url, base, out / "survivor", "survivor", "DOWNLOAD_DELAY=0.02"
    )
    wait_for_part_lines(out / "victim", 30, victim)
    victim.send_signal(signal.SIGKILL)
    victim.communicate(timeout=TIMEOUT)
    code, _, stderr = finish(survivor)
    assert code == ExitCode.OK, stderr[-3000:]
    lost = {article["id"] for article in part_lines(out / "victim")}
    assert lost, "the victim had written articles into its .part file"
    assert not finalized(out / "victim"), "a killed worker's file is never finalized"
    survived = finalized(out)
    assert not lost & set(all_ids(survived)), "the survivor did not emit the victim's articles"

    rerun = start_worker(redis_server.url, base, out / "rerun", "rerun")
    code, _, stderr = finish(rerun)
    assert code == ExitCode.OK, stderr[-3000:]
    files = finalized(out)
    assert sorted(files) == ["rerun", "survivor"]
    ids = all_ids(files)
    assert len(ids) == len(set(ids)), "nothing duplicated across finalized files"
    urls = {article["canonical_url"] for articles in files.values() for article in articles}
    assert urls == set(portal.article_urls(base)), "nothing lost"
    assert lost <= {article["id"] for article in files["rerun"]}, "the re-run emitted the lost"


def test_redis_unreachable_at_start_is_a_clear_error_with_its_exit_code(tmp_path: Path) -> None:
    missing = f"unix://{tmp_path / 'no-redis.sock'}?db=0"
    worker = start_worker(missing, "http://127.0.0.1:9", tmp_path / "out", "w")
    code, _, stderr = finish(worker)
    assert code == ExitCode.REDIS_UNAVAILABLE
    assert f"Redis is unreachable at {missing}" in stderr
    assert "Traceback" not in stderr
    assert not (tmp_path / "out").exists(), "nothing was started"


def test_enqueue_without_redis_exits_with_redis_unavailable(tmp_path: Path) -> None:
    missing = f"unix://{tmp_path / 'no-redis.sock'}?db=0"
    result = subprocess.run(
        [sys.executable, "-m", "newscrawler.cli", "enqueue", "demo", "--redis", missing],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == ExitCode.REDIS_UNAVAILABLE
    assert "Redis is unreachable" in result.stderr


@pytest.mark.slow
def test_redis_lost_mid_run_stops_the_worker_cleanly_and_keeps_state_consistent(
    tmp_path: Path, portal_600: tuple[str, SyntheticPortal]
) -> None:
    base, portal = portal_600
    server = RedisServer(tmp_path / "redis", durable=True)
    (tmp_path / "redis").mkdir()
    server.start()
    out = tmp_path / "output"
    try:
        worker = start_worker(server.url, base, out, "w")
        wait_for_part_lines(out, 20, worker)
        server.stop(signal.SIGKILL)
        code, _, stderr = finish(worker)
        assert code == ExitCode.REDIS_UNAVAILABLE, stderr[-3000:]
        assert "Lost Redis mid-run" in stderr
        assert not finalized(out), "output written without Redis is not delivered"
        assert list(out.rglob("*.jsonl.part")), "it is left as .part"

        server.start()  # same data directory: every write before the loss is back
        store = RedisStateStore(server.client(), SITE)
        assert store.count() == 0, "nothing was marked delivered"
        statuses = set(server.client().hvals(f"newscrawler:state:{SITE}:status"))
        assert statuses == {"open"}, "the interrupted run is still open, to be discarded"
        wait_for_lease_expiry(server)

        rerun = start_worker(server.url, base, out / "rerun", "rerun")
        code, _, stderr = finish(rerun)
        assert code == ExitCode.OK, stderr[-3000:]
        files = finalized(out)
        ids = all_ids(files)
        assert len(ids) == len(set(ids)) == 600
        urls = {article["canonical_url"] for articles in files.values() for article in articles}
        assert urls == set(portal.article_urls(base))
        assert set(server.client().hvals(f"newscrawler:state:{SITE}:status")) == {
            "committed",
            "discarded",
        }
    finally:
        server.stop()


@pytest.mark.slow
def test_enqueued_sites_are_crawled_by_siteless_workers_once_across_runs(
    redis_server: RedisServer, tmp_path: Path
) -> None:
    a, b = SyntheticPortal(120), SyntheticPortal(80)
    out = tmp_path / "output"
    with serve(a) as base_a, serve(b) as base_b:
        base_b = base_b.replace("127.0.0.1", "localhost")  # another site name: another frontier
        enqueue = run_cli("enqueue", f"{base_a}/", f"{base_b}/", "--redis", redis_server.url)
        assert enqueue.returncode == ExitCode.OK, enqueue.stderr
        assert "2 site(s) waiting" in enqueue.stdout

        workers = [queue_worker(redis_server.url, out, name) for name in ("q1", "q2")]
        for code, stdout, stderr in (finish(worker) for worker in workers):
            assert code == ExitCode.OK, stderr[-3000:]
            assert "no queued site left" in stdout
        urls_a = urls_in(out / "127.0.0.1")
        urls_b = urls_in(out / "localhost")
        assert urls_a == set(a.article_urls(base_a))
        assert urls_b == set(b.article_urls(base_b))

        # the same sites again: a new round re-fetches them, but nothing is emitted twice
        again = run_cli("enqueue", f"{base_a}/", f"{base_b}/", "--redis", redis_server.url)
        assert again.returncode == ExitCode.OK, again.stderr
        code, _, stderr = finish(queue_worker(redis_server.url, out, "q3"))
        assert code == ExitCode.OK, stderr[-3000:]
    ids = all_ids(finalized(out / "127.0.0.1")) + all_ids(finalized(out / "localhost"))
    assert len(ids) == len(set(ids)) == 200


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "newscrawler.cli", *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


def queue_worker(redis_url: str, out: Path, worker: str) -> subprocess.Popen[str]:
    command = [
        sys.executable, "-m", "newscrawler.cli", "crawl", "--redis", redis_url,
        "--worker-id", worker, "--output-dir", str(out),
        "--allow-private-addresses", "127.0.0.1", "--log-level", "INFO",
        "-s", f"NEWSCRAWLER_REDIS_LEASE_SECONDS={LEASE}", "-s", "AUTOTHROTTLE_ENABLED=False",
    ]  # fmt: skip
    return subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def urls_in(out: Path) -> set[str]:
    files = finalized(out)
    return {article["canonical_url"] for articles in files.values() for article in articles}
