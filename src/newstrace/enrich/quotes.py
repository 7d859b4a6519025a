"""Direct quotes with their speaker (resolved to an entity) and the reporting verb.

A quote is text between double quotes (curly “…”, straight "…", ``…'' or «…»), at least four words
long (shorter ones are mostly scare quotes). The speaker is the subject of a reporting verb outside
the quote in the same sentence or the one right after ("…,” Khrenin added. / said Khrenin / she said),
else in the sentence before when it introduces the quote; "according to X" counts too. Pronoun and
title subjects resolve to the closest preceding entity of a fitting kind.
"""
from __future__ import annotations

import re
from typing import Any

from ..records import Claim, Mention
from .entities import REPORTING_VERBS, doc_spans
from .models import text_of

_QUOTE_RE = re.compile(r"“([^“”]{2,2000}?)”|\"([^\"\n]{2,2000}?)\"|``(.{2,2000}?)''|«([^«»]{2,2000}?)»", re.S)
_PERSON_PRONOUNS = {"he", "she", "him", "her"}
_GROUP_PRONOUNS = {"it", "they", "we", "them"}
MIN_WORDS = 4


def quoted_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, words) of each double-quoted passage, offsets of the quoted words."""
    out = []
    for m in _QUOTE_RE.finditer(text):
        g = next(i for i in range(1, 5) if m.group(i) is not None)
        words = m.group(g).strip()
        if len(words.split()) >= MIN_WORDS:
            out.append((m.start(g), m.end(g), words))
    return out


def _mention_at(mentions_by_char: list[tuple[int, int, Mention]], start: int, end: int) -> Mention | None:
    for s, e, m in mentions_by_char:
        if s < end and start < e:
            return m
    return None


def _resolve(tok: Any, doc_mentions: list[tuple[int, int, Mention]], before: int) -> tuple[str | None, str]:
    """The speaker named by a subject token: (canonical name or None, how it was found)."""
    # The whole subject phrase ("Belarusian Defense Minister Viktor Khrenin", "the ministry")
    # the subject's whole phrase, apposition included ("The head of the union, Giannis Panagopoulos,")
    span = tok.doc[tok.left_edge.i:tok.right_edge.i + 1] if tok.pos_ != "PRON" else tok.doc[tok.i:tok.i + 1]
    inside = [m for s, e, m in doc_mentions if s < span.end_char and span.start_char < e
              and m.type in ("PERSON", "ORG", "GPE", "NORP", "FAC")]
    # The mention holding the head word ("Viktor Khrenin" in "Defense Minister Viktor Khrenin"),
    # else a person named in the phrase; a bare "Belarusian" modifier is not the speaker.
    head = [m for s, e, m in doc_mentions if s <= tok.idx < e and m.type != "NORP"]
    persons = [m for m in inside if m.type == "PERSON"]
    if head:
        return head[0].canonical, "entity"
    if persons:
        return persons[-1].canonical, "entity"
    low = tok.lower_
    if low in _PERSON_PRONOUNS or low in _GROUP_PRONOUNS:
        want = ("PERSON",) if low in _PERSON_PRONOUNS else ("ORG", "GPE", "NORP")
        for s, e, m in reversed(doc_mentions):
            if e <= before and m.type in want:
                return m.canonical, "pronoun"
        return None, "pronoun-unresolved"
    if tok.pos_ in ("NOUN", "PROPN"):
        words = [t for t in span if t.pos_ != "DET"]
        if words:
            return tok.doc[words[0].i:words[-1].i + 1].text, "noun-phrase"
    return None, "none"


def _attribution(sent_tokens: list[Any], q0: int, q1: int, mentions: list[tuple[int, int, Mention]]) -> tuple[str | None, str | None]:
    """(speaker, verb) from reporting verbs outside the quoted chars in these tokens."""
    for tok in sent_tokens:
        if q0 <= tok.idx < q1:
            continue
        if tok.lower_ == "according" and any(c.lower_ == "to" for c in tok.children):
            to = next(c for c in tok.children if c.lower_ == "to")
            obj = next((c for c in to.children if c.dep_ == "pobj"), None)
            if obj is not None:
                who, _ = _resolve(obj, mentions, q0)
                if who:
                    return who, "according to"
        if tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in REPORTING_VERBS:
            subjs = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass") and not (q0 <= c.idx < q1)]
            # two subjects happen on headings ("Update: …, the Ministry said"): the nearest is the speaker
            subj = min(subjs, key=lambda c: abs(c.i - tok.i)) if subjs else None
            if subj is None and tok.dep_ in ("advcl", "xcomp", "conj") and tok.head.pos_ == "VERB":
                subj = next((c for c in tok.head.children if c.dep_ == "nsubj" and not (q0 <= c.idx < q1)), None)
            if subj is not None:
                who, _ = _resolve(subj, mentions, q0)
                if who:
                    return who, tok.lemma_.lower()
    return None, None


def extract(doc: Any, mentions: list[Mention], shift: int = 0) -> list[Claim]:
    """Quote claims of one parsed article (speaker may be None when nobody is named)."""
    by_char = doc_spans(mentions, shift)
    sents = list(doc.sents)
    starts = [s.start_char for s in sents]
    claims: list[Claim] = []
    last_speaker: tuple[int, str | None, str | None] | None = None   # (paragraph start, speaker, verb)
    for q0, q1, words in quoted_spans(text_of(doc)):
        idx = [i for i, s in enumerate(sents) if s.start_char < q1 and q0 < s.end_char]
        if not idx:
            continue
        region = [sents[i] for i in idx]
        nxt = idx[-1] + 1
        if nxt < len(sents) and sents[nxt].start_char - q1 <= 3:
            region.append(sents[nxt])  # '"…," she said.' split into its own sentence
        toks = [t for s in region for t in s]
        speaker, verb = _attribution(toks, q0 - 1, q1 + 1, by_char)
        para_start = text_of(doc).rfind("\n\n", 0, q0) + 1
        if speaker is None and idx[0] > 0:
            prev = sents[idx[0] - 1]
            if prev.start_char >= para_start or prev.text.rstrip().endswith(":"):
                speaker, verb = _attribution(list(prev), q0, q1, by_char)
        if speaker is None and last_speaker and last_speaker[0] == para_start:
            speaker, verb = last_speaker[1], last_speaker[2]  # continuing quote in the same paragraph
        if speaker:
            last_speaker = (para_start, speaker, verb)
        # the sentence(s) around the quote, never beyond its paragraph
        s0 = max(min(s.start_char for s in region), para_start)
        para_end = text_of(doc).find("\n\n", q1)
        s1 = max(s.end_char for s in region)
        s1 = min(s1, para_end) if para_end >= 0 else s1
        text = text_of(doc)[s0:s1].strip()
        claims.append(Claim(kind="quote", text=text, fields={
            "words": words, "speaker": speaker, "verb": verb,
            "start": q0 - shift if q0 >= shift else -1, "end": q1 - shift if q0 >= shift else -1,
        }, key=quote_key(words)))
    return claims


def quote_key(words: str) -> str:
    """Alignment key of a quote: its words lower-cased, letters and digits only."""
    return "q:" + " ".join(re.findall(r"[a-z0-9]+", words.lower().replace("’", "'")))


__all__ = ["extract", "quoted_spans", "quote_key", "REPORTING_VERBS"]
