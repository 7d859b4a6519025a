"""Bylines a reader can cite: real pages (tests/fixtures/extract) and bylines seen on real pages (issue 23)."""
from __future__ import annotations

from pathlib import Path

import pytest

from newstrace.extract import extract_document
from newstrace.extract.byline import clean_authors, site_keys
from newstrace.ingest import iter_inputs

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "extract" / "pages"


def _extract(name: str):
    [raw] = list(iter_inputs([str(PAGES / name)]))
    return extract_document(raw)


@pytest.mark.parametrize("key,author", [
    ("d031", "Christoph von Ritter"),   # was "Die Tagespost; Christoph von Ritter": the publisher is not an author
    ("d146", "Adriano Fernandes"),      # was "Campo Grande News; Adriano Fernandes"
    ("d049", "lupa"),                   # a forum user name as the page prints it (was "Lupa")
    ("d264", None),                     # was "Art Edwards says": a commenter's signature is no byline
    ("d289", None),                     # was "Flappy Bird": words of the text taken for a name
])
def test_bylines_of_real_pages(key, author):
    assert _extract(f"{key}.html.gz").author == author


@pytest.mark.parametrize("found,meta,sites,expected", [
    ("Phil Helsel is a reporter", None, ("NBC News", "nbcnews.com"), "Phil Helsel"),
    ("Mike Wuerthele; Malcolm Owen Monday; November", None, ("AppleInsider",), "Mike Wuerthele; Malcolm Owen"),
    ("Carrie Arnold November", None, ("Undark",), "Carrie Arnold"),
    ("Sara Zinnecker Stand", None, ("Finanztip",), "Sara Zinnecker"),
    ("Stephangoeldi Said; On August 3", None, (), None),
    ("Facebook Com; Evgenia Karp", "Evgenia Karp", ("1000things",), "Evgenia Karp"),
    ("Tagesschau De", "tagesschau.de", ("tagesschau.de", "tagesschau"), None),
    ("Web Commerce GmbH www w-commerce de", None, ("ekiba.de",), None),
    ("Admin", None, (), None),
    ("Grant Tinsley, PhD", None, (), "Grant Tinsley"),
    ("FOCUS Online; FOCUS-Online-Experte Robin Tschöpe", "FOCUS Online", ("FOCUS Online",), "Robin Tschöpe"),
    ("Rob Picheta, CNN", None, ("CNN",), "Rob Picheta"),
    ("Loïc Le Clerc", None, ("regards.fr",), "Loïc Le Clerc"),
])
def test_byline_cleaning(found, meta, sites, expected):
    assert clean_authors([], found, meta, site_keys(*sites)) == expected


def test_the_people_structured_data_names_win_over_a_corporate_byline():
    # "Condé Nast; Molly Wood" (trafilatura joins the author meta tag, the publisher's name, with the byline)
    assert clean_authors(["Molly Wood"], "Condé Nast; Molly Wood", "Condé Nast", site_keys("WIRED")) == "Molly Wood"
