"""The per-site state store on stdlib sqlite3, in WAL mode (one file per site under the state dir).

WAL lets the report and `state` commands read while a crawl writes; every write is its own short
transaction, so a SIGKILL leaves the database consistent (sqlite's journal guarantees it).

SQL text in string literals is marked `# pragma: no mutate`: its keywords and names are
case-insensitive, so mutmut's upper- and lower-case mutants of it are equivalent, and any other
change to it fails every test that runs the statement.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path

from newscrawler.state.store import ArticleState, NotArticle, Staged, StateError, url_key

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    canonical_url TEXT PRIMARY KEY,
    article_id TEXT,
    content_hash TEXT NOT NULL,
    revision INTEGER NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    date_published TEXT,
    date_modified TEXT,
    lastmod TEXT,
    delivered_to TEXT,
    delivered_at TEXT
);
CREATE TABLE IF NOT EXISTS aliases (url TEXT PRIMARY KEY, canonical_url TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS not_articles (
    url TEXT PRIMARY KEY,
    checked_at TEXT NOT NULL,
    lastmod TEXT
);
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY,
    output TEXT,
    started_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open'
);
CREATE TABLE IF NOT EXISTS staged (
    run_id TEXT NOT NULL,
    canonical_url TEXT NOT NULL,
    url TEXT,
    article_id TEXT,
    content_hash TEXT NOT NULL,
    revision INTEGER NOT NULL,
    seen_at TEXT NOT NULL,
    date_published TEXT,
    date_modified TEXT,
    lastmod TEXT,
    PRIMARY KEY (run_id, canonical_url)
);
-- added with issue 13: older files gain it on open, the schema version stays 1
CREATE TABLE IF NOT EXISTS templates (
    shape TEXT PRIMARY KEY,
    articles INTEGER NOT NULL,
    listings INTEGER NOT NULL,
    others INTEGER NOT NULL
);
"""

_COMMIT_ARTICLES = """
INSERT INTO articles (canonical_url, article_id, content_hash, revision, first_seen, last_seen,
                      date_published, date_modified, lastmod, delivered_to, delivered_at)
SELECT s.canonical_url, s.article_id, s.content_hash, s.revision, s.seen_at, s.seen_at,
       s.date_published, s.date_modified, s.lastmod, r.output, s.seen_at
FROM staged AS s JOIN runs AS r ON r.run_id = s.run_id
WHERE s.run_id = ?
ON CONFLICT (canonical_url) DO UPDATE SET
    article_id = excluded.article_id,
    content_hash = excluded.content_hash,
    revision = excluded.revision,
    last_seen = excluded.last_seen,
    date_published = excluded.date_published,
    date_modified = excluded.date_modified,
    lastmod = COALESCE(excluded.lastmod, articles.lastmod),
    delivered_to = excluded.delivered_to,
    delivered_at = excluded.delivered_at
"""

_COMMIT_ALIASES = """
INSERT OR REPLACE INTO aliases (url, canonical_url)
SELECT url, canonical_url FROM staged WHERE run_id = ? AND url IS NOT NULL
"""

_TABLES = ("articles", "aliases", "not_articles", "runs", "staged", "templates")  # all but meta

_ARTICLE_COLUMNS = (
    "canonical_url, article_id, content_hash, revision, first_seen, last_seen, "
    "date_published, date_modified, lastmod, delivered_to"
)


