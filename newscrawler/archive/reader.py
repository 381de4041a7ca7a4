"""Stream the HTTP responses of a WARC file (ours or Common Crawl's), skipping what is unusable.

One record is in memory at a time, so a 1 GB CC-NEWS file reads in flat memory. Nothing raises
out of `read_archive`: a damaged stretch (truncated gzip member, a record whose Content-Length
is wrong, garbage) is reported as one `Skip` and reading resumes at the next record start found
in the file; a record that is no HTTP response, too large, or fails its digest is one `Skip` too.
Bodies are returned as stored (still content-encoded); only a chunked transfer coding is undone.
"""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import ChunkedDataReader
from warcio.timeutils import iso_date_to_datetime

GZIP_MAGIC = b"\x1f\x8b\x08"
WARC_MAGIC = b"WARC/"
_SCAN_BLOCK = 1 << 20
_READ_BLOCK = 1 << 18  # a page or more per read: 16 KB reads cost ~5% of re-extraction time
# Failures warcio (and the zlib/gzip layers under it) raise on damaged input.
_DAMAGE = (Exception,)


@dataclass(frozen=True)
class ArchivedResponse:
    """An HTTP response as archived: enough to rebuild the Response a crawl saw."""

    url: str
    status: int
    protocol: str
    headers: list[tuple[str, str]]
    body: bytes
    date: datetime
    offset: int
    file: Path
    record_id: str
    metadata: dict[str, Any] = field(default_factory=dict)

    def header(self, name: str) -> str | None:
        """The first value of a response header (case-insensitive), None when absent."""
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)


@dataclass(frozen=True)
class Skip:
    """A record (or stretch of file) that yields no response, and why."""

    reason: str  # counter key: not_warc, damaged, digest_mismatch, not_http, too_large, ...
    detail: str
    offset: int
    url: str | None = None


