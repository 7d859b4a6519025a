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
from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..store import Store, open_store
from . import actions, views
from .api import router as api_router, run_check
from .cache import PageCache
from .highlight import highlight
from .security import SecurityMiddleware, allowed_host_names, is_loopback, presented_token, token_ok

HERE = Path(__file__).parent
PAGE_SIZE = 20
MAX_OFFSET = 10_000_000  # the API's bound too: far past any real store, far below SQLite's 64-bit integers
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


def create_app(store: Store, token: str | None = None, *, host: str = "127.0.0.1", allowed_hosts: tuple[str, ...] = (),
               check_limits: actions.CheckLimits | None = None) -> FastAPI:
    """The FastAPI app over one store; `token` (when set) guards writes and checks; requests must name an allowed host."""
    app = FastAPI(title="newstrace", version="1", docs_url=None, redoc_url=None, openapi_url="/api/openapi.json",
                  description="Stories, articles, copies and recycled reports. Errors are JSON: {status, message}.")
    app.state.store = store
    app.state.token = token
    app.state.check_limits = check_limits or actions.CheckLimits()
    app.state.check_gate = actions.CheckGate(app.state.check_limits.concurrency)
    # NEWSTRACE_PAGE_CACHE=0 turns the page cache off (to measure the uncached path).
    app.state.cache = PageCache(int(os.environ.get("NEWSTRACE_PAGE_CACHE", "512")))
    app.include_router(api_router)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    def crash_body(scope: Any, status: int, message: str) -> tuple[bytes, bytes]:
        accept = dict((k.decode("latin-1").lower(), v.decode("latin-1")) for k, v in scope.get("headers", [])).get("accept", "")
        if scope.get("path", "").startswith("/api/") or "text/html" not in accept:
            return b"", b""  # the middleware's JSON
        return b"text/html; charset=utf-8", ENV.get_template("error.html").render(status_code=status, message=message).encode()
    app.add_middleware(SecurityMiddleware, max_body=actions.MAX_UPLOAD_BYTES + 64 * 1024,
                       allowed_hosts=allowed_host_names(host, allowed_hosts), render_error=crash_body)

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
    def stories_page(request: Request, offset: int = Query(0, ge=0, le=MAX_OFFSET)) -> HTMLResponse:
        p = request.query_params
        filters = {k: (p.get(k) or "").strip()[:500] for k in ("q", "outlet", "from", "to", "place", "entity")}
        sort = p.get("sort") if p.get("sort") in ("largest", "newest") else "largest"
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

    limit = app.state.check_limits.max_bytes

    @app.get("/check", response_class=HTMLResponse, include_in_schema=False)
    def check_form() -> HTMLResponse:
        return page("check.html", form={}, results=None, error=None, limit=limit, needs_token=bool(token))

    @app.post("/check", response_class=HTMLResponse, include_in_schema=False)
    async def check_submit(request: Request) -> HTMLResponse:
        form = await request.form(max_files=1, max_fields=20, max_part_size=actions.MAX_UPLOAD_BYTES + 1)
        fields = {k: v for k, v in form.items() if isinstance(v, str) and k != "token"}
        upload = form.get("file")

        def answer(status: int, error: str | None, results: list[dict[str, Any]] | None = None) -> HTMLResponse:
            return page("check.html", status=status, form=fields, results=results, error=error, limit=limit, needs_token=bool(token))
        given = form.get("token") if isinstance(form.get("token"), str) else None
        if not token_ok(given or presented_token({k.lower(): v for k, v in request.headers.items()}), token):
            return answer(401, "this server needs its token to check articles: enter it in the Token field")
        try:
            if upload is not None and not isinstance(upload, str) and upload.filename:
                raws = actions.raw_from_upload(upload.filename, await upload.read(limit + 1), limit=limit)
                raws = raws if isinstance(raws, list) else [raws]
            else:
                raws = [actions.raw_from_fields(fields, limit=limit)]
        except actions.InputError as e:
            return answer(e.status, str(e))
        try:
            results = await run_check(request, store, raws)
        except HTTPException as e:  # 429: too many checks at once
            resp = answer(e.status_code, str(e.detail))
            resp.headers.update(e.headers or {})
            return resp
        return answer(200, None, results)

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


def run(db: str | None, host: str = "127.0.0.1", port: int = 8000, allowed_hosts: tuple[str, ...] = (),
        check_limits: actions.CheckLimits | None = None) -> None:
    """Serve the web UI and API; beyond loopback, writes and checks need a token ($NEWSTRACE_TOKEN, else one made up and printed)."""
    import uvicorn
    token = write_token(host)
    if token and not os.environ.get("NEWSTRACE_TOKEN"):
        print(f"newstrace: listening beyond loopback ({host}); token for ingest and check: {token}", file=sys.stderr)
    store = open_store(db)
    if os.environ.get("NEWSTRACE_NO_WARMUP") != "1":
        # Load the language models now, in the background, so the first check does not wait ~20 s for them.
        threading.Thread(target=_warm_up, name="warm-up", daemon=True).start()
    print(f"newstrace: serving http://{host}:{port}/ (API under /api/)", file=sys.stderr)
    try:
        app = create_app(store, token, host=host, allowed_hosts=allowed_hosts, check_limits=check_limits)
        uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
    finally:
        store.close()
