"""Annotation of big batches on every core: worker processes that parse *and* extract.

spaCy's own `nlp.pipe(n_process=…)` sends every parsed Doc back to the parent (serialising a Doc
costs about as much as the extraction run on it) and leaves the extraction to the parent, which
becomes the bottleneck. Here each worker holds its own model, parses a slice of the batch, runs
the extraction modules on its Docs, and returns only the small records (mentions and claims).

Workers start once per process, lazily, forked (on Linux) from the caller once it has loaded the
English model, so they share its memory and start at once. A batch with a language whose model the pool
was forked without (a slice holds one language: enrich/annotate.py) loads that model here and forks the
pool again: loaded in each worker instead, the French and Russian models made a multilingual ingest 2.2x
the hand-assembled baseline, against 0.99x loaded once before the fork (bench/bench_ingest.py). They run only spaCy, numpy and the extraction
code (never torch, whose OpenMP runtime is not fork-safe). A dead pool never stops a batch: the
batch falls back to the calling process.

The workers also embed: a batch's article embeddings are computed beside its annotation, and the link stage
encodes the claims of stories in several languages on them (`encode_parallel`), with the sentence encoder
inherited at the fork like the language models.
"""
from __future__ import annotations

import atexit
import logging
import multiprocessing
import os
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from .annotate import Item, Result, annotate_texts, by_route, load_route

log = logging.getLogger(__name__)

# Below this many articles a batch runs in the calling process: starting the workers and shipping
# results back costs more than it saves (a 64-article pipeline batch is worth it, a handful is not).
MIN_POOL_BATCH = 48
# Articles per task: large enough for efficient nlp.pipe batches, small enough to balance the workers.
SLICE = 16  # measured: 16, 32 and 64 cost the same CPU per article

_pool: ProcessPoolExecutor | None = None
_pool_size = 0
_pool_lock = threading.Lock()
_pool_routes: frozenset[str] = frozenset()   # routes whose model the pool's workers inherited at the fork
EMBED = "embed"   # a pseudo-route: the workers inherited the sentence encoder


def pool_size(n_texts: int) -> int:
    """How many worker processes a batch of n texts should use (1: none, stay in this process).

    $NEWSTRACE_NLP_PROCESSES overrides (1 turns the pool off). Inside a Spark executor the
    engine already runs one task per core, so no pool is started there.
    """
    env = os.environ.get("NEWSTRACE_NLP_PROCESSES")
    if env:
        return max(1, int(env))
    if "pyspark.worker" in sys.modules or "pyspark.daemon" in sys.modules or n_texts < MIN_POOL_BATCH:
        return 1
    return max(1, min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)))


def _init_worker() -> None:
    """Load the model once per worker; one BLAS thread, since the workers already fill the cores."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(1, user_api="blas")
    from . import models

    models.spacy_model()


def _annotate_slice(task: tuple[str, list[Item]]) -> tuple[list[Result | str], float]:
    """Mentions and claims of each item of one route, or the error message; plus this slice's CPU seconds."""
    c0 = time.process_time()
    out = list(annotate_texts(*task))
    return out, time.process_time() - c0


def _run_task(task: tuple[str, Any]) -> tuple[list[Any], float]:
    """One task of a batch: ("annotate", (route, items)) or ("embed", texts), with its CPU seconds."""
    kind, arg = task
    if kind == "annotate":
        return _annotate_slice(arg)
    c0 = time.process_time()
    from .embed import encode
    return encode(arg), time.process_time() - c0


