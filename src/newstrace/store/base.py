"""The storage interface every backend (SQLite, PostgreSQL) implements."""
from __future__ import annotations

import re
from abc import ABC, abstractmethod
from contextlib import contextmanager
from typing import Any, Iterator

from ..records import Article, Enrichment, Failure, Link, RawDocument, utcnow
from . import claims
from .claims import ClaimState
from .codec import dumps


# Shortest prefix taken for an id (as git takes abbreviated hashes): shorter input is only ever an exact id.
MIN_ID_PREFIX = 4


class AmbiguousId(LookupError):
    """An id prefix that more than one stored id starts with."""

    def __init__(self, kind: str, prefix: str, candidates: list[str]):
        self.kind, self.prefix, self.candidates = kind, prefix, candidates
        super().__init__(f"{kind} id {prefix!r} is ambiguous: it starts " + ", ".join(candidates))


class Store(ABC):
    """Persistent home of raw documents, articles, enrichments, links, stories and the quarantine."""

    # --- raw documents -------------------------------------------------
    @abstractmethod
    def has_raw(self, raw_id: str) -> bool:
        """True when these bytes were ingested before."""

    @abstractmethod
    def add_raw(self, raw: RawDocument) -> bool:
        """Keep the bytes; False (and no change) when they are already stored."""

    @abstractmethod
    def get_raw(self, raw_id: str) -> RawDocument | None:
        """The stored bytes and origin of one document."""

    # Claims (migration 70): the ingest pipeline keeps the bytes and claims them in one step, and marks them
    # done in the transaction that stores their article or failure. A run killed in between leaves an open
    # claim that the next run takes over; a live claim keeps concurrent writers from processing the same bytes.
    # Every statement below is one atomic compare-and-set, written in the SQLite dialect both backends execute.
    def claim_raw(self, raw: RawDocument, run: str | None = None) -> ClaimState:
        """Keep the bytes and claim them for this run (`claims.run()`): claimed (new) / taken (an abandoned claim) /
        done (processed before) / busy (another live run has them) / mine (this run has them already)."""
        me = self.claim_owner() + (f"#{run}" if run else "")
        for _ in range(3):  # a lost race re-reads the row; two rounds always settle it
            row = self.execute("SELECT done, claimed_by, claimed_at FROM raw_documents WHERE id=?", (raw.id,)).fetchone()
            if row is None:
                cur = self.execute(
                    "INSERT INTO raw_documents (id, origin, media_type, first_seen, first_seen_source, hints, data, ingested_at, "
                    "claimed_by, claimed_at, done) VALUES (?,?,?,?,?,?,?,?,?,?,0) ON CONFLICT (id) DO NOTHING",
                    (raw.id, raw.origin, raw.media_type, raw.first_seen.isoformat(), raw.first_seen_source,
                     dumps(raw.hints), raw.data, utcnow().isoformat(), me, claims.now()))
                if cur.rowcount == 1:
                    return "claimed"
                continue
            done, owner, at = row[0], row[1], row[2]
            if done:
                return "done"
            if owner == me:
                return "mine"
            if not claims.stale(owner, at, self.claim_alive(owner) if owner else None):
                return "busy"
            # take over only if nobody else did since we read it: the owner is the compare-and-set key
            cond = "claimed_by IS NULL" if owner is None else "claimed_by=?"
            cur = self.execute(f"UPDATE raw_documents SET claimed_by=?, claimed_at=? WHERE id=? AND done=0 AND {cond}",
                               (me, claims.now(), raw.id) + (() if owner is None else (owner,)))
            if cur.rowcount == 1:
                return "taken"
        return "busy"

    def finish_raw(self, raw_id: str) -> None:
        """Mark claimed bytes as processed (their article or failure is stored); call inside that transaction."""
        self.execute("UPDATE raw_documents SET done=1 WHERE id=? AND done=0", (raw_id,))

    def claim_owner(self) -> str:
        """Who this store's claims belong to (backends shared across machines override it)."""
        return claims.local_owner()

    def owner_alive(self, owner: str) -> bool | None:
        """Whether a claim owner (a process) still runs: True, False, or None when only its lease can tell."""
        return claims.local_owner_alive(owner)

    def claim_alive(self, claim: str) -> bool | None:
        """Whether the run that holds a claim still goes: for this process's own runs, by the live-run registry."""
        base, rid = claims.split(claim)
        if base == self.claim_owner():
            return rid is None or claims.run_alive(rid)
        return self.owner_alive(base)

    # --- quarantine ----------------------------------------------------
    @abstractmethod
    def add_failure(self, failure: Failure) -> bool:
        """Record an unreadable input; False when the same failure is already recorded."""

    @abstractmethod
    def failures(self) -> list[dict[str, Any]]:
        """Every quarantined input with its reason."""

    # --- articles ------------------------------------------------------
    def has_failure(self, content_id: str) -> bool:
        """True when these bytes are in the quarantine (every backend speaks SQLite-dialect `execute`)."""
        return self.execute("SELECT 1 FROM quarantine WHERE content_id=? LIMIT 1", (content_id,)).fetchone() is not None

    def failure_of(self, content_id: str) -> str | None:
        """The reason bytes with this content id were quarantined, when they were and no article came of them."""
        r = self.execute("SELECT q.reason FROM quarantine q WHERE q.content_id=? AND NOT EXISTS "
                         "(SELECT 1 FROM articles a WHERE a.id=q.content_id) ORDER BY q.seq LIMIT 1", (content_id,)).fetchone()
        return r[0] if r else None

    def has_article(self, article_id: str) -> bool:
        """True when an article was made from these bytes."""
        return self.execute("SELECT 1 FROM articles WHERE id=?", (article_id,)).fetchone() is not None

    @abstractmethod
    def add_article(self, article: Article, enrichment: Enrichment | None = None) -> bool:
        """Store an article (and its enrichment); False when its id exists."""

    @abstractmethod
    def get_article(self, article_id: str, head: bool = False) -> Article | None:
        """One article by id; with head, as enrich and link read it (Article.head: a long text's leading part)."""

    @abstractmethod
    def articles(self) -> Iterator[Article]:
        """Every article, oldest ingest first."""

    @abstractmethod
    def article_count(self) -> int:
        """How many articles are stored."""

    @abstractmethod
    def get_enrichment(self, article_id: str) -> Enrichment | None:
        """The enrichment of one article."""

    @abstractmethod
    def set_enrichment(self, enrichment: Enrichment) -> None:
        """Replace an article's enrichment."""

    @abstractmethod
    def article_state(self, article_id: str) -> dict[str, Any]:
        """Link-stage results for one article: story_id, duplicate_of, recycled."""

    @abstractmethod
    def set_article_state(self, article_id: str, **state: Any) -> None:
        """Update link-stage results (story_id, duplicate_of, recycled) of one article."""

    # --- links and stories ---------------------------------------------
    @abstractmethod
    def add_links(self, links: list[Link]) -> None:
        """Add or replace article-to-article links."""

    @abstractmethod
    def links(self, article_id: str | None = None, kind: str | None = None) -> list[Link]:
        """Links touching an article (either end), optionally of one kind."""

    @abstractmethod
    def put_story(self, story_id: str, story: dict[str, Any]) -> None:
        """Store or replace a story document."""

    @abstractmethod
    def delete_story(self, story_id: str) -> None:
        """Remove a story document."""

    @abstractmethod
    def stories(self) -> list[dict[str, Any]]:
        """Every story document."""

    @abstractmethod
    def get_story(self, story_id: str) -> dict[str, Any] | None:
        """One story document."""

    @abstractmethod
    def ids_with_prefix(self, kind: str, prefix: str, limit: int = 10) -> list[str]:
        """Up to `limit` stored ids of `kind` ("story" or "article") that start with `prefix` (case-sensitive), in id order."""

    def resolve_id(self, kind: str, given: str) -> str | None:
        """The one stored id of `kind` that is `given` or starts with it (None when none does); AmbiguousId when several do."""
        found = self.ids_with_prefix(kind, given, limit=11)
        if given in found:
            return given
        if len(given) < MIN_ID_PREFIX or not found:
            return None
        if len(found) > 1:
            raise AmbiguousId(kind, given, found)
        return found[0]

    def article_ids_in_story(self, story_id: str) -> list[str]:
        """Ids of the articles assigned to one story, oldest ingest first (backends override with an indexed query)."""
        return [a.id for a in self.articles() if self.article_state(a.id).get("story_id") == story_id]

    # --- small key/value state for indexes -----------------------------
    @abstractmethod
    def get_meta(self, key: str) -> str | None:
        """A stored setting or index state."""

    @abstractmethod
    def set_meta(self, key: str, value: str) -> None:
        """Store a setting or index state."""

    # --- search ----------------------------------------------------------
    @abstractmethod
    def search(self, query: str, limit: int = 50) -> list[str]:
        """Article ids whose title or text match a full-text query, best first."""

    # --- paged reads for the web UI and REST API (issue 6) -----------------
    # Defaults read everything and filter in Python (correct, slow); backends override them
    # with indexed queries that follow the same rules (see story_matches / story_sort_key).
    def story_page(self, *, sort: str = "largest", offset: int = 0, limit: int = 20, story_ids: list[str] | None = None,
                   outlet: str | None = None, date_from: str | None = None, date_to: str | None = None,
                   place: str | None = None, entity: str | None = None) -> tuple[int, list[dict[str, Any]]]:
        """How many stories match the filters, and one page of their documents (sort: largest | newest | relevance)."""
        wanted = set(story_ids) if story_ids is not None else None
        docs = [s for s in self.stories() if (wanted is None or s.get("id") in wanted)
                and story_matches(s, outlet=outlet, date_from=date_from, date_to=date_to, place=place, entity=entity)]
        docs.sort(key=lambda s: story_sort_key(s, sort, story_ids))
        return len(docs), docs[offset:offset + limit]

    def story_volume(self, *, story_ids: list[str] | None = None, outlet: str | None = None, date_from: str | None = None,
                     date_to: str | None = None, place: str | None = None, entity: str | None = None) -> list[tuple[str, int]]:
        """How many matching stories start on each day (YYYY-MM-DD, ascending); undated stories left out."""
        wanted = set(story_ids) if story_ids is not None else None
        days: dict[str, int] = {}
        for s in self.stories():
            start = ((s.get("period") or {}).get("start") or "")[:10]
            if start and (wanted is None or s.get("id") in wanted) and story_matches(
                    s, outlet=outlet, date_from=date_from, date_to=date_to, place=place, entity=entity):
                days[start] = days.get(start, 0) + 1
        return sorted(days.items())

    def article_filter_page(self, *, sort: str = "newest", offset: int = 0, limit: int = 50, **filters: Any) -> tuple[int, list[Article]]:
        """How many articles match the filters (see article_matches), and one page of them.

        sort: newest (claimed date, undated last, then id), oldest, ingest (stored order) or relevance (the order of `article_ids`)."""
        rows = [(a, self.article_state(a.id)) for a in self.articles()]
        rows = [(a, st) for a, st in rows if article_matches(a, st, **filters)]
        rows.sort(key=lambda r: article_sort_key(r[0], sort, filters.get("article_ids")))
        return len(rows), [a for a, _ in rows[offset:offset + limit]]

    def article_volume(self, **filters: Any) -> list[tuple[str, int]]:
        """How many matching articles claim each day (YYYY-MM-DD, ascending); undated articles left out."""
        days: dict[str, int] = {}
        for a in self.articles():
            if a.published and article_matches(a, self.article_state(a.id), **filters):
                day = a.published.isoformat()[:10]
                days[day] = days.get(day, 0) + 1
        return sorted(days.items())

    def outlet_stats(self) -> list[dict[str, Any]]:
        """Every outlet with its article count, how many of them copy another article and how many were copied."""
        arts = {a.id: a for a in self.articles()}
        out: dict[str, dict[str, Any]] = {}
        for a in arts.values():
            o = out.setdefault(a.outlet or "", {"outlet": a.outlet or "", "articles": 0, "copies": 0, "copied": 0})
            o["articles"] += 1
            dup = self.article_state(a.id).get("duplicate_of")
            if dup:
                o["copies"] += 1
                src = arts.get(dup)
                if src is not None:
                    out.setdefault(src.outlet or "", {"outlet": src.outlet or "", "articles": 0, "copies": 0, "copied": 0})["copied"] += 1
        return sorted(out.values(), key=lambda o: (-o["articles"], o["outlet"]))

    def outlet_copies(self, outlet: str, limit: int = 500) -> list[dict[str, Any]]:
        """Copy → original pairs where either side is from `outlet` (any case), newest copy first."""
        arts = {a.id: a for a in self.articles()}
        pairs = []
        for a in arts.values():
            dup = self.article_state(a.id).get("duplicate_of")
            src = arts.get(dup) if dup else None
            if src is not None and outlet.lower() in ((a.outlet or "").lower(), (src.outlet or "").lower()):
                pairs.append(_pair(a, src))
        pairs.sort(key=lambda p: (p["copy_published"] is None, _desc(p["copy_published"] or ""), p["copy_id"]))
        return pairs[:limit]

    def data_version(self) -> str | None:
        """A value that changes whenever any writer commits (lets readers cache pages); None: unknown, never cache."""
        return None

    def article_page(self, offset: int = 0, limit: int = 50) -> list[Article]:
        """One page of articles, oldest ingest first."""
        from itertools import islice
        return list(islice(self.articles(), offset, offset + limit))

    @abstractmethod
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group writes so that they land together."""
        yield

    @contextmanager
    def link_lock(self) -> Iterator[None]:
        """Run the link stage alone: backends shared by several writing processes override this (PostgreSQL: advisory lock)."""
        yield

    @abstractmethod
    def close(self) -> None:
        """Release the connection."""

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def search_terms(query: str) -> list[str]:
    """The terms of a full-text query, each to be matched as a phrase: "quoted phrases" whole, other words one by one.

    Every term must match (AND). Punctuation inside a word splits it into a phrase ("e-mail" → "e mail"),
    as both backends' tokenizers do."""
    terms = []
    for phrase, token in re.findall(r'"([^"]*)"|([^\s"]+)', query):
        words = re.findall(r"\w+", phrase or token)
        if words:
            terms.append(" ".join(words))
    return terms


