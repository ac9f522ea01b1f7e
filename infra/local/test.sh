#!/usr/bin/env bash
# The test command: the same set-up as the run command (no demo data), plus a local
# PostgreSQL and headless Chromium, then the whole suite: unit, service and end-to-end.
set -euo pipefail
source "$(dirname "$0")/env.sh"
WITH_BROWSER=1 "$ROOT/infra/local/bootstrap.sh"
"$ROOT/infra/local/rabbitmq.sh" start
"$ROOT/infra/local/postgres.sh" start
cd "$ROOT"
export REINTEGRA_TEST_POSTGRES="postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/postgres"
exec "$VENV/bin/python" -m pytest "$@"
