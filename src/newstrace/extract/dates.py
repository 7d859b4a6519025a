"""Parsing a claimed publication date from a string (record field, meta tag, text header)."""
from __future__ import annotations

from datetime import datetime, timezone

import dateparser

_SETTINGS = {"RETURN_AS_TIMEZONE_AWARE": True, "TIMEZONE": "UTC", "TO_TIMEZONE": "UTC",
             "PREFER_DAY_OF_MONTH": "first", "STRICT_PARSING": False}


def parse_date_hint(value: str) -> datetime | None:
    """A timezone-aware UTC datetime from a date string in any common format, or None."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        dt = dateparser.parse(value, settings=_SETTINGS)
        if dt is None:
            return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc)
