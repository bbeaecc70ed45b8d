#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL server on 127.0.0.1.
#   scripts/with-postgres.sh pytest -q
# The command sees ESCOUADE_TEST_DATABASE_URL. The cluster lives in a temporary folder and is
# stopped and removed afterwards, whatever happens.
set -euo pipefail

bindir=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)")
if [ ! -x "$bindir/initdb" ]; then
  echo "PostgreSQL server binaries not found (Debian package postgresql)." >&2
  exit 1
fi
port=${ESCOUADE_PG_PORT:-54329}
workdir=$(mktemp -d /tmp/escouade-pg.XXXXXX)
chmod 755 "$workdir"

as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}
if [ "$(id -u)" -eq 0 ]; then
  chown postgres "$workdir"
fi

cleanup() {
  as_pg "$bindir/pg_ctl" -D "$workdir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$workdir"
}
trap cleanup EXIT

as_pg "$bindir/initdb" -D "$workdir/data" -U escouade --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$bindir/pg_ctl" -D "$workdir/data" -l "$workdir/server.log" -w \
  -o "-h 127.0.0.1 -p $port -k $workdir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null
as_pg "$bindir/createdb" -h 127.0.0.1 -p "$port" -U escouade escouade_test

export ESCOUADE_TEST_DATABASE_URL="postgresql+psycopg://escouade@127.0.0.1:$port/escouade_test"
"$@"
