"""`newstrace check --server URL`: the verdict of a running server, the same as a local check, without loading models here."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newstrace.cli import app
from webhelpers import running_server

ROOT = Path(__file__).resolve().parents[2]
LD = ROOT / "examples" / "seeds" / "002_647063108b32c5dd.txt"
TOKEN = "t0ken-for-the-cli-test"
runner = CliRunner()


@pytest.fixture(scope="module")
def token_server(seeds_db):
    with running_server(seeds_db, env={"NEWSTRACE_TOKEN": TOKEN}) as base:
        yield base


def test_check_through_the_server_gives_the_local_verdict(token_server, seeds_db, tmp_path):
    local = json.loads(runner.invoke(app, ["check", str(LD), "--json", "--db", seeds_db]).stdout)
    # a subprocess shows what a user's shell gets, and that no model was imported to get it
    code = ("import sys; from newstrace.cli import app\n"
            "try:\n    app()\nexcept SystemExit as e:\n    print('EXIT', e.code, 'spacy' in sys.modules, file=sys.stderr)\n")
    env = {**os.environ, "NEWSTRACE_SERVER": token_server, "NEWSTRACE_TOKEN": TOKEN, "HF_HUB_OFFLINE": "1"}
    r = subprocess.run([sys.executable, "-c", code, "check", str(LD), "--json", "--db", str(tmp_path / "unused.db")],
                       capture_output=True, text=True, env=env, timeout=120)
    assert "EXIT 0 False" in r.stderr, r.stderr
    remote = json.loads(r.stdout)
    assert remote["recycled"] == local["recycled"] and remote["recycled"]["is_recycled"] is True
    assert remote["stored_as"] == local["stored_as"] is not None
    assert remote["article"]["title"] == local["article"]["title"]
    assert not (tmp_path / "unused.db").exists()   # the server's store answers, not --db


def test_check_through_the_server_says_when_the_token_is_missing(token_server, monkeypatch):
    monkeypatch.delenv("NEWSTRACE_TOKEN", raising=False)
    r = runner.invoke(app, ["check", str(LD), "--server", token_server])
    assert r.exit_code == 1
    said = " ".join(r.output.split())
    assert "answered 401" in said and "set $NEWSTRACE_TOKEN" in said


def test_check_through_a_server_that_is_not_there_says_so(tmp_path):
    r = runner.invoke(app, ["check", str(LD), "--server", "http://127.0.0.1:9"])
    assert r.exit_code == 1 and "cannot reach the server http://127.0.0.1:9" in " ".join(r.output.split())
