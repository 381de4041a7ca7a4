"""One run per site at a time: a POSIX record lock on `<state dir>/<site>.lock`.

The kernel drops the lock when the process dies (even by SIGKILL), so a killed run never leaves a
stale lock behind. POSIX locks belong to the process: the `crawl` command takes the lock before
Scrapy starts (to exit at once with LOCKED), and the state extension taking it again in the same
process succeeds, so plain `scrapy crawl` is protected as well.
"""

from __future__ import annotations

import fcntl
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import IO


class SiteLockedError(RuntimeError):
    """Another process holds the site's lock."""


class SiteLock:
    """A non-blocking exclusive lock on one file; a context manager."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        """Take the lock or raise SiteLockedError naming the holder, without waiting."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+", encoding="utf-8")
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
        self._file = handle

    def release(self) -> None:
        """Drop the lock (closing the file releases it; the file itself stays, harmlessly)."""
        if self._file is not None:
            self._file.close()
            self._file = None

    @property
    def held(self) -> bool:
        return self._file is not None

    def __enter__(self) -> SiteLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
