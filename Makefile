# The two commands a newcomer needs: `make demo` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck fuzz-smoke bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

## demo: set up, publish seeds/ into dist/, then check every file of it against its standard
demo: $(STAMP)
	$(BIN)/wirekit publish seeds/ --out dist/
	$(BIN)/wirekit check dist/

## test: set up, then lint, type-check, fuzz each importer for 20 s, and run every test
test: $(STAMP) lint typecheck fuzz-smoke
	$(BIN)/pytest

## fuzz-smoke: 20 seconds of atheris on each importer (python fuzz/run.py IMPORTER --seconds N for more)
fuzz-smoke: $(STAMP)
	$(BIN)/python fuzz/run.py all --seconds 20

lint: $(STAMP)
	$(BIN)/ruff check wirekit tests benchmarks fuzz
	$(BIN)/ruff format --check wirekit tests benchmarks fuzz

typecheck: $(STAMP)
	$(BIN)/mypy

## bench: throughput of wirekit next to its baselines, measured in one run
bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) build .mypy_cache .pytest_cache .ruff_cache
