"""Per-story entities, places and claims, with agreement across independent sources.

Two claims agree only when they state the same fact:
- quantities: the same value (approximations within 10 %) of the same counted thing ("troops" and
  "soldiers" are one class; "people killed" is a death count), the owner and action compatible, and
  the two sentences about the same thing (sentence similarity with numbers masked, or the same
  action or owner named by both);
- quotes: the same words (one may quote part of the other), by the same speaker where both name one;
- events: the same action (event_identity), actors overlapping, targets compatible where both name
  one, and the sentences similar.
Whatever the fields, two sentences the pluggable sentence similarity (`set_sentence_similarity`) scores
as paraphrases agree when their values, speakers or actors allow it: that is how a translation
corroborates. The default similarity is lexical (content words) between sentences of one language, and
the multilingual encoder's cosine, calibrated onto the lexical scale, between languages
(`multilingual_similarity`). A sentence of a language without claim rules (a shallow claim,
enrich/foreign.py) agrees with another only as a paraphrase.

Marked per claim:
- corroborated: stated by two or more independent sources;
- single-source: one source (copies of an article count with their original);
- conflicting: another independent source gives a different number for the same count (same
  counted class, owner compatible, the same action or nearly the same sentence); both sides are
  listed with their sources.
A source is the outlet of an article's original: an article with `duplicate_of` set, or a
recycled article whose `recycled-from` link points at the text it repeats, counts with that original.
One sentence is one row: facts a sentence states under other kinds (or a second number) are listed
under `also` in the row of its main fact. Each source carries `cite`: outlet, day and title, never an id.
Event times come from the stored Enrichment.dates (the dates module), never re-resolved here.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable
from urllib.parse import urlparse

from ..enrich.events import mode_of
from ..records import Article, Claim, Enrichment, Mention
from ..store import Store
from .provenance import clip

ENTITY_TYPES = {"PERSON": "person", "ORG": "organisation", "NORP": "group", "GPE": "place", "LOC": "place",
                "FAC": "place", "EVENT": "event", "PRODUCT": "product", "WORK_OF_ART": "work", "LAW": "law"}
PLACE_LABELS = {"GPE", "LOC", "FAC"}
MAX_ENTITIES = 60
MAX_EVENTS = 80
_SAY = {"say", "tell", "add", "state", "report", "note", "write", "tweet", "explain", "comment", "reply", "respond"}

Similarity = Callable[[str, str], float]


@dataclass
class _Item:
    """One claim as one article states it."""

    claim: Claim
    article: Article
    source: str            # independence key: outlet of the original (or its id)
    time: str | None = None
    recycled: bool = False


def prefetch_vectors(store: Store, stories: list[list[str]]) -> None:
    """Encode at once the claim sentences of every story (given by its article ids) in several languages: what
    facts_of would encode story by story, in batches big enough for the worker pool (enrich/workers.py)."""
    texts: list[str] = []
    for ids in stories:
        arts = [a for a in (store.get_article(aid, head=True) for aid in ids) if a is not None]
        if len({a.language for a in arts if a.language}) < 2:
            continue
        for a in arts:
            e = store.get_enrichment(a.id)
            texts += [c.text for c in (e.claims if e is not None else []) if _statement_like(c.text)]
    if texts:
        sentence_vectors(texts[:_VECTORS_MAX // 2])   # bounded: the cache holds at most _VECTORS_MAX; the rest lazily


def story_facts(store: Store, article_ids: list[str], similarity: Similarity | None = None) -> dict[str, Any]:
    """`entities`, `places` and `claims` of a story (claims marked corroborated / single-source / conflicting)."""
    arts: list[Article] = []
    enr: dict[str, Enrichment] = {}
    for aid in article_ids:
        a = store.get_article(aid, head=True)
        if a is None:
            continue
        arts.append(a)
        e = store.get_enrichment(aid)
        if e is not None:
            enr[aid] = e
    sources = independent_sources(store, arts)
    # a recycled article's relative dates ("on Friday") resolve against a false claimed date
    recycled = {a.id for a in arts if ((store.article_state(a.id) or {}).get("recycled") or {}).get("is_recycled")}
    return facts_of(arts, enr, sources, recycled, similarity)


def facts_of(arts: list[Article], enr: dict[str, Enrichment], sources: dict[str, str],
             recycled: set[str] | frozenset[str] = frozenset(), similarity: Similarity | None = None) -> dict[str, Any]:
    """The story facts of given articles, enrichments and independence keys (no store needed)."""
    base = similarity or sentence_similarity()
    multi = MultilingualSimilarity() if base is multilingual_similarity else None
    sim = _cached(multi or base)
    merged = _merge_names(arts, enr)
    entities, places = _entities_and_places(arts, enr, merged)
    items: dict[str, list[_Item]] = defaultdict(list)
    claim_texts: set[str] = set()
    for a in arts:
        e = enr.get(a.id)
        if e is None:
            continue
        for c in e.claims:
            if _statement_like(c.text):
                items[c.kind].append(_Item(c, a, sources[a.id], _time_of(c, e), a.id in recycled))
                if multi is not None and a.language:
                    for t in (c.text, _masked(c.text), c.fields.get("words")):
                        if t:
                            multi.languages.setdefault(t, a.language)
                    claim_texts.add(c.text)
    if multi is not None and len(set(multi.languages.values())) > 1:
        # the claims' sentences are encoded in one batch when a comparison first crosses languages; their masked
        # forms and quoted words only one by one if ever (on 600 multilingual articles: 0 of 788 masked forms and
        # 62 of 173 quotes were compared across languages, a quarter of the encoding)
        multi.pending.update(claim_texts)
    claims = (_align_quantities(items["quantity"], merged, sim) + _align_quotes(items["quote"], merged, sim)
              + _align_events(items["event"], merged, sim))
    order = {"conflicting": 0, "corroborated": 1, "single-source": 2}
    claims.sort(key=lambda c: (order[c["status"]], -len({s["independent_source"] for s in c["sources"]}),
                               {"quantity": 0, "quote": 1, "event": 2}[c["kind"]]))
    return {"entities": entities, "places": places, "claims": one_row_per_sentence(claims)}


def independent_sources(store: Store, arts: list[Article]) -> dict[str, str]:
    """Article id → independence key (the outlet of the article it copies, else its own outlet)."""
    by_id = {a.id: a for a in arts}
    parent: dict[str, str] = {}
    for a in arts:
        st = store.article_state(a.id) or {}
        dup = st.get("duplicate_of")
        if dup:
            parent[a.id] = dup
            continue
        for link in store.links(a.id, kind="recycled-from"):
            if link.src == a.id and link.dst != a.id:
                parent[a.id] = link.dst
                break
    out: dict[str, str] = {}
    for a in arts:
        root, seen = a.id, {a.id}
        while root in parent and parent[root] not in seen:
            root = parent[root]
            seen.add(root)
        ra = by_id.get(root) or store.get_article(root, head=True)
        outlet = (ra.outlet if ra is not None else None) or (a.outlet if root == a.id else None)
        out[a.id] = f"outlet:{outlet.strip().lower()}" if outlet else f"article:{root}"
    return out


# --- sentence similarity ---------------------------------------------------------

_STOP = frozenset("""a an the and or but of to in on at by for with from into onto over under about after before
as is are was were be been being has have had do does did will would shall should can could may might must
this that these those it its they them their he she his her him we our us you your i me my who whom whose which
what when where why how not no nor than then there here also just only very more most some any all each other
such said says say told tell according while during since until against between through per via up down out off
mr mrs ms dr""".split())
_NUM = re.compile(r"\d[\d,.]*")
_TOKEN = re.compile(r"[^\W_]+", re.U)
_similarity: Similarity | None = None


def _stem(w: str) -> str:
    for suf in ("ing", "ed", "es", "s"):
        if len(w) > len(suf) + 3 and w.endswith(suf):
            return w[: -len(suf)]
    return w


@lru_cache(maxsize=50_000)
def content_words(text: str) -> frozenset[str]:
    """Lower-cased content words of a sentence, crudely stemmed, numbers left out (cached: aligning a story's
    events compares each sentence with every other, and recomputing the words was 45 of 58 s of linking 300 pages)."""
    return frozenset({_stem(w) for w in _TOKEN.findall(_NUM.sub(" ", text.lower())) if w not in _STOP and len(w) > 1 and not w.isdigit()})


def lexical_similarity(a: str, b: str) -> float:
    """Share of content words two sentences have in common (Dice over the sets; numbers ignored)."""
    wa, wb = content_words(a), content_words(b)
    if not wa or not wb:
        return 0.0
    return 2 * len(wa & wb) / (len(wa) + len(wb))


def set_sentence_similarity(fn: Similarity | None) -> None:
    """Plug a sentence similarity in (for example a multilingual encoder's cosine); None restores the default."""
    global _similarity
    _similarity = fn


def sentence_similarity() -> Similarity:
    """The similarity claims are compared with: the plugged one, else the default (`multilingual_similarity`)."""
    return _similarity or multilingual_similarity


# --- across languages ------------------------------------------------------------
#
# Words of two languages never meet, so there the default similarity is the cosine of the multilingual
# encoder's sentence vectors (enrich/embed.py: USE v3), mapped onto the lexical scale the thresholds were
# set on (`calibrated_cosine`). Within one language it stays lexical: the English figures do not move and
# the encoder is loaded only when a story compares sentences of two languages.
# Anchors measured by bench/calibrate_crosslingual.py (docs/claims.md): cosine → lexical-scale score.
COSINE_ANCHORS = ((0.0, 0.0), (0.4, 0.0), (0.55, 0.3), (0.7, 0.8), (1.0, 1.0))
_VECTORS: dict[str, Any] = {}      # sentence → unit vector (numpy), shared by every story
_VECTORS_MAX = 50_000
_SCRIPT = re.compile(r"[^\W\d_]")


def calibrated_cosine(c: float) -> float:
    """An encoder cosine on the lexical similarity's scale (piecewise linear through COSINE_ANCHORS)."""
    for (x0, y0), (x1, y1) in zip(COSINE_ANCHORS, COSINE_ANCHORS[1:]):
        if c <= x1:
            return y0 if c <= x0 else y0 + (y1 - y0) * (c - x0) / (x1 - x0)
    return COSINE_ANCHORS[-1][1]


@lru_cache(maxsize=65536)
def script_of(text: str) -> str:
    """The main script of a text's letters: "latin", "cyrillic", "greek", "arabic", "cjk", ... ("" without letters)."""
    if text.isascii():
        return "latin" if _SCRIPT.search(text) else ""
    counts: Counter[str] = Counter()
    for ch in _SCRIPT.findall(text[:400]):
        name = unicodedata.name(ch, "")
        counts["cjk" if name.startswith(("CJK", "HIRAGANA", "KATAKANA", "HANGUL")) else name.split(" ")[0].lower()] += 1
    return counts.most_common(1)[0][0] if counts else ""


def same_language(a: str, b: str, languages: dict[str, str] | None = None) -> bool:
    """Whether words of two sentences can meet: the same language where both are known (from the
    articles, `languages`: sentence → code), else the same script."""
    la, lb = (languages or {}).get(a), (languages or {}).get(b)
    if la and lb:
        return la == lb
    return script_of(a) == script_of(b)


def sentence_vectors(texts: list[str]) -> None:
    """Encode (batched) the sentences not yet cached."""
    missing = sorted({t for t in texts if t not in _VECTORS})
    if not missing:
        return
    import numpy as np

    from ..enrich.workers import encode_parallel
    if len(_VECTORS) + len(missing) > _VECTORS_MAX:
        _VECTORS.clear()
    for t, v in zip(missing, encode_parallel(missing)):
        _VECTORS[t] = np.asarray(v, dtype=np.float32)


def encoder_cosine(a: str, b: str) -> float:
    """The multilingual encoder's cosine of two sentences (vectors cached per sentence)."""
    sentence_vectors([a, b])
    return float(_VECTORS[a] @ _VECTORS[b])


class MultilingualSimilarity:
    """The default similarity: lexical within a language, the calibrated encoder cosine across languages.
    `languages` (sentence → language of its article) is filled by facts_of; sentences queued in `pending`
    are encoded in one batch when the first cross-language comparison needs a vector."""

    def __init__(self, languages: dict[str, str] | None = None) -> None:
        self.languages: dict[str, str] = dict(languages or {})
        self.pending: set[str] = set()

    def __call__(self, a: str, b: str) -> float:
        if same_language(a, b, self.languages):
            return lexical_similarity(a, b)
        if a not in _VECTORS or b not in _VECTORS:
            sentence_vectors([*self.pending, a, b])
            self.pending.clear()
        return calibrated_cosine(float(_VECTORS[a] @ _VECTORS[b]))


def multilingual_similarity(a: str, b: str) -> float:
    """Lexical when two sentences share a script, else the calibrated encoder cosine. Without the articles'
    languages two languages of one script (Polish, English) are compared lexically: `MultilingualSimilarity`
    with the languages is what facts_of uses."""
    return lexical_similarity(a, b) if same_language(a, b) else calibrated_cosine(encoder_cosine(a, b))


def _cached(fn: Similarity) -> Similarity:
    memo: dict[tuple[str, str], float] = {}

    def sim(a: str, b: str) -> float:
        key = (a, b) if a <= b else (b, a)
        if key not in memo:
            memo[key] = fn(*key)
        return memo[key]
    return sim


# A paraphrase by the plugged similarity (or nearly the same words): enough, with compatible fields,
# for claims that no structured field ties together (another language, other wording).
PARAPHRASE = 0.8
SAME_CONTEXT = 0.3    # the sentences around two equal numbers speak of the same thing
SAME_EVENT = 0.3     # two sentences with the same action and actors report the same happening (set on ECB+ dev)
CONFLICT_CONTEXT = 0.5


def _statement_like(text: str) -> bool:
    """A sentence a source states: not a teaser or menu line ("China furious at Macron… [INSIGHT]|")."""
    t = text.strip()
    if len(t.split()) < 5 or "|" in t or re.search(r"\[[A-Z][A-Z ]+\]", t):
        return False
    return True


# --- claims --------------------------------------------------------------------

def _time_of(c: Claim, e: Enrichment) -> str | None:
    """The absolute day of an event from the dates module's results for its sentence."""
    if c.kind != "event":
        return None
    s, t = c.fields.get("sentence_start", -1), c.fields.get("sentence_end", -1)
    for d in e.dates:
        if d.char >= 0 and s <= d.char < t and d.about:
            return d.start.isoformat() if d.start == d.end else f"{d.start.isoformat()}/{d.end.isoformat()}"
    return None


def cite(a: Article) -> str:
    """How a source is named to a reader: outlet (else the site), day and title; never an internal id."""
    outlet = (a.outlet or "").strip() or (urlparse(a.url).netloc.removeprefix("www.") if a.url else "") or "unknown outlet"
    parts = [outlet]
    if a.published is not None:
        parts.append(a.published.date().isoformat())
    if a.title:
        parts.append(f"“{clip(a.title.strip(), 90)}”")
    return " · ".join(parts)


def _says(c: Claim, merged: dict[str, str]) -> str | None:
    f = c.fields
    if c.kind == "quantity":
        return " ".join(str(x) for x in (f.get("qualifier"), f.get("number"), f.get("counted") or f.get("unit")) if x) or None
    if c.kind == "quote":
        sp = f.get("speaker")
        return merged.get(sp, sp) if sp else None
    return f.get("trigger")


def _sources(group: list[_Item], merged: dict[str, str] | None = None) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for it in group:
        a = it.article
        if a.id in seen:
            continue
        seen[a.id] = {"outlet": a.outlet, "article_id": a.id, "external_id": a.external_id, "title": a.title,
                      "url": a.url, "published": a.published.isoformat() if a.published else None,
                      "cite": cite(a), "text": clip(it.claim.text, 600), "says": _says(it.claim, merged or {}),
                      "independent_source": it.source}
    return list(seen.values())


def _status(group: list[_Item]) -> str:
    return "corroborated" if len({it.source for it in group}) >= 2 else "single-source"


def _values_agree(a: dict[str, Any], b: dict[str, Any]) -> bool:
    va, vb = a.get("value"), b.get("value")
    if va is None or vb is None:
        return False
    if va == vb:
        return True
    approx = a.get("qualifier") or b.get("qualifier") or a.get("vague") or b.get("vague")
    return bool(approx) and abs(va - vb) <= 0.1 * max(abs(va), abs(vb))


def _compatible(x: Any, y: Any) -> bool:
    return x is None or y is None or x == y


def _group(items: list[_Item], same: Callable[[_Item, _Item], bool], complete: bool = False) -> list[list[_Item]]:
    """Items in groups, in order: each joins the first group whose first item (with `complete`: every
    item from another article) it is `same` as."""
    groups: list[list[_Item]] = []
    for it in items:
        for g in groups:
            if same(it, g[0]) and (not complete or all(same(it, o) for o in g[1:] if o.article.id != it.article.id)):
                g.append(it)
                break
        else:
            groups.append([it])
    return groups


_DEATH_VERBS = {"kill", "die", "perish", "drown", "dead", "claim", "slay", "murder"}
_INJURY_VERBS = {"injure", "wound", "hurt", "hospitalise", "hospitalize"}
_GENERIC = {"", "money", "%"}   # a bare unit says too little to tie two numbers to one thing by itself


def fact_class(f: dict[str, Any]) -> str:
    """What a number counts, as one key: "65 people killed" and "65 dead" are both a death count."""
    cls = str(f.get("counted_class") or f.get("unit") or "")
    verb = str(f.get("verb") or "")
    if cls in ("person", "child", "troop", "police", "migrant") and verb in _DEATH_VERBS:
        return "death"
    if cls in ("person", "child", "troop", "police", "migrant") and verb in _INJURY_VERBS:
        return "injury"
    return cls + (":" + str(f.get("unit")) if f.get("unit") and f.get("counted_class") not in (None, "", f.get("unit")) else "")


def _masked(text: str) -> str:
    return _NUM.sub(" ", text)


def _same_quantity(x: _Item, y: _Item, merged: dict[str, str], sim: Similarity) -> bool:
    """Two quantity claims state the same count: the same value of the same thing in the same context."""
    f, h = x.claim.fields, y.claim.fields
    if not _values_agree(f, h):
        return False
    fo, ho = f.get("owner"), h.get("owner")
    if not _compatible(merged.get(fo, fo) if fo else None, merged.get(ho, ho) if ho else None):
        return False
    s = sim(_masked(x.claim.text), _masked(y.claim.text))
    if fact_class(f) != fact_class(h) or fact_class(f) in _GENERIC:
        return s >= PARAPHRASE and (fact_class(f) == fact_class(h) or not f.get("counted_class") or not h.get("counted_class"))
    if f.get("verb") and h.get("verb") and f["verb"] != h["verb"] and fact_class(f) not in ("death", "injury"):
        return s >= PARAPHRASE
    tied = (f.get("verb") and f.get("verb") == h.get("verb")) or (fo and ho)
    return s >= SAME_CONTEXT or bool(tied and s >= SAME_CONTEXT / 2)


def _conflict(x: dict[str, Any], y: dict[str, Any], merged: dict[str, str], sim: Similarity) -> bool:
    """Two quantity rows give different numbers for the same count, from different sources.

    The same count: nearly the same sentence with another number; or a death or injury toll in
    sentences about the same thing; or the same owner doing the same thing in sentences about the same
    thing. Two numbers of one class alone are not enough: a match report gives every player's points.
    """
    gx, gy = x["_group"], y["_group"]
    f, h = gx[0].claim.fields, gy[0].claim.fields
    fc = fact_class(f)
    if fc != fact_class(h) or f.get("unit") != h.get("unit"):
        return False
    if f.get("vague") or h.get("vague") or _values_agree(f, h):
        return False
    sx, sy = {it.source for it in gx}, {it.source for it in gy}
    if sx == sy or (sx & sy and len(gx) == len(gy) == 1):
        return False
    if x["owner"] and y["owner"] and x["owner"] != y["owner"]:
        return False
    s = max(sim(_masked(a.claim.text), _masked(b.claim.text)) for a in gx for b in gy)
    if s >= PARAPHRASE:
        return True
    if fc in _GENERIC or not re.fullmatch(r"[^\W\d_]{3,}", fc) or x["_crowded"] or y["_crowded"]:
        return False   # "three of the seven bullets": which number is the count is not known
    if fc in ("death", "injury"):
        return s >= SAME_CONTEXT
    if x["owner"] and x["owner"] == y["owner"] and x["verb"] and x["verb"] == y["verb"]:
        return s >= SAME_CONTEXT
    return s >= CONFLICT_CONTEXT


def _align_quantities(items: list[_Item], merged: dict[str, str], sim: Similarity) -> list[dict[str, Any]]:
    groups = _group(items, lambda a, b: _same_quantity(a, b, merged, sim))
    per_sentence = Counter((it.article.id, it.claim.text, fact_class(it.claim.fields)) for it in items)
    out = []
    for g in groups:
        f = dict(g[0].claim.fields)
        owner = next((it.claim.fields.get("owner") for it in g if it.claim.fields.get("owner")), None)
        verb = next((it.claim.fields.get("verb") for it in g if it.claim.fields.get("verb")), None)
        src = [merged.get(s, s) for s in {it.claim.fields.get("source") for it in g} if s]
        out.append({"kind": "quantity", "text": clip(g[0].claim.text, 600), "status": _status(g),
                    "sources": _sources(g, merged), "value": f.get("value"), "qualifier": f.get("qualifier"),
                    "number": f.get("number"), "counted": f.get("counted"), "counted_class": f.get("counted_class"),
                    "unit": f.get("unit"), "owner": merged.get(owner, owner) if owner else None, "verb": verb,
                    "reported_by": sorted(src), "key": g[0].claim.key, "_group": g,
                    "_crowded": any(per_sentence[(it.article.id, it.claim.text, fact_class(it.claim.fields))] > 1 for it in g)})
    for i, x in enumerate(out):
        for y in out[i + 1:]:
            if _conflict(x, y, merged, sim):
                for a, b in ((x, y), (y, x)):
                    a["status"] = "conflicting"
                    a.setdefault("conflicts_with", []).append({"value": b["value"], "qualifier": b["qualifier"],
                                                               "number": b["number"], "text": b["text"],
                                                               "sources": b["sources"]})
    for x in out:
        x.pop("_group")
        x.pop("_crowded")
    return out


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.lower().replace("’", "'"))


