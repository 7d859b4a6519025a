"""Paged story lists: the SQLite indexed query follows the same rules as the reference filter in store/base.py."""
from __future__ import annotations

import random

import pytest

from newstrace.store.base import Store
from newstrace.store.sqlite import SQLiteStore

OUTLETS = ["Alpha News", "Beta Post", "Gamma Wire", "Delta Daily"]
PLACES = [("Hrodna", 53.68, 23.83), ("Warsaw", 52.23, 21.01), ("Minsk", 53.9, 27.57), ("Vilnius", 54.69, 25.28)]
ENTITIES = [("Alexander Lukashenko", ["Lukashenko"]), ("NATO", []), ("Viktor Khrenin", ["Khrenin"])]


def _doc(rng: random.Random, i: int) -> dict:
    n = rng.randint(1, 6)
    dated = rng.random() > 0.1
    days = sorted(f"2021-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T10:00:00+00:00" for _ in range(n))
    outs = rng.sample(OUTLETS, rng.randint(1, 3))
    return {"id": f"s-{i:04d}", "headline": f"story {i}",
            "period": {"start": days[0] if dated else None, "end": days[-1] if dated else None},
            "outlets": sorted(outs),
            "articles": [{"id": f"a{i}-{k}", "outlet": outs[k % len(outs)], "role": "report"} for k in range(n)],
            "places": [{"name": p, "lat": la, "lon": lo, "country": "X"} for p, la, lo in rng.sample(PLACES, rng.randint(0, 2))],
            "entities": [{"name": e, "type": "PERSON", "aliases": al} for e, al in rng.sample(ENTITIES, rng.randint(0, 2))],
            "claims": []}


@pytest.fixture()
def store(tmp_path):
    s = SQLiteStore(str(tmp_path / "pages.db"))
    rng = random.Random(7)
    for i in range(120):
        d = _doc(rng, i)
        s.put_story(d["id"], d)
    yield s
    s.close()


@pytest.mark.parametrize("filters", [
    {}, {"sort": "newest"}, {"outlet": "beta post"}, {"date_from": "2021-06-01"}, {"date_to": "2021-03-31"},
    {"date_from": "2021-05-01", "date_to": "2021-05-31"}, {"place": "hrod"}, {"entity": "khrenin"}, {"entity": "NATO", "sort": "newest"},
    {"story_ids": ["s-0003", "s-0050", "s-0099", "nope"]}, {"story_ids": []},
])
def test_sqlite_story_page_matches_reference_rules(store, filters):
    """Every filter and both sort orders give the same stories, in the same order, as the reference implementation."""
    for offset, limit in ((0, 20), (20, 20), (0, 500)):
        got_total, got = store.story_page(offset=offset, limit=limit, **filters)
        ref_total, ref = Store.story_page(store, offset=offset, limit=limit, **filters)
        assert got_total == ref_total
        assert [d["id"] for d in got] == [d["id"] for d in ref]


def test_largest_first_and_pages_do_not_overlap(store):
    """Largest stories come first and consecutive pages cover every story exactly once."""
    total, first = store.story_page(limit=10)
    sizes = [len(d["articles"]) for d in first]
    assert sizes == sorted(sizes, reverse=True) and sizes[0] == 6
    seen = []
    for off in range(0, total, 25):
        seen += [d["id"] for d in store.story_page(offset=off, limit=25)[1]]
    assert len(seen) == len(set(seen)) == total == 120


def test_story_list_uses_an_index(store):
    """The unfiltered page query is served by an index, not by parsing every story document."""
    plan = store.execute("EXPLAIN QUERY PLAN SELECT data FROM stories ORDER BY n_articles DESC, period_end DESC, id LIMIT 20").fetchall()
    assert any("USING INDEX stories_largest" in r[3] for r in plan)
