"""Compact URL-key sets and the compact duplicate filter: set semantics, at a fraction of the
memory (newscrawler/seen.py)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from scrapy import Request
from scrapy.utils.test import get_crawler

from newscrawler.seen import CompactDupeFilter, SeenKeys, digest

# Keys of one type at a time: text is digested as its UTF-8 bytes, so "a" and b"a" are one key.
same_type_keys = st.one_of(
    st.tuples(st.lists(st.text()), st.text()), st.tuples(st.lists(st.binary()), st.binary())
)


@given(same_type_keys)
def test_membership_is_that_of_a_set(case: tuple[list[str] | list[bytes], str | bytes]) -> None:
    added, probe = case
    seen = SeenKeys(added)
    assert (probe in seen) == (probe in set(added))
    assert len(seen) == len(set(added))
    assert all(key in seen for key in added)


@given(st.text(), st.lists(st.booleans(), min_size=1))
def test_a_flag_once_set_stays_set(key: str, flags: list[bool]) -> None:
    seen = SeenKeys()
    for flag in flags:
        seen.add(key, flag=flag)
    assert seen.flagged(key) == any(flags)
    assert len(seen) == 1


def test_non_keys_are_never_members_and_digests_are_stable() -> None:
    seen = SeenKeys(["https://example.com/a"])
    assert 42 not in seen and None not in seen
    assert not seen.flagged("https://example.com/b")
    assert digest("https://example.com/a") == 0xF24A9DEB5F47E5A4  # the same in every process
    assert digest("é") == digest("é".encode())  # text is digested as its UTF-8 bytes


def _filter(tmp_path: Path | None = None) -> CompactDupeFilter:
    settings = {"JOBDIR": str(tmp_path)} if tmp_path else {}
    return CompactDupeFilter.from_crawler(get_crawler(settings_dict=settings))


def test_dupefilter_sees_each_request_once() -> None:
    dupes = _filter()
    first, again = (
        Request("https://example.com/a?x=1&y=2"),
        Request("https://example.com/a?y=2&x=1"),
    )
    assert dupes.request_seen(first) is False
    assert dupes.request_seen(again) is True  # same fingerprint: query order does not matter
    assert dupes.request_seen(Request("https://example.com/b")) is False
    assert len(dupes.seen) == 2


def test_dupefilter_with_jobdir_is_scrapys_and_survives_a_restart(tmp_path: Path) -> None:
    request = Request("https://example.com/a")
    dupes = _filter(tmp_path)
    assert dupes.request_seen(request) is False
    dupes.close("shutdown")
    resumed = _filter(tmp_path)
    assert resumed.request_seen(request) is True  # read back from Scrapy's requests.seen
    assert len(resumed.seen) == 0  # the compact set is not used with JOBDIR
    resumed.close("finished")
