"""Recycled-article verdicts: is this an old report re-posted under a fresh date? With evidence a person can check.

Three kinds of evidence, each compared with the claimed date:
(a) the article's own words: explicit dates of the events it reports (in its lead, captions,
    title or news sentences) far before the claimed date, while nothing in it pins anything
    near the claimed date — a follow-up that mentions old dates also dates its own news
    ("the 2014 invasion", "a year after the crash", "in 2025") and is not flagged;
(b) the earliest verified copy of the same text elsewhere in the store, far earlier;
(c) other reports of the same event in the article's own story (the story model, scoring content
    only): far earlier ones match, reports near the claimed date match clearly less, and the text
    never looks back.
Evidence cites only the article's verified copies and members of its own story: another story of
the same outlet or topic is not the same event, however alike its words. Each evidence record names
the passage that dates it (`passage`): the dated sentence, the shared text, or the earlier report's
sentence closest to this one.
"""
from __future__ import annotations

import math
import re
from datetime import date, timedelta
from typing import Any

from ..extract.dates import day_months
from ..records import Article, Enrichment, MentionedDate, RecycledVerdict, iso
from ..store import Store
from .provenance import GAP, claimed_day, clip, text_evidence
from .stories import StoryIndex, content_terms, members, relocate

EVENT_Z = 0.0                      # story-model log-odds that far earlier reports cover the same event (even odds)
EVENT_MARGIN = 2.0                 # ... and by how much they must beat the reports near the claimed date (log-odds; set on dev topics)
# Log-odds a story the article is not in must reach for the article to count as a re-post of its event (and join it):
# near-certainty, and beating its contemporaries (in its own story or any other) by EVENT_MARGIN. On the dev topics
# re-posts without their original score 4.4-8.1 against their event's story; one outlet's report of a similar event
# three years later (the pirates test) 3.8.
JOIN_Z = 5.0
TOP = 3                            # best members of one story side averaged


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
            "title": c.get("title"), "score": c.get("score"), "passage": c.get("passage")}


def _content_rep(index: Any, article: Article, enrichment: Enrichment | None) -> Any:
    """The article as the story model sees it, on content alone (`content_terms`)."""
    return index.represent(article, content_terms(article, enrichment), enrichment.embedding if enrichment is not None else None)


def _logit(model: Any, a: Any, b: Any) -> float:
    """The story model's log-odds that a and b report one event (unclipped: probabilities saturate near 1)."""
    return model.pair_logit(a, b)


def _event_evidence(store: Store, article: Article, enrichment: Enrichment | None, dates: list[MentionedDate],
                    claimed: date, copy_ids: set[str], may_join: bool = True) -> dict[str, Any] | None:
    """Far earlier reports of the same event, and none of it near the claimed date.

    Far-earlier members come from the article's own story: a story the index merely retrieves
    (the same outlet's or topic's other events) is not evidence. One exception: an article whose content matches a
    far-earlier story with near-certainty (JOIN_Z, and by EVENT_MARGIN over its contemporaries, as below) is a re-post
    of that story's event, even where its claimed date put it beside a like event of that time; the evidence then says
    `joins`, and the caller moves the article into that story (the date prior kept it out, since
    stories are placed by claimed date) or drops the evidence. Members near the claimed date come
    from its own story and the retrieved ones: contemporaries anywhere speak for the claimed date.
    Each pair is scored by the story model as if both were published the same day and without the
    article's claim-relative dates, so only content decides. A side of a story scores the mean
    log-odds of its TOP best members (one look-alike is not an event's coverage). The article is old
    news when the best far-earlier side reaches EVENT_Z and beats the best near side by EVENT_MARGIN:
    a genuine report has contemporaries covering the same event, a re-post of an old event does not.
    A text that looks back at that earlier time is a follow-up.
    """
    from dataclasses import replace
    from ..enrich.dates import is_explicit
    try:
        index = StoryIndex(store)
        found = index.rep_of(article.id) if article.id else None
        own_sid = found[0] if found else store.article_state(article.id).get("story_id")
        rep = _content_rep(index, article, enrichment)
        retrieval = found[1] if found is not None else rep
    except Exception:  # the story index is optional evidence: without it there is simply no (c)
        return None
    sids = ([own_sid] if own_sid else []) + [x for x in index.candidates(retrieval, exclude={own_sid} if own_sid else set())]
    sides: dict[tuple[str, str], list[tuple[float, str, date]]] = {}
    own_days = day_months(lead(article))
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
                if sid != own_sid and not may_join:
                    continue
                if _other_days(own_days, mid, store):
                    continue   # it names other days for its events: a like report of another time, not this one's original
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

    olds = [(strength(v), sid, max(v)) for (side, sid), v in sides.items()
            if side == "old" and (sid == own_sid or strength(v) >= JOIN_Z)]
    nears = [strength(v) for (side, _), v in sides.items() if side == "near"]
    if not olds:
        return None
    z_old, sid, (z_best, mid, day) = max(olds, key=lambda x: x[0])
    z_near = max(nears, default=float("-inf"))
    if z_old < EVENT_Z or z_old - z_near < EVENT_MARGIN:
        return None
    mates = [m for m in (store.get_article(x, head=True) for x in members(store, sid)) if m is not None and m.published is not None]
    # the matched member counts once, at the day it was scored at (a re-post's events' date)
    days = sorted([m.published.date() for m in mates if m.published.date() < claimed - GAP and m.id != mid] + [day])
    for m in dates:
        # A follow-up looks back at the earlier time: "last year", "two years ago", "since March 2009". A bare
        # year ("in 2009") is too coarse to say so: an old report names its own year as background too.
        if is_explicit(m) and (m.end - m.start).days > 31:
            continue
        if not m.about and m.start <= days[-1] + GAP and m.end >= days[0] - timedelta(days=31) and m.end < claimed - GAP:
            return None
    match = store.get_article(mid, head=True)
    passage, own = closest_sentences(match.text if match else "", article.text)
    return {"kind": "story", "date": day.isoformat(), "story_id": sid, "earlier_reports": len(days),
            "article_id": mid, "outlet": match.outlet if match else None, "title": match.title if match else None,
            "passage": passage, "this_passage": own,
            "period": [days[0].isoformat(), days[-1].isoformat()], "probability": round(_sigmoid(z_best), 3),
            "log_odds_earlier": round(z_old, 2), "log_odds_near": round(z_near, 2) if nears else None,
            **({"joins": True} if sid != own_sid else {})}


