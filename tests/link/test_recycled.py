"""Recycled reports: an old report re-posted under a fresh date is flagged with evidence; genuine follow-ups are not."""
from __future__ import annotations

import json
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest

from newstrace.ingest import iter_inputs
from newstrace.link import recycled
from newstrace.pipeline import ingest
from newstrace.records import Article
from newstrace.store import open_store

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "examples" / "seeds"
MT, LD = "000_0551815b77612936.txt", "002_647063108b32c5dd.txt"


def _articles(store) -> dict[str, dict]:
    from newstrace.serve.views import articles_json
    return {str(a["outlet"]): a for a in articles_json(store)}


def _art(text: str, claimed: str, **kw) -> Article:
    return Article(id=kw.pop("id", "a" * 32), origin="t", title=kw.pop("title", None), text=text,
                   published=datetime.fromisoformat(claimed).replace(tzinfo=timezone.utc), **kw)


def test_seed_republished_report_is_flagged_from_its_own_text(tmp_path):
    only = tmp_path / "only"
    only.mkdir()
    shutil.copy(SEEDS / LD, only / LD)
    store = open_store(str(tmp_path / "one.db"))
    ingest(iter_inputs([str(only)]), store)
    rec = _articles(store)["London Daily"]["recycled"]
    store.close()
    assert rec["is_recycled"] is True
    assert rec["claimed"] == "2025-11-13" and rec["evidence_date"].startswith("2021-11")
    assert "2021" in rec["reason"] and rec["evidence"][0]["kind"] == "text"


def test_seeds_together_original_not_flagged_and_not_copies(tmp_path):
    store = open_store(str(tmp_path / "both.db"))
    ingest(iter_inputs([str(SEEDS)]), store)
    arts = _articles(store)
    store.close()
    mt, ld = arts["The Moscow Times"], arts["London Daily"]
    assert ld["recycled"]["is_recycled"] and ld["recycled"]["evidence_date"].startswith("2021-11")
    assert not mt["recycled"]["is_recycled"]
    assert mt["duplicate_of"] is None and ld["duplicate_of"] is None


def test_check_json_gives_the_evidence(tmp_path):
    from typer.testing import CliRunner
    from newstrace.cli import app
    db = str(tmp_path / "c.db")
    store = open_store(db)
    ingest(iter_inputs([str(SEEDS)]), store)
    store.close()
    runner = CliRunner()   # the real command, in this process (models stay loaded between calls)
    r = runner.invoke(app, ["check", str(SEEDS / LD), "--json", "--db", db])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert out["recycled"]["is_recycled"] and out["recycled"]["evidence_date"].startswith("2021-11")
    assert out["copies_of"] == [] and out["original"] is None
    human = runner.invoke(app, ["check", str(SEEDS / LD), "--db", db]).stdout
    assert "RECYCLED" in human and "2021-11-12" in human


def test_follow_up_mentioning_old_dates_is_not_flagged():
    text = ("A year after Russia and Belarus held joint paratrooper drills on November 12, 2021, the two armies "
            "began new exercises on Friday near the Polish border.\n\n"
            "The 2021 drills came at the height of a migrant crisis. Officials said on Monday the new exercises "
            "would last two weeks, and that 9,000 troops were taking part in them in November 2022.")
    v = recycled.judge(None, _art(text, "2022-11-14"), None, [])   # no store needed: text alone
    assert not v.is_recycled, v.reason


def test_trial_years_after_the_crime_is_not_flagged():
    text = ("A jury on Tuesday convicted a man of killing two people in a shooting at a shopping centre.\n\n"
            "Prosecutors said he had planned the attack on March 11, 2005 for weeks. The trial opened in "
            "October 2008 after years of delays.")
    v = recycled.judge(None, _art(text, "2008-12-16"), None, [])
    assert not v.is_recycled, v.reason


