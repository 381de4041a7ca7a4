"""Incremental state of scheduled crawls: what each site's earlier runs delivered.

`open_store` is the one place that picks a `StateStore` implementation; components get the store
from the `StateExtension` (`crawler.get_extension`) and never see which one it is.
"""

from __future__ import annotations

from pathlib import Path

from newscrawler.paths import safe_site_dirname
from newscrawler.state.lock import SiteLock, SiteLockedError
from newscrawler.state.sqlite import SqliteStateStore
from newscrawler.state.store import (
    ArticleState,
    Staged,
    StateError,
    StateStore,
    Verdict,
    classify,
    content_hash,
    url_key,
)

DEFAULT_STATE_DIR = Path(".newscrawler/state")

__all__ = [
    "DEFAULT_STATE_DIR",
    "ArticleState",
    "SiteLock",
    "SiteLockedError",
    "SqliteStateStore",
    "Staged",
    "StateError",
    "StateStore",
    "Verdict",
    "classify",
    "content_hash",
    "lock_for",
    "open_store",
    "preflight",
    "store_path",
    "url_key",
]


def store_path(state_dir: Path, site: str) -> Path:
    """`<state dir>/<site>.sqlite3`, the site name made a safe file name."""
    return state_dir / f"{safe_site_dirname(site)}.sqlite3"


def lock_for(state_dir: Path, site: str) -> SiteLock:
    """The lock that allows one run per site at a time: `<state dir>/<site>.lock`."""
    return SiteLock(state_dir / f"{safe_site_dirname(site)}.lock")


def open_store(state_dir: Path, site: str) -> StateStore:
    """The site's state store (sqlite, one file per site)."""
    return SqliteStateStore(store_path(state_dir, site))


def preflight(state_dir: Path, site: str) -> SiteLock:
    """Take the site's lock and check its state opens, before any crawling starts.

    Raises SiteLockedError (another run is in progress) or StateError (unusable state, with the
    way out). The returned lock is held: release it when the run is over.
    """
    lock = lock_for(state_dir, site)
    lock.acquire()
    try:
        open_store(state_dir, site).close()
    except BaseException:
        lock.release()
        raise
    return lock
