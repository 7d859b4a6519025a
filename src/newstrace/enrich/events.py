"""Events coded actor → action → target, with place and time words, each tied to its sentence.

The action scheme is small and built for news. Categories follow PLOVER (the successor of CAMEO
used by GDELT-style coders) where it has one, plus a few outcome and domestic-news classes that
PLOVER leaves to "event modes":

| category    | PLOVER          | examples (verb or noun trigger)                               |
|-------------|-----------------|---------------------------------------------------------------|
| exercise    | MOBILIZE        | drills, exercises, manoeuvres, war games, practise            |
| mobilize    | MOBILIZE        | mobilise, amass, build-up                                      |
| deploy      | MOBILIZE        | deploy, send/dispatch (forces), station                        |
| attack      | ASSAULT         | attack, strike, shoot, bomb, shell, invade, stab, raid, kill   |
| death       | (mode: outcome) | die, death, perish, drown                                      |
| injure      | (mode: outcome) | injure, wound, hurt                                             |
| coerce      | COERCE          | arrest, detain, jail, charge, convict, sentence, deport, ban    |
| sanction    | SANCTION        | sanction(s), embargo, penalty                                   |
| accuse      | ACCUSE          | accuse, blame, condemn, criticise, allege                       |
| deny        | REJECT          | deny, reject, refuse, dismiss, veto                              |
| threaten    | THREATEN        | threaten, warn, threat, ultimatum                                |
| statement   | (CONSULT/mode)  | announce, declare, confirm, reveal                              |
| aid         | AID             | aid, help, assist, donate, rescue, evacuate, relief             |
| migrate     | (domestic)      | cross (a border), migrate, flee, influx, crossing               |
| protest     | PROTEST         | protest, demonstrate, rally, march                              |
| agree       | AGREE/COOPERATE | agree, sign, deal, treaty, cooperate, ally                      |
| consult     | CONSULT         | meet, talks, visit, summit, negotiate                           |
| disaster    | (natural event) | earthquake, quake, flood, fire, crash, explosion, erupt         |
| personnel   | (domestic)      | appoint, nominate, elect, resign, fire (from a job), replace    |
| business    | (economic)      | acquire, buy, merge, takeover, invest                           |
| legal       | (domestic)      | sue, lawsuit, trial, verdict, acquit, appeal                    |
| award       | (domestic)      | win, award, prize, honour                                       |
| launch      | (economic)      | launch, release, unveil, introduce (a product)                  |
| health      | (domestic)      | rehab, treatment, hospitalise, check into (care)                |
| crime       | (domestic)      | rob, steal, heist, arson, fraud                                  |
| investigate | (domestic)      | investigate, probe, inquiry, search, autopsy                     |
| contest     | (domestic)      | game, match, playoff, final, beat, defeat, score                 |
| gathering   | (domestic)      | ceremony, show, party, vigil, funeral, festival, conference      |
| disruption  | (economic)      | outage, downtime, shutdown, blackout, fail                       |

Other verbs, and nouns built like events (-tion, -sion, -ment, -ance, -ence, -ure) are kept as
"other" event mentions keyed by their lemma: they link reports of the same happening across
articles but are not listed as story claims.

The actor is the subject (its conjuncts too; "by X" in the passive; nationality modifiers of a
noun subject: "Russian and Belarusian troops" → Russia, Belarus; pronouns → the nearest entity
before them); "with X" after a joint action adds a co-actor. The target is the object (or "against
X"/"on X"). Places are place mentions under the trigger (in/near/at phrases first), else in the
sentence. Time: the sentence's date words; absolute days come from Enrichment.dates at the link stage.
"""
from __future__ import annotations

from typing import Any

from ..records import Claim, Mention
from .entities import doc_spans, token_index
from .places import country_of_demonym, geocode

