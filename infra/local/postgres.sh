#!/usr/bin/env bash
# A throw-away local PostgreSQL cluster under var/postgres, on its own port, loopback only.
set -euo pipefail
source "$(dirname "$0")/env.sh"

as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# The server runs as the postgres user, which may not be able to enter the checkout (a clone
# in a private temp dir, a home directory): then its cluster lives in a temp dir of its own.
if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$VAR" 2>/dev/null; then
  mkdir -p "$VAR"
  runuser -u postgres -- test -x "$VAR" 2>/dev/null || \
    PG_DATA="${TMPDIR:-/tmp}/reintegra-postgres-$(printf %s "$ROOT" | sha1sum | cut -c1-10)/data"
fi

start() {
  mkdir -p "$(dirname "$PG_DATA")"
  [ "$(id -u)" = 0 ] && chown postgres "$(dirname "$PG_DATA")"
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust >/dev/null
  fi
  if as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    echo "postgres: already running on $PG_PORT"; return
  fi
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$(dirname "$PG_DATA")/server.log" \
    -o "-p $PG_PORT -k $PG_DATA -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off" -w start >/dev/null
  echo "postgres: up on $PG_PORT"
}

stop() {
  [ -f "$PG_DATA/PG_VERSION" ] && as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast stop >/dev/null 2>&1 || true
  echo "postgres: stopped"
}

"${1:-start}"
