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
    # was its headline, "Protokoll der Vorstandssitzung vom 10. Oktober 2019", then "Talent" (spelled out of the
    # domain): the page prints "© 2020 TALENT Schweiz" and "… – TALENT Schweiz" in its <title>
    ("d086", "TALENT Schweiz"),
    ("d058", "Leichtathletik Ostalbkreis"),  # was "Ergebnisse: RM Schülerinnen A, Aalen-Unterkochen, 19.5.2007"
    ("d171", "Deutsche Handwerks Zeitung"),  # was "dhz.net", another site's domain given as og:site_name
    ("d031", "Die Tagespost"),               # was "die-tagespost.de": the part of "Die Tagespost | …" that spells the site
    # og:site_name is a tagline, "Sauber in die Zukunft" (was the outlet); the copyright line "© Cleanthinking.de - …"
    # spells the site
    ("d008", "Cleanthinking.de"),
    # trafilatura's site name was the author's, "Andreas Jaeck"; "© 1996 - 2022 Internetchemie ChemLin" spells the site
    ("d084", "Internetchemie ChemLin"),
    # a vorangedacht.de page (its pingback endpoint) whose canonical URL is the original on cicero.de: its
    # og:site_name "vorangedacht" names the serving site, not the canonical URL's (was "vorangedacht")
    ("d085", "Cicero"),
    # trafilatura's site name "Dimastersoftware" is the web agency's twitter:site handle (was the outlet);
    # "© 2022 Petri Heil" spells the site
    ("d087", "Petri Heil"),
    # trafilatura's site name "VPFlsh" is the twitter:site handle (was the outlet): named from the domain
    ("d120", "Vipflash"),
    # JSON-LD publisher "Kristen Falc'hon" is the documentary's author (was the outlet); "La voix des nuls | ARTE Radio"
    ("d235", "ARTE Radio"),
    # trafilatura's site name "TNBtweets" is the twitter:site handle (was the outlet); "© THE NERVOUS BREAKDOWN …"
    ("d264", "THE NERVOUS BREAKDOWN"),
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


def test_a_declared_name_that_is_the_author_or_the_urls_section_names_no_site():
    # a personal page whose site name is its author's: the name spelled out of the domain (read without outlets.json,
    # which learned the name the site prints in its copyright line, "Internetchemie ChemLin")
    from newstrace.extract.outlet import outlet_choice
    assert outlet_choice("https://www.internetchemie.info/news/x.php", [], weak=["Andreas Jaeck"],
                         authors=["Andreas Jaeck"], learned=False) == ("Internetchemie", "domain")
    assert outlet_choice("https://www.internetchemie.info/news/x.php", [], weak=["Andreas Jaeck"],
                         learned=False) == ("Andreas Jaeck", "named")
    assert outlet_name("https://www.internetchemie.info/news/x.php", [], weak=["Andreas Jaeck"],
                       authors=["Andreas Jaeck"]) == "Internetchemie ChemLin"
    # nymag.com/intelligencer/…: og:site_name, JSON-LD publisher and application-name all say "Intelligencer",
    # the section the URL's path names
    assert outlet_name("https://nymag.com/intelligencer/2020/05/x.html", ["Intelligencer", "Intelligencer"],
                       weak=["Intelligencer", "Intelligencer"]) == "Nymag"
    # a site name that no part of the URL spells is kept ("Kölner Stadt-Anzeiger" on ksta.de)
    assert outlet_name("https://www.ksta.de/region/x", ["Kölner Stadt-Anzeiger"]) == "Kölner Stadt-Anzeiger"


@pytest.mark.parametrize("line, name", [
    # copyright lines as real pages print them (kaieteurnews.com, giga.de, nachdenkseiten's AussenGedanken, cleanthinking.de)
    ("Copyright 2021 Kaieteur News / All rights reserved | A GxMedia Website Solution.", "Kaieteur News"),
    ("© 1998–2020 GIGA · Alle Rechte vorbehalten.", "GIGA"),
    ("© AussenGedanken - Neben dem, dem, dem, dem, dem und dem ein weiterer Service der NachDenkSeiten.", "AussenGedanken"),
    ("© 2023 Cleanthinking.de - Sauber in die Zukunft", "Cleanthinking.de"),
])
def test_a_text_page_without_url_is_named_by_its_copyright_line_without_its_tagline(line, name):
    from newstrace.extract.markup import split_lines
    from newstrace.extract.outlet import outlet_from_lines
    text = "Headline of the article\n\nThe article's first paragraph, long enough to be a body line of prose.\n\n" + line
    lines = split_lines(text)
    assert outlet_from_lines(lines, 0, 1, None) == (name, None)


def test_a_rights_notice_glued_to_the_site_name_is_no_part_of_it():
    """people.com.cn: trafilatura's site name is its copyright line's "人民网版权所有" ("People's Daily Online, all
    rights reserved")."""
    assert outlet_name("http://politics.people.com.cn/n1/2024/0424/c1024-40222633.html", [], weak=["人民网版权所有"]) == "人民网"
    assert outlet_name("https://www.example-news.com/a", [], weak=["Example News All rights reserved."]) == "Example News"


def test_a_site_address_given_as_its_name_is_the_last_resort():
    """springer.com: d097 (www.springer.com/gp/…) declares og:site_name "www.springer.com", its address as typed; d026
    (link.springer.com/…) prints "… | SpringerLink" in its <title>. The site was named two ways (the address was the
    outlet of d097)."""
    from newstrace.extract.outlet import is_hostname, outlet_choice
    [raw] = list(iter_inputs([str(PAGES / "d097.html.gz")]))
    assert extract_document(raw).outlet == "SpringerLink"   # learned into outlets.json from d026
    [raw] = list(iter_inputs([str(PAGES / "d026.html.gz")]))
    assert extract_document(raw).outlet == "SpringerLink"
    # one page seen, nothing learned: a name the page prints, else the name spelled out of the domain, never the address
    url = "https://www.springer.com/gp/acht-produkte-mit-sustainable-award-in-finance-praemiert/19837156"
    assert outlet_choice(url, ["www.springer.com"], learned=False) == ("Springer", "domain")
    assert outlet_choice(url, ["www.springer.com"], titles=["Acht Produkte | SpringerLink"], learned=False) \
        == ("SpringerLink", "printed")
    assert [is_hostname(n, url) for n in ("www.springer.com", "springer.com", "SpringerLink", "Springer.com")] \
        == [True, True, False, False]
    # a site's address given with its scheme and another suffix (a tafelblog.de page: "http://www.tafelblog.com")
    assert is_hostname("http://www.tafelblog.com", "https://www.tafelblog.de/x")


def test_learn_outlets_learns_a_real_name_over_an_address(tmp_path):
    """tools/learn_outlets.py on the two springer.com pages: the name d026 gives the site ("SpringerLink", the site's
    part of its <title>; its og:site_name is the journal's, "Current Rheumatology Reports"), not d097's address
    (nothing was learned for springer.com)."""
    import subprocess
    import sys
    root = Path(__file__).resolve().parents[2]
    out = tmp_path / "outlets.json"
    subprocess.run([sys.executable, str(root / "tools" / "learn_outlets.py"), str(PAGES / "d026.html.gz"),
                    str(PAGES / "d097.html.gz"), "--out", str(out)], check=True, capture_output=True, timeout=300)
    assert json.loads(out.read_text(encoding="utf-8")) == {"springer.com": "SpringerLink"}
