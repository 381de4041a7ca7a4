"""The archive inside a crawl: write every fetched response (NEWSCRAWLER_ARCHIVE), or serve a
crawl entirely from archives (NEWSCRAWLER_REPLAY). Both are off unless their setting is given.

`ArchiveMiddleware` sits next to the downloader (above HttpCompressionMiddleware), so it sees each
response as transferred: robots.txt, sitemaps, feeds, listings, redirects and articles alike. It
stamps the request with the fetch time (extraction's `now`, hence `crawled_at`) and the record's
place, which `ArchivePointerMiddleware` copies into each article as `archive: {file, offset}`.
`ReplayMiddleware` answers every request from the archives and refuses any URL they lack, so a
replayed crawl never touches the network; the rest of the crawl (decompression, redirects,
discovery, extraction) runs exactly as it did live.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import fields
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from itemadapter import ItemAdapter, is_item
from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes

from newscrawler.archive.reader import ArchivedResponse, read_archive
from newscrawler.archive.records import ArchiveWriter, Exchange, header_pairs
from newscrawler.extensions.context import KIND_META
from newscrawler.items import ArchivedArticle, Article
from newscrawler.loaders import FETCHED_AT_META  # the response's fetch time (= its WARC-Date)
from newscrawler.paths import safe_site_dirname, utc_stamp

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

ARCHIVE_META = "newscrawler_archive"  # {"file": name, "offset": n} of its response record
REPLAYED_FLAG = "replayed"
ARCHIVE_SUFFIX = ".warc.gz"
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})


def archive_path(settings: BaseSettings, site: str | None = None) -> Path | None:
    """Where NEWSCRAWLER_ARCHIVE says to write: a .warc.gz path, or (1/true) next to the feed.

    With a true value the archive goes to `<feed dir>/archive/<feed stem>.warc.gz`, so
    `output/<site>/<stamp>.jsonl` gets `output/<site>/archive/<stamp>.warc.gz`; with no local
    feed, `output/<site>/archive/<UTC stamp>.warc.gz`.
    """
    value = str(settings.get("NEWSCRAWLER_ARCHIVE") or "").strip()
    if not value or value.lower() in ("0", "false", "no", "off"):
        return None
    if value.lower() not in TRUE_WORDS:
        return Path(value)
    for uri in settings.getdict("FEEDS"):
        feed = Path(str(uri).removeprefix("file://"))
        if "://" not in str(uri) or str(uri).startswith("file://"):
            return feed.parent / "archive" / f"{feed.name.split('.')[0]}{ARCHIVE_SUFFIX}"
    folder = Path("output") / safe_site_dirname(site or "unknown") / "archive"
    return folder / f"{utc_stamp()}{ARCHIVE_SUFFIX}"


def is_robots_url(url: str) -> bool:
    """robots.txt, as Scrapy's RobotsTxtMiddleware fetches it (with no newscrawler meta).

    >>> is_robots_url("https://ex.com/robots.txt"), is_robots_url("https://ex.com/a")
    (True, False)
    """
    return urlsplit(url).path == "/robots.txt"


def exchange_metadata(request: Request, spider: Spider | None) -> dict[str, Any]:
    """What the crawl knew about a page before fetching it, needed to extract it again."""
    meta = request.meta
    profile = getattr(spider, "profile", None)
    data: dict[str, Any] = {
        "method": request.method,
        "kind": meta.get(KIND_META) or ("robots" if is_robots_url(request.url) else None),
        "profile": getattr(profile, "name", None),
        "link_depth": meta.get("link_depth"),
        "spider": getattr(spider, "name", None),  # `article` emits every page it is given
    }
    if meta.get("hints"):
        data["hints"] = meta["hints"]
    if meta.get("redirect_urls"):
        data["redirect_urls"] = list(meta["redirect_urls"])
    return {key: value for key, value in data.items() if value is not None}


class ArchiveMiddleware:
    """Downloader middleware writing each response (and its request) to the WARC archive."""

    def __init__(self, path: Path, stats: StatsCollector, crawler: Crawler | None = None) -> None:
        self.path = path
        self.stats = stats
        self.crawler = crawler
        self.writer: ArchiveWriter | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchiveMiddleware:
        path = archive_path(crawler.settings, crawler.settings.get("NEWSCRAWLER_SITE"))
        if path is None:
            raise NotConfigured
        if crawler.settings.get("NEWSCRAWLER_REPLAY"):
            raise NotConfigured("an archive is not re-written while replaying it")
        assert crawler.stats is not None
        middleware = cls(path, crawler.stats, crawler)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def process_response(self, request: Request, response: Response) -> Response:
        if self.writer is None:
            self.writer = ArchiveWriter(self.path)
            logger.info("Archiving every response to %s", self.path)
        fetched = datetime.now(UTC)
        spider = self.crawler.spider if self.crawler is not None else None
        offset = self.writer.write(
            Exchange(
                url=response.url,
                method=request.method,
                request_headers=header_pairs(request.headers.items()),
                request_body=request.body,
                status=response.status,
                protocol=response.protocol or "HTTP/1.1",
                response_headers=header_pairs(response.headers.items()),
                body=response.body,
                date=fetched,
                metadata=exchange_metadata(request, spider),
            )
        )
        request.meta[FETCHED_AT_META] = fetched
        request.meta[ARCHIVE_META] = {"file": self.path.name, "offset": offset}
        self.stats.inc_value("newscrawler/archive/responses")
        return response

    def spider_closed(self) -> None:
        if self.writer is None:
            return
        path = self.writer.close()
        self.stats.set_value("newscrawler/archive/file", str(path))
        logger.info("Archive finalized: %s (%d responses)", path, self.writer.responses)


def with_pointer(item: Any, pointer: dict[str, Any]) -> Any:
    """The item with `archive` last (the optional schema v1 field): an ArchivedArticle for an
    Article (so the article pipelines still know it), else a dict."""
    if isinstance(item, Article):
        values = {f.name: getattr(item, f.name) for f in fields(Article)}
        return ArchivedArticle(**values, archive=dict(pointer))
    return {**ItemAdapter(item).asdict(), "archive": dict(pointer)}


class ArchivePointerMiddleware:
    """Spider middleware: each article records where its page is archived."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePointerMiddleware:
        settings = crawler.settings
        if archive_path(settings) is None and not settings.get("NEWSCRAWLER_REPLAY"):
            raise NotConfigured
        return cls()

    async def process_spider_output(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        pointer = response.meta.get(ARCHIVE_META) if response.request is not None else None
        async for entry in result:
            yield with_pointer(entry, pointer) if pointer and is_item(entry) else entry


def raw_response(archived: ArchivedResponse, request: Request | None = None) -> Response:
    """The Response the downloader built for this record: same class, headers, raw body."""
    headers = Headers(archived.headers)
    respcls = responsetypes.from_args(headers=headers, url=archived.url, body=archived.body)
    return respcls(
        url=archived.url,
        status=archived.status,
        headers=headers,
        body=archived.body,
        protocol=archived.protocol,
        request=request,
    )


class ReplayMiddleware:
    """Downloader middleware answering every request from WARC archives, never the network."""

    def __init__(self, paths: list[Path], stats: StatsCollector, max_size: int) -> None:
        self.paths = paths
        self.stats = stats
        self.max_size = max_size
        self.index: dict[tuple[str, str], tuple[Path, int]] = {}
        for path in paths:
            self._index(path)
        logger.info("Replaying %d responses from %s", len(self.index), ", ".join(map(str, paths)))

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReplayMiddleware:
        value = crawler.settings.get("NEWSCRAWLER_REPLAY")
        if not value:
            raise NotConfigured
        names = value if isinstance(value, list | tuple) else str(value).split(",")
        paths = [Path(str(name).strip()) for name in names if str(name).strip()]
        assert crawler.stats is not None
        return cls(paths, crawler.stats, crawler.settings.getint("DOWNLOAD_MAXSIZE"))

    def _index(self, path: Path) -> None:
        """URL -> the place of its last archived response (bodies are read when requested)."""
        for found in read_archive(path, self.max_size):
            if isinstance(found, ArchivedResponse):
                method = str(found.metadata.get("method", "GET"))
                self.index[(method, found.url)] = (path, found.offset)
            else:
                self.stats.inc_value(f"newscrawler/replay/skipped/{found.reason}")
                logger.warning(
                    "Replay: skipped record at %s:%d: %s", path, found.offset, found.detail
                )

    def process_request(self, request: Request) -> Response:
        place = self.index.get((request.method, request.url))
        if place is None:
            self.stats.inc_value("newscrawler/replay/missing")
            logger.info("Replay: %s %s is not in the archive", request.method, request.url)
            raise IgnoreRequest(f"not in the archive: {request.url}")
        path, offset = place
        archived = read_one(path, offset, self.max_size)
        if archived is None:
            self.stats.inc_value("newscrawler/replay/unreadable")
            raise IgnoreRequest(f"archived response unreadable: {path}:{offset}")
        self.stats.inc_value("newscrawler/replay/served")
        request.meta[FETCHED_AT_META] = archived.date  # crawled_at as in the archived crawl
        request.meta[ARCHIVE_META] = {"file": path.name, "offset": offset}
        response = raw_response(archived, request)
        response.flags.append(REPLAYED_FLAG)
        return response


def read_one(path: Path, offset: int, max_size: int) -> ArchivedResponse | None:
    """The response record at `offset` of `path` (None when it is not one)."""
    for found in read_archive(path, max_size, start=offset):
        return found if isinstance(found, ArchivedResponse) else None
    return None
