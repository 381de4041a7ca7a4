"""Build WARC files for the archive tests: good ones with newscrawler's writer, bad ones by hand
(each damage made the way it happens: a cut copy, an edited header, a foreign record type)."""

from __future__ import annotations

import gzip
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

from warcio.warcwriter import WARCWriter

from newscrawler.archive.records import ArchiveWriter, Exchange
from tests.conftest import FIXTURES

ARTICLE_HTML = (FIXTURES / "pages" / "meta_jsonld_graph" / "page.html").read_bytes()
ARTICLE_URL = "https://daily.example.com/politics/council-approves-budget"
WHEN = datetime(2026, 3, 4, 5, 6, 7, 890123, tzinfo=UTC)
HTML = "text/html; charset=utf-8"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8


def exchange(
    url: str,
    body: bytes,
    content_type: str = HTML,
    *,
    status: int = 200,
    headers: Sequence[tuple[str, str]] = (),
    metadata: Mapping[str, Any] | None = None,
    date: datetime = WHEN,
) -> Exchange:
    return Exchange(
        url=url,
        method="GET",
        request_headers=[("User-Agent", "newscrawler-test")],
        request_body=b"",
        status=status,
        protocol="HTTP/1.1",
        response_headers=[("Content-Type", content_type), *headers],
        body=body,
        date=date,
        metadata={"method": "GET", "kind": "article"} if metadata is None else metadata,
    )


def article_page(n: int) -> tuple[str, bytes]:
    """A distinct copy of the fixture article, at its own URL (its canonical link moved too)."""
    path = "/politics/council-approves-budget"
    return f"{ARTICLE_URL}-{n}", ARTICLE_HTML.replace(path.encode(), f"{path}-{n}".encode())


def write_archive(path: Path, exchanges: Sequence[Exchange]) -> list[int]:
    """A complete archive; the response records' offsets."""
    writer = ArchiveWriter(path)
    offsets = [writer.write(item) for item in exchanges]
    writer.close()
    return offsets


def three_articles(path: Path) -> list[int]:
    return write_archive(path, [exchange(*article_page(n)) for n in range(3)])


def member_end(data: bytes, offset: int) -> int:
    """Where the gzip member starting at `offset` ends (the next member's start)."""
    return data.index(b"\x1f\x8b\x08", offset + 3)


def truncate_member(path: Path, offset: int) -> None:
    """Cut the member at `offset` in half, as a copy interrupted mid-record leaves it."""
    data = path.read_bytes()
    end = member_end(data, offset)
    path.write_bytes(data[:offset] + data[offset : (offset + end) // 2] + data[end:])


def shift_content_length(path: Path, offset: int, delta: int) -> None:
    """Rewrite the WARC Content-Length of the record at `offset` (its bytes unchanged)."""
    data = path.read_bytes()
    end = member_end(data, offset)
    record = gzip.decompress(data[offset:end])
    edited = re.sub(
        rb"Content-Length: (\d+)\r\n\r\nHTTP",
        lambda m: b"Content-Length: %d\r\n\r\nHTTP" % (int(m[1]) + delta),
        record,
    )
    assert edited != record
    path.write_bytes(data[:offset] + gzip.compress(edited) + data[end:])


def append_resource_record(path: Path) -> None:
    """A WARC `resource` record (a screenshot, say): valid WARC, but no HTTP response."""
    buffer = BytesIO()
    writer = WARCWriter(buffer, gzip=True, warc_version="WARC/1.1")
    record = writer.create_warc_record(
        "urn:screenshot:https://daily.example.com/",
        "resource",
        payload=BytesIO(PNG),
        warc_content_type="image/png",
    )
    writer.write_record(record)
    with path.open("ab") as out:
        out.write(buffer.getvalue())
