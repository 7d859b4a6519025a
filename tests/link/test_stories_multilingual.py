"""Stories across languages: real Russian, Polish and Ukrainian reports of the seed event join its story;
similar drills near the same border in other years stay apart (tests/fixtures/multilingual/README.md)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from newstrace.enrich import lang
from newstrace.enrich.embed import name_key, terms_of
from newstrace.ingest import iter_inputs
from newstrace.pipeline import ingest
from newstrace.records import Article
from newstrace.store import open_store

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "examples" / "seeds"
FIX = ROOT / "tests" / "fixtures" / "multilingual"


@pytest.fixture(scope="module")
def drills(tmp_path_factory):
    """The two seeds and the five foreign reports ingested into one store, in one run."""
    db = str(tmp_path_factory.mktemp("ml") / "ml.db")
    with open_store(db) as store:
        ingest(iter_inputs([str(SEEDS), str(FIX / "drills-2021.jsonl")], allow_private=False), store)
        story = {}
        for a in store.articles():
            story[a.external_id or Path(a.origin).name] = (store.article_state(a.id)["story_id"], a.language)
        docs = store.stories()
    return story, docs


def test_reports_of_the_seed_event_in_three_languages_join_its_story(drills):
    story, _ = drills
    gold = json.loads((FIX / "drills-2021.gold.json").read_text())
    seed_story = {story[k][0] for k in story if k.endswith(".txt")}
    assert len(seed_story) == 1, story
    sid = seed_story.pop()
    joined = {k for k, same in gold.items() if same and story[k][0] == sid}
    assert joined == {k for k, same in gold.items() if same}, story
    # the languages were told apart, not guessed as English
    assert {story[k][1] for k in gold if gold[k]} == {"ru", "pl", "uk"}


def test_similar_drills_of_other_years_stay_apart(drills):
    story, _ = drills
    gold = json.loads((FIX / "drills-2021.gold.json").read_text())
    sid = next(story[k][0] for k in story if k.endswith(".txt"))
    assert all(story[k][0] != sid for k, same in gold.items() if not same), story


def test_story_lists_its_languages(drills):
    story, docs = drills
    sid = next(story[k][0] for k in story if k.endswith(".txt"))
    doc = next(d for d in docs if d["id"] == sid)
    assert set(doc["languages"]) == {"en", "ru", "pl", "uk"}
    assert all(a["language"] for a in doc["articles"])


def test_names_meet_across_scripts_and_numbers_across_separators():
    assert name_key("Минск") == name_key("Мінск") == name_key("Minsk")
    assert name_key("Лукашенко") == name_key("Lukashenko")
    ru = Article(id="a", origin="o", title="", text="Всего 15 000 военных.", language="ru")
    de = Article(id="b", origin="o", title="", text="Insgesamt 15.000 Soldaten.", language="de")
    en = Article(id="c", origin="o", title="", text="In all 15,000 troops.", language="en")
    assert all("n:15000" in terms_of(x) for x in (ru, de, en))


def test_words_are_segmented_and_reduced_per_language():
    zh = terms_of(Article(id="z", origin="o", title="", text="俄罗斯伞兵在白俄罗斯格罗德诺附近举行联合演习。", language="zh"))
    assert any(k.startswith("w:") and len(k) >= 4 for k in zh)          # words, not single characters
    assert "w:" + lang.lemma("учениях", "ru") == "w:" + lang.lemma("учения", "ru")
    assert lang.lemma("ćwiczeniach", "pl") == lang.lemma("ćwiczenia", "pl")