_WORD = re.compile(r"\w+", re.U)
_SENT = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+(?=[\"'“‘(]*[A-Z0-9À-Ý])|\n+")


def _content(sentence: str) -> set[str]:
    return {w for w in _WORD.findall(sentence.lower()) if len(w) > 3 and not w.isdigit()}


def closest_sentences(earlier: str, text: str) -> tuple[str | None, str | None]:
    """The sentence of `earlier` sharing the most content words with one of `text`'s sentences, and that sentence."""
    theirs = [x.strip() for x in _SENT.split(earlier) if len(x.split()) >= 6]
    ours = [(x.strip(), _content(x)) for x in _SENT.split(text) if len(x.split()) >= 6]
    best: tuple[float, str | None, str | None] = (0.0, None, None)
    for t in theirs:
        ct = _content(t)
        for o, co in ours:
            if ct and co:
                j = len(ct & co) / len(ct | co)
                if j > best[0]:
                    best = (j, t, o)
    return clip(best[1]), clip(best[2])


LEAD_CHARS = 1500   # where a report says on which days its events happened


def lead(article: Article) -> str:
    """Title and the start of the text."""
    return f"{article.title or ''}\n{(article.text or '')[:LEAD_CHARS]}"


def _other_days(own: set[tuple[int, int]], mid: str, store: Store) -> bool:
    """Whether the article and an earlier report both name their events' days (a month name and a day) and no day
    of one is within a day of a day of the other.

    A re-post copies its original's words, days included, whatever date it claims; a report that names the 12th of
    November is not a re-post of one that names the 20th of August, however alike the two read (the same drills near
    the same border a year apart)."""
    if not own:
        return False
    other = store.get_article(mid, head=True)
    theirs = day_months(lead(other)) if other is not None else set()
    if not theirs:
        return False
    # days of the leap year 2000 (day_months gives real days, 29 February included); within a day of each other,
    # across the turn of the year too
    ours, others = ({date(2000, m, d).toordinal() for m, d in days} for days in (own, theirs))
    return not any(min(abs(x - y), 366 - abs(x - y)) <= 1 for x in ours for y in others)


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))


