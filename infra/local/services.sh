#!/usr/bin/env bash
# Starts, stops and reports the six services as background `nameko run` processes, and the
# sandbox payout partner (fakes/sandbox_partner) and the Stripe fake (fakes/stripe_server) that
# payments pays through in the demo.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

declare -A ENTRY=(
  [intake]=intake.service:IntakeService
  [plans]=plans.entrypoints.service:PlansService
  [payments]=payments.entrypoints.service:PaymentsService
  [monitoring]=monitoring.entrypoints.service:MonitoringService
  [notifications]=notifications.entrypoints.service:NotificationsService
  [gateway]=gateway.service:GatewayService
)
declare -A PACKAGE=([intake]=intake [plans]=plans [payments]=payments [monitoring]=monitoring
                    [notifications]=notifications [gateway]=gateway)

PARTNER=sandbox-partner
PARTNER_PORT="${SANDBOX_PARTNER_PORT:-8090}"
export SANDBOX_PARTNER_URL="${SANDBOX_PARTNER_URL:-http://127.0.0.1:$PARTNER_PORT}"

# Stripe cannot be reached from here: the bank and card routes pay through a local fake that
# signs its webhooks to the gateway's endpoint with the secret payments verifies them with.
STRIPE=stripe-fake
STRIPE_PORT="${STRIPE_PORT:-12111}"
export STRIPE_API_BASE="${STRIPE_API_BASE:-http://127.0.0.1:$STRIPE_PORT}"
export STRIPE_WEBHOOK_SECRET="${STRIPE_WEBHOOK_SECRET:-whsec_reintegra_local}"
STRIPE_WEBHOOK_URL="http://${GATEWAY_ADDRESS:-127.0.0.1:8000}/api/v1/webhooks/stripe"

pidfile() { echo "$VAR/run/$1.pid"; }
running() { [ -f "$(pidfile "$1")" ] && kill -0 "$(cat "$(pidfile "$1")")" 2>/dev/null; }
db_url() { local var="${1^^}_DATABASE_URL"; echo "${!var:-sqlite:///$VAR/data/$1.sqlite}"; }

migrate() {
  mkdir -p "$VAR/data"
  for s in $SERVICES; do
    "$VENV/bin/python" -m reintegra.messaging.migrations "${PACKAGE[$s]}" "$(db_url "$s")"
  done
  echo "migrations: applied for $SERVICES"
}

# The key that encrypts sensitive case data at rest: made once per machine, kept out of
# the repository (var/ is ignored), readable by its owner only.
sensitive_data_key() {
  local file="$VAR/secrets/intake-sensitive-data.key"
  if [ ! -s "$file" ]; then
    mkdir -p "$VAR/secrets" && chmod 700 "$VAR/secrets"
    (umask 077 && "$VENV/bin/python" -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())' >"$file")
  fi
  cat "$file"
}

# start_fake NAME WHERE MODULE ARGS…: one of the fakes in fakes/, in the background.
start_fake() {
  local name="$1" where="$2" module="$3"; shift 3
  if running "$name"; then echo "$name: already running"; return; fi
  PYTHONPATH="$ROOT/fakes" nohup "$VENV/bin/python" -m "$module" "$@" >>"$VAR/log/$name.log" 2>&1 &
  echo $! > "$(pidfile "$name")"
  echo "$name: started (pid $!, $where, log var/log/$name.log)"
}

start_partner() {
  # Settles each transfer a second after accepting it, so the demo shows payouts in flight.
  start_fake "$PARTNER" "$SANDBOX_PARTNER_URL" sandbox_partner --port "$PARTNER_PORT" \
    --data-dir "$VAR/data/$PARTNER" --settle-delay-ms 1000
}

start_stripe() {
  # Payouts and card top-ups settle two seconds after they are made, as a demo would show them.
  start_fake "$STRIPE" "$STRIPE_API_BASE, webhooks to $STRIPE_WEBHOOK_URL" stripe_server \
    --port "$STRIPE_PORT" --webhook-url "$STRIPE_WEBHOOK_URL" \
    --webhook-secret "$STRIPE_WEBHOOK_SECRET" --settle-after 2
}

stop_process() {
  local name="$1"
  if running "$name"; then
    kill "$(cat "$(pidfile "$name")")" 2>/dev/null || true
    for _ in $(seq 1 40); do running "$name" || break; sleep 0.25; done
    running "$name" && kill -9 "$(cat "$(pidfile "$name")")" 2>/dev/null || true
    echo "$name: stopped"
  fi
  rm -f "$(pidfile "$name")"
}

start() {
  mkdir -p "$VAR/run" "$VAR/log"
  start_partner
  start_stripe
  export INTAKE_SENSITIVE_DATA_KEY="${INTAKE_SENSITIVE_DATA_KEY:-$(sensitive_data_key)}"
  for s in $SERVICES; do
    if running "$s"; then echo "$s: already running"; continue; fi
    local var="${s^^}_DATABASE_URL"
    export "$var=$(db_url "$s")"
    nohup "$VENV/bin/nameko" run --config "services/$s/config.yml" "${ENTRY[$s]}" \
      >>"$VAR/log/$s.log" 2>&1 &
    echo $! > "$(pidfile "$s")"
    echo "$s: started (pid $!, log var/log/$s.log)"
  done
}

stop() {
  # Services before the broker: a nameko process whose broker is gone may ignore SIGTERM.
  for s in $SERVICES; do
    stop_process "$s"
  done
  stop_process "$PARTNER"
  stop_process "$STRIPE"
}

status() {
  for s in $SERVICES $PARTNER $STRIPE; do
    if running "$s"; then echo "$s: running (pid $(cat "$(pidfile "$s")"))"; else echo "$s: stopped"; fi
  done
}

wait_healthy() {
  for _ in $(seq 1 120); do
    if curl -fsS "http://127.0.0.1:8000/healthz" >/dev/null 2>&1; then echo "healthz: all services up"; return; fi
    sleep 0.5
  done
  echo "healthz: not healthy after 60 s; see var/log/" >&2
  curl -sS "http://127.0.0.1:8000/healthz" >&2 || true
  exit 1
}

logs() { tail -n "${LINES:-50}" -F "$VAR"/log/*.log; }

"${1:-status}"
