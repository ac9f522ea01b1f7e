#!/usr/bin/env bash
# A project-local RabbitMQ node: own node name, ports, data and logs under var/.
set -euo pipefail
source "$(dirname "$0")/env.sh"

amqp_login_works() {
  "$VENV/bin/python" - <<PY 2>/dev/null
import pika, sys
try:
    pika.BlockingConnection(pika.URLParameters("$AMQP_URI")).close()
except Exception:
    sys.exit(1)
PY
}

management_works() {
  curl -fsS -u guest:guest "http://127.0.0.1:15673/api/overview" >/dev/null 2>&1
}

start() {
  mkdir -p "$VAR/rabbitmq" "$RABBITMQ_LOG_BASE"
  # Debian's wrapper runs the node as the rabbitmq user when started by root.
  if [ "$(id -u)" = 0 ] && id rabbitmq >/dev/null 2>&1; then chown -R rabbitmq "$VAR/rabbitmq" "$RABBITMQ_LOG_BASE"; fi
  if amqp_login_works && management_works; then echo "broker: already running on $RABBITMQ_NODE_PORT"; return; fi
  echo "[rabbitmq_management]." > "$RABBITMQ_ENABLED_PLUGINS_FILE"
  (cd "$VAR/rabbitmq" && rabbitmq-server -detached >/dev/null 2>&1) || true
  for _ in $(seq 1 120); do
    if amqp_login_works && management_works; then echo "broker: up on amqp $RABBITMQ_NODE_PORT, management 15673"; return; fi
    sleep 0.5
  done
  echo "broker: did not start; see $RABBITMQ_LOG_BASE" >&2
  exit 1
}

stop() {
  rabbitmqctl -n "$RABBITMQ_NODENAME" shutdown >/dev/null 2>&1 || true
  echo "broker: stopped"
}

status() {
  if amqp_login_works; then echo "broker: up ($RABBITMQ_NODENAME, amqp $RABBITMQ_NODE_PORT)"; else echo "broker: down"; fi
}

"${1:-start}"
