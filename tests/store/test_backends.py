"""The storage interface behaves the same on SQLite and on a real PostgreSQL server (each test runs on both)."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from newstrace.records import Article, Claim, Enrichment, Failure, Link, Mention, MentionedDate, RawDocument, content_id
from newstrace.store.base import Store
from newstrace.store.migrations import MIGRATIONS

pytestmark = pytest.mark.postgres

T0 = datetime(2021, 11, 12, 9, 30, tzinfo=timezone.utc)


def raw(text: str, origin: str = "in.txt") -> RawDocument:
    data = text.encode()
    return RawDocument(id=content_id(data), origin=origin, data=data, media_type="text/plain", first_seen=T0,
                       hints={"outlet": "Example"})


def article_for(r: RawDocument, title: str = "Paratroopers drill near the border", **kw) -> Article:
    text = r.data.decode()
    return Article(id=r.id, origin=r.origin, title=title, text=text, paragraphs=[text], outlet="The Example Times",
                   url="https://example.org/a", published=T0, published_source="jsonl", language="en",
                   captions=["A caption"], boilerplate=["Newsletter"], external_id="x1", first_seen=T0,
                   first_seen_source="file-mtime", media_type="text/plain", **kw)


def stored_article(store: Store, text: str, **kw) -> Article:
    r = raw(text)
    store.add_raw(r)
    a = article_for(r, **kw)
    assert store.add_article(a)
    return a


def test_migrations_are_all_applied_and_only_once(any_store):
    assert any_store.schema_version() == max(v for v, *_ in MIGRATIONS)
    assert any_store.migrate() == []


def test_raw_document_is_kept_byte_for_byte_and_added_once(any_store):
    r = raw("Binary-safe \x00 bytes é")
    assert not any_store.has_raw(r.id)
    assert any_store.add_raw(r) is True
    assert any_store.add_raw(r) is False  # re-ingesting the same bytes changes nothing
    got = any_store.get_raw(r.id)
    assert got.data == r.data and got.origin == r.origin and got.first_seen == T0 and got.hints == {"outlet": "Example"}
    assert any_store.get_raw("nope") is None


def test_failures_are_recorded_once_with_reason(any_store):
    f = Failure(origin="bad.html", reason="not UTF-8", stage="extract", data=b"\xff\xfe", id="abc")
    assert any_store.add_failure(f) is True
    assert any_store.add_failure(Failure(origin="bad.html", reason="not UTF-8", stage="extract")) is False
    rows = any_store.failures()
    assert len(rows) == 1
    assert rows[0]["origin"] == "bad.html" and rows[0]["reason"] == "not UTF-8" and rows[0]["size"] == 2


def test_article_round_trip_and_duplicate_refused(any_store):
    a = stored_article(any_store, "Russian and Belarusian paratroopers held drills near Grodno.")
    assert any_store.add_article(a) is False
    got = any_store.get_article(a.id)
    assert got == a
    assert any_store.article_count() == 1
    assert any_store.get_article("missing") is None


def test_published_time_keeps_its_offset_and_precision(any_store):
    """A claimed time stated with its UTC offset comes back with that offset (the local publication day) and precision."""
    when = datetime(2019, 11, 19, 10, 5, tzinfo=timezone(timedelta(hours=-5)))
    r = raw("Published 19 November 2019 10:05 in New York.")
    any_store.add_raw(r)
    c = article_for(r, published_precision="minute")
    c.published = when
    assert any_store.add_article(c)
    got = any_store.get_article(c.id)
    assert got.published == when and got.published.utcoffset() == timedelta(hours=-5)
    assert got.published.isoformat() == "2019-11-19T10:05:00-05:00" and got.published_precision == "minute"


def test_articles_listed_in_ingest_order(any_store):
    ids = [stored_article(any_store, f"Report number {i} about the storm.").id for i in range(5)]
    assert [a.id for a in any_store.articles()] == ids


def test_enrichment_round_trip_and_replace(any_store):
    r = raw("Lukashenko met troops in Grodno on Friday.")
    any_store.add_raw(r)
    e = Enrichment(article_id=r.id,
                   mentions=[Mention(text="Grodno", type="GPE", canonical="Hrodna", start=0, end=6, lat=53.68, lon=23.83, country="BY")],
                   dates=[MentionedDate(text="Friday", start=date(2021, 11, 12), end=date(2021, 11, 12), sentence="s", about=True, char=3)],
                   claims=[Claim(kind="quantity", text="15,000 troops", fields={"value": 15000}, key="troops")],
                   embedding=[0.25, -0.5], terms={"grodno": 1.5})
    assert any_store.add_article(article_for(r), e)
    assert any_store.get_enrichment(r.id) == e
    e2 = Enrichment(article_id=r.id, terms={"drills": 2.0})
    any_store.set_enrichment(e2)
    assert any_store.get_enrichment(r.id) == e2


def test_article_state_updates_and_rejects_unknown_keys(any_store):
    a = stored_article(any_store, "A story text.")
    assert any_store.article_state(a.id) == {"story_id": None, "duplicate_of": None, "recycled": None}
    verdict = {"is_recycled": True, "claimed": "2025-11-13", "evidence_date": "2021-11-12", "reason": "dates"}
    any_store.set_article_state(a.id, story_id="s1", duplicate_of="other", recycled=verdict)
    assert any_store.article_state(a.id) == {"story_id": "s1", "duplicate_of": "other", "recycled": verdict}
    any_store.set_article_state(a.id, duplicate_of=None)
    assert any_store.article_state(a.id)["duplicate_of"] is None
    with pytest.raises(ValueError):
        any_store.set_article_state(a.id, title="x")
    assert any_store.article_state("missing") == {}


def test_links_replace_and_filter(any_store):
    any_store.add_links([Link("b", "a", "copy", 0.9, {"passages": ["x"]}), Link("c", "a", "same-story", 0.5)])
    any_store.add_links([Link("b", "a", "copy", 0.95, {"passages": ["y"]})])  # same key: replaced, not doubled
    copies = any_store.links(kind="copy")
    assert copies == [Link("b", "a", "copy", 0.95, {"passages": ["y"]})]
    assert {(l.src, l.kind) for l in any_store.links("a")} == {("b", "copy"), ("c", "same-story")}
    assert [l.src for l in any_store.links("c")] == ["c"]
    any_store.add_links([])


def test_stories_put_replace_list_delete(any_store):
    any_store.put_story("s-b", {"id": "s-b", "headline": "B"})
    any_store.put_story("s-a", {"id": "s-a", "headline": "A", "articles": [{"id": "1"}]})
    any_store.put_story("s-B", {"id": "s-B", "headline": "upper"})
    any_store.put_story("s-b", {"id": "s-b", "headline": "B2"})
    assert [s["id"] for s in any_store.stories()] == ["s-B", "s-a", "s-b"]  # byte order on both backends
    assert any_store.get_story("s-b")["headline"] == "B2"
    any_store.delete_story("s-b")
    assert any_store.get_story("s-b") is None
    assert len(any_store.stories()) == 2


def test_meta_set_and_replace(any_store):
    assert any_store.get_meta("k") is None
    any_store.set_meta("k", "1")
    any_store.set_meta("k", "2")
    assert any_store.get_meta("k") == "2"


def test_full_text_search_needs_every_word(any_store):
    a = stored_article(any_store, "An earthquake struck the coast of Indonesia on Tuesday.", title="Quake hits Indonesia")
    b = stored_article(any_store, "Lindsay Lohan checked into rehab again.", title="Lohan in rehab")
    assert any_store.search("earthquake Indonesia") == [a.id]
    assert any_store.search("rehab") == [b.id]
    assert any_store.search("earthquake rehab") == []
    assert any_store.search("  !!  ") == []
    assert any_store.search("Lohan", limit=1) == [b.id]


def test_transaction_rolls_back_everything_on_error(any_store):
    with pytest.raises(RuntimeError):
        with any_store.transaction():
            any_store.set_meta("a", "1")
            with any_store.transaction():  # nested: part of the outer one
                any_store.set_meta("b", "2")
            raise RuntimeError("boom")
    assert any_store.get_meta("a") is None and any_store.get_meta("b") is None
    with any_store.transaction():
        any_store.set_meta("a", "1")
    assert any_store.get_meta("a") == "1"


def test_execute_runs_sqlite_dialect_on_both(any_store):
    """Stage code writes its own tables with `?` placeholders and INSERT OR IGNORE/REPLACE; that must run on both."""
    any_store.execute("CREATE TABLE IF NOT EXISTS t_demo (k TEXT PRIMARY KEY, v TEXT NOT NULL, n INTEGER)")
    any_store.execute("INSERT OR IGNORE INTO t_demo VALUES (?,?,?)", ("a", "50% off", 1))
    any_store.execute("INSERT OR IGNORE INTO t_demo VALUES (?,?,?)", ("a", "ignored", 2))
    any_store.execute("INSERT OR REPLACE INTO t_demo (k, v, n) VALUES (?,?,?)", ("b", "x", 3))
    any_store.execute("INSERT OR REPLACE INTO t_demo (k, v, n) VALUES (?,?,?)", ("b", "y", 4))
    rows = any_store.execute("SELECT k, v, n FROM t_demo WHERE v LIKE '%' || ? || '%' OR k=? ORDER BY k", ("off", "b")).fetchall()
    assert [tuple(r) for r in rows] == [("a", "50% off", 1), ("b", "y", 4)]
    assert dict(rows[1]) == {"k": "b", "v": "y", "n": 4} and rows[1]["v"] == "y"
    assert any_store.execute("SELECT count(*) FROM t_demo").fetchone()[0] == 2


def test_article_ids_in_story_and_article_page(any_store):
    ids = [stored_article(any_store, f"Report {i} on the flood.").id for i in range(4)]
    any_store.set_article_state(ids[1], story_id="s1")
    any_store.set_article_state(ids[3], story_id="s1")
    assert any_store.article_ids_in_story("s1") == [ids[1], ids[3]]
    assert any_store.article_ids_in_story("none") == []
    assert [a.id for a in any_store.article_page(offset=1, limit=2)] == ids[1:3]


def _story(sid: str, n: int, end: str | None, outlets=(), places=(), entities=()) -> dict:
    return {"id": sid, "articles": [{"id": f"{sid}-{i}"} for i in range(n)], "outlets": list(outlets),
            "period": {"start": end and end[:8] + "01", "end": end},
            "places": [{"name": p} for p in places], "entities": [{"name": e, "aliases": [e.split()[-1]]} for e in entities]}


@pytest.mark.parametrize("query", [
    {}, {"sort": "newest"}, {"outlet": "cnn"}, {"date_from": "2021-11-10"}, {"date_to": "2021-10-31"},
    {"place": "grod"}, {"entity": "lukashenko"}, {"story_ids": ["s-c", "s-a"]}, {"story_ids": []},
    {"offset": 1, "limit": 2}, {"sort": "newest", "offset": 2, "limit": 5},
])
def test_story_page_follows_the_reference_rules(any_store, query):
    """The backend's indexed query returns what the interface's reference implementation (filter + sort in Python) returns."""
    docs = [_story("s-a", 3, "2021-11-12", ["CNN"], ["Grodno"], ["Alexander Lukashenko"]),
            _story("s-b", 3, "2021-10-02", ["The Moscow Times"]),
            _story("s-c", 1, None, ["cnn"], ["Minsk"]),
            _story("s-d", 5, "2021-11-20", [], ["Hrodna"], ["Vladimir Putin"]),
            _story("s-e", 3, "2021-11-12")]
    for d in docs:
        any_store.put_story(d["id"], d)
    got = any_store.story_page(**query)
    want = Store.story_page(any_store, **query)
    assert (got[0], [s["id"] for s in got[1]]) == (want[0], [s["id"] for s in want[1]])


def test_data_version_moves_when_another_writer_commits(any_store):
    """Readers that cache pages rely on this: a commit by another connection must change the version."""
    from newstrace.store import open_store
    target = any_store.path if hasattr(any_store, "path") else any_store.url
    before = any_store.data_version()
    assert before is not None
    other = open_store(target)
    try:
        other.set_meta("touched", "1")
    finally:
        other.close()
    assert any_store.data_version() != before
    with any_store.transaction():
        assert any_store.data_version() is None  # mid-transaction: nothing settled, never cache
