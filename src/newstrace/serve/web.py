"""The web UI (Stories, Story, Article, Check pages) and the app that also serves the REST API; `run` starts it."""
from __future__ import annotations

import logging
import os
import secrets
import sys
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import jinja2
from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..store import Store, open_store
from . import actions, views
from .api import router as api_router
from .cache import PageCache
from .highlight import highlight
from .security import SecurityMiddleware, is_loopback

HERE = Path(__file__).parent
PAGE_SIZE = 20
log = logging.getLogger("newstrace.serve")


def safe_url(url: str | None) -> str | None:
    """A link target only for http(s) URLs: article URLs are untrusted (javascript:, data: …)."""
    if not url:
        return None
    try:
        return url if urlsplit(url.strip()).scheme.lower() in ("http", "https") else None
    except ValueError:
        return None


def claim_label(c: dict[str, Any]) -> str:
    """A short name for a claim from its kind-specific fields (the full sentences are shown beside it)."""
    kind = c.get("kind")
    if kind == "quantity" and c.get("number"):
        parts = [c.get("owner"), c.get("verb"), c.get("qualifier"), str(c.get("number")), c.get("unit"), c.get("counted")]
    elif kind == "quote" and (c.get("speaker") or c.get("words")):
        return f"{c.get('speaker') or 'unattributed'}: “{c.get('words') or c.get('text')}”"
    elif kind == "event" and c.get("action"):
        parts = [c.get("actor"), c.get("action"), c.get("target"), ("in " + c["place"]) if c.get("place") else None]
    else:
        parts = []
    label = " ".join(str(p) for p in parts if p)
    return label or (c.get("text") or "")


STATUS_ORDER = {"conflicting": 0, "corroborated": 1, "single-source": 2}


def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE / "templates")), autoescape=True,
                             undefined=jinja2.ChainableUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["safe_url"] = safe_url
    env.filters["claim_label"] = claim_label
    env.filters["day"] = lambda v: (v or "")[:10]
    return env


ENV = _env()


