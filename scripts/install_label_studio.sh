#!/usr/bin/env bash
# Install Label Studio into its own virtual environment (it pins Django and
# friends, which must not leak into the backends' environment).
# Idempotent: does nothing when the venv already holds the wanted version.
#
#   LS_VENV     where to put the venv         (default: .venv-ls in the repo)
#   LS_VERSION  label-studio version to pin   (default: 1.23.2)
#   PYTHON      interpreter that makes the venv (default: python3)
set -euo pipefail
cd "$(dirname "$0")/.."
LS_VENV=${LS_VENV:-.venv-ls}
LS_VERSION=${LS_VERSION:-1.23.2}
PYTHON=${PYTHON:-python3}

installed_version() {
  "$LS_VENV/bin/python" - <<'EOF' 2>/dev/null
from importlib.metadata import version
print(version("label-studio"))
EOF
}

if [ -x "$LS_VENV/bin/label-studio" ] && [ "$(installed_version || true)" = "$LS_VERSION" ]; then
  echo "label-studio $LS_VERSION already installed in $LS_VENV"
  exit 0
fi

[ -x "$LS_VENV/bin/python" ] || "$PYTHON" -m venv "$LS_VENV"
echo "installing label-studio $LS_VERSION into $LS_VENV (about a minute) ..."
"$LS_VENV/bin/python" -m pip install --quiet --disable-pip-version-check "label-studio==$LS_VERSION"
echo "label-studio $(installed_version) installed in $LS_VENV"
