"""Entity mentions from a parsed article, with aliases merged inside the article.

Aliases handled (all from the text itself, no name lists):
- surnames and partial names → the fullest PERSON name that ends with them ("Lukashenko" → "Alexander Lukashenko");
- acronyms → the spelled-out organisation in the same article ("EU" → "European Union");
- titles that name a person ("Belarusian leader Alexander Lukashenko", "X, the Belarusian leader") → later
  bare uses of that title ("the Belarusian leader") become mentions of the person;
- country spellings → the gazetteer's country name ("U.S." → "United States").
Places get coordinates from the offline gazetteer; a place it lacks keeps lat/lon None.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Any

import numpy as np

from ..records import Mention
from .models import text_of
from .places import country_of_demonym, geocode

# spaCy labels kept as mentions; CARDINAL/MONEY/... become quantity claims instead.
KEPT = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "DATE", "TIME", "PRODUCT", "WORK_OF_ART", "LAW"}
PLACE_TYPES = {"GPE", "LOC", "FAC"}
NAME_TYPES = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
_TITLE_DEPS = {"compound", "amod", "nmod", "npadvmod"}
# Verbs that report speech: their subject is a speaker (entities), a quote's source (quotes, quantities).
REPORTING_VERBS = {
    "say", "tell", "add", "state", "announce", "declare", "claim", "insist", "warn", "note", "write",
    "tweet", "post", "explain", "argue", "ask", "reply", "respond", "continue", "comment", "conclude",
    "deny", "acknowledge", "admit", "confirm", "suggest", "report", "call", "describe", "stress",
    "say,", "assert", "allege", "predict", "recall", "urge", "promise", "vow", "complain", "accuse",
    "blame", "quip", "joke", "shout", "testify", "emphasise", "emphasize", "maintain", "observe",
}
_HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady"}


_RANKS = r"(?:Lt|Lieut|Capt|Sgt|Cpl|Col|Gen|Maj|Adm|Cmdr|Insp|Det|Supt|Chief|Officer|Trooper|Deputy)"


def clean_name(text: str) -> str:
    """A mention's name without a leading article, possessive, quotes, a trailing rank or stray punctuation."""
    s = re.sub(r"\s+", " ", text).strip(" \t\n\"'“”‘’`.,;:()[]")
    s = re.sub(r"(?i)^the\s+", "", s)
    s = re.sub(r"\s*['’]s?$", "", s)
    s = re.sub(r"\s+" + _RANKS + r"\.?$", "", s)  # "Oregon State Police Lt." is the police, the Lt. is a person's rank
    return s.strip()


@lru_cache(maxsize=100_000)
def name_key(name: str) -> str:
    """A name transliterated to lower-case ASCII, so spellings in other scripts meet (Минск, Мінск → minsk)."""
    from anyascii import anyascii

    return re.sub(r"\s+", " ", anyascii(name)).strip().lower()


def _acronym(words: list[str]) -> str:
    return "".join(w[0] for w in words if w[:1].isupper())


_PARTICLES = {"von", "van", "der", "den", "de", "da", "di", "du", "la", "le", "bin", "ibn", "al", "el", "dos", "das", "del", "ter"}


def repair_ents(doc: Any) -> None:
    """Fix two frequent small-model slips in place: names cut at a particle ("Ursula von der" + "Leyen")
    and entities running across a paragraph break ("London Daily\n\nFocus")."""
    from spacy.tokens import Span

    ents = list(doc.ents)
    fixed: list[Any] = []
    i = 0
    while i < len(ents):
        e = ents[i]
        if (e.label_ == "PERSON" and e[-1].lower_ in _PARTICLES and e.end < len(doc)
                and doc[e.end].text[:1].isupper()):
            end = e.end + 1
            if i + 1 < len(ents) and ents[i + 1].start == e.end:
                end = ents[i + 1].end
                i += 1
            e = Span(doc, e.start, end, label="PERSON")
        brk = next((t.i for t in e if "\n" in t.text or (t.i > e.start and "\n" in doc[t.i - 1].whitespace_)), None)
        if brk is not None:
            e = Span(doc, e.start, brk, label=e.label_) if brk > e.start else None
        if e is not None and len(e):
            fixed.append(e)
        i += 1
    try:
        doc.ents = fixed
    except ValueError:  # overlapping repair: keep spaCy's own entities
        pass


