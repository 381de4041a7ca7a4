"""Today's extraction on archived responses, offline: the same articles a crawl would emit.

Each archived page goes the crawl's way: the Response the downloader built (same class, headers,
body decoded as HttpCompressionMiddleware decodes it, the content guard's checks), the crawl's
article decision (newscrawler.archive.decision), the loader with the sitemap/feed hints the
crawl had, canonical URL and id, the spider's duplicate check, then the schema and duplicate
pipelines, and the JSON Lines exporter the feed uses. `crawled_at` is the record's WARC-Date.
So re-extracting a crawl's own archive writes the crawl's JSONL, line for line.

Records are streamed one at a time (memory stays flat whatever the archive size). Common Crawl
(CC-NEWS) files work too: records without newscrawler metadata count as pages when they are
HTML with status 200.
"""

from __future__ import annotations

import json
import logging
import os
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, cast

from itemadapter import ItemAdapter
from scrapy import Request
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import DropItem, IgnoreRequest, ScrapyDeprecationWarning
from scrapy.exporters import JsonLinesItemExporter
from scrapy.http import HtmlResponse, TextResponse

from newscrawler.archive.changes import ChangeReport
from newscrawler.archive.decision import judge
from newscrawler.archive.middleware import ARCHIVE_META, raw_response, with_pointer
from newscrawler.archive.reader import ArchivedResponse, Skip, read_archive
from newscrawler.feeds import fsync_dir, part_path
from newscrawler.loaders import FETCHED_AT_META
from newscrawler.middlewares.content import SKIPPED_TYPES, media_type
from newscrawler.pipelines import (
    CleaningPipeline,
    DuplicateArticlePipeline,
    SchemaValidationPipeline,
)
from newscrawler.profiles.loader import ProfileError, for_site, host_of, load_profile
from newscrawler.profiles.loader import profile_for_url as _profile_for_url
from newscrawler.profiles.model import Profile
from newscrawler.seen import SeenKeys
from newscrawler.sniff import binary_kind
from newscrawler.spiders.common import settle_identity
from newscrawler.urls import canonical_form

logger = logging.getLogger(__name__)

DISCOVERY_KINDS = frozenset({"robots", "sitemap", "feed"})  # fetched to find pages, not pages
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


