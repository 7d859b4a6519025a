"""The web UI (Stories, Story, Article, Check pages) and the app that also serves the REST API; `run` starts it."""
from __future__ import annotations

import logging
import os
import secrets
import sys
import threading
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import jinja2
from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.concurrency import run_in_threadpool

from ..store import Store, open_store
from . import actions, views
from .api import router as api_router, run_check
from .explore import router as explore_router
from .filters import ARTICLE_KEYS, ARTICLE_SORTS, STORY_KEYS, STORY_SORTS, from_page, page_sort, to_kwargs
from .cache import PageCache
from .highlight import highlight
from .ids import redirect_to_whole_id
from .security import SecurityMiddleware, allowed_host_names, is_loopback, presented_token, token_ok
from .views import claim_label

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


STATUS_ORDER = {"conflicting": 0, "corroborated": 1, "single-source": 2}


def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE / "templates")), autoescape=True,
                             undefined=jinja2.ChainableUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["safe_url"] = safe_url
    env.filters["claim_label"] = claim_label
    env.filters["day"] = lambda v: (v or "")[:10]
    return env


ENV = _env()
ENV.filters["urlquote"] = lambda v: quote(str(v or ""), safe="")


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
    app.include_router(explore_router)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    def crash_body(scope: Any, status: int, message: str) -> tuple[bytes, bytes]:
        accept = dict((k.decode("latin-1").lower(), v.decode("latin-1")) for k, v in scope.get("headers", [])).get("accept", "")
        if scope.get("path", "").startswith("/api/") or "text/html" not in accept:
            return b"", b""  # the middleware's JSON
        return b"text/html; charset=utf-8", ENV.get_template("error.html").render(status_code=status, message=message).encode()
    app.add_middleware(SecurityMiddleware, max_body=actions.MAX_UPLOAD_BYTES + 64 * 1024,
                       allowed_hosts=allowed_host_names(host, allowed_hosts), render_error=crash_body)

    def error(request: Request, status: int, message: str, headers: dict[str, str] | None = None,
              candidates: list[str] | None = None, choices: list[str] | None = None) -> Response:
        if request.url.path.startswith("/api/") or "text/html" not in request.headers.get("accept", ""):
            body = {"status": status, "message": message} | ({"candidates": candidates} if candidates else {})
            return JSONResponse(body, status_code=status, headers=headers)
        resp = page("error.html", status=status, status_code=status, message=message, choices=list(zip(candidates or [], choices or [])))
        resp.headers.update(headers or {})
        return resp

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return error(request, exc.status_code, _message(exc), getattr(exc, "headers", None),  # e.g. Allow on 405
                     getattr(exc, "candidates", None), getattr(exc, "choices", None))

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
        _declare_token(app, schema)
        app.openapi_schema = schema
        return schema
    app.openapi = openapi  # type: ignore[method-assign]

    @app.get("/api/docs", response_class=HTMLResponse, include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return page("api_docs.html")

    # --- pages -------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(request: Request) -> HTMLResponse:
        p = request.query_params
        filters, notes = from_page(p, STORY_KEYS)
        sort = page_sort(p.get("sort"), STORY_SORTS, "largest", filters["q"])
        offset = _offset(p)

        def render() -> bytes:
            kwargs = to_kwargs(filters)
            data = views.stories_page_json(store, sort=sort, offset=offset, limit=PAGE_SIZE, **kwargs)
            volume = views.volume_json(store, "stories", **kwargs)
            base = {k: v for k, v in {**filters, "sort": sort}.items() if v}
            return ENV.get_template("stories.html").render(
                data=data, filters=filters, sort=sort, notes=notes, volume=volume, query=urlencode(base),
                export_query=urlencode({k: v for k, v in base.items()}), **_pager("/", base, offset, data["total"])).encode("utf-8")
        key = ("page-stories", sort, offset, *sorted(filters.items()), *notes)
        return HTMLResponse(app.state.cache.get_or_make(store, key, render))

    @app.get("/articles", response_class=HTMLResponse, include_in_schema=False)
    def articles_page(request: Request) -> HTMLResponse:
        p = request.query_params
        filters, notes = from_page(p, ARTICLE_KEYS)
        sort = page_sort(p.get("sort"), ARTICLE_SORTS, "newest", filters["q"])
        offset = _offset(p)

        def render() -> bytes:
            kwargs = to_kwargs(filters)
            data = views.articles_filtered_json(store, sort=sort, offset=offset, limit=PAGE_SIZE, **kwargs)
            volume = views.volume_json(store, "articles", **kwargs)
            base = {k: v for k, v in {**filters, "sort": sort}.items() if v}
            return ENV.get_template("articles.html").render(
                data=data, filters=filters, sort=sort, notes=notes, volume=volume, export_query=urlencode(base),
                **_pager("/articles", base, offset, data["total"])).encode("utf-8")
        key = ("page-articles", sort, offset, *sorted(filters.items()), *notes)
        return HTMLResponse(app.state.cache.get_or_make(store, key, render))

    @app.get("/outlets", response_class=HTMLResponse, include_in_schema=False)
    def outlets_page() -> HTMLResponse:
        return page("outlets.html", outlets=store.outlet_stats())

    @app.get("/outlets/{name:path}", response_class=HTMLResponse, include_in_schema=False)
    def outlet_page(name: str, request: Request) -> HTMLResponse:
        out = views.outlet_json(store, name[:500])
        if out is None:
            raise HTTPException(404, f"no outlet {name!r}")
        offset = _offset(request.query_params)
        data = views.articles_filtered_json(store, sort="newest", offset=offset, limit=PAGE_SIZE, outlet_is=out["outlet"])
        volume = views.volume_json(store, "articles", outlet_is=out["outlet"])
        return page("outlet.html", o=out, data=data, volume=volume, **_pager(f"/outlets/{quote(out['outlet'], safe='')}", {}, offset, data["total"]))

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(story_id: str, request: Request, lang: str | None = Query(None, max_length=16, pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]+)?$",
                                                                           description="headline in this language when a report is in it")) -> Response:
        doc = store.get_story(story_id)
        if doc is None:
            return redirect_to_whole_id(request, store, "story", "story_id")
        doc = {**doc, "headline": views.headline_in(doc, lang)}
        sources = views.story_sources_json(store, doc)
        chart = {"articles": sources, "places": doc.get("places") or []}
        claims = sorted(doc.get("claims") or [], key=lambda c: STATUS_ORDER.get(c.get("status"), 3))
        shared = [c for c in claims if c.get("status") != "single-source"]
        single = [c for c in claims if c.get("status") == "single-source"]
        quotes = [c for c in claims if c.get("kind") == "quote"]
        return page("story.html", story=doc, counts=views.story_counts(doc), sources=sources, chart=chart, quotes=quotes,
                    shared=shared, single=single)

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(article_id: str, request: Request) -> Response:
        art = views.article_detail_json(store, article_id)
        if art is None:
            return redirect_to_whole_id(request, store, "article", "article_id")
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

    @app.get("/ingest", response_class=HTMLResponse, include_in_schema=False)
    def ingest_form() -> HTMLResponse:
        return page("ingest.html", form={}, report=None, error=None, limit=actions.MAX_UPLOAD_BYTES, needs_token=bool(app.state.token))

    @app.post("/ingest", response_class=HTMLResponse, include_in_schema=False)
    async def ingest_submit(request: Request) -> HTMLResponse:
        form = await request.form(max_files=1, max_fields=20, max_part_size=actions.MAX_UPLOAD_BYTES + 1)
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        shown = {k: v for k, v in fields.items() if k != "token"}  # never echo the token into the page

        def refused(status: int, message: str) -> HTMLResponse:
            return page("ingest.html", status=status, form=shown, report=None, error=message, limit=actions.MAX_UPLOAD_BYTES,
                        needs_token=bool(app.state.token))
        # The same rule as /api/ingest: the server's token when one is set, from the form or the usual headers.
        given = fields.get("token") or presented_token({k.lower(): v for k, v in request.headers.items()})
        if not token_ok(given, app.state.token):
            return refused(401, "this server needs its write token to store articles: paste it into the token field")
        upload = form.get("file")
        url = (fields.get("url") or "").strip()
        try:
            if upload is not None and not isinstance(upload, str) and upload.filename:
                raws = actions.raw_from_upload(upload.filename, await upload.read(actions.MAX_UPLOAD_BYTES + 1))
                items = raws if isinstance(raws, list) else [raws]
            elif url:
                items = await run_in_threadpool(_fetch_url, store, url)
            else:
                items = [actions.raw_from_fields({k: v for k, v in fields.items() if k not in ("token", "url")}, origin="web form")]
        except actions.InputError as e:
            return refused(e.status, str(e))
        report = await run_in_threadpool(actions.ingest, store, items)
        titles = {}
        for aid in report["added"] + report["unchanged"]:
            art = store.get_article(aid)
            titles[aid] = (art.outlet, art.title) if art else (None, None)
        return page("ingest.html", form={}, report=report, titles=titles, error=None, limit=actions.MAX_UPLOAD_BYTES,
                    needs_token=bool(app.state.token))

    return app


