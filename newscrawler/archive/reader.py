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
from io import BytesIO
from pathlib import Path
from typing import IO, Any

from fastwarc.stream_io import GzipReader
from fastwarc.warc import ArchiveIterator, WarcRecord, WarcRecordType
from warcio.bufferedreaders import ChunkedDataReader
from warcio.timeutils import iso_date_to_datetime

GZIP_MAGIC = b"\x1f\x8b\x08"
WARC_MAGIC = b"WARC/"
_SCAN_BLOCK = 1 << 20
_READ_BLOCK = 1 << 18  # a page or more per read: 16 KB reads cost ~5% of re-extraction time
_HTTP = ("http://", "https://")
_MAX_HEADERS = 1 << 16  # room for the HTTP headers in a record's Content-Length
# Failures fastwarc (and the gzip layer under it) raise on damaged input.
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
        yield from _read_all(handle, path, start, magic, max_size)


def _read_all(
    handle: IO[bytes], path: Path, start: int, magic: bytes, max_size: int
) -> Iterator[ArchivedResponse | Skip]:
    """Read from `start` to the end; one damaged stretch (however many record starts in it fail
    to read) is one Skip, after which reading resumes at the next record start that reads."""
    size = os.fstat(handle.fileno()).st_size
    damage: Skip | None = None
    position: int | None = start
    while position is not None:
        stop = _Stop()
        for found in _read_from(handle, path, position, magic, max_size, stop):
            if damage is not None:
                yield damage
                damage = None
            yield found
        if stop.at is None:
            break
        position = _next_start(handle, stop.at + 1, magic)
        if damage is None and not stop.same_record:
            why = stop.why or "unreadable record"
            damage = Skip("damaged", why, stop.at)
        if position is None:
            detail = f"{size - stop.at} bytes at the end are no complete record"
            if damage is not None and damage.offset == start and not stop.why:
                damage = Skip("truncated", detail, stop.at)
            elif damage is not None:
                damage = Skip("truncated" if not stop.why else "damaged",
                              f"{damage.detail}; {detail}", damage.offset)  # fmt: skip
    if damage is not None:
        yield damage


@dataclass
class _Stop:
    """Where reading stopped short of the end, if it did, and why."""

    at: int | None = None
    why: str = ""
    same_record: bool = False  # the failing bytes belong to a record already reported


def _read_from(
    handle: IO[bytes], path: Path, start: int, magic: bytes, max_size: int, stop: _Stop
) -> Iterator[ArchivedResponse | Skip]:
    """Records from `start` (a record start); sets `stop` when the file does not read to its end."""
    handle.seek(start)
    stream = GzipReader(handle, buffer_size=_READ_BLOCK) if magic == GZIP_MAGIC else handle
    records = ArchiveIterator(stream, parse_http=True, buffer_size=_READ_BLOCK)
    pending: ArchivedResponse | None = None
    last = start  # where the last record read began
    last_skipped = False
    first = True
    try:
        for record in records:
            # fastwarc 2.0.1 reports the first record's position as its end: it starts at `start`
            last = offset = start if first else record.stream_pos
            first = False
            if pending is not None and _is_metadata_of(record, pending.record_id):
                pending.metadata.update(_metadata(record))
                continue
            if pending is not None:
                yield pending
                pending = None
            found = _response(record, path, offset, max_size)
            last_skipped = isinstance(found, Skip)
            if isinstance(found, Skip):
                yield found
            else:
                pending = found
    except _DAMAGE as exc:
        stop.at, stop.why = last, f"{type(exc).__name__}: {_short(exc)}"
        stop.same_record = last_skipped
    if pending is not None:
        yield pending
    if stop.at is None and magic == GZIP_MAGIC and not _last_member_complete(handle, last):
        stop.at = last  # fastwarc ends quietly at a gzip member cut short


def _last_member_complete(handle: IO[bytes], offset: int) -> bool:
    """Whether the gzip members from `offset` to the end of the file decompress to their end."""
    handle.seek(offset)
    inflate, fed = zlib.decompressobj(31), False
    while block := handle.read(_SCAN_BLOCK):
        data = block
        while data:
            inflate.decompress(data, 1)  # output discarded: only completeness matters
            fed = True
            while inflate.unconsumed_tail:
                inflate.decompress(inflate.unconsumed_tail, 1 << 16)
            if not inflate.eof:
                break
            data = inflate.unused_data
            inflate, fed = zlib.decompressobj(31), False
    return not fed


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


def _is_metadata_of(record: WarcRecord, record_id: str) -> bool:
    return bool(
        record.record_type == WarcRecordType.metadata
        and record.headers.get("WARC-Concurrent-To") == record_id
    )


def _metadata(record: WarcRecord) -> dict[str, Any]:
    """The JSON metadata newscrawler writes next to each response ({} for anything else)."""
    if record.headers.get("Content-Type") != "application/json":
        return {}
    try:
        data = json.loads(record.reader.read(1 << 20))
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


_PAGE_TYPES = WarcRecordType.response | WarcRecordType.resource | WarcRecordType.revisit


def _response(
    record: WarcRecord, path: Path, offset: int, max_size: int
) -> ArchivedResponse | Skip | None:
    """The response in `record`, a Skip, or None for records that carry no page by design."""
    kind = record.record_type
    if not kind & _PAGE_TYPES:
        return None  # warcinfo, request, metadata, conversion: bookkeeping, not pages
    url = record.headers.get("WARC-Target-URI") or ""
    if kind == WarcRecordType.revisit:
        return Skip("revisit", "revisit record (payload stored elsewhere)", offset, url)
    http = record.http_headers
    if kind != WarcRecordType.response or http is None or not url.startswith(_HTTP):
        what = record.headers.get("Content-Type") or "no content type"
        return Skip("not_http", f"{kind} record with {what} is no HTTP response", offset, url)
    status = http.status_code
    if status is None:
        return Skip("not_http", f"bad HTTP status line {http.status_line!r}", offset, url)
    if record.content_length > max_size + _MAX_HEADERS:  # never buffered whole
        return Skip("too_large", f"body over DOWNLOAD_MAXSIZE ({max_size} bytes)", offset, url)
    if not _digests_match(record):
        return Skip("digest_mismatch", "digest mismatch (block or payload)", offset, url)
    body = record.reader.read()
    if (http.get("Transfer-Encoding") or "").lower() == "chunked":
        body = ChunkedDataReader(BytesIO(body), decomp_type=None).read()
    if len(body) > max_size:
        return Skip("too_large", f"body over DOWNLOAD_MAXSIZE ({max_size} bytes)", offset, url)
    headers = [(k, v) for k, v in http.items() if k.lower() != "transfer-encoding"]
    return ArchivedResponse(
        url=url,
        status=status,
        protocol=(http.status_line or "HTTP/1.1").split(" ", 1)[0],
        headers=headers,
        body=body,
        date=_date(record.headers.get("WARC-Date")),
        offset=offset,
        file=path,
        record_id=record.record_id or "",
    )


def _digests_match(record: WarcRecord) -> bool:
    """The payload digest, where the record declares one (the payload stays readable). The
    block digest cannot be checked here: it covers the HTTP headers, already parsed."""
    declared = "WARC-Payload-Digest" in record.headers
    return not declared or record.verify_payload_digest(consume=False)


def _date(text: str | None) -> datetime:
    """WARC-Date as an aware UTC datetime (microseconds kept); the epoch when missing."""
    try:
        return iso_date_to_datetime(text).replace(tzinfo=UTC)  # type: ignore[no-any-return]
    except (TypeError, ValueError, AttributeError):
        return datetime(1970, 1, 1, tzinfo=UTC)
