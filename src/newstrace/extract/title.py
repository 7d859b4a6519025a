"""The headline of a text page: candidate lines above (or at the top of) the body, ranked by a learned score.

Candidate features: markdown heading, repetition, closeness to the first prose line of the body,
length and word count, final punctuation, capitalisation, overlap with the URL's slug, a dateline
next to it, the body model's probabilities for the line and the line after it, whether it reads as a byline (a
list of names, "Von …", "Text & Fotos: …"), and the shape of the lines just above and below it (a byline, a
dateline, another title-like line, a sentence: what separates a headline from the kicker above it and the
standfirst under it), and how far under it the nearest meta line (a date or a byline) stands. The weights are
fitted on the development pages' gold titles (tools/train_text_extractor.py --title); hand-set
weights serve when none are shipped.

The headline and the article are chosen together (pick_layout): every body block that may be the article (the
largest and the first) is paired with the candidate lines around its start, each pair gets the candidate's
features read against that start plus the block's own (size, share of the body, rank, position), and the best pair
wins. A headline picked alone against the largest block lost whenever that block was a sidebar, a comment thread or
a newsletter form, or the article's first lines were not prose (code, lists), and the block's evidence also settles
close calls between the headline and the standfirst or kicker next to it.

Measured and not kept (session 8, issue 23; tools/cv_title_ranker.py: the ranker refitted on the dev pages' (candidate,
block) rows over four differently salted 5-fold splits, 1,196 held-out page readings, exact title 0.753 as shipped; a
point is ~12 readings):
- the line after a candidate longer by a fifth ("next_longer"), a shorter title-like line over it ("prev_shorter_tl"),
  a kicker of 1-4 words over it, the headline's exact copies on the page (case folded): 0.752 (train_text_extractor.py
  --cv 0.760 as before); with the neighbours read past empty lines and markup residue: 0.742 (--cv 0.750);
- the first line of 5+ words of the run that stands over the meta line ("heads_meta_run"): 0.750; retrained, dev title
  0.783 -> 0.760, fundus text 0.563 -> 0.567;
- kicker and standfirst shapes as interactions (a line of at most 4 words over a longer one; a line longer than the
  title-like line over it): 0.752; the candidate worded as chrome (chrome.wording_chrome): 0.748 (dev 0.780, fundus 0.567);
- the ranker's L2 at 1, 10, 30 (3 shipped): 0.745, 0.752, 0.742; WINDOW 100, 150: 0.753, 0.755; the share of a
  candidate's words among the body's 20 commonest (headlines are telegraphic): 0.747; no single feature left out gains
  more than 0.7 point (leaving out meta_below costs 2: 0.732);
- gradient-boosted trees (pointwise): 0.740 alone, 0.763 averaged with the linear ranker (0.755 at WINDOW 100), but on the
  fundus dumps, fitted on the same pages, 0.552 alone and 0.560 averaged against the linear ranker's 0.567;
- rules after the pick: the line over a picked standfirst (5+ words, shorter, opening the header, within 2 of its score)
  took tune 0.788 -> 0.798 but held 0.773 -> 0.753; the line under a picked label of at most 3 words took fundus text
  0.567 -> 0.575 but lost two tune headlines that a longer line follows.
Session 9 (issue 23) cleaned the ranker's inputs instead of adding features (cv_title_ranker.py 0.753 -> 0.782, dev
0.787 -> 0.813, fundus dumps 0.567 -> 0.623): lines no headline is are no candidates (never_headline: markup printed as
text, program text, chrome wording, a line a separator joins to the next, a caption closed by its credit, a phrase
opening with a lower-case word); the meta line
under a headline is read more exactly (a photo credit is none; a list of names has no colon inside, no closing comma, no
word cut at a hyphen; an author's bare name over a dated line is one); after the pick, a kicker of up to 4 words yields to
the headline-shaped line under it and a standfirst of 10+ words to the shorter headline-shaped line over it that scores
within 2 of it (_clean_echo). Measured and not kept in session 9: "rep_titlelike" (an echoed line of 4-25 words) and
"short_run_above" (the run of short lines over a candidate) as features: 0.755; "heads_run" (the first line of 5+ words
over the meta line, with the session's meta lines): 0.765 against 0.767; meta_below's header exception lifted for
bylines: 0.747; contained_elsewhere for lines of 5+ words only: 0.756 (fundus +2, dev -3); a sentence break followed by a
lower-case letter not counted in the sent_break feature: dev -2, fundus -1 (it is counted so in _headline_shaped only);
dated meta lines held to 8 words beside the date: 0.763; the standfirst rule past a byline between the two lines: 0.778.
What was left on the fundus dumps before session 9 (title 0.567, 109 misses): in 45 the gold is no line of the dump (38 worded otherwise,
6 with other quotes or dashes, 3 a kicker joined by a colon); in 19 the pick stands more than 10 lines from it; in 45
within 10 lines: 14 above it (8 of at most 4 words: kickers, section labels), 31 below it (standfirsts, 21 of them
nearer than the headline to the date or byline under both). The dev pages show the same two confusions, in both
directions, which is why no layout feature tried separates them.
Session 10 (issue 23; cv_title_ranker.py 0.783 -> 0.800, dev 0.813 -> 0.820, fundus dumps 0.623 -> 0.651): a colon
joins a kicker to its headline, not a breadcrumb or site name to it (_ECHO_SEP); two features: "echoed_near" (the line
is printed again within 3 lines, or is the last crumb of a breadcrumb line) and "over_credit" (the line stands over a
photo credit: a caption); a line saying how long ago the page was posted ("vor 4 Stunden") is no candidate, a link to
the previous or next post ("← …", "… →") is never a headline, and a meta line made long by its tags is one. Of the dev
pages' 56 misses before, 13 have no line equal to the gold (the reachable ceiling is 0.957), 21 picked a line within 3
of a gold line (standfirsts, kickers, captions), 12 one farther in the same block, 6 a line of another block, 6 had
the gold outside the candidates. Measured and not kept: an upper-case template marker first or last ("Facebook Like
Button END", "BEGIN SEARCH FORM", "TODO …") as never_headline: fundus +1, but d261's pick moved to its comment thread
(its date and a list of the post lost); a relative time as a dated meta line: dev d144 and d169 won, d227 (teasers each
over "hace 21 minutos") lost, CV 0.783 -> 0.778; the standfirst rule at 6 or 8 words, margin 3, or over headlines of
3-4 words: CV -0.2 to -1.2 points; exact copies anywhere on the page or within 3 lines only, as separate features from
the breadcrumb tail: within a point of the merged feature.
Session 11 (issue 23; cv_title_ranker.py 0.804 from fresh rows; of the dev pages' 34 reachable misses 15 picked a
standfirst or subhead under the gold, 5 a kicker or quote over it, the rest a line farther off) measured and did not
keep: a second stage comparing the pick with the candidates 1-2 lines from it (logistic regression on pairwise
differences of length, final period, title case, headline shape, copies on the page, meta distance and first-stage
score, split by direction, fitted on nested out-of-fold scores; 2 salts): 0.806 -> 0.806, 0.808, 0.799 at C 0.03,
0.1, 1 (a handful of changed pages, as many lost as won); an extra softmax over the gold's neighbours in the listwise
loss (weight 0.5-2): 0.798-0.789; one positive per page (the gold's copy nearest above the article): 0.792; L2 1.5 or
6: 0.800, 0.799; features (2 salts, 0.806 as shipped): relative position, length ratio to the title-like line above or
under, many copies on the page, top of a title-like run, a run over a meta line, a longer title-like line between the
line and its meta line, closing "?"/"!", an opening quote: 0.799-0.808; a kicker of at most 4 words joined by a colon,
alone or with the length ratio above: 0.808 and 0.811 on salts 0-3 but 0.802 on salts 4-7 (0.804 as shipped on both);
beside it, an all-capitals lead word, 5-12 or 16+ words, a dash inside, a colon kicker on the line above: 0.802-0.808; block features for the share of prose and of markup characters: 0.804, 0.805 (salts 4-7); the
kicker rule read past a dated line under the kicker: 0.804 -> 0.798.
Session 12 (issue 23) measured and did not keep: the ranker trained with fundus's 252 pages added to every training fold
(their plain-text dumps, gold titles, and body paragraphs to find the article block; cross-validation on the dev pages
as cv_title_ranker.py, 4 salts): 0.804 -> 0.805, with fundus's rows weighted 2x or 4x 0.785 and 0.779; the dumps
without the text of HTML comments (which devscore's dump writes as lines, and which 5 misses pick), as an oracle: title
0.827 -> 0.830 (the picks move to other wrong lines) and body F1 0.924 -> 0.920.
"""
from __future__ import annotations