TOKEN_SCHEMES = {
    "bearer": {"type": "http", "scheme": "bearer", "description": "the server's token (ingest and check): $NEWSTRACE_TOKEN, or the one "
               "printed at start when it listens beyond loopback"},
    "tokenHeader": {"type": "apiKey", "in": "header", "name": "X-Newstrace-Token", "description": "the same token in its own header"},
}


def _declare_token(app: FastAPI, schema: dict[str, Any]) -> None:
    """Declare the write token as a security scheme, required by every operation that depends on require_token
    when the server has a token (without one, those operations are open and the schema says so)."""
    from fastapi.routing import APIRoute

    from .api import require_token

    def guarded(dep: Any) -> bool:
        return any(d.call is require_token or guarded(d) for d in dep.dependencies)
    schema.setdefault("components", {})["securitySchemes"] = TOKEN_SCHEMES
    if not app.state.token:
        return
    # Walk the routers themselves: newer FastAPI wraps included routers in app.routes.
    for route in [*api_router.routes, *explore_router.routes, *app.routes]:
        if isinstance(route, APIRoute) and route.include_in_schema and guarded(route.dependant):
            for method in route.methods:
                op = schema.get("paths", {}).get(route.path_format, {}).get(method.lower())
                if op is not None:
                    op["security"] = [{"bearer": []}, {"tokenHeader": []}]