def _plural_names(doc: Any, skip_before: int) -> list[tuple[Any, str, str]]:
    """Plural proper nouns the NER left out ("the Colts", "the Chargers"): teams, bands, groups → ORG."""
    from spacy.attrs import TAG

    nnps = doc.vocab.strings["NNPS"]
    idx = [i for i, tag in enumerate(doc.to_array([TAG]).ravel().tolist()) if tag == nnps]
    if not idx:
        return []
    covered = {t.i for e in doc.ents for t in e}
    out = []
    for t in (doc[i] for i in idx):
        if (t.tag_ == "NNPS" and t.i not in covered and t.idx >= skip_before and t.text[:1].isupper()
                and not t.is_sent_start and len(t.text) > 3):
            start = t.i
            while start > 0 and doc[start - 1].tag_ in ("NNP", "NNPS") and doc[start - 1].i not in covered \
                    and not doc[start - 1].is_sent_start:
                start -= 1
            span = doc[start:t.i + 1]
            out.append((span, "ORG", clean_name(span.text)))
    return out


def _person_core(ent: Any) -> Any | None:
    """A PERSON entity without the common words the NER ran into it ("a David Garrard", "Chargers defensive
    tackle"): the name before a role noun is the person's team or employer (ORG when plural), else no name."""
    from spacy.tokens import Span

    start = ent.start
    while start < ent.end and _common(ent.doc[start]):
        start += 1
    cut = next((t.i for t in ent.doc[start:ent.end] if _common(t)), None)
    if start >= ent.end:
        return None
    if cut is None:
        return ent if start == ent.start else Span(ent.doc, start, ent.end, label="PERSON")
    core = Span(ent.doc, start, cut, label="ORG")
    return core if len(core) and core[-1].tag_ == "NNPS" else None


def _common(t: Any) -> bool:
    """A lower-case word that is not a name particle ("van", "de")."""
    return t.is_lower and t.is_alpha and t.lower_ not in _PARTICLES


def _covered(raw: list[tuple[Any, str, str]]) -> set[int]:
    return {t.i for span, _, _ in raw for t in span}


def _speaker_names(doc: Any, raw: list[tuple[Any, str, str]], skip_before: int,
                   lower_words: set[str]) -> list[tuple[Any, str, str]]:
    """Names the NER left out that say or report something ("TMZ reported", "Comeaux said"): the subject of a
    reporting verb written as a proper noun is a person, or an organisation when it is an acronym or plural."""
    covered = _covered(raw)
    out = []
    for tok in doc:
        if (tok.dep_ != "nsubj" or tok.pos_ != "PROPN" or tok.i in covered or tok.idx < skip_before
                or not tok.text[:1].isupper() or tok.head.lemma_.lower() not in REPORTING_VERBS
                or tok.lower_ in lower_words or len(tok.text) < 2):
            continue
        start = tok.i
        while start > 0 and doc[start - 1].dep_ == "compound" and doc[start - 1].pos_ == "PROPN" \
                and doc[start - 1].i not in covered and doc[start - 1].text[:1].isupper():
            start -= 1
        prev = doc[start - 1] if start > 0 else None
        if prev is not None and prev.text[:1].isupper() and prev.pos_ in ("PROPN", "NOUN") and not prev.is_sent_start:
            continue  # "Human Rights Watch said": only the end of a longer name was parsed as the subject
        if (start == tok.i and tok.is_sent_start and not tok.text.isupper()) \
                or any(c.dep_ in ("det", "appos") or c.i > tok.i for c in tok.children):
            continue  # "Pamphlets announced" opens a sentence; "the German Chancellor, Angela Merkel, said";
            # "said Secretary of the Interior Dirk Kempthorne": the phrase goes on, the name is further on
        span = doc[start:tok.i + 1]
        name = clean_name(span.text)
        if not name or _VESSEL.match(name) or re.fullmatch(_RANKS + r"\.?", name):
            continue  # a ship ("MS Columbus said") or a bare rank ("Lt.") is no one's name
        org = tok.text.isupper() or tok.tag_ == "NNPS" or tok.lower_ in _ORG_WORDS
        out.append((span, "ORG" if org else "PERSON", name))
    return out


