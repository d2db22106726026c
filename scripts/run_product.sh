#!/usr/bin/env bash
# The whole product on ./data without Docker (what `make run` starts):
#   Label Studio (.venv-ls, SQLite in data/label-studio)   http://localhost:8080
#   stratigraphy backend + text extractor (gunicorn)      :9090, :9095
#   set-up of Label Studio (user, project, backends, storage, webhook)
#   ingest watcher: a PDF copied to data/pdf/<folder>/ becomes pre-annotated page tasks
# Ctrl-C (or SIGTERM) stops everything. Data stays in data/; a second start creates nothing
# twice. Ports and paths: LABEL_STUDIO_PORT, STRATIGRAPHY_PORT, TEXT_EXTRACTOR_PORT, HOST,
# DATA_DIR (see README).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
LS_VENV=${LS_VENV:-.venv-ls}
PY="$VENV/bin/python"
HOST=${HOST:-0.0.0.0}
LS_PORT=${LABEL_STUDIO_PORT:-8080}
STRAT_PORT=${STRATIGRAPHY_PORT:-9090}
TEXT_PORT=${TEXT_EXTRACTOR_PORT:-9095}
DATA_DIR=$(mkdir -p "${DATA_DIR:-data}" && cd "${DATA_DIR:-data}" && pwd)
LS_DATA=$DATA_DIR/label-studio
LOG_DIR=$DATA_DIR/logs
mkdir -p "$LS_DATA" "$LOG_DIR" "$DATA_DIR/pdf" "$DATA_DIR/png" "$DATA_DIR/models"

for tool in "$PY" "$LS_VENV/bin/label-studio"; do
  [ -x "$tool" ] || { echo "missing $tool: run \`make setup\` first" >&2; exit 1; }
done
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "$LS_PORT" "$STRAT_PORT" "$TEXT_PORT"; do
  if port_busy "$port"; then
    echo "port $port is in use (another \`make run\`?); stop it or set LABEL_STUDIO_PORT," \
      "STRATIGRAPHY_PORT, TEXT_EXTRACTOR_PORT" >&2
    exit 1
  fi
done

# ---------------------------------------------------------------- settings shared by all
export STORAGE=local DATA_DIR
export LOCAL_FILES_DOCUMENT_ROOT=$DATA_DIR
export MODEL_DIR=${MODEL_DIR:-$DATA_DIR/models}
export LOG_LEVEL=${LOG_LEVEL:-INFO}
export LABEL_STUDIO_URL=http://127.0.0.1:$LS_PORT
export LABEL_STUDIO_HOST=${LABEL_STUDIO_HOST:-http://localhost:$LS_PORT}
export LABEL_STUDIO_PROJECT_TITLE=${LABEL_STUDIO_PROJECT_TITLE:-Boreholes}
export STRATIGRAPHY_BACKEND_URL=http://127.0.0.1:$STRAT_PORT
export TEXT_EXTRACTOR_URL=http://127.0.0.1:$TEXT_PORT
export LABEL_STUDIO_CREDENTIALS_FILE=${LABEL_STUDIO_CREDENTIALS_FILE:-$LS_DATA/credentials.env}
export LS_VENV LABEL_STUDIO_BASE_DATA_DIR=$LS_DATA
export INGEST_POLL_SECONDS=${INGEST_POLL_SECONDS:-3}
export PYTHONUNBUFFERED=1
unset REDIS_URL  # no queue: the watcher ingests in its own process

# the admin login: environment, else the credentials file, else generated into it. The
# bootstrap reads the file itself; Label Studio gets the login in its environment (it creates
# the user on its first start), the backends and ingest get the token.
"$PY" -m stratigraphy_ml_backend setup-label-studio --credentials-only
declare -A login=()
while IFS='=' read -r key value; do
  case "$key" in
    LABEL_STUDIO_USERNAME | LABEL_STUDIO_PASSWORD | LABEL_STUDIO_USER_TOKEN)
      login[$key]=${!key:-$value} ;;
  esac
done <"$LABEL_STUDIO_CREDENTIALS_FILE"
export LABEL_STUDIO_API_KEY=${LABEL_STUDIO_API_KEY:-${login[LABEL_STUDIO_USER_TOKEN]}}

# ---------------------------------------------------------------- processes
pids=()
stop() {
  trap - INT TERM EXIT
  echo "stopping ..."
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  for _ in $(seq 50); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 -- "-$pid" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.2
  done
  for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

# each child leads its own process group, so stop() ends it with everything it started
start() { # name command...
  local name=$1
  shift
  setsid "$@" >>"$LOG_DIR/$name.log" 2>&1 &
  pids+=($!)
  echo "started $name (log: $LOG_DIR/$name.log)"
}

started=$(date +%s)
# the login goes to Label Studio through its environment (not its command line)
for key in "${!login[@]}"; do export "$key=${login[$key]}"; done
start label-studio env -u VIRTUAL_ENV \
  LOCAL_FILES_SERVING_ENABLED=true \
  LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN=true \
  LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK=true \
  ML_BLOCK_LOCAL_IP=false SSRF_PROTECTION_ENABLED=false \
  SENTRY_DSN= FRONTEND_SENTRY_DSN= \
  "$LS_VENV/bin/label-studio" start --no-browser --internal-host "$HOST" --port "$LS_PORT" \
  --host "$LABEL_STUDIO_HOST" --data-dir "$LS_DATA"
unset LABEL_STUDIO_USERNAME LABEL_STUDIO_PASSWORD LABEL_STUDIO_USER_TOKEN
start backends env VENV="$VENV" HOST="$HOST" STRATIGRAPHY_PORT="$STRAT_PORT" \
  TEXT_EXTRACTOR_PORT="$TEXT_PORT" scripts/run_backends.sh

wait_health() { # url seconds
  local until=$(($(date +%s) + $2))
  while [ "$(date +%s)" -lt $until ]; do
    "$PY" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=3)' \
      "$1/health" >/dev/null 2>&1 && return 0
    for pid in "${pids[@]}"; do
      kill -0 "$pid" 2>/dev/null || { echo "a process died; see $LOG_DIR" >&2; return 1; }
    done
    sleep 1
  done
  echo "$1 did not answer within $2 s; see $LOG_DIR" >&2
  return 1
}
wait_health "$STRATIGRAPHY_BACKEND_URL" 120
wait_health "$TEXT_EXTRACTOR_URL" 120
"$PY" -m stratigraphy_ml_backend setup-label-studio --wait "${LABEL_STUDIO_START_TIMEOUT:-300}"
echo "ready after $(($(date +%s) - started)) s"
start ingest "$PY" -m stratigraphy_ml_backend ingest --watch
echo "copy PDFs to $DATA_DIR/pdf/<folder>/; Ctrl-C stops everything"
# exit as soon as one of them dies, taking the others down too
wait -n "${pids[@]}"