_LEXICON: dict[str, tuple[set[str], set[str]]] = {
    # category: (verb lemmas, noun lemmas)
    "exercise": ({"drill", "exercise", "rehearse", "manoeuvre", "maneuver", "practice", "practise", "train"},
                 {"drill", "drills", "exercise", "exercises", "manoeuvre", "maneuver", "wargame", "war game", "training"}),
    "mobilize": ({"mobilize", "mobilise", "amass", "muster", "mass"}, {"mobilization", "mobilisation", "buildup", "build-up"}),
    "deploy": ({"deploy", "dispatch", "station", "redeploy", "send"}, {"deployment"}),
    "attack": ({"attack", "strike", "bomb", "shell", "shoot", "invade", "stab", "raid", "ambush", "assault", "kill",
                "murder", "fire", "gun", "slay", "behead", "hijack", "kidnap", "abduct", "torch", "target"},
               {"attack", "strike", "bombing", "shooting", "invasion", "assault", "raid", "ambush", "murder", "killing",
                "massacre", "gunfire", "shootout", "airstrike", "stabbing", "kidnapping", "hijacking", "homicide", "rampage",
                "clash", "battle", "clashes", "battles"}),
    "death": ({"die", "perish", "drown"}, {"death", "dead", "fatality", "casualty", "toll", "suicide"}),
    "injure": ({"injure", "wound", "hurt"}, {"injury", "wound"}),
    "coerce": ({"arrest", "detain", "jail", "imprison", "convict", "sentence", "charge", "indict", "prosecute", "deport",
                "expel", "ban", "seize", "capture", "apprehend", "extradite", "raid"},
               {"arrest", "detention", "conviction", "sentence", "indictment", "deportation", "ban", "custody", "seizure",
                "charge", "charges", "suspicion"}),
    "sanction": ({"sanction", "embargo", "penalize", "penalise", "fine", "blacklist"}, {"sanction", "sanctions", "embargo", "penalty", "fine"}),
    "accuse": ({"accuse", "blame", "condemn", "criticize", "criticise", "allege", "denounce"},
               {"accusation", "allegation", "criticism", "condemnation"}),
    "deny": ({"deny", "reject", "refuse", "dismiss", "veto", "decline", "rebuff"}, {"denial", "rejection", "refusal"}),
    "threaten": ({"threaten", "warn"}, {"threat", "ultimatum", "warning"}),
    "statement": ({"announce", "declare", "confirm", "reveal", "unveil"}, {"announcement", "statement", "declaration"}),
    "aid": ({"aid", "help", "assist", "donate", "rescue", "evacuate", "support"},
            {"aid", "assistance", "donation", "rescue", "evacuation", "relief", "support"}),
    "migrate": ({"migrate", "flee", "cross", "smuggle", "emigrate", "immigrate"}, {"migration", "crossing", "influx", "exodus"}),
    "protest": ({"protest", "demonstrate", "rally", "march", "riot"}, {"protest", "demonstration", "rally", "march", "riot", "unrest", "rioting"}),
    "agree": ({"agree", "sign", "cooperate", "ally", "settle", "ratify"}, {"deal", "agreement", "treaty", "accord", "pact", "settlement"}),
    "consult": ({"meet", "visit", "negotiate", "discuss", "host"}, {"meeting", "talks", "visit", "summit", "negotiation"}),
    "disaster": ({"quake", "erupt", "flood", "crash", "collapse", "explode", "burn", "hit", "rock", "jolt", "strike", "damage", "destroy"},
                 {"earthquake", "quake", "tsunami", "flood", "fire", "blaze", "crash", "explosion", "eruption", "hurricane",
                  "storm", "tremor", "aftershock", "wildfire", "landslide", "blast", "collision", "derailment", "accident",
                  "incident", "damage"}),
    "personnel": ({"appoint", "nominate", "elect", "hire", "resign", "quit", "retire", "replace", "name", "sack", "oust", "succeed"},
                  {"appointment", "nomination", "election", "resignation", "retirement", "successor", "replacement"}),
    "business": ({"acquire", "buy", "purchase", "merge", "invest", "sell", "takeover"},
                 {"acquisition", "merger", "takeover", "purchase", "buyout", "sale", "investment", "offer", "bid", "cut", "cuts"}),
    "legal": ({"sue", "acquit", "appeal", "plead", "testify", "rule"}, {"lawsuit", "trial", "verdict", "suit", "appeal", "hearing", "ruling"}),
    "award": ({"win", "award", "honor", "honour"}, {"award", "prize", "victory", "win", "medal", "title", "nominee", "nomination"}),
    "launch": ({"launch", "release", "introduce", "debut", "ship"}, {"launch", "release", "debut", "unveiling", "sequel"}),
    "health": ({"hospitalize", "hospitalise", "treat", "admit"}, {"rehab", "rehabilitation", "treatment", "hospitalization", "hospitalisation", "surgery", "overdose", "disease", "illness"}),
    "crime": ({"rob", "steal", "loot", "burgle", "burglarize", "defraud", "vandalize", "embezzle", "escape", "chase"},
              {"robbery", "theft", "heist", "burglary", "arson", "fraud", "crime", "looting", "piracy", "manslaughter", "dui",
               "dwi", "escape", "chase"}),
    "investigate": ({"investigate", "probe", "search", "examine", "inspect"},
                    {"investigation", "probe", "inquiry", "search", "manhunt", "autopsy", "inspection"}),
    "contest": ({"beat", "defeat", "lose", "score", "play", "compete", "draft", "sweep", "clinch"},
                {"game", "match", "round", "playoff", "playoffs", "final", "finals", "tournament", "race", "bout",
                 "championship", "fight", "season", "series", "record", "quarterfinal", "quarterfinals", "semifinal", "semifinals"}),
    "gathering": ({"celebrate", "gather", "attend", "perform", "host"},
                  {"ceremony", "show", "concert", "festival", "party", "vigil", "funeral", "wedding", "celebration",
                   "oscars", "awards", "gala", "premiere", "conference", "service", "services"}),
    "disruption": ({"shut", "disrupt", "fail", "malfunction"}, {"outage", "downtime", "shutdown", "disruption", "failure", "blackout", "glitch"}),
}
# Modes within a category whose members are usually different happenings in one story (an arrest, the
# charges, the sentence; the quake, its tsunami, the fires it set; a robbery and the escape after it).
# PLOVER's COERCE distinguishes arrest/seize/deport modes the same way. A lemma without a mode keeps
# the category itself. Measured on ECB+ (bench/eval_mentions.py): splitting these three categories
# raises cross-document event linking F1; splitting attack, death or health by word lowers it
# ("attack", "shooting", "fired" are one happening).
MODES: dict[str, dict[str, str]] = {
    # "(arrested) on suspicion of": the grounds, its own mode, not another mention of the arrest
    "coerce": {**dict.fromkeys(("arrest", "detain", "apprehend", "capture", "custody", "detention"), "arrest"),
               **dict.fromkeys(("seize", "seizure"), "seize"),
               **dict.fromkeys(("charge", "charges", "indict", "indictment", "prosecute"), "charge"),
               **dict.fromkeys(("sentence", "convict", "conviction", "jail", "imprison"), "sentence"),
               **dict.fromkeys(("deport", "deportation", "expel", "extradite"), "deport"),
               "ban": "ban", "raid": "raid"},
    "disaster": {**dict.fromkeys(("earthquake", "quake", "tremor", "jolt", "rock", "strike", "hit"), "quake"),
                 "tsunami": "tsunami", "aftershock": "aftershock",
                 **dict.fromkeys(("fire", "blaze", "burn", "wildfire"), "fire"),
                 **dict.fromkeys(("crash", "collision", "derailment", "accident"), "crash"),
                 **dict.fromkeys(("explosion", "explode", "blast"), "blast"),
                 "flood": "flood", **dict.fromkeys(("damage", "destroy", "collapse"), "damage"),
                 **dict.fromkeys(("erupt", "eruption"), "eruption"), **dict.fromkeys(("hurricane", "storm"), "storm")},
    "crime": {**dict.fromkeys(("rob", "robbery", "heist", "steal", "theft", "burglary", "burgle", "burglarize", "loot",
                               "looting"), "robbery"),
              **dict.fromkeys(("escape", "chase"), "escape"),
              **dict.fromkeys(("fraud", "defraud", "embezzle"), "fraud"),
              **dict.fromkeys(("dui", "dwi"), "dui"), "arson": "arson", "manslaughter": "manslaughter", "piracy": "piracy"},
}


