"""Page-kind benchmark: is a page one article? Today's crawl decision beside the new verdict.

`python -m newscrawler.bench.pagekind [--corpus DIR ...] [--halves] [--worst N]`, and a section
of `make bench` (bench/sections.py picks up SECTION).

Every page of a labelled corpus is judged twice:
- "today": the decision as the spider composed it before the verdict existed (classify_url, then
  page_signal, then is_article with the extracted body's length);
- "verdict": extraction.pagekind.judge_page, given extraction's article as extract_page gives it;
- with --spider, also "spider": what the news spider decides now (spiders/judge.py, run on the
  page as a Scrapy response; it extracts the page again, so it is not part of `make bench`).
The true kind is the corpus's `page_type` (article when a corpus has none, as the news corpus).
Printed per corpus: a confusion table (true type x decision) and the three goal figures (article
recall; listing and collection pages judged articles; all non-articles judged articles), for all
pages and, with --halves, for each half of the sites (bench.corpus.site_half): develop a rule on
one half, keep it only if the other agrees. The standalone command also times the verdict beside
a bare lxml parse of the same pages, in CPU time.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import lxml.html
from parsel import Selector

from newscrawler.bench.corpus import (
    HALVES,
    CorpusError,
    CorpusPage,
    default_corpus_dirs,
    load_corpus,
)
from newscrawler.discovery.classify import Kind, classify_url, is_article, page_signal
from newscrawler.exitcodes import ExitCode
from newscrawler.extraction.article import extract_article
from newscrawler.extraction.pagekind import PageVerdict, judge_page
from newscrawler.extraction.parsing import parse_page

if TYPE_CHECKING:
    from newscrawler.bench.runner import PageResult

DECISIONS = ("article", "listing", "other")
GROUPED = ("listing", "collection")
GOALS = {
    "article recall": "≥ 0.95",
    "listing+collection judged article": "≤ 0.05",
    "non-articles judged article": "≤ 0.10",
}


@dataclass(frozen=True)
class Judged:
    """One page: its true type, site half, today's decision and the new verdict."""

    file: str
    url: str | None
    page_type: str
    half: str
    today: bool
    verdict: PageVerdict
    spider: bool | None = None


def today_decision(tree: lxml.html.HtmlElement, url: str | None, body_length: int) -> bool:
    """The spider's decision before the verdict (spiders/news.py parse_page, as composed)."""
    url_kind = classify_url(url) if url else Kind.UNKNOWN
    signal = page_signal(Selector(root=tree, type="html"))
    if url_kind is Kind.LISTING or signal is Kind.LISTING:
        return False
    return is_article(url_kind, signal, body_length)


def spider_decision(page: CorpusPage) -> bool:
    """Whether the news spider emits the page as an article (spiders/judge.py, no profile)."""
    from scrapy.http import HtmlResponse

    from newscrawler.spiders.judge import ARTICLE
    from newscrawler.spiders.judge import judge as spider_judge

    url = page.url or "http://localhost/page"
    response = HtmlResponse(url, body=page.html.encode("utf-8"), encoding="utf-8")
    return spider_judge(response, None).kind == ARTICLE


def judge(
    page: CorpusPage, article: Mapping[str, Any] | None = None, *, spider: bool = False
) -> Judged:
    """The decisions on one page; `article` is extraction's result (extracted here if None)."""
    tree = parse_page(page.html)
    if tree is None:
        verdict, today = PageVerdict("other", 0.0, ("no document",)), False
    else:
        if article is None:
            article = extract_article(tree, page.url, now=page.crawled_at)
        verdict = judge_page(tree, page.url, article=article)
        today = today_decision(tree, page.url, len(article.get("body") or ""))
    page_type = page.page_type or "article"
    by_spider = spider_decision(page) if spider else None
    return Judged(page.file, page.url, page_type, page.half, today, verdict, by_spider)


def tally(rows: Sequence[Judged]) -> dict[str, Any]:
    """JSON-ready counts per true type and the goal figures, today and verdict."""
    types: dict[str, dict[str, int]] = {}
    for row in rows:
        counts = types.setdefault(row.page_type, Counter())
        counts["pages"] += 1
        counts["today article"] += row.today
        counts["spider article"] += bool(row.spider)
        counts[f"verdict {row.verdict.kind}"] += 1
    data = {
        "types": {name: dict(counts) for name, counts in types.items()},
        "today": _figures(rows, lambda r: r.today),
        "verdict": _figures(rows, lambda r: r.verdict.is_article),
    }
    if rows and all(r.spider is not None for r in rows):
        data["spider"] = _figures(rows, lambda r: r.spider)
    return data


