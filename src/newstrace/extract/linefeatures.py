"""Language-independent features of the lines of a text page, for telling article lines from page chrome.

Each line gets features of its own shape (length, punctuation, capitalisation, short-word ratio as a
stand-in for stopwords, repetition, position) and of its neighbourhood (how much prose is around it,
whether it lies inside the page's main run of prose, how far it is from that run). Markup signals
(links, headings, blank-line gaps) are not features: the plain-text training dumps carry none, so
text.py applies them as rules. Per-line measurements are a few C-level string operations; everything
else is vectorised with numpy, because this runs on every line of every page.
"""
from __future__ import annotations

import re
from collections import Counter

import numpy as np

from .markup import Line

_SENT_END = re.compile(r"[.!?。！？…][\"'”’»)\]]*$")
_SENT_BREAK = re.compile(r"[.!?。！？][\"'”’»)]*\s+\S")
_TIME_OR_COUNT = re.compile(r"^[\d\s:.,/|()+-]+$")
_DIGIT = re.compile(r"\d")
_SHORTWORD = re.compile(r"(?<!\S)\S{1,3}(?!\S)")
_PUNCT = re.compile(r"[^\w\s]")
_SEPARATOR = re.compile(r"[|»›>/•·]")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_URL = re.compile(r"^<?(?:https?://|www\.)\S+$")

FEATURE_NAMES = [
    "bias", "loglen", "len<=3", "len<=15", "len<=40", "len<=80", "len<=150", "len>150",
    "ends_sentence", "ends_colon", "ends_comma", "sent_breaks", "titlecase", "shortword", "digits", "punct",
    "allcaps", "list", "repeated", "numeric_only", "url_only", "commas_per_word", "cjk", "separators",
    "starts_lower", "logwords", "pos", "first10", "last10",
    "prose", "prose_win1", "prose_win3", "prose_win10", "dist_prose", "before_frac", "after_frac", "inside",
    "in_best_run", "run_dist", "before_run", "after_run", "nb_loglen", "prev_ends", "next_ends", "run_short",
    "rel_len", "short_x_run", "short_x_win3", "title_like",
]


def _win(prose: np.ndarray, k: int) -> np.ndarray:
    """Share of prose lines among the k lines on either side (the line itself excluded)."""
    n = len(prose)
    pre = np.concatenate(([0.0], np.cumsum(prose)))
    idx = np.arange(n)
    a, b = np.maximum(0, idx - k), np.minimum(n, idx + k + 1)
    return (pre[b] - pre[a] - prose) / np.maximum(1, b - a - 1)


UPPER, LOWER, DIGIT, SPACE, PUNCT, CJK, SEPARATOR, SENT_END = 1, 2, 4, 8, 16, 32, 64, 128
NUMERIC_OK, CLOSER, COLON, COMMA, SEMICOLON = 256, 512, 1024, 2048, 4096


def _char_table() -> np.ndarray:
    """Class bits for every code point of the Basic Multilingual Plane (built once)."""
    t = np.zeros(0x10000, dtype=np.uint16)
    for c in range(0x10000):
        ch = chr(c)
        f = 0
        if ch.isupper():
            f |= UPPER
        elif ch.islower():
            f |= LOWER
        if ch.isdigit():
            f |= DIGIT
        if ch.isspace():
            f |= SPACE
        elif not ch.isalnum():
            f |= PUNCT
        if 0x3040 <= c <= 0x30FF or 0x3400 <= c <= 0x4DBF or 0x4E00 <= c <= 0x9FFF or 0xAC00 <= c <= 0xD7AF:
            f |= CJK
        t[c] = f
    for ch in "|»›>/•·":
        t[ord(ch)] |= SEPARATOR
    for ch in ".!?。！？…":
        t[ord(ch)] |= SENT_END
    for ch in " \n0123456789:.,/|()+-":
        t[ord(ch)] |= NUMERIC_OK
    for ch in "\"'”’»)]":
        t[ord(ch)] |= CLOSER
    t[ord(":")] |= COLON
    t[ord(",")] |= COMMA
    t[ord(";")] |= SEMICOLON
    return t


_TABLE: np.ndarray | None = None


