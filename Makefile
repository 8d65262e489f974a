# Lernfunk — the two commands a newcomer needs are `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-requirements
PYTEST_ARGS ?=

.PHONY: install demo test lint format lock translations clean help

help:
	@echo "make demo     install, migrate, load demo content, run site + Celery worker"
	@echo "make test     install and run the whole test suite"
	@echo "make install  create/update .venv, install pinned dependencies, compile translations"
	@echo "make lint     ruff check + ruff format --check"
	@echo "make translations  extract strings into the German .po, compile, check it is complete"
	@echo "make lock     re-pin requirements*.txt from pyproject.toml (with hashes)"

$(BIN)/python:
	@if [ -z "$(PYTHON)" ]; then echo "Lernfunk needs Python 3.11 or newer (python3.11+ on PATH)." >&2; exit 1; fi
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements-dev.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps --editable .
	@touch $(STAMP)

install: $(STAMP)
	@$(BIN)/python manage.py compile_translations --skip-checks

demo: install
	$(BIN)/python scripts/run_demo.py

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --no-emit-index-url \
		--no-emit-trusted-host --no-emit-find-links --strip-extras -o requirements.txt pyproject.toml
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --no-emit-index-url \
		--no-emit-trusted-host --no-emit-find-links --strip-extras --extra test --extra asr \
		-c requirements.txt -o requirements-dev.txt pyproject.toml

clean:
	rm -rf $(VENV) var/test .pytest_cache .ruff_cache

translations: install
	$(BIN)/python manage.py makemessages -l de --no-obsolete --ignore ".venv/*" --ignore "var/*" \
		--ignore "tests/*" --ignore "benchmarks/*"
	$(BIN)/python manage.py compile_translations --skip-checks
	$(BIN)/python -m pytest -q tests/cms/test_translations.py