def _figures(rows: Sequence[Judged], said_article: Any) -> dict[str, float | None]:
    def share(selected: list[Judged]) -> float | None:
        return round(sum(map(said_article, selected)) / len(selected), 3) if selected else None

    names = list(GOALS)
    return {
        names[0]: share([r for r in rows if r.page_type == "article"]),
        names[1]: share([r for r in rows if r.page_type in GROUPED]),
        names[2]: share([r for r in rows if r.page_type != "article"]),
    }


def render(data: Mapping[str, Any]) -> list[str]:
    """The confusion table and the goal figures of one tally."""
    types = sorted(data["types"], key=lambda t: (t != "article", t))
    spider = "spider" in data
    extra = " spider: article |" if spider else ""
    lines = [
        "page kind (true type x decision; today = URL rules + page signal + body length)",
        f"| page type | pages | today: article | verdict: {' | verdict: '.join(DECISIONS)} |"
        + extra,
        "|" + "---|" * (3 + len(DECISIONS) + spider),
    ]
    for name in types:
        counts = data["types"][name]
        total = counts["pages"]
        cells = [str(total), _pct(counts.get("today article", 0), total)]
        cells += [_pct(counts.get(f"verdict {k}", 0), total) for k in DECISIONS]
        cells += [_pct(counts.get("spider article", 0), total)] if spider else []
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    columns = ["today", "verdict", *(["spider"] if spider else [])]
    lines += [
        "",
        f"| figure | goal | {' | '.join(columns)} |",
        "|---|" + "---|" * (1 + len(columns)),
    ]
    for figure, goal in GOALS.items():
        values = " | ".join(_num(data[column][figure]) for column in columns)
        lines.append(f"| {figure} | {goal} | {values} |")
    return lines


def _pct(count: int, total: int) -> str:
    return f"{count} ({100 * count / total:.0f} %)" if total else "-"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


class PageKindSection:
    """The page-kind table as a section of `make bench` (see bench/sections.py)."""

    name = "page_kind"

    def collect(self, results: Sequence[PageResult]) -> dict[str, Any] | None:
        if not results:
            return None
        return tally([judge(r.page, r.predicted or None) for r in results])

    def render(self, data: dict[str, Any]) -> list[str]:
        return render(data)


SECTION = PageKindSection()


def worst(rows: Sequence[Judged], count: int) -> list[str]:
    """The misjudged pages, most confident mistakes first (for reading, never for fitting)."""
    wrong = [r for r in rows if r.verdict.is_article != (r.page_type == "article")]
    wrong.sort(key=lambda r: -abs(r.verdict.confidence - 0.5))
    return [
        f"{r.page_type:>13} {r.verdict.kind:>7} {r.verdict.confidence:.2f} {r.half} {r.file} "
        f"{r.url}\n{'':>14}{'; '.join(r.verdict.reasons)}"
        for r in wrong[:count]
    ]


def speed(pages: Sequence[CorpusPage]) -> str:
    """Mean CPU time of the verdict (given a parsed tree) beside a bare lxml parse, same pages
    (process time: other work on a loaded machine does not count)."""
    parse_s = verdict_s = 0.0
    for page in pages:
        start = time.process_time()
        tree = lxml.html.document_fromstring(page.html)
        parse_s += time.process_time() - start
        start = time.process_time()
        judge_page(tree, page.url, body_length=1000)
        verdict_s += time.process_time() - start
    n = max(len(pages), 1)
    return (
        f"verdict {1000 * verdict_s / n:.2f} ms/page CPU, {verdict_s / (parse_s or 1):.2f}x a bare "
        f"lxml parse ({1000 * parse_s / n:.2f} ms/page)"
    )


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
    parser.add_argument("--limit", type=int, default=None, help="first N pages of each corpus")
    parser.add_argument(
        "--spider", action="store_true", help="also the news spider's decision (spiders/judge.py)"
    )
    args = parser.parse_args(argv)
    corpora = args.corpus or default_corpus_dirs()
    for corpus in corpora:
        try:
            pages = load_corpus(corpus, limit=args.limit)
        except CorpusError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return int(ExitCode.USAGE)
        rows = [judge(page, spider=args.spider) for page in pages]
        print(f"## {corpus.name} ({len(rows)} pages)")
        print("\n".join(render(tally(rows))))
        if args.halves:
            for half in HALVES:
                selected = [r for r in rows if r.half == half]
                print(f"\n### half {half} ({len(selected)} pages)")
                print("\n".join(render(tally(selected))[-5:]))
        if args.worst:
            print("", *worst(rows, args.worst), sep="\n")
        print(f"\n{speed(pages)}\n")
    return int(ExitCode.OK)


if __name__ == "__main__":
    sys.exit(main())
