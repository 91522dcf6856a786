# Two commands on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-dev

.PHONY: run test system-deps lint catalogue bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,energy]'
	touch $(STAMP)

## make run: install ecolint, lint the bundled example project (findings do not fail it)
## and run its tests with energy measurement
run: $(STAMP)
	$(BIN)/ecolint check examples --exit-zero
	cd examples && ../$(BIN)/python -m pytest --eco --eco-json .eco/energy.json -q

## make test: install what the tests need, then dogfood and run the whole suite
test: $(STAMP) system-deps lint
	$(BIN)/python -m pytest

## make system-deps: valgrind, for the precise-mode tests (callgrind instruction counts);
## installed once with apt-get (sudo when not root), a warning if that is not possible
SUDO := $(shell [ "$$(id -u 2>/dev/null)" = 0 ] || echo sudo)
system-deps:
	@command -v valgrind >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq valgrind; } >/dev/null 2>&1 || \
		echo "warning: could not install valgrind (apt-get install valgrind); precise-mode tests will be skipped"

## make lint: ecolint's own code passes ruff and ecolint itself
lint: $(STAMP)
	$(BIN)/ruff check src rules pytest_plugin tests bench
	$(BIN)/ruff format --check src rules pytest_plugin tests bench
	$(BIN)/ecolint check src rules pytest_plugin tests bench

## make catalogue: regenerate rules/README.md from the rule classes
catalogue: $(STAMP)
	$(BIN)/ecolint rules --format markdown > rules/README.md

## make bench: ecolint against the libcst parse floor on the standard library
bench: $(STAMP)
	$(BIN)/python bench/lint_speed.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
