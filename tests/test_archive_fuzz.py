"""Damaged archives at random: the reader (fastwarc, warcio for records in doubt) always ends,
never returns a page with a wrong body, and on gzip archives (newscrawler's and Common Crawl's)
finds exactly what warcio alone finds, record for record and skip for skip. On an uncompressed
WARC it finds at least the pages warcio alone finds: damage in a record that is no page
(warcinfo, request) makes warcio give up a stretch that fastwarc reads."""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import cache
from itertools import islice
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newscrawler.archive.reader as reader
from newscrawler.archive.reader import ArchivedResponse, Skip, read_archive
from tests.archive_files import article_page, exchange, write_archive

EXAMPLES = int(os.environ.get("NEWSCRAWLER_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
MAX = 1 << 20
# Far more than a 4-page file can give (4 responses, a skip per record at most, ~14 records):
# a reader that loops yields past it, and the test fails instead of hanging.
CAP = 200
REASONS = {
    "damaged",
    "truncated",
    "digest_mismatch",
    "not_http",
    "too_large",
    "revisit",
    "not_warc",
}


@cache
def valid_archive(gzipped: bool) -> bytes:
    """Four pages as newscrawler writes them (gzip per record), or the same records inflated."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "a.warc.gz"
        write_archive(path, [exchange(*article_page(n)) for n in range(4)])
        data = path.read_bytes()
    return data if gzipped else _inflate_members(data)


def _inflate_members(data: bytes) -> bytes:
    import zlib

    out, rest = b"", data
    while rest:
        inflate = zlib.decompressobj(31)
        out += inflate.decompress(rest)
        rest = inflate.unused_data
    return out


@st.composite
def damaged(draw: st.DrawFn) -> tuple[bool, bytes]:
    """A valid archive with one to three damages: a cut end, a changed byte, inserted garbage
    (random bytes, a stray gzip magic or `WARC/` line), a deleted stretch."""
    gzipped = draw(st.booleans())
    data = bytearray(valid_archive(gzipped))
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        kind = draw(st.sampled_from(["cut", "flip", "insert", "delete"]))
        if kind == "cut":
            del data[at:]
        elif kind == "flip" and data:
            data[at] ^= draw(st.integers(1, 255))
        elif kind == "insert":
            junk = draw(st.sampled_from([b"\x1f\x8b\x08", b"\r\nWARC/1.1\r\n", b"\x00" * 7]))
            data[at:at] = draw(st.binary(max_size=40)) + junk
        else:
            del data[at : at + draw(st.integers(1, 3000))]
    return gzipped, bytes(data)


def outcome(found: Iterator[ArchivedResponse | Skip]) -> list[tuple[Any, ...]]:
    """What a reading found (details aside: the messages of two libraries' errors differ)."""
    items = list(islice(found, CAP))
    assert len(items) < CAP, "the reader did not end"
    return [
        ("skip", r.reason, r.offset, r.url)
        if isinstance(r, Skip)
        else ("page", r.offset, r.url, r.status, r.headers, r.body, r.date, r.metadata)
        for r in items
    ]


@FUZZ
@given(case=damaged())
def test_a_damaged_archive_reads_to_its_end_as_warcio_alone_reads_it(
    case: tuple[bool, bytes], tmp_path: Path
) -> None:
    gzipped, data = case
    path = tmp_path / ("a.warc.gz" if gzipped else "a.warc")
    path.write_bytes(data)
    found = outcome(read_archive(path, MAX))
    alone = outcome(read_archive(path, MAX, fast=False))
    if gzipped:
        assert found == alone
    else:
        assert {f[1] for f in found if f[0] == "page"} >= {f[1] for f in alone if f[0] == "page"}
    assert {f[1] for f in found if f[0] == "skip"} <= REASONS
    offsets = [f[2] if f[0] == "skip" else f[1] for f in found]
    assert offsets == sorted(offsets)
    bodies = {article_page(n)[1] for n in range(4)}
    assert all(f[0] == "skip" or f[5] in bodies for f in found)  # never a wrong body


def test_a_round_that_does_not_advance_is_skipped_not_repeated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The loop guard: a reading round that ended where it began (a bug, injected here) is
    reported once and reading moves on to the next record start; without the guard the
    reader would read the same record forever."""
    path = tmp_path / "a.warc.gz"
    offsets = write_archive(path, [exchange(*article_page(n)) for n in range(4)])
    real = reader.slow_round

    def stuck_once_at_second_page(*args: Any, **kwargs: Any) -> Any:
        if args[2] == offsets[1]:
            yield args[2], Skip("damaged", "injected", args[2])
            return args[2]  # where it began
        return (yield from real(*args, **kwargs))

    monkeypatch.setattr(reader, "slow_round", stuck_once_at_second_page)
    monkeypatch.setattr(reader, "fast_round", _hand_over_at_once)
    found = list(islice(read_archive(path, MAX), CAP))
    assert len(found) < CAP
    assert [r.reason for r in found if isinstance(r, Skip)] == ["damaged", "damaged"]
    assert [r.url for r in found if isinstance(r, ArchivedResponse)] == [
        article_page(n)[0] for n in (0, 2, 3)
    ]


def _hand_over_at_once(handle: Any, path: Any, start: int, *args: Any) -> Any:
    """A fastwarc round that doubts its first record: warcio reads every record."""
    return start
    yield  # a generator


def test_gzip_member_cut_at_the_end_is_truncated_not_quietly_dropped(tmp_path: Path) -> None:
    """fastwarc ends quietly at a gzip member cut short at the end of the file: the reader
    still reports it (warcio reads the last record)."""
    path = tmp_path / "a.warc.gz"
    offsets = write_archive(path, [exchange(*article_page(n)) for n in range(2)])
    path.write_bytes(path.read_bytes()[: offsets[1] + 100])
    found = list(read_archive(path, MAX))
    assert [type(r).__name__ for r in found] == ["ArchivedResponse", "Skip"]
    assert isinstance(found[1], Skip) and found[1].reason == "truncated"


def test_uncompressed_warc_reads_and_a_cut_one_is_truncated(tmp_path: Path) -> None:
    path = tmp_path / "a.warc"
    data = valid_archive(gzipped=False)
    path.write_bytes(data)
    assert [r.url for r in read_archive(path, MAX)] == [article_page(n)[0] for n in range(4)]
    path.write_bytes(data[: data.rindex(b"WARC-Type: response") + 1000])  # in the last page
    found = list(read_archive(path, MAX))
    assert [r.url for r in found if isinstance(r, ArchivedResponse)] == [
        article_page(n)[0] for n in range(3)
    ]
    assert [r.reason for r in found if isinstance(r, Skip)] == ["truncated"]
