"""Command line of the benchmark: `python -m newscrawler.bench [--corpus DIR] [options]`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from newscrawler.bench.corpus import CorpusError, default_corpus_dir, load_corpus
from newscrawler.bench.report import render, render_worst, summary
from newscrawler.bench.runner import FIELDS, score_corpus, time_corpus
from newscrawler.exitcodes import ExitCode

FIELD_CHOICES = (*FIELDS, "date")


DESCRIPTION = (
    "Score generic extraction (no profile) on a labelled corpus and time it against a bare "
    "lxml parse of the same pages."
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m newscrawler.bench", description=DESCRIPTION)
    add_arguments(parser)
    return parser


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The benchmark's options (shared by `python -m newscrawler.bench` and `newscrawler bench`)."""
    parser.add_argument(
        "--corpus",
        type=Path,
        default=None,
        help="corpus folder with expected.jsonl (default: ../shared/corpus next to the repository)",
    )
    parser.add_argument(
        "--field",
        action="append",
        choices=FIELD_CHOICES,
        default=None,
        help="score only this field (repeatable; 'date' = day and minute)",
    )
    parser.add_argument(
        "--json",
        type=Path,
        default=None,
        metavar="PATH",
        help="also write machine-readable results to PATH ('-' for stdout)",
    )
    parser.add_argument(
        "--per-page",
        nargs="?",
        type=int,
        const=10,
        default=0,
        metavar="N",
        help="list the N worst pages per field (default 10)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        metavar="N",
        help="timed passes after the scoring pass (0 = no timing; default 1)",
    )
    parser.add_argument(
        "--limit", type=int, default=None, metavar="N", help="only the first N pages of the corpus"
    )


def _fields(chosen: list[str] | None) -> list[str]:
    if not chosen:
        return list(FIELDS)
    names = {n for c in chosen for n in (("date_day", "date_minute") if c == "date" else (c,))}
    return [f for f in FIELDS if f in names]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; exit 0, or 2 with a one-line error for a missing or bad corpus."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    return run(args)


def run(args: argparse.Namespace) -> int:
    """Run the benchmark with parsed options (see `add_arguments`)."""
    corpus = args.corpus or default_corpus_dir()
    try:
        pages = load_corpus(corpus, limit=args.limit)
    except CorpusError as exc:
        print(f"newscrawler.bench: {exc}", file=sys.stderr)
        return ExitCode.USAGE
    if not pages:
        print(f"newscrawler.bench: no pages in {corpus}", file=sys.stderr)
        return ExitCode.USAGE
    fields = _fields(args.field)
    results = score_corpus(pages)
    timing = time_corpus(pages, repeat=args.repeat).summary() if args.repeat > 0 else {}
    report = summary(results, timing, fields)
    if args.json is not None:
        text = json.dumps(report, ensure_ascii=False, indent=1)
        if str(args.json) == "-":
            print(text)
            return ExitCode.OK
        args.json.write_text(text + "\n", encoding="utf-8")
    print(f"corpus: {corpus}")
    print(render(report))
    if args.per_page:
        print()
        print(render_worst(results, fields, args.per_page))
    return ExitCode.OK


if __name__ == "__main__":
    sys.exit(main())
