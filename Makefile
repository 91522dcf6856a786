# Two commands on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-dev

.PHONY: run test test-fast system-deps deps-valgrind deps-chromium deps-postgres deps-node lint catalogue bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,energy]'
	touch $(STAMP)

## make run: install ecolint, lint the bundled example project (findings do not fail it),
## run its tests with energy measurement, then score it and record the score in the
## default history store (.ecolint/history.sqlite, what `ecolint dashboard` reads)
run: $(STAMP)
	$(BIN)/ecolint check examples --exit-zero
	cd examples && ../$(BIN)/python -m pytest --eco -q
	$(BIN)/ecolint history record examples --repo ecolint/examples-shopstats --team demo

## make test: install what the tests need, then dogfood and run the whole suite
test: $(STAMP) system-deps lint
	$(BIN)/python -m pytest

## make test-fast: the edit loop (under a minute): every test not marked `slow`, i.e. none that
## drives Chromium, Lighthouse, PostgreSQL, valgrind or whole pytest/ecolint processes. Uses the
## existing .venv (created only if missing), installs no system package, skips the lint step.
test-fast: | $(STAMP)
	$(BIN)/python -m pytest -m "not slow" -q

## make system-deps: what the tests drive for real, installed once (apt-get as root or with
## sudo, npm from the committed lockfile). In CI a missing component fails the run.
SUDO := $(shell [ "$$(id -u 2>/dev/null)" = 0 ] || echo sudo)
APT  := DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq
system-deps: deps-valgrind deps-chromium deps-postgres deps-node

# valgrind: precise-mode tests (callgrind instruction counts)
deps-valgrind:
	@command -v valgrind >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(APT) valgrind; } >/dev/null 2>&1 || \
		echo "warning: could not install valgrind (apt-get install valgrind); precise-mode tests will be skipped"

# Debian's Chromium: `ecolint web` and the dashboard tests (Playwright's own download is not used)
deps-chromium:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(APT) chromium; } >/dev/null 2>&1 || \
		echo "warning: could not install chromium (apt-get install chromium); web tests will be skipped"

# PostgreSQL server: the history store tests start a throwaway cluster on 127.0.0.1
deps-postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(APT) postgresql; } >/dev/null 2>&1 || \
		echo "warning: could not install postgresql (apt-get install postgresql); PostgreSQL tests will be skipped"

# Lighthouse 12.2.3 and GitHub's OpenAPI description, pinned by package-lock.json
deps-node: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

## make lint: ecolint's own code passes ruff, ecolint itself and mypy ([tool.mypy] in pyproject.toml)
lint: $(STAMP)
	$(BIN)/ruff check src rules pytest_plugin tests bench
	$(BIN)/ruff format --check src rules pytest_plugin tests bench
	$(BIN)/ecolint check src rules pytest_plugin tests bench
	$(BIN)/python -m mypy

## make catalogue: regenerate rules/README.md from the rule classes
catalogue: $(STAMP)
	$(BIN)/ecolint rules --format markdown > rules/README.md

## make bench: ecolint against the libcst parse floor on the standard library
bench: $(STAMP)
	$(BIN)/python bench/lint_speed.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache node_modules
