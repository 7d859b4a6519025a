"""The headline of a plain-text dump (real dev pages, tests/fixtures/extract/pages/*.txt, against their gold titles)."""
from __future__ import annotations

from pathlib import Path

from newstrace.extract.markup import split_lines
from newstrace.extract.options import ExtractOptions
from newstrace.extract.text import extract_text
from newstrace.extract.title import _clean_echo, _name_like

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "extract" / "pages"


def _title(key: str) -> str | None:
    return extract_text((PAGES / f"{key}.txt").read_text(encoding="utf-8"), f"{key}.txt", ExtractOptions()).title


def test_a_headline_ending_in_an_ellipsis_is_not_swapped_for_the_same_teaser_with_the_site_name():
    # d112: the page's title line "Alles Neue mach der Mai… | Bibliothek 2.0 und mehr" stands at the top; the
    # headline itself ends with an ellipsis, which is the author's, not a teaser's cut
    assert _title("d112") == "Alles Neue mach der Mai…"


def test_a_teaser_cut_short_still_yields_to_its_full_line():
    lines = split_lines("Ein sehr langer Titel über etwas …\nanderes\nEin sehr langer Titel über etwas Wichtiges\n")
    assert _clean_echo(lines, [0, 2], 0) == 2
    lines = split_lines("Ein sehr langer Titel über etwas …\nanderes\nEin sehr langer Titel über etwas … | Seitenname\n")
    assert _clean_echo(lines, [0, 2], 0) == 0


def test_the_headline_not_the_byline_of_names_under_it():
    # d134: "Clara Löw, Siddharth Prakash & Klaus Jacob" stands between the headline and the body
    assert _title("d134") == "Warum es ein Ressourcenschutzgesetz braucht"


def test_the_headline_not_the_skip_link_at_the_top_of_the_page():
    # d274: a two-sentence headline (it ends with a period) lost to "Skip to main content"
    assert _title("d274") == "Ravenous wild goats ruled this island for over a century. Now, it's being reborn."


def test_bylines_and_credit_lines_look_like_names_not_headlines():
    assert _name_like("Clara Löw, Siddharth Prakash & Klaus Jacob")
    assert _name_like("Von Roland Brockmann und Sebastian Drescher")
    assert _name_like("Text & Fotos: Ivan Valetny")
    assert not _name_like("Warum es ein Ressourcenschutzgesetz braucht")
    assert not _name_like("Meet Cultural Cultivation Artist Alexandria Douziech")
    assert not _name_like("Habeck, BDI und Gewerkschaft dringen auf raschen Industrie-Strompreis")
