# Shortcuts for the README's two commands (scripts/demo.sh, scripts/test.sh) and friends.
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup demo test lint bench clean

setup:
	scripts/setup.sh

demo:
	scripts/demo.sh

test:
	scripts/test.sh

lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: setup
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/extraction.py

clean:
	rm -rf $(VENV) newsdesk-data .pytest_cache .mypy_cache .ruff_cache
