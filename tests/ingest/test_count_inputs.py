"""The ingest bar's total (its ETA stands on it): as many items as reading the inputs gives, counted before reading
them, on a real messy folder; unknown (None) where only reading would tell."""
from __future__ import annotations

import gzip
import json
import os
import shutil
from pathlib import Path

import pytest

from newstrace.ingest import count_inputs, iter_inputs
from newstrace.ingest import files

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture()
def messy(tmp_path) -> Path:
    """Real pages (HTML, gzipped HTML, text), real multilingual JSONL records, and what sits beside them in real folders."""
    root = tmp_path / "news"
    shutil.copytree(FIXTURES / "extract" / "pages", root / "pages")
    shutil.copy(FIXTURES / "multilingual" / "drills-2021.jsonl", root / "drills.jsonl")
    (root / "README.md").write_text("# pages from last week\n")       # not an input
    (root / "notes.csv").write_text("id,why\n1,check\n")                # not an input
    (root / ".cache").mkdir()
    (root / ".cache" / "old.html").write_text("<p>hidden</p>")         # hidden folder: skipped
    (root / "empty.txt").write_bytes(b"")                              # one failure: empty input
    records = [json.loads(line) for line in (FIXTURES / "multilingual" / "drills-2021.jsonl").read_text().splitlines() if line.strip()]
    # blank lines between records and a last line without its newline, as hand-edited exports have
    (root / "edited.jsonl").write_text("\n\n".join(json.dumps(r, ensure_ascii=False) for r in records[:3]) + "\n\n")
    (root / "tail.jsonl").write_text(json.dumps(records[0], ensure_ascii=False) + "\n" + json.dumps(records[1], ensure_ascii=False))
    os.mkfifo(root / "stuck.txt")                                      # reported, never opened
    (root / "gone.html").symlink_to(root / "nowhere.html")             # broken link: reported
    return root


def test_the_count_is_what_reading_gives_on_a_messy_folder(messy):
    read = list(iter_inputs([str(messy)]))
    assert count_inputs([str(messy)]) == len(read)
    assert len(read) > 25   # the fixture pages and records are all there


def test_files_and_folders_add_up(messy):
    specs = [str(messy / "pages"), str(messy / "edited.jsonl"), str(messy / "tail.jsonl"), str(messy / "no-such-file.txt")]
    assert count_inputs(specs) == len(list(iter_inputs(specs)))
    assert count_inputs([str(messy / "edited.jsonl")]) == 3 and count_inputs([str(messy / "tail.jsonl")]) == 2


@pytest.mark.parametrize("spec", ["-", "https://example.org/news/1.html", "feed.rss", "crawl.warc.gz", "export.jsonl.gz"])
def test_unknown_when_only_reading_would_tell(tmp_path, spec):
    if not spec.startswith(("-", "https:")):
        p = tmp_path / spec
        p.write_bytes(gzip.compress(b'{"text": "a"}\n') if spec.endswith(".gz") else b"<rss><channel></channel></rss>")
        spec = str(p)
    assert count_inputs([str(FIXTURES / "extract" / "pages"), spec]) is None


def test_a_huge_jsonl_is_estimated_from_its_start(tmp_path, monkeypatch):
    line = json.dumps({"title": "t", "text": "x" * 200}) + "\n"
    p = tmp_path / "big.jsonl"
    p.write_text(line * 20_000)
    monkeypatch.setattr(files, "COUNT_READ_LIMIT", 64 * 1024)   # read only its first 64 KB
    got = count_inputs([str(p)])
    assert got != 64 * 1024 // len(line) and abs(got - 20_000) / 20_000 < 0.01   # scaled up, not the lines read