def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render one template (autoescaped) as an HTML response."""
    return HTMLResponse(ENV.get_template(name).render(**context), status_code=status)


def _message(exc: Exception) -> str:
    if isinstance(exc, RequestValidationError):
        parts = []
        for e in exc.errors():
            where = ".".join(str(x) for x in e.get("loc", ()) if x not in ("query", "body", "path"))
            parts.append(f"{where or 'request'}: {e.get('msg')}")
        return "invalid request: " + "; ".join(parts)
    return str(getattr(exc, "detail", None) or exc)


def create_app(store: Store, token: str | None = None) -> FastAPI:
    """The FastAPI app over one store; `token` (when set) guards the write endpoints."""
    app = FastAPI(title="newstrace", version="1", docs_url=None, redoc_url=None, openapi_url="/api/openapi.json",
                  description="Stories, articles, copies and recycled reports. Errors are JSON: {status, message}.")
    app.state.store = store
    app.state.token = token
    # NEWSTRACE_PAGE_CACHE=0 turns the page cache off (to measure the uncached path).
    app.state.cache = PageCache(int(os.environ.get("NEWSTRACE_PAGE_CACHE", "512")))
    app.include_router(api_router)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.add_middleware(SecurityMiddleware, max_body=actions.MAX_UPLOAD_BYTES + 64 * 1024)

    def error(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
        if request.url.path.startswith("/api/") or "text/html" not in request.headers.get("accept", ""):
            return JSONResponse({"status": status, "message": message}, status_code=status, headers=headers)
        resp = page("error.html", status=status, status_code=status, message=message)
        resp.headers.update(headers or {})
        return resp

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return error(request, exc.status_code, _message(exc), getattr(exc, "headers", None))  # e.g. Allow on 405

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return error(request, 422, _message(exc))

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        log.exception("error serving %s", request.url.path)
        return error(request, 500, f"internal error ({type(exc).__name__})")

    def openapi() -> dict[str, Any]:
        # FastAPI documents 422 with its own body; ours is the common {status, message}.
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        for path in schema.get("paths", {}).values():
            for op in path.values():
                if "422" in op.get("responses", {}):
                    op["responses"]["422"] = {"description": "Invalid request",
                                              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
        for name in ("HTTPValidationError", "ValidationError"):
            schema.get("components", {}).get("schemas", {}).pop(name, None)
        app.openapi_schema = schema
        return schema
    app.openapi = openapi  # type: ignore[method-assign]

    # --- pages -------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(request: Request) -> HTMLResponse:
        p = request.query_params
        filters = {k: (p.get(k) or "").strip()[:500] for k in ("q", "outlet", "from", "to", "place", "entity")}
        sort = p.get("sort") if p.get("sort") in ("largest", "newest") else "largest"
        try:
            offset = max(0, int(p.get("offset") or 0))
        except ValueError:
            offset = 0
        notes = []
        for k in ("from", "to"):
            if filters[k] and not _is_date(filters[k]):
                notes.append(f"'{filters[k]}' is not a date (YYYY-MM-DD); the {k} filter was ignored")
                filters[k] = ""

        def render() -> bytes:
            data = views.stories_page_json(store, sort=sort, offset=offset, limit=PAGE_SIZE, q=filters["q"], outlet=filters["outlet"],
                                           date_from=filters["from"], date_to=filters["to"], place=filters["place"], entity=filters["entity"])
            base = {k: v for k, v in {**filters, "sort": sort}.items() if v}
            prev_url = "/?" + urlencode({**base, "offset": max(0, offset - PAGE_SIZE)}) if offset > 0 else None
            next_url = "/?" + urlencode({**base, "offset": offset + PAGE_SIZE}) if offset + PAGE_SIZE < data["total"] else None
            return ENV.get_template("stories.html").render(data=data, filters=filters, sort=sort, notes=notes,
                                                            prev_url=prev_url, next_url=next_url).encode("utf-8")
        key = ("page-stories", sort, offset, *sorted(filters.items()), *notes)
        return HTMLResponse(app.state.cache.get_or_make(store, key, render))

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(story_id: str) -> HTMLResponse:
        doc = store.get_story(story_id)
        if doc is None:
            raise HTTPException(404, f"no story {story_id!r}")
        sources = views.story_sources_json(store, doc)
        chart = {"articles": sources, "places": doc.get("places") or []}
        claims = sorted(doc.get("claims") or [], key=lambda c: STATUS_ORDER.get(c.get("status"), 3))
        shared = [c for c in claims if c.get("status") != "single-source"]
        single = [c for c in claims if c.get("status") == "single-source"]
        quotes = [c for c in claims if c.get("kind") == "quote"]
        return page("story.html", story=doc, counts=views.story_counts(doc), sources=sources, chart=chart, quotes=quotes,
                    shared=shared, single=single)

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(article_id: str) -> HTMLResponse:
        art = views.article_detail_json(store, article_id)
        if art is None:
            raise HTTPException(404, f"no article {article_id!r}")
        runs = highlight(art["text"] or "", art["entities"], art["dates"], art["claims"])
        story = store.get_story(art["story_id"]) if art.get("story_id") else None
        return page("article.html", a=art, runs=runs, story=story)

    @app.get("/check", response_class=HTMLResponse, include_in_schema=False)
    def check_form() -> HTMLResponse:
        return page("check.html", form={}, results=None, error=None, limit=actions.MAX_UPLOAD_BYTES)

    @app.post("/check", response_class=HTMLResponse, include_in_schema=False)
    async def check_submit(request: Request) -> HTMLResponse:
        form = await request.form(max_files=1, max_fields=20, max_part_size=actions.MAX_UPLOAD_BYTES + 1)
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        upload = form.get("file")
        try:
            if upload is not None and not isinstance(upload, str) and upload.filename:
                raws = actions.raw_from_upload(upload.filename, await upload.read(actions.MAX_UPLOAD_BYTES + 1))
                raws = raws if isinstance(raws, list) else [raws]
            else:
                raws = [actions.raw_from_fields(fields)]
        except actions.InputError as e:
            return page("check.html", status=e.status, form=fields, results=None, error=str(e), limit=actions.MAX_UPLOAD_BYTES)
        results = await run_in_threadpool(actions.check, store, raws)
        return page("check.html", form=fields, results=results, error=None, limit=actions.MAX_UPLOAD_BYTES)

    return app


def _is_date(s: str) -> bool:
    from datetime import date
    try:
        date.fromisoformat(s)
        return True
    except ValueError:
        return False


def _warm_up() -> None:
    """Run enrichment once on a tiny article so the models are loaded before anyone checks one."""
    try:
        from ..enrich import enrich_articles
        from ..records import Article
        enrich_articles([Article(id="warm-up", origin="warm-up", title="Warm-up", text="Officials met in Warsaw on Monday.")])
    except Exception:  # a failed warm-up only means the first check loads the models itself
        log.warning("model warm-up failed", exc_info=True)


def write_token(host: str) -> str | None:
    """The token writes need: $NEWSTRACE_TOKEN when set; beyond loopback a fresh random one; else none."""
    token = os.environ.get("NEWSTRACE_TOKEN") or None
    if token is None and not is_loopback(host):
        token = secrets.token_urlsafe(24)
    return token


def run(db: str | None, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the web UI and API; beyond loopback, writes need a token ($NEWSTRACE_TOKEN, else one made up and printed)."""
    import uvicorn
    token = write_token(host)
    if token and not os.environ.get("NEWSTRACE_TOKEN"):
        print(f"newstrace: listening beyond loopback ({host}); write token for /api/ingest: {token}", file=sys.stderr)
    store = open_store(db)
    if os.environ.get("NEWSTRACE_NO_WARMUP") != "1":
        # Load the language models now, in the background, so the first check does not wait ~20 s for them.
        threading.Thread(target=_warm_up, name="warm-up", daemon=True).start()
    print(f"newstrace: serving http://{host}:{port}/ (API under /api/)", file=sys.stderr)
    try:
        uvicorn.run(create_app(store, token), host=host, port=port, log_level="warning", server_header=False)
    finally:
        store.close()
