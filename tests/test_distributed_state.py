"""RedisStateStore against a real redis-server: two-phase delivery, claims, leases and fencing."""

from __future__ import annotations

import queue
from collections.abc import Iterator
from pathlib import Path

import pytest

from newscrawler.distributed.state import (
    AlreadyClaimed,
    AlreadyDelivered,
    RedisStateStore,
    RunFenced,
    _Lease,
    seal_output,
)
from newscrawler.state.store import Staged
from tests.redis_server import RedisServer, redis_server

__all__ = ["redis_server"]  # the fixture, imported for pytest

# Long: no lease runs out by the wall clock during a test. A lease running out is an event the test
# causes (`lease_runs_out`), and renewal is driven by the test's clock (`TickClock`).
LEASE = 60.0
LEASE_MS = int(LEASE * 1000)


def staged(url: str, digest: str = "h1", revision: int = 1) -> Staged:
    return Staged(
        canonical_url=url,
        url=url + "?utm_source=x",
        article_id=url[-4:],
        content_hash=digest,
        revision=revision,
        seen_at="2026-11-28T10:00:00+00:00",
        lastmod="2026-11-27",
    )


@pytest.fixture
def stores(redis_server: RedisServer) -> Iterator[tuple[RedisStateStore, RedisStateStore]]:
    """Two workers' views of the same site's state."""
    a = RedisStateStore(redis_server.client(), "site", lease_seconds=LEASE, host="h")
    b = RedisStateStore(redis_server.client(), "site", lease_seconds=LEASE, host="h")
    yield a, b
    a.close()
    b.close()


def lease_key(store: RedisStateStore, run_id: str) -> str:
    return f"{store.ns}:lease:{run_id}"


def lease_runs_out(store: RedisStateStore, run_id: str) -> None:
    """The lease of a run nobody renews anymore reaches its end: Redis drops the key.

    The key must carry an expiry of at most one lease (else it would never run out); then it is
    removed, which is what Redis does when that expiry comes.
    """
    key = lease_key(store, run_id)
    assert 0 < store.client.pttl(key) <= LEASE_MS
    store.client.delete(key)


class TickClock:
    """The lease renewal thread's clock, advanced by the test: each tick is one renewal period."""

    def __init__(self) -> None:
        self.periods: queue.Queue[float] = queue.Queue()  # the thread is waiting for a period
        self.ticks: queue.Queue[bool] = queue.Queue()  # False: a period passed; True: stop

    def wait(self, seconds: float) -> bool:
        self.periods.put(seconds)
        return self.ticks.get(timeout=60)

    def waiting(self) -> float:
        """Block until the thread waits for the next period; the period it waits for."""
        return self.periods.get(timeout=60)

    def tick(self) -> None:
        """One period passes; returns when the thread has renewed and waits again."""
        self.ticks.put(False)
        self.waiting()


def test_commit_makes_staged_articles_delivered(
    stores: tuple[RedisStateStore, RedisStateStore], tmp_path: Path
) -> None:
    a, b = stores
    out = tmp_path / "a.jsonl"
    a.begin_run("r1", out, "2026-11-28T10:00:00Z")
    a.stage("r1", staged("http://x.test/1"))
    assert a.get("http://x.test/1") is None, "staged is not delivered"
    assert a.commit_run("r1") == 1
    state = b.get("http://x.test/1")
    assert state is not None
    assert state.revision == 1
    assert state.content_hash == "h1"
    assert state.delivered_to == str(out)
    assert state.lastmod == "2026-11-27"
    assert b.get("http://x.test/1?utm_source=x") == state, "the fetched URL is an alias"
    assert b.count() == 1


