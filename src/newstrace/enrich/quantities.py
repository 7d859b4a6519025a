"""Quantity claims: value, qualifier, what is counted, whose, the action, and who gave the number.

"Some 15,000 Polish soldiers have been deployed" → value 15000, qualifier "some", counted "soldiers"
(class "troop"), owner Poland (from the demonym), verb "deploy". The counted noun is the word the
number modifies (nummod) or the "of" phrase after it ("thousands of people"); the owner is a
nationality/possessive modifier of that noun or the subject of the verb that acts on it ("Poland
has deployed 15,000 troops"); the source is the subject of a reporting verb or "according to X".
Numbers inside dates, times, ordinals and ages are not quantities.
"""
from __future__ import annotations

import re
from typing import Any

from ..records import Claim, Mention
from .entities import doc_spans
from .events import actor_name
from .models import text_of
from .quotes import REPORTING_VERBS, _attribution

# Approximation words in front of a number, longest first.
QUALIFIERS = [
    "upwards of", "more than", "less than", "fewer than", "at least", "at most", "as many as", "as few as",
    "up to", "nearly", "almost", "about", "around", "approximately", "roughly", "some", "over", "under",
    "close to", "an estimated", "estimated", "just over", "just under", "only", "exactly", "over",
]
_QUAL_RE = re.compile(r"(?:^|\s)(" + "|".join(re.escape(q) for q in QUALIFIERS) + r")\s*$", re.I)
# Words of the same count class, so that "troops" and "soldiers" align. Documented, small, general.
COUNT_CLASSES = {
    "troop": {"troop", "soldier", "serviceman", "servicemen", "servicewoman", "servicemember", "personnel",
              "paratrooper", "marine", "fighter"},
    "person": {"person", "people", "individual", "resident", "civilian", "citizen", "man", "woman", "adult"},
    "death": {"death", "dead", "fatality", "casualty", "victim", "body"},
    "injury": {"injury", "injured", "wounded"},
    "migrant": {"migrant", "refugee", "asylum-seeker", "asylum seeker", "immigrant"},
    "child": {"child", "children", "kid", "minor", "boy", "girl"},
    "home": {"home", "house", "building", "dwelling"},
    "police": {"police", "officer", "policeman", "policemen", "police officer"},
}
_CLASS_OF = {w: c for c, ws in COUNT_CLASSES.items() for w in ws}
_WORD_NUMS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12, "dozens": 24,
    "hundreds": 200, "thousands": 2000, "millions": 2_000_000, "one": 1, "a": 1,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
           "trillion": 1_000_000_000_000, "k": 1_000, "m": 1_000_000, "bn": 1_000_000_000}
_VAGUE = {"dozens", "hundreds", "thousands", "millions"}
NUMERIC_ENTS = {"CARDINAL", "MONEY", "PERCENT", "QUANTITY"}
_NOT_QUANTITY_ENTS = {"DATE", "TIME", "ORDINAL"}


def parse_value(words: list[str]) -> float | None:
    """Number words to a value: "15,000" → 15000, "1.5 million" → 1.5e6, "two" → 2, "dozens" → None (vague)."""
    total: float | None = None
    for w in words:
        lw = w.lower().strip("$€£¥%")
        lw = lw.replace(",", "")
        if not lw:
            continue
        if re.fullmatch(r"\d+(\.\d+)?", lw):
            total = float(lw) if total is None else total * float(lw)
        elif lw in _SCALES and total is not None:
            total *= _SCALES[lw]
        elif lw in _SCALES and lw in ("hundred", "thousand", "million", "billion"):
            total = float(_SCALES[lw])
        elif lw in _WORD_NUMS and lw not in _VAGUE:
            v = _WORD_NUMS[lw]
            total = float(v) if total is None else total + v
        elif lw in ("-", "and", "a"):
            continue
        else:
            return total
    return total


def count_class(lemma: str) -> str:
    """The class a counted word belongs to ("soldiers" → "troop"), else the word's lemma."""
    lw = lemma.lower()
    return _CLASS_OF.get(lw, _CLASS_OF.get(lw.rstrip("s"), lw))


def _number_spans(doc: Any) -> list[Any]:
    spans = [e for e in doc.ents if e.label_ in NUMERIC_ENTS]
    covered = {t.i for e in doc.ents for t in e}
    for t in doc:  # numerals the tagger saw but NER left out
        if t.i not in covered and t.like_num and t.dep_ == "nummod" and t.pos_ == "NUM":
            spans.append(doc[t.i:t.i + 1])
    return sorted(spans, key=lambda s: s.start)


def _mention_near(mentions: list[tuple[int, int, Mention]], tok: Any) -> Mention | None:
    for s, e, m in mentions:
        if s <= tok.idx < e:
            return m
        if s > tok.idx:
            break  # sorted by start
    return None


