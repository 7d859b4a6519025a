"""Stories: articles about one real event together, a similar event elsewhere/elsewhen apart, whatever the order."""
from __future__ import annotations

import json
import random
import shutil
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pytest

from newstrace.batch.compare import bcubed
from newstrace.ingest import iter_inputs
from newstrace.link import stories
from newstrace.link.similarity import FEATURES, add, empty, features, represent
from newstrace.pipeline import ingest
from newstrace.records import Article, Enrichment, RawDocument, content_id
from newstrace.store import open_store
from newstrace.store.sqlite import SQLiteStore
from stored import stored_article  # tests/link/stored.py

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "ecbplus-sample.jsonl"
SEEDS = ROOT / "examples" / "seeds"


def gold_of(external_id: str) -> str:
    """ECB+ file names say the topic and which of its two events: '1_10ecb' -> '1_ecb', '1_16ecbplus' -> '1_ecbplus'."""
    topic, rest = external_id.split("_", 1)
    return f"{topic}_{'ecbplus' if rest.endswith('ecbplus') else 'ecb'}"


@pytest.fixture(scope="module")
def unlinked(tmp_path_factory) -> Path:
    """The 40 sample articles extracted and enriched (real models), not yet linked: copied per test."""
    db = tmp_path_factory.mktemp("stories") / "unlinked.db"
    with SQLiteStore(str(db)) as store:
        rep = ingest(iter_inputs([str(SAMPLE)], allow_private=False), store, link=False)
        assert len(rep.added) >= 39
    return db


def copy_of(src: Path, tmp_path: Path, name: str = "s.db") -> SQLiteStore:
    dst = tmp_path / name
    shutil.copy(src, dst)
    return SQLiteStore(str(dst))


def story_by_external(store) -> dict[str, str]:
    return {a.external_id: store.article_state(a.id)["story_id"] for a in store.articles()}


def test_same_event_together_and_the_similar_event_apart(unlinked, tmp_path):
    with copy_of(unlinked, tmp_path) as store:
        ids = [a.id for a in store.articles()]
        stories.assign(store, ids)
        pred = story_by_external(store)
    gold = {k: gold_of(k) for k in pred}
    score = bcubed(pred, gold)
    # 8 stories: two different real events in each of four topics (two rehab stays, two bombings...)
    assert score["precision"] >= 0.9 and score["f1"] >= 0.85, score


def test_streaming_in_two_orders_gives_nearly_the_same_stories(unlinked, tmp_path):
    runs = []
    for seed in (1, 2):
        with copy_of(unlinked, tmp_path, f"order{seed}.db") as store:
            ids = [a.id for a in store.articles()]
            random.Random(seed).shuffle(ids)
            for i in range(0, len(ids), 7):   # separate batches: the index, not batch sorting, has to cope
                stories.assign(store, ids[i:i + 7])
            runs.append(story_by_external(store))
    assert runs[0].keys() == runs[1].keys()
    agreement = bcubed(runs[0], runs[1])["f1"]
    assert agreement >= 0.9, agreement
    gold = {k: gold_of(k) for k in runs[0]}
    assert bcubed(runs[0], gold)["f1"] >= 0.8


def test_members_refresh_and_story_documents(unlinked, tmp_path):
    with copy_of(unlinked, tmp_path) as store:
        ids = [a.id for a in store.articles()]
        changed = stories.assign(store, ids)
        stories.refresh(store, sorted(changed))
        docs = store.stories()
        assert {d["id"] for d in docs} == {store.article_state(i)["story_id"] for i in ids}
        seen = set()
        for d in docs:
            assert set(stories.members(store, d["id"])) == {a["id"] for a in d["articles"]}
            seen |= {a["id"] for a in d["articles"]}
            for key in ("headline", "first_reported", "period", "outlets", "articles", "entities", "places", "claims"):
                assert key in d
            for a in d["articles"]:
                assert a["role"] in ("original", "copy", "rewrite", "recycled", "report")
                assert {"id", "external_id", "outlet", "title", "published"} <= a.keys()
            dated = [a["published"] for a in d["articles"] if a["published"]]
            if dated:
                assert d["first_reported"]["published"] == min(dated)
                assert d["period"] == {"start": min(dated), "end": max(dated), "basis": "published"}
                assert d["first_reported"]["basis"] == "published"
        assert seen == set(ids)


