"""MinHash signatures (numpy, vectorised over whole batches) and LSH band keys.

Two homes for the band keys share one implementation of the hashing:
- `MemoryLSH`: an in-process index of sorted numpy runs (log-structured: inserts go to a
  buffer, full buffers become sorted runs, runs of similar size merge), used by benchmarks
  and batch jobs;
- `StoreLSH`: the persisted index in the store (tables `minhash_signatures` and
  `lsh_buckets`, migration 10): adding an article inserts its rows and never rebuilds.

Signatures are stable across processes and machines (no Python `hash`): token hashes are a
fixed polynomial over UTF-8 bytes, shingle hashes a fixed polynomial mix, permutations drawn
from a fixed seed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

import numpy as np

from ..records import analysed_text

NUM_PERM = 126          # 63 bands × 2 rows: a pair with Jaccard 0.15 becomes a candidate with p≈0.76, 0.25 → 0.98
BANDS = 63              # (a short wire story inside a long page of chrome has a low Jaccard with it; verification
ROWS = 2                #  by aligned passages, not the band threshold, decides what is a copy)
WINDOW = 60             # words per query window (containment: a short text inside a longer one)
STRIDE = 30
SHINGLE = 5             # words per shingle
SEED = 20211112

_WORD = re.compile(r"\w+", re.UNICODE)
_M64 = np.uint64(0xFFFFFFFFFFFFFFFF)
_EMPTY = np.uint32(0xFFFFFFFF)


def words(text: str) -> list[str]:
    """Lower-cased word tokens (punctuation, spacing and case never decide a match)."""
    return _WORD.findall(text.lower())


def _mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads shingle hashes over all 64 bits (uint64 arithmetic wraps by design)."""
    with np.errstate(over="ignore"):
        x = x ^ (x >> np.uint64(30))
        x = x * np.uint64(0xBF58476D1CE4E5B9)
        x = x ^ (x >> np.uint64(27))
        x = x * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))


_P = 0x100000001B3                     # odd, so it has an inverse modulo 2**64
_P_INV = pow(_P, -1, 2**64)
_pows = np.ones(1, dtype=np.uint64)
_inv_pows = np.ones(1, dtype=np.uint64)


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """P**i and P**-i modulo 2**64 for i < n (grown on demand and kept)."""
    global _pows, _inv_pows
    if len(_pows) < n:
        m = max(n, 2 * len(_pows))
        one = np.ones(1, dtype=np.uint64)
        with np.errstate(over="ignore"):
            _pows = np.cumprod(np.concatenate([one, np.full(m - 1, _P, dtype=np.uint64)]), dtype=np.uint64)
            _inv_pows = np.cumprod(np.concatenate([one, np.full(m - 1, _P_INV, dtype=np.uint64)]), dtype=np.uint64)
    return _pows[:n], _inv_pows[:n]


def token_hashes(tokens: Sequence[str]) -> np.ndarray:
    """Stable 64-bit hash of each token, all at once: one polynomial prefix sum over the UTF-8 bytes.

    hash(token) = sum(byte_j * P**j over its bytes), read off the prefix sums of the space-joined
    tokens and shifted back to position 0 with P**-start; then mixed. No Python loop per token.
    """
    if not tokens:
        return np.empty(0, dtype=np.uint64)
    raw = " ".join(tokens).encode("utf-8")
    b = np.frombuffer(raw, dtype=np.uint8)
    pw, inv = _powers(len(b) + 1)
    with np.errstate(over="ignore"):
        prefix = np.zeros(len(b) + 1, dtype=np.uint64)
        np.cumsum(b.astype(np.uint64) * pw[:len(b)], dtype=np.uint64, out=prefix[1:])
        spaces = np.flatnonzero(b == 32)
        starts = np.concatenate([[0], spaces + 1])
        ends = np.concatenate([spaces, [len(b)]])
        h = (prefix[ends] - prefix[starts]) * inv[starts]
        return _mix64(h ^ (ends - starts).astype(np.uint64))




def shingle_hashes(tokens: Sequence[str], k: int = SHINGLE) -> np.ndarray:
    """Distinct 64-bit hashes of the word k-shingles of a token list (empty when shorter than k)."""
    if len(tokens) < k:
        return np.empty(0, dtype=np.uint64)
    th = token_hashes(tokens)
    return shingles_from_token_hashes(th, k)


