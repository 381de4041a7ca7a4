"""The sqlite state store, two-phase delivery, content hashing and the site lock, without Scrapy."""

from __future__ import annotations

import doctest
import hashlib
import importlib
import os
import re
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newscrawler.state import (
    SiteLockedError,
    SqliteStateStore,
    Staged,
    StateError,
    Verdict,
    classify,
    content_hash,
    lock_for,
    open_store,
    preflight,
    store_path,
)
from newscrawler.state.store import CONTENT_FIELDS

URL = "https://news.example/2026/11/a-story/"


def staged(url: str = URL, digest: str = "h1", revision: int = 1, **extra: str) -> Staged:
    return Staged(
        canonical_url=url,
        url=extra.pop("fetched", url + "?utm_source=x"),
        article_id="abc",
        content_hash=digest,
        revision=revision,
        seen_at="2026-11-28T10:00:00Z",
        **extra,
    )


@pytest.fixture
def store(tmp_path: Path) -> SqliteStateStore:
    db = SqliteStateStore(tmp_path / "site.sqlite3")
    yield db
    db.close()


def test_store_is_in_wal_mode(store: SqliteStateStore) -> None:
    mode = store._db.execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_staged_articles_are_not_delivered_until_the_run_commits(store: SqliteStateStore) -> None:
    store.begin_run("r1", Path("out/a.jsonl"), "2026-11-28T10:00:00Z")
    store.stage("r1", staged())
    assert store.get(URL) is None
    assert store.commit_run("r1") == 1
    state = store.get(URL)
    assert state is not None
    assert (state.content_hash, state.revision, state.article_id) == ("h1", 1, "abc")
    assert state.delivered_to == "out/a.jsonl"
    assert state.first_seen == "2026-11-28T10:00:00Z"


def test_known_articles_are_found_by_fetched_url_and_url_variants(store: SqliteStateStore) -> None:
    store.begin_run("r1", Path("a.jsonl"), "t")
    store.stage("r1", staged(fetched="https://news.example/amp/a-story/"))
    store.commit_run("r1")
    assert store.get("https://news.example/amp/a-story/") is not None
    assert store.get(URL + "#comments") is not None
    assert store.get("https://news.example/other/") is None


def test_a_new_revision_keeps_first_seen_and_replaces_hash(store: SqliteStateStore) -> None:
    store.begin_run("r1", Path("a.jsonl"), "t1")
    store.stage("r1", staged())
    store.commit_run("r1")
    store.begin_run("r2", Path("b.jsonl"), "t2")
    later = Staged(URL, URL, "abc", "h2", 2, "2026-11-29T10:00:00Z")
    store.stage("r2", later)
    store.commit_run("r2")
    state = store.get(URL)
    assert state is not None
    assert (state.content_hash, state.revision) == ("h2", 2)
    assert state.first_seen == "2026-11-28T10:00:00Z"
    assert state.last_seen == "2026-11-29T10:00:00Z"
    assert state.delivered_to == "b.jsonl"


def test_touch_records_last_seen_and_lastmod_of_known_articles_only(
    store: SqliteStateStore,
) -> None:
    store.touch(URL, "t0", "2026-01-01")  # unknown: nothing to record, no error
    assert store.get(URL) is None
    store.begin_run("r1", Path("a.jsonl"), "t")
    store.stage("r1", staged())
    store.commit_run("r1")
    store.touch(URL, "2026-12-01T00:00:00Z", "2026-11-30")
    state = store.get(URL)
    assert state is not None
    assert (state.last_seen, state.lastmod) == ("2026-12-01T00:00:00Z", "2026-11-30")


def test_recover_commits_runs_whose_file_was_finalized_and_discards_the_others(
    store: SqliteStateStore, tmp_path: Path
) -> None:
    done, killed = tmp_path / "done.jsonl", tmp_path / "killed.jsonl"
    done.write_text("{}\n")
    store.begin_run("done", done, "t1")
    store.stage("done", staged(URL))
    store.begin_run("killed", killed, "t2")
    store.stage("killed", staged("https://news.example/b/"))
    assert store.recover(lambda path: path.exists()) == (1, 1)
    assert store.get(URL) is not None
    assert store.get("https://news.example/b/") is None
    assert store.recover(lambda path: path.exists()) == (0, 0)


def test_reset_forgets_everything(store: SqliteStateStore) -> None:
    store.begin_run("r1", Path("a.jsonl"), "t")
    store.stage("r1", staged())
    store.commit_run("r1")
    assert store.count() == 1
    store.reset()
    assert store.count() == 0
    assert store.get(URL) is None


