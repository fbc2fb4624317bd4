#!/usr/bin/env bash
# Builds the portal (portal/dist) on a fresh machine: npm ci from the lock file when the lock
# changed, then the type check and the bundle when a source changed. Does nothing otherwise.
set -euo pipefail
cd "$(dirname "$0")/../portal"

if ! command -v npm >/dev/null 2>&1; then
  echo "portal: node and npm are needed to build the portal (node 20 or newer)." >&2
  exit 1
fi

lock=$(sha256sum package-lock.json | cut -c1-16)
if [[ ! -f node_modules/.installed || "$(cat node_modules/.installed)" != "$lock" ]]; then
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock" > node_modules/.installed
fi

sources=$(find index.html package-lock.json tsconfig.json vite.config.ts src -type f -print0 \
  | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
if [[ -f dist/.built && "$(cat dist/.built)" == "$sources" ]]; then
  exit 0
fi
npx tsc --noEmit
npx vite build --logLevel warn
echo "$sources" > dist/.built
echo "portal: built portal/dist"
