"""`newscrawler extract PATH|URL|-`: one page to one article, printed as JSON.

A file or stdin is read as bytes (gzip unpacked, binary refused) and handed to extraction
(encoding sniffed there). A URL is fetched with Scrapy (one request, robots.txt obeyed, the
project's SSRF and size guards on), so a page that a crawl would not fetch is not fetched here
either. Unreadable input exits non-zero with a one-line error on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newscrawler.exitcodes import ExitCode

_URL_SCHEMES = ("http://", "https://")


class InputError(Exception):
    """Input that cannot be turned into a page; the message is one line for the user."""


class UsageError(InputError):
    """Bad arguments: an unknown profile, a --url that is not a URL."""


@dataclass(frozen=True)
class Fetched:
    """A downloaded page: final URL, body bytes and the Content-Type header."""

    url: str
    body: bytes
    content_type: str | None


def _setting(value: str) -> tuple[str, str]:
    name, sep, setting = value.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {value!r}")
    return name, setting


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "extract", help="extract one page (file, URL or - for stdin) and print the article as JSON"
    )
    parser.add_argument("source", metavar="PATH|URL|-", help="HTML file, http(s) URL, or -")
    parser.add_argument("--url", help="the page's URL when reading a file or stdin")
    parser.add_argument("--profile", metavar="NAME", help="site profile name or .toml path")
    parser.add_argument(
        "--allow-private-addresses", metavar="ADDRESSES",
        help='fetch from these private addresses too, e.g. "127.0.0.1" or "10.0.0.0/8,::1"',
    )  # fmt: skip
    parser.add_argument(
        "-s", "--set", dest="settings", action="append", type=_setting, default=[],
        metavar="NAME=VALUE", help="Scrapy/newscrawler setting for fetching a URL (repeatable)",
    )  # fmt: skip
    parser.set_defaults(func=run)


def read_source(source: str) -> bytes:
    """Bytes of a file, or of stdin for "-"; InputError when unreadable or empty."""
    try:
        data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {source}: {exc.strerror or exc}") from exc
    name = "stdin" if source == "-" else source
    if not data.strip():
        raise InputError(f"{name} is empty")
    return page_bytes(data, name)


def page_bytes(data: bytes, name: str) -> bytes:
    """The bytes of an HTML page: gzip unpacked (recognised by its magic bytes, whatever the
    file is called); InputError when the input is binary (PDF, image, archive...), not HTML."""
    from newscrawler.discovery.xml import maybe_gunzip
    from newscrawler.runner import effective_settings
    from newscrawler.sniff import binary_kind

    try:
        data = maybe_gunzip(data, effective_settings().getint("DOWNLOAD_MAXSIZE"))
    except ValueError as exc:
        raise InputError(f"{name}: {exc}") from None
    kind = binary_kind(data)
    if kind is not None:
        raise InputError(f"{name} is not an HTML page ({kind} data)")
    return data


def _fetch_settings(overrides: list[tuple[str, str]]) -> Any:
    """The project's settings (guards, user agent, robots.txt) minus output and run machinery."""
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("newscrawler.settings", priority="project")
    settings.set("ITEM_PIPELINES", {}, priority="cmdline")
    settings.set("EXTENSIONS", {"newscrawler.redaction.LogRedaction": 0}, priority="cmdline")
    settings.set("SPIDER_MIDDLEWARES", {}, priority="cmdline")
    middlewares = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
    middlewares.pop("newscrawler.extensions.runreport.FailedDownloads", None)
    settings.set("DOWNLOADER_MIDDLEWARES", middlewares, priority="cmdline")
    for name, value in {
        "ROBOTSTXT_OBEY": True,
        "AUTOTHROTTLE_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "ERROR",
        "FEEDS": {},
        # the add-on's guards stay on; its item and run machinery has nothing to do here
        "NEWSCRAWLER_CLEANING_ENABLED": False,
        "NEWSCRAWLER_ARTICLE_CHECKS_ENABLED": False,
        "NEWSCRAWLER_REPORT_ENABLED": False,
    }.items():
        settings.set(name, value, priority="cmdline")
    for name, value in overrides:
        settings.set(name, value, priority="cmdline")
    return settings


