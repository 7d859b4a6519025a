#!/usr/bin/env python3
"""Stories of a stored pool that put a page of a set of unrelated pages together with anything else.

usage: open_pool_merges.py DB MARKER [EXE]

An open-world check of story precision: ingest a folder where a known set of pages reports unrelated events (the
300 dev pages of ../shared/data/extraction-dev, fundus's parser test pages) beside other material, e.g.
`newstrace ingest ../shared --db DB`, then list every story holding one of those pages (its origin contains MARKER,
e.g. `extraction-dev`) and any other article. Each is a merge to read: most are topic neighbours of one week or,
across languages, of any time when one side is undated. EXE is the newstrace command (default: `newstrace`).
"""
from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict


def main() -> None:
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    db, marker = sys.argv[1], sys.argv[2]
    exe = sys.argv[3] if len(sys.argv) > 3 else "newstrace"
    arts = json.loads(subprocess.run([exe, "articles", "--json", "--db", db], capture_output=True, text=True, check=True).stdout)
    stories = defaultdict(list)
    for a in arts:
        stories[a.get("story_id")].append(a)
    merged = 0
    for sid, members in sorted(stories.items(), key=lambda kv: -len(kv[1])):
        if len(members) > 1 and any(marker in (a.get("origin") or "") for a in members):
            merged += 1
            print(f"{sid}  {len(members)}  " + " || ".join(f"{a.get('language')}:{(a.get('title') or '')[:50]}"
                                                          for a in members[:4]))
    print(f"stories holding a page whose origin contains {marker!r} and anything else: {merged}")


if __name__ == "__main__":
    main()