def shingles_from_token_hashes(th: np.ndarray, k: int = SHINGLE) -> np.ndarray:
    """Distinct shingle hashes from token hashes: a rolling polynomial over k tokens, then mixed."""
    if len(th) < k:
        return np.empty(0, dtype=np.uint64)
    n = len(th) - k + 1
    acc = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            acc = acc * np.uint64(0x100000001B3) + th[j:j + n]
    return np.unique(_mix64(acc))


@dataclass(frozen=True)
class MinHasher:
    """A family of `num_perm` multiply-shift hash functions (fixed by the seed)."""

    num_perm: int = NUM_PERM
    seed: int = SEED

    def __post_init__(self) -> None:
        rng = np.random.default_rng(self.seed)
        a = rng.integers(1, 2**63, size=self.num_perm, dtype=np.uint64) * np.uint64(2) + np.uint64(1)  # odd multipliers
        b = rng.integers(0, 2**63, size=self.num_perm, dtype=np.uint64)
        object.__setattr__(self, "_a", a)
        object.__setattr__(self, "_b", b)

    def signature(self, shingles: np.ndarray) -> np.ndarray:
        """uint32[num_perm] minimum of each permutation over the shingle set (all 0xFFFFFFFF when empty)."""
        if len(shingles) == 0:
            return np.full(self.num_perm, _EMPTY, dtype=np.uint32)
        with np.errstate(over="ignore"):
            v = (shingles[:, None] * self._a[None, :] + self._b[None, :]) >> np.uint64(32)
        return v.min(axis=0).astype(np.uint32)

    def signatures(self, shingle_sets: Sequence[np.ndarray], chunk: int = 4096) -> np.ndarray:
        """Signatures of many shingle sets at once: in-place products over cache-sized chunks and a segmented minimum."""
        n_sets = len(shingle_sets)
        out = np.full((n_sets, self.num_perm), _EMPTY, dtype=np.uint32)
        lens = np.fromiter((len(s) for s in shingle_sets), dtype=np.int64, count=n_sets)
        nz = np.nonzero(lens)[0]
        if not len(nz):
            return out
        flat = np.concatenate([shingle_sets[t] for t in nz.tolist()])
        bounds = np.concatenate([[0], np.cumsum(lens[nz])])
        buf = np.empty((max(chunk, int(lens.max())), self.num_perm), dtype=np.uint64)
        i = 0
        while i < len(nz):
            # Whole sets per chunk; a chunk of ~4k shingles keeps the product matrix in cache.
            j = int(np.searchsorted(bounds, bounds[i] + chunk, side="right")) - 1
            j = max(j, i + 1)
            f = flat[bounds[i]:bounds[j]]
            v = buf[:len(f)]
            with np.errstate(over="ignore"):
                np.multiply(f[:, None], self._a[None, :], out=v)
                np.add(v, self._b[None, :], out=v)
            np.right_shift(v, np.uint64(32), out=v)
            out[nz[i:j]] = np.minimum.reduceat(v, bounds[i:j] - bounds[i], axis=0)
            i = j
        return out


def band_keys(sigs: np.ndarray, bands: int = BANDS, rows: int = ROWS) -> np.ndarray:
    """int64[n, bands]: one key per band, mixing the band number so equal rows in different bands never meet."""
    sigs = np.atleast_2d(sigs)
    n = sigs.shape[0]
    s = sigs[:, :bands * rows].astype(np.uint64).reshape(n, bands, rows)
    acc = np.broadcast_to(np.arange(bands, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15), (n, bands)).copy()
    with np.errstate(over="ignore"):
        for r in range(rows):
            acc = _mix64(acc ^ s[:, :, r])
    return acc.view(np.int64)


def indexable(sig: np.ndarray) -> bool:
    """False for the signature of a text too short to shingle (it must not collide with anything)."""
    return bool((sig != _EMPTY).any())


def estimate_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Share of equal signature positions: an unbiased estimate of the shingle sets' Jaccard similarity."""
    return float(np.mean(a == b))


