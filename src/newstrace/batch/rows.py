"""Records as flat rows for Parquet, and back: the one format shared by the Spark job and `newstrace load`."""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from ..records import Article, Enrichment, Failure, Link, RawDocument
from ..store.codec import article_from_row, article_to_row, dumps, enrichment_from_json, enrichment_to_json

# Column order of each Parquet dataset (all text columns are UTF-8 strings, dates ISO 8601).
ARTICLE_COLUMNS = ("id", "external_id", "origin", "title", "outlet", "url", "author", "published",
                   "published_source", "language", "text", "paragraphs", "captions", "boilerplate",
                   "first_seen", "first_seen_source", "media_type", "published_precision")
RAW_COLUMNS = ("id", "origin", "media_type", "first_seen", "first_seen_source", "hints", "data")
FAILURE_COLUMNS = ("origin", "stage", "reason", "content_id", "data", "recorded_at")
LINK_COLUMNS = ("src", "dst", "kind", "score", "evidence")


def raw_to_row(raw: RawDocument) -> dict[str, Any]:
    """A raw document as a `raw` row."""
    return {"id": raw.id, "origin": raw.origin, "media_type": raw.media_type, "first_seen": raw.first_seen.isoformat(),
            "first_seen_source": raw.first_seen_source, "hints": dumps(raw.hints), "data": bytes(raw.data)}


def raw_from_row(row: dict[str, Any]) -> RawDocument:
    """A `raw` row back into a RawDocument."""
    return RawDocument(id=row["id"], origin=row["origin"], data=bytes(row["data"]), media_type=row["media_type"],
                       first_seen=datetime.fromisoformat(row["first_seen"]), first_seen_source=row["first_seen_source"],
                       hints=json.loads(row["hints"] or "{}"))


def failure_to_row(f: Failure) -> dict[str, Any]:
    """A quarantined input as a `failures` row."""
    return {"origin": f.origin, "stage": f.stage, "reason": f.reason, "content_id": f.id,
            "data": bytes(f.data) if f.data is not None else None, "recorded_at": f.when.isoformat()}


def failure_from_row(row: dict[str, Any]) -> Failure:
    """A `failures` row back into a Failure."""
    return Failure(origin=row["origin"], reason=row["reason"], stage=row["stage"],
                   data=bytes(row["data"]) if row.get("data") is not None else None, id=row.get("content_id"),
                   when=datetime.fromisoformat(row["recorded_at"]))


def article_to_flat(a: Article, e: Enrichment | None) -> dict[str, Any]:
    """An article and its enrichment as an `articles` row (enrichment as one JSON column)."""
    row = article_to_row(a)
    out = {c: row[c] for c in ARTICLE_COLUMNS}
    out["enrichment"] = enrichment_to_json(e) if e is not None else None
    return out


def article_from_flat(row: dict[str, Any]) -> tuple[Article, Enrichment | None]:
    """An `articles` row back into the article and its enrichment."""
    a = article_from_row({c: row.get(c) for c in ARTICLE_COLUMNS})
    e = enrichment_from_json(row["enrichment"]) if row.get("enrichment") else None
    return a, e


def link_to_row(l: Link) -> dict[str, Any]:
    """A link as a `links` row."""
    return {"src": l.src, "dst": l.dst, "kind": l.kind, "score": float(l.score), "evidence": dumps(l.evidence)}


def link_from_row(row: dict[str, Any]) -> Link:
    """A `links` row back into a Link."""
    return Link(src=row["src"], dst=row["dst"], kind=row["kind"], score=float(row["score"]),
                evidence=json.loads(row["evidence"] or "{}"))
