# santander-lake: every target sets itself up first, so any of them works on a fresh clone.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export PYSPARK_PYTHON := $(CURDIR)/$(BIN)/python
export PYSPARK_DRIVER_PYTHON := $(CURDIR)/$(BIN)/python

DEMO_CUSTOMERS ?= 20000
DEMO_DIR ?= data/demo

.PHONY: setup demo test lint bench clean

setup: $(VENV)/.installed .cache/jars/.cached

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

.cache/jars/.cached: $(VENV)/.installed
	$(BIN)/santander-lake setup-jars
	touch $@

demo: setup
	$(BIN)/santander-lake generate --customers $(DEMO_CUSTOMERS) --seed 7 --out $(DEMO_DIR)
	$(BIN)/santander-lake pipeline --raw $(DEMO_DIR)

test: setup lint
	$(BIN)/pytest

lint: setup
	$(BIN)/ruff check src tests jobs notebooks benchmarks
	$(BIN)/ruff format --check src tests jobs notebooks benchmarks

bench: setup
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf lake data mlflow.db mlruns spark-warehouse .pytest_cache
