# Two entry points: `make demo` and `make test`. Both work on a fresh machine with Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# `make demo PORT=8001` serves the demo on another port.
PORT ?= 8000
# PostgreSQL used by `make test` when DATABASE_URL is unset but a server answers locally.
LOCAL_PG_URL := postgres://postgres@127.0.0.1:5432/trappen

.PHONY: demo test install lint serve clean messages

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	TRAPPEN_DEBUG=1 $(BIN)/trappen migrate --no-input
	TRAPPEN_DEBUG=1 $(BIN)/trappen demo --port $(PORT)
	TRAPPEN_DEBUG=1 $(BIN)/trappen runserver 127.0.0.1:$(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/trappen makemigrations --check --dry-run > /dev/null
	@echo "== tests on SQLite =="
	env -u DATABASE_URL $(BIN)/pytest
	@if [ -n "$$DATABASE_URL" ]; then \
		echo "== tests on PostgreSQL ($$DATABASE_URL) =="; $(BIN)/pytest; \
	elif $(BIN)/python -m trappen.pgcheck 127.0.0.1 5432; then \
		echo "== tests on PostgreSQL (local server) =="; DATABASE_URL=$(LOCAL_PG_URL) $(BIN)/pytest; \
	else echo "== no PostgreSQL server: PostgreSQL run skipped =="; fi

messages: $(STAMP)
	cd trappen && ../$(BIN)/django-admin makemessages -l da --no-obsolete && ../$(BIN)/django-admin compilemessages -l da

clean:
	rm -rf $(VENV) var/*.sqlite3