def _repeated_names(doc: Any, raw: list[tuple[Any, str, str]], skip_before: int) -> list[tuple[Any, str, str]]:
    """Other occurrences of a name the NER recognised once in the article but not everywhere (one sense per
    article): each gets the label the name has most often."""
    labels: dict[str, Counter[str]] = {}
    for _, label, name in raw:
        if label in NAME_TYPES and len(name) >= 3 and name[:1].isupper():
            labels.setdefault(name, Counter())[label] += 1
    if not labels:
        return []
    covered = _covered(raw)
    text = text_of(doc)
    out = []
    # one pass over the text for all names, longest first so "Betty Ford Center" wins over "Betty Ford"
    alternation = "|".join(re.escape(n) for n in sorted(labels, key=len, reverse=True))
    for m in re.finditer(r"(?<![\w-])(?:" + alternation + r")(?![\w-])", text):
        if m.start() < skip_before:
            continue
        span = doc.char_span(m.start(), m.end())
        if span is None or any(t.i in covered for t in span):
            continue
        before = doc[span.start - 1] if span.start > 0 else None
        after = doc[span.end] if span.end < len(doc) else None
        # part of a longer name ("Drake University", "Mrs Lohan")? then not this name
        if (before is not None and before.pos_ == "PROPN" and before.text[:1].isupper()) or \
                (after is not None and after.pos_ == "PROPN" and after.text[:1].isupper()):
            continue
        covered.update(t.i for t in span)
        out.append((span, labels[m.group(0)].most_common(1)[0][0], m.group(0)))
    return out


# Common nouns that head a named site or body when a proper noun modifies them ("the Marfin bank",
# "the Kraft plant", "a Sikh temple" is not: nationality words are not names; "the Bush administration").
FACILITY_HEADS = {"bank", "plant", "factory", "mill", "refinery", "mine", "warehouse", "store", "shop", "boutique",
                  "supermarket", "mall", "complex", "building", "tower", "temple", "church", "mosque", "synagogue",
                  "cathedral", "chapel", "prison", "jail", "penitentiary", "hospital", "clinic", "centre", "center",
                  "facility", "hotel", "motel", "restaurant", "cafe", "bar", "pub", "nightclub", "casino", "stadium",
                  "arena", "airport", "station", "terminal", "school", "campus", "museum", "gallery", "theatre",
                  "theater", "cinema", "headquarters", "embassy", "consulate", "base", "port", "harbour", "harbor",
                  "bridge", "dam", "zoo", "courthouse", "resort", "mansion", "palace", "projects", "precinct", "jewellers",
                  "jewelers", "showroom", "outlet", "branch"}
ORG_HEADS = {"administration", "government", "team", "campaign", "cabinet", "office", "department", "ministry", "agency",
             "police", "committee", "council", "commission", "party", "company", "firm", "network", "channel",
             "newspaper", "magazine", "tabloid", "website", "band", "league", "union", "army", "navy", "regime",
             "board", "bureau", "authority", "coalition", "alliance", "studio", "studios", "label", "camp"}
