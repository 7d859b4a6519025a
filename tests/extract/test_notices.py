"""A bot check, a paywall or a login wall in place of the article is refused with its reason, not stored as news."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newstrace.cli import app
from newstrace.extract.notice import access_notice

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "notices"
NOTICES = json.loads((FIX / "notices.json").read_text(encoding="utf-8"))
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("rec", NOTICES, ids=[r["id"] for r in NOTICES])
def test_real_notices_are_recognised_with_their_kind(rec):
    kind = access_notice(rec["text"].partition("\n")[2] if "\n" in rec["text"][:200] else rec["text"])
    assert kind is not None
    expected = "bot check" if "bot check" in rec["what"] else "paywall or login wall"
    assert kind.startswith(expected), kind


@pytest.mark.parametrize("text", [
    # an article about the notices themselves, and short news that name an IP address or cookies once
    "Regulators in Brussels said on Monday that news sites may no longer make readers accept tracking cookies "
    "before they can read an article. Publishers answered that paywalls and login walls pay for journalism; "
    "one editor said: 'If you want to read on, subscribe to continue reading, as readers have always paid.' "
    "The rules take effect next year, after a consultation with the industry. " * 3,
    "Police traced the attack to an IP address in Lagos and arrested two men on Friday, the ministry said.",
    "The bakery on Main Street reopened on Saturday; the owners said they use cookies from an old family recipe.",
])
def test_articles_that_mention_such_words_are_not_notices(text):
    assert access_notice(text) is None


def test_ingest_quarantines_notices_with_their_reason_and_stores_the_article(tmp_path):
    """Three pages of one site behind its bot check (the same notice under three URLs) and one real report: before,
    the three notices were stored as articles, copies of one another in one story."""
    pl = next(r["text"] for r in NOTICES if r["id"] == "1483896180")
    d = tmp_path / "crawl"
    d.mkdir()
    for i in range(3):
        (d / f"blocked-{i}.html").write_text(
            f"<html><head><title>Wiadomości {i}</title><link rel='canonical' href='https://www.example.pl/news/{i}'></head>"
            f"<body>{''.join(f'<p>{p}</p>' for p in pl.split(chr(10)) if p.strip())}</body></html>", encoding="utf-8")
    (d / "report.txt").write_text((ROOT / "examples" / "seeds" / "000_0551815b77612936.txt").read_text(encoding="utf-8"),
                                  encoding="utf-8")
    db = str(tmp_path / "n.db")
    runner = CliRunner()
    r = runner.invoke(app, ["ingest", str(d), "--db", db])
    assert r.exit_code == 3, r.output          # some stored, some quarantined
    assert "bot check" in r.output
    q = json.loads(runner.invoke(app, ["quarantine", "--json", "--db", db]).output)
    assert len(q) == 3 and all("bot check" in x["reason"] and "not the article" in x["reason"] for x in q)
    assert sorted(Path(x["origin"]).name for x in q) == ["blocked-0.html", "blocked-1.html", "blocked-2.html"]
    arts = json.loads(runner.invoke(app, ["articles", "--json", "--db", db]).output)
    assert [Path(a["origin"]).name for a in arts] == ["report.txt"]
    # the same input again changes nothing
    runner.invoke(app, ["ingest", str(d), "--db", db])
    assert len(json.loads(runner.invoke(app, ["quarantine", "--json", "--db", db]).output)) == 3
    assert len(json.loads(runner.invoke(app, ["articles", "--json", "--db", db]).output)) == 1


def test_a_jsonl_record_is_the_callers_article_and_is_kept():
    """A record given as JSONL is the caller's article (a corpus, an export), stored as given even when its text
    reads as a notice: the notice check is for pages newstrace fetched or read."""
    from datetime import datetime, timezone
    from newstrace.extract import extract_document
    from newstrace.records import RawDocument
    text = next(r["text"] for r in NOTICES if r["id"] == "1483859003en")
    data = json.dumps({"id": "x", "text": text}).encode()
    raw = RawDocument(id="x", origin="c.jsonl#line=1", data=data, media_type="application/x-article+json",
                      first_seen=datetime(2030, 1, 1, tzinfo=timezone.utc))
    assert extract_document(raw).text.startswith("We are sorry")


def _record(rec: dict):
    from datetime import datetime, timezone
    from newstrace.extract import extract_document
    from newstrace.records import RawDocument
    raw = RawDocument(id="x", origin="crawl.jsonl#line=1", data=json.dumps(rec).encode(), media_type="application/x-article+json",
                      first_seen=datetime(2030, 1, 1, tzinfo=timezone.utc))
    return extract_document(raw)


@pytest.mark.parametrize("rid,headline,notice_start", [
    ("1484087779", "Two hurt in when snowmobile crashed into tree", "You have reached the limit"),
    ("1484228769", "George, Leonard humataw sa Clippers", "Are you sure you want to log out?"),
    ("1483892353", "Ask Amy: Older father hates Granddad assumptions", "We hope you have enjoyed"),
])
def test_a_record_whose_page_ended_in_a_notice_keeps_its_report_and_sets_the_notice_aside(rid, headline, notice_start):
    """Before, the paywall or login wall a crawler copied after the headline was the record's text: every record of that
    site shared it and read as one story (the rated pair 'snowmobile crashes into tree' was kept apart from its twin)."""
    text = next(r["text"] for r in NOTICES if r["id"] == rid)
    art = _record({"id": rid, "text": text})
    assert art.text == headline
    assert len(art.boilerplate) == 1 and art.boilerplate[0].startswith(notice_start)
    # with the headline given apart, the report is its headline and nothing of the notice is lost
    art = _record({"id": rid, "title": headline, "text": text.partition("\n")[2]})
    assert art.title == headline and art.text == headline and art.boilerplate[0].startswith(notice_start)


def test_a_consent_text_after_the_headline_is_set_aside_in_german_too():
    """A real record of the rated pairs (an Austrian site's cookie consent copied under the headline)."""
    text = ("Einigung über erste schwarz-grüne Regierung in Österreich\nOK\n\nWir verwenden auf unserer Webseite Cookies und "
            "pseudonyme Analysetechniken, um unseren Internetauftritt möglichst benutzerfreundlich zu gestalten. Zudem messen und "
            "werten wir die Besuche aus, um unsere Webseite optimal auf Ihre Bedürfnisse anzupassen und um Ihnen auf unserer "
            "Webseite sowie auch auf Webseiten in verbundenen Werbenetzwerken möglichst interessante Angebote anzeigen zu können. "
            "Dafür arbeiten wir mit Partnern und Dienstleistern zusammen, welche die Informationen zu Ihrer Verwendung unserer "
            "Webseite erhalten. Weitere Informationen, auch zur Deaktivierung von Cookies, finden Sie in unseren "
            "Datenschutzhinweisen.\n\nZur Datenschutzerklärung")
    art = _record({"id": "1484158967", "text": text})
    assert "Cookies" not in art.text and "Einigung über erste schwarz-grüne Regierung" in (art.title or "") + art.text
    assert art.boilerplate[0].startswith("Wir verwenden auf unserer Webseite Cookies")


@pytest.mark.parametrize("tail", [
    # news about cookies and paywalls, ending the report: the report is kept whole
    "Regulators in Brussels said on Monday that news sites may no longer make readers accept tracking cookies before "
    "they can read an article. Publishers answered that paywalls pay for journalism.",
    "The bakery on Main Street reopened on Saturday; the owners said they use cookies from an old family recipe.",
])
def test_a_report_ending_with_such_words_keeps_its_text(tail):
    from newstrace.extract.notice import split_notice
    text = "Storm closes schools across the county\n\nSchools stayed shut on Monday after the storm. " + tail
    assert split_notice(text) == (text, "")
    art = _record({"id": "r", "text": text})
    assert art.boilerplate == [] and art.text.endswith(tail)
