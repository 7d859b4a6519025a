"""The Store methods both SQL backends share, each statement written once in the SQLite dialect."""
from __future__ import annotations

import json
from abc import abstractmethod
from datetime import datetime
from typing import Any, Iterator, Sequence

from ..records import ANALYSED_CHARS, Article, Enrichment, Failure, Link, RawDocument, utcnow
from .base import NestedTransactions, Store
from .codec import article_from_row, article_to_row, dumps, enrichment_from_json, enrichment_to_json

_ARTICLE_COLUMNS = ("id", "external_id", "origin", "title", "outlet", "url", "author", "published",
                    "published_source", "language", "text", "paragraphs", "captions", "boilerplate",
                    "first_seen", "first_seen_source", "media_type", "published_precision")
_STATE_COLUMNS = ("story_id", "duplicate_of", "recycled")


class SQLStore(NestedTransactions, Store):
    """A store in an SQL database whose `execute` runs SQLite-dialect statements (`?`, INSERT OR IGNORE/REPLACE)."""

    # What each backend writes in its own SQL (JSON access, sort order); every value is a `?` placeholder.
    _id_order: str  # story ids in byte order, as base.story_sort_key compares them
    _period_end_desc: str  # latest report first, undated stories last
    _story_in_ids: str  # the story is one of a list passed as one value (see _story_ids_value)
    _story_has_outlet: str  # substring of an outlet name, any case
    _story_has_place: str  # substring of a place name, any case
    _story_has_entity: str  # substring of an entity name or alias, any case; takes the entity twice
    _rank_in_ids: str  # position of {table}.id in a list passed as one value (relevance order)
    _contains: str  # column {col} holds the value as a substring, any case
    _recycled_flag: str  # 1 when the article's recycled verdict says is_recycled, else 0
    _collate_c: str = ""  # byte order for text, as Python compares str

    @staticmethod
    @abstractmethod
    def _story_ids_value(story_ids: list[str]) -> Any:
        """The list of story ids as the one value `_story_in_ids` takes."""

    @abstractmethod
    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run one statement written in the SQLite dialect; returns the cursor."""

    @abstractmethod
    def executemany(self, sql: str, seq: Sequence[Sequence[Any]]) -> Any:
        """`execute` for many parameter rows."""

    # --- raw documents -------------------------------------------------
    def has_raw(self, raw_id: str) -> bool:
        return self.execute("SELECT 1 FROM raw_documents WHERE id=?", (raw_id,)).fetchone() is not None

    def add_raw(self, raw: RawDocument) -> bool:
        # Ignoring the clash makes this the claim: exactly one concurrent writer gets True.
        cur = self.execute(
            "INSERT OR IGNORE INTO raw_documents (id, origin, media_type, first_seen, first_seen_source, hints, data, ingested_at) "
            "VALUES (?,?,?,?,?,?,?,?)",
            (raw.id, raw.origin, raw.media_type, raw.first_seen.isoformat(), raw.first_seen_source,
             dumps(raw.hints), raw.data, utcnow().isoformat()))
        return cur.rowcount == 1

    def get_raw(self, raw_id: str) -> RawDocument | None:
        r = self.execute("SELECT * FROM raw_documents WHERE id=?", (raw_id,)).fetchone()
        if r is None:
            return None
        return RawDocument(id=r["id"], origin=r["origin"], data=bytes(r["data"]), media_type=r["media_type"],
                           first_seen=datetime.fromisoformat(r["first_seen"]), first_seen_source=r["first_seen_source"],
                           hints=json.loads(r["hints"]))

    # --- quarantine ----------------------------------------------------
    def add_failure(self, failure: Failure) -> bool:
        cur = self.execute(
            "INSERT OR IGNORE INTO quarantine (origin, stage, reason, content_id, data, recorded_at) VALUES (?,?,?,?,?,?)",
            (failure.origin, failure.stage, failure.reason, failure.id, failure.data, failure.when.isoformat()))
        return cur.rowcount == 1

    def failures(self) -> list[dict[str, Any]]:
        rows = self.execute("SELECT origin, stage, reason, content_id, recorded_at, length(data) AS size FROM quarantine ORDER BY seq")
        return [dict(r) for r in rows]

    # --- articles ------------------------------------------------------
    def add_article(self, article: Article, enrichment: Enrichment | None = None) -> bool:
        row = article_to_row(article)
        with self.transaction():
            cur = self.execute(
                f"INSERT OR IGNORE INTO articles ({','.join(_ARTICLE_COLUMNS)}) VALUES ({','.join('?' * len(_ARTICLE_COLUMNS))})",
                [row[c] for c in _ARTICLE_COLUMNS])
            if cur.rowcount != 1:
                return False
            if enrichment is not None:
                self.set_enrichment(enrichment)
        return True

    def get_article(self, article_id: str, head: bool = False) -> Article | None:
        if not head:
            r = self.execute("SELECT * FROM articles WHERE id=?", (article_id,)).fetchone()
            return article_from_row(dict(r)) if r else None
        # only the analysed part is read: a long article costs its prefix, not its whole text, at every link step
        cols = ",".join(f"substr(text, 1, {ANALYSED_CHARS + 1}) AS text" if c == "text" else c for c in _ARTICLE_COLUMNS)
        r = self.execute(f"SELECT {cols} FROM articles WHERE id=?", (article_id,)).fetchone()
        return article_from_row(dict(r)).head() if r else None

    def articles(self) -> Iterator[Article]:
        for r in self.execute("SELECT * FROM articles ORDER BY seq").fetchall():
            yield article_from_row(dict(r))

    def article_count(self) -> int:
        return self.execute("SELECT count(*) FROM articles").fetchone()[0]

    def article_page(self, offset: int = 0, limit: int = 50) -> list[Article]:
        rows = self.execute("SELECT * FROM articles ORDER BY seq LIMIT ? OFFSET ?", (max(0, limit), max(0, offset))).fetchall()
        return [article_from_row(dict(r)) for r in rows]

    def get_enrichment(self, article_id: str) -> Enrichment | None:
        r = self.execute("SELECT data FROM enrichments WHERE article_id=?", (article_id,)).fetchone()
        return enrichment_from_json(r[0]) if r else None

    def set_enrichment(self, enrichment: Enrichment) -> None:
        self.execute("INSERT OR REPLACE INTO enrichments (article_id, data) VALUES (?,?)",
                     (enrichment.article_id, enrichment_to_json(enrichment)))

    def article_state(self, article_id: str) -> dict[str, Any]:
        r = self.execute("SELECT story_id, duplicate_of, recycled FROM articles WHERE id=?", (article_id,)).fetchone()
        if r is None:
            return {}
        return {"story_id": r["story_id"], "duplicate_of": r["duplicate_of"],
                "recycled": json.loads(r["recycled"]) if r["recycled"] else None}

    def set_article_state(self, article_id: str, **state: Any) -> None:
        bad = set(state) - set(_STATE_COLUMNS)
        if bad:
            raise ValueError(f"unknown article state: {sorted(bad)}")
        if not state:
            return
        values = [dumps(v) if k == "recycled" and v is not None else v for k, v in state.items()]
        self.execute(f"UPDATE articles SET {', '.join(f'{k}=?' for k in state)} WHERE id=?", [*values, article_id])

    # --- links and stories ---------------------------------------------
    def add_links(self, links: list[Link]) -> None:
        if not links:
            return
        with self.transaction():
            self.executemany("INSERT OR REPLACE INTO links (src, dst, kind, score, evidence) VALUES (?,?,?,?,?)",
                             [(l.src, l.dst, l.kind, l.score, dumps(l.evidence)) for l in links])

    def links(self, article_id: str | None = None, kind: str | None = None) -> list[Link]:
        sql, params = "SELECT * FROM links WHERE 1=1", []
        if article_id is not None:
            sql += " AND (src=? OR dst=?)"
            params += [article_id, article_id]
        if kind is not None:
            sql += " AND kind=?"
            params.append(kind)
        return [Link(src=r["src"], dst=r["dst"], kind=r["kind"], score=r["score"], evidence=json.loads(r["evidence"]))
                for r in self.execute(sql, params).fetchall()]

    def put_story(self, story_id: str, story: dict[str, Any]) -> None:
        self.execute("INSERT OR REPLACE INTO stories (id, data, updated_at) VALUES (?,?,?)",
                     (story_id, dumps(story), utcnow().isoformat()))

    def delete_story(self, story_id: str) -> None:
        self.execute("DELETE FROM stories WHERE id=?", (story_id,))

    def stories(self) -> list[dict[str, Any]]:
        return [json.loads(r[0]) for r in self.execute(f"SELECT data FROM stories ORDER BY {self._id_order}").fetchall()]

    def get_story(self, story_id: str) -> dict[str, Any] | None:
        r = self.execute("SELECT data FROM stories WHERE id=?", (story_id,)).fetchone()
        return json.loads(r[0]) if r else None

    def ids_with_prefix(self, kind: str, prefix: str, limit: int = 10) -> list[str]:
        table = {"story": "stories", "article": "articles"}[kind]
        if not prefix:
            return []
        pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = self.execute(f"SELECT id FROM {table} WHERE id LIKE ? ESCAPE '\\' ORDER BY id {self._collate_c} LIMIT ?",
                            (pattern, max(1, limit) * 4)).fetchall()
        # SQLite's LIKE ignores ASCII case, PostgreSQL's does not: both answer what starts with the prefix exactly
        return [r[0] for r in rows if r[0].startswith(prefix)][:limit]

    def article_ids_in_story(self, story_id: str) -> list[str]:
        return [r[0] for r in self.execute("SELECT id FROM articles WHERE story_id=? ORDER BY seq", (story_id,)).fetchall()]

    # --- meta ------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        r = self.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return r[0] if r else None

    def set_meta(self, key: str, value: str) -> None:
        self.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?,?)", (key, value))

    # --- paged reads (web UI / REST API) ----------------------------------
    def _story_where(self, story_ids: list[str] | None = None, outlet: str | None = None, date_from: str | None = None,
                     date_to: str | None = None, place: str | None = None, entity: str | None = None) -> tuple[str, list[Any]] | None:
        """The WHERE condition of the story filters (base.story_matches) and its values; None when nothing can match."""
        where: list[str] = ["1=1"]
        params: list[Any] = []
        if story_ids is not None:
            if not story_ids:
                return None
            where.append(self._story_in_ids)
            params.append(self._story_ids_value(story_ids))
        if outlet:
            where.append(self._story_has_outlet)
            params.append(outlet)
        if date_from:
            where.append("substr(period_end, 1, 10) >= ?")
            params.append(date_from[:10])
        if date_to:
            where.append("substr(period_start, 1, 10) <= ?")
            params.append(date_to[:10])
        if place:
            where.append(self._story_has_place)
            params.append(place)
        if entity:
            where.append(self._story_has_entity)
            params += [entity, entity]
        return " AND ".join(where), params

    def story_page(self, *, sort: str = "largest", offset: int = 0, limit: int = 20, story_ids: list[str] | None = None,
                   outlet: str | None = None, date_from: str | None = None, date_to: str | None = None,
                   place: str | None = None, entity: str | None = None) -> tuple[int, list[dict[str, Any]]]:
        # The same rules as base.story_matches / story_sort_key, as one indexed query (columns from migration 40).
        found = self._story_where(story_ids, outlet, date_from, date_to, place, entity)
        if found is None:
            return 0, []
        cond, params = found
        newest = f"{self._period_end_desc}, {self._id_order}"
        order = newest if sort == "newest" else f"n_articles DESC, {newest}"
        if sort == "relevance" and story_ids is not None:
            order = f"{self._rank_in_ids.format(table='stories')}, {self._id_order}"
            params_order = [self._story_ids_value(story_ids)]
        else:
            params_order = []
        total = self.execute(f"SELECT count(*) FROM stories WHERE {cond}", params).fetchone()[0]
        rows = self.execute(f"SELECT data FROM stories WHERE {cond} ORDER BY {order} LIMIT ? OFFSET ?",
                            [*params, *params_order, max(0, limit), max(0, offset)]).fetchall()
        return total, [json.loads(r[0]) for r in rows]

    def story_volume(self, *, story_ids: list[str] | None = None, outlet: str | None = None, date_from: str | None = None,
                     date_to: str | None = None, place: str | None = None, entity: str | None = None) -> list[tuple[str, int]]:
        found = self._story_where(story_ids, outlet, date_from, date_to, place, entity)
        if found is None:
            return []
        cond, params = found
        rows = self.execute(f"SELECT substr(period_start, 1, 10), count(*) FROM stories WHERE {cond} AND period_start IS NOT NULL "
                            "GROUP BY 1 ORDER BY 1", params).fetchall()
        return [(r[0], int(r[1])) for r in rows]

    def _article_where(self, outlet: str | None = None, outlet_is: str | None = None, language: str | None = None,
                       date_from: str | None = None, date_to: str | None = None, recycled: bool | None = None,
                       copy: bool | None = None, article_ids: list[str] | None = None,
                       story_id: str | None = None) -> tuple[str, list[Any]] | None:
        """The WHERE condition of the article filters (base.article_matches) and its values; None when nothing can match."""
        where: list[str] = ["1=1"]
        params: list[Any] = []
        if article_ids is not None:
            if not article_ids:
                return None
            where.append(self._story_in_ids)  # written on `id`: serves articles as well as stories
            params.append(self._story_ids_value(article_ids))
        if outlet:
            where.append(self._contains.format(col="outlet"))
            params.append(outlet)
        if outlet_is is not None:
            where.append("lower(coalesce(outlet, '')) = lower(?)")
            params.append(outlet_is)
        if language:
            where.append("lower(coalesce(language, '')) = lower(?)")
            params.append(language)
        if date_from:
            where.append("substr(published, 1, 10) >= ?")
            params.append(date_from[:10])
        if date_to:
            where.append("substr(published, 1, 10) <= ?")
            params.append(date_to[:10])
        if recycled is not None:
            where.append(f"{self._recycled_flag} = ?")
            params.append(1 if recycled else 0)
        if copy is not None:
            where.append("duplicate_of IS NOT NULL" if copy else "duplicate_of IS NULL")
        if story_id is not None:
            where.append("story_id = ?")
            params.append(story_id)
        return " AND ".join(where), params

    def article_filter_page(self, *, sort: str = "newest", offset: int = 0, limit: int = 50,
                            **filters: Any) -> tuple[int, list[Article]]:
        # The same rules as base.article_matches / article_sort_key in one query.
        found = self._article_where(**filters)
        if found is None:
            return 0, []
        cond, params = found
        order, order_params = f"published IS NULL, published DESC, {self._id_order}", []
        if sort == "oldest":
            order = f"published IS NULL, published, {self._id_order}"
        elif sort == "ingest":
            order = "seq"
        elif sort == "relevance" and filters.get("article_ids") is not None:
            order, order_params = self._rank_in_ids.format(table="articles"), [self._story_ids_value(filters["article_ids"])]
        total = self.execute(f"SELECT count(*) FROM articles WHERE {cond}", params).fetchone()[0]
        rows = self.execute(f"SELECT * FROM articles WHERE {cond} ORDER BY {order} LIMIT ? OFFSET ?",
                            [*params, *order_params, max(0, limit), max(0, offset)]).fetchall()
        return total, [article_from_row(dict(r)) for r in rows]

    def article_volume(self, **filters: Any) -> list[tuple[str, int]]:
        found = self._article_where(**filters)
        if found is None:
            return []
        cond, params = found
        rows = self.execute(f"SELECT substr(published, 1, 10), count(*) FROM articles WHERE {cond} AND published IS NOT NULL "
                            "GROUP BY 1 ORDER BY 1", params).fetchall()
        return [(r[0], int(r[1])) for r in rows]

    def outlet_stats(self) -> list[dict[str, Any]]:
        rows = self.execute("SELECT coalesce(outlet, '') AS o, count(*) AS n, "
                            "sum(CASE WHEN duplicate_of IS NOT NULL THEN 1 ELSE 0 END) AS c FROM articles GROUP BY 1").fetchall()
        out = {r[0]: {"outlet": r[0], "articles": int(r[1]), "copies": int(r[2] or 0), "copied": 0} for r in rows}
        for r in self.execute("SELECT coalesce(o.outlet, '') AS o, count(*) AS n FROM articles c JOIN articles o ON c.duplicate_of = o.id "
                              "GROUP BY 1").fetchall():
            out.setdefault(r[0], {"outlet": r[0], "articles": 0, "copies": 0, "copied": 0})["copied"] = int(r[1])
        return sorted(out.values(), key=lambda o: (-o["articles"], o["outlet"]))

    def outlet_copies(self, outlet: str, limit: int = 500) -> list[dict[str, Any]]:
        rows = self.execute(
            "SELECT c.id AS copy_id, c.outlet AS copy_outlet, c.title AS copy_title, c.published AS copy_published, "
            "o.id AS original_id, o.outlet AS original_outlet, o.title AS original_title, o.published AS original_published "
            "FROM articles c JOIN articles o ON c.duplicate_of = o.id "
            "WHERE lower(coalesce(c.outlet, '')) = lower(?) OR lower(coalesce(o.outlet, '')) = lower(?) "
            f"ORDER BY c.published IS NULL, c.published DESC, c.id {self._collate_c} LIMIT ?", (outlet, outlet, limit)).fetchall()
        return [dict(r) for r in rows]
