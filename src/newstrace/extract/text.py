"""Plain text copied out of a web page: separate the article from page chrome and read its metadata.

Method: every line gets language-independent features (linefeatures.py); a logistic model learned
from the development pages (tools/train_text_extractor.py, weights in textmodel.json) gives each line a
probability of being article text; a two-state Viterbi pass then smooths the decisions, because an
article body is a mostly contiguous run. Title, date, outlet, URL, byline and captions are read
around the body with scored candidates (title.py, captions.py, outlet.py).
"""
from __future__ import annotations

import json
import re

import numpy as np
from functools import lru_cache
from pathlib import Path

from ..records import Article
from .captions import caption_scores
from .chrome import RELATED_HEAD, RELATED_WORD, wording_chrome
from .dates import date_from_url, date_line, find_dates
from .language import detect_language
from .linefeatures import FEATURE_NAMES, context_features, line_features, markup_identifier, markup_line
from .markup import Line, URL_RE, is_url_only, split_lines
from .options import ExtractOptions
from .byline import clean_authors, site_keys
from .outlet import outlet_from_lines, registrable_domain
from .textdate import pick_date
from .title import mask_blocks, pick_layout

MODEL_PATH = Path(__file__).with_name("textmodel.json")
_BYLINE = re.compile(r"^(?:by|von|par|por|di|door|av|af|przez|od|автор|автор:|written by|text:|texte:)\s+(?P<name>[^\d,;|]{3,80}?)\s*(?:[,|•·]|$)", re.I)
_YEAR = re.compile(r"(?:19|20)\d\d")
_LABEL_LINE = re.compile(r"^[^\s:]{1,20}(?:\s[^\s:]{1,20}){0,3}:$")


@lru_cache(maxsize=1)
def load_model() -> dict:
    """The shipped line model: feature names, standardisation, coefficients, Viterbi switch cost."""
    model = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    if model["features"] != FEATURE_NAMES:
        raise RuntimeError(f"{MODEL_PATH} was trained on other features; rerun tools/train_text_extractor.py")
    return model


def body_probabilities(lines: list[Line], feats: np.ndarray | None = None) -> list[float]:
    """P(article text) for each line, from the shipped model (logistic regression or a one-hidden-layer MLP)."""
    model = load_model()
    X = feats if feats is not None else line_features(lines)
    if len(X) == 0:
        return []
    Z = (X - np.asarray(model["mean"])) / np.asarray(model["scale"])
    if model.get("kind") == "mlp":
        H = np.maximum(0.0, Z @ np.asarray(model["W1"]) + np.asarray(model["b1"]))
        z = H @ np.asarray(model["W2"]) + model["b2"] + model.get("shift", 0.0)
    else:
        z = Z @ np.asarray(model["coef"]) + model["intercept"]
    if "stage2" in model:  # second pass over the neighbours' first-pass probabilities
        st = model["stage2"]
        p1 = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        X2 = np.hstack([X, context_features(p1)])
        z = ((X2 - np.asarray(st["mean"])) / np.asarray(st["scale"])) @ np.asarray(st["coef"]) + st["intercept"]
    return (1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))).tolist()


def smooth(probs: list[float], switch: float) -> list[bool]:
    """Two-state Viterbi (chrome/body): each change of state costs `switch` (log-odds units)."""
    if not probs:
        return []
    if switch <= 0:  # free switching: the Viterbi path is each line's own best state
        return [p >= 0.5 for p in probs]
    p = np.clip(np.asarray(probs, dtype=float), 1e-6, 1 - 1e-6)
    lb, lc = np.log(p).tolist(), np.log1p(-p).tolist()
    c, b = lc[0], lb[0] - switch     # start in chrome: entering the body costs one switch
    back_c, back_b = [], []
    for i in range(1, len(lb)):
        cb, bc = b - switch, c - switch
        back_c.append(c < cb)          # True: the best way into chrome at i came from the body
        back_b.append(b >= bc)         # True: the best way into the body at i came from the body
        c, b = (cb if c < cb else c) + lc[i], (b if b >= bc else bc) + lb[i]
    state = b > c
    states = [state]
    for i in range(len(back_c) - 1, -1, -1):
        state = back_b[i] if state else back_c[i]
        states.append(state)
    states.reverse()
    return states


