"""`scrapy crawl SPIDER -a ...` that checks the spider's arguments before anything starts.

Why: Scrapy builds the spider inside the running crawl, so a missing `-a url=` or an unknown
`-a site=` surfaces as a 20-line asyncio traceback. Built once here first, a bad argument is a
UsageError instead, which Scrapy prints as one `error:` line (exit 2), with the known sites.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError
from scrapy.settings import SETTINGS_PRIORITIES

from newscrawler.exitcodes import EMPTY_RUN_CODES
from newscrawler.runner import judge
from newscrawler.settings_check import SettingError, check_settings

CMDLINE = SETTINGS_PRIORITIES["cmdline"]  # `-s NAME=VALUE`: what the user typed

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler


def known_sites() -> str:
    """The built-in profile names, comma-separated."""
    from newscrawler.profiles.loader import builtin_profiles

    return ", ".join(profile.name for profile in builtin_profiles())


def check_spider_arguments(spidercls: type[Any], spargs: dict[str, Any]) -> None:
    """Build the spider once from its arguments; UsageError with a one-line message if it fails.

    Spiders validate their arguments in __init__ and raise ValueError (or ProfileError, a
    ValueError) naming the argument; a message that does not list the known sites gets them.
    """
    try:
        spidercls(**spargs)
    except ValueError as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if "known" not in message:
            message += f" (known sites: {known_sites()})"
        prefix = "" if f"{spidercls.name} spider" in message else f"{spidercls.name} spider: "
        raise UsageError(prefix + message) from None


class Command(ScrapyCrawlCommand):
    """Scrapy's `crawl`, plus: settings and spider arguments checked first, and the exit code
    of a run that did nothing (6, 7, 8: the codes of `newscrawler crawl`, see exitcodes.py)."""

    crawler: Crawler | None = None

    def _create_crawler(self, spidercls: type[Spider] | str) -> Crawler:
        self.crawler = super()._create_crawler(spidercls)
        return self.crawler

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        try:
            given = [n for n in self.settings if self.settings.getpriority(n) == CMDLINE]
            warnings = check_settings(self.settings, given)
        except SettingError as exc:
            raise UsageError(str(exc)) from None
        for warning in warnings:
            print(f"scrapy crawl: warning: {warning}", file=sys.stderr)
        if len(args) == 1 and self.crawler_process is not None:
            try:
                spidercls = self.crawler_process.spider_loader.load(args[0])
            except KeyError:
                pass  # Scrapy's own message for an unknown spider follows
            else:
                check_spider_arguments(spidercls, opts.spargs)
        super().run(args, opts)
        stats = self.crawler.stats if self.crawler is not None else None
        if self.exitcode == 0 and stats is not None:
            code, reason = judge(stats.get_stats())
            if code in EMPTY_RUN_CODES:  # the quality gate stays a report here, as before
                print(f"scrapy crawl: {code.name} (exit {int(code)}): {reason}", file=sys.stderr)
                self.exitcode = int(code)
