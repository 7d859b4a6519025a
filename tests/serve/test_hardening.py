"""The server against hostile requests, as a real `newstrace serve` process: Host names, numeric parameters,
crash messages, server paths, and the check endpoints' token, size cap and concurrency when bound beyond loopback."""
from __future__ import annotations

import json
import re
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import httpx
import pytest

from newstrace.records import Article, Enrichment, Failure, RawDocument, content_id
from newstrace.serve.actions import CheckLimits, check, enrichable
from newstrace.store import open_store
from webhelpers import add_article, running_server, story_doc

SERVER_DIR = "/srv/newsroom/private/2021"  # the "server's own" paths an ingest recorded; never shown to clients
ARTICLE_TEXT = ("The city council of Gdansk voted on Tuesday to close the old harbour bridge after engineers found deep cracks "
                "in two of its pillars. Repairs will cost 12 million zloty and take until the spring, the mayor said. "
                "Ferries will run every twenty minutes while the bridge is closed, the transport office announced.")


def _store_with_paths(db: str) -> dict[str, str]:
    """A store holding an article and a quarantined input recorded under absolute server paths, and one broken story."""
    store = open_store(db)
    when = datetime(2021, 11, 12, 10, tzinfo=timezone.utc)
    data = ARTICLE_TEXT.encode()
    aid = content_id(data)
    origin = f"{SERVER_DIR}/batch.jsonl#line=7"
    store.add_raw(RawDocument(id=aid, origin=origin, data=data, media_type="text/plain", first_seen=when))
    store.add_article(Article(id=aid, origin=origin, title="Bridge closed", text=ARTICLE_TEXT, paragraphs=[ARTICLE_TEXT],
                              outlet="Gdansk Post", published=when, published_source="test"), Enrichment(article_id=aid))
    store.set_article_state(aid, story_id="s-1")
    store.put_story("s-1", story_doc("s-1", [{"id": aid, "outlet": "Gdansk Post", "title": "Bridge closed",
                                              "published": when.isoformat(), "role": "report"}]))
    store.add_failure(Failure(origin=f"{SERVER_DIR}/broken.html", reason=f"cannot read file: {SERVER_DIR}/broken.html is empty",
                              stage="ingest"))
    # A story document the story page cannot read (a claim status must be a name): serving that page crashes.
    store.put_story("s-broken", {"id": "s-broken", "headline": "Broken", "articles": [], "claims": [{"status": ["not", "a", "name"]}]})
    store.close()
    return {"article": aid}


@pytest.fixture(scope="module")
def loopback(tmp_path_factory):
    """`newstrace serve` on loopback with one extra allowed host name; yields (base URL, store facts, log path)."""
    db = str(tmp_path_factory.mktemp("hardening") / "h.db")
    facts = _store_with_paths(db)
    with running_server(db, env={"NEWSTRACE_NO_WARMUP": "1"}, args=("--allowed-host", "news.example")) as base:
        yield base, facts, Path(db).with_suffix(".serve.log")


def test_only_configured_host_names_are_served(loopback):
    """DNS rebinding: a request naming a foreign host is refused (reads and writes); loopback names, IPs and --allowed-host pass."""
    base, _, _ = loopback
    port = base.rsplit(":", 1)[1]
    for host in ("evil.example", f"evil.example:{port}", "localhost.evil.example", ""):
        r = httpx.get(base + "/api/stories", headers={"Host": host})
        assert r.status_code == 400, host
        assert "--allowed-host" in r.json()["message"] and "total" not in r.text
    r = httpx.post(base + "/api/ingest", json={"articles": [{"id": "x", "text": "Rebound write."}]},
                   headers={"Host": f"evil.example:{port}"})
    assert r.status_code == 400
    assert httpx.get(base + "/api/quarantine").json()["total"] == 1  # the write never happened
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}", f"news.example:{port}", "NEWS.EXAMPLE", "app.localhost"):
        assert httpx.get(base + "/api/stories", headers={"Host": host}).status_code == 200, host


@pytest.mark.parametrize("path", ["/?offset=9223372036854775808", "/?offset=-1", "/?offset=abc", "/?offset=10000001",
                                  "/api/stories?offset=9223372036854775808", "/api/stories?limit=9223372036854775808",
                                  "/api/articles?offset=-5", "/api/articles?limit=0", "/api/quarantine?offset=1e3",
                                  "/api/quarantine?limit=99999999999999999999"])
