"""The site lock holds for the whole life of a `newscrawler crawl` run, seen from another process.

POSIX `lockf` locks belong to the process and the file: closing any descriptor of the lock file
drops every lock the process holds on it. The crawl command and the state extension both take the
lock in one process, so a release by the extension must not free the command's lock (issue 18).

The crawl runs in a subprocess under `PROBED_CRAWL`, which asks a third process, the prober, to try
the lock at every Scrapy signal of the run and once more after the crawl returns, just before the
command releases the lock and exits. The prober answers each probe before the run goes on, so the
probes are synchronous points of the run, not samples of a clock.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from newscrawler.demo.server import serve
from newscrawler.exitcodes import ExitCode
from tests.conftest import ROOT
from tests.test_cron import CronPortal, crawl_command

PROBER = """
import sys
from pathlib import Path
from newscrawler.state import SiteLockedError
from newscrawler.state.lock import SiteLock
print("ready", flush=True)
for line in sys.stdin:
    lock = SiteLock(Path(line.strip()))
    try:
        lock.acquire()
    except SiteLockedError:
        print("refused", flush=True)
    else:
        lock.release()
        print("TAKEN", flush=True)
"""

PROBED_CRAWL = """
import json, subprocess, sys
from pathlib import Path
from scrapy import signals
from scrapy.utils.project import get_project_settings
import newscrawler.runner
from newscrawler.cli import main
from newscrawler.signals import feed_finalized

prober_code, state_dir, report = sys.argv[1:4]
prober = subprocess.Popen([sys.executable, "-c", prober_code], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, text=True)
assert prober.stdout.readline().strip() == "ready"
probes = []


def probe(point):
    [lock_file] = Path(state_dir).glob("*.lock")
    prober.stdin.write(f"{lock_file}\\n")
    prober.stdin.flush()
    probes.append([point, prober.stdout.readline().strip()])


SIGNALS = ["engine_started", "spider_opened", "request_reached_downloader", "response_received",
           "item_scraped", "item_dropped", "spider_idle", "spider_closed", "engine_stopped"]


class ProbeEverySignal:
    @classmethod
    def from_crawler(cls, crawler):
        for name in SIGNALS:
            crawler.signals.connect(cls.handler(name), signal=getattr(signals, name), weak=False)
        crawler.signals.connect(cls.handler("feed_finalized"), signal=feed_finalized, weak=False)
        return cls()

    @staticmethod
    def handler(name):
        def on_signal(*args, **kwargs):
            probe(name)
        return on_signal


real_run_crawl = newscrawler.runner.run_crawl


def probed_run_crawl(spider, *, settings, **kwargs):
    probe("before the crawl")
    extensions = get_project_settings().getdict("EXTENSIONS")
    extensions["__main__.ProbeEverySignal"] = 10_000  # connected after the state extension (100)
    result = real_run_crawl(spider, settings={**settings, "EXTENSIONS": extensions}, **kwargs)
    probe("after the crawl, before the command releases the lock")
    return result


newscrawler.runner.run_crawl = probed_run_crawl
code = main(["crawl", *sys.argv[4:]])
Path(report).write_text(json.dumps(probes))
prober.stdin.close()
prober.wait()
sys.exit(code)
"""


def test_another_process_is_refused_the_lock_at_every_point_of_a_crawl_run(
    tmp_path: Path,
) -> None:
    site = CronPortal()
    site.add(*range(1, 6))
    report = tmp_path / "probes.json"
    with serve(site) as base:
        arguments = crawl_command(base, tmp_path)[4:]  # after `python -m newscrawler.cli crawl`
        probed = [sys.executable, "-c", PROBED_CRAWL, PROBER, str(tmp_path / "state"), str(report)]
        run = subprocess.run(
            [*probed, *arguments],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert run.returncode == ExitCode.OK, run.stderr[-3000:]
    probes = json.loads(report.read_text())
    points = {point for point, _ in probes}
    assert points >= {
        "before the crawl",
        "engine_started",
        "spider_opened",
        "item_scraped",
        "feed_finalized",
        "spider_closed",
        "engine_stopped",
        "after the crawl, before the command releases the lock",
    }
    taken = [point for point, answer in probes if answer != "refused"]
    assert taken == [], f"another process took the lock during the run at: {taken}"
