"""Fit the page-kind weights on half A of a labelled corpus, and report them on half B.

`python -m newscrawler.bench.fit_pagekind [--corpus DIR] [--lam L] [--ablate] [--cache FILE]`

The weights of extraction.pagekind (FLAGS, MEASURES, FITTED_INTERCEPT, _TYPICAL_FLAGS) come from
this script: an L2-regularised logistic regression ("is this page one article?") over the named
features that `pagekind.page_evidence` computes, on standardised features, fitted by Newton's
method in plain Python (no numpy: this is a development tool of a crawler, not a dependency).

Reproducible and honest about the split:
- only the sites of half A (bench.corpus.site_half, a hash of the domain) are fitted on;
- the figures are printed for half A and for half B, which the fit never saw, for three
  decisions: the weights in the module now, the weights just fitted (rounded as printed), and
  the news spider's decision composed over those fitted weights (spiders/judge.py's fallback,
  simulated from cached inputs; `python -m newscrawler.bench.pagekind --spider` runs the real
  one);
- `--ablate` refits without each feature in turn and prints what half B loses or gains: a feature
  is kept only when half B agrees that it helps.

Extraction's results (body length, date found, author found) and the URL / page-signal inputs of
the spider's fallback are cached in `--cache`, keyed by the source of the extraction and discovery
packages, so a change there refits from fresh extraction; the page structure is recomputed on
every run (it is what is being developed).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parsel import Selector

from newscrawler.bench.corpus import HALVES, CorpusError, default_corpus_dir, load_corpus
from newscrawler.discovery.classify import Kind, classify_url, is_article, page_signal
from newscrawler.exitcodes import ExitCode
from newscrawler.extraction import pagekind
from newscrawler.extraction.article import extract_article
from newscrawler.extraction.parsing import parse_page
from newscrawler.spiders.judge import FALLBACK_MIN_CONFIDENCE, SHORT_DISPATCH_CHARS

FEATURES: tuple[str, ...] = (*pagekind.FLAGS, *pagekind.MEASURES)
NON_ARTICLE_GROUP = ("listing", "collection")
DEFAULT_CACHE = Path(".newscrawler/cache/fit_pagekind.json")
# Non-article pages weigh 1.3 in the fit: precision first (a listing emitted as an article
# corrupts a dataset). At 1.0 the fit trades precision for recall; at 1.5 half B loses 0.02 of
# recall for little precision (docs/page-kind.md).
NEGATIVE_WEIGHT = 1.3


@dataclass(frozen=True)
class Row:
    """One page as the fit sees it: label, half, raw feature values and fixed evidence."""

    file: str
    page_type: str
    half: str
    values: dict[str, float]  # feature -> raw value (flags 0/1; a missing measure is absent)
    offset: float  # weight of evidence that is not fitted (a profile pattern, a missing body)
    listing: bool  # some evidence marks the page a listing (its kind, when not an article)
    body_length: int
    url_listing: bool  # the spider calls it a listing from its URL, unparsed (spiders/judge.py)
    fallback: bool  # the spider's old decision would vouch for it (see module docstring)
    contrary: bool = False  # some evidence names another kind (pagekind.CONTRARY)

    @property
    def article(self) -> bool:
        return self.page_type == "article"


@dataclass(frozen=True)
class Weights:
    """A full set of weights in the module's form (raw units, centred on the typical page)."""

    flags: dict[str, float]
    measures: dict[str, tuple[float, float]]  # name -> (weight, typical value)
    fitted_intercept: float
    typical_flags: dict[str, float]

    @property
    def intercept(self) -> float:
        return self.fitted_intercept - sum(
            self.flags[n] * r for n, r in self.typical_flags.items() if n in self.flags
        )

    def score(self, row: Row) -> float:
        total = self.intercept + row.offset
        for name, weight in self.flags.items():
            total += weight * row.values.get(name, 0.0)
        for name, (weight, typical) in self.measures.items():
            total += weight * (row.values.get(name, typical) - typical)
        return total


def module_weights() -> Weights:
    """The weights extraction.pagekind uses now."""
    return Weights(
        dict(pagekind.FLAGS),
        dict(pagekind.MEASURES),
        pagekind.FITTED_INTERCEPT,
        dict(pagekind._TYPICAL_FLAGS),
    )


