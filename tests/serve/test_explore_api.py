"""Exploring through the API and pages: article filters, outlets, volume, CSV/JSON exports (formula-safe), search
phrases and relevance, impossible dates refused, and no 'showing 41–40' past the end."""
from __future__ import annotations

import csv
import io
import re

import pytest
from starlette.testclient import TestClient

from newstrace.serve.web import create_app
from newstrace.store import open_store
from webhelpers import add_article, story_doc

HOSTILE = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture()
def client(tmp_path):
    """An original (Alpha News) copied by Beta Daily, one recycled Gamma report, and 3 filler stories (real SQLite)."""
    s = open_store(str(tmp_path / "x.db"))
    a = add_article(s, title=HOSTILE, text="The harbour fire in Gdansk spread to two warehouses, officials said.",
                    outlet="Alpha News", published="2022-01-02T09:00:00")
    b = add_article(s, title="+Fire spreads", text="Fire spreads: the harbour fire in Gdansk spread to two warehouses.",
                    outlet="Beta Daily", published="2022-01-03T09:00:00")
    c = add_article(s, title="@Old fire", text="Warehouses burned near the harbour; the fire in Gdansk was old news.",
                    outlet="Gamma", published="2022-03-01T09:00:00")
    s.set_article_state(a, story_id="s1")
    s.set_article_state(b, story_id="s1", duplicate_of=a)
    s.set_article_state(c, story_id="s2", recycled={"is_recycled": True, "claimed": "2022-03-01", "evidence_date": "2021-01-01",
                                                    "reason": "-the text dates it to 2021"})
    s.put_story("s1", story_doc("s1", [
        {"id": a, "outlet": "Alpha News", "title": HOSTILE, "published": "2022-01-02T09:00:00+00:00", "role": "original"},
        {"id": b, "outlet": "Beta Daily", "title": "+Fire spreads", "published": "2022-01-03T09:00:00+00:00", "role": "copy"}],
        claims=[{"kind": "quantity", "text": "-2 warehouses", "status": "corroborated", "number": "2", "counted": "warehouses",
                 "sources": [{"outlet": "Alpha News", "article_id": a, "sentence": "@SUM(A1)", "value": 2},
                             {"outlet": "Beta Daily", "article_id": b, "sentence": "two warehouses", "value": 2}]}]))
    s.put_story("s2", story_doc("s2", [{"id": c, "outlet": "Gamma", "title": "@Old fire", "published": "2022-03-01T09:00:00+00:00",
                                        "role": "recycled"}]))
    for i in range(3):
        f = add_article(s, title=f"Filler {i}", text=f"A village fair number {i}.", outlet="Filler Post", published=f"2022-02-0{i + 1}T09:00:00")
        s.set_article_state(f, story_id=f"f{i}")
        s.put_story(f"f{i}", story_doc(f"f{i}", [{"id": f, "outlet": "Filler Post", "title": f"Filler {i}",
                                                  "published": f"2022-02-0{i + 1}T09:00:00+00:00", "role": "report"}]))
    with TestClient(create_app(s), base_url="http://localhost") as cl:  # a Host the server answers to
        yield cl, a, b, c
    s.close()


def _csv(r) -> list[dict[str, str]]:
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv") and "attachment" in r.headers["content-disposition"]
    return list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))


def test_csv_exports_are_formula_safe(client):
    """Every cell a spreadsheet would run as a formula (= + - @) starts with an apostrophe; the rest is unchanged."""
    c, a, b, _ = client
    rows = _csv(c.get("/api/export/articles.csv", params={"sort": "oldest"}))
    titles = [r["title"] for r in rows]
    assert titles[:2] == ["'" + HOSTILE, "'+Fire spreads"] and "'@Old fire" in titles and "Filler 0" in titles
    gamma = next(r for r in rows if r["outlet"] == "Gamma")
    assert gamma["is_recycled"] == "yes" and gamma["reason"] == "'-the text dates it to 2021" and gamma["evidence_date"] == "2021-01-01"
    claims = _csv(c.get("/api/stories/s1/claims.csv"))
    assert [(r["outlet"], r["sentence"], r["value"]) for r in claims] == [("Alpha News", "'@SUM(A1)", "2"), ("Beta Daily", "two warehouses", "2")]
    assert claims[0]["label"] == "2 warehouses" and claims[0]["text"] == "'-2 warehouses"
    sources = _csv(c.get("/api/stories/s1/articles.csv"))
    assert [(r["article_id"], r["role"], r["duplicate_of"]) for r in sources] == [(a, "original", ""), (b, "copy", a)]
    stories = _csv(c.get("/api/export/stories.csv", params={"outlet": "daily"}))
    assert [(r["id"], r["articles"], r["copies"], r["outlet_names"]) for r in stories] == [("s1", "2", "1", "Alpha News; Beta Daily")]