def _trailer_urls(lines: list[Line]) -> tuple[str | None, set[int]]:
    """The page's own URL from URL-only lines or 'label: URL' lines; the indices of those lines (and their labels)."""
    found: list[tuple[int, str]] = []
    used: set[int] = set()
    for i, line in enumerate(lines):
        t = line.text
        if "://" not in t and "www." not in t:
            continue
        if is_url_only(t):
            url = URL_RE.search(t).group(0)
            found.append((i, url))
            used.add(i)
            if i > 0 and _LABEL_LINE.match(lines[i - 1].text):
                used.add(i - 1)
        elif len(t) < 300 and t.count(" ") < 6:
            m = URL_RE.search(t)
            if m and t[:m.start()].rstrip().endswith(":"):
                found.append((i, m.group(0)))
                used.add(i)
    if not found:
        return None, used
    # prefer an article-like URL (a path with a slug or digits) over a bare home page
    def quality(item: tuple[int, str]) -> tuple[int, int]:
        path = item[1].split("://", 1)[-1].partition("/")[2]
        return (len(path) > 8, item[0])
    return max(found, key=quality)[1].rstrip(".,;>)"), used


def _pick_date(lines: list[Line], title_idx: int | None, body_start: int, url: str | None, us: bool):
    """The claimed date: the date in a short line nearest the headline (or the body's start), else a date in
    the URL, else the first date in a short line of the page's upper part."""
    anchor = title_idx if title_idx is not None else body_start
    best = None
    lo, hi = max(0, min(anchor, body_start) - 8), min(len(lines), max(anchor, body_start) + 6)
    for i in range(lo, hi):
        t = lines[i].text
        if len(t) > 160 or not _YEAR.search(t):
            continue
        hits = find_dates(t, us_order=us)
        if hits:
            # nearest first; at equal distance the line above the headline wins; shorter lines (bare datelines) win
            key = abs(i - anchor) + (0.5 if i > anchor else 0) + len(t) / 200
            if best is None or key < best[0]:
                best = (key, hits[0][1], i)
    if best:
        return best[1], "text-header", best[2]
    when = date_from_url(url)
    if when:
        return when, "url", None
    for i in range(0, min(len(lines), body_start + 30)):
        t = lines[i].text
        if len(t) <= 120 and _YEAR.search(t):
            hits = find_dates(t, us_order=us)
            if hits:
                return hits[0][1], "text", i
    return None, None, None


def _byline(lines: list[Line], lo: int, hi: int) -> tuple[str | None, int | None]:
    for i in range(max(0, lo), min(len(lines), hi)):
        t = lines[i].text
        if len(t) > 90:
            continue
        m = _BYLINE.match(t)
        if m:
            name = m.group("name").strip(" .")
            words = name.split()
            if 1 <= len(words) <= 6 and sum(w[:1].isupper() for w in words) >= max(1, len(words) - 2):
                return name, i
    return None, None


# a prose line next to the body is the body's, even when the line model doubts it (in short articles a long
# paragraph's own features are weak: 0.2-0.35 all gave the same gain on the tune pages, 0.25 is the middle)
GROW_PROSE = 0.25


def grow_prose(body: list[bool], feats: np.ndarray, probs: list[float], trailer: set[int]) -> None:
    """Extend the body mask (in place) over neighbouring prose lines whose body probability is at least GROW_PROSE."""
    prose = feats[:, FEATURE_NAMES.index("prose")] if len(feats) else []
    todo = [i for i, b in enumerate(body) if b]
    while todo:
        i = todo.pop()
        for j in (i - 1, i + 1):
            if 0 <= j < len(body) and not body[j] and j not in trailer and prose[j] and probs[j] >= GROW_PROSE:
                body[j] = True
                todo.append(j)


def fill_inner(body: list[bool], lines: list[Line], feats: np.ndarray, trailer: set[int]) -> None:
    """Short lines inside the article (in place): a line standing alone between two body paragraphs is the article's
    own subhead or list item, unless it is a label (a colon in its first words: "Foto: …", "Lesen Sie auch: …") or a
    bare word ("Anzeige", "Advertisement"); a body line that ends with a colon and is followed by no body line is a
    label that introduces page chrome ("Lesen Sie auch die folgenden Beiträge:", "Teilen Sie dies mit:") unless it
    states a sentence before the colon."""
    n = len(body)
    if n < 3:
        return
    prose = feats[:, FEATURE_NAMES.index("prose")] > 0
    sentences = feats[:, FEATURE_NAMES.index("sent_breaks")] > 0
    add = []
    for i in range(1, n - 1):
        if body[i] or i in trailer or not (body[i - 1] and body[i + 1] and prose[i - 1] and prose[i + 1]):
            continue
        t = lines[i].text
        if len(t.split()) >= 2 and ":" not in t[:30] and "://" not in t:
            add.append(i)
    for i in add:
        body[i] = True
    for i in range(n):
        t = lines[i].text
        # a line that states a sentence before its colon ("As usual, StackOverflow knows the answer. In short:") is
        # the article's own words introducing what follows, not a label
        if (body[i] and t.endswith(":") and len(t) < 80 and not prose[i] and (i + 1 >= n or not body[i + 1])
                and not sentences[i]):
            body[i] = False


