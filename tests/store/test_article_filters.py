"""Article-list filters, volume counts, outlet copies, phrase search and relevance order: same on SQLite and PostgreSQL,
and the same as the interface's reference implementation (filter and sort in Python)."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from newstrace.records import Article, RawDocument, content_id
from newstrace.store.base import Store, search_terms

pytestmark = pytest.mark.postgres

ROWS = [  # outlet, language, published day (None: undated), recycled, copy of row index
    ("Warsaw Herald", "en", "2021-11-12", False, None),
    ("Copy Daily", "en", "2021-11-13", False, 0),
    ("copy daily", "pl", "2021-11-13", True, None),
    ("Minsk Times", "ru", None, False, 0),
    ("Warsaw Herald", "en", "2022-01-02", True, 2),
    ("The Gazette", None, "2021-10-30", False, None),
]


def _fill(store) -> list[str]:
    ids = []
    for i, (outlet, lang, day, _, _) in enumerate(ROWS):
        text = f"Report {i}: the border fence near Grodno was finished, officials said. Row {i}."
        data = text.encode()
        aid = content_id(data)
        when = datetime.fromisoformat(day + "T08:00:00").replace(tzinfo=timezone.utc) if day else None
        store.add_raw(RawDocument(id=aid, origin=f"t{i}", data=data, media_type="text/plain", first_seen=datetime(2024, 1, 1, tzinfo=timezone.utc)))
        store.add_article(Article(id=aid, origin=f"t{i}", title=f"Title {i}", text=text, paragraphs=[text], outlet=outlet,
                                  language=lang, published=when))
        ids.append(aid)
    for i, (_, _, day, rec, copy_of) in enumerate(ROWS):
        store.set_article_state(ids[i], story_id="s1" if i < 3 else "s2", duplicate_of=ids[copy_of] if copy_of is not None else None,
                                recycled={"is_recycled": rec, "claimed": day, "evidence_date": None, "reason": "test"})
    return ids


@pytest.mark.parametrize("query", [
    {}, {"sort": "oldest"}, {"sort": "ingest", "offset": 1}, {"outlet": "copy"}, {"outlet": "HERALD"}, {"outlet_is": "copy daily"}, {"language": "EN"},
    {"date_from": "2021-11-13"}, {"date_to": "2021-11-12"}, {"date_from": "2021-11-01", "date_to": "2021-12-31"},
    {"recycled": True}, {"recycled": False}, {"copy": True}, {"copy": False}, {"story_id": "s2"},
    {"offset": 2, "limit": 2}, {"outlet": "nobody"}, {"article_ids": []},
])
def test_article_filter_page_follows_the_reference_rules(any_store, query):
    """The backend's query gives the reference implementation's total and order."""
    _fill(any_store)
    got = any_store.article_filter_page(**query)
    want = Store.article_filter_page(any_store, **query)
    assert (got[0], [a.id for a in got[1]]) == (want[0], [a.id for a in want[1]])
    filters = {k: v for k, v in query.items() if k not in ("sort", "offset", "limit")}
    assert any_store.article_volume(**filters) == Store.article_volume(any_store, **filters)


def test_article_filters_give_the_expected_rows(any_store):
    """Values, not just agreement: substring outlet, recycled, copies, date range and newest-first order."""
    ids = _fill(any_store)
    assert {a.id for a in any_store.article_filter_page(outlet="copy")[1]} == {ids[1], ids[2]}
    assert any_store.article_filter_page(recycled=True)[0] == 2
    assert {a.id for a in any_store.article_filter_page(copy=True)[1]} == {ids[1], ids[3], ids[4]}
    total, page = any_store.article_filter_page()
    assert total == 6 and page[0].id == ids[4] and page[-1].id == ids[3]  # newest first, undated last
    assert any_store.article_volume() == [("2021-10-30", 1), ("2021-11-12", 1), ("2021-11-13", 2), ("2022-01-02", 1)]
    assert any_store.article_volume(outlet="herald") == [("2021-11-12", 1), ("2022-01-02", 1)]
    rank = [ids[5], ids[0], ids[2]]
    assert [a.id for a in any_store.article_filter_page(sort="relevance", article_ids=rank)[1]] == rank


def test_outlet_stats_and_copies(any_store):
    """Each outlet's articles, its copies and how often others copied it; copy pairs seen from either side."""
    ids = _fill(any_store)
    stats = {o["outlet"]: o for o in any_store.outlet_stats()}
    assert stats["Warsaw Herald"] == {"outlet": "Warsaw Herald", "articles": 2, "copies": 1, "copied": 2}
    assert stats["copy daily"]["copied"] == 1 and stats["Copy Daily"]["copies"] == 1
    assert any_store.outlet_stats() == Store.outlet_stats(any_store)
    pairs = any_store.outlet_copies("warsaw herald")
    assert [(p["copy_id"], p["original_id"]) for p in pairs] == [(ids[4], ids[2]), (ids[1], ids[0]), (ids[3], ids[0])]
    assert pairs == Store.outlet_copies(any_store, "warsaw herald")


def test_story_volume_and_relevance_order(any_store):
    """Stories per start day under the story filters; relevance keeps the order of the ids given."""
    for sid, start, outlets in [("s-a", "2021-11-12T08:00:00", ["CNN"]), ("s-b", "2021-11-12T09:00:00", ["BBC News"]),
                                ("s-c", "2021-11-14T08:00:00", ["cnn international"]), ("s-d", None, ["CNN"])]:
        any_store.put_story(sid, {"id": sid, "articles": [{"id": sid + "1"}], "outlets": outlets,
                                  "period": {"start": start, "end": start}})
    assert any_store.story_volume() == [("2021-11-12", 2), ("2021-11-14", 1)]
    assert any_store.story_volume(outlet="cnn") == [("2021-11-12", 1), ("2021-11-14", 1)]  # substring: "cnn international"
    assert any_store.story_volume(outlet="cnn") == Store.story_volume(any_store, outlet="cnn")
    order = ["s-c", "s-d", "s-a"]
    total, docs = any_store.story_page(sort="relevance", story_ids=order)
    assert total == 3 and [d["id"] for d in docs] == order
    assert any_store.story_page(outlet="cnn")[0] == 3


def test_search_phrases_and_every_term(any_store):
    """Quoted phrases match only in that order; every term must match."""
    _fill(any_store)
    extra = "The fence border was discussed. Officials said nothing near the river."
    data = extra.encode()
    any_store.add_raw(RawDocument(id=content_id(data), origin="x", data=data, media_type="text/plain",
                                  first_seen=datetime(2024, 1, 1, tzinfo=timezone.utc)))
    any_store.add_article(Article(id=content_id(data), origin="x", title="Other", text=extra, paragraphs=[extra]))
    assert content_id(data) in any_store.search("fence border", limit=100)
    hits = any_store.search('"border fence"', limit=100)
    assert len(hits) == 6 and content_id(data) not in hits
    assert any_store.search('"border fence" Grodno "Row 3"', limit=100) != []
    assert len(any_store.search('"border fence" Grodno "Row 3"', limit=100)) == 1
    assert any_store.search('"fence border" Grodno', limit=100) == []


def test_search_terms():
    assert search_terms('climate "sea level" rise') == ["climate", "sea level", "rise"]
    assert search_terms('e-mail "unclosed phrase') == ["e mail", "unclosed", "phrase"]  # an unclosed quote: words
    assert search_terms('"" !! ') == []
