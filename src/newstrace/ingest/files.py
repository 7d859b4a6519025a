"""Local inputs: files, folders (recursive), gzip, JSONL article records."""
from __future__ import annotations

import errno
import gzip
import json
import os
import re
import stat
import sys
import zlib
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Iterator

from ..records import Failure, RawDocument, content_id, utcnow
from ..textio import UnreadableInput, clean_record, decode, decode_text, looks_binary
from .archives import ARCHIVE_SUFFIXES, archive_members, is_archive_name, iter_archive, member_kind
from .feeds import FEED_SUFFIXES, is_feed_file, iter_feed_file
from .mhtml import MHTML_SUFFIXES, is_mhtml_name, read_mhtml
from .urls import is_url, iter_url
from .warc import is_warc_name, iter_warc

if TYPE_CHECKING:
    from .feeds import Known
    from .fetch import Fetcher

SUPPORTED_SUFFIXES = (".txt", ".text", ".html", ".htm", ".xhtml", ".jsonl", ".ndjson", ".json", ".warc", ".warc.gz", ".rss",
                      ".atom", ".xml", *MHTML_SUFFIXES, *ARCHIVE_SUFFIXES)
JSONL_MEDIA_TYPE = "application/x-article+json"
# A .json file: one article record or a list of them (news-please writes one file per article). Read whole, then each
# record goes on as a JSONL line would; in a folder only a file that holds article records counts as an input.
JSON_FILE_TYPE = "application/json"
# Largest input read into memory ($NEWSTRACE_MAX_INPUT_MB): one file, one decompressed .gz, one JSONL line. A larger
# one is quarantined with its first QUARANTINE_SAMPLE bytes, so a gzip bomb costs neither memory nor disk.
MAX_INPUT_BYTES = max(1, int(os.environ.get("NEWSTRACE_MAX_INPUT_MB") or 64)) * 1024 * 1024
QUARANTINE_SAMPLE = 64 * 1024
# The meaningful keys of an article record: its identity is theirs, however the line was spelled or re-serialised.
RECORD_KEYS = ("id", "url", "outlet", "title", "published", "author", "language", "text", "html")


def media_type_for(name: str) -> str | None:
    """Media type from a file name (after removing .gz), None when unsupported."""
    n = name.lower()
    if n.endswith(".gz"):
        n = n[:-3]
    if n.endswith((".html", ".htm", ".xhtml")):
        return "text/html"
    if n.endswith((".txt", ".text")):
        return "text/plain"
    if n.endswith((".jsonl", ".ndjson")):
        return JSONL_MEDIA_TYPE
    if n.endswith(".json"):
        return JSON_FILE_TYPE
    return None


def iter_inputs(specs: list[str], allow_private: bool = False, fetcher: "Fetcher | None" = None,
                stdin: BinaryIO | None = None, known: "Known | None" = None) -> Iterator[RawDocument | Failure]:
    """Raw documents and failures for every input named: files, folders, http(s) URLs (pages or feeds),
    feed files, WARC archives, and `-` for JSONL on standard input. `known` (urls.stored_lookup(store))
    returns pages already stored under a URL so that they are not fetched again."""
    from .fetch import FetchPolicy, Fetcher
    own = None
    try:
        for spec in specs:
            if spec == "-":
                any_line = False
                for item in iter_jsonl_stream(stdin or sys.stdin.buffer, "<stdin>", utcnow(), "ingest-time"):
                    any_line = True
                    yield item
                if not any_line:
                    yield Failure(origin="<stdin>", reason="standard input is empty", stage="ingest")
                continue
            if fetcher is None:  # one fetcher for the whole run, so politeness delays span inputs
                fetcher = own = Fetcher(FetchPolicy(allow_private=allow_private))
            if is_url(spec):
                yield from iter_url(spec, fetcher, known)
            else:
                yield from iter_path(spec, fetcher, known)
    finally:
        if own is not None:
            own.close()


def iter_path(spec: str, fetcher: "Fetcher | None" = None, known: "Known | None" = None) -> Iterator[RawDocument | Failure]:
    """Every document under one path; unreadable ones come out as Failure, never as exceptions."""
    p = Path(spec)
    if not p.exists() and not p.is_symlink():
        yield Failure(origin=spec, reason="no such file or folder", stage="ingest")
        return
    if p.is_dir():
        for f in folder_inputs(p):
            yield from _route_file(f, fetcher, known)
        return
    yield from _route_file(p, fetcher, known)


