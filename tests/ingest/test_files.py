"""Ingest of local files: every kind of bad input is quarantined with a reason, and nothing else is lost."""
import gzip
import json
import os
from pathlib import Path

import pytest

from newstrace.ingest import iter_inputs
from newstrace.pipeline import ingest
from newstrace.records import Failure, RawDocument
from newstrace.store.sqlite import SQLiteStore

GOOD_TEXT = ("Harbour Gazette\n\nFerry service resumes after storm damage repaired\n\nMarch 3, 2024\n\n"
             "The island ferry resumed its crossings on Sunday after engineers repaired the storm-damaged pier, "
             "the harbour authority said in a statement on its website.\n\n"
             "About 1,200 residents had been cut off from the mainland for nine days, officials said, and "
             "emergency supplies were flown in by helicopter during the closure.\n")


def write(path, data: bytes):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.fixture
def batch(tmp_path):
    """A folder with one good file of each kind and one bad file of each kind."""
    d = tmp_path / "in"
    write(d / "good.txt", GOOD_TEXT.encode())
    write(d / "good.html.gz", gzip.compress(f"<html><head><title>Pier</title></head><body><article><p>{GOOD_TEXT}</p></article></body></html>".encode()))
    write(d / "sub" / "records.jsonl", "\n".join([
        json.dumps({"id": "r1", "title": "Bridge closes", "published": "2024-03-01", "text": "The old bridge closed on Friday for repairs that will take two months, the council said."}),
        "{not json at all",
        json.dumps({"id": "r3", "url": "https://example.org/empty"}),
        json.dumps({"id": "r5", "title": "Ministers agree budget deal after all-night talks"}),
        json.dumps({"id": "r4", "title": "Dam opens", "outlet": "Valley News", "text": "The new dam opened on Monday after four years of construction, engineers said."}),
    ]).encode())
    write(d / "junk.txt", bytes(range(256)) * 20)
    write(d / "mojibake.txt", b"The " + bytes(range(0x80, 0x100)) * 8 + b" end\n")
    write(d / "empty.txt", b"")
    write(d / "cut.html.gz", gzip.compress(b"<html><body>" + b"<p>words words words</p>" * 200 + b"</body></html>")[:60])
    return d


def test_each_bad_input_is_quarantined_with_its_reason_and_the_rest_is_kept(batch, tmp_path):
    store = SQLiteStore(str(tmp_path / "s.db"))
    report = ingest(iter_inputs([str(batch)]), store, link=False)
    reasons = {os.path.relpath(f.origin.split("#")[0], batch) + ("#" + f.origin.split("#")[1] if "#" in f.origin else ""): f.reason
               for f in report.failed}
    assert "binary" in reasons["junk.txt"]
    assert "encoding" in reasons["mojibake.txt"] and "UTF-8" in reasons["mojibake.txt"]
    assert "empty" in reasons["empty.txt"]
    assert "gzip" in reasons["cut.html.gz"]
    assert "not JSON" in reasons["sub/records.jsonl#line=2"]
    assert "no 'text', 'html' or 'title'" in reasons["sub/records.jsonl#line=3"]
    assert len(report.failed) == 6
    # nothing readable was lost: the text file, the gzipped page, both good JSONL records and the headline-only one
    assert len(report.added) == 5
    titles = {a.title for a in store.articles()}
    assert {"Bridge closes", "Dam opens"} <= titles
    # the quarantine keeps each failure, with the bytes where there were any
    recorded = store.failures()
    assert len(recorded) == 6
    assert all(r["reason"] for r in recorded)
    assert next(r for r in recorded if r["origin"].endswith("junk.txt"))["size"] == 256 * 20


def test_ingesting_the_same_inputs_twice_changes_nothing(batch, tmp_path):
    store = SQLiteStore(str(tmp_path / "s.db"))
    first = ingest(iter_inputs([str(batch)]), store)
    stories_before = store.stories()
    second = ingest(iter_inputs([str(batch)]), store)
    assert first.added and not second.added
    assert len(second.unchanged) == len(first.added)
    assert store.article_count() == len(first.added)
    assert len(store.failures()) == len(first.failed)   # the same failures are not recorded twice
    assert store.stories() == stories_before


