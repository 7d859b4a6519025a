"""Stories of undated, untitled records (JSONL with text only): when they were first seen and a headline from the text."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newstrace.cli import app
from newstrace.ingest import iter_inputs
from newstrace.pipeline import ingest
from newstrace.store import open_store

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "ecbplus-sample.jsonl"
SEEDS = ROOT / "examples" / "seeds"


def _records(ids: list[str]) -> list[dict]:
    rows = {r["id"]: r for r in map(json.loads, SAMPLE.read_text(encoding="utf-8").splitlines())}
    return [rows[i] for i in ids]


def test_an_undated_story_is_placed_by_first_seen_and_named_by_its_lead(tmp_path):
    # Real reports of one event (Tara Reid enters rehab), given as a user's JSONL often is: text only.
    feed = tmp_path / "undated.jsonl"
    recs = _records(["1_10ecb", "1_11ecb", "1_12ecb", "1_13ecb", "1_14ecb"])
    feed.write_text("".join(json.dumps({"id": r["id"], "text": r["text"]}) + "\n" for r in recs), encoding="utf-8")
    db = str(tmp_path / "u.db")
    with open_store(db) as store:
        ingest(iter_inputs([str(feed)]), store)
        arts = {a.external_id: a for a in store.articles()}
        assert all(a.published is None and a.title is None for a in arts.values())
        sid = max((store.article_state(a.id)["story_id"] for a in arts.values()),
                  key=lambda x: (len(store.article_ids_in_story(x)), x))
        members = [a for a in arts.values() if store.article_state(a.id)["story_id"] == sid]
        assert len(members) >= 2
        s = store.get_story(sid)
    seen = sorted(a.first_seen for a in members)
    first = min(members, key=lambda a: (a.first_seen, a.id))
    fr = s["first_reported"]
    assert fr["basis"] == "first-seen" and fr["published"] is None
    assert fr["seen"] == first.first_seen.isoformat() and fr["article_id"] == first.id
    assert s["period"] == {"start": seen[0].isoformat(), "end": seen[-1].isoformat(), "basis": "first-seen"}
    # the headline is the opening of a member's text: its first sentence, or its first words and "…" when that is long
    assert s["headline_from"] == "text"
    texts = [" ".join(r["text"].split()) for r in recs if r["id"] in {a.external_id for a in members}]
    head = s["headline"]
    assert 20 <= len(head) <= 121, head
    if head.endswith("…"):
        assert any(t.startswith(head[:-1]) and t[len(head) - 1] in " ,;:" for t in texts), head
    else:
        assert any(t.startswith(head) and head.endswith((".", "!", "?")) for t in texts), head
    assert s["headlines"] == {"en": s["headline"]}

    r = CliRunner().invoke(app, ["story", sid, "--db", db, "--format", "table"])
    assert r.exit_code == 0, r.output
    day = first.first_seen.date().isoformat()
    assert f"first reported: {day} outlet unknown (first seen by newstrace" in " ".join(r.output.split())
    assert "(when newstrace first saw its articles: none is dated)" in " ".join(r.output.split())
    r = CliRunner().invoke(app, ["stories", "--db", db, "--format", "json"])
    assert next(x for x in json.loads(r.output) if x["id"] == sid)["first_reported"] == fr
    r = CliRunner().invoke(app, ["stories", "--db", db, "--format", "tsv"])
    lines = [line.split("\t") for line in r.output.splitlines()]
    row = dict(zip(lines[0], next(x for x in lines[1:] if x[0] == sid)))
    assert row["first_seen"] == fr["seen"] and row["first_reported"] == ""
    r = CliRunner().invoke(app, ["stories", "--db", db, "--format", "table"])
    # "seen DAY" in the first-reported cell, on one line or wrapped onto the next
    assert f"seen {day}" in r.output or re.search(rf"\bseen\s[^\n]*\n\s+{day}", r.output), r.output


def test_a_dated_story_says_its_first_report_is_dated_and_by_what(tmp_path):
    db = str(tmp_path / "s.db")
    with open_store(db) as store:
        ingest(iter_inputs([str(SEEDS)]), store)
        [s] = store.stories()
        first = store.get_article(s["first_reported"]["article_id"])
    assert s["first_reported"]["basis"] == "published" and s["period"]["basis"] == "published"
    assert s["first_reported"]["published"] == first.published.isoformat()
    assert s["first_reported"]["source"] == first.published_source and first.published_source
    assert "seen" not in s["first_reported"]
    assert s["headline_from"] == "title" and s["headline"]


def test_story_pages_say_an_undated_story_was_first_seen(tmp_path):
    from starlette.testclient import TestClient
    from newstrace.serve.web import create_app
    feed = tmp_path / "undated.jsonl"
    recs = _records(["8_1ecb", "8_2ecb"])   # two real reports of one bank bombing, text only
    feed.write_text("".join(json.dumps({"id": r["id"], "text": r["text"]}) + "\n" for r in recs), encoding="utf-8")
    with open_store(str(tmp_path / "w.db")) as store:
        ingest(iter_inputs([str(feed)]), store)
        s = store.stories()[0]
        day = s["first_reported"]["seen"][:10]
        with TestClient(create_app(store), base_url="http://localhost") as client:
            page = client.get(f"/stories/{s['id']}").text
            listing = client.get("/").text
    assert f"first seen {day} (no article is dated)" in page
    from html import unescape
    assert "(first seen)" in page and s["headline"] in unescape(page) and "(no headline)" not in page
    assert f"seen {day}" in listing and "(no headline)" not in listing


@pytest.mark.parametrize("text, headline", [
    # ECB+ 8_2ecb's opening: the sentence goes on past "Lt." (an abbreviation, not its end)
    ("`` That person is dangerous, '' said Oregon State Police Lt. Gregg Hastings. More follows.",
     "`` That person is dangerous, '' said Oregon State Police Lt. Gregg Hastings."),
    ("The U.S. Senate voted on Tuesday. Then it adjourned.", "The U.S. Senate voted on Tuesday."),
    ("北京今天下雨。明天晴。", "北京今天下雨。"),
    ("A short report without a full stop", "A short report without a full stop"),
    ("word " * 40, ("word " * 24).strip() + "…"),
])
def test_an_untitled_article_is_headed_by_its_first_sentence(text, headline):
    from newstrace.link.stories import headline_of
    from newstrace.records import Article
    assert headline_of(Article(id="a", origin="x", title=None, text=text)) == headline
    assert headline_of(Article(id="a", origin="x", title="Its own title", text=text)) == "Its own title"
