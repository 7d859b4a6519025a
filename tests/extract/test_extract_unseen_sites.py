"""Pages of sites nobody looked at while building newstrace (fundus' parser test pages, see
tests/fixtures/extract/unseen/README.md), against the values fundus' per-site parsers extract."""
from __future__ import annotations

import gzip
import json
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from newstrace.extract import extract_document
from newstrace.records import RawDocument, content_id

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "extract"
EXPECTED = json.loads((FIX / "unseen" / "expected.json").read_text(encoding="utf-8"))
norm = lambda s: re.sub(r"\s+", " ", s or "").strip().lower()  # noqa: E731  (the devscore comparison)


def _extract(key: str):
    data = gzip.decompress((FIX / "unseen" / f"{key}.html.gz").read_bytes())
    raw = RawDocument(id=content_id(data), origin=f"{key}.html", data=data, media_type="text/html",
                      first_seen=datetime(2030, 1, 1, tzinfo=timezone.utc), hints={"url": EXPECTED[key]["url"]})
    return extract_document(raw)


def test_a_page_whose_article_is_data_in_its_scripts_is_read():
    """A Next.js shell: no text in the HTML a reader's browser gets before its scripts run. Before, the page was
    refused ("no article text found") and its title, date and outlet were lost with it."""
    exp = EXPECTED["kr_HankookIlbo_2026_01_29"]
    a = _extract("kr_HankookIlbo_2026_01_29")
    assert norm(a.title) == norm(exp["title"])
    assert a.published.date().isoformat() == exp["publishing_date"][:10]
    assert a.language == "ko"
    assert a.paragraphs[0] == exp["first_paragraph"]          # the lead, not the photo caption above it
    assert "연합뉴스" not in a.paragraphs[0]                    # (the caption's credit)
    assert exp["last_paragraph"] in a.text and a.outlet == "한국일보"


@pytest.mark.parametrize("key", ["kr_HankookIlbo_2026_07_12", "it_Tageszeitung_2025_04_16"])
def test_the_site_name_glued_to_the_declared_title_is_cut(key):
    a = _extract(key)
    assert norm(a.title) == norm(EXPECTED[key]["title"])


@pytest.mark.parametrize("key", ["de_Tagesschau_2023_04_28", "de_StuttgarterZeitung_2025_10_25"])
def test_a_kicker_in_its_own_span_keeps_the_colon_the_declared_title_gives(key):
    a = _extract(key)
    assert a.title == EXPECTED[key]["title"]


def test_a_declared_title_cut_short_yields_to_the_visible_headline():
    """d299 (trafilatura's evaluation set): og:title stops at a quote mark ('… califica a Biden de'), the <h1>
    goes on; the annotators' title is the <h1>."""
    data = gzip.decompress((FIX / "pages" / "d299.html.gz").read_bytes())
    raw = RawDocument(id=content_id(data), origin="d299.html", data=data, media_type="text/html",
                      first_seen=datetime(2030, 1, 1, tzinfo=timezone.utc))
    assert extract_document(raw).title == 'Senador republicano califica a Biden de "incapacitado"'


def test_article_markup_is_found_in_json_ld_and_in_a_script_payload():
    """embedded_paragraphs reads both places a shell page keeps its article; captions and short bits are left out."""
    from lxml import html as lxml_html
    from newstrace.extract.embedded import embedded_paragraphs
    lead = "Die Stadt hat am Montag den neuen Radweg entlang des Flusses eröffnet, nach zwei Jahren Bauzeit."
    rest = "Der Weg verbindet die Altstadt mit dem Bahnhof und ist für Räder und Fußgänger getrennt markiert."
    ld = json.dumps({"@type": "NewsArticle", "articleBody": lead + "\n" + rest})
    page = lxml_html.fromstring(f"<html><head><script type='application/ld+json'>{ld}</script></head><body></body></html>")
    assert embedded_paragraphs(page) == [lead, rest]
    markup = (f'<div class="caption"><p>Der neue Radweg am Fluss. Foto: Stadt</p></div><p class="editor-p">{lead}</p>'
              f'<p>Mehr</p><p>{rest}</p>')
    flight = "self.__next_f.push([1," + json.dumps(json.dumps({"body": markup * 2})) + "])"
    page = lxml_html.fromstring(f"<html><body><div id='root'></div><script>{flight}</script></body></html>")
    assert embedded_paragraphs(page) == [lead, rest, lead, rest]