def test_numeric_parameters_are_validated_everywhere(loopback, path):
    """Out-of-range or malformed numbers are a 422 naming the parameter, on pages and API alike (never a 500)."""
    base, _, _ = loopback
    r = httpx.get(base + path)
    assert r.status_code == 422, r.text
    name = re.search(r"[?&](\w+)=", path).group(1)
    assert r.json()["status"] == 422 and name in r.json()["message"]
    if not path.startswith("/api/"):
        page = httpx.get(base + path, headers={"Accept": "text/html"})
        assert page.status_code == 422 and "text/html" in page.headers["content-type"] and "offset" in page.text
        assert "script-src 'self'" in page.headers["content-security-policy"]


def test_crashes_answer_generically_with_an_id_the_log_explains(loopback):
    """A 500 names neither the exception nor the code: it carries an id, and the server log has that id with the traceback."""
    base, _, log = loopback
    for accept in ("application/json", "text/html"):
        r = httpx.get(base + "/stories/s-broken", headers={"Accept": accept})
        assert r.status_code == 500
        assert "Error" not in r.text.replace("Error 500", "") and "Traceback" not in r.text and ".py" not in r.text
        assert "script-src 'self'" in r.headers["content-security-policy"]
        error_id = re.search(r"internal error \(id ([0-9a-f]{12})\)", r.text).group(1)
        deadline = time.monotonic() + 5
        while error_id not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)
        logged = log.read_text()
        assert error_id in logged and "TypeError: unhashable type" in logged.split(error_id, 1)[1]


def test_server_paths_are_not_shown(loopback):
    """Origins recorded as absolute server paths are shown by file name in the API, the article page and the quarantine."""
    base, facts, _ = loopback
    listed = httpx.get(base + "/api/articles").json()["items"]
    assert [a["origin"] for a in listed] == ["batch.jsonl#line=7"]
    detail = httpx.get(base + f"/api/articles/{facts['article']}").json()
    assert detail["origin"] == "batch.jsonl#line=7"
    page = httpx.get(base + f"/articles/{facts['article']}", headers={"Accept": "text/html"}).text
    assert "origin: batch.jsonl#line=7" in page
    [failed] = httpx.get(base + "/api/quarantine").json()["items"]
    assert failed["origin"] == "broken.html" and failed["reason"] == "cannot read file: broken.html is empty"
    for body in (json.dumps(listed), json.dumps(detail), page, json.dumps(failed)):
        assert SERVER_DIR not in body and "/srv/" not in body


# --- bound beyond loopback, as a team runs it: newstrace serve --host 0.0.0.0 with a token -------------------------

TOKEN = "team-token-123"


@pytest.fixture(scope="module")
def exposed(tmp_path_factory):
    """`newstrace serve --host 0.0.0.0` with $NEWSTRACE_TOKEN, one check at a time and a 16 KB check cap."""
    db = str(tmp_path_factory.mktemp("exposed") / "x.db")
    store = open_store(db)
    add_article(store, title="Bridge closed", text=ARTICLE_TEXT, outlet="Gdansk Post", published="2023-03-07T09:00:00")
    store.close()
    env = {"NEWSTRACE_NO_WARMUP": "1", "NEWSTRACE_TOKEN": TOKEN}
    with running_server(db, env=env, host="0.0.0.0", args=("--max-checks", "1", "--check-max-kb", "16")) as base:
        yield base


AUTH = {"Authorization": f"Bearer {TOKEN}"}


def test_check_needs_the_token_beyond_loopback(exposed):
    """The check API, its upload and the Check page's form all refuse a caller without the token."""
    r = httpx.post(exposed + "/api/check", json={"text": ARTICLE_TEXT})
    assert r.status_code == 401 and "token" in r.json()["message"]
    r = httpx.post(exposed + "/api/check/upload", files={"file": ("a.txt", ARTICLE_TEXT.encode(), "text/plain")})
    assert r.status_code == 401
    r = httpx.post(exposed + "/check", data={"text": ARTICLE_TEXT}, headers={"Accept": "text/html"})
    assert r.status_code == 401 and "token" in r.text
    form = httpx.get(exposed + "/check", headers={"Accept": "text/html"}).text
    assert 'name="token"' in form and "16 KB" in form


