"""`make bench-scale`: articles/s with 1 and with 2 workers on the same local portal, and the ratio.

Starts a private redis-server (unix socket in a temporary directory, no persistence), serves the
synthetic N-article portal on 127.0.0.1 port 0, and runs `newscrawler crawl URL --redis` workers
as separate processes: first one, then two (Redis flushed in between, so both runs do the same
work), twice by default, keeping the best run of each (neighbours on a shared machine only ever
slow a run down). Throughput is articles delivered / crawl time, the crawl time running from the
first worker's start to the last worker's finish as their run reports record them (interpreter
start-up is left out: it does not grow with the portal); wall-clock times are printed as well,
and the workers' CPU time per article, which shows the cost of coordination whatever else runs.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from newscrawler.demo.server import serve
from newscrawler.distributed.portal import SyntheticPortal

TARGET_RATIO = 1.7
LOG_LEVEL = os.environ.get("BENCH_LOG", "INFO")  # the workers' logs stay in the temporary dir


@dataclass(frozen=True)
class Round:
    """What one run of W workers achieved."""

    workers: int
    articles: int
    crawl_seconds: float
    wall_seconds: float
    cpu_seconds: float  # user + system time of the worker processes

    @property
    def rate(self) -> float:
        return self.articles / self.crawl_seconds if self.crawl_seconds > 0 else 0.0


class PrivateRedis:
    """A throw-away redis-server on a unix socket (TCP off, so no port to collide on)."""

    def __init__(self, directory: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise SystemExit(
                "bench-scale needs redis-server: apt-get install redis-server (Debian/Ubuntu)"
            )
        self.socket = directory / "redis.sock"
        self.url = f"unix://{self.socket}?db=0"
        self.process = subprocess.Popen(
            [binary, "--port", "0", "--unixsocket", str(self.socket), "--dir", str(directory),
             "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self._wait()

    def _wait(self) -> None:
        import redis

        for _ in range(400):
            try:
                redis.Redis.from_url(self.url).ping()
                return
            except (redis.ConnectionError, FileNotFoundError):
                time.sleep(0.05)
        raise SystemExit("redis-server did not start")

    def flush(self) -> None:
        import redis

        redis.Redis.from_url(self.url).flushall()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def run_round(workers: int, redis_url: str, base: str, out: Path, log: Path) -> Round:
    """Run `workers` worker processes to the end of the round; read their run reports."""
    started, cpu_before = time.monotonic(), _children_cpu()
    processes = []
    for n in range(1, workers + 1):
        command = [
            sys.executable, "-m", "newscrawler.cli", "crawl", f"{base}/",
            "--redis", redis_url, "--worker-id", f"w{n}", "--output-dir", str(out),
            "--allow-private-addresses", "127.0.0.1", "--log-level", LOG_LEVEL,
            "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16",
        ]  # fmt: skip
        with (log / f"{workers}w-w{n}.log").open("w") as err:
            processes.append(subprocess.Popen(command, stdout=err, stderr=err))
    codes = [process.wait() for process in processes]
    wall = time.monotonic() - started
    if any(code not in (0, 3) for code in codes):  # 3: the quality gate, irrelevant here
        raise SystemExit(f"a worker failed (exit codes {codes}); logs in {log}")
    reports = [json.loads(path.read_text()) for path in out.rglob("*.stats.json")]
    articles = sum(int(report["articles"]["emitted"]) for report in reports)
    start = min(datetime.fromisoformat(report["started_at"]) for report in reports)
    finish = max(datetime.fromisoformat(report["finished_at"]) for report in reports)
    cpu = _children_cpu() - cpu_before
    return Round(workers, articles, (finish - start).total_seconds(), wall, cpu)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000, help="portal size (2000)")
    parser.add_argument(
        "--repeat", type=int, default=2, help="runs per worker count; the best is kept (2)"
    )
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    if load > 0.5:
        print(
            f"warning: load average {load:.1f} before the bench: other processes share the "
            f"{os.cpu_count()} CPUs, so the figures (the ratio above all) are pessimistic"
        )
    rounds = measure(SyntheticPortal(args.articles), max(args.repeat, 1))
    best = {n: max((r for r in rounds if r.workers == n), key=lambda r: r.rate) for n in (1, 2)}
    for result in best.values():
        print(
            f"{result.workers} worker{'s' if result.workers > 1 else ' '}: "
            f"{result.articles} articles in {result.crawl_seconds:.1f} s crawl "
            f"({result.wall_seconds:.1f} s wall): {result.rate:.1f} articles/s; "
            f"worker CPU {result.cpu_seconds:.1f} s "
            f"({1000 * result.cpu_seconds / max(result.articles, 1):.1f} ms/article)"
        )
    ratio = best[2].rate / best[1].rate if best[1].rate else 0.0
    verdict = "meets" if ratio >= TARGET_RATIO else "below"
    print(f"ratio 2 workers / 1 worker: {ratio:.2f} ({verdict} the {TARGET_RATIO} target)")
    complete = all(result.articles == args.articles for result in rounds)
    if not complete:
        print("ERROR: a round did not deliver every article exactly once", file=sys.stderr)
    return 0 if complete else 1


def measure(portal: SyntheticPortal, repeat: int) -> list[Round]:
    """1 worker then 2 workers, `repeat` times, each run on a flushed Redis."""
    rounds: list[Round] = []
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        work = Path(tmp)
        redis = PrivateRedis(work)
        try:
            with serve(portal) as base:
                for attempt in range(repeat):
                    for workers in (1, 2):
                        redis.flush()
                        out = work / f"{attempt}-{workers}w"
                        rounds.append(run_round(workers, redis.url, base, out, work))
        finally:
            redis.stop()
    return rounds


if __name__ == "__main__":
    sys.exit(main())
