"""REST API under /api/: the CLI's JSON (articles, stories, story, article, check, ingest), paginated."""
from __future__ import annotations

import orjson
from typing import Any, Literal

from fastapi import APIRouter, Depends, File, HTTPException, Query, Request, Response, UploadFile
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from ..store import Store
from . import actions, views
from .ids import redirect_to_whole_id
from .filters import ArticleSort, StorySort, api_article_filters, api_story_filters
from .security import presented_token, token_ok


class ErrorOut(BaseModel):
    """Every error: the HTTP status and a message saying what was wrong."""

    status: int
    message: str


class Page(BaseModel):
    """One page of a list: `items` from `offset`, at most `limit` of `total`."""

    total: int
    offset: int
    limit: int
    items: list[dict[str, Any]]


class CheckIn(BaseModel):
    """An article to judge: its text (or HTML) and, optionally, what is known about it."""

    text: str | None = Field(None, max_length=actions.MAX_UPLOAD_BYTES)
    html: str | None = Field(None, max_length=actions.MAX_UPLOAD_BYTES)
    title: str | None = Field(None, max_length=2000)
    outlet: str | None = Field(None, max_length=500)
    published: str | None = Field(None, max_length=100)
    url: str | None = Field(None, max_length=4000)
    author: str | None = Field(None, max_length=500)


class IngestIn(BaseModel):
    """Articles to store, each shaped like a JSONL input line (`text` or `html`, and `id`, `url`, `outlet`, `title`, `published`)."""

    articles: list[dict[str, Any]] = Field(..., max_length=actions.MAX_RECORDS)


class IngestOut(BaseModel):
    """What an ingest did: new article ids, inputs already stored, inputs quarantined with the reason."""

    added: list[str]
    unchanged: list[str]
    failed: list[dict[str, str]]
    summary: str


def _dumps(obj: Any) -> bytes:
    # orjson: ~20x faster than json.dumps on a page of large story documents; same JSON for these plain dicts.
    return orjson.dumps(obj, option=orjson.OPT_NON_STR_KEYS)


def fast_json(obj: Any) -> Response:
    """JSON straight from the view's plain dicts (FastAPI's generic encoder costs ~200x orjson on big story pages)."""
    return Response(_dumps(obj), media_type="application/json")


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {c: {"model": ErrorOut} for c in codes}


async def get_store(request: Request) -> Store:
    """The store the server was started on."""
    return request.app.state.store


async def require_token(request: Request) -> None:
    """Write and check endpoints need the server's token when one is set (always when bound beyond loopback)."""
    if not token_ok(presented_token({k.lower(): v for k, v in request.headers.items()}), request.app.state.token):
        raise HTTPException(401, "this server needs its token: send 'Authorization: Bearer <token>'")


RETRY_AFTER = 10  # seconds: a typical check of one article takes a few


async def run_check(request: Request, store: Store, raws: list[Any]) -> list[dict[str, Any]]:
    """Run `actions.check` in a worker thread when one of the server's check slots is free; 429 otherwise."""
    gate: actions.CheckGate = request.app.state.check_gate
    limits: actions.CheckLimits = request.app.state.check_limits
    if not gate.enter():
        raise HTTPException(429, f"too many checks running (at most {limits.concurrency} at once); try again shortly",
                            headers={"Retry-After": str(RETRY_AFTER)})
    try:
        # anyio finishes the thread even when the client goes away, so the slot is held exactly while work runs.
        return await run_in_threadpool(actions.check, store, raws, limits)
    finally:
        gate.leave()


router = APIRouter(prefix="/api", tags=["api"])
# Dates filter by comparing ISO text, so a well-formed day is all that is needed.
DAY = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"


@router.get("/stories", response_model=Page, responses=_errors(422))
def list_stories(request: Request, store: Store = Depends(get_store),
                 sort: StorySort | None = Query(None, description="largest (most articles), newest (latest report) or relevance "
                                                "(best search match; the default when `q` is given, else largest)"),
                 offset: int = Query(0, ge=0, le=10_000_000), limit: int = Query(20, ge=1, le=200),
                 filters: dict[str, Any] = Depends(api_story_filters)) -> Response:
    """Stories (the `stories --json` documents plus `counts`), filtered and paginated."""
    sort_ = sort or ("relevance" if filters.get("q") else "largest")
    key = ("api-stories", sort_, offset, limit, *sorted(filters.items()))
    body = request.app.state.cache.get_or_make(store, key, lambda: _dumps(views.stories_page_json(
        store, sort=sort_, offset=offset, limit=limit, **filters)))
    return Response(body, media_type="application/json")


@router.get("/stories/{story_id}", response_model=dict[str, Any], responses=_errors(404, 409))
def get_story(story_id: str, request: Request, store: Store = Depends(get_store)) -> Response:
    """One story document (as `story --json`), with `counts` and the `sources` table; a unique id prefix redirects (307)."""
    doc = store.get_story(story_id)
    if doc is None:
        return redirect_to_whole_id(request, store, "story", "story_id")
    return fast_json({**doc, "counts": views.story_counts(doc), "sources": views.story_sources_json(store, doc)})


