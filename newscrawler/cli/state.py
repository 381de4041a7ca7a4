"""`newscrawler state`: look at or forget what scheduled runs remember about a site."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

from newscrawler.exitcodes import ExitCode

STATE_DIR_ENV = "NEWSCRAWLER_STATE_DIR"


def default_state_dir() -> Path:
    """`$NEWSCRAWLER_STATE_DIR`, else `.newscrawler/state/` (relative to the working directory)."""
    return Path(os.environ.get(STATE_DIR_ENV) or ".newscrawler/state")


def add_state_dir_argument(parser: argparse.ArgumentParser) -> None:
    """The `--state-dir` option, shared with `newscrawler crawl`."""
    parser.add_argument(
        "--state-dir",
        type=Path,
        default=None,
        help=f"where per-site state lives (default: ${STATE_DIR_ENV} or .newscrawler/state/)",
    )


def site_of(site_or_url: str) -> str:
    """The state's name for a site: the name itself, or a URL's host without `www.`.

    >>> site_of("https://www.example.com/news/")
    'example.com'
    >>> site_of("demo")
    'demo'
    """
    host = urlsplit(site_or_url).hostname if "://" in site_or_url else None
    return host.removeprefix("www.") if host else site_or_url


def forget(path: Path) -> None:
    """Remove a site's state file with its WAL files (works for unreadable or old files too)."""
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def print_templates(rows: list[tuple[str, int, int, int]]) -> None:
    """The URL templates runs learned (newscrawler.discovery.templates), most seen first."""
    from newscrawler.discovery.templates import TemplateBook

    book = TemplateBook.from_rows(rows)
    print(f"URL templates learned: {len(book.shapes)}")
    for line in book.describe():
        print(f"  {line}")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("state", help="show or reset what scheduled runs remember")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    for name, text in (
        ("reset", "forget a site: its next run emits every article again, as revision 1"),
        ("show", "known articles and learned URL templates (works while a run is in progress)"),
    ):
        action = actions.add_parser(name, help=text)
        action.add_argument("site", metavar="SITE", help="site name (or a URL of the site)")
        add_state_dir_argument(action)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from newscrawler.state import SiteLockedError, StateError, lock_for, open_store, store_path

    state_dir = args.state_dir or default_state_dir()
    site = site_of(args.site)
    path = store_path(state_dir, site)
    if not path.exists():
        print(f"No state for {site} in {state_dir}/ (nothing to {args.action})")
        return int(ExitCode.OK)
    try:
        if args.action == "show":  # read-only: WAL lets it read while a run writes
            store = open_store(state_dir, site)
            try:
                known, judged = store.count(), store.count_not_articles()
                print(
                    f"{site}: {known} articles known, {judged} listed pages remembered"
                    f" as no article ({path})"
                )
                print_templates(store.templates())
            finally:
                store.close()
        else:
            with lock_for(state_dir, site):
                forget(path)
                print(f"Forgot everything about {site} ({path} removed)")
    except SiteLockedError as exc:
        message = f"a run of {site} is in progress: {exc}"
        print(f"newscrawler state {args.action}: {message}", file=sys.stderr)
        return int(ExitCode.LOCKED)
    except (OSError, StateError) as exc:
        print(f"newscrawler state {args.action}: {exc}", file=sys.stderr)
        return int(ExitCode.ERROR)
    return int(ExitCode.OK)