def _same_words(a: str, b: str, sim: Similarity) -> bool:
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return False
    sa, sb = " ".join(wa), " ".join(wb)
    if sa in sb or sb in sa:  # a partial quote of the same words
        return min(len(wa), len(wb)) >= 4
    A, B = set(wa), set(wb)
    return len(A & B) / len(A | B) >= 0.6 or (min(len(wa), len(wb)) >= 6 and sim(a, b) >= PARAPHRASE)


def _same_quote(x: _Item, y: _Item, merged: dict[str, str], sim: Similarity) -> bool:
    """The same quote by the same speaker (either may be unattributed)."""
    sx, sy = x.claim.fields.get("speaker"), y.claim.fields.get("speaker")
    if sx and sy and not _same_person(merged.get(sx, sx), merged.get(sy, sy)):
        return False
    return _same_words(x.claim.fields.get("words", ""), y.claim.fields.get("words", ""), sim)


def _same_person(a: str, b: str) -> bool:
    """"Khrenin" and "Viktor Khrenin" name one speaker; "Khrenin" and "Lukashenko" do not."""
    if a == b:
        return True
    ta, tb = a.lower().split(), b.lower().split()
    return bool(ta and tb) and ta[-1] == tb[-1]


def _align_quotes(items: list[_Item], merged: dict[str, str], sim: Similarity) -> list[dict[str, Any]]:
    groups = _group(items, lambda a, b: _same_quote(a, b, merged, sim))
    out = []
    for g in groups:
        speakers = Counter(merged.get(s, s) for s in (it.claim.fields.get("speaker") for it in g) if s)
        longest = max(g, key=lambda it: len(it.claim.fields.get("words", "")))
        out.append({"kind": "quote", "text": clip(longest.claim.text, 600), "status": _status(g),
                    "sources": _sources(g, merged), "words": longest.claim.fields.get("words"),
                    "speaker": max(speakers, key=lambda s: (speakers[s], len(s))) if speakers else None,
                    "verb": longest.claim.fields.get("verb"), "key": longest.claim.key})
    return out


