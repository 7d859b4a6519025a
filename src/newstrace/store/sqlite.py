"""SQLite backend: one file, WAL mode, FTS5 search. The default store."""
from __future__ import annotations

import json
import re
import sqlite3
import threading
from typing import Any, Sequence

from ..records import utcnow
from .base import search_terms
from .migrations import MIGRATIONS
from .sql import SQLStore


class SQLiteStore(SQLStore):
    """A store in one SQLite file."""

    _begin_sql = "BEGIN IMMEDIATE"
    _id_order = "id"  # text compares byte by byte already
    _period_end_desc = "period_end DESC"  # NULLs sort last in DESC order, so the indexes serve the sort
    _story_in_ids = "id IN (SELECT value FROM json_each(?))"
    _story_has_outlet = "EXISTS (SELECT 1 FROM json_each(stories.data, '$.outlets') o WHERE instr(lower(o.value), lower(?)) > 0)"
    _story_has_place = ("EXISTS (SELECT 1 FROM json_each(stories.data, '$.places') p "
                        "WHERE instr(lower(json_extract(p.value, '$.name')), lower(?)) > 0)")
    _story_has_entity = ("EXISTS (SELECT 1 FROM json_each(stories.data, '$.entities') e WHERE "
                         "instr(lower(json_extract(e.value, '$.name')), lower(?)) > 0 OR EXISTS "
                         "(SELECT 1 FROM json_each(e.value, '$.aliases') a WHERE instr(lower(a.value), lower(?)) > 0))")

    _rank_in_ids = "(SELECT j.key FROM json_each(?) j WHERE j.value = {table}.id)"
    _contains = "instr(lower(coalesce({col}, '')), lower(?)) > 0"
    _recycled_flag = "coalesce(json_extract(recycled, '$.is_recycled'), 0)"

    @staticmethod
    def _story_ids_value(story_ids: list[str]) -> str:
        """The ids as a JSON array, which json_each reads."""
        return json.dumps(list(story_ids))

    def __init__(self, path: str):
        self.path = path
        self.conn = sqlite3.connect(path, timeout=60, isolation_level=None, check_same_thread=False)
        self.conn.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        self._depth = 0
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        # The LSH buckets and story postings are B-trees written at random keys: with SQLite's 2 MB default
        # cache most inserts miss; 128 MiB (an upper bound, taken as used) made indexing 100k articles 2.3x faster.
        self.conn.execute("PRAGMA cache_size=-131072")
        self.conn.execute("PRAGMA foreign_keys=ON")
        self.migrate()

    # --- schema --------------------------------------------------------
    def migrate(self) -> list[int]:
        """Apply every migration not yet applied; returns the versions applied now."""
        self.conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at TEXT)")
        done = {r[0] for r in self.conn.execute("SELECT version FROM schema_migrations")}
        applied = []
        for version, name, sql, _pg in sorted(MIGRATIONS):
            if version in done:
                continue
            with self.transaction():
                for stmt in _split_sql(sql):
                    self.conn.execute(stmt)
                self.conn.execute("INSERT INTO schema_migrations VALUES (?,?,?)", (version, name, utcnow().isoformat()))
            applied.append(version)
        return applied

    def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        """Run one statement (SQLite's own dialect: nothing to adapt)."""
        with self._lock:
            return self.conn.execute(sql, params)

    def executemany(self, sql: str, seq: Sequence[Sequence[Any]]) -> sqlite3.Cursor:
        """`execute` for many parameter rows."""
        with self._lock:
            return self.conn.executemany(sql, seq)

    # --- search ----------------------------------------------------------
    def search(self, query: str, limit: int = 50) -> list[str]:
        terms = search_terms(query)
        if not terms:
            return []
        fts = " ".join(f'"{t}"' for t in terms)  # FTS5: each quoted term a phrase, side by side means AND
        rows = self.execute(
            "SELECT a.id FROM articles_fts f JOIN articles a ON a.seq=f.rowid WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
            (fts, limit)).fetchall()
        return [r[0] for r in rows]

    def data_version(self) -> str | None:
        # data_version moves on commits by other connections (e.g. a CLI ingest), total_changes on our own.
        with self._lock:
            if self._depth:
                return None  # inside a write transaction nothing is settled yet
            return f"{self.conn.execute('PRAGMA data_version').fetchone()[0]}:{self.conn.total_changes}"

    def close(self) -> None:
        with self._lock:
            self.conn.close()


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    out, buf, depth = [], [], 0
    for line in script.splitlines():
        s = line.strip()
        if not s:
            continue
        buf.append(line)
        if re.search(r"\bBEGIN\s*$", s):
            depth += 1
        if s.upper().startswith("END;"):
            depth -= 1
        if s.endswith(";") and depth == 0:
            out.append("\n".join(buf))
            buf = []
    if buf:
        out.append("\n".join(buf))
    return out