def article_matches(article: Article, state: dict[str, Any], *, outlet: str | None = None, outlet_is: str | None = None,
                    language: str | None = None, date_from: str | None = None, date_to: str | None = None,
                    recycled: bool | None = None, copy: bool | None = None, article_ids: list[str] | None = None,
                    story_id: str | None = None) -> bool:
    """The article-list filters: outlet (substring, any case), outlet_is (exact, any case), language (any case),
    claimed day in [from, to], recycled / copy (True: only those, False: none of those), one of article_ids, one story."""
    name = (article.outlet or "").lower()
    if outlet and outlet.lower() not in name:
        return False
    if outlet_is is not None and outlet_is.lower() != name:
        return False
    if language and language.lower() != (article.language or "").lower():
        return False
    day = article.published.isoformat()[:10] if article.published else None
    if date_from and not (day and day >= date_from[:10]):
        return False
    if date_to and not (day and day <= date_to[:10]):
        return False
    if recycled is not None and bool((state.get("recycled") or {}).get("is_recycled")) != recycled:
        return False
    if copy is not None and bool(state.get("duplicate_of")) != copy:
        return False
    if article_ids is not None and article.id not in set(article_ids):
        return False
    if story_id is not None and state.get("story_id") != story_id:
        return False
    return True


def _desc(text: str) -> tuple:
    # Inverting characters lets one ascending sort put the latest ISO text first.
    return tuple(-ord(c) for c in text)