def _actor_keys(actors: list[str], merged: dict[str, str]) -> set[str]:
    from ..enrich.places import country_of_demonym, geocode

    out: set[str] = set()
    for a in actors:
        name = merged.get(a, a)
        out.add(name)
        words = name.split()
        first = words[0] if words else ""
        p = country_of_demonym(first) or (geocode(first) if first[:1].isupper() else None)
        if p is not None and p.kind == "country" and len(words) > 1:
            out.add(p.name)
    return out


def _same_event(x: _Item, y: _Item, merged: dict[str, str], sim: Similarity) -> bool:
    """The same who-did-what-to-whom: one action, shared actors, compatible targets, similar sentences."""
    f, h = x.claim.fields, y.claim.fields
    if f.get("shallow") or h.get("shallow"):
        # a sentence of a language without claim rules (enrich/foreign.py): no action or roles to compare,
        # so only a paraphrase (a translation) states the same event
        return sim(x.claim.text, y.claim.text) >= PARAPHRASE
    if event_identity(x.claim) != event_identity(y.claim):
        return False
    ax, ay = _actor_keys(f.get("actors") or [], merged), _actor_keys(h.get("actors") or [], merged)
    if not (ax and ay and ax & ay):
        return False
    if _particle(x.claim) != _particle(y.claim):
        return False   # "checked into rehab" is not "checked out of rehab"
    tx, ty = _actor_keys(f.get("targets") or [], merged), _actor_keys(h.get("targets") or [], merged)
    if tx and ty and not tx & ty:
        return False
    return sim(x.claim.text, y.claim.text) >= SAME_EVENT