def mode_of(action: str, lemma: str) -> str | None:
    """The mode of an event within its category ("coerce", "charge" → "charge"), or None."""
    modes = MODES.get(action)
    return modes.get(lemma, lemma) if modes else None


VERB_CATEGORY: dict[str, str] = {}
NOUN_CATEGORY: dict[str, str] = {}
for _cat, (_verbs, _nouns) in _LEXICON.items():
    for _v in _verbs:
        VERB_CATEGORY.setdefault(_v, _cat)
    for _n in _nouns:
        NOUN_CATEGORY.setdefault(_n, _cat)
# Verbs listed under several categories (strike: attack and disaster) → those categories.
_SHARED_VERBS: dict[str, set[str]] = {}
for _cat, (_verbs, _nouns) in _LEXICON.items():
    for _v in _verbs:
        _SHARED_VERBS.setdefault(_v, set()).add(_cat)
_SHARED_VERBS = {v: cats for v, cats in _SHARED_VERBS.items() if len(cats) > 1}
# Phrasal verbs: (lemma, particle/preposition) → category ("check into" rehab, "carry out" drills via object).
PHRASAL = {("check", "into"): "health", ("check", "in"): "health", ("take", "over"): "business",
           ("step", "down"): "personnel", ("set", "off"): "attack", ("open", "fire"): "attack",
           ("break", "out"): "disaster", ("pass", "away"): "death", ("shut", "down"): "coerce"}
