"""Page-kind benchmark: is a page one article? Today's crawl decision beside the new verdict.

`python -m newscrawler.bench.pagekind [--corpus DIR ...] [--halves] [--worst N]`

Every page of a labelled corpus is judged twice:
- "today": the decision as the spider composed it before the verdict existed (classify_url, then
  page_signal, then is_article with the extracted body's length);
- "verdict": extraction.pagekind.judge_page with the same body length.
The true kind is the corpus's `page_type` (article when a corpus has none, as the news corpus).
Printed per corpus: a confusion table (true type x decision) and the three goal figures (article
recall; listing and collection pages judged articles; all non-articles judged articles), for all
pages and, with --halves, for each half of the sites (a stable hash of the domain): develop a
rule on one half, keep it only if the other agrees. Also the verdict's cost beside a bare lxml
parse of the same pages.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
from parsel import Selector

from newscrawler.bench.corpus import CorpusError, CorpusPage, default_corpus_dir, load_corpus
from newscrawler.discovery.classify import Kind, classify_url, is_article, page_signal
from newscrawler.exitcodes import ExitCode
from newscrawler.extraction.article import extract_article
from newscrawler.extraction.pagekind import PageVerdict, judge_page
from newscrawler.extraction.parsing import parse_page

DECISIONS = ("article", "listing", "other")
GROUPED = ("listing", "collection")


@dataclass(frozen=True)
class Judged:
    """One page: its true type, site half, today's decision and the new verdict."""

    file: str
    url: str | None
    page_type: str
    half: str
    today: bool
    verdict: PageVerdict
    verdict_ms: float
    parse_ms: float


def site_half(domain: str) -> str:
    """ "A" or "B" by a stable hash of the domain, so one site never spans both halves.

    >>> site_half("www.example.com") == site_half("example.com")
    True
    """
    domain = domain.lower().removeprefix("www.")
    return "AB"[hashlib.sha256(domain.encode()).digest()[0] % 2]


def page_domain(page: CorpusPage) -> str:
    """The corpus's `domain`, else the host of the page's URL."""
    return str(page.expected.get("domain") or urlsplit(page.url or "").hostname or page.file)


def today_decision(tree: lxml.html.HtmlElement, url: str | None, body_length: int) -> bool:
    """The spider's decision before the verdict (spiders/news.py parse_page, as composed)."""
    url_kind = classify_url(url) if url else Kind.UNKNOWN
    signal = page_signal(Selector(root=tree, type="html"))
    if url_kind is Kind.LISTING or signal is Kind.LISTING:
        return False
    return is_article(url_kind, signal, body_length)


def judge_corpus(pages: Iterable[CorpusPage]) -> list[Judged]:
    """Judge every page (extraction gives the body length both decisions use)."""
    judged = []
    for page in pages:
        start = time.perf_counter()
        lxml.html.document_fromstring(page.html)
        parse_ms = (time.perf_counter() - start) * 1000
        tree = parse_page(page.html)
        body = "" if tree is None else extract_article(tree, page.url, now=page.crawled_at)["body"]
        start = time.perf_counter()
        verdict = judge_page(
            tree if tree is not None else page.html, page.url, body_length=len(body or "")
        )
        verdict_ms = (time.perf_counter() - start) * 1000
        today = tree is not None and today_decision(tree, page.url, len(body or ""))
        page_type = str(page.expected.get("page_type") or "article")
        judged.append(
            Judged(
                page.file,
                page.url,
                page_type,
                site_half(page_domain(page)),
                today,
                verdict,
                verdict_ms,
                parse_ms,
            )
        )
    return judged


def figures(rows: Sequence[Judged], decide: str) -> dict[str, float]:
    """Article recall, listing+collection judged article, non-articles judged article."""

    def said_article(row: Judged) -> bool:
        return row.today if decide == "today" else row.verdict.is_article

    def share(selected: list[Judged]) -> float:
        return sum(map(said_article, selected)) / len(selected) if selected else float("nan")

    return {
        "article recall": share([r for r in rows if r.page_type == "article"]),
        "listing+collection as article": share([r for r in rows if r.page_type in GROUPED]),
        "non-article as article": share([r for r in rows if r.page_type != "article"]),
    }


