"""PostgreSQL backend (psycopg 3): one shared store for a team, safe for several writers at once."""
from __future__ import annotations

import re
import secrets
import threading
import zlib
from contextlib import contextmanager
from typing import Any, Iterator, Sequence

import psycopg
from psycopg.rows import RowMaker

from ..records import utcnow
from .base import search_terms
from .migrations import MIGRATIONS
from .sql import SQLStore

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


class PostgresStore(SQLStore):
    """A store in a PostgreSQL database named by a postgresql:// URL."""

    _begin_sql = "BEGIN"
    _id_order = 'id COLLATE "C"'  # byte order, SQLite's default, so both backends list stories alike
    _period_end_desc = "period_end DESC NULLS LAST"
    _story_in_ids = "id = ANY(?)"
    _story_has_outlet = ("EXISTS (SELECT 1 FROM jsonb_array_elements_text(coalesce(data::jsonb -> 'outlets', '[]')) o "
                         "WHERE strpos(lower(o), lower(?)) > 0)")
    _story_has_place = ("EXISTS (SELECT 1 FROM jsonb_array_elements(coalesce(data::jsonb -> 'places', '[]')) p "
                        "WHERE strpos(lower(coalesce(p ->> 'name', '')), lower(?)) > 0)")
    _story_has_entity = ("EXISTS (SELECT 1 FROM jsonb_array_elements(coalesce(data::jsonb -> 'entities', '[]')) e WHERE "
                         "strpos(lower(coalesce(e ->> 'name', '')), lower(?)) > 0 OR EXISTS (SELECT 1 FROM "
                         "jsonb_array_elements_text(coalesce(e -> 'aliases', '[]')) a WHERE strpos(lower(a), lower(?)) > 0))")

    _rank_in_ids = "array_position(?::text[], {table}.id)"
    _contains = "strpos(lower(coalesce({col}, '')), lower(?)) > 0"
    _recycled_flag = "(CASE WHEN recycled::jsonb ->> 'is_recycled' = 'true' THEN 1 ELSE 0 END)"
    _collate_c = 'COLLATE "C"'

    @staticmethod
    def _story_ids_value(story_ids: list[str]) -> list[str]:
        """The ids as a list, which psycopg sends as a text array."""
        return list(story_ids)

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
        with self._lock:  # translate may read the catalog: not in the middle of another thread's statement
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

    # --- claims ----------------------------------------------------------
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

    # --- search ----------------------------------------------------------
    def search(self, query: str, limit: int = 50) -> list[str]:
        terms = search_terms(query)
        if not terms:
            return []
        # Every term must match, each as a phrase (as in the SQLite backend); PostgreSQL's English stemming does the rest.
        q = " && ".join(["phraseto_tsquery('english', %s)"] * len(terms))
        rows = self._q(
            f"SELECT id FROM articles, (SELECT {q} AS q) x WHERE tsv @@ x.q "
            "ORDER BY ts_rank(tsv, x.q) DESC, seq LIMIT %s", (*terms, limit)).fetchall()
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
