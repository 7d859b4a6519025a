"""MHTML: a page a browser saved as one file is read as that page, with its URL and the time it was saved."""
from __future__ import annotations

import gzip
import quopri
from base64 import b64encode
from datetime import datetime, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newstrace.cli import app
from newstrace.ingest.files import iter_path
from newstrace.records import Failure, RawDocument
from newstrace.store.sqlite import SQLiteStore

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "extract" / "pages"
URL = "https://www.proplanta.de/agrar-nachrichten/energie/bayern-fordert-hoehere-erloesobergrenzen-fuer-bioenergie_article1670823962.html"
BOUNDARY = "----MultipartBoundary--zGyvW3kG6cNLcAsTeZbYyzRK8yhyuFgC37sdXRQ6Ow----"
CONSENT = ("<html><body><h2>Wir respektieren Ihre Privatsphäre</h2><p>Wir und unsere Partner speichern Informationen auf "
           "einem Gerät, wie eindeutige Kennungen in Cookies, um personenbezogene Daten zu verarbeiten.</p></body></html>")


def chrome_mhtml(page_first: bool = True) -> bytes:
    """What Chrome's "Save as… Webpage, Single File" writes for the real page d182: the DOM as UTF-8 in
    quoted-printable, a framed consent dialog and a picture as further parts."""
    html = gzip.decompress((PAGES / "d182.html.gz").read_bytes()).decode("cp1252")
    html = html.replace('charset=iso-8859-1', 'charset=UTF-8')
    page = (f"Content-Type: text/html\r\nContent-ID: <frame-0F1E@mhtml.blink>\r\nContent-Transfer-Encoding: quoted-printable\r\n"
            f"Content-Location: {URL}\r\n\r\n").encode() + quopri.encodestring(html.encode("utf-8"))
    frame = (b"Content-Type: text/html\r\nContent-ID: <frame-9A8B@mhtml.blink>\r\nContent-Transfer-Encoding: quoted-printable\r\n"
             b"Content-Location: https://consent.example/cmp.html\r\n\r\n" + quopri.encodestring(CONSENT.encode("utf-8")))
    image = (b"Content-Type: image/png\r\nContent-Transfer-Encoding: base64\r\nContent-Location: https://www.proplanta.de/logo.png\r\n\r\n"
             + b64encode(b"\x89PNG\r\n\x1a\n" + bytes(64)))
    parts = [page, frame, image] if page_first else [frame, page, image]
    head = (f"From: <Saved by Blink>\r\nSnapshot-Content-Location: {URL}\r\n"
            "Subject: Bayern fordert =?utf-8?Q?h=C3=B6here?= =?utf-8?Q?_Erl=C3=B6sobergrenzen?=\r\n"
            "Date: Tue, 13 Dec 2022 08:14:05 +0100\r\nMIME-Version: 1.0\r\n"
            f'Content-Type: multipart/related;\r\n\ttype="text/html";\r\n\tstart="<frame-0F1E@mhtml.blink>";\r\n\tboundary="{BOUNDARY}"\r\n\r\n')
    body = b"".join(b"\r\n--" + BOUNDARY.encode() + b"\r\n" + p for p in parts) + b"\r\n--" + BOUNDARY.encode() + b"--\r\n"
    return head.encode() + body


@pytest.mark.parametrize("page_first", [True, False], ids=["page-first", "start-parameter"])
def test_a_page_saved_as_mhtml_is_read_as_the_page_with_its_url_and_the_time_it_was_saved(page_first, tmp_path):
    path = tmp_path / "Bayern fordert höhere Erlösobergrenzen.mhtml"
    path.write_bytes(chrome_mhtml(page_first))
    [doc] = list(iter_path(str(path)))
    assert isinstance(doc, RawDocument), doc
    assert doc.media_type == "text/html" and doc.hints["url"] == URL
    assert doc.first_seen == datetime(2022, 12, 13, 7, 14, 5, tzinfo=timezone.utc) and doc.first_seen_source == "mhtml-date"
    db = tmp_path / "s.db"
    r = CliRunner().invoke(app, ["ingest", str(tmp_path), "--db", str(db)])
    assert r.exit_code == 0, r.output
    [article] = SQLiteStore(str(db)).articles()   # the framed consent dialog is no second article
    assert article.title == "Bayern fordert höhere Erlösobergrenzen für Bioenergie"
    assert article.url == URL and article.outlet and "proplanta" in article.outlet.lower()
    assert "Wir respektieren" not in article.text


def test_an_mhtml_file_without_a_page_is_quarantined_with_the_reason(tmp_path):
    only_image = chrome_mhtml().split(b"\r\n--" + BOUNDARY.encode() + b"\r\n")
    broken = only_image[0] + b"\r\n--" + BOUNDARY.encode() + b"\r\n" + only_image[3]
    (tmp_path / "a.mhtml").write_bytes(broken)
    (tmp_path / "b.mht").write_bytes(b"This is a note someone named .mht, not a saved page.\n")
    reasons = {Path(f.origin).name: f.reason for f in iter_path(str(tmp_path)) if isinstance(f, Failure)}
    assert reasons == {"a.mhtml": "MHTML without an HTML page part", "b.mht": "not MHTML (no multipart/related message)"}