def test_check_text_is_capped_with_a_clear_message(exposed):
    """Past the configured cap a check is refused at once (413) saying the size and the limit, for text, upload and form."""
    big = ("Officials met in Warsaw on Monday to discuss the budget. " * 400)[:20_000]
    t = time.monotonic()
    r = httpx.post(exposed + "/api/check", json={"text": big}, headers=AUTH)
    assert r.status_code == 413 and r.json()["message"] == "text too large (20000 bytes; the limit is 16384): check one article at a time"
    r = httpx.post(exposed + "/api/check/upload", files={"file": ("big.txt", big.encode(), "text/plain")}, headers=AUTH)
    assert r.status_code == 413 and "16384" in r.json()["message"]
    r = httpx.post(exposed + "/check", data={"text": big, "token": TOKEN}, headers={"Accept": "text/html"})
    assert r.status_code == 413 and "the limit is 16384" in r.text
    assert time.monotonic() - t < 5  # refused before any parsing


def test_checks_beyond_the_limit_get_429_and_a_freed_slot_is_reused(exposed):
    """With --max-checks 1, a second check while one runs is 429 with Retry-After; once it ends, checks run again."""
    first: dict[str, httpx.Response] = {}
    worker = threading.Thread(target=lambda: first.update(r=httpx.post(exposed + "/api/check", json={"text": ARTICLE_TEXT},
                                                                       headers=AUTH, timeout=300)))
    worker.start()  # the first check also loads the language models (no warm-up): it runs for seconds
    time.sleep(0.5)  # let it take the slot
    refused = None
    while worker.is_alive() and refused is None:
        r = httpx.post(exposed + "/api/check", json={"text": "A second article about the harbour bridge in Gdansk."}, headers=AUTH, timeout=300)
        if r.status_code == 429:
            refused = r
        time.sleep(0.05)
    worker.join()
    assert refused is not None, f"no check was refused while one was running: {first['r'].status_code} {first['r'].text[:300]}"
    assert int(refused.headers["retry-after"]) > 0 and "at most 1" in refused.json()["message"]
    assert first["r"].status_code == 200 and "Gdansk" in first["r"].json()["article"]["text"] and "is_recycled" in first["r"].json()["recycled"]
    again = httpx.post(exposed + "/api/check", json={"text": ARTICLE_TEXT}, headers=AUTH, timeout=300)
    assert again.status_code == 200 and again.json()["article"]["text"] == first["r"].json()["article"]["text"]


def test_writes_still_need_the_token_and_host_names_are_checked_beyond_loopback(exposed):
    """Beyond loopback the Host check still applies (an IP literal passes), and ingest needs the token."""
    assert httpx.get(exposed + "/api/stories", headers={"Host": "evil.example"}).status_code == 400
    assert httpx.get(exposed + "/api/stories").status_code == 200
    assert httpx.post(exposed + "/api/ingest", json={"articles": []}).status_code == 401


# --- bounds inside one check (in-process, no models needed) ---------------------------------------------------------

def test_a_long_article_is_enriched_only_up_to_the_limit():
    """Enrichment sees a prefix cut at a paragraph, so memory and time stay bounded; the offsets stay those of the full text."""
    paras = [f"Paragraph {i}: the council met again to discuss the harbour bridge." for i in range(5000)]
    text = "\n\n".join(paras)
    art = Article(id="a", origin="x", title="Long", text=text, paragraphs=paras)
    cut = enrichable(art, 50_000)
    assert len(cut.text) <= 50_000 and len(cut.text) > 45_000 and text.startswith(cut.text)
    assert cut.text.endswith(".") and cut.paragraphs == paras[:len(cut.paragraphs)]
    assert enrichable(art, 10 ** 7) is art


def test_a_check_stops_starting_articles_at_its_time_limit(tmp_path):
    """Articles not started by the time limit are reported as not checked, naming the limit."""
    raws = [Failure(origin="upload:a.jsonl#line=1", reason="record has no 'text'", stage="ingest")]
    raws += [RawDocument(id=f"r{i}", origin=f"upload:a.jsonl#line={i + 2}", data=b"x", media_type="text/plain",
                         first_seen=datetime.now(timezone.utc)) for i in range(3)]
    with open_store(str(tmp_path / "t.db")) as store:
        out = check(store, raws, CheckLimits(timeout=0))
    assert out[0] == {"origin": "upload:a.jsonl#line=1", "error": "record has no 'text'"}
    assert [o["error"] for o in out[1:]] == ["not checked: the time limit of 0 s was reached"] * 3
