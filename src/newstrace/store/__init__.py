"""Storage: one interface (`Store`), backends behind it (SQLite default, PostgreSQL for teams)."""
from __future__ import annotations

import os

from .base import Store

DEFAULT_DB = "newstrace.db"


def default_db() -> str:
    """$NEWSTRACE_DB, else ./newstrace.db."""
    return os.environ.get("NEWSTRACE_DB") or DEFAULT_DB


def open_store(db: str | None = None) -> Store:
    """Open the store named by a file path (SQLite) or a postgresql:// URL."""
    db = db or default_db()
    if db.startswith(("postgresql://", "postgres://")):
        from .postgres import PostgresStore  # optional backend, imported only when asked for
        return PostgresStore(db)
    from .sqlite import SQLiteStore
    return SQLiteStore(db)


__all__ = ["Store", "open_store", "default_db"]
