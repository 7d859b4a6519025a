"""The two seed articles (examples/seeds): what a user of `newstrace extract` relies on for them."""
from __future__ import annotations

from pathlib import Path

import pytest

from newstrace.extract import extract_document
from newstrace.ingest import iter_inputs
from newstrace.records import RawDocument

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "examples" / "seeds"


def _article(name: str):
    [raw] = list(iter_inputs([str(SEEDS / name)]))
    assert isinstance(raw, RawDocument), raw
    return extract_document(raw)


@pytest.fixture(scope="module")
def moscow():
    return _article("000_0551815b77612936.txt")


@pytest.fixture(scope="module")
def london():
    return _article("002_647063108b32c5dd.txt")


def test_moscow_times_metadata(moscow):
    assert moscow.title == "Russian Paratroopers Land in Belarus as Tensions Simmer Over Migrant Crisis"
    assert moscow.outlet == "The Moscow Times"
    assert moscow.url.startswith("https://www.themoscowtimes.com/2021/11/12/")
    assert moscow.published.isoformat()[:10] == "2021-11-12"
    assert moscow.published.utcoffset().total_seconds() == 0
    assert moscow.language == "en"


def test_moscow_times_body_without_caption_related_link_or_trailer(moscow):
    body = moscow.text
    assert "firing range near Grodno" in body
    assert "Europe accuses Lukashenko" in body
    for junk in ("Original url", "Related article", "mil.ru", "themoscowtimes.com", "](", "**", "# "):
        assert junk not in body, junk
    # the photo caption is kept, but apart from the body
    assert any(c.startswith("Russian and Belarusian troops will carry out joint tactical exercises") for c in moscow.captions)
    # markdown links keep their text, lose their URL
    assert "news agencies cited the military" in body


def test_london_daily_metadata(london):
    assert london.outlet == "London Daily"
    assert london.title == "Russia and Belarus hold military drills as migrant crisis on EU border grows"
    assert london.published.isoformat()[:10] == "2025-11-13"
    assert london.published_source == "text-header"


def test_london_daily_body_keeps_every_paragraph_and_no_chrome(london):
    body = london.text
    assert body.startswith("Russia and Belarus flexed their military might")
    assert body.endswith("could swell to 10,000 in the upcoming weeks if the situation isn't resolved.")
    for kept in ("Bruzgi", "'This will not succeed'", "Neighboring Ukraine is also scaling up security",
                 "European Commission President Ursula von der Leyen"):
        assert kept in body, kept
    for junk in ("Focus on the big picture", "Newsletter", "Related Articles", "0:00", "Close", "×",
                 "Jaguar Land Rover", "Tom Cruise", "London Daily"):
        assert junk not in body, junk
    assert body.count("Russia and Belarus hold military drills") == 0   # the headline is the title, not body


def test_london_daily_captions_are_apart(london):
    starts = ("A group of migrants walk along", "Russian President Vladimir Putin (L) and Belarusian leader Alexander Lukashenko",
              "Migrants gather to receive humanitarian aid")
    for s in starts:
        assert any(c.startswith(s) for c in london.captions), s
        assert s not in london.text
    assert len(london.captions) == 3


def test_removed_text_is_kept_for_audit(london):
    assert "Related Articles" in london.boilerplate
    assert any("Tom Cruise" in b for b in london.boilerplate)
