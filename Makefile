# jiuye — two commands: `make run` and `make test`. Everything they need is installed here.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATE ?= $(shell date +%F)

HOST ?= 127.0.0.1
PORT ?= 8000
# Debian packages the browser tests need (tests/test_browser.py), installed by `browser-deps` when
# missing: chromium, fonts-noto-cjk (Chinese glyphs), fontconfig (fc-list, to check for them).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run demo test setup browser-deps yaml-test pytest bench bench-api clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

# The web calculator and the HTTP API on http://$(HOST):$(PORT)/ (embedded defaults; Ctrl-C stops it).
run: setup
	@$(BIN)/jiuye serve --host $(HOST) --port $(PORT)

# The CLI calculator on each demo situation of examples/.
demo: setup
	@for f in examples/*.json; do \
		echo "================ $$f ================"; \
		$(BIN)/jiuye calc "$$f" --on $(DATE) || exit 1; \
	done

yaml-test: setup
	$(BIN)/openfisca test --country-package jiuye.model jiuye/model/policies/*/tests

# Chromium (driven by Playwright's bundled driver; no browser download) and CJK fonts, when missing.
browser-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v fc-list >/dev/null 2>&1 || missing="$$missing fontconfig"; \
	fc-list 2>/dev/null | grep -q "Noto Sans CJK" || missing="$$missing fonts-noto-cjk"; \
	if [ -n "$$missing" ]; then \
		echo "installing$$missing (apt-get)"; \
		$(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

pytest: setup browser-deps
	$(BIN)/pytest -q -n 2

test: yaml-test pytest

bench: setup
	$(BIN)/python bench/single_case.py
	$(BIN)/python bench/batch.py

# HTTP latency of POST /api/v1/calculate against `openfisca serve` (loopback only; bench/RESULTS.md).
bench-api: setup
	$(BIN)/python bench/api_latency.py

clean:
	rm -rf $(VENV) *.egg-info
