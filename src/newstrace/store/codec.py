"""(De)serialisation of records to JSON-able dicts, shared by every storage backend."""
from __future__ import annotations

import json
from dataclasses import asdict, fields
from datetime import date, datetime
from typing import Any

from ..records import Article, Claim, Enrichment, Mention, MentionedDate


def parse_dt(value: str | None) -> datetime | None:
    """ISO text back to datetime (None stays None)."""
    return datetime.fromisoformat(value) if value else None


def dumps(obj: Any) -> str:
    """Compact JSON that understands dates."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=_default)


def _default(o: Any) -> Any:
    if isinstance(o, (datetime, date)):
        return o.isoformat()
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


def article_to_row(a: Article) -> dict[str, Any]:
    """Article as column values."""
    row = {f.name: getattr(a, f.name) for f in fields(a)}   # asdict would deep-copy every paragraph list first
    # paragraphs that are exactly the text's blank-line pieces are not stored twice ("" = derive from the text):
    # a long article would otherwise cost twice its size on disk and in memory each time it is read
    derivable = bool(a.paragraphs) and a.paragraphs == a.text.split("\n\n")
    for k in ("paragraphs", "captions", "boilerplate"):
        row[k] = "" if k == "paragraphs" and derivable else dumps(row[k])
    for k in ("published", "first_seen"):
        row[k] = row[k].isoformat() if row[k] else None
    return row


def article_from_row(row: dict[str, Any]) -> Article:
    """Column values back into an Article (extra columns ignored)."""
    names = {f.name for f in fields(Article)}
    kw = {k: row[k] for k in names if k in row}
    for k in ("paragraphs", "captions", "boilerplate"):
        kw[k] = json.loads(kw.get(k) or "[]")
    if row.get("paragraphs") == "":
        kw["paragraphs"] = kw["text"].split("\n\n")
    for k in ("published", "first_seen"):
        kw[k] = parse_dt(kw.get(k))
    return Article(**kw)


def enrichment_to_json(e: Enrichment) -> str:
    """Enrichment as one JSON document."""
    # the same document as dumps(asdict(e)), without asdict deep-copying each of the embedding's 384 floats and
    # every term (that copy was 4/5 of the time to store an article)
    return dumps({"article_id": e.article_id, "mentions": [asdict(m) for m in e.mentions],
                  "dates": [asdict(d) for d in e.dates], "claims": [asdict(c) for c in e.claims],
                  "embedding": e.embedding, "terms": e.terms})


def enrichment_from_json(text: str) -> Enrichment:
    """JSON back into an Enrichment."""
    d = json.loads(text)
    return Enrichment(
        article_id=d["article_id"],
        mentions=[Mention(**m) for m in d.get("mentions", [])],
        dates=[MentionedDate(**{**m, "start": date.fromisoformat(m["start"]), "end": date.fromisoformat(m["end"])}) for m in d.get("dates", [])],
        claims=[Claim(**c) for c in d.get("claims", [])],
        embedding=d.get("embedding"),
        terms=d.get("terms", {}),
    )