def test_reingesting_changes_nothing(tmp_path):
    db = str(tmp_path / "r.db")
    with open_store(db) as store:
        ingest(iter_inputs([str(SEEDS)], allow_private=False), store)
        before = json.dumps(store.stories(), sort_keys=True)
        rep = ingest(iter_inputs([str(SEEDS)], allow_private=False), store)
        assert rep.added == []
        assert json.dumps(store.stories(), sort_keys=True) == before


def test_seeds_form_one_story_first_reported_by_the_original(tmp_path):
    with open_store(str(tmp_path / "seeds.db")) as store:
        ingest(iter_inputs([str(SEEDS)], allow_private=False), store)
        docs = store.stories()
    assert len(docs) == 1
    fr = docs[0]["first_reported"]
    assert fr["outlet"] == "The Moscow Times" and fr["published"][:10] == "2021-11-12"
    assert len(docs[0]["articles"]) == 2


# --- the similarity itself -------------------------------------------------------------------------

def _rep(terms, emb, day=None):
    df = {k: 1 for k in terms}
    pub = datetime(2020, 1, day, tzinfo=timezone.utc) if day else None
    return represent(terms, emb, pub, df, 100)


def test_story_score_is_average_link_over_members():
    rng = np.random.default_rng(0)
    members = [_rep({"w:quake": 2, "w:town": 1, f"c:name{i}": 1, "n:6.1": 1}, rng.normal(size=8), day=3 + i) for i in range(4)]
    new = _rep({"w:quake": 1, "c:name1": 1, "n:6.1": 1}, rng.normal(size=8), day=4)
    story = empty()
    for m in members:
        story = add(story, m)
    pairwise = np.mean([features(new, m) for m in members], axis=0)
    together = features(new, story)
    # exact for every linear feature; the published-day terms use the story's mean day
    days = [FEATURES.index("pub_close"), FEATURES.index("pub_far")]
    assert np.allclose(np.delete(together, days), np.delete(pairwise, days))


# --- the index on both storage backends -------------------------------------------------------------

_article = stored_article


@pytest.mark.postgres
def test_index_assigns_the_same_on_sqlite_and_postgresql(any_store):
    quake = [1.0, 0.0, 0.0, 0.2]
    flood = [0.0, 1.0, 0.0, 0.2]
    ids = [
        _article(any_store, "Magnitude 6.1 earthquake hits Ridgeton", "A magnitude 6.1 earthquake struck Ridgeton on Monday, "
                 "killing 12 people, officials in Ridgeton said.", quake, 1),
        _article(any_store, "Ridgeton earthquake death toll rises to 12", "The earthquake that struck Ridgeton on Monday killed "
                 "12 people, the Ridgeton mayor Alma Reyes said.", quake, 2),
        _article(any_store, "Floods swamp Marlow valley", "Heavy rain flooded the Marlow valley, forcing 3,400 residents of Marlow "
                 "from their homes, said governor Piet Olsen.", flood, 20),
    ]
    stories.assign(any_store, ids[:1])
    stories.assign(any_store, ids[1:])
    sid = [any_store.article_state(i)["story_id"] for i in ids]
    assert sid[0] == sid[1] != sid[2]
    assert sorted(stories.members(any_store, sid[0])) == sorted(ids[:2])
    stories.refresh(any_store, sorted(set(sid)))
    assert any_store.get_story(sid[0])["first_reported"]["article_id"] == ids[0]


def test_a_copy_joins_the_story_of_its_original(tmp_path):
    with open_store(str(tmp_path / "c.db")) as store:
        a = _article(store, "Council approves new bridge", "The city council approved the Harbor bridge on Tuesday.", [1, 0, 0, 0], 3)
        b = _article(store, "Storm closes ski resorts", "A late storm closed ski resorts across the Alps.", [0, 1, 0, 0], 4)
        stories.assign(store, [a])
        store.set_article_state(b, duplicate_of=a)   # what the copies stage found
        stories.assign(store, [b])
        assert store.article_state(a)["story_id"] == store.article_state(b)["story_id"]
