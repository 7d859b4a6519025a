"""MHTML (.mhtml, .mht): a page a browser saved as one file ("Save as… Webpage, Single File"; RFC 2557).

The page is the multipart/related message's root part (its `start` parameter, else its first text/html part),
decoded from its transfer encoding (quoted-printable, base64). Its URL is the snapshot's Content-Location, its
charset the part's own, and it was first seen when it was saved (the message's Date), not when the file was
last copied. The other parts (pictures, styles, framed pages) are the page's resources, not articles.
"""
from __future__ import annotations

import email
import email.policy
from datetime import datetime
from email.message import Message
from email.utils import parsedate_to_datetime

from ..records import Failure, RawDocument, content_id

MHTML_SUFFIXES = (".mhtml", ".mht")


def is_mhtml_name(name: str) -> bool:
    return name.lower().endswith(MHTML_SUFFIXES)


def read_mhtml(data: bytes, origin: str, seen: datetime) -> RawDocument | Failure:
    """The page of one MHTML file's bytes (`seen`: the file's time, used when the message has no Date)."""
    try:
        msg = email.message_from_bytes(data, policy=email.policy.compat32)
    except Exception as e:  # the email parser is lenient; a hostile file must still not stop the batch
        return Failure(origin=origin, reason=f"broken MHTML: {type(e).__name__}: {e}", stage="ingest", data=data[:65536],
                       id=content_id(data[:65536]))
    page = _root_page(msg)
    if page is None:
        why = "not MHTML (no multipart/related message)" if not msg.is_multipart() else "MHTML without an HTML page part"
        return Failure(origin=origin, reason=why, stage="ingest", data=data[:65536], id=content_id(data[:65536]))
    try:
        body = page.get_payload(decode=True) or b""
    except Exception as e:
        return Failure(origin=origin, reason=f"broken MHTML page part: {e}", stage="ingest")
    if not body.strip():
        return Failure(origin=origin, reason="MHTML page part is empty", stage="ingest")
    saved = _date(msg.get("Date"))
    url = msg.get("Snapshot-Content-Location") or page.get("Content-Location")
    hints = {"url": url.strip() if url else None, "charset": page.get_content_charset(),
             "content_type": "text/html", "saved": saved.isoformat() if saved else None}
    return RawDocument(id=content_id(body), origin=origin, data=body, media_type="text/html", first_seen=saved or seen,
                       first_seen_source="mhtml-date" if saved else "file-mtime", hints={k: v for k, v in hints.items() if v})


def _root_page(msg: Message) -> Message | None:
    """The message's root HTML part (RFC 2557: the `start` Content-ID, else the first part), or None."""
    if not msg.is_multipart():
        return msg if msg.get_content_type() == "text/html" and msg.get("Snapshot-Content-Location") else None
    parts = [p for p in msg.walk() if not p.is_multipart()]
    start = (msg.get_param("start") or "").strip("<>")
    if start:
        for p in parts:
            if (p.get("Content-ID") or "").strip().strip("<>") == start and p.get_content_type() == "text/html":
                return p
    return next((p for p in parts if p.get_content_type() in ("text/html", "application/xhtml+xml")), None)


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        d = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return d if d.tzinfo is not None else None
