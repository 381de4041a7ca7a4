"""Output paths built from untrusted names (site names, profile names) without path traversal."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_site_dirname(name: str) -> str:
    """A single, harmless path component for a site name.

    >>> safe_site_dirname("../../etc/passwd")
    'etc_passwd'
    >>> safe_site_dirname("www.example.com")
    'www.example.com'
    >>> safe_site_dirname("")
    'unknown'
    """
    cleaned = _UNSAFE.sub("_", name).strip("._-")
    cleaned = re.sub(r"\.{2,}", ".", cleaned)
    return cleaned[:100] or "unknown"


def utc_stamp(now: datetime | None = None) -> str:
    """A sortable, filename-safe UTC timestamp: 20261128T135800Z."""
    return (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def output_file(output_dir: Path, site: str, now: datetime | None = None) -> Path:
    """output/<site>/<UTC timestamp>.jsonl: the layout downstream jobs can glob."""
    return output_dir / safe_site_dirname(site) / f"{utc_stamp(now)}.jsonl"