def _link_line(line: Line) -> bool:
    """A line that is mostly link text: navigation, or a teaser for another page."""
    return bool(line.links) and line.link_chars >= 0.6 * len(line.text)


def locate_body(lines: list[Line], feats: np.ndarray, probs: list[float], switch: float,
                trailer: set[int] = frozenset()) -> tuple[list[bool], tuple[int, int]]:
    """Body mask (smoothed model decisions plus markup rules) and two anchors for the headline search:
    the body's first prose line and the first prose line of its largest block."""
    body = smooth(probs, switch)
    for i, line in enumerate(lines):
        # markup signals the model cannot learn from plain dumps: a line that is mostly link text is
        # navigation or a teaser for another page, whatever its neighbours are; a line that prints a markup identifier
        # (an HTML comment such as ".entry-header" or "END CRITEO TAG", an icon font's ligature name), HTML source or URL
        # queries is not words
        if i in trailer or _link_line(line) or markup_line(line.text):
            body[i] = False
    grow_prose(body, feats, probs, trailer)
    fill_inner(body, lines, feats, trailer)
    if not any(body) and lines:  # nothing looks like an article: keep the most prose-like lines rather than nothing
        top = max((p for i, p in enumerate(probs) if i not in trailer), default=1.0)
        body = [p >= min(0.5, top) and i not in trailer for i, p in enumerate(probs)]
    prose = FEATURE_NAMES.index("prose")
    # the anchor is the first prose line of the page's largest body block (stray lines elsewhere do not count)
    best, best_chars, start, chars, last = None, -1, None, 0, -10
    for i, b in enumerate(body):
        if not b:
            continue
        if i - last > 4:
            if start is not None and chars > best_chars:
                best, best_chars = start, chars
            start, chars = i, 0
        chars += len(lines[i].text)
        last = i
    if start is not None and chars > best_chars:
        best = start
    if best is None:
        return body, (0, 0)
    first = next((i for i, b in enumerate(body) if b and feats[i][prose]), best)
    block = next((i for i in range(best, len(lines)) if body[i] and feats[i][prose]), best)
    return body, (first, block)


def us_order(url: str | None) -> bool:
    """Whether numeric dates on the page are month-first (a .com or .us site)."""
    return url is not None and re.search(r"\.(?:com|us)(?:/|$)", url.split("://", 1)[-1].split("/", 1)[0] + "/") is not None


HEADER_LINES = 8   # lines above the headline taken out of the body (1-60 gave the same figures on the tune pages)


def page_layout(lines: list[Line], feats: np.ndarray, probs: list[float], model: dict, url: str | None,
                trailer: set[int]) -> tuple[list[bool], int, int | None]:
    """(body mask, first body line, headline line or None): the body located, the headline and the article block
    picked together, what stands above the headline and small blocks standing apart below the article taken out of
    the body."""
    # markup printed as text is never body: no pass that grows the body (prose, lists, sentences) takes it back
    trailer = set(trailer) | {i for i, line in enumerate(lines) if markup_line(line.text)}
    body, anchors = locate_body(lines, feats, probs, model["switch"], trailer)
    body_start = next((i for i, b in enumerate(body) if b), 0)
    title_idx, start = pick_layout(lines, feats, probs, anchors, url, model.get("title"), body)
    if title_idx is not None and title_idx < start:
        # what stands just above the headline (masthead, tagline, kicker, date) is not the article; further up, a
        # block the model took for body is left as it is (clearing the whole page above the pick wiped out the
        # article whenever the pick was a line below it, and removed no chrome that the dev pages' gold names)
        for i in range(max(0, title_idx - HEADER_LINES), title_idx + 1):
            body[i] = False
        # the article starts under its headline (what the date is looked for around)
        body_start = next((i for i in range(title_idx + 1, len(body)) if body[i]), body_start)
        # a prose line between the headline and the body is the article's opening (a standfirst, a lead, an
        # abstract under its label), which the line model doubts for lack of body around it; the date is still looked
        # for around the first line the model itself took (moving that anchor cost a held page's date)
        prose = feats[:, FEATURE_NAMES.index("prose")]
        opening = next((i for i in range(title_idx + 1, len(body)) if body[i] and prose[i]), body_start)
        for i in range(title_idx + 1, opening):
            if prose[i] and i not in trailer and not _link_line(lines[i]):
                body[i] = True
    below = title_idx if title_idx is not None else body_start - 1
    take_lists(body, lines, feats, probs, trailer, below)
    fill_list_runs(body, lines, feats, probs, trailer, below)
    fill_labelled_runs(body, lines, probs, trailer, below)
    grow_sentences(body, lines, feats, probs, trailer, below)
    drop_after_article(body, lines, start, probs)
    drop_consent_blocks(body, lines, start)
    grow_wrapped(body, lines, trailer, below, start)
    return body, body_start, title_idx


