"""The `newscrawler` command: one subcommand per module in this package.

Each subcommand module exposes `register(subparsers)`, which adds its parser and sets
`func=run` where `run(args) -> int` returns the process exit code.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from newscrawler import __version__

# Subcommand modules, in the order `newscrawler --help` lists them.
SUBCOMMANDS = ("demo", "crawl", "extract", "reextract", "sites", "state", "enqueue", "bench")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newscrawler", description="Turn news portals into clean JSON Lines datasets."
    )
    parser.add_argument("--version", action="version", version=f"newscrawler {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in SUBCOMMANDS:
        importlib.import_module(f"newscrawler.cli.{name}").register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
