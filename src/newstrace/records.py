"""Typed records passed between the stages: ingest → extract → enrich → link → store → serve."""
from __future__ import annotations

import dataclasses
import hashlib
import os
from dataclasses import dataclass, field, asdict
from datetime import date, datetime, timezone
from typing import Any, Literal


def utcnow() -> datetime:
    """Current time, timezone-aware UTC."""
    return datetime.now(timezone.utc)


# Characters of an article that enrich and link read ($NEWSTRACE_ANALYSED_CHARS): the parser needs about 1 GB per
# 100,000 characters at once and a news report is a few thousand, so a longer text (a book, a log saved as .txt)
# is stored whole but analysed on its leading paragraphs only (a prefix, so character offsets stay valid).
ANALYSED_CHARS = max(1000, int(os.environ.get("NEWSTRACE_ANALYSED_CHARS") or 100_000))


def analysed_text(text: str, limit: int = ANALYSED_CHARS) -> str:
    """`text` itself, or its leading paragraphs that fit in `limit` characters (cut mid-paragraph only when the first is longer)."""
    if len(text) <= limit:
        return text
    cut = text.rfind("\n\n", 0, limit)
    return text[:cut if cut > 0 else limit]


def _fit(parts: list[str], limit: int) -> list[str]:
    """The leading parts whose lengths add up to at most `limit`."""
    out, size = [], 0
    for p in parts:
        size += len(p) + 2
        if size > limit + 2:
            break
        out.append(p)
    return out


def content_id(data: bytes) -> str:
    """Content hash used as the id of a raw document (and of the article made from it)."""
    return hashlib.sha256(data).hexdigest()[:32]


@dataclass(frozen=True)
class RawDocument:
    """Bytes exactly as they arrived, with where and when they were first seen."""

    id: str                      # content hash of `data` (an article record: of its meaningful keys, ingest.files.record_id)
    origin: str                  # path, URL, or "path#line=N" / WARC record id
    data: bytes
    media_type: str              # "text/plain", "text/html", "application/x-article+json"
    first_seen: datetime
    first_seen_source: str = "file-mtime"   # file-mtime | fetch | warc-date | mhtml-date | ingest-time
    hints: dict[str, Any] = field(default_factory=dict)  # metadata known before extraction (JSONL fields, feed entry, HTTP headers)


@dataclass(frozen=True)
class Failure:
    """An input that could not be read: kept in quarantine with the reason."""

    origin: str
    reason: str
    stage: str                   # ingest | extract | enrich | link
    data: bytes | None = None
    id: str | None = None        # content hash when bytes exist
    when: datetime = field(default_factory=utcnow)


@dataclass
class Article:
    """A clean article made from one raw document."""

    id: str                      # = RawDocument.id
    origin: str
    title: str | None
    text: str                    # body paragraphs joined by blank lines
    paragraphs: list[str] = field(default_factory=list)
    outlet: str | None = None
    url: str | None = None
    author: str | None = None
    published: datetime | None = None
    published_source: str | None = None   # e.g. "json-ld", "meta", "url", "text-header", "jsonl", "htmldate"
    published_precision: str | None = None  # "minute" (time of day with its UTC offset) or "day"
    language: str | None = None
    captions: list[str] = field(default_factory=list)
    boilerplate: list[str] = field(default_factory=list)   # removed lines/blocks, kept for audit
    external_id: str | None = None
    first_seen: datetime | None = None
    first_seen_source: str | None = None
    media_type: str | None = None

    def head(self, limit: int = ANALYSED_CHARS) -> "Article":
        """The article as enrich and link read it: itself, or for a longer text the parts within `limit` characters."""
        if len(self.text) <= limit and sum(map(len, self.boilerplate)) <= limit and sum(map(len, self.captions)) <= limit:
            return self
        text = analysed_text(self.text, limit)
        return dataclasses.replace(self, text=text, paragraphs=_fit(self.paragraphs, len(text)) or [text],
                                   captions=_fit(self.captions, limit), boilerplate=_fit(self.boilerplate, limit))

    def to_json(self) -> dict[str, Any]:
        """The `extract --json` shape (keys fixed by DESIGN.md, more allowed)."""
        return {
            "id": self.id,
            "external_id": self.external_id,
            "origin": self.origin,
            "title": self.title,
            "outlet": self.outlet,
            "url": self.url,
            "published": iso(self.published),
            "published_source": self.published_source,
            "published_precision": self.published_precision,
            "author": self.author,
            "language": self.language,
            "text": self.text,
            "paragraphs": self.paragraphs,
            "captions": self.captions,
            "boilerplate": self.boilerplate,
            "first_seen": iso(self.first_seen),
        }


@dataclass
class Mention:
    """An entity mention; `canonical` merges aliases within a story/article."""

    text: str
    type: str                    # PERSON | ORG | GPE | LOC | FAC | NORP | EVENT | DATE ...
    canonical: str
    start: int = -1              # char offsets in Article.text
    end: int = -1
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    key: str = ""                # the canonical name transliterated to lower-case ASCII (Минск, Мінск, Minsk → minsk)


@dataclass
class MentionedDate:
    """A date expression in the text resolved to an absolute day or range."""

    text: str
    start: date
    end: date
    sentence: str = ""
    about: bool = True           # True: the report's own events; False: background ("the 2014 invasion")
    char: int = -1              # offset in Article.text; -1 when in the title, a caption or removed boilerplate
    where: str = "body"          # body | title | caption | boilerplate


@dataclass
class Claim:
    """A checkable statement: a quantity, a quote or an event."""

    kind: Literal["quantity", "quote", "event"]
    text: str                    # the sentence (or span) it came from
    fields: dict[str, Any] = field(default_factory=dict)   # value/unit/qualifier, speaker/words/verb, actor/action/target/place/time
    key: str = ""                # alignment key across articles (normalised)


@dataclass
class Enrichment:
    """What the enrich stage learns about one article."""

    article_id: str
    mentions: list[Mention] = field(default_factory=list)
    dates: list[MentionedDate] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    embedding: list[float] | None = None
    terms: dict[str, float] = field(default_factory=dict)   # distinctive terms (for lexical similarity)


@dataclass
class Link:
    """An article-to-article relation."""

    src: str                     # the later / copying article
    dst: str                     # the earlier / original article
    kind: Literal["copy", "same-story", "recycled-from"]
    score: float
    evidence: dict[str, Any] = field(default_factory=dict)  # shared passages etc.


@dataclass
class RecycledVerdict:
    """Whether an article is an old report re-posted under a fresh date, with evidence."""

    is_recycled: bool
    claimed: str | None = None         # ISO date
    evidence_date: str | None = None   # ISO date
    reason: str = ""
    evidence: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def iso(value: datetime | date | None) -> str | None:
    """ISO 8601 text, or None."""
    return value.isoformat() if value is not None else None
