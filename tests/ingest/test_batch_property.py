"""Property: in any batch mixing real articles with bad inputs, each good article is stored exactly once, each bad
input is quarantined once with a reason naming it, the exit status is the documented one, and a second run changes
nothing. One process for every example, so the models load once (typer's CliRunner, in process)."""
from __future__ import annotations

import gzip
import json
import os
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st
from typer.testing import CliRunner

from newstrace.cli import app
from newstrace.ingest import files

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "examples" / "seeds").glob("*.txt"))
RECORDS = [json.loads(line) for line in (ROOT / "examples" / "ecbplus-sample.jsonl").read_text(encoding="utf-8").splitlines()
           if line.strip()]
CAP = 256 * 1024   # the input cap for these examples (files.MAX_INPUT_BYTES), so bombs and huge lines stay cheap to build
CP1252_TEXT = ("Le Courrier du Port\n\nLe traversier reprend du service apr\xe8s la temp\xeate\n\n3 mars 2024\n\n"
               "Le traversier de l\u2019\xeele a repris ses travers\xe9es dimanche, apr\xe8s la r\xe9paration du quai endommag\xe9 "
               "par la temp\xeate, a indiqu\xe9 l\u2019autorit\xe9 portuaire dans un communiqu\xe9 publi\xe9 sur son site.\n\n"
               "Environ 1 200 habitants \xe9taient coup\xe9s du continent depuis neuf jours, selon les responsables, et des "
               "vivres d\u2019urgence ont \xe9t\xe9 achemin\xe9s par h\xe9licopt\xe8re pendant la fermeture.\n")


def _write(d: Path, name: str, data: bytes) -> None:
    (d / name).write_bytes(data)


