"""`newstrace load DIR`: bring a batch job's Parquet outputs into a store (SQLite or PostgreSQL)."""
from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from ..store import Store
from .rows import article_from_flat, failure_from_row, link_from_row, raw_from_row

CHUNK = 500              # rows per transaction


@dataclass
class LoadReport:
    """How many rows of each dataset were new to the store."""

    added: dict[str, int] = field(default_factory=dict)
    seen: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        return ", ".join(f"{k}: {self.added.get(k, 0)} new of {self.seen.get(k, 0)}" for k in self.seen)


def _rows(path: Path) -> Iterator[dict[str, Any]]:
    """Rows of one Parquet dataset (a folder of part files), streamed in record batches."""
    import pyarrow.dataset as ds
    if not path.exists():
        return
    for batch in ds.dataset(str(path), format="parquet").to_batches(batch_size=CHUNK):
        yield from batch.to_pylist()


def check_output(out: str) -> Path:
    """The batch output folder, or a clear error naming what is missing."""
    p = Path(out)
    if not p.is_dir():
        raise ValueError(f"{out}: no such folder (expected the --out folder of `newstrace batch`)")
    missing = [d for d in ("raw", "articles", "links", "stories", "failures", "index") if not (p / d).is_dir()]
    if missing or not (p / "_SUCCESS").exists():
        raise ValueError(f"{out}: not a complete batch output (missing: {', '.join(missing) or '_SUCCESS'})")
    return p


def load(out: str, store: Store, on_progress: Callable[[str, int], None] | None = None) -> LoadReport:
    """Insert raw documents, failures, articles (with enrichment and link state), links, stories and the stages' indexes."""
    p = check_output(out)
    rep = LoadReport()

    def each(name: str, fn: Callable[[dict[str, Any]], bool]) -> None:
        rep.added[name] = rep.seen[name] = 0
        rows = _rows(p / name)
        while True:
            chunk = [r for _, r in zip(range(CHUNK), rows)]
            if not chunk:
                break
            with store.transaction():
                for r in chunk:
                    rep.seen[name] += 1
                    rep.added[name] += bool(fn(r))
            if on_progress:
                on_progress(name, rep.seen[name])

    each("raw", lambda r: store.add_raw(raw_from_row(r)))
    each("failures", lambda r: store.add_failure(failure_from_row(r)))

    def article(r: dict[str, Any]) -> bool:
        a, e = article_from_flat(r)
        new = store.add_article(a, e)
        store.set_article_state(a.id, story_id=r.get("story_id"), duplicate_of=r.get("duplicate_of"),
                                recycled=json.loads(r["recycled"]) if r.get("recycled") else None)
        return new

    each("articles", article)

    def links(r: dict[str, Any]) -> bool:
        store.add_links([link_from_row(r)])
        return True

    each("links", links)

    def story(r: dict[str, Any]) -> bool:
        new = store.get_story(r["id"]) is None
        store.put_story(r["id"], json.loads(r["data"]))
        return new

    each("stories", story)
    # Index tables this store's schema lacks are skipped: later ingests rebuild what they need.
    tables = {r["table"] for r in _rows(p / "index")}
    known = {t: _has_table(store, t) for t in tables}
    each("index", lambda r: known.get(r["table"], False) and _index_row(store, r["table"], r["data"]))
    return rep


_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _has_table(store: Store, table: str) -> bool:
    """True when the store's schema has this table (asked outside any transaction: a failed query aborts one)."""
    if not _IDENT.fullmatch(table):
        return False
    try:
        store.execute(f"SELECT 1 FROM {table} WHERE 1=0").fetchall()
        return True
    except Exception:
        return False


def _index_row(store: Store, table: str, data: str) -> bool:
    """Insert one stage-index row exported by the job (kept as is when the store already has that key)."""
    row = {k: base64.b64decode(v["$b64"]) if isinstance(v, dict) and "$b64" in v else v for k, v in json.loads(data).items()}
    cols = [c for c in row if _IDENT.fullmatch(c)]
    cur = store.execute(f"INSERT OR IGNORE INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                        [row[c] for c in cols])
    return cur.rowcount == 1
