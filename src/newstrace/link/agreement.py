"""Per-story entities, places and claims, with agreement across independent sources.

Claims from the story's articles are aligned (same count of the same thing, same quote, same
event) and marked:
- corroborated: stated by two or more independent sources;
- single-source: one source (copies of an article count with their original);
- conflicting: another independent source gives a different number for the same count
  (same counted class, owner and action).
A source is the outlet of an article's original: an article with `duplicate_of` set, or a
recycled article whose `recycled-from` link points at the text it repeats, counts with that original.
Event times come from the stored Enrichment.dates (the dates module), never re-resolved here.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any, Callable

from ..enrich.events import mode_of
from ..records import Article, Claim, Enrichment, Mention
from ..store import Store

ENTITY_TYPES = {"PERSON": "person", "ORG": "organisation", "NORP": "group", "GPE": "place", "LOC": "place",
                "FAC": "place", "EVENT": "event", "PRODUCT": "product", "WORK_OF_ART": "work", "LAW": "law"}
PLACE_LABELS = {"GPE", "LOC", "FAC"}
MAX_ENTITIES = 60
MAX_EVENTS = 80
_SAY = {"say", "tell", "add", "state", "report", "note", "write", "tweet", "explain", "comment", "reply", "respond"}


@dataclass
class _Item:
    """One claim as one article states it."""

    claim: Claim
    article: Article
    source: str            # independence key: outlet of the original (or its id)
    time: str | None = None
    recycled: bool = False


def story_facts(store: Store, article_ids: list[str]) -> dict[str, Any]:
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
    merged = _merge_names(arts, enr)
    entities, places = _entities_and_places(arts, enr, merged)
    items: dict[str, list[_Item]] = defaultdict(list)
    for a in arts:
        e = enr.get(a.id)
        if e is None:
            continue
        for c in e.claims:
            items[c.kind].append(_Item(c, a, sources[a.id], _time_of(c, e), a.id in recycled))
    claims = (_align_quantities(items["quantity"], merged) + _align_quotes(items["quote"], merged)
              + _align_events(items["event"], merged))
    order = {"conflicting": 0, "corroborated": 1, "single-source": 2}
    claims.sort(key=lambda c: (order[c["status"]], -len(c["sources"]), {"quantity": 0, "quote": 1, "event": 2}[c["kind"]]))
    return {"entities": entities, "places": places, "claims": claims}


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


def _sources(group: list[_Item]) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for it in group:
        a = it.article
        if a.id in seen:
            continue
        seen[a.id] = {"outlet": a.outlet, "article_id": a.id, "external_id": a.external_id,
                      "published": a.published.isoformat() if a.published else None,
                      "text": it.claim.text, "independent_source": it.source}
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


def _group(items: list[_Item], same: Callable[[dict[str, Any], dict[str, Any]], bool]) -> list[list[_Item]]:
    """Items in groups, in order: each joins the first group whose first item's claim fields it is `same` as."""
    groups: list[list[_Item]] = []
    for it in items:
        for g in groups:
            if same(it.claim.fields, g[0].claim.fields):
                g.append(it)
                break
        else:
            groups.append([it])
    return groups


def _same_quantity(f: dict[str, Any], h: dict[str, Any]) -> bool:
    """Two quantity claims count the same thing: class and unit equal, value, owner and action agreeing where known."""
    return (f.get("counted_class") == h.get("counted_class") and f.get("unit") == h.get("unit")
            and _values_agree(f, h) and _compatible(f.get("owner"), h.get("owner"))
            and _compatible(f.get("verb"), h.get("verb")))


