"""Real pages (trafilatura's evaluation set, see tests/fixtures/extract/README.md) against their gold annotations."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from newstrace.extract import extract_document
from newstrace.ingest import iter_inputs

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "extract"
EXPECTED = json.loads((FIX / "expected.json").read_text(encoding="utf-8"))
norm = lambda s: re.sub(r"\s+", " ", s or "").strip().lower()  # noqa: E731  (the devscore comparison)


def _extract(path: Path):
    [raw] = list(iter_inputs([str(path)]))
    return extract_document(raw)


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_html_page(key):
    exp = EXPECTED[key]
    a = _extract(FIX / "pages" / f"{key}.html.gz")
    assert norm(a.title) == norm(exp["title"])
    assert a.published.date().isoformat() == exp["date"]
    assert a.published.tzinfo is not None and a.published_precision in ("day", "minute")
    assert a.language == exp["language"]
    body = norm(a.text)
    for s in exp["with"]:
        assert norm(s) in body, s
    for s in exp["without"]:
        assert norm(s) not in body, s
    assert a.boilerplate, "what was left out is kept for audit"


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_plain_text_dump_of_the_page(key):
    """The same page copied out of a browser (menus and all): the body still holds the article and no chrome."""
    exp = EXPECTED[key]
    a = _extract(FIX / "pages" / f"{key}.txt")
    assert norm(a.title) == norm(exp["title"])
    assert a.language == exp["language"]
    body = norm(a.text)
    for s in exp["with"]:
        assert norm(s) in body, s
    for s in exp["without"]:
        assert norm(s) not in body, s
    assert len(a.boilerplate) > 5


def test_shipped_text_model_is_small_and_matches_the_features():
    from newstrace.extract.linefeatures import FEATURE_NAMES
    from newstrace.extract.text import MODEL_PATH, load_model
    from newstrace.extract.title import JOINT_FEATURES
    assert MODEL_PATH.stat().st_size < 1_000_000
    model = load_model()
    assert model["features"] == FEATURE_NAMES and len(model["coef"]) == len(FEATURE_NAMES)
    assert model["title"]["features"] == JOINT_FEATURES   # the headline scored paired with its article block
