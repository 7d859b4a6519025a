"""Claimed publication times of real pages (tests/fixtures/extract): the page's own stamp, its time and offset kept."""
from __future__ import annotations

from pathlib import Path

import pytest

from newstrace.extract import extract_document
from newstrace.ingest import iter_inputs

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "extract" / "pages"


def _extract(name: str):
    [raw] = list(iter_inputs([str(PAGES / name)]))
    return extract_document(raw)


@pytest.mark.parametrize("key,published,source,precision", [
    # National Geographic UK: datePublished 2020-01-03T09:48:24Z; the date printed by the headline, "Monday,
    # 6 January 2020", is its dateModified: the publication stamp is the claim, with its time
    ("d274", "2020-01-03T09:48:24+00:00", "json-ld", "minute"),
    # HR Journal: JSON-LD, article:published_time and <time itemprop> agree on 2022-12-30 07:00:40+01:00; a
    # "29. Dezember 2022" printed near the headline does not override them (annotators' day: 2022-12-30)
    ("d082", "2022-12-30T07:00:40+01:00", "json-ld", "minute"),
    # Twin Cities: the stamp is 2023-11-09T05:30:59Z and the page prints "November 8, 2023 at 11:30 p.m.":
    # the same instant in the page's local offset, so the day is the local day (annotators' day: 2023-11-08)
    ("d028", "2023-11-08T23:30:59-06:00", "json-ld", "minute"),
    # California Globe: 21:30:04Z beside "August 14, 2020 2:30 pm"
    ("d011", "2020-08-14T14:30:04-07:00", "json-ld", "minute"),
])
def test_publication_stamp_with_time_and_offset(key, published, source, precision):
    a = _extract(f"{key}.html.gz")
    assert a.published.isoformat() == published
    assert (a.published_source, a.published_precision) == (source, precision)
    assert a.to_json()["published"] == published and a.to_json()["published_precision"] == precision


def test_generic_date_meta_without_offset_yields_to_the_printed_date():
    # tagesschau.de: only <meta name="date" content="2020-04-29T11:52:23"> (no offset, no article stamp); the
    # page prints "Stand: 28.04.2020 18:00 Uhr" under the headline (annotators' day: 2020-04-28)
    a = _extract("d150.html.gz")
    assert a.published.date().isoformat() == "2020-04-28"
    assert (a.published_source, a.published_precision) == ("page-text", "day")


def test_an_earlier_date_in_the_url_beats_a_later_cms_stamp():
    # befifty.de/home/2017/7/12/…: every stamp says 2019-06-17 (a later save); the URL was minted on publication
    a = _extract("d043.html.gz")
    assert a.published.date().isoformat() == "2017-07-12"
    assert (a.published_source, a.published_precision) == ("url", "day")
