"""The analyst's path through the seeds in a real browser: stories → story (outlets, roles, timeline, map, claims) → search."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _open_seed_story(watched, seeds_server):
    page = watched.page
    page.goto(seeds_server + "/")
    items = page.locator("li.story-item")
    expect(items.first).to_be_visible()
    # The seeds are one event reported by two outlets: the story holding both is the one to open.
    story = items.filter(has_text="London Daily").filter(has_text="Moscow Times").first
    expect(story).to_be_visible()
    story.locator("a.headline").click()
    page.wait_for_url(re.compile(r"/stories/"))
    return page


def test_seed_story_in_the_browser(watched, seeds_server, artifacts):
    """Both outlets, London Daily marked recycled, a drawn timeline and map, 15,000 troops corroborated; clean console."""
    page = _open_seed_story(watched, seeds_server)
    sources = page.locator("#sources tbody tr")
    expect(sources.filter(has_text="The Moscow Times")).to_have_count(1)
    london = sources.filter(has_text="London Daily")
    expect(london).to_have_count(1)
    expect(london.locator(".badge.role-recycled")).to_be_visible()
    # Timeline: one mark per dated report; map: countries drawn from the vendored TopoJSON.
    expect(page.locator("#timeline path.mark")).to_have_count(2)
    expect(page.locator("#map[data-rendered='1']")).to_have_count(1)
    assert page.locator("#map path.country").count() > 50
    assert page.locator("#map circle.place").count() >= 1
    troops = page.locator("#claims tbody tr").filter(has_text=re.compile(r"15,?000"))
    expect(troops.first).to_be_visible()
    expect(troops.filter(has=page.locator(".badge.status-corroborated")).first).to_be_visible()
    page.screenshot(path=str(artifacts / "story-page.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 1500})  # charts, sources and the shared claims (for the README)
    page.screenshot(path=str(artifacts / "story-page-top.png"))
    assert watched.problems == [] and watched.dialogs == []


def test_stories_page_and_search(watched, seeds_server, artifacts):
    """The stories page lists the seeds' story with counts and the recycled badge; searching "Grodno" finds it."""
    page = watched.page
    page.goto(seeds_server + "/")
    story = page.locator("li.story-item").filter(has_text="London Daily").filter(has_text="Moscow Times").first
    expect(story).to_contain_text("2 outlets")
    expect(story.locator(".badge.role-recycled")).to_be_visible()
    page.screenshot(path=str(artifacts / "stories-page.png"), full_page=True)
    page.fill("input[name=q]", "Grodno")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"q=Grodno"))
    found = page.locator("li.story-item")
    expect(found.filter(has_text="Moscow Times").first).to_be_visible()
    page.fill("input[name=q]", "zzyzx-no-such-word")
    page.click("form.filters button[type=submit]")
    expect(page.locator("li.story-item")).to_have_count(0)
    assert watched.problems == [] and watched.dialogs == []


def test_article_pages_of_the_seeds(watched, seeds_server, artifacts):
    """Each seed article opens with its text, its verdict and its removed boilerplate; London Daily is recycled."""
    page = _open_seed_story(watched, seeds_server)
    # The title's link (the outlet's link leads to the outlet page).
    page.locator("#sources tbody tr").filter(has_text="London Daily").locator("a[href^='/articles/']").first.click()
    page.wait_for_url(re.compile(r"/articles/"))
    expect(page.locator("#verdict")).to_contain_text("Recycled")
    expect(page.locator("#article-text")).to_contain_text("15,000")
    page.locator("#boilerplate summary").click()
    assert page.locator("#boilerplate li").count() >= 1
    page.screenshot(path=str(artifacts / "article-page.png"), full_page=True)
    assert watched.problems == [] and watched.dialogs == []
