"""Schema migrations: applied once, in order, recorded, and re-opening a store applies nothing."""
from newstrace.store.migrations import MIGRATIONS
from newstrace.store.sqlite import SQLiteStore


def test_migrations_apply_once_and_are_recorded(tmp_path):
    path = str(tmp_path / "m.db")
    s = SQLiteStore(path)
    assert s.schema_version() == max(v for v, *_ in MIGRATIONS)
    s.close()
    s2 = SQLiteStore(path)
    assert s2.migrate() == []
    versions = [r[0] for r in s2.execute("SELECT version FROM schema_migrations ORDER BY version")]
    assert versions == sorted(v for v, *_ in MIGRATIONS)


def test_migration_versions_are_unique():
    versions = [v for v, *_ in MIGRATIONS]
    assert len(versions) == len(set(versions))


def test_sqlite_store_uses_wal(tmp_path):
    s = SQLiteStore(str(tmp_path / "w.db"))
    assert s.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
