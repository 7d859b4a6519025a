"""Test helpers: stores written through the Store API, and a real `newstrace serve` subprocess on a free port."""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

import httpx

from newstrace.records import Article, Claim, Enrichment, Mention, MentionedDate, RawDocument, content_id
from newstrace.store import Store

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def add_article(store: Store, *, title: str, text: str, outlet: str, published: str, url: str | None = None,
                boilerplate: list[str] | None = None, mentions: list[Mention] | None = None,
                claims: list[Claim] | None = None, dates: list[MentionedDate] | None = None) -> str:
    """Store one article (raw bytes + article + enrichment) through the Store API; returns its id."""
    data = f"{outlet}\n{published}\n{title}\n\n{text}".encode()
    aid = content_id(data)
    when = datetime.fromisoformat(published).replace(tzinfo=timezone.utc)
    store.add_raw(RawDocument(id=aid, origin=f"test:{aid}", data=data, media_type="text/plain", first_seen=when))
    store.add_article(Article(id=aid, origin=f"test:{aid}", title=title, text=text, paragraphs=text.split("\n\n"),
                              outlet=outlet, url=url, published=when, published_source="test",
                              boilerplate=boilerplate or []),
                      Enrichment(article_id=aid, mentions=mentions or [], claims=claims or [], dates=dates or []))
    return aid


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_server(db: str, env: dict[str, str] | None = None, host: str = "127.0.0.1", args: tuple[str, ...] = ()) -> Iterator[str]:
    """`newstrace serve --db DB [args]` in a subprocess on a free port; yields its base URL (loopback) and stops it after."""
    port = free_port()
    log = open(Path(db).with_suffix(".serve.log"), "wb")
    proc = subprocess.Popen([sys.executable, "-m", "newstrace", "serve", "--db", db, "--host", host, "--port", str(port), *args],
                            stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "HF_HUB_OFFLINE": "1", **(env or {})})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited with {proc.returncode}: {Path(log.name).read_text()[-2000:]}")
            try:
                if httpx.get(base + "/api/stories?limit=1", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start within 60 s")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def story_doc(story_id: str, articles: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    """A story document in DESIGN.md's shape from article rows (id, outlet, title, published, role)."""
    dated = sorted(a["published"] for a in articles if a.get("published"))
    first = min(articles, key=lambda a: a.get("published") or "9999")
    return {"id": story_id, "headline": first["title"],
            "first_reported": {"article_id": first["id"], "outlet": first["outlet"], "published": first["published"]},
            "period": {"start": dated[0] if dated else None, "end": dated[-1] if dated else None},
            "outlets": sorted({a["outlet"] for a in articles}),
            "articles": [{"external_id": None, **a} for a in articles],
            "entities": [], "places": [], "claims": [], **extra}
