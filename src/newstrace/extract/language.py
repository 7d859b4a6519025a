"""Language of an article body (offline: py3langid's model, walked with numpy in newstrace.langid)."""
from __future__ import annotations

from ..langid import _classifier


def detect_language(text: str, min_chars: int = 40) -> str | None:
    """ISO 639-1 code of the text's language, or None when the text is too short or the guess is weak."""
    sample = (text or "")[:600]  # enough for a confident guess; the cost grows with the length
    if len(sample.strip()) < min_chars:
        return None
    lang, prob = _classifier().classify(sample)
    return lang if prob >= 0.5 else None