_PARTICLES = {"in": "in", "into": "in", "out": "out", "off": "off", "up": "up", "down": "down", "back": "back", "away": "away"}


def _particle(c: Claim) -> str | None:
    """The particle right after an event's verb ("check *out*", "call *off*"), which changes what happened."""
    f = c.fields
    local = f.get("trigger_start", -1) - f.get("sentence_start", 0)
    trig = str(f.get("trigger") or "")
    if local < 0 or c.text[local:local + len(trig)] != trig:
        i = c.text.find(trig) if trig else -1
        if i < 0:
            return None
        local = i
    nxt = re.match(r"[\s-]*([A-Za-z]+)", c.text[local + len(trig):])
    return _PARTICLES.get(nxt.group(1).lower()) if nxt else None


def _align_events(items: list[_Item], merged: dict[str, str], sim: Similarity) -> list[dict[str, Any]]:
    """Event mentions grouped into checkable facts: the same action by overlapping actors, in similar sentences."""
    listed = []
    for it in items:
        f = it.claim.fields
        if f.get("weak"):
            continue
        if f.get("action") == "other" or (f.get("action") == "statement" and f.get("lemma") in _SAY):
            continue  # kept for linking; "X said" is listed as a quote, an unclassed verb is not a claim
        if not f.get("shallow") and not f.get("actors") and not (f.get("places") and f.get("targets")):
            continue  # an action with nobody doing it (and nothing done to) is not a checkable event claim
        listed.append(it)
    listed.sort(key=lambda it: bool(it.claim.fields.get("shallow")))   # a row takes its fields from a parsed claim
    out = []
    for g in _group(listed, lambda a, b: _same_event(a, b, merged, sim), complete=True):
        if all(it.claim.fields.get("shallow") for it in g) and _status(g) == "single-source":
            continue   # a sentence nobody else states is not listed as an event
        actors = Counter(merged.get(x, x) for it in g for x in it.claim.fields.get("actors") or [])
        targets = Counter(merged.get(x, x) for it in g for x in it.claim.fields.get("targets") or [])
        places = Counter(p for it in g for p in it.claim.fields.get("places") or [])
        times = Counter(it.time for it in g if it.time and not it.recycled) or Counter(it.time for it in g if it.time)
        first = min(g, key=lambda it: (it.article.published is None, it.article.published or 0))
        out.append({"kind": "event", "text": clip(first.claim.text, 600), "status": _status(g), "sources": _sources(g, merged),
                    "action": g[0].claim.fields.get("action"),
                    "actor": ", ".join(a for a, _ in actors.most_common(3)) or None,
                    "actors": [a for a, _ in actors.most_common()],
                    "target": ", ".join(t for t, _ in targets.most_common(2)) or None,
                    "place": places.most_common(1)[0][0] if places else None,
                    "places": [p for p, _ in places.most_common()],
                    "time": times.most_common(1)[0][0] if times else None,
                    "triggers": sorted({it.claim.fields.get("trigger", "") for it in g}), "mentions": len(g)})
    out.sort(key=lambda c: (-len({s["independent_source"] for s in c["sources"]}), -c["mentions"]))
    return out[:MAX_EVENTS]