def _align_quantities(items: list[_Item], merged: dict[str, str]) -> list[dict[str, Any]]:
    groups = _group(items, _same_quantity)
    out = []
    for g in groups:
        f = dict(g[0].claim.fields)
        owner = next((it.claim.fields.get("owner") for it in g if it.claim.fields.get("owner")), None)
        verb = next((it.claim.fields.get("verb") for it in g if it.claim.fields.get("verb")), None)
        src = [merged.get(s, s) for s in {it.claim.fields.get("source") for it in g} if s]
        out.append({"kind": "quantity", "text": g[0].claim.text, "status": _status(g), "sources": _sources(g),
                    "value": f.get("value"), "qualifier": f.get("qualifier"), "number": f.get("number"),
                    "counted": f.get("counted"), "counted_class": f.get("counted_class"), "unit": f.get("unit"),
                    "owner": owner, "verb": verb, "reported_by": sorted(src), "key": g[0].claim.key,
                    "_group": g})
    # Conflicts: the same count (class, owner, action all known and equal) with values that disagree,
    # given by different independent sources.
    for i, x in enumerate(out):
        for y in out[i + 1:]:
            if (x["counted_class"] == y["counted_class"] and x["unit"] == y["unit"] and x["owner"] and x["owner"] == y["owner"]
                    and x["verb"] and x["verb"] == y["verb"]
                    and {it.source for it in x["_group"]} != {it.source for it in y["_group"]}
                    and not (x["_group"][0].article.id == y["_group"][0].article.id and len(x["_group"]) == len(y["_group"]) == 1)):
                for a, b in ((x, y), (y, x)):
                    a["status"] = "conflicting"
                    a.setdefault("conflicts_with", []).append({"value": b["value"], "qualifier": b["qualifier"],
                                                               "text": b["text"], "sources": b["sources"]})
    for x in out:
        x.pop("_group")
    return out


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("’", "'"))


def _same_quote(a: str, b: str) -> bool:
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return False
    sa, sb = " ".join(wa), " ".join(wb)
    if sa in sb or sb in sa:  # a partial quote of the same words
        return min(len(wa), len(wb)) >= 4
    A, B = set(wa), set(wb)
    return len(A & B) / len(A | B) >= 0.6


def _align_quotes(items: list[_Item], merged: dict[str, str]) -> list[dict[str, Any]]:
    groups = _group(items, lambda f, h: _same_quote(f.get("words", ""), h.get("words", "")))
    out = []
    for g in groups:
        speakers = Counter(merged.get(s, s) for s in (it.claim.fields.get("speaker") for it in g) if s)
        longest = max(g, key=lambda it: len(it.claim.fields.get("words", "")))
        out.append({"kind": "quote", "text": longest.claim.text, "status": _status(g), "sources": _sources(g),
                    "words": longest.claim.fields.get("words"),
                    "speaker": speakers.most_common(1)[0][0] if speakers else None,
                    "verb": longest.claim.fields.get("verb"), "key": longest.claim.key})
    return out


def _align_events(items: list[_Item], merged: dict[str, str]) -> list[dict[str, Any]]:
    """Events of one story grouped by action with overlapping actors (or, without actors, overlapping places)."""
    claims = [it.claim for it in items]
    groups = [sub for members in cluster_events(claims, merged) for sub in split_by_actors(claims, members, merged)]
    out = []
    for members in groups:
        g = [items[i] for i in members]
        actors = Counter(merged.get(x, x) for it in g for x in it.claim.fields.get("actors") or [])
        targets = Counter(merged.get(x, x) for it in g for x in it.claim.fields.get("targets") or [])
        places = Counter(p for it in g for p in it.claim.fields.get("places") or [])
        times = Counter(it.time for it in g if it.time and not it.recycled) or Counter(it.time for it in g if it.time)
        action = g[0].claim.fields.get("action")
        if all(it.claim.fields.get("weak") for it in g):
            continue
        if action == "other" or (action == "statement" and all(it.claim.fields.get("lemma") in _SAY for it in g)):
            continue  # kept for linking; "X said" is listed as a quote, an unclassed verb is not a claim
        if not actors and not (places and targets):
            continue  # an action with nobody doing it (and nothing done to) is not a checkable event claim
        first = min(g, key=lambda it: (it.article.published is None, it.article.published or 0))
        out.append({"kind": "event", "text": first.claim.text, "status": _status(g), "sources": _sources(g),
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


__all__ = ["story_facts", "independent_sources", "cluster_events", "split_by_actors"]
