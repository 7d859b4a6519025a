"""REST API behaviour a script relies on: pagination, filters, JSON errors, upload limits, write tokens, cross-site refusal."""
from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from newstrace.serve.actions import MAX_UPLOAD_BYTES
from newstrace.serve.security import is_loopback
from newstrace.serve.web import create_app, write_token
from newstrace.store import open_store
from webhelpers import add_article, story_doc

LOCAL = "http://localhost"  # the Host a local browser sends (TestClient's default "testserver" is refused)


@pytest.fixture()
def store(tmp_path):
    """25 one-article stories from three outlets over 25 days (real SQLite)."""
    s = open_store(str(tmp_path / "api.db"))
    outlets = ["Alpha", "Beta", "Gamma"]
    for i in range(25):
        day = f"2022-01-{i + 1:02d}T09:00:00"
        aid = add_article(s, title=f"Report {i} on the harbour fire", text=f"Report number {i}. Fire in the harbour of Gdansk.",
                          outlet=outlets[i % 3], published=day)
        s.set_article_state(aid, story_id=f"s-{i:02d}")
        s.put_story(f"s-{i:02d}", story_doc(f"s-{i:02d}", [{"id": aid, "outlet": outlets[i % 3], "title": f"Report {i}",
                                                          "published": day + "+00:00", "role": "report"}],
                                           places=[{"name": "Gdansk" if i % 2 else "Gdynia", "lat": 54.35, "lon": 18.65, "country": "PL"}]))
    yield s
    s.close()


@pytest.fixture()
def client(store):
    with TestClient(create_app(store), base_url=LOCAL) as c:
        yield c


def test_stories_paginate_and_filter(client):
    """Pages cover every story once; outlet, place, date and search filters narrow the total."""
    seen = []
    for offset in (0, 10, 20):
        page = client.get("/api/stories", params={"offset": offset, "limit": 10, "sort": "newest"}).json()
        assert page["total"] == 25 and page["offset"] == offset
        seen += [s["id"] for s in page["items"]]
    assert len(seen) == len(set(seen)) == 25
    assert seen[0] == "s-24"  # newest first
    assert client.get("/api/stories", params={"outlet": "beta"}).json()["total"] == 8
    assert client.get("/api/stories", params={"place": "gdansk"}).json()["total"] == 12
    assert client.get("/api/stories", params={"from": "2022-01-20", "to": "2022-01-22"}).json()["total"] == 3
    hits = client.get("/api/stories", params={"q": "number 7"}).json()
    assert "s-07" in [s["id"] for s in hits["items"]]
    assert hits["items"][0]["counts"] == {"articles": 1, "outlets": 1, "recycled": 0, "copies": 0, "conflicting": 0, "corroborated": 0}


def test_story_article_and_list_shapes(client):
    """Story and article endpoints carry the CLI's keys; articles paginate."""
    story = client.get("/api/stories/s-03").json()
    for key in ("id", "headline", "first_reported", "period", "articles", "entities", "places", "claims"):
        assert key in story
    aid = story["articles"][0]["id"]
    art = client.get(f"/api/articles/{aid}").json()
    for key in ("id", "external_id", "origin", "outlet", "title", "url", "published", "story_id", "duplicate_of", "recycled", "text", "boilerplate"):
        assert key in art
    assert art["story_id"] == "s-03"
    page = client.get("/api/articles", params={"offset": 20, "limit": 10}).json()
    assert page["total"] == 25 and len(page["items"]) == 5


@pytest.mark.parametrize("path,status", [("/api/stories/nope", 404), ("/api/articles/nope", 404), ("/api/nothing", 404),
                                         ("/api/stories?limit=0", 422), ("/api/stories?from=yesterday", 422),
                                         ("/api/stories?sort=random", 422)])
def test_errors_are_json_with_status_and_message(client, path, status):
    """Every error is {"status", "message"} with a message that names the problem."""
    r = client.get(path)
    assert r.status_code == status
    body = r.json()
    assert body["status"] == status and isinstance(body["message"], str) and body["message"]
    if status == 404 and "nope" in path:
        assert "nope" in body["message"]


def test_uploads_are_capped_and_type_checked(client):
    """Too large → 413, unsupported type or binary content → 415, empty text → 400; nothing is stored."""
    r = client.post("/api/check/upload", files={"file": ("big.txt", b"a" * (MAX_UPLOAD_BYTES + 10), "text/plain")})
    assert r.status_code == 413 and "limit" in r.json()["message"]
    r = client.post("/api/check/upload", files={"file": ("tool.exe", b"MZ\x90\x00\x03", "application/octet-stream")})
    assert r.status_code == 415 and "tool.exe" in r.json()["message"]
    r = client.post("/api/check/upload", files={"file": ("fake.txt", b"\x00\x01\x02binary\x00" * 50, "text/plain")})
    assert r.status_code == 415 and "binary" in r.json()["message"]
    r = client.post("/api/check", json={"text": "   "})
    assert r.status_code == 400
    assert client.get("/api/articles").json()["total"] == 25


