"""`newscrawler bench`: score extraction on a labelled corpus (see newscrawler.bench)."""

from __future__ import annotations

import argparse
from typing import Any

from newscrawler.bench.cli import DESCRIPTION, add_arguments, run

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the `bench` subcommand (same options as `python -m newscrawler.bench`)."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "bench", help="score extraction on a labelled corpus", description=DESCRIPTION
    )
    add_arguments(parser)
    parser.set_defaults(func=run)
