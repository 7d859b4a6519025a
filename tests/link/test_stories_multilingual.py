"""Stories across languages: real Russian, Polish and Ukrainian reports of the seed event join its story;
similar drills near the same border in other years stay apart (tests/fixtures/multilingual/README.md)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from newstrace.cli import app
from newstrace.enrich import lang
from newstrace.serve.web import create_app
from newstrace.enrich.embed import name_key, terms_of
from newstrace.ingest import iter_inputs
from newstrace.pipeline import ingest
from newstrace.records import Article
from newstrace.store import open_store

runner = CliRunner()
LOCAL = "http://127.0.0.1"

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "examples" / "seeds"
FIX = ROOT / "tests" / "fixtures" / "multilingual"


# Issue 22, not met yet (measured 2026-12-07): the Ukrainian DW report of the seed event stays out of its story
# (USE v3 has no Ukrainian, so only names and numbers meet it across languages: log-odds to the English seed -1.72, the
# Russian report 1.34, the Polish -1.13, against a join threshold of 1.73) and forms a story of its own. When this was
# first written it joined the 2020 Ukrainian report of other drills (test below). Strict: the day this passes, the
# marker must go.
NOT_YET = pytest.mark.xfail(strict=True, reason="issue 22: the Ukrainian report is not joined (docs/stories.md)")


@pytest.fixture(scope="module")
def drills_db(tmp_path_factory):
    return str(tmp_path_factory.mktemp("ml") / "ml.db")


@pytest.fixture(scope="module")
def drills(drills_db):
    """The two seeds and the five foreign reports ingested into one store, in one run."""
    db = drills_db
    with open_store(db) as store:
        ingest(iter_inputs([str(SEEDS), str(FIX / "drills-2021.jsonl")], allow_private=False), store)
        story = {}
        for a in store.articles():
            story[a.external_id or Path(a.origin).name] = (store.article_state(a.id)["story_id"], a.language)
        docs = store.stories()
    return story, docs


@NOT_YET
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


def test_the_ukrainian_report_does_not_join_the_ukrainian_report_of_other_drills(drills):
    # both say "Belarus holds military drills near the EU border" (words cosine 0.36, name keys 0.52), 15 months apart
    story, _ = drills
    assert story["uk-dw-59802722"][0] != story["uk-korrespondent-4265463"][0], story
    assert story["uk-dw-59802722"][1] == story["uk-korrespondent-4265463"][1] == "uk"


def test_similar_drills_of_other_years_stay_apart(drills):
    story, _ = drills
    gold = json.loads((FIX / "drills-2021.gold.json").read_text())
    sid = next(story[k][0] for k in story if k.endswith(".txt"))
    assert all(story[k][0] != sid for k, same in gold.items() if not same), story


def test_a_report_of_other_days_is_not_called_a_re_post_of_like_drills_a_year_earlier(drills_db, drills):
    """The DW report (12 November 2021) reads like Korrespondent's report of other drills (20 August 2020), but each
    names its own day: the 2021 report is genuine, and the 2025 re-post of the seed is still caught."""
    with open_store(drills_db) as store:
        verdicts = {a.external_id or Path(a.origin).name: store.article_state(a.id).get("recycled") or {}
                    for a in store.articles()}
    assert verdicts["uk-dw-59802722"].get("is_recycled") is False, verdicts["uk-dw-59802722"]
    assert not any(e.get("date", "").startswith("2020") for e in verdicts["uk-dw-59802722"].get("evidence", []))
    repost = next(v for k, v in verdicts.items() if k.endswith(".txt") and v.get("claimed", "").startswith("2025"))
    assert repost["is_recycled"] is True and repost["evidence"][0]["date"].startswith("2021-11")


def test_story_lists_its_languages(drills):
    story, docs = drills
    sid = next(story[k][0] for k in story if k.endswith(".txt"))
    doc = next(d for d in docs if d["id"] == sid)
    assert set(doc["languages"]) == {a["language"] for a in doc["articles"]} >= {"en", "ru", "pl"}
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


def _seed_story(drills) -> tuple[str, dict[str, str]]:
    """The seed story's id and, per language, the titles of its reports in that language."""
    story, docs = drills
    sid = next(story[k][0] for k in story if k.endswith(".txt"))
    doc = next(d for d in docs if d["id"] == sid)
    titles: dict[str, set[str]] = {}
    for a in doc["articles"]:
        titles.setdefault(a["language"], set()).add(a["title"])
    return sid, titles