# a list the article introduces: a line of the article ending with a colon ("Some of my personal favorites (other than
# Corgan) that are not on the list:") heads the short lines under it, which the line model doubts (short, no sentence, no
# prose around them). Its items run until a line the model is sure is chrome (p below LIST_P), a prose
# line, a line worded as chrome or a markup identifier; at least LIST_MIN items (a label over one line, "Author of the
# article:" over a name, is a label, not a list). 0.05-0.15 gave the same figures on the tune pages
LIST_P = 0.1
LIST_MIN = 2
LIST_MAX = 40


def _introduces(text: str) -> bool:
    """A line that introduces what follows in the article's words: ends with a colon, three words or more, not chrome's
    wording ("Teilen Sie dies mit:", "Lesen Sie auch:")."""
    return text.endswith(":") and len(text.split()) >= 3 and wording_chrome(text) is None


def take_lists(body: list[bool], lines: list[Line], feats: np.ndarray, probs: list[float], trailer: set[int],
               below: int) -> None:
    """Extend the body mask (in place) over the list items under a line of the article that introduces them (below the
    headline `below`, right under a body line)."""
    n = len(body)
    if n < 3:
        return
    prose = feats[:, FEATURE_NAMES.index("prose")]
    done = -1
    for i in np.flatnonzero(feats[:, FEATURE_NAMES.index("ends_colon")]).tolist():   # the few lines ending with a colon
        if i < below + 2 or i <= done or i >= n - 1 or not (body[i - 1] and (body[i] or probs[i] >= 0.5)
                                                            and _introduces(lines[i].text)):
            continue
        j, run = i + 1, []
        while j < n and len(run) < LIST_MAX and not body[j]:
            u = lines[j]
            if (j in trailer or probs[j] < LIST_P or prose[j] or len(u.text) > 200 or _link_line(u)
                    or markup_identifier(u.text) or wording_chrome(u.text) is not None):
                break
            run.append(j)
            j += 1
        if len(run) >= LIST_MIN:
            body[i] = True
            for k in run:
                body[k] = True
            done = j


# a list is the article's or not as a whole: in a run of two or more consecutive lines under the same list mark ("- ",
# "• ", "1. " that markup.py reads, or a dash or bullet opening the line: "– 9. November 2019: …", "・必ず顔も…") of
# which at least LIST_RUN_SHARE the body took, the other items are the article's too (but lines the model is sure are
# chrome, p below LIST_P). 0.01-0.5 gave the same figures on the fundus pages; 0.25 took one list more on the tune pages
LIST_RUN_SHARE = 0.25
_BULLETS = frozenset("–—-•・·▪►✓✔")


def fill_list_runs(body: list[bool], lines: list[Line], feats: np.ndarray, probs: list[float], trailer: set[int],
                   below: int) -> None:
    """Extend the body mask (in place) over the items of a list run that the body partly took (below the headline)."""
    n = len(body)
    listed = feats[:, FEATURE_NAMES.index("list")] > 0
    marks = ["li" if listed[i] else (c if (c := lines[i].text[:1]) in _BULLETS else None) for i in range(n)]
    i = max(0, below + 1)
    while i < n:
        m = marks[i]
        j = i
        while m is not None and j + 1 < n and marks[j + 1] == m:
            j += 1
        if j > i:
            run = range(i, j + 1)
            k = sum(body[x] for x in run)
            if k and k >= LIST_RUN_SHARE * len(run):
                for x in run:
                    if x not in trailer and probs[x] >= LIST_P and not _link_line(lines[x]):
                        body[x] = True
        i = j + 1


