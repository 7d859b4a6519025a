"""One outlet per site: registrable domains by the Public Suffix List, names from the site's own metadata."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from newstrace.extract import extract_document
from newstrace.extract.outlet import name_from_domain, outlet_name, registrable_domain, site_key
from newstrace.ingest import iter_inputs
from newstrace.records import RawDocument, content_id

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "extract" / "pages"


@pytest.mark.parametrize("key,outlet", [
    ("d086", "Talent"),                      # was its headline, "Protokoll der Vorstandssitzung vom 10. Oktober 2019"
    ("d058", "Leichtathletik Ostalbkreis"),  # was "Ergebnisse: RM Schülerinnen A, Aalen-Unterkochen, 19.5.2007"
    ("d171", "Deutsche Handwerks Zeitung"),  # was "dhz.net", another site's domain given as og:site_name
    ("d031", "Die Tagespost"),               # was "die-tagespost.de": the part of "Die Tagespost | …" that spells the site
])
def test_outlet_of_real_pages(key, outlet):
    [raw] = list(iter_inputs([str(PAGES / f"{key}.html.gz")]))
    assert extract_document(raw).outlet == outlet


@pytest.mark.parametrize("url,domain", [
    ("https://hosted.ap.org/article/x", "ap.org"),
    ("https://www.bbc.co.uk/news/x", "bbc.co.uk"),
    ("https://foo.blogspot.com/2020/01/x.html", "foo.blogspot.com"),   # a private suffix: each blog is a site
    ("https://web.archive.org/web/20131110121040/http://www.peptalks.de/x/", "peptalks.de"),
    ("http://localhost/x", None),
])
def test_registrable_domain_by_public_suffix_list(url, domain):
    assert registrable_domain(url) == domain


def test_one_name_per_site_from_the_sites_own_metadata():
    # "@politifact" (a handle) and "PolitiFact" (the site's name) on two pages of one site
    assert outlet_name("https://www.politifact.com/a", ["PolitiFact"]) == "PolitiFact"
    # the partner's name on a syndicated copy whose URL is the original's
    assert outlet_name("https://www.nbcnews.com/news/x", ["MSN"], ["https://www.msn.com/en-us/news/x"]) == "NBC News"
    # a site name listing sections: the part that spells the site
    assert outlet_name("https://www.autoracing1.com/pl/1/x.asp", ["Autoracing | F1 | Indy | NASCAR"]) == "Autoracing"
    # no metadata at all: spelled out of the registrable domain, not the subdomain ("Hosted")
    assert outlet_name("https://hosted.ap.org/article/x", []) == "AP"
    assert [name_from_domain(d) for d in ("nbcnews.com", "nydailynews.com", "usatoday.com", "der-erfolg-gibt-recht.de")] \
        == ["NBC News", "NY Daily News", "USA Today", "Der Erfolg Gibt Recht"]
    # blogs on a shared platform are keyed by their host
    assert site_key("https://zulang.wordpress.com/2015/x", "too long; didn't read") == "zulang.wordpress.com"
    assert site_key("https://www.tagesschau.de/x", "tagesschau.de") == "tagesschau.de"


def test_jsonl_record_with_a_url_gets_its_outlet():
    # an ECB+ record (real URL and opening): no outlet field, so the outlet comes from the URL's site
    rec = {"id": "1_11ecbplus", "url": "http://www.nydailynews.com/entertainment/gossip/lindsay-lohan-checks-newport-beach-rehab-article-1.1333220",
           "title": "Lindsay Lohan checks into rehab at Betty Ford Center, rehires longtime lawyer Shawn Holley",
           "text": "Actress Lindsay Lohan finally checked into court - mandated rehab at the Betty Ford Center late Thursday, "
                   "after hiring former lawyer Shawn Holley for help."}
    data = json.dumps(rec).encode()
    raw = RawDocument(id=content_id(data), origin="ecb.jsonl#line=1", data=data, media_type="application/x-article+json",
                      first_seen=datetime(2026, 1, 1, tzinfo=timezone.utc))
    assert extract_document(raw).outlet == "NY Daily News"
