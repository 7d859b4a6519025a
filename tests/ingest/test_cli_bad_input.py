"""Every command, in process, against the inputs that used to crash it: exit codes, failure stages, hostile text."""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from loopback_server import LoopbackServer, Route
from news_pages import page, rss
from newstrace import cli
from newstrace.cli import app

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "examples" / "seeds"
MT = "000_0551815b77612936.txt"
HTML = {"Content-Type": "text/html; charset=utf-8"}
BLANK_HTML = b"<html><head><title>A title and nothing else</title></head><body></body></html>"

runner = CliRunner()


def run(*args: str, **kw):
    return runner.invoke(app, list(args), **kw)


@pytest.fixture(scope="module")
def server():
    srv = LoopbackServer().start()
    srv.routes["/blank"] = Route(BLANK_HTML, headers=HTML)
    srv.routes["/good"] = Route(page(1), headers=HTML)
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    d = tmp_path_factory.mktemp("inputs")
    (d / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    (d / "oneword.txt").write_text("Short\n")
    (d / "blank.html").write_bytes(BLANK_HTML)
    shutil.copy(SEEDS / MT, d / "good.txt")
    return d


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("seeded") / "s.db")
    r = run("ingest", str(SEEDS), "--db", db)
    assert r.exit_code == 0, r.output
    return db


def _spec(arg: str, inputs: Path, server: LoopbackServer, seeded: str, missing: str) -> str:
    return (arg.replace("{in}", str(inputs)).replace("{url}", server.base).replace("{db}", seeded)
            .replace("{missing}", missing))


# (command line, exit status, what the output must say): README "What happens to bad input" documents the statuses.
CASES = [
    ("ingest {in}/binary.txt --db {new}", 1, "binary content"),
    ("ingest {in}/oneword.txt --db {new}", 1, "no article text"),
    ("ingest {in}/blank.html --db {new}", 1, "no article text"),
    ("ingest {url}/missing --allow-private --db {new}", 1, "404"),
    ("ingest {in}/good.txt {in}/binary.txt --db {new}", 3, "1 new article(s)"),
    ("ingest {in}/good.txt {url}/blank --allow-private --db {new}", 3, "no article text"),
    ("ingest {in}/good.txt --db {db}", 0, "already stored"),
    ("ingest {in}/good.txt --db /nonexistent/dir/x.db", 1, "the folder /nonexistent/dir does not exist"),
    ("extract {in}/binary.txt", 1, "binary content"),
    ("extract {in}/oneword.txt", 1, "no article text"),
    ("extract {in}/blank.html", 1, "no article text"),
    ("extract {in}/good.txt {in}/oneword.txt", 3, "no article text"),
    ("extract {in}/good.txt", 0, "Russian Paratroopers"),
    ("check {in}/binary.txt --db {db}", 1, "binary content"),
    ("check {in}/oneword.txt --db {db}", 1, "no article text"),
    ("check {in}/blank.html --db {db}", 1, "no article text"),
    ("check {url}/missing --allow-private --db {db}", 1, "404"),
    ("check {in}/good.txt --db {db}", 0, "already stored as article"),
    ("check {in}/good.txt --db {missing}", 1, "no store at"),
    ("articles --db {missing}", 1, "no store at"),
    ("stories --db {missing}", 1, "no store at"),
    ("story abc --db {missing}", 1, "no store at"),
    ("quarantine --db {missing}", 1, "no store at"),
    ("articles --db /nonexistent/dir/x.db", 1, "no store at"),
    ("story no-such-story --db {db}", 1, "no story 'no-such-story'"),
    ("stories --db {in}/good.txt", 1, "cannot open the store"),
]


@pytest.mark.parametrize("line,status,says", CASES, ids=[c[0].split(" --")[0] for c in CASES])
def test_every_command_exits_with_the_documented_status_and_says_why(line, status, says, inputs, server, seeded, tmp_path):
    missing = str(tmp_path / "typo.db")
    args = [_spec(a, inputs, server, seeded, missing).replace("{new}", str(tmp_path / "new.db")) for a in line.split()]
    r = run(*args)
    assert r.exit_code == status, r.output
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    assert "Traceback" not in r.output
    assert says in " ".join(r.output.split()), r.output
    assert not Path(missing).exists()          # a read command never creates the store it was pointed at


