"""Per-language word handling: segmentation, stems or lemmas, transliteration (issue 22).

What each language gets (a language's tools are loaded the first time an article in it is seen):
  zh, ja      words segmented by jieba (no spaces between words); Japanese kana runs are kept whole
  Snowball    stems from PyStemmer's C stemmers for the 30 languages it has (ar, de, es, fr, it, pl, ru, tr, ...)
  simplemma   dictionary lemmas for the languages Snowball lacks (uk, bg, cs, sk, sl, hr/sr, ...)
  others      lower-cased words as written (a documented fallback: exact forms still match)
Names cross scripts through anyascii (Минск -> Minsk, 北京 -> BeiJing).
"""
from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Callable

# ISO 639-1 -> Snowball algorithm in PyStemmer
SNOWBALL = {"ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "cs": "czech", "da": "danish",
            "nl": "dutch", "en": "english", "eo": "esperanto", "et": "estonian", "fi": "finnish", "fr": "french",
            "de": "german", "el": "greek", "hi": "hindi", "hu": "hungarian", "id": "indonesian", "ga": "irish",
            "it": "italian", "lt": "lithuanian", "ne": "nepali", "no": "norwegian", "nb": "norwegian",
            "nn": "norwegian", "fa": "persian", "pl": "polish", "pt": "portuguese", "ro": "romanian",
            "ru": "russian", "sr": "serbian", "es": "spanish", "sv": "swedish", "ta": "tamil", "tr": "turkish",
            "yi": "yiddish"}
SEGMENTED = frozenset({"zh", "ja"})
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
_lock = threading.Lock()


def segmented(language: str | None, text: str) -> bool:
    """Whether the text is written without spaces between words (Chinese, Japanese)."""
    if language in SEGMENTED:
        return True
    return language is None and len(_CJK.findall(text[:400])) > 40


@lru_cache(maxsize=1)
def _jieba():  # type: ignore[no-untyped-def]
    import logging
    import time

    import jieba
    from .models import LOADED
    t0 = time.perf_counter()
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    LOADED["jieba (zh/ja words)"] = time.perf_counter() - t0
    return jieba


def segment(text: str) -> list[str]:
    """Words of a Chinese or Japanese text (single characters and punctuation dropped)."""
    with _lock:   # jieba's lazy dictionary is not safe to build from two threads
        jb = _jieba()
    return [w.lower() for w in jb.lcut(text) if len(w) >= 2 and re.match(r"\w", w) and not w.isdigit()]


@lru_cache(maxsize=64)
def _reducer(language: str) -> Callable[[str], str]:
    """The stemmer or lemmatiser for a language, or identity."""
    if language in SNOWBALL:
        import Stemmer
        return Stemmer.Stemmer(SNOWBALL[language]).stemWord
    try:
        import simplemma
        from simplemma.strategies.dictionaries.dictionary_factory import SUPPORTED_LANGUAGES
    except ImportError:   # pragma: no cover - a dependency of the package
        return lambda w: w
    if language in SUPPORTED_LANGUAGES:
        return lambda w: simplemma.lemmatize(w, lang=language).lower()
    return lambda w: w


@lru_cache(maxsize=200_000)
def lemma(word: str, language: str) -> str:
    """A lower-cased word reduced to its stem or lemma in its language."""
    return _reducer(language)(word)


@lru_cache(maxsize=100_000)
def ascii_of(text: str) -> str:
    """ASCII transliteration (any script)."""
    from anyascii import anyascii
    return anyascii(text)
