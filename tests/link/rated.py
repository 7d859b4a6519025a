"""Rated pairs of real news (SemEval-2022 Task 8 dev split, ../shared/data) ingested as devscore.py feeds them."""
from __future__ import annotations

import json
from pathlib import Path

from newstrace.ingest import iter_inputs
from newstrace.pipeline import ingest
from newstrace.store import open_store

PAIRS = Path(__file__).resolve().parents[3] / "shared" / "data" / "semeval8-pairs-dev.jsonl"


def stories_of(pair_ids, directory: Path) -> tuple[dict[str, dict], dict[str, str]]:
    """(the pairs' rows by id, each article's story id by its pair-file id): every side of the pairs ingested as
    devscore.py does (a title line, then the text), all into one store in one run."""
    rows = {r["pair_id"]: r for r in map(json.loads, PAIRS.read_text(encoding="utf-8").splitlines())}
    rows = {k: rows[k] for k in pair_ids}
    feed = directory / "pairs.jsonl"
    with feed.open("w", encoding="utf-8") as f:
        for r in rows.values():
            for k, t in ((r["id1"], r["text1"]), (r["id2"], r["text2"])):
                first, nl, rest = t.strip().partition("\n")
                title, body = (first.strip(), rest.strip()) if nl and 10 <= len(first) <= 200 and rest.strip() else (None, t.strip())
                f.write(json.dumps({"id": k, "title": title, "text": body}, ensure_ascii=False) + "\n")
    with open_store(str(directory / "p.db")) as store:
        ingest(iter_inputs([str(feed)]), store)
        story = {a.external_id: store.article_state(a.id)["story_id"] for a in store.articles()}
    return rows, story
