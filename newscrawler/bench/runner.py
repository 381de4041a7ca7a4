"""Run extraction over a corpus: one scoring pass (crashes caught), then a timed pass.

Why two passes: the first pass also warms caches (dateparser languages, compiled XPaths), so the
timed pass measures steady-state cost, as the corpus README asks. Extraction and the bare lxml
parse are timed page by page, interleaved, in the same process, so machine load hits both alike.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import statistics
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import lxml.html

from newscrawler.bench.corpus import CorpusPage
from newscrawler.bench.metrics import (
    BodyScore,
    body_score,
    loose_author_match,
    same_day,
    same_minute,
    set_match,
    snippet_rate,
    text_match,
    word_f1,
)
from newscrawler.schema import validation_errors

Extractor = Callable[[CorpusPage], dict[str, Any]]

# field name in the report -> (predicted key, expected key, scorer)
MATCH_FIELDS: dict[str, tuple[str, str, Callable[[object, object], bool | None]]] = {
    "headline": ("headline", "headline", text_match),
    "authors": ("authors", "authors", set_match),
    "date_day": ("date_published", "date_published", same_day),
    "date_minute": ("date_published", "date_published", same_minute),
    "description": ("description", "description", text_match),
    "topics": ("tags", "topics", set_match),
}
FIELDS = ("body", *MATCH_FIELDS)
# A corpus of page types (WCXB) annotates one author string per page: compared loosely there.
LOOSE_SCORERS: dict[str, Callable[[object, object], bool | None]] = {"authors": loose_author_match}


def extract_page(page: CorpusPage) -> dict[str, Any]:
    """The generic path: no profile, `now` = the page's crawl time."""
    from newscrawler.extraction import extract_article

    return extract_article(page.html, page.url, now=page.crawled_at)


@dataclass
class PageResult:
    """What one page scored, what was predicted, and what went wrong."""

    page: CorpusPage
    predicted: dict[str, Any] = field(default_factory=dict)
    body: BodyScore | None = None
    word_f1: float | None = None  # WCXB's word F1 (None when the page has no reference body)
    with_rate: float | None = None  # share of the page's `with` snippets found (None: no snippets)
    without_rate: float | None = None  # share of its `without` snippets found (lower is better)
    matches: dict[str, bool | None] = field(default_factory=dict)
    crash: str | None = None
    logged_errors: list[str] = field(default_factory=list)
    schema_errors: list[str] = field(default_factory=list)


class _ErrorCollector(logging.Handler):
    """Collects records logged with a traceback (extraction swallows and logs its exceptions)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            self.messages.append(f"{record.getMessage()}: {type(exc).__name__}: {exc}")


def score_page(page: CorpusPage, predicted: dict[str, Any]) -> PageResult:
    """Per-field scores of one prediction against the page's expected values."""
    result = PageResult(page, predicted)
    body, expected = predicted.get("body"), page.expected
    result.body = body_score(body, expected.get("body"))
    if isinstance(expected.get("body"), str):
        result.word_f1 = word_f1(body, expected["body"])
    if "with" in expected:
        result.with_rate = snippet_rate(body, expected.get("with"))
    if "without" in expected:
        result.without_rate = snippet_rate(body, expected.get("without"))
    loose = page.page_type is not None
    for name, (pred_key, exp_key, scorer) in MATCH_FIELDS.items():
        scorer = LOOSE_SCORERS.get(name, scorer) if loose else scorer
        result.matches[name] = scorer(predicted.get(pred_key), expected.get(exp_key))
    return result


def score_corpus(
    pages: list[CorpusPage], extractor: Extractor = extract_page, *, validate: bool = True
) -> list[PageResult]:
    """Extract and score every page; an exception is a crash, recorded, never fatal."""
    collector = _ErrorCollector()
    root = logging.getLogger("newscrawler")
    root.addHandler(collector)
    results: list[PageResult] = []
    try:
        for page in pages:
            collector.messages = []
            try:
                predicted = extractor(page)
            except Exception as exc:
                result = score_page(page, {})  # a crash scores as an empty prediction
                result.crash = f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=-3)}"
            else:
                result = score_page(page, predicted)
                if validate and page.url and page.url.startswith(("http://", "https://")):
                    result.schema_errors = validation_errors(predicted)
            result.logged_errors = collector.messages
            results.append(result)
    finally:
        root.removeHandler(collector)
    return results


@dataclass(frozen=True)
class Timing:
    """Per-page milliseconds of extraction and of a bare lxml parse, same pages, same run."""

    extract_ms: list[float]
    parse_ms: list[float]

    def subset(self, keep: list[bool]) -> Timing:
        """The timings of the pages flagged in `keep` (one flag per page; repeats follow)."""
        n = len(keep)
        return Timing(
            [ms for i, ms in enumerate(self.extract_ms) if keep[i % n]],
            [ms for i, ms in enumerate(self.parse_ms) if keep[i % n]],
        )

    def summary(self) -> dict[str, float]:
        """Mean and median of both, and the extraction / parse ratios."""
        if not self.extract_ms:
            return {}
        em, pm = statistics.fmean(self.extract_ms), statistics.fmean(self.parse_ms)
        ed, pd = statistics.median(self.extract_ms), statistics.median(self.parse_ms)
        return {
            "extract_mean_ms": em,
            "extract_median_ms": ed,
            "parse_mean_ms": pm,
            "parse_median_ms": pd,
            "ratio_mean": em / pm if pm else float("inf"),
            "ratio_median": ed / pd if pd else float("inf"),
        }


def _parse(page: CorpusPage) -> object:
    try:
        return lxml.html.fromstring(page.html)
    except Exception:  # an unparseable page still costs its time; nothing to score here
        return None


def time_corpus(pages: list[CorpusPage], extractor: Extractor = extract_page,
                repeat: int = 1) -> Timing:  # fmt: skip
    """Time extraction and bare parsing of each page, interleaved, `repeat` times."""
    extract_ms: list[float] = []
    parse_ms: list[float] = []
    logging.disable(logging.WARNING)  # logging cost is not extraction cost
    gc.collect()
    try:
        for _ in range(repeat):
            for page in pages:
                start = time.perf_counter()
                _parse(page)
                middle = time.perf_counter()
                with contextlib.suppress(Exception):  # reported by the scoring pass
                    extractor(page)
                end = time.perf_counter()
                parse_ms.append((middle - start) * 1000)
                extract_ms.append((end - middle) * 1000)
    finally:
        logging.disable(logging.NOTSET)
    return Timing(extract_ms, parse_ms)
