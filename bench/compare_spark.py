"""Spark job vs single-machine pipeline on the same input: B-cubed agreement of stories and copies.

    .venv/bin/python bench/compare_spark.py ../shared/data/ecbplus-dev.jsonl [--master local[2]] [--limit N]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("input")
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--partitions", type=int, default=None)
    ap.add_argument("--limit", type=int, default=0, help="a seeded random subset of this many lines (0: all)")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    from newstrace.batch.compare import compare_with_pipeline
    with tempfile.TemporaryDirectory(prefix="ntcmp-") as tmp:
        src = args.input
        if args.limit:
            lines = [l for l in Path(src).read_text(encoding="utf-8").splitlines() if l.strip()]
            random.Random(args.seed).shuffle(lines)
            src = str(Path(tmp) / "subset.jsonl")
            Path(src).write_text("\n".join(lines[:args.limit]) + "\n", encoding="utf-8")
        res = compare_with_pipeline([src], str(Path(tmp) / "work"), master=args.master, partitions=args.partitions)
    json.dump(res, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
