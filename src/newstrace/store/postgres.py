"""PostgreSQL backend (psycopg 3): one shared store for a team, safe for several writers at once."""
from __future__ import annotations

import json
import re
import secrets
import threading
import zlib
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Iterator, Sequence

import psycopg
from psycopg.rows import RowMaker

from ..records import Article, Enrichment, Failure, Link, RawDocument, utcnow
from .base import NestedTransactions, Store
from .codec import article_from_row, article_to_row, dumps, enrichment_from_json, enrichment_to_json
from .migrations import MIGRATIONS

_ARTICLE_COLUMNS = ("id", "external_id", "origin", "title", "outlet", "url", "author", "published",
                    "published_source", "language", "text", "paragraphs", "captions", "boilerplate",
                    "first_seen", "first_seen_source", "media_type")
_STATE_COLUMNS = ("story_id", "duplicate_of", "recycled")

# Advisory-lock keys (one 64-bit namespace per database): stable small integers derived from a name.
MIGRATE_LOCK = zlib.crc32(b"newstrace:migrate")
LINK_LOCK = zlib.crc32(b"newstrace:link")
# Two-key advisory locks (class, token) mark live claim owners; the class fits a positive int4.
CLAIM_LOCK_CLASS = zlib.crc32(b"newstrace:claim-owner") & 0x7FFFFFFF


class Row(tuple):
    """A result row readable by position and by column name, like sqlite3.Row (so `dict(row)` works)."""

    _names: tuple[str, ...] = ()

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        if isinstance(key, str):
            try:
                return tuple.__getitem__(self, self._names.index(key))
            except ValueError:
                raise IndexError(f"no column {key!r}") from None
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        """Column names, in order."""
        return list(self._names)


def _row_factory(cursor: psycopg.Cursor) -> RowMaker[Row]:
    """psycopg row factory producing `Row`s."""
    names = tuple(c.name for c in cursor.description or ())
    cls = type("Row", (Row,), {"_names": names, "__slots__": ()})
    return lambda values: cls(values)


