"""Read a labelled corpus: `expected.jsonl` (one object per page) next to the saved pages.

Format (as in the shared development corpus): each line has `file` (path relative to the corpus
folder, gzip when it ends in .gz), `url`, `crawled_at`, `language` and the expected fields
(`headline`, `authors`, `date_published`, `description`, `body`, `topics`).
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

EXPECTED = "expected.jsonl"


class CorpusError(Exception):
    """The corpus folder or one of its lines cannot be used (message says which and why)."""


@dataclass(frozen=True)
class CorpusPage:
    """One labelled page: the HTML as text, where it came from, and the expected fields."""

    file: str
    url: str | None
    language: str
    crawled_at: datetime
    html: str
    expected: dict[str, Any] = field(default_factory=dict)


def default_corpus_dir(start: Path | None = None) -> Path:
    """`../shared/corpus` relative to the repository root (the folder holding pyproject.toml).

    The repository root is found from this file (editable install) or else from `start`
    (default: the current directory) and its parents; falls back to `start/../shared/corpus`.
    """
    start = (start or Path.cwd()).resolve()
    here = Path(__file__).resolve()
    for base in (*here.parents, start, *start.parents):
        if (base / "pyproject.toml").is_file() and (base / "newscrawler").is_dir():
            return base.parent / "shared" / "corpus"
    return start.parent / "shared" / "corpus"


def parse_crawled_at(value: object) -> datetime:
    """The crawl time as an aware datetime (naive values are taken as UTC); now when missing."""
    if not isinstance(value, str) or not value.strip():
        return datetime.now(UTC)
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise CorpusError(f"bad crawled_at {value!r}") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _read_page(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return data.decode("utf-8", errors="replace")


def iter_lines(corpus: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each non-blank line of expected.jsonl."""
    with (corpus / EXPECTED).open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CorpusError(f"{EXPECTED} line {number}: invalid JSON ({exc})") from exc
            if not isinstance(row, dict) or not isinstance(row.get("file"), str):
                raise CorpusError(f"{EXPECTED} line {number}: an object with a 'file' is required")
            yield number, row


def load_corpus(corpus: Path, *, limit: int | None = None) -> list[CorpusPage]:
    """All pages of a corpus folder, in file order. Raises CorpusError with a clear message."""
    if not (corpus / EXPECTED).is_file():
        raise CorpusError(
            f"no corpus at {corpus}: expected {corpus / EXPECTED} "
            "(pass --corpus DIR, a folder with expected.jsonl and the pages it lists)"
        )
    pages: list[CorpusPage] = []
    for number, row in iter_lines(corpus):
        path = corpus / row["file"]
        try:
            html = _read_page(path)
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            raise CorpusError(f"{EXPECTED} line {number}: cannot read {path}: {exc}") from exc
        pages.append(
            CorpusPage(
                file=row["file"],
                url=row.get("url"),
                language=str(row.get("language") or "?"),
                crawled_at=parse_crawled_at(row.get("crawled_at")),
                html=html,
                expected=row,
            )
        )
        if limit is not None and len(pages) >= limit:
            break
    return pages
