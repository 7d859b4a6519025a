"""Near-duplicates: MinHash/LSH candidates kept in the store, verified by aligned shared passages; provenance of copies."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pytest

from newstrace.link import copies, judge, minhash
from newstrace.pipeline import ingest
from newstrace.ingest import iter_inputs
from newstrace.records import Article, Enrichment

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "ecbplus-sample.jsonl"


def _sample() -> dict[str, dict]:
    return {r["id"]: r for r in map(json.loads, SAMPLE.read_text(encoding="utf-8").splitlines()) if r["text"].strip()}


def _chrome_copy(text: str, outlet: str, keep: float = 1.0, extra: str = "") -> str:
    """The text re-posted by another site: site name and menu around it, the end trimmed, maybe a paragraph added."""
    paras = text.split("\n\n")
    paras = paras[:max(1, round(len(paras) * keep))]
    if extra:
        paras.append(extra)
    return "\n\n".join([outlet, "Home | World | Sport | Newsletter", *paras, "Related Articles",
                        "Celebrity chef opens new restaurant\nStocks close higher on Friday\nWeather: storms expected", "×"])


def _write(tmp_path: Path, name: str, records: list[dict]) -> Path:
    p = tmp_path / name
    p.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return p


def test_trimmed_reheadlined_copy_in_chrome_is_verified_with_passages():
    src = _sample()["19_14ecb"]["text"]
    copy = _chrome_copy(src, "Harbor Ledger", keep=0.7, extra="Readers can follow our live coverage on the website.")
    found = copies.compare(copy, src)
    assert found is not None and found["relation"] == "copy"
    assert found["score"] >= 0.9                      # nearly all of the shorter text is shared
    assert found["passages"] and all(len(p["text"].split()) >= copies.ALIGN_K for p in found["passages"])
    # Every passage is verbatim in both texts (modulo case and punctuation).
    wa, wb = minhash.words(copy), minhash.words(src)
    for p in found["passages"]:
        assert wa[p["a"][0]:p["a"][1]] == wb[p["b"][0]:p["b"][1]]


def test_different_reports_of_one_event_are_not_copies():
    s = _sample()
    # Two real reports of the same event (topic 19, same ECB story) by different outlets.
    assert copies.compare(s["19_14ecb"]["text"], s["19_12ecb"]["text"]) is None or \
        copies.compare(s["19_14ecb"]["text"], s["19_12ecb"]["text"])["relation"] != "copy"
    # The other event of the same topic.
    assert copies.compare(s["19_14ecb"]["text"], s["19_1ecbplus"]["text"]) is None


def test_short_texts_sharing_boilerplate_do_not_collide():
    legal = "Copyright 2013 The Associated Press. All rights reserved. This material may not be published, broadcast, rewritten or redistributed."
    a = "Police arrested a man after a car chase downtown on Friday night. " + legal
    b = "The city council approved the new budget after a long debate. " + legal
    assert copies.compare(a, b) is None
    sig_a, n = minhash.text_signature("Breaking: markets fall")
    assert n == 0 and not minhash.indexable(sig_a)


# A real one-sentence report (ECB+ 26_4ecb, 29 words): shorter than MIN_SHARED.
BRIEF = ("Carabinieri paramilitary police in Palermo said Gaetano Lo Presti, 52, hanged himself in his cell in a "
         "Palermo jail Tuesday evening, hours after he was arrested in the raid.")


def test_short_report_reposted_in_chrome_is_a_copy_of_it():
    assert len(minhash.words(BRIEF)) < copies.MIN_SHARED
    page = _chrome_copy(BRIEF, "Oakridge Courier")
    found = copies.compare(page, BRIEF)
    assert found is not None and found["relation"] == "copy" and found["shared_words"] == len(minhash.words(BRIEF))
    # A lightly edited re-post (one word changed) still is.
    edited = copies.compare(_chrome_copy(BRIEF.replace("Tuesday", "Wednesday"), "Oakridge Courier"), BRIEF)
    assert edited is not None and edited["relation"] == "copy"


def test_unrelated_short_texts_are_not_linked():
    # Two short reports of different events sharing one 14-word sentence: far from all of either.
    common = "Police said the investigation was continuing and asked witnesses to come forward with information."
    a = "A man was arrested in Leeds on Friday after a car was driven into a shop window at night. " + common
    b = "Two teenagers were injured in Cardiff when a firework exploded in a park on Saturday evening. " + common
    assert copies.compare(a, b) is None
    # The brief's two halves swapped: the same words, not the same text in order.
    w = BRIEF.split()
    swapped = " ".join(w[14:] + w[:14])
    found = copies.compare(_chrome_copy(swapped, "Oakridge Courier"), BRIEF)
    assert found is None or found["relation"] != "copy"
    # Too short to tell a report from a stock line, even when contained whole.
    line = "Copyright 2013 The Associated Press. All rights reserved. This material may not be published."
    assert len(minhash.words(line)) < copies.SHORT_MIN
    assert copies.compare(_chrome_copy(line, "Harbor Ledger"), line) is None


def test_short_original_and_its_repost_are_linked_in_the_store(tmp_path):
    from newstrace.store import open_store
    brief = {"id": "brief", "outlet": "ansa.it", "title": "Mafia suspect hangs himself", "published": "2008-12-17T10:00:00Z",
             "text": BRIEF}
    page = {"id": "page", "outlet": "Oakridge Courier", "title": "Mafia boss found hanged", "published": "2008-12-17T15:00:00Z",
            "text": _chrome_copy(BRIEF, "Oakridge Courier")}
    store = open_store(str(tmp_path / "s.db"))
    ingest(iter_inputs([str(_write(tmp_path, "a.jsonl", [brief]))]), store)
    ingest(iter_inputs([str(_write(tmp_path, "b.jsonl", [page]))]), store)
    ids = {a.external_id: a.id for a in store.articles()}
    assert store.article_state(ids["page"])["duplicate_of"] == ids["brief"]
    store.close()


def test_batch_signatures_equal_single_signatures_and_estimate_jaccard():
    h = minhash.hasher()
    texts = [r["text"] for r in _sample().values()][:12]
    sets = [minhash.shingle_hashes(minhash.words(t)) for t in texts] + [np.empty(0, dtype=np.uint64)]
    batch = h.signatures(sets)
    single = np.array([h.signature(s) for s in sets])
    assert (batch == single).all()
    a, b = sets[0], minhash.shingle_hashes(minhash.words(_chrome_copy(texts[0], "X", keep=0.6)))
    exact = len(np.intersect1d(a, b)) / len(np.union1d(a, b))
    assert abs(minhash.estimate_jaccard(h.signature(a), h.signature(b)) - exact) < 0.15


def test_memory_lsh_finds_near_duplicates_among_many():
    rng = np.random.default_rng(3)
    vocab = [f"w{i}" for i in range(3000)]
    docs = [" ".join(rng.choice(vocab, 200)) for _ in range(1500)]
    h = minhash.hasher()
    idx = minhash.MemoryLSH(buffer=256)
    sigs = h.signatures([minhash.shingle_hashes(minhash.words(d)) for d in docs])
    idx.add(minhash.band_keys(sigs))
    near = " ".join(docs[1234].split()[:160]) + " " + " ".join(rng.choice(vocab, 30))
    q = h.signature(minhash.shingle_hashes(minhash.words(near)))
    found = idx.query(minhash.band_keys(q)[0])
    assert 1234 in found.tolist() and len(found) < 10


def _records(tmp_path: Path):
    s = _sample()
    orig = {"id": "orig", "outlet": "nydailynews.com", "title": "Lindsay Lohan checks into Betty Ford",
            "published": "2013-05-03T10:00:00Z", "text": s["1_11ecbplus"]["text"] + "\n\n" + s["1_14ecbplus"]["text"]}
    synd = {"id": "synd", "outlet": "Avon Courier", "title": "Lohan enters rehab at last",
            "published": "2013-05-03T15:00:00Z", "text": _chrome_copy(orig["text"], "Avon Courier", keep=0.8)}
    other = {"id": "other", "outlet": "people.com", "title": "Lohan rehab", "published": "2013-05-03T12:00:00Z",
             "text": s["1_12ecbplus"]["text"]}
    return orig, synd, other


def test_copy_links_duplicate_of_and_incremental_index(tmp_path, any_store):
    orig, synd, other = _records(tmp_path)
    ingest(iter_inputs([str(_write(tmp_path, "a.jsonl", [orig, other]))]), any_store)
    buckets_before = any_store.execute("SELECT key, article_id FROM lsh_buckets").fetchall()
    ingest(iter_inputs([str(_write(tmp_path, "b.jsonl", [synd]))]), any_store)
    buckets_after = any_store.execute("SELECT key, article_id FROM lsh_buckets").fetchall()
    # Adding an article adds its own band rows and leaves every earlier row as it was (no rebuild).
    assert {tuple(r) for r in buckets_before} <= {tuple(r) for r in buckets_after}
    assert len(buckets_after) - len(buckets_before) == minhash.BANDS
    ids = {a.external_id: a.id for a in any_store.articles()}
    assert any_store.article_state(ids["synd"])["duplicate_of"] == ids["orig"]
    assert any_store.article_state(ids["orig"])["duplicate_of"] is None
    assert any_store.article_state(ids["other"])["duplicate_of"] is None
    [link] = [l for l in any_store.links(ids["synd"], kind="copy")]
    assert (link.src, link.dst) == (ids["synd"], ids["orig"])
    assert link.score >= 0.8 and link.evidence["passages"] and link.evidence["shared_words"] >= 100
    roles = copies.roles(any_store, list(ids.values()))
    assert roles[ids["orig"]] == "original" and roles[ids["synd"]] == "copy" and roles[ids["other"]] == "report"
    # Same-day syndication is a copy, not a recycled report.
    assert not any_store.article_state(ids["synd"])["recycled"]["is_recycled"]
    # Re-ingesting the same inputs changes nothing.
    n_links = len(any_store.links(kind="copy"))
    ingest(iter_inputs([str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl")]), any_store)
    assert len(any_store.links(kind="copy")) == n_links
    assert len(any_store.execute("SELECT key FROM lsh_buckets").fetchall()) == len(buckets_after)


def test_original_is_found_whatever_the_ingest_order(tmp_path):
    from newstrace.store import open_store
    orig, synd, _ = _records(tmp_path)
    store = open_store(str(tmp_path / "o.db"))
    ingest(iter_inputs([str(_write(tmp_path, "c.jsonl", [synd]))]), store)
    ingest(iter_inputs([str(_write(tmp_path, "d.jsonl", [orig]))]), store)
    ids = {a.external_id: a.id for a in store.articles()}
    assert store.article_state(ids["synd"])["duplicate_of"] == ids["orig"]
    assert store.article_state(ids["orig"])["duplicate_of"] is None
    [link] = store.links(ids["orig"], kind="copy")
    assert (link.src, link.dst) == (ids["synd"], ids["orig"]) and "earlier" in link.evidence["why_earlier"]
    store.close()


def test_same_day_tie_goes_to_the_outlet_the_copy_names(tmp_path):
    from newstrace.store import open_store
    s = _sample()
    body = s["8_1ecbplus"]["text"]
    wire = {"id": "wire", "outlet": "Gazette Wire", "title": "Bank robbed", "published": "2010-05-05", "text": body}
    relay = {"id": "relay", "outlet": "Lakeside Post", "title": "Bank robbed, Gazette Wire reports", "published": "2010-05-05",
             "text": body + "\n\nThis report was first published by Gazette Wire."}
    store = open_store(str(tmp_path / "t.db"))
    # The relaying copy is ingested first and has the same claimed day: the evidence in its text decides.
    ingest(iter_inputs([str(_write(tmp_path, "r.jsonl", [relay]))]), store)
    ingest(iter_inputs([str(_write(tmp_path, "w.jsonl", [wire]))]), store)
    ids = {a.external_id: a.id for a in store.articles()}
    assert store.article_state(ids["relay"])["duplicate_of"] == ids["wire"]
    store.close()


def test_check_reports_copies_and_the_original_without_storing(tmp_path):
    from newstrace.enrich import enrich_articles
    from newstrace.store import open_store
    orig, synd, other = _records(tmp_path)
    store = open_store(str(tmp_path / "j.db"))
    ingest(iter_inputs([str(_write(tmp_path, "a.jsonl", [orig, other]))]), store)
    n = store.article_count()
    art = Article(id="x" * 32, origin="pasted", title="Lohan in rehab", outlet="Granite Times",
                  text=_chrome_copy(orig["text"], "Granite Times", keep=0.6),
                  published=datetime(2019, 2, 1, tzinfo=timezone.utc))
    result = judge(store, art, enrich_articles([art], with_embeddings=False)[0])
    assert store.article_count() == n
    assert [c["external_id"] for c in result["copies_of"]] == ["orig"]
    assert result["original"]["external_id"] == "orig" and result["copies_of"][0]["passages"]
    assert result["recycled"]["is_recycled"] and result["recycled"]["evidence_date"] == "2013-05-03"
    store.close()


def test_index_built_by_other_parameters_is_rebuilt_not_mixed(tmp_path):
    from newstrace.store import open_store
    orig, synd, other = _records(tmp_path)
    store = open_store(str(tmp_path / "r.db"))
    ingest(iter_inputs([str(_write(tmp_path, "a.jsonl", [orig, other]))]), store)
    before = sorted(tuple(r) for r in store.execute("SELECT key, article_id FROM lsh_buckets").fetchall())
    store.execute("UPDATE lsh_buckets SET key = key + 1")          # as if hashed by another version
    store.set_meta("minhash.params", "num_perm=64;v=0")
    minhash.StoreLSH(store)
    after = sorted(tuple(r) for r in store.execute("SELECT key, article_id FROM lsh_buckets").fetchall())
    assert len(before) == 2 * minhash.BANDS
    assert store.get_meta("minhash.params") == minhash.PARAMS and after == before
    store.close()


def test_repost_in_heavy_chrome_is_linked_to_its_original_not_to_a_page_sharing_its_chrome(tmp_path):
    # One site stores whole pages (menus, teasers of other stories and all). Its re-post of a short report
    # shares more words with the site's other page (the chrome) than with the report it repeats.
    s = _sample()
    teasers = "\n\n".join(s[k]["text"].split("\n\n")[0] for k in ("19_10ecb", "12_11ecb", "8_1ecb", "1_12ecbplus"))
    chrome_top = "Harbor Ledger\n\nHome | World | Sport | Business | Culture | Newsletter | Subscribe"
    chrome_end = "Most read\n\n" + teasers + "\n\n© Harbor Ledger. All rights reserved. Privacy | Cookies | Contact"
    page = lambda body: "\n\n".join([chrome_top, body, chrome_end])
    original = {"id": "original", "outlet": "Wire One", "published": "2013-05-02T08:00:00+00:00", "text": s["1_10ecb"]["text"]}
    sibling = {"id": "sibling", "outlet": "Harbor Ledger", "published": "2013-05-02T10:00:00+00:00", "text": page(s["8_2ecb"]["text"])}
    repost = {"id": "repost", "outlet": "Harbor Ledger", "published": "2013-05-03T09:00:00+00:00", "text": page(s["1_10ecb"]["text"])}
    from newstrace.store import open_store
    store = open_store(str(tmp_path / "c.db"))
    ingest(iter_inputs([str(_write(tmp_path, "a.jsonl", [original, sibling]))]), store)
    ingest(iter_inputs([str(_write(tmp_path, "b.jsonl", [repost]))]), store)
    ids = {a.external_id: a.id for a in store.articles()}
    assert store.article_state(ids["repost"]).get("duplicate_of") == ids["original"]
    store.close()
