"""Extract: raw document → clean Article (title, outlet, URL, byline, date, body, captions, boilerplate)."""
from __future__ import annotations

import json

from ..records import Article, RawDocument
from ..textio import clean_record, clean_text, decode_text, has_visible_text
from .options import ExtractOptions
from .dates import date_line, parse_timestamp
from .notice import access_notice, glued_headline, strip_notices
from .outlet import outlet_name


def extract_document(raw: RawDocument, options: ExtractOptions | None = None) -> Article:
    """Extract one article; raises textio.UnreadableInput / ValueError with a reason when impossible."""
    options = options or ExtractOptions()
    if raw.media_type == "application/x-article+json":
        article = _from_record(raw, options)
    elif raw.media_type == "text/html":
        from .html import extract_html
        article = extract_html(clean_text(decode_text(raw.data, html=True, charset=_charset(raw))), raw.origin, options)
    else:
        from .text import extract_text
        article = extract_text(clean_text(decode_text(raw.data, charset=_charset(raw))), raw.origin, options)
    _fill_from_hints(article, raw.hints)
    if not article.outlet and article.url:
        article.outlet = outlet_name(article.url, [])   # named from its site's domain
    article.id = raw.id
    article.first_seen = raw.first_seen
    article.first_seen_source = raw.first_seen_source
    article.media_type = raw.media_type
    if not has_visible_text(article.text):
        raise ValueError("no article text found")
    if raw.media_type != "application/x-article+json" and (notice := access_notice(article.text)) is not None:
        # a blocked crawler gets one notice for every page of a site: stored, they would be copies of each other.
        # (A JSONL record is the caller's own article, kept as given.)
        raise ValueError(f"the page is a {notice} notice, not the article")
    return article


def _charset(raw: RawDocument) -> str | None:
    """The code page ingest chose for a legacy input (so that its detection is not run again), else the one the
    transport declared."""
    return raw.hints.get("encoding") or raw.hints.get("charset")


def _fill_from_hints(article: Article, hints: dict) -> None:
    """Fields the page itself lacks, from what was known before extraction (feed entry, WARC record, HTTP)."""
    if not hints:
        return
    for key in ("url", "title", "outlet", "author", "language"):
        value = hints.get(key)
        if not getattr(article, key) and isinstance(value, str) and value.strip():
            setattr(article, key, value.strip())
    if article.published is None and hints.get("published"):
        got = parse_timestamp(str(hints["published"]))
        if got is not None:
            article.published, article.published_precision = got
            article.published_source = "feed" if hints.get("feed_url") else "hint"


def _from_record(raw: RawDocument, options: ExtractOptions) -> Article:
    """A JSONL record: given fields win over extracted ones."""
    rec = clean_record(json.loads(raw.data))
    if isinstance(rec.get("html"), str) and rec["html"].strip():
        from .html import extract_html
        article = extract_html(rec["html"], raw.origin, options)
    elif isinstance(rec.get("text"), str) and rec["text"].strip():
        from .text import extract_text
        # a crawl's record whose page ended in a consent text, paywall or login wall ("Two hurt when snowmobile
        # crashed into tree / You have reached the limit for free access…"): the notice is the site's, not the
        # report's, and left in, every record of that site would share it and read as one story. It is kept for audit.
        # The same for a consent box or login wall between the headline and the report, or over the report
        # ("Einigung über … / OK / Wir verwenden auf unserer Webseite Cookies …"): set aside wherever it sits.
        text, notices = strip_notices(rec["text"])
        if notices and not text.strip():
            # nothing of the report but its headline: the record's title, or the words a notice follows on its line
            text = str(rec.get("title") or "").strip() or glued_headline(rec["text"])
        if not text.strip():
            text, notices = rec["text"], []             # a notice and nothing else: the caller's record, as given
        article = extract_text(text, raw.origin, options, trusted_body=True)
        article.boilerplate.extend(notices)
    else:  # headline-only record: the headline is the whole report
        title = str(rec.get("title") or "").strip()
        article = Article(id="", origin=raw.origin, title=title, text=title, paragraphs=[title] if title else [])
    for key in ("title", "outlet", "url", "author", "language"):
        if isinstance(rec.get(key), str) and rec[key].strip():
            setattr(article, key, rec[key].strip())
    if article.title and len(article.title) <= 140 and (when := date_line(article.title, max_other_words=4)) is not None:
        # a record whose "title" is its dateline ("Sunday, March 17, 2013 | 5: 00 PM"): the date is the claim and
        # the headline is the line its text opens with, when that line reads as one
        article.title = None
        if article.published is None:
            article.published, article.published_source, article.published_precision = when, "text-dateline", "day"
        first = article.paragraphs[0] if article.paragraphs else ""
        if len(article.paragraphs) > 1 and 3 <= len(first.split()) <= 25 and not first.rstrip().endswith((".", ":", ";", ",")):
            article.title = first
            article.paragraphs = article.paragraphs[1:]
            article.text = "\n\n".join(article.paragraphs)
    if rec.get("published"):
        got = parse_timestamp(str(rec["published"]))
        if got is not None:
            article.published, article.published_precision = got
            article.published_source = "record"
    if rec.get("id") is not None:
        article.external_id = str(rec["id"])
    return article


__all__ = ["extract_document", "ExtractOptions"]
