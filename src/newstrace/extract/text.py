"""Plain text copied out of a web page: separate the article from page chrome (placeholder: keeps every line)."""
from __future__ import annotations

from ..records import Article
from .options import ExtractOptions


def extract_text(text: str, origin: str, options: ExtractOptions, trusted_body: bool = False) -> Article:
    """Title, outlet, date, URL and body of a plain-text page."""
    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n") if p.strip()]
    return Article(id="", origin=origin, title=None if trusted_body else (paragraphs[0] if paragraphs else None),
                   text="\n\n".join(paragraphs), paragraphs=paragraphs)