def _get_pool(n: int, routes: set[str] = frozenset()) -> ProcessPoolExecutor:
    """The worker pool, forked again when its size changes or a route's model is new to it (EMBED: the sentence
    encoder)."""
    global _pool, _pool_size, _pool_routes
    fork = sys.platform.startswith("linux")
    with _pool_lock:
        missing = set(routes) - _pool_routes if fork else set()
        if _pool is None or _pool_size != n or missing:
            if _pool is not None:
                _pool.shutdown(wait=True, cancel_futures=True)
            if fork:
                # Fork after loading the models here, so the workers share their pages and start at
                # once; a forkserver or spawn would re-run an unguarded caller script in each worker.
                loaded = set(_pool_routes) | {"en"} | set(routes)
                for route in sorted(loaded):
                    if route == EMBED:
                        from .embed import model
                        model()
                    else:
                        load_route(route)
                _pool_routes = frozenset(loaded)
                ctx = multiprocessing.get_context("fork")
            else:
                ctx = multiprocessing.get_context("spawn")
            _pool = ProcessPoolExecutor(max_workers=n, mp_context=ctx, initializer=_init_worker)
            _pool_size = n
        return _pool


# Below this many sentences an encoding runs in the calling process.
MIN_POOL_ENCODE = 64


def encode_parallel(texts: list[str]) -> list[list[float]]:
    """embed.encode on the worker pool for many texts (the claims of a story in several languages, compared by
    the encoder at link time, where this process was the only one working); in this process for few."""
    from .embed import encode
    n = pool_size(len(texts)) if len(texts) >= MIN_POOL_ENCODE else 1
    if n <= 1:
        return encode(texts)
    global worker_cpu_seconds, _pool
    k = -(-len(texts) // (2 * n))
    try:
        pool = _get_pool(n, {EMBED})
        out: list[list[float]] = []
        for vecs, cpu in pool.map(_run_task, [("embed", texts[i:i + k]) for i in range(0, len(texts), k)]):
            out.extend(vecs)
            worker_cpu_seconds += cpu
        return out
    except (BrokenProcessPool, OSError, RuntimeError) as exc:
        log.warning("embed: worker pool failed (%s); encoding in this process", exc)
        with _pool_lock:
            _pool = None
        return encode(texts)


def shutdown() -> None:
    """Stop the worker processes (they are started again by the next big batch)."""
    global _pool
    with _pool_lock:
        if _pool is not None:
            _pool.shutdown(wait=True, cancel_futures=True)
            _pool = None


atexit.register(shutdown)

# CPU seconds spent in worker processes so far (RUSAGE_CHILDREN only counts workers that have exited).
worker_cpu_seconds = 0.0


def annotate_parallel(texts: list[Item], n: int,
                      embed_texts: list[str] | None = None) -> tuple[list[Result | str], list[list[float]] | None] | None:
    """Results for each (text, shift, language) in order, and the embedding of each of `embed_texts` (None when not
    asked), computed on n workers; None when the pool failed.

    Embedding on the workers too: in the calling process it waited for the workers and then ran on one core
    (a quarter of a multilingual ingest's time, bench/bench_ingest.py).
    """
    global worker_cpu_seconds, _pool
    # Slices of ~16 articles keep both workers busy to the end of the batch (texts differ in length).
    k = max(1, min(SLICE, -(-len(texts) // (2 * n))))
    slices = [(route, idx[i:i + k]) for route, idx in by_route(texts).items() for i in range(0, len(idx), k)]
    chunks = [embed_texts[i:i + k] for i in range(0, len(embed_texts), k)] if embed_texts else []
    try:
        pool = _get_pool(n, {route for route, _ in slices} | ({EMBED} if chunks else set()))
        results: list[Result | str] = [""] * len(texts)
        tasks: list[tuple[str, Any]] = [("annotate", (route, [texts[i] for i in idx])) for route, idx in slices]
        tasks += [("embed", chunk) for chunk in chunks]
        vectors: list[list[float]] = []
        for j, (res, cpu) in enumerate(pool.map(_run_task, tasks)):
            if j < len(slices):
                for i, r in zip(slices[j][1], res):
                    results[i] = r
            else:
                vectors.extend(res)
            worker_cpu_seconds += cpu
        return results, (vectors if embed_texts is not None else None)
    except (BrokenProcessPool, OSError, RuntimeError) as exc:
        log.warning("enrich: worker pool failed (%s); annotating in this process", exc)
        with _pool_lock:
            _pool = None
        return None


__all__ = ["annotate_parallel", "encode_parallel", "pool_size", "shutdown", "MIN_POOL_BATCH"]
