"""Raw-document claims: a killed ingest run is resumed by the next one, and a live run's claims are respected.

Real processes (killed with SIGKILL), a real SQLite file and a real PostgreSQL server; no part of the store is faked.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import pytest

from newstrace.records import RawDocument, content_id
from newstrace.store import open_store

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "ecbplus-sample.jsonl"


@pytest.fixture(params=["sqlite", "postgres"])
def db(request, tmp_path):
    """A store location (file path or postgresql:// URL) for subprocesses to share."""
    if request.param == "sqlite":
        return str(tmp_path / "s.db")
    return request.getfixturevalue("pg_url")


def _raw(text: str) -> RawDocument:
    data = text.encode()
    return RawDocument(id=content_id(data), origin=f"mem:{text[:10]}", data=data, media_type="text/plain",
                       first_seen=datetime(2024, 1, 1, tzinfo=timezone.utc), first_seen_source="test")


_HOLDER = """
import sys
from datetime import datetime, timezone
from newstrace.records import RawDocument
from newstrace.store import open_store
store = open_store(sys.argv[1])
data = sys.argv[2].encode()
raw = RawDocument(id=sys.argv[3], origin="holder", data=data, media_type="text/plain",
                  first_seen=datetime(2024, 1, 1, tzinfo=timezone.utc), first_seen_source="test")
print(store.claim_raw(raw), flush=True)
sys.stdin.read()   # hold the claim (and the connection) until killed
"""


@contextmanager
def _claimed_elsewhere(db: str, raw: RawDocument):
    """Another live process holding the claim on `raw`, and this process's store beside it."""
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER, db, raw.data.decode(), raw.id],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "claimed"
        store = open_store(db)
        try:
            yield holder, store
        finally:
            store.close()
    finally:
        if holder.poll() is None:
            holder.kill()
        holder.wait()


def test_a_live_claim_is_respected_and_a_dead_owners_claim_is_taken_over(db, tmp_path):
    raw = _raw("Bytes another process is working on right now.")
    with _claimed_elsewhere(db, raw) as (holder, store):
        assert store.claim_raw(raw) == "busy"          # owner alive, lease fresh: hands off
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
        deadline = time.time() + 20                    # PostgreSQL notices the dropped connection within moments
        state = store.claim_raw(raw)
        while state == "busy" and time.time() < deadline:
            time.sleep(0.2)
            state = store.claim_raw(raw)
        assert state == "taken"
        assert store.claim_raw(raw) == "mine"          # the same bytes again in this run: not processed twice
        with store.transaction():
            store.finish_raw(raw.id)
        assert store.claim_raw(raw) == "done"


def test_an_expired_lease_is_taken_over_even_when_its_owner_lives(db, monkeypatch):
    raw = _raw("Bytes whose claim is older than the lease.")
    with _claimed_elsewhere(db, raw) as (_, store):
        assert store.claim_raw(raw) == "busy"
        monkeypatch.setenv("NEWSTRACE_CLAIM_LEASE", "0")
        time.sleep(0.01)
        assert store.claim_raw(raw) == "taken"


def _count(db: str, sql: str) -> int:
    store = open_store(db)
    try:
        return store.execute(sql).fetchone()[0]
    finally:
        store.close()


