"""chrome.wording_chrome's word tests before its regexes: every match of a regex holds one of the words, on every line
of the real pages in tests/fixtures/extract (so an edit of a regex that the words no longer cover fails here)."""
from __future__ import annotations

import gzip
from pathlib import Path

import lxml.html
import pytest

from newstrace.extract import chrome

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "extract"
PAIRS = {"disclosure": (chrome._DISCLOSURE, chrome._DISCLOSURE_WORDS), "enlarge": (chrome._ENLARGE, chrome._ENLARGE_WORDS),
         "download": (chrome._DOWNLOAD, chrome._DOWNLOAD_WORDS), "source note": (chrome._SOURCE_NOTE, chrome._SOURCE_NOTE_WORDS)}
# lines that match each regex, as pages print them (the docstrings' examples), so that every pair is tested on matches
MATCHES = ["Bei den Verlinkungen handelt es sich um Affiliate Links", "Cet article contient des liens affiliés",
           "We may receive compensation when you click on links to those products", "ADVERTISING DISCLOSURE",
           "Für Käufe über diese Links erhalten wir eine kleine Provision.", "Zum Vergrößern auf das Bild klicken.",
           "Click to enlarge", "Informationsschreiben (PDF, 38 KB)", "PDF | 1,2 MB", "Download (mp3, 12 MB)",
           "This post originally appeared on Grist.", "This article was first published on The Conversation.",
           "Dieser Artikel erschien zuerst bei Krautreporter.", "Der Text ist ursprünglich im Tagesspiegel erschienen.",
           "Cet article a d'abord été publié sur Reporterre.", "Este artículo fue publicado originalmente en El País."]


def _lines() -> list[str]:
    out = list(MATCHES)
    for f in sorted(FIX.glob("*/*")):
        if f.name.endswith(".html.gz"):
            tree = lxml.html.fromstring(gzip.decompress(f.read_bytes()).decode("utf-8", "replace"))
            out += [t for t in tree.itertext() if t.strip()]
        elif f.suffix == ".txt":
            out += f.read_text(encoding="utf-8", errors="replace").splitlines()
    return [" ".join(t.split()).strip("-|–• ") for t in out]


LINES = _lines()


@pytest.mark.parametrize("kind", sorted(PAIRS))
def test_every_match_holds_a_word(kind):
    regex, words = PAIRS[kind]
    matched = [t for t in LINES if regex.search(t)]
    assert matched, kind
    assert [t for t in matched if not any(c in t for c in chrome._ODD_CASE) and not chrome.has_word(t.lower(), words)] == []


def test_letters_lower_case_does_not_give():
    # IGNORECASE matches İ and ı to i, ſ to s: the word test is skipped where a line holds one
    assert chrome.wording_chrome("AFFİLİATE LİNKS: we earn from purchases made through these links.") == "disclosure"
    assert chrome.wording_chrome("Bilder zum vergröſsern") is None
    assert chrome.wording_chrome("Die Karte zeigt den Verlauf der neuen Strecke. Click to enlarge.") == "credit"
    assert chrome._has_source_note("Lead\nThis post orİgİnally appeared on Grist.\nBody")
    assert chrome._has_source_note("Lead\nTHIS ARTICLE WAS FIRST PUBLISHED ON THE CONVERSATION.")
    assert not chrome._has_source_note("This post appeared first on Grist.")


def test_odd_letters_are_the_ones_lower_case_misses():
    """_ODD_CASE holds every character IGNORECASE matches to an ASCII letter where str.lower() gives no ASCII letter,
    and no ASCII letter itself (a plain "K" there took 1,784 of 9,255 paragraphs of the development pages past the
    word tests to the regexes)."""
    import re
    import sys
    every = "".join(chr(i) for i in range(sys.maxunicode + 1) if not 0xD800 <= i <= 0xDFFF)
    missed = {m.group() for a in "abcdefghijklmnopqrstuvwxyz" for m in re.finditer(a, every, re.I) if m.group().lower() != a}
    assert missed >= {"İ", "ı", "ſ"}
    assert missed <= set(chrome._ODD_CASE)
    assert not any(c.isascii() for c in chrome._ODD_CASE)
    assert chrome._has_source_note("Kiel\nThis post originally appeared on Grist.")
