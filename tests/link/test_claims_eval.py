"""The claims evaluation of bench/eval_claims.py on three real ECB+ stories kept in tests/fixtures (gold chains inside)."""
from __future__ import annotations

import gzip
import json
import sys
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import eval_claims as ev  # noqa: E402

SAMPLE = ROOT / "tests" / "fixtures" / "facts" / "ecbplus_claims_sample.jsonl.gz"


@pytest.fixture(scope="module")
def sample():
    rows = [json.loads(line) for line in gzip.open(SAMPLE, "rt", encoding="utf-8")]
    recs = {r["id"]: r for r in rows}
    enr = {e.article_id: e for e in ev.enrich([ev.article_of(r) for r in rows])}
    stories = defaultdict(list)
    for r in rows:
        stories[r["gold_story"]].append(r["id"])
    return stories, recs, enr


def test_corroborated_pairs_state_the_same_fact_and_rows_are_not_repeated(sample):
    stories, recs, enr = sample
    res = ev.evaluate_rows(stories, recs, enr)
    labelled = sum(res["right"].values()) + sum(res["wrong"].values())
    assert labelled >= 20, res
    assert res["precision"] >= 0.95, res
    assert res["duplicate_rows"] == 0


def test_a_changed_number_in_a_real_sentence_is_found_as_a_conflict(sample):
    stories, recs, enr = sample
    res = ev.seeded_conflicts(stories, recs, enr, n=15, seed=3)
    assert res["seeded"] == 15
    assert res["recall"] >= 0.85, res
