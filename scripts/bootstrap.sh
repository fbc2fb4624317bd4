#!/usr/bin/env bash
# Makes .venv ready on a fresh machine: Python 3.13 (the Lambda runtime's minor version),
# the pinned packages of requirements/dev.lock, and the core and local cloud installed
# editable. Does nothing when the lock file has not changed since the last run.
set -euo pipefail
cd "$(dirname "$0")/.."

stamp=.venv/.bootstrapped
want=$(sha256sum requirements/dev.lock pyproject.toml | sha256sum | cut -c1-16)
if [[ -f $stamp && "$(cat "$stamp")" == "$want" ]]; then
  exit 0
fi

find_python() {
  if command -v pyenv >/dev/null 2>&1 && PYENV_VERSION=3.13.0 pyenv which python >/dev/null 2>&1; then
    PYENV_VERSION=3.13.0 pyenv which python
  elif command -v python3.13 >/dev/null 2>&1; then
    command -v python3.13
  else
    echo "bootstrap: Python 3.13 is needed (pyenv 3.13.0 or python3.13 on PATH)." >&2
    exit 1
  fi
}

if [[ ! -x .venv/bin/python ]] || ! .venv/bin/python -c 'import sys; assert sys.version_info[:2] == (3, 13)' 2>/dev/null; then
  rm -rf .venv
  "$(find_python)" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements/dev.lock 2> >(grep -v "is ignored: it is neither" >&2)
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
echo "$want" > "$stamp"
echo "bootstrap: .venv ready ($(.venv/bin/python --version))"
