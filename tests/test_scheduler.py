"""The spilling scheduler's housekeeping: queue directories left by killed runs are removed,
and only those (newscrawler/scheduler.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from newscrawler.scheduler import PREFIX, process_alive, remove_stale_queues


def dead_pid() -> int:
    """The id of a process that has exited (and been reaped)."""
    done = subprocess.Popen([sys.executable, "-c", "pass"])
    done.wait()
    return done.pid


def test_only_directories_of_processes_gone_are_removed(tmp_path: Path) -> None:
    dead = dead_pid()
    assert not process_alive(dead) and process_alive(os.getpid())
    stale = tmp_path / f"{PREFIX}{dead}-abc123"
    live = tmp_path / f"{PREFIX}{os.getpid()}-def456"
    unnamed = tmp_path / f"{PREFIX}no-pid-here"
    other = tmp_path / "somebody-elses-dir"
    for folder in (stale, live, unnamed, other):
        (folder / "requests.queue").mkdir(parents=True)
    a_file = tmp_path / f"{PREFIX}{dead}-file"
    a_file.write_text("not a directory")
    assert remove_stale_queues(tmp_path) == [stale]
    assert not stale.exists()
    assert live.is_dir() and unnamed.is_dir() and other.is_dir() and a_file.is_file()
    assert remove_stale_queues(tmp_path) == []
