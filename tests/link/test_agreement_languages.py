"""Claims agree across languages: a real Polish report of the seed event corroborates the English seed
report; unrelated sentences, and a report of another event, in another language do not
(tests/fixtures/multilingual/README.md; calibration in docs/claims.md)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from newstrace.enrich import foreign
from newstrace.ingest import iter_inputs
from newstrace.link.agreement import (PARAPHRASE, MultilingualSimilarity, SAME_CONTEXT, calibrated_cosine, lexical_similarity,
                                      multilingual_similarity, story_facts)
from newstrace.pipeline import ingest
from newstrace.records import Mention
from newstrace.store import open_store

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "examples" / "seeds" / "002_647063108b32c5dd.txt"     # London Daily, 12 November 2021
FIX = ROOT / "tests" / "fixtures" / "multilingual" / "drills-2021.jsonl"


@pytest.fixture(scope="module")
def drills(tmp_path_factory):
    """The English seed report and two Polish reports (the seed event; drills of September 2020) in one store."""
    tmp = tmp_path_factory.mktemp("xagree")
    recs = {json.loads(line)["id"]: line for line in FIX.read_text(encoding="utf-8").splitlines()}
    (tmp / "pl.jsonl").write_text(recs["pl-wp-6704007206165408a"] + "\n" + recs["pl-wgospodarce-85706"] + "\n", encoding="utf-8")
    store = open_store(str(tmp / "x.db"))
    ingest(iter_inputs([str(SEED), str(tmp / "pl.jsonl")], allow_private=False), store)
    ids = {(a.external_id or "seed"): a.id for a in store.articles()}
    yield store, ids
    store.close()


def _across(facts, aid):
    return [r for r in facts["claims"] if r["status"] == "corroborated"
            and aid in {s["article_id"] for s in r["sources"]} and len({s["outlet"] for s in r["sources"]}) > 1]


def test_a_polish_report_corroborates_the_english_seed_report(drills):
    store, ids = drills
    facts = story_facts(store, [ids["seed"], ids["pl-wp-6704007206165408a"]])
    rows = _across(facts, ids["pl-wp-6704007206165408a"])
    assert len(rows) == 1, [(r["text"], [s["text"] for s in r["sources"]]) for r in rows]
    row = rows[0]
    assert row["kind"] == "event" and row["action"] == "exercise" and {"Russia", "Belarus"} <= set(row["actors"])
    said = {s["outlet"]: s["text"] for s in row["sources"]}
    assert set(said) == {"London Daily", "Wirtualna Polska"}
    assert said["London Daily"].startswith("On Friday, Russia and Belarus held joint paratrooper drills near Poland")
    assert said["Wirtualna Polska"] == ("Przy granicy z Polską trwają ćwiczenia białoruskich i rosyjskich spadochroniarzy"
                                        " - podało Ministerstwo Obrony Białorusi.")
    # the calibrated cosine of the two sentences clears the paraphrase threshold the lexical score never reaches
    assert lexical_similarity(said["London Daily"], said["Wirtualna Polska"]) < 0.1
    # a Polish sentence nobody else states is not listed as an event of its own
    assert not [r for r in facts["claims"] if r["kind"] == "event" and r["status"] == "single-source"
                and r["sources"][0]["outlet"] == "Wirtualna Polska"]


def test_a_polish_report_of_other_drills_corroborates_nothing(drills):
    store, ids = drills
    facts = story_facts(store, [ids["seed"], ids["pl-wgospodarce-85706"]])
    assert _across(facts, ids["pl-wgospodarce-85706"]) == []


def test_unrelated_sentences_in_two_languages_do_not_corroborate():
    en = "On Friday, Russia and Belarus held joint paratrooper drills near Poland."
    ru = "Центральный банк повысил ключевую ставку на полпроцента во вторник."   # the central bank raised its rate
    pl = "Rosja przerzuciła na Białoruś trzecią grupę wojsk powietrznodesantowych."  # drills of 2020 (other event)
    assert multilingual_similarity(en, ru) == 0.0
    assert multilingual_similarity(en, pl) < PARAPHRASE
    # a real translation (SemEval-2022 Task 8 dev, es-en) is a paraphrase
    en2, es = "We will be announcing the new deadline very soon.", '"Anunciaremos la nueva fecha límite muy pronto.'
    sim = MultilingualSimilarity({en: "en", en2: "en", pl: "pl", es: "es"})
    assert sim(en2, es) >= PARAPHRASE
    assert sim(en, es) == 0.0 and sim(en, pl) < PARAPHRASE
    assert multilingual_similarity(en2, es) == 0.0   # languages unknown: one script, lexical


def test_the_calibration_maps_cosine_anchors_onto_the_lexical_thresholds():
    assert calibrated_cosine(0.3) == 0.0
    assert calibrated_cosine(0.55) == pytest.approx(SAME_CONTEXT)
    assert calibrated_cosine(0.7) == pytest.approx(PARAPHRASE)
    assert calibrated_cosine(1.0) == 1.0


def test_one_language_stays_lexical_and_never_loads_the_encoder(monkeypatch):
    def boom(texts):
        raise AssertionError("encoder used within one language")
    monkeypatch.setattr("newstrace.enrich.embed.encode", boom)
    a, b = "Police arrested 12 people after the match in Leeds.", "Police arrested 12 people in Leeds after the game."
    assert multilingual_similarity(a, b) == lexical_similarity(a, b) == pytest.approx(0.8)
    s, t = "Rosja wysłała spadochroniarzy na Białoruś.", "Rosja wysłała żołnierzy na Białoruś."
    assert MultilingualSimilarity({s: "pl", t: "pl"})(s, t) == lexical_similarity(s, t)


def test_sentences_of_a_language_without_claim_rules_are_shallow_claims():
    text = "Россия направила в Белоруссию подразделение десантников. Коротко.\n\nМинобороны сказало: «это внезапная проверка боеготовности войск»."
    ms = [Mention(text="Россия", type="GPE", canonical="Россия", start=0, end=6)]
    claims = foreign.sentence_claims(text, 0, ms, "ru")
    events = [c for c in claims if c.kind == "event"]
    assert [c.text for c in events] == ["Россия направила в Белоруссию подразделение десантников.",
                                        "Минобороны сказало: «это внезапная проверка боеготовности войск»."]
    assert events[0].fields["actors"] == ["Россия"] and events[0].fields["shallow"] and events[0].fields["action"] is None
    assert text[events[1].fields["sentence_start"]:events[1].fields["sentence_end"]] == events[1].text
    quotes = [c for c in claims if c.kind == "quote"]
    assert len(quotes) == 1 and quotes[0].fields["words"] == "это внезапная проверка боеготовности войск"
    assert quotes[0].fields["speaker"] is None
