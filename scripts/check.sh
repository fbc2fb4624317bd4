#!/usr/bin/env bash
# Every check the project keeps, in the order that fails fastest: lint, types, tests (which
# include the template lint). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
source .venv/bin/activate
export SAM_CLI_TELEMETRY=0

echo "== portal"
bash scripts/portal.sh
bash scripts/portal_types.sh --check
bash scripts/chromium.sh

echo "== ruff"
ruff check .
ruff format --check .

echo "== mypy"
function_dirs=(functions/*/)
function_modules=()
for dir in "${function_dirs[@]}"; do
  name=$(basename "$dir")
  function_modules+=(-m "$name")
done
MYPYPATH="layers/core:infra/local:$(IFS=:; echo "${function_dirs[*]}")" \
  mypy -p firmchat -p localcloud -p firmchat_api "${function_modules[@]}" -p tests -p bench -p testkit

echo "== pytest"
pytest "$@"
