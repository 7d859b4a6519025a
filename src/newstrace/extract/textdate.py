"""The claimed publication date of a plain-text page: date candidates from every short line, ranked by a learned score.

As in htmldate, finding candidates and choosing among them are separate steps. Candidates are the
complete dates (day, month, year) written in lines of at most 160 characters anywhere on the page.
Each gets features of where it stands (distance to the headline and to the body, above or below
them, inside the body, near the top of the page), of its line (a bare dateline or a sentence, a
clock time beside it, other dates in it, its length, the body model's probability) and of the date
itself among the page's dates (earliest, latest, how often it recurs, equal to the URL's date). A
linear score per candidate is fitted on the development pages' gold dates
(tools/train_text_extractor.py, a softmax over each page's candidates); hand-set weights serve when
none are shipped. A date in the URL is the fallback when the text holds none.
"""
from __future__ import annotations

import math
import re
from datetime import datetime

import numpy as np

from .dates import date_from_url, date_line, find_dates, find_short_year_dates
from .markup import Line

_YEAR = re.compile(r"(?:19|20)\d\d")
_CLOCK = re.compile(r"\b\d{1,2}[:.]\d{2}\b")
_DIGIT_DOT = re.compile(r"\d[./]\d")
SHORT_YEAR_LINE = 60
MAX_LINE = 160
MAX_CANDIDATES = 60
OPENING = 60
HEAD_SPAN = 8           # lines between a page's own date line and a dateline its text kept
RECLAIM_GAP_DAYS = 180  # how much newer that date line must be (the recycled check's gap)

DATE_FEATURES = ["bias", "near_title", "above_title", "log_dist_title", "near_body", "above_body", "log_dist_body",
                 "in_body", "top_of_page", "dateline", "clock", "dates_in_line", "loglen", "p_body", "earliest",
                 "latest", "recurs", "equals_url", "first_after_title", "first_before_title", "first_on_page",
                 "rel_pos", "offset_start", "no_title", "year_of_url", "nearest_title", "dateline_near", "short_line"]
DEFAULT_WEIGHTS = [0.0, 2.0, 0.5, -1.0, 1.0, 0.3, -0.5, -1.0, 0.3, 1.5, 0.3, -0.3, -0.3, -1.0, 0.2, 0.0, 0.2, 2.0,
                   1.0, 0.5, 0.3, -0.5, 0.3, 0.0, 0.5, 1.0, 1.0, 0.3]


def date_candidates(lines: list[Line], us: bool) -> list[tuple[int, int, datetime]]:
    """(line index, offset in the line, date) for every complete date in a short line, and for a date opening a
    long one, from at most MAX_CANDIDATES lines (the first ones: a publication date stands near the top far more
    often than at the end)."""
    out: list[tuple[int, int, datetime]] = []
    used = 0
    for i, line in enumerate(lines):
        t = line.text
        if len(t) > MAX_LINE:
            # a long paragraph counts only for a dateline that opens it ("27.1.2022 – The council…")
            t = t[:OPENING]
            if not _YEAR.search(t):
                continue
            hits = [h for h in find_dates(t, us_order=us) if h[0] <= OPENING - 20]
            if hits:
                out.extend((i, off, dt) for off, dt in hits[:1])
                used += 1
                if used >= MAX_CANDIDATES:
                    break
            continue
        if _YEAR.search(t):
            hits = find_dates(t, us_order=us)
        elif len(t) <= SHORT_YEAR_LINE and _DIGIT_DOT.search(t):
            hits = find_short_year_dates(t, us_order=us)   # "04.05.20 14:50": two-digit years in short lines only
        else:
            continue
        if not hits:
            continue
        out.extend((i, off, dt) for off, dt in hits[:3])
        used += 1
        if used >= MAX_CANDIDATES:
            break
    return out


