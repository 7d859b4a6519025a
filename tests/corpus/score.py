"""Scoring newstrace's copy links and recycled verdicts on a generated corpus against its gold labels."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from .generate import Corpus, Item


def item_key(article: Any) -> str:
    """The corpus key of a stored article: its record id, or the page file's name."""
    if article.external_id:
        return article.external_id
    return Path(article.origin.split("#", 1)[0]).stem


def score(corpus: Corpus, store: Any) -> dict[str, Any]:
    """Recycled precision/recall/F1, false-positive rate among genuine articles, copies linked to their original, false copy links."""
    items = corpus.by_key()
    art_of: dict[str, Any] = {}
    for a in store.articles():
        art_of[item_key(a)] = a
    id_to_key = {a.id: k for k, a in art_of.items()}
    tp = fp = fn = tn = 0
    missing = [k for k in items if k not in art_of]
    errors: list[dict[str, Any]] = []
    copies_ok = copies_total = 0
    false_copy = 0
    outside = 0
    genuine_flagged = genuine_total = 0
    by_kind: dict[str, list[int]] = {}
    for key, it in items.items():
        a = art_of.get(key)
        if a is None:
            continue
        st = store.article_state(a.id)
        rec = (st.get("recycled") or {})
        flagged = bool(rec.get("is_recycled"))
        stats = by_kind.setdefault(f"{it.kind}{'' if it.source_present or not it.source else '-without-original'}", [0, 0])
        stats[1] += 1
        stats[0] += int(flagged == it.expect_recycled)
        if it.expect_recycled:
            tp += flagged
            fn += not flagged
        else:
            fp += flagged
            tn += not flagged
            genuine_total += 1
            genuine_flagged += flagged
        if flagged != it.expect_recycled:
            errors.append({"key": key, "kind": it.kind, "expected_recycled": it.expect_recycled, "reason": rec.get("reason"),
                           "source_present": it.source_present})
        # Evidence may cite only the verdict's own story-mates and verified copies (either way round).
        copies = {l.dst if l.src == a.id else l.src for l in store.links(a.id, kind="copy")} if rec.get("evidence") else set()
        for e in rec.get("evidence") or []:
            cited = e.get("article_id")
            if cited and cited not in copies and store.article_state(cited).get("story_id") != st.get("story_id"):
                outside += 1
                errors.append({"key": key, "kind": it.kind, "evidence_outside_story": id_to_key.get(cited, cited)})
        dup = id_to_key.get(st.get("duplicate_of") or "")
        if it.source and it.source_present:
            copies_total += 1
            ok = dup is not None and (dup == it.source or _same_family(items, dup, it.source))
            copies_ok += ok
            if not ok:
                errors.append({"key": key, "kind": it.kind, "expected_copy_of": it.source, "duplicate_of": dup})
        elif dup is not None:
            other = items.get(dup)
            # Genuine reports of one story may be wire copies of each other; across stories it is always wrong.
            if other is not None and other.story != it.story:
                false_copy += 1
                errors.append({"key": key, "kind": it.kind, "false_copy_of": dup})
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec_ = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec_ / (prec + rec_) if prec + rec_ else 0.0
    return {"items": len(items), "stored": len(art_of), "missing": missing[:20], "n_missing": len(missing),
            "recycled": {"tp": tp, "fp": fp, "fn": fn, "tn": tn, "precision": round(prec, 4), "recall": round(rec_, 4), "f1": round(f1, 4)},
            "false_positive_rate": round(genuine_flagged / genuine_total, 4) if genuine_total else 0.0,
            "copies_linked": {"ok": copies_ok, "total": copies_total, "rate": round(copies_ok / copies_total, 4) if copies_total else 1.0},
            "false_copy_links_across_stories": false_copy,
            "evidence_outside_story": outside,
            "accuracy_by_kind": {k: f"{v[0]}/{v[1]}" for k, v in sorted(by_kind.items())},
            "errors": errors}


def _same_family(items: dict[str, Item], a: str, b: str) -> bool:
    """Both genuine reports of one story (natural wire copies of one another)."""
    ia, ib = items.get(a), items.get(b)
    return bool(ia and ib and ia.kind in ("genuine", "followup") and ib.kind in ("genuine", "followup") and ia.story == ib.story)


__all__ = ["score", "item_key"]