def test_state_survives_reopening(tmp_path: Path) -> None:
    first = open_store(tmp_path, "example.com")
    first.begin_run("r1", Path("a.jsonl"), "t")
    first.stage("r1", staged())
    first.commit_run("r1")
    first.close()
    again = open_store(tmp_path, "example.com")
    assert again.get(URL) is not None
    again.close()
    assert store_path(tmp_path, "../evil") == tmp_path / "evil.sqlite3"


def test_a_state_file_of_another_schema_version_is_refused_clearly(tmp_path: Path) -> None:
    db = SqliteStateStore(tmp_path / "s.sqlite3")
    db._db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    db.close()
    with pytest.raises(StateError, match=r"schema version 99.*state reset"):
        SqliteStateStore(tmp_path / "s.sqlite3")


def test_an_unreadable_state_file_is_refused_clearly(tmp_path: Path) -> None:
    (tmp_path / "s.sqlite3").write_bytes(b"not a database, really" * 100)
    with pytest.raises(StateError, match=r"unreadable.*state reset"):
        SqliteStateStore(tmp_path / "s.sqlite3")


def test_preflight_takes_the_lock_and_checks_the_store(tmp_path: Path) -> None:
    lock = preflight(tmp_path, "demo")
    assert lock.held
    lock.release()
    store_path(tmp_path, "bad").write_bytes(b"garbage" * 100)
    with pytest.raises(StateError):
        preflight(tmp_path, "bad")
    with lock_for(tmp_path, "bad"):  # released again after the failure
        pass


def test_classify_known_articles(store: SqliteStateStore) -> None:
    store.begin_run("r1", Path("a.jsonl"), "t")
    store.stage("r1", staged(revision=3))
    store.commit_run("r1")
    previous = store.get(URL)
    assert classify(previous, "h1") == (Verdict.UNCHANGED, 3)
    assert classify(previous, "other") == (Verdict.UPDATED, 4)
    assert classify(None, "h1") == (Verdict.NEW, 1)


json_values = st.one_of(
    st.none(), st.text(max_size=20), st.lists(st.text(max_size=5), max_size=3), st.booleans()
)
articles = st.fixed_dictionaries({name: json_values for name in CONTENT_FIELDS})


@given(articles, st.text(max_size=10), st.integers(1, 9))
def test_content_hash_ignores_fetch_details_and_key_order(
    article: dict[str, object], crawled_at: str, revision: int
) -> None:
    fetched = {**article, "crawled_at": crawled_at, "revision": revision, "url": "https://x/?a"}
    reordered = dict(reversed(list(fetched.items())))
    assert content_hash(reordered) == content_hash(article)


@given(articles, st.sampled_from(CONTENT_FIELDS), json_values)
def test_content_hash_changes_with_any_content_field(
    article: dict[str, object], name: str, value: object
) -> None:
    changed = {**article, name: value}
    assert (content_hash(changed) == content_hash(article)) == (value == article[name])


HOLD_LOCK = """
import sys
from pathlib import Path
from newscrawler.state import lock_for
lock = lock_for(Path(sys.argv[1]), "example.com")
lock.acquire()
print("locked", flush=True)
sys.stdin.read()
"""