class MemoryLSH:
    """In-process LSH index over int64 band keys: sorted runs plus an append buffer (no rebuilds)."""

    def __init__(self, bands: int = BANDS, rows: int = ROWS, buffer: int = 65536):
        self.bands, self.rows, self.buffer = bands, rows, buffer
        self._runs: list[tuple[np.ndarray, np.ndarray]] = []     # (sorted keys, doc numbers)
        self._buf_keys: list[np.ndarray] = []
        self._buf_docs: list[np.ndarray] = []
        self._buf_n = 0
        self.size = 0

    def add(self, keys: np.ndarray, first_doc: int | None = None) -> np.ndarray:
        """Index docs given their band keys (int64[n, bands]); returns their doc numbers."""
        keys = np.atleast_2d(keys)
        start = self.size if first_doc is None else first_doc
        docs = np.arange(start, start + keys.shape[0], dtype=np.int32)
        self._buf_keys.append(keys.ravel())
        self._buf_docs.append(np.repeat(docs, keys.shape[1]))
        self._buf_n += keys.size
        self.size = max(self.size, start + keys.shape[0])
        if self._buf_n >= self.buffer * self.bands:
            self._flush()
        return docs

    def _flush(self) -> None:
        if not self._buf_n:
            return
        k = np.concatenate(self._buf_keys)
        d = np.concatenate(self._buf_docs)
        order = np.argsort(k, kind="stable")
        self._runs.append((k[order], d[order]))
        self._buf_keys, self._buf_docs, self._buf_n = [], [], 0
        # Merge while the newest run is at least half the size of the one before it: O(log n) runs.
        while len(self._runs) > 1 and len(self._runs[-1][0]) * 2 >= len(self._runs[-2][0]):
            (k2, d2), (k1, d1) = self._runs.pop(), self._runs.pop()
            k = np.concatenate([k1, k2])
            d = np.concatenate([d1, d2])
            order = np.argsort(k, kind="stable")
            self._runs.append((k[order], d[order]))

    def query(self, keys: np.ndarray) -> np.ndarray:
        """Doc numbers sharing at least one band key with the query (int64[bands])."""
        keys = np.asarray(keys, dtype=np.int64).ravel()
        found = []
        for rk, rd in self._runs:
            lo = np.searchsorted(rk, keys, side="left")
            hi = np.searchsorted(rk, keys, side="right")
            for a, b in zip(lo.tolist(), hi.tolist()):
                if b > a:
                    found.append(rd[a:b])
        if self._buf_n:
            bk = np.concatenate(self._buf_keys)
            hit = np.isin(bk, keys)
            if hit.any():
                found.append(np.concatenate(self._buf_docs)[hit])
        if not found:
            return np.empty(0, dtype=np.int32)
        return np.unique(np.concatenate(found))

    def nbytes(self) -> int:
        """Memory held by the index arrays."""
        return sum(k.nbytes + d.nbytes for k, d in self._runs) + sum(a.nbytes for a in self._buf_keys + self._buf_docs)


# --- the persisted index (tables from migration 10) -------------------------------------------

_HASHER: MinHasher | None = None


def hasher() -> MinHasher:
    """The process-wide MinHasher with the stored index's parameters."""
    global _HASHER
    if _HASHER is None:
        _HASHER = MinHasher(NUM_PERM, SEED)
    return _HASHER


def text_signature(text: str) -> tuple[np.ndarray, int]:
    """Signature of one text and how many distinct shingles it has."""
    sh = shingle_hashes(words(analysed_text(text)))
    return hasher().signature(sh), len(sh)


def text_signatures(text: str) -> tuple[np.ndarray, int, np.ndarray]:
    """Signature of a text, its shingle count, and signatures of overlapping windows (for containment queries)."""
    toks = words(analysed_text(text))
    th = token_hashes(toks)
    doc = shingles_from_token_hashes(th)
    sets = [doc]
    if len(toks) > WINDOW + STRIDE:
        for start in range(0, len(toks) - WINDOW + STRIDE, STRIDE):
            sets.append(shingles_from_token_hashes(th[start:start + WINDOW]))
    sigs = hasher().signatures(sets)
    return sigs[0], len(doc), sigs[1:]


PARAMS = f"num_perm={NUM_PERM};bands={BANDS};rows={ROWS};shingle={SHINGLE};seed={SEED};v=2"


