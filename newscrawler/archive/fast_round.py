"""Read records with fastwarc (twice as fast as warcio here, digests checked), while they are clean.

fastwarc's behaviour on damaged input differs from warcio's (it ends quietly at a gzip member cut
short, reads a record with a short Content-Length without complaint, gives no block digest once
the HTTP headers are parsed). So this round only vouches for a record once the record after it
has been read (proof that it ended where its Content-Length said) and its digests matched; at the
first record in doubt it stops and hands that record's offset to warcio (`slow_round.py`).
"""

from __future__ import annotations

from collections.abc import Generator
from io import BytesIO
from pathlib import Path
from typing import IO

from fastwarc.stream_io import GzipReader
from fastwarc.warc import ArchiveIterator, WarcRecord, WarcRecordType
from warcio.bufferedreaders import ChunkedDataReader

from newscrawler.archive.found import (
    ArchivedResponse,
    Event,
    Metadata,
    Skip,
    metadata_data,
    not_http,
    record_date,
    too_large,
)

_READ_BLOCK = 1 << 18
_MAX_HEADERS = 1 << 16  # room for the HTTP headers in a record's Content-Length
_PAGE_TYPES = WarcRecordType.response | WarcRecordType.resource | WarcRecordType.revisit
_KNOWN_TYPES = (
    _PAGE_TYPES
    | WarcRecordType.warcinfo
    | WarcRecordType.request
    | WarcRecordType.metadata
    | WarcRecordType.conversion
    | WarcRecordType.continuation
)


class _InDoubt(Exception):
    """A record fastwarc read but whose reading warcio must confirm (digest, HTTP head)."""


def fast_round(
    handle: IO[bytes], path: Path, start: int, gzipped: bool, max_size: int
) -> Generator[Event, None, int]:
    """Events of the records from `start` (a record start) that fastwarc reads cleanly; returns
    the offset of the first record it does not vouch for (the last one read, at the latest)."""
    handle.seek(start)
    stream = GzipReader(handle, buffer_size=_READ_BLOCK) if gzipped else handle
    held: Event | None = None  # the last record read, vouched for once the next one reads
    doubt = start
    try:
        for record in ArchiveIterator(stream, parse_http=False, buffer_size=_READ_BLOCK):
            # fastwarc 2.0.1 reports the first record's position (after a seek) as its end
            offset = start if held is None else record.stream_pos
            if held is not None:
                if offset <= held[0]:
                    break  # positions must grow: anything else is not to be trusted
                yield held
            doubt, held = offset, None
            held = (offset, _event(record, path, offset, max_size))
    except Exception:  # damage of any kind: warcio reads it from `doubt`
        pass
    return doubt


def _event(
    record: WarcRecord, path: Path, offset: int, max_size: int
) -> ArchivedResponse | Skip | Metadata | None:
    kind = record.record_type
    if kind == WarcRecordType.metadata:
        data = metadata_data(record.headers.get("Content-Type"), record.reader.read)
        return Metadata(record.headers.get("WARC-Concurrent-To"), data)
    if not kind & _KNOWN_TYPES:
        raise _InDoubt("record type")  # damaged, perhaps a page: warcio says what it is
    if not kind & _PAGE_TYPES:
        return None  # warcinfo, request, conversion: bookkeeping, not pages
    url = _text(record.headers.get_bytes(b"WARC-Target-URI") or b"")
    skip = not_http(str(kind), url, record.headers.get("Content-Type"), offset)
    if skip is not None:
        return skip
    if record.content_length > max_size + _MAX_HEADERS:  # never buffered whole
        return too_large(max_size, offset, url)
    return _response(record, path, offset, url, max_size)


def _response(
    record: WarcRecord, path: Path, offset: int, url: str, max_size: int
) -> ArchivedResponse | Skip:
    """The response, when its digests match and its HTTP head reads; else _InDoubt."""
    headers = record.headers
    if "WARC-Block-Digest" in headers and not record.verify_block_digest(consume=False):
        raise _InDoubt("block digest")
    record.parse_http()
    http = record.http_headers
    status = http.status_code if http is not None else None
    if http is None or not status:
        raise _InDoubt("HTTP head")
    if "WARC-Payload-Digest" in headers and not record.verify_payload_digest(consume=False):
        raise _InDoubt("payload digest")
    body = record.reader.read()
    if (http.get("Transfer-Encoding") or "").lower() == "chunked":
        body = ChunkedDataReader(BytesIO(body), decomp_type=None).read()
    if len(body) > max_size:
        return too_large(max_size, offset, url)
    return ArchivedResponse(
        url=url,
        status=status,
        protocol=(http.status_line or "HTTP/1.1").split(" ", 1)[0],
        headers=[
            (_text(k), _text(v)) for k, v in http.items_bytes() if k.lower() != b"transfer-encoding"
        ],
        body=body,
        date=record_date(headers.get("WARC-Date")),
        offset=offset,
        file=path,
        record_id=record.record_id or "",
    )


def _text(raw: bytes) -> str:
    """A header as warcio decodes it: UTF-8 when it is, else Latin-1 (fastwarc would give
    Latin-1 for HTTP headers and U+FFFD in WARC headers)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")