def label(c: dict[str, Any]) -> str:
    """A short name for a claim row from its kind-specific fields."""
    kind = c.get("kind")
    if kind == "quantity" and c.get("number"):
        parts = [c.get("owner"), c.get("verb"), c.get("qualifier"), str(c.get("number")), c.get("counted") or c.get("unit")]
    elif kind == "quote":
        return f"{c.get('speaker') or 'unattributed'}: “{clip(c.get('words') or '', 200)}”"
    elif kind == "event" and c.get("action"):
        parts = [c.get("actor"), c.get("action"), c.get("target"), ("in " + c["place"]) if c.get("place") else None]
    else:
        parts = []
    return " ".join(str(p) for p in parts if p) or (c.get("text") or "")


def one_row_per_sentence(claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows in order, one per sentence set: a row whose sentences another (earlier, stronger) row already shows
    becomes an `also` entry of that row."""
    rows: list[dict[str, Any]] = []
    by_key: dict[tuple[str, ...], dict[str, Any]] = {}
    by_text: dict[str, dict[str, Any]] = {}
    for c in claims:
        key = tuple(sorted(f"{s['article_id']}\x00{s['text']}" for s in c["sources"]))
        host = by_key.get(key) or by_text.get(c["text"])
        if host is not None:
            host.setdefault("also", []).append({"kind": c["kind"], "status": c["status"], "label": label(c),
                                                **({"conflicts_with": c["conflicts_with"]} if c.get("conflicts_with") else {})})
            continue
        c["label"] = label(c)
        rows.append(c)
        by_key.setdefault(key, c)
        by_text.setdefault(c["text"], c)
    return rows


# --- entities and places -------------------------------------------------------

def _merge_names(arts: list[Article], enr: dict[str, Enrichment]) -> dict[str, str]:
    """Story-wide alias map: canonical → merged name ("Lukashenko" → "Alexander Lukashenko" from another article)."""
    persons = Counter(m.canonical for e in enr.values() for m in e.mentions if m.type == "PERSON")
    full = sorted((n for n in persons if len(n.split()) > 1), key=lambda n: (-len(n.split()), -persons[n]))
    out: dict[str, str] = {}
    for n in persons:
        if len(n.split()) > 1 and n in full:
            continue
        cands = [f for f in full if f.endswith(" " + n)]
        if len({c for c in cands}) >= 1:
            best = max(cands, key=lambda c: persons[c])
            # a surname shared by two different full names stays unmerged
            if len(cands) == 1 or persons[best] > 2 * sorted((persons[c] for c in cands), reverse=True)[1]:
                out[n] = best
    for f in full:  # "Ursula von der Leyen" and "von der Leyen": shorter multi-word names too
        cands = [g for g in full if g != f and g.endswith(" " + f)]
        if len(cands) == 1:
            out[f] = cands[0]
    return out


def _entities_and_places(arts: list[Article], enr: dict[str, Enrichment],
                         merged: dict[str, str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    ents: dict[tuple[str, str], dict[str, Any]] = {}
    places: dict[str, dict[str, Any]] = {}
    for a in arts:
        e = enr.get(a.id)
        if e is None:
            continue
        for m in e.mentions:
            if m.type in PLACE_LABELS:
                _add_place(places, m, a.id)
                if m.type == "GPE" and m.lat is not None:
                    continue  # a geocoded country or city is listed under places
            etype = ENTITY_TYPES.get(m.type)
            if etype is None:
                continue
            name = merged.get(m.canonical, m.canonical)
            if m.type == "GPE":
                etype = "country" if m.country == name else "place"
            key = (name, etype)
            rec = ents.setdefault(key, {"name": name, "type": etype, "aliases": Counter(), "mentions": 0, "articles": set()})
            rec["aliases"][_surface(m.text)] += 1
            rec["mentions"] += 1
            rec["articles"].add(a.id)
    ent_list = []
    for rec in sorted(ents.values(), key=lambda r: (-len(r["articles"]), -r["mentions"], r["name"]))[:MAX_ENTITIES]:
        aliases = [s for s, _ in rec["aliases"].most_common() if s and s != rec["name"]]
        ent_list.append({"name": rec["name"], "type": rec["type"], "aliases": aliases,
                         "mentions": rec["mentions"], "articles": len(rec["articles"])})
    place_list = []
    for rec in sorted(places.values(), key=lambda r: (-len(r["articles"]), -r["mentions"], r["key"])):
        name = rec["names"].most_common(1)[0][0]
        aliases = [n for n, _ in rec["names"].most_common() if n != name]
        if rec.get("gazetteer") and rec["gazetteer"] != name and rec["gazetteer"] not in aliases:
            aliases.append(rec["gazetteer"])
        place_list.append({"name": name, "lat": rec["lat"], "lon": rec["lon"], "country": rec["country"],
                           "kind": rec["kind"], "aliases": aliases, "mentions": rec["mentions"],
                           "articles": len(rec["articles"])})
    return ent_list, place_list


def _surface(text: str) -> str:
    s = re.sub(r"\s+", " ", text).strip(" \"'“”‘’.,;:")
    s = re.sub(r"(?i)^the\s+", "", s)
    return re.sub(r"['’]s?$", "", s).strip()


def _add_place(places: dict[str, dict[str, Any]], m: Mention, aid: str) -> None:
    from ..enrich.places import geocode

    p = geocode(m.canonical) if m.lat is not None else None
    key = f"{m.lat:.3f},{m.lon:.3f}" if m.lat is not None and m.lon is not None else "name:" + m.canonical.lower()
    rec = places.setdefault(key, {"key": key, "names": Counter(), "lat": m.lat, "lon": m.lon, "country": m.country,
                                  "kind": p.kind if p else ("place" if m.lat is None else "place"),
                                  "gazetteer": p.name if p else None, "mentions": 0, "articles": set()})
    rec["names"][m.canonical] += 1
    rec["mentions"] += 1
    rec["articles"].add(aid)


def cluster_events(claims: list[Claim], merged: dict[str, str] | None = None) -> list[list[int]]:
    """Indices of event claims grouped into one story-level event each: one per action class
    (uncategorised verbs and event nouns, contests and statements: one per word; see event_identity).

    Measured on ECB+ (bench/eval_mentions.py), splitting a class further by actor overlap lost far
    more true links than it saved (actors are named differently across outlets: "police", "LAPD"),
    so within a story an action class is one event; its actors, places and times are listed with it.
    """
    groups: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(claims):
        groups[event_identity(c)].append(i)
    return list(groups.values())


# A killing and the death it caused are one happening; games, rounds and statements come many to a
# story, so they are one event only when named by the same word.
_KILLING = {"kill", "murder", "slay", "killing", "homicide", "massacre", "behead"}  # not "manslaughter": the charge, a crime
_BY_WORD = {"contest", "statement", "other"}


def event_identity(c: Claim) -> str:
    """The key under which event mentions of one story are taken to be the same event."""
    action = str(c.fields.get("action", ""))
    lemma = str(c.fields.get("lemma", ""))
    if lemma in _KILLING:
        return "death"
    if action in _BY_WORD:
        return f"{action}:{lemma}"
    mode = mode_of(action, lemma)  # an arrest and the charges are two events of one story (enrich/events.py)
    return f"{action}:{mode}" if mode else action


def split_by_actors(claims: list[Claim], members: list[int], merged: dict[str, str] | None = None) -> list[list[int]]:
    """One story event split into claims that can agree: the same actors (or, without actors, the same
    places); an actor also counts for its country ("Russian Defense Ministry" → Russia)."""
    from ..enrich.places import country_of_demonym, geocode

    merged = merged or {}

    def keys(actor: str) -> set[str]:
        out = {actor}
        words = actor.split()
        first = words[0] if words else ""
        p = country_of_demonym(first) or (geocode(first) if first[:1].isupper() else None)
        if p is not None and p.kind == "country" and len(words) > 1:
            out.add(p.name)
        return out

    groups: list[tuple[set[str], set[str], list[int]]] = []
    bare: list[int] = []
    for i in members:
        f = claims[i].fields
        actors = {k for a in f.get("actors") or [] for k in keys(merged.get(a, a))}
        places = set(f.get("places") or [])
        if not actors and not places:
            bare.append(i)
            continue
        for ga, gp, mem in groups:
            if (actors and ga and actors & ga) or (not actors and not ga and places & gp):
                ga |= actors
                gp |= places
                mem.append(i)
                break
        else:
            groups.append((set(actors), set(places), [i]))
    if groups:
        max(groups, key=lambda g: len(g[2]))[2].extend(bare)
    elif bare:
        groups.append((set(), set(), bare))
    return [g[2] for g in groups]


__all__ = ["story_facts", "facts_of", "independent_sources", "cluster_events", "split_by_actors", "event_identity",
           "set_sentence_similarity", "sentence_similarity", "lexical_similarity", "content_words", "fact_class", "cite",
           "label", "one_row_per_sentence"]
