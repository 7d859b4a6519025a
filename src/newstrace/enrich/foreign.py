"""Entity mentions of articles not in English: French (spaCy), Russian (natasha), a fallback elsewhere.

- fr: spaCy's fr_core_news_sm NER (PER, LOC, ORG, MISC → PERSON, LOC/GPE, ORG, MISC); MISC only when
  its words are proper nouns (the model tags capitalised verbs such as "Contacté" MISC).
- ru: natasha's NER (PER, LOC, ORG); the canonical name is natasha's normal form, the nominative
  ("Путина" → "Путин", "Гонконгом" → "Гонконг").
- other languages (the fallback): no model. Runs of two or more capitalised words that do not open a
  sentence and are not written lower-case elsewhere in the article become MISC mentions ("Prawa
  Człowieka", "Jerzy Buzek"). Not for German (every noun is capitalised) nor for scripts without
  letter case (zh, ja, ar, ...): those get no mentions. Never the English model on foreign text.
In every language a partial person name joins the fullest name ending or starting with it ("Си" → "Си
Цзиньпин"), and places are looked up in the gazetteer as written and transliterated (Минск → Minsk); a
place found there takes the gazetteer's name as its key (Гонконг → "hong kong"), others the transliteration.
The English rules for quotes, quantities and events do not apply to these languages. Their claims
(`sentence_claims`) are shallow: each statement sentence of the text is an event claim without an action
(`shallow`: true; the names mentioned in it as actors), and each quoted passage a quote without a
speaker. They can only agree with a sentence another source states in other words of the same meaning,
which the multilingual sentence similarity decides (link/agreement.py): that is how a translation
corroborates. Numbers are not claimed here (no parser tells a count from a date).
"""
from __future__ import annotations

import re
from typing import Any

from ..records import Claim, Mention
from .entities import name_key
from .models import russian_model
from .places import geocode
from .quotes import quote_key, quoted_spans

# Languages whose nouns are all capitalised: capitalisation says nothing about names there.
NOUN_CAPITALISED = {"de", "lb"}
APOSTROPHE_SUFFIXES = {"tr", "az"}
_TYPES = {"PER": "PERSON", "ORG": "ORG", "LOC": "LOC", "MISC": "MISC"}
_EDGE = " \t\n\"'“”‘’„«»`.,;:()[]"
_LEADING_ARTICLE = re.compile(r"(?i)^(?:l['’]|la |le |les |the )")


def _clean(text: str) -> str:
    return _LEADING_ARTICLE.sub("", re.sub(r"\s+", " ", text).strip(_EDGE)).strip(_EDGE)


def _mention(text: str, label: str, canonical: str, start: int, end: int, shift: int) -> Mention:
    s, e = start - shift, end - shift
    if s < 0:
        s = e = -1  # in the title, which is not part of Article.text
    return Mention(text=text, type=label, canonical=canonical, start=s, end=e)


def _finish(mentions: list[Mention]) -> list[Mention]:
    """Merge partial person names into the article's fullest name, geocode places, set the name keys."""
    full = sorted({m.canonical for m in mentions if m.type == "PERSON" and " " in m.canonical}, key=lambda n: (-len(n), n))
    for m in mentions:
        if m.type == "PERSON":
            # the name's last or first word: Chinese, Korean, Hungarian names put the surname first ("Си" → "Си Цзиньпин")
            m.canonical = next((f for f in full if f.endswith(" " + m.canonical)), None) \
                or next((f for f in full if f.startswith(m.canonical + " ")), m.canonical)
        elif m.type in ("LOC", "GPE", "MISC", "ORG"):
            p = geocode(m.canonical) or geocode(name_key(m.canonical))
            if p is not None and (m.type != "ORG" or p.kind == "country"):  # "Россия" tagged ORG is the country
                m.type = "GPE" if p.kind in ("country", "city", "region") else "LOC"
                m.lat, m.lon, m.country = p.lat, p.lon, p.country
                m.key = name_key(p.name)  # the gazetteer's name: Варшава and Warszawa meet at "warsaw"
        if not m.key:
            m.key = name_key(m.canonical)
    return mentions


def french(doc: Any, shift: int) -> list[Mention]:
    """Mentions of one article parsed by the French spaCy model."""
    out = []
    for ent in doc.ents:
        label = _TYPES.get(ent.label_)
        name = _clean(ent.text)
        if label is None or not name or not any(c.isupper() for c in name):
            continue
        if label == "MISC" and not any(t.pos_ == "PROPN" for t in ent):
            continue
        if len(ent) == 1 and ent[0].is_sent_start and ent[0].pos_ not in ("PROPN",):
            continue  # a capitalised common word opening a sentence
        out.append(_mention(ent.text, label, name, ent.start_char, ent.end_char, shift))
    return _finish(out)


