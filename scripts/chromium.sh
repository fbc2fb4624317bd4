#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (/usr/bin/chromium); never a downloaded browser.
# Installs it when missing, as root (the CI machine and this one), or says how.
set -euo pipefail
if [[ -x /usr/bin/chromium ]]; then
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "chromium: the browser tests need Debian's Chromium: sudo apt-get install -y chromium" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q chromium >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }
echo "chromium: installed $(/usr/bin/chromium --version)"
