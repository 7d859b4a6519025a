"""Article text cut into pieces marked as entity / date / claim, for highlighting (rendered escaped by the templates)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class Piece:
    """A run of text with at most one inner mark (entity or date)."""

    text: str
    mark: str | None = None       # "entity" | "date" | None
    label: str | None = None      # e.g. "PERSON: Alexander Lukashenko" or "2021-11-12"
    css: str | None = None        # e.g. "ent-PERSON"


@dataclass
class Run:
    """Consecutive pieces that lie inside one claim sentence (claim=None: outside every claim)."""

    pieces: list[Piece]
    claim: str | None = None      # claim kind
    label: str | None = None
    span: int | None = None       # start offset of the claim sentence (tells two adjacent claims apart)


def _non_overlapping(spans: list[tuple[int, int, Any]]) -> list[tuple[int, int, Any]]:
    """Keep spans in text order, dropping any that overlap one already kept (earliest, then longest, wins)."""
    out: list[tuple[int, int, Any]] = []
    for s in sorted(spans, key=lambda x: (x[0], -(x[1] - x[0]))):
        if s[1] > s[0] and (not out or s[0] >= out[-1][1]):
            out.append(s)
    return out


def _locate(text: str, needle: str, hint: int) -> int:
    """Where a span's text really is: at its recorded offset when that matches, else its first occurrence."""
    if not needle:
        return -1
    if 0 <= hint and text[hint:hint + len(needle)] == needle:
        return hint
    return text.find(needle)


def highlight(text: str, entities: list[dict[str, Any]], dates: list[dict[str, Any]], claims: list[dict[str, Any]]) -> list[Run]:
    """Cut `text` into runs (claim sentences) of pieces (entities, dates) from the article's enrichment."""
    inner: list[tuple[int, int, Any]] = []
    for e in entities:
        start = _locate(text, e.get("text") or "", e.get("start", -1))
        if start >= 0:
            label = f"{e.get('type')}: {e.get('canonical') or e.get('text')}"
            inner.append((start, start + len(e["text"]), ("entity", label, f"ent-{e.get('type') or 'X'}")))
    for d in dates:
        start = _locate(text, d.get("text") or "", d.get("char", -1))
        if start >= 0:
            span = d.get("start") if d.get("start") == d.get("end") else f"{d.get('start')} – {d.get('end')}"
            inner.append((start, start + len(d["text"]), ("date", span, "date")))
    outer: list[tuple[int, int, Any]] = []
    for c in claims:
        sentence = (c.get("text") or "").strip()
        start = text.find(sentence) if sentence else -1
        if start >= 0:
            outer.append((start, start + len(sentence), (c.get("kind") or "claim", f"{c.get('kind')} claim")))
    inner, outer = _non_overlapping(inner), _non_overlapping(outer)
    cuts = sorted({0, len(text), *[p for s in inner + outer for p in s[:2]]})
    runs: list[Run] = []
    for a, b in zip(cuts, cuts[1:]):
        mark = next((s for s in inner if s[0] <= a and b <= s[1]), None)
        claim = next((s for s in outer if s[0] <= a and b <= s[1]), None)
        piece = Piece(text[a:b], *(mark[2] if mark else (None, None, None)))
        kind, label = claim[2] if claim else (None, None)
        key = claim[0] if claim else None
        if runs and runs[-1].span == key and runs[-1].claim == kind:
            runs[-1].pieces.append(piece)
        else:
            runs.append(Run([piece], kind, label, key))
    # Merge adjacent unmarked pieces so the page does not carry thousands of empty spans.
    for run in runs:
        merged: list[Piece] = []
        for p in run.pieces:
            if merged and merged[-1].mark is None and p.mark is None:
                merged[-1].text += p.text
            else:
                merged.append(p)
        run.pieces = merged
    return runs
