"""The headline of a text page: candidate lines above (or at the top of) the body, ranked by a learned score.

Candidate features: markdown heading, repetition, closeness to the first prose line of the body,
length and word count, final punctuation, capitalisation, overlap with the URL's slug, a dateline
next to it, and the body model's probabilities for the line and the line after it. The weights are
fitted on the development pages' gold titles (tools/train_text_extractor.py --title); hand-set
weights serve when none are shipped.
"""
from __future__ import annotations

import math
import re

import numpy as np

from .dates import date_line
from .linefeatures import FEATURE_NAMES
from .markup import Line

_SENT_BREAK = re.compile(r"[.!?。](?:[\"'”’»)]*)\s+\S")
_YEAR = re.compile(r"(?:19|20)\d\d")
_TOKEN = re.compile(r"\w+", re.U)
_F = {name: i for i, name in enumerate(FEATURE_NAMES)}

TITLE_FEATURES = ["bias", "h1", "heading", "repeated", "closeness", "in_body", "words_4_25", "words_lt2", "ends_period",
                  "ends_colon", "sent_break", "first_upper", "slug", "dateline_near", "separators", "titlecase",
                  "loglen", "p_body", "p_next", "allcaps", "len_20_150", "digits", "is_first_copy", "above_dist",
                  "nearest_titlelike", "between_maxp", "logwords", "p_prev", "closeness_first", "in_body_first",
                  "contained_elsewhere", "contains_other", "nearest_titlelike_first"]
DEFAULT_WEIGHTS = [0.0, 4.0, 2.0, 1.0, 2.5, -1.0, 1.0, -1.5, -1.5, -2.0, -1.5, 0.3, 4.0, 0.8, -1.0, 0.0, 0.0, 0.0,
                   0.5, 0.0, 0.5, -1.0, 0.3, 0.0, 1.0, -1.0, 0.0, 0.0, 1.0, -0.5, 1.0, -1.0, 0.5]
WINDOW = 60


def _slug_tokens(url: str | None) -> set[str]:
    if not url:
        return set()
    path = url.split("://", 1)[-1].partition("/")[2].split("?", 1)[0]
    return {t for t in re.split(r"[^\w]+|_", path.lower()) if len(t) >= 3 and not t.isdigit()}


def candidates(lines: list[Line], anchors: tuple[int, int]) -> list[int]:
    """Lines that may be the headline: up to WINDOW lines above the anchors, a few below, level-1 headings."""
    n = len(lines)
    lo_a, hi_a = min(anchors), max(anchors)
    hi = min(n, hi_a + 8)
    out = []
    rng = sorted(set(range(max(0, lo_a - 20), min(n, lo_a + 8))) | set(range(max(0, hi_a - WINDOW), hi)))
    for i in rng + [i for i in range(hi, n // 2) if lines[i].heading == 1] + [i for i in range(hi, n // 2) if lines[i].heading == 1]:
        t = lines[i].text
        if 5 <= len(t) <= 250 and "://" not in t and not (len(t) < 60 and _YEAR.search(t) and date_line(t)):
            out.append(i)
    return out


def title_features(lines: list[Line], feats: np.ndarray, probs: list[float], anchors: tuple[int, int], cands: list[int],
                   url: str | None) -> np.ndarray:
    """One row of TITLE_FEATURES per candidate line."""
    first_anchor, anchor = anchors
    doc = "\n".join(l.text for l in lines)
    ctexts = [lines[i].text for i in cands]
    long_c = [t for t in ctexts if len(t) >= 15]
    slug = _slug_tokens(url)
    n = len(lines)
    lo = max(0, (min(cands) if cands else 0) - 2)
    hi = min(n, (max(cands) if cands else 0) + 3)
    dated = {j for j in range(lo, hi) if len(lines[j].text) < 80 and _YEAR.search(lines[j].text) and date_line(lines[j].text)}
    seen: set[str] = set()
    first_copy = {}
    for i in range(n):
        t = lines[i].text
        if t not in seen:
            seen.add(t)
            first_copy[i] = True
    titlelike = [i for i in cands if 3 <= len(lines[i].text.split()) <= 25 and not lines[i].text.endswith(".")]
    nearest = max((i for i in titlelike if i < anchor), default=-1)
    nearest_first = max((i for i in titlelike if i < first_anchor), default=-1)
    rows = []
    for i in cands:
        line, t = lines[i], lines[i].text
        words = t.split()
        nw = len(words)
        d = anchor - i
        toks = {w.lower() for w in _TOKEN.findall(t)} if slug else set()
        f = feats[i]
        rows.append([
            1.0, line.heading == 1, line.heading > 0, f[_F["repeated"]] > 0, math.exp(-(d - 1) / 4) if d >= 1 else 0.0,
            d < 1, 4 <= nw <= 25, nw < 2, t.endswith(".") and not t.endswith("..."), t.endswith(":"),
            _SENT_BREAK.search(t) is not None, t[:1].isupper() or t[:1].isdigit() or t[:1] in "\"'“«„",
            len(toks & slug) / len(slug) if slug else 0.0, any(j in dated for j in (i - 2, i - 1, i + 1, i + 2)),
            f[_F["separators"]], f[_F["titlecase"]], f[_F["loglen"]], probs[i], probs[i + 1] if i + 1 < n else 0.0,
            f[_F["allcaps"]], 20 <= len(t) <= 150, f[_F["digits"]], i in first_copy, math.log1p(max(0, d)) / 4,
            i == nearest, max(probs[i + 1:anchor], default=0.0), math.log1p(nw) / 3, probs[i - 1] if i > 0 else 0.0,
            math.exp(-(first_anchor - i - 1) / 4) if first_anchor - i >= 1 else 0.0, first_anchor - i < 1,
            # headlines are echoed in breadcrumbs, share widgets and comment headers; those echoes contain them
            min(3, doc.count(t) - 1) / 3 if len(t) >= 15 else 0.0,
            len(t) >= 20 and any(len(o) < len(t) and o in t for o in long_c), i == nearest_first,
        ])
    return np.array(rows, dtype=float).reshape(len(rows), len(TITLE_FEATURES))


def pick_title(lines: list[Line], feats: np.ndarray, probs: list[float], anchors: tuple[int, int], url: str | None,
               model: dict | None = None) -> int | None:
    """Index of the headline line (looked for around the body's anchors), or None."""
    if not lines:
        return None
    cands = candidates(lines, anchors)
    if not cands:
        return None
    X = title_features(lines, feats, probs, anchors, cands, url)
    if model and model.get("features") == TITLE_FEATURES:
        scores = ((X - np.asarray(model["mean"])) / np.asarray(model["scale"])) @ np.asarray(model["coef"])
    else:
        scores = X @ np.asarray(DEFAULT_WEIGHTS)
    return cands[int(np.argmax(scores))]
