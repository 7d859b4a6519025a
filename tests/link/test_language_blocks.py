"""A story in several languages keeps one sum per language, and an article is judged block by block: its words
meet the story's members in its own language undiluted by members in others (link/similarity.py, Rep.parts)."""
from __future__ import annotations

from datetime import datetime, timezone

import numpy as np
import pytest

from newstrace.link import similarity
from newstrace.link.similarity import Rep, add, empty, features, language_of, represent, trim
from newstrace.link.stories import StoryIndex
from newstrace.store import open_store


def _rep(lang: str, words: str, seed: int, day: int = 12) -> Rep:
    rng = np.random.default_rng(seed)
    terms = {f"w:{w}": 1.0 for w in words.split()} | {f"g:{lang}": 1.0}
    return represent(terms, rng.standard_normal(512), datetime(2021, 11, day, tzinfo=timezone.utc), {}, 100)


EN1 = _rep("en", "paratroopers belarus grodno drills landing", 1)
RU = _rep("ru", "десантники белоруссия гродно учения", 2)
PL = _rep("pl", "spadochroniarze białoruś grodno ćwiczenia", 3)
EN2 = _rep("en", "paratroopers belarus grodno drills border", 4)


def test_sums_keep_one_block_per_language_and_give_it_back_when_members_leave():
    story = add(add(add(empty(), EN1), RU), PL)
    assert sorted(story.parts) == ["en", "pl", "ru"] and language_of(story) is None
    assert story.parts["en"].vecs["w"] == EN1.vecs["w"] and story.size == 3.0
    one = add(add(story, RU, -1.0), PL, -1.0)             # back to English only: no blocks, the sum is its block
    assert one.parts is None and language_of(one) == "en"
    assert one.vecs["w"] == pytest.approx(EN1.vecs["w"])
    merged = add(add(add(empty(), EN1), RU), add(add(empty(), PL), EN2))   # story + story
    assert sorted(merged.parts) == ["en", "pl", "ru"] and merged.parts["en"].size == 2.0


def test_blocks_survive_the_store_with_their_embeddings_and_trimming():
    story = trim(add(add(empty(), EN1), RU))
    back = Rep.from_json(story.to_json(), story.emb_bytes())
    assert sorted(back.parts) == ["en", "ru"]
    for lang in ("en", "ru"):
        assert np.allclose(back.parts[lang].emb, story.parts[lang].emb, atol=1e-6)
        assert back.parts[lang].vecs == story.parts[lang].vecs
    assert np.allclose(back.emb, story.emb, atol=1e-6)


def test_an_article_is_judged_on_its_own_language_block_undiluted():
    model = similarity.load_model()
    story = add(add(add(empty(), EN1), RU), PL)
    blocks = model.pair_logit(EN2, story)
    # by hand: each block's log-odds on its own features, weighted by its share of member pairs
    by_hand = sum(model.logit(features(EN2, m)) for m in (EN1, RU, PL)) / 3
    assert blocks == pytest.approx(by_hand)
    # not the log-odds of the features averaged over every member pair, words diluted by members in other languages
    assert abs(blocks - model.logit(features(EN2, story))) > 0.1
    # one block each side: the pair is scored exactly as before blocks existed
    assert model.pair_logit(EN2, EN1) == pytest.approx(model.logit(features(EN2, EN1)))


def test_the_story_index_writes_and_reads_the_blocks(tmp_path):
    with open_store(str(tmp_path / "b.db")) as store:
        index = StoryIndex(store)
        index.put_story("s-1", add(add(empty(), EN1), RU), built_at=1)
        index.flush()
        again = StoryIndex(store)
        again._cache.clear()
        got = again.story("s-1")
        assert sorted(got.parts) == ["en", "ru"] and got.parts["ru"].vecs["w"] == pytest.approx(RU.vecs["w"])
