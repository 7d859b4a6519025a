"""Language-independent features of the lines of a text page, for telling article lines from page chrome.

Each line gets features of its own shape (length, punctuation, capitalisation, short-word ratio as a
stand-in for stopwords, repetition, position) and of its neighbourhood (how much prose is around it,
whether it lies inside the page's main run of prose, how far it is from that run). Markup signals
(links, headings, blank-line gaps) are not features: the plain-text training dumps carry none, so
text.py applies them as rules. Per-line counts come from one pass over the page's characters (class
bits from a table, four counts packed into each int64 and summed per line with one reduceat);
everything else is vectorised with numpy, because this runs on every line of every page.
"""
from __future__ import annotations

import re
from collections import Counter
from operator import attrgetter

import numpy as np

from .markup import Line

_URL = re.compile(r"^<?(?:https?://|www\.)\S+$")
_URL_HINT = re.compile(r"://|^www\.", re.M)
_LIST_ITEM = attrgetter("list_item")
# a markup identifier printed as a line (the HTML comments of a dump: ".entry-header", "end .entry-meta",
# "#masthead .site-header", "END OF ELEMENT article.breadcrumb", "/abstract content", "{{ selectedCountryName }}", a
# search appliance's "googleoff: index")
_MARKUP_IDENT = re.compile(r"(?:^|\s)(?:\.[a-z][\w-]*|#[a-z]+[-_][\w-]*)(?:$|\s|[.#/])"
                           r"|\b(?:div|span|article|section|nav|header|footer|aside|main|ul|li|p|a)\.[a-z][\w-]*"
                           r"|(?<![@\w./-])[a-z]+_[a-z][a-z_]*\b|\b[A-Z]+_[A-Z][A-Z_]*\b|\{\{|\}\}|\{\*|^/[a-z][\w ]*$"
                           r"|^(?:end|begin|start|END|BEGIN|START)\b.*\b(?:tag|element|widget|form|signup|TAG|ELEMENT|WIDGET)\b"
                           r"|^google(?:off|on): ?\w+$")


# what every identifier _MARKUP_IDENT finds holds: one of these characters, or an opening "end", "begin", "start" or
# "google"
_IDENT_CHAR = re.compile(r"[.#_{}/]")
_IDENT_OPENING = ("end", "begin", "start", "END", "BEGIN", "START", "google")


def markup_identifier(text: str) -> bool:
    """Whether a short line reads as a markup identifier rather than words (never article text)."""
    # the cheap tests first: the regex search is slow, and most lines hold none of what it looks for
    return (len(text) <= 60 and (_IDENT_CHAR.search(text) is not None or text.startswith(_IDENT_OPENING))
            and _MARKUP_IDENT.search(text) is not None)

# HTML source printed as text (a template, a comment holding markup, an escaped embed code): a line opening with a tag
# that writes attributes, closes an element or is a tag alone ("<link href=… />", "</script> <ins class=…>", "<h1>")
_HTML_OPEN = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?>")
_HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*>")


def html_source(text: str) -> bool:
    """Whether a line is HTML source rather than words: it opens with a tag that writes attributes or closes an
    element, or is one tag alone."""
    if not text.startswith("<"):
        return False
    m = _HTML_OPEN.match(text)
    if m is None:
        return False
    return "=" in m.group(0) or "</" in text or "/>" in text or _HTML_TAG.fullmatch(text) is not None


# a token of program text or of a URL's query: an assignment, an escaped entity, a percent-escape, braces, a path
_CODE_TOKEN = re.compile(r"[=&%{}<>\\]|^/|\?\w")
RESIDUE_SHARE = 0.6


def markup_residue(text: str) -> bool:
    """Whether most of a line's characters are in tokens of program text or URL queries ("include:
    /serum/render?id=1.16990757&amp;size=12&amp;…", "[esi-debug] src=\"/account-navigation?context-uri=…\""): markup the
    page printed as text. Only ASCII tokens count (a line of CJK text is one token)."""
    if len(text) < 20 or not any(c in text for c in "=&%{}<>\\/?"):
        return False
    code = sum(len(t) for t in text.split() if t.isascii() and _CODE_TOKEN.search(t))
    return code >= RESIDUE_SHARE * (len(text) - text.count(" "))


def markup_line(text: str) -> bool:
    """Whether a line is markup printed as text (an identifier, HTML source, program text or URL queries): never
    article text, whatever its neighbours."""
    return markup_identifier(text) or html_source(text) or markup_residue(text)


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
_PACK: tuple[np.ndarray, np.ndarray] | None = None
FIELD = 16   # per-line counts are summed in 16-bit fields of int64 words, four counts per word


