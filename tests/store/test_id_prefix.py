"""Ids taken by a unique prefix, as git takes abbreviated hashes: same answers on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from newstrace.records import Article, RawDocument
from newstrace.store.base import AmbiguousId

pytestmark = pytest.mark.postgres

STORIES = ["s-ab12cd000001", "s-ab12cd000002", "s-ab99ee000003", "s-%_weird0004", "s-AB12cd000005"]
ARTICLES = ["0f3a1" + "1" * 27, "0f3a2" + "2" * 27, "9c" + "3" * 30]


def _fill(store) -> None:
    for sid in STORIES:
        store.put_story(sid, {"id": sid, "headline": sid})
    for i, aid in enumerate(ARTICLES):
        text = f"Report {i}: the border fence near Grodno was finished, officials said."
        store.add_raw(RawDocument(id=aid, origin=f"t{i}", data=text.encode(), media_type="text/plain",
                                  first_seen=datetime(2024, 1, 1, tzinfo=timezone.utc)))
        store.add_article(Article(id=aid, origin=f"t{i}", title=f"Title {i}", text=text, paragraphs=[text]))


def test_a_unique_prefix_names_one_id_and_an_ambiguous_one_lists_the_candidates(any_store):
    _fill(any_store)
    assert any_store.resolve_id("story", "s-ab99") == "s-ab99ee000003"
    assert any_store.resolve_id("story", "s-ab12cd000002") == "s-ab12cd000002"      # a whole id is itself
    assert any_store.resolve_id("article", "0f3a2") == ARTICLES[1]
    assert any_store.resolve_id("article", ARTICLES[2]) == ARTICLES[2]
    with pytest.raises(AmbiguousId) as e:
        any_store.resolve_id("story", "s-ab12")
    assert e.value.candidates == ["s-ab12cd000001", "s-ab12cd000002"]             # case-sensitive: not s-AB12…
    with pytest.raises(AmbiguousId) as e:
        any_store.resolve_id("article", "0f3a")
    assert e.value.candidates == ARTICLES[:2]
    assert any_store.resolve_id("story", "s-ab77") is None
    assert any_store.resolve_id("article", "0f3") is None                          # under 4 characters: only a whole id
    assert any_store.resolve_id("story", "s-AB1") == "s-AB12cd000005"
    # LIKE's wildcards in the input are literal characters, not patterns
    assert any_store.resolve_id("story", "s-%_") == "s-%_weird0004"
    assert any_store.resolve_id("story", "s-_b12") is None
    assert any_store.ids_with_prefix("story", "s-", limit=2) == ["s-%_weird0004", "s-AB12cd000005"]
