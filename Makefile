# seemix: `make demo` to try it, `make test` to test it. `make help` lists the rest.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install demo test lint bench lock assets clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --requirement requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --editable .
	@touch $(STAMP)

install: $(STAMP) ## Create or update .venv with the pinned dependencies (nothing else)

assets: $(STAMP) ## Generate the Vega bundle for charts and maps locally (no CDN)
	SECRET_KEY=$${SECRET_KEY:-build-assets-only} $(BIN)/seemix build_assets

demo: assets ## Prepare the demo database (SQLite under var/), start the server and a worker
	$(BIN)/seemix demo

test: assets ## Run the test suite on SQLite, and on PostgreSQL if SEEMIX_TEST_POSTGRES_URL is set
	@PATH="$(CURDIR)/$(BIN):$$PATH" bash scripts/run-tests.sh

lint: $(STAMP) ## ruff and mypy
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	SECRET_KEY=lint-only $(BIN)/mypy

bench: assets ## Run the benchmarks (each against a baseline measured in the same run)
	$(BIN)/python benchmarks/run.py

lock: ## Re-resolve requirements.lock from pyproject.toml in a scratch environment
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --upgrade "pip>=24"
	.lock-venv/bin/python -m pip install --quiet ".[dev]"
	.lock-venv/bin/python -m pip freeze --exclude seemix | grep -v '^-e ' > requirements.lock
	rm -rf .lock-venv

clean: ## Remove .venv and var/ (the demo database and generated assets)
	rm -rf $(VENV) var
