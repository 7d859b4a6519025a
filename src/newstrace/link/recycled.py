"""Recycled-article verdicts: is this an old report re-posted under a fresh date? With evidence a person can check.

Three kinds of evidence, each compared with the claimed date:
(a) the article's own words: explicit dates of the events it reports (in its lead, captions,
    title or news sentences) far before the claimed date, while nothing in it pins anything
    near the claimed date — a follow-up that mentions old dates also dates its own news
    ("the 2014 invasion", "a year after the crash", "in 2025") and is not flagged;
(b) the earliest copy of the same text elsewhere in the store, far earlier;
(c) the other reports of the same story, most of them far earlier and none independent near
    the claimed date, when the text itself never looks back at that earlier time.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from ..records import Article, Enrichment, MentionedDate, RecycledVerdict, iso
from ..store import Store

GAP = timedelta(days=180)          # how much earlier evidence must be to call a claimed date wrong
RECENT_BACK = timedelta(days=180)  # an explicit date this close to the claimed date shows the text knows its "now"
RECENT_AHEAD = timedelta(days=400)
CLUSTER = timedelta(days=31)
MIN_TEXT_WEIGHT = 2                # e.g. one caption, or the lead plus one more sentence
MIN_OLD_MATES = 2


def _claimed(article: Article) -> date | None:
    return article.published.date() if article.published else None


def _weight(m: MentionedDate, lead_end: int) -> int:
    """How much a date counts as the report's own event: captions and the title most, then the lead."""
    if m.where in ("caption", "title"):
        return 3
    if m.where == "body" and 0 <= m.char < lead_end:
        return 2
    return 1


def text_evidence(article: Article, dates: list[MentionedDate] | None) -> dict[str, Any] | None:
    """Evidence from the text alone that the events reported are far older than the claimed date, or None."""
    from ..enrich.dates import article_dates, has_day, is_explicit
    claimed = _claimed(article)
    if claimed is None:
        return None
    if dates is None:
        dates = article_dates(article)
    explicit = [m for m in dates if is_explicit(m)]
    # The text knows its "now": any explicit date near (or after) the claimed date rules out (a).
    # Removed page chrome is not read here: a copyright line or a menu carries the site's year, not the report's.
    recent = [m for m in explicit if m.where != "boilerplate" and m.end >= claimed - RECENT_BACK and m.start <= claimed + RECENT_AHEAD]
    if recent:
        return None
    paras = article.text.split("\n\n")
    lead_end = len(paras[0]) + 2 + (len(paras[1]) if len(paras) > 1 and len(paras[0]) < 200 else 0)
    old = [m for m in explicit if m.about and (m.end - m.start) <= timedelta(days=31) and m.end < claimed - GAP]
    if not old:
        return None
    old.sort(key=lambda m: m.start)
    clusters: list[list[MentionedDate]] = []
    for m in old:
        if clusters and m.start - clusters[-1][-1].start <= CLUSTER:
            clusters[-1].append(m)
        else:
            clusters.append([m])
    weekdays = {m.text.split()[-1].rstrip("'s").lower() for m in dates
                if m.about and not is_explicit(m) and m.text.split() and m.text.split()[-1].rstrip("'s").lower().endswith("day")}

    def score(cl: list[MentionedDate]) -> int:
        w = sum(_weight(m, lead_end) for m in cl)
        # A day-level date falling on a weekday the text names ("On Friday" … "November 12, 2021" was a Friday) adds one.
        if any(has_day(m) and m.start.strftime("%A").lower() in weekdays for m in cl):
            w += 1
        return w

    best = max(clusters, key=lambda cl: (score(cl), cl[-1].start))
    w = score(best)
    if w < MIN_TEXT_WEIGHT:
        return None
    days = [m for m in best if has_day(m)]
    when = max(m.start for m in days) if days else best[-1].start
    cite = max(best, key=lambda m: (_weight(m, lead_end), has_day(m)))
    where = {"caption": "a photo caption", "boilerplate": "a photo caption", "title": "its headline"}.get(cite.where, "its text")
    return {"kind": "text", "date": when.isoformat(), "weight": w, "where": where,
            "mentions": [{"text": m.text, "date": m.start.isoformat(), "sentence": m.sentence} for m in best][:6],
            "cite": cite.text, "cite_sentence": cite.sentence}


