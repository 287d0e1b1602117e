# Two commands matter: `make run` (demo on a fresh machine) and `make test` (the whole suite).
PORT ?= 5000
HOST ?= 127.0.0.1
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP := $(VENV)/.dev-installed

.PHONY: run test lint format bench clean

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

## run: start the backend in demo mode on http://$(HOST):$(PORT) (simulators included)
run: $(RUNTIME_STAMP)
	PSZ_PUBLIC_URL=http://$(HOST):$(PORT) $(VENV)/bin/flask --app backend run --host $(HOST) --port $(PORT) --with-threads

## test: lint, then the whole suite
test: $(DEV_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/pytest

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check .

format: $(DEV_STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## bench: print latency figures of the read API against the simulator
bench: $(DEV_STAMP)
	$(PY) bench/read_api.py

clean:
	rm -rf $(VENV) build .pytest_cache .ruff_cache test-artifacts