def _source_key() -> str:
    """A hash of the code the cached inputs come from (extraction and discovery, but not the
    page-kind module itself, whose structure features are recomputed on every run)."""
    root = Path(pagekind.__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted([*root.glob("extraction/*.py"), *root.glob("discovery/*.py")]):
        if path.name != "pagekind.py":
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _cached_inputs(pages: Sequence[Any], cache: Path | None) -> dict[str, dict[str, Any]]:
    """Per page: extraction's body length, date and author found, and the fallback's inputs."""
    key = _source_key()
    stored: dict[str, Any] = {}
    if cache and cache.is_file():
        stored = json.loads(cache.read_text(encoding="utf-8"))
        if stored.get("key") != key:
            stored = {}
    entries: dict[str, dict[str, Any]] = stored.get("pages", {})
    missing = [p for p in pages if p.file not in entries]
    for number, page in enumerate(missing, 1):
        tree = parse_page(page.html)
        if tree is None:
            entries[page.file] = {"body": 0, "dated": False, "bylined": False, "fallback": False}
            continue
        article = extract_article(tree, page.url, now=page.crawled_at)
        length = len(article.get("body") or "")
        url_kind = classify_url(page.url) if page.url else Kind.UNKNOWN
        signal = page_signal(Selector(root=tree, type="html"))
        entries[page.file] = {
            "body": length,
            "dated": bool(article.get("date_published")),
            "bylined": bool(article.get("authors")),
            "fallback": Kind.ARTICLE in (url_kind, signal) and is_article(url_kind, signal, length),
        }
        if number % 200 == 0:
            print(f"  extracted {number}/{len(missing)}", file=sys.stderr)
    if cache and missing:
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps({"key": key, "pages": entries}), encoding="utf-8")
    return entries