def test_a_shell_page_with_json_nested_thousands_deep_is_refused_with_a_reason_not_a_crash():
    deep = "[" * 5000 + "]" * 5000
    payload = json.dumps(json.dumps({"body": "<p>" + "x" * 300 + "</p>", "deep": "PLACEHOLDER"})).replace("PLACEHOLDER", deep)
    html = (f"<html><head><script type='application/ld+json'>{deep}</script></head><body><div id='root'></div>"
            f"<script>self.__next_f.push([1,{payload}])</script></body></html>").encode()
    raw = RawDocument(id=content_id(html), origin="deep.html", data=html, media_type="text/html",
                      first_seen=datetime(2030, 1, 1, tzinfo=timezone.utc))
    try:
        a = extract_document(raw)
    except ValueError as e:          # refused with a reason (what the pipeline quarantines)
        assert "no article text" in str(e)
    else:
        assert a.text                # or read: either way, no RecursionError


def test_an_update_notice_by_the_headline_neither_dates_nor_times_the_page():
    """mbl.is prints '11.2.2025 | 23:55 | Uppfært 12.2.2025 7:25' above its headline: the Icelandic update notice
    was read as the printed date nearest the headline, and its clock time turned the JSON-LD stamp (23:55 UTC) into
    07:25 +07:30 on the next day. The notice is an update in any of the languages dates.py reads; the dateline is
    the nearest printed date that is not one."""
    key = "isl_Morgunbladid_2025_04_16"
    a = _extract(key)
    assert a.published == datetime(2025, 2, 11, 23, 55, tzinfo=timezone.utc)
    assert a.published.utcoffset().total_seconds() == 0
    assert a.published_source == "json-ld"


def test_a_company_name_is_not_the_outlet_but_its_words_that_spell_the_site():
    """taz.de names no site, only its company, "TAZ Verlags- und Vertriebs GmbH" (meta copyright, publisher's
    itemprop name), which trafilatura gives as the site name and which was the outlet: who runs the site, not its
    name. The company's leading words that spell the site are."""
    key = "de_Taz_2023_04_28"
    a = _extract(key)
    assert a.outlet == "TAZ"
    assert norm(a.title) == norm(EXPECTED[key]["title"])


def test_a_print_editions_day_by_the_headline_does_not_redate_the_online_publication():
    """junge Welt prints "Ausgabe vom 26.04.2024" by the headline: the day of the newspaper issue. The article went
    online the evening before (JSON-LD datePublished 2024-04-25T19:30:04+02:00), which is its publication; a generic
    date meta of the issue's day had made the edition's day the claim."""
    key = "de_JungeWelt_2024_04_26"
    a = _extract(key)
    assert a.published.isoformat() == "2024-04-25T19:30:04+02:00"
    assert (a.published_source, a.published_precision) == ("json-ld", "minute")


def test_a_page_without_stamps_is_dated_by_the_day_its_title_gives():
    """DW's page has no publication stamp and prints no date by its headline; its <title> ends with the day,
    "… | DW | 28.04.2023". htmldate gave 2023-04-24, from a photo caption ("…, 24. April 2023")."""
    key = "de_DW_2023_04_28"
    a = _extract(key)
    assert a.published.date().isoformat() == EXPECTED[key]["publishing_date"][:10] == "2023-04-28"
    assert (a.published_source, a.published_precision) == ("title", "day")