def test_cross_site_writes_are_refused(client):
    """A page on another site cannot make a visitor's browser write to the store."""
    r = client.post("/api/ingest", json={"articles": []}, headers={"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"})
    assert r.status_code == 403
    r = client.post("/api/ingest", json={"articles": []}, headers={"Origin": "https://evil.example"})
    assert r.status_code == 403


def test_ingest_needs_the_token_when_one_is_set(store):
    """With a token (always set beyond loopback), ingest without it is 401; with it, articles are stored once."""
    rec = {"id": "x1", "outlet": "Delta", "title": "Bridge closed", "published": "2022-02-01",
           "text": "The city closed the old bridge on Tuesday after engineers found cracks in two pillars."}
    with TestClient(create_app(store, token="s3cret"), base_url=LOCAL) as c:
        r = c.post("/api/ingest", json={"articles": [rec]})
        assert r.status_code == 401 and r.json()["status"] == 401
        r = c.post("/api/ingest", json={"articles": [rec]}, headers={"Authorization": "Bearer wrong"})
        assert r.status_code == 401
        r = c.post("/api/ingest", json={"articles": [rec, {"id": "bad"}]}, headers={"Authorization": "Bearer s3cret"})
        assert r.status_code == 200, r.text
        out = r.json()
        assert len(out["added"]) == 1 and len(out["failed"]) == 1 and "'text'" in out["failed"][0]["reason"]
        again = c.post("/api/ingest", json={"articles": [rec]}, headers={"X-Newstrace-Token": "s3cret"}).json()
        assert again["added"] == [] and len(again["unchanged"]) == 1
        assert c.get("/api/articles").json()["total"] == 26


def test_only_loopback_binds_run_without_a_token(monkeypatch):
    """The server decides whether writes need a token from the address it binds."""
    monkeypatch.delenv("NEWSTRACE_TOKEN", raising=False)
    assert write_token("127.0.0.1") is None
    t1, t2 = write_token("0.0.0.0"), write_token("10.0.0.7")
    assert t1 and t2 and t1 != t2 and len(t1) >= 24
    monkeypatch.setenv("NEWSTRACE_TOKEN", "chosen")
    assert write_token("0.0.0.0") == write_token("127.0.0.1") == "chosen"
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5") and not is_loopback("example.org")


def test_lists_show_writes_from_other_connections(client, store, tmp_path):
    """Cached pages never hide a write: a story stored by another process (e.g. a CLI ingest) shows at once."""
    before = client.get("/api/stories", params={"sort": "newest"}).json()
    html_before = client.get("/", headers={"Accept": "text/html"}).text
    other = open_store(store.path)  # a second connection, as another process would have
    aid = add_article(other, title="Late breaking", text="A late report about the dam.", outlet="Omega", published="2023-05-05T05:00:00")
    other.set_article_state(aid, story_id="s-late")
    other.put_story("s-late", story_doc("s-late", [{"id": aid, "outlet": "Omega", "title": "Late breaking",
                                                    "published": "2023-05-05T05:00:00+00:00", "role": "report"}]))
    other.close()
    after = client.get("/api/stories", params={"sort": "newest"}).json()
    assert after["total"] == before["total"] + 1 and after["items"][0]["id"] == "s-late"
    assert "Late breaking" not in html_before and "Late breaking" in client.get("/", params={"sort": "newest"}).text
    store.put_story("s-late", {**after["items"][0], "headline": "Renamed here"})  # a write on the server's own connection
    assert client.get("/api/stories", params={"sort": "newest"}).json()["items"][0]["headline"] == "Renamed here"


def test_check_finds_the_stored_original_and_stores_nothing(tmp_path):
    """An article ingested through the API is found as the original when its text is checked; check stores nothing."""
    text = ("The city council of Gdansk voted on Tuesday to close the old harbour bridge after engineers found deep cracks "
            "in two of its pillars. Repairs will cost 12 million zloty and take until the spring, the mayor said. "
            "Ferries will run every twenty minutes while the bridge is closed, the transport office announced.")
    with open_store(str(tmp_path / "c.db")) as store, TestClient(create_app(store), base_url=LOCAL) as c:
        r = c.post("/api/ingest", json={"articles": [{"id": "g1", "outlet": "Gdansk Post", "title": "Bridge closed", "published": "2023-03-07", "text": text}]})
        assert len(r.json()["added"]) == 1
        verdict = c.post("/api/check", json={"text": text, "outlet": "Copycat News", "title": "Bridge shut", "published": "2023-03-09"}).json()
        assert verdict["original"] is not None and verdict["original"].get("outlet") == "Gdansk Post"
        assert verdict["article"]["outlet"] == "Copycat News"
        assert c.get("/api/articles").json()["total"] == 1


