"""Aggregate page results (overall, per language or page type, per half) and render them.

A corpus of labelled page types (WCXB) is grouped by page type, with its word F1 and snippet
rates; an articles-only corpus is grouped by language. `--halves` splits a corpus by site
(`CorpusPage.half`) and prints both halves side by side with their difference.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from newscrawler.bench import sections
from newscrawler.bench.corpus import HALVES
from newscrawler.bench.metrics import body_totals, collapse
from newscrawler.bench.runner import FIELDS, MATCH_FIELDS, PageResult, Timing

ALL = "all"
RATES = ("word_f1", "with", "without")  # WCXB's body metrics, reported where a corpus has them
_RATE_ATTR = {"word_f1": "word_f1", "with": "with_rate", "without": "without_rate"}
_LABELS = {"word_f1": "word F1", "with": "with", "without": "without"}  # without: lower is better
_HALF_LABELS = {"body": "body F1", "word_f1": "word F1", "without": "without (low=good)"}


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


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
        for rate in RATES:
            found = [v for r in results if (v := getattr(r, _RATE_ATTR[rate])) is not None]
            if found:
                totals[rate] = {"score": _mean(found), "scored": len(found)}
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


def by_page_type(results: Sequence[PageResult]) -> dict[str, list[PageResult]]:
    """Results grouped by labelled page type, largest first; empty for an untyped corpus."""
    groups: dict[str, list[PageResult]] = defaultdict(list)
    for result in results:
        if result.page.page_type is not None:
            groups[result.page.page_type].append(result)
    return dict(sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])))


def summary(
    results: Sequence[PageResult],
    timing: dict[str, float],
    fields: Sequence[str] = FIELDS,
    *,
    corpus: str | None = None,
) -> dict[str, Any]:
    """Everything the bench reports, as one JSON-ready dict."""
    report: dict[str, Any] = {"corpus": corpus} if corpus is not None else {}
    return report | {
        "pages": len(results),
        "sites": len({r.page.site for r in results}),
        "fields": list(fields),
        "overall": field_totals(results, fields),
        "languages": {
            lang: field_totals(group, fields) for lang, group in by_language(results).items()
        },
        "page_types": {
            kind: field_totals(group, fields) for kind, group in by_page_type(results).items()
        },
        "sections": sections.collect(results),
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


def halves(results: Sequence[PageResult], timing: Timing | None,
           fields: Sequence[str] = FIELDS) -> dict[str, dict[str, Any]]:  # fmt: skip
    """One summary per half of the corpus (split by site), each with its own speed figures."""
    reports: dict[str, dict[str, Any]] = {}
    for half in HALVES:
        keep = [r.page.half == half for r in results]
        part = [r for r, k in zip(results, keep, strict=True) if k]
        speed = timing.subset(keep).summary() if timing is not None else {}
        report = summary(part, speed, fields)
        del report["pages_detail"]
        reports[half] = report
    return reports


def page_detail(result: PageResult) -> dict[str, Any]:
    """One page's scores, for --json consumers and --per-page."""
    detail: dict[str, Any] = {
        "file": result.page.file,
        "language": result.page.language,
        "site": result.page.site,
        "half": result.page.half,
    }
    if result.page.page_type is not None:
        detail["page_type"] = result.page.page_type
    for rate in RATES:
        value = getattr(result, _RATE_ATTR[rate])
        if value is not None:
            detail[rate] = value
    if result.body is not None:
        detail["body"] = {
            "precision": result.body.precision,
            "recall": result.body.recall,
            "f1": result.body.f1,
        }
    detail.update(result.matches)
    return detail


def _score(totals: dict[str, Any], name: str) -> float | None:
    """One figure of a group: body F1, a rate, or the share matched of a field."""
    value = totals.get(name)
    if not value:
        return None
    if name == "body":
        return float(value["f1"])
    return None if value["score"] is None else float(value["score"])


def _cell(totals: dict[str, Any], name: str) -> str:
    value = _score(totals, name)
    return "-" if value is None else f"{value:.3f}"


def _group_table(groups: dict[str, Any], names: Sequence[str], title: str, key: str) -> list[str]:
    heads = [_LABELS.get(n, n)[:11] for n in names]
    lines = ["", title, f"{key:<14}{'pages':>6}" + "".join(f"{h:>12}" for h in heads)]
    for group, totals in groups.items():
        cells = "".join(f"{_cell(totals, n):>12}" for n in names)
        lines.append(f"{group:<14}{totals['pages']:>6}{cells}")
    return lines


def _rate_names(report: dict[str, Any]) -> list[str]:
    return [rate for rate in RATES if rate in report["overall"]]


def _shown(report: dict[str, Any]) -> list[str]:
    """The figures worth a column: body and its rates, then fields scored on some page (a
    corpus without descriptions or topics gets no empty columns)."""
    fields: list[str] = report["fields"]
    names = ["body", *_rate_names(report)] if "body" in fields else []
    return names + [f for f in fields if f != "body" and report["overall"][f]["scored"]]


