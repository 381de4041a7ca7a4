"""Process exit codes of `newscrawler`, documented in the README and `crawl --help` (cron)."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    ERROR = 1  # the crawl or command failed (unexpected error, unreadable input...)
    USAGE = 2  # bad arguments or settings (argparse uses 2 as well)
    QUALITY_GATE = 3  # the run finished but fell below a quality threshold
    LOCKED = 4  # another run holds the site's lock
    REDIS_UNAVAILABLE = 5  # distributed mode asked for, Redis unreachable
    # runs that did nothing (issue 15): see newscrawler/outcome.py
    REFUSED = 6  # the start URL / every request refused: SSRF guard, robots.txt, offsite
    UNREACHABLE = 7  # no page fetched: every download failed (connection refused, DNS, timeout)
    NOTHING_FETCHED = 8  # no page fetched for another reason (HTTP errors, skipped bodies)


# Runs that did nothing (newscrawler.outcome): `scrapy crawl` ends with these codes too.
EMPTY_RUN_CODES = frozenset({ExitCode.REFUSED, ExitCode.UNREACHABLE, ExitCode.NOTHING_FETCHED})

# One line per code for `newscrawler crawl --help` (the README's table says more).
MEANINGS = {
    ExitCode.OK: "the run finished; its output file is finalized",
    ExitCode.ERROR: "the crawl failed (crash, unusable state, output not finalized)",
    ExitCode.USAGE: "bad arguments or settings, found before anything ran",
    ExitCode.QUALITY_GATE: "output below a quality threshold: the layout probably changed",
    ExitCode.LOCKED: "another run of the same site holds its lock",
    ExitCode.REDIS_UNAVAILABLE: "distributed mode asked for, Redis cannot be reached",
    ExitCode.REFUSED: "every request refused (SSRF guard, robots.txt, offsite)",
    ExitCode.UNREACHABLE: "no page fetched: connection refused, DNS failure or timeouts",
    ExitCode.NOTHING_FETCHED: "no page fetched: HTTP errors or skipped responses only",
}


def exit_code_table() -> str:
    """The codes as help text.

    >>> exit_code_table().splitlines()[1]
    '  0 OK                 the run finished; its output file is finalized'
    """
    rows = (f"  {int(code)} {code.name:<18} {MEANINGS[code]}" for code in ExitCode)
    return "exit codes:\n" + "\n".join(rows)