# Each bad input: how to make it in folder d, and what its quarantine row must say. File inputs are named bad-<kind>.
BAD_FILES = {
    "binary": (lambda d: _write(d, "bad-binary.txt", bytes(range(256)) * 8), "binary content"),
    "nul": (lambda d: _write(d, "bad-nul.txt", b"Text with a NUL\x00 in it. " * 30), "binary content"),
    "oneword": (lambda d: _write(d, "bad-oneword.txt", b"Short\n"), "no article text"),
    "blank-html": (lambda d: _write(d, "bad-blank-html.html", b"<html><head><title>Only a title</title></head><body></body></html>"),
                   "no article text"),
    "deep-html": (lambda d: _write(d, "bad-deep-html.html", b"<html><body>" + b"<div>" * 5000 + b"deep" + b"</div>" * 5000 + b"</body></html>"),
                  "no article text"),
    "zero-width": (lambda d: _write(d, "bad-zero-width.txt", ("\u200b\u200c\u200d\ufeff" * 60 + "\n").encode()), "no article text"),
    "empty": (lambda d: _write(d, "bad-empty.txt", b""), "empty input"),
    "mojibake": (lambda d: _write(d, "bad-mojibake.txt", b"The " + bytes(range(0x80, 0x100)) * 8), "bad encoding"),
    "truncated-gzip": (lambda d: _write(d, "bad-truncated-gzip.html.gz", gzip.compress(b"<html><body>" + b"<p>words</p>" * 500)[:60]),
                       "broken gzip"),
    "gzip-bomb": (lambda d: _write(d, "bad-gzip-bomb.txt.gz", gzip.compress(b"all work and no play " * 200_000, 9)), "too large"),
    "link-loop": (lambda d: os.symlink("bad-link-loop.txt", d / "bad-link-loop.txt"), "symbolic link loop"),
    "broken-link": (lambda d: os.symlink("nowhere.txt", d / "bad-broken-link.txt"), "broken symbolic link"),
    "fifo": (lambda d: os.mkfifo(d / "bad-fifo.txt"), "not a regular file"),   # tests run as root: a FIFO is what cannot be read
    "unsupported": (lambda d: _write(d, "bad-unsupported.csv", b"outlet,title\nA,B\n"), "unsupported file type"),  # named explicitly
}
# Bad lines of the JSONL file that also holds the good records.
BAD_LINES = {
    "broken-json": ('{"id": "x", "text": "no end', "not JSON"),
    "not-object": ('["a", "list"]', "not an object"),
    "no-text": (json.dumps({"id": "empty-record", "url": "https://example.org/x"}), "no 'text', 'html' or 'title'"),
    "huge-line": (json.dumps({"id": "huge", "text": "word " * (CAP // 4)}), "too large"),
}


@st.composite
def batches(draw):
    records = draw(st.lists(st.integers(0, len(RECORDS) - 1), unique=True, max_size=3))
    seeds = draw(st.lists(st.integers(0, len(SEEDS) - 1), unique=True, max_size=2))
    cp1252 = draw(st.booleans())
    cut_emoji = bool(records) and draw(st.booleans())
    bad = draw(st.lists(st.sampled_from(sorted(BAD_FILES) + sorted(BAD_LINES)), unique=True, min_size=1, max_size=6))
    order = draw(st.permutations(range(len(records) + len([b for b in bad if b in BAD_LINES]))))
    return records, seeds, cp1252, cut_emoji, bad, order


def _build(d: Path, batch) -> tuple[list[str], dict[str, str], dict[str, str], Counter]:
    """The input folder and what to pass: (specs, {origin suffix: reason word} for bad inputs, good origins, good record ids)."""
    records, seeds, cp1252, cut_emoji, bad, order = batch
    good_files, expect_bad = {}, {}
    for i in seeds:
        shutil.copy(SEEDS[i], d / f"good-seed{i}.txt")
        good_files[f"good-seed{i}.txt"] = "seed"
    if cp1252:
        _write(d, "good-cp1252.txt", CP1252_TEXT.encode("cp1252"))
        good_files["good-cp1252.txt"] = "cp1252"
    (d / "README.md").write_text("# What is in this folder\n\nArticles collected for the report.\n")   # skipped by the walk
    specs = [str(d)]
    for kind in bad:
        if kind in BAD_FILES:
            make, word = BAD_FILES[kind]
            make(d)
            name = next(p.name for p in d.iterdir() if p.name.startswith(f"bad-{kind}."))
            expect_bad[name] = word
            if kind == "unsupported":
                specs.append(str(d / name))
    lines = []
    for k, i in enumerate(records):
        rec = dict(RECORDS[i])
        if cut_emoji and k == 0:
            rec["title"] = rec["title"] + " \ud83d"   # a lone surrogate, escaped in the JSON: stored with U+FFFD
        lines.append(("good", json.dumps(rec)))
    lines += [(kind, BAD_LINES[kind][0]) for kind in bad if kind in BAD_LINES]
    lines = [lines[j] for j in order]
    if lines:
        (d / "records.jsonl").write_text("\n".join(text for _, text in lines) + "\n", encoding="utf-8")
        for n, (kind, _) in enumerate(lines, 1):
            if kind != "good":
                expect_bad[f"records.jsonl#line={n}"] = BAD_LINES[kind][1]
    return specs, expect_bad, good_files, Counter(str(RECORDS[i]["id"]) for i in records)


def _state(runner: CliRunner, db: str) -> tuple:
    out = []
    for cmd in ("articles", "quarantine", "stories"):
        r = runner.invoke(app, [cmd, "--json", "--db", db])
        assert r.exit_code == 0, r.output
        out.append(json.loads(r.stdout))
    return tuple(out)


EVERY_KIND = ([0, 5], [0, 1], True, True, sorted(BAD_FILES) + sorted(BAD_LINES), [5, 0, 4, 1, 3, 2])


@settings(max_examples=4, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(batch=batches())
@example(batch=EVERY_KIND)   # all 18 kinds of bad input at once, beside every kind of good one
def test_a_batch_of_good_and_bad_inputs_loses_nothing_good_and_names_everything_bad(batch):
    runner = CliRunner()
    work = Path(tempfile.mkdtemp(prefix="nt-batch-"))
    try:
        d = work / "in"
        d.mkdir()
        specs, expect_bad, good_files, good_ids = _build(d, batch)
        db = str(work / "s.db")
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(files, "MAX_INPUT_BYTES", CAP, raising=False)   # (raising=False: the test also runs against code without the cap)
            first = runner.invoke(app, ["ingest", *specs, "--db", db])
            n_good = len(good_files) + sum(good_ids.values())
            status = 3 if n_good else 1
            assert first.exit_code == status, first.output
            assert first.exception is None or isinstance(first.exception, SystemExit), first.exception
            assert "Traceback" not in first.output
            articles, quarantine, stories = state = _state(runner, db)

            # every good article exactly once, nothing else
            assert Counter(a["external_id"] for a in articles if a["external_id"]) == good_ids
            assert Counter(Path(a["origin"]).name for a in articles if not a["external_id"]) == Counter(good_files.keys())
            assert len(articles) == n_good
            # every bad input once, with a reason that says why; the README beside them is neither
            got = {os.path.relpath(q["origin"], d): q["reason"] for q in quarantine}
            assert len(quarantine) == len(expect_bad) and set(got) == set(expect_bad), (got, expect_bad)
            for origin, word in expect_bad.items():
                assert word in got[origin], (origin, got[origin])
                assert f"{origin.split('#')[0]}" in " ".join(first.output.split())   # named on stderr as it happened
            assert "README" not in first.output and all("README" not in q["origin"] for q in quarantine)

            second = runner.invoke(app, ["ingest", *specs, "--db", db])
            assert second.exit_code == status and "Traceback" not in second.output, second.output
            assert "0 new article(s)" in second.output
            assert _state(runner, db) == state
    finally:
        shutil.rmtree(work, ignore_errors=True)
