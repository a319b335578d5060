#!/usr/bin/env bash
# Builds the virtualenv the Python interop tests and the quickstart notebook run in: .venv at the
# project root, from the pinned server/src/test/python/requirements.txt. Idempotent: a stamp holds
# the requirements' checksum, and the virtualenv is rebuilt only when that file changes.
#
# The Java side finds it as ${project root}/.venv/bin/python (PythonClientsIT); NQL_VENV overrides
# the location.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV="${NQL_VENV:-.venv}"
REQS="server/src/test/python/requirements.txt"
PYTHON="${NQL_PYTHON:-python3}"

log() { echo "[python.sh] $*" >&2; }

if ! command -v "$PYTHON" >/dev/null 2>&1; then
  log "installing python3 and venv with apt-get"
  if [ "$(id -u)" -eq 0 ]; then
    env DEBIAN_FRONTEND=noninteractive apt-get update -q
    env DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3 python3-venv
  else
    sudo -n env DEBIAN_FRONTEND=noninteractive apt-get update -q
    sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3 python3-venv
  fi
fi

want="$(sha256sum "$REQS" | cut -d' ' -f1)"
if [ -x "$VENV/bin/python" ] && [ "$(cat "$VENV/.requirements.sha256" 2>/dev/null)" = "$want" ]; then
  log "virtualenv $VENV is up to date"
  exit 0
fi

log "creating virtualenv $VENV from $REQS"
rm -rf "$VENV"
"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$REQS"
echo "$want" > "$VENV/.requirements.sha256"
log "virtualenv ready: $("$VENV/bin/python" --version), $("$VENV/bin/python" -c 'import pyarrow, adbc_driver_flightsql; print("pyarrow", pyarrow.__version__, "adbc_driver_flightsql", adbc_driver_flightsql.__version__)')"
