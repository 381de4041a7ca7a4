"""One run per site at a time: a POSIX record lock on `<state dir>/<site>.lock`.

The kernel drops the lock when the process dies (even by SIGKILL), so a killed run never leaves a
stale lock behind. POSIX locks belong to the process *and the file*: closing any descriptor of the
lock file drops every lock the process holds on it. The `crawl` command takes the lock before Scrapy
starts (to exit at once with LOCKED) and the state extension takes it again in the same process (so
plain `scrapy crawl` is protected as well); if each held its own descriptor, the extension's release
would free the command's lock while the command was still finishing the run.

So every SiteLock of one path in one process shares one descriptor in a module-level registry with a
reference count: the descriptor is closed, and the lock dropped, only when the last holder releases.
"""

from __future__ import annotations

import fcntl
import os
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO


class SiteLockedError(RuntimeError):
    """Another process holds the site's lock."""


@dataclass
class _Holding:
    """The one open, locked descriptor of a lock file in this process, and how many hold it."""

    pid: int
    file: IO[str]
    holders: int = 1


_HELD: dict[Path, _Holding] = {}
_REGISTRY = threading.Lock()


def _key(path: Path) -> Path:
    return path.resolve()


class SiteLock:
    """A non-blocking exclusive lock on one file, re-entrant within a process; a context manager."""

    _pid: int | None = None  # the process holding it (a forked child's copy is not that process)

    def __init__(self, path: Path) -> None:
        self.path = path

    def acquire(self) -> None:
        """Take the lock or raise SiteLockedError naming the holder, without waiting.

        Re-entrant: if this process already holds the file's lock, count one more holder.
        """
        if self.held:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        key = _key(self.path)
        with _REGISTRY:
            holding = _HELD.get(key)
            if holding is not None and holding.pid == os.getpid():
                holding.holders += 1
            else:  # not held here; an entry from another pid was inherited by fork, without a lock
                _HELD[key] = _Holding(os.getpid(), self._lock_file())
            self._pid = os.getpid()

    def _lock_file(self) -> IO[str]:
        # the holder line is ASCII: encoding None or "UTF-8" would read and write it the same
        handle = self.path.open("a+", encoding="utf-8")  # pragma: no mutate
        try:
            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise SiteLockedError(f"{self.path} is locked by {holder}") from exc
        handle.seek(0)
        handle.truncate()
        stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        handle.write(f"pid {os.getpid()} since {stamp}\n")
        handle.flush()
        return handle

    def release(self) -> None:
        """Drop this holder; the last holder in the process closes the file, which frees the lock.

        The file itself stays, harmlessly. Releasing twice, or without holding, does nothing.
        """
        holder, self._pid = self._pid, None
        if holder != os.getpid():
            return  # not held, or held by the parent of this forked process: not ours to drop
        key = _key(self.path)
        with _REGISTRY:
            holding = _HELD[key]  # this process's holding: it is dropped only by its last holder
            holding.holders -= 1
            if holding.holders == 0:
                del _HELD[key]
                holding.file.close()

    @property
    def held(self) -> bool:
        """Whether this process holds it (a forked child's copy of a held lock does not)."""
        return self._pid == os.getpid()

    def __enter__(self) -> SiteLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