def test_pages_load_only_local_scripts_and_carry_the_policy(client):
    """Every page is served with the CSP and loads scripts only from /static (vendored, no CDN, no inline code)."""
    import re
    for path in ("/", "/stories/s-01", "/check"):
        r = client.get(path, headers={"Accept": "text/html"})
        assert r.status_code == 200
        assert "script-src 'self'" in r.headers["content-security-policy"]
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", r.text, re.S)
        for attrs, body in scripts:
            if 'type="application/json"' in attrs:
                continue  # data only, read with textContent
            src = re.search(r'src="([^"]+)"', attrs)
            assert src and src.group(1).startswith("/static/") and not body.strip()
    for asset in ("/static/vendor/d3.min.js", "/static/vendor/topojson-client.min.js", "/static/vendor/countries-110m.json", "/static/story.js"):
        assert client.get(asset).status_code == 200


def test_api_reads_on_both_backends(any_store):
    """The read API gives the same pages over SQLite and PostgreSQL (the Store interface is all it uses)."""
    ids = []
    for i in range(5):
        aid = add_article(any_store, title=f"Flood report {i}", text=f"River flood number {i} reached the town of Wroclaw.",
                          outlet="Alpha" if i % 2 else "Beta", published=f"2022-06-0{i + 1}T10:00:00")
        any_store.set_article_state(aid, story_id=f"s-{i}")
        any_store.put_story(f"s-{i}", story_doc(f"s-{i}", [{"id": aid, "outlet": "Alpha" if i % 2 else "Beta", "title": f"Flood report {i}",
                                                         "published": f"2022-06-0{i + 1}T10:00:00+00:00", "role": "report"}]))
        ids.append(aid)
    with TestClient(create_app(any_store), base_url=LOCAL) as c:
        page = c.get("/api/stories", params={"sort": "newest", "limit": 2}).json()
        assert page["total"] == 5 and [s["id"] for s in page["items"]] == ["s-4", "s-3"]
        assert c.get("/api/stories", params={"outlet": "alpha"}).json()["total"] == 2
        assert c.get("/api/stories", params={"q": "flood number 3"}).json()["items"][0]["id"] == "s-3"
        assert c.get(f"/api/articles/{ids[2]}").json()["story_id"] == "s-2"
        assert c.get("/api/articles", params={"limit": 2, "offset": 4}).json()["total"] == 5
        assert "Flood report 4" in c.get("/", headers={"Accept": "text/html"}).text
        assert c.get("/stories/s-1", headers={"Accept": "text/html"}).status_code == 200


def test_served_process_enforces_the_token(tmp_path):
    """`newstrace serve` with $NEWSTRACE_TOKEN refuses ingest without it and accepts it with it (real subprocess)."""
    import httpx

    from webhelpers import running_server
    # A record without text is quarantined without loading any model: enough to see the write was let in.
    rec = {"id": "t1", "outlet": "Zeta"}
    with running_server(str(tmp_path / "t.db"), env={"NEWSTRACE_TOKEN": "tok-123", "NEWSTRACE_NO_WARMUP": "1"}) as base:
        r = httpx.post(base + "/api/ingest", json={"articles": [rec]}, timeout=120)
        assert r.status_code == 401 and r.json() == {"status": 401, "message": r.json()["message"]}
        r = httpx.post(base + "/api/ingest", json={"articles": [rec]}, headers={"Authorization": "Bearer tok-123"}, timeout=300)
        assert r.status_code == 200 and len(r.json()["failed"]) == 1
        assert httpx.get(base + "/api/quarantine").json()["total"] == 1


def test_a_news_please_json_upload_is_stored_as_its_article(tmp_path):
    """A .json file as news-please writes it goes through /api/ingest/upload like a .jsonl (before: 415)."""
    from pathlib import Path
    sample = Path(__file__).resolve().parents[1] / "fixtures" / "json_records" / "newsplease-sample.json"
    with open_store(str(tmp_path / "up.db")) as s, TestClient(create_app(s), base_url=LOCAL) as c:
        r = c.post("/api/ingest/upload", files={"file": ("rt.json", sample.read_bytes(), "application/json")})
        assert r.status_code == 200, r.text
        assert len(r.json()["added"]) == 1
        (a,) = list(s.articles())
        assert a.title.startswith("Moscow to Kiev") and a.text.startswith("Russia has called on Ukraine")
        r = c.post("/api/ingest/upload", files={"file": ("list.json", b'["not an object"]', "application/json")})
        assert r.status_code == 200 and r.json()["added"] == [] and "list item is not a JSON object" in r.text
