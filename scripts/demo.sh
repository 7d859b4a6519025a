#!/usr/bin/env bash
# Install newstrace, ingest the bundled examples into demo.db and print the stories found.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install.sh
export HF_HUB_OFFLINE=1
# the articles only: examples/README.md is the attribution, not a report
.venv/bin/newstrace ingest examples/seeds examples/ecbplus-sample.jsonl --db demo.db
.venv/bin/newstrace stories --db demo.db
cat <<'MSG'

Next:
  .venv/bin/newstrace articles --db demo.db            every article (add --json for JSON)
  .venv/bin/newstrace story STORY_ID --db demo.db      one story: its reports in time order, claims, agreement
  .venv/bin/newstrace check examples/seeds/002_647063108b32c5dd.txt --db demo.db   is it recycled? a copy?
  .venv/bin/newstrace serve --db demo.db               then open http://127.0.0.1:8000 in a browser
MSG