def article_sort_key(article: Article, sort: str, article_ids: list[str] | None = None) -> tuple:
    """newest: claimed date descending, undated last, then id; oldest: dates ascending; ingest: stored order; relevance: article_ids order."""
    published = article.published.isoformat() if article.published else None
    if sort == "relevance" and article_ids is not None:
        return (article_ids.index(article.id) if article.id in article_ids else len(article_ids),)
    if sort == "ingest":
        return ()  # articles() is already in stored order and the sort is stable
    if sort == "oldest":
        return (published is None, published or "", article.id)
    return (published is None, _desc(published or ""), article.id)


def _pair(copy: Article, original: Article) -> dict[str, Any]:
    return {"copy_id": copy.id, "copy_outlet": copy.outlet, "copy_title": copy.title,
            "copy_published": copy.published.isoformat() if copy.published else None,
            "original_id": original.id, "original_outlet": original.outlet, "original_title": original.title,
            "original_published": original.published.isoformat() if original.published else None}


def story_matches(story: dict[str, Any], *, outlet: str | None = None, date_from: str | None = None, date_to: str | None = None,
                  place: str | None = None, entity: str | None = None) -> bool:
    """The story-list filters: outlet, place and entity (substring of a name or alias, any case),
    period overlapping [from, to] (ISO dates)."""
    if outlet and not any(outlet.lower() in (o or "").lower() for o in story.get("outlets") or []):
        return False
    period = story.get("period") or {}
    if date_from and not (period.get("end") or "")[:10] >= date_from[:10]:
        return False
    if date_to and not (period.get("start") and period["start"][:10] <= date_to[:10]):
        return False
    if place and not any(place.lower() in (p.get("name") or "").lower() for p in story.get("places") or []):
        return False
    if entity:
        e = entity.lower()
        if not any(e in (n or "").lower() for x in story.get("entities") or [] for n in [x.get("name"), *(x.get("aliases") or [])]):
            return False
    return True


