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

# Debian's wrapper runs the node as the rabbitmq user when started by root; that user may not
# be able to enter the checkout (a clone in a private temp dir, a home directory): then the
# node keeps its data, logs and a copy of its configuration in a temp dir of its own.
if [ "$(id -u)" = 0 ] && id rabbitmq >/dev/null 2>&1 && ! runuser -u rabbitmq -- test -r "$RABBITMQ_CONFIG_FILE.conf" 2>/dev/null; then
  BROKER_HOME="${TMPDIR:-/tmp}/reintegra-rabbitmq-$(printf %s "$ROOT" | sha1sum | cut -c1-10)"
  mkdir -p "$BROKER_HOME"
  cp "$RABBITMQ_CONFIG_FILE.conf" "$BROKER_HOME/rabbitmq.conf"
  export RABBITMQ_MNESIA_BASE="$BROKER_HOME/mnesia" RABBITMQ_LOG_BASE="$BROKER_HOME/log"
  export RABBITMQ_PID_FILE="$BROKER_HOME/rabbitmq.pid" RABBITMQ_CONFIG_FILE="$BROKER_HOME/rabbitmq"
  export RABBITMQ_ENABLED_PLUGINS_FILE="$BROKER_HOME/enabled_plugins"
  VAR_BROKER="$BROKER_HOME"
else
  VAR_BROKER="$VAR/rabbitmq"
fi

start() {
  mkdir -p "$VAR_BROKER" "$RABBITMQ_LOG_BASE"
  # Debian's wrapper runs the node as the rabbitmq user when started by root.
  if [ "$(id -u)" = 0 ] && id rabbitmq >/dev/null 2>&1; then chown -R rabbitmq "$VAR_BROKER" "$RABBITMQ_LOG_BASE"; fi
  if amqp_login_works && management_works; then echo "broker: already running on $RABBITMQ_NODE_PORT"; return; fi
  echo "[rabbitmq_management]." > "$RABBITMQ_ENABLED_PLUGINS_FILE"
  (cd "$VAR_BROKER" && rabbitmq-server -detached >/dev/null 2>&1) || true
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
