"""REST endpoints for exploring: volume over time, outlets, and CSV/JSON downloads of any filtered list or story."""
from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response

from ..store import Store
from . import views
from .api import ErrorOut, get_store
from .export import (ARTICLE_COLUMNS, CLAIM_COLUMNS, EXPORT_MAX, SOURCE_COLUMNS, STORY_COLUMNS, article_row, claim_rows,
                     story_row, to_csv, to_json)
from .ids import redirect_to_whole_id
from .filters import ArticleSort, StorySort, api_article_filters, api_story_filters

router = APIRouter(prefix="/api", tags=["explore"])
Format = Literal["csv", "json"]
ERRORS: dict[int | str, dict[str, Any]] = {c: {"model": ErrorOut} for c in (404, 409, 422)}
FILES = {"csv": {"text/csv": {}}, "json": {"application/json": {}}}


def download(body_rows: Any, fmt: str, columns: tuple[str, ...], name: str, rows_for_csv: Any = None) -> Response:
    """A download: JSON of the objects, or CSV of their flat rows; named so a browser saves it."""
    if fmt == "csv":
        body, media = to_csv(rows_for_csv if rows_for_csv is not None else body_rows, columns), "text/csv; charset=utf-8"
    else:
        body, media = to_json(body_rows), "application/json"
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


@router.get("/volume/{of}", responses=ERRORS)
def volume(of: Literal["stories", "articles"], store: Store = Depends(get_store),
           story_filters: dict[str, Any] = Depends(api_story_filters),
           language: str | None = Query(None, max_length=20, description="articles only"),
           recycled: bool | None = Query(None, description="articles only"),
           copy: bool | None = Query(None, description="articles only")) -> Response:
    """How many stories (by first report) or articles (by claimed date) match the filters, per day: `{of, total, days: [{day, count}]}`."""
    if of == "stories":
        return Response(to_json(views.volume_json(store, "stories", **story_filters)), media_type="application/json")
    f = {k: v for k, v in story_filters.items() if k not in ("place", "entity")}
    f.update({k: v for k, v in {"language": language, "recycled": recycled, "copy": copy}.items() if v is not None and v != ""})
    return Response(to_json(views.volume_json(store, "articles", **f)), media_type="application/json")


@router.get("/outlets", responses=ERRORS)
def outlets(store: Store = Depends(get_store)) -> Response:
    """Every outlet: `{outlet, articles, copies (of its articles that copy another), copied (its articles others copied)}`."""
    return Response(to_json(store.outlet_stats()), media_type="application/json")


@router.get("/outlets/{outlet}", responses=ERRORS)
def outlet(outlet: str = Path(..., max_length=500), store: Store = Depends(get_store)) -> Response:
    """One outlet: its counts, whom it copies (`copies_from`, `copy_pairs`) and who copies it (`copied_by`, `copied_pairs`)."""
    out = views.outlet_json(store, outlet)
    if out is None:
        raise HTTPException(404, f"no outlet {outlet!r}")
    return Response(to_json(out), media_type="application/json")


@router.get("/export/stories.{fmt}", responses={**ERRORS, 200: {"content": FILES["csv"] | FILES["json"]}})
def export_stories(fmt: Format, store: Store = Depends(get_store), sort: StorySort | None = Query(None),
                   filters: dict[str, Any] = Depends(api_story_filters)) -> Response:
    """Every story matching the filters (at most 10,000) as CSV rows or the JSON documents with counts."""
    sort_ = sort or ("relevance" if filters.get("q") else "largest")
    items = views.stories_page_json(store, sort=sort_, offset=0, limit=EXPORT_MAX, **filters)["items"]
    return download(items, fmt, STORY_COLUMNS, "stories", [story_row(s) for s in items])


@router.get("/export/articles.{fmt}", responses={**ERRORS, 200: {"content": FILES["csv"] | FILES["json"]}})
def export_articles(fmt: Format, store: Store = Depends(get_store), sort: ArticleSort | None = Query(None),
                    filters: dict[str, Any] = Depends(api_article_filters)) -> Response:
    """Every article matching the filters (at most 10,000) as CSV rows or `articles --json` objects."""
    sort_ = sort or ("relevance" if filters.get("q") else "newest")
    items = views.articles_filtered_json(store, sort=sort_, offset=0, limit=EXPORT_MAX, **filters)["items"]
    return download(items, fmt, ARTICLE_COLUMNS, "articles", [article_row(a) for a in items])


def _story(store: Store, story_id: str, request: Request) -> dict[str, Any] | Response:
    """The story document, or the redirect of a unique id prefix to the whole id."""
    doc = store.get_story(story_id)
    if doc is None:
        return redirect_to_whole_id(request, store, "story", "story_id")
    return doc


@router.get("/stories/{story_id}/articles.{fmt}", responses={**ERRORS, 200: {"content": FILES["csv"] | FILES["json"]}})
def export_story_articles(story_id: str, fmt: Format, request: Request, store: Store = Depends(get_store)) -> Response:
    """A story's sources table: each article's outlet, role, claimed date, evidence date and verdict."""
    doc = _story(store, story_id, request)
    if isinstance(doc, Response):
        return doc
    rows = views.story_sources_json(store, doc)
    return download(rows, fmt, SOURCE_COLUMNS, f"{story_id}-articles")


@router.get("/stories/{story_id}/claims.{fmt}", responses={**ERRORS, 200: {"content": FILES["csv"] | FILES["json"]}})
def export_story_claims(story_id: str, fmt: Format, request: Request, store: Store = Depends(get_store)) -> Response:
    """A story's claims with their status; CSV has one row per claim and source, JSON the claims as stored."""
    doc = _story(store, story_id, request)
    if isinstance(doc, Response):
        return doc
    claims = doc.get("claims") or []
    return download(claims, fmt, CLAIM_COLUMNS, f"{story_id}-claims", claim_rows(claims, views.claim_label))