@router.get("/articles", response_model=Page, responses=_errors(422))
def list_articles(store: Store = Depends(get_store), offset: int = Query(0, ge=0, le=10_000_000),
                  limit: int = Query(50, ge=1, le=500),
                  sort: ArticleSort | None = Query(None, description="ingest (stored order; the default), newest or oldest "
                                                   "(claimed date), relevance (the default when `q` is given)"),
                  filters: dict[str, Any] = Depends(api_article_filters)) -> Response:
    """Articles as `articles --json` shows them, filtered and paginated."""
    sort_ = sort or ("relevance" if filters.get("q") else "ingest")
    return fast_json(views.articles_filtered_json(store, sort=sort_, offset=offset, limit=limit, **filters))


@router.get("/articles/{article_id}", response_model=dict[str, Any], responses=_errors(404, 409))
def get_article(article_id: str, request: Request, store: Store = Depends(get_store)) -> Response:
    """One article with text, removed boilerplate, entities, dates, claims, copies and original; a unique id prefix redirects (307)."""
    out = views.article_detail_json(store, article_id)
    if out is None:
        return redirect_to_whole_id(request, store, "article", "article_id")
    return fast_json(out)


@router.get("/quarantine", response_model=Page, responses=_errors(422))
def list_quarantine(store: Store = Depends(get_store), offset: int = Query(0, ge=0, le=10_000_000),
                    limit: int = Query(50, ge=1, le=500)) -> dict[str, Any]:
    """Inputs that could not be read, with the reason (as `quarantine --json`)."""
    rows = store.failures()
    return {"total": len(rows), "offset": offset, "limit": limit,
            "items": [views.public_failure(r) for r in rows[offset:offset + limit]]}


def _checked(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if len(results) == 1 and "error" in results[0]:
        raise HTTPException(400, f"{results[0]['origin']}: {results[0]['error']}")
    return results


CHECK_ERRORS = _errors(400, 401, 403, 411, 413, 415, 422, 429)


@router.post("/check", response_model=dict[str, Any], responses=CHECK_ERRORS, dependencies=[Depends(require_token)])
async def check_text(request: Request, body: CheckIn, store: Store = Depends(get_store)) -> dict[str, Any]:
    """The `check` verdict for pasted text (copies, original, recycled or not, and why); nothing is stored."""
    try:
        raw = actions.raw_from_fields(body.model_dump(), limit=request.app.state.check_limits.max_bytes)
    except actions.InputError as e:
        raise HTTPException(e.status, str(e)) from None
    return _checked(await run_check(request, store, [raw]))[0]


@router.post("/check/upload", response_model=list[dict[str, Any]], responses=CHECK_ERRORS, dependencies=[Depends(require_token)])
async def check_upload(request: Request,
                       file: UploadFile = File(..., description=".txt, .html, .htm, .jsonl or .json, at most 256 KB (the server's check limit)"),
                       store: Store = Depends(get_store)) -> list[dict[str, Any]]:
    """The `check` verdict of each article in an uploaded file; nothing is stored."""
    limit = request.app.state.check_limits.max_bytes
    data = await file.read(limit + 1)
    try:
        raws = actions.raw_from_upload(file.filename or "upload", data, limit=limit)
    except actions.InputError as e:
        raise HTTPException(e.status, str(e)) from None
    raws = raws if isinstance(raws, list) else [raws]
    if not raws:
        raise HTTPException(400, f"{file.filename}: no articles in the file")
    return _checked(await run_check(request, store, raws))


@router.post("/ingest", response_model=IngestOut, dependencies=[Depends(require_token)],
             responses=_errors(400, 401, 403, 411, 413, 422))
def ingest_records(body: IngestIn, store: Store = Depends(get_store)) -> dict[str, Any]:
    """Store articles through the full pipeline; bad records are quarantined with the reason, repeats change nothing."""
    try:
        items = actions.records_to_raws(body.articles)
    except actions.InputError as e:
        raise HTTPException(e.status, str(e)) from None
    return actions.ingest(store, items)


@router.post("/ingest/upload", response_model=IngestOut, dependencies=[Depends(require_token)],
             responses=_errors(400, 401, 403, 411, 413, 415, 422))
async def ingest_upload(file: UploadFile = File(..., description=".txt, .html, .htm, .jsonl or .json, at most 5 MB"),
                        store: Store = Depends(get_store)) -> dict[str, Any]:
    """Store the article(s) of an uploaded file through the full pipeline."""
    data = await file.read(actions.MAX_UPLOAD_BYTES + 1)
    try:
        raws = actions.raw_from_upload(file.filename or "upload", data)
    except actions.InputError as e:
        raise HTTPException(e.status, str(e)) from None
    return await run_in_threadpool(actions.ingest, store, raws if isinstance(raws, list) else [raws])
