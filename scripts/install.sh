#!/usr/bin/env bash
# Install newstrace into ./.venv. With --test, also what the tests need: Debian's chromium and
# PostgreSQL (apt-get) and the test packages (pytest, playwright, schemathesis, pyspark).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
if [ "${1:-}" = "--test" ] && command -v apt-get >/dev/null 2>&1; then
  if ! command -v chromium >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver postgresql >/dev/null
  fi
  if ! command -v java >/dev/null 2>&1; then  # Spark's JVM (the image usually has Java 17 already)
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null
  fi
fi
[ -x .venv/bin/pip ] || "$PY" -m venv --clear .venv
if [ "${1:-}" = "--test" ]; then
  .venv/bin/pip install -q -e ".[test]" 2>&1 | grep -v "is ignored" || true
else
  .venv/bin/pip install -q -e . 2>&1 | grep -v "is ignored" || true
fi
.venv/bin/python -c "import newstrace, spacy, trafilatura" || { echo "install failed" >&2; exit 1; }
