"""py3langid's language model, walked with numpy: shared by decoding (textio: which code page reads as a language)
and extraction (extract/language.py: which language a body is in).

py3langid walks its byte automaton one byte at a time in Python, which was the largest single cost of
plain-text extraction. The automaton is an Aho-Corasick machine over byte n-grams, so the state after
any byte depends only on the last `depth` bytes (its deepest state): every position's state is found by
`depth` vectorised steps over all positions at once. The scores are then py3langid's own naive Bayes
sums. The fast path is checked against py3langid on probe texts when first used, and py3langid itself
is used if they ever disagree (another model version, another automaton layout).
"""
from __future__ import annotations

import math
import unicodedata
from functools import lru_cache

import numpy as np

_PROBES = ("The government said on Friday that the new law would take effect next year.",
           "Die Regierung teilte am Freitag mit, dass das neue Gesetz im nächsten Jahr in Kraft tritt.",
           "Le gouvernement a annoncé vendredi que la nouvelle loi entrerait en vigueur l'année prochaine.",
           "El gobierno dijo el viernes que la nueva ley entrará en vigor el próximo año.",
           "Правительство заявило в пятницу, что новый закон вступит в силу в следующем году.",
           "政府は金曜日、新しい法律が来年施行されると発表した。",
           "x")


# (states, transition cells) of py3langid's shipped model → its automaton depth (tests/extract/test_language.py
# recomputes it); another model gets its depth computed once when first used
_KNOWN_DEPTH = {(104583, 9816576): 6}


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


class _Fast:
    """py3langid's classify() with the automaton walk vectorised over all byte positions."""

    def __init__(self, ident) -> None:
        self.ident = ident
        # the transition table (~10M cells) is shared with py3langid, not copied
        nm = ident.tk_nextmove
        self.nextmove = np.frombuffer(nm, dtype=np.uint32) if getattr(nm, "typecode", "") == "I" and nm.itemsize == 4 \
            else np.asarray(nm)
        self.rowbase = np.asarray(ident.tk_row, dtype=np.int64) << 8
        self.output = np.asarray(ident.tk_output, dtype=np.int64)
        known = _KNOWN_DEPTH.get((len(self.rowbase), len(self.nextmove)))
        self.depth = known if known is not None else self.depth_of_automaton()
        # the class table is float16, which numpy converts slowly: rows are read as bits through a lookup table
        self.ptc_bits = np.asarray(ident.nb_ptc).view(np.uint16)
        self.half = np.arange(1 << 16, dtype=np.uint16).view(np.float16).astype(np.float32)

    def depth_of_automaton(self) -> int:
        """The deepest state's distance from the start state (breadth-first over all 256 bytes; ~2 s)."""
        dist = np.full(len(self.rowbase), -1)
        dist[0], frontier, d = 0, np.array([0]), 0
        while len(frontier):
            d += 1
            nxt = np.unique(self.nextmove[(self.rowbase[frontier])[:, None] + np.arange(256)[None, :]].ravel())
            frontier = nxt[dist[nxt] < 0]
            dist[frontier] = d
        return int(dist.max())

    def _features(self, text: str) -> tuple[np.ndarray, int]:
        """The model's n-gram features ending at each byte of the text's UTF-8 (-1 where none ends), and its length."""
        data = np.frombuffer(unicodedata.normalize("NFC", text).encode("utf8", errors="surrogatepass"), dtype=np.uint8)
        n = len(data)
        state = np.zeros(n, dtype=np.int64)
        b = data.astype(np.int64)
        for k in range(min(self.depth, n) - 1, -1, -1):  # oldest byte of each window first
            s = state[k:]
            state[k:] = self.nextmove[self.rowbase[s] + b[:n - k]]
        return self.output[state], n

    def coverage(self, text: str) -> float:
        """The share of the text's bytes where one of the model's n-grams ends: text in a language scores high, the
        same bytes read in a wrong code page ("Poèítaè" for "Počítač") make n-grams no language has."""
        feats, n = self._features(text)
        return float((feats >= 0).sum()) / n if n else 0.0

    def scores(self, text: str) -> np.ndarray:
        """Per-class probabilities, as py3langid's _decide computes them with norm_probs."""
        ident = self.ident
        if text.isupper():
            text = text.lower()
        feats, n = self._features(text)
        feats = feats[feats >= 0]
        if len(feats):
            idx, counts = np.unique(feats, return_counts=True)
            scores = np.log1p(counts.astype(np.float32)) @ self.half.take(self.ptc_bits[idx]) + ident.nb_pc
        else:
            scores = np.zeros(len(ident.nb_classes), dtype=np.float32)
        scores = scores * (1.0 / math.sqrt(n or 1))
        scores = np.exp(scores - scores.max())
        scores /= scores.sum()
        for i, j in ident._alias_pairs:
            scores[i] += scores[j]
            scores[j] = 0.0
        return scores

    def classify(self, text: str) -> tuple[str, float]:
        s = self.scores(text)
        i = int(s.argmax())
        return self.ident.nb_classes[i], float(s[i])


@lru_cache(maxsize=1)
def _classifier():
    """The fast classifier when it agrees with py3langid on the probes, else py3langid itself."""
    ident = _identifier()
    try:
        fast = _Fast(ident)
        for probe in _PROBES:
            a, b = ident.classify(probe), fast.classify(probe)
            if a[0] != b[0] or abs(a[1] - b[1]) > 1e-3:
                return ident
        return fast
    except (AttributeError, TypeError, ValueError, IndexError):  # another py3langid layout
        return ident


def ngram_coverage(text: str) -> float:
    """`_Fast.coverage` of a text with the shipped model; 0.0 when py3langid's own walk serves (no fast path)."""
    clf = _classifier()
    return clf.coverage(text) if isinstance(clf, _Fast) else 0.0


def classify(text: str) -> str:
    """The model's likeliest language of a text (ISO 639-1), however weak the guess."""
    return _classifier().classify(text)[0]