import re
from collections import Counter

import numpy as np

from .captions import CREDIT, credit_line, has_credit
from .chrome import wording_chrome
from .dates import date_line, find_dates
from .linefeatures import FEATURE_NAMES, markup_line
from .markup import Line

_SENT_BREAK = re.compile(r"[.!?。](?:[\"'”’»)]*)\s+\S")
_YEAR = re.compile(r"(?:19|20)\d\d")
_TOKEN = re.compile(r"\w+", re.U)
_WORD4 = re.compile(r"\w{4,}")   # maximal runs, as _TOKEN's, of four characters or more
_F = {name: i for i, name in enumerate(FEATURE_NAMES)}

TITLE_FEATURES = ["bias", "h1", "heading", "repeated", "closeness", "in_body", "words_4_25", "words_lt2", "ends_period",
                  "ends_colon", "sent_break", "first_upper", "slug", "dateline_near", "separators", "titlecase",
                  "loglen", "p_body", "p_next", "allcaps", "len_20_150", "digits", "is_first_copy", "above_dist",
                  "nearest_titlelike", "between_maxp", "logwords", "p_prev", "closeness_first", "in_body_first",
                  "contained_elsewhere", "nearest_titlelike_first",
                  "body_overlap", "lead_overlap", "code_like", "no_words",
                  "name_like", "overlap_x_words",
                  "prev_name", "prev_titlelike", "prev_period", "prev_loglen", "prev_dated",
                  "next_name", "next_titlelike", "next_period", "next_loglen", "next_dated",
                  "meta_below", "echoed_near", "over_credit"]
