"""Recycled re-posts whose original is absent: caught by other reports of the same event (the story model), in any ingest order."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from newstrace.ingest import iter_inputs
from newstrace.pipeline import ingest
from newstrace.serve.views import articles_json
from newstrace.store import open_store

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "ecbplus-sample.jsonl"
S = {r["id"]: r for r in map(json.loads, SAMPLE.read_text(encoding="utf-8").splitlines())}
# Topic 12 holds two real events of one kind: the Indian navy catching pirates in the Gulf of Aden in
# December 2008 (ecb) and again in November 2011 (ecbplus).
OLD = ["12_10ecb", "12_11ecb", "12_12ecb", "12_13ecb", "12_14ecb"]
NEW = ["12_10ecbplus", "12_11ecbplus", "12_1ecbplus", "12_2ecbplus", "12_3ecbplus"]


def _record(key: str, outlet: str, published: str, chrome: bool = False, rid: str | None = None) -> dict:
    """A sample article under a claimed date; with `chrome`, re-posted inside another site's page furniture."""
    text = S[key]["text"]
    if chrome:
        text = "\n\n".join([outlet, "Home | World | Sport | Newsletter", text, "Related Articles",
                            "Celebrity chef opens new restaurant\nStocks close higher on Friday", "×"])
    return {"id": rid or key, "url": None if chrome else S[key].get("url"), "outlet": outlet, "title": S[key]["title"],
            "published": published, "text": text}


def _ingest(tmp_path: Path, batches: list[list[dict]]) -> dict[str, dict]:
    store = open_store(str(tmp_path / "s.db"))
    for n, recs in enumerate(batches):
        p = tmp_path / f"batch{n}.jsonl"
        p.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
        ingest(iter_inputs([str(p)]), store)
    out = {a["external_id"]: a for a in articles_json(store)}
    store.close()
    return out


def test_repost_without_original_is_flagged_beside_a_similar_event_near_its_date(tmp_path):
    # Four reports of the 2008 capture; a fifth 2008 report re-posted in 2011, two months before the
    # 2011 capture (same navy, same gulf, same kind of event), with its original nowhere in the store.
    old = [_record(k, f"old{i}.example", f"2008-12-1{3 + i % 2}T10:00:00+00:00") for i, k in enumerate(OLD) if k != "12_12ecb"]
    new = [_record(k, f"new{i}.example", f"2011-11-1{1 + i % 2}T10:00:00+00:00") for i, k in enumerate(NEW)]
    repost = _record("12_12ecb", "Harbor Ledger", "2011-09-20T08:00:00+00:00", chrome=True, rid="repost")
    arts = _ingest(tmp_path, [old + new + [repost]])
    v = arts["repost"]["recycled"]
    assert v["is_recycled"], v["reason"]
    assert v["claimed"] == "2011-09-20" and v["evidence_date"].startswith("2008-12")
    assert [e["kind"] for e in v["evidence"]] == ["story"]         # no copy and no old date in its text: the story model
    assert arts["repost"]["duplicate_of"] is None
    # The genuine reports of both events keep their dates.
    assert not any(arts[k]["recycled"]["is_recycled"] for k in OLD + NEW if k in arts), \
        [(k, arts[k]["recycled"]["reason"]) for k in arts if k != "repost" and arts[k]["recycled"]["is_recycled"]]


def test_repost_is_judged_again_when_its_contemporaries_turn_out_to_be_reposts(tmp_path):
    # One batch: a re-post without its original (claimed 2013-05-01), then three re-posts of the same old
    # event whose originals are stored (claimed a few days later). Judged in claim order, the first one
    # sees the others as contemporaries; once they are found to be copies of 2008 reports, it must be
    # judged again and flagged too.
    old = [_record(k, f"old{i}.example", f"2008-12-1{3 + i % 2}T10:00:00+00:00") for i, k in enumerate(OLD) if k != "12_14ecb"]
    reposts = [_record("12_14ecb", "Harbor Ledger", "2013-05-01T08:00:00+00:00", chrome=True, rid="repost-a")]
    reposts += [_record(k, f"Courier {i}", f"2013-05-0{2 + i}T08:00:00+00:00", chrome=True, rid=f"repost-{k}")
                for i, k in enumerate(["12_10ecb", "12_13ecb", "12_11ecb"])]
    arts = _ingest(tmp_path, [old, reposts])
    for k in ("repost-12_10ecb", "repost-12_13ecb", "repost-12_11ecb"):
        assert arts[k]["recycled"]["is_recycled"] and arts[k]["duplicate_of"] is not None
    v = arts["repost-a"]["recycled"]
    assert v["is_recycled"], v["reason"]
    assert v["evidence_date"].startswith("2008-12")


