# Two commands matter: `make demo` and `make test`. Everything else is for operators and developers.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export AIRFLOW_HOME ?= $(CURDIR)/.airflow
# Pytest must never pick up an operator's real Odoo by accident; the real-Odoo run sets ODOO_URL itself.
PYTEST_ARGS ?=

.PHONY: install test lint demo airflow bench faults clean chromium

$(STAMP): requirements.txt pyproject.toml sandbox/pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e . -e sandbox
	touch $(STAMP)

install: $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check include sandbox dags tests scripts plugins

# The browser tests drive Debian's chromium through Playwright (never a browser download).
chromium:
	test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

test: $(STAMP) chromium
	$(BIN)/ruff check include sandbox dags tests scripts plugins
	$(BIN)/python -m pytest $(PYTEST_ARGS)

demo: $(STAMP)
	$(BIN)/python -m amzodoo.demo

airflow: $(STAMP)
	$(BIN)/python scripts/airflow_standalone.py

bench: $(STAMP)
	$(BIN)/python -m amzodoo.bench

# The fault matrix: every injected Amazon / Odoo failure and its outcome (also run by the tests).
faults: $(STAMP)
	$(BIN)/python -m amzodoo.faults

clean:
	rm -rf $(VENV) .airflow .pytest_cache build *.egg-info include/*.egg-info sandbox/*.egg-info
