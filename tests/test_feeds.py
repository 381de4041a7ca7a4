"""AtomicFileFeedStorage: output appears at its final path only when complete."""

from __future__ import annotations

from pathlib import Path

from scrapy import Spider

from newscrawler.feeds import AtomicFileFeedStorage, part_path


def test_writes_part_file_then_renames_on_store(tmp_path: Path) -> None:
    target = tmp_path / "site" / "run.jsonl"
    storage = AtomicFileFeedStorage(str(target), feed_options={"overwrite": True})
    file = storage.open(Spider("s"))
    file.write(b'{"a": 1}\n')
    assert part_path(target).exists()
    assert not target.exists(), "nothing is visible at the final path while writing"
    storage.store(file)
    assert target.read_bytes() == b'{"a": 1}\n'
    assert not part_path(target).exists()


def test_unfinished_feed_is_never_at_the_final_path(tmp_path: Path) -> None:
    """A run killed before store() leaves only the .part file behind."""
    target = tmp_path / "run.jsonl"
    storage = AtomicFileFeedStorage(str(target), feed_options={"overwrite": True})
    file = storage.open(Spider("s"))
    file.write(b'{"partial": ')
    file.close()  # the process dies here: store() never runs
    assert not target.exists()
    assert part_path(target).read_bytes() == b'{"partial": '


def test_append_mode_keeps_previous_content(tmp_path: Path) -> None:
    target = tmp_path / "run.jsonl"
    target.write_bytes(b"old\n")
    storage = AtomicFileFeedStorage(str(target), feed_options={"overwrite": False})
    file = storage.open(Spider("s"))
    file.write(b"new\n")
    assert target.read_bytes() == b"old\n"
    storage.store(file)
    assert target.read_bytes() == b"old\nnew\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.jsonl"]
