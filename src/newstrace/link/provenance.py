"""Provenance within a set of copies: which one is the original, and who copied whom.

The original is the copy with the earliest *trustworthy* date: the claimed date, or when it was
first seen if it claims none. A claimed date contradicted by recycled evidence (the article's own
text, or a stored recycled verdict) is not trusted: such a re-post ranks after every member whose
date stands, and among re-posts the date of the events they report decides.
Same-day ties are broken by evidence in the texts: a copy that names another member's
outlet as its source ("…, CNN reported", "according to Reuters") or declares it is relayed
("news agencies cited", "originally published") ranks after the one it names.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any, Iterable

from ..records import Article, Enrichment
from . import recycled

_RELAYED = re.compile(r"\b(originally (?:published|appeared)|first (?:published|reported|appeared) (?:by|in|on)|"
                      r"news agencies (?:cited|said|reported)|according to (?:news agencies|wire reports|media reports)|"
                      r"(?:re)?published with permission|this (?:article|story) (?:was|first) (?:originally )?(?:published|appeared))\b", re.I)


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
        ev = recycled.text_evidence(article, enrichment.dates if enrichment else None)
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


__all__ = ["order", "trusted_date", "names_outlet", "explain", "Dated"]
