# The two commands a newcomer needs; each bootstraps .venv by itself.
.PHONY: run test build bench robustness

run:  ## the local cloud with demo data, serving the portal
	bash scripts/bootstrap.sh
	bash scripts/portal.sh
	.venv/bin/python -m localcloud

test:  ## every check: ruff, mypy, pytest (unit, integration, e2e), template lint
	bash scripts/check.sh

build:  ## sam build for arm64 without Docker (uses .venv's Python 3.13)
	bash scripts/bootstrap.sh
	PATH="$(CURDIR)/.venv/bin:$$PATH" SAM_CLI_TELEMETRY=0 .venv/bin/sam build

bench:  ## every measurement; tables printed and written to docs/performance.md
	bash scripts/bootstrap.sh
	.venv/bin/python -m bench

robustness:  ## the long robustness suites (schemathesis, load, long property runs); make test runs the fast ones
	bash scripts/bootstrap.sh
	.venv/bin/pytest -m slow tests/robustness
