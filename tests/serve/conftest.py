"""Fixtures for the web tests: real stores, a real server subprocess, Debian's chromium driven by Playwright."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

from webhelpers import CHROMIUM, CHROMIUM_ARGS, ROOT, running_server

ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(scope="session")
def browser():
    """One headless Debian chromium for the whole run (never a downloaded browser)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class WatchedPage:
    """A page that records console errors/warnings, uncaught script errors and dialogs (any would mean a problem)."""

    def __init__(self, page):
        self.page = page
        self.problems: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", lambda m: self.problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        page.on("dialog", self._dialog)

    def _dialog(self, d) -> None:
        self.dialogs.append(f"{d.type}: {d.message}")
        d.dismiss()


@pytest.fixture()
def watched(browser) -> Iterator[WatchedPage]:
    """A fresh browser page whose console is watched."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    w = WatchedPage(ctx.new_page())
    yield w
    ctx.close()


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory) -> str:
    """A store made by the real pipeline: `newstrace ingest examples/seeds`."""
    db = str(tmp_path_factory.mktemp("seeds") / "seeds.db")
    r = subprocess.run([sys.executable, "-m", "newstrace", "ingest", str(ROOT / "examples" / "seeds"), "--db", db],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    return db


@pytest.fixture(scope="module")
def seeds_server(seeds_db) -> Iterator[str]:
    """`newstrace serve` on the seeds store."""
    with running_server(seeds_db, env={"NEWSTRACE_NO_WARMUP": "1"}) as base:
        yield base


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where the browser tests leave their screenshots (gitignored)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
