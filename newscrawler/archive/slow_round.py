"""Read a record in doubt with warcio, the reference reader, and get past it.

fastwarc (`fast_round.py`) hands over the records it does not vouch for: the last record of a
file, a record after which the next does not read, a digest that does not match. warcio reads
from there, as it read whole files before fastwarc: a record it cannot read is a damaged
stretch, reported once, after which reading resumes at the next record start found in the file
(the next gzip member, or `WARC/` line); a file ending inside a record is `truncated`. The round
ends at the first record start past the one in doubt, where fastwarc takes over again.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Generator
from pathlib import Path
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import ChunkedDataReader

from newscrawler.archive.found import (
    ArchivedResponse,
    Event,
    Found,
    Metadata,
    Skip,
    metadata_data,
    not_http,
    record_date,
    short,
    too_large,
)

GZIP_MAGIC = b"\x1f\x8b\x08"
WARC_MAGIC = b"WARC/"
_SCAN_BLOCK = 1 << 20
_READ_BLOCK = 1 << 18  # a page or more per read: 16 KB reads cost ~5% of re-extraction time


def slow_round(
    handle: IO[bytes], path: Path, start: int, magic: bytes, max_size: int, to_end: bool = False
) -> Generator[Event, None, int | None]:
    """Events from `start` (a record start) up to the next record start after it, which is
    returned (None at the end of the file); `to_end`: read on to the end or the next damage."""
    handle.seek(start)
    # records.offset: 0 before the first record is done, then the file position (absolute)
    records = ArchiveIterator(handle, check_digests=True, block_size=_READ_BLOCK)
    cut = False  # whether the last record read was cut short by the end of the file
    try:
        for record in records:
            offset: int = max(records.offset, start)  # get_record_offset() would consume it
            if offset > start and not to_end:
                return offset
            if record.rec_type is None or record.length is None:
                raise _Headless  # its end is unknown: warcio would read to the end of the file
            found = _event(record, path, offset, max_size)
            cut = _cut_short(record)
            if cut:  # the file ends inside it: a body this short is not the page
                url = record.rec_headers.get_header("WARC-Target-URI")
                found = Skip("truncated", "the file ends inside this record", offset, url)
            yield offset, found
    except Exception as exc:  # damage of any kind, from warcio, zlib or gzip
        damaged_at = max(records.offset, start)
        resume = next_start(handle, damaged_at + 1, magic)
        end = f"resuming at offset {resume}" if resume is not None else "to the end of the file"
        why = f"{type(exc).__name__}: {short(exc)}; skipped {end}"
        # the start of a record header, then the end of the file: a cut, not damage
        reason = "truncated" if isinstance(exc, _Headless) and resume is None else "damaged"
        yield damaged_at, Skip(reason, why, damaged_at)
        return resume
    end, size = max(records.offset, start), os.fstat(handle.fileno()).st_size
    if end < size and not cut:  # warcio stops quietly at a gzip member cut short: say so
        detail = f"{size - end} bytes at the end are no complete record"
        yield end, Skip("truncated", detail, end)
    return None


class _Headless(Exception):
    """A record without a type or a Content-Length: the start of a header, not a record."""

    def __str__(self) -> str:
        return "a record header without WARC-Type or Content-Length"


def next_start(handle: IO[bytes], position: int, magic: bytes) -> int | None:
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


def _event(record: Any, path: Path, offset: int, max_size: int) -> Found:
    headers = record.rec_headers
    kind = record.rec_type
    if kind == "metadata":
        data = metadata_data(headers.get_header("Content-Type"), _tolerant(record))
        return Metadata(headers.get_header("WARC-Concurrent-To"), data)
    if kind not in ("response", "resource", "revisit"):
        return None  # warcinfo, request, conversion: bookkeeping, not pages
    url = headers.get_header("WARC-Target-URI") or ""
    http = record.http_headers
    content_type = headers.get_header("Content-Type")
    skip = not_http(kind, url, content_type, offset, has_http=http is not None)
    return skip or _response(record, http, path, offset, url, max_size)


def _cut_short(record: Any) -> bool:
    """Whether the record's block ends before its Content-Length (read to its end here)."""
    stream = record.raw_stream
    while stream.read(_SCAN_BLOCK):
        pass
    return getattr(stream, "limit", 0) > 0


def _tolerant(record: Any) -> Any:
    """The metadata record's read(n), giving b"" where its compressed bytes do not inflate."""

    def read(size: int) -> bytes:
        try:
            return record.content_stream().read(size)  # type: ignore[no-any-return]
        except zlib.error:
            return b""

    return read


def _response(
    record: Any, http: Any, path: Path, offset: int, url: str, max_size: int
) -> ArchivedResponse | Skip:
    try:
        status = int(http.get_statuscode())
    except (TypeError, ValueError):
        return Skip("not_http", f"bad HTTP status line {http.statusline!r}", offset, url)
    stream = record.raw_stream
    if (http.get_header("Transfer-Encoding") or "").lower() == "chunked":
        stream = ChunkedDataReader(stream, decomp_type=None)
    body = stream.read(max_size + 1)
    if len(body) > max_size:
        return too_large(max_size, offset, url)
    while record.raw_stream.read(_SCAN_BLOCK):  # to the end, so the digest is checked
        pass
    if record.digest_checker.passed is False:
        problems = "; ".join(record.digest_checker.problems[:2])
        return Skip("digest_mismatch", f"digest mismatch ({problems})", offset, url)
    return ArchivedResponse(
        url=url,
        status=status,
        protocol=http.protocol or "HTTP/1.1",
        headers=[(k, v) for k, v in http.headers if k.lower() != "transfer-encoding"],
        body=body,
        date=record_date(record.rec_headers.get_header("WARC-Date")),
        offset=offset,
        file=path,
        record_id=record.rec_headers.get_header("WARC-Record-ID") or "",
    )