def build_rows(corpus: Path, cache: Path | None) -> list[Row]:
    """Every page of the corpus with its features, as judge_page computes them."""
    pages = load_corpus(corpus)
    inputs = _cached_inputs(pages, cache)
    rows = []
    for page in pages:
        cached = inputs[page.file]
        tree = parse_page(page.html)
        url = page.url or "http://localhost/page"
        values: dict[str, float] = {name: 0.0 for name in pagekind.FLAGS}
        offset, listing, contrary = 0.0, False, False
        if tree is not None:
            article = {
                "body": "x" * cached["body"],
                "date_published": "d" if cached["dated"] else None,
                "authors": ["a"] if cached["bylined"] else [],
            }
            for evidence in pagekind.page_evidence(tree, page.url, article=article):
                listing = listing or evidence.listing
                contrary = contrary or evidence.feature in pagekind.CONTRARY
                if evidence.feature:
                    values[evidence.feature] = evidence.value
                else:
                    offset += evidence.weight
        else:
            offset = pagekind.SHORT_BODY_WEIGHT
        rows.append(
            Row(
                page.file,
                page.page_type or "article",
                page.half,
                values,
                offset,
                listing,
                cached["body"],
                classify_url(url) is Kind.LISTING and not pagekind.ends_in_headline_slug(url),
                bool(cached["fallback"]),
                contrary,
            )
        )
    return rows


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Solve a small dense linear system (Gaussian elimination with partial pivoting).

    >>> [round(x, 6) for x in _solve([[2.0, 1.0], [1.0, 3.0]], [3.0, 5.0])]
    [0.8, 1.4]
    """
    size = len(vector)
    a = [[*row, vector[i]] for i, row in enumerate(matrix)]
    for col in range(size):
        pivot = max(range(col, size), key=lambda r: abs(a[r][col]))
        a[col], a[pivot] = a[pivot], a[col]
        for r in range(col + 1, size):
            factor = a[r][col] / a[col][col]
            if factor:
                for c in range(col, size + 1):
                    a[r][c] -= factor * a[col][c]
    solution = [0.0] * size
    for r in range(size - 1, -1, -1):
        total = a[r][size] - sum(a[r][c] * solution[c] for c in range(r + 1, size))
        solution[r] = total / a[r][r]
    return solution


def logistic_fit(
    x: Sequence[Sequence[float]],
    y: Sequence[int],
    offsets: Sequence[float],
    lam: float,
    sample_weights: Sequence[float] | None = None,
) -> list[float]:
    """[intercept, *coefficients] of an L2-regularised logistic regression (the intercept is not
    penalised), by Newton's method; `offsets` are added to every score unfitted.

    >>> coef = logistic_fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1], [0.0] * 4, 0.1)
    >>> coef[1] > 0
    True
    """
    n, k = len(x), len(x[0]) if x else 0
    weights = list(sample_weights or [1.0] * n)
    beta = [0.0] * (k + 1)
    rows = [[1.0, *row] for row in x]
    total = sum(weights)
    for _ in range(50):
        grad = [0.0] * (k + 1)
        hess = [[0.0] * (k + 1) for _ in range(k + 1)]
        for row, label, offset, w in zip(rows, y, offsets, weights, strict=True):
            z = offset + sum(b * v for b, v in zip(beta, row, strict=True))
            p = 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))
            err = w * (p - label) / total
            curv = w * p * (1.0 - p) / total
            for i, vi in enumerate(row):
                grad[i] += err * vi
                if vi:
                    hrow = hess[i]
                    for j in range(i + 1):
                        hrow[j] += curv * vi * row[j]
        for i in range(k + 1):
            for j in range(i):
                hess[j][i] = hess[i][j]
            if i:
                grad[i] += lam * beta[i]
                hess[i][i] += lam
        hess[0][0] += 1e-9
        step = _solve(hess, grad)
        beta = [b - s for b, s in zip(beta, step, strict=True)]
        if max(abs(s) for s in step) < 1e-7:
            break
    return beta


def fit(
    rows: Sequence[Row], features: Sequence[str], lam: float, negative_weight: float = 1.0
) -> Weights:
    """Fit on `rows` (half A), standardised; return raw-unit weights rounded as the module
    keeps them (flags to 0.1, measures to 0.01)."""
    flags = [f for f in features if f in pagekind.FLAGS]
    measures = [f for f in features if f in pagekind.MEASURES]
    columns: dict[str, list[float]] = {}
    means: dict[str, float] = {}
    for name in [*flags, *measures]:
        present = [r.values[name] for r in rows if name in r.values]
        mean = sum(present) / len(present) if present else 0.0
        means[name] = mean
        columns[name] = [r.values.get(name, mean) for r in rows]
    sds = {}
    for name, column in columns.items():
        var = sum((v - means[name]) ** 2 for v in column) / len(column)
        sds[name] = math.sqrt(var) or 1.0
    names = [*flags, *measures]
    x = [[(columns[n][i] - means[n]) / sds[n] for n in names] for i in range(len(rows))]
    y = [int(r.article) for r in rows]
    sample = [1.0 if r.article else negative_weight for r in rows]
    beta = logistic_fit(x, y, [r.offset for r in rows], lam, sample)
    raw = {n: beta[i + 1] / sds[n] for i, n in enumerate(names)}
    return Weights(
        {n: round(raw[n], 1) for n in flags},
        {n: (round(raw[n], 2), round(means[n], 2)) for n in measures},
        round(beta[0], 2),
        {n: round(means[n], 3) for n in flags},
    )


def decisions(rows: Sequence[Row], weights: Weights) -> dict[str, Callable[[Row], bool]]:
    """The verdict and the spider's decision under `weights`, as predicates on a row."""

    def confidence(row: Row) -> float:
        return 1.0 / (1.0 + math.exp(-weights.score(row)))

    def verdict(row: Row) -> bool:
        return confidence(row) >= 0.5 and row.body_length >= pagekind.MIN_BODY

    def spider(row: Row) -> bool:
        if row.url_listing:
            return False
        if verdict(row):
            return True
        conf = confidence(row)
        if conf >= 0.5 or row.listing:  # an article too short, or a listing: never overruled
            return False
        unsure = conf >= FALLBACK_MIN_CONFIDENCE or row.body_length < SHORT_DISPATCH_CHARS
        return unsure and row.fallback and not row.contrary

    return {"verdict": verdict, "spider": spider}


def figures(rows: Sequence[Row], said: Callable[[Row], bool]) -> tuple[float, float, float]:
    """(article recall, listing+collection judged article, all non-articles judged article)."""

    def share(selected: list[Row]) -> float:
        return sum(map(said, selected)) / len(selected) if selected else 0.0

    return (
        share([r for r in rows if r.article]),
        share([r for r in rows if r.page_type in NON_ARTICLE_GROUP]),
        share([r for r in rows if not r.article]),
    )


def report(rows: Sequence[Row], weights: Weights, title: str) -> list[str]:
    """The three goal figures for each decision, on all pages and on each half."""
    lines = [f"{title}: recall / listing+collection / non-articles (goals 0.95 / 0.05 / 0.10)"]
    groups = [("all", rows), *((h, [r for r in rows if r.half == h]) for h in HALVES)]
    for name, said in decisions(rows, weights).items():
        cells = []
        for label, selected in groups:
            recall, grouped, other = figures(selected, said)
            cells.append(f"{label} {recall:.3f} / {grouped:.3f} / {other:.3f}")
        lines.append(f"  {name:>7}: " + " | ".join(cells))
    return lines


