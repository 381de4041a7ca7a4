"""What reading an archive finds, record by record: the types both WARC readers produce.

`read_archive` (reader.py) runs two readers over one file, fastwarc for speed and warcio where a
record is in doubt; each turns a record into an `Event`, and one pairing step turns the events
into responses and skips. Keeping the types here keeps the two readers interchangeable.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from warcio.timeutils import iso_date_to_datetime

_HTTP = ("http://", "https://")


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
    file: Any  # pathlib.Path (Any keeps this module free of the reader's imports)
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


@dataclass(frozen=True)
class Metadata:
    """A `metadata` record: merged into the response it is concurrent to, if that came just
    before it (newscrawler writes request, response, metadata for each fetch)."""

    concurrent_to: str | None
    data: dict[str, Any]


# A record's offset and what it holds; None: a record that carries no page by design
# (warcinfo, request, conversion).
Found = ArchivedResponse | Skip | Metadata | None
Event = tuple[int, Found]


def metadata_data(content_type: str | None, read: Any) -> dict[str, Any]:
    """The JSON newscrawler writes in its metadata records ({} for anything else);
    `read(n)` reads the record's content."""
    if content_type != "application/json":
        return {}
    try:
        data = json.loads(read(1 << 20))
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def not_http(
    kind: str, url: str, content_type: str | None, offset: int, has_http: bool = True
) -> Skip | None:
    """The Skip for a record that is no HTTP response (by its WARC headers, or `has_http`:
    whether an HTTP head was found in it), else None."""
    if kind == "revisit":
        return Skip("revisit", "revisit record (payload stored elsewhere)", offset, url)
    if kind != "response" or not has_http or not url.startswith(_HTTP):
        what = content_type or "no content type"
        return Skip("not_http", f"{kind} record with {what} is no HTTP response", offset, url)
    return None


def too_large(max_size: int, offset: int, url: str) -> Skip:
    return Skip("too_large", f"body over DOWNLOAD_MAXSIZE ({max_size} bytes)", offset, url)


def record_date(text: str | None) -> datetime:
    """WARC-Date as an aware UTC datetime (microseconds kept); the epoch when missing."""
    try:
        return iso_date_to_datetime(text).replace(tzinfo=UTC)  # type: ignore[no-any-return]
    except (TypeError, ValueError, AttributeError):
        return datetime(1970, 1, 1, tzinfo=UTC)


def short(exc: BaseException) -> str:
    return str(exc).splitlines()[0][:200] if str(exc) else "unreadable record"