def _classes(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Class bits of every character of the page, the line of each character, line starts and lengths."""
    global _TABLE
    if _TABLE is None:
        _TABLE = _char_table()
    doc = "\n".join(texts)
    codes = np.frombuffer(doc.encode("utf-32-le"), dtype=np.uint32)
    codes = np.where(codes < 0x10000, codes, 0x4E00 * ((codes >= 0x20000) & (codes < 0x30000)))  # rare planes: CJK ext or nothing
    bits = _TABLE[codes]
    lengths = np.array([len(t) for t in texts], dtype=np.int64)
    starts = np.concatenate(([0], np.cumsum(lengths + 1)[:-1]))
    line_of = np.repeat(np.arange(len(texts)), lengths + 1)[:len(codes)]
    return bits, line_of, starts, lengths


def line_features(lines: list[Line]) -> np.ndarray:
    """A (lines × FEATURE_NAMES) matrix."""
    n = len(lines)
    if n == 0:
        return np.zeros((0, len(FEATURE_NAMES)))
    texts = [l.text for l in lines]
    bits, line_of, starts, lengths = _classes(texts)
    L = lengths.astype(float)
    Ld = np.maximum(L, 1)

    space = (bits & SPACE) > 0          # the joining newlines count as spaces
    prev_space = np.concatenate(([True], space[:-1]))
    # a sentence break: an end mark followed by a space and more text on the same line
    padded = np.concatenate((bits, np.array([SPACE, SPACE], dtype=bits.dtype)))
    same_line = line_of == np.concatenate((line_of, [-1, -1]))[2:]
    flags = np.column_stack([
        ~space & prev_space,                       # word starts
        ((bits & UPPER) > 0) & prev_space,         # capitalised words
        (bits & DIGIT) > 0, (bits & PUNCT) > 0, (bits & CJK) > 0, (bits & SEPARATOR) > 0,
        (bits & LOWER) > 0, (bits & UPPER) > 0,
        ((bits & SENT_END) > 0) & ((padded[1:-1] & SPACE) > 0) & ((padded[2:] & SPACE) == 0) & same_line,
        (bits & NUMERIC_OK) == 0, (bits & COMMA) > 0,
    ]).astype(np.int32)
    sums = np.add.reduceat(flags, starts, axis=0)   # one pass for all per-line counts (lines are never empty)
    nw, capw, ndig, npun, ncjk, nsep, lowers, uppers, breaks, not_numeric, ncomma = (sums[:, k].astype(float) for k in range(11))
    nwd = np.maximum(nw, 1)
    caps = capw / nwd
    # words of at most three characters (a stand-in for stopwords in any language that separates words)
    sep = np.concatenate((np.flatnonzero(space), [len(bits)]))
    wl = np.diff(np.concatenate(([-1], sep))) - 1
    sep_line = np.concatenate((line_of, [n - 1]))[sep]
    short = np.bincount(sep_line, weights=((wl >= 1) & (wl <= 3)).astype(float), minlength=n)[:n] / nwd
    digits, punct, cjk, seps = ndig / Ld, npun / Ld, ncjk / Ld, nsep / nwd
    commas = ncomma / nwd
    # ends like a sentence: an end mark, possibly followed by closing quotes or brackets
    end_pos = starts + lengths - 1
    e1, e2 = bits[end_pos], bits[np.maximum(end_pos - 1, starts)]
    ends = (((e1 & SENT_END) > 0) | (((e1 & CLOSER) > 0) & ((e2 & SENT_END) > 0))).astype(float)
    counts = Counter(texts)
    rep = np.array([counts[t] for t in texts], dtype=float)
    long_enough = L >= np.where(cjk > 0.3, 40, 80)
    prose = ((long_enough & ((ends > 0) | (breaks >= 1))) | (L >= np.where(cjk > 0.3, 80, 180))).astype(float)
    first_lower = ((bits[starts] & LOWER) > 0).astype(float)
    numeric = (not_numeric == 0).astype(float)
    urlish = np.array([("://" in t or t.startswith("www.")) and _URL.match(t) is not None for t in texts], dtype=float)

    prose_chars = L * prose
    total = prose_chars.sum() or 1.0
    before = np.cumsum(prose_chars) - prose_chars
    after = total - before - prose_chars
    idx = np.arange(n)
    # distance to the nearest prose line
    pidx = np.flatnonzero(prose)
    if len(pidx):
        pos = np.searchsorted(pidx, idx)
        left = np.where(pos > 0, idx - pidx[np.maximum(pos - 1, 0)], n)
        right = np.where(pos < len(pidx), pidx[np.minimum(pos, len(pidx) - 1)] - idx, n)
        dist = np.minimum(left, right).astype(float)
    else:
        dist = np.full(n, float(n))
    # the main run: maximum-sum segment where prose counts for and short lines against (Finn et al.'s BTE idea)
    score = np.where(prose > 0, L, -(15 + 0.5 * np.minimum(L, 80)))
    # maximum-sum segment from prefix sums: best end = largest gain over the smallest earlier prefix
    P = np.concatenate(([0.0], np.cumsum(score)))
    gain = P[1:] - np.minimum.accumulate(P[:-1])
    hi = int(np.argmax(gain))
    lo = hi - int(np.argmin(P[:hi + 1][::-1]))   # the latest start reaching that minimum
    in_run = ((idx >= lo) & (idx <= hi)).astype(float)
    run_dist = np.where(idx < lo, lo - idx, np.where(idx > hi, idx - hi, 0)).astype(float)
    # runs of consecutive non-prose lines (menus, related-headline lists): each line gets its run's length
    run_id = np.cumsum(np.concatenate(([1], (np.diff(prose) != 0).astype(int))))
    run_short = np.where(prose == 0, np.bincount(run_id)[run_id], 0).astype(float)
    shortline = (L < 40).astype(float)
    nbl = np.log1p(L)
    pad = np.concatenate(([0.0, 0.0], nbl, [0.0, 0.0]))
    nb = (pad[0:n] + pad[1:n + 1] + pad[3:n + 3] + pad[4:n + 4]) / 4
    prev_ends = np.concatenate(([0.0], ends[:-1]))
    next_ends = np.concatenate((ends[1:], [0.0]))
    win3 = _win(prose, 3)
    title_like = ((nw >= 3) & (nw <= 25) & (ends == 0) & (L <= 200)).astype(float)
    X = np.column_stack([
        np.ones(n), np.log1p(L) / 6, L <= 3, (L > 3) & (L <= 15), (L > 15) & (L <= 40), (L > 40) & (L <= 80),
        (L > 80) & (L <= 150), L > 150,
        ends, (e1 & COLON) > 0, (e1 & (COMMA | SEMICOLON)) > 0, np.minimum(breaks, 5) / 5,
        caps, short, digits, punct,
        (L > 3) & (lowers == 0) & (uppers > 0), [l.list_item for l in lines], np.log(rep),
        numeric, urlish, commas, cjk, seps, first_lower, np.log1p(nw) / 5, idx / max(1, n - 1), idx < n * 0.1, idx >= n * 0.9,
        prose, _win(prose, 1), win3, _win(prose, 10), np.log1p(dist) / 4, before / total, after / total,
        (before > 0) & (after > 0), in_run, np.log1p(run_dist) / 4, (idx < lo) & (idx >= lo - 5),
        (idx > hi) & (idx <= hi + 5), nb / 6, prev_ends, next_ends, np.log1p(run_short) / 4,
        L / max(1.0, L.max()), shortline * in_run, shortline * win3, title_like,
    ]).astype(float)
    return X


CONTEXT_NAMES = ["logit", "p_win1", "p_win3", "p_win10", "p_prev3max", "p_next3max", "p_before", "p_after", "p_inside"]


def context_features(p: np.ndarray) -> np.ndarray:
    """Second-pass features from the first pass's probabilities of the neighbouring lines (a body is a run)."""
    n = len(p)
    if n == 0:
        return np.zeros((0, len(CONTEXT_NAMES)))
    logit = np.log(np.clip(p, 1e-4, 1 - 1e-4) / np.clip(1 - p, 1e-4, 1)) / 5
    pad = np.concatenate((np.zeros(3), p, np.zeros(3)))
    prev3 = np.max(np.stack([pad[2 - k:2 - k + n] for k in range(3)]), axis=0)
    next3 = np.max(np.stack([pad[4 + k:4 + k + n] for k in range(3)]), axis=0)
    total = p.sum() or 1.0
    before = np.cumsum(p) - p
    after = total - before - p
    return np.column_stack([logit, _win(p, 1), _win(p, 3), _win(p, 10), prev3, next3, before / total, after / total,
                            (before >= 0.5) & (after >= 0.5)]).astype(float)
