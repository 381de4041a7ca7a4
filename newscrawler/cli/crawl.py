"""`newscrawler crawl SITE_OR_URL`: run the `news` spider on one portal into a JSON Lines file.

Thin on purpose: arguments are validated here, turned into spider arguments and settings, and
handed to `newscrawler.runner.run_crawl`. Scheduled-run options build on `crawl_options`.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newscrawler.cli.state import add_state_dir_argument, default_state_dir
from newscrawler.distributed.cli import add_redis_arguments, crawl_distributed
from newscrawler.exitcodes import ExitCode, exit_code_table


@dataclass
class CrawlOptions:
    """What one crawl needs: spider arguments, setting overrides, output file."""

    site: str
    spider_kwargs: dict[str, Any] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    output: Path | None = None


def is_url(value: str) -> bool:
    """A URL (or bare host such as example.com) rather than a profile name.

    >>> is_url("https://ex.com/"), is_url("www.ex.com"), is_url("demo"), is_url("my.toml")
    (True, True, False, False)
    """
    return "://" in value or ("." in value and not value.endswith(".toml"))


def _setting(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return name, value


def _positive(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return number


def _since(text: str) -> str:
    from newscrawler.discovery.dates import parse_since

    try:
        parse_since(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def _allowlist(text: str) -> str:
    """--allow-private-addresses value: IPs/networks, comma-separated, or "*" (all)."""
    from newscrawler.security import parse_allowlist

    try:
        parse_allowlist(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def state_settings(args: argparse.Namespace, site: str) -> dict[str, Any]:
    """Scheduled-run settings: state on, its directory, --full, the site it belongs to."""
    return {
        "NEWSCRAWLER_STATE_ENABLED": True,
        "NEWSCRAWLER_STATE_DIR": str(args.state_dir or default_state_dir()),
        "NEWSCRAWLER_FULL": bool(args.full),
        "NEWSCRAWLER_SITE": site,
    }


def check_writable(directory: Path) -> None:
    """Fail before crawling when the output directory cannot be created or written."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ValueError(f"output directory {directory} cannot be created: {exc}") from None
    if not os.access(directory, os.W_OK | os.X_OK):
        raise ValueError(f"output directory {directory} is not writable")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "crawl",
        help="crawl a portal (profile name or URL) into output/<site>/<UTC timestamp>.jsonl",
        description="Discover and extract the articles of one portal with the `news` spider.",
        epilog=exit_code_table(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "target", nargs="?", metavar="SITE_OR_URL", help="profile name, profile .toml, or URL"
    )  # optional only with --redis: the worker then crawls the sites `enqueue` queued
    parser.add_argument("--url", help="start URL overriding the profile's (with a profile name)")
    parser.add_argument("--since", type=_since, help="skip articles published before this date")
    parser.add_argument("--max-articles", type=_positive, metavar="N", help="stop after N articles")
    parser.add_argument("--output", type=Path, metavar="PATH", help="JSON Lines file to write")
    parser.add_argument(
        "--output-dir",
        type=Path,
        default=Path("output"),
        help="default: output/ (when no --output)",
    )
    parser.add_argument(
        "--log-level", help="Scrapy log level (default WARNING on a terminal, else INFO)"
    )
    parser.add_argument(
        "--allow-private-addresses", type=_allowlist, metavar="ADDRESSES",
        help="let the SSRF guard fetch these loopback/private addresses or networks, e.g. "
        "127.0.0.1 or 10.0.0.0/8,::1 ('*' for all); default: public addresses only",
    )  # fmt: skip
    # scheduled runs (issue 6): incremental state, lock, exactly-once delivery
    add_state_dir_argument(parser)
    parser.add_argument(
        "--archive", action="store_true",
        help="keep every response in output/<site>/archive/<timestamp>.warc.gz (docs/archive.md)",
    )  # fmt: skip
    parser.add_argument(
        "--full", action="store_true", help="ignore the state for this run: fetch and emit all"
    )
    parser.add_argument(
        "-s", "--set", dest="settings", action="append", type=_setting, default=[],
        metavar="NAME=VALUE", help="Scrapy/newscrawler setting (repeatable)",
    )  # fmt: skip
    add_redis_arguments(parser)  # scale-out (issue 7): --redis URL, --worker-id
    parser.set_defaults(func=run)


