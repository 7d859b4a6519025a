"""A seeded, realistic corpus for copies and recycled articles, built from the real ECB+ dev articles.

From `ecbplus-dev.jsonl` (two real events per topic, `<topic>_ecb` and `<topic>_ecbplus`):
- genuine reports: every article with text, under a claimed date consistent with its story
  (the member articles' own published dates, else the day its members' texts name most,
  never before a day-level date the article itself names near that day);
- recycled copies: a report re-posted 2–6 years later by another outlet as plain text in
  page chrome (site name, date line, new headline, related-articles list, player, newsletter),
  often trimmed or with a paragraph added; half keep the original in the corpus, half drop it;
- syndicated copies: re-posted the same day by another outlet (copies, not recycled);
- hard negatives: the other event of each topic (a similar story from a different year) is in
  the corpus with its own dates, and follow-ups: a later genuine report of one event that quotes
  a passage of an earlier report of the topic as dated background (neither copy nor recycled).

Gold labels say, per item, whether it is recycled and which article it copies.
Nothing here is read by newstrace itself.
"""
from __future__ import annotations

import json
import os
import random
import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

DEV_DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "ecbplus-dev.jsonl"
if not DEV_DATA.exists():
    DEV_DATA = Path("/work/shared/data/ecbplus-dev.jsonl")

_MON = "January|February|March|April|May|June|July|August|September|October|November|December"
_MONTHS = {m: i + 1 for i, m in enumerate(_MON.split("|"))}
_FULL = re.compile(rf"\b({_MON})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)\b|\b(\d{{1,2}})\s+({_MON})\s+((?:19|20)\d\d)\b")
_DATE_FORMATS = ("%A, %b %d, %Y", "%B %d, %Y", "%d %B %Y", "%A %d %B %Y")
_TAGLINES = ("Focus on the big picture.", "News you can trust.", "Your window on the world.", "Independent news, every day.",
             "All the news that matters.", "Stories from around the globe.")
_OUTLET_WORDS = ("Daily", "Courier", "Herald", "Ledger", "Gazette", "Dispatch", "Observer", "Chronicle", "Sentinel", "Tribune",
                 "Post", "Times", "Monitor", "Review", "Express", "Journal")
_PLACES = ("London", "Avon", "Harbor", "Northfield", "Westbrook", "Lakeside", "Riverdale", "Eastport", "Highland", "Fairview",
           "Kingston", "Milton", "Ashford", "Bayside", "Oakridge", "Granite")


@dataclass
class Item:
    """One corpus document with its gold labels."""

    key: str                       # unique name in this corpus
    kind: str                      # genuine | recycled | syndicated | followup
    record: dict[str, Any]         # JSONL-shaped article (id, url, outlet, title, published, text)
    page: str | None = None        # the same article as a plain-text page in chrome (copies only)
    source: str | None = None      # key of the article it copies (recycled / syndicated)
    source_present: bool = True
    story: str = ""
    topic: str = ""
    expect_recycled: bool = False
    event_date: str | None = None  # when the reported events happened (gold)
    modifications: list[str] = field(default_factory=list)


@dataclass
class Corpus:
    """Items in a fixed order, and which topics they come from."""

    items: list[Item]
    topics: list[str]
    seed: int

    def by_key(self) -> dict[str, Item]:
        """Items by key."""
        return {i.key: i for i in self.items}

    def write(self, folder: Path, pages: bool = True) -> list[Path]:
        """Write genuine reports as one JSONL file and copies as .txt pages (or all as JSONL records); returns the paths."""
        folder.mkdir(parents=True, exist_ok=True)
        records = folder / "articles.jsonl"
        out = [records]
        with records.open("w", encoding="utf-8") as f:
            for it in self.items:
                if pages and it.page is not None:
                    p = folder / "pages" / f"{it.key}.txt"
                    p.parent.mkdir(exist_ok=True)
                    p.write_text(it.page, encoding="utf-8")
                    continue
                f.write(json.dumps(it.record, ensure_ascii=False) + "\n")
        # A crawler first sees a page when it is published: file times stand for first-seen times
        # (the records file, an archive, at its earliest claim; each page at its own claim).
        claims = [datetime.fromisoformat(i.record["published"]).timestamp() for i in self.items if i.record.get("published")]
        if claims:
            os.utime(records, (min(claims), min(claims)))
        for it in self.items:
            p = folder / "pages" / f"{it.key}.txt"
            if pages and it.page is not None and p.exists():
                t = datetime.fromisoformat(it.record["published"]).timestamp()
                os.utime(p, (t, t))
        if pages and any(i.page for i in self.items):
            out.append(folder / "pages")
        (folder / "gold.json").write_text(json.dumps([{k: v for k, v in vars(i).items() if k not in ("record", "page")}
                                                      for i in self.items], indent=0), encoding="utf-8")
        return out


