"""Entry point for `spark-submit` (the master and resources come from spark-submit, not from here).

    spark-submit --master yarn "$(python -c 'import newstrace.batch.main as m; print(m.__file__)')" INPUT... --out DIR
"""
from __future__ import annotations

import argparse
import json
import sys


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run the batch job, print the report as JSON."""
    ap = argparse.ArgumentParser(prog="newstrace-batch", description="newstrace batch job (Spark)")
    ap.add_argument("inputs", nargs="+", help="files, folders, WARC/JSONL/HTML inputs visible to every executor")
    ap.add_argument("--out", required=True, help="output folder (Parquet: raw, articles, links, stories, failures)")
    ap.add_argument("--master", default=None, help="Spark master (default: what spark-submit says, else local[*])")
    ap.add_argument("--partitions", type=int, default=None, help="partitions for the per-document work and joins")
    ap.add_argument("--max-component", type=int, default=None,
                    help="most articles one link task takes; larger components lose their weakest edges")
    args = ap.parse_args(argv)
    from newstrace.batch.job import MAX_COMPONENT, run_batch  # absolute: spark-submit runs this file as a script
    report = run_batch(args.inputs, args.out, master=args.master, partitions=args.partitions,
                       max_component=args.max_component or MAX_COMPONENT)
    json.dump({"out": report.out, "counts": report.counts, "times": report.times}, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