def test_a_second_process_cannot_take_the_lock_until_the_holder_dies(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(tmp_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(
            SiteLockedError, match=rf"example\.com\.lock is locked by pid {holder.pid}"
        ):
            lock_for(tmp_path, "example.com").acquire()
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
    with lock_for(tmp_path, "example.com") as lock:  # SIGKILL released it: no stale lock
        assert lock.held
    assert not lock.held


PROBE_LOCK = """
import sys
from pathlib import Path
from newscrawler.state import SiteLockedError, lock_for
try:
    lock_for(Path(sys.argv[1]), "s").acquire()
except SiteLockedError:
    print("refused")
else:
    print("taken")
"""


def probe_lock(state_dir: Path) -> str:
    """Whether another process can take the site lock of "s" now: "refused" or "taken"."""
    probe = subprocess.run(
        [sys.executable, "-c", PROBE_LOCK, str(state_dir)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return probe.stdout.strip()


def test_the_lock_is_reentrant_within_one_process(tmp_path: Path) -> None:
    """The crawl command and the state extension both take it in the same process.

    POSIX locks belong to the process and the file: the inner release must not free the outer's.
    """
    outer, inner = lock_for(tmp_path, "s"), lock_for(tmp_path, "s")
    outer.acquire()
    inner.acquire()
    assert outer.held and inner.held
    assert probe_lock(tmp_path) == "refused"
    inner.release()
    assert outer.held and not inner.held
    assert probe_lock(tmp_path) == "refused"  # the outer holder still has it
    inner.release()  # a second release of the same holder changes nothing
    assert probe_lock(tmp_path) == "refused"
    outer.release()
    assert not outer.held
    assert probe_lock(tmp_path) == "taken"


def test_a_forked_child_does_not_inherit_the_parents_hold(tmp_path: Path) -> None:
    """fork copies the registry but not the POSIX lock: the child must try, and be refused."""
    with lock_for(tmp_path, "s"):
        pid = os.fork()
        if pid == 0:  # the child: exit 0 only if the lock is refused
            try:
                lock_for(tmp_path, "s").acquire()
            except SiteLockedError:
                os._exit(0)
            os._exit(1)
        _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def test_a_forked_childs_copy_of_a_held_lock_is_not_held_and_cannot_be_taken(
    tmp_path: Path,
) -> None:
    with lock_for(tmp_path, "s") as lock:
        pid = os.fork()
        if pid == 0:  # the child: exit 0 only if its copy says so and is refused
            held_here = lock.held
            lock.release()  # not the child's to drop: the parent's hold stays
            try:
                lock.acquire()
            except SiteLockedError:
                os._exit(0 if not held_here else 2)
            os._exit(1)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        assert lock.held
        assert probe_lock(tmp_path) == "refused"
    assert probe_lock(tmp_path) == "taken"


@pytest.mark.parametrize(
    "module",
    [
        "newscrawler.state.store",
        "newscrawler.state.middleware",
        "newscrawler.quality",
        "newscrawler.cli.state",
    ],
)
def test_doctests(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.failed == 0
    assert result.attempted > 0


def test_non_article_pages_are_remembered_by_url_variant_until_reset(
    store: SqliteStateStore,
) -> None:
    assert store.not_article("https://news.example/about/") is None
    store.note_not_article("http://www.news.example/about/?utm_source=x", "2026-11-28T10:00:00")
    judged = store.not_article("https://news.example/about")
    assert judged is not None
    assert (judged.checked_at, judged.lastmod) == ("2026-11-28T10:00:00", None)
    store.note_not_article("https://news.example/about/", "2026-11-29T10:00:00", "2026-11-20")
    again = store.not_article("https://news.example/about/")
    assert again is not None and (again.checked_at, again.lastmod) == (
        "2026-11-29T10:00:00",
        "2026-11-20",
    )
    assert store.count() == 0  # no article
    assert store.count_not_articles() == 1
    store.reset()
    assert store.not_article("https://news.example/about/") is None


def test_content_hash_is_sha256_of_the_canonical_json_of_the_content_fields() -> None:
    """The digest is stored in every site's state: its encoding must never drift (sorted keys,
    no spaces, UTF-8 characters as themselves, every content field present), or every known
    article would look changed on the next run."""
    article = {
        "tags": ["Été", "Budget"],
        "headline": "Le conseil vote",
        "body": "Première ligne.\nDeuxième.",
        "canonical_url": "https://ex.fr/a/",
        "crawled_at": "2026-01-01T00:00:00Z",  # not content
    }
    canonical = (
        '{"authors":null,"body":"Première ligne.\\nDeuxième.","canonical_url":"https://ex.fr/a/",'
        '"date_modified":null,"date_published":null,"description":null,'
        '"headline":"Le conseil vote","image":null,"is_accessible_for_free":null,"language":null,'
        '"quotes":null,"read_also":null,"section":null,"tags":["Été","Budget"]}'
    )
    assert content_hash(article) == hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def test_the_lock_creates_missing_state_directories_and_reports_held_as_a_bool(
    tmp_path: Path,
) -> None:
    lock = lock_for(tmp_path / "new" / "state", "s")
    assert lock.held is False
    lock.acquire()
    assert lock.held is True
    holder = (tmp_path / "new" / "state" / "s.lock").read_text("utf-8")
    assert re.fullmatch(rf"pid {os.getpid()} since \d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n", holder)
    lock.release()
    assert lock.held is False


HOLD_WITHOUT_A_NAME = """
import fcntl, sys
handle = open(sys.argv[1], "a+")
fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
print("locked", flush=True)
sys.stdin.read()
"""


def test_a_holder_that_wrote_no_name_is_reported_as_another_process(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_WITHOUT_A_NAME, str(tmp_path / "s.lock")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(SiteLockedError, match=r"s\.lock is locked by another process$"):
            lock_for(tmp_path, "s").acquire()
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()


def test_the_holder_line_gives_the_time_in_utc_whatever_the_machines_zone(
    tmp_path: Path, new_york_local_time: None
) -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    with lock_for(tmp_path, "s"):
        holder = (tmp_path / "s.lock").read_text("utf-8")
    after = datetime.now(UTC)
    stamp = re.fullmatch(r"pid \d+ since (\S+)\n", holder)
    assert stamp is not None
    assert before <= datetime.fromisoformat(stamp[1]) <= after
