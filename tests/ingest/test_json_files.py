"""Article records as other tools write them: news-please's one .json per article, schema.org NewsArticle JSON-LD,
lists of records; read from files, folders and JSONL lines, and what is not an article record left aside or reported."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from newstrace.cli import app
from newstrace.ingest.files import count_inputs, skipped_in_folders
from newstrace.textio import clean_record

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "json_records"
NEWSPLEASE = FIX / "newsplease-sample.json"
JSONLD = FIX / "jsonld-newsarticle-correio.json"
FUNDUS = FIX / "fundus-expected-ChunichiShimbun.json"

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def articles(db: str) -> list[dict]:
    r = run("articles", "--json", "--db", db)
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_a_news_please_file_is_read_as_its_article(tmp_path):
    # before: "unsupported file type '.json'", exit 3, nothing stored
    db = str(tmp_path / "s.db")
    r = run("ingest", str(NEWSPLEASE), "--db", db)
    assert r.exit_code == 0, r.output
    (a,) = articles(db)
    assert a["title"] == "Moscow to Kiev: Stick to Minsk ceasefire, stop making false \u2018invasion\u2019 claims"
    assert a["url"] == "https://www.rt.com/news/203203-ukraine-russia-troops-border/"
    assert a["published"] == "2017-07-17T17:03:00+00:00" and a["published_source"] == "record"
    assert a["outlet"] == "RT"   # named from its site, as for any record with a URL
    r = run("article", a["id"], "--json", "--db", db)
    assert json.loads(r.stdout)["text"].startswith("Russia has called on Ukraine to stick to the Minsk peace process")
    again = run("ingest", str(NEWSPLEASE), "--db", db)   # the same file twice changes nothing
    assert again.exit_code == 0 and "0 new article(s), 1 already stored" in " ".join(again.output.split())
    assert len(articles(db)) == 1


def test_a_json_ld_news_article_gives_its_headline_body_byline_publisher_and_minute(tmp_path):
    r = run("extract", str(JSONLD), "--json")
    assert r.exit_code == 0, r.output
    a = json.loads(r.stdout.splitlines()[0])
    assert a["title"] == "Líder do grupo de sequestradores que tinha PMs foi morto em confronto policial"
    assert a["author"] == "Bruno Wendel"
    assert a["outlet"] == "Jornal Correio"
    assert a["published"] == "2022-05-04T05:45:00-03:00" and a["published_precision"] == "minute"
    assert a["url"].startswith("https://www.correio24horas.com.br/noticia/nid/lider-do-grupo")
    # JSON-LD's HTML character references are text, not "lideran&ccedil;as"
    assert a["text"].startswith("Uma das lideranças da organização que contava com PMs")
    assert "&ccedil;" not in a["text"] and "&nbsp;" not in a["text"]


def test_a_folder_reads_article_json_and_leaves_other_json_aside(tmp_path):
    d = tmp_path / "archive"
    (d / "2017").mkdir(parents=True)
    shutil.copy(NEWSPLEASE, d / "2017" / "rt.json")
    shutil.copy(JSONLD, d / "correio.json")
    shutil.copy(FUNDUS, d / "expected.json")   # another parser's expected output: not an article
    (d / "README.md").write_text("# crawl of 2017\n")
    assert count_inputs([str(d)]) == 2
    assert skipped_in_folders([str(d)]) == {".json": 1, ".md": 1}
    db = str(tmp_path / "s.db")
    r = run("ingest", str(d), "--db", db)
    assert r.exit_code == 0, r.output
    said = " ".join(r.output.split())
    assert "2 new article(s)" in said and "0 quarantined" in said
    assert "2 file(s) in the folders or archives are not article inputs and were not read: 1 .json, 1 .md" in said
    assert sorted(a["outlet"] for a in articles(db)) == ["Jornal Correio", "RT"]


def test_a_list_file_gives_each_record_and_names_the_item_that_is_not_one(tmp_path):
    rec = json.loads(NEWSPLEASE.read_text())
    other = dict(rec, url="https://www.rt.com/news/other/", maintext="A second report of other things entirely, told at length.")
    f = tmp_path / "export.json"
    f.write_text(json.dumps([rec, other, "not an object", {"V1": {"title": "x"}}]))
    assert count_inputs([str(f)]) == 2
    db = str(tmp_path / "s.db")
    r = run("ingest", str(f), "--db", db)
    assert r.exit_code == 3, r.output   # some inputs quarantined
    said = " ".join(r.output.split())
    assert "2 new article(s)" in said and "2 quarantined" in said
    assert "export.json#item=3: list item is not a JSON object" in said
    assert "export.json#item=4: record has no 'text', 'html' or 'title'" in said
    assert len(articles(db)) == 2


def test_a_broken_json_file_in_a_folder_is_reported_by_name_and_the_rest_is_read(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(NEWSPLEASE, d / "good.json")
    (d / "cut.json").write_text(NEWSPLEASE.read_text()[:300])   # a download cut short
    (d / "empty.json").write_text("")
    db = str(tmp_path / "s.db")
    r = run("ingest", str(d), "--db", db)
    assert r.exit_code == 3, r.output
    said = " ".join(r.output.split())
    assert "cut.json: not JSON: Unterminated string" in said
    assert "empty.json: empty input" in said
    assert "1 new article(s)" in said and "2 quarantined" in said
    r = run("quarantine", "--json", "--db", db)
    kept = {Path(q["origin"]).name: q for q in json.loads(r.stdout)}
    assert set(kept) == {"cut.json", "empty.json"}


def test_news_please_records_as_jsonl_lines_keep_their_main_text(tmp_path):
    # before: a line with "maintext" and "title" was stored as a headline-only report
    rec = json.loads(NEWSPLEASE.read_text())
    f = tmp_path / "crawl.jsonl"
    f.write_text(json.dumps(rec) + "\n")
    r = run("extract", str(f), "--json")
    assert r.exit_code == 0, r.output
    a = json.loads(r.stdout.splitlines()[0])
    assert a["text"].startswith("Russia has called on Ukraine") and a["title"].startswith("Moscow to Kiev")


def test_record_fields_fill_only_what_the_record_lacks():
    rec = clean_record({"title": "Own title", "headline": "JSON-LD headline", "authors": ["A. Writer", {"name": "B. Writer"}, ""],
                        "maintext": None, "description": "The page's description.", "publisher": {"name": "Wire"}})
    assert rec["title"] == "Own title"
    assert rec["author"] == "A. Writer, B. Writer"
    assert rec["text"] == "The page's description."   # news-please found no main text: its description stands in
    assert rec["outlet"] == "Wire"
    own = clean_record({"id": "1", "title": "T", "text": "Body &amp; more", "published": "2020-01-02"})
    assert own == {"id": "1", "title": "T", "text": "Body &amp; more", "published": "2020-01-02"}   # DESIGN.md's keys as given
