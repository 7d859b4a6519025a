"""Highlighting cuts the article text into marked pieces without ever changing or losing a character."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newstrace.serve.highlight import highlight


def _joined(runs) -> str:
    return "".join(p.text for r in runs for p in r.pieces)


@settings(max_examples=200, deadline=None)
@given(text=st.text(min_size=0, max_size=200), data=st.data())
def test_pieces_always_rebuild_the_text(text, data):
    """Whatever spans the enrichment reports (overlapping, wrong offsets, absent words), the text comes back whole."""
    def span():
        a = data.draw(st.integers(0, len(text)))
        b = data.draw(st.integers(a, len(text)))
        return text[a:b], data.draw(st.sampled_from([a, -1, a + 1]))
    ents = [{"text": t, "type": "PERSON", "start": o} for t, o in (span() for _ in range(data.draw(st.integers(0, 5))))]
    dates = [{"text": t, "start": "2021-01-01", "end": "2021-01-01", "char": o} for t, o in (span() for _ in range(data.draw(st.integers(0, 3))))]
    claims = [{"kind": "quantity", "text": t} for t, _ in (span() for _ in range(data.draw(st.integers(0, 3))))]
    runs = highlight(text, ents, dates, claims)
    assert _joined(runs) == text
    for r in runs:
        for p in r.pieces:
            assert p.mark in (None, "entity", "date")


def test_marks_land_on_their_words():
    """Entities and dates are marked where they occur, inside the claim sentence that holds them."""
    text = "Intro. Poland sent 15,000 troops on Friday. Outro."
    runs = highlight(text, [{"text": "Poland", "type": "GPE", "canonical": "Poland", "start": 7}],
                     [{"text": "Friday", "start": "2021-11-12", "end": "2021-11-12", "char": -1}],
                     [{"kind": "quantity", "text": "Poland sent 15,000 troops on Friday."}])
    claim = [r for r in runs if r.claim == "quantity"]
    assert len(claim) == 1 and "".join(p.text for p in claim[0].pieces) == "Poland sent 15,000 troops on Friday."
    marks = {(p.text, p.mark, p.label) for p in claim[0].pieces if p.mark}
    assert marks == {("Poland", "entity", "GPE: Poland"), ("Friday", "date", "2021-11-12")}
