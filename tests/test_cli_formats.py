"""Listing commands piped (CliRunner is not a terminal): TSV by default, every --format, ids pasted back as prefixes."""
from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newstrace import __version__
from newstrace.cli import app
from newstrace.records import Article, Failure, RawDocument, content_id
from newstrace.store import open_store

SEEDS = Path(__file__).resolve().parents[1] / "examples" / "seeds"
runner = CliRunner()
FORMATS = ["tsv", "csv", "json", "jsonl", "table"]
LISTINGS = ["articles", "stories", "quarantine"]


def run(*args: str, code: int = 0):
    r = runner.invoke(app, list(args))
    assert r.exit_code == code, (args, r.output)
    return r


def ids_in(out: str, fmt: str, column: str = "id") -> list[str]:
    """The ids a script (or a person copying from a table) reads off the output."""
    if fmt == "tsv":
        rows = [line.split("\t") for line in out.splitlines()]
        return [r[rows[0].index(column)] for r in rows[1:]]
    if fmt == "csv":
        return [r[column] for r in csv.DictReader(io.StringIO(out))]
    if fmt == "json":
        return [r["id"] for r in json.loads(out)]
    if fmt == "jsonl":
        return [json.loads(line)["id"] for line in out.splitlines()]
    return re.findall(r"^(\S+)  ", out, re.M)[1:]   # the first column of each table row, after the header


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> str:
    db = str(tmp_path_factory.mktemp("formats") / "s.db")
    said = run("ingest", str(SEEDS), "--db", db).output
    # not a terminal: one summary line per stage, with its count and time
    assert re.search(r"^extract: 2 input\(s\) read and extracted in [0-9.]+ s", said, re.M), said
    assert re.search(r"^enrich: 2 article\(s\) enriched in [0-9.]+ s \([0-9.]+/s\)", said, re.M), said
    assert re.search(r"^link: 2 article\(s\) linked in [0-9.]+ s", said, re.M), said
    assert "2 new article(s), 0 already stored (no change), 0 quarantined" in said and "resumed" not in said
    (Path(db).parent / "bad.txt").write_bytes(b"\x00\x01" * 40)
    run("ingest", str(Path(db).parent / "bad.txt"), "--db", db, code=1)
    return db


@pytest.mark.parametrize("cmd", LISTINGS)
def test_piped_listing_is_tsv_with_whole_ids_and_one_line_per_row(cmd, seeded):
    expected = json.loads(run(cmd, "--json", "--db", seeded).stdout)
    out = run(cmd, "--db", seeded).stdout
    lines = out.splitlines()
    assert len(lines) == len(expected) + 1 and all("\t" in line for line in lines)
    head = lines[0].split("\t")
    rows = [dict(zip(head, line.split("\t"))) for line in lines[1:]]
    assert all(len(line.split("\t")) == len(head) for line in lines)
    key = {"articles": "id", "stories": "id", "quarantine": "content_id"}[cmd]
    assert [r[key] for r in rows] == [e[key] for e in expected]
    assert "─" not in out and "…" not in out   # no table rules, nothing clipped


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_story_id_read_from_each_format_is_taken_back_as_a_prefix(fmt, seeded):
    stories = json.loads(run("stories", "--json", "--db", seeded).stdout)
    got = ids_in(run("stories", "--format", fmt, "--db", seeded).stdout, fmt)
    assert sorted(got) == sorted(s["id"] for s in stories) if fmt != "table" else \
        all(any(s["id"].startswith(g) for s in stories) for g in got) and len(got) == len(stories)
    for sid in got:
        shown = json.loads(run("story", sid[:8], "--json", "--db", seeded).stdout)
        assert shown["id"].startswith(sid[:8]) and shown["id"] in {s["id"] for s in stories}
        # piped, `story` lists the story's articles with whole ids, and those are taken back too
        arts = ids_in(run("story", sid[:8], "--db", seeded).stdout, "tsv")
        assert sorted(arts) == sorted(a["id"] for a in shown["articles"])
        for aid in arts:
            assert json.loads(run("article", aid[:6], "--json", "--db", seeded).stdout)["id"] == aid


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_article_id_read_from_each_format_is_taken_back_as_a_prefix(fmt, seeded):
    expected = [a["id"] for a in json.loads(run("articles", "--json", "--db", seeded).stdout)]
    got = ids_in(run("articles", "-f", fmt, "--db", seeded).stdout, fmt)
    assert len(got) == len(expected) == 2
    for aid in got:
        doc = json.loads(run("article", aid, "--format", "json", "--db", seeded).stdout)
        assert doc["id"] in expected and doc["id"].startswith(aid) and doc["text"]


def test_json_is_one_document_and_jsonl_one_object_per_line(seeded):
    for cmd in LISTINGS:
        whole = json.loads(run(cmd, "--format", "json", "--db", seeded).stdout)
        assert isinstance(whole, list) and whole == json.loads(run(cmd, "--json", "--db", seeded).stdout)
        lines = run(cmd, "--format", "jsonl", "--db", seeded).stdout.splitlines()
        assert [json.loads(line) for line in lines] == whole
    sid = json.loads(run("stories", "--json", "--db", seeded).stdout)[0]["id"]
    assert json.loads(run("story", sid, "-f", "json", "--db", seeded).stdout)["id"] == sid
    # extract --json keeps its historical meaning (one object per line); --format json is one array
    lines = run("extract", str(SEEDS), "--json").stdout.splitlines()
    assert len(lines) == 2 and all(json.loads(line)["text"] for line in lines)
    assert [a["title"] for a in json.loads(run("extract", str(SEEDS), "-f", "json").stdout)] == [json.loads(x)["title"] for x in lines]
    tsv = run("extract", str(SEEDS), "-f", "tsv").stdout.splitlines()
    assert len(tsv) == 3 and tsv[0].split("\t")[-1] == "text"


