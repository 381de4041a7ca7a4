"""Aggregate page results (overall and per language) and render them as text or JSON."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from newscrawler.bench.metrics import body_totals, collapse
from newscrawler.bench.runner import FIELDS, MATCH_FIELDS, PageResult

ALL = "all"


def field_totals(results: Sequence[PageResult], fields: Sequence[str] = FIELDS) -> dict[str, Any]:
    """Scores of one group of pages: body P/R/F1/empty, and for others the share matched."""
    totals: dict[str, Any] = {"pages": len(results)}
    if "body" in fields:
        body = body_totals(r.body for r in results if r.body is not None)
        totals["body"] = {
            "precision": body.precision,
            "recall": body.recall,
            "f1": body.f1,
            "scored": body.pages,
            "empty": body.empty,
        }
    for name in MATCH_FIELDS:
        if name not in fields:
            continue
        scored = [m for r in results if (m := r.matches.get(name)) is not None]
        totals[name] = {
            "score": sum(scored) / len(scored) if scored else None,
            "matched": sum(scored),
            "scored": len(scored),
        }
    return totals


def by_language(results: Sequence[PageResult]) -> dict[str, list[PageResult]]:
    """Results grouped by the page's labelled language, largest groups first."""
    groups: dict[str, list[PageResult]] = defaultdict(list)
    for result in results:
        groups[result.page.language].append(result)
    return dict(sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])))


def summary(results: Sequence[PageResult], timing: dict[str, float],
            fields: Sequence[str] = FIELDS) -> dict[str, Any]:  # fmt: skip
    """Everything the bench reports, as one JSON-ready dict."""
    return {
        "pages": len(results),
        "fields": list(fields),
        "overall": field_totals(results, fields),
        "languages": {
            lang: field_totals(group, fields) for lang, group in by_language(results).items()
        },
        "crashes": [{"file": r.page.file, "error": r.crash} for r in results if r.crash],
        "logged_errors": [
            {"file": r.page.file, "errors": r.logged_errors} for r in results if r.logged_errors
        ],
        "schema_invalid": [
            {"file": r.page.file, "errors": r.schema_errors} for r in results if r.schema_errors
        ],
        "speed": timing,
        "pages_detail": [page_detail(r) for r in results],
    }


def page_detail(result: PageResult) -> dict[str, Any]:
    """One page's scores, for --json consumers and --per-page."""
    detail: dict[str, Any] = {"file": result.page.file, "language": result.page.language}
    if result.body is not None:
        detail["body"] = {
            "precision": result.body.precision,
            "recall": result.body.recall,
            "f1": result.body.f1,
        }
    detail.update(result.matches)
    return detail


def _cell(totals: dict[str, Any], name: str) -> str:
    value = totals.get(name)
    if not value:
        return "-"
    if name == "body":
        return f"{value['f1']:.3f}"
    return "-" if value["score"] is None else f"{value['score']:.3f}"


def render(report: dict[str, Any]) -> str:
    """Human-readable tables: overall per field, then per language, crashes and speed."""
    fields: list[str] = report["fields"]
    overall = report["overall"]
    lines = [f"pages: {report['pages']}", "", f"{'field':<14}{'score':>8}  detail"]
    if "body" in fields:
        b = overall["body"]
        lines.append(
            f"{'body F1':<14}{b['f1']:>8.3f}  P={b['precision']:.3f} R={b['recall']:.3f} "
            f"scored={b['scored']} empty={b['empty']}"
        )
    for name in MATCH_FIELDS:
        if name in fields:
            t = overall[name]
            score = "-" if t["score"] is None else f"{t['score']:.3f}"
            lines.append(f"{name:<14}{score:>8}  {t['matched']}/{t['scored']}")
    lines += ["", "per language (body = F1; others = share matched)"]
    header = f"{'lang':<6}{'pages':>6}" + "".join(f"{name[:11]:>12}" for name in fields)
    lines.append(header)
    for lang, totals in report["languages"].items():
        cells = "".join(f"{_cell(totals, name):>12}" for name in fields)
        lines.append(f"{lang:<6}{totals['pages']:>6}{cells}")
    lines += ["", f"crashes: {len(report['crashes'])}"]
    lines += [f"  {c['file']}: {c['error'].splitlines()[0]}" for c in report["crashes"]]
    lines.append(f"pages with logged extraction errors: {len(report['logged_errors'])}")
    lines += [f"  {e['file']}: {e['errors'][0]}" for e in report["logged_errors"]]
    lines.append(f"schema-invalid outputs: {len(report['schema_invalid'])}")
    lines += [f"  {e['file']}: {e['errors'][0]}" for e in report["schema_invalid"]]
    speed = report["speed"]
    if speed:
        lines += [
            "",
            f"speed (ms/page)   {'mean':>8} {'median':>8}",
            f"  extraction      {speed['extract_mean_ms']:>8.2f} "
            f"{speed['extract_median_ms']:>8.2f}",
            f"  lxml parse      {speed['parse_mean_ms']:>8.2f} {speed['parse_median_ms']:>8.2f}",
            f"  ratio           {speed['ratio_mean']:>7.2f}x {speed['ratio_median']:>7.2f}x",
        ]
    return "\n".join(lines)


def _short(value: object, width: int = 90) -> str:
    text = collapse(value) if isinstance(value, str) else repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def render_worst(results: Sequence[PageResult], fields: Sequence[str], count: int) -> str:
    """The worst pages per field: lowest body F1, and mismatches with expected vs predicted."""
    lines: list[str] = []
    if "body" in fields:
        scored = sorted((r for r in results if r.body is not None), key=lambda r: r.body.f1)  # type: ignore[union-attr]
        lines.append(f"worst body F1 ({min(count, len(scored))} pages)")
        for r in scored[:count]:
            assert r.body is not None
            p = "empty" if r.body.precision is None else f"{r.body.precision:.3f}"
            lines.append(f"  {r.body.f1:.3f}  P={p} R={r.body.recall:.3f}  {r.page.file}")
    for name, (pred_key, exp_key, _) in MATCH_FIELDS.items():
        if name not in fields:
            continue
        misses = [r for r in results if r.matches.get(name) is False]
        lines.append(f"{name}: {len(misses)} mismatches" + (f" (first {count})" if misses else ""))
        for r in misses[:count]:
            lines.append(f"  {r.page.file}")
            lines.append(f"    expected:  {_short(r.page.expected.get(exp_key))}")
            lines.append(f"    predicted: {_short(r.predicted.get(pred_key))}")
    return "\n".join(lines)
