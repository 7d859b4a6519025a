"""Inputs that used to crash a run or exhaust memory: each now costs itself alone, with its reason."""
from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from newstrace.cli import app
from newstrace.extract import linefeatures
from newstrace.extract.markup import split_lines
from newstrace.ingest import iter_inputs
from newstrace.pipeline import ingest
from newstrace.records import ANALYSED_CHARS, Article, Failure, RawDocument, utcnow
from newstrace.store import open_store

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "ecbplus-sample.jsonl"
RECORDS = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
runner = CliRunner()


def _max_rss_mb(args: list[str], env: dict[str, str] | None = None) -> tuple[int, float, str]:
    """Exit status, peak resident memory (MB) and stderr of one CLI run in a fresh process.

    The peak is VmHWM, the high-water mark of the process's own address space: getrusage's ru_maxrss survives
    fork and exec, so it reported the pytest parent's size (1.5 GB late in the suite) instead of the CLI's."""
    code = ("import sys\nfrom newstrace.cli import app\ntry:\n    app(sys.argv[1:])\nexcept SystemExit as e:\n"
            "    status = e.code or 0\nhwm = next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM:'))\n"
            "print('MAXRSS', status, hwm, file=sys.stderr)\n")
    r = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=900,
                       env={**os.environ, "HF_HUB_OFFLINE": "1", **(env or {})})
    line = [l for l in r.stderr.splitlines() if l.startswith("MAXRSS")][-1].split()
    return int(line[1]), int(line[2]) / 1024, r.stderr


def test_a_gzip_bomb_is_quarantined_with_a_sample_in_bounded_memory(tmp_path):
    bomb = tmp_path / "bomb.txt.gz"
    with gzip.open(bomb, "wb", compresslevel=9) as fh:   # 300 MB of text in about 300 KB
        for _ in range(300):
            fh.write(b"all work and no play " * 50_000)
    assert bomb.stat().st_size < 2_000_000
    db = str(tmp_path / "b.db")
    status, rss, err = _max_rss_mb(["ingest", str(bomb), "--db", db])
    assert status == 1, err
    assert rss < 1500, f"{rss:.0f} MB"
    store = open_store(db)
    [q] = store.failures()
    store.close()
    assert q["origin"] == str(bomb) and "too large when decompressed" in q["reason"] and "NEWSTRACE_MAX_INPUT_MB" in q["reason"]
    assert q["size"] == 64 * 1024                   # a sample, not the 300 MB


def test_the_input_cap_is_configurable(tmp_path):
    p = tmp_path / "two-mb.txt"
    p.write_bytes(b"A line of an overlong log file.\n" * 70_000)
    status, _, err = _max_rss_mb(["ingest", str(p), "--db", str(tmp_path / "c.db")], env={"NEWSTRACE_MAX_INPUT_MB": "1"})
    assert status == 1 and "too large: over 1 MB" in " ".join(err.split())


@pytest.mark.slow
def test_a_30_mb_text_is_stored_whole_and_ingested_in_bounded_memory(tmp_path):
    # real report paragraphs, repeated to 30 MB: spaCy refused it (E088) and extraction alone took 1.9 GB
    paras = [p for r in RECORDS for p in r["text"].split("\n") if p.strip()]
    out, size, i = [], 0, 0
    while size < 30_000_000:
        out.append(paras[i % len(paras)])
        size += len(out[-1]) + 2
        i += 1
    big = tmp_path / "big.txt"
    big.write_text("A very long report\n\n" + "\n\n".join(out), encoding="utf-8")
    db = str(tmp_path / "big.db")
    status, rss, err = _max_rss_mb(["ingest", str(big), "--db", db])
    assert status == 0, err
    assert rss < 1500, f"{rss:.0f} MB"
    store = open_store(db)
    [a] = list(store.articles())
    head = store.get_article(a.id, head=True)
    enrichment = store.get_enrichment(a.id)
    raw_size = len(store.get_raw(a.id).data)
    store.close()
    assert raw_size == big.stat().st_size and len(a.text) > 29_000_000    # stored whole: the bytes and the article text
    assert len(head.text) <= ANALYSED_CHARS and a.text.startswith(head.text)
    assert enrichment.mentions and all(m.end <= ANALYSED_CHARS for m in enrichment.mentions if m.end >= 0)


def test_line_features_in_pieces_equal_one_pass(monkeypatch):
    # the pieces bound memory on long pages; they must not change a single feature
    text = "\n\n".join(r["text"] for r in RECORDS[:12])
    lines = split_lines(text)
    whole = linefeatures.line_features(lines)
    monkeypatch.setattr(linefeatures, "CHUNK_CHARS", 700)
    assert np.array_equal(whole, linefeatures.line_features(lines))


def test_the_analysed_head_of_a_long_article_is_a_prefix_of_whole_paragraphs():
    paras = [f"Paragraph {i} " + "word " * 50 for i in range(400)]
    a = Article(id="a" * 32, origin="x", title="T", text="\n\n".join(paras), paragraphs=paras)
    h = a.head(limit=5000)
    assert len(h.text) <= 5000 and a.text.startswith(h.text) and h.text.endswith(paras[len(h.paragraphs) - 1])
    assert h.paragraphs == paras[:len(h.paragraphs)] and "\n\n".join(h.paragraphs) == h.text
    assert a.head(limit=len(a.text)) is a