def crawl_options(args: argparse.Namespace, *, tty: bool) -> CrawlOptions:
    """Validate the arguments (profile exists, URL well-formed) into CrawlOptions.

    Raises ValueError with a message for the user.
    """
    from newscrawler.feeds import part_path
    from newscrawler.paths import output_file
    from newscrawler.profiles.loader import host_of, load_profile
    from newscrawler.runner import crawl_settings
    from newscrawler.settings_check import check_settings
    from newscrawler.spiders.common import resolve_profile, start_url
    from newscrawler.urls import web_url_problem

    target: str = args.target
    kwargs: dict[str, Any] = {}
    url: str | None = args.url
    if is_url(target):
        url = target if "://" in target else f"https://{target}"
    else:
        load_profile(target)  # fails early, naming the file and key
        kwargs["site"] = target
    if url:
        problem = web_url_problem(url)
        if problem:
            raise ValueError(problem)
        kwargs["url"] = url
    profile = resolve_profile(kwargs.get("site"), url)
    start_url(profile, url)  # fails early when there is nowhere to start
    site = profile.name if profile else host_of(url or "") or target
    if args.since:
        kwargs["since"] = args.since
    if args.max_articles:
        kwargs["max_articles"] = args.max_articles
    settings: dict[str, Any] = {
        "NEWSCRAWLER_PROGRESS": "tty" if tty else "log",
        "LOG_LEVEL": args.log_level or ("WARNING" if tty else "INFO"),
    }
    settings.update(state_settings(args, site))
    if getattr(args, "allow_private_addresses", None):
        settings["NEWSCRAWLER_ALLOW_PRIVATE_ADDRESSES"] = args.allow_private_addresses
    if getattr(args, "archive", False):
        settings["NEWSCRAWLER_ARCHIVE"] = "1"  # next to the feed (newscrawler.archive)
    settings.update(dict(args.settings))
    for warning in check_settings(crawl_settings(settings), settings):  # SettingError: exit 2
        print(f"newscrawler crawl: warning: {warning}", file=sys.stderr)
    output = args.output or output_file(args.output_dir, site)
    while not args.output and (output.exists() or part_path(output).exists()):
        time.sleep(0.2)  # names are per-second timestamps: never reuse an earlier run's file
        output = output_file(args.output_dir, site)
    check_writable(output.parent)
    return CrawlOptions(site=site, spider_kwargs=kwargs, settings=settings, output=output)


def run(args: argparse.Namespace) -> int:
    from newscrawler.profiles.loader import ProfileError
    from newscrawler.runner import run_crawl, use_project_settings
    from newscrawler.state import SiteLockedError, StateError, preflight

    use_project_settings()  # before crawl_distributed, which reads REDIS_URL from the settings
    distributed = crawl_distributed(args)  # --redis or REDIS_URL: a worker of a shared frontier
    if distributed is not None:
        return distributed
    try:
        options = crawl_options(args, tty=sys.stderr.isatty())
    except (ValueError, ProfileError) as exc:
        print(f"newscrawler crawl: {exc}", file=sys.stderr)
        return int(ExitCode.USAGE)
    try:  # one run per site: take the lock before Scrapy starts, so a second run exits at once
        lock = preflight(Path(options.settings["NEWSCRAWLER_STATE_DIR"]), options.site)
    except SiteLockedError as exc:
        print(f"newscrawler crawl: another run of {options.site} is in progress: {exc}",
              file=sys.stderr)  # fmt: skip
        return int(ExitCode.LOCKED)
    except StateError as exc:
        print(f"newscrawler crawl: {exc}", file=sys.stderr)
        return int(ExitCode.ERROR)
    except OSError as exc:
        print(f"newscrawler crawl: state directory unusable: {exc}", file=sys.stderr)
        return int(ExitCode.USAGE)
    try:
        result = run_crawl(
            "news",
            spider_kwargs=options.spider_kwargs,
            settings=options.settings,
            output=options.output,
        )
    finally:
        lock.release()
    report_end(result, options, sys.stderr)
    if result.stats.get("newscrawler/archive/file"):
        print(f"Archive: {result.stats['newscrawler/archive/file']}")
    if result.output is not None:
        print(f"Output: {result.output}")
    return int(result.exit_code)


def report_end(result: Any, options: CrawlOptions, stream: Any) -> None:
    """The run summary when the log did not show it (a terminal logs at WARNING), then, for a
    failed run, one line with the exit code's name and the reason: what cron mails show."""
    from newscrawler.report import stats_path, summary

    shown = logging.getLevelName(str(options.settings.get("LOG_LEVEL", "INFO")).upper())
    path = stats_path(options.output) if options.output is not None else None
    if isinstance(shown, int) and path is not None and path.is_file():
        report = json.loads(path.read_text(encoding="utf-8"))
        failed = report["quality"]["failures"] or report.get("failed")
        if shown > (logging.WARNING if failed else logging.INFO):  # RunReport's log level
            print(summary(report), file=stream)
    if result.exit_code != ExitCode.OK and result.reason:
        name = ExitCode(result.exit_code).name
        print(f"newscrawler crawl: {name} (exit {int(result.exit_code)}): {result.reason}",
              file=stream)  # fmt: skip
