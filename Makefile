# Escouade. Two commands on a fresh machine with Python 3.11:
#   make run    set up, migrate, load the demo if the database is empty, serve on http://127.0.0.1:5000
#   make test   set up and run the whole test suite (lint, types, SQLite, then a throwaway PostgreSQL)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
# Catalogues of the beneficiary's pages besides French (see translations/public.cfg).
PUBLIC_CATALOGUES := ar es pt

.PHONY: run test install install-dev translations compile-translations lint format

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed compile-translations

install-dev: $(VENV)/.installed-dev compile-translations

compile-translations: $(BIN)/python
	$(BIN)/pybabel compile --use-fuzzy -d translations >/dev/null
	$(BIN)/pybabel compile --use-fuzzy -d translations/regional >/dev/null

run: install
	$(BIN)/python -m scheduler.instance
	$(BIN)/escouade init-db
	$(BIN)/escouade seed-demo --if-empty
	@echo "Escouade is on http://$(HOST):$(PORT)/ with a worker and the timed jobs  (Ctrl+C to stop)"
	$(BIN)/escouade up --host $(HOST) --port $(PORT)

test: install-dev
	bash scripts/test.sh

# Refresh the catalogues after changing interface text. --ignore-dirs: pybabel skips
# folders starting with "_" by default, which would leave templates/_macros untranslated.
translations: $(BIN)/python
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 --no-location --sort-output \
		--omit-header --ignore-dirs ".* __pycache__" -o translations/messages.pot . >/dev/null
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i translations/messages.pot \
		-d translations -l fr >/dev/null
	# The beneficiary's pages only (translations/public.cfg), for the other public languages.
	$(BIN)/pybabel extract -F translations/public.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 --no-location \
		--sort-output --omit-header --ignore-dirs ".* __pycache__" -o translations/public.pot . >/dev/null
	for lang in $(PUBLIC_CATALOGUES); do \
		test -f translations/$$lang/LC_MESSAGES/messages.po || \
			$(BIN)/pybabel init -i translations/public.pot -d translations -l $$lang >/dev/null; \
		$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i translations/public.pot \
			-d translations -l $$lang >/dev/null; \
	done

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
