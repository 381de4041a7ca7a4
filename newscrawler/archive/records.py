"""Write fetched exchanges as WARC 1.1 records with warcio: request, response, metadata.

One gzip member per record (the layout every WARC tool indexes and seeks into). The file is
written as `<path>.part` and renamed when closed, like the JSONL feed (newscrawler/feeds.py), so
an archive at its final path is always complete. The response body is stored as transferred
(still content-encoded; only the chunked transfer coding, which Twisted removes before Scrapy
sees the body, is gone): readers decode it with the same code a crawl uses.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from io import BytesIO
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from newscrawler.feeds import fsync_dir, part_path

WARC_VERSION = "WARC/1.1"
METADATA_TYPE = "application/json"
# Hop-by-hop framing the HTTP client already undid: kept, the stored body would not match it.
DROPPED_RESPONSE_HEADERS = frozenset({"transfer-encoding"})


@dataclass(frozen=True)
class Exchange:
    """One fetch as plain values: what was asked, what came back, and when."""

    url: str
    method: str
    request_headers: list[tuple[str, str]]
    request_body: bytes
    status: int
    protocol: str
    response_headers: list[tuple[str, str]]
    body: bytes
    date: datetime
    metadata: Mapping[str, Any]


def warc_date(date: datetime) -> str:
    """WARC-Date with microseconds (WARC 1.1 allows them; crawled_at is read back from it)."""
    return str(datetime_to_iso_date(date.astimezone(UTC).replace(tzinfo=None), use_micros=True))


def status_line(status: int) -> str:
    """`200 OK`; an unknown code keeps an empty reason phrase.

    >>> status_line(404), status_line(799)
    ('404 Not Found', '799 ')
    """
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} "


def _request_line(method: str, url: str, protocol: str) -> str:
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return f"{method} {target} {protocol}"


class ArchiveWriter:
    """An open WARC file: `write(exchange)` returns the response record's offset."""

    def __init__(self, path: Path, software: str = "newscrawler") -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file: IO[bytes] = part_path(path).open("wb")
        self._writer = WARCWriter(self._file, gzip=True, warc_version=WARC_VERSION)
        self.responses = 0
        info = {"software": software, "format": "WARC File Format 1.1"}
        self._writer.write_record(self._writer.create_warcinfo_record(path.name, info))

    def write(self, exchange: Exchange) -> int:
        """Append request, response and metadata records; the response record's file offset."""
        headers = {"WARC-Date": warc_date(exchange.date)}
        protocol = exchange.protocol or "HTTP/1.1"
        request = self._writer.create_warc_record(
            exchange.url,
            "request",
            payload=BytesIO(exchange.request_body),
            warc_headers_dict=headers,
            http_headers=StatusAndHeaders(
                _request_line(exchange.method, exchange.url, protocol),
                list(exchange.request_headers),
                is_http_request=True,
            ),
        )
        kept = [
            (name, value)
            for name, value in exchange.response_headers
            if name.lower() not in DROPPED_RESPONSE_HEADERS
        ]
        response = self._writer.create_warc_record(
            exchange.url,
            "response",
            payload=BytesIO(exchange.body),
            warc_headers_dict=headers,
            http_headers=StatusAndHeaders(status_line(exchange.status), kept, protocol=protocol),
        )
        response_id = response.rec_headers.get_header("WARC-Record-ID")
        request.rec_headers.add_header("WARC-Concurrent-To", response_id)
        metadata = self._writer.create_warc_record(
            exchange.url,
            "metadata",
            payload=BytesIO(json.dumps(dict(exchange.metadata), default=str).encode("utf-8")),
            warc_content_type=METADATA_TYPE,
            warc_headers_dict={**headers, "WARC-Concurrent-To": response_id},
        )
        self._writer.write_record(request)
        offset = self._file.tell()
        self._writer.write_record(response)
        self._writer.write_record(metadata)
        self.responses += 1
        return offset

    def close(self) -> Path:
        """Flush, fsync, and rename `<path>.part` to `<path>`: the archive is then complete."""
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        os.replace(part_path(self.path), self.path)
        fsync_dir(self.path.parent)
        return self.path


def header_pairs(headers: Iterable[tuple[bytes, Iterable[bytes]]]) -> list[tuple[str, str]]:
    """Scrapy's Headers items (bytes name, list of bytes values) as (str, str) pairs."""
    return [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in headers
        for value in values
    ]