@pytest.mark.slow
def test_an_ingest_killed_mid_batch_is_completed_by_the_next_run_exactly_once(db, tmp_path):
    lines = [l for l in SAMPLE.read_text(encoding="utf-8").splitlines() if l.strip()]
    readable = {json.loads(l)["id"] for l in lines if any((json.loads(l).get(k) or "").strip() for k in ("text", "html", "title"))}
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "NEWSTRACE_BATCH_SIZE": "6"}
    cmd = [sys.executable, "-m", "newstrace", "ingest", str(SAMPLE), "--db", db]
    open_store(db).close()  # schema in place, so the watcher below can poll from the start

    # Kill the first run with SIGKILL once it has committed some articles while other bytes are stored and claimed
    # but not yet made into articles: exactly the state an interrupted run leaves behind.
    run = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    killed = False
    deadline = time.time() + 300
    while run.poll() is None and time.time() < deadline:
        if _count(db, "SELECT count(*) FROM articles") and _count(db, "SELECT count(*) FROM raw_documents WHERE done=0"):
            run.send_signal(signal.SIGKILL)
            killed = True
            break
        time.sleep(0.02)
    run.communicate(timeout=60)
    assert killed, "the first run finished before it could be interrupted"

    stored_before = _count(db, "SELECT count(*) FROM articles")
    orphans = _count(db, "SELECT count(*) FROM raw_documents r WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.id=r.id)")
    assert 0 < stored_before < len(readable) and orphans > 0

    second = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    assert second.returncode == 0, second.stderr[-3000:]
    said = " ".join(second.stderr.split())  # rich wraps long lines
    added = int(said.split(" new article(s)")[0].rsplit(None, 1)[-1])
    assert added == len(readable) - stored_before
    assert f"{orphans} resumed from an interrupted run" in said

    store = open_store(db)
    try:
        arts = list(store.articles())
        assert sorted(a.external_id for a in arts) == sorted(readable)          # every article, exactly once
        assert len({a.id for a in arts}) == len(arts)
        assert store.execute("SELECT count(*) FROM raw_documents WHERE done=0").fetchone()[0] == 0
        # the articles the killed run stored but never linked were linked by the second run
        in_docs = Counter(a["id"] for s in store.stories() for a in s["articles"])
        assert set(in_docs) == {a.id for a in arts} and set(in_docs.values()) == {1}
    finally:
        store.close()

    third = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    assert third.returncode == 0, third.stderr[-3000:]
    said = " ".join(third.stderr.split())
    # after the stage timings, the run says it changed nothing
    assert f"{len(readable)} input(s) already stored: no change 0 new article(s)" in said
    assert f"0 new article(s), {len(readable)} already stored (no change)" in said
    assert _count(db, "SELECT count(*) FROM articles") == len(readable)


def test_a_store_from_before_claims_resumes_bytes_stored_without_their_article(db, tmp_path, monkeypatch):
    import newstrace.store.postgres as pg_backend
    import newstrace.store.sqlite as sqlite_backend
    from newstrace.ingest import iter_inputs
    from newstrace.pipeline import extract_or_fail, ingest
    from newstrace.store.migrations import MIGRATIONS
    text = ("Harbour Gazette\n\nFerry service resumes after storm damage repaired\n\nMarch 3, 2024\n\n"
            "The island ferry resumed its crossings on Sunday after engineers repaired the storm-damaged pier, "
            "the harbour authority said in a statement on its website.\n")
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(text.replace("Sunday", "Monday"), encoding="utf-8")
    # An older schema (before migration 70) where a.txt was fully ingested and b.txt's run died after storing its bytes.
    for mod in (sqlite_backend, pg_backend):
        monkeypatch.setattr(mod, "MIGRATIONS", [m for m in MIGRATIONS if m[0] < 70])
    [a] = list(iter_inputs([str(tmp_path / "a.txt")]))
    [b] = list(iter_inputs([str(tmp_path / "b.txt")]))
    old = open_store(db)
    assert old.add_raw(a) and old.add_article(extract_or_fail(a)) and old.add_raw(b)   # what the old pipeline did
    old.close()
    monkeypatch.undo()

    store = open_store(db)
    try:
        report = ingest(iter_inputs([str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]), store, link=False)
        assert report.added == [b.id] and report.resumed == 1 and report.unchanged == [str(tmp_path / "a.txt")]
        assert store.article_count() == 2
    finally:
        store.close()


def test_a_run_that_died_on_an_error_is_resumed_by_the_next_run_of_the_same_process(db, tmp_path, monkeypatch):
    # A long-lived process (`watch`, the web server) must not take its own dead run's claims for live ones.
    import newstrace.pipeline as pipeline
    from newstrace.ingest import iter_inputs
    p = tmp_path / "a.txt"
    p.write_text("Harbour Gazette\n\nFerry service resumes after storm damage repaired\n\nMarch 3, 2024\n\n"
                 "The island ferry resumed its crossings on Sunday after engineers repaired the storm-damaged pier, "
                 "the harbour authority said in a statement on its website.\n\n"
                 "About 1,200 residents had been cut off from the mainland for nine days, officials said.\n", encoding="utf-8")
    store = open_store(db)
    try:
        def broken(articles, **kw):
            raise RuntimeError("enrichment crashed")
        monkeypatch.setattr(pipeline, "enrich_articles", broken)   # an injected fault in a collaborator, not in the claims
        with pytest.raises(RuntimeError):
            pipeline.ingest(iter_inputs([str(p)]), store, link=False)
        assert store.article_count() == 0 and store.has_raw(list(iter_inputs([str(p)]))[0].id)
        monkeypatch.undo()
        again = pipeline.ingest(iter_inputs([str(p)]), store, link=False)
        assert len(again.added) == 1 and again.resumed == 1 and not again.busy
    finally:
        store.close()
