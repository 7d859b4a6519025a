"""Every page at desktop (1366 px) and phone (390 px) width in Chromium: no sideways scroll, no console errors,
charts drawn; the pivots (outlet, place, entity links), exports, the ingest form behind the token and /api/docs."""
from __future__ import annotations

import os
import re
import shutil

import httpx
import pytest
from playwright.sync_api import expect

from newstrace.records import Link, Mention
from newstrace.store import open_store
from webhelpers import ROOT, add_article, running_server, story_doc

pytestmark = pytest.mark.browser
TOKEN = "page-test-token"
LONG = "Supercalifragilisticexpialidocious-" * 4  # one unbreakable word: must wrap, not widen the page
TEXT = ("Poland has deployed 15,000 troops to the border with Belarus on Friday, officials in Warsaw said.\n\n"
        f"Defence Minister Mariusz Blaszczak said the fence would be finished by June. {LONG}")
WIDTHS = {"desktop": 1366, "phone": 390}
# Screenshots for the docs: NEWSTRACE_DOCS_SHOTS=1 writes these into docs/ (small: viewport only).
DOC_SHOTS = {("articles", "desktop"): "articles-page.png", ("outlet", "desktop"): "outlet-page.png",
             ("story", "phone"): "story-phone.png"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A small store: one story with an original, a copy and a recycled report (claims, entities, places), 24 fillers."""
    db = str(tmp_path_factory.mktemp("pages") / "pages.db")
    s = open_store(db)
    orig = add_article(s, title="Poland sends troops to the border", text=TEXT, outlet="Warsaw Herald", published="2021-11-12T08:00:00",
                       url="https://warsaw-herald.example/" + "very-long-path-segment-" * 8,
                       mentions=[Mention(text="Mariusz Blaszczak", type="PERSON", canonical="Mariusz Blaszczak", start=-1, end=-1)])
    copy = add_article(s, title="Troops sent to border", text=TEXT + " Copied.", outlet="Copy Daily", published="2021-11-13T08:00:00")
    old = add_article(s, title="Border troops (again)", text="Poland deployed troops to the Belarus border, officials said.",
                      outlet="Recycler News", published="2023-05-02T08:00:00")
    s.set_article_state(orig, story_id="s-main")
    s.set_article_state(copy, story_id="s-main", duplicate_of=orig)
    s.set_article_state(old, story_id="s-main", recycled={"is_recycled": True, "claimed": "2023-05-02", "evidence_date": "2021-11-12",
                                                         "reason": "its text is the 2021 report " + LONG})
    s.add_links([Link(src=copy, dst=orig, kind="copy", score=0.97)])
    s.put_story("s-main", story_doc("s-main", [
        {"id": orig, "outlet": "Warsaw Herald", "title": "Poland sends troops to the border", "published": "2021-11-12T08:00:00+00:00", "role": "original"},
        {"id": copy, "outlet": "Copy Daily", "title": "Troops sent to border", "published": "2021-11-13T08:00:00+00:00", "role": "copy"},
        {"id": old, "outlet": "Recycler News", "title": "Border troops (again)", "published": "2023-05-02T08:00:00+00:00", "role": "recycled"}],
        places=[{"name": "Warsaw", "lat": 52.23, "lon": 21.01, "country": "PL"}, {"name": "Belarus", "lat": 53.7, "lon": 27.9, "country": "BY"}],
        entities=[{"name": "Mariusz Blaszczak", "type": "PERSON", "aliases": ["Blaszczak"]}, {"name": "Poland", "type": "GPE", "aliases": []}],
        claims=[{"kind": "quantity", "text": "troops deployed " + LONG, "status": "conflicting", "number": "15,000", "counted": "troops",
                 "sources": [{"outlet": "Warsaw Herald", "article_id": orig, "sentence": "Poland has deployed 15,000 troops " + LONG, "value": 15000},
                             {"outlet": "Copy Daily", "article_id": copy, "sentence": "10,000 troops", "value": 10000}]},
                {"kind": "quote", "text": "the fence would be finished by June", "status": "single-source", "speaker": "Mariusz Blaszczak",
                 "words": "the fence would be finished by June", "sources": [{"outlet": "Warsaw Herald", "article_id": orig}]}]))
    for i in range(24):
        day = f"2022-{i % 12 + 1:02d}-{i % 27 + 1:02d}T08:00:00"
        aid = add_article(s, title=f"Regional fair {i}", text=f"The regional fair number {i} opened.", outlet=f"Filler Post {i % 3}", published=day)
        s.set_article_state(aid, story_id=f"s-f{i:02d}")
        s.put_story(f"s-f{i:02d}", story_doc(f"s-f{i:02d}", [{"id": aid, "outlet": f"Filler Post {i % 3}", "title": f"Regional fair {i}",
                                                             "published": day + "+00:00", "role": "report"}]))
    s.close()
    with running_server(db, env={"NEWSTRACE_NO_WARMUP": "1", "NEWSTRACE_TOKEN": TOKEN}) as base:
        yield base, orig, copy, old


def _pages(orig: str) -> dict[str, str]:
    return {"stories": "/", "search": '/?q="border"+troops', "articles": "/articles?from=2021-01-01",
            "filtered": "/articles?outlet=filler&recycled=no&copy=no", "outlets": "/outlets", "outlet": "/outlets/Warsaw%20Herald",
            "story": "/stories/s-main", "article": f"/articles/{orig}", "check": "/check", "ingest": "/ingest", "docs": "/api/docs"}


@pytest.mark.parametrize("device", list(WIDTHS))
def test_every_page_fits_the_width_without_errors(browser, site, device, artifacts):
    """No page scrolls sideways at 1366 or 390 px; nothing in the console; tables and charts stay inside the window."""
    base, orig, _, _ = site
    ctx = browser.new_context(viewport={"width": WIDTHS[device], "height": 900})
    page = ctx.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    try:
        for name, path in _pages(orig).items():
            page.goto(base + path)
            if name == "docs":
                expect(page.locator(".swagger-ui .opblock").first).to_be_visible(timeout=20_000)
            if page.locator("svg#volume").count():
                expect(page.locator("svg#volume[data-rendered='1']")).to_have_count(1)
            if name == "story":
                expect(page.locator("#map[data-rendered='1']")).to_have_count(1)
            width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert width[0] <= width[1], f"{name} at {device}: scrollWidth {width[0]} > {width[1]}"
            for sel in ("#sources", "#claims", "#outlets", "svg#volume", "#timeline", "form.filters"):
                loc = page.locator(sel)
                if loc.count() and loc.first.is_visible():
                    box = loc.first.bounding_box()
                    assert box["x"] >= 0 and box["x"] + box["width"] <= width[1] + 0.5, f"{sel} cut off on {name} at {device}"
            if name == "story" and device == "phone":
                page.locator("#sources").scroll_into_view_if_needed()  # the table that used to be cut off
            shot = artifacts / f"page-{name}-{device}.png"
            page.screenshot(path=str(shot))
            if os.environ.get("NEWSTRACE_DOCS_SHOTS") == "1" and (name, device) in DOC_SHOTS:
                shutil.copy(shot, ROOT / "docs" / DOC_SHOTS[(name, device)])
        assert problems == [], problems
    finally:
        ctx.close()


def test_pivots_filter_and_lead_to_outlets(watched, site):
    """Entity, place and outlet links filter the lists; an outlet page shows whom it copies and who copies it."""
    base, orig, copy, _ = site
    page = watched.page
    page.goto(base + "/stories/s-main")
    page.locator("#entities a.entity-link", has_text="Mariusz Blaszczak").click()
    page.wait_for_url(re.compile(r"entity=Mariusz"))
    expect(page.locator("li.story-item")).to_have_count(1)
    page.goto(base + "/stories/s-main")
    page.locator("#places a.place-link", has_text="Belarus").click()
    expect(page.locator("#story-count")).to_contain_text("1 story")
    page.goto(base + "/stories/s-main")
    page.locator("#sources a.outlet-link", has_text="Warsaw Herald").click()
    expect(page.locator("#outlet-name")).to_have_text("Warsaw Herald")
    expect(page.locator("#copied-by")).to_contain_text("Copy Daily")
    expect(page.locator("#article-count")).to_contain_text("1 article")
    page.locator("#copied-by a.outlet-link", has_text="Copy Daily").click()
    expect(page.locator("#copies-from")).to_contain_text("Warsaw Herald")
    page.goto(f"{base}/articles/{orig}")
    page.locator("#article-entities a.entity-link", has_text="Mariusz Blaszczak").click()
    expect(page.locator("li.story-item")).to_have_count(1)
    page.goto(base + "/articles?copy=yes")
    expect(page.locator("li.article-item")).to_have_count(1)
    expect(page.locator("li.article-item")).to_contain_text("Troops sent to border")
    page.goto(base + "/articles?recycled=yes")
    expect(page.locator("li.article-item")).to_have_count(1)
    expect(page.locator("li.article-item .badge.role-recycled")).to_be_visible()
    page.goto(base + '/?q="fence would"')
    expect(page.locator("li.story-item")).to_have_count(1)
    expect(page.locator("select[name=sort]")).to_have_value("relevance")
    assert watched.problems == []


def test_export_links_download_what_the_page_shows(watched, site):
    """The CSV link of a filtered list carries its filters; the story's claims CSV has one row per claim and source."""
    base, _, _, _ = site
    page = watched.page
    page.goto(base + "/articles?outlet=filler+post+1")
    expect(page.locator("#article-count")).to_contain_text("8 articles")
    href = page.locator(".exports a", has_text="CSV").get_attribute("href")
    rows = httpx.get(base + href).text.strip().splitlines()
    assert len(rows) == 1 + 8 and all("Filler Post 1" in r for r in rows[1:])
    page.goto(base + "/stories/s-main")
    href = page.locator("section", has=page.locator("#claims")).locator(".exports a", has_text="CSV").get_attribute("href")
    body = httpx.get(base + href).text
    assert body.count("\r\n") == 1 + 3 and "10,000 troops" in body
    assert watched.problems == []


def test_ingest_form_needs_the_token_and_refuses_private_urls(watched, site):
    """Without the token nothing is stored; a loopback URL is refused; with the token a pasted article is stored and linked."""
    base, _, _, _ = site
    page = watched.page
    page.goto(base + "/ingest")
    page.fill("textarea[name=text]", "The city council of Gdansk approved a new tram line on Tuesday, the mayor said.")
    page.fill("input[name=outlet]", "Gdansk Voice")
    page.fill("input[name=token]", "wrong")
    with page.expect_navigation():
        page.click("#ingest-form button[type=submit]")
    expect(page.locator("#ingest-error")).to_contain_text("token")
    page.fill("input[name=token]", TOKEN)
    page.fill("textarea[name=text]", "")
    page.fill("input[name=url]", "http://127.0.0.1:9/private")
    with page.expect_navigation(timeout=60_000):
        page.click("#ingest-form button[type=submit]")
    expect(page.locator("#ingest-failed")).to_contain_text("127.0.0.1")
    page.fill("input[name=token]", TOKEN)
    page.fill("input[name=url]", "")
    page.fill("textarea[name=text]", "The city council of Gdansk approved a new tram line on Tuesday, the mayor said.")
    page.fill("input[name=outlet]", "Gdansk Voice")
    with page.expect_navigation(timeout=180_000):  # the language models load on the first ingest
        page.click("#ingest-form button[type=submit]", timeout=180_000)
    expect(page.locator("#ingest-added li")).to_have_count(1)
    page.locator("#ingest-added a").click()
    expect(page.locator("#article-text")).to_contain_text("tram line")
    page.goto(base + "/outlets")
    expect(page.locator("#outlets")).to_contain_text("Gdansk Voice")
    # The refused form answered 401, which the browser logs as a failed resource; nothing else may appear.
    assert [p for p in watched.problems if "401" not in p] == []


def test_api_docs_declare_the_token(site):
    """/api/docs is served from /static (no CDN) and the schema names the token as the ingest endpoints' security."""
    base, _, _, _ = site
    html = httpx.get(base + "/api/docs").text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in html and "http" not in re.sub(r'href="/[^"]*"|src="/[^"]*"', "", html).split("<body")[1].split("</header>")[1]
    schema = httpx.get(base + "/api/openapi.json").json()
    assert schema["components"]["securitySchemes"]["bearer"] == {**schema["components"]["securitySchemes"]["bearer"], "type": "http", "scheme": "bearer"}
    assert schema["paths"]["/api/ingest"]["post"]["security"] == [{"bearer": []}, {"tokenHeader": []}]
    assert "security" not in schema["paths"]["/api/stories"]["get"]