# Nouns whose event is coded only when an actor or place is attached (too generic alone).
_WEAK_NOUNS = {"support", "title", "win", "sale", "fire", "march", "suit", "strike", "sentence", "toll", "dead"}
# Verbs that only carry a noun trigger ("hold drills", "carry out exercises", "impose sanctions").
LIGHT_VERBS = {"hold", "conduct", "carry", "stage", "launch", "begin", "start", "make", "take", "impose", "level",
               "announce", "mount", "organize", "organise", "perform", "undergo", "enter", "sign", "reach", "seal",
               "win", "suffer", "continue", "complete", "resume", "end", "join", "host", "attend", "call"}
_PLACE_PREPS = {"in", "near", "at", "outside", "around", "inside", "across", "along", "off", "over", "into", "to", "toward", "towards"}
_JOINT_CATS = {"exercise", "agree", "consult", "deploy", "mobilize", "attack", "protest", "business"}
_NO_EVENT = {"be", "have", "do", "get", "seem", "appear", "become", "let", "want", "need", "try", "can", "may",
             "will", "would", "should", "could", "must", "include", "involve", "mean", "use", "know", "think",
             "believe", "expect", "remain", "keep", "go", "come", "see", "look", "like", "feel", "begin", "start"}
_REPORTING = {"say", "tell", "add", "state", "report", "note", "write", "tweet", "explain", "comment", "reply", "respond"}
_OUTCOMES = {"death", "injure", "disaster", "health"}
_PRONOUNS = {"he", "she", "it", "they", "we", "i", "you", "him", "her", "them", "us", "who", "which", "that"}


def category_of(tok: Any) -> str | None:
    """The action category of a trigger token, or None."""
    lemma = tok.lemma_.lower()
    if tok.pos_ == "VERB":
        for c in tok.children:
            if c.dep_ in ("prt", "prep", "dobj") and (lemma, c.lower_) in PHRASAL:
                return PHRASAL[(lemma, c.lower_)]
        cat = VERB_CATEGORY.get(lemma)
        if cat is not None and lemma in _SHARED_VERBS:
            # "the earthquake struck", "a fire hit": a verb of several categories takes its subject's
            for c in tok.children:
                if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ == "NOUN":
                    sub_cat = NOUN_CATEGORY.get(c.lemma_.lower())
                    if sub_cat in _SHARED_VERBS[lemma]:
                        return sub_cat
        return cat
    if tok.pos_ in ("NOUN", "PROPN") and tok.ent_type_ in ("", "EVENT", "ORG", "WORK_OF_ART"):
        return NOUN_CATEGORY.get(lemma) or NOUN_CATEGORY.get(tok.lower_)
    if tok.pos_ == "ADJ" and lemma in _OUTCOME_ADJ:
        return _OUTCOME_ADJ[lemma]
    return None


