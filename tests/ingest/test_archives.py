"""Zip and tar archives of articles: every article member read as the file it would be, the rest counted, nothing lost."""
from __future__ import annotations

import gzip
import io
import json
import tarfile
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newstrace.cli import app
from newstrace.store.sqlite import SQLiteStore

ROOT = Path(__file__).resolve().parent.parent.parent
SEEDS = sorted((ROOT / "examples" / "seeds").glob("*.txt"))
PAGES = ROOT / "tests" / "fixtures" / "extract" / "pages"
REPORTS = (ROOT / "tests" / "fixtures" / "multilingual" / "drills-2021.jsonl").read_bytes()
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def members() -> dict[str, bytes]:
    """What a colleague's export of one event's coverage holds: the two seed reports, a real page gzipped in a
    subfolder, the Russian, Polish and Ukrainian reports as JSONL, a README, a picture, macOS's resource forks."""
    return {
        "coverage/seeds/" + SEEDS[0].name: SEEDS[0].read_bytes(),
        "coverage/seeds/" + SEEDS[1].name: SEEDS[1].read_bytes(),
        "coverage/pages/d182.html.gz": (PAGES / "d182.html.gz").read_bytes(),
        "coverage/other-languages.jsonl": REPORTS,
        "coverage/README.md": b"# Coverage of the Grodno drills\n\nCollected by hand, November 2021.\n",
        "coverage/map.jpg": b"\xff\xd8\xff\xe0" + bytes(200),
        "__MACOSX/coverage/._map.jpg": b"\x00\x05\x16\x07" + bytes(60),
    }


def write_zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(zipfile.ZipInfo(name, date_time=(2021, 11, 13, 9, 0, 0)), data)
    return path


def write_tar(path: Path, files: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tf:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(data), 1636794000
            tf.addfile(info, io.BytesIO(data))
    return path


def stored(db: Path) -> list:
    return list(SQLiteStore(str(db)).articles())


@pytest.mark.parametrize("write", [write_zip, write_tar], ids=["zip", "tar.gz"])
def test_an_archive_of_articles_is_read_member_by_member_and_its_other_files_are_counted(write, tmp_path):
    archive = write(tmp_path / ("coverage.zip" if write is write_zip else "coverage.tar.gz"), members())
    db = tmp_path / "s.db"
    r = run("ingest", str(archive), "--db", str(db))
    assert r.exit_code == 0, r.output
    arts = stored(db)
    # 2 seeds + 1 page + 5 JSONL records; the README, the picture and the resource fork are not articles
    assert len(arts) == 8
    origins = sorted(a.origin for a in arts)
    assert f"{archive}#member=coverage/seeds/{SEEDS[0].name}" in origins
    assert f"{archive}#member=coverage/pages/d182.html.gz" in origins
    assert f"{archive}#member=coverage/other-languages.jsonl#line=1" in origins
    page = next(a for a in arts if a.origin.endswith("d182.html.gz"))
    assert page.title == "Bayern fordert höhere Erlösobergrenzen für Bioenergie"   # read as the page, gunzipped
    assert page.first_seen.year == 2021 and page.first_seen.month == 11 and page.first_seen.day == 13   # the member's time
    assert "2 file(s) in the folders or archives are not article inputs and were not read: 1 .jpg, 1 .md" in r.output
    # the same archive again changes nothing
    again = run("ingest", str(archive), "--db", str(db))
    assert again.exit_code == 0 and "8 already stored (no change)" in again.output, again.output
    assert len(stored(db)) == 8
    # the seed reports in it still form their story
    stories = json.loads(run("stories", "--json", "--db", str(db)).stdout)
    seed_ids = {a.id for a in arts if "#member=coverage/seeds/" in a.origin}
    assert any(seed_ids <= {x["id"] for x in s["articles"]} for s in stories)


def test_a_broken_archive_and_an_archive_inside_one_are_quarantined_and_the_rest_is_read(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    whole = write_zip(tmp_path / "whole.zip", members()).read_bytes()
    (d / "cut.zip").write_bytes(whole[: len(whole) // 2])   # a download cut short: no central directory
    write_zip(d / "outer.zip", {"inner.zip": whole, "seed.txt": SEEDS[0].read_bytes()})
    (d / "page.html.gz").write_bytes((PAGES / "d182.html.gz").read_bytes())
    db = tmp_path / "s.db"
    r = run("ingest", str(d), "--db", str(db))
    assert r.exit_code == 3, r.output
    assert sorted(Path(a.origin.split("#")[0]).name + ("#" + a.origin.split("#", 1)[1] if "#" in a.origin else "")
                  for a in stored(db)) == ["outer.zip#member=seed.txt", "page.html.gz"]
    q = {row["origin"]: row["reason"] for row in json.loads(run("quarantine", "--json", "--db", str(db)).stdout)}
    assert q[str(d / "cut.zip")].startswith("broken zip archive:")
    assert "inside an archive is not read" in q[f"{d / 'outer.zip'}#member=inner.zip"]
    assert len(q) == 2


def test_a_member_that_inflates_past_the_size_cap_is_quarantined_as_too_large(tmp_path, monkeypatch):
    from newstrace.ingest import files
    monkeypatch.setattr(files, "MAX_INPUT_BYTES", 1024 * 1024)
    bomb = gzip.compress(b"<p>" + b"a" * (3 * 1024 * 1024) + b"</p>")   # 3 MB of page in a few KB
    archive = write_zip(tmp_path / "a.zip", {"bomb.html.gz": bomb, "seed.txt": SEEDS[1].read_bytes()})
    from newstrace.ingest.archives import iter_archive
    out = list(iter_archive(archive))
    assert [type(x).__name__ for x in out] == ["Failure", "RawDocument"]
    assert out[0].origin.endswith("#member=bomb.html.gz") and "too large when decompressed" in out[0].reason
    assert len(out[0].data) == files.QUARANTINE_SAMPLE


def test_a_password_protected_member_is_quarantined_saying_so(tmp_path):
    archive = ROOT / "tests" / "fixtures" / "archives" / "password-protected.zip"
    db = tmp_path / "s.db"
    r = run("ingest", str(archive), "--db", str(db))
    assert r.exit_code == 1, r.output
    [row] = json.loads(run("quarantine", "--json", "--db", str(db)).stdout)
    assert row["origin"] == f"{archive}#member=a.txt"
    assert row["reason"] == "password-protected archive member: extract it with its password and ingest the files"