def confusion(rows: Sequence[Judged]) -> str:
    """A table: true page type x (today article / not, verdict article / listing / other)."""
    types = sorted({r.page_type for r in rows}, key=lambda t: (t != "article", t))
    head = f"| page type | pages | today: article | verdict: {' | verdict: '.join(DECISIONS)} |"
    lines = [head, "|" + "---|" * (3 + len(DECISIONS))]
    for page_type in types:
        selected = [r for r in rows if r.page_type == page_type]
        kinds = Counter(r.verdict.kind for r in selected)
        cells = [str(len(selected)), _pct(sum(r.today for r in selected), len(selected))]
        cells += [_pct(kinds[k], len(selected)) for k in DECISIONS]
        lines.append(f"| {page_type} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _pct(count: int, total: int) -> str:
    return f"{count} ({100 * count / total:.0f} %)" if total else "-"


def goal_table(groups: dict[str, Sequence[Judged]]) -> str:
    """The goal figures, today and verdict, for each group of pages (all, half A, half B)."""
    names = list(groups)
    lines = [
        "| figure | goal | " + " | ".join(f"today {n} | verdict {n}" for n in names) + " |",
        "|" + "---|" * (2 + 2 * len(names)),
    ]
    goals = {"article recall": "≥ 0.95", "listing+collection as article": "≤ 0.05",
             "non-article as article": "≤ 0.10"}  # fmt: skip
    today = {n: figures(rows, "today") for n, rows in groups.items()}
    verdict = {n: figures(rows, "verdict") for n, rows in groups.items()}
    for figure, goal in goals.items():
        cells = [f"{today[n][figure]:.3f} | {verdict[n][figure]:.3f}" for n in names]
        lines.append(f"| {figure} | {goal} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def worst(rows: Sequence[Judged], count: int) -> str:
    """The misjudged pages, most confident mistakes first (for development, not for tuning to)."""
    wrong = [r for r in rows if r.verdict.is_article != (r.page_type == "article")]
    wrong.sort(key=lambda r: -abs(r.verdict.confidence - 0.5))
    return "\n".join(
        f"{r.page_type:>13} {r.verdict.kind:>7} {r.verdict.confidence:.2f} {r.half} {r.file} "
        f"{r.url}\n{'':>14}{'; '.join(r.verdict.reasons)}"
        for r in wrong[:count]
    )


def report(name: str, rows: Sequence[Judged], *, halves: bool, worst_count: int = 0) -> str:
    """The printed report of one corpus."""
    groups: dict[str, Sequence[Judged]] = {"all": rows}
    if halves:
        groups |= {half: [r for r in rows if r.half == half] for half in "AB"}
    verdict_ms = sum(r.verdict_ms for r in rows) / len(rows)
    parse_ms = sum(r.parse_ms for r in rows) / len(rows)
    parts = [
        f"## Page kind on {name} ({len(rows)} pages)",
        confusion(rows),
        "",
        goal_table(groups),
        "",
        f"verdict {verdict_ms:.2f} ms/page mean, {verdict_ms / parse_ms:.2f}x a bare lxml parse "
        f"({parse_ms:.2f} ms); the body length comes from extraction, already paid for",
    ]
    if worst_count:
        parts += ["", worst(rows, worst_count)]
    return "\n".join(parts)


def default_corpora() -> list[Path]:
    base = default_corpus_dir()
    return [p for p in (base.parent / "wcxb-dev", base) if (p / "expected.jsonl").is_file()]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m newscrawler.bench.pagekind", description=__doc__
    )
    parser.add_argument(
        "--corpus",
        type=Path,
        action="append",
        default=None,
        help="corpus folder (repeatable; default: ../shared/wcxb-dev and ../shared/corpus)",
    )
    parser.add_argument("--halves", action="store_true", help="figures per half of the sites too")
    parser.add_argument("--worst", type=int, default=0, metavar="N", help="list N misjudged pages")
    parser.add_argument("--half", choices=("A", "B"), default=None, help="judge only this half")
    parser.add_argument("--limit", type=int, default=None, help="first N pages of each corpus")
    args = parser.parse_args(argv)
    corpora = args.corpus or default_corpora()
    if not corpora:
        print("no corpus found: pass --corpus DIR", file=sys.stderr)
        return int(ExitCode.USAGE)
    for corpus in corpora:
        try:
            pages = load_corpus(corpus, limit=args.limit)
        except CorpusError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return int(ExitCode.USAGE)
        if args.half:
            pages = [p for p in pages if site_half(page_domain(p)) == args.half]
        rows = judge_corpus(pages)
        print(report(corpus.name, rows, halves=args.halves, worst_count=args.worst))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
