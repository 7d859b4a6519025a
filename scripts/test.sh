#!/usr/bin/env bash
# Install newstrace with what the tests need (chromium, PostgreSQL, test packages), then run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install.sh --test
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
exec .venv/bin/python -m pytest -q "$@"