# a list written as labels over their values ("Background:" over the abstract's first paragraph, "Participants:" over
# "Adults aged 55 to 75 years …"): a line of at most LABEL_MAX characters ending with a colon, then one line of value, at
# least LABELLED_MIN pairs in a row. Like a marked list it is the article's or not as a whole: when the body took
# LIST_RUN_SHARE of its lines, the others are the article's too (but lines the model is sure are chrome, p below LIST_P)
LABELLED_MIN = 3
LABEL_MAX = 40


def fill_labelled_runs(body: list[bool], lines: list[Line], probs: list[float], trailer: set[int], below: int) -> None:
    """Extend the body mask (in place) over the pairs of a label-over-value run that the body partly took (below the
    headline)."""
    n = len(body)
    i = max(0, below + 1)
    while i < n - 1:
        j = i
        while (j + 1 < n and len(lines[j].text) <= LABEL_MAX and lines[j].text.endswith(":")
               and not lines[j + 1].text.endswith(":")):
            j += 2
        if (j - i) // 2 >= LABELLED_MIN:
            run = range(i, j)
            if sum(body[x] for x in run) >= LIST_RUN_SHARE * len(run):
                for x in run:
                    if x not in trailer and probs[x] >= LIST_P and not _link_line(lines[x]):
                        body[x] = True
            i = j
        else:
            i += 1


# a sentence closing a paragraph block of the article: a short line that ends like a sentence ("Ich hoffe euch gefällt
# der Relaunch.", "Hier ein Link zum Podcast, der auch nur 20 Minuten dauert.") right under a body line, with at least
# SENT_P from the line model (0.35-0.45 gave the same figures on the tune pages; 0.25 took in chrome)
SENT_P = 0.35


def grow_sentences(body: list[bool], lines: list[Line], feats: np.ndarray, probs: list[float], trailer: set[int],
                   below: int) -> None:
    """Extend the body mask (in place) over the short sentences standing right under a body line (below the headline
    `below`; one line each, not a chain), unless worded as chrome."""
    n = len(body)
    if n < 2:
        return
    b = np.asarray(body, dtype=bool)
    # the few candidates at once: not body, under a body line, ending like a sentence, SENT_P or more
    cand = np.flatnonzero(~b[1:] & b[:-1] & (feats[1:, FEATURE_NAMES.index("ends_sentence")] > 0)
                          & (np.asarray(probs[1:]) >= SENT_P)) + 1
    add = []
    for i in cand[cand > below].tolist():
        t = lines[i].text
        if i in trailer:
            continue
        if len(t.split()) >= 4 and not _link_line(lines[i]) and wording_chrome(t) is None:
            add.append(i)
    for i in add:
        body[i] = True


# a paragraph printed with its source's line breaks (hard-wrapped text, HTML written at 80 columns) has lines that stop
# mid-sentence: a line of at least WRAPPED_WORDS words that ends on a letter, digit or comma runs on into the next line
# when that one opens lower case. Either side of such a join is the body's when the other is
_MID_END = re.compile(r"[^\W_],?$")
WRAPPED_WORDS = 5
WRAPPED_CHARS = 30


def _runs_on(upper: Line, lower: Line) -> bool:
    """Whether `upper` stops mid-sentence and `lower` goes on with the same sentence."""
    a, b = upper.text, lower.text
    return (len(a) >= WRAPPED_CHARS and len(b) >= WRAPPED_CHARS and b[:1].islower() and _MID_END.search(a) is not None
            and len(a.split()) >= WRAPPED_WORDS and not lower.list_item)


def grow_wrapped(body: list[bool], lines: list[Line], trailer: set[int], below: int, start: int) -> None:
    """Extend the body mask (in place) over the lines that a line of the article block (the one holding `start`) runs
    on into, or that run on into one (below the headline `below`), unless a link line, markup or worded as chrome."""
    n = len(body)
    # only the article's own block grows: a box of other text that the body took a line of (a site's self-description,
    # a paywall notice) is wrapped the same way
    block = next(((a, b) for a, b, _ in mask_blocks(body, lines) if a <= start <= b), None)
    if block is None:
        return
    todo = [i for i in range(block[0], block[1] + 1) if body[i]]
    while todo:
        i = todo.pop()
        for j in (i - 1, i + 1):
            if not (below < j < n) or body[j] or j in trailer:
                continue
            upper, lower = (lines[j], lines[i]) if j < i else (lines[i], lines[j])
            if _runs_on(upper, lower) and not _link_line(lines[j]) and wording_chrome(lines[j].text) is None:
                body[j] = True
                todo.append(j)