def date_features(lines: list[Line], probs: list[float], cands: list[tuple[int, int, datetime]], title_idx: int | None,
                  body_start: int, body: list[bool], url: str | None) -> np.ndarray:
    """One row of DATE_FEATURES per candidate."""
    n = max(1, len(lines))
    days = [dt.date() for _, _, dt in cands]
    first_day, last_day = min(days), max(days)
    per_day: dict = {}
    for d in days:
        per_day[d] = per_day.get(d, 0) + 1
    per_line: dict[int, int] = {}
    for i, _, _ in cands:
        per_line[i] = per_line.get(i, 0) + 1
    url_date = date_from_url(url)
    anchor = title_idx if title_idx is not None else body_start
    after = [k for k, (i, _, _) in enumerate(cands) if i > anchor]
    before = [k for k, (i, _, _) in enumerate(cands) if i < anchor]
    first_after = after[0] if after else -1
    first_before = before[-1] if before else -1
    datelines: dict[int, bool] = {}
    nearest = min(abs(i - anchor) for i, _, _ in cands)
    rows = []
    for k, (i, off, dt) in enumerate(cands):
        t = lines[i].text
        if i not in datelines:
            datelines[i] = date_line(t) is not None
        dt_title = i - anchor
        dt_body = i - body_start
        rows.append([
            1.0, abs(dt_title) <= 3, dt_title < 0, math.log1p(abs(dt_title)) / 4, abs(dt_body) <= 3, dt_body < 0,
            math.log1p(abs(dt_body)) / 4, bool(body[i]), i < 30, datelines[i], _CLOCK.search(t) is not None,
            min(3, per_line[i]) / 3, math.log1p(len(t)) / 5, probs[i], days[k] == first_day, days[k] == last_day,
            min(4, per_day[days[k]] - 1) / 4, url_date is not None and url_date.date() == days[k],
            k == first_after, k == first_before, k == 0, i / n, off == 0, title_idx is None,
            url_date is not None and url_date.year == dt.year, abs(dt_title) == nearest,
            datelines[i] and abs(dt_title) <= 3, len(t) < 40,
        ])
    return np.array(rows, dtype=float).reshape(len(rows), len(DATE_FEATURES))


def page_date_over_kept_dateline(lines: list[Line], cands: list[tuple[int, int, datetime]], k: int,
                                 anchor: int) -> tuple[int, int | None]:
    """(candidate the page claims, line of the older dateline its text kept or None).

    A report re-posted elsewhere often keeps its original dateline ("Published: August 7, 2012") under
    the re-poster's own date line ("Monday, Aug 22, 2016"). The ranker, trained on pages that carry one
    date, takes the dateline by the headline; but the page was put out at the date it shows first, and
    the kept dateline is evidence of where the text came from (the recycled check reads it there). So a
    bare date line standing before the chosen one, close to it, in the page's head (at most a few lines
    below the headline) and at least RECLAIM_GAP_DAYS newer wins. On the 300 real development pages no
    such line stands near the headline, so ordinary pages keep the ranker's choice.
    """
    i, _, dt = cands[k]
    for j, (line, _, other) in enumerate(cands):
        if line >= i:
            break
        if (i - line <= HEAD_SPAN and line <= anchor + 3 and (other - dt).days >= RECLAIM_GAP_DAYS
                and date_line(lines[line].text) is not None):
            return j, i
    return k, None


def pick_date(lines: list[Line], probs: list[float], title_idx: int | None, body_start: int, body: list[bool],
              url: str | None, us: bool, model: dict | None = None
              ) -> tuple[datetime | None, str | None, int | None, int | None]:
    """(claimed date, where it came from, index of its line or None, line of an older dateline the text kept or None)."""
    cands = date_candidates(lines, us)
    if cands:
        X = date_features(lines, probs, cands, title_idx, body_start, body, url)
        if model and model.get("features") == DATE_FEATURES:
            scores = ((X - np.asarray(model["mean"])) / np.asarray(model["scale"])) @ np.asarray(model["coef"])
        else:
            scores = X @ np.asarray(DEFAULT_WEIGHTS)
        k = int(np.argmax(scores))
        anchor = title_idx if title_idx is not None else body_start
        k, kept = page_date_over_kept_dateline(lines, cands, k, anchor)
        i, _, dt = cands[k]
        return dt, ("text-header" if abs(i - anchor) <= 8 else "text"), i, kept
    when = date_from_url(url)
    if when:
        return when, "url", None, None
    return None, None, None, None
