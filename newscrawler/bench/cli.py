"""Command line of the benchmark: `python -m newscrawler.bench [--corpus DIR]... [options]`.

Without --corpus both shared corpora are scored (the news corpus and WCXB's development split),
one after the other, each with its own timing ratio. `--json` writes one report object for a
single corpus, else {"corpora": [report, ...]}; with --halves each report has a "halves" key.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from newscrawler.bench.chance import chance_gaps
from newscrawler.bench.corpus import CorpusError, default_corpus_dirs, load_corpus
from newscrawler.bench.report import halves, render, render_halves, render_worst, summary
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
        action="append",
        default=None,
        help="corpus folder with expected.jsonl (repeatable; default: ../shared/corpus and "
        "../shared/wcxb-dev next to the repository, those that exist)",
    )
    parser.add_argument(
        "--halves",
        action="store_true",
        help="also split each corpus by site into two halves and print them side by side",
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


def _corpora(chosen: list[Path] | None) -> list[Path]:
    """The corpora to score: those named, else the default ones that exist (at least the first,
    so a machine without any corpus gets the usual clear error)."""
    if chosen:
        return chosen
    defaults = default_corpus_dirs()
    present = [c for c in defaults if c.is_dir()]
    return present or defaults[:1]


def run(args: argparse.Namespace) -> int:
    """Run the benchmark with parsed options (see `add_arguments`)."""
    corpora = _corpora(args.corpus)
    loaded = []
    for corpus in corpora:  # all are read before any is scored: a bad one fails fast
        try:
            pages = load_corpus(corpus, limit=args.limit)
        except CorpusError as exc:
            print(f"newscrawler.bench: {exc}", file=sys.stderr)
            return ExitCode.USAGE
        if not pages:
            print(f"newscrawler.bench: no pages in {corpus}", file=sys.stderr)
            return ExitCode.USAGE
        loaded.append((corpus, pages))
    fields = _fields(args.field)
    reports: list[dict[str, Any]] = []
    quiet = args.json is not None and str(args.json) == "-"  # stdout carries the JSON alone
    for number, (corpus, pages) in enumerate(loaded):
        results = score_corpus(pages)
        timing = time_corpus(pages, repeat=args.repeat) if args.repeat > 0 else None
        report = summary(results, timing.summary() if timing else {}, fields, corpus=str(corpus))
        printed = ([""] if number else []) + [f"corpus: {corpus}", render(report)]
        if args.halves:
            report["halves"] = halves(results, timing, fields)
            report["halves_chance"] = chance_gaps(results, fields)
            printed += ["", render_halves(report["halves"], report["halves_chance"])]
        if args.per_page:
            printed += ["", render_worst(results, fields, args.per_page)]
        if not quiet:
            print("\n".join(printed), flush=True)  # each corpus as soon as it is done
        reports.append(report)
    if args.json is not None:
        data = reports[0] if len(reports) == 1 else {"corpora": reports}
        text = json.dumps(data, ensure_ascii=False, indent=1)
        if quiet:
            print(text)
        else:
            args.json.write_text(text + "\n", encoding="utf-8")
    return ExitCode.OK


if __name__ == "__main__":
    sys.exit(main())
