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
         "download": (chrome._DOWNLOAD, chrome._DOWNLOAD_WORDS)}
# lines that match each regex, as pages print them (the docstrings' examples), so that every pair is tested on matches
MATCHES = ["Bei den Verlinkungen handelt es sich um Affiliate Links", "Cet article contient des liens affiliés",
           "We may receive compensation when you click on links to those products", "ADVERTISING DISCLOSURE",
           "Für Käufe über diese Links erhalten wir eine kleine Provision.", "Zum Vergrößern auf das Bild klicken.",
           "Click to enlarge", "Informationsschreiben (PDF, 38 KB)", "PDF | 1,2 MB", "Download (mp3, 12 MB)"]


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