_OUTCOME_ADJ = {"dead": "death", "injured": "injure", "wounded": "injure", "guilty": "legal", "missing": "disaster"}
_EVENT_SUFFIX = ("tion", "sion", "ment", "ance", "ence", "ure")
_NOT_EVENT_NOUNS = {"nation", "station", "information", "population", "position", "government", "department", "apartment",
                    "equipment", "environment", "audience", "evidence", "science", "experience", "future", "picture",
                    "nature", "culture", "feature", "structure", "moment", "document", "instrument", "agency",
                    "distance", "insurance", "sentence", "province", "presence", "confidence", "independence", "sequence",
                    "section", "question", "region", "version", "mission", "television", "percentage", "temperature",
                    "legislature", "literature", "signature", "measure", "pressure", "figure", "residence", "reference",
                    "conference", "attention", "condition", "organization", "organisation", "administration", "opinion"}


def eventive_noun(tok: Any) -> bool:
    """A noun built like an event name ("evacuation", "announcement") that is not a known non-event."""
    low = tok.lemma_.lower()
    return (tok.pos_ == "NOUN" and len(low) > 5 and low.endswith(_EVENT_SUFFIX) and low not in _NOT_EVENT_NOUNS
            and tok.dep_ in ("dobj", "nsubj", "nsubjpass", "pobj", "attr", "conj", "appos", "ROOT"))


class _Resolver:
    """Maps tokens to entity names through the article's mentions (pronouns to the nearest earlier entity)."""

    def __init__(self, doc: Any, mentions: list[Mention], shift: int) -> None:
        self.spans = [x for x in doc_spans(mentions, shift) if x[2].type not in ("DATE", "TIME")]
        self.by_token = token_index(doc, self.spans)

    def at(self, tok: Any) -> Mention | None:
        return self.by_token.get(tok.i)

    def before(self, char: int, types: tuple[str, ...]) -> Mention | None:
        for s, e, m in reversed(self.spans):
            if e <= char and m.type in types:
                return m
        return None

    def names(self, tok: Any) -> list[str]:
        """Entity names a (subject/object) token stands for, with its conjuncts."""
        out: list[str] = []
        for t in [tok] + [c for c in tok.conjuncts]:
            out.extend(self._one(t))
        seen: set[str] = set()
        return [n for n in out if not (n in seen or seen.add(n))]

    def _one(self, t: Any) -> list[str]:
        m = self.at(t)
        if m is not None:
            return [actor_name(m)]
        low = t.lower_
        if t.pos_ == "PRON" or low in _PRONOUNS:
            if low in ("he", "she", "him", "her"):
                m = self.before(t.idx, ("PERSON",))
            elif low in ("it", "they", "them", "we"):
                m = self.before(t.idx, ("ORG", "GPE", "NORP", "PERSON"))
            else:
                m = None
            return [actor_name(m)] if m is not None else []
        # "Russian and Belarusian troops": nationality / place modifiers name the actors
        mods = []
        for c in t.children:
            if c.dep_ in ("amod", "compound", "poss", "nmod"):
                for cc in [c] + list(c.conjuncts):
                    mm = self.at(cc)
                    if mm is not None and mm.type in ("NORP", "GPE", "ORG", "PERSON"):
                        mods.append(actor_name(mm))
        if mods:
            return mods
        if t.pos_ in ("NOUN", "PROPN"):
            words = [w for w in t.subtree if w.i <= t.i and w.pos_ not in ("DET", "PUNCT") and w.dep_ != "cc"]
            if words:
                return [t.doc[words[0].i:t.i + 1].text]
        return []


def actor_name(m: Mention) -> str:
    """A mention as an actor: nationality words become their country ("Belarusian" → Belarus)."""
    if m.type == "NORP":
        p = country_of_demonym(m.canonical)
        return p.name if p else m.canonical
    if m.type == "GPE":
        p = geocode(m.canonical)
        if p is not None and p.kind == "country":
            return p.name
    return m.canonical


