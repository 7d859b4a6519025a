"""The Spark batch job (local[2]) finds the same copies and stories as the single-machine pipeline, and `load` brings them in."""
from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from newstrace.batch.compare import bcubed, compare_with_pipeline, copy_clusters, story_clusters

pytestmark = [pytest.mark.spark, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "data" / "ecbplus-dev.jsonl"        # real ECB+ articles (development data)
SAMPLE = ROOT / "examples" / "ecbplus-sample.jsonl"                 # the same kind, shipped with the project


def seeded_subset(path: Path, topics: int, seed: int) -> list[dict]:
    """Every article of a few randomly chosen ECB+ topics (both of each topic's events), in file order."""
    recs = [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]
    names = sorted({r["id"].split("_")[0] for r in recs})
    chosen = set(random.Random(seed).sample(names, min(topics, len(names))))
    return [r for r in recs if r["id"].split("_")[0] in chosen]


def with_copies(recs: list[dict], n: int, seed: int) -> list[dict]:
    """Add re-posts of a few articles: another outlet, a later date, a trimmed ending and page chrome around the text."""
    rng = random.Random(seed)
    out = list(recs)
    for i, r in enumerate(rng.sample([r for r in recs if len(r.get("text", "").split()) > 120], n)):
        paras = r["text"].split("\n\n")
        text = "\n\n".join(["Advertisement", *paras[: max(2, len(paras) - 1)], "Sign up for our newsletter"])
        out.append({"id": f"repost-{i}", "url": f"https://reposts.example/{i}", "outlet": "Reposts Daily",
                    "title": r.get("title"), "published": "2025-11-13", "text": text})
    return out


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    src = DEV if DEV.exists() else SAMPLE
    recs = with_copies(seeded_subset(src, topics=2, seed=11), n=3, seed=5)
    work = tmp_path_factory.mktemp("spark")
    inp = work / "subset.jsonl"
    inp.write_text("\n".join(json.dumps(r) for r in recs) + "\n", encoding="utf-8")
    res = compare_with_pipeline([str(inp)], str(work / "cmp"), master="local[2]", partitions=4)
    print("spark vs pipeline:", json.dumps(res))  # the figures, shown with pytest -rP
    return res, work, len(recs)


def test_spark_copies_and_stories_match_the_pipeline(compared):
    res, _, n = compared
    assert res["articles"] == res["spark_articles"] >= n - 2      # (a record without text is quarantined by both)
    assert res["n_copy_links"][0] >= 3                     # the re-posts were found by the pipeline...
    assert res["stories"]["f1"] >= 0.99, res
    assert res["copies"]["f1"] >= 0.99, res               # ...and by the Spark job


def test_load_is_idempotent_and_keeps_link_state(compared):
    _, work, n = compared
    from newstrace.store.sqlite import SQLiteStore
    db = work / "again.db"
    for _ in range(2):  # loading the same output twice changes nothing
        r = subprocess.run([sys.executable, "-m", "newstrace", "load", str(work / "cmp" / "batch"), "--db", str(db)],
                           capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr
    s = SQLiteStore(str(db))
    ref = SQLiteStore(str(work / "cmp" / "spark.db"))
    try:
        assert s.article_count() == n
        assert bcubed(story_clusters(s), story_clusters(ref))["f1"] == 1.0
        assert bcubed(copy_clusters(s), copy_clusters(ref))["f1"] == 1.0
        assert len(s.stories()) == len(ref.stories())
        assert all(a["id"] in {x.id for x in s.articles()} for st in s.stories() for a in st["articles"])
    finally:
        s.close()
        ref.close()


@pytest.mark.postgres
def test_load_into_postgresql_then_ingest_links_against_loaded_articles(compared, pg_url, tmp_path):
    """A batch output loaded into PostgreSQL is a live store: a later re-post is linked to the loaded original and story."""
    _, work, _ = compared
    from newstrace.store import open_store
    r = subprocess.run([sys.executable, "-m", "newstrace", "load", str(work / "cmp" / "batch"), "--db", pg_url],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    ref = open_store(str(work / "cmp" / "spark.db"))
    pg = open_store(pg_url)
    try:
        assert bcubed(story_clusters(pg), story_clusters(ref))["f1"] == 1.0
        original = max((a for a in ref.articles() if not ref.article_state(a.id).get("duplicate_of")), key=lambda a: len(a.text))
        story_id = ref.article_state(original.id)["story_id"]
    finally:
        ref.close()
        pg.close()
    repost = tmp_path / "repost.jsonl"
    repost.write_text(json.dumps({"id": "late-repost", "outlet": "Late Mirror", "published": "2026-01-05",
                                  "title": original.title, "text": "Read more below.\n\n" + original.text}) + "\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "newstrace", "ingest", str(repost), "--db", pg_url],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    pg = open_store(pg_url)
    try:
        new = next(a for a in pg.articles() if a.external_id == "late-repost")
        state = pg.article_state(new.id)
        assert state["story_id"] == story_id
        assert any(l.dst == original.id or l.src == original.id for l in pg.links(new.id, kind="copy"))
    finally:
        pg.close()


def test_load_rejects_a_folder_that_is_not_a_batch_output(tmp_path):
    r = subprocess.run([sys.executable, "-m", "newstrace", "load", str(tmp_path), "--db", str(tmp_path / "x.db")],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2
    msg = " ".join(r.stderr.split())
    assert str(tmp_path) in msg and "not a complete batch output" in msg
