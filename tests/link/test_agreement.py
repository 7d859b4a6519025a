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


def test_a_teaser_line_and_a_sentence_about_something_else_do_not_corroborate(store):
    # A news sentence, an Express-style teaser line and a market sentence naming the same country and leader.
    _small(store, "we", "Washington Examiner", "China condemned French President Emmanuel Macron on Monday over his remarks about Taiwan, "
                                               "the Chinese foreign ministry said.")
    _small(store, "ex", "Express", "China furious at Macron as Beijing issues chilling warning over Taiwan [INSIGHT]|")
    _small(store, "cnn", "CNN", "Stocks in China fell on Monday as investors weighed remarks by French President Emmanuel Macron.")
    facts = story_facts(store, ["we", "ex", "cnn"])
    assert not [c for c in facts["claims"] if c["status"] == "corroborated"], \
        [(c["kind"], c["text"], [s["outlet"] for s in c["sources"]]) for c in facts["claims"] if c["status"] == "corroborated"]


def test_two_death_tolls_conflict_and_show_both_sides_with_their_sources(store):
    _small(store, "a", "Outlet A", "The earthquake killed 65 people in the north of the country, officials said on Sunday.")
    _small(store, "b", "Outlet B", "The earthquake killed 80 people in the north of the country, officials said on Sunday.")
    facts = story_facts(store, ["a", "b"])
    toll = [c for c in facts["claims"] if c["kind"] == "quantity" and c["status"] == "conflicting"]
    assert sorted(c["value"] for c in toll) == [65, 80]
    for c in toll:
        other = c["conflicts_with"][0]
        assert other["value"] != c["value"] and other["sources"][0]["outlet"] in ("Outlet A", "Outlet B")
        assert other["sources"][0]["outlet"] != c["sources"][0]["outlet"]


def test_thirty_thousand_troops_conflict_with_fifteen_thousand(store):
    _small(store, "a", "Outlet A", "Some 15,000 Polish soldiers have been deployed to the border with Belarus.")
    _small(store, "b", "Outlet B", "Some 30,000 Polish soldiers have been deployed to the border with Belarus.")
    facts = story_facts(store, ["a", "b"])
    q = _claims(facts, "quantity", lambda c: c["counted_class"] == "troop")
    assert {c["status"] for c in q} == {"conflicting"} and {c["value"] for c in q} == {15000, 30000}


def test_one_sentence_is_one_row_and_citations_name_outlet_day_and_title(store):
    text = "Poland has deployed 15,000 troops to its border with Belarus, the defence minister said."
    a = Article(id="a" * 32, origin="a", title="Poland sends troops to the border", text=text, outlet="Outlet A",
                published=datetime(2021, 11, 12, tzinfo=timezone.utc))
    e = annotate_text(text)
    e.article_id = a.id
    _put(store, a, e)
    b = Article(id="b" * 32, origin="b", title=None, text=text.replace("the defence minister said", "officials said"))
    e2 = annotate_text(b.text)
    e2.article_id = b.id
    _put(store, b, e2)
    facts = story_facts(store, [a.id, b.id])
    texts = [c["text"] for c in facts["claims"]]
    assert len(texts) == len(set(texts))      # the sentence's quantity and event are one row
    row = next(c for c in facts["claims"] if "15,000" in c["text"])
    cites = {s["article_id"]: s["cite"] for s in row["sources"]}
    assert cites[a.id] == "Outlet A · 2021-11-12 · “Poland sends troops to the border”"
    assert "None" not in cites[b.id] and b.id not in cites[b.id] and cites[b.id] == "unknown outlet"


def test_quote_rows_keep_their_speaker_and_long_texts_are_cut_at_a_word():
    from newstrace.link.agreement import label
    from newstrace.link.provenance import clip
    words = "We will not let hotheads drag us into a war that nobody in this region wants or needs " * 4
    lab = label({"kind": "quote", "speaker": "Viktor Khrenin", "words": words})
    assert lab.startswith("Viktor Khrenin: “") and lab.endswith("…”")
    cut = clip("word " * 100, 42)
    assert cut.endswith(" …") and cut[:-2].split()[-1] == "word"
