"""Stream the HTTP responses of a WARC file (ours or Common Crawl's), skipping what is unusable.

One record is in memory at a time, so a 1 GB CC-NEWS file reads in flat memory. Nothing raises
out of `read_archive`: a damaged stretch (truncated gzip member, a record whose Content-Length
is wrong, garbage) is reported as one `Skip` and reading resumes at the next record start found
in the file; a record that is no HTTP response, too large, or fails its digest is one `Skip` too.
Bodies are returned as stored (still content-encoded); only a chunked transfer coding is undone.

Two readers share the work: fastwarc reads every record it can vouch for (`fast_round.py`),
warcio reads the ones in doubt and decides what is damaged (`slow_round.py`), so each damage
is judged as warcio alone judged it, at fastwarc's speed on clean files.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import IO

from newscrawler.archive.fast_round import fast_round
from newscrawler.archive.found import ArchivedResponse, Event, Metadata, Skip
from newscrawler.archive.slow_round import GZIP_MAGIC, WARC_MAGIC, next_start, slow_round

__all__ = ["ArchivedResponse", "Skip", "read_archive"]


def read_archive(
    path: Path, max_size: int, start: int = 0, *, fast: bool = True
) -> Iterator[ArchivedResponse | Skip]:
    """Every HTTP response record of `path` from offset `start`, in file order, or a Skip saying
    why not (`max_size`: DOWNLOAD_MAXSIZE, the largest body returned; `fast=False`: warcio
    alone, the reference the tests and the bench compare against)."""
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
        yield from _paired(_events(handle, path, start, magic, max_size, fast))


def _events(
    handle: IO[bytes], path: Path, start: int, magic: bytes, max_size: int, fast: bool
) -> Iterator[Event]:
    """Each record's event, in file order: fastwarc up to a record in doubt, warcio for that one
    (and any damage after it), fastwarc again from the next record start."""
    position: int | None = start
    while position is not None:
        doubt = position
        if fast:
            doubt = yield from fast_round(handle, path, position, magic == GZIP_MAGIC, max_size)
        resume = yield from slow_round(handle, path, doubt, magic, max_size, to_end=not fast)
        if resume is not None and resume <= position:
            # The loop guard: each round must end past where it began, or this would read the
            # same bytes forever. No round does today; one that did is reported, and skipped.
            yield position, Skip("damaged", f"reading stuck at offset {position}", position)
            resume = next_start(handle, position + 1, magic)
        position = resume


def _paired(events: Iterator[Event]) -> Iterator[ArchivedResponse | Skip]:
    """Responses (with the metadata record that follows each merged in) and skips."""
    pending: ArchivedResponse | None = None
    for _, found in events:
        if (
            isinstance(found, Metadata)
            and pending is not None
            and found.concurrent_to == pending.record_id
        ):
            pending = replace(pending, metadata={**pending.metadata, **found.data})
            continue
        if pending is not None:
            yield pending
            pending = None
        if isinstance(found, ArchivedResponse):
            pending = found
        elif isinstance(found, Skip):
            yield found
    if pending is not None:
        yield pending