def calibrate(rows: Sequence[Row], weights: Weights, target: float) -> Weights:
    """Shift the intercept (in steps of 0.05) to the highest recall on `rows` (half A) at which
    the spider judges at most `target` of the non-articles, and of the listing and collection
    pages, articles: the goals are about precision first, which a log-loss fit does not weigh."""
    best = weights
    for step in range(-60, 61):
        shifted = Weights(
            weights.flags,
            weights.measures,
            round(weights.fitted_intercept + step * 0.05, 2),
            weights.typical_flags,
        )
        _, grouped, other = figures(rows, decisions(rows, shifted)["spider"])
        if grouped <= target and other <= target:
            best = shifted
    return best


def render_weights(weights: Weights) -> list[str]:
    """The fitted weights as the module spells them (to paste into extraction/pagekind.py)."""
    lines = ["FLAGS = {"]
    lines += [f'    "{n}": {w},' for n, w in weights.flags.items()]
    lines += ["}", "MEASURES = {  # name: (weight, typical value)"]
    lines += [f'    "{n}": ({w}, {t}),' for n, (w, t) in weights.measures.items()]
    lines += ["}", f"FITTED_INTERCEPT = {weights.fitted_intercept}"]
    typical = ", ".join(f'"{n}": {r}' for n, r in weights.typical_flags.items())
    lines.append(f"_TYPICAL_FLAGS = {{{typical}}}")
    return lines


def ablation(
    rows: Sequence[Row], features: Sequence[str], args: argparse.Namespace, base: Weights
) -> list[str]:
    """Refit on half A without each feature in turn; half B's figures beside the full fit's."""
    half_a = [r for r in rows if r.half == "A"]
    half_b = [r for r in rows if r.half == "B"]

    def on_b(weights: Weights) -> tuple[float, float, float]:
        return figures(half_b, decisions(half_b, weights)["spider"])

    full = on_b(base)
    lines = [
        "ablation (spider decision on half B; a feature earns its place when dropping it hurts B)",
        f"  {'(all features)':>14}: {full[0]:.3f} / {full[1]:.3f} / {full[2]:.3f}",
    ]
    for feature in features:
        kept = [f for f in features if f != feature]
        weights = fit(half_a, kept, args.lam, args.negative_weight)
        if args.target is not None:
            weights = calibrate(half_a, weights, args.target)
        recall, grouped, other = on_b(weights)
        lines.append(
            f"  {feature:>14}: {recall:.3f} / {grouped:.3f} / {other:.3f}"
            f"   (recall {recall - full[0]:+.3f}, non-articles {other - full[2]:+.3f})"
        )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m newscrawler.bench.fit_pagekind", description=__doc__
    )
    parser.add_argument("--corpus", type=Path, default=None, help="default ../shared/wcxb-dev")
    parser.add_argument("--lam", type=float, default=0.01, help="L2 strength (standardised)")
    parser.add_argument(
        "--negative-weight", type=float, default=NEGATIVE_WEIGHT,
        help="sample weight of non-article pages (above 1 favours precision)",
    )  # fmt: skip
    parser.add_argument(
        "--target", type=float, default=None,
        help="calibrate the intercept on half A: the spider judges at most this share of "
        "non-articles (and of listing+collection pages) articles",
    )  # fmt: skip
    parser.add_argument("--drop", default="", help="comma-separated features left out of the fit")
    parser.add_argument("--ablate", action="store_true", help="refit without each feature")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="extraction cache")
    args = parser.parse_args(argv)
    corpus = args.corpus or default_corpus_dir(name="wcxb-dev")
    try:
        rows = build_rows(corpus, args.cache)
    except CorpusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return int(ExitCode.USAGE)
    half_a = [r for r in rows if r.half == "A"]
    dropped = {name.strip() for name in args.drop.split(",") if name.strip()}
    features = [name for name in FEATURES if name not in dropped]
    fitted = fit(half_a, features, args.lam, args.negative_weight)
    if args.target is not None:
        fitted = calibrate(half_a, fitted, args.target)
    print(f"## {corpus} ({len(rows)} pages; fitted on half A: {len(half_a)} pages)")
    print("\n".join(report(rows, module_weights(), "weights in extraction/pagekind.py")))
    print("\n".join(report(rows, fitted, "weights fitted on half A")))
    print("\n" + "\n".join(render_weights(fitted)))
    if args.ablate:
        print("\n" + "\n".join(ablation(rows, features, args, fitted)))
    return int(ExitCode.OK)


if __name__ == "__main__":
    sys.exit(main())
