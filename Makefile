# Seoul Digital Hub. `make demo` and `make test` are the two commands a newcomer needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install serve migrate messages check-messages bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Seoul Digital Hub needs Python >= 3.11; run: make PYTHON=python3.11 ...")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,production]'
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/seoulhub migrate --noinput

demo: migrate
	$(BIN)/seoulhub load-demo
	$(BIN)/seoulhub ingest --demo
	$(BIN)/seoulhub refresh-landscape --settle 0
	@echo "Seoul Digital Hub: http://$(HOST):$(PORT)/  (example accounts: operator / official / firm, password seoulhub-demo)"
	@$(MAKE) --no-print-directory serve

# The web server and a task worker together; Ctrl-C stops both.
serve: install
	@$(BIN)/seoulhub worker --interval 2 & WORKER=$$!; trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	$(BIN)/seoulhub runserver --noreload $(HOST):$(PORT)

# Lint and format check first (ruff), then type-check the framework-free packages (mypy; both configured in
# pyproject.toml), then the suite on PYTEST_WORKERS processes (pytest-xdist; each module's tests
# stay on one worker, so module fixtures are built once). PYTEST_WORKERS=0 runs it in this process.
PYTEST_WORKERS ?= auto
test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# Extract and compile translations (needs GNU gettext; the compiled .mo files are committed).
messages: install
	cd seoulhub && ../$(BIN)/django-admin makemessages -l ko -l en --ignore 'radar/*' --ignore 'support/*' --ignore 'pilots/*' --ignore 'observatory/*' --ignore 'landscape/*' --ignore 'alerts/*' --no-obsolete
	for app in radar support pilots observatory landscape alerts; do (cd seoulhub/$$app && mkdir -p locale && ../../$(BIN)/django-admin makemessages -l ko -l en --no-obsolete); done
	$(BIN)/seoulhub compilemessages --ignore '.venv'

bench: install
	$(BIN)/seoulhub bench ingest --json

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .mypy_cache