def test_unknown_or_conflicting_formats_are_refused(seeded):
    assert "choose one of table, json, jsonl, csv, tsv" in run("articles", "-f", "xml", "--db", seeded, code=2).output
    assert "two formats" in run("stories", "--json", "-f", "csv", "--db", seeded, code=2).output


def _fake_store(path: str, n: int = 30) -> list[str]:
    """A store with long titles and outlets, undated and outlet-less stories, and ids sharing prefixes."""
    s = open_store(path)
    ids = []
    for i in range(n):
        text = f"Report {i}: the border fence near Grodno was finished, officials said on the record today."
        aid = content_id(text.encode())
        s.add_raw(RawDocument(id=aid, origin=f"t{i}", data=text.encode(), media_type="text/plain",
                              first_seen=datetime(2024, 1, 1, tzinfo=timezone.utc)))
        s.add_article(Article(id=aid, origin=f"t{i}", text=text, paragraphs=[text],
                              title=f"A very long headline number {i} about the border fence near Grodno that officials "
                                    "finished after months of delays and protests by residents of the villages",
                              outlet="The Extraordinarily Long-Named Regional Evening Gazette" if i % 2 else None,
                              published=datetime(2021, 11, 1 + i % 28, tzinfo=timezone.utc) if i % 3 else None))
        s.set_article_state(aid, story_id="s-ab12cd00000" + str(i % 2))
        ids.append(aid)
    for k in range(2):
        members = [{"id": a, "outlet": None, "title": "t", "published": None, "role": "report"} for a in ids[k::2]]
        s.put_story(f"s-ab12cd00000{k}", {"id": f"s-ab12cd00000{k}", "headline": "Border fence finished near Grodno " * 3,
                                          "first_reported": {"article_id": ids[k], "outlet": None, "published": None},
                                          "period": {"start": None, "end": None}, "outlets": [], "articles": members})
    s.close()
    return ids


def test_an_80_column_table_fits_keeps_ids_whole_and_wraps_text_at_words(tmp_path):
    db = str(tmp_path / "f.db")
    ids = _fake_store(db)
    out = run("articles", "--format", "table", "--db", db).stdout   # not a terminal: rich's default width, 80
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert len(lines) <= 2 + 2 * len(ids)   # 834 lines for 108 articles before: now at most two per article
    shown = ids_in(out, "table")
    assert len(shown) == len(ids) and all(len(a) >= 8 for a in shown)
    for a in shown:
        assert [i for i in ids if i.startswith(a)] == [json.loads(run("article", a, "--json", "--db", db).stdout)["id"]]
    docs = json.loads(run("articles", "--json", "--db", db).stdout)
    whole = {w for d in docs for w in f"{d['title']} {d['outlet'] or ''} {d['published'] or ''}".split()}
    whole |= {"id", "published", "outlet", "title", "story", "note", "s-ab12cd00", *shown} | {d["published"][:10] for d in docs if d["published"]}
    whole |= {f"s-ab12cd00000{k}" for k in range(2)}
    cut = {w for w in out.replace("─", " ").split() if w.rstrip("…") not in whole}
    assert "…" in out and cut and all(w.endswith("…") and "Extraordinarily".startswith(w[:-1]) for w in cut)   # text cut between words; only a word wider than its column is cut, marked
    story_out = run("stories", "-f", "table", "--db", db).stdout
    assert max(len(line) for line in story_out.splitlines()) <= 80
    assert re.findall(r"^s-ab12cd00000[01] ", story_out, re.M)   # a story id is short enough to show whole


def test_an_ambiguous_prefix_lists_the_candidates_and_fails(tmp_path):
    db = str(tmp_path / "f.db")
    _fake_store(db, n=4)
    r = run("story", "s-ab12", "--db", db, code=2)
    said = " ".join(r.output.split())
    assert "ambiguous" in said and "s-ab12cd000000" in said and "s-ab12cd000001" in said
    assert json.loads(run("story", "s-ab12cd0000001", "--json", "--db", db, code=1).stdout or "null") is None
    assert json.loads(run("story", "s-ab12cd000001", "--json", "--db", db).stdout)["id"] == "s-ab12cd000001"


def test_unknown_outlet_and_undated_story_say_unknown_and_why(tmp_path):
    db = str(tmp_path / "f.db")
    _fake_store(db, n=4)
    said = " ".join(run("story", "s-ab12cd000000", "-f", "table", "--db", db).stdout.split())
    assert "outlets: unknown (no article names its outlet)" in said
    assert "first reported: unknown (no article in the story carries a publication date)" in said
    table = run("stories", "-f", "table", "--db", db).stdout
    rows = [line.split() for line in table.splitlines()[2:] if line.startswith("s-")]
    assert rows and all(r[2] == "unknown" and r[3] == "unknown" for r in rows)   # was "outlets 1", "first reported ?"
    assert [r["outlets"] for r in csv.DictReader(io.StringIO(run("stories", "-f", "csv", "--db", db).stdout))] == ["0", "0"]


def test_help_names_values_plainly_and_describes_every_option():
    assert run("--version").stdout.strip() == f"newstrace {__version__}"
    top = run("-h").stdout
    assert "Usage:" in top
    for cmd in ["ingest", "extract", "articles", "stories", "story", "article", "check", "quarantine", "watch", "batch", "load", "serve"]:
        text = run(cmd, "-h").stdout
        assert not re.search(r"<\w+(\[\w+\])?>|\{\w+\}", text), (cmd, text)
        options = re.findall(r"│ (--[\w-]+)(.*?)│", text)
        for name, rest in options:
            assert rest.strip(), (cmd, name, "has no description")