_LEADER_HEADS = {"administration", "government", "team", "campaign", "cabinet", "camp", "regime"}
_MOD_DEPS = {"compound", "poss", "nmod", "amod", "case", "punct"}
_NOT_NAME_ENTS = {"GPE", "LOC", "NORP", "DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT", "LANGUAGE"}


@lru_cache(maxsize=4)
def _head_hashes_for(vocab_id: int, strings: Any) -> Any:
    return np.array(sorted(strings.add(w) for w in FACILITY_HEADS | ORG_HEADS), dtype=np.uint64)


def _head_hashes(vocab: Any) -> Any:
    return _head_hashes_for(id(vocab), vocab.strings)


def _headed_names(doc: Any, skip_before: int, lower_words: set[str]) -> list[tuple[Any, str, str]]:
    """Names built as proper noun(s) + a common head noun: "the Marfin bank" (FAC), "City Attorney's office" (ORG).

    The NER often leaves these out or keeps only the proper noun under a wrong type. The span runs
    from the leftmost proper-noun modifier to the head; a modifier that is a place or nationality
    ("Greek bank", "Minsk airport") is a description, not a name, and does not count.
    """
    from spacy.attrs import LOWER

    out: list[tuple[Any, str, str]] = []
    heads = _head_hashes(doc.vocab)
    # only the tokens that are one of the head nouns (array look-up: no Token objects for the rest)
    candidates = np.flatnonzero(np.isin(doc.to_array([LOWER]).ravel(), heads)).tolist()
    if not candidates:
        return out
    ents = list(doc.ents)
    places = {e.text for e in ents if e.label_ in ("GPE", "LOC")}
    surnames = {e[-1].text for e in ents if e.label_ == "PERSON" and len(e) > 1}  # "Obama" of "Barack Obama"
    for i in candidates:
        tok = doc[i]
        low = tok.lower_
        if tok.pos_ != "NOUN" or not tok.is_lower or tok.idx < skip_before or tok.dep_ == "compound":
            continue  # "Red Sox center fielder": the head of the phrase is another noun
        start = tok.i
        named = False
        k = tok.i - 1
        # contiguous left modifiers attached (directly or through each other) to the head
        while k >= 0 and doc[k].dep_ in _MOD_DEPS and tok.left_edge.i <= k and "\n" not in doc[k].whitespace_:
            t = doc[k]
            if t.dep_ == "punct" and t.text not in ("-", "&", "."):
                break
            if t.pos_ == "PROPN" and t.text[:1].isupper():
                if t.ent_type_ in _NOT_NAME_ENTS:
                    break
                if t.is_sent_start and (t.lower_ in lower_words or not t.ent_type_):
                    break  # a capitalised common word opening the sentence ("Riot police")
                named = True
                start = k
            elif t.pos_ in ("DET", "NUM", "PRON") or (t.pos_ == "ADJ" and t.dep_ == "amod"):
                break  # "a posh Harry Winston boutique": the name ends at the description
            k -= 1
        if not named:
            continue
        names = [t for t in doc[start:tok.i] if t.pos_ == "PROPN"]
        if (len(names) == 1 and (names[0].text in places or _is_city(names[0].text))
                and not (names[0].text in surnames or (names[0].ent_type_ == "PERSON" and low in _LEADER_HEADS))):
            # "a Woodburn bank", "a Biloxi newspaper": a known town, so a description, not a name; but a
            # person's surname ("the Obama administration") even where a small town abroad has that name
            continue
        last = names[-1]
        if last.ent_type_ == "PERSON" and last.i + 1 < tok.i and doc[last.i + 1].dep_ == "case":
            continue  # "Alan Steinberg's office", "Gigante's defense team": a person's, not a name
        if low == "team" and last.ent_type_ == "ORG":
            continue  # "an NFL team": one team of that league, not a name
        ent = next((e for e in ents if e.start <= last.i < e.end), None) if last.ent_type_ else None
        if ent is not None and ent[-1].lower_ in _INSTITUTION_WORDS:
            continue  # "Betty Ford Center rehab facility": the name is already whole
        span = doc[start:tok.i + 1]
        out.append((span, "FAC" if low in FACILITY_HEADS else "ORG", clean_name(span.text)))
    return out


