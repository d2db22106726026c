#!/usr/bin/env bash
# Make sure Tesseract and the deu/fra/ita/eng language packs are installed.
# Installs them with apt when running as root; otherwise says what to run.
set -euo pipefail
LANGS=(deu fra ita eng)
missing() {
  command -v tesseract >/dev/null 2>&1 || { echo "${LANGS[@]}"; return; }
  local have; have=$(tesseract --list-langs 2>/dev/null | tail -n +2)
  local out=()
  for l in "${LANGS[@]}"; do grep -qx "$l" <<<"$have" || out+=("$l"); done
  echo "${out[@]:-}"
}
todo=$(missing)
[ -z "$todo" ] && exit 0
pkgs="tesseract-ocr"
for l in $todo; do pkgs="$pkgs tesseract-ocr-$l"; done
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing $pkgs ..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq $pkgs >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq $pkgs >/dev/null; }
else
  echo "Tesseract or its language packs are missing ($todo)." >&2
  echo "Install them as root:  sudo apt-get install -y $pkgs" >&2
  exit 1
fi