class SqliteStateStore:
    """`StateStore` on one sqlite file. Not thread-safe: use it from the reactor thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(
            path,
            # how long a write waits for another connection's write to end: no test can tell
            # 10 s from 11 s without the wall clock
            timeout=10.0,  # pragma: no mutate
            isolation_level=None,  # autocommit: each write is on disk when execute returns
        )
        try:
            self._db.execute("PRAGMA journal_mode=WAL")  # pragma: no mutate
            self._db.execute("PRAGMA synchronous=NORMAL")  # pragma: no mutate
            self._db.executescript(_SCHEMA)
            self._check_version()
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise StateError(
                f"state file {path} is unreadable ({exc}); `newscrawler state reset SITE`"
                " starts the site over (its next run emits every article again)"
            ) from exc
        except StateError:
            self._db.close()
            raise

    def _check_version(self) -> None:
        row = self._db.execute(
            "SELECT value FROM meta WHERE key = 'schema_version'"  # pragma: no mutate
        ).fetchone()
        if row is None:
            self._db.execute(
                "INSERT INTO meta (key, value) VALUES ('schema_version', ?)",  # pragma: no mutate
                (str(SCHEMA_VERSION),),
            )
        elif int(row[0]) != SCHEMA_VERSION:
            raise StateError(
                f"state file {self.path} has schema version {row[0]}, expected {SCHEMA_VERSION};"
                " `newscrawler state reset SITE` starts the site over"
            )

    def get(self, url: str) -> ArticleState | None:
        key = url_key(url)
        row = self._db.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE canonical_url = ? "
            "OR canonical_url = (SELECT canonical_url"  # pragma: no mutate
            " FROM aliases WHERE url = ?)",  # pragma: no mutate
            (key, key),
        ).fetchone()
        return ArticleState(*row) if row else None

    def touch(self, url: str, seen_at: str, lastmod: str | None = None) -> None:
        state = self.get(url)
        if state is None:
            return
        self._db.execute(
            "UPDATE articles SET last_seen = ?,"  # pragma: no mutate
            " lastmod = COALESCE(?, lastmod) WHERE canonical_url = ?",  # pragma: no mutate
            (seen_at, lastmod, state.canonical_url),
        )

    def note_not_article(self, url: str, checked_at: str, lastmod: str | None = None) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO not_articles (url, checked_at, lastmod)"  # pragma: no mutate
            " VALUES (?, ?, ?)",  # pragma: no mutate
            (url_key(url), checked_at, lastmod),
        )

    def not_article(self, url: str) -> NotArticle | None:
        row = self._db.execute(
            "SELECT url, checked_at, lastmod FROM not_articles WHERE url = ?",  # pragma: no mutate
            (url_key(url),),
        ).fetchone()
        return NotArticle(*row) if row else None

    def begin_run(self, run_id: str, output: Path | None, started_at: str) -> None:
        self._db.execute(
            "INSERT INTO runs (run_id, output, started_at) VALUES (?, ?, ?)",  # pragma: no mutate
            (run_id, str(output) if output is not None else None, started_at),
        )

    def stage(self, run_id: str, article: Staged) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO staged (run_id, canonical_url, url,"  # pragma: no mutate
            " article_id, content_hash, revision, seen_at,"  # pragma: no mutate
            " date_published, date_modified, lastmod)"  # pragma: no mutate
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",  # pragma: no mutate
            (
                run_id,
                url_key(article.canonical_url),
                url_key(article.url) if article.url else None,
                article.article_id,
                article.content_hash,
                article.revision,
                article.seen_at,
                article.date_published,
                article.date_modified,
                article.lastmod,
            ),
        )

    def commit_run(self, run_id: str) -> int:
        with self._transaction():
            count: int = self._db.execute(
                "SELECT COUNT(*) FROM staged WHERE run_id = ?",  # pragma: no mutate
                (run_id,),
            ).fetchone()[0]
            self._db.execute(_COMMIT_ARTICLES, (run_id,))
            self._db.execute(_COMMIT_ALIASES, (run_id,))
            self._db.execute(
                "DELETE FROM staged WHERE run_id = ?",  # pragma: no mutate
                (run_id,),
            )
            self._db.execute(
                "UPDATE runs SET status = 'committed' WHERE run_id = ?",  # pragma: no mutate
                (run_id,),
            )
        return count

    def recover(self, is_finalized: Callable[[Path], bool]) -> tuple[int, int]:
        committed = discarded = 0
        open_runs = self._db.execute(
            "SELECT run_id, output FROM runs WHERE status = 'open'"  # pragma: no mutate
            " ORDER BY started_at"  # pragma: no mutate
        ).fetchall()
        for run_id, output in open_runs:
            if output is not None and is_finalized(Path(output)):
                self.commit_run(run_id)
                committed += 1
            else:
                with self._transaction():
                    self._db.execute(
                        "DELETE FROM staged WHERE run_id = ?",  # pragma: no mutate
                        (run_id,),
                    )
                    self._db.execute(
                        "UPDATE runs SET status = 'discarded'"  # pragma: no mutate
                        " WHERE run_id = ?",  # pragma: no mutate
                        (run_id,),
                    )
                discarded += 1
        return committed, discarded

    def reset(self) -> None:
        with self._transaction():
            for table in _TABLES:
                self._db.execute(f"DELETE FROM {table}")

    def count(self) -> int:
        row = self._db.execute("SELECT COUNT(*) FROM articles").fetchone()  # pragma: no mutate
        return int(row[0])

    def count_not_articles(self) -> int:
        row = self._db.execute(
            "SELECT COUNT(*) FROM not_articles"  # pragma: no mutate
        ).fetchone()
        return int(row[0])

    def templates(self) -> list[tuple[str, int, int, int]]:
        rows = self._db.execute(
            "SELECT shape, articles, listings, others FROM templates"  # pragma: no mutate
        )
        return [(str(a), int(b), int(c), int(d)) for a, b, c, d in rows.fetchall()]

    def save_templates(self, rows: Iterable[tuple[str, int, int, int]]) -> None:
        with self._transaction():
            self._db.execute("DELETE FROM templates")  # pragma: no mutate
            self._db.executemany(
                "INSERT INTO templates (shape, articles, listings, others)"  # pragma: no mutate
                " VALUES (?, ?, ?, ?)",  # pragma: no mutate
                list(rows),
            )

    def close(self) -> None:
        self._db.close()

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on error (the connection is in autocommit mode)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")  # pragma: no mutate

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self.db.execute("COMMIT")  # pragma: no mutate
        else:
            self.db.execute("ROLLBACK")  # pragma: no mutate
