"""Storage: one interface (`Store`), backends behind it (SQLite default, PostgreSQL for teams)."""
from __future__ import annotations

import os

from .base import Store

DEFAULT_DB = "newstrace.db"


def default_db() -> str:
    """$NEWSTRACE_DB, else ./newstrace.db."""
    return os.environ.get("NEWSTRACE_DB") or DEFAULT_DB


class StoreMissing(FileNotFoundError):
    """A store that was to be read does not exist."""


def open_store(db: str | None = None, create: bool = True) -> Store:
    """Open the store named by a file path (SQLite) or a postgresql:// URL; with create=False a SQLite file
    that does not exist raises StoreMissing instead of being created empty."""
    db = db or default_db()
    if db.startswith(("postgresql://", "postgres://")):
        from .postgres import PostgresStore  # optional backend, imported only when asked for
        return PostgresStore(db)
    if db != ":memory:" and not db.startswith("file:"):
        if not create and not os.path.exists(db):
            raise StoreMissing(f"no store at {db} (nothing has been ingested there; give --db the path `newstrace ingest` used)")
        folder = os.path.dirname(os.path.abspath(db))
        if not os.path.isdir(folder):
            raise StoreMissing(f"cannot create the store {db}: the folder {folder} does not exist")
        if os.path.isdir(db):
            raise IsADirectoryError(f"{db} is a folder, not a store file")
    from .sqlite import SQLiteStore
    return SQLiteStore(db)


__all__ = ["Store", "StoreMissing", "open_store", "default_db"]
