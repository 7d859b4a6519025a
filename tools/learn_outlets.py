#!/usr/bin/env python3
"""Learn outlet names from HTML pages: registrable domain → the name the site gives itself, into extract/outlets.json.

usage: python tools/learn_outlets.py PAGE_OR_DIR... [--out src/newstrace/extract/outlets.json] [--merge]

A name is kept only where it spells the site's domain or host (outlet.spells), under the domain, or the host
when it names a subdomain (a blog on a shared platform), so a record that carries only a URL of that site, or
a page of it that names no site, is named as the site names itself. The names a site declares (og:site_name,
JSON-LD publisher; not a company's name) come first; else the name a page of it gives by newstrace's own reading
without this file (outlet.outlet_choice: an app name, its copyright line, the site's part of its <title>), so
a site that declares only its address on some pages ("www.springer.com") is named as its other pages name it
("SpringerLink"). An address as typed (outlet.is_hostname) or a name spelled out of the domain is never learned.
The commonest name per site of the first kind found wins. With --merge, names already in the file are kept.
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
    from newstrace.extract.byline import COMPANY
    from newstrace.extract.outlet import is_hostname, outlet_choice, registrable_domain, site_key, spells
    from newstrace.textio import decode_text
    # site → names by rank: 0 declared by the site, 1 found on its page by newstrace's reading
    seen: dict[str, list[Counter]] = defaultdict(lambda: [Counter(), Counter()])
    for data in pages(a.paths):
        tree = load_html(decode_text(data, html=True))
        if tree is None:
            continue
        sig = read_signals(tree)
        url = sig.canonical or sig.meta.get("og:url")
        domain = registrable_domain(url)
        if not domain:
            continue
        for name in (sig.meta.get("og:site_name"), sig.ld.get("publisher")):
            name = (name or "").strip()
            if name and not name.startswith("@") and not name.islower() and len(name) <= 60 and spells(name, url) \
                    and not COMPANY.search(name):
                seen[site_key(url, name)][0][name] += 1
                break
        else:
            name, how = outlet_choice(url, [sig.meta.get("og:site_name"), sig.ld.get("publisher")],
                                      [sig.canonical, sig.meta.get("og:url"), sig.own_url],
                                      weak=[sig.meta.get("application-name")],
                                      titles=[sig.title_tag, sig.meta.get("og:title")],
                                      lines=sig.lines[:10] + sig.lines[max(10, len(sig.lines) - 40):],
                                      handles=[sig.meta.get("twitter:site")], learned=False)
            if name and how in ("declared", "printed", "company") and spells(name, url) and not is_hostname(name, url):
                seen[site_key(url, name)][1][name] += 1
    out = json.loads(Path(a.out).read_text(encoding="utf-8")) if a.merge and Path(a.out).exists() else {}
    for site, ranks in sorted(seen.items()):
        names = next(r for r in ranks if r)
        out.setdefault(site, names.most_common(1)[0][0])
    Path(a.out).write_text(json.dumps(dict(sorted(out.items())), ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{len(out)} outlet names in {a.out}")


if __name__ == "__main__":
    main()