def load_dev(path: Path = DEV_DATA) -> list[dict[str, Any]]:
    """The dev articles that have text."""
    with path.open(encoding="utf-8") as f:
        recs = [json.loads(line) for line in f if line.strip()]
    return [r for r in recs if len((r.get("text") or "").split()) >= 25]


def topics_of(recs: list[dict[str, Any]]) -> list[str]:
    """Topic numbers in numeric order."""
    return sorted({r["gold_story"].split("_")[0] for r in recs}, key=int)


def split_topics(recs: list[dict[str, Any]], held_out_every: int = 4) -> tuple[list[str], list[str]]:
    """(dev topics, held-out topics): every fourth topic is held out (never used for tuning)."""
    ts = topics_of(recs)
    held = [t for i, t in enumerate(ts) if i % held_out_every == held_out_every - 1]
    return [t for t in ts if t not in held], held


def _parse_published(s: str | None) -> date | None:
    if not s:
        return None
    m = _FULL.search(s.replace("Sept", "September"))
    if m is None:
        m2 = re.search(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+(\d{1,2})\w*,?\s+((?:19|20)\d\d)", s, re.I)
        if not m2:
            return None
        mon = [k for k in _MONTHS if k.lower().startswith(m2.group(1).lower()[:3])][0]
        return _safe(int(m2.group(3)), _MONTHS[mon], int(m2.group(2)))
    return _from_full(m)


def _from_full(m: re.Match[str]) -> date | None:
    if m.group(1):
        return _safe(int(m.group(3)), _MONTHS[m.group(1)], int(m.group(2)))
    return _safe(int(m.group(6)), _MONTHS[m.group(5)], int(m.group(4)))


def _safe(y: int, mo: int, d: int) -> date | None:
    try:
        return date(y, mo, d)
    except ValueError:
        return None


def story_dates(recs: list[dict[str, Any]]) -> dict[str, date]:
    """A plausible event day per gold story: its members' published days, else the day their texts name most."""
    by_story: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in recs:
        by_story[r["gold_story"]].append(r)
    out = {}
    for sid, members in by_story.items():
        pub = [d for d in (_parse_published(r.get("published")) for r in members) if d]
        if pub:
            out[sid] = sorted(pub)[len(pub) // 2]
            continue
        # Reports name earlier days as background and rarely later ones, so the event is no earlier than
        # the latest day any member names (bounded by the corpus's collection years).
        named = [d for r in members for d in (_from_full(m) for m in _FULL.finditer(r["text"])) if d and 1995 <= d.year <= 2014]
        if named:
            out[sid] = max(named)
            continue
        years = [int(y) for r in members for y in re.findall(r"\b((?:19|20)\d\d)\b", r["text"]) if 1995 <= int(y) <= 2014]
        year = max(years + [2008 if sid.endswith("_ecb") else 2013])
        out[sid] = date(year, 6, 15)
    return out


def _outlet(r: dict[str, Any]) -> str:
    if r.get("url"):
        host = urlparse(r["url"]).netloc.lower()
        host = re.sub(r"^(www\d?|articles|edition|news|usatoday30)\.", "", host)
        return host
    return f"source-{r['id']}"


def _fake_outlet(rng: random.Random) -> str:
    return f"{rng.choice(_PLACES)} {rng.choice(_OUTLET_WORDS)}"


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def _own_dateline(text: str) -> date | None:
    """The date a text gives for itself in a short line at its top ("Published: July 29, 2004", "Posted Oct 26, 2011 …")."""
    for line in text.split("\n")[:4]:
        # "Posted 1 year, 160 days ago [downloaded on 2 October 2013]": the date is when the page was
        # viewed, not when it was published; taking it would date a genuine report years after its events.
        if re.search(r"\bago\b", line, re.I):
            continue
        if len(line.split()) <= 14:
            m = _FULL.search(line.replace("Sept", "September")) or re.search(
                r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+(\d{1,2})\w*,?\s+((?:19|20)\d\d)", line)
            # A dateline is the date and little else ("Sep 10, 2010 | Updated 8:52 PM EDT"); a sentence that
            # names a date ("Page was born ... on April 22, 1923.") dates something else.
            rest = re.findall(r"[A-Za-z]{2,}", line.replace(m.group(0), " ")) if m is not None else []
            if m is not None and (len(rest) <= 5 or re.match(r"\W*(published|posted|updated|date)", line, re.I)):
                return _parse_published(m.group(0))
    return None


def _grams(text: str, n: int = 8) -> set[tuple[str, ...]]:
    w = re.findall(r"\w+", text.lower())
    return {tuple(w[i:i + n]) for i in range(len(w) - n + 1)}


def _wire_families(recs: list[dict[str, Any]], events: dict[str, date], rng: random.Random) -> dict[str, datetime]:
    """Real articles of one topic that are wire copies of each other (half the shorter one's 8-grams shared) get one day.

    ECB+ holds such copies from different sites; their own dates (or the story's) must agree, or
    the corpus would contain genuine copies dated years apart.
    """
    by_topic: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in recs:
        by_topic[r["gold_story"].split("_")[0]].append(r)
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x
    for members in by_topic.values():
        grams = {r["id"]: _grams(r["text"]) for r in members}
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                ga, gb = grams[a["id"]], grams[b["id"]]
                if ga and gb and len(ga & gb) >= 0.5 * min(len(ga), len(gb)) and len(ga & gb) >= 20:
                    parent[find(a["id"])] = find(b["id"])
    families: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in recs:
        if r["id"] in parent or any(v == r["id"] for v in parent.values()):
            families[find(r["id"])].append(r)
    out: dict[str, datetime] = {}
    for fam in families.values():
        if len(fam) < 2:
            continue
        own = sorted(d for d in (_parse_published(r.get("published")) or _own_dateline(r["text"]) for r in fam) if d)
        day = own[0] if own else events[fam[0]["gold_story"]]
        for r in sorted(fam, key=lambda r: r["id"]):
            out[r["id"]] = datetime(day.year, day.month, day.day, rng.randrange(6, 22), rng.randrange(60), tzinfo=timezone.utc)
    return out


def _claimed(r: dict[str, Any], event: date, rng: random.Random) -> datetime:
    """A claimed publication time: its own published date or dateline, else the event day plus 0–2 days, never before a day it names near the event."""
    own = _parse_published(r.get("published")) or _own_dateline(r["text"])
    if own is None:
        own = event + timedelta(days=rng.choice((0, 0, 1, 1, 2)))
        named = [d for d in (_from_full(m) for m in _FULL.finditer(r["text"])) if d and abs((d - event).days) <= 30]
        if named:
            own = max(own, max(named))
    return datetime(own.year, own.month, own.day, rng.randrange(6, 22), rng.randrange(60), tzinfo=timezone.utc)


def _page(outlet: str, tagline: str, when: datetime, title: str, paragraphs: list[str], related: list[str], rng: random.Random) -> str:
    """A plain-text web page: site name, tagline, date line, headline, body, then newsletter, player and related links."""
    fmt = rng.choice(_DATE_FORMATS)
    lines = [outlet, "", tagline, when.strftime(fmt), "", title, ""]
    for p in paragraphs:
        lines += [p, ""]
    lines += ["Newsletter", "", "Related Articles", "", "0:00", "0:00", "Close"]
    lines += related
    lines += ["×"]
    return "\n".join(lines)


def _retitle(title: str, rng: random.Random) -> str:
    words = title.split()
    if len(words) > 14:
        words = words[:rng.randrange(8, 14)]
    t = " ".join(words).rstrip(".,;:")
    return t[:1].upper() + t[1:]


def build(seed: int = 7, topics: list[str] | None = None, recycled_per_story: int = 2, syndicated_per_story: int = 1,
          followups_per_topic: int = 1, path: Path = DEV_DATA) -> Corpus:
    """Build the corpus for the given topics (all when None)."""
    rng = random.Random(seed)
    recs = load_dev(path)
    if topics is not None:
        wanted = set(topics)
        recs = [r for r in recs if r["gold_story"].split("_")[0] in wanted]
    events = story_dates(recs)
    by_story: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in recs:
        by_story[r["gold_story"]].append(r)
    items: list[Item] = []
    genuine: dict[str, Item] = {}
    family_date = _wire_families(recs, events, rng)
    for r in recs:
        when = family_date.get(r["id"]) or _claimed(r, events[r["gold_story"]], rng)
        key = f"g-{r['id']}"
        rec = {"id": key, "url": r.get("url"), "outlet": _outlet(r), "title": (r.get("title") or "").strip() or None,
               "published": when.isoformat(), "text": r["text"]}
        it = Item(key=key, kind="genuine", record=rec, story=r["gold_story"], topic=r["gold_story"].split("_")[0],
                  event_date=events[r["gold_story"]].isoformat())
        genuine[key] = it
        items.append(it)
    all_titles = [i.record["title"] for i in items if i.record["title"]]
    dropped: set[str] = set()
    extra: list[Item] = []
    for sid in sorted(by_story):
        members = [genuine[f"g-{r['id']}"] for r in by_story[sid]]
        pool = [m for m in members if len(m.record["text"].split()) >= 80] or members
        picks = rng.sample(pool, min(len(pool), recycled_per_story + syndicated_per_story))
        for n, src in enumerate(picks):
            recycled = n < recycled_per_story
            paras = _paragraphs(src.record["text"])
            mods = []
            if len(paras) > 4 and rng.random() < 0.5:
                cut = paras[:len(paras) - rng.randrange(1, 3)]
                # A trimmed wire copy keeps most of the story: at least 70% of its words.
                if len(" ".join(cut).split()) >= 0.7 * len(" ".join(paras).split()):
                    paras = cut
                    mods.append("trimmed")
            others = [m for m in members if m is not src]
            if others and rng.random() < 0.4:
                add = rng.choice(_paragraphs(rng.choice(others).record["text"]) or [""])
                if add and len(add.split()) >= 12:
                    paras = paras + [add]
                    mods.append("paragraph-added")
            title = _retitle(src.record["title"] or paras[0], rng)
            mods.append("re-headlined")
            src_when = datetime.fromisoformat(src.record["published"])
            if recycled:
                when = src_when + timedelta(days=rng.randrange(2 * 365, 6 * 365), hours=rng.randrange(0, 12))
            else:
                when = src_when + timedelta(hours=rng.randrange(1, 10))
            outlet = _fake_outlet(rng)
            key = f"{'r' if recycled else 's'}{n}-{src.record['id'][2:]}"
            text = "\n\n".join(paras)
            page = _page(outlet, rng.choice(_TAGLINES), when, title, paras, rng.sample(all_titles, min(12, len(all_titles))), rng)
            rec = {"id": key, "url": None, "outlet": outlet, "title": title, "published": when.isoformat(),
                   # The record form keeps the chrome in its text, as a careless scraper would.
                   "text": "\n\n".join([outlet, rng.choice(_TAGLINES), text, "Newsletter", "Related Articles",
                                        "\n".join(rng.sample(all_titles, min(8, len(all_titles))))])}
            present = True
            if recycled and n % 2 == 1 and src.key not in dropped:
                # Half of the recycled copies come without their original in the corpus.
                dropped.add(src.key)
                present = False
            extra.append(Item(key=key, kind="recycled" if recycled else "syndicated", record=rec, page=page, source=src.key,
                              source_present=present, story=sid, topic=src.topic, expect_recycled=recycled,
                              event_date=src.event_date, modifications=mods))
    # Follow-ups: a genuine report of one event quoting an earlier report of the other event of its topic as dated background.
    by_topic: dict[str, dict[str, list[Item]]] = defaultdict(lambda: defaultdict(list))
    for it in genuine.values():
        by_topic[it.topic][it.story].append(it)
    for topic in sorted(by_topic, key=int):
        stories = by_topic[topic]
        if len(stories) < 2:
            continue
        (s_old, olds), (s_new, news) = sorted(stories.items(), key=lambda kv: kv[1][0].event_date or "")
        if olds[0].event_date >= news[0].event_date:
            continue
        for k in range(followups_per_topic):
            base = rng.choice([n for n in news if n.kind == "genuine"] or news)
            old = rng.choice(olds)
            old_day = date.fromisoformat(old.event_date)
            # A background passage: one paragraph, at most a third of the old report and of the new one.
            n_old = len(old.record["text"].split())
            n_new = len(base.record["text"].split())
            quote = next((p for p in _paragraphs(old.record["text"])
                          if 20 <= len(p.split()) <= min(n_old, n_new) / 3), None)
            if quote is None:
                continue
            paras = _paragraphs(base.record["text"])
            back = f"It is not the first such case. In {old_day.strftime('%B %Y')}, {quote[0].lower() + quote[1:]}"
            paras = paras[:2] + [back] + paras[2:]
            # The follow-up is that genuine report itself, with the background paragraph (no second copy of it).
            base.record["text"] = "\n\n".join(paras)
            base.kind = "followup"
            base.modifications.append(f"quotes {old.key} as background")
    items = [i for i in items if i.key not in dropped] + extra
    rng.shuffle(items)
    return Corpus(items=items, topics=sorted({i.topic for i in items}, key=int), seed=seed)


__all__ = ["build", "Corpus", "Item", "load_dev", "split_topics", "story_dates", "DEV_DATA"]
