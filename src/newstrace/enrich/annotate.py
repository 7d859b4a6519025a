"""Mentions and claims of composed article texts, by the model of their language (run here or in a worker).

Routes: English (and text whose language was not detected) → the English spaCy pipeline and every
extraction module; French → spaCy's French model; Russian → natasha; anything else → the fallback of
enrich/foreign.py. Texts of the other routes get shallow claims (foreign.sentence_claims: sentences and
quoted passages, no parsed action). A route's model is loaded by the first text that takes it.
"""
from __future__ import annotations

from typing import Any, Iterator

from ..records import Claim, Mention
from . import entities, events, foreign, models, quantities, quotes

Result = tuple[list[Mention], list[Claim]]
# (text parsed, offset of Article.text inside it, language code or None)
Item = tuple[str, int, "str | None"]
ROUTES = {"en": "en", None: "en", "fr": "fr", "ru": "ru"}


def route_of(language: str | None) -> str:
    """Which model annotates a text in this language: "en", "fr", "ru" or "other" (the fallback)."""
    return ROUTES.get(language, "other")


def load_route(route: str) -> None:
    """Load the model a route annotates with (the fallback route has none)."""
    if route == "en":
        models.spacy_model()
    elif route == "fr":
        models.french_model()
    elif route == "ru":
        models.russian_model()


def extract_all(doc: Any, shift: int) -> Result:
    """Mentions, then claims that refer back to them (quote speakers, event actors), of one English article."""
    mentions = entities.extract(doc, shift)
    claims: list[Claim] = []
    claims.extend(quotes.extract(doc, mentions, shift))
    claims.extend(quantities.extract(doc, mentions, shift))
    claims.extend(events.extract(doc, mentions, shift))
    return mentions, claims


def _shallow(mentions: list[Mention], text: str, shift: int, language: str | None) -> Result:
    """Mentions of a text in another language with its shallow claims (enrich/foreign.py)."""
    return mentions, foreign.sentence_claims(text, shift, mentions, language)


def by_route(items: list[Item]) -> dict[str, list[int]]:
    """Indices of the items each route annotates, in order."""
    out: dict[str, list[int]] = {}
    for i, (_, _, lang) in enumerate(items):
        out.setdefault(route_of(lang), []).append(i)
    return out


def annotate_all(items: list[Item]) -> list[Result | str]:
    """The result of each item, in order, annotated in this process (one pass per route)."""
    results: list[Result | str] = [""] * len(items)
    for route, idx in by_route(items).items():
        for i, res in zip(idx, annotate_texts(route, [items[i] for i in idx])):
            results[i] = res
    return results


def annotate_texts(route: str, items: list[Item]) -> Iterator[Result | str]:
    """The result of each item (all of one route), in order, or the error message of a text that failed."""
    if route in ("en", "fr"):
        name = models.SPACY_MODEL if route == "en" else models.FRENCH_MODEL
        for doc, (_, shift, _) in zip(models.parse_iter([t for t, _, _ in items], model=name), items):
            try:
                yield extract_all(doc, shift) if route == "en" else _shallow(foreign.french(doc, shift), doc.text, shift, "fr")
            except Exception as exc:  # noqa: BLE001 - one odd text must not stop the batch
                yield f"{type(exc).__name__}: {exc}"
        return
    for text, shift, lang in items:
        try:
            yield _shallow(foreign.russian(text, shift) if route == "ru" else foreign.fallback(text, shift, lang), text, shift, lang)
        except Exception as exc:  # noqa: BLE001
            yield f"{type(exc).__name__}: {exc}"


__all__ = ["annotate_all", "annotate_texts", "by_route", "extract_all", "load_route", "route_of", "ROUTES", "Item", "Result"]
