"""Claimed dates of plain-text pages: candidates from every short line, ranked by the shipped date model."""
from __future__ import annotations

from newstrace.extract.markup import split_lines
from newstrace.extract.options import ExtractOptions
from newstrace.extract.text import extract_text, load_model
from newstrace.extract.textdate import DATE_FEATURES, date_candidates

from test_extract_chrome import HEAD, PARAGRAPHS, TITLE


def _extract(lines: list[str]):
    return extract_text("\n".join(lines) + "\n", "composed.txt", ExtractOptions())


def test_shipped_model_ranks_dates_with_these_features():
    assert load_model()["date"]["features"] == DATE_FEATURES


def test_the_dateline_under_the_headline_beats_comment_and_sidebar_dates():
    comments = ["2 comments", "Anna K. wrote on 9 March 2024, 10:12", "Will the footbridge be free for cyclists?",
                "Tom R. wrote on 11 March 2024, 18:40", "The diversion through the estate is a bad idea."]
    sidebar = ["Archive", "February 2024", "Events", "Bridge open day, 21 September 2023"]
    a = _extract(sidebar + HEAD + [TITLE, "4 March 2024"] + PARAGRAPHS + comments)
    assert a.published.date().isoformat() == "2024-03-04"
    assert "4 March 2024" not in a.text


def test_a_dateline_far_below_a_long_header_is_still_found():
    menu = [f"Section {k}" for k in range(60)]
    a = _extract(menu + [TITLE] + PARAGRAPHS[:2] + ["Published 5 March 2024"] + PARAGRAPHS[2:])
    assert a.published is not None and a.published.date().isoformat() == "2024-03-05"


def test_candidates_come_from_short_lines_only():
    lines = split_lines("\n".join(["12 May 2021", "x " * 100 + "on 3 June 2020 the council met", "Updated 4 June 2021"]))
    assert [(i, dt.date().isoformat()) for i, _, dt in date_candidates(lines, us=False)] == [(0, "2021-05-12"), (2, "2021-06-04")]


def test_a_dateline_opening_the_lead_paragraph_is_a_candidate():
    lead = "4.3.2024 – " + PARAGRAPHS[0]
    a = _extract(HEAD + [TITLE, lead] + PARAGRAPHS[1:])
    assert a.published is not None and a.published.date().isoformat() == "2024-03-04"
    assert PARAGRAPHS[1] in a.text


def test_a_page_date_line_above_an_older_kept_dateline_is_what_the_page_claims():
    # a report re-posted years later: the re-poster's date line, then the original's own dateline kept in the text
    a = _extract(HEAD + ["Monday, Aug 22, 2016", TITLE, "Published: March 4, 2012"] + PARAGRAPHS)
    assert a.published.date().isoformat() == "2016-08-22"
    assert a.text.startswith("Published: March 4, 2012")   # kept as the copied report's own line: evidence of its age


def test_an_update_line_months_later_does_not_replace_the_dateline():
    # less than half a year apart: an ordinary page updated later, its dateline stays the claimed date
    a = _extract(HEAD + ["Updated 20 May 2024", TITLE, "4 March 2024"] + PARAGRAPHS)
    assert a.published.date().isoformat() == "2024-03-04"
    assert "4 March 2024" not in a.text


def test_an_old_date_in_the_sidebar_above_does_not_displace_the_dateline():
    # the newer-date rule reads the page's head only: a sidebar date far above the headline is not the page's date
    sidebar = ["Most read", "Bridge open day, 21 September 2029"] + [f"Section {k}" for k in range(12)]
    a = _extract(sidebar + [TITLE, "4 March 2024"] + PARAGRAPHS)
    assert a.published.date().isoformat() == "2024-03-04"


def test_the_dateline_under_the_byline_beats_teaser_dates_above_the_headline():
    # fundus's n-tv page (text dump): "Von Juliane Rohr" and "28.04.2023, 18:11 Uhr" stand under the headline, teasers
    # dated 25.04.2023 above it; the date ranker fitted before the text dumps' headline and meta-line changes took a teaser's
    # day (tools/train_text_extractor.py --keep-title refits it on the pipeline as it is)
    from pathlib import Path
    unseen = Path(__file__).resolve().parents[1] / "fixtures" / "extract" / "unseen"
    a = extract_text((unseen / "de_NTV_2023_04_28.txt").read_text(encoding="utf-8"), "ntv.txt", ExtractOptions())
    assert a.published.date().isoformat() == "2023-04-28"
