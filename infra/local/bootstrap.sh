#!/usr/bin/env bash
# Installs what the local stack needs, only what is missing: Debian packages and a .venv.
# Safe to run again: each step checks before it acts.
set -euo pipefail
source "$(dirname "$0")/env.sh"

SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"

need_apt=()
command -v rabbitmq-server >/dev/null || need_apt+=(rabbitmq-server)
[ -n "$PG_BIN" ] || need_apt+=(postgresql)
command -v curl >/dev/null || need_apt+=(curl)
if [ "${WITH_BROWSER:-0}" = 1 ]; then command -v chromium >/dev/null || need_apt+=(chromium); fi
python3 -c 'import venv, ensurepip' 2>/dev/null || need_apt+=(python3-venv)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
# The Debian package starts (or tries to start) a system broker; ours runs beside it.
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)

stamp="$VENV/.installed-$(cat "$ROOT/requirements.txt" "$ROOT"/libs/pyproject.toml "$ROOT"/services/*/pyproject.toml | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --upgrade pip >/dev/null
  "$VENV/bin/pip" install -q -r "$ROOT/requirements.txt"
  "$VENV/bin/pip" install -q --no-deps -e "$ROOT/libs" $(for s in $SERVICES; do printf -- "-e %s " "$ROOT/services/$s"; done)
  rm -f "$VENV"/.installed-*
  touch "$stamp"
fi
mkdir -p "$VAR/data" "$VAR/log"