def _copy_evidence(claimed: date, copies: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The earliest copy of the same text, when far earlier than the claimed date."""
    dated = [(date.fromisoformat(c["trusted_date"][:10]), c) for c in copies if c.get("trusted_date")]
    if not dated:
        return None
    when, c = min(dated, key=lambda x: x[0])
    if when >= claimed - GAP:
        return None
    return {"kind": "copy", "date": when.isoformat(), "article_id": c.get("id"), "outlet": c.get("outlet"),
            "title": c.get("title"), "score": c.get("score")}


def _story_evidence(store: Store, article: Article, dates: list[MentionedDate], claimed: date,
                    copy_ids: set[str]) -> dict[str, Any] | None:
    """Story-mates: most reports of the same story far earlier, none independent near the claimed date."""
    sid = store.article_state(article.id).get("story_id") if article.id else None
    if not sid:
        return None
    from . import stories
    old, near = [], []
    for mid in stories.members(store, sid):
        if mid == article.id:
            continue
        mate = store.get_article(mid)
        if mate is None or mate.published is None:
            continue
        d = mate.published.date()
        verdict = store.article_state(mid).get("recycled") or {}
        if verdict.get("is_recycled") and verdict.get("evidence_date"):
            d = date.fromisoformat(verdict["evidence_date"][:10])
        if d < claimed - GAP:
            old.append((d, mate))
        elif abs((d - claimed).days) <= GAP.days and mid not in copy_ids and not verdict.get("is_recycled"):
            near.append(mate)
    if len(old) < MIN_OLD_MATES or len(near) * 3 > len(old):
        return None
    span_start = min(d for d, _ in old)
    span_end = max(d for d, _ in old)
    # A follow-up looks back: any date in its text inside (or just after) the story's earlier period means it knows that time is past.
    for m in dates:
        if m.start <= span_end + GAP and m.end >= span_start - timedelta(days=31) and m.end < claimed - GAP:
            return None
    old.sort(key=lambda x: x[0])
    first_d, first = old[0]
    return {"kind": "story", "date": first_d.isoformat(), "story_id": sid, "earlier_reports": len(old),
            "near_reports": len(near), "article_id": first.id, "outlet": first.outlet, "title": first.title,
            "period": [span_start.isoformat(), span_end.isoformat()]}


def judge(store: Store, article: Article, enrichment: Enrichment | None, copies_found: list[dict[str, Any]]) -> RecycledVerdict:
    """Whether one article is an old report re-posted under a fresh date."""
    claimed = _claimed(article)
    if claimed is None:
        return RecycledVerdict(is_recycled=False, claimed=None, reason="no claimed publication date to check")
    dates = enrichment.dates if enrichment is not None and enrichment.dates else None
    if dates is None:
        from ..enrich.dates import article_dates
        dates = article_dates(article)
    evidence = [e for e in (text_evidence(article, dates), _copy_evidence(claimed, copies_found),
                            _story_evidence(store, article, dates, claimed, {c.get("id") for c in copies_found}))
                if e is not None]
    if not evidence:
        return RecycledVerdict(is_recycled=False, claimed=claimed.isoformat(), evidence_date=None,
                               reason=f"nothing points to events well before the claimed date {claimed.isoformat()}")
    # The earliest trustworthy evidence dates the report; the reason cites the strongest kind first.
    when = min(date.fromisoformat(e["date"]) for e in evidence)
    return RecycledVerdict(is_recycled=True, claimed=claimed.isoformat(), evidence_date=when.isoformat(),
                           reason=_reason(claimed, evidence), evidence=evidence)


def _reason(claimed: date, evidence: list[dict[str, Any]]) -> str:
    """One sentence citing the evidence."""
    parts = []
    for e in evidence:
        if e["kind"] == "text":
            parts.append(f"{e['where']} dates its events to {e['cite']} ({e['date']})")
        elif e["kind"] == "copy":
            parts.append(f"the same text was published by {e.get('outlet') or 'another outlet'} on {e['date']}")
        elif e["kind"] == "story":
            parts.append(f"{e['earlier_reports']} other reports of the same story date from {e['period'][0]}"
                         + (f" to {e['period'][1]}" if e['period'][1] != e['period'][0] else "")
                         + f", first by {e.get('outlet') or 'another outlet'}")
    years = (claimed - min(date.fromisoformat(e["date"]) for e in evidence)).days / 365.25
    gap = f"{years:.1f} years" if years >= 1 else f"{int(years * 12)} months"
    return f"Claimed {claimed.isoformat()}, but " + "; ".join(parts) + f" — {gap} earlier."


def update(store: Store, article_ids: list[str]) -> None:
    """Recompute and store the verdict of each article (copies from the stored copy links)."""
    from .provenance import trusted_date
    for aid in article_ids:
        a = store.get_article(aid)
        if a is None:
            continue
        e = store.get_enrichment(aid)
        found = []
        for l in store.links(aid, kind="copy"):
            if l.evidence.get("relation", "copy") != "copy":
                continue
            oid = l.dst if l.src == aid else l.src
            o = store.get_article(oid)
            if o is None:
                continue
            when, _ = trusted_date(o, store.get_enrichment(oid), store.article_state(oid))
            found.append({"id": oid, "outlet": o.outlet, "title": o.title, "published": iso(o.published),
                          "trusted_date": iso(when.date()) if when else None, "score": l.score})
        store.set_article_state(aid, recycled=judge(store, a, e, found).to_json())


__all__ = ["judge", "update", "text_evidence"]
