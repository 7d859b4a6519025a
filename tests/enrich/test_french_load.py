"""The French model loads with spaCy's long token_match alternation factored, and tokenizes exactly as shipped."""
from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from newstrace.enrich import models

PAIRS = Path(__file__).resolve().parents[3] / "shared" / "data" / "semeval8-pairs-dev.jsonl"
if not PAIRS.exists():
    PAIRS = Path("/work/shared/data/semeval8-pairs-dev.jsonl")


def _french_texts(n: int = 12) -> list[str]:
    out = []
    for line in PAIRS.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        for lang, text in ((r["lang1"], r["text1"]), (r["lang2"], r["text2"])):
            if lang == "fr" and text and text not in out:
                out.append(text)
        if len(out) >= n:
            break
    return out


def test_factored_token_match_accepts_the_same_tokens():
    import spacy.lang.fr.tokenizer_exceptions as fr
    shipped = "(?iu)" + "|".join("(?:{})".format(m) for m in fr._regular_exp)
    factored = models.factor_alternation(shipped)
    assert factored is not None and len(factored) < len(shipped) / 3
    a, b = re.compile(shipped), re.compile(factored)
    words = {w for t in _french_texts() for w in re.findall(r"[\w'’\-–]+", t)}
    words |= {p.strip("^") + "-" + s for p in fr._hyphen_prefix for s in ("x", "vampire", "État", "l'a", "")}
    words |= {"New-York", "États-Unis", "prud'homme", "hip-hop", "basses-terres", "bourg-la-reine", "droits-de-l'homme"}
    accepted = {w for w in words if a.match(w)}
    assert len(words) > 1500 and len(accepted) > 300
    assert {w for w in words if b.match(w)} == accepted


@pytest.mark.parametrize("pattern", [
    "(?iu)(?:^a[-]b$)|(?:^c|d[-]e$)",          # a top-level | in a head: grouping would change the language
    "(?iu)(?:^a\\[x[-]b$)|(?:^c[-]b$)",        # an escape in a head
    "(?iu)(?:a[-]b$)|(?:c[-]b$)",              # not anchored alternatives
    "plain text",
])
def test_other_patterns_are_left_alone(pattern):
    assert models.factor_alternation(pattern) is None


def test_french_model_tokenizes_as_shipped_and_loads_faster():
    import spacy.lang.fr.tokenizer_exceptions as fr
    t0 = time.perf_counter()
    shipped = re.compile("(?iu)" + "|".join("(?:{})".format(m) for m in fr._regular_exp) + "|(?:^$)")  # past re's cache
    plain_compile = time.perf_counter() - t0
    nlp = models.french_model()
    # the loaded tokenizer holds the factored expression (the model's load went through factored_alternations)
    assert nlp.tokenizer.token_match.__self__.pattern == models.factor_alternation(shipped.pattern[:-len("|(?:^$)")])
    texts = _french_texts()
    factored_tokens = [[t.text for t in nlp.tokenizer(x)] for x in texts]
    factored_match = nlp.tokenizer.token_match
    nlp.tokenizer.token_match = shipped.match
    try:
        assert [[t.text for t in nlp.tokenizer(x)] for x in texts] == factored_tokens
    finally:
        nlp.tokenizer.token_match = factored_match
    t0 = time.perf_counter()
    re.compile(models.factor_alternation("(?iu)" + "|".join("(?:{})".format(m) for m in fr._regular_exp) + "|(?:^$)"))
    assert time.perf_counter() - t0 < plain_compile / 2


def _factored() -> str:
    import spacy.lang.fr.tokenizer_exceptions as fr
    return models.factor_alternation("(?iu)" + "|".join("(?:{})".format(m) for m in fr._regular_exp))


def test_the_compiled_token_match_is_kept_for_the_next_process_and_matches_as_re_compiles_it(tmp_path, monkeypatch):
    import spacy.lang.fr.tokenizer_exceptions as fr
    monkeypatch.setenv("NEWSTRACE_CACHE_DIR", str(tmp_path))
    pattern = _factored()
    reference = re.compile(pattern)
    cold = models.compile_cached(pattern)
    [entry] = list(tmp_path.glob("regex-*.json"))
    # a later process reads the program back: nothing is parsed again (the parser would raise)
    from re import _parser

    def no_parse(*a, **k):
        raise AssertionError("parsed again")
    monkeypatch.setattr(_parser, "parse", no_parse)
    t0 = time.perf_counter()
    warm = models.compile_cached(pattern)
    assert time.perf_counter() - t0 < 0.3   # (compiling it takes over a second)
    words = {w for t in _french_texts() for w in re.findall(r"[\w'’\-–]+", t)}
    words |= {p.strip("^") + "-" + s for p in fr._hyphen_prefix for s in ("x", "vampire", "État", "")}
    words |= {"New-York", "prud'homme", "hip-hop", "basses-terres", "droits-de-l'homme", "Saint-Étienne-du-Rouvray"}
    accepted = {w for w in words if reference.match(w)}
    assert len(accepted) > 300
    assert {w for w in words if cold.match(w)} == accepted == {w for w in words if warm.match(w)}
    assert warm.pattern == pattern and entry.stat().st_size > 100_000


@pytest.mark.parametrize("damage", ["truncated", "program altered", "not JSON"])
def test_a_damaged_cache_entry_is_compiled_again_and_replaced(damage, tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSTRACE_CACHE_DIR", str(tmp_path))
    pattern = "(?iu)(?:^ab[-–]cd[a-zé]+$)|(?:^x[-]y[a-z]*$)"
    models.compile_cached(pattern)
    [entry] = list(tmp_path.glob("regex-*.json"))
    text = entry.read_text()
    if damage == "truncated":
        entry.write_text(text[: len(text) // 2])
    elif damage == "program altered":
        data = json.loads(text)
        data["code"][5] += 1   # the checksum no longer holds
        entry.write_text(json.dumps(data))
    else:
        entry.write_text("<html>not a cache</html>")
    again = models.compile_cached(pattern)
    assert again.match("AB-cdé") and again.match("x-y") and not again.match("ab-c")
    assert json.loads(entry.read_text())["code"] == json.loads(text)["code"]   # rewritten whole


def test_an_unwritable_cache_folder_still_compiles(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv("NEWSTRACE_CACHE_DIR", str(blocker / "cache"))
    assert models.compile_cached("(?iu)(?:^ab[-]cd$)").match("AB-CD")
