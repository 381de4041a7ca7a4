"""Where the project's shared data lives: `../shared` relative to the repository root.

The seed article and the quality corpora sit beside the checkout, never inside it. In a git
worktree (`.git` is a file pointing into the main checkout's `.git/worktrees/`), the main
checkout's `../shared` is meant; in a clone of a local checkout (`git clone . /tmp/x`, as the
release check does), the origin checkout's. A test that needs the data fails with the path it
looked at.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main_checkout(root: Path = ROOT) -> Path:
    """The main checkout of a git worktree (`root` itself for an ordinary clone)."""
    git = root / ".git"
    if git.is_file():
        pointer = git.read_text(encoding="utf-8").strip().removeprefix("gitdir:").strip()
        gitdir = (root / pointer).resolve()  # <main>/.git/worktrees/<name>
        if gitdir.parent.name == "worktrees":
            return gitdir.parent.parent.parent
    return root


def local_origin(root: Path = ROOT) -> Path | None:
    """The checkout this one was cloned from, when that is a local directory."""
    found = subprocess.run(
        ["git", "-C", str(root), "config", "--get", "remote.origin.url"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    origin = Path(found.stdout.strip()) if found.returncode == 0 else None
    return origin if origin is not None and origin.is_absolute() and origin.is_dir() else None


def shared_dir(root: Path = ROOT) -> Path:
    """`../shared` of this checkout, else of the main checkout when this is a worktree, else of
    the local checkout this one was cloned from. `make mutate` runs the tests from mutmut's copy
    in `<checkout>/mutants/`, which is the checkout's."""
    if root.name == "mutants" and not (root / ".git").exists():
        return shared_dir(root.parent)
    candidates = [root.parent / "shared", main_checkout(root).parent / "shared"]
    origin = local_origin(root)
    if origin is not None:
        candidates.append(origin.parent / "shared")
    return next((path for path in candidates if path.is_dir()), candidates[0])


def shared_file(*parts: str) -> Path:
    """A file under `../shared`; AssertionError naming the expected path when it is missing."""
    path = shared_dir().joinpath(*parts)
    assert path.is_file(), (
        f"shared data missing: {path} (expected in ../shared next to the repository root,"
        " see README 'Development')"
    )
    return path
