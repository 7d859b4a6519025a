"""Which date to trust for an article, and provenance within a set of copies.

`text_evidence` reads an article's own words for the date of the events it reports (the recycled
judge and the copy ordering both use it). The original of a copy set is the copy with the earliest
*trustworthy* date: the claimed date, or when it was first seen if it claims none. A claimed date
contradicted by recycled evidence (the article's own text, or a stored recycled verdict) is not
trusted: such a re-post ranks after every member whose date stands, and among re-posts the date of
the events they report decides.
Same-day ties are broken by evidence in the texts: a copy that names another member's
outlet as its source ("…, CNN reported", "according to Reuters") or declares it is relayed
("news agencies cited", "originally published") ranks after the one it names.

Link modules import one way: minhash → provenance → copies → agreement → similarity → stories → recycled.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any, Iterable

from ..records import Article, Enrichment, MentionedDate

GAP = timedelta(days=180)          # how much earlier evidence must be to call a claimed date wrong
RECENT_BACK = timedelta(days=180)  # an explicit date this close to the claimed date shows the text knows its "now"
RECENT_AHEAD = timedelta(days=400)
CLUSTER = timedelta(days=31)
MIN_TEXT_WEIGHT = 3                # one caption, headline or dateline, or three news sentences

_RELAYED = re.compile(r"\b(originally (?:published|appeared)|first (?:published|reported|appeared) (?:by|in|on)|"
                      r"news agencies (?:cited|said|reported)|according to (?:news agencies|wire reports|media reports)|"
                      r"(?:re)?published with permission|this (?:article|story) (?:was|first) (?:originally )?(?:published|appeared))\b", re.I)


def claimed_day(article: Article) -> date | None:
    """The day an article claims to be published, or None."""
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
    claimed = claimed_day(article)
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
            "cite": cite.text, "cite_sentence": cite.sentence, "passage": clip(cite.sentence or cite.text)}


def clip(s: str | None, n: int = 240) -> str | None:
    """A passage cut at a word boundary with an ellipsis when longer than n characters."""
    if s is None:
        return None
    s = " ".join(s.split())
    return s if len(s) <= n else s[:n].rsplit(" ", 1)[0].rstrip(" ,;:") + " …"


@dataclass
class Dated:
    """One member of a copy set with the date provenance trusts for it and why."""

    id: str
    day: date | None
    when: datetime | None
    source: str                  # claimed | text-evidence | recycled-verdict | first-seen | unknown
    relayed: bool                # its text says it relays someone else's report
    names: set[str]              # ids of other members whose outlet its text names


def trusted_date(article: Article, enrichment: Enrichment | None, state: dict[str, Any] | None = None) -> tuple[datetime | None, str]:
    """The date to believe for an article, and where it came from."""
    verdict = (state or {}).get("recycled") or {}
    if verdict.get("is_recycled") and verdict.get("evidence_date"):
        return _dt(verdict["evidence_date"]), "recycled-verdict"
    if article.published is not None:
        ev = text_evidence(article, enrichment.dates if enrichment else None)
        if ev is not None:
            return _dt(ev["date"]), "text-evidence"
        return article.published, "claimed"
    if article.first_seen is not None:
        return article.first_seen, "first-seen"
    return None, "unknown"


def _dt(iso_day: str) -> datetime:
    d = date.fromisoformat(iso_day[:10])
    return datetime(d.year, d.month, d.day, tzinfo=timezone.utc)


def names_outlet(text: str, outlet: str | None) -> bool:
    """True when a text names an outlet (whole words, any case); very short names never count."""
    if not outlet or len(outlet.strip()) < 3:
        return False
    return re.search(r"(?<!\w)" + re.escape(outlet.strip()) + r"(?!\w)", text, re.I) is not None


def order(members: Iterable[tuple[Article, Enrichment | None, dict[str, Any] | None]]) -> list[Dated]:
    """Members of one copy set, original first."""
    items = list(members)
    dated: list[Dated] = []
    for art, enr, st in items:
        when, source = trusted_date(art, enr, st)
        named = {o.id for o, _, _ in items if o.id != art.id and o.outlet and o.outlet != art.outlet and names_outlet(art.text, o.outlet)}
        dated.append(Dated(id=art.id, day=when.date() if when else None, when=when, source=source,
                           relayed=bool(_RELAYED.search(art.text)), names=named))
    by_id = {d.id: d for d in dated}
    first_seen = {a.id: a.first_seen for a, _, _ in items}

    def key(d: Dated) -> tuple:
        # Named as a source by a same-day member → earlier; naming a same-day member → later.
        same_day = [o for o in dated if o.id != d.id and o.day == d.day]
        named_by = sum(1 for o in same_day if d.id in o.names)
        names_other = sum(1 for o in same_day if o.id in d.names)
        # A member whose claimed date is contradicted by recycled evidence is a re-post: it never outranks a member
        # whose date stands (the events' date is not the date a copy was first published).
        distrusted = d.source in ("text-evidence", "recycled-verdict")
        # Times of day decide only when every same-day member has one: a date-only claim (00:00) says nothing about the hour.
        timed = all(o.when is not None and (o.when.hour, o.when.minute, o.when.second) != (0, 0, 0) for o in same_day + [d])
        return (distrusted, d.day is None, d.day or date.max, names_other - named_by, d.relayed,
                (d.when if timed and d.when else datetime.max.replace(tzinfo=timezone.utc)),
                first_seen.get(d.id) or datetime.max.replace(tzinfo=timezone.utc), d.id)

    return sorted(by_id.values(), key=key)


def explain(first: Dated, later: Dated) -> str:
    """Why `first` counts as earlier than `later` (one short phrase)."""
    if first.day and later.day and first.day < later.day:
        how = {"claimed": "claimed date", "text-evidence": "date its own text points to",
               "recycled-verdict": "date of the events it reports", "first-seen": "first seen"}.get(first.source, first.source)
        return f"earlier {how} ({first.day.isoformat()} vs {later.day.isoformat()})"
    if first.id in later.names:
        return "the copy names the original's outlet as its source"
    if later.relayed and not first.relayed:
        return "the copy says it relays another report"
    return "same day; earlier time or first seen"


__all__ = ["text_evidence", "claimed_day", "clip", "GAP", "order", "trusted_date", "names_outlet", "explain", "Dated"]
