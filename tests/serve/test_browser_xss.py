"""Hostile article text is shown as text on every page and never runs (escaping, and CSP as a second wall)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from newstrace.records import Claim, Mention
from newstrace.store import open_store
from webhelpers import add_article, running_server, story_doc

pytestmark = pytest.mark.browser

SCRIPT = "<script>window.__xss=1;alert(1)</script>"
IMG = '<img src=x onerror="window.__xss=2;alert(2)">'
BREAKOUT = '"></title></script><svg onload="window.__xss=3;alert(3)">'


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    """A store whose every article field carries script payloads, served by `newstrace serve`."""
    db = str(tmp_path_factory.mktemp("xss") / "xss.db")
    s = open_store(db)
    title = f"Drills {SCRIPT} near the border {IMG}"
    body = (f"Officials said {SCRIPT} that 15,000 troops {IMG} were sent.\n\n"
            f"A second paragraph {BREAKOUT} with more text.")
    aid = add_article(s, title=title, text=body, outlet=f"Evil {IMG} Outlet", published="2024-03-01T08:00:00",
                      url="javascript:window.__xss=5;alert(5)", boilerplate=[f"Newsletter {SCRIPT}"],
                      mentions=[Mention(text="15,000 troops", type="QUANTITY", canonical=f"troops {IMG}", start=-1, end=-1)],
                      claims=[Claim(kind="quantity", text=f"that 15,000 troops {IMG} were sent.", fields={"value": SCRIPT})])
    bid = add_article(s, title=f"Copy {BREAKOUT}", text=f"Copied: Officials said {SCRIPT}.", outlet="Plain Outlet",
                      published="2024-03-02T08:00:00")
    s.set_article_state(aid, story_id="s-evil")
    s.set_article_state(bid, story_id="s-evil", duplicate_of=aid,
                        recycled={"is_recycled": True, "claimed": "2024-03-02", "evidence_date": "2020-01-01",
                                  "reason": f"because {SCRIPT}", "evidence": [{"sentence": IMG}]})
    s.put_story("s-evil", story_doc("s-evil", [
        {"id": aid, "outlet": f"Evil {IMG} Outlet", "title": title, "published": "2024-03-01T08:00:00+00:00", "role": "original"},
        {"id": bid, "outlet": "Plain Outlet", "title": f"Copy {BREAKOUT}", "published": "2024-03-02T08:00:00+00:00", "role": "recycled"}],
        places=[{"name": f"Town {SCRIPT}", "lat": 50.0, "lon": 20.0, "country": IMG}],
        entities=[{"name": f"Person {IMG}", "type": "PERSON", "aliases": [SCRIPT]}],
        claims=[{"kind": "quote", "text": f"quote {SCRIPT}", "status": "conflicting", "speaker": IMG, "words": BREAKOUT,
                 "sources": [{"outlet": IMG, "article_id": aid, "sentence": SCRIPT}]}]))
    s.close()
    with running_server(db) as base:
        yield base, aid, bid


def _assert_inert(watched, *texts: str) -> None:
    page = watched.page
    page.wait_for_timeout(300)  # give any injected handler (onerror, onload) time to fire
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert watched.dialogs == []
    assert page.locator("img[src=x], svg[onload]").count() == 0
    # The CSP never had to block anything: a violation would mean some markup was injected.
    assert watched.problems == [], watched.problems
    body = page.locator("body").inner_text()
    for t in texts:
        assert t in body


def test_payloads_are_text_on_every_page(watched, hostile_server):
    """Stories, story, both article pages, the articles list, an outlet page and the check result show the payloads literally; nothing executes."""
    base, aid, bid = hostile_server
    page = watched.page
    page.goto(base + "/")
    expect(page.locator("li.story-item")).to_have_count(1)
    _assert_inert(watched, SCRIPT, IMG)
    page.goto(base + "/?q=Officials")
    _assert_inert(watched, SCRIPT)
    page.goto(base + "/stories/s-evil")
    expect(page.locator("#map[data-rendered='1']")).to_have_count(1)
    _assert_inert(watched, SCRIPT, IMG, BREAKOUT)
    assert page.locator("#map text.place-label").text_content() == f"Town {SCRIPT}"
    page.goto(base + f"/articles/{aid}")
    page.locator("#boilerplate summary").click()
    _assert_inert(watched, SCRIPT, IMG, BREAKOUT, "javascript:window.__xss=5;alert(5)")
    assert page.locator("a[href^='javascript']").count() == 0
    page.goto(base + f"/articles/{bid}")
    _assert_inert(watched, BREAKOUT, f"because {SCRIPT}")
    page.goto(base + "/articles?q=Officials")
    expect(page.locator("svg#volume[data-rendered='1']")).to_have_count(1)
    _assert_inert(watched, SCRIPT, IMG, f"Evil {IMG} Outlet")
    page.goto(base + "/outlets")
    page.locator("#outlets a.outlet-link", has_text="Evil").click()
    expect(page.locator("#outlet-name")).to_have_text(f"Evil {IMG} Outlet")
    page.locator("#copied-by summary").click()
    _assert_inert(watched, IMG, f"Copy {BREAKOUT}")
    page.goto(base + "/check")
    page.fill("textarea[name=text]", f"{SCRIPT}\n\nSomething happened {IMG} in a town on Monday, officials said.")
    page.fill("input[name=title]", f"Title {BREAKOUT}")
    with page.expect_navigation(timeout=180_000):  # the first check may still be loading the language models
        page.click("#check-form button[type=submit]", timeout=180_000)
    expect(page.locator("#check-results")).to_be_visible()
    _assert_inert(watched, f"Title {BREAKOUT}")


def test_csp_blocks_inline_script_even_if_markup_got_in(watched, hostile_server):
    """The policy itself forbids inline script: a script injected into the live page does not run."""
    base, _, _ = hostile_server
    page = watched.page
    resp = page.goto(base + "/")
    csp = resp.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.__xss = 9';
                             document.body.appendChild(s); }""")
    page.wait_for_timeout(200)
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert any("Content Security Policy" in p for p in watched.problems)
