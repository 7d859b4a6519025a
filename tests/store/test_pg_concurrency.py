"""Several `newstrace ingest` processes writing into one PostgreSQL store at once lose nothing and duplicate nothing."""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from newstrace.store import open_store

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "ecbplus-sample.jsonl"
WRITERS = 4


def test_four_concurrent_ingests_store_every_article_exactly_once(pg_url, tmp_path):
    lines = [l for l in SAMPLE.read_text(encoding="utf-8").splitlines() if l.strip()]
    n = len(lines)
    readable = {json.loads(l)["id"] for l in lines if any((json.loads(l).get(k) or "").strip() for k in ("text", "html", "title"))}
    assert n >= 20 and len(readable) >= n - 2
    # Overlapping inputs: writer k gets a window of half the corpus, so every article is offered to two writers,
    # each in its own shuffled order to make them collide mid-run rather than one after the other.
    half = n // 2
    files = []
    for k in range(WRITERS):
        window = [lines[(k * n // WRITERS + i) % n] for i in range(half)]
        random.Random(k).shuffle(window)
        p = tmp_path / f"part{k}.jsonl"
        p.write_text("\n".join(window) + "\n", encoding="utf-8")
        files.append(p)
    offered = Counter(json.loads(l)["id"] for p in files for l in p.read_text(encoding="utf-8").splitlines())
    assert set(offered.values()) == {2} and len(offered) == n

    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "NEWSTRACE_DB": pg_url}
    # All four start on an empty database: migrations, raw claims, article inserts and linking all race.
    procs = [subprocess.Popen([sys.executable, "-m", "newstrace", "ingest", str(p), "--db", pg_url],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) for p in files]
    outs = [p.communicate(timeout=600) for p in procs]
    for p, (o, e) in zip(procs, outs):
        assert p.returncode == 0, e[-3000:]
    added = [int(e.split(" new article(s)")[0].rsplit(None, 1)[-1]) for _, e in outs]
    assert sum(added) == len(readable)  # each article claimed by exactly one writer

    store = open_store(pg_url)
    try:
        ids = [a.id for a in store.articles()]
        assert len(ids) == len(readable) and len(set(ids)) == len(ids)
        assert sorted(a.external_id for a in store.articles()) == sorted(readable)
        assert store.execute("SELECT count(*) FROM raw_documents").fetchone()[0] == len(readable)
        # the unreadable record is quarantined (once per input file that offered it), never stored as an article
        assert {f["reason"] for f in store.failures()} <= {"record has no 'text', 'html' or 'title'"}
        assert len(store.failures()) == 2 * (n - len(readable))
        # Stories stay consistent: every article is in exactly one story, and story documents agree with article state.
        in_docs = Counter(a["id"] for s in store.stories() for a in s["articles"])
        assert set(in_docs) == set(ids) and set(in_docs.values()) == {1}
        for s in store.stories():
            for a in s["articles"]:
                assert store.article_state(a["id"])["story_id"] == s["id"]
    finally:
        store.close()
