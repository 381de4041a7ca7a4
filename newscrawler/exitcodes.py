"""Process exit codes of `newscrawler`, documented in the README for cron users."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    ERROR = 1  # the crawl or command failed (unexpected error, unreadable input...)
    USAGE = 2  # bad arguments or settings (argparse uses 2 as well)
    QUALITY_GATE = 3  # the run finished but fell below a quality threshold
    LOCKED = 4  # another run holds the site's lock
    REDIS_UNAVAILABLE = 5  # distributed mode asked for, Redis unreachable
