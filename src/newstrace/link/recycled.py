"""Recycled-article verdicts: is this an old report re-posted under a fresh date? With evidence a person can check.

Three kinds of evidence, each compared with the claimed date:
(a) the article's own words: explicit dates of the events it reports (in its lead, captions,
    title or news sentences) far before the claimed date, while nothing in it pins anything
    near the claimed date — a follow-up that mentions old dates also dates its own news
    ("the 2014 invasion", "a year after the crash", "in 2025") and is not flagged;
(b) the earliest copy of the same text elsewhere in the store, far earlier;
(c) other reports of the same event (the story model, scoring content only): far earlier ones
    match, reports near the claimed date match clearly less, and the text never looks back.
"""
from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

from ..records import Article, Enrichment, MentionedDate, RecycledVerdict, iso
from ..store import Store

GAP = timedelta(days=180)          # how much earlier evidence must be to call a claimed date wrong
RECENT_BACK = timedelta(days=180)  # an explicit date this close to the claimed date shows the text knows its "now"
RECENT_AHEAD = timedelta(days=400)
CLUSTER = timedelta(days=31)
MIN_TEXT_WEIGHT = 3                # one caption, headline or dateline, or three news sentences
EVENT_Z = 0.0                      # story-model log-odds that far earlier reports cover the same event (even odds)
EVENT_MARGIN = 2.0                 # ... and by how much they must beat the reports near the claimed date (log-odds; set on dev topics)
TOP = 3                            # best members of one story side averaged


def _claimed(article: Article) -> date | None:
    return article.published.date() if article.published else None


def _weight(m: MentionedDate) -> int:
    """How much a date counts as the report's own event.

    Captions, headlines and datelines state when the pictured or reported thing happened or was
    written. A full date in a news sentence counts less: house styles write the year only for dates
    outside the current year, so in the body it often marks background (a trial naming the crime's day).
    """
    if m.where in ("caption", "title", "dateline"):
        return 3
    return 2 if m.where == "boilerplate" else 1   # removed lines are read only when caption-like: full sentences


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
    def score(cl: list[MentionedDate]) -> int:
        return sum(_weight(m) for m in cl)

    best = max(clusters, key=lambda cl: (score(cl), cl[-1].start))
    w = score(best)
    if w < MIN_TEXT_WEIGHT:
        return None
    days = [m for m in best if has_day(m)]
    when = max(m.start for m in days) if days else best[-1].start
    cite = max(best, key=lambda m: (_weight(m), has_day(m)))
    where = {"caption": "a photo caption", "boilerplate": "a photo caption", "title": "its headline",
             "dateline": "its dateline"}.get(cite.where, "its text")
    return {"kind": "text", "date": when.isoformat(), "weight": w, "where": where,
            "mentions": [{"text": m.text, "date": m.start.isoformat(), "sentence": m.sentence} for m in best][:6],
            "cite": cite.text, "cite_sentence": cite.sentence}


