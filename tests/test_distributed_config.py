"""The distributed-mode switch, settings and frontier bookkeeping, without a crawl."""

from __future__ import annotations

import argparse
import doctest
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newscrawler.cli import build_parser
from newscrawler.distributed import config
from newscrawler.distributed.cli import crawl_distributed
from newscrawler.distributed.config import (
    distributed_settings,
    redact,
    redis_url,
    safe_worker_id,
    worker_output_file,
)
from newscrawler.distributed.frontier import (
    FrontierKeys,
    enqueue_sites,
    live_workers,
    next_site,
)
from newscrawler.exitcodes import ExitCode
from tests.redis_server import RedisServer, redis_server

__all__ = ["redis_server"]  # the fixture, imported for pytest


def test_redis_url_setting_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", "redis://env:6379/0")
    assert redis_url({"REDIS_URL": "redis://setting:6379/1"}) == "redis://setting:6379/1"
    assert redis_url({}) == "redis://env:6379/0"
    monkeypatch.delenv("REDIS_URL")
    assert redis_url({}) is None
    assert redis_url({"REDIS_URL": "  "}) is None


def test_without_redis_the_crawl_command_is_the_ordinary_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    args = build_parser().parse_args(["crawl", "demo"])
    assert args.redis is None
    assert crawl_distributed(args) is None, "no Redis configured: the embedded path runs"


def test_site_is_required_without_redis(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    args = build_parser().parse_args(["crawl"])
    assert crawl_distributed(args) == ExitCode.USAGE


def test_output_file_is_refused_in_distributed_mode(tmp_path: Path) -> None:
    args = build_parser().parse_args(
        ["crawl", "demo", "--redis", "redis://x:1/0", "--output", str(tmp_path / "o.jsonl")]
    )
    assert crawl_distributed(args) == ExitCode.USAGE


def test_distributed_settings_put_frontier_and_state_in_redis() -> None:
    settings = distributed_settings(
        "redis://h:6379/0",
        "node 1",
        "www.example.com",
        extensions={"x.Ext": 10},
        pipelines={"y.Pipe": 300},
    )
    assert settings["SCHEDULER"] == "newscrawler.distributed.scheduler.RedisScheduler"
    assert settings["DUPEFILTER_CLASS"] == "scrapy_redis.dupefilter.RFPDupeFilter"
    assert settings["SCHEDULER_PERSIST"] is True
    assert settings["NEWSCRAWLER_SITEMAPS_IN_FLIGHT"] == 0  # workers parse each other's sitemaps
    assert settings["SCHEDULER_QUEUE_KEY"] == "%(spider)s:www.example.com:requests"
    assert settings["SCHEDULER_DUPEFILTER_KEY"] == "%(spider)s:www.example.com:dupefilter"
    assert settings["NEWSCRAWLER_WORKER_ID"] == "node_1"
    assert settings["EXTENSIONS"]["x.Ext"] == 10, "the crawl's own extensions are kept"
    assert settings["EXTENSIONS"]["newscrawler.state.delivery.StateExtension"] is None
    assert settings["EXTENSIONS"]["newscrawler.distributed.delivery.DistributedStateExtension"]
    assert settings["ITEM_PIPELINES"]["y.Pipe"] == 300
    assert (
        max(settings["ITEM_PIPELINES"].values())
        == settings["ITEM_PIPELINES"]["newscrawler.distributed.delivery.ClaimPipeline"]
    ), "claims are taken after every other pipeline had its say"


def test_scheduler_keys_match_the_coordination_keys() -> None:
    settings = distributed_settings("redis://h/0", "w", "Example Site")
    keys = FrontierKeys("news", "Example Site")
    assert settings["SCHEDULER_QUEUE_KEY"] % {"spider": "news"} == keys.requests
    assert settings["SCHEDULER_DUPEFILTER_KEY"] % {"spider": "news"} == keys.dupefilter


def test_worker_output_file_holds_the_worker_id(tmp_path: Path) -> None:
    path = worker_output_file(tmp_path, "../etc", "host/1")
    assert path.parent == tmp_path / "etc"
    assert path.name.endswith("-host_1.jsonl")


@given(st.text(max_size=200))
def test_worker_ids_are_always_safe_file_name_parts(text: str) -> None:
    worker = safe_worker_id(text)
    assert worker
    assert len(worker) <= 64
    assert "/" not in worker
    assert set(worker) <= set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")


def test_redact_hides_only_the_password() -> None:
    assert redact("redis://:pw@h:1/0") == "redis://:***@h:1/0"
    assert redact("rediss://u:pw@h/2") == "rediss://u:***@h/2"
    assert redact("redis://h:1/0") == "redis://h:1/0"


def test_live_workers_forgets_expired_heartbeats(redis_server: RedisServer) -> None:
    client = redis_server.client()
    keys = FrontierKeys("news", "site")
    client.sadd(keys.workers, "alive", "dead")
    client.set(keys.worker("alive"), "busy", px=60_000)
    assert live_workers(client, keys) == {"alive": "busy"}
    assert client.smembers(keys.workers) == {"alive"}


def test_enqueued_sites_go_to_one_worker_each_in_order(redis_server: RedisServer) -> None:
    client = redis_server.client()
    assert enqueue_sites(client, "news", ["a", "https://b.example/"]) == 2
    assert next_site(client, "news") == "a"
    assert next_site(client, "news") == "https://b.example/"
    assert next_site(client, "news") is None


def test_enqueue_command_queues_sites(
    redis_server: RedisServer, capsys: pytest.CaptureFixture[str]
) -> None:
    args: argparse.Namespace = build_parser().parse_args(
        ["enqueue", "demo", "https://x.example/", "--redis", redis_server.url]
    )
    assert args.func(args) == ExitCode.OK
    assert "2 site(s) waiting" in capsys.readouterr().out
    assert redis_server.client().lrange("newscrawler:news:pending", 0, -1) == [
        "demo",
        "https://x.example/",
    ]


def test_doctests() -> None:
    assert doctest.testmod(config).failed == 0