def story_sort_key(story: dict[str, Any], sort: str, story_ids: list[str] | None = None) -> tuple:
    """Largest first (then latest report, then id), newest first (latest report, then id; undated last), or relevance (story_ids order)."""
    if sort == "relevance" and story_ids is not None:
        sid = story.get("id")
        return (story_ids.index(sid) if sid in story_ids else len(story_ids), sid or "")
    end = (story.get("period") or {}).get("end")
    # Negate the date by inverting characters so one ascending sort gives newest first.
    newest = (end is None, tuple(-ord(c) for c in end) if end else (), story.get("id") or "")
    if sort == "newest":
        return newest
    return (-len(story.get("articles") or []), *newest)


class NestedTransactions:
    """Shared by the SQL backends: nested `transaction()` blocks on one connection; only the outermost begins and commits."""

    _begin_sql = "BEGIN"

    def schema_version(self) -> int:
        """Highest applied migration."""
        return self.conn.execute("SELECT max(version) FROM schema_migrations").fetchone()[0] or 0

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._lock:
            outer = self._depth == 0
            if outer:
                self.conn.execute(self._begin_sql)
            self._depth += 1
            try:
                yield
            except BaseException:
                self._depth -= 1
                if outer:
                    self.conn.execute("ROLLBACK")
                raise
            self._depth -= 1
            if outer:
                self.conn.execute("COMMIT")
