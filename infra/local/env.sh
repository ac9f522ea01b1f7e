# Shared settings of the local (no-Docker) stack; sourced by the other scripts.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VAR="$ROOT/var"
VENV="$ROOT/.venv"
export RABBITMQ_NODENAME=${RABBITMQ_NODENAME:-reintegra@localhost}
export RABBITMQ_NODE_PORT=${RABBITMQ_NODE_PORT:-5673}
export RABBITMQ_DIST_PORT=${RABBITMQ_DIST_PORT:-25673}
export RABBITMQ_MNESIA_BASE="$VAR/rabbitmq/mnesia"
export RABBITMQ_LOG_BASE="$VAR/log/rabbitmq"
export RABBITMQ_PID_FILE="$VAR/rabbitmq/rabbitmq.pid"
export RABBITMQ_CONFIG_FILE="$ROOT/infra/rabbitmq/rabbitmq"
export RABBITMQ_ENABLED_PLUGINS_FILE="$VAR/rabbitmq/enabled_plugins"
export AMQP_URI=${AMQP_URI:-amqp://guest:guest@127.0.0.1:${RABBITMQ_NODE_PORT}/}
export RABBIT_MANAGEMENT_URI=${RABBIT_MANAGEMENT_URI:-http://guest:guest@127.0.0.1:15673}
PG_PORT=${PG_PORT:-5433}
PG_DATA="$VAR/postgres/data"
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
SERVICES="intake plans payments monitoring notifications gateway"