# an article is one region of the page: past a gap of ARTICLE_GAP or more lines of chrome under the article's block,
# a block of less than ARTICLE_SHARE of the article's characters is other content (related teasers, a comment, an
# author box, a newsletter form). 6-15 lines and 0.3-0.5 gave the same figures on the tune pages; a block as large
# as the article is kept (a long article broken up by a gallery or an embedded widget)
ARTICLE_GAP = 10
ARTICLE_SHARE = 0.3


# the gap counts the lines the line model is fairly sure are chrome (p below GAP_P): a run of lines it doubts either way
# (a code listing, a table between two parts of a tutorial) does not set the rest of the article apart. 0.15-0.17 gave the
# same figures on the tune and the fundus pages; 0.1-0.12 also kept a newsletter box
GAP_P = 0.15


def drop_after_article(body: list[bool], lines: list[Line], start: int, probs: list[float]) -> None:
    """Clear (in place) the small body blocks that stand apart below the article block, the one holding `start`."""
    blocks = mask_blocks(body, lines)
    main = next((k for k, b in enumerate(blocks) if b[0] <= start <= b[1]), None)
    if main is None or main == len(blocks) - 1:
        return
    sure = np.concatenate(([0], np.cumsum(np.asarray(probs) < GAP_P)))   # lines of sure chrome up to each line
    apart = False
    for k in range(main + 1, len(blocks)):
        gap = sure[blocks[k][0]] - sure[blocks[k - 1][1] + 1]
        apart = apart or gap >= ARTICLE_GAP
        if apart and blocks[k][2] < ARTICLE_SHARE * blocks[main][2]:
            for i in range(blocks[k][0], blocks[k][1] + 1):
                body[i] = False


# a cookie-consent dialog printed with the page is a block of its own, outside the article's: "cookie" and "web"/"site"
# are the same words in most languages ("Diese Website verwendet Cookies", "utilizamos cookies en nuestro sitio"). A
# block where CONSENT_SHARE of the lines or more name cookies, one of them with the site, is the dialog, however long (it
# often outweighs a short article); the article's own block is never cleared, so a report on cookie rules keeps its text
# (and a block of a recipe for cookies names no site)
_COOKIE = re.compile(r"cookie", re.I)
_COOKIE_SITE = re.compile(r"\bweb|site|seite|sitio|sito|navig", re.I)
CONSENT_SHARE = 0.3


def drop_consent_blocks(body: list[bool], lines: list[Line], start: int) -> None:
    """Clear (in place) the body blocks apart from the article block (the one holding `start`) that are a cookie dialog."""
    for first, last, _ in mask_blocks(body, lines):
        if first <= start <= last:
            continue
        inside = [i for i in range(first, last + 1) if body[i]]
        named = [i for i in inside if _COOKIE.search(lines[i].text)]
        if len(named) >= CONSENT_SHARE * len(inside) and any(_COOKIE_SITE.search(lines[i].text) for i in named):
            for i in inside:
                body[i] = False


# what page chrome says of itself, in many languages (chrome.wording_chrome, the HTML body's own test): calls to
# subscribe, donate, share or follow, comment-form and comment-count labels, "Read more" headings, bylines and ad labels
# standing alone, tag and category lines, download sizes, disclosures of paid links, a widget's
# messages (a video that failed to load, a sign-up form's answers). Datelines and credits are left to the date and caption readers
WORDING_KINDS = frozenset({"related", "comments", "share", "label", "cta", "meta", "download", "disclosure", "widget"})


# teasers for other articles under a "related" heading ("Mehr zum Thema", "Veja Também", "Lesen Sie auch"): the lines
# the body took among the TEASER_LINES under the heading, up to the first prose line (where an article broken by the box
# goes on), are the teasers' headlines. 3-12 lines gave the same figures on the tune pages; stopping only at a prose line
# the model is sure of (p 0.8) also took the article's own paragraphs after the box on the fundus pages
TEASER_LINES = 8