def test_long_articles_round_trip_through_every_backend_whole_and_as_head(any_store):
    paras = [f"Paragraph {i} " + "word " * 30 for i in range(5000)]
    odd = Article(id="b" * 32, origin="y", title="Odd", text="one\n\ntwo", paragraphs=["one", "two", "three"])
    long = Article(id="c" * 32, origin="z", title="Long", text="\n\n".join(paras), paragraphs=paras)
    for art in (odd, long):
        any_store.add_raw(RawDocument(id=art.id, origin=art.origin, data=art.text.encode(), media_type="text/plain", first_seen=utcnow()))
        any_store.add_article(art)
    assert any_store.get_article(odd.id).paragraphs == ["one", "two", "three"]   # not derivable: kept as given
    got = any_store.get_article(long.id)
    assert got.text == long.text and got.paragraphs == paras
    head = any_store.get_article(long.id, head=True)
    assert head.text == long.head().text and head.paragraphs == long.head().paragraphs


def test_clean_text_replaces_lone_surrogates_and_drops_nuls_whatever_the_text_holds():
    from newstrace.textio import clean_text
    assert clean_text("plain ascii") == "plain ascii"
    assert clean_text("ascii\x00 with a NUL") == "ascii with a NUL"
    assert clean_text("Grüße \ud83d cut") == "Grüße \ufffd cut"
    assert clean_text("Grüße\x00 \udc00") == "Grüße \ufffd"
    assert clean_text("Grüße 😀") == "Grüße 😀"


def test_a_lone_surrogate_costs_nothing_and_the_rest_of_the_file_is_stored(tmp_path):
    p = tmp_path / "cut-emoji.jsonl"
    good = RECORDS[0]
    cut = {**RECORDS[1], "title": RECORDS[1]["title"] + " \ud83d", "text": RECORDS[1]["text"] + " \ud83d"}
    p.write_text(json.dumps(good) + "\n" + json.dumps(cut) + "\n", encoding="utf-8")   # "\ud83d" escaped: valid JSON
    store = open_store(str(tmp_path / "s.db"))
    report = ingest(iter_inputs([str(p)]), store, link=False)
    assert not report.failed and len(report.added) == 2
    titles = {a.external_id: a.title for a in store.articles()}
    assert titles[str(RECORDS[1]["id"])].endswith("\ufffd")
    store.close()


def test_the_same_record_by_cli_and_by_the_api_is_stored_once(tmp_path):
    from newstrace.serve.web import create_app
    rec = {**RECORDS[2], "title": RECORDS[2]["title"] + " \ud83d"}
    p = tmp_path / "one.jsonl"
    p.write_text(json.dumps(rec) + "\n", encoding="utf-8")
    db = str(tmp_path / "s.db")
    r = runner.invoke(app, ["ingest", str(p), "--db", db])
    assert r.exit_code == 0, r.output
    # the same record spelled differently: keys reordered, non-ASCII unescaped, an unknown key added
    respelled = tmp_path / "respelled.jsonl"
    spelled = {"extra": 1, **{k: v.replace("\ud83d", "@cut@") if isinstance(v, str) else v for k, v in reversed(list(rec.items()))}}
    respelled.write_text(json.dumps(spelled, ensure_ascii=False).replace("@cut@", "\\uD83D") + "\n", encoding="utf-8")
    r = runner.invoke(app, ["ingest", str(respelled), "--db", db])
    assert r.exit_code == 0 and "1 already stored" in r.output, r.output
    store = open_store(db)
    with TestClient(create_app(store), base_url="http://localhost") as c:
        # sent as a browser's JSON.stringify would: the cut emoji as an escape, which the API decodes to a lone surrogate
        out = c.post("/api/ingest", content=json.dumps({"articles": [rec]}).encode(), headers={"Content-Type": "application/json"}).json()
    assert out["added"] == [] and len(out["unchanged"]) == 1, out
    assert store.article_count() == 1
    store.close()


def test_the_folder_walk_takes_documented_types_and_a_named_other_type_is_quarantined(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "README.md").write_text("# Notes\n\nThese are the articles I collected for the report on the border crisis.\n")
    (d / "list.csv").write_text("outlet,title\nA,B\n")
    (d / "page.rst").write_text("Title\n=====\n\nText.\n")
    (d / "r.jsonl").write_text(json.dumps(RECORDS[3]) + "\n")
    items = list(iter_inputs([str(d)]))
    assert [type(i) for i in items] == [RawDocument] and items[0].origin.endswith("r.jsonl#line=1")
    named = list(iter_inputs([str(d / "README.md"), str(d / "list.csv"), str(d / "page.rst")]))
    assert all(isinstance(f, Failure) and "unsupported file type" in f.reason for f in named)
    assert [Path(f.origin).suffix for f in named] == [".md", ".csv", ".rst"]


def test_fifos_link_loops_and_broken_links_are_quarantined_without_waiting(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    os.mkfifo(d / "pipe.txt")               # would block a reader forever (and root reads any mode-000 file)
    os.symlink("loop.txt", d / "loop.txt")
    os.symlink("nowhere.txt", d / "dangling.txt")
    os.symlink(".", d / "again")            # a folder linking to itself is not followed
    (d / "zero-width.txt").write_text("\u200b\u200c\u200d\ufeff" * 40 + "\n")
    store = open_store(str(tmp_path / "s.db"))
    report = ingest(iter_inputs([str(d)]), store, link=False)
    reasons = {Path(f.origin).name: f.reason for f in report.failed}
    assert reasons == {"pipe.txt": "not a regular file (a FIFO)", "loop.txt": "symbolic link loop",
                       "dangling.txt": "broken symbolic link", "zero-width.txt": "no article text found"}
    assert report.exit_code() == 1
    store.close()
