"""WARC archives written with warcio: pages ingested once with the WARC-Date as first-seen, bad records quarantined."""
import base64
import gzip
import hashlib
import io
from datetime import datetime, timezone

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from news_pages import page
from newstrace.ingest import iter_inputs
from newstrace.ingest.warc import iter_warc
from newstrace.pipeline import ingest
from newstrace.records import Failure, RawDocument
from newstrace.store.sqlite import SQLiteStore


def _date(i: int) -> str:
    return f"2024-0{i + 1}-1{i}T0{i}:30:00Z"


def _raw_member(headers: dict[str, str], block: bytes, compress: bool) -> bytes:
    """One hand-written WARC record (warcio refuses to write broken ones)."""
    head = "WARC/1.0\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + f"Content-Length: {len(block)}\r\n\r\n"
    rec = head.encode() + block + b"\r\n\r\n"
    return gzip.compress(rec) if compress else rec


def write_archive(path, compress=True) -> dict[str, str]:
    """Pages 0-4 (plain) and 5 (gzip-encoded) with fixed WARC dates, plus records that are not pages and four bad ones.

    Returns target URI → WARC-Date of every page that must be ingested."""
    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=compress)
    expected = {}

    def response(uri, body, date, status="200 OK", ctype="text/html; charset=utf-8", extra=()):
        http = StatusAndHeaders(status, [("Content-Type", ctype), *extra], protocol="HTTP/1.1")
        rec = w.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=http,
                                   warc_headers_dict={"WARC-Date": date})
        w.write_record(rec)

    w.write_record(w.create_warcinfo_record("test.warc", {"software": "warcio"}))
    for i in range(5):
        uri = f"https://news{i}.example/story/{i}"
        req = w.create_warc_record(uri, "request", payload=io.BytesIO(f"GET /story/{i} HTTP/1.1\r\nHost: news{i}.example\r\n\r\n".encode()))
        w.write_record(req)
        response(uri, page(i), _date(i))
        expected[uri] = _date(i)
        if i == 1:
            # a record that claims to be an HTTP response but holds none
            buf.write(_raw_member({"WARC-Type": "response", "WARC-Record-ID": "<urn:uuid:00000000-0000-0000-0000-00000000bad1>",
                                   "WARC-Date": "2024-02-02T00:00:00Z", "WARC-Target-URI": "https://bad.example/not-http",
                                   "Content-Type": "application/http; msgtype=response"},
                                  b"this is not an HTTP response\x00\x01\x02", compress))
        if i == 2:
            # a page whose payload does not match its digest (corrupted in storage)
            body = page(5)
            block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + body.replace(b"strike", b"strikX")
            digest = "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode()
            buf.write(_raw_member({"WARC-Type": "response", "WARC-Record-ID": "<urn:uuid:00000000-0000-0000-0000-00000000bad2>",
                                   "WARC-Date": "2024-03-03T00:00:00Z", "WARC-Target-URI": "https://bad.example/corrupt",
                                   "WARC-Payload-Digest": digest, "Content-Type": "application/http; msgtype=response"},
                                  block, compress))
        if i == 3:
            buf.write(b"\x1f\x8b\x08\x00garbage that is no gzip member\r\n\r\n" if compress else b"garbage between records\r\n\r\n")
    # pages that are not articles: skipped without a failure
    response("https://news0.example/missing", b"<html><body>Not found</body></html>", "2024-06-01T00:00:00Z", status="404 Not Found")
    response("https://news0.example/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(200), "2024-06-01T00:00:00Z", ctype="image/png")
    # labelled as a page, but binary: quarantined
    response("https://news0.example/fake.html", b"\x89PNG\r\n\x1a\n" + bytes(200), "2024-06-01T00:00:00Z")
    # a gzip content-encoded page, as crawlers often store them
    response("https://news5.example/story/5", gzip.compress(page(5)), _date(5), extra=[("Content-Encoding", "gzip")])
    expected["https://news5.example/story/5"] = _date(5)
    path.write_bytes(buf.getvalue())
    return expected


def _when(s: str) -> datetime:
    return datetime.fromisoformat(s.replace("Z", "+00:00")).astimezone(timezone.utc)


def test_warc_pages_ingested_once_bad_records_quarantined(tmp_path):
    warc = tmp_path / "crawl.warc.gz"
    expected = write_archive(warc)
    store = SQLiteStore(str(tmp_path / "s.db"))
    first = ingest(iter_inputs([str(warc)]), store)
    assert len(first.added) == len(expected) == 6
    raws = [store.get_raw(a) for a in first.added]
    assert {r.hints["url"]: r.first_seen for r in raws} == {u: _when(d) for u, d in expected.items()}
    assert {r.first_seen_source for r in raws} == {"warc-date"}
    assert all(r.origin.startswith(str(warc) + "#urn:uuid:") for r in raws)
    arts = {a.id: a for a in store.articles()}
    assert all(arts[r.id].first_seen == r.first_seen for r in raws)  # first-seen travels to the article
    assert "Rail strike halts commuter trains for a second day" in {a.title for a in arts.values()}

    reasons = sorted(f.reason for f in first.failed)
    assert len(reasons) == 4, reasons
    assert any("bad1" in r and "no readable HTTP response" in r for r in reasons)
    assert any("bad2" in r and "payload digest" in r for r in reasons)
    assert any("malformed WARC data" in r and str(warc) in r for r in reasons)
    assert any("fake.html" in r and "binary content" in r for r in reasons)
    n_failures = len(store.failures())

    second = ingest(iter_inputs([str(warc)]), store)
    assert second.added == [] and len(second.unchanged) == 6
    assert len(store.failures()) == n_failures


def test_uncompressed_warc_in_a_folder(tmp_path):
    folder = tmp_path / "archives"
    folder.mkdir()
    expected = write_archive(folder / "plain.warc", compress=False)
    items = list(iter_inputs([str(folder)]))
    docs = [x for x in items if isinstance(x, RawDocument)]
    fails = [x for x in items if isinstance(x, Failure)]
    assert sorted(d.hints["url"] for d in docs) == sorted(expected)
    assert len(fails) == 4


def test_not_a_warc_is_one_clear_failure(tmp_path):
    p = tmp_path / "fake.warc.gz"
    p.write_bytes(gzip.compress(b"<html>not an archive</html>"))
    [f] = list(iter_warc(p))
    assert isinstance(f, Failure) and str(p) in f.reason and "malformed WARC" in f.reason