def test_second_worker_cannot_stage_an_article_claimed_by_a_live_run(
    stores: tuple[RedisStateStore, RedisStateStore],
) -> None:
    a, b = stores
    a.begin_run("ra", None, "t")
    b.begin_run("rb", None, "t")
    a.stage("ra", staged("http://x.test/1"))
    with pytest.raises(AlreadyClaimed):
        b.stage("rb", staged("http://x.test/1"))
    a.commit_run("ra")
    with pytest.raises(AlreadyDelivered):
        b.stage("rb", staged("http://x.test/1"))
    b.stage("rb", staged("http://x.test/1", digest="h2", revision=2))  # a real update is fine
    assert b.commit_run("rb") == 1
    state = a.get("http://x.test/1")
    assert state is not None
    assert (state.revision, state.content_hash) == (2, "h2")
    assert state.first_seen == "2026-11-28T10:00:00+00:00", "first seen stays the first delivery"


def test_dead_run_is_discarded_after_its_lease_and_its_claims_released(
    stores: tuple[RedisStateStore, RedisStateStore],
) -> None:
    a, b = stores
    a.begin_run("dead", None, "t")
    a.stage("dead", staged("http://x.test/1"))
    a.close()  # the lease stops being renewed, as if the process was SIGKILLed
    assert b.recover(lambda path: False) == (0, 0), "a live lease protects the run"
    lease_runs_out(a, "dead")
    assert b.recover(lambda path: False) == (0, 1)
    assert b.run_status("dead") == "discarded"
    b.begin_run("next", None, "t")
    b.stage("next", staged("http://x.test/1"))  # the lost article is emitted again
    assert b.commit_run("next") == 1
    with pytest.raises(RunFenced):
        a.stage("dead", staged("http://x.test/2"))