def _fetch_url(store: Store, url: str) -> list[Any]:
    """The raw documents behind a URL (a page, or a feed's entries), fetched under the default safe policy."""
    from ..ingest.fetch import Fetcher, FetchPolicy
    from ..ingest.urls import is_url, iter_url, stored_lookup
    if not is_url(url) or len(url) > 4000:
        raise actions.InputError(400, "give an http:// or https:// address")
    # Never private or loopback addresses: a form must not let visitors reach the server's own network.
    with Fetcher(FetchPolicy(allow_private=False, total_timeout=30.0, retries=0)) as fetcher:
        return list(iter_url(url, fetcher, stored_lookup(store)))


def _offset(params: Any) -> int:
    """The page's `offset` parameter; 422 naming it when it is not a whole number from 0 to MAX_OFFSET."""
    raw = (params.get("offset") or "0").strip()
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 9 and int(raw) <= MAX_OFFSET):
        raise HTTPException(422, f"invalid request: offset: {raw[:40]!r} is not a whole number from 0 to {MAX_OFFSET}")
    return int(raw)


def _pager(path: str, base: dict[str, str], offset: int, total: int) -> dict[str, Any]:
    """Previous/next links of a list page, and a link back to the first page when the offset is past the end."""
    prev_url = f"{path}?" + urlencode({**base, "offset": max(0, min(offset, total) - PAGE_SIZE)}) if offset > 0 and total else None
    next_url = f"{path}?" + urlencode({**base, "offset": offset + PAGE_SIZE}) if offset + PAGE_SIZE < total else None
    first_url = f"{path}?" + urlencode(base) if offset >= total and offset > 0 else None
    return {"prev_url": prev_url, "next_url": next_url, "first_url": first_url}


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
