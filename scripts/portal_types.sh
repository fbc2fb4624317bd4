#!/usr/bin/env bash
# The portal's API types come from the OpenAPI description the HTTP API's app publishes:
# portal/openapi.json, then portal/src/api-types.ts by openapi-typescript.
#   bash scripts/portal_types.sh           regenerates both
#   bash scripts/portal_types.sh --check   fails when either differs from what is checked in
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
PYTHONPATH=. .venv/bin/python scripts/openapi.py "$out/openapi.json"
(cd portal && npx openapi-typescript "$out/openapi.json" -o "$out/api-types.ts" >/dev/null)
if [[ "${1:-}" == "--check" ]]; then
  if ! cmp -s "$out/openapi.json" portal/openapi.json || ! cmp -s "$out/api-types.ts" portal/src/api-types.ts; then
    echo "portal: the API changed; run bash scripts/portal_types.sh and commit the result" >&2
    diff -u portal/openapi.json "$out/openapi.json" | head -40 >&2 || true
    exit 1
  fi
else
  cp "$out/openapi.json" portal/openapi.json
  cp "$out/api-types.ts" portal/src/api-types.ts
fi
