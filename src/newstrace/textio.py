"""Bytes → text with a clear reason when the bytes are not readable text (used by ingest and extract)."""
from __future__ import annotations

import codecs
import html
import re
from typing import Any


class UnreadableInput(ValueError):
    """The input cannot be read as text; the message says why."""


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)


_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


def looks_binary(data: bytes) -> bool:
    """True for bytes that are not text in any encoding we accept (NULs, many control bytes)."""
    sample = data[:8192]
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in sample:
        return True
    ctrl = len(sample) - len(sample.translate(None, _CONTROL_BYTES))  # C-level count: this runs on every input
    return ctrl > max(2, len(sample) // 100)


def decode_text(data: bytes, html: bool = False) -> str:
    """Decode bytes as UTF-8 (BOMs honoured), a declared HTML charset, or a detected legacy encoding; raise UnreadableInput otherwise."""
    return decode(data, html)[0]


def decode(data: bytes, html: bool = False) -> tuple[str, str]:
    """decode_text, and the name of the encoding used."""
    if not data or not data.strip():
        raise UnreadableInput("empty input")
    if looks_binary(data):
        raise UnreadableInput("binary content, not text")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as e:
                raise UnreadableInput(f"bad encoding: {enc} byte-order mark but {e.reason} at byte {e.start}") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        if utf8_error.reason == "unexpected end of data" and utf8_error.start >= len(data) - 3:
            return data[:utf8_error.start].decode("utf-8"), "utf-8"  # cut mid-character at the very end
        declared = None
        if html:
            m = _META_CHARSET.search(data[:4096])
            declared = m.group(1).decode("ascii", "ignore").lower() if m else None
        if declared and declared not in ("utf-8", "utf8"):
            try:
                return data.decode(declared), declared
            except (LookupError, UnicodeDecodeError):
                pass
        # Legacy single-byte text is common on the web; accept it only when the non-ASCII bytes
        # look like letters in cp1252 (a few accented words), never when they dominate.
        high = sum(1 for b in data if b >= 0x80)
        if html and high <= len(data) * 0.05:
            try:
                return data.decode("cp1252"), "cp1252"
            except UnicodeDecodeError:
                pass
        legacy = _detect(data)
        if legacy is not None:
            return legacy
        raise UnreadableInput(
            f"bad encoding: not valid UTF-8 ({utf8_error.reason} at byte {utf8_error.start})"
            + (f" and not {declared}" if declared else "") + " and no usable charset declared or detected") from None


def _detect(data: bytes) -> tuple[str, str] | None:
    """Text in a legacy encoding (cp1252, cp1251, Shift JIS...) as charset-normalizer finds it, None when nothing fits."""
    from charset_normalizer import from_bytes
    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        return None
    enc = best.encoding
    # Western text decodes alike in several code pages (cp1250, cp1257...) with equal scores: the web's commonest
    # legacy encoding wins a tie
    if any(m.encoding == "cp1252" and m.chaos <= best.chaos for m in matches):
        enc = "cp1252"
    text = data.decode(enc)
    if enc != "cp1252":
        try:
            if data.decode("cp1252") == text:
                enc = "cp1252"
        except UnicodeDecodeError:
            pass
    return text, enc


# Lone surrogates (valid in JSON as \ud83d, common from cut emoji) cannot be encoded as UTF-8, and NUL breaks
# PostgreSQL text: both are replaced where text enters the system.
_UNSAFE = re.compile("[\ud800-\udfff\x00]")


def clean_text(text: str) -> str:
    """Text with lone surrogates replaced by U+FFFD and NUL characters removed."""
    if "\x00" not in text and (text.isascii() or _encodes(text)):
        return text   # the common case, told by C-speed checks (a regex search costs ~4 ms on a 150 KB page)
    return _UNSAFE.sub(lambda m: "" if m.group() == "\x00" else "\ufffd", text) if _UNSAFE.search(text) else text


def _encodes(text: str) -> bool:
    """Whether the text holds no lone surrogate (the only characters UTF-8 cannot encode)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def clean_record(rec: dict) -> dict:
    """An article record (a JSONL line) in DESIGN.md's keys (`record_fields`), its text values made safe to store."""
    return {k: clean_text(v) if isinstance(v, str) else v for k, v in record_fields(rec).items()}


# Other tools' names for a record's fields, tried in order where the record's own key is absent or empty: news-please
# (maintext, date_publish, authors; description when it kept no main text), newspaper (publish_date, authors) and
# schema.org's NewsArticle as JSON-LD writes it (articleBody, headline, datePublished, author, publisher, inLanguage).
# A user's archive from those tools is read as it is, not taken for headline-only records or refused.
FIELD_ALIASES = {
    "text": ("maintext", "articleBody", "body", "content"),
    "title": ("headline", "title_page", "title_rss"),
    "published": ("date_publish", "datePublished", "publish_date", "published_at", "pubDate"),
    "author": ("authors",),
    "outlet": ("publisher",),
    "language": ("inLanguage",),
    "url": ("mainEntityOfPage",),
}
# JSON-LD writes its text as HTML does ("Opera&ccedil;&atilde;o"): a value taken from an alias is unescaped when it
# holds character references.
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def record_fields(rec: dict) -> dict:
    """The record with DESIGN.md's keys filled from the first alias that holds a value (FIELD_ALIASES); its own
    keys and every other key are kept as they are. Names given as objects or lists ({"name": …}) become text."""
    out = dict(rec)
    for key, aliases in FIELD_ALIASES.items():
        if key == "text" and "maintext" in rec:
            aliases = (*aliases, "description")   # news-please keeps the page's description when it found no main text
        sep = "\n\n" if key == "text" else ", "
        names = ("@id", "url") if key == "url" else ("name",)
        value = _named(out.get(key), sep, names)
        for alias in aliases:
            if value:
                break
            value = _named(rec.get(alias), sep, names)
            if isinstance(value, str) and _ENTITY.search(value):
                value = html.unescape(value)
        if value:
            out[key] = value
    return out


def _named(value: Any, sep: str = ", ", names: tuple[str, ...] = ("name",)) -> Any:
    """A field value as text: an object's first of `names`, a list's items joined by `sep`; other values as they
    are (empty: None)."""
    if isinstance(value, dict):
        value = next((value[n] for n in names if isinstance(value.get(n), str) and value[n].strip()), None)
    elif isinstance(value, list):
        parts = [_named(v, sep, names) for v in value]
        value = sep.join(n.strip() for n in parts if isinstance(n, str) and n.strip()) or None
    if isinstance(value, str) and not value.strip():
        return None
    return value


_VISIBLE = re.compile(r"[^\s\x00-\x1f\x7f\u200b-\u200f\u2028-\u202f\u205f-\u206f\ufeff\ufffd]")


def has_visible_text(text: str) -> bool:
    """Whether the text shows anything: zero-width, control and replacement characters alone do not count."""
    return _VISIBLE.search(text) is not None