def folder_inputs(p: Path, skipped: list[Path] | None = None) -> list[Path]:
    """The files of a folder that are inputs, in name order (the others are added to `skipped`).

    The documented types only (a README.md or notes.csv beside the articles is not an article); symlinked
    folders are not followed (no loops); a FIFO, a broken link or a link loop named like an article is kept,
    so that it is reported.
    """
    out = []
    for f in sorted(f for f in p.rglob("*") if not any(part.startswith(".") for part in f.relative_to(p).parts)):
        if f.is_dir():
            continue
        if _saved_page_resource(f, p):
            if skipped is not None:
                skipped.append(f)
            continue
        if f.name.lower() in _SITE_FILES:
            if skipped is not None:
                skipped.append(f)
            continue
        # .xml files in a folder count only when they are feeds (sitemaps and the like are skipped)
        feed = is_feed_file(f) if _not_regular(f) is None else f.name.lower().endswith(FEED_SUFFIXES)
        kind = media_type_for(f.name)
        if kind is None and _server_page_name(f.name) and _not_regular(f) is None:
            kind = _sniff(f)   # a mirrored site's "article.php?id=42": HTML under the name its URL had
        # a .json in a folder is an input when it holds article records (a tool's settings or another parser's
        # expected output beside the pages is not), or when it cannot be read as JSON at all: that is reported
        if kind == JSON_FILE_TYPE and _json_records(f) == 0:
            kind = None
        if kind is not None or is_warc_name(f.name) or feed or is_archive_name(f.name) or is_mhtml_name(f.name):
            out.append(f)
        elif skipped is not None:
            skipped.append(f)
    return out


# What a browser's "Save page as… (complete)" writes beside "Title.html": the folder of its scripts, styles, pictures
# and framed pages (adverts, widgets, consent dialogs: HTML files that are no article). Its name ends as Windows'
# "connected files" know it, in the saving browser's language.
_SAVED_PAGE_FOLDER = ("_files", ".files", "-Dateien", "_fichiers", "_archivos", "_arquivos", "-bestanden", "_bestanden",
                      "-filer", "_pliki", "_soubory", "_tiedostot", "_file")
_PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml", *MHTML_SUFFIXES)


def _saved_page_resource(f: Path, top: Path) -> bool:
    """Whether a file lies in the resources folder a browser saved beside a page ("Title_files/" next to
    "Title.html"), under the folder being walked."""
    for folder in f.relative_to(top).parents:
        if folder == Path("."):
            return False
        name = folder.name
        for tail in _SAVED_PAGE_FOLDER:
            if name.endswith(tail) and len(name) > len(tail):
                page = (top / folder).parent / name[: -len(tail)]
                if any(page.with_name(page.name + suffix).is_file() for suffix in _PAGE_SUFFIXES):
                    return True
    return False