def drop_teasers(body: list[bool], lines: list[Line], feats: np.ndarray) -> None:
    """Take out of the body mask (in place) the teaser lines under a heading worded as a link to related articles."""
    n = len(body)
    if n < 2:
        return
    b = np.asarray(body, dtype=bool)
    short = feats[:, [FEATURE_NAMES.index(f) for f in ("len<=3", "len<=15", "len<=40")]].any(axis=1)   # 40 characters or less
    cb = np.concatenate(([0], np.cumsum(b)))
    idx = np.arange(n)
    # the few short lines with a body line among the TEASER_LINES under them
    near = cb[np.minimum(n, idx + 1 + TEASER_LINES)] - cb[idx + 1] > 0
    prose = feats[:, FEATURE_NAMES.index("prose")]
    for i in np.flatnonzero(near & short).tolist():
        t = lines[i].text.strip("-|–• ")
        # chrome.wording_chrome's "related" test (its other tests come first only for longer lines)
        if len(t.split()) > 5 or not (RELATED_HEAD.match(t) or RELATED_WORD.match(t)):
            continue
        for j in range(i + 1, min(n, i + 1 + TEASER_LINES)):
            if prose[j]:
                break
            body[j] = False


# a menu or a list of links printed with no space between the links ("Auto NewsRetail NewsHealth NewsTelecom News…",
# "AllePolitik & WirtschaftSportVermischtes"): words glued lower case to upper case inside capitalised tokens, at least
# GLUED_MIN of them and one for every GLUED_WORDS words (a name such as "YouTube" or "KwaZulu" is one glue in a sentence)
_GLUE = re.compile(r"[^\W\d_]{2}(?<=[a-zà-ÿ]{2})[A-ZÀ-Þ][a-zà-ÿ]")
GLUED_MIN = 3
GLUED_WORDS = 4


def glued_links(text: str) -> bool:
    """A line of link texts run together: GLUED_MIN or more lower-to-upper joins inside capitalised tokens."""
    tokens = text.split()
    joins = sum(len(_GLUE.findall(t)) for t in tokens if t[:1].isupper())
    return joins >= GLUED_MIN and joins * GLUED_WORDS >= len(tokens)


def drop_glued(body: list[bool], lines: list[Line]) -> None:
    """Take out of the body mask (in place) the lines of link texts run together (glued_links)."""
    for i, line in enumerate(lines):
        if body[i] and glued_links(line.text):
            body[i] = False


# a teaser for another page: its summary stands right over a link that says only "read more" ("READ MORE",
# "Weiterlesen", "Lire la suite", "Leer más", "Continue reading" …), which an article's own paragraph never needs
_READ_MORE = re.compile(r"^(?:read more|read on|continue reading|more|weiterlesen|mehr lesen|mehr|lire la suite|lire plus|"
                        r"leer más|seguir leyendo|leia mais|continuar lendo|leggi tutto|leggi di più|continua a leggere|"
                        r"lees meer|verder lezen|läs mer|les mer|læs mere|czytaj dalej|czytaj więcej|читать далее|"
                        r"devamını oku|阅读全文|続きを読む)\s*[.…»›→>]*$", re.I)


def drop_read_more(body: list[bool], lines: list[Line]) -> None:
    """Take out of the body mask (in place) a body line standing alone (no body line right above it) over a "read
    more" link alone with no body line in the two lines under it: a teaser's summary, the next card's headline (and
    byline) under the link. A "Read more" under a run of the article's paragraphs heads the links that follow; with the
    body going on right under it (past one linked headline) it marks where the page cut the post ("more") or links one
    other article from inside the text."""
    n = len(lines)
    for i in range(1, n):
        if (body[i - 1] and not (i >= 2 and body[i - 2]) and not any(body[i + 1:i + 3])
                and len(lines[i].text) <= 30 and _READ_MORE.match(lines[i].text.strip("[]()<> "))):
            body[i - 1] = False


def drop_wording(body: list[bool], lines: list[Line], keep: set[int]) -> dict[int, str]:
    """Take out of the body mask (in place) the lines whose wording is page chrome's, but the lines in `keep`; returns
    the chrome kind of every body line outside `keep` that has one (those left in: credits, datelines)."""
    kinds = {}
    for i, line in enumerate(lines):
        if body[i] and i not in keep and (kind := wording_chrome(line.text)) is not None:
            kinds[i] = kind
            if kind in WORDING_KINDS:
                body[i] = False
    return kinds


