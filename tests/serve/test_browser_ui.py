"""Web UI features in a real browser on a store written through the Store API: filters, paging, highlights, check."""
from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from newstrace.records import Claim, Mention, MentionedDate
from newstrace.store import open_store
from webhelpers import ROOT, add_article, running_server, story_doc

pytestmark = pytest.mark.browser
TEXT = ("Poland has deployed 15,000 troops to the border with Belarus on Friday.\n\n"
        "Defence Minister Mariusz Blaszczak said the fence would be finished by June.")


@pytest.fixture(scope="module")
def ui_server(tmp_path_factory):
    """30 stories (for paging and filters), one of them an original with a copy, served by `newstrace serve`."""
    db = str(tmp_path_factory.mktemp("ui") / "ui.db")
    s = open_store(db)
    orig = add_article(s, title="Poland sends troops to the border", text=TEXT, outlet="Warsaw Herald", published="2021-11-12T08:00:00",
                       boilerplate=["Subscribe to our newsletter", "Related: other stories"],
                       mentions=[Mention(text="Poland", type="GPE", canonical="Poland", start=0, end=6),
                                 Mention(text="Mariusz Blaszczak", type="PERSON", canonical="Mariusz Blaszczak", start=-1, end=-1)],
                       dates=[MentionedDate(text="Friday", start=date(2021, 11, 12), end=date(2021, 11, 12), char=-1)],
                       claims=[Claim(kind="quantity", text="Poland has deployed 15,000 troops to the border with Belarus on Friday.",
                                     fields={"value": 15000})])
    copy = add_article(s, title="Troops sent to border", text=TEXT, outlet="Copy Daily", published="2021-11-13T08:00:00")
    s.set_article_state(orig, story_id="s-main")
    s.set_article_state(copy, story_id="s-main", duplicate_of=orig)
    from newstrace.records import Link
    s.add_links([Link(src=copy, dst=orig, kind="copy", score=0.97)])
    s.put_story("s-main", story_doc("s-main", [
        {"id": orig, "outlet": "Warsaw Herald", "title": "Poland sends troops to the border", "published": "2021-11-12T08:00:00+00:00", "role": "original"},
        {"id": copy, "outlet": "Copy Daily", "title": "Troops sent to border", "published": "2021-11-13T08:00:00+00:00", "role": "copy"}],
        claims=[{"kind": "quantity", "text": "troops deployed", "status": "conflicting", "value": 15000,
                 "sources": [{"outlet": "Warsaw Herald", "article_id": orig, "sentence": "15,000 troops", "value": 15000},
                             {"outlet": "Copy Daily", "article_id": copy, "sentence": "10,000 troops", "value": 10000}]}]))
    for i in range(29):
        aid = add_article(s, title=f"Filler story {i}", text=f"Filler text number {i} about a regional fair.", outlet="Filler Post",
                          published=f"2022-03-{i + 1:02d}T08:00:00")
        s.set_article_state(aid, story_id=f"s-f{i:02d}")
        s.put_story(f"s-f{i:02d}", story_doc(f"s-f{i:02d}", [{"id": aid, "outlet": "Filler Post", "title": f"Filler story {i}",
                                                             "published": f"2022-03-{i + 1:02d}T08:00:00+00:00", "role": "report"}]))
    s.close()
    with running_server(db) as base:
        yield base, orig, copy


def test_filters_and_paging(watched, ui_server):
    """The outlet filter and the date range narrow the list; next/previous pages walk all 30 stories."""
    base, _, _ = ui_server
    page = watched.page
    page.goto(base + "/")
    expect(page.locator("#story-count")).to_contain_text("30 stories")
    expect(page.locator("li.story-item")).to_have_count(20)
    expect(page.locator("li.story-item").first).to_contain_text("conflicting claim")  # largest story first, with its badge
    page.click("a[rel=next]")
    expect(page.locator("li.story-item")).to_have_count(10)
    page.click("a[rel=prev]")
    expect(page.locator("li.story-item")).to_have_count(20)
    page.fill("input[name=outlet]", "copy daily")
    page.click("form.filters button[type=submit]")
    expect(page.locator("li.story-item")).to_have_count(1)
    page.goto(base + "/?from=2022-03-10&to=2022-03-12")
    expect(page.locator("li.story-item")).to_have_count(3)
    page.goto(base + "/?from=not-a-date")
    expect(page.locator("p.note")).to_contain_text("not a date")
    assert watched.problems == []