def test_report_whose_lead_and_caption_date_its_events_years_back_is_flagged():
    text = ("Flood waters rose across the valley on Sunday, forcing thousands from their homes.\n\n"
            "Rescue teams said on Monday that more rain was expected.")
    art = _art(text, "2024-06-02", captions=["Residents wade through a flooded street in the valley on March 14, 2019."])
    v = recycled.judge(None, art, None, [])
    assert v.is_recycled and v.evidence_date == "2019-03-14" and v.claimed == "2024-06-02"
    assert "caption" in v.reason and "2019" in v.reason


def test_an_earlier_copy_elsewhere_is_evidence_and_a_same_day_copy_is_not():
    art = _art("Some text.", "2020-05-01")
    old = [{"id": "o", "outlet": "Wire", "published": "2016-02-03T08:00:00+00:00", "score": 0.97}]
    v = recycled.judge(None, art, None, old)
    assert v.is_recycled and v.evidence_date == "2016-02-03" and "Wire" in v.reason
    same = [{"id": "o", "outlet": "Wire", "published": "2020-05-01T06:00:00+00:00", "score": 0.97}]
    assert not recycled.judge(None, art, None, same).is_recycled


def test_no_claimed_date_means_no_verdict_of_recycling():
    v = recycled.judge(None, Article(id="b" * 32, origin="t", title=None, text="On November 12, 2021 drills were held."), None, [])
    assert not v.is_recycled and v.claimed is None and v.reason


SHARED = Path("/work/shared/data/ecbplus-dev.jsonl")
if not SHARED.exists():
    SHARED = ROOT.parent / "shared" / "data" / "ecbplus-dev.jsonl"


@pytest.mark.slow
@pytest.mark.skipif(not SHARED.exists(), reason=f"dev data not found at {SHARED} (kept beside the project, not in it)")
def test_small_built_corpus_copies_and_recycled(tmp_path):
    from corpus.generate import build
    from corpus.score import score
    corpus = build(seed=11, topics=["1", "12"], path=SHARED)
    paths = corpus.write(tmp_path / "corpus", pages=False)
    store = open_store(str(tmp_path / "corpus.db"))
    ingest(iter_inputs([str(p) for p in paths]), store)
    r = score(corpus, store)
    store.close()
    assert r["n_missing"] == 0
    assert r["false_positive_rate"] <= 0.01, r["errors"]
    assert r["false_copy_links_across_stories"] == 0, r["errors"]
    assert r["copies_linked"]["rate"] >= 0.95, r["errors"]
    kinds = r["accuracy_by_kind"]
    ok, n = map(int, kinds["recycled"].split("/"))
    assert ok == n, r["errors"]            # with the original present, every re-post is caught
    assert r["recycled"]["precision"] >= 0.95, r["errors"]


def test_repost_in_page_chrome_keeping_the_original_dateline_is_flagged(tmp_path):
    # the re-poster's date line heads the page; the copied report still carries its own dateline four years older
    body = ["Fire crews from three towns fought a blaze on Tuesday that destroyed the old dairy warehouse on Dahlia "
            "Avenue, one of the last buildings left from the colony years, the city's safety director said.",
            "Nobody was hurt, but the wooden building burned to the ground within two hours and smoke closed the "
            "highway for most of the morning, police said. The cause of the fire is under investigation.",
            "The owners had planned to turn the warehouse into a market hall next spring, a plan the city council "
            "approved last month after two years of talks with residents and the historical society."]
    page = "\n\n".join(["Lakeside Herald", "Your window on the world.", "Monday, Aug 22, 2016",
                        "Fire destroys historic dairy warehouse", "Published: August 7, 2012"] + body
                       + ["Newsletter", "Related Articles", "Close"])
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "repost.txt").write_text(page, encoding="utf-8")
    store = open_store(str(tmp_path / "r.db"))
    ingest(iter_inputs([str(folder)]), store)
    rec = _articles(store)["Lakeside Herald"]["recycled"]
    store.close()
    assert rec["is_recycled"] is True
    assert rec["claimed"] == "2016-08-22" and rec["evidence_date"] == "2012-08-07"
    assert "dateline" in rec["reason"]
