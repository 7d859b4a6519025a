"""SQLite backend: one file, WAL mode, FTS5 search. The default store."""
from __future__ import annotations

import json
import re
import sqlite3
import threading
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Iterator

from ..records import Article, Enrichment, Failure, Link, RawDocument, utcnow
from .base import NestedTransactions, Store
from .codec import article_from_row, article_to_row, dumps, enrichment_from_json, enrichment_to_json
from .migrations import MIGRATIONS

_ARTICLE_COLUMNS = ("id", "external_id", "origin", "title", "outlet", "url", "author", "published",
                    "published_source", "language", "text", "paragraphs", "captions", "boilerplate",
                    "first_seen", "first_seen_source", "media_type")
_STATE_COLUMNS = ("story_id", "duplicate_of", "recycled")


class SQLiteStore(NestedTransactions, Store):
    """A store in one SQLite file."""

    _begin_sql = "BEGIN IMMEDIATE"

    def __init__(self, path: str):
        self.path = path
        self.conn = sqlite3.connect(path, timeout=60, isolation_level=None, check_same_thread=False)
        self.conn.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        self._depth = 0
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
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


    def execute(self, sql: str, params: tuple | list = ()) -> sqlite3.Cursor:
        """Run one statement (for stage-specific tables added by migrations)."""
        with self._lock:
            return self.conn.execute(sql, params)

    # --- raw documents -------------------------------------------------
    def has_raw(self, raw_id: str) -> bool:
        return self.execute("SELECT 1 FROM raw_documents WHERE id=?", (raw_id,)).fetchone() is not None

    def add_raw(self, raw: RawDocument) -> bool:
        cur = self.execute(
            "INSERT OR IGNORE INTO raw_documents (id, origin, media_type, first_seen, first_seen_source, hints, data, ingested_at) "
            "VALUES (?,?,?,?,?,?,?,?)",
            (raw.id, raw.origin, raw.media_type, raw.first_seen.isoformat(), raw.first_seen_source,
             dumps(raw.hints), raw.data, utcnow().isoformat()))
        return cur.rowcount == 1

    def get_raw(self, raw_id: str) -> RawDocument | None:
        r = self.execute("SELECT * FROM raw_documents WHERE id=?", (raw_id,)).fetchone()
        if r is None:
            return None
        return RawDocument(id=r["id"], origin=r["origin"], data=bytes(r["data"]), media_type=r["media_type"],
                           first_seen=datetime.fromisoformat(r["first_seen"]), first_seen_source=r["first_seen_source"],
                           hints=json.loads(r["hints"]))

    # --- quarantine ----------------------------------------------------
    def add_failure(self, failure: Failure) -> bool:
        cur = self.execute(
            "INSERT OR IGNORE INTO quarantine (origin, stage, reason, content_id, data, recorded_at) VALUES (?,?,?,?,?,?)",
            (failure.origin, failure.stage, failure.reason, failure.id, failure.data, failure.when.isoformat()))
        return cur.rowcount == 1

    def failures(self) -> list[dict[str, Any]]:
        rows = self.execute("SELECT origin, stage, reason, content_id, recorded_at, length(data) AS size FROM quarantine ORDER BY seq")
        return [dict(r) for r in rows]

    # --- articles ------------------------------------------------------
    def add_article(self, article: Article, enrichment: Enrichment | None = None) -> bool:
        row = article_to_row(article)
        with self.transaction():
            cur = self.execute(
                f"INSERT OR IGNORE INTO articles ({','.join(_ARTICLE_COLUMNS)}) VALUES ({','.join('?' * len(_ARTICLE_COLUMNS))})",
                [row[c] for c in _ARTICLE_COLUMNS])
            if cur.rowcount != 1:
                return False
            if enrichment is not None:
                self.set_enrichment(enrichment)
        return True

    def get_article(self, article_id: str) -> Article | None:
        r = self.execute("SELECT * FROM articles WHERE id=?", (article_id,)).fetchone()
        return article_from_row(dict(r)) if r else None

    def articles(self) -> Iterator[Article]:
        for r in self.execute("SELECT * FROM articles ORDER BY seq").fetchall():
            yield article_from_row(dict(r))

    def article_count(self) -> int:
        return self.execute("SELECT count(*) FROM articles").fetchone()[0]

    def get_enrichment(self, article_id: str) -> Enrichment | None:
        r = self.execute("SELECT data FROM enrichments WHERE article_id=?", (article_id,)).fetchone()
        return enrichment_from_json(r[0]) if r else None

    def set_enrichment(self, enrichment: Enrichment) -> None:
        self.execute("INSERT OR REPLACE INTO enrichments VALUES (?,?)", (enrichment.article_id, enrichment_to_json(enrichment)))

    def article_state(self, article_id: str) -> dict[str, Any]:
        r = self.execute("SELECT story_id, duplicate_of, recycled FROM articles WHERE id=?", (article_id,)).fetchone()
        if r is None:
            return {}
        return {"story_id": r["story_id"], "duplicate_of": r["duplicate_of"],
                "recycled": json.loads(r["recycled"]) if r["recycled"] else None}

    def set_article_state(self, article_id: str, **state: Any) -> None:
        bad = set(state) - set(_STATE_COLUMNS)
        if bad:
            raise ValueError(f"unknown article state: {sorted(bad)}")
        if not state:
            return
        values = [dumps(v) if k == "recycled" and v is not None else v for k, v in state.items()]
        self.execute(f"UPDATE articles SET {', '.join(f'{k}=?' for k in state)} WHERE id=?", [*values, article_id])

    # --- links and stories ---------------------------------------------
    def add_links(self, links: list[Link]) -> None:
        with self.transaction():
            for l in links:
                self.execute("INSERT OR REPLACE INTO links VALUES (?,?,?,?,?)", (l.src, l.dst, l.kind, l.score, dumps(l.evidence)))

    def links(self, article_id: str | None = None, kind: str | None = None) -> list[Link]:
        sql, params = "SELECT * FROM links WHERE 1=1", []
        if article_id is not None:
            sql += " AND (src=? OR dst=?)"
            params += [article_id, article_id]
        if kind is not None:
            sql += " AND kind=?"
            params.append(kind)
        return [Link(src=r["src"], dst=r["dst"], kind=r["kind"], score=r["score"], evidence=json.loads(r["evidence"]))
                for r in self.execute(sql, params).fetchall()]

    def put_story(self, story_id: str, story: dict[str, Any]) -> None:
        self.execute("INSERT OR REPLACE INTO stories VALUES (?,?,?)", (story_id, dumps(story), utcnow().isoformat()))

    def delete_story(self, story_id: str) -> None:
        self.execute("DELETE FROM stories WHERE id=?", (story_id,))

    def stories(self) -> list[dict[str, Any]]:
        return [json.loads(r[0]) for r in self.execute("SELECT data FROM stories ORDER BY id").fetchall()]

    def article_ids_in_story(self, story_id: str) -> list[str]:
        return [r[0] for r in self.execute("SELECT id FROM articles WHERE story_id=? ORDER BY seq", (story_id,)).fetchall()]

    def get_story(self, story_id: str) -> dict[str, Any] | None:
        r = self.execute("SELECT data FROM stories WHERE id=?", (story_id,)).fetchone()
        return json.loads(r[0]) if r else None

    # --- meta ------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        r = self.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return r[0] if r else None

    def set_meta(self, key: str, value: str) -> None:
        self.execute("INSERT OR REPLACE INTO meta VALUES (?,?)", (key, value))

    # --- search ----------------------------------------------------------
    def search(self, query: str, limit: int = 50) -> list[str]:
        words = re.findall(r"\w+", query)
        if not words:
            return []
        fts = " ".join('"' + w.replace('"', "") + '"' for w in words)
        rows = self.execute(
            "SELECT a.id FROM articles_fts f JOIN articles a ON a.seq=f.rowid WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
            (fts, limit)).fetchall()
        return [r[0] for r in rows]

    # --- paged reads (web UI / REST API): indexed, same rules as base.story_matches ---
    def story_page(self, *, sort: str = "largest", offset: int = 0, limit: int = 20, story_ids: list[str] | None = None,
                   outlet: str | None = None, date_from: str | None = None, date_to: str | None = None,
                   place: str | None = None, entity: str | None = None) -> tuple[int, list[dict[str, Any]]]:
        where, params = ["1=1"], []
        if story_ids is not None:
            if not story_ids:
                return 0, []
            where.append(f"id IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(list(story_ids)))
        if outlet:
            where.append("EXISTS (SELECT 1 FROM json_each(stories.data, '$.outlets') o WHERE lower(o.value) = lower(?))")
            params.append(outlet)
        if date_from:
            where.append("substr(period_end, 1, 10) >= ?")
            params.append(date_from[:10])
        if date_to:
            where.append("substr(period_start, 1, 10) <= ?")
            params.append(date_to[:10])
        if place:
            where.append("EXISTS (SELECT 1 FROM json_each(stories.data, '$.places') p "
                         "WHERE instr(lower(json_extract(p.value, '$.name')), lower(?)) > 0)")
            params.append(place)
        if entity:
            where.append("EXISTS (SELECT 1 FROM json_each(stories.data, '$.entities') e WHERE "
                         "instr(lower(json_extract(e.value, '$.name')), lower(?)) > 0 OR EXISTS "
                         "(SELECT 1 FROM json_each(e.value, '$.aliases') a WHERE instr(lower(a.value), lower(?)) > 0))")
            params += [entity, entity]
        cond = " AND ".join(where)
        # SQLite puts NULLs last in DESC order, so undated stories come last and the indexes serve the sort.
        order = "period_end DESC, id" if sort == "newest" else "n_articles DESC, period_end DESC, id"
        total = self.execute(f"SELECT count(*) FROM stories WHERE {cond}", params).fetchone()[0]
        rows = self.execute(f"SELECT data FROM stories WHERE {cond} ORDER BY {order} LIMIT ? OFFSET ?",
                            [*params, max(0, limit), max(0, offset)]).fetchall()
        return total, [json.loads(r[0]) for r in rows]

    def data_version(self) -> str | None:
        # data_version moves on commits by other connections (e.g. a CLI ingest), total_changes on our own.
        with self._lock:
            if self._depth:
                return None  # inside a write transaction nothing is settled yet
            return f"{self.conn.execute('PRAGMA data_version').fetchone()[0]}:{self.conn.total_changes}"

    def article_page(self, offset: int = 0, limit: int = 50) -> list[Article]:
        rows = self.execute("SELECT * FROM articles ORDER BY seq LIMIT ? OFFSET ?", (max(0, limit), max(0, offset))).fetchall()
        return [article_from_row(dict(r)) for r in rows]

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
