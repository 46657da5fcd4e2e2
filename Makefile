# Thin entry points. Everything real lives in the `pathwatch` CLI.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test check bench scale up down install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## demo: stack up, migrate, worker + sink running, sample events emitted, facts shown
demo: $(STAMP)
	$(BIN)/pathwatch demo

## test: lint, types, and the whole test suite against the real Kafka and ClickHouse
test: check
	$(BIN)/pytest

## check: ruff (lint + format) and mypy strict
check: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## bench: the benchmark suite (bench/), printing a table and writing bench/results/latest.json
bench: $(STAMP)
	$(BIN)/pathwatch stack up
	$(BIN)/python -m bench.run

## scale: national-scale correctness run (150 000 pathways, worker SIGKILL, ClickHouse = batch)
scale: $(STAMP)
	$(BIN)/pathwatch stack up
	$(BIN)/python -m bench.scale --json bench/results/scale.json

up: $(STAMP)
	$(BIN)/pathwatch stack up

down: $(STAMP)
	$(BIN)/pathwatch stack down

clean: down
	rm -rf .pathwatch
