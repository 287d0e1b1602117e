# Two commands matter: `make run` (demo on a fresh machine) and `make test` (the whole suite).
PORT ?= 5000
HOST ?= 127.0.0.1
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP := $(VENV)/.dev-installed
# Node is optional: without npm, `make run` serves the backend only and `make test` skips the JS suite.
NPM := $(shell command -v npm 2>/dev/null)
NODE_STAMP := node_modules/.package-lock.json

.PHONY: run test lint format bench clean app

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is required (set PYTHON=python3.x)")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(RUNTIME_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q -e .
	@touch $@

$(DEV_STAMP): pyproject.toml $(RUNTIME_STAMP)
	$(PY) -m pip install -q -e '.[dev]'
	@touch $@

# `npm ci` only when node_modules is missing or older than the lock file.
$(NODE_STAMP): package-lock.json package.json
	npm ci --no-audit --no-fund
	@touch $@

## app: stage the installable Zendesk app in build/app (manifest, assets, translations, ZAF SDK) and validate it offline
app: $(NODE_STAMP)
	npm run --silent build

## run: start the backend in demo mode on http://$(HOST):$(PORT) (simulators included; the sidebar app too when npm exists)
run: $(RUNTIME_STAMP) $(if $(NPM),app,)
	PSZ_PUBLIC_URL=http://$(HOST):$(PORT) $(PY) -m backend --host $(HOST) --port $(PORT)

## test: lint, then the whole suite (plus the app build and its node --test suite when npm exists)
test: $(DEV_STAMP) $(if $(NPM),app,)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(if $(NPM),npm test --silent,@echo "npm not found: skipping the JS tests (tests/js)")
	$(VENV)/bin/pytest

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check .

format: $(DEV_STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## bench: print latency figures of the read API and of deliveries against the simulators
bench: $(DEV_STAMP)
	$(PY) bench/read_api.py
	$(PY) bench/deliveries.py

clean:
	rm -rf $(VENV) build .pytest_cache .ruff_cache test-artifacts
