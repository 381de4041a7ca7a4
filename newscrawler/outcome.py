"""Runs that did nothing: judged from the run's stats, so they fail loudly instead of exiting 0.

A crawl whose every request was refused by our own guards, whose host could not be reached, or
that fetched no page at all writes an empty file that looks like a quiet day. Each of these gets
its own exit code and a one-line reason (cron users grep the codes); none is the quality gate's
"layout changed" code. Pure: reads a stats mapping, no Scrapy here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from newscrawler.exitcodes import ExitCode

# Where each refusal is counted: our SSRF guard, Scrapy's robots.txt and offsite middlewares,
# and the spiders' cross-domain redirect guard. Refusals are deliberate, so never "errors".
REFUSAL_STATS: Mapping[str, tuple[str, ...]] = {
    "ssrf": ("newscrawler/ssrf/refused",),
    "robots": ("robotstxt/forbidden",),
    "offsite": ("offsite/filtered", "newscrawler/offsite/redirect_dropped"),
}
REFUSAL_WORDS = {"ssrf": "by the SSRF guard", "robots": "by robots.txt", "offsite": "offsite"}
# Counted by RunReport: responses below 400 of requests that are not discovery documents.
PAGES_OK = "newscrawler/requests/pages_ok"
DISCOVERY_KINDS = frozenset({"robots", "sitemap", "feed"})
SSRF_HINT = (
    "a private or loopback address: allow it with --allow-private-addresses ADDRESSES"
    " or -s NEWSCRAWLER_ALLOW_PRIVATE_ADDRESSES=ADDRESSES"
)


@dataclass(frozen=True)
class EmptyRun:
    """Why a run produced nothing, and the exit code that says so."""

    code: ExitCode
    reason: str


def under(stats: Mapping[str, Any], prefix: str) -> dict[str, int]:
    """Counters below one stats prefix, keyed by the rest of their name."""
    return {
        key.removeprefix(prefix): int(value)
        for key, value in sorted(stats.items())
        if key.startswith(prefix) and isinstance(value, int | float)
    }


def refusals(stats: Mapping[str, Any]) -> dict[str, int]:
    """Requests refused on purpose, by guard (only guards that refused something).

    >>> refusals({"newscrawler/ssrf/refused": 2, "robotstxt/forbidden": 1})
    {'ssrf': 2, 'robots': 1}
    """
    found = {kind: sum(int(stats.get(k, 0)) for k in keys) for kind, keys in REFUSAL_STATS.items()}
    return {kind: n for kind, n in found.items() if n}


def http_errors(stats: Mapping[str, Any]) -> dict[str, int]:
    """Pages that ended with status >= 400, by status (after retries; robots.txt and probes
    for optional sitemaps/feeds left out: their 404 is an answer, not a failure)."""
    return under(stats, "newscrawler/errors/http/")


def failed_downloads(stats: Mapping[str, Any]) -> dict[str, int]:
    """Downloads that failed for good (after retries), by exception: the network's failures."""
    return under(stats, "newscrawler/errors/download/")


def error_count(stats: Mapping[str, Any]) -> int:
    """Failed requests: HTTP errors plus failed downloads. The progress line and the run summary
    both show this figure, under the same word ("errors")."""
    return sum(http_errors(stats).values()) + sum(failed_downloads(stats).values())


def fetched_pages(stats: Mapping[str, Any]) -> int:
    """Web pages that answered without an error: robots.txt, sitemaps and feeds not counted
    (a run whose start URL and every article were refused fetched nothing, even if the sitemap
    listing them came through)."""
    return int(stats.get(PAGES_OK, 0))


def counted(counts: Mapping[str, int]) -> str:
    """`2×404, 1×503`, or "none".

    >>> counted({"404": 2, "TimeoutError": 1}), counted({})
    ('2×404, 1×TimeoutError', 'none')
    """
    return ", ".join(f"{n}×{name}" for name, n in counts.items()) or "none"


def refused_text(refused: Mapping[str, int]) -> str:
    """`2 by the SSRF guard, 1 by robots.txt`, or "none"."""
    parts = (f"{n} {REFUSAL_WORDS.get(kind, kind)}" for kind, n in refused.items())
    return ", ".join(parts) or "none"


def empty_run(stats: Mapping[str, Any]) -> EmptyRun | None:
    """Why a run that fetched no page failed, or None when at least one page was fetched.

    >>> empty_run({"newscrawler/ssrf/refused": 1}).reason  # doctest: +ELLIPSIS
    'every request was refused: 1 by the SSRF guard (a private or loopback address: ...)'
    >>> empty_run({"newscrawler/errors/download/DNSLookupError": 2}).code.name
    'UNREACHABLE'
    >>> empty_run({PAGES_OK: 1}) is None
    True
    """
    if fetched_pages(stats) > 0:
        return None
    refused, failed, http = refusals(stats), failed_downloads(stats), http_errors(stats)
    if refused:
        hint = f" ({SSRF_HINT})" if "ssrf" in refused else ""
        why = f"every request was refused: {refused_text(refused)}{hint}"
        return EmptyRun(ExitCode.REFUSED, why)
    if failed:
        total = sum(failed.values())
        return EmptyRun(
            ExitCode.UNREACHABLE,
            f"the site could not be reached: {total} download{'s' * (total != 1)} failed"
            f" ({counted(failed)}); check the URL, DNS and the network",
        )
    details = []
    if http:
        details.append(f"HTTP errors: {counted(http)}")
    skipped: dict[str, int] = {}
    for key, n in under(stats, "newscrawler/skipped/").items():  # content_type/application/pdf
        skipped[key.split("/", 1)[0]] = skipped.get(key.split("/", 1)[0], 0) + n
    if skipped:
        details.append(f"responses skipped: {counted(skipped)}")
    why = f" ({'; '.join(details)})" if details else ""
    return EmptyRun(ExitCode.NOTHING_FETCHED, f"no page was fetched{why}")