def test_article_highlights_boilerplate_and_provenance(watched, ui_server):
    """Entities, dates and claims are marked in the text; boilerplate is viewable; the copy links to its original."""
    base, orig, copy = ui_server
    page = watched.page
    page.goto(f"{base}/articles/{orig}")
    text = page.locator("#article-text")
    expect(text.locator("mark.ent", has_text="Poland").first).to_be_visible()
    expect(text.locator("mark.ent", has_text="Mariusz Blaszczak")).to_have_count(1)
    expect(text.locator("mark.date", has_text="Friday")).to_have_attribute("title", "2021-11-12")
    expect(text.locator("span.claim")).to_contain_text("15,000 troops")
    assert text.inner_text().replace("\n", "") == TEXT.replace("\n", "")  # highlighting never changes the text
    expect(page.locator("#boilerplate li", has_text="Subscribe to our newsletter")).to_be_hidden()
    page.locator("#boilerplate summary").click()
    expect(page.locator("#boilerplate li", has_text="Subscribe to our newsletter")).to_be_visible()
    expect(page.locator("#provenance")).to_contain_text("copied by")
    page.goto(f"{base}/articles/{copy}")
    page.locator("#provenance a", has_text="Warsaw Herald").first.click()
    page.wait_for_url(re.compile(orig))
    page.goto(f"{base}/stories/s-main")
    row = page.locator("#claims tbody tr").first
    expect(row.locator(".badge.status-conflicting")).to_be_visible()
    expect(row.locator(".source-sentence")).to_have_count(2)  # the two sources side by side
    assert watched.problems == []


def test_check_page_pasted_and_uploaded(watched, ui_server, tmp_path):
    """Check judges pasted text and an uploaded file (the recycled seed is flagged); wrong files get a clear error; nothing is stored."""
    base, _, _ = ui_server
    page = watched.page
    page.goto(base + "/check")
    page.fill("textarea[name=text]", TEXT)
    page.fill("input[name=outlet]", "Some Blog")
    page.fill("input[name=published]", "2025-01-01")
    with page.expect_navigation(timeout=180_000):  # the first check may still be loading the language models
        page.click("#check-form button[type=submit]", timeout=180_000)
    expect(page.locator("#check-results article.verdict")).to_have_count(1)
    expect(page.locator("#check-results")).to_contain_text("Some Blog · claimed 2025-01-01")
    # The seeds' London Daily page: a 2021 report re-posted under a 2025 date.
    upload = next((ROOT / "examples" / "seeds").glob("002_*.txt"))
    page.goto(base + "/check")
    page.set_input_files("input[name=file]", str(upload))
    with page.expect_navigation(timeout=180_000):
        page.click("#check-form button[type=submit]", timeout=180_000)
    expect(page.locator("#check-results article.verdict.recycled")).to_have_count(1)
    expect(page.locator("#check-results .verdict-line")).to_contain_text("Recycled")
    bad = tmp_path / "program.exe"
    bad.write_bytes(b"MZ\x00\x00binary")
    page.goto(base + "/check")
    page.set_input_files("input[name=file]", str(bad))
    with page.expect_navigation():
        page.click("#check-form button[type=submit]", timeout=180_000)
    expect(page.locator("#check-error")).to_contain_text("unsupported file type")
    page.goto(base + "/")
    expect(page.locator("#story-count")).to_contain_text("30 stories")
    # The refused upload answered 415, which the browser logs as a failed resource; nothing else may appear.
    assert [p for p in watched.problems if "415" not in p] == []