def _copy_evidence(claimed: date, copies: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The earliest copy of the same text, when far earlier than the claimed date.

    A copy counts at the date it was published (claimed, else first seen), never at a date read
    from its text: the question is when this text first appeared, not when its events happened.
    """
    dated = [(date.fromisoformat(str(c.get("published") or c.get("first_seen"))[:10]), c)
             for c in copies if c.get("published") or c.get("first_seen")]
    if not dated:
        return None
    when, c = min(dated, key=lambda x: x[0])
    if when >= claimed - GAP:
        return None
    return {"kind": "copy", "date": when.isoformat(), "article_id": c.get("id"), "outlet": c.get("outlet"),
            "title": c.get("title"), "score": c.get("score")}


def _content_rep(index: Any, article: Article, enrichment: Enrichment | None) -> Any:
    """The article as the story model sees it, minus every date resolved against its claimed date.

    "On Friday" or "last week" resolve to days near the claimed date, so they would pull a re-post
    toward reports near its false date: the very thing in question. Dates that fix their own year stay.
    """
    from dataclasses import replace
    from ..enrich.dates import is_explicit
    from ..enrich.embed import terms_of
    own = replace(enrichment, dates=[m for m in enrichment.dates if is_explicit(m)]) if enrichment is not None else None
    return index.represent(article, terms_of(article, own), enrichment.embedding if enrichment is not None else None)


def _logit(model: Any, a: Any, b: Any) -> float:
    """The story model's log-odds that a and b report one event (unclipped: probabilities saturate near 1)."""
    import numpy as np
    from .similarity import features
    return float(np.dot(model.weights, features(a, b))) + model.bias


def _event_evidence(store: Store, article: Article, enrichment: Enrichment | None, dates: list[MentionedDate],
                    claimed: date, copy_ids: set[str]) -> dict[str, Any] | None:
    """Far earlier reports of the same event, and none of it near the claimed date.

    Candidates are the members of the article's own story and of the stories the story index
    retrieves for it, split per story into far-earlier members and members near the claimed date.
    Each pair is scored by the story model as if both were published the same day and without the
    article's claim-relative dates, so only content decides. A side of a story scores the mean
    log-odds of its TOP best members (one look-alike is not an event's coverage). The article is old
    news when the best far-earlier side reaches EVENT_Z and beats the best near side by EVENT_MARGIN:
    a genuine report has contemporaries covering the same event, a re-post of an old event does not.
    A text that looks back at that earlier time is a follow-up.
    """
    from ..enrich.dates import is_explicit
    try:
        from dataclasses import replace
        from .stories import StoryIndex, members
        index = StoryIndex(store)
        found = index.rep_of(article.id) if article.id else None
        own_sid = found[0] if found else store.article_state(article.id).get("story_id")
        rep = _content_rep(index, article, enrichment)
        retrieval = found[1] if found is not None else rep
    except Exception:  # the story index is optional evidence: without it there is simply no (c)
        return None
    sids = ([own_sid] if own_sid else []) + [x for x in index.candidates(retrieval, exclude={own_sid} if own_sid else set())]
    sides: dict[tuple[str, str], list[tuple[float, str, date]]] = {}
    for sid in dict.fromkeys(sids):
        for mid, mrep in index.member_reps_shared(sid).items():
            if mid == article.id or mid in copy_ids or mrep.pub_n <= 0:
                continue
            day = date.fromordinal(int(round(mrep.pub_sum / mrep.pub_n)))
            verdict = store.article_state(mid).get("recycled") or {}
            if verdict.get("is_recycled"):
                if not verdict.get("evidence_date"):
                    continue
                day = date.fromisoformat(verdict["evidence_date"][:10])   # a re-post counts at its events' date
            if day < claimed - GAP:
                side = "old"
            elif abs((day - claimed).days) <= GAP.days and not verdict.get("is_recycled"):
                side = "near"
            else:
                continue
            # Scored as if published that day: only the content decides, not the years between.
            z = _logit(index.model, replace(rep, pub_sum=float(day.toordinal()) * rep.size, pub_n=rep.size), mrep)
            sides.setdefault((side, sid), []).append((z, mid, day))

    def strength(xs: list[tuple[float, str, date]]) -> float:
        top = sorted(xs, reverse=True)[:TOP]
        return sum(x[0] for x in top) / len(top)

    olds = [(strength(v), sid, max(v)) for (side, sid), v in sides.items() if side == "old"]
    nears = [strength(v) for (side, _), v in sides.items() if side == "near"]
    if not olds:
        return None
    z_old, sid, (z_best, mid, day) = max(olds, key=lambda x: x[0])
    z_near = max(nears, default=float("-inf"))
    if z_old < EVENT_Z or z_old - z_near < EVENT_MARGIN:
        return None
    mates = [m for m in (store.get_article(x, head=True) for x in members(store, sid)) if m is not None and m.published is not None]
    days = sorted([m.published.date() for m in mates if m.published.date() < claimed - GAP] + [day])
    for m in dates:
        # A follow-up looks back at the earlier time: "last year", "two years ago", "since March 2009". A bare
        # year ("in 2009") is too coarse to say so: an old report names its own year as background too.
        if is_explicit(m) and (m.end - m.start).days > 31:
            continue
        if not m.about and m.start <= days[-1] + GAP and m.end >= days[0] - timedelta(days=31) and m.end < claimed - GAP:
            return None
    match = store.get_article(mid, head=True)
    return {"kind": "story", "date": day.isoformat(), "story_id": sid, "earlier_reports": len(days),
            "article_id": mid, "outlet": match.outlet if match else None, "title": match.title if match else None,
            "period": [days[0].isoformat(), days[-1].isoformat()], "probability": round(_sigmoid(z_best), 3),
            "log_odds_earlier": round(z_old, 2), "log_odds_near": round(z_near, 2) if nears else None}


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))


