"""Ids in URLs taken as the CLI takes them: whole, or a unique prefix that redirects to the whole id."""
from __future__ import annotations

from fastapi import HTTPException, Request
from fastapi.responses import RedirectResponse

from ..store import Store
from ..store.base import AmbiguousId


class AmbiguousPrefix(HTTPException):
    """409: an id prefix that several stored ids start with; `choices` are their URLs."""

    def __init__(self, kind: str, given: str, candidates: list[str], choices: list[str]):
        more = len(candidates) > 10
        super().__init__(409, f"{kind} id {given!r} is ambiguous: it starts {'more than 10' if more else len(candidates)} ids: "
                         + ", ".join(candidates[:10]) + (" …" if more else "") + " (give more characters)")
        self.candidates, self.choices = candidates[:10], choices[:10]


def redirect_to_whole_id(request: Request, store: Store, kind: str, param: str) -> RedirectResponse:
    """A 307 to the same URL with the whole id, for a path id that found nothing as given but is a unique prefix.

    Raises 404 when no other stored id starts with it, AmbiguousPrefix when several do. Callers look the id up
    whole first, so a whole id costs no extra query.
    """
    given = request.path_params[param]
    try:
        found = store.resolve_id(kind, given)
    except AmbiguousId as e:
        raise AmbiguousPrefix(kind, given, e.candidates, [_same_url(request, param, c) for c in e.candidates]) from None
    if found is None or found == given:   # (the same id: it was stored after the caller's look-up missed it)
        raise HTTPException(404, f"no {kind} {given!r}")
    # 307, not 301: a prefix unique today may be shared tomorrow, so browsers must not remember the answer
    return RedirectResponse(_same_url(request, param, found), status_code=307)


def _same_url(request: Request, param: str, value: str) -> str:
    """This request's URL with one path parameter replaced, query string kept."""
    route = request.scope["route"]
    url = request.app.url_path_for(route.name, **{**request.path_params, param: value})
    return str(url) + (f"?{request.url.query}" if request.url.query else "")
