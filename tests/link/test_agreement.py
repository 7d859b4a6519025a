"""Story facts from a real SQLite store: claims aligned across outlets, copies counted once, conflicts shown."""
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "enrich"))

from facts_seeds import annotate_text, seed_articles, seed_enrichments  # noqa: E402
from newstrace.link.agreement import story_facts  # noqa: E402
from newstrace.records import Article, Enrichment, RawDocument  # noqa: E402
from newstrace.store import open_store  # noqa: E402


@pytest.fixture
def store(tmp_path):
    s = open_store(str(tmp_path / "facts.db"))
    yield s
    s.close()


def _put(store, a, e):
    """Store an article the way the pipeline does: its raw bytes first, then the article and enrichment."""
    store.add_raw(RawDocument(id=a.id, origin=a.origin, data=a.text.encode(), media_type="text/plain",
                              first_seen=datetime(2021, 11, 12, tzinfo=timezone.utc)))
    store.add_article(a, e)


def _small(store, aid, outlet, text):
    a = Article(id=aid, origin=aid, title=None, text=text, outlet=outlet)
    e = annotate_text(text)
    e.article_id = aid
    _put(store, a, e)
    return a


def _seeds(store):
    for a, e in zip(seed_articles(), seed_enrichments()):
        _put(store, a, e)
    return [a.id for a in seed_articles()]


def _claims(facts, kind, pred):
    return [c for c in facts["claims"] if c["kind"] == kind and pred(c)]


def test_seed_story_facts(store):
    facts = story_facts(store, _seeds(store))
    troops = _claims(facts, "quantity", lambda c: c["value"] == 15000)
    assert len(troops) == 1 and troops[0]["status"] == "corroborated"
    assert {s["outlet"] for s in troops[0]["sources"]} == {"The Moscow Times", "London Daily"}
    assert len(troops[0]["sources"]) == 2 and all(s["text"] for s in troops[0]["sources"])  # sentences side by side
    dead = _claims(facts, "quantity", lambda c: c["counted"] == "paratroopers")
    assert dead and dead[0]["status"] == "single-source" and dead[0]["sources"][0]["outlet"] == "The Moscow Times"
    hot = _claims(facts, "quote", lambda c: "hotheads" in c["words"])
    assert hot and hot[0]["speaker"] == "Viktor Khrenin"
    vdl = _claims(facts, "quote", lambda c: "not a migration crisis" in c["words"])
    assert vdl and vdl[0]["speaker"] == "Ursula von der Leyen"
    drills = _claims(facts, "event", lambda c: c["action"] == "exercise" and {"Russia", "Belarus"} <= set(c["actors"]))
    assert drills and drills[0]["status"] == "corroborated"
    places = {p["name"]: p for p in facts["places"]}
    for name in ("Grodno", "Poland", "Belarus", "Minsk"):
        assert places[name]["lat"] is not None and places[name]["lon"] is not None
    assert places["Grodno"]["country"] == "Belarus"
    assert "Bruzgi" in places and places["Bruzgi"]["lat"] is None
    ents = {e["name"]: e for e in facts["entities"]}
    lk = ents["Alexander Lukashenko"]
    assert lk["type"] == "person" and {"Lukashenko", "Belarusian leader"} <= set(lk["aliases"])
    assert ents["European Union"]["type"] == "organisation" and "EU" in ents["European Union"]["aliases"]


def test_a_copy_does_not_corroborate_its_original(store):
    mt, _ = seed_articles()
    mte, _ = seed_enrichments()
    _put(store, mt, mte)
    copy = Article(id="copy1", origin="copy1", title=None, text=mt.text, outlet="Copy Wire")
    ce = Enrichment(article_id="copy1", mentions=list(mte.mentions), claims=list(mte.claims))
    _put(store, copy, ce)
    store.set_article_state("copy1", duplicate_of=mt.id)
    facts = story_facts(store, [mt.id, "copy1"])
    dead = _claims(facts, "quantity", lambda c: c["counted"] == "paratroopers")[0]
    assert dead["status"] == "single-source"
    assert {s["article_id"] for s in dead["sources"]} == {mt.id, "copy1"}  # both listed, counted once


def test_different_numbers_for_the_same_count_conflict(store):
    _small(store, "a", "Outlet A", "Poland has deployed 15,000 troops to its border with Belarus.")
    _small(store, "b", "Outlet B", "Poland has deployed 20,000 troops to its border with Belarus.")
    facts = story_facts(store, ["a", "b"])
    q = _claims(facts, "quantity", lambda c: c["counted_class"] == "troop")
    assert len(q) == 2 and all(c["status"] == "conflicting" for c in q)
    assert {c["conflicts_with"][0]["value"] for c in q} == {15000, 20000}


def test_same_outlet_twice_is_one_source(store):
    _small(store, "a", "Outlet A", "Police arrested 12 people after the match in Leeds.")
    _small(store, "b", "Outlet A", "Police arrested 12 people in Leeds after the game.")
    _small(store, "c", "Outlet C", "Around 12 people were arrested by police in Leeds.")
    facts = story_facts(store, ["a", "b"])
    assert _claims(facts, "quantity", lambda c: c["value"] == 12)[0]["status"] == "single-source"
    facts = story_facts(store, ["a", "b", "c"])
    assert _claims(facts, "quantity", lambda c: c["value"] == 12)[0]["status"] == "corroborated"
