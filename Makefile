# Two commands on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-dev

.PHONY: run test lint catalogue bench clean

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
test: $(STAMP) lint
	$(BIN)/python -m pytest

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