def extract_text(text: str, origin: str, options: ExtractOptions, trusted_body: bool = False) -> Article:
    """Title, outlet, date, URL, byline, captions and body of a plain-text page."""
    lines = split_lines(text)
    url, trailer = _trailer_urls(lines)
    if trusted_body:
        return _trusted(lines, origin, url, trailer)
    feats = line_features(lines)
    probs = body_probabilities(lines, feats)
    model = load_model()
    body, body_start, title_idx = page_layout(lines, feats, probs, model, url, trailer)
    title = lines[title_idx].text if title_idx is not None else None
    us = us_order(url)
    if model.get("date"):
        published, source, date_idx, kept_dateline = pick_date(lines, probs, title_idx, body_start, body, url, us, model["date"])
        if kept_dateline is not None:
            # the re-posted report's own dateline is part of its text (and the recycled check's evidence)
            body[kept_dateline] = True
    else:
        published, source, date_idx = _pick_date(lines, title_idx, body_start, url, us)
    author, by_idx = _byline(lines, (title_idx if title_idx is not None else body_start) - 3, body_start + 4)
    outlet, outlet_idx = outlet_from_lines(lines, title_idx, body_start, url)
    if author:
        domain = registrable_domain(url)
        author = clean_authors([], author, None, site_keys(outlet, domain, domain and domain.split(".")[0]))
    drop = {i for i in (title_idx, date_idx, by_idx, outlet_idx) if i is not None}
    if date_idx is not None and feats[date_idx][FEATURE_NAMES.index("prose")]:
        # a paragraph that opens with its dateline ("Karlsruhe, (12.11.2021). Traditionell gedenken …") is the lead
        drop.discard(date_idx)
    # a title repeated just before the body (page heading + article heading) is not body either
    if title:
        drop |= {i for i in range(0, min(len(lines), body_start + 3)) if lines[i].text == title}
    # a headline pick that reads as a paragraph (a long line closed by a sentence end, which the line model takes for
    # body) is the article's opening whether or not it also serves as the title
    if title_idx is not None and probs[title_idx] >= 0.5 and feats[title_idx][FEATURE_NAMES.index("prose")] \
            and feats[title_idx][FEATURE_NAMES.index("ends_sentence")]:
        body[title_idx] = True
        drop.discard(title_idx)
    drop_teasers(body, lines, feats)
    drop_glued(body, lines)
    kinds = drop_wording(body, lines, drop)
    drop_read_more(body, lines)
    capt = caption_scores(lines, body)
    # a line worded as a credit ("Photograph by …", "Abbildung 4: …") is a caption, whatever its neighbours look like
    for i, kind in kinds.items():
        if kind == "credit":
            capt[i] = True
    captions, paragraphs, boiler = [], [], []
    for i, line in enumerate(lines):
        if body[i] and i not in drop:
            if capt[i] and not options.keep_captions_in_body:
                captions.append(line.text)
            else:
                paragraphs.append(line.text)
        elif i != title_idx:
            boiler.append(line.text)
    return Article(id="", origin=origin, title=title, text="\n\n".join(paragraphs), paragraphs=paragraphs,
                   outlet=outlet, url=url, author=author, published=published, published_source=source,
                   published_precision="day" if published is not None else None,
                   language=detect_language("\n".join(paragraphs)), captions=captions, boilerplate=boiler)


_UPDATE_LINE = re.compile(r"\b(?:updated?|modified|aktualisiert|mis à jour|actualizado)\b", re.I)


def dateline_of(lines: list[Line], url: str | None, first: int = 6):
    """The date of a dateline among a text's first lines ("Published May 03, 2013", "05 / 02 / 2013"), an update
    notice only when nothing else is dated; None when the opening states no complete date."""
    us = us_order(url)
    found = []
    for line in lines[:first]:
        when = date_line(line.text, us_order=us, max_other_words=4) if len(line.text) <= 140 else None
        if when is not None:
            found.append((bool(_UPDATE_LINE.search(line.text)), when))
    found.sort(key=lambda x: x[0])   # publication lines before update notices, each in text order
    return found[0][1] if found else None


def _trusted(lines: list[Line], origin: str, url: str | None, trailer: set[int]) -> Article:
    """A record whose text is already the article: only markup residue (URL-only lines, trailers) is removed, and
    a dateline opening the text gives the claimed date."""
    paragraphs = [l.text for i, l in enumerate(lines) if i not in trailer]
    boiler = [lines[i].text for i in sorted(trailer)]
    when = dateline_of([l for i, l in enumerate(lines) if i not in trailer], url)
    return Article(id="", origin=origin, title=None, text="\n\n".join(paragraphs), paragraphs=paragraphs, url=url,
                   published=when, published_source="text-dateline" if when else None,
                   published_precision="day" if when else None,
                   language=detect_language("\n".join(paragraphs)), boilerplate=boiler)