def test_a_run_of_only_bad_inputs_quarantines_each_at_its_stage(inputs, tmp_path):
    db = str(tmp_path / "q.db")
    r = run("ingest", str(inputs / "binary.txt"), str(inputs / "oneword.txt"), str(inputs / "blank.html"), "--db", db)
    assert r.exit_code == 1, r.output
    rows = json.loads(run("quarantine", "--json", "--db", db).stdout)
    assert sorted((Path(q["origin"]).name, q["stage"]) for q in rows) == [
        ("binary.txt", "ingest"), ("blank.html", "extract"), ("oneword.txt", "extract")]
    again = run("ingest", str(inputs / "binary.txt"), str(inputs / "oneword.txt"), str(inputs / "blank.html"), "--db", db)
    assert again.exit_code == 1 and "3 quarantined" in again.output
    assert len(json.loads(run("quarantine", "--json", "--db", db).stdout)) == 3


def test_a_file_whose_every_record_fails_alike_is_said_in_a_few_lines_and_quarantined_whole(tmp_path):
    # ingesting ../shared printed 1,283 identical lines for the rated pairs' file (records of text1/text2, no 'text')
    # and buried the summary; each record must still be quarantined, and a different failure still said in full
    d = tmp_path / "in"
    shutil.copytree(SEEDS, d)
    pairs = d / "pairs.jsonl"
    pairs.write_text("".join(json.dumps({"pair_id": f"p{i}", "text1": "Ein Bericht.", "text2": "A report."}) + "\n"
                             for i in range(10)))
    (d / "oneword.txt").write_text("Short\n")
    db = str(tmp_path / "p.db")
    r = run("ingest", str(d), "--db", db)
    assert r.exit_code == 3, r.output
    said = [line for line in r.stderr.splitlines() if "pairs.jsonl" in line]
    reason = "record has no 'text', 'html' or 'title'"
    assert [line.split(": ", 1)[0] for line in said[:3]] == [f"quarantined {pairs}#line={n}" for n in (1, 2, 3)]
    assert all(reason in line for line in said), said
    assert len(said) == 4 and said[3].startswith(f"... and 7 more record(s) of {pairs} quarantined: {reason}"), said
    assert "(10 in all; `newstrace quarantine` lists each)" in said[3]
    assert "oneword.txt: no article text found" in r.stderr
    rows = json.loads(run("quarantine", "--json", "--db", db).stdout)
    assert sorted(q["origin"] for q in rows if "pairs.jsonl" in q["origin"]) == sorted(f"{pairs}#line={n}" for n in range(1, 11))
    ex = run("extract", str(pairs), "--json")
    assert ex.exit_code == 1
    assert [json.loads(line)["origin"] for line in ex.stdout.splitlines()] == [f"{pairs}#line={n}" for n in range(1, 11)]
    notes = ex.stderr.splitlines()
    assert len(notes) == 4 and notes[3].startswith(f"... and 7 more record(s) of {pairs} not read: {reason}"), notes


def test_the_seeds_beside_a_one_word_file_and_a_readme_store_exactly_the_seeds(tmp_path):
    # the crash that stored nothing: the progress line was handed the raw document instead of the failure
    d = tmp_path / "in"
    shutil.copytree(SEEDS, d)
    (d / "oneword.txt").write_text("Short\n")
    (d / "README.md").write_text("# Notes\n")
    db = str(tmp_path / "s.db")
    r = run("ingest", str(d), "--db", db)
    assert r.exit_code == 3 and "Traceback" not in r.output, r.output
    assert "oneword.txt: no article text found" in r.output and "README" not in r.output
    assert sorted(a["outlet"] for a in json.loads(run("articles", "--json", "--db", db).stdout)) == ["London Daily", "The Moscow Times"]