def _owner(noun: Any, mentions: list[tuple[int, int, Mention]]) -> str | None:
    """Whose the counted things are: "Polish soldiers" → Poland, "Poland's troops" → Poland, subject of the verb."""
    for c in noun.children:
        if c.dep_ in ("amod", "compound", "poss", "nmod"):
            m = _mention_near(mentions, c)
            if m is not None and m.type in ("NORP", "GPE", "ORG", "PERSON"):
                return actor_name(m)
    verb = noun.head
    while verb.dep_ in ("prep", "pobj", "conj") and verb.head is not verb:
        verb = verb.head
    if verb.pos_ in ("VERB", "AUX") and noun.dep_ in ("dobj", "pobj", "conj", "attr"):
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subj is not None:
            m = _mention_near(mentions, subj)
            if m is not None and m.type in ("NORP", "GPE", "ORG", "PERSON"):
                return actor_name(m)
    return None


def _source(numtok: Any, sent: Any, mentions: list[tuple[int, int, Mention]]) -> str | None:
    """Who gave the number: a reporting verb above it in the parse ("X said … two died") or "according to X"."""
    anc = [a for a in numtok.ancestors if a.lemma_.lower() in REPORTING_VERBS and a.pos_ in ("VERB", "AUX")]
    toks = [t for t in sent if t.lower_ == "according"] + anc[:1]
    if not toks:
        return None
    who, _ = _attribution(toks, -1, -1, mentions)
    return who


def _governing_verb(noun: Any) -> Any | None:
    t = noun
    for _ in range(4):
        if t.dep_ in ("ROOT",) and t.pos_ in ("VERB", "AUX"):
            return t
        t = t.head
        if t.pos_ == "VERB":
            return t
    return None


def extract(doc: Any, mentions: list[Mention], shift: int = 0) -> list[Claim]:
    """Quantity claims of one parsed article."""
    by_char = doc_spans(mentions, shift)
    not_qty = {t.i for e in doc.ents if e.label_ in _NOT_QUANTITY_ENTS for t in e}
    claims: list[Claim] = []
    for span in _number_spans(doc):
        if any(t.i in not_qty for t in span):
            continue
        words = [t.text for t in span]
        # a qualifier may have been swallowed into the entity ("some 15,000", "about $5 million")
        lead = []
        while words and words[0].lower() in {w for q in QUALIFIERS for w in q.split()} | {"$", "€", "£"}:
            lead.append(words.pop(0))
        value = parse_value([w for w in words if w not in ("$", "€", "£")])
        if value is None or value < 2 and span.label_ not in ("MONEY", "PERCENT", "QUANTITY"):
            continue  # "one of the…" is rarely a checkable count
        sent = span.sent
        before = text_of(doc)[sent.start_char:span.start_char] + " ".join(lead)
        qm = _QUAL_RE.search(" " + text_of(doc)[sent.start_char:span.start_char].rstrip() + (" " + " ".join(lead) if lead else ""))
        qualifier = qm.group(1).lower() if qm else None
        if qualifier is None and lead:
            qualifier = " ".join(lead).lower() if lead[0] not in ("$", "€", "£") else None
        numtok = span.root
        noun = None
        if numtok.dep_ in ("nummod", "quantmod", "amod", "compound") and numtok.head.pos_ == "NOUN":
            noun = numtok.head
        elif numtok.pos_ == "NUM":
            of = next((c for c in numtok.children if c.lower_ == "of"), None)
            obj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
            if obj is not None and obj.pos_ == "NOUN":
                noun = obj
        unit = None
        if span.label_ == "MONEY":
            unit = next((t.text for t in span if t.text in ("$", "€", "£") or t.lower_ in ("dollars", "euros", "pounds", "rubles", "yuan", "yen")), "money")
        elif span.label_ == "PERCENT":
            unit = "%"
        if noun is None and unit is None:
            continue
        if noun is not None and noun.lemma_.lower() in ("year", "time", "day", "week", "month", "hour", "minute", "percent"):
            if unit is None:
                continue
        counted = None
        if noun is not None:
            comp = [c for c in noun.lefts if c.dep_ == "compound" and c.i > span.end - 1]
            start = comp[0].i if comp else noun.i
            counted = doc[start:noun.i + 1].text
        verb = _governing_verb(noun if noun is not None else numtok)
        owner = _owner(noun, by_char) if noun is not None else None
        source = _source(numtok, sent, by_char)
        cls = count_class(noun.lemma_) if noun is not None else (unit or "")
        fields = {
            "value": value, "qualifier": qualifier, "number": span.text, "counted": counted,
            "counted_class": cls, "unit": unit, "owner": owner,
            "verb": verb.lemma_.lower() if verb is not None else None, "source": source,
            "vague": any(w.lower() in _VAGUE for w in words),
            "start": span.start_char - shift if span.start_char >= shift else -1,
        }
        text = sent.text.strip()
        claims.append(Claim(kind="quantity", text=text, fields=fields, key=f"n:{cls}:{_fmt(value)}"))
    return claims


def _fmt(v: float) -> str:
    return str(int(v)) if v == int(v) else f"{v:g}"


__all__ = ["extract", "parse_value", "count_class", "QUALIFIERS", "COUNT_CLASSES"]
