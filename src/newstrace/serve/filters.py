"""The story and article list filters as the pages read them (lenient, with notes) and as the API reads them (422)."""
from __future__ import annotations

from datetime import date
from typing import Any, Literal

from fastapi import HTTPException, Query

STORY_KEYS = ("q", "outlet", "from", "to", "place", "entity")
ARTICLE_KEYS = ("q", "outlet", "language", "from", "to", "recycled", "copy")
STORY_SORTS = ("largest", "newest", "relevance")
ARTICLE_SORTS = ("newest", "oldest", "ingest", "relevance")
MAX_TEXT = 500
# Well-formed YYYY-MM-DD; check_days then refuses days the calendar lacks (2021-02-30).
DAY = r"^[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
DATE_SCHEMA = {"format": "date"}


def is_day(s: str) -> bool:
    """True for a real calendar day written YYYY-MM-DD (2021-02-30 is not one)."""
    if len(s) != 10:
        return False
    try:
        date.fromisoformat(s)
        return True
    except ValueError:
        return False


def yes_no(value: str | None) -> bool | None:
    """'yes' → True, 'no' → False, anything else (empty) → None: the three states of a recycled/copy filter."""
    v = (value or "").strip().lower()
    return True if v in ("yes", "true", "1") else False if v in ("no", "false", "0") else None


def to_kwargs(filters: dict[str, str]) -> dict[str, Any]:
    """Form values → keyword arguments of the views (from/to renamed, yes/no to booleans, empty left out)."""
    out: dict[str, Any] = {}
    for k, v in filters.items():
        if not v:
            continue
        if k in ("recycled", "copy"):
            flag = yes_no(v)
            if flag is not None:
                out[k] = flag
        else:
            out[{"from": "date_from", "to": "date_to"}.get(k, k)] = v
    return out


def from_page(params: Any, keys: tuple[str, ...]) -> tuple[dict[str, str], list[str]]:
    """The filters of a page's query string, trimmed; impossible dates dropped with a note saying so."""
    filters = {k: (params.get(k) or "").strip()[:MAX_TEXT] for k in keys}
    notes = []
    for k in ("from", "to"):
        if k in filters and filters[k] and not is_day(filters[k]):
            notes.append(f"'{filters[k]}' is not a date (YYYY-MM-DD); the {k} filter was ignored")
            filters[k] = ""
    for k in ("recycled", "copy"):
        if k in filters and yes_no(filters[k]) is None:
            filters[k] = ""
    return filters, notes


def check_days(**days: str | None) -> None:
    """422 when a date filter names no real day (the pattern alone lets 2021-02-30 through)."""
    for name, value in days.items():
        if value and not is_day(value):
            raise HTTPException(422, f"invalid request: {name}: '{value}' is not a date (YYYY-MM-DD)")


def page_sort(value: str | None, allowed: tuple[str, ...], default: str, q: str) -> str:
    """The sort a page asked for; with a search and no choice, best match first."""
    if value in allowed and (value != "relevance" or q):
        return value  # type: ignore[return-value]
    return "relevance" if q and not value else default


def api_story_filters(
        q: str | None = Query(None, max_length=MAX_TEXT, description='full-text search: every word must match; "quoted phrases" in order'),
        outlet: str | None = Query(None, max_length=MAX_TEXT, description="substring of an outlet name, any case"),
        date_from: str | None = Query(None, alias="from", pattern=DAY, json_schema_extra=DATE_SCHEMA, description="stories reported on this day or later (YYYY-MM-DD)"),
        date_to: str | None = Query(None, alias="to", pattern=DAY, json_schema_extra=DATE_SCHEMA, description="stories reported on this day or earlier (YYYY-MM-DD)"),
        place: str | None = Query(None, max_length=MAX_TEXT, description="substring of a place name, any case"),
        entity: str | None = Query(None, max_length=MAX_TEXT, description="substring of an entity name or alias, any case")) -> dict[str, Any]:
    """The story filters of an API request; impossible dates are 422."""
    check_days(**{"from": date_from, "to": date_to})
    out = {"q": q, "outlet": outlet, "date_from": date_from, "date_to": date_to, "place": place, "entity": entity}
    return {k: v for k, v in out.items() if v}


def api_article_filters(
        q: str | None = Query(None, max_length=MAX_TEXT, description='full-text search: every word must match; "quoted phrases" in order'),
        outlet: str | None = Query(None, max_length=MAX_TEXT, description="substring of an outlet name, any case"),
        language: str | None = Query(None, max_length=20, description="language code (en, pl …)"),
        date_from: str | None = Query(None, alias="from", pattern=DAY, json_schema_extra=DATE_SCHEMA, description="claimed on this day or later (YYYY-MM-DD)"),
        date_to: str | None = Query(None, alias="to", pattern=DAY, json_schema_extra=DATE_SCHEMA, description="claimed on this day or earlier (YYYY-MM-DD)"),
        recycled: bool | None = Query(None, description="true: only recycled articles; false: none of them"),
        copy: bool | None = Query(None, description="true: only copies of an earlier article; false: none of them")) -> dict[str, Any]:
    """The article filters of an API request; impossible dates are 422."""
    check_days(**{"from": date_from, "to": date_to})
    out = {"q": q, "outlet": outlet, "language": language, "date_from": date_from, "date_to": date_to, "recycled": recycled, "copy": copy}
    return {k: v for k, v in out.items() if v is not None and v != ""}


StorySort = Literal["largest", "newest", "relevance"]
ArticleSort = Literal["newest", "oldest", "ingest", "relevance"]
