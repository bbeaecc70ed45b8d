#!/usr/bin/env bash
# The whole test suite: lint and type checks, every test on SQLite, then the tests that use
# the database (marker "db") again on PostgreSQL, but the fuzzing (marker "fuzz"), which
# looks for server errors in the pages rather than in the database.
# Called by `make test` once the virtual environment exists.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${VENV:-.venv}/bin

bash scripts/system-deps.sh
if [ -f tests/js/package.json ]; then
  (cd tests/js && npm ci --no-audit --no-fund --silent)
fi

echo "== lint"
"$BIN/ruff" check .
"$BIN/ruff" format --check .
"$BIN/mypy"

echo "== tests on SQLite"
"$BIN/pytest" -q -p no:cacheprovider "$@"

echo "== database tests on PostgreSQL"
bash scripts/with-postgres.sh "$BIN/pytest" -q -p no:cacheprovider -m "db and not fuzz" "$@"
