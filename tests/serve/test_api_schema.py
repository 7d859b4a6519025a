"""The REST API against its own OpenAPI schema: schemathesis generates requests (bounded) and checks every response."""
from __future__ import annotations

import os
import shutil
import tempfile

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newstrace.serve.web import _warm_up, create_app
from newstrace.store import open_store
from webhelpers import add_article, story_doc


def _store(db: str):
    """A small real SQLite store: two articles of one story."""
    store = open_store(db)
    a = add_article(store, title="Troops deployed", text="Poland has deployed 15,000 troops to the border on Friday.",
                    outlet="Alpha", published="2021-11-12T10:00:00")
    b = add_article(store, title="Troops deployed again", text="Some 15,000 Polish soldiers were deployed.",
                    outlet="Beta", published="2021-11-13T10:00:00")
    for aid in (a, b):
        store.set_article_state(aid, story_id="s-1")
    store.put_story("s-1", story_doc("s-1", [
        {"id": a, "outlet": "Alpha", "title": "Troops deployed", "published": "2021-11-12T10:00:00+00:00", "role": "original"},
        {"id": b, "outlet": "Beta", "title": "Troops deployed again", "published": "2021-11-13T10:00:00+00:00", "role": "copy"}]))
    return store


# schemathesis collects operations at import time, so the app (and its store) exist at import time too.
_DIR = tempfile.mkdtemp(prefix="newstrace-api-")
_STORE = _store(os.path.join(_DIR, "api.db"))
# schemathesis calls the app as "testserver": named as an allowed host, as --allowed-host would.
schema = schemathesis.openapi.from_asgi("/api/openapi.json", create_app(_STORE, allowed_hosts=("testserver",)))


@pytest.fixture(scope="module", autouse=True)
def _warm_and_clean():
    """Load the language models before the first check request, then remove the store."""
    _warm_up()
    yield
    _STORE.close()
    shutil.rmtree(_DIR, ignore_errors=True)


@schema.parametrize()
@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case):
    """Generated requests never crash the server; statuses, content types and bodies match the schema."""
    excluded = []
    if case.method == "POST":
        # The schema cannot say "text an extractor can read" or "a .txt/.html file": a schema-valid
        # but unreadable article is rightly refused (400/415 with the reason), so acceptance is not required.
        excluded.append(schemathesis.checks.positive_data_acceptance)
    case.call_and_validate(excluded_checks=excluded)


# Every numeric query parameter, on the API and the pages: any text at all is a 200 or a 422 naming it, never a 500.
NUMERIC = [(path, name) for path in ("/api/stories", "/api/articles", "/api/quarantine") for name in ("offset", "limit")]
NUMERIC += [(path, "offset") for path in ("/", "/articles", "/outlets/Alpha")]
NUMBER_TEXT = st.one_of(st.integers(-2 ** 80, 2 ** 80).map(str), st.text(max_size=25),
                        st.sampled_from(["9223372036854775808", "-9223372036854775809", "1e3", "0x10", "+5", " 7 ", "",
                                         "NaN", "inf", "10000000", "10000001", "١٢", "0" * 5000]))


@pytest.fixture(scope="module")
def client():
    from starlette.testclient import TestClient
    with TestClient(create_app(_STORE), base_url="http://localhost") as c:
        yield c


@pytest.mark.parametrize("path,name", NUMERIC)
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(value=NUMBER_TEXT)
def test_numeric_parameters_never_crash(client, path, name, value):
    """Hypothesis over the values of each numeric parameter: 200 with the value in range, or 422 naming the parameter."""
    for accept in ("application/json", "text/html"):
        r = client.get(path, params={name: value}, headers={"Accept": accept})
        assert r.status_code in (200, 422), (path, name, value, r.status_code, r.text[:200])
        if r.status_code == 422:
            assert name in (r.json()["message"] if "json" in r.headers["content-type"] else r.text)
        elif path.startswith("/api/"):
            assert 0 <= r.json()[name] <= 10_000_000
