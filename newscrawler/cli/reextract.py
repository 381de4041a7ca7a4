"""`newscrawler reextract ARCHIVE...`: today's extraction on archived responses, no network.

Reads newscrawler's own archives (`crawl --archive`) and Common Crawl (CC-NEWS) WARC files,
streaming, and writes the article JSONL of schema v1. Bad records are skipped, counted and
logged; the summary lists them. See docs/archive.md.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from newscrawler.exitcodes import ExitCode


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "reextract",
        help="re-extract articles from WARC archives (crawl --archive, CC-NEWS) offline",
        description="Run today's extraction on archived responses and write JSON Lines.",
    )
    parser.add_argument("archives", nargs="+", type=Path, metavar="ARCHIVE", help="WARC files")
    parser.add_argument("--output", type=Path, metavar="PATH", help="JSON Lines file to write")
    parser.add_argument(
        "--output-dir", type=Path, default=Path("output"),
        help="default: output/ (output/<site or reextract>/<UTC timestamp>.jsonl)",
    )  # fmt: skip
    parser.add_argument(
        "--site", metavar="PROFILE",
        help="extract with this profile (and keep only its domains); default: the crawl's",
    )  # fmt: skip
    parser.add_argument(
        "--domain", action="append", default=[], metavar="DOMAIN",
        help="keep only pages of this domain and its subdomains (repeatable)",
    )  # fmt: skip
    parser.add_argument(
        "--changed-only", type=Path, metavar="EARLIER_JSONL",
        help="write only articles that differ from this earlier JSONL; count changes per field",
    )  # fmt: skip
    parser.add_argument(
        "--max-size", type=int, metavar="BYTES",
        help="largest body read (default: DOWNLOAD_MAXSIZE of the settings)",
    )  # fmt: skip
    parser.add_argument("--log-level", default="WARNING", help="default WARNING")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from newscrawler.archive.reextract import changes_path, filters_for, reextract
    from newscrawler.paths import output_file
    from newscrawler.profiles.loader import ProfileError
    from newscrawler.runner import effective_settings

    logging.basicConfig(
        level=str(args.log_level).upper(), format="%(levelname)s %(name)s: %(message)s"
    )
    try:
        filters = filters_for(args.site, args.domain)
    except ProfileError as exc:
        print(f"newscrawler reextract: {exc}", file=sys.stderr)
        return int(ExitCode.USAGE)
    if args.changed_only is not None and not args.changed_only.is_file():
        print(f"newscrawler reextract: no such file: {args.changed_only}", file=sys.stderr)
        return int(ExitCode.USAGE)
    max_size = args.max_size or effective_settings().getint("DOWNLOAD_MAXSIZE")
    output = args.output or output_file(args.output_dir, args.site or "reextract")
    try:
        summary = reextract(args.archives, output, filters, max_size, args.changed_only)
    except (OSError, ValueError) as exc:
        print(f"newscrawler reextract: {exc}", file=sys.stderr)
        return int(ExitCode.ERROR)
    for line in summary.lines():
        print(line)
    if args.changed_only is not None:
        print(f"Changes: {changes_path(output)}")
    print(f"Output: {output}")
    unreadable = summary.skipped["not_warc"] + summary.skipped["unreadable"]
    return int(ExitCode.ERROR if unreadable >= summary.archives else ExitCode.OK)