_ORG_WORDS = {"inc", "inc.", "corp", "corp.", "co.", "ltd", "ltd.", "llc", "plc", "group", "association", "council",
              "party", "agency", "department", "ministry", "committee", "union", "bank", "company", "club",
              "police", "court", "university", "institute", "foundation", "network", "news", "times", "post",
              "airlines", "motors", "records", "studios", "pictures", "fc", "united", "federation", "league"}
_VESSEL = re.compile(r"^(?:INS|HMS|HMAS|HMCS|USS|USNS|MV|M/V|SS|RMS|MS|MT|FV|RV|CGS|KRI|PNS|BNS)\b\.?\s*\S*")
_FACILITY_WORDS = {"center", "centre", "clinic", "hospital", "institute", "foundation", "school", "university", "college",
                   "stadium", "arena", "hall", "museum", "library", "airport", "station", "theatre", "theater", "church",
                   "mosque", "temple", "cathedral", "prison", "jail", "hotel", "bank", "house", "park", "recovery"}


def _title_case(text: str) -> bool:
    words = [w for w in text.split() if w[:1].isalpha() and len(w) > 3]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def extract(doc: Any, shift: int = 0) -> list[Mention]:
    """Mentions of one parsed article; `shift` maps doc offsets to Article.text offsets (title-part offsets become -1)."""
    from spacy.tokens import Span

    repair_ents(doc)
    body_text = text_of(doc)[shift:]
    # In a Title Case Headline the model takes capitals for names ("Tensions Simmer"): keep a
    # headline entity only when the body names it too.
    title_case = shift > 0 and _title_case(text_of(doc)[:shift])
    raw: list[tuple[Any, str, str]] = []        # (span, label, clean text)
    lower_words = set(re.findall(r"\b[a-z][a-z'-]*\b", text_of(doc)))  # from the text: no Token objects
    for ent in doc.ents:
        if ent.label_ not in KEPT:
            continue
        name = clean_name(ent.text)
        if not name or (ent.label_ in NAME_TYPES and not any(c.isupper() for c in name)):
            continue  # lower-case "names" are tagging noise for name types
        if title_case and ent.start_char < shift and name not in body_text:
            # "Lindsay Lohan Checks": keep the longest head of the name that the body uses, else drop it
            ent = next((Span(ent.doc, ent.start, k, label=ent.label_) for k in range(ent.end - 1, ent.start, -1)
                        if clean_name(ent.doc[ent.start:k].text) in body_text), None)
            if ent is None:
                continue
            name = clean_name(ent.text)
        if len(name.split()) == 1 and ent.label_ in ("ORG", "PERSON", "GPE", "LOC", "FAC") and name.lower() in lower_words:
            continue  # "Bank", "Government", "Riot": a common word capitalised, written lower-case elsewhere
        if _VESSEL.match(name):
            continue  # ships ("INS Mysore", "MV Gibe") are neither people nor organisations
        if ent.label_ == "PERSON":
            ent = _person_core(ent)
            if ent is None:
                continue
            name = clean_name(ent.text)
        score = next((t.i for t in ent if t.i > ent.start and t.like_num), None)
        if score is not None and _SCORE.search(ent.text) and ent.label_ not in ("DATE", "TIME", "PERSON"):
            # "Evansville 91-73": a name followed by a score is a team, whatever the NER called it
            ent = Span(doc, ent.start, score, label="ORG")
            name = clean_name(ent.text)
            if not name:
                continue
        raw.append((ent, ent.label_, name))
    gpe_names = {n for _, lab, n in raw if lab == "GPE"}
    skip_before = shift if title_case else 0
    raw.extend(_plural_names(doc, skip_before))
    raw.extend(_speaker_names(doc, raw, skip_before, lower_words))
    raw.extend(_repeated_names(doc, raw, skip_before))
    raw.extend(_headed_names(doc, skip_before, lower_words))

    persons = [n for _, lab, n in raw if lab == "PERSON"]
    full_persons = sorted({n for n in persons if len(n.split()) > 1}, key=lambda n: (-len(n), n))  # stable across runs
    orgs = [n for _, lab, n in raw if lab in ("ORG", "GPE", "NORP", "FAC", "LOC")]
    long_orgs = {_acronym(n.split()): n for n in orgs if len(n.split()) > 1 and len(_acronym(n.split())) > 1}

    def person_canonical(name: str) -> str | None:
        toks = [t for t in name.split() if t.lower().strip(".") not in _HONORIFICS]
        if not toks:
            return None
        tail = " ".join(toks)
        for full in full_persons:  # longest first: "Alexander Lukashenko" before "Lukashenko"
            if full == tail or full.endswith(" " + tail):
                return full
        return None

    facilities = [n for _, lab, n in raw if lab in ("ORG", "FAC", "GPE", "LOC") and len(n.split()) > 1
                  and n.split()[-1].lower() in _FACILITY_WORDS | FACILITY_HEADS]
    # One sense per article: a name the NER also tags as an organisation or a place somewhere in the
    # article is that, not a work of art or product ("the Chargers" WORK_OF_ART beside "Chargers" ORG).
    labels_of: dict[str, set[str]] = {}
    for _, lab, n in raw:
        labels_of.setdefault(n, set()).add(lab)
    out: list[Mention] = []
    for ent, label, name in raw:
        canonical = name
        place_of = next((f for f in facilities if f.startswith(name + " ")), None)
        if label in _MISC_TYPES:
            others = labels_of.get(name, set())
            if "ORG" in others:
                label = "ORG"
            elif others & PLACE_TYPES:
                label = sorted(others & PLACE_TYPES)[0]
            elif label != "EVENT" and _at_place(ent):
                label = "FAC"  # "checked in at Morningside Recovery": something one is at is a place
        if label in ("PERSON", "ORG") and country_of_demonym(name) is not None:
            label = "NORP"  # "Greeks", "Americans" tagged as people
        elif label == "PERSON" and (re.fullmatch(r"[A-Z][A-Z0-9&.-]{1,9}", name) or _ORG_WORDS & set(name.lower().split())
                                    or (len(ent) == 1 and ent[0].tag_ == "NNPS" and name.endswith("s"))):
            label = "ORG"  # "TMZ", "Marfin Bank Group", "the Colts": acronyms, organisation words, plurals are not people
        elif label == "PERSON" and place_of and (not person_canonical(name) or _at_place(ent)):
            label, canonical = "ORG", place_of  # "at Betty Ford" short for "the Betty Ford Center"
        elif label == "PERSON" and len(ent) > 1 and (ent[-1].lower_ in _INSTITUTION_TAILS or ent[-1].lower_ in _STREET_WORDS
                                                     or ent[0].lower_ in _STREET_WORDS):
            # no one is called "Indiana State" or "Zayed Road": a university/team, a street
            label = "ORG" if ent[-1].lower_ in _INSTITUTION_TAILS else "FAC"
        elif label == "PERSON":
            canonical = person_canonical(name) or name
        elif label in ("ORG", "GPE", "NORP") and person_canonical(name) and (len(name.split()) == 1 or person_canonical(name) != name):
            # spaCy sometimes tags a bare surname as ORG/GPE; the article's full name says it is a person.
            label, canonical = "PERSON", person_canonical(name) or name
        elif label == "ORG" and name.isupper() and name.replace(".", "") in long_orgs:
            canonical = long_orgs[name.replace(".", "")]
        elif label in ("ORG", "PERSON") and _is_gpe(name, gpe_names):
            label = "GPE"  # metonymy ("Minsk's handling") or a tagging slip on a known place
        elif label == "ORG" and len(ent) == 1 and ent.root.dep_ in ("compound", "amod", "nmod", "pobj") and _is_city(name):
            label = "GPE"  # "Woodburn police", "in Woodburn": a known town used as a place or modifier
        elif label in ("ORG", "PERSON") and _placed(ent):
            label = "FAC"  # "a camp at Bruzgi": a place the gazetteer may lack, kept as a place
        m = _mention(ent.text, label, canonical, ent.start_char, ent.end_char, shift)
        if label in PLACE_TYPES:
            _geocode(m, name)
        elif label == "NORP":
            p = country_of_demonym(name)
            if p is not None:
                m.country = p.name
        out.append(m)

    out.extend(_title_mentions(doc, raw, {id(ent): m.canonical for (ent, _, _), m in zip(raw, out)}, shift))
    return out