DEFAULT_WEIGHTS = [0.0, 4.0, 2.0, 1.0, 2.5, -1.0, 1.0, -1.5, -1.5, -2.0, -1.5, 0.3, 4.0, 0.8, -1.0, 0.0, 0.0, 0.0,
                   0.5, 0.0, 0.5, -1.0, 0.3, 0.0, 1.0, -1.0, 0.0, 0.0, 1.0, -0.5, 1.0, 0.5,
                   2.0, 1.0, -2.0, -1.0, -1.0, 1.0] + [0.0] * 10 + [1.0, 1.0, -1.0]
# characters of program text (script residue, CSS, template code) that headlines rarely hold
_CODE = re.compile(r"[{};=<>$\\]|\(\)|\w\.\w+\(|\b\w+_\w+\b")
_CODE_HINT = re.compile(r"[{};=<>$\\(_]")   # every _CODE match holds one of these
LEAD_LINES = 5   # the whole body counts: keeping only its first 3,000 or 6,000 characters cost a point of held-out title accuracy
WINDOW = 60


def _words(t: str) -> set[str]:
    """Lower-cased word tokens of at least four characters (mostly content words, in most languages)."""
    return set(_WORD4.findall(t.lower()))


def _overlap(cands: list[int], ctexts: list[str], lines: list[Line], p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Share of each candidate's words that the article body repeats (a headline sums up its article), over the
    whole body and over the first body lines after it; the candidate's own line does not count."""
    body = np.flatnonzero(p >= 0.5)
    if len(body) == 0:
        return np.zeros(len(cands)), np.zeros(len(cands))
    starts = np.searchsorted(body, cands, side="right")
    # word sets are kept only for the lines a candidate looks at (its own, the next body lines): a 30 MB text has
    # 400,000 body lines, and a set for each took 400 MB
    kept = set(cands) | {int(j) for s0 in set(starts.tolist()) for j in body[s0:s0 + LEAD_LINES]}
    bwords: dict[int, set[str]] = {}
    counts: Counter = Counter()   # in how many body lines each word stands
    for i in body.tolist():
        ws = _words(lines[i].text)
        counts.update(ws)
        if i in kept:
            bwords[i] = ws
    whole, lead = np.zeros(len(cands)), np.zeros(len(cands))
    # words in most body lines are the page's function words: they say nothing about a candidate
    common = {w for w, c in counts.items() if c > len(body) / 2} if len(body) >= 4 else set()
    near_cache: dict[int, set[str]] = {}   # most candidates stand above the body and share its first lines
    for k, (i, t) in enumerate(zip(cands, ctexts)):
        ws = _words(t) - common
        if not ws:
            continue
        own = bwords.get(i)
        if own:
            whole[k] = sum(1 for w in ws if counts[w] - (w in own) > 0) / len(ws)
        else:
            whole[k] = len(ws & counts.keys()) / len(ws)
        s0 = int(starts[k])
        if s0 < len(body):
            near = near_cache.get(s0)
            if near is None:
                near = near_cache[s0] = set().union(*(bwords[int(j)] for j in body[s0:s0 + LEAD_LINES]))
            lead[k] = len(ws & near) / len(ws)
    return whole, lead


_CONNECTOR = {"und", "and", "&", "et", "y", "e", "von", "van", "de", "der", "da", "di", "by", "mit", "with", "|", "/", "-", "–"}
_BY = re.compile(r"^(?:by|von|par|por|di|door|av|af|text|texte|fotos?|photos?)\b", re.I)


def _name_like(t: str) -> bool:
    """A byline or credit line: a label ("Von", "By", "Text & Fotos:") or a list of capitalised names joined by
    commas and connectors ("Clara Löw, Siddharth Prakash & Klaus Jacob"), which headlines seldom are."""
    words = t.replace(",", " ").replace(":", " ").split()
    if not 1 <= len(words) <= 10:
        return False
    if _BY.match(t) and len(words) <= 8:
        return True
    # a list of names has no colon inside it ("Ukrainische Gegenoffensive: Ziele, Chancen, Risiken"), does not run on
    # after a comma ("Liebe Schwestern und Brüder,") and holds no word cut at a hyphen ("Strom-, Gas- und DSL-Anbieter")
    if ":" in t or t.endswith(",") or "-," in t or "- " in t:
        return False
    names = [w for w in words if w.lower() not in _CONNECTOR]
    has_join = "," in t or any(w.lower() in ("und", "and", "&", "et", "y") for w in words)
    return has_join and len(names) >= 3 and all(w[:1].isupper() for w in names)


META_BELOW = 4   # lines under a candidate where its meta line is looked for (3-5 gave the same CV figure)


def _meta_line(t: str) -> bool:
    """A short line that states a date anywhere ("1.11.23 20:19 von Lars Sobiraj Lesezeit: 4 Min.", "by oz on
    December 4, 2006", "Arne Sjöström | 29. Dezember 2022 | HR-Welt") or reads as a byline: what stands under a
    headline, above its standfirst or its body. A photo credit ("Foto: AFP/Philipp Guelland", "Text & Fotos: …") is no
    meta line: the line over it is a caption, not a headline."""
    return _dated(t) or (len(t) <= 140 and _name_like(t) and not credit_line(t))


def _dated(t: str) -> bool:
    """A short line that states a date, or a longer one whose first part, up to a bar, is one ("Veröffentlicht:
    05.01.2020 | Autor: … | Abgelegt unter: … | Tags: …", a blog's meta line that its tags make long)."""
    if len(t) > 140:
        t = t.split(" | ", 1)[0]
    return len(t) <= 140 and bool(_YEAR.search(t) and find_dates(t))


# how long ago a page was posted, as its meta line under the headline says it ("vor 4 Stunden", "2 days ago", "hace 21
# minutos"); no headline of the dev or fundus pages is such a line
_RELATIVE_TIME = re.compile(
    r"\b(?:vor \d+ (?:Sekunden|Minuten|Stunden|Tagen|Wochen|Monaten|Jahren)"
    r"|\d+ (?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?) ago"
    r"|il y a \d+ (?:secondes?|minutes?|heures?|jours?|semaines?|mois|ans?)"
    r"|hace \d+ (?:segundos?|minutos?|horas?|días?|semanas?|meses|años?)"
    r"|há \d+ (?:segundos?|minutos?|horas?|dias?|semanas?|meses|anos?))\b", re.I)


def _relative_time(t: str) -> bool:
    """A short line (8 words at most) that says how long ago something was posted."""
    return len(t.split()) <= 8 and _RELATIVE_TIME.search(t) is not None


def _bare_name(t: str) -> bool:
    """Two to four capitalised words of letters, as a person's name is written."""
    words = t.split()
    return 2 <= len(words) <= 4 and all(w[:1].isupper() and w.replace("-", "").replace(".", "").isalpha() for w in words)


def _meta_below(i: int, texts: list[str], meta_of) -> float:
    """1/distance from line i to the first meta line in the META_BELOW lines under it (0 when none), unless that line
    is a header: not right under i, and a short title-like line that is no meta line stands right under it."""
    for k in range(1, META_BELOW + 1):
        if meta_of(i + k):
            if k > 1 and i + k + 1 < len(texts) and not meta_of(i + k + 1):
                t = texts[i + k + 1]
                if 3 <= len(t.split()) <= 12 and not t.endswith("."):
                    return 0.0
            return 1.0 / k
    return 0.0


def _slug_tokens(url: str | None) -> set[str]:
    if not url:
        return set()
    path = url.split("://", 1)[-1].partition("/")[2].split("?", 1)[0]
    return {t for t in re.split(r"[^\w]+|_", path.lower()) if len(t) >= 3 and not t.isdigit()}


ECHO_NEAR = 3   # lines either side of a candidate where its exact copy counts as an echo


def _echoed_near(cands: list[int], texts: list[str]) -> np.ndarray:
    """Whether each candidate is printed again within ECHO_NEAR lines, or is the last crumb of a breadcrumb line (another
    line ends with it after a separator, or glued to the word before it: "Homepage » Militär » <line>",
    "StartseiteAstro-Bilder<line>"): a page's heading over the article echoes its headline so (a hidden copy for small
    screens, the breadcrumb's current page), a kicker or standfirst seldom."""
    n = len(texts)
    by_last: dict[str, list[int]] = {}
    wanted = {texts[i].rsplit(" ", 1)[-1] for i in cands if len(texts[i]) >= 5}
    for j, t in enumerate(texts):
        last = t.rsplit(" ", 1)[-1]
        if last in wanted:
            by_last.setdefault(last, []).append(j)
    out = np.zeros(len(cands))
    for k, i in enumerate(cands):
        t = texts[i]
        if any(texts[j] == t for j in range(max(0, i - ECHO_NEAR), min(n, i + ECHO_NEAR + 1)) if j != i):
            out[k] = 1.0
            continue
        if len(t) < 5:
            continue
        for j in by_last.get(t.rsplit(" ", 1)[-1], ()):
            other = texts[j]
            if j != i and len(other) > len(t) and other.endswith(t):
                rest = other[:-len(t)]
                crumbs = rest.rstrip()
                if crumbs and (crumbs[-1] in _ECHO_SEP or rest[-1].isalpha()):
                    out[k] = 1.0
                    break
    return out


def candidates(lines: list[Line], anchors: tuple[int, int]) -> list[int]:
    """Lines that may be the headline: up to WINDOW lines above the anchors, a few below, level-1 headings."""
    n = len(lines)
    lo_a, hi_a = min(anchors), max(anchors)
    hi = min(n, hi_a + 8)
    out = []
    rng = sorted(set(range(max(0, lo_a - 20), min(n, lo_a + 8))) | set(range(max(0, hi_a - WINDOW), hi)))
    for i in rng + [i for i in range(hi, n // 2) if lines[i].heading == 1] + [i for i in range(hi, n // 2) if lines[i].heading == 1]:
        t = lines[i].text
        if 5 <= len(t) <= 250 and "://" not in t and not (len(t) < 60 and _YEAR.search(t) and date_line(t)) \
                and not _relative_time(t) and not never_headline(t):
            out.append(i)
    return out


_PROGRAM_END = ("{", ";", "(", ",")
# a kicker, label or byline that a separator joins to the line after it ("Umbau des Weissen Hauses –", "Kolumne von X -")
_JOINS_NEXT = (":", " –", " —", " -", " |", " /")
# a photo credit in brackets closing a caption: a photographer and an agency joined by a slash ("(Fred Scheiber/SIPA)")
_BRACKET_CREDIT = re.compile(r"\([^()]*[^\W\d_]\s?/\s?[^\W\d_][^()]*\)$")


# a link to the previous or next post, or a "more" link ("← Nebenbei bemerkt (4)", "Jahreswechsel →", "Alle Dossiers →"):
# no headline of the dev or fundus pages opens or ends with an arrow
_ARROW_BACK = ("←", "⟵", "⇐")
_ARROW_ON = ("→", "⟶", "⇒")


def never_headline(t: str) -> bool:
    """A line no headline is: a markup identifier, HTML source or other markup residue, program text, a line worded as
    page chrome, a line a separator joins to the next one, a caption closed by its photo credit (bracketed or not), a
    link to the previous or next post."""
    if markup_line(t) or t.endswith(_PROGRAM_END) or t.endswith(_JOINS_NEXT) or wording_chrome(t) is not None:
        return True
    first = t.split(" ", 1)[0]
    if len(first) >= 3 and first.isalpha() and first.islower() and t.count(" ") >= 3:
        # a phrase of four words or more opening with a lower-case word: a sentence's tail cut off its line, or a
        # developer's comment ("registration and loading of Ad slot is handled in Head configuration"); a brand
        # written with a lower-case initial ("iPhone 14: …") has a capital inside its word
        return True
    if t.endswith(")") and _BRACKET_CREDIT.search(t):
        return True
    if t.startswith(_ARROW_BACK) or t.endswith(_ARROW_ON):
        return True
    if has_credit(t):
        m = CREDIT.search(t)
        return m is not None and m.start() >= len(t) / 2
    return False


def title_features(lines: list[Line], feats: np.ndarray, probs: list[float], anchors: tuple[int, int], cands: list[int],
                   url: str | None) -> np.ndarray:
    """One row of TITLE_FEATURES per candidate line."""
    first_anchor, anchor = anchors
    n, m = len(lines), len(cands)
    if m == 0:
        return np.zeros((0, len(TITLE_FEATURES)))
    texts = [l.text for l in lines]
    doc = "\n".join(texts)
    ctexts = [texts[i] for i in cands]
    slug = _slug_tokens(url)
    c = np.asarray(cands)
    p = np.asarray(probs, dtype=float)
    lo = max(0, int(c.min()) - 2)
    hi = min(n, int(c.max()) + 3)
    dated = np.zeros(n + 4, dtype=bool)   # padded: index j + 2 holds line j
    for j in range(lo, hi):
        t = texts[j]
        if len(t) < 80 and _YEAR.search(t) and date_line(t):
            dated[j + 2] = True
    near_dated = dated[c] | dated[c + 1] | dated[c + 3] | dated[c + 4]
    # the first copy of each text: a dict built from the end keeps the smallest index per text
    first_idx = dict(zip(reversed(texts), range(n - 1, -1, -1)))
    first_copy = np.fromiter((first_idx[t] == i for i, t in zip(cands, ctexts)), dtype=bool, count=m)
    nw = np.fromiter((len(t.split()) for t in ctexts), dtype=float, count=m)
    length = np.fromiter(map(len, ctexts), dtype=float, count=m)
    titlelike = c[(nw >= 3) & (nw <= 25) & np.fromiter((not t.endswith(".") for t in ctexts), dtype=bool, count=m)]
    nearest = int(titlelike[titlelike < anchor].max(initial=-1))
    nearest_first = int(titlelike[titlelike < first_anchor].max(initial=-1))
    # headlines are echoed in breadcrumbs, share widgets and comment headers; those echoes contain them
    # (whether a candidate contains another one was a feature too: its learned weight was ~0, its cost a tenth)
    contained = np.fromiter((min(3, doc.count(t) - 1) / 3 if len(t) >= 15 else 0.0 for t in ctexts), dtype=float, count=m)
    string_cols = np.array([
        [t.endswith(".") and not t.endswith("..."), t.endswith(":"), _SENT_BREAK.search(t) is not None,
         t[:1].isupper() or t[:1].isdigit() or t[:1] in "\"'“«„"] for t in ctexts], dtype=float).reshape(m, 4)
    if slug:
        slug_overlap = np.fromiter((len({w.lower() for w in _TOKEN.findall(t)} & slug) / len(slug) for t in ctexts),
                                   dtype=float, count=m)
    else:
        slug_overlap = np.zeros(m)
    heading = np.fromiter((lines[i].heading for i in cands), dtype=int, count=m)
    d = anchor - c
    d1 = first_anchor - c
    p_pad = np.concatenate(([0.0], p, [0.0]))
    # the highest body probability strictly between the candidate and the anchor (0 when none)
    between = np.zeros(n + 1)
    if 0 < anchor <= n:
        between[:anchor] = np.maximum.accumulate(p[:anchor][::-1])[::-1]
    between_max = np.where(c + 1 < anchor, between[np.minimum(c + 1, n)], 0.0)
    F = feats[c]
    body_overlap, lead_overlap = _overlap(cands, ctexts, lines, p)
    code_like = np.fromiter((len(_CODE.findall(t)) / max(1, len(t.split())) if _CODE_HINT.search(t) else 0.0
                             for t in ctexts), dtype=float, count=m)
    meta: dict[int, bool] = {}

    def meta_of(j: int) -> bool:
        if not 0 <= j < n:
            return False
        if j not in meta:
            t = texts[j]
            # an author's bare name ("Andrew Woodcock", "Thabo Mokone Parliamentary editor") over a dated line
            meta[j] = _meta_line(t) or (_bare_name(t) and any(_dated(texts[k]) for k in range(j + 1, min(n, j + 3))))
        return meta[j]

    def nb(j: int) -> tuple:
        if not 0 <= j < n:
            return (0.0, 0.0, 0.0, 0.0)
        t = texts[j]
        w = len(t.split())
        return (float(_name_like(t)), float(3 <= w <= 25 and not t.endswith(".") and not meta_of(j)), float(t.endswith(".")),
                np.log1p(len(t)) / 5)
    # candidates mostly stand in runs: each line's shape is read once, as a candidate and as a neighbour
    shapes = {j: nb(j) for j in {k for i in cands for k in (i - 1, i, i + 1)}}
    # a headline is followed by its meta line (date, byline) within a few lines; a kicker above it and a standfirst
    # under it stand farther from that line: 1/distance to the nearest one under the candidate. A meta line with a
    # short title-like line right under it heads that line (a blog's date header over its post title), so it counts
    # only for the candidate just above it
    meta_below = np.fromiter((_meta_below(i, texts, meta_of) for i in cands), dtype=float, count=m)
    prev_nb = np.array([shapes[i - 1] for i in cands], dtype=float).reshape(m, 4)
    next_nb = np.array([shapes[i + 1] for i in cands], dtype=float).reshape(m, 4)
    X = np.column_stack([
        np.ones(m), heading == 1, heading > 0, F[:, _F["repeated"]] > 0,
        np.where(d >= 1, np.exp(-(d - 1) / 4), 0.0), d < 1, (nw >= 4) & (nw <= 25), nw < 2,
        string_cols, slug_overlap, near_dated,
        F[:, _F["separators"]], F[:, _F["titlecase"]], F[:, _F["loglen"]], p[c], p_pad[c + 2],
        F[:, _F["allcaps"]], (length >= 20) & (length <= 150), F[:, _F["digits"]], first_copy,
        np.log1p(np.maximum(0, d)) / 4, c == nearest, between_max, np.log1p(nw) / 3, p_pad[c],
        np.where(d1 >= 1, np.exp(-(d1 - 1) / 4), 0.0), d1 < 1, contained, c == nearest_first,
        body_overlap, lead_overlap, np.minimum(code_like, 1.0), nw == 0,
        np.fromiter((shapes[i][0] for i in cands), dtype=float, count=m), body_overlap * np.minimum(nw, 6) / 6,
        prev_nb, dated[c + 1], next_nb, dated[c + 3], meta_below,
        _echoed_near(cands, texts),
        # a line over a photo credit is the photo's caption
        np.fromiter((i + 1 < n and credit_line(texts[i + 1]) for i in cands), dtype=float, count=m),
    ]).astype(float)
    return X


BLOCK_FEATURES = ["blk_loglen", "blk_share", "blk_largest", "blk_first", "blk_rank", "blk_before"]
JOINT_FEATURES = TITLE_FEATURES + BLOCK_FEATURES
BLOCK_GAP = 4      # body lines at most this far apart form one block (as text.locate_body groups them)
BLOCK_OPTIONS = 1  # how many of the largest blocks may be the article, beside the first (1, 3, 5: 1 did best by 5-fold CV)


def mask_blocks(body: list[bool], lines: list[Line]) -> list[list]:
    """The runs of a body mask, lines at most BLOCK_GAP apart joined, each as [first line, last line, characters]."""
    blocks: list[list] = []
    last = -10
    for i, b in enumerate(body):
        if b:
            if i - last > BLOCK_GAP:
                blocks.append([i, i, 0])
            blocks[-1][1] = i
            blocks[-1][2] += len(lines[i].text)
            last = i
    return blocks


def body_blocks(lines: list[Line], feats: np.ndarray, body: list[bool]) -> list[tuple[int, float, np.ndarray]]:
    """The blocks of the body mask that may be the article, each as (its first prose line, its characters, its
    BLOCK_FEATURES): the BLOCK_OPTIONS largest and the first."""
    prose = feats[:, _F["prose"]] > 0 if len(feats) else np.zeros(0, dtype=bool)
    blocks = mask_blocks(body, lines)
    if not blocks:
        return []
    total = sum(b[2] for b in blocks) or 1.0
    order = sorted(range(len(blocks)), key=lambda k: -blocks[k][2])
    keep = sorted(set(order[:BLOCK_OPTIONS]) | {0})
    rank = {k: r for r, k in enumerate(order)}
    out, before = [], 0.0
    cum = np.cumsum([0.0] + [b[2] for b in blocks])
    for k in keep:
        first, end, chars = blocks[k]
        start = next((i for i in range(first, end + 1) if prose[i] and body[i]), first)
        f = np.array([np.log1p(chars) / 10, chars / total, float(rank[k] == 0), float(k == 0),
                      min(rank[k], BLOCK_OPTIONS) / BLOCK_OPTIONS, cum[k] / total])
        out.append((start, chars, f))
    return out


_ANCHOR_COLS = [TITLE_FEATURES.index(f) for f in ("closeness", "in_body", "above_dist", "nearest_titlelike", "between_maxp",
                                                  "closeness_first", "in_body_first", "nearest_titlelike_first")]


def _anchor_columns(c: np.ndarray, titlelike: np.ndarray, p: np.ndarray, anchors: tuple[int, int]) -> np.ndarray:
    """The TITLE_FEATURES columns that depend on the anchors (as title_features computes them), for _ANCHOR_COLS."""
    first_anchor, anchor = anchors
    n = len(p)
    tl = c[titlelike]
    nearest = int(tl[tl < anchor].max(initial=-1))
    nearest_first = int(tl[tl < first_anchor].max(initial=-1))
    d, d1 = anchor - c, first_anchor - c
    between = np.zeros(n + 1)
    if 0 < anchor <= n:
        between[:anchor] = np.maximum.accumulate(p[:anchor][::-1])[::-1]
    between_max = np.where(c + 1 < anchor, between[np.minimum(c + 1, n)], 0.0)
    with np.errstate(over="ignore"):
        return np.column_stack([np.where(d >= 1, np.exp(-(d - 1) / 4), 0.0), d < 1, np.log1p(np.maximum(0, d)) / 4,
                                c == nearest, between_max, np.where(d1 >= 1, np.exp(-(d1 - 1) / 4), 0.0), d1 < 1,
                                c == nearest_first]).astype(float)


def joint_rows(lines: list[Line], feats: np.ndarray, probs: list[float], anchors: tuple[int, int], url: str | None,
               body: list[bool]) -> tuple[list[tuple[int, int]], np.ndarray]:
    """(headline candidate, article start) pairs and their JOINT_FEATURES: each block that may be the article, with
    the candidate lines around it (the headline features read against that block's start). The features of a line
    that do not depend on the anchors are computed once, for the union of the blocks' candidates."""
    options = []
    for start, _, bf in body_blocks(lines, feats, body):
        anc = (min(anchors[0], start), start)
        cands = candidates(lines, anc)
        if cands:
            options.append((anc, cands, bf))
    if not options:
        return [], np.zeros((0, len(JOINT_FEATURES)))
    union = sorted({i for _, cands, _ in options for i in cands})
    X_all = title_features(lines, feats, probs, options[0][0], union, url)
    row = {i: k for k, i in enumerate(union)}
    texts = [lines[i].text for i in union]
    nw = np.fromiter((len(t.split()) for t in texts), dtype=float, count=len(union))
    tlike_all = (nw >= 3) & (nw <= 25) & np.fromiter((not t.endswith(".") for t in texts), dtype=bool, count=len(union))
    p = np.asarray(probs, dtype=float)
    pairs: list[tuple[int, int]] = []
    rows = []
    for anc, cands, bf in options:
        idx = np.fromiter((row[i] for i in cands), dtype=int, count=len(cands))
        X = X_all[idx]
        X[:, _ANCHOR_COLS] = _anchor_columns(np.asarray(cands), tlike_all[idx], p, anc)
        rows.append(np.hstack([X, np.tile(bf, (len(cands), 1))]))
        pairs += [(c, anc[1]) for c in cands]
    return pairs, np.vstack(rows)


def pick_layout(lines: list[Line], feats: np.ndarray, probs: list[float], anchors: tuple[int, int], url: str | None,
                model: dict | None = None, body: list[bool] | None = None) -> tuple[int | None, int]:
    """(headline line or None, first line of the article under it): the headline and the article block chosen
    together when the model scores pairs, else the headline alone against the largest block."""
    if not lines:
        return None, anchors[1]
    if model and model.get("features") == JOINT_FEATURES and body is not None and any(body):
        pairs, X = joint_rows(lines, feats, probs, anchors, url, body)
        if pairs:
            scores = ((X - np.asarray(model["mean"])) / np.asarray(model["scale"])) @ np.asarray(model["coef"])
            h, start = pairs[int(np.argmax(scores))]
            score = {c: float(x) for (c, s), x in zip(pairs, scores) if s == start}
            return _clean_echo(lines, sorted(score), h, start, score), start
    return pick_title(lines, feats, probs, anchors, url, model), anchors[1]


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
    return _clean_echo(lines, cands, cands[int(np.argmax(scores))], anchors[1])


_ELLIPSIS = ("…", "...")
# a kicker: a pick of at most KICKER_WORDS words over a headline-shaped line (3 and 4: CV 0.779 both, dev 0.803 both,
# fundus 0.607 and 0.623). A standfirst: a pick of STANDFIRST_WORDS
# or more under a shorter headline-shaped line that the ranker scores within STANDFIRST_MARGIN of it (1, 2, 3 gave CV
# 0.773, 0.774, 0.775, dev 0.803, 0.797, 0.800, fundus 0.603, 0.607, 0.611: 2, the value measured in session 8, kept)
KICKER_WORDS = 4
STANDFIRST_WORDS = 10
STANDFIRST_MARGIN = 2.0
# breadcrumbs, datelines and site names are joined by these; a colon is not one of them: "Kicker: <headline>" is the
# whole headline (fundus's BBC, LA Times and Le Figaro golds; no dev page's pick changed)
_ECHO_SEP = set("›»>→|/\\·•–—-")


def _joined(rest: str) -> bool:
    """Whether what a line holds beside a shorter candidate is joined to it by a separator ("Home › Politik ›",
    "08.11.2021 |", "- Site") or is a date; a kicker joined by a colon is part of the headline."""
    return bool(rest) and (rest[0] in _ECHO_SEP or rest[-1] in _ECHO_SEP or date_line(rest) is not None)


def _echo_of(lines: list[Line], best: int, inner: int, start: int | None) -> bool:
    """Whether the line `best` is the line `inner` with a breadcrumb, date or site name joined to it ("Home › Politics ›
    <inner>", "08.11.2021 | <inner>", "<inner> - Site"). Without a separator between them ("Accueil à la une <inner>",
    a breadcrumb whose separators the dump lost), only an `inner` between the pick and the article's start is the
    headline: a line that merely ends or starts with a shorter line found elsewhere is a longer headline ("Keine
    Spiel-Talstraße zur Bunten Republik Neustadt" holds the masthead fragment "zur Bunten Republik Neustadt" above it,
    "Burgenland: Best of Ruster Ausbruch DAC" a subhead of its article below)."""
    picked, text = lines[best].text, lines[inner].text
    if picked.endswith(text):
        rest = picked[:-len(text)].strip()
    elif picked.startswith(text):
        rest = picked[len(text):].strip()
    else:
        return False
    return _joined(rest) or (start is not None and best < inner < start)


_LABEL_SEP = re.compile(r"\s[|/]\s")


def _sentence_break(t: str) -> bool:
    """A sentence ends and another begins: an end mark and a space, then no lower-case letter (the period of "U.S.
    emissions" or "z. B. mit" closes an abbreviation)."""
    return any(not m.group(0)[-1].islower() for m in _SENT_BREAK.finditer(t))


def _headline_shaped(t: str) -> bool:
    """Five words or more that open like a heading and read as one phrase: no sentence break, no closing period, no
    meta line, no single word joined by a separator (a label or a year: "Symbolbild / Salzgitter AG", "… | 2020")."""
    if len(t.split()) < 5 or any(len(part.split()) <= 1 for part in _LABEL_SEP.split(t)):
        return False
    return ((t[:1].isupper() or t[:1].isdigit() or t[:1] in "\"'“„«‘")
            and not t.endswith(".") and not _sentence_break(t) and not _meta_line(t))


def _clean_echo(lines: list[Line], cands: list[int], best: int, start: int | None = None,
                score: dict[int, float] | None = None) -> int:
    """The headline's own line when the pick is an echo of it: a breadcrumb or dateline that ends or starts with
    another candidate ("Home › Politics › <headline>", "08.11.2021 | <headline>"), or a teaser cut short with an
    ellipsis where the full line stands nearby. A headline printed more than once above the article (a teaser in a
    list, then the article's own heading) is read at its copy nearest above the article's start. A kicker yields to the
    headline right under it, and, given the candidates' scores, a standfirst to the headline right over it."""
    picked = lines[best].text
    if start is not None and best < start:
        best = max((i for i in cands if best <= i < start and lines[i].text == picked), default=best)
    if picked.endswith(_ELLIPSIS):
        stem = picked.rstrip("….").rstrip()
        if len(stem) >= 15:
            # the full line goes on where the teaser was cut ("Alles Neue mach der Mai… | Blog name" is the same
            # teaser with the site's name after it, not the full headline)
            longer = [i for i in cands if i != best and len(lines[i].text) > len(stem) + 1 and lines[i].text.startswith(stem)
                      and not lines[i].text.endswith(_ELLIPSIS)
                      and not lines[i].text[len(stem):].lstrip().startswith(_ELLIPSIS)]
            if longer:
                return min(longer, key=lambda i: abs(i - best))
    inner = [i for i in cands if i != best and 15 <= len(lines[i].text) < len(picked) and _echo_of(lines, best, i, start)]
    if inner:
        return max(inner, key=lambda i: (len(lines[i].text), -abs(i - best)))
    nxt = best + 1
    if (len(picked.split()) <= KICKER_WORDS and nxt in cands and (start is None or nxt < start)
            and _headline_shaped(lines[nxt].text)):
        return nxt
    prv = best - 1
    if (score is not None and prv in score and score[prv] >= score[best] - STANDFIRST_MARGIN
            and len(picked.split()) >= STANDFIRST_WORDS and _headline_shaped(lines[prv].text)
            and len(lines[prv].text.split()) < len(picked.split())):
        return prv
    return best
