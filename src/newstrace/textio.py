"""Bytes → text with a clear reason when the bytes are not readable text (used by ingest and extract)."""
from __future__ import annotations

import codecs
import re


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
    """Decode bytes as UTF-8 (BOMs honoured), a declared HTML charset, or cp1252; raise UnreadableInput otherwise."""
    if not data or not data.strip():
        raise UnreadableInput("empty input")
    if looks_binary(data):
        raise UnreadableInput("binary content, not text")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc)
            except UnicodeDecodeError as e:
                raise UnreadableInput(f"bad encoding: {enc} byte-order mark but {e.reason} at byte {e.start}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        declared = None
        if html:
            m = _META_CHARSET.search(data[:4096])
            declared = m.group(1).decode("ascii", "ignore").lower() if m else None
        if declared and declared not in ("utf-8", "utf8"):
            try:
                return data.decode(declared)
            except (LookupError, UnicodeDecodeError):
                pass
        # Legacy single-byte text is common on the web; accept it only when the non-ASCII bytes
        # look like letters in cp1252 (a few accented words), never when they dominate.
        high = sum(1 for b in data if b >= 0x80)
        if html and high <= len(data) * 0.05:
            try:
                return data.decode("cp1252")
            except UnicodeDecodeError:
                pass
        raise UnreadableInput(
            f"bad encoding: not valid UTF-8 ({utf8_error.reason} at byte {utf8_error.start})"
            + (f" and not {declared}" if declared else "") + " and no usable charset declared") from None