def fetch(url: str, overrides: list[tuple[str, str]] | None = None) -> Fetched:
    """Download one page with Scrapy (blocking; once per process). InputError on failure."""
    import scrapy
    from scrapy.crawler import CrawlerProcess

    box: dict[str, Any] = {}

    class FetchSpider(scrapy.Spider):
        name = "newscrawler-extract"

        async def start(self) -> Any:
            yield scrapy.Request(
                url, callback=self.got, errback=self.failed, dont_filter=True,
                meta={"handle_httpstatus_all": True},
            )  # fmt: skip

        def got(self, response: Any) -> None:
            box["response"] = response

        def failed(self, failure: Any) -> None:
            box["error"] = failure

    process = CrawlerProcess(_fetch_settings(overrides or []))
    crawler = process.create_crawler(FetchSpider)
    process.crawl(crawler)
    process.start()
    response = box.get("response")
    if response is None:
        stats = crawler.stats.get_stats() if crawler.stats else {}
        if stats.get("robotstxt/forbidden"):
            raise InputError(f"robots.txt forbids fetching {url}")
        failure = box.get("error")
        reason = failure.getErrorMessage() if failure is not None else "no response"
        raise InputError(f"cannot fetch {url}: {reason}")
    if response.status >= 400:
        raise InputError(f"cannot fetch {url}: HTTP {response.status}")
    content_type = response.headers.get("Content-Type")
    return Fetched(
        url=response.url,
        body=response.body,
        content_type=content_type.decode("latin-1") if content_type else None,
    )


def _profile(name: str | None, url: str | None) -> Any:
    """The named profile (InputError if unknown), else the one matching the URL's domain."""
    try:
        from newscrawler.profiles.loader import ProfileError, load_profile, profile_for_url
    except ImportError as exc:  # profiles are optional for extraction
        if name:
            raise UsageError(f"profiles are unavailable: {exc}") from exc
        return None
    if name:
        try:
            return load_profile(name)
        except ProfileError as exc:
            raise UsageError(str(exc).splitlines()[0]) from exc
    return profile_for_url(url) if url else None


def run(args: argparse.Namespace) -> int:
    from newscrawler.extraction.article import extract_article

    content_type = None
    url: str | None = args.url
    try:
        if url is not None and not url.startswith(_URL_SCHEMES):
            raise UsageError(f"--url must be an http(s) URL, got {url!r}")
        profile = _profile(args.profile, url or (args.source if _is_url(args.source) else None))
        if _is_url(args.source):
            overrides = list(args.settings)
            if args.allow_private_addresses:
                allow = ("NEWSCRAWLER_ALLOW_PRIVATE_ADDRESSES", args.allow_private_addresses)
                overrides.append(allow)
            fetched = fetch(args.source, overrides)
            body, url, content_type = fetched.body, url or fetched.url, fetched.content_type
        else:
            body = read_source(args.source)
    except InputError as exc:
        print(f"newscrawler extract: error: {exc}", file=sys.stderr)
        return int(ExitCode.USAGE if isinstance(exc, UsageError) else ExitCode.ERROR)
    article = extract_article(body, url, profile, content_type=content_type)
    if article["url"] is None:
        print(
            "newscrawler extract: warning: no URL (no --url, no canonical link in the page):"
            " url and id are null, so this article does not validate against the schema",
            file=sys.stderr,
        )
    try:
        sys.stdout.write(json.dumps(article, ensure_ascii=False, indent=2) + "\n")
        sys.stdout.flush()
    except BrokenPipeError:  # `| head`: the reader has what it wanted
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps interpreter exit quiet
    return int(ExitCode.OK)


def _is_url(source: str) -> bool:
    return source.startswith(_URL_SCHEMES)
