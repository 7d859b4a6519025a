"""CSV and JSON downloads of stories, articles, a story's sources and claims; CSV cells are safe to open in a spreadsheet."""
from __future__ import annotations

import csv
import io
from typing import Any, Iterable

import orjson

EXPORT_MAX = 10_000  # rows per download: a filtered list, not a database dump
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection); a leading ' makes it text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

STORY_COLUMNS = ("id", "headline", "languages", "articles", "outlets", "first_outlet", "first_published", "start", "end",
                 "recycled", "copies", "corroborated", "conflicting", "outlet_names")
ARTICLE_COLUMNS = ("id", "outlet", "title", "url", "published", "language", "story_id", "duplicate_of",
                   "is_recycled", "claimed", "evidence_date", "reason")
SOURCE_COLUMNS = ("article_id", "outlet", "language", "title", "role", "published", "claimed", "evidence_date", "is_recycled",
                  "reason", "duplicate_of")
CLAIM_COLUMNS = ("claim", "kind", "status", "label", "text", "outlet", "article_id", "value", "sentence")


def safe_cell(value: Any) -> Any:
    """A cell a spreadsheet shows as text: strings starting with = + - @ (or tab, CR) get a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def to_csv(rows: Iterable[dict[str, Any]], columns: tuple[str, ...]) -> bytes:
    """Rows as CSV (header first, UTF-8 with BOM so spreadsheets read accents), every cell made safe."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(columns)
    for r in rows:
        w.writerow([safe_cell(r.get(c)) for c in columns])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_json(obj: Any) -> bytes:
    """JSON as the rest of the API writes it."""
    return orjson.dumps(obj, option=orjson.OPT_NON_STR_KEYS)


def story_row(s: dict[str, Any]) -> dict[str, Any]:
    """One story (a `stories --json` document with counts) as a flat row."""
    c = s.get("counts") or {}
    first = s.get("first_reported") or {}
    period = s.get("period") or {}
    return {"id": s.get("id"), "headline": s.get("headline"), "languages": s.get("languages") or [],
            "articles": c.get("articles"), "outlets": c.get("outlets"),
            "first_outlet": first.get("outlet"), "first_published": first.get("published"),
            "first_seen": first.get("seen"), "dated_by": first.get("basis"), "start": period.get("start"),
            "end": period.get("end"), "recycled": c.get("recycled"), "copies": c.get("copies"),
            "corroborated": c.get("corroborated"), "conflicting": c.get("conflicting"), "outlet_names": s.get("outlets") or []}


def article_row(a: dict[str, Any]) -> dict[str, Any]:
    """One article (as `articles --json` shows it) as a flat row."""
    rec = a.get("recycled") or {}
    return {**{k: a.get(k) for k in ARTICLE_COLUMNS}, "is_recycled": bool(rec.get("is_recycled")), "claimed": rec.get("claimed"),
            "evidence_date": rec.get("evidence_date"), "reason": rec.get("reason")}


def claim_rows(claims: list[dict[str, Any]], label: Any) -> list[dict[str, Any]]:
    """A story's claims, one row per claim and source (a claim with no sources gets one row)."""
    rows = []
    for i, c in enumerate(claims, 1):
        base = {"claim": i, "kind": c.get("kind"), "status": c.get("status"), "label": label(c), "text": c.get("text")}
        for src in c.get("sources") or [{}]:
            rows.append({**base, "outlet": src.get("outlet"), "article_id": src.get("article_id"), "value": src.get("value"),
                         "sentence": src.get("sentence") or src.get("text")})
    return rows
