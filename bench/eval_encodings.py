#!/usr/bin/env python3
"""How often a legacy-encoded text is read back exactly (textio.decode without a declared charset), per language and code page.

usage: python bench/eval_encodings.py [--laser DIR] [--src SRC] [--trials 10]

Texts: real sentences of 34 languages, LASER's Tatoeba test sets (`data/tatoeba/v1/tatoeba.XXX-eng.XXX` of
github.com/facebookresearch/LASER; DIR is a checkout or a bare snapshot of it, as the search tool's `fetch` gives:
read with `git show HEAD:...`). For each language and each of its legacy code pages (cp1252 for Western European;
cp1250 and ISO-8859-2 for Central European; cp1251, KOI8-R/U and ISO-8859-5 for Cyrillic; cp1253/1254/1255/1256/1257;
Shift JIS, EUC-JP, GB18030, Big5, EUC-KR), --trials draws of 3 and of 12 sentences (seeded by the language), each
read twice: as a plain text, and inside an HTML page whose inline script is ~20 times its size and which declares no
charset (what an old page saved to disk is). A text that encodes to ASCII, or that the code page cannot write, is
skipped. Printed: the cases not all read back, and the share read back exactly over all. --src runs another
checkout's code (the figure before a change: `git worktree add /tmp/before HEAD~1` and --src /tmp/before/src).
"""
from __future__ import annotations

import argparse
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = {"fra": ["cp1252"], "deu": ["cp1252"], "spa": ["cp1252"], "ita": ["cp1252"], "por": ["cp1252"], "nld": ["cp1252"],
         "swe": ["cp1252"], "dan": ["cp1252"], "fin": ["cp1252"], "cat": ["cp1252"], "isl": ["cp1252"],
         "ces": ["cp1250", "iso-8859-2"], "pol": ["cp1250", "iso-8859-2"], "slk": ["cp1250", "iso-8859-2"],
         "hun": ["cp1250", "iso-8859-2"], "ron": ["cp1250"], "hrv": ["cp1250", "iso-8859-2"], "slv": ["cp1250", "iso-8859-2"],
         "tur": ["cp1254", "iso-8859-9"], "lit": ["cp1257"], "lvs": ["cp1257"], "est": ["cp1257"], "ell": ["cp1253", "iso-8859-7"],
         "rus": ["cp1251", "koi8-r", "iso-8859-5"], "ukr": ["cp1251", "koi8-u"], "bul": ["cp1251"], "bel": ["cp1251"],
         "mkd": ["cp1251"], "srp": ["cp1251"], "heb": ["cp1255"], "ara": ["cp1256"], "jpn": ["shift_jis", "euc-jp"],
         "cmn": ["gb18030", "big5"], "kor": ["euc-kr"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--laser", default="/work/.mirror/facebookresearch+LASER/repo")
    ap.add_argument("--src", default=str(ROOT / "src"))
    ap.add_argument("--trials", type=int, default=10)
    args = ap.parse_args()
    sys.path.insert(0, args.src)
    from newstrace.textio import decode
    script = b"var x = 1;\n" * 400
    ok = total = 0
    for lang, encodings in CASES.items():
        lines = subprocess.run(["git", "-C", args.laser, "show", f"HEAD:data/tatoeba/v1/tatoeba.{lang}-eng.{lang}"],
                               capture_output=True, text=True, check=True).stdout.splitlines()
        rng = random.Random(lang)
        for enc in encodings:
            for size in (3, 12):
                good = n = 0
                for _ in range(args.trials):
                    text = " ".join(rng.sample(lines, size))
                    try:
                        data = text.encode(enc)
                    except UnicodeEncodeError:
                        continue
                    if data.isascii():
                        continue
                    for html in (False, True):
                        raw = b"<html><head><script>" + script + b"</script></head><body><p>" + data + b"</p></body></html>" if html else data
                        n += 1
                        try:
                            good += text in decode(raw, html=html)[0]
                        except ValueError:
                            pass
                if good < n:
                    print(f"  {lang} {enc:11s} {size:2d} sentences: {good}/{n}")
                ok += good
                total += n
    print(f"read back exactly: {ok}/{total} = {ok / total:.3f}")


if __name__ == "__main__":
    main()
