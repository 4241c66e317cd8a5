# jiuye — two commands: `make run` and `make test`. Everything they need is installed here.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATE ?= $(shell date +%F)

.PHONY: run test setup yaml-test pytest bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

run: setup
	@for f in examples/*.json; do \
		echo "================ $$f ================"; \
		$(BIN)/jiuye calc "$$f" --on $(DATE) || exit 1; \
	done

yaml-test: setup
	$(BIN)/openfisca test --country-package jiuye.model jiuye/model/policies/*/tests

pytest: setup
	$(BIN)/pytest -q -n 2

test: yaml-test pytest

bench: setup
	$(BIN)/python bench/single_case.py
	$(BIN)/python bench/batch.py

clean:
	rm -rf $(VENV) *.egg-info