def _subject(tok: Any) -> tuple[Any | None, bool]:
    """(subject token, passive?) of a verb, climbing through xcomp/conj/advcl when it has none."""
    t = tok
    for _ in range(4):
        subjs = [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
        subj = min(subjs, key=lambda c: abs(c.i - t.i)) if subjs else None
        if subj is not None:
            return subj, subj.dep_ == "nsubjpass"
        if t.dep_ in ("xcomp", "conj", "advcl", "ccomp", "relcl", "acl") and t.head is not t:
            if t.dep_ in ("relcl", "acl"):
                return t.head, False
            t = t.head
        else:
            break
    return None, False


def _sentence_places(sent: Any, res: _Resolver) -> list[tuple[Any, str]]:
    """(first token, canonical name) of each place mention in a sentence."""
    out = []
    for t in sent:
        m = res.at(t)
        if m is None or m.type not in ("GPE", "LOC", "FAC") or (t.i > sent.start and res.at(t.doc[t.i - 1]) is m):
            continue
        out.append((t, m.canonical))
    return out


def _places(root: Any, in_sentence: list[tuple[Any, str]]) -> list[str]:
    """Places of an event: those in a locative phrase under its trigger, else any in its sentence."""
    if not in_sentence:
        return []
    inside, anywhere = [], []
    left, right = root.left_edge.i, root.right_edge.i
    for t, name in in_sentence:
        # in the trigger's subtree (a contiguous span in a projective parse) and under a locative preposition
        if left <= t.i <= right and t.head.lower_ in _PLACE_PREPS and _under(t, root):
            inside.append(name)
        else:
            anywhere.append(name)
    out = inside or anywhere
    seen: set[str] = set()
    return [p for p in out if not (p in seen or seen.add(p))]


def _under(t: Any, root: Any) -> bool:
    """Whether root is t or one of its ancestors."""
    return t.i == root.i or any(a.i == root.i for a in t.ancestors)


def extract(doc: Any, mentions: list[Mention], shift: int = 0) -> list[Claim]:
    """Event claims of one parsed article (one per trigger; same-category triggers of one clause merged)."""
    res = _Resolver(doc, mentions, shift)
    claims: list[Claim] = []
    # date words per sentence, computed once (Span.ents walks the whole doc on every call)
    dates_in: dict[int, list[str]] = {}
    for e in doc.ents:
        if e.label_ in ("DATE", "TIME"):
            dates_in.setdefault(e.sent.start, []).append(e.text)
    for sent in doc.sents:
        used: set[int] = set()
        time_words = dates_in.get(sent.start, [])
        sent_text = ""
        places = _sentence_places(sent, res)
        for tok in sent:
            if tok.i in used:
                continue
            cat = category_of(tok)
            if cat is None:
                if eventive_noun(tok):
                    ev = _code(tok, "other", places, res, time_words)
                    if ev is not None:
                        used.update(ev.pop("_covered"))
                        ev["trigger_start"] = ev["trigger_start"] - shift if ev["trigger_start"] >= shift else -1
                        sent_text = sent_text or sent.text.strip()
                        claims.append(Claim(kind="event", text=sent_text, fields=ev | {
                            "sentence_start": sent.start_char - shift, "sentence_end": sent.end_char - shift,
                        }, key=f"e:other:{ev['lemma']}"))
                    continue
                if tok.pos_ != "VERB" or tok.lemma_.lower() in _NO_EVENT:
                    continue
                obj_cat = None
                if tok.lemma_.lower() in LIGHT_VERBS:
                    # the object, its modifiers ("a rehab program") or a prepositional object ("into rehab")
                    objs = [c for c in tok.children if c.dep_ in ("dobj", "attr")]
                    objs += [g for c in tok.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
                    obj_cat = next((category_of(t) for o in objs for t in [o] + [c for c in o.children if c.dep_ in ("compound", "amod", "nmod")]
                                    if category_of(t)), None)
                # "held drills", "entered rehab": the light verb mentions the noun's event.
                # Any other verb is still an event mention ("other"): it links reports of the same
                # happening across articles, but is not listed as a story claim by itself.
                cat = obj_cat or ("statement" if tok.lemma_.lower() in _REPORTING else "other")
            ev = _code(tok, cat, places, res, time_words)
            if ev is None:
                continue
            covered = ev.pop("_covered")
            # a light verb and its event noun are both mentions of the event: keep the noun's own entry
            used.update({tok.i} if tok.pos_ == "VERB" and tok.lemma_.lower() in LIGHT_VERBS else covered)
            ev["trigger_start"] = ev["trigger_start"] - shift if ev["trigger_start"] >= shift else -1
            sent_text = sent_text or sent.text.strip()
            claims.append(Claim(kind="event", text=sent_text, fields=ev | {
                "sentence_start": sent.start_char - shift, "sentence_end": sent.end_char - shift,
            }, key=f"e:{cat}:{'|'.join(sorted(ev['actors']))}"))
    return claims


def _code(tok: Any, cat: str, places: list[tuple[Any, str]], res: _Resolver,
          time_words: list[str] | None = None) -> dict[str, Any] | None:
    covered = {tok.i}
    weak = False
    actors: list[str] = []
    targets: list[str] = []
    anchor = tok  # the token whose subtree carries places
    if tok.pos_ == "VERB":
        subj, passive = _subject(tok)
        agent = next((g for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)
        obj = next((c for c in tok.children if c.dep_ in ("dobj", "attr")), None)
        if passive:
            if agent is not None:
                actors = res.names(agent)
            if subj is not None:
                targets = res.names(subj)
        else:
            if subj is not None:
                actors = res.names(subj)
            if obj is not None:
                targets = res.names(obj)
                if category_of(obj) == cat:
                    covered.add(obj.i)
    else:
        # noun trigger: the verb that carries it ("held drills", "as part of drills" under "deployed")
        head = tok.head
        hops = 0
        while head.pos_ not in ("VERB", "AUX") and head.dep_ != "ROOT" and hops < 4:
            head, hops = head.head, hops + 1
        if head.pos_ in ("VERB", "AUX"):
            if tok.dep_ in ("nsubj", "nsubjpass"):
                # "The earthquake struck …": the noun is the event, its verb's object the target
                obj = next((c for c in head.children if c.dep_ in ("dobj",)), None)
                if obj is not None:
                    targets = res.names(obj)
                covered.add(head.i) if category_of(head) == cat else None
            else:
                subj, passive = _subject(head)
                if subj is not None and not passive:
                    actors = res.names(subj)
                if category_of(head) == cat:
                    covered.add(head.i)
            anchor = head
        # "Russia's drills", "Russian drills": possessive/nationality modifiers are actors
        for c in tok.children:
            if c.dep_ in ("poss", "amod", "compound"):
                m = res.at(c)
                if m is not None and m.type in ("NORP", "GPE", "ORG", "PERSON"):
                    actors.insert(0, actor_name(m))
        weak = tok.lemma_.lower() in _WEAK_NOUNS and not actors
    for c in list(tok.children) + ([] if anchor is tok else [c for c in anchor.children if c.dep_ == "prep"]):
        if c.dep_ == "prep" and c.lower_ == "with" and cat in _JOINT_CATS:
            for g in c.children:
                if g.dep_ == "pobj":
                    actors.extend(n for n in res.names(g) if n not in actors)
        if c.dep_ == "prep" and c.lower_ in ("against", "on", "at") and cat in ("attack", "sanction", "accuse", "threaten", "protest"):
            for g in c.children:
                if g.dep_ == "pobj" and not targets:
                    targets = res.names(g)
    if cat in _OUTCOMES and tok.pos_ == "VERB" and not targets:
        actors, targets = [], actors  # "two paratroopers died": the subject is who it happened to
    seen: set[str] = set()
    actors = [a for a in actors if not (a in seen or seen.add(a))]
    return {
        "action": cat, "trigger": tok.text, "lemma": tok.lemma_.lower(), "trigger_start": tok.idx,
        "actors": actors, "actor": ", ".join(actors) or None, "targets": targets, "target": ", ".join(targets) or None,
        "places": _places(anchor, places), "time_words": list(time_words or []), "_covered": covered,
        # a generic noun ("fire", "title") with nobody acting: kept for linking, not listed as a claim
        "weak": weak,
    }


__all__ = ["extract", "category_of", "mode_of", "MODES", "VERB_CATEGORY", "NOUN_CATEGORY", "actor_name"]
