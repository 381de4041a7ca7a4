"""`newscrawler crawl … --redis URL`: the crawl command as one worker of a shared Redis frontier.

- `crawl SITE --redis URL` joins SITE's frontier: start the same command on as many machines as
  you like, they share the site's request queue and seen set and each writes its own file.
- `crawl --redis URL` (no SITE) works through the sites queued by `newscrawler enqueue`, one site
  at a time, each in a fresh process, until the queue is empty.
- With no `--redis` and no REDIS_URL, `crawl` is the ordinary single-machine crawl.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from newscrawler.exitcodes import ExitCode

SPIDER = "news"


def add_redis_arguments(parser: argparse.ArgumentParser) -> None:
    """The distributed-mode options of `crawl`."""
    group = parser.add_argument_group("scale-out (shared Redis frontier)")
    group.add_argument(
        "--redis",
        metavar="URL",
        help="run as a worker of the frontier at redis://host:port/db (default: $REDIS_URL); "
        "without SITE, crawl the sites queued by `newscrawler enqueue`",
    )
    group.add_argument(
        "--worker-id", metavar="ID", help="name in output files and logs (default: host-pid)"
    )


def configured_url(args: argparse.Namespace) -> str | None:
    """--redis, else the REDIS_URL setting/environment variable; None means distributed is off."""
    from scrapy.utils.project import get_project_settings

    from newscrawler.distributed.config import redis_url

    return getattr(args, "redis", None) or redis_url(get_project_settings())


def crawl_distributed(args: argparse.Namespace) -> int | None:
    """Run `crawl` in distributed mode and return its exit code; None when Redis is not configured
    (the caller then runs the ordinary crawl)."""
    from newscrawler.distributed.config import RedisUnavailable, check_redis

    url = configured_url(args)
    if url is None:
        if args.target is None:
            print("newscrawler crawl: SITE_OR_URL is required without --redis", file=sys.stderr)
            return int(ExitCode.USAGE)
        return None
    if getattr(args, "output", None) is not None:
        print(
            "newscrawler crawl: --output cannot be used with --redis (each worker writes its "
            "own file under --output-dir)",
            file=sys.stderr,
        )
        return int(ExitCode.USAGE)
    try:
        check_redis(url)
    except RedisUnavailable as error:
        print(f"newscrawler crawl: {error}", file=sys.stderr)
        return int(ExitCode.REDIS_UNAVAILABLE)
    if args.target is None:
        return work_through_queue(url, args)
    return crawl_site(url, args)


def crawl_site(url: str, args: argparse.Namespace) -> int:
    """One worker on one site's frontier."""
    from newscrawler.cli.crawl import crawl_options
    from newscrawler.distributed.config import RedisUnavailable
    from newscrawler.distributed.run import run_worker
    from newscrawler.profiles.loader import ProfileError

    try:
        options = crawl_options(args, tty=sys.stderr.isatty())
    except (ValueError, ProfileError) as exc:
        print(f"newscrawler crawl: {exc}", file=sys.stderr)
        return int(ExitCode.USAGE)
    try:
        result = run_worker(
            SPIDER,
            redis=url,
            site=options.site,
            output_dir=Path(args.output_dir),
            spider_kwargs=options.spider_kwargs,
            settings=options.settings,
            worker=args.worker_id,
        )
    except RedisUnavailable as error:
        print(f"newscrawler crawl: {error}", file=sys.stderr)
        return int(ExitCode.REDIS_UNAVAILABLE)
    if result.exit_code == ExitCode.REDIS_UNAVAILABLE:
        print(
            "newscrawler crawl: lost Redis during the run; this worker's output was not "
            "delivered (left as .part) and the next run emits it again",
            file=sys.stderr,
        )
    if result.output is not None:
        print(f"Output: {result.output}", flush=True)
    return int(result.exit_code)


def passthrough(args: argparse.Namespace) -> list[str]:
    """The options of this command that each per-site child process must get too."""
    extra = ["--output-dir", str(args.output_dir)]
    for name, flag in (("since", "--since"), ("max_articles", "--max-articles")):
        if getattr(args, name, None):
            extra += [flag, str(getattr(args, name))]
    if getattr(args, "log_level", None):
        extra += ["--log-level", args.log_level]
    if getattr(args, "allow_private_addresses", None):
        extra += ["--allow-private-addresses", str(args.allow_private_addresses)]
    if getattr(args, "state_dir", None):
        extra += ["--state-dir", str(args.state_dir)]
    if getattr(args, "full", False):
        extra.append("--full")
    for name, value in getattr(args, "settings", []):
        extra += ["-s", f"{name}={value}"]
    return extra


def work_through_queue(url: str, args: argparse.Namespace) -> int:
    """Crawl queued sites one after another (a fresh process each) until none is left."""
    from newscrawler.distributed.config import connect, default_worker_id, safe_worker_id
    from newscrawler.distributed.frontier import next_site

    worker = safe_worker_id(args.worker_id or default_worker_id())
    client, worst, done = connect(url), ExitCode.OK, 0
    while (target := next_site(client, SPIDER)) is not None:
        print(f"Worker {worker}: crawling {target}", flush=True)
        command = [sys.executable, "-m", "newscrawler.cli", "crawl", target, "--redis", url]
        command += ["--worker-id", worker, *passthrough(args)]
        code = ExitCode(subprocess.run(command, check=False).returncode)
        done += 1
        if code == ExitCode.REDIS_UNAVAILABLE:
            return int(code)
        if code != ExitCode.OK and worst == ExitCode.OK:
            worst = code
    print(f"Worker {worker}: no queued site left ({done} crawled)", flush=True)
    return int(worst)