def judge(store: Store | None, article: Article, enrichment: Enrichment | None, copies_found: list[dict[str, Any]],
          may_join: bool = True) -> RecycledVerdict:
    """Whether one article is an old report re-posted under a fresh date.

    With `may_join`, the evidence may be a far-earlier story the article is not in yet (`joins` in it): the
    caller that stores the verdict moves the article there first (see `_judge_all`)."""
    claimed = claimed_day(article)
    if claimed is None:
        return RecycledVerdict(is_recycled=False, claimed=None, reason="no claimed publication date to check")
    dates = enrichment.dates if enrichment is not None and enrichment.dates else None
    if dates is None:
        from ..enrich.dates import article_dates
        dates = article_dates(article)
    copy_ids = {c.get("id") for c in copies_found}
    evidence = [e for e in (text_evidence(article, dates), _copy_evidence(claimed, copies_found)) if e is not None]
    if not evidence and store is not None:
        story = _event_evidence(store, article, enrichment, dates, claimed, copy_ids, may_join)
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
        quoted = f": “{e['passage']}”" if e.get("passage") else ""
        if e["kind"] == "text":
            parts.append(f"{e['where']} dates its events to {e['cite']} ({e['date']}){quoted}")
        elif e["kind"] == "copy":
            parts.append(f"the same text was published by {e.get('outlet') or 'another outlet'} on {e['date']}{quoted}")
        elif e["kind"] == "story":
            n = e["earlier_reports"]
            parts.append(f"{e.get('outlet') or 'another outlet'} reported the same event on {e['date']}"
                         + (f" ({n} reports of this story, {e['period'][0]} to {e['period'][1]})" if n > 1 else "") + quoted)
    years = (claimed - min(date.fromisoformat(e["date"]) for e in evidence)).days / 365.25
    gap = f"{years:.1f} years" if years >= 1 else f"{int(years * 12)} months"
    return f"Claimed {claimed.isoformat()}, but " + "; ".join(parts) + f" — {gap} earlier."


def update(store: Store, article_ids: list[str], rounds: int = 3) -> set[str]:
    """Recompute and store the verdict of each article, then of the articles whose evidence those verdicts changed.
    Returns the ids of the stories that re-posts moved out of or into.

    A verdict reads other verdicts: a flagged re-post no longer counts as a contemporary of another
    article, and counts at its events' date. So when a verdict flips, the articles that may have
    counted it are judged again (a few rounds at most; each round only touches their stories).
    """
    todo = list(dict.fromkeys(article_ids))
    changed: set[str] = set()
    for _ in range(rounds):
        flipped = _judge_all(store, todo, changed)
        if not flipped:
            break
        todo = [x for x in _dependents(store, flipped) if x not in flipped]
        if not todo:
            break
    return changed


def _judge_all(store: Store, article_ids: list[str], changed: set[str]) -> list[str]:
    """Judge and store each article; returns the ids whose verdict or evidence date changed (and adds the stories
    re-posts moved between to `changed`)."""
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
            passages = l.evidence.get("passages") or []
            longest = max(passages, key=lambda p: p.get("words", 0), default={}).get("text")
            found.append({"id": oid, "outlet": o.outlet, "title": o.title, "published": iso(o.published),
                          "first_seen": iso(o.first_seen), "score": l.score, "passage": clip(longest)})
        before = store.article_state(aid).get("recycled") or {}
        verdict = judge(store, a, e, found).to_json()
        joins = next((x for x in verdict.get("evidence") or [] if x.get("joins")), None)
        if joins is not None:
            # A re-post of an event whose story it is not in: placed at its events' date it belongs there (or in a
            # story of that event it fits better), or the evidence goes (a verdict cites only its own story's members
            # and its copies).
            moved, now = relocate(store, aid, date.fromisoformat(joins["date"]), content_terms(a, e),
                                  e.embedding if e is not None else None, target=joins["story_id"])
            changed |= moved
            if now == joins["story_id"]:
                del joins["joins"]
            else:
                verdict = judge(store, a, e, found, may_join=False).to_json()
        elif verdict.get("is_recycled") and verdict.get("evidence_date"):
            # Dated by its text or its copies: placed at its events' date. A copy of a report belongs in that report's
            # story; a re-post dated by its text only moves when alone where the date prior left it.
            copy = next((x for x in verdict.get("evidence") or [] if x.get("kind") == "copy"), None)
            original = store.article_state(copy["article_id"]).get("story_id") if copy and copy.get("article_id") else None
            changed |= relocate(store, aid, date.fromisoformat(verdict["evidence_date"][:10]), content_terms(a, e),
                                e.embedding if e is not None else None, target=original)[0]
        store.set_article_state(aid, recycled=verdict)
        if (bool(before.get("is_recycled")), before.get("evidence_date")) != (bool(verdict.get("is_recycled")), verdict.get("evidence_date")):
            flipped.append(aid)
    return flipped


def _dependents(store: Store, flipped: list[str]) -> list[str]:
    """Articles whose story evidence may have counted one of `flipped`: members of its story and of the stories
    the story index retrieves for it, claimed no earlier than GAP before it (earlier ones never read it)."""
    try:
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


__all__ = ["judge", "update", "closest_sentences"]