def _pack(*flags: np.ndarray) -> np.ndarray:
    """Up to four 0/1 arrays packed into the 16-bit fields of one int64 array."""
    out = np.zeros(len(flags[0]), dtype=np.int64)
    for k, f in enumerate(flags):
        out |= f.astype(np.int64) << (FIELD * k)
    return out


def _unpack(words: np.ndarray, k: int) -> np.ndarray:
    return ((words >> (FIELD * k)) & 0xFFFF).astype(float)


def _tables() -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """The class-bit table and two tables of packed per-character counts (built once)."""
    global _TABLE, _PACK
    if _TABLE is None or _PACK is None:
        t = _char_table()
        on = lambda bit: (t & bit) > 0  # noqa: E731
        _PACK = (_pack(on(DIGIT), on(PUNCT), on(CJK), on(SEPARATOR)),
                 _pack(on(LOWER), on(UPPER), ~on(NUMERIC_OK), on(COMMA)))
        _TABLE = t
    return _TABLE, _PACK


# Characters classified at once: every character costs about 50 bytes of numpy arrays while it is
# classified, so a 30 MB page done in one piece took 1.5 GB; pieces of whole lines give the same counts.
CHUNK_CHARS = 1 << 20


def _classes(texts: list[str]) -> tuple[list[np.ndarray], np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per-line counts (digits, punctuation, CJK, separators; lower, upper, not-numeric, commas; words, capitalised
    words, sentence breaks, short words), the class bits of each line's last, second-to-last and first characters,
    and line starts and lengths (in the texts joined by newlines)."""
    n = len(texts)
    lengths = np.fromiter(map(len, texts), dtype=np.intp, count=n)
    starts = np.zeros(n, dtype=np.intp)
    np.cumsum(lengths[:-1] + 1, out=starts[1:])
    parts: list[tuple[list[np.ndarray], np.ndarray, np.ndarray, np.ndarray]] = []
    lo = 0
    while lo < n:
        # whole lines up to about CHUNK_CHARS (at least one line): each line is counted on its own anyway
        hi = int(np.searchsorted(starts, starts[lo] + CHUNK_CHARS, side="left"))
        hi = max(hi, lo + 1)
        parts.append(_classes_chunk(texts[lo:hi], lengths[lo:hi]))
        lo = hi
    counts = [np.concatenate([p[0][k] for p in parts]) for k in range(12)]
    e1, e2, first = (np.concatenate([p[k] for p in parts]) for k in (1, 2, 3))
    return counts, e1, e2, first, starts, lengths


def _classes_chunk(texts: list[str], lengths: np.ndarray) -> tuple[list[np.ndarray], np.ndarray, np.ndarray, np.ndarray]:
    """_classes for consecutive lines joined by newlines (a line's neighbours never change its counts)."""
    table, (pack_a, pack_b) = _tables()
    codes = np.frombuffer("\n".join(texts).encode("utf-32-le"), dtype=np.uint32)
    if codes.max() >= 0x10000:  # rare planes: CJK ext or nothing
        codes = np.where(codes < 0x10000, codes, 0x4E00 * ((codes >= 0x20000) & (codes < 0x30000)))
    ci = codes.astype(np.intp)
    bits = table.take(ci)
    starts = np.zeros(len(texts), dtype=np.intp)
    np.cumsum(lengths[:-1] + 1, out=starts[1:])
    # context flags; lines are whitespace-collapsed, the joining newlines count as spaces
    sp = (bits & SPACE) > 0
    nsp = ~sp
    prev_sp = np.empty_like(sp)
    prev_sp[0] = True
    prev_sp[1:] = sp[:-1]
    word_start = nsp & prev_sp
    cap_word = ((bits & UPPER) > 0) & prev_sp
    # a sentence break: an end mark, then an in-line space, then more text of the same line
    brk = np.zeros_like(sp)
    brk[:-2] = ((bits[:-2] & SENT_END) > 0) & sp[1:-1] & (codes[1:-1] != 10) & nsp[2:]
    # a word of at most three characters (a stand-in for stopwords): a space within three characters after its start
    sp_pad = np.concatenate((sp, [True, True, True]))
    short = word_start & (sp_pad[1:-2] | sp_pad[2:-1] | sp_pad[3:])
    if lengths.max() < (1 << FIELD):
        words = [np.add.reduceat(w, starts) for w in (pack_a.take(ci), pack_b.take(ci), _pack(word_start, cap_word, brk, short))]
        counts = [_unpack(w, k) for w in words for k in range(4)]
    else:  # a line too long for 16-bit fields: count each flag on its own
        flags = [(bits & b) > 0 for b in (DIGIT, PUNCT, CJK, SEPARATOR, LOWER, UPPER)]
        flags[6:6] = [(bits & NUMERIC_OK) == 0, (bits & COMMA) > 0]
        counts = [np.add.reduceat(f.astype(np.int64), starts).astype(float) for f in flags + [word_start, cap_word, brk, short]]
    end_pos = starts + lengths - 1
    return counts, bits[end_pos], bits[np.maximum(end_pos - 1, starts)], bits[starts]


def line_features(lines: list[Line]) -> np.ndarray:
    """A (lines × FEATURE_NAMES) matrix."""
    n = len(lines)
    if n == 0:
        return np.zeros((0, len(FEATURE_NAMES)))
    texts = [l.text for l in lines]
    doc = "\n".join(texts)
    counts, e1, e2, first_bits, starts, lengths = _classes(texts)
    L = lengths.astype(float)
    Ld = np.maximum(L, 1)
    ndig, npun, ncjk, nsep, lowers, uppers, not_numeric, ncomma, nw, capw, breaks, nshort = counts
    nwd = np.maximum(nw, 1)
    caps = capw / nwd
    short = nshort / nwd
    digits, punct, cjk, seps = ndig / Ld, npun / Ld, ncjk / Ld, nsep / nwd
    commas = ncomma / nwd
    # ends like a sentence: an end mark, possibly followed by closing quotes or brackets
    ends = (((e1 & SENT_END) > 0) | (((e1 & CLOSER) > 0) & ((e2 & SENT_END) > 0))).astype(float)
    counts = Counter(texts)
    rep = np.fromiter(map(counts.__getitem__, texts), dtype=float, count=n)
    cjk_page = cjk > 0.3
    prose = ((L >= np.where(cjk_page, 40, 80)) & ((ends > 0) | (breaks >= 1))) | (L >= np.where(cjk_page, 80, 180))
    prose = prose.astype(float)
    first_lower = (first_bits & LOWER) > 0
    numeric = not_numeric == 0
    urlish = np.zeros(n)
    if "://" in doc or "www." in doc:  # look at the few lines that may be URLs, not at every line
        for m in _URL_HINT.finditer(doc):
            i = int(np.searchsorted(starts, m.start(), side="right")) - 1
            if not urlish[i] and _URL.match(texts[i]) is not None:
                urlish[i] = 1.0

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
    in_run = (idx >= lo) & (idx <= hi)
    run_dist = np.where(idx < lo, lo - idx, np.where(idx > hi, idx - hi, 0))
    # runs of consecutive non-prose lines (menus, related-headline lists): each line gets its run's length
    run_id = np.cumsum(np.diff(prose, prepend=-1.0) != 0)
    run_short = np.where(prose == 0, np.bincount(run_id)[run_id], 0)
    shortline = L < 40
    nbl = np.log1p(L)
    pad = np.concatenate(([0.0, 0.0], nbl, [0.0, 0.0]))
    nb = (pad[0:n] + pad[1:n + 1] + pad[3:n + 3] + pad[4:n + 4]) / 4
    prev_ends = np.concatenate(([0.0], ends[:-1]))
    next_ends = np.concatenate((ends[1:], [0.0]))
    win3 = _win(prose, 3)
    # one C-level copy of all columns (rows here, transposed at the end)
    X = np.array([
        np.ones(n), nbl / 6, L <= 3, (L > 3) & (L <= 15), (L > 15) & (L <= 40), (L > 40) & (L <= 80),
        (L > 80) & (L <= 150), L > 150,
        ends, (e1 & COLON) > 0, (e1 & (COMMA | SEMICOLON)) > 0, np.minimum(breaks, 5) / 5,
        caps, short, digits, punct,
        (L > 3) & (lowers == 0) & (uppers > 0), np.fromiter(map(_LIST_ITEM, lines), dtype=bool, count=n), np.log(rep),
        numeric, urlish, commas, cjk, seps, first_lower, np.log1p(nw) / 5, idx / max(1, n - 1), idx < n * 0.1, idx >= n * 0.9,
        prose, _win(prose, 1), win3, _win(prose, 10), np.log1p(dist) / 4, before / total, after / total,
        (before > 0) & (after > 0), in_run, np.log1p(run_dist) / 4, (idx < lo) & (idx >= lo - 5),
        (idx > hi) & (idx <= hi + 5), nb / 6, prev_ends, next_ends, np.log1p(run_short) / 4,
        L / max(1.0, L.max()), shortline & in_run, shortline * win3,
        (nw >= 3) & (nw <= 25) & (ends == 0) & (L <= 200),          # title-like
    ], dtype=float).T
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
