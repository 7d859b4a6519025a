"""The faster spaCy set-up gives exactly what the pipeline as shipped gives, and big batches run on worker processes."""
from __future__ import annotations

import json
import os
from pathlib import Path

from newstrace.enrich import models, nlp, workers
from newstrace.records import Article, Enrichment

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "ecbplus-sample.jsonl"
# Words the attribute ruler's own rules single out (contractions, "'s", expletive "there", aux verbs, spaces).
ODD = ("There's no way we're gonna let 'em go, y'all ain't seen nothin' yet.\n\n"
       "C'mon, he's gotta be kidding: it gets worse, and they got ta the city.   Their\tbus was hit.")


def _texts() -> list[str]:
    rows = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    arts = [Article(id=r.get("id", str(i)), origin=str(i), title=r.get("title"), text=r["text"]) for i, r in enumerate(rows)]
    return [nlp.compose(a)[0] for a in arts][:30] + [ODD]


def test_fast_pipeline_matches_the_shipped_one_token_for_token():
    from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, TAG

    texts = _texts()
    shipped = list(models.spacy_model(fast=False).pipe(texts))
    fast = models.parse(texts)
    assert "newstrace_attributes" in models.spacy_model().pipe_names
    attrs = [POS, MORPH, LEMMA, TAG, DEP, HEAD, ENT_IOB, ENT_TYPE]
    for a, b in zip(shipped, fast):
        assert (a.to_array(attrs) == b.to_array(attrs)).all(), a.text[:80]
    odd = fast[-1]
    assert [t.lemma_ for t in odd if t.lower_ in ("gon", "na", "ai", "'em")] == ["go", "to", "them", "be"]


def _enrich(arts: list[Article]) -> list[tuple]:
    out = [Enrichment(article_id=a.id) for a in arts]
    nlp.annotate(arts, out)
    return [([(m.text, m.type, m.canonical, m.start) for m in e.mentions],
             [(c.kind, c.text, c.key, sorted(c.fields.get("actors") or [])) for c in e.claims]) for e in out]


def test_worker_pool_gives_the_same_results_and_survives_bad_texts(monkeypatch):
    texts = _texts()
    arts = [Article(id=str(i), origin=f"t{i}", title=None, text=t)
            for i, t in enumerate((texts * 3)[:workers.MIN_POOL_BATCH])]
    arts[5] = Article(id="5", origin="odd", title=None, text="\x00\ufffd" * 40)
    arts[7] = Article(id="7", origin="empty", title=None, text="")
    monkeypatch.setenv("NEWSTRACE_NLP_PROCESSES", "1")
    here = _enrich(arts)
    monkeypatch.setenv("NEWSTRACE_NLP_PROCESSES", "2")
    before = workers.worker_cpu_seconds
    try:
        pooled = _enrich(arts)
    finally:
        workers.shutdown()
    assert workers.worker_cpu_seconds > before  # the work really ran in the workers
    assert pooled == here
    assert pooled[0][0] and pooled[0][1]


def test_small_batches_and_spark_executors_stay_in_process(monkeypatch):
    monkeypatch.delenv("NEWSTRACE_NLP_PROCESSES", raising=False)
    assert workers.pool_size(workers.MIN_POOL_BATCH - 1) == 1
    assert workers.pool_size(500) == min(2, len(os.sched_getaffinity(0)))
    monkeypatch.setitem(__import__("sys").modules, "pyspark.worker", object())
    assert workers.pool_size(500) == 1


def test_env_turns_the_pool_off(monkeypatch):
    monkeypatch.setenv("NEWSTRACE_NLP_PROCESSES", "1")
    assert workers.pool_size(10_000) == 1