def test_jsonl_record_fields_are_kept(tmp_path):
    p = write(tmp_path / "a.jsonl", (json.dumps({"id": "x-9", "url": "https://example.org/a", "outlet": "Example Post",
                                                  "title": "Council votes", "published": "March 5, 2023",
                                                  "text": "The council voted on Tuesday to expand the park.", "extra": 1}) + "\n").encode())
    [raw] = list(iter_inputs([str(p)]))
    assert isinstance(raw, RawDocument) and raw.origin.endswith("a.jsonl#line=1")
    store = SQLiteStore(str(tmp_path / "s.db"))
    ingest([raw], store, link=False)
    [a] = list(store.articles())
    assert (a.external_id, a.outlet, a.url, a.title) == ("x-9", "Example Post", "https://example.org/a", "Council votes")
    assert a.published.isoformat().startswith("2023-03-05") and a.published.tzinfo is not None


CP1252_TEXT = ("Le Courrier du Port\n\nLe traversier reprend du service apr\xe8s la temp\xeate\n\n3 mars 2024\n\n"
               "Le traversier de l\u2019\xeele a repris ses travers\xe9es dimanche, apr\xe8s la r\xe9paration du quai endommag\xe9 "
               "par la temp\xeate, a indiqu\xe9 l\u2019autorit\xe9 portuaire dans un communiqu\xe9 publi\xe9 sur son site.\n\n"
               "Environ 1 200 habitants \xe9taient coup\xe9s du continent depuis neuf jours, selon les responsables, et des "
               "vivres d\u2019urgence ont \xe9t\xe9 achemin\xe9s par h\xe9licopt\xe8re pendant la fermeture.\n")


def test_a_cp1252_text_file_is_read_and_its_encoding_recorded(tmp_path):
    # the same bytes were accepted as .html (declared or guessed charset) but refused as .txt
    p = write(tmp_path / "port.txt", CP1252_TEXT.encode("cp1252"))
    [raw] = list(iter_inputs([str(p)]))
    assert isinstance(raw, RawDocument), raw
    assert raw.hints["encoding"] == "cp1252"
    store = SQLiteStore(str(tmp_path / "s.db"))
    report = ingest([raw], store, link=False)
    assert len(report.added) == 1 and not report.failed
    [a] = list(store.articles())
    assert "r\xe9paration du quai endommag\xe9" in a.text and "\ufffd" not in a.text
    assert store.get_raw(raw.id).hints["encoding"] == "cp1252"


def test_missing_path_and_unsupported_file_are_failures_not_exceptions(tmp_path):
    pdf = write(tmp_path / "doc.pdf", b"%PDF-1.4 ...")
    items = list(iter_inputs([str(tmp_path / "nope.txt"), str(pdf)]))
    assert all(isinstance(i, Failure) for i in items)
    assert "no such file" in items[0].reason
    assert "unsupported file type" in items[1].reason


def test_raw_bytes_are_kept_under_their_content_hash(tmp_path):
    p = write(tmp_path / "one.txt", GOOD_TEXT.encode())
    store = SQLiteStore(str(tmp_path / "s.db"))
    [raw] = list(iter_inputs([str(p)]))
    ingest([raw], store, link=False)
    kept = store.get_raw(raw.id)
    assert kept.data == GOOD_TEXT.encode() and kept.origin == str(p)
    # the same bytes under another name are the same document
    copy = write(tmp_path / "other-name.txt", GOOD_TEXT.encode())
    r2 = ingest(iter_inputs([str(copy)]), store, link=False)
    assert not r2.added and r2.unchanged == [str(copy)]


def test_a_document_quarantined_at_extraction_is_unchanged_on_the_next_run(tmp_path):
    p = write(tmp_path / "blank.html", b"<html><head><title></title></head><body><script>var x = 1;</script></body></html>")
    store = SQLiteStore(str(tmp_path / "s.db"))
    first = ingest(iter_inputs([str(p)]), store, link=False)
    assert [f.stage for f in first.failed] == ["extract"] and "no article text" in first.failed[0].reason
    assert store.get_raw(first.failed[0].id) is not None   # the bytes are kept for audit
    again = ingest(iter_inputs([str(p)]), store, link=False)
    # nothing is stored again, and the run still reports the input as quarantined (its exit status says so too)
    assert not again.unchanged and [f.reason for f in again.failed] == [first.failed[0].reason] and len(store.failures()) == 1
    assert again.exit_code() == 1