def skipped_in_folders(specs: list[str]) -> dict[str, int]:
    """Files inside the named folders that are not inputs, counted by suffix ("(none)" without one), commonest first.

    A folder is read for the documented types only, so that a README beside the articles is not taken for one; a
    user who points at a folder of another format (one .json per article) must still learn that nothing was read
    from it. Never raises: a folder it cannot list was reported by the ingest itself."""
    skipped: list[str] = []
    for spec in specs:
        p = Path(spec)
        try:
            if spec == "-" or is_url(spec):
                continue
            others: list[Path] = []
            files = folder_inputs(p, others) if p.is_dir() else [p]
            skipped += [f.name for f in others]
            for f in files:   # an archive's members that are not article files, as a folder's
                if is_archive_name(f.name) and _not_regular(f) is None:
                    skipped += [n.rsplit("/", 1)[-1] for n in archive_members(f) if member_kind(n) == "other"]
        except OSError:
            continue
    counts: dict[str, int] = {}
    for name in skipped:
        suffix = Path(name).suffix.lower() or "(none)"
        counts[suffix] = counts.get(suffix, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


# JSONL files over this size are not read through to count their records: the count is estimated from their start
COUNT_READ_LIMIT = 256 * 1024 * 1024


def count_inputs(specs: list[str]) -> int | None:
    """How many items `iter_inputs(specs)` will give, for a progress bar's ETA; None when that is unknown before
    reading (URLs, feeds, WARC archives, standard input, gzipped JSONL). Never raises: a path it cannot read counts
    as the one failure it will be."""
    total = 0
    for spec in specs:
        if spec == "-" or is_url(spec):
            return None
        p = Path(spec)
        try:
            files = folder_inputs(p) if p.is_dir() else [p]
        except OSError:
            files = [p]
        for f in files:
            n = _count_file(f)
            if n is None:
                return None
            total += n
    return total


def _count_file(p: Path) -> int | None:
    """Items one file gives: 1, the records of a JSONL file, or None when only reading it all would tell."""
    name = p.name.lower()
    if not p.exists() or _not_regular(p) is not None:
        return 1
    if is_warc_name(p.name) or name.endswith(FEED_SUFFIXES) or is_archive_name(p.name):
        return None
    if media_type_for(p.name) == JSON_FILE_TYPE:
        return max(1, _json_records(p) or 0)
    if media_type_for(p.name) != JSONL_MEDIA_TYPE:
        return 1
    if name.endswith(".gz"):
        return None
    try:
        size = p.stat().st_size
        with p.open("rb") as fh:
            lines = blank = 0
            read = 0
            step = min(8 * 1024 * 1024, COUNT_READ_LIMIT)
            for chunk in iter(lambda: fh.read(step), b""):
                lines += chunk.count(b"\n")
                blank += chunk.count(b"\n\n")   # (blank lines give no item; runs of three or more are rare)
                read += len(chunk)
                if read >= COUNT_READ_LIMIT:
                    return max(1, round((lines - blank) * size / read))
            if read and not chunk.endswith(b"\n"):
                lines += 1   # a last line without its newline
    except OSError:
        return 1
    return max(1, lines - blank)


def _not_regular(p: Path) -> str | None:
    """Why a path cannot be read as a file (a link loop, a broken link, a FIFO or device), None for a regular file."""
    try:
        mode = p.stat().st_mode
    except OSError as e:
        if e.errno == errno.ELOOP:
            return "symbolic link loop"
        if p.is_symlink():
            return "broken symbolic link"
        return f"cannot read file: {e.strerror or e}"
    if stat.S_ISREG(mode):
        return None
    kind = "a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a folder" if stat.S_ISDIR(mode) else "not a file"
    return f"not a regular file ({kind})"


def _route_file(p: Path, fetcher: "Fetcher | None", known: "Known | None" = None) -> Iterator[RawDocument | Failure]:
    """WARC archives and feed files go to their readers; everything else is an article file."""
    why = _not_regular(p)
    if why is not None:  # checked before opening: reading a FIFO would wait forever
        yield Failure(origin=str(p), reason=why, stage="ingest")
        return
    if is_archive_name(p.name):
        yield from iter_archive(p)
    elif is_warc_name(p.name):
        yield from iter_warc(p)
    elif p.name.lower().endswith(FEED_SUFFIXES):
        if not is_feed_file(p):
            yield Failure(origin=str(p), reason="not an RSS/Atom feed (no rss, feed or RDF root element)", stage="ingest")
        elif fetcher is not None:
            yield from iter_feed_file(p, fetcher, known)
        else:
            from .fetch import Fetcher
            with Fetcher() as own:
                yield from iter_feed_file(p, own, known)
    else:
        yield from _iter_file(p)


def _mtime(p: Path) -> datetime:
    return datetime.fromtimestamp(p.stat().st_mtime, tz=timezone.utc)


def _iter_file(p: Path) -> Iterator[RawDocument | Failure]:
    origin = str(p)
    if is_mhtml_name(p.name):
        try:
            with p.open("rb") as fh:
                data = fh.read(MAX_INPUT_BYTES + 1)
        except OSError as e:
            yield Failure(origin=origin, reason=f"cannot read file: {e.strerror or e}", stage="ingest")
            return
        yield too_large(origin, data) if len(data) > MAX_INPUT_BYTES else from_mhtml(data, origin, _mtime(p))
        return
    mt = media_type_for(p.name)
    if mt is None:
        mt = _sniff(p)
        if mt is None:
            yield Failure(origin=origin, reason=f"unsupported file type {p.suffix or '(no suffix)'!r} (supported: "
                          ".txt .text .html .htm .xhtml .jsonl .ndjson .json, any of them .gz; .warc .warc.gz; RSS/Atom "
                          "feeds; .mhtml .mht; .zip and .tar archives of them)",
                          stage="ingest")
            return
    gz = p.name.lower().endswith(".gz")
    seen = _mtime(p)
    try:
        with (gzip.open(p, "rb") if gz else p.open("rb")) as fh:
            if mt == JSONL_MEDIA_TYPE:  # read line by line: an export may hold any number of articles
                yield from jsonl_documents(fh, origin, seen)
                return
            data = fh.read(MAX_INPUT_BYTES + 1)
    except (OSError, EOFError, zlib.error) as e:
        if not gz:
            yield Failure(origin=origin, reason=f"cannot read file: {e.strerror or e}", stage="ingest")
            return
        sample = _head(p)
        yield Failure(origin=origin, reason=f"broken gzip: {e}", stage="ingest", data=sample, id=content_id(sample))
        return
    yield from whole_file_documents(data, mt, origin, seen, "when decompressed" if gz else "")


def from_mhtml(data: bytes, origin: str, seen: datetime) -> RawDocument | Failure:
    """The page of an MHTML file, checked as a page file is (empty, binary, undecodable in its declared charset)."""
    doc = read_mhtml(data, origin, seen)
    if isinstance(doc, Failure):
        return doc
    try:
        _, encoding = decode(doc.data, html=True, charset=doc.hints.get("charset"))
    except UnreadableInput as e:
        return Failure(origin=origin, reason=str(e), stage="ingest", data=doc.data, id=doc.id)
    doc.hints["encoding"] = encoding
    return doc


def jsonl_documents(fh: BinaryIO, origin: str, seen: datetime) -> Iterator[RawDocument | Failure]:
    """The records of a JSONL file open for reading (with peek: a buffered reader), line by line."""
    head = fh.peek(8192)[:8192]
    if not head.strip() or looks_binary(head):
        why = "empty input" if not head.strip() else "binary content, not text"
        yield Failure(origin=origin, reason=why, stage="ingest", data=head or None, id=content_id(head) if head else None)
        return
    yield from iter_jsonl_stream(fh, origin, seen, "file-mtime")


def whole_file_documents(data: bytes, mt: str, origin: str, seen: datetime, how: str = "") -> Iterator[RawDocument | Failure]:
    """The document(s) of a page, text or .json file read whole (at most MAX_INPUT_BYTES + 1 bytes of it)."""
    if len(data) > MAX_INPUT_BYTES:
        yield too_large(origin, data, how)
        return
    if mt == JSON_FILE_TYPE:
        yield from iter_json_file(data, origin, seen, "file-mtime")
        return
    try:
        _, encoding = decode(data, html=(mt == "text/html"))
    except UnreadableInput as e:
        yield Failure(origin=origin, reason=str(e), stage="ingest", data=data, id=content_id(data))
        return
    yield RawDocument(id=content_id(data), origin=origin, data=data, media_type=mt, first_seen=seen, first_seen_source="file-mtime",
                      hints={"encoding": encoding})


def _head(p: Path) -> bytes:
    """The first QUARANTINE_SAMPLE bytes of a file (what the quarantine keeps of an input it cannot take whole)."""
    with p.open("rb") as fh:
        return fh.read(QUARANTINE_SAMPLE)


def too_large(origin: str, data: bytes, how: str = "") -> Failure:
    """The failure of an input over MAX_INPUT_BYTES, keeping a sample of its start."""
    sample = data[:QUARANTINE_SAMPLE]
    return Failure(origin=origin, reason=f"too large{' ' + how if how else ''}: over {MAX_INPUT_BYTES / (1024 * 1024):g} MB "
                   "(the limit is $NEWSTRACE_MAX_INPUT_MB; the quarantine keeps the first 64 KB)", stage="ingest",
                   data=sample, id=content_id(sample))


# A site's own files that a mirror (wget -m, httrack) saves beside its pages and that are never articles
_SITE_FILES = {"robots.txt", "humans.txt", "ads.txt", "app-ads.txt", "security.txt", "llms.txt"}
# Pages a mirror saves under their URL's name: made by a server-side script, or with no suffix at all
_SERVER_PAGE_SUFFIXES = {"", ".php", ".php3", ".php4", ".php5", ".phtml", ".asp", ".aspx", ".jsp", ".jspx", ".cfm", ".cgi",
                         ".pl", ".shtml", ".shtm", ".do", ".action", ".html5"}
_PAGE_START = re.compile(rb"\s*(?:<\?xml[^>]*>\s*|<!--.*?-->\s*)*(?:<!doctype\s+html|<html)", re.I | re.S)


def _server_page_name(name: str) -> bool:
    """A file name a mirror gives a page whose URL had no .html: "article.php?id=42" (or "…@id=42", as wget writes
    "?" for Windows), "index.aspx", "42" — worth reading the start of."""
    base = re.split(r"[?@]", name, maxsplit=1)[0]
    return Path(base).suffix.lower() in _SERVER_PAGE_SUFFIXES


def _sniff(p: Path) -> str | None:
    """Guess html for a file without a known suffix from its first bytes (after a byte-order mark, an XML
    declaration or comments): a doctype or an <html> element."""
    try:
        with p.open("rb") as fh:
            head = fh.read(2048)
    except OSError:
        return None
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    return "text/html" if _PAGE_START.match(head) else None


def iter_jsonl(data: bytes, origin: str, seen: datetime, seen_source: str = "file-mtime") -> Iterator[RawDocument | Failure]:
    """One raw document per JSONL line holding an article record (DESIGN.md's shape)."""
    try:
        text = decode_text(data)
    except UnreadableInput as e:
        yield Failure(origin=origin, reason=str(e), stage="ingest", data=data, id=content_id(data))
        return
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip():
            yield jsonl_record(line, f"{origin}#line={n}", seen, seen_source)


def _json_value(data: bytes) -> Any:
    """The JSON value of a whole file's bytes; ValueError (with its message) when it is none."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return json.loads(data.decode("utf-8"))


def _has_article_field(rec: dict) -> bool:
    """Whether a record (in DESIGN.md's keys, `clean_record`) holds text, HTML or a title: what makes it a report."""
    return any(isinstance(rec.get(k), str) and rec[k].strip() for k in ("text", "html", "title"))


def _json_records(p: Path) -> int | None:
    """Article records in a .json file (0: valid JSON without any), None when it cannot be read or parsed."""
    try:
        st = p.stat()
    except OSError:
        return None
    return _json_records_of(str(p), st.st_size, st.st_mtime_ns)


@lru_cache(maxsize=1 << 17)   # a folder's passes go over it in one order: a cache smaller than the folder would keep nothing
def _json_records_of(path: str, size: int, mtime_ns: int) -> int | None:
    """`_json_records` of one version of a file: listing a folder, counting its inputs and reporting what was left
    aside each ask, and a file is parsed once for them all."""
    if size > MAX_INPUT_BYTES:
        return None
    try:
        with (gzip.open(path, "rb") if path.lower().endswith(".gz") else open(path, "rb")) as fh:
            value = _json_value(fh.read(MAX_INPUT_BYTES + 1))
    except (OSError, EOFError, zlib.error, ValueError):
        return None
    items = value if isinstance(value, list) else [value]
    return sum(1 for v in items if isinstance(v, dict) and _has_article_field(clean_record(v)))


def iter_json_file(data: bytes, origin: str, seen: datetime, seen_source: str = "file-mtime") -> Iterator[RawDocument | Failure]:
    """The article record(s) of a whole .json file: one object, or a list of them (`origin#item=N`)."""
    if not data.strip():
        yield Failure(origin=origin, reason="empty input", stage="ingest")
        return
    try:
        value = _json_value(data)
    except UnicodeDecodeError as e:
        yield Failure(origin=origin, reason=f"bad encoding: not valid UTF-8 ({e.reason} at byte {e.start})", stage="ingest",
                      data=data, id=content_id(data))
        return
    except ValueError as e:
        yield Failure(origin=origin, reason=f"not JSON: {getattr(e, 'msg', e)}" + (f" at line {e.lineno} column {e.colno}"
                      if hasattr(e, "lineno") else ""), stage="ingest", data=data, id=content_id(data))
        return
    if isinstance(value, dict):
        yield jsonl_record(json.dumps(value, ensure_ascii=False), origin, seen, seen_source)
    elif isinstance(value, list) and value:
        for n, item in enumerate(value, 1):
            where = f"{origin}#item={n}"
            if isinstance(item, dict):
                yield jsonl_record(json.dumps(item, ensure_ascii=False), where, seen, seen_source)
            else:
                raw = json.dumps(item, ensure_ascii=False).encode("utf-8")
                yield Failure(origin=where, reason="list item is not a JSON object", stage="ingest", data=raw, id=content_id(raw))
    else:
        yield Failure(origin=origin, reason="JSON file holds neither an article object nor a list of them", stage="ingest",
                      data=data, id=content_id(data))


def _bounded_lines(stream: BinaryIO) -> Iterator[tuple[bytes, bool]]:
    """(line, whole) for every line of a stream; a line over MAX_INPUT_BYTES comes as its start with whole=False
    and the rest is skipped without being held."""
    while True:
        line = stream.readline(MAX_INPUT_BYTES + 1)
        if not line:
            return
        if len(line) <= MAX_INPUT_BYTES or line.endswith(b"\n"):
            yield line, True
            continue
        yield line[:QUARANTINE_SAMPLE], False
        while line and not line.endswith(b"\n"):
            line = stream.readline(1024 * 1024)


def iter_jsonl_stream(stream: BinaryIO, origin: str, seen: datetime, seen_source: str = "ingest-time") -> Iterator[RawDocument | Failure]:
    """iter_jsonl for a stream read line by line (files, standard input), so big inputs are never held whole."""
    for n, (raw_line, whole) in enumerate(_bounded_lines(stream), 1):
        where = f"{origin}#line={n}"
        if not whole:
            yield too_large(where, raw_line, "a line")
            continue
        if n == 1 and raw_line.startswith(b"\xef\xbb\xbf"):
            raw_line = raw_line[3:]
        raw_line = raw_line.rstrip(b"\r\n")
        if not raw_line.strip():
            continue
        try:
            line = raw_line.decode("utf-8")
        except UnicodeDecodeError as e:
            yield Failure(origin=where, reason=f"bad encoding: not valid UTF-8 ({e.reason} at byte {e.start})", stage="ingest",
                          data=raw_line, id=content_id(raw_line))
            continue
        yield jsonl_record(line, where, seen, seen_source)


def jsonl_record(line: str, where: str, seen: datetime, seen_source: str) -> RawDocument | Failure:
    """One JSONL line as a raw article record, or a Failure saying what is wrong with it."""
    raw = line.encode("utf-8")
    try:
        rec = json.loads(line)
    except ValueError as e:
        return Failure(origin=where, reason=f"not JSON: {e.msg} at column {e.colno}", stage="ingest", data=raw, id=content_id(raw))
    if not isinstance(rec, dict):
        return Failure(origin=where, reason="JSON line is not an object", stage="ingest", data=raw, id=content_id(raw))
    rec = clean_record(rec)
    # a headline-only record (wire flashes, corpora that keep the first sentence as the title) is still a report
    if not _has_article_field(rec):
        return Failure(origin=where, reason="record has no 'text', 'html' or 'title' (nor news-please's 'maintext', schema.org's "
                       "'articleBody' or 'headline')", stage="ingest", data=raw, id=content_id(raw))
    hints = {k: rec.get(k) for k in ("id", "url", "outlet", "title", "published", "author", "language") if rec.get(k) is not None}
    return RawDocument(id=record_id(rec), origin=where, data=raw, media_type=JSONL_MEDIA_TYPE,
                       first_seen=seen, first_seen_source=seen_source, hints=hints)


def record_id(rec: dict[str, Any]) -> str:
    """The identity of an article record: the hash of its meaningful keys as canonical JSON, so the same record has
    one id whether it came as a JSONL line, re-serialised by the API, or with its keys in another order."""
    canon = {k: rec[k] for k in RECORD_KEYS if rec.get(k) is not None}
    return content_id(json.dumps(canon, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8", "surrogatepass"))
