#!/usr/bin/env bash
# The run command: everything up on embedded defaults, demo data in, URLs printed.
set -euo pipefail
source "$(dirname "$0")/env.sh"
"$ROOT/infra/local/bootstrap.sh"
"$ROOT/infra/local/rabbitmq.sh" start
"$ROOT/infra/local/services.sh" migrate
"$ROOT/infra/local/services.sh" start
"$ROOT/infra/local/services.sh" wait_healthy
"$VENV/bin/python" -m gateway.seed --database-url "sqlite:///$VAR/data/gateway.sqlite" \
  --api http://127.0.0.1:8000 --credentials "$VAR/demo-credentials.json"
cat <<MSG

Reintegra is running.
  Admin UI and API:   http://127.0.0.1:8000/        (API under /api/v1, health at /healthz)
  RabbitMQ management http://127.0.0.1:15673/       (guest / guest, loopback only)
  Payout partner:     http://127.0.0.1:8090/        (sandbox mobile money / cash pickup; control API /_control/transfers)
  Stripe fake:        http://127.0.0.1:12111/       (bank payouts via Connect, Issuing cards; control API /_control/objects)
  Metrics:            http://127.0.0.1:9101..9106/metrics  (intake, plans, payments, monitoring, notifications, gateway)
  Logs:               var/log/   Data: var/data/   Credentials: var/demo-credentials.json
Stop with: make stop
MSG