def _story_of_evidence_ok(arts: dict[str, dict], key: str) -> list[str]:
    """Articles a verdict cites that are neither in its story nor verified copies of it (should be none)."""
    by_id = {a["id"]: a for a in arts.values()}
    me = arts[key]
    bad = []
    for e in me["recycled"].get("evidence") or []:
        cited = e.get("article_id")
        if cited is None:
            continue
        other = by_id.get(cited, {})
        copies = {me.get("duplicate_of"), other.get("duplicate_of")}
        if other.get("story_id") != me.get("story_id") and cited not in copies and me["id"] not in copies:
            bad.append(cited)
    return bad


def test_one_outlets_other_story_is_not_evidence(tmp_path):
    # One outlet's two real reports of two different events of one kind: the Indian navy's pirate
    # capture of December 2008 and the one of November 2011. They land in different stories; the 2011
    # report must not be called a re-post "because the outlet reported the same event in 2008"
    # (the Inexhibit FLOS lamp vs Amsterdam Light Festival defect).
    old = _record("12_10ecb", "Inexhibit", "2008-12-13T10:00:00+00:00")
    new = _record("12_1ecbplus", "Inexhibit", "2011-11-11T10:00:00+00:00")
    arts = _ingest(tmp_path, [[old], [new]])
    assert arts["12_1ecbplus"]["story_id"] != arts["12_10ecb"]["story_id"]
    v = arts["12_1ecbplus"]["recycled"]
    assert not v["is_recycled"], v["reason"]
    assert _story_of_evidence_ok(arts, "12_1ecbplus") == []


def test_story_evidence_names_a_story_mate_and_its_passage(tmp_path):
    old = [_record(k, f"old{i}.example", f"2008-12-1{3 + i % 2}T10:00:00+00:00") for i, k in enumerate(OLD) if k != "12_12ecb"]
    repost = _record("12_12ecb", "Harbor Ledger", "2011-09-20T08:00:00+00:00", chrome=True, rid="repost")
    arts = _ingest(tmp_path, [old + [repost]])
    v = arts["repost"]["recycled"]
    assert v["is_recycled"], v["reason"]
    assert _story_of_evidence_ok(arts, "repost") == []
    ev = v["evidence"][0]
    cited = next(a for a in arts.values() if a["id"] == ev["article_id"])
    # the passage is a sentence of the cited earlier report, quoted in the reason
    assert ev["passage"].rstrip(" …")[:120] in S[cited["external_id"]]["text"]
    assert ev["passage"][:40] in v["reason"]


@pytest.mark.parametrize("source", ["25_12ecb", "25_3ecb"])
def test_repost_alone_joins_its_events_story_and_cites_it(tmp_path, source):
    # Real ECB+ dev reports of two events of one kind: the Saints putting Reggie Bush on injured reserve
    # (December 2009) and Pierre Thomas (January 2011). Stored first; then one 2009 report comes back alone,
    # inside another site's chrome, claimed in November 2012, its original nowhere in the store. Stories are
    # placed by claimed date, so on its own it starts a story of its own; it must be found as a re-post of
    # the 2009 event, join that story, and cite a member of it.
    import sys
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from corpus.generate import DEV_DATA
    dev = {r["id"]: r for r in map(json.loads, DEV_DATA.read_text(encoding="utf-8").splitlines())}
    recs = []
    for i, key in enumerate(sorted(k for k in dev if k.startswith("25_") and k != source)):
        day = "2009-12-2%d" % (1 + i % 3) if key.endswith("ecb") else "2011-01-0%d" % (5 + i % 2)
        recs.append({"id": key, "url": None, "outlet": f"outlet{i}.example", "title": dev[key]["title"],
                     "published": f"{day}T10:00:00+00:00", "text": dev[key]["text"]})
    r = dev[source]
    repost = {"id": "repost", "url": None, "outlet": "Harbor Ledger", "title": r["title"], "published": "2012-11-23T08:00:00+00:00",
              "text": "\n\n".join(["Harbor Ledger", "Home | World | Sport | Newsletter", r["text"], "Related Articles",
                                   "Celebrity chef opens new restaurant\nStocks close higher on Friday"])}
    arts = _ingest(tmp_path, [recs, [repost]])
    v = arts["repost"]["recycled"]
    assert v["is_recycled"], v["reason"]
    assert v["evidence_date"].startswith("2009-12"), v["reason"]
    assert [e["kind"] for e in v["evidence"]] == ["story"]
    assert _story_of_evidence_ok(arts, "repost") == []
    old_story = {arts[k]["story_id"] for k in arts if k.endswith("ecb") and k != "repost"}
    assert arts["repost"]["story_id"] in old_story
    assert not any(arts[k]["recycled"]["is_recycled"] for k in arts if k != "repost"), \
        [(k, arts[k]["recycled"]["reason"]) for k in arts if k != "repost" and arts[k]["recycled"]["is_recycled"]]
