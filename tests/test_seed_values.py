"""The acceptance values of the two seed reports (examples/seeds), checked from the repository alone.

The same expectations as ../shared/tools/seedcheck.py (run by test_cli.py when that folder is beside the project),
through the real commands in this process, so they are never skipped.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newstrace.cli import app

SEEDS = Path(__file__).resolve().parents[1] / "examples" / "seeds"
MT, LD = SEEDS / "000_0551815b77612936.txt", SEEDS / "002_647063108b32c5dd.txt"
runner = CliRunner()


def _json(*args: str):
    r = runner.invoke(app, list(args))
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("seedvalues") / "s.db")
    r = runner.invoke(app, ["ingest", str(SEEDS), "--db", path])
    assert r.exit_code == 0, r.output
    return path


@pytest.fixture(scope="module")
def by_outlet(db) -> dict:
    return {a["outlet"]: a for a in _json("articles", "--json", "--db", db)}


@pytest.fixture(scope="module")
def story(db) -> dict:
    stories = _json("stories", "--json", "--db", db)
    assert len(stories) == 1
    return stories[0]


def _walk(o):
    if isinstance(o, dict):
        yield o
        for v in o.values():
            yield from _walk(v)
    elif isinstance(o, list):
        for v in o:
            yield from _walk(v)


def test_extract_values():
    r = runner.invoke(app, ["extract", str(MT), str(LD), "--json"])
    assert r.exit_code == 0, r.output
    a, b = (json.loads(line) for line in r.stdout.splitlines())
    assert a["title"] == "Russian Paratroopers Land in Belarus as Tensions Simmer Over Migrant Crisis"
    assert a["outlet"] == "The Moscow Times" and a["url"].startswith("https://www.themoscowtimes.com/2021/11/12/")
    assert a["published"][:10] == "2021-11-12"
    assert "Grodno" in a["text"] and not any(x in a["text"] for x in ("Original url", "Related article", "mil.ru"))
    assert b["outlet"] == "London Daily" and b["published"][:10] == "2025-11-13"
    assert b["title"] == "Russia and Belarus hold military drills as migrant crisis on EU border grows"
    assert "Bruzgi" in b["text"] and "could swell to 10,000 in the upcoming weeks" in b["text"]
    for junk in ("Jaguar Land Rover", "Newsletter", "Related Articles", "0:00", "Focus on the big picture", "×", "Tom Cruise",
                 "A group of migrants walk along"):
        assert junk not in b["text"], junk


def test_recycled_values(db, by_outlet):
    mt, ld = by_outlet["The Moscow Times"], by_outlet["London Daily"]
    assert ld["recycled"]["is_recycled"] is True and ld["recycled"]["reason"]
    assert ld["recycled"]["claimed"][:10] == "2025-11-13" and ld["recycled"]["evidence_date"][:7] == "2021-11"
    assert not mt["recycled"]["is_recycled"]
    assert not mt["duplicate_of"] and not ld["duplicate_of"]
    check = _json("check", str(LD), "--json", "--db", db)
    assert "2021" in json.dumps(check) and check["stored_as"] == ld["id"]


def test_story_values(story):
    assert story["first_reported"]["outlet"] == "The Moscow Times" and story["first_reported"]["published"][:10] == "2021-11-12"
    roles = {a["outlet"]: a["role"] for a in story["articles"]}
    assert roles["London Daily"] == "recycled"


def test_fact_values(story):
    claims = [json.dumps(c) for c in _walk(story["claims"])]
    assert any(("15,000" in t or "15000" in t) and "corroborated" in t for t in claims)
    assert any("two paratroopers" in t.lower() or ("paratrooper" in t.lower() and "single" in t) for t in claims)
    assert any("hotheads" in t and "Khrenin" in t for t in claims)
    assert any("not a migration crisis" in t and "von der Leyen" in t for t in claims)
    places = {p["name"]: p for p in _walk(story["places"]) if p.get("name")}
    for name in ("Grodno", "Poland", "Belarus", "Minsk"):
        assert places[name].get("lat") is not None, name


def test_checking_a_stored_seed_says_it_is_already_stored(db, by_outlet):
    # the web page said "No stored article matches it" of an article that was in the store
    from starlette.testclient import TestClient

    from newstrace.serve.web import create_app
    from newstrace.store import open_store
    store = open_store(db)
    try:
        with TestClient(create_app(store), base_url="http://localhost") as c:
            r = c.post("/check", files={"file": (LD.name, LD.read_bytes(), "text/plain")})
    finally:
        store.close()
    assert r.status_code == 200, r.text
    assert f"Already stored as article <a href=\"/articles/{by_outlet['London Daily']['id']}\">" in r.text
    assert "No stored article matches it" not in r.text