def _speed_lines(speed: dict[str, float]) -> list[str]:
    if not speed:
        return []
    return [
        "",
        f"speed (ms/page)   {'mean':>8} {'median':>8}",
        f"  extraction      {speed['extract_mean_ms']:>8.2f} {speed['extract_median_ms']:>8.2f}",
        f"  lxml parse      {speed['parse_mean_ms']:>8.2f} {speed['parse_median_ms']:>8.2f}",
        f"  ratio           {speed['ratio_mean']:>7.2f}x {speed['ratio_median']:>7.2f}x",
    ]


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
        for rate in _rate_names(report):
            t = overall[rate]
            note = " (lower is better)" if rate == "without" else ""
            lines.append(
                f"{_LABELS[rate]:<14}{t['score']:>8.3f}  mean of {t['scored']} pages{note}"
            )
    for name in MATCH_FIELDS:
        if name in fields and overall[name]["scored"]:
            t = overall[name]
            lines.append(f"{name:<14}{t['score']:>8.3f}  {t['matched']}/{t['scored']}")
    if report.get("page_types"):
        names = _shown(report)
        title = "per page type (body = shingle F1; word F1, with, without = means; others = share)"
        lines += _group_table(report["page_types"], names, title, "type")
    else:
        title = "per language (body = F1; others = share matched)"
        lines += _group_table(report["languages"], _shown(report), title, "lang")
    lines += sections.render(report.get("sections", {}))
    lines += ["", f"crashes: {len(report['crashes'])}"]
    lines += [f"  {c['file']}: {c['error'].splitlines()[0]}" for c in report["crashes"]]
    lines.append(f"pages with logged extraction errors: {len(report['logged_errors'])}")
    lines += [f"  {e['file']}: {e['errors'][0]}" for e in report["logged_errors"]]
    lines.append(f"schema-invalid outputs: {len(report['schema_invalid'])}")
    lines += [f"  {e['file']}: {e['errors'][0]}" for e in report["schema_invalid"]]
    lines += _speed_lines(report["speed"])
    return "\n".join(lines)


def half_rows(reports: dict[str, dict[str, Any]]) -> list[tuple[str, list[float | None]]]:
    """(label, one figure per half) for every figure the halves have in common."""
    names = list(dict.fromkeys(n for h in HALVES for n in _shown(reports[h])))
    labels = {name: _HALF_LABELS.get(name, name) for name in names}
    rows = [(labels[n], [_score(reports[h]["overall"], n) for h in HALVES]) for n in names]
    kinds = dict.fromkeys(k for h in HALVES for k in reports[h]["page_types"])
    for kind in kinds:  # articles in full; other page types by their body figure only
        for name in names if kind == "article" else names[:2]:
            values = [_score(reports[h]["page_types"].get(kind, {}), name) for h in HALVES]
            rows.append((f"{kind}: {labels[name]}", values))
    ratios = [reports[h]["speed"].get("ratio_mean") for h in HALVES]
    if any(r is not None for r in ratios):
        rows.append(("extraction / parse", ratios))
    return rows


def render_halves(reports: dict[str, dict[str, Any]], chance: dict[str, Any] | None = None) -> str:
    """Both halves side by side, and A - B, so a rule that helps only one half shows; with
    `chance` (bench.chance.chance_gaps), also the gap random site splits stay within."""
    a, b = (reports[h] for h in HALVES)
    gaps: dict[str, float] = chance["gaps"] if chance else {}
    head = f"{'chance':>9}" if gaps else ""
    lines = [
        "halves (split by site: a stable hash of the domain)",
        f"{'':<30}{'A':>9}{'B':>9}{'A-B':>9}{head}",
        f"{'pages':<30}{a['pages']:>9}{b['pages']:>9}",
        f"{'sites':<30}{a['sites']:>9}{b['sites']:>9}",
    ]
    for label, (x, y) in half_rows(reports):
        cells = [f"{v:>9.3f}" if v is not None else f"{'-':>9}" for v in (x, y)]
        diff = f"{x - y:>+9.3f}" if x is not None and y is not None else f"{'-':>9}"
        bound = gaps.get(label)
        beyond = bound is not None and x is not None and y is not None and abs(x - y) > bound
        noted = "" if bound is None else f"{bound:>9.3f}" + (" beyond" if beyond else "")
        lines.append(f"{label[:30]:<30}{''.join(cells)}{diff}{noted}")
    if gaps and chance is not None:
        lines.append(
            f"chance: |A-B| that {chance['level']:.0%} of {chance['rounds']} random splits of the "
            "same sites and outputs stay within; 'beyond' = the fixed split's gap exceeds it"
        )
    for half in HALVES:
        extra = sections.render(reports[half].get("sections", {}))
        if extra:
            lines += ["", f"half {half}:", *extra[1:]]
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