def judge(store: Store | None, article: Article, enrichment: Enrichment | None, copies_found: list[dict[str, Any]]) -> RecycledVerdict:
    """Whether one article is an old report re-posted under a fresh date."""
    claimed = _claimed(article)
    if claimed is None:
        return RecycledVerdict(is_recycled=False, claimed=None, reason="no claimed publication date to check")
    dates = enrichment.dates if enrichment is not None and enrichment.dates else None
    if dates is None:
        from ..enrich.dates import article_dates
        dates = article_dates(article)
    copy_ids = {c.get("id") for c in copies_found}
    evidence = [e for e in (text_evidence(article, dates), _copy_evidence(claimed, copies_found)) if e is not None]
    if not evidence and store is not None:
        story = _event_evidence(store, article, enrichment, dates, claimed, copy_ids)
        if story is not None:
            evidence.append(story)
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
            n = e["earlier_reports"]
            parts.append(f"{e.get('outlet') or 'another outlet'} reported the same event on {e['date']}"
                         + (f" ({n} reports of that story, {e['period'][0]} to {e['period'][1]})" if n > 1 else ""))
    years = (claimed - min(date.fromisoformat(e["date"]) for e in evidence)).days / 365.25
    gap = f"{years:.1f} years" if years >= 1 else f"{int(years * 12)} months"
    return f"Claimed {claimed.isoformat()}, but " + "; ".join(parts) + f" — {gap} earlier."


def update(store: Store, article_ids: list[str], rounds: int = 3) -> None:
    """Recompute and store the verdict of each article, then of the articles whose evidence those verdicts changed.

    A verdict reads other verdicts: a flagged re-post no longer counts as a contemporary of another
    article, and counts at its events' date. So when a verdict flips, the articles that may have
    counted it are judged again (a few rounds at most; each round only touches their stories).
    """
    todo = list(dict.fromkeys(article_ids))
    for _ in range(rounds):
        flipped = _judge_all(store, todo)
        if not flipped:
            return
        todo = [x for x in _dependents(store, flipped) if x not in flipped]
        if not todo:
            return


def _judge_all(store: Store, article_ids: list[str]) -> list[str]:
    """Judge and store each article; returns the ids whose verdict or evidence date changed."""
    arts = [a for a in (store.get_article(x, head=True) for x in dict.fromkeys(article_ids)) if a is not None]
    # Oldest claim first: evidence always points back in time, so earlier verdicts are settled before later ones read them.
    arts.sort(key=lambda a: (a.published is None, a.published.isoformat() if a.published else "", a.id))
    flipped = []
    for a in arts:
        aid = a.id
        e = store.get_enrichment(aid)
        found = []
        for l in store.links(aid, kind="copy"):
            if l.evidence.get("relation", "copy") != "copy":
                continue
            oid = l.dst if l.src == aid else l.src
            o = store.get_article(oid, head=True)
            if o is None:
                continue
            found.append({"id": oid, "outlet": o.outlet, "title": o.title, "published": iso(o.published),
                          "first_seen": iso(o.first_seen), "score": l.score})
        before = store.article_state(aid).get("recycled") or {}
        verdict = judge(store, a, e, found).to_json()
        store.set_article_state(aid, recycled=verdict)
        if (bool(before.get("is_recycled")), before.get("evidence_date")) != (bool(verdict.get("is_recycled")), verdict.get("evidence_date")):
            flipped.append(aid)
    return flipped


def _dependents(store: Store, flipped: list[str]) -> list[str]:
    """Articles whose story evidence may have counted one of `flipped`: members of its story and of the stories
    the story index retrieves for it, claimed no earlier than GAP before it (earlier ones never read it)."""
    try:
        from .stories import StoryIndex, members
        index = StoryIndex(store)
    except Exception:
        return []
    out: dict[str, None] = {}
    for aid in flipped:
        art = store.get_article(aid, head=True)
        found = index.rep_of(aid)
        if art is None or art.published is None or found is None:
            continue
        sid, rep = found
        for s in dict.fromkeys([sid] + index.candidates(rep, exclude={sid})):
            for mid in members(store, s):
                m = store.get_article(mid, head=True) if mid != aid else None
                if m is not None and m.published is not None and m.published >= art.published - GAP:
                    out[mid] = None
    return list(out)


__all__ = ["judge", "update", "text_evidence"]