def russian(text: str, shift: int) -> list[Mention]:
    """Mentions of one Russian article by natasha, each named by its normal form."""
    from natasha import Doc

    model = russian_model()
    doc = Doc(text)
    doc.segment(model.segmenter)
    doc.tag_ner(model.ner)
    if not doc.spans:
        return []
    doc.tag_morph(model.morph)  # the morphology only serves the normal forms: skipped when nothing was found
    out = []
    for span in doc.spans:
        label = _TYPES.get(span.type)
        if label is None:
            continue
        span.normalize(model.vocab)
        name = _clean(span.normal or span.text)
        if name and any(c.isupper() for c in name):
            out.append(_mention(span.text, label, name, span.start, span.stop, shift))
    return _finish(out)


_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_SENTENCE_END = re.compile(r"[.!?…:;\"“”«»]\s*$|\n\s*$")


def fallback(text: str, shift: int, language: str | None) -> list[Mention]:
    """MISC mentions from runs of capitalised words in a language without a model (see the module's note)."""
    if language in NOUN_CAPITALISED:
        return []
    words = list(_WORD.finditer(text))
    lower = {w.group(0).lower() for w in words if w.group(0)[0].islower()}
    if not any(w.group(0)[0].isupper() for w in words):
        return []  # a script without letter case
    out: list[Mention] = []
    run: list[Any] = []

    def close() -> None:
        if len(run) >= 2:
            s, e = run[0].start(), run[-1].end()
            name = _clean(text[s:e])
            if language in APOSTROPHE_SUFFIXES:  # Turkish case endings follow an apostrophe: "Çin'i" is Çin
                name = re.sub(r"['’]\w{1,5}\b", "", name)
            out.append(_mention(text[s:e], "MISC", name, s, e, shift))
        run.clear()

    for w in words:
        word = w.group(0)
        gap = text[run[-1].end():w.start()] if run else ""
        opens = not text[:w.start()].strip() or bool(_SENTENCE_END.search(text[max(0, w.start() - 3):w.start()]))
        if run and gap not in (" ", "\u00a0"):
            close()  # punctuation, a line break or a wider gap (title and text run together) ends the name
        if word[0].isupper() and not word.isupper() and word.lower() not in lower and not (opens and not run):
            run.append(w)
        else:
            close()
    close()
    return _finish(out)


__all__ = ["french", "russian", "fallback", "NOUN_CAPITALISED"]


_SENTENCE = re.compile(r"[^.!?…。！？\n]+(?:[.!?…。！？]+[\"”»’]?|$)", re.M)
MIN_SENTENCE_WORDS = 5
_ACTOR_TYPES = {"PERSON", "ORG", "GPE", "LOC", "MISC", "NORP"}


def sentence_claims(text: str, shift: int, mentions: list[Mention], language: str | None) -> list[Claim]:
    """Shallow claims of a text in a language without claim rules (see the module's note): its sentences
    (of Article.text, not the title) as events without an action, its quoted passages as quotes."""
    claims: list[Claim] = []
    for m in _SENTENCE.finditer(text):
        s0, s1 = m.start(), m.end()
        sent = m.group(0).strip()
        if s0 < shift or len(sent.split()) < MIN_SENTENCE_WORDS:
            continue
        s0 += len(m.group(0)) - len(m.group(0).lstrip())
        names = list(dict.fromkeys(x.canonical for x in mentions
                                   if x.type in _ACTOR_TYPES and x.start >= 0 and s0 <= x.start + shift < s1))
        claims.append(Claim(kind="event", text=sent, fields={
            "action": None, "shallow": True, "language": language, "actors": names,
            "sentence_start": s0 - shift, "sentence_end": s0 - shift + len(sent)}, key=""))
    for q0, q1, words in quoted_spans(text):
        if q0 < shift:
            continue
        p0 = text.rfind("\n", 0, q0) + 1
        p1 = text.find("\n", q1)
        claims.append(Claim(kind="quote", text=text[p0:p1 if p1 >= 0 else len(text)].strip(), fields={
            "words": words, "speaker": None, "verb": None, "shallow": True, "language": language,
            "start": q0 - shift, "end": q1 - shift}, key=quote_key(words)))
    return claims
