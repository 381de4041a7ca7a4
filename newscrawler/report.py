"""The run report: `<name>.stats.json` next to each output file and a one-paragraph log summary.

Built from the Scrapy stats of the run (plus newscrawler's own `newscrawler/...` counters), so it
says the same as the stats dump, in a shape that monitoring can read. Pure: no Scrapy here.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from newscrawler.outcome import (
    EmptyRun,
    counted,
    error_count,
    failed_downloads,
    http_errors,
    refusals,
    refused_text,
)
from newscrawler.outcome import under as _under
from newscrawler.quality import Failure, Figures, Thresholds, coverage

# Stats keys of the cleaning pipeline (newscrawler.pipelines.CleaningPipeline).
CLEANING = "newscrawler/cleaning/"
LEFTOVER = CLEANING + "leftover/"
LEFTOVER_ITEMS = CLEANING + "leftover_items"

STATS_SUFFIX = ".stats.json"
# Set by a worker's Redis scheduler (newscrawler.distributed): other workers fetch part of what
# this one finds, and a worker may rightly fetch nothing at all.
SHARED_FRONTIER = "newscrawler/redis/shared_frontier"


def stats_path(output: Path) -> Path:
    """`output/site/20261128T135800Z.jsonl` -> `output/site/20261128T135800Z.stats.json`."""
    return output.with_name(output.name.removesuffix(".jsonl") + STATS_SUFFIX)


def exceptions(stats: Mapping[str, Any]) -> dict[str, int]:
    """Downloads that failed for good (after retries) and spider callback errors, by type."""
    found = _under(stats, "newscrawler/errors/download/")
    for name, n in _under(stats, "spider_exceptions/").items():
        found[name] = found.get(name, 0) + n
    return found


def emitted_count(stats: Mapping[str, Any]) -> int:
    """Articles written to the output this run."""
    return int(stats.get("newscrawler/articles/emitted", stats.get("item_scraped_count", 0)))


def discovery(stats: Mapping[str, Any]) -> dict[str, Any]:
    """What the crawl saw of the site: pages judged per kind, article-shaped URLs seen and how
    many were never fetched (caps, depth, robots.txt, errors; known ones a cron run skips are
    not counted as missing)."""
    seen = int(stats.get("newscrawler/coverage/article_shaped_seen", 0))
    fetched = int(stats.get("newscrawler/coverage/article_shaped_fetched", 0))
    known = int(stats.get("newscrawler/state/skipped_known", 0))
    known += int(stats.get("newscrawler/state/skipped_not_article", 0))
    return {
        "judged": _under(stats, "newscrawler/coverage/judged/"),
        "article_shaped_seen": seen,
        "article_shaped_fetched": fetched,
        "article_shaped_not_fetched": max(seen - fetched - known, 0),
        "listing_like_items": int(stats.get("newscrawler/coverage/listing_like_items", 0)),
        "templates_learned": int(stats.get("newscrawler/templates/saved", 0)),
    }


def figures(stats: Mapping[str, Any]) -> Figures:
    """The gate's view of a run's stats."""
    extracted = int(stats.get("newscrawler/coverage/articles", 0))
    counts = _under(stats, "newscrawler/coverage/fields/")
    failed = sum(failed_downloads(stats).values())
    seen = discovery(stats)
    return Figures(
        extracted=extracted,
        emitted=emitted_count(stats),
        coverage=coverage(counts, extracted),
        requests=int(stats.get("newscrawler/requests/judged", 0)) + failed,
        errors=error_count(stats),
        new_listed=int(stats.get("newscrawler/sources/new_listed", 0)),
        leftovers=int(stats.get(LEFTOVER_ITEMS, 0)),
        listing_like=seen["listing_like_items"],
        shaped_seen=seen["article_shaped_seen"],
        shaped_unfetched=seen["article_shaped_not_fetched"],
        capped_by_user=stats.get("finish_reason") == "max_articles",
        shared_frontier=bool(stats.get(SHARED_FRONTIER)),
    )


def cleaning(stats: Mapping[str, Any]) -> dict[str, Any]:
    """What the cleaning pipeline did: counters by kind, and what it still found in newscrawler's
    own articles after extraction (leftovers, by kind; the quality gate judges their share)."""
    counters = _under(stats, CLEANING)
    return {
        "leftover_items": counters.pop(LEFTOVER_ITEMS.removeprefix(CLEANING), 0),
        "leftovers": _under(stats, LEFTOVER),
        "counters": {k: n for k, n in counters.items() if not k.startswith("leftover/")},
    }


def build_report(
    stats: Mapping[str, Any],
    *,
    site: str | None,
    output: Path | None,
    thresholds: Thresholds,
    failures: list[Failure],
    empty: EmptyRun | None = None,
) -> dict[str, Any]:
    """The content of `<name>.stats.json`; `empty` says why a run that fetched nothing failed."""
    seen = figures(stats)
    start, finish = stats.get("start_time"), stats.get("finish_time")
    duration = (
        (finish - start).total_seconds() if start and finish else stats.get("elapsed_time_seconds")
    )
    return {
        "site": site,
        "output": str(output) if output is not None else None,
        "started_at": _iso(start),
        "finished_at": _iso(finish),
        "duration_seconds": round(float(duration), 3) if duration is not None else None,
        "finish_reason": stats.get("finish_reason"),
        "incremental": "newscrawler/state/known_articles" in stats,
        "pages": _under(stats, "newscrawler/pages/"),
        "articles": {
            "new": int(stats.get("newscrawler/articles/new", 0)),
            "updated": int(stats.get("newscrawler/articles/updated", 0)),
            "unchanged": int(stats.get("newscrawler/articles/unchanged", 0)),
            "emitted": seen.emitted,
            "extracted": seen.extracted,
            "dropped": _under(stats, "newscrawler/dropped/"),
            # fetched pages that gave no article, by reason (the spider logs each one at INFO)
            "not_emitted": _under(stats, "newscrawler/not_emitted/"),
            "skipped_known": int(stats.get("newscrawler/state/skipped_known", 0)),
            # listed pages an earlier run judged no article (NEWSCRAWLER_RECHECK_NOT_ARTICLES_DAYS)
            "skipped_not_article": int(stats.get("newscrawler/state/skipped_not_article", 0)),
        },
        "cleaning": cleaning(stats),
        "discovery": discovery(stats),
        "http_errors": http_errors(stats),
        "exceptions": exceptions(stats),
        "download_failures": failed_downloads(stats),
        # failed requests (HTTP errors + download failures): the progress line's "errors"
        "errors": error_count(stats),
        # requests refused on purpose, by guard (ssrf, robots, offsite): not errors
        "refused": refusals(stats),
        # set when the run fetched nothing: its exit code and one-line reason
        "failed": {"exit_code": int(empty.code), "name": empty.code.name, "reason": empty.reason}
        if empty
        else None,
        "coverage": {name: round(share, 4) for name, share in seen.coverage.items()},
        "requests_judged": seen.requests,
        "error_rate": round(seen.error_rate, 4),
        "quality": {
            "passed": not failures,
            "failures": [str(f) for f in failures],
            "thresholds": thresholds.as_dict(),
        },
        "scrapy_stats": {key: _jsonable(value) for key, value in sorted(stats.items())},
    }


def summary(report: Mapping[str, Any]) -> str:
    """One paragraph for the end of the log: what came out, what went wrong, the verdict."""
    articles, quality = report["articles"], report["quality"]
    pages = ", ".join(f"{n} {kind}" for kind, n in report["pages"].items()) or "none"
    dropped = ", ".join(f"{n} {why}" for why, n in articles["dropped"].items()) or "none"
    not_emitted = ", ".join(f"{n} {why}" for why, n in articles["not_emitted"].items()) or "none"
    errors = f"Errors: {report.get('errors', 0) or 'none'}" + (
        f" (HTTP errors: {counted(report['http_errors'])};"
        f" download failures: {counted(report.get('download_failures') or {})})"
        if report.get("errors")
        else ""
    )
    refused = refused_text(report.get("refused") or {})
    clean = report.get("cleaning") or {}
    leftovers = ", ".join(f"{n} {kind}" for kind, n in clean.get("leftovers", {}).items())
    if leftovers:
        leftovers = f"{leftovers} in {clean['leftover_items']} articles"
    failed = "; ".join(quality["failures"])
    verdict = "quality gate passed" if quality["passed"] else f"QUALITY GATE FAILED: {failed}"
    if report.get("failed"):
        verdict = f"RUN FAILED ({report['failed']['name']}): {report['failed']['reason']}"
    covered = ", ".join(
        f"{name} {share:.0%}"
        for name, share in report["coverage"].items()
        if name in ("headline", "body", "authors", "date_published")
    )
    incremental = (
        f" ({articles['new']} new, {articles['updated']} updated), {articles['unchanged']}"
        f" unchanged, {articles['skipped_known']} known pages not re-fetched"
        + (
            f", {articles['skipped_not_article']} pages judged no article not re-fetched"
            if articles.get("skipped_not_article")
            else ""
        )
        if report["incremental"]
        else " (no incremental state)"
    )
    if not articles["extracted"]:
        covered = "no articles extracted"
    found = report.get("discovery") or discovery({})
    judged = ", ".join(f"{n} {kind}" for kind, n in sorted(found["judged"].items())) or "none"
    seen = (
        f"Pages judged: {judged}; article-shaped URLs seen {found['article_shaped_seen']},"
        f" not fetched {found['article_shaped_not_fetched']}. "
    )
    return (
        f"Run summary for {report['site'] or 'unknown site'}: "
        f"{articles['emitted']} articles written{incremental}; dropped: {dropped}; "
        f"fetched but not emitted: {not_emitted}. Cleaning leftovers: {leftovers or 'none'}. "
        f"Pages fetched: {pages}. {seen}"
        f"{errors}; error rate {report['error_rate']:.0%}. "
        f"Refused: {refused}. "
        f"Coverage: {covered}. Finished ({report['finish_reason']}) in "
        f"{report['duration_seconds']} s; {verdict}. Output: {report['output'] or 'none'}."
    )


def write_report(report: Mapping[str, Any], path: Path) -> None:
    """Write the report atomically (temp file + rename), like the feed it describes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(path.name + ".part")
    temp.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(temp, path)


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, datetime) else None


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    return str(value)
