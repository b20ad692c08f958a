# The two commands a newcomer needs: `make demo` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# The official specifications (wirekit specs) go where wirekit.toml says, .cache/specs inside the
# checkout, not the user's home, so make's runs depend on nothing outside it ($WIREKIT_SPECS
# overrides). Where they come from: the mirror WIREKIT_SPECS_MIRROR names (a folder or a base URL laid out
# like ../shared/specs), else ../shared/specs beside the checkout, else the publishers' URLs.
SPECS_SOURCE := $(or $(WIREKIT_SPECS_MIRROR),$(wildcard ../shared/specs))

.PHONY: demo test specs browser lint typecheck fuzz-smoke bench compiled clean

# exporter plugins distributed from this repository, each a package of its own (exporters/*/)
PLUGINS := $(dir $(wildcard exporters/*/pyproject.toml))

$(STAMP): pyproject.toml $(wildcard exporters/*/pyproject.toml)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@# installed as a user would install a third-party plugin: found through its entry points
	$(foreach plugin,$(PLUGINS),$(BIN)/pip install --quiet --no-deps -e $(plugin) &&) true
	touch $(STAMP)

## demo: set up, publish seeds/ into dist/, then check every file of it against its standard
## (--strict: a file that could not be checked fails the demo)
demo: $(STAMP) specs
	$(BIN)/wirekit publish seeds/ --out dist/
	$(BIN)/wirekit check --strict dist/

## test: set up, then lint, type-check, fuzz each importer for 20 s, and run every test
test: $(STAMP) specs browser lint typecheck fuzz-smoke
	$(BIN)/pytest

## browser: Debian's chromium for the page tests (tests/test_browser.py), installed only when missing
browser:
	@test -x /usr/bin/chromium || (apt-get update && apt-get install -y --no-install-recommends chromium)

## specs: install the official specifications, each checked against its pinned sha256
specs: $(STAMP)
	$(BIN)/wirekit specs fetch $(if $(SPECS_SOURCE),--from $(SPECS_SOURCE))

## fuzz-smoke: 20 seconds of atheris on each importer (python fuzz/run.py IMPORTER --seconds N for more)
fuzz-smoke: $(STAMP) specs
	$(BIN)/python fuzz/run.py all --seconds 20

lint: $(STAMP)
	$(BIN)/ruff check wirekit tests benchmarks fuzz exporters hatch_build.py
	$(BIN)/ruff format --check wirekit tests benchmarks fuzz exporters hatch_build.py

typecheck: $(STAMP)
	$(BIN)/mypy

## compiled: the compiled build (pyproject's mypyc hook), a platform wheel made from the sdist as a
## release is, unpacked into .cache/compiled/site; with that folder first on PYTHONPATH and
## PYTHONSAFEPATH=1 (so the checkout's own wirekit/ is not put ahead of it), Python runs it
COMPILED := .cache/compiled
$(COMPILED)/.built: $(STAMP) pyproject.toml hatch_build.py $(shell find wirekit schemas -name '*.py' -o -name '*.json')
	rm -rf $(COMPILED)
	HATCH_BUILD_HOOK_ENABLE_CUSTOM=1 $(BIN)/python -m build --no-isolation --quiet --outdir $(COMPILED)/wheel .
	$(BIN)/python -m zipfile -e $(COMPILED)/wheel/wirekit-*.whl $(COMPILED)/site
	touch $@
compiled: $(COMPILED)/.built

## bench: throughput of wirekit next to its baselines, measured in one run, on the compiled build
## (what a release ships; `.venv/bin/python -m benchmarks` measures the pure-Python one)
bench: $(COMPILED)/.built
	PYTHONSAFEPATH=1 PYTHONPATH=$(COMPILED)/site:. $(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) build .cache .mypy_cache .pytest_cache .ruff_cache