def test_stories_and_story_give_the_headline_in_the_language_asked(drills, drills_db):
    sid, titles = _seed_story(drills)
    assert set(titles) >= {"en", "ru", "pl"}
    default = next(d for d in drills[1] if d["id"] == sid)["headline"]
    for code in titles:
        r = runner.invoke(app, ["stories", "--lang", code, "--format", "json", "--db", drills_db])
        assert r.exit_code == 0, r.output
        row = next(s for s in json.loads(r.output) if s["id"] == sid)
        assert row["headline"] in titles[code], (code, row["headline"])
    # a language none of its reports is in: the story's own headline, not an error or an empty one
    r = runner.invoke(app, ["stories", "--lang", "ja", "--format", "json", "--db", drills_db])
    assert next(s for s in json.loads(r.output) if s["id"] == sid)["headline"] == default
    r = runner.invoke(app, ["story", sid, "--lang", "pl", "--format", "table", "--db", drills_db])
    assert r.exit_code == 0, r.output
    said = " ".join(r.output.split())
    assert next(iter(titles["pl"]))[:25] in said
    assert "languages: en, " in said and all(c in said.split("languages: ")[1][:30] for c in titles)
    r = runner.invoke(app, ["stories", "--format", "tsv", "--db", drills_db])
    rows = [line.split("\t") for line in r.output.splitlines()]
    row = next(x for x in rows[1:] if x[0] == sid)
    assert set(row[rows[0].index("languages")].split()) == set(titles)


def test_the_story_page_shows_languages_and_a_headline_per_language(drills, drills_db):
    sid, titles = _seed_story(drills)
    assert set(titles) >= {"en", "ru", "pl"}
    with open_store(drills_db) as store, TestClient(create_app(store), base_url=LOCAL) as c:
        page = c.get(f"/stories/{sid}?lang=ru").text
        assert any(f'<h1 id="headline">{t}</h1>' in page.replace("&#34;", '"') for t in titles["ru"])
        assert 'id="languages"' in page and all(f'href="?lang={code}"' in page for code in titles)
        assert page.count('<td class="lang" data-label="Language">ru</td>') == len(titles["ru"])
        assert c.get(f"/stories/{sid}?lang=%3Cscript%3E").status_code == 422     # not echoed, refused


def test_russian_and_polish_reports_of_the_seed_event_join_its_story(drills):
    """The issue's must-show: real reports of the same drills in other languages join the seed story, and the
    2025 re-post of the seed event stays in it beside them (judged by its English mates, not diluted by the others)."""
    story, _ = drills
    seed = {story[k][0] for k in story if k.endswith(".txt")}
    assert len(seed) == 1
    sid = seed.pop()
    assert story["pl-wp-6704007206165408a"] == (sid, "pl")
    assert story["ru-bfm-485801"] == (sid, "ru")


def test_unrelated_reports_in_languages_the_embedding_was_not_trained_on_stay_apart(tmp_path):
    """Ten unrelated real Norwegian, Swedish and Danish pages: USE v3 puts any two texts of such a language near
    each other (cosine 0.8 or more), and five pairs of them were once merged into stories."""
    pages = sorted((FIX / "untrained").glob("*.html.gz"))
    assert len(pages) == 10
    with open_store(str(tmp_path / "u.db")) as store:
        ingest(iter_inputs([str(FIX / "untrained")], allow_private=False), store)
        arts = list(store.articles())
        assert {a.language for a in arts} >= {"no", "sv", "da"}
        assert all(store.get_enrichment(a.id).embedding is None for a in arts if a.language in {"no", "sv", "da"})
        stories = {store.article_state(a.id)["story_id"] for a in arts}
    assert len(arts) == 10 and len(stories) == 10
