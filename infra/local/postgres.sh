#!/usr/bin/env bash
# A throw-away local PostgreSQL cluster under var/postgres, on its own port, loopback only.
set -euo pipefail
source "$(dirname "$0")/env.sh"

as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start() {
  mkdir -p "$VAR/postgres"
  [ "$(id -u)" = 0 ] && chown postgres "$VAR/postgres"
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust >/dev/null
  fi
  if as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    echo "postgres: already running on $PG_PORT"; return
  fi
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$VAR/postgres/server.log" \
    -o "-p $PG_PORT -k $PG_DATA -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off" -w start >/dev/null
  echo "postgres: up on $PG_PORT"
}

stop() {
  [ -f "$PG_DATA/PG_VERSION" ] && as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast stop >/dev/null 2>&1 || true
  echo "postgres: stopped"
}

"${1:-start}"
