"""Language detection: the vectorised walk of py3langid's automaton gives py3langid's own answers."""
from __future__ import annotations

import numpy as np
import pytest

from newstrace import langid as language
from newstrace.extract.language import detect_language
from newstrace.langid import _Fast, _classifier, _identifier

TEXTS = [
    "The paratroopers landed near the border on Friday, the defence ministry said in a statement.",
    "Die Fallschirmjäger landeten am Freitag in der Nähe der Grenze, teilte das Verteidigungsministerium mit.",
    "Les parachutistes ont atterri vendredi près de la frontière, a indiqué le ministère de la Défense.",
    "Los paracaidistas aterrizaron el viernes cerca de la frontera, informó el Ministerio de Defensa.",
    "I paracadutisti sono atterrati venerdì vicino al confine, ha dichiarato il ministero della Difesa.",
    "Десантники приземлились в пятницу недалеко от границы, сообщило министерство обороны.",
    "Spadochroniarze wylądowali w piątek w pobliżu granicy, poinformowało ministerstwo obrony.",
    "空降部队周五在边境附近着陆，国防部在一份声明中说。",
    "国防省によると、空挺部隊は金曜日に国境付近に着陸した。",
    "ALL CAPITALS HEADLINE ABOUT THE ELECTION RESULTS IN THE CAPITAL CITY TONIGHT",
    "1234 5678 90 -- :: ** ##",
    "e",
]


def test_fast_walk_agrees_with_py3langid() -> None:
    ident = _identifier()
    fast = _Fast(ident)
    for text in TEXTS:
        want, got = ident.classify(text), fast.classify(text)
        assert got[0] == want[0], text
        assert got[1] == pytest.approx(want[1], abs=1e-4), text


def test_shipped_depth_is_the_automaton_depth() -> None:
    fast = _Fast(_identifier())
    assert fast.depth_of_automaton() == fast.depth


def test_the_fast_path_is_the_one_used() -> None:
    assert isinstance(_classifier(), _Fast)


def test_detect_language_answers_and_abstains() -> None:
    assert detect_language(TEXTS[0]) == "en"
    assert detect_language(TEXTS[1]) == "de"
    assert detect_language(TEXTS[5]) == "ru"
    assert detect_language("too short") is None
    assert detect_language("") is None


def test_a_disagreeing_fast_path_falls_back_to_py3langid(monkeypatch) -> None:
    # a model whose automaton the fast walk would read wrongly: the probes catch it
    monkeypatch.setattr(language, "_KNOWN_DEPTH", {(104583, 9816576): 1})
    language._classifier.cache_clear()
    try:
        assert not isinstance(_classifier(), _Fast)
        assert detect_language(TEXTS[0]) == "en"
    finally:
        language._classifier.cache_clear()
    assert np.isfinite(_Fast(_identifier()).scores(TEXTS[2])).all()
