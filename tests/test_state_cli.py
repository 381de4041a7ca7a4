"""`newscrawler state show|reset SITE`, run as a real command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from newscrawler.exitcodes import ExitCode
from newscrawler.state import Staged, lock_for, open_store, store_path
from tests.conftest import ROOT, run_cli


def remember_one(state_dir: Path, site: str) -> None:
    store = open_store(state_dir, site)
    store.begin_run("r", state_dir / "out.jsonl", "t")
    store.stage("r", Staged("https://example.com/a/", None, "id", "h", 1, "t"))
    store.commit_run("r")
    store.close()


def test_show_then_reset_forgets_the_site(tmp_path: Path) -> None:
    remember_one(tmp_path, "example.com")
    store = open_store(tmp_path, "example.com")
    store.note_not_article("https://example.com/about/", "2026-11-29T00:00:00+00:00")
    store.close()
    shown = run_cli(
        "state", "show", "https://www.example.com/", "--state-dir", str(tmp_path), cwd=ROOT
    )
    assert shown.returncode == ExitCode.OK
    assert "example.com: 1 articles known, 1 listed pages remembered as no article" in shown.stdout
    reset = run_cli("state", "reset", "example.com", "--state-dir", str(tmp_path), cwd=ROOT)
    assert reset.returncode == ExitCode.OK, reset.stderr
    assert "Forgot everything about example.com" in reset.stdout
    assert not store_path(tmp_path, "example.com").exists()
    store = open_store(tmp_path, "example.com")
    assert store.count() == 0
    store.close()


def test_reset_of_an_unknown_site_is_harmless(tmp_path: Path) -> None:
    result = run_cli("state", "reset", "nowhere", "--state-dir", str(tmp_path), cwd=ROOT)
    assert result.returncode == ExitCode.OK
    assert "No state for nowhere" in result.stdout


def test_reset_refuses_while_a_run_holds_the_lock_show_does_not(tmp_path: Path) -> None:
    remember_one(tmp_path, "example.com")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; from newscrawler.state import lock_for;"
            "lock = lock_for(Path(sys.argv[1]), 'example.com'); lock.acquire();"
            "print('locked', flush=True); sys.stdin.read()",
            str(tmp_path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        result = run_cli("state", "reset", "example.com", "--state-dir", str(tmp_path), cwd=ROOT)
        shown = run_cli("state", "show", "example.com", "--state-dir", str(tmp_path), cwd=ROOT)
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == ExitCode.LOCKED
    assert "a run of example.com is in progress" in result.stderr
    assert store_path(tmp_path, "example.com").exists()  # nothing touched
    assert shown.returncode == ExitCode.OK  # reading needs no lock
    assert "example.com: 1 articles known" in shown.stdout
    with lock_for(tmp_path, "example.com"):
        pass


def test_state_dir_defaults_to_the_environment_variable(tmp_path: Path) -> None:
    remember_one(tmp_path, "demo")
    result = subprocess.run(
        [sys.executable, "-m", "newscrawler.cli", "state", "show", "demo"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NEWSCRAWLER_STATE_DIR": str(tmp_path)},
        check=False,
    )
    assert result.returncode == ExitCode.OK, result.stderr
    assert "demo: 1 articles known" in result.stdout
