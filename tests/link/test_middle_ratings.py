"""Rated pairs whose decision the middle ratings changed (SemEval-2022 Task 8 dev split, ../shared/data; issue 22).

tools/learn_story_weights.py once fitted the cross-language and the other-language logistics on the clear pairs only
(overall <= 1.5 or >= 3.5), and threw away the 458 pairs rated in
between. Learned also from those, as soft targets, it keeps two pairs of coronavirus reports of other events apart (in
German and in Turkish), which it merged before: the names and numbers of one topic weigh less once pairs that share the
topic but not quite the event are seen.
Each side is ingested as devscore.py does (title line, then text), all into one store in one run.
"""
from __future__ import annotations

import pytest
from rated import PAIRS, stories_of  # tests/link/rated.py

pytestmark = pytest.mark.skipif(not PAIRS.exists(), reason="needs ../shared/data/semeval8-pairs-dev.jsonl")

APART = {
    "1537006701_1533725092": "de-de: Ronan Keating's coronavirus post angers Singapore / ITB Berlin cancelled over the virus",
    "1563450550_1545340880": "tr-tr: 73 centres in 44 provinces licensed as Covid-19 labs / Turkey's first Covid-19 case",
}


@pytest.fixture(scope="module")
def stories(tmp_path_factory) -> tuple[dict[str, dict], dict[str, str]]:
    return stories_of(APART, tmp_path_factory.mktemp("pairs"))


@pytest.mark.parametrize("pair", sorted(APART))
def test_reports_of_one_topic_and_other_events_stay_apart(stories, pair):
    rows, story = stories
    r = rows[pair]
    assert r["overall"] >= 3.5   # the raters' "different stories"
    assert story[r["id1"]] != story[r["id2"]], APART[pair]
