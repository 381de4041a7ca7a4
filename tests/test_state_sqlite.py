"""The sqlite state file: what survives a killed process, a failed write, and a new release.

The two-phase delivery itself is in test_state_store.py and test_state_delivery.py; these tests are
about the file: every write is on disk when the call returns (a SIGKILL right after loses
nothing), a write that fails leaves the state as it was, and files written earlier still open.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from newscrawler.state import SqliteStateStore, Staged, StateError

URL = "https://news.example/2026/11/a-story/"


def staged(url: str = URL, digest: str = "h1", revision: int = 1, seen_at: str = "t1") -> Staged:
    return Staged(url, url + "?utm_source=x", "abc", digest, revision, seen_at)


def test_every_write_is_on_disk_when_the_call_returns(tmp_path: Path) -> None:
    """A run killed at any point: the next process finds everything the dead one had written,
    though the dead one never closed its connection."""
    path = tmp_path / "site.sqlite3"
    dead = SqliteStateStore(path)
    dead.begin_run("done", tmp_path / "done.jsonl", "t1")
    dead.stage("done", staged())
    dead.commit_run("done")
    dead.begin_run("killed", tmp_path / "killed.jsonl", "t2")
    dead.stage("killed", staged("https://news.example/b/"))
    dead.touch(URL, "t3", "2026-11-30")
    dead.note_not_article("https://news.example/about/", "t3")
    dead.save_templates([("/article/<int>", 6, 0, 0)])
    # no close: the process is gone
    after = SqliteStateStore(path)
    known = after.get(URL)
    assert known is not None and (known.last_seen, known.lastmod) == ("t3", "2026-11-30")
    assert after.not_article("https://news.example/about/") is not None
    assert after.templates() == [("/article/<int>", 6, 0, 0)]
    assert after.recover(lambda output: output.exists()) == (0, 1)  # the killed run is seen
    after.close()


def test_a_write_that_fails_leaves_the_state_as_it_was(tmp_path: Path) -> None:
    store = SqliteStateStore(tmp_path / "site.sqlite3")
    store.save_templates([("/article/<int>", 6, 0, 0)])
    with pytest.raises(sqlite3.IntegrityError):  # the same shape twice
        store.save_templates([("/news/<slug>", 3, 0, 0), ("/news/<slug>", 4, 0, 0)])
    assert store.templates() == [("/article/<int>", 6, 0, 0)]
    store.save_templates([])  # and the store still writes
    assert store.templates() == []
    store.close()


def test_runs_settled_at_once_are_applied_in_the_order_they_ran(tmp_path: Path) -> None:
    """Two runs killed after their files were finalized: the later revision is the one
    delivered. Two killed before: discarded, as is one that wrote no local file."""
    store = SqliteStateStore(tmp_path / "site.sqlite3")
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    store.begin_run("second", second, "2026-11-29T10:00:00Z")  # recorded first, started later
    store.stage("second", staged(digest="h2", revision=2, seen_at="2026-11-29T10:05:00Z"))
    store.begin_run("first", first, "2026-11-28T10:00:00Z")
    store.stage("first", staged(digest="h1", revision=1, seen_at="2026-11-28T10:05:00Z"))
    store.begin_run("killed", tmp_path / "c.jsonl", "2026-11-30T10:00:00Z")
    store.stage("killed", staged("https://news.example/c/"))
    store.begin_run("s3", None, "2026-11-30T11:00:00Z")  # a feed to S3: never finalized here
    store.stage("s3", staged("https://news.example/d/"))
    finalized = {first, second}
    assert store.recover(lambda output: output in finalized) == (2, 2)
    known = store.get(URL)
    assert known is not None
    assert (known.revision, known.content_hash, known.delivered_to) == (2, "h2", str(second))
    assert store.get("https://news.example/c/") is None
    assert store.get("https://news.example/d/") is None
    store.close()


def test_an_article_staged_twice_in_a_run_is_delivered_once(tmp_path: Path) -> None:
    store = SqliteStateStore(tmp_path / "site.sqlite3")
    store.begin_run("r", tmp_path / "r.jsonl", "t")
    store.stage("r", staged(digest="h1"))
    store.stage("r", staged(URL + "#comments", digest="h2"))  # the same article, found again
    assert store.commit_run("r") == 1
    assert store.count() == 1
    store.close()


def test_a_state_file_of_schema_version_1_still_opens(tmp_path: Path) -> None:
    """Files written by earlier releases (schema version 1, no templates table yet) open and
    keep what they hold; a new file is written as version 1."""
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.execute("INSERT INTO meta VALUES ('schema_version', '1')")
        db.execute("CREATE TABLE not_articles (url TEXT PRIMARY KEY, checked_at TEXT NOT NULL,"
                   " lastmod TEXT)")  # fmt: skip
        db.execute("INSERT INTO not_articles VALUES ('https://news.example/about', 't', NULL)")
    db.close()
    store = SqliteStateStore(path)
    assert store.not_article("https://news.example/about/") is not None
    assert store.templates() == []
    store.close()
    new = tmp_path / "new.sqlite3"
    SqliteStateStore(new).close()
    with sqlite3.connect(new) as db:
        versions = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
    db.close()
    assert versions == [("1",)]


def test_a_refused_state_file_is_left_closed_and_untouched(tmp_path: Path) -> None:
    """Refused (another schema version): the file is closed at once, so it can be reset or
    copied away while the error is still being reported."""
    path = tmp_path / "s.sqlite3"
    store = SqliteStateStore(path)
    store._db.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    store.close()
    refused: StateError | None = None
    try:
        SqliteStateStore(path)
    except StateError as exc:
        refused = exc  # keeps the failed constructor's frame (and anything it left open) alive
    assert str(refused) == (
        f"state file {path} has schema version 2, expected 1;"
        " `newscrawler state reset SITE` starts the site over"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.sqlite3"]  # no -wal, no -shm open


def test_the_state_dir_is_created_with_its_parents(tmp_path: Path) -> None:
    store = SqliteStateStore(tmp_path / "a" / "b" / "site.sqlite3")
    store.close()
    again = SqliteStateStore(tmp_path / "a" / "b" / "site.sqlite3")  # the directory exists now
    again.close()
    assert (tmp_path / "a" / "b" / "site.sqlite3").is_file()


def test_an_unreadable_state_file_is_refused_with_the_way_out(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    path.write_bytes(b"not a database, really" * 100)
    with pytest.raises(StateError) as refused:
        SqliteStateStore(path)
    message = str(refused.value)
    assert message.startswith(f"state file {path} is unreadable (")
    assert message.endswith(
        "); `newscrawler state reset SITE` starts the site over (its next run emits every"
        " article again)"
    )
    assert isinstance(refused.value.__cause__, sqlite3.DatabaseError)


def test_a_run_that_wrote_no_local_file_delivers_to_no_file(tmp_path: Path) -> None:
    store = SqliteStateStore(tmp_path / "site.sqlite3")
    store.begin_run("s3", None, "t")  # its feed went to S3
    store.stage("s3", staged())
    assert store.commit_run("s3") == 1
    known = store.get(URL)
    assert known is not None and known.delivered_to is None
    store.close()