def test_json_exports_and_filtered_lists(client):
    """JSON exports carry the full objects; the article list filters by outlet substring, recycled, copy and dates."""
    c, a, b, cc = client
    arts = c.get("/api/export/articles.json", params={"copy": "true"}).json()
    assert [x["id"] for x in arts] == [b] and arts[0]["duplicate_of"] == a
    assert c.get("/api/stories/s1/claims.json").json()[0]["status"] == "corroborated"
    page = c.get("/api/articles", params={"outlet": "DAILY"}).json()
    assert page["total"] == 1 and page["items"][0]["outlet"] == "Beta Daily"
    assert [x["id"] for x in c.get("/api/articles", params={"recycled": "true"}).json()["items"]] == [cc]
    assert c.get("/api/articles", params={"recycled": "false", "copy": "false"}).json()["total"] == 4
    assert c.get("/api/articles", params={"from": "2022-02-01", "to": "2022-02-28"}).json()["total"] == 3
    assert c.get("/api/articles", params={"sort": "newest", "limit": 1}).json()["items"][0]["id"] == cc
    assert c.get("/api/stories", params={"outlet": "daily"}).json()["total"] == 1  # substring, like place and entity


def test_volume_and_outlets(client):
    """Volume per day under the filters; an outlet's copies and who copies it."""
    c, a, b, _ = client
    vol = c.get("/api/volume/stories", params={"from": "2022-01-01", "to": "2022-02-02"}).json()
    assert vol == {"of": "stories", "total": 3, "days": [{"day": "2022-01-02", "count": 1}, {"day": "2022-02-01", "count": 1},
                                                         {"day": "2022-02-02", "count": 1}]}
    assert c.get("/api/volume/articles", params={"outlet": "news"}).json()["days"] == [{"day": "2022-01-02", "count": 1}]
    alpha = c.get("/api/outlets/alpha news").json()
    assert (alpha["outlet"], alpha["articles"], alpha["copied"]) == ("Alpha News", 1, 1)
    assert alpha["copied_by"] == [{"outlet": "Beta Daily", "count": 1}] and alpha["copies_from"] == []
    beta = c.get("/api/outlets/Beta Daily").json()
    assert beta["copies_from"] == [{"outlet": "Alpha News", "count": 1}] and beta["copy_pairs"][0]["original_id"] == a
    assert c.get("/api/outlets/nobody").status_code == 404
    names = [o["outlet"] for o in c.get("/api/outlets").json()]
    assert names[0] == "Filler Post" and set(names) == {"Filler Post", "Alpha News", "Beta Daily", "Gamma"}


@pytest.mark.parametrize("path", ["/api/stories?from=2021-02-30", "/api/stories?to=2021-04-31", "/api/articles?from=2022-02-29",
                                  "/api/volume/stories?to=2021-02-30", "/api/export/articles.csv?from=2021-13-01"])
def test_impossible_dates_are_refused(client, path):
    """The API refuses days the calendar lacks, as the page does (it ignores them with a note)."""
    r = client[0].get(path)
    assert r.status_code == 422
    message = r.json()["message"]
    assert re.search(r"\b(from|to)\b", message) and ("not a date" in message or "should match pattern" in message), message


def test_search_phrases_relevance_and_the_page_past_the_end(client):
    """Phrases match in order; the best match comes first by default; a page past the end says so instead of 'showing 41–40'."""
    c, a, b, cc = client
    hits = c.get("/api/articles", params={"q": '"harbour fire"'}).json()
    assert {x["id"] for x in hits["items"]} == {a, b}  # Gamma has both words, not the phrase
    assert c.get("/api/articles", params={"q": "harbour fire"}).json()["total"] == 3
    assert c.get("/api/stories", params={"q": '"fire in Gdansk" warehouses'}).json()["total"] == 2
    page = c.get("/?offset=40", headers={"accept": "text/html"}).text
    line = re.search(r'id="story-count">(.*?)</p>', page, re.S).group(1)
    assert "showing" not in line and "5 stories" in line and "first page" in line
    page = c.get("/articles?offset=20", headers={"accept": "text/html"}).text
    assert "showing 21" not in page and "6 articles" in page
    page = c.get("/?from=2021-02-30", headers={"accept": "text/html"}).text
    assert "is not a date" in page


def test_token_scheme_is_declared_and_required_only_with_a_token(client, tmp_path):
    """The schema names the token scheme; operations require it only when the server has a token (else writes are open)."""
    c = client[0]
    schema = c.get("/api/openapi.json").json()
    assert schema["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert "security" not in schema["paths"]["/api/ingest"]["post"]
    with TestClient(create_app(open_store(str(tmp_path / "t.db")), token="t0k"), base_url="http://localhost") as guarded:
        ops = guarded.get("/api/openapi.json").json()["paths"]
        assert ops["/api/ingest"]["post"]["security"] == [{"bearer": []}, {"tokenHeader": []}]
        assert ops["/api/check"]["post"]["security"] == ops["/api/check/upload"]["post"]["security"] == [{"bearer": []}, {"tokenHeader": []}]
        assert "security" not in ops["/api/stories"]["get"]
        assert guarded.get("/api/docs").status_code == 200