class Tally:
    """The stats-collector calls pipelines and the loader make, counted in memory."""

    def __init__(self) -> None:
        self.values: Counter[str] = Counter()

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self.values[key] += count

    def set_value(self, key: str, value: Any) -> None:
        self.values[key] = value

    def get_value(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def get_stats(self) -> dict[str, Any]:
        return dict(self.values)


@dataclass
class Summary:
    """What a re-extraction did: counts by outcome, and what bad input it skipped."""

    archives: int = 0
    responses: int = 0
    pages: int = 0
    articles: int = 0
    not_pages: Counter[str] = field(default_factory=Counter)  # discovery documents, filters
    not_emitted: Counter[str] = field(default_factory=Counter)  # listing, not_article, ...
    skipped: Counter[str] = field(default_factory=Counter)  # bad input, by reason
    output: Path | None = None
    changes: ChangeReport | None = None

    def lines(self) -> list[str]:
        """The summary printed at the end of a run."""
        out = [
            f"Archives read: {self.archives}; responses: {self.responses}; pages judged: "
            f"{self.pages}; articles written: {self.articles}",
        ]
        for title, counts in (
            ("Not pages", self.not_pages),
            ("Not emitted", self.not_emitted),
            ("Skipped (bad input)", self.skipped),
        ):
            if counts:
                listed = ", ".join(f"{key} {n}" for key, n in sorted(counts.items()))
                out.append(f"{title}: {listed}")
        if not self.skipped:
            out.append("Skipped (bad input): none")
        if self.changes is not None:
            out.extend(self.changes.lines())
        return out


@dataclass(frozen=True)
class Filters:
    """Which records to re-extract, and with which profile."""

    profile: Profile | None = None  # --site: this profile for every page
    domains: tuple[str, ...] = ()  # --domain (and the --site profile's domains)

    def wants(self, url: str) -> bool:
        if not self.domains:
            return True
        host = host_of(url)
        return any(host == d or host.endswith(f".{d}") for d in self.domains)


def filters_for(site: str | None, domains: Iterable[str] = ()) -> Filters:
    """Filters from --site PROFILE and --domain values (ProfileError for an unknown profile)."""
    profile = load_profile(site) if site else None
    wanted = [d.lower().removeprefix("www.") for d in domains if d]
    if profile is not None and not profile.generic:
        wanted.extend(profile.domains)
    return Filters(profile, tuple(dict.fromkeys(wanted)))


class Reextraction:
    """One offline run: feed it records, it writes articles and keeps the summary."""

    def __init__(
        self,
        out: IO[bytes],
        filters: Filters,
        max_size: int,
        *,
        changes: ChangeReport | None = None,
        listing: IO[bytes] | None = None,
    ) -> None:
        self.changes = changes
        self.listing = listing
        self.filters = filters
        self.max_size = max_size
        self.stats = Tally()
        self.pipeline_paths = offline_pipelines(crawl_item_pipelines())
        self._pipelines: dict[str | None, list[Any]] = {}  # per profile (the cleaner's)
        self._shared: dict[str, Any] = {}
        with warnings.catch_warnings():  # no crawler here; limits come from request meta
            warnings.simplefilter("ignore", ScrapyDeprecationWarning)
            self.decompression = HttpCompressionMiddleware()
        self.exporter = JsonLinesItemExporter(cast(Any, out), encoding="utf8")
        self.exporter.start_exporting()
        self.done = SeenKeys()  # canonical forms emitted: compact, as in the spider
        self.summary = Summary()
        self._profiles: dict[str, Profile | None] = {}

    def finish(self) -> Summary:
        self.exporter.finish_exporting()
        return self.summary

    def run(self, paths: Iterable[Path]) -> Summary:
        for path in paths:
            self.summary.archives += 1
            for found in read_archive(path, self.max_size):
                if isinstance(found, Skip):
                    self.skip(found.reason, f"{path}:{found.offset}", found.detail, found.url)
                else:
                    self.summary.responses += 1
                    self.page(found)
        return self.finish()

    def skip(self, reason: str, where: str, detail: str, url: str | None = None) -> None:
        """Bad input: counted by reason, logged with its place; the run goes on."""
        self.summary.skipped[reason] += 1
        logger.warning("Skipped (%s) %s%s: %s", reason, where, f" {url}" if url else "", detail)

    def page(self, archived: ArchivedResponse) -> Any:
        """Re-extract one archived response; the article line written, if any."""
        ours = "method" in archived.metadata  # written by newscrawler, with the crawl's context
        kind = archived.metadata.get("kind")
        if kind in DISCOVERY_KINDS:
            self.summary.not_pages[str(kind)] += 1
            return None
        if not (200 <= archived.status < 300 if ours else archived.status == 200):
            self.summary.not_pages[f"status_{archived.status}"] += 1
            return None
        if not self.filters.wants(archived.url):
            self.summary.not_pages["filtered"] += 1
            return None
        response = self.response(archived, ours)
        if response is None:
            return None
        self.summary.pages += 1
        profile = self.profile(archived)
        hints = archived.metadata.get("hints")
        every_page = archived.metadata.get("spider") == "article"
        verdict = judge(response, profile, hints, cast(Any, self.stats), every_page=every_page)
        if verdict.article is None:
            self.summary.not_emitted[verdict.reason] += 1
            logger.info("Not emitted (%s): %s %s", verdict.reason, archived.url, verdict.detail)
            return None
        return self.emit(verdict.article, response, archived, profile)

    def response(self, archived: ArchivedResponse, ours: bool) -> TextResponse | None:
        """The Response the crawl's callback got, or None (counted) when it got none: built as
        the downloader built it, decoded by Scrapy's own HttpCompressionMiddleware, then the
        content guard's checks (newscrawler.middlewares.content)."""
        where = f"{archived.file}:{archived.offset}"
        meta = {
            FETCHED_AT_META: archived.date,
            ARCHIVE_META: pointer(archived),
            "download_maxsize": self.max_size,
        }
        request = Request(archived.url, meta=meta)
        try:
            response = self.decompression.process_response(request, raw_response(archived, request))
        except IgnoreRequest:
            self.skip("too_large", where, "body over DOWNLOAD_MAXSIZE decoded", archived.url)
            return None
        except Exception as exc:  # zlib/brotli errors: the body is not what its header says
            self.skip("bad_encoding", where, f"{type(exc).__name__}: {exc}", archived.url)
            return None
        content_type = media_type(response.headers.get(b"Content-Type"))
        if content_type.startswith(SKIPPED_TYPES):
            self.summary.not_pages["not_html"] += 1
            return None
        if not response.body:
            self.skip("empty_body", where, "empty response body", archived.url)
            return None
        if content_type in ("", "text/html", "application/xhtml+xml", "text/plain"):
            binary = binary_kind(response.body)
            if binary is not None:
                self.skip("binary", where, f"{binary} bytes served as {content_type}", archived.url)
                return None
        html = isinstance(response, HtmlResponse) or content_type in HTML_TYPES
        if not isinstance(response, TextResponse) or not (ours or html):
            self.summary.not_pages["not_html"] += 1
            return None
        return response

    def profile(self, archived: ArchivedResponse) -> Profile | None:
        """--site's profile; else the crawl's (from the metadata); else the URL's domain's."""
        if self.filters.profile is not None:
            return for_site(self.filters.profile, archived.url)
        name = archived.metadata.get("profile")
        host = host_of(archived.url)
        key = f"{name}\n{host}"
        if key not in self._profiles:
            found: Profile | None = None
            if isinstance(name, str):
                try:
                    found = for_site(load_profile(name), archived.url)
                except ProfileError:
                    found = None
            self._profiles[key] = found or _profile_for_url(archived.url)
        return self._profiles[key]

    def pipelines(self, profile: Profile | None) -> list[Any]:
        """The crawl's item pipelines that need no crawl, built with plain values: one run's
        schema and duplicate checks; a cleaner per site profile (its shortcodes, read-also)."""
        key = profile.name if profile is not None else None
        if key not in self._pipelines:
            stats = cast(Any, self.stats)
            if not self._shared:
                self._shared = {
                    SCHEMA: SchemaValidationPipeline(stats),
                    DUPLICATES: DuplicateArticlePipeline(stats),
                }
            self._pipelines[key] = [
                CleaningPipeline(stats, profile=profile) if path == CLEANING else self._shared[path]
                for path in self.pipeline_paths
            ]
        return self._pipelines[key]

    def emit(
        self, item: Any, response: TextResponse, archived: ArchivedResponse, profile: Profile | None
    ) -> Any:
        """The spider's identity and duplicate rules, then the pipelines, then the line."""
        settle_identity(item, response)
        keys = {canonical_form(response.url)}
        if item.canonical_url and item.canonical_url != response.url:
            keys.add(canonical_form(item.canonical_url))
        if any(key in self.done for key in keys):
            self.summary.not_emitted["duplicate"] += 1
            return None
        for key in keys:
            self.done.add(key)
        line = with_pointer(item, pointer(archived))  # as the crawl's spider middleware does
        try:
            for pipeline in self.pipelines(profile):
                line = pipeline.process_item(line)
        except DropItem as exc:
            self.summary.not_emitted["dropped"] += 1
            logger.info("Dropped: %s", exc)
            return None
        if self.changes is not None:
            changed = self.changes.diff(ItemAdapter(line).asdict())
            if changed is None:
                return None
            if self.listing is not None:
                entry = {"id": line.id, "url": line.url, "fields": changed}
                self.listing.write(json.dumps(entry, ensure_ascii=False).encode("utf-8") + b"\n")
        self.exporter.export_item(line)
        self.summary.articles += 1
        return line


CLEANING = "newscrawler.pipelines.CleaningPipeline"
SCHEMA = "newscrawler.pipelines.SchemaValidationPipeline"
DUPLICATES = "newscrawler.pipelines.DuplicateArticlePipeline"
OFFLINE_PIPELINES = frozenset({CLEANING, SCHEMA, DUPLICATES})  # the state's needs a crawl


def crawl_item_pipelines() -> list[str]:
    """ITEM_PIPELINES of a crawl with the project's settings (add-on applied), in order."""
    from scrapy.utils.conf import build_component_list

    from newscrawler.runner import effective_settings

    settings = effective_settings()
    paths = build_component_list(settings.getwithbase("ITEM_PIPELINES"))
    return [p if isinstance(p, str) else f"{p.__module__}.{p.__qualname__}" for p in paths]


def offline_pipelines(paths: Iterable[str]) -> list[str]:
    """The pipelines re-extraction runs: the crawl's, in its order, minus the incremental state
    (re-extraction is a full rewrite: revision stays 1) and components of other projects.

    >>> offline_pipelines(["x.Other", SCHEMA, "newscrawler.state.pipeline.IncrementalPipeline"])
    ['newscrawler.pipelines.SchemaValidationPipeline']
    """
    return [path for path in paths if path in OFFLINE_PIPELINES]


def pointer(archived: ArchivedResponse) -> dict[str, Any]:
    """The `archive` field of an article from this record."""
    return {"file": archived.file.name, "offset": archived.offset}


@contextmanager
def atomic_file(path: Path) -> Iterator[IO[bytes]]:
    """Write `<path>.part`, then fsync and rename it to `path` (as the crawl's feed storage)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = part_path(path)
    with part.open("wb") as out:
        yield out
        out.flush()
        os.fsync(out.fileno())
    os.replace(part, path)
    fsync_dir(path.parent)


def changes_path(output: Path) -> Path:
    """Where the per-article change list of --changed-only goes, next to the output."""
    return output.with_name(output.name.removesuffix(".jsonl") + ".changes.jsonl")


def reextract(
    paths: Iterable[Path],
    output: Path,
    filters: Filters,
    max_size: int,
    earlier: Path | None = None,
) -> Summary:
    """Re-extract `paths` into `output`; with `earlier`, only articles that differ from it are
    written, and their changed fields listed in `changes_path(output)`."""
    changes = ChangeReport.load(earlier) if earlier is not None else None
    with ExitStack() as stack:
        out = stack.enter_context(atomic_file(output))
        listing = stack.enter_context(atomic_file(changes_path(output))) if changes else None
        run = Reextraction(out, filters, max_size, changes=changes, listing=listing)
        summary = run.run(paths)
    summary.output = output
    summary.changes = changes
    return summary
