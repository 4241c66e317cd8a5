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
# missing: chromium, fonts-noto-cjk (Chinese glyphs), fontconfig (fc-list, to check for them),
# poppler-utils (pdftoppm/pdftotext: tests/supervision render the monthly report's PDF pages).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run demo test setup browser-deps postgres-deps yaml-test pytest bench bench-api bench-ledger clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# The package's bytecode written once (quiet, a second or two; only changed files are compiled again):
# a shell with PYTHONDONTWRITEBYTECODE set never writes it, and every `jiuye` start would compile
# the ~250 modules of the model again.
setup: $(STAMP) fonts
	@$(BIN)/python -m compileall -q jiuye >/dev/null

# Chinese glyphs for the costing report's charts (jiuye simulate; matplotlib finds them through
# fontconfig's font folders): Debian's fonts-noto-cjk, installed only when missing.
.PHONY: fonts
fonts:
	@fc-list 2>/dev/null | grep -q "Noto Sans CJK" || ls /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc >/dev/null 2>&1 || { \
		echo "installing fonts-noto-cjk (apt-get)"; \
		$(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null; }

# The web calculator and the HTTP API on http://$(HOST):$(PORT)/ (embedded defaults; Ctrl-C stops it).
# 经办台账 (/ledger): DEMO=1 (the default) is demo mode: an empty ledger (JIUYE_DATABASE_URL, default
# ./var/jiuye.db) is seeded with the demo data first and the demo accounts are printed; `make run DEMO=0`
# seeds nothing and refuses the demo accounts.
DEMO ?= $(or $(JIUYE_DEMO),1)
run: setup
	@export JIUYE_DEMO=$(DEMO) JIUYE_INSECURE_COOKIES=$${JIUYE_INSECURE_COOKIES:-1}; $(BIN)/python -m jiuye.ledger.demo && \
		$(BIN)/jiuye serve --host $(HOST) --port $(PORT)

# The CLI calculator on each demo situation: every clause folder's example (its date inside) and
# those still in examples/ (their dates listed in examples/assessment-dates.json).
demo: setup
	@for f in $$(ls jiuye/model/policies/*/*/example*.json examples/*_*.json 2>/dev/null); do \
		echo "================ $$f ================"; \
		$(BIN)/jiuye calc "$$f" || exit 1; \
	done

yaml-test: setup
	$(BIN)/openfisca test --country-package jiuye.model $(wildcard jiuye/model/policies/*/tests) $(wildcard jiuye/model/policies/*/*/tests.yaml)

# Chromium (driven by Playwright's bundled driver; no browser download) and CJK fonts, when missing.
browser-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v fc-list >/dev/null 2>&1 || missing="$$missing fontconfig"; \
	command -v pdftoppm >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	fc-list 2>/dev/null | grep -q "Noto Sans CJK" || missing="$$missing fonts-noto-cjk"; \
	if [ -n "$$missing" ]; then \
		echo "installing$$missing (apt-get)"; \
		$(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

# PostgreSQL server binaries for the ledger tests (tests/ledger run on SQLite and PostgreSQL), from
# Debian when missing; .ci/with-postgres starts a throwaway server on 127.0.0.1 for the run.
postgres-deps:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || { \
		echo "installing postgresql (apt-get)"; \
		$(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; }

pytest: setup browser-deps postgres-deps
	.ci/with-postgres $(BIN)/pytest -q -n 2

test: yaml-test pytest

bench: setup
	$(BIN)/python bench/single_case.py
	$(BIN)/python bench/batch.py

# Ledger throughput (applications submitted + approved per second) on SQLite and on a throwaway
# PostgreSQL with its durability settings on; writes the "Ledger" section of bench/RESULTS.md.
bench-ledger: setup postgres-deps
	PG_DURABLE=1 .ci/with-postgres $(BIN)/python bench/ledger.py --write

# HTTP latency of POST /api/v1/calculate against `openfisca serve` (loopback only; bench/RESULTS.md).
bench-api: setup
	$(BIN)/python bench/api_latency.py

clean:
	rm -rf $(VENV) *.egg-info
