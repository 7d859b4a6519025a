#!/usr/bin/env python3
"""Learn outlet names from HTML pages: registrable domain → the name the site gives itself, into extract/outlets.json.

usage: python tools/learn_outlets.py PAGE_OR_DIR... [--out src/newstrace/extract/outlets.json] [--merge]

A name is kept only where the site declares it (og:site_name, JSON-LD publisher) and it spells the site's
domain or host (outlet.spells), under the domain, or the host when it names a subdomain (a blog on a shared
platform), so a record that carries only a URL of that site is named as the site names itself.
The commonest such name per domain wins. With --merge, names already in the file are kept.
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def pages(paths: list[str]):
    for p in paths:
        path = Path(p)
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for f in files:
            if f.name.endswith((".html", ".htm", ".html.gz", ".htm.gz")):
                data = f.read_bytes()
                yield gzip.decompress(data) if f.name.endswith(".gz") else data


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--out", default=str(ROOT / "src" / "newstrace" / "extract" / "outlets.json"))
    ap.add_argument("--merge", action="store_true")
    a = ap.parse_args()
    from trafilatura.utils import load_html
    from newstrace.extract.html import read_signals
    from newstrace.extract.outlet import registrable_domain, site_key, spells
    from newstrace.textio import decode_text
    seen: dict[str, Counter] = defaultdict(Counter)
    for data in pages(a.paths):
        tree = load_html(decode_text(data, html=True))
        if tree is None:
            continue
        sig = read_signals(tree)
        url = sig.canonical or sig.meta.get("og:url")
        domain = registrable_domain(url)
        for name in (sig.meta.get("og:site_name"), sig.ld.get("publisher")):
            name = (name or "").strip()
            if domain and name and not name.startswith("@") and not name.islower() and len(name) <= 60 and spells(name, url):
                seen[site_key(url, name)][name] += 1
                break
    out = json.loads(Path(a.out).read_text(encoding="utf-8")) if a.merge and Path(a.out).exists() else {}
    for domain, names in sorted(seen.items()):
        out.setdefault(domain, names.most_common(1)[0][0])
    Path(a.out).write_text(json.dumps(dict(sorted(out.items())), ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{len(out)} outlet names in {a.out}")


if __name__ == "__main__":
    main()