# Nouns for settlements and sites; a name attached to one by a locative preposition is a place.
PLACE_NOUNS = {"camp", "village", "town", "city", "border", "region", "district", "province", "crossing",
               "checkpoint", "port", "base", "airport", "suburb", "county", "state", "area", "outskirts",
               "neighbourhood", "neighborhood", "settlement", "municipality", "island", "valley", "site"}
_LOC_PREPS = {"in", "at", "near", "outside", "of", "from", "to", "into", "toward", "towards"}


_INSTITUTION_WORDS = FACILITY_HEADS | ORG_HEADS | _FACILITY_WORDS | _ORG_WORDS
_SCORE = re.compile(r"\s\d{1,3}\s*[-–]\s*\d{1,3}$")
_MISC_TYPES = {"PRODUCT", "WORK_OF_ART", "EVENT", "LAW"}
_INSTITUTION_TAILS = {"state", "tech"}
_STREET_WORDS = {"road", "street", "avenue", "boulevard", "lane", "square", "place", "bridge", "highway", "rue", "plaza"}


def _at_place(ent: Any) -> bool:
    """Whether a name is the object of "at", "into" or "inside" (where one is, goes or checks in)."""
    root = ent.root
    return root.dep_ == "pobj" and root.head.lower_ in ("at", "into", "inside")