class PostgresStore(NestedTransactions, Store):
    """A store in a PostgreSQL database named by a postgresql:// URL."""

    _begin_sql = "BEGIN"

    def __init__(self, url: str):
        self.url = url
        try:
            self.conn = psycopg.connect(url, autocommit=True, row_factory=_row_factory)
        except psycopg.OperationalError as e:
            raise RuntimeError(f"cannot connect to PostgreSQL at {_redact(url)}: {e}") from e
        self._lock = threading.RLock()
        self._depth = 0
        self._table_keys: dict[str, tuple[list[str], list[str]]] = {}
        self._owner: str | None = None
        self.migrate()

    # --- schema --------------------------------------------------------
    def migrate(self) -> list[int]:
        """Apply every migration not yet applied (one process at a time); returns the versions applied now."""
        applied = []
        with self._lock, self.advisory_lock(MIGRATE_LOCK):
            # Under the lock: several processes opening a fresh database at once must not race the DDL.
            self.conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at TEXT)")
            done = {r[0] for r in self.conn.execute("SELECT version FROM schema_migrations")}
            for version, name, _sqlite, sql in sorted(MIGRATIONS):
                if version in done:
                    continue
                with self.transaction():
                    if sql.strip():
                        self.conn.execute(sql)  # no parameters: psycopg sends the script whole
                    self.conn.execute("INSERT INTO schema_migrations VALUES (%s,%s,%s)", (version, name, utcnow().isoformat()))
                applied.append(version)
        self._table_keys.clear()
        return applied


    @contextmanager
    def advisory_lock(self, key: int) -> Iterator[None]:
        """Hold a session-level advisory lock: one holder per database across every process."""
        with self._lock:
            self.conn.execute("SELECT pg_advisory_lock(%s)", (key,))
            try:
                yield
            finally:
                self.conn.execute("SELECT pg_advisory_unlock(%s)", (key,))

    @contextmanager
    def link_lock(self) -> Iterator[None]:
        """Serialise the link stage across ingest processes so that copies and stories stay consistent."""
        with self.advisory_lock(LINK_LOCK):
            yield

    def execute(self, sql: str, params: Sequence[Any] = ()) -> psycopg.Cursor:
        """Run one statement written for SQLite (`?` placeholders, INSERT OR IGNORE/REPLACE) on PostgreSQL."""
        return self._q(self.translate(sql, bool(params)), params)

    def executemany(self, sql: str, seq: Sequence[Sequence[Any]]) -> psycopg.Cursor:
        """`execute` for many parameter rows."""
        with self._lock:
            cur = self.conn.cursor()
            cur.executemany(self.translate(sql, True), [_clean(p) for p in seq])
            return cur

    def _q(self, sql: str, params: Sequence[Any] = ()) -> psycopg.Cursor:
        """Run one statement already in PostgreSQL's dialect (`%s` placeholders)."""
        with self._lock:
            return self.conn.execute(sql, _clean(params) if params else None)

    def translate(self, sql: str, with_params: bool = True) -> str:
        """SQLite dialect → PostgreSQL: placeholders, and INSERT OR IGNORE/REPLACE as ON CONFLICT."""
        if with_params:
            sql = _placeholders(sql)
        m = _INSERT_OR.match(sql)
        if not m:
            return sql
        verb, table = m.group(1).upper(), m.group(2)
        body = sql[m.end():].rstrip().rstrip(";")
        head = f"INSERT INTO {table}"
        if verb == "IGNORE":
            return f"{head}{body} ON CONFLICT DO NOTHING"
        cols_m = re.match(r"\s*\(([^)]*)\)\s*(VALUES|SELECT)", body, re.I)
        columns = [c.strip().strip('"') for c in cols_m.group(1).split(",")] if cols_m else self._columns(table)
        key = self._conflict_key(table)
        if not key:
            raise ValueError(f"INSERT OR REPLACE into {table}: the table has no primary key or unique constraint")
        rest = [c for c in columns if c not in key]
        action = ("DO UPDATE SET " + ", ".join(f"{c}=EXCLUDED.{c}" for c in rest)) if rest else "DO NOTHING"
        return f"{head}{body} ON CONFLICT ({', '.join(key)}) {action}"

    def _columns(self, table: str) -> list[str]:
        """Column names of a table, in order (excluding generated columns)."""
        return self._keys(table)[0]

    def _conflict_key(self, table: str) -> list[str]:
        """Primary key (else first unique constraint) of a table."""
        return self._keys(table)[1]

    def _keys(self, table: str) -> tuple[list[str], list[str]]:
        if table not in self._table_keys:
            cols = [r[0] for r in self.conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema=current_schema() AND table_name=%s "
                "AND is_generated='NEVER' ORDER BY ordinal_position", (table.lower(),))]
            rows = self.conn.execute(
                "SELECT c.contype, array_agg(a.attname ORDER BY k.ord) FROM pg_constraint c "
                "CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord) "
                "JOIN pg_attribute a ON a.attrelid=c.conrelid AND a.attnum=k.attnum "
                "WHERE c.conrelid=to_regclass(%s) AND c.contype IN ('p','u') GROUP BY c.oid, c.contype "
                "ORDER BY c.contype, c.oid", (table,)).fetchall()
            key = list(rows[0][1]) if rows else []
            self._table_keys[table] = (cols, key)
        return self._table_keys[table]

    # --- raw documents -------------------------------------------------
    def has_raw(self, raw_id: str) -> bool:
        return self._q("SELECT 1 FROM raw_documents WHERE id=%s", (raw_id,)).fetchone() is not None

    def add_raw(self, raw: RawDocument) -> bool:
        # ON CONFLICT DO NOTHING makes this the claim: exactly one concurrent writer gets True.
        cur = self._q(
            "INSERT INTO raw_documents (id, origin, media_type, first_seen, first_seen_source, hints, data, ingested_at) "
            "VALUES (%s,%s,%s,%s,%s,%s,%s,%s) ON CONFLICT (id) DO NOTHING",
            (raw.id, raw.origin, raw.media_type, raw.first_seen.isoformat(), raw.first_seen_source,
             dumps(raw.hints), raw.data, utcnow().isoformat()))
        return cur.rowcount == 1

    def claim_owner(self) -> str:
        """This connection as a claim owner: a token it holds a session advisory lock on, so the server itself
        knows when the owner is gone (killed process, dropped connection), on whichever machine it ran."""
        with self._lock:
            if self._owner is None:
                for _ in range(16):
                    token = secrets.randbelow(2**31 - 1) + 1
                    if self._q("SELECT pg_try_advisory_lock(%s, %s)", (CLAIM_LOCK_CLASS, token)).fetchone()[0]:
                        self._owner = f"pg:{token}"
                        break
                else:
                    raise RuntimeError("could not take a claim-owner advisory lock")
            return self._owner

    def owner_alive(self, owner: str) -> bool | None:
        if not owner.startswith("pg:"):
            return None
        # pg_locks lists every session's advisory locks (no special privilege needed); objsubid 2 = the two-key form
        row = self._q("SELECT 1 FROM pg_locks WHERE locktype='advisory' AND granted AND classid=%s::oid AND objid=%s::oid "
                      "AND objsubid=2 AND database=(SELECT oid FROM pg_database WHERE datname=current_database())",
                      (CLAIM_LOCK_CLASS, int(owner[3:]))).fetchone()
        return row is not None

    def get_raw(self, raw_id: str) -> RawDocument | None:
        r = self._q("SELECT * FROM raw_documents WHERE id=%s", (raw_id,)).fetchone()
        if r is None:
            return None
        return RawDocument(id=r["id"], origin=r["origin"], data=bytes(r["data"]), media_type=r["media_type"],
                           first_seen=datetime.fromisoformat(r["first_seen"]), first_seen_source=r["first_seen_source"],
                           hints=json.loads(r["hints"]))

    # --- quarantine ----------------------------------------------------
    def add_failure(self, failure: Failure) -> bool:
        cur = self._q(
            "INSERT INTO quarantine (origin, stage, reason, content_id, data, recorded_at) VALUES (%s,%s,%s,%s,%s,%s) "
            "ON CONFLICT (origin, stage, reason) DO NOTHING",
            (failure.origin, failure.stage, failure.reason, failure.id, failure.data, failure.when.isoformat()))
        return cur.rowcount == 1

    def failures(self) -> list[dict[str, Any]]:
        rows = self._q("SELECT origin, stage, reason, content_id, recorded_at, length(data) AS size FROM quarantine ORDER BY seq")
        return [dict(r) for r in rows]

    # --- articles ------------------------------------------------------
    def add_article(self, article: Article, enrichment: Enrichment | None = None) -> bool:
        row = article_to_row(article)
        with self.transaction():
            cur = self._q(
                f"INSERT INTO articles ({','.join(_ARTICLE_COLUMNS)}) VALUES ({','.join(['%s'] * len(_ARTICLE_COLUMNS))}) "
                "ON CONFLICT (id) DO NOTHING",
                [row[c] for c in _ARTICLE_COLUMNS])
            if cur.rowcount != 1:
                return False
            if enrichment is not None:
                self.set_enrichment(enrichment)
        return True

    def get_article(self, article_id: str) -> Article | None:
        r = self._q("SELECT * FROM articles WHERE id=%s", (article_id,)).fetchone()
        return article_from_row(dict(r)) if r else None

    def articles(self) -> Iterator[Article]:
        for r in self._q("SELECT * FROM articles ORDER BY seq").fetchall():
            yield article_from_row(dict(r))

    def article_count(self) -> int:
        return self._q("SELECT count(*) FROM articles").fetchone()[0]

    def get_enrichment(self, article_id: str) -> Enrichment | None:
        r = self._q("SELECT data FROM enrichments WHERE article_id=%s", (article_id,)).fetchone()
        return enrichment_from_json(r[0]) if r else None

    def set_enrichment(self, enrichment: Enrichment) -> None:
        self._q("INSERT INTO enrichments VALUES (%s,%s) ON CONFLICT (article_id) DO UPDATE SET data=EXCLUDED.data",
                     (enrichment.article_id, enrichment_to_json(enrichment)))

    def article_state(self, article_id: str) -> dict[str, Any]:
        r = self._q("SELECT story_id, duplicate_of, recycled FROM articles WHERE id=%s", (article_id,)).fetchone()
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
        self._q(f"UPDATE articles SET {', '.join(f'{k}=%s' for k in state)} WHERE id=%s", [*values, article_id])

    # --- links and stories ---------------------------------------------
    def add_links(self, links: list[Link]) -> None:
        if not links:
            return
        with self.transaction():
            self.conn.cursor().executemany(
                "INSERT INTO links VALUES (%s,%s,%s,%s,%s) ON CONFLICT (src, dst, kind) "
                "DO UPDATE SET score=EXCLUDED.score, evidence=EXCLUDED.evidence",
                [_clean((l.src, l.dst, l.kind, l.score, dumps(l.evidence))) for l in links])

    def links(self, article_id: str | None = None, kind: str | None = None) -> list[Link]:
        sql, params = "SELECT * FROM links WHERE true", []
        if article_id is not None:
            sql += " AND (src=%s OR dst=%s)"
            params += [article_id, article_id]
        if kind is not None:
            sql += " AND kind=%s"
            params.append(kind)
        return [Link(src=r["src"], dst=r["dst"], kind=r["kind"], score=r["score"], evidence=json.loads(r["evidence"]))
                for r in self._q(sql, params).fetchall()]

    def put_story(self, story_id: str, story: dict[str, Any]) -> None:
        self._q("INSERT INTO stories VALUES (%s,%s,%s) ON CONFLICT (id) DO UPDATE SET data=EXCLUDED.data, updated_at=EXCLUDED.updated_at",
                     (story_id, dumps(story), utcnow().isoformat()))

    def delete_story(self, story_id: str) -> None:
        self._q("DELETE FROM stories WHERE id=%s", (story_id,))

    def stories(self) -> list[dict[str, Any]]:
        # COLLATE "C": byte order, the same as SQLite's default, so both backends list stories alike.
        return [json.loads(r[0]) for r in self._q('SELECT data FROM stories ORDER BY id COLLATE "C"').fetchall()]

    def data_version(self) -> str | None:
        # The WAL insert position moves with every commit by any connection (also in other databases of the
        # cluster: a cache keyed on it is emptied more often than needed, never served stale).
        with self._lock:
            if self._depth:
                return None  # inside a write transaction nothing is settled yet
            try:
                return str(self._q("SELECT pg_current_wal_insert_lsn()").fetchone()[0])
            except psycopg.Error:  # e.g. a read replica in recovery: unknown, so never cache
                return None

    def article_ids_in_story(self, story_id: str) -> list[str]:
        return [r[0] for r in self._q("SELECT id FROM articles WHERE story_id=%s ORDER BY seq", (story_id,)).fetchall()]

    def article_page(self, offset: int = 0, limit: int = 50) -> list[Article]:
        rows = self._q("SELECT * FROM articles ORDER BY seq LIMIT %s OFFSET %s", (max(0, limit), max(0, offset))).fetchall()
        return [article_from_row(dict(r)) for r in rows]

    def story_page(self, *, sort: str = "largest", offset: int = 0, limit: int = 20, story_ids: list[str] | None = None,
                   outlet: str | None = None, date_from: str | None = None, date_to: str | None = None,
                   place: str | None = None, entity: str | None = None) -> tuple[int, list[dict[str, Any]]]:
        # The same rules as base.story_matches / story_sort_key, as one indexed query (columns from migration 40).
        where, params = ["true"], []
        if story_ids is not None:
            if not story_ids:
                return 0, []
            where.append("id = ANY(%s)")
            params.append(list(story_ids))
        if outlet:
            where.append("EXISTS (SELECT 1 FROM jsonb_array_elements_text(coalesce(data::jsonb -> 'outlets', '[]')) o "
                         "WHERE lower(o) = lower(%s))")
            params.append(outlet)
        if date_from:
            where.append("substr(period_end, 1, 10) >= %s")
            params.append(date_from[:10])
        if date_to:
            where.append("substr(period_start, 1, 10) <= %s")
            params.append(date_to[:10])
        if place:
            where.append("EXISTS (SELECT 1 FROM jsonb_array_elements(coalesce(data::jsonb -> 'places', '[]')) p "
                         "WHERE strpos(lower(coalesce(p ->> 'name', '')), lower(%s)) > 0)")
            params.append(place)
        if entity:
            where.append("EXISTS (SELECT 1 FROM jsonb_array_elements(coalesce(data::jsonb -> 'entities', '[]')) e WHERE "
                         "strpos(lower(coalesce(e ->> 'name', '')), lower(%s)) > 0 OR EXISTS (SELECT 1 FROM "
                         "jsonb_array_elements_text(coalesce(e -> 'aliases', '[]')) a WHERE strpos(lower(a), lower(%s)) > 0))")
            params += [entity, entity]
        cond = " AND ".join(where)
        order = ('period_end DESC NULLS LAST, id COLLATE "C"' if sort == "newest"
                 else 'n_articles DESC, period_end DESC NULLS LAST, id COLLATE "C"')
        total = self._q(f"SELECT count(*) FROM stories WHERE {cond}", params).fetchone()[0]
        rows = self._q(f"SELECT data FROM stories WHERE {cond} ORDER BY {order} LIMIT %s OFFSET %s",
                       [*params, max(0, limit), max(0, offset)]).fetchall()
        return total, [json.loads(r[0]) for r in rows]

    def get_story(self, story_id: str) -> dict[str, Any] | None:
        r = self._q("SELECT data FROM stories WHERE id=%s", (story_id,)).fetchone()
        return json.loads(r[0]) if r else None

    # --- meta ------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        r = self._q("SELECT value FROM meta WHERE key=%s", (key,)).fetchone()
        return r[0] if r else None

    def set_meta(self, key: str, value: str) -> None:
        self._q("INSERT INTO meta VALUES (%s,%s) ON CONFLICT (key) DO UPDATE SET value=EXCLUDED.value", (key, value))

    # --- search ----------------------------------------------------------
    def search(self, query: str, limit: int = 50) -> list[str]:
        words = re.findall(r"\w+", query)
        if not words:
            return []
        # Every word must match (as in the SQLite backend); PostgreSQL's English stemming does the rest.
        rows = self._q(
            "SELECT id FROM articles, plainto_tsquery('english', %s) q WHERE tsv @@ q "
            "ORDER BY ts_rank(tsv, q) DESC, seq LIMIT %s", (" ".join(words), limit)).fetchall()
        return [r[0] for r in rows]

    def close(self) -> None:
        with self._lock:
            if not self.conn.closed:
                self.conn.close()


_INSERT_OR = re.compile(r"\s*INSERT\s+OR\s+(IGNORE|REPLACE)\s+INTO\s+([A-Za-z_][\w.]*)", re.I)


def _placeholders(sql: str) -> str:
    """`?` → `%s` and `%` → `%%` outside quoted literals and identifiers."""
    if "?" not in sql and "%" not in sql:
        return sql
    out, quote = [], None
    for ch in sql:
        if quote:
            if ch == quote:
                quote = None
            out.append("%%" if ch == "%" else ch)
        elif ch in ("'", '"'):
            quote = ch
            out.append(ch)
        elif ch == "?":
            out.append("%s")
        elif ch == "%":
            out.append("%%")
        else:
            out.append(ch)
    return "".join(out)


def _clean(params: Sequence[Any]) -> list[Any]:
    """PostgreSQL text cannot hold NUL characters (SQLite can): replace them rather than fail the batch."""
    return [p.replace("\x00", "\ufffd") if isinstance(p, str) else p for p in params]


def _redact(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)
