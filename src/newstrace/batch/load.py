"""`newstrace load DIR`: bring a batch job's Parquet outputs into a store (SQLite or PostgreSQL)."""
from __future__ import annotations

import json
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
    missing = [d for d in ("raw", "articles", "links", "stories", "failures") if not (p / d).is_dir()]
    if missing or not (p / "_SUCCESS").exists():
        raise ValueError(f"{out}: not a complete batch output (missing: {', '.join(missing) or '_SUCCESS'})")
    return p


def load(out: str, store: Store, on_progress: Callable[[str, int], None] | None = None) -> LoadReport:
    """Insert raw documents, failures, articles (with enrichment, link state and MinHash index), links and stories."""
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
    index = _minhash_index(store)

    def article(r: dict[str, Any]) -> bool:
        a, e = article_from_flat(r)
        new = store.add_article(a, e)
        store.set_article_state(a.id, story_id=r.get("story_id"), duplicate_of=r.get("duplicate_of"),
                                recycled=json.loads(r["recycled"]) if r.get("recycled") else None)
        if index is not None and r.get("sig") is not None:
            import numpy as np
            index.add(a.id, np.frombuffer(r["sig"], dtype="<u4").astype(np.uint32), int(r.get("shingles") or 0))
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
    return rep


def _minhash_index(store: Store) -> Any:
    """The store's persisted MinHash/LSH index, so that later `ingest` and `check` find copies of loaded articles."""
    try:
        from ..link.minhash import StoreLSH
    except ImportError:
        return None
    return StoreLSH(store)