def _placed(ent: Any) -> bool:
    root = ent.root
    if len(ent) > 3 or root.dep_ != "pobj" or root.head.lower_ not in _LOC_PREPS:
        return False
    head = root.head.head
    return head.pos_ == "NOUN" and head.lemma_.lower() in PLACE_NOUNS


def _is_city(name: str) -> bool:
    p = geocode(name)
    return p is not None and p.kind in ("city", "region")


def _is_gpe(name: str, gpe_names: set[str]) -> bool:
    if name in gpe_names:
        return True
    p = geocode(name)
    return p is not None and p.kind == "country"


def _mention(text: str, label: str, canonical: str, start: int, end: int, shift: int) -> Mention:
    s, e = start - shift, end - shift
    if s < 0:
        s = e = -1  # in the title, which is not part of Article.text
    m = Mention(text=text, type=label, canonical=canonical, start=s, end=e)
    # Offsets in the parsed doc (title included), for the claim modules of the same batch; not a
    # dataclass field, so it is never stored.
    m._doc_span = (start, end)  # type: ignore[attr-defined]
    return m


def doc_spans(mentions: list[Mention], shift: int) -> list[tuple[int, int, Mention]]:
    """(start, end, mention) in doc offsets, sorted; title mentions included when parsed in this process."""
    out = []
    for m in mentions:
        span = getattr(m, "_doc_span", None)
        if span is None and m.start >= 0:
            span = (m.start + shift, m.end + shift)
        if span is not None:
            out.append((span[0], span[1], m))
    return sorted(out, key=lambda x: (x[0], -x[1]))


