import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


# --- PostgreSQL (issue 8): a real server, started here when none is given; never skipped ---------
import pytest  # noqa: E402


@pytest.fixture(scope="session")
def pg_cluster():
    """A running PostgreSQL server for the whole session ($NEWSTRACE_TEST_PG, else a private one on loopback)."""
    from pg import start_cluster  # tests/pg.py
    try:
        cluster = start_cluster()
    except Exception as e:  # CI must run these tests: fail loudly rather than skip
        pytest.fail(f"PostgreSQL is required for this test and could not be started: {e}", pytrace=False)
    yield cluster
    cluster.stop()


@pytest.fixture
def pg_url(pg_cluster):
    """URL of a fresh, empty database (dropped afterwards)."""
    url = pg_cluster.create_database()
    yield url
    pg_cluster.drop_database(url)


@pytest.fixture(params=["sqlite", "postgres"])
def any_store(request, tmp_path):
    """The same Store interface on each backend: tests using it run once per backend."""
    from newstrace.store import open_store
    if request.param == "sqlite":
        store = open_store(str(tmp_path / "s.db"))
    else:
        store = open_store(request.getfixturevalue("pg_url"))
    yield store
    store.close()