def _rows(cur: Any) -> list[Sequence[Any]]:
    return list(cur.fetchall())


class StoreLSH:
    """The LSH index kept in the store: one signature row per article, one bucket row per band."""

    def __init__(self, store: Any):
        self.store = store
        stored = store.get_meta("minhash.params")
        if stored != PARAMS:
            if stored is not None:
                self.reindex()   # built by another version: its signatures would never match new ones
            store.set_meta("minhash.params", PARAMS)

    def reindex(self) -> int:
        """Drop the index and index every stored article again (only when the parameters changed)."""
        with self.store.transaction():
            self.store.execute("DELETE FROM lsh_buckets")
            self.store.execute("DELETE FROM minhash_signatures")
            n = 0
            for a in self.store.articles():
                sig, k = text_signature(a.text)
                self.add(a.id, sig, k)
                n += 1
        return n

    def has(self, article_id: str) -> bool:
        """True when the article is indexed."""
        return self.store.execute("SELECT 1 FROM minhash_signatures WHERE article_id=?", (article_id,)).fetchone() is not None

    def add(self, article_id: str, sig: np.ndarray, n_shingles: int) -> bool:
        """Index one article (no-op when already indexed); short texts keep a signature but no buckets."""
        if self.has(article_id):
            return False
        with self.store.transaction():
            self.store.execute("INSERT OR IGNORE INTO minhash_signatures VALUES (?,?,?)",
                               (article_id, n_shingles, sig.astype("<u4").tobytes()))
            if indexable(sig):
                self.store.executemany("INSERT OR IGNORE INTO lsh_buckets VALUES (?,?)",
                                       [(int(key), article_id) for key in band_keys(sig)[0].tolist()])
        return True

    def signature(self, article_id: str) -> np.ndarray | None:
        """The stored signature of one article."""
        r = self.store.execute("SELECT sig FROM minhash_signatures WHERE article_id=?", (article_id,)).fetchone()
        return np.frombuffer(bytes(r[0]), dtype="<u4").astype(np.uint32) if r else None

    def candidates(self, sig: np.ndarray, exclude: Iterable[str] = (), windows: np.ndarray | None = None) -> list[tuple[str, float]]:
        """Indexed articles sharing a band with `sig` (or with one of its window signatures), best estimate first.

        The estimate is the Jaccard of the whole texts, or of the best window against the whole
        stored text when windows are given (a short text contained in a longer one).
        """
        probes = [sig] + ([w for w in windows if indexable(w)] if windows is not None else [])
        probes = [p for p in probes if indexable(p)]
        if not probes:
            return []
        keys = sorted({int(k) for k in band_keys(np.array(probes)).ravel().tolist()})
        ids: set[str] = set()
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            marks = ",".join("?" * len(chunk))
            ids |= {r[0] for r in _rows(self.store.execute(f"SELECT DISTINCT article_id FROM lsh_buckets WHERE key IN ({marks})", chunk))}
        ids -= set(exclude)
        if not ids:
            return []
        # One read per 500 candidates, and every probe against every candidate in one numpy comparison.
        found_ids, sigs = [], []
        wanted = sorted(ids)
        for i in range(0, len(wanted), 500):
            chunk = wanted[i:i + 500]
            marks = ",".join("?" * len(chunk))
            for aid, blob in _rows(self.store.execute(f"SELECT article_id, sig FROM minhash_signatures WHERE article_id IN ({marks})", chunk)):
                found_ids.append(aid)
                sigs.append(np.frombuffer(bytes(blob), dtype="<u4"))
        if not found_ids:
            return []
        est = (np.stack(sigs)[:, None, :] == np.array(probes, dtype=np.uint32)[None, :, :]).mean(axis=2).max(axis=1)
        out = [(aid, float(e)) for aid, e in zip(found_ids, est.tolist())]
        out.sort(key=lambda x: (-x[1], x[0]))
        return out


__all__ = ["MinHasher", "MemoryLSH", "StoreLSH", "band_keys", "shingle_hashes", "words", "text_signature", "text_signatures",
           "estimate_jaccard", "indexable", "NUM_PERM", "BANDS", "ROWS", "SHINGLE"]
