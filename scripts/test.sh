#!/usr/bin/env bash
# The whole test suite: lint and type checks, every test on SQLite, and the tests that use
# the database (marker "db") again on PostgreSQL, but the fuzzing (marker "fuzz"), which
# looks for server errors in the pages rather than in the database.
# Called by `make test` once the virtual environment exists.
#
# The two database stages run side by side: each spends much of its time waiting (browsers,
# servers started by the tests, solver time limits), so together they take little longer
# than the slower one alone. Every server a test starts listens on a free port and every
# file it writes is in its own temporary folder, so the stages do not meet. The PostgreSQL
# stage's output is kept in a file and printed after the SQLite stage's.
# SEQUENTIAL=1 runs them one after the other instead.
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

sqlite_stage() {
  "$BIN/pytest" -q -p no:cacheprovider "$@"
}
postgres_stage() {
  bash scripts/with-postgres.sh "$BIN/pytest" -q -p no:cacheprovider -m "db and not fuzz" "$@"
}

if [ "${SEQUENTIAL:-0}" = 1 ]; then
  echo "== tests on SQLite"
  sqlite_stage "$@"
  echo "== database tests on PostgreSQL"
  postgres_stage "$@"
  exit 0
fi

pg_log=$(mktemp /tmp/escouade-pg-stage.XXXXXX)
# Its own process group (job control on for this one job), so that a Ctrl+C or a failure
# here stops the whole stage, its pytest and its PostgreSQL server too.
set -m
postgres_stage "$@" >"$pg_log" 2>&1 &
pg_pid=$!
set +m
trap 'kill -TERM -- "-$pg_pid" 2>/dev/null || true; wait "$pg_pid" 2>/dev/null || true; rm -f "$pg_log"' EXIT
# pytest answers Ctrl+C by exiting, not by dying of the signal: stop here too, not only it.
trap 'exit 130' INT TERM

echo "== tests on SQLite (the PostgreSQL stage runs beside it)"
sqlite_status=0
sqlite_stage "$@" || sqlite_status=$?

pg_status=0
wait "$pg_pid" || pg_status=$?
echo "== database tests on PostgreSQL"
cat "$pg_log"

if [ "$sqlite_status" -ne 0 ] || [ "$pg_status" -ne 0 ]; then
  echo "SQLite stage exit status $sqlite_status, PostgreSQL stage exit status $pg_status" >&2
  exit 1
fi