def token_index(doc: Any, spans: list[tuple[int, int, Mention]]) -> dict[int, Mention]:
    """Token index → the mention covering it (first, longest wins)."""
    out: dict[int, Mention] = {}
    for s, e, m in spans:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None:
            continue
        for t in span:
            out.setdefault(t.i, m)
    return out


def _geocode(m: Mention, name: str) -> None:
    p = geocode(name)
    if p is None:
        return
    m.lat, m.lon, m.country = p.lat, p.lon, p.country
    if p.kind == "country":
        m.canonical = p.name  # "U.S." and "United States" are one entity


def _title_of(ent: Any) -> Any | None:
    """The title span naming a person: 'Belarusian leader' in 'Belarusian leader Alexander Lukashenko' or its apposition."""
    root = ent.root
    left = [c for t in ent for c in t.lefts if c.dep_ in _TITLE_DEPS and c.i < ent.start]
    if left:
        start = min(t.left_edge.i for t in left)
        span = ent.doc[start:ent.start]
    else:
        app = [c for c in root.rights if c.dep_ == "appos" and c.i >= ent.end]
        if not app:
            return None
        a = app[0]
        span = ent.doc[a.left_edge.i:a.i + 1]
    toks = [t for t in span if t.pos_ not in ("DET", "PUNCT", "ADP") or t.i > span.start]
    while toks and toks[0].pos_ in ("DET", "PUNCT"):
        toks = toks[1:]
    if not toks or len(toks) > 6 or toks[-1].pos_ not in ("NOUN", "PROPN") or any("\n" in t.text for t in toks):
        return None
    if any(t.ent_type_ == "PERSON" for t in toks):
        return None
    return ent.doc[toks[0].i:toks[-1].i + 1]


def _title_mentions(doc: Any, raw: list[tuple[Any, str, str]], canon: dict[int, str], shift: int) -> list[Mention]:
    """Mentions for person titles: the title beside the name, and later bare uses of the same title."""
    titles: dict[str, set[str]] = {}
    spans: list[tuple[Any, str]] = []
    for ent, label, _ in raw:
        if label != "PERSON":
            continue
        span = _title_of(ent)
        if span is None:
            continue
        key = span.text.lower()
        titles.setdefault(key, set()).add(canon[id(ent)])
        spans.append((span, canon[id(ent)]))
    # A title that names two different people in one article is not an alias of either.
    unique = {k: next(iter(v)) for k, v in titles.items() if len(v) == 1}
    out = [_mention(s.text, "PERSON", c, s.start_char, s.end_char, shift) for s, c in spans if s.text.lower() in unique]
    low = text_of(doc).lower()
    beside = Counter(s.text.lower() for s, _ in spans)
    if not any(low.count(k) > beside[k] for k in unique):
        return out  # no title is used again on its own: skip the noun-chunk pass
    seen = {(m.start, m.end) for m in out}
    ent_tokens = {t.i for ent, _, _ in raw for t in ent}
    for chunk in doc.noun_chunks:
        toks = [t for t in chunk if not (t.pos_ == "DET" and t.i == chunk.start)]
        if not toks or any(t.i in ent_tokens and t.ent_type_ == "PERSON" for t in toks):
            continue
        key = doc[toks[0].i:toks[-1].i + 1].text.lower()
        if key in unique and chunk.start_char - shift not in {s for s, _ in seen}:
            # only when the chunk is the bare title, not "the Belarusian leader's government" headed elsewhere
            if chunk.root.i == toks[-1].i:
                m = _mention(chunk.text, "PERSON", unique[key], chunk.start_char, chunk.end_char, shift)
                if (m.start, m.end) not in seen:
                    out.append(m)
                    seen.add((m.start, m.end))
    return out


__all__ = ["extract", "clean_name", "name_key", "REPORTING_VERBS", "doc_spans", "token_index", "KEPT", "PLACE_TYPES"]