def test_live_run_survives_recover_thanks_to_lease_renewal(
    stores: tuple[RedisStateStore, RedisStateStore],
) -> None:
    a, b = stores
    a.begin_run("live", None, "t")
    a.stage("live", staged("http://x.test/1"))
    key = lease_key(a, "live")
    a.client.pexpire(key, LEASE_MS // 2)  # half the lease has passed since it was taken
    a._lease.renew()  # what the renewal thread does each third of the lease
    assert a.client.pttl(key) > LEASE_MS // 2, "renewal restores the full lease"
    assert b.recover(lambda path: False) == (0, 0)
    assert a.run_status("live") == "open"


def test_the_renewal_thread_renews_held_leases_each_third_of_the_lease(
    redis_server: RedisServer,
) -> None:
    client = redis_server.client()
    clock = TickClock()
    lease = _Lease(client, LEASE, wait=clock.wait)
    lease.hold("held")
    lease.hold("released")
    assert clock.waiting() == LEASE / 3
    client.pexpire("held", LEASE_MS // 2)
    client.pexpire("released", LEASE_MS // 2)
    lease.release("released")
    clock.tick()
    assert client.pttl("held") > LEASE_MS // 2, "renewed to the full lease"
    assert client.pttl("released") <= LEASE_MS // 2, "a released lease is left to run out"
    clock.ticks.put(True)
    lease.stop()


def test_discarded_run_cannot_be_sealed_so_its_file_is_never_finalized(
    stores: tuple[RedisStateStore, RedisStateStore], tmp_path: Path
) -> None:
    a, b = stores
    out = tmp_path / "a.jsonl"
    a.begin_run("stalled", out, "t")
    a.stage("stalled", staged("http://x.test/1"))
    a.close()
    lease_runs_out(a, "stalled")
    b.recover(lambda path: False)
    assert seal_output(a.client, out, host="h") is False
    assert a.commit_run("stalled") == 0


def test_sealed_run_of_a_dead_worker_is_committed_if_its_file_was_renamed(
    stores: tuple[RedisStateStore, RedisStateStore], tmp_path: Path
) -> None:
    a, b = stores
    renamed, not_renamed = tmp_path / "r.jsonl", tmp_path / "n.jsonl"
    for run, out in (("r", renamed), ("n", not_renamed)):
        a.begin_run(run, out, "t")
        a.stage(run, staged(f"http://x.test/{run}"))
        assert seal_output(a.client, out, host="h") is True
    renamed.write_text("{}\n")
    a.close()  # died between the seal and the commit
    lease_runs_out(a, "r")
    lease_runs_out(a, "n")
    other_host = RedisStateStore(a.client, "site", lease_seconds=LEASE, host="elsewhere")
    assert other_host.recover(Path.exists) == (0, 0), "only the run's host can see its file"
    assert b.recover(Path.exists) == (1, 1)
    assert b.get("http://x.test/r") is not None
    assert b.get("http://x.test/n") is None


def test_touch_and_reset(stores: tuple[RedisStateStore, RedisStateStore]) -> None:
    a, b = stores
    a.begin_run("r", None, "t")
    a.stage("r", staged("http://x.test/1"))
    a.commit_run("r")
    b.touch("http://x.test/1", "2026-12-01T00:00:00Z", lastmod="2026-11-30")
    state = a.get("http://x.test/1")
    assert state is not None
    assert (state.last_seen, state.lastmod) == ("2026-12-01T00:00:00Z", "2026-11-30")
    b.reset()
    assert a.count() == 0
    assert a.get("http://x.test/1") is None


def test_full_run_redelivers_but_still_one_worker_per_article(
    redis_server: RedisServer,
) -> None:
    client = redis_server.client()
    normal = RedisStateStore(client, "site", lease_seconds=LEASE)
    normal.begin_run("r1", None, "t")
    normal.stage("r1", staged("http://x.test/1"))
    normal.commit_run("r1")
    full_a = RedisStateStore(client, "site", lease_seconds=LEASE, redeliver=True)
    full_b = RedisStateStore(client, "site", lease_seconds=LEASE, redeliver=True)
    full_a.begin_run("fa", None, "t")
    full_b.begin_run("fb", None, "t")
    full_a.stage("fa", staged("http://x.test/1"))  # delivered before: --full emits it again
    with pytest.raises(AlreadyClaimed):
        full_b.stage("fb", staged("http://x.test/1"))
    for store in (normal, full_a, full_b):
        store.close()


def test_settled_runs_leave_no_seal_index_behind(
    stores: tuple[RedisStateStore, RedisStateStore], tmp_path: Path
) -> None:
    a, b = stores
    a.begin_run("done", tmp_path / "a.jsonl", "t")
    a.stage("done", staged("http://x.test/1"))
    assert seal_output(a.client, tmp_path / "a.jsonl", host="h")
    a.commit_run("done")
    b.begin_run("dead", tmp_path / "b.jsonl", "t")
    b.close()
    lease_runs_out(b, "dead")
    assert a.recover(Path.exists) == (0, 1)
    assert seal_output(a.client, tmp_path / "b.jsonl", host="h") is False
    assert not list(a.client.scan_iter(match="newscrawler:outputs:*"))


def test_non_article_pages_are_shared_by_workers_until_reset(
    stores: tuple[RedisStateStore, RedisStateStore],
) -> None:
    a, b = stores
    assert b.not_article("http://x.test/video/9") is None
    a.note_not_article("http://x.test/video/9?utm_medium=feed", "2026-11-28T10:00:00", "2026-11-27")
    judged = b.not_article("http://x.test/video/9")
    assert judged is not None
    assert (judged.checked_at, judged.lastmod) == ("2026-11-28T10:00:00", "2026-11-27")
    assert b.count_not_articles() == 1
    b.reset()
    assert a.not_article("http://x.test/video/9") is None
    assert a.count_not_articles() == 0


def test_learned_url_templates_are_shared_and_replaced_whole(
    stores: tuple[RedisStateStore, RedisStateStore],
) -> None:
    a, b = stores
    assert a.templates() == []
    a.save_templates([("/article/<int>", 4, 0, 0), ("/articles/<int>", 0, 3, 0)])
    assert sorted(b.templates()) == [("/article/<int>", 4, 0, 0), ("/articles/<int>", 0, 3, 0)]
    b.save_templates([("/article/<int>", 9, 0, 0)])  # the last worker to close writes its book
    assert a.templates() == [("/article/<int>", 9, 0, 0)]
    a.reset()
    assert b.templates() == []
