"""Read a labelled corpus: `expected.jsonl` (one object per page) next to the saved pages.

Format (as in the shared development corpora): each line has `file` (path relative to the corpus
folder, gzip when it ends in .gz), `url`, `crawled_at`, `language` and the expected fields
(`headline`, `authors`, `date_published`, `description`, `body`, `topics`). A corpus of page types
(WCXB's format) adds `page_type`, `domain`, and `with`/`without` snippets per page.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

EXPECTED = "expected.jsonl"
DEFAULT_CORPORA = ("corpus", "wcxb-dev")
HALVES = ("A", "B")


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

    @property
    def page_type(self) -> str | None:
        """The labelled page type (article, listing, forum...), None in an articles-only corpus."""
        value = self.expected.get("page_type")
        return value if isinstance(value, str) and value else None

    @property
    def site(self) -> str:
        """The site the page belongs to: its labelled domain, else its URL host without "www.",
        else the publisher part of the file name ("pages/de/Spiegel_2024_11_22.html.gz")."""
        domain = self.expected.get("domain")
        if isinstance(domain, str) and domain.strip():
            return domain.strip().casefold().removeprefix("www.")
        host = urlsplit(self.url).hostname if self.url else None
        if host:
            return host.removeprefix("www.")
        return Path(self.file).name.split("_")[0].split(".")[0].casefold()

    @property
    def half(self) -> str:
        """ "A" or "B": a stable hash of the site, so all pages of one site land in one half and
        a rule developed on one half is checked on sites it never saw."""
        return site_half(self.site)


def site_half(site: str) -> str:
    """The half of a site, from the first byte of its SHA-256 (stable across runs and machines).

    >>> site_half("example.org"), site_half("example.org") == site_half("example.org")
    ('B', True)
    """
    return HALVES[hashlib.sha256(site.encode("utf-8")).digest()[0] % 2]


def default_corpus_dir(start: Path | None = None, name: str = "corpus") -> Path:
    """`../shared/<name>` relative to the repository root (the folder holding pyproject.toml).

    The repository root is found from this file (editable install) or else from `start`
    (default: the current directory) and its parents; see `shared_corpus` for the rest.
    """
    start = (start or Path.cwd()).resolve()
    here = Path(__file__).resolve()
    for base in (*here.parents, start, *start.parents):
        if (base / "pyproject.toml").is_file() and (base / "newscrawler").is_dir():
            return shared_corpus(base, name)
    return shared_corpus(start, name)


def shared_corpus(root: Path, name: str) -> Path:
    """The nearest `shared/<name>` corpus above `root`, so a git worktree kept further down
    (`wt/<branch>/`) finds the same folder as the main checkout; else `<root>/../shared/<name>`.
    """
    for above in root.parents:
        if (above / "shared" / name / EXPECTED).is_file():
            return above / "shared" / name
    return root.parent / "shared" / name


def default_corpus_dirs(start: Path | None = None) -> list[Path]:
    """The default corpora: the news corpus and the WCXB development split (see DEFAULT_CORPORA)."""
    return [default_corpus_dir(start, name) for name in DEFAULT_CORPORA]


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
