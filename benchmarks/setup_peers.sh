#!/usr/bin/env bash
# Create the venv with the peer tools the benchmark compares against
# (default /tmp/peers; override with PEERS=...). psutil lets run.py sample the
# memory of the whole process tree (it falls back on /proc without it).
set -euo pipefail
PEERS=${PEERS:-/tmp/peers}
PY=${PYTHON:-python3}
"$PY" -m venv "$PEERS"
"$PEERS/bin/pip" install --quiet \
  "${FLAKE8_SPEC:-flake8==6.1.0}" "${FLAKE8_DJANGO_SPEC:-flake8-django==1.4}" \
  "${RUFF_SPEC:-ruff==0.17.6}" psutil
"$PEERS/bin/flake8" --version
"$PEERS/bin/ruff" --version