def test_a_page_saved_complete_by_a_browser_is_read_without_the_framed_pages_of_its_resources_folder(tmp_path):
    # "Save page as… (complete)" writes "Title.html" and "Title_files/" with the page's scripts, pictures and framed
    # pages: an advert and a consent dialog, HTML that is no article. Before, they were stored as two more articles.
    from typer.testing import CliRunner
    from newstrace.cli import app
    d = tmp_path / "saved"
    page = gzip.decompress((Path(__file__).resolve().parent.parent / "fixtures" / "extract" / "pages" / "d182.html.gz").read_bytes())
    write(d / "Bayern fordert höhere Erlösobergrenzen.html", page)
    res = d / "Bayern fordert höhere Erlösobergrenzen_files"
    write(res / "consent.html", ("<html><body><div class='cmp'><h2>Wir respektieren Ihre Privatsphäre</h2><p>Wir und unsere "
                                 "Partner speichern und/oder greifen auf Informationen auf einem Gerät zu, wie z. B. eindeutige "
                                 "Kennungen in Cookies, um personenbezogene Daten zu verarbeiten. Sie können Ihre Auswahl "
                                 "jederzeit in den Datenschutzeinstellungen ändern oder widerrufen.</p><button>Alle akzeptieren"
                                 "</button></div></body></html>").encode())
    write(res / "saved_resource.html", ("<html><body><div class='ad'><p>Anzeige</p><h3>Jetzt Stromtarif vergleichen und bis zu "
                                        "500 Euro im Jahr sparen</h3><p>Wechseln Sie in wenigen Minuten zum günstigsten "
                                        "Anbieter in Ihrer Region. Unabhängig, kostenlos und ohne Risiko: über 1.000 "
                                        "Tarife im Vergleich, mit Neukundenbonus und Preisgarantie.</p></div></body></html>").encode())
    write(res / "jquery.min.js", b"/*! jQuery v3.6.0 */" + b"!function(e,t){}" * 50)
    write(res / "logo.png", b"\x89PNG\r\n\x1a\n" + bytes(100))
    db = str(tmp_path / "s.db")
    r = CliRunner().invoke(app, ["ingest", str(d), "--db", db])
    assert r.exit_code == 0, r.output
    [article] = SQLiteStore(db).articles()
    assert article.title == "Bayern fordert höhere Erlösobergrenzen für Bioenergie"
    assert "4 file(s) in the folders or archives are not article inputs and were not read: 2 .html, 1 .js, 1 .png" in r.output


def test_a_mirrored_site_is_read_with_its_script_named_pages_and_without_its_robots_txt(tmp_path):
    # `wget -m` keeps a page's URL as its name ("article.php?id=4886", or "@" for "?" with Windows-safe names): those
    # pages were skipped as ".php?id=4886" files, and the site's robots.txt was read as a text article
    from typer.testing import CliRunner
    from newstrace.cli import app
    pages = Path(__file__).resolve().parent.parent / "fixtures" / "extract" / "pages"
    site = tmp_path / "mirror" / "www.proplanta.de"
    write(site / "robots.txt", b"User-agent: *\nDisallow: /suche/\nDisallow: /login/\nSitemap: https://www.proplanta.de/sitemap.xml\n"
                               b"# Crawl-delay for all bots, applied to every section of the site, as our hosting asks\nCrawl-delay: 10\n")
    write(site / "agrar-nachrichten" / "energie" / "artikel.php?id=1670823962", gzip.decompress((pages / "d182.html.gz").read_bytes()))
    write(site / "rezepte" / "index.php@seite=2", gzip.decompress((pages / "d017.html.gz").read_bytes()))
    write(site / "LICENSE", b"Copyright (c) proplanta. All rights reserved.\n")
    db = str(tmp_path / "s.db")
    r = CliRunner().invoke(app, ["ingest", str(tmp_path / "mirror"), "--db", db])
    assert r.exit_code == 0, r.output
    titles = sorted(a.title for a in SQLiteStore(db).articles())
    assert len(titles) == 2 and "Bayern fordert höhere Erlösobergrenzen für Bioenergie" in titles
    assert "2 file(s) in the folders or archives are not article inputs and were not read: 1 (none), 1 .txt" in r.output
