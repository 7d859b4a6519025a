"""The ingest bar on a terminal: the stage, inputs done of the total counted beforehand, the rate, and an ETA
that stands on settled inputs (read and enriched); piped runs print one line per stage instead (test_cli_formats)."""
from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

from rich.console import Console
from typer.testing import CliRunner

from newstrace import cli, pipeline
from newstrace.cliprogress import eta_seconds

ROOT = Path(__file__).resolve().parents[1]


def test_eta_is_the_inputs_left_at_the_settled_rate():
    assert eta_seconds(10, 100, 5.0) == 45.0
    assert eta_seconds(0, 100, 5.0) is None       # nothing settled yet: no rate to tell from
    assert eta_seconds(10, None, 5.0) is None     # a stream (URL, feed, stdin): no total
    assert eta_seconds(100, 100, 50.0) == 0.0


def test_a_terminal_sees_stage_total_rate_and_eta(tmp_path, monkeypatch):
    src = tmp_path / "in"
    shutil.copytree(ROOT / "examples" / "seeds", src)
    for name in sorted(p.name for p in (ROOT / "tests" / "fixtures" / "extract" / "pages").glob("*.txt"))[:3]:
        shutil.copy(ROOT / "tests" / "fixtures" / "extract" / "pages" / name, src / name)
    n = len(list(src.iterdir()))
    screen = io.StringIO()
    monkeypatch.setattr(cli, "err", Console(file=screen, force_terminal=True, width=160, color_system=None))
    monkeypatch.setattr(pipeline, "BATCH_SIZE", 1)   # each article settles on its own, so the ETA moves while reading
    r = CliRunner().invoke(cli.app, ["ingest", str(src), "--db", str(tmp_path / "p.db")])
    assert r.exit_code == 0, r.output
    frames = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen.getvalue())   # the text of every frame drawn
    assert re.search(rf"extract .*\b0/{n} inputs .*ETA -:--:--", frames)          # before anything settled
    etas = re.findall(rf"\b(\d)/{n} inputs +[0-9.]+ inputs/s +\S+ +ETA (\d+):(\d\d):(\d\d)", frames)
    assert etas, frames[-2000:]
    assert any(0 < int(done) < n for done, *_ in etas)   # an estimate while inputs are still left
    assert re.search(r"\benrich\b.*1 article\(s\)", frames)                    # the stage and its batch, not a stale file name
    assert re.search(rf"\blink\b.*{n}/{n} inputs.*ETA: linking the new articles", frames)
