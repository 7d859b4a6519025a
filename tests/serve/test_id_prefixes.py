"""Ids pasted into URLs as the CLI prints them: a unique prefix redirects to the whole id (pages, API, exports),
an ambiguous one names its candidates (409), an unknown or too short one is 404. Real SQLite store."""
from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from newstrace.serve.web import create_app
from newstrace.store import open_store
from webhelpers import add_article, story_doc

# two story ids share their first 8 characters; the third stands alone
TWINS = ("s-5f3a9c01d2", "s-5f3a9c77e4")
ALONE = "s-0b7e21aa90"


@pytest.fixture()
def served(tmp_path):
    s = open_store(str(tmp_path / "ids.db"))
    ids = {}
    for sid, title in zip(TWINS + (ALONE,), ("Harbour fire in Gdansk", "Harbour fire spreads", "Floods in Wroclaw")):
        aid = add_article(s, title=title, text=f"{title}: officials said 2 warehouses burned.", outlet="Alpha News",
                          published="2022-01-02T09:00:00")
        s.set_article_state(aid, story_id=sid)
        s.put_story(sid, story_doc(sid, [{"id": aid, "outlet": "Alpha News", "title": title,
                                          "published": "2022-01-02T09:00:00+00:00", "role": "original"}]))
        ids[sid] = aid
    with TestClient(create_app(s), base_url="http://localhost", follow_redirects=False) as client:
        yield client, ids
    s.close()


@pytest.mark.parametrize("path", ["/api/stories/{}", "/stories/{}", "/api/stories/{}/articles.csv", "/api/stories/{}/claims.json"])
def test_a_unique_story_prefix_redirects_to_the_whole_id_keeping_the_query(served, path):
    client, _ = served
    r = client.get(path.format(ALONE[:6]) + "?lang=en")
    assert r.status_code == 307
    assert r.headers["location"] == path.format(ALONE) + "?lang=en"
    followed = client.get(r.headers["location"])
    assert followed.status_code == 200
    if path == "/api/stories/{}":
        assert followed.json()["id"] == ALONE and followed.json()["headline"] == "Floods in Wroclaw"


def test_a_unique_article_prefix_redirects_on_the_page_and_the_api(served):
    client, ids = served
    aid = ids[ALONE]
    for base in ("/api/articles/", "/articles/"):
        r = client.get(base + aid[:7])
        assert (r.status_code, r.headers["location"]) == (307, base + aid)
    assert client.get("/api/articles/" + aid[:7], follow_redirects=True).json()["title"] == "Floods in Wroclaw"
    page = client.get("/articles/" + aid[:7], headers={"accept": "text/html"}, follow_redirects=True)
    assert page.status_code == 200 and "Floods in Wroclaw" in page.text


def test_an_ambiguous_prefix_is_409_naming_every_candidate(served):
    client, _ = served
    r = client.get("/api/stories/" + TWINS[0][:8])
    assert r.status_code == 409
    assert r.json()["candidates"] == sorted(TWINS)
    assert "ambiguous" in r.json()["message"] and all(t in r.json()["message"] for t in TWINS)
    page = client.get("/stories/" + TWINS[0][:8], headers={"accept": "text/html"})
    assert page.status_code == 409
    for t in TWINS:   # the page links each candidate, so the reader picks one instead of typing more characters
        assert f'href="/stories/{t}"' in page.text


def test_unknown_and_too_short_prefixes_are_404_and_whole_ids_do_not_redirect(served):
    client, ids = served
    assert client.get("/api/stories/s-99").status_code == 404            # starts no id
    assert client.get("/api/stories/s-0").status_code == 404             # shorter than the 4 characters a prefix needs
    assert client.get("/api/articles/" + "f" * 12).json()["message"] == "no article " + repr("f" * 12)
    assert client.get("/api/stories/" + ALONE).status_code == 200
    assert client.get("/articles/" + ids[TWINS[1]], headers={"accept": "text/html"}).status_code == 200
