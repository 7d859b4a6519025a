"""The sample articles whose facts were checked by hand (tests/fixtures/facts/), annotated by the real models."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from newstrace.enrich import nlp
from newstrace.records import Article, Enrichment

ROOT = Path(__file__).resolve().parents[2]
# The hand checks judge entities by these coarse types, not by the models' labels.
COARSE = {"PERSON": "person", "ORG": "organisation", "NORP": "group", "GPE": "place", "LOC": "place", "FAC": "place"}


def checked_sample() -> tuple[dict[str, Any], dict[str, Enrichment]]:
    """(The hand checks by article id, the enrichment of each checked article by id)."""
    fixture = json.loads((ROOT / "tests/fixtures/facts/ecbplus_sample_checked.json").read_text(encoding="utf-8"))["articles"]
    rows = [json.loads(line) for line in (ROOT / "examples/ecbplus-sample.jsonl").read_text(encoding="utf-8").splitlines()]
    rows = [r for r in rows if r["id"] in fixture]
    arts = [Article(id=r["id"], origin=r["id"], title=r.get("title"), text=r["text"]) for r in rows]
    out = [Enrichment(article_id=a.id) for a in arts]
    nlp.annotate(arts, out)
    return fixture, dict(zip([r["id"] for r in rows], out))
