#!/usr/bin/env bash
# Start both backends under gunicorn on local storage rooted at ./data.
# Ctrl-C (or SIGTERM) stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
export STORAGE=${STORAGE:-local}
export DATA_DIR=${DATA_DIR:-$PWD/data}
export MODEL_DIR=${MODEL_DIR:-$DATA_DIR/models}
export LOG_LEVEL=${LOG_LEVEL:-INFO}
mkdir -p "$MODEL_DIR"
HOST=${HOST:-0.0.0.0}
WORKERS=${WORKERS:-1}
THREADS=${THREADS:-32}

pids=()
stop() { trap - INT TERM EXIT; kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop INT TERM EXIT

start() { # name port module
  echo "starting $1 on http://$HOST:$2"
  "$VENV/bin/gunicorn" --bind "$HOST:$2" --workers "$WORKERS" --threads "$THREADS" \
    --config gunicorn.conf.py --no-control-socket --name "$1" "$3" &
  pids+=($!)
}
start stratigraphy-ml-backend "${STRATIGRAPHY_PORT:-9090}" stratigraphy_ml_backend.wsgi:app
start text-extractor "${TEXT_EXTRACTOR_PORT:-9095}" text_extractor.wsgi:app
echo "storage: $STORAGE ($DATA_DIR). Ctrl-C stops both."
# exit as soon as one of them dies, taking the other one down too
wait -n "${pids[@]}"
