"""HTML pages: trafilatura for the main text, htmldate for the date."""
from __future__ import annotations

import trafilatura

from ..records import Article
from .dates import parse_date_hint
from .options import ExtractOptions


def extract_html(html: str, origin: str, options: ExtractOptions) -> Article:
    """Main text and metadata of an HTML page."""
    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, as_dict=True)
    doc = doc or {}
    text = doc.get("text") or ""
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    published = parse_date_hint(doc["date"]) if doc.get("date") else None
    return Article(id="", origin=origin, title=doc.get("title"), text="\n\n".join(paragraphs), paragraphs=paragraphs,
                   outlet=doc.get("sitename"), url=doc.get("url"), author=doc.get("author"),
                   published=published, published_source="trafilatura" if published else None,
                   language=doc.get("language"))
