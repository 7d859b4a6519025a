"""Photo captions inside an article body: short descriptive lines set apart from the paragraphs."""
from __future__ import annotations

import re
from collections import Counter

from .dates import find_dates
from .markup import Line

# a credit at the end of a caption: a link whose text is a domain, "Photo: X", "(AP)", "© X", "Getty Images"
_DOMAIN = re.compile(r"(?:^|\s)[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}\)?$", re.I)
CREDIT = re.compile(r"(?:\b(?:photo|foto|image|picture|bild|credit|crédit|source|quelle|fuente|fonte)s?\s*:|©|\bgetty images\b|\bap photo\b|/\s*(?:afp|reuters|ap|epa|dpa|anadolu)\b)", re.I)
_POSITION = re.compile(r"\((?:[LRC]|left|right|centre|center|far left|far right|l\.|r\.)\)", re.I)
_SENTENCE = re.compile(r"[.!?]\s+[A-Z\"“]")
_SENT_END = re.compile(r"[.!?](?:[\"'”’)]*)$")


def has_credit(t: str) -> bool:
    """CREDIT.search, after cheap tests for what every credit holds (the regex is slow on lines without one)."""
    if ":" not in t and "©" not in t and "/" not in t:
        low = t.casefold()
        if "getty images" not in low and "ap photo" not in low:
            return False
    return CREDIT.search(t) is not None


def credit_line(t: str) -> bool:
    """A short line that is a photo credit alone ("Photograph: Guy Smallman/Getty Images", "© WSNA")."""
    return len(t) <= 80 and has_credit(t) and not _SENTENCE.search(t)


def caption_scores(lines: list[Line], body: list[bool]) -> list[bool]:
    """For each line, whether it is a caption (only body lines can be); needs at least two independent signs."""
    inside = [i for i, b in enumerate(body) if b]   # a small share of a page's lines: look at those only
    gaps = Counter(lines[i].gap_after for i in inside)
    usual_gap = gaps.most_common(1)[0][0] if gaps else 0
    out = [False] * len(lines)
    for i in inside:
        line = lines[i]
        t = line.text
        if not (25 <= len(t) <= 320):
            continue
        sentences = len(_SENTENCE.findall(t)) + 1
        if sentences > 2:
            continue
        score = 0
        if (line.links and _DOMAIN.search(t)) or has_credit(t):
            score += 2
        # set apart: more blank lines around it than the page puts between paragraphs
        if usual_gap >= 1 and (line.gap_after > usual_gap or line.gap_before > usual_gap):
            score += 1
        if _POSITION.search(t):
            score += 1
        if i + 1 < len(lines) and credit_line(lines[i + 1].text) and not (body[i - 1] and _SENT_END.search(lines[i - 1].text)):
            # the photo's credit on the next line ("Photograph: Guy Smallman/Getty Images", "© WSNA"), the line not
            # continuing a run of paragraphs (a paragraph over a picture's credit is the text's: the credit is for the
            # picture below)
            score += 2
        if score >= 1 and _SENT_END.search(t):   # a date alone never makes a caption: look only when needed
            hits = find_dates(t)
            if hits and len(t) - hits[-1][0] <= 30:
                score += 1     # "… on November 12, 2021." — the photo's own date closes the line
        out[i] = score >= 2
    return out
