"""Zip and tar archives of articles: each member of a documented type is read as the file it would be on disk.

A member's origin is `ARCHIVE#member=NAME` (a JSONL member's records add `#line=N`), its first-seen time the
member's own modification time. Members are read in name order and never written to disk, each within the input
size cap (a member that claims little and inflates much is cut there and quarantined as too large). Members that
are not article files (a README, a picture) are counted with the folders' other files; an archive, WARC or feed
inside an archive is quarantined with what to do (extract it first); a broken or encrypted member is quarantined
and the others are still read; an archive that cannot be opened is one failure.
"""
from __future__ import annotations

import gzip
import io
import tarfile
import zipfile
import zlib
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Callable, Iterator

from ..records import Failure, RawDocument, content_id
from .feeds import FEED_SUFFIXES
from .mhtml import is_mhtml_name
from .warc import is_warc_name

ARCHIVE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz")


def is_archive_name(name: str) -> bool:
    return name.lower().endswith(ARCHIVE_SUFFIXES)


def member_kind(name: str) -> str:
    """"article" for a member read as an article file, "nested" for one that cannot be read inside an archive (an
    archive, a WARC, a feed), "other" for the rest (skipped and counted, as a folder's other files are)."""
    from .files import media_type_for
    base = name.rsplit("/", 1)[-1]
    if is_archive_name(base) or is_warc_name(base) or base.lower().endswith(FEED_SUFFIXES):
        return "nested"
    return "article" if media_type_for(base) is not None or is_mhtml_name(base) else "other"


def _hidden(name: str) -> bool:
    """Dot-files and folders (as in a folder walk) and the resource forks macOS adds to zips."""
    return any(part.startswith(".") or part == "__MACOSX" for part in name.split("/") if part)


_BROKEN = (OSError, EOFError, zipfile.BadZipFile, tarfile.TarError, zlib.error, ValueError)


def _open(p: Path) -> zipfile.ZipFile | tarfile.TarFile:
    """A zip or tar archive opened for reading (one of _BROKEN when it cannot be)."""
    return zipfile.ZipFile(p) if p.name.lower().endswith(".zip") else tarfile.open(p)


def archive_members(p: Path) -> list[str]:
    """The names of an archive's files that are not hidden, in name order; [] when it cannot be read (the ingest
    reports that)."""
    try:
        with _open(p) as opened:
            return [name for name, _, _ in _members(opened)]
    except _BROKEN:
        return []


def iter_archive(p: Path) -> Iterator[RawDocument | Failure]:
    """The documents of every article member of a zip or tar archive."""
    from .files import QUARANTINE_SAMPLE
    origin = str(p)
    try:
        opened = _open(p)
    except _BROKEN as e:
        kind = "zip" if p.name.lower().endswith(".zip") else "tar"
        with p.open("rb") as fh:
            sample = fh.read(QUARANTINE_SAMPLE)
        yield Failure(origin=origin, reason=f"broken {kind} archive: {e}", stage="ingest", data=sample or None,
                      id=content_id(sample) if sample else None)
        return
    with opened:
        try:
            members = _members(opened)
        except _BROKEN as e:
            yield Failure(origin=origin, reason=f"broken archive: {e}", stage="ingest")
            return
        for name, seen, open_member in members:
            where = f"{origin}#member={name}"
            kind = member_kind(name)
            if kind == "other":
                continue
            if kind == "nested":
                yield Failure(origin=where, reason="an archive, WARC or feed inside an archive is not read: extract it and "
                              "ingest it on its own", stage="ingest")
                continue
            try:
                with open_member() as fh:
                    stream = gzip.GzipFile(fileobj=fh) if name.lower().endswith(".gz") else fh
                    yield from member_documents(stream, name, where, seen)
            except RuntimeError as e:   # zipfile's word for a member that needs a password
                why = ("password-protected archive member: extract it with its password and ingest the files"
                       if "encrypted" in str(e) else f"cannot read archive member: {e}")
                yield Failure(origin=where, reason=why, stage="ingest")
            except _BROKEN as e:
                yield Failure(origin=where, reason=f"cannot read archive member: {e}", stage="ingest")


def _members(opened: zipfile.ZipFile | tarfile.TarFile) -> list[tuple[str, datetime, Callable[[], IO[bytes]]]]:
    """(name, modification time, open() -> binary stream) of each file an archive holds that is not hidden, in name order."""
    out: list[tuple[str, datetime, Callable[[], IO[bytes]]]] = []
    if isinstance(opened, zipfile.ZipFile):
        zf = opened
        for info in zf.infolist():
            if info.is_dir() or _hidden(info.filename):
                continue
            try:
                seen = datetime(*info.date_time, tzinfo=timezone.utc)
            except ValueError:
                seen = datetime(1980, 1, 1, tzinfo=timezone.utc)
            out.append((info.filename, seen, lambda info=info: zf.open(info)))
    else:
        tf = opened
        for m in tf.getmembers():
            if m.isfile() and not _hidden(m.name):
                out.append((m.name, datetime.fromtimestamp(max(0, m.mtime), tz=timezone.utc),
                            lambda m=m: tf.extractfile(m) or io.BytesIO(b"")))
    return sorted(out, key=lambda t: t[0])


def member_documents(stream: IO[bytes], name: str, origin: str, seen: datetime) -> Iterator[RawDocument | Failure]:
    """The documents of one member read from its stream (decompressed when it is a .gz), as a file of its name would be:
    a JSONL member line by line, any other whole within the input size cap."""
    from .files import JSONL_MEDIA_TYPE, MAX_INPUT_BYTES, from_mhtml, jsonl_documents, media_type_for, too_large, whole_file_documents
    mt = media_type_for(name.rsplit("/", 1)[-1])
    if is_mhtml_name(name):
        data = stream.read(MAX_INPUT_BYTES + 1)
        yield too_large(origin, data) if len(data) > MAX_INPUT_BYTES else from_mhtml(data, origin, seen)
    elif mt == JSONL_MEDIA_TYPE:
        yield from jsonl_documents(stream if hasattr(stream, "peek") else io.BufferedReader(stream), origin, seen)  # type: ignore[arg-type]
    elif mt is not None:
        data = stream.read(MAX_INPUT_BYTES + 1)
        yield from whole_file_documents(data, mt, origin, seen, "when decompressed" if name.lower().endswith(".gz") else "")