def test_files_in_a_folder_that_are_not_inputs_are_counted_by_kind_not_silently_dropped(tmp_path):
    # a folder of another format (fundus's test data: one .json of expected fields and a meta.info per country
    # beside the pages) read 258 pages and said nothing of its 223 other files
    d = tmp_path / "in"
    shutil.copytree(SEEDS, d)
    (d / "expected.json").write_text('{"V1": {"title": "Not an article file"}}')
    (d / "sub").mkdir()
    (d / "sub" / "meta.info").write_text("{}")
    (d / "sub" / "more.json").write_text("{}")
    (d / "notes.md").write_text("# Notes\n")
    (d / ".DS_Store").write_bytes(b"\0\1")   # hidden: not the user's content
    db = str(tmp_path / "s.db")
    r = run("ingest", str(d), "--db", db)
    assert r.exit_code == 0, r.output
    assert "4 file(s) in the folders or archives are not article inputs and were not read: 2 .json, 1 .info, 1 .md" in r.output
    assert len(json.loads(run("articles", "--json", "--db", db).stdout)) == 2
    one = run("ingest", str(d / MT), "--db", db)   # a file named alone: nothing was left aside
    assert one.exit_code == 0 and "not article inputs" not in one.output


def test_batch_without_spark_names_the_extra_to_install(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "pyspark", None)   # what `import pyspark` meets where the extra is not installed
    r = run("batch", str(SEEDS), "--out", str(tmp_path / "out"))
    assert r.exit_code == 1
    assert "pip install 'newstrace[spark]'" in r.output and "Traceback" not in r.output
    assert not (tmp_path / "out").exists()


def test_watch_counts_an_item_whose_page_holds_no_article_as_quarantined(server, tmp_path):
    server.routes["/feed"] = Route(rss("Wire", [{"title": "Good", "link": server.url("/good"), "guid": "g"},
                                                {"title": "Blank", "link": server.url("/blank"), "guid": "b"}]),
                                   headers={"Content-Type": "application/rss+xml"})
    db = str(tmp_path / "w.db")
    r = run("watch", server.url("/feed"), "--once", "--db", db, "--allow-private", "--delay", "0")
    assert r.exit_code == 0, r.output
    said = " ".join(r.output.split())
    assert "2 new item(s), 1 new article(s), 1 quarantined" in said
    assert f"quarantined {server.url('/blank')}: no article text found" in said


HOSTILE_TITLE = "Vote [sic] ends [/bold] early [red]now[/red] \\"
HOSTILE_OUTLET = "[bold]Wire[/] [link=x]"


def _hostile_record(i: int, text: str) -> str:
    return json.dumps({"id": f"h{i}", "title": HOSTILE_TITLE, "outlet": HOSTILE_OUTLET, "published": "2024-05-0%d" % (i + 1),
                       "text": text})


def test_plain_text_output_shows_hostile_text_literally(tmp_path, monkeypatch):
    # a title holding console markup once made `articles` fail with MarkupError and made `[sic]` vanish elsewhere
    monkeypatch.setattr(cli.out, "_width", 400)   # wide enough that no table wraps the titles
    monkeypatch.setattr(cli.err, "_width", 400)
    text = (SEEDS / MT).read_text(encoding="utf-8").split("\n\n", 3)[-1]
    d = tmp_path / "in"
    d.mkdir()
    (d / "h.jsonl").write_text(_hostile_record(0, text) + "\n")
    (d / "[red]bad[sic].txt").write_bytes(b"\x00\x01" * 50)
    db = str(tmp_path / "h.db")
    r = run("ingest", str(d), "--db", db)
    assert r.exit_code == 3, r.output
    assert "[red]bad[sic].txt: binary" in r.output
    sid = json.loads(run("stories", "--json", "--db", db).stdout)[0]["id"]
    from news_pages import STORIES
    body = "\n\n".join(STORIES[0][3])
    (tmp_path / "page.txt").write_text(f"{HOSTILE_OUTLET}\n\n{HOSTILE_TITLE}\n\nMay 2, 2024\n\n{body}\n")
    (tmp_path / "again.jsonl").write_text(_hostile_record(1, text) + "\n")
    for args in (["articles"], ["stories"], ["story", sid], ["quarantine"], ["check", str(tmp_path / "again.jsonl")],
                 ["extract", str(tmp_path / "page.txt")]):
        r = run(*args, *(["--db", db] if args[0] != "extract" else []))
        assert r.exit_code == 0, (args, r.output)
        assert r.exception is None or isinstance(r.exception, SystemExit), (args, r.exception)
        shown = r.output
        if args[0] == "quarantine":
            assert "[red]bad[sic].txt" in shown, shown
        else:
            assert "[sic]" in shown and "[/bold]" in shown and "[red]now[/red]" in shown, (args, shown)