def read_archive(path: Path, max_size: int, start: int = 0) -> Iterator[ArchivedResponse | Skip]:
    """Every HTTP response record of `path` from offset `start`, in file order, or a Skip saying
    why not (`max_size`: DOWNLOAD_MAXSIZE, the largest body returned)."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield Skip("unreadable", f"cannot open {path}: {exc.strerror or exc}", 0)
        return
    with handle:
        head = handle.read(len(WARC_MAGIC))
        if not (head.startswith(GZIP_MAGIC[:2]) or head == WARC_MAGIC):
            yield Skip("not_warc", f"{path.name} is not a WARC file (starts {head!r})", 0)
            return
        magic = GZIP_MAGIC if head.startswith(GZIP_MAGIC[:2]) else WARC_MAGIC
        position: int | None = start
        while position is not None:
            position = yield from _read_from(handle, path, position, magic, max_size)


def _read_from(
    handle: IO[bytes], path: Path, start: int, magic: bytes, max_size: int
) -> Generator[ArchivedResponse | Skip, None, int | None]:
    """Read records from `start`; on damage, report it and return where to resume (else None)."""
    handle.seek(start)
    # records.offset: 0 before the first record is done, then the file position (absolute)
    records = ArchiveIterator(handle, check_digests=True, block_size=_READ_BLOCK)
    pending: ArchivedResponse | None = None
    try:
        for record in records:
            offset = max(records.offset, start)  # get_record_offset() would consume the record
            if pending is not None and _is_metadata_of(record, pending.record_id):
                pending.metadata.update(_metadata(record))
                continue
            if pending is not None:
                yield pending
                pending = None
            found = _response(record, path, offset, max_size)
            if isinstance(found, Skip):
                yield found
            else:
                pending = found
    except _DAMAGE as exc:
        if pending is not None:
            yield pending
        damaged_at = max(records.offset, start)
        resume = _next_start(handle, damaged_at + 1, magic)
        end = f"resuming at offset {resume}" if resume is not None else "to the end of the file"
        why = f"{type(exc).__name__}: {_short(exc)}; skipped {end}"
        yield Skip("damaged", why, damaged_at)
        return resume
    if pending is not None:
        yield pending
    end, size = max(records.offset, start), os.fstat(handle.fileno()).st_size
    if end < size:  # warcio stops quietly at a gzip member cut short: say so
        yield Skip("truncated", f"{size - end} bytes at the end are no complete record", end)
    return None


def _short(exc: BaseException) -> str:
    return str(exc).splitlines()[0][:200] if str(exc) else "unreadable record"


def _next_start(handle: IO[bytes], position: int, magic: bytes) -> int | None:
    """Offset of the next gzip member (or `WARC/` line) at or after `position`."""
    handle.seek(position)
    overlap = b""
    base = position
    while block := handle.read(_SCAN_BLOCK):
        data = overlap + block
        index = data.find(magic)
        if magic == WARC_MAGIC:
            while index > 0 and data[index - 1 : index] != b"\n":
                index = data.find(magic, index + 1)
        if index >= 0:
            return base - len(overlap) + index
        overlap = data[-(len(magic)) :]
        base += len(block)
    return None


def _is_metadata_of(record: Any, record_id: str) -> bool:
    headers = record.rec_headers
    return bool(
        record.rec_type == "metadata" and headers.get_header("WARC-Concurrent-To") == record_id
    )


def _metadata(record: Any) -> dict[str, Any]:
    """The JSON metadata newscrawler writes next to each response ({} for anything else)."""
    if record.rec_headers.get_header("Content-Type") != "application/json":
        return {}
    try:
        data = json.loads(record.content_stream().read(1 << 20))
    except (ValueError, zlib.error):
        return {}
    return data if isinstance(data, dict) else {}


def _response(
    record: Any, path: Path, offset: int, max_size: int
) -> ArchivedResponse | Skip | None:
    """The response in `record`, a Skip, or None for records that carry no page by design."""
    kind = record.rec_type
    if kind not in ("response", "resource", "revisit"):
        return None  # warcinfo, request, metadata, conversion: bookkeeping, not pages
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    if kind == "revisit":
        return Skip("revisit", "revisit record (payload stored elsewhere)", offset, url)
    http = record.http_headers
    if kind != "response" or http is None or not url.startswith(("http://", "https://")):
        what = record.rec_headers.get_header("Content-Type") or "no content type"
        return Skip("not_http", f"{kind} record with {what} is no HTTP response", offset, url)
    try:
        status = int(http.get_statuscode())
    except (TypeError, ValueError):
        return Skip("not_http", f"bad HTTP status line {http.statusline!r}", offset, url)
    stream = record.raw_stream
    if (http.get_header("Transfer-Encoding") or "").lower() == "chunked":
        stream = ChunkedDataReader(stream, decomp_type=None)
    body = stream.read(max_size + 1)
    if len(body) > max_size:
        return Skip("too_large", f"body over DOWNLOAD_MAXSIZE ({max_size} bytes)", offset, url)
    while record.raw_stream.read(_SCAN_BLOCK):  # to the end, so the digest is checked
        pass
    if record.digest_checker.passed is False:
        problems = "; ".join(record.digest_checker.problems[:2])
        return Skip("digest_mismatch", f"digest mismatch ({problems})", offset, url)
    headers = [(k, v) for k, v in http.headers if k.lower() != "transfer-encoding"]
    return ArchivedResponse(
        url=url,
        status=status,
        protocol=http.protocol or "HTTP/1.1",
        headers=headers,
        body=body,
        date=_date(record.rec_headers.get_header("WARC-Date")),
        offset=offset,
        file=path,
        record_id=record.rec_headers.get_header("WARC-Record-ID") or "",
    )


def _date(text: str | None) -> datetime:
    """WARC-Date as an aware UTC datetime (microseconds kept); the epoch when missing."""
    try:
        return iso_date_to_datetime(text).replace(tzinfo=UTC)  # type: ignore[no-any-return]
    except (TypeError, ValueError, AttributeError):
        return datetime(1970, 1, 1, tzinfo=UTC)
