#!/usr/bin/env bash
# Install the Debian packages the product and its tests need, when they are missing:
#   python3-venv                  the virtual environments (.venv, .venv-ls)
#   Tesseract + deu/fra/ita/eng   OCR of scanned pages
#   redis-server                  ingest queue tests
#   chromium + chromium-driver    the Selenium browser test
#   docker-compose (1.29)         `docker-compose config` check of docker-compose.yml
#   poppler-utils                 PDF tools used by the tests
# As root (or with passwordless sudo) they are installed with apt-get; otherwise the
# script names the missing packages and the command to install them, and fails.
#
#   SYSTEM_PACKAGES_OPTIONAL=docker-compose   packages whose absence is only a warning
#                                             (default: none, everything is required)
set -euo pipefail

PACKAGES=(
  python3-venv tesseract-ocr tesseract-ocr-deu tesseract-ocr-fra tesseract-ocr-ita tesseract-ocr-eng
  redis-server chromium chromium-driver docker-compose poppler-utils
)
OPTIONAL=" ${SYSTEM_PACKAGES_OPTIONAL:-} "

installed() { dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null | grep -qx installed; }

missing=()
for pkg in "${PACKAGES[@]}"; do installed "$pkg" || missing+=("$pkg"); done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=()
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO=(sudo -n); fi
fi
if ! command -v apt-get >/dev/null 2>&1 || { [ "$(id -u)" != 0 ] && [ ${#SUDO[@]} -eq 0 ]; }; then
  required=()
  for pkg in "${missing[@]}"; do
    [[ "$OPTIONAL" == *" $pkg "* ]] || required+=("$pkg")
  done
  echo "Missing Debian packages: ${missing[*]}" >&2
  echo "Install them as root, then run make again:" >&2
  echo "  sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  [ ${#required[@]} -eq 0 ] && exit 0
  exit 1
fi

echo "Installing ${missing[*]} ..."
export DEBIAN_FRONTEND=noninteractive
apt_install() { "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
# try without refreshing the package lists first (fast when they are recent)
apt_install 2>/dev/null || { "${SUDO[@]}" apt-get update -qq && apt_install; }
for lang in deu fra ita eng; do
  tesseract --list-langs 2>/dev/null | grep -qx "$lang" || {
    echo "Tesseract language $lang is still missing" >&2
    exit 1
  }
done
