# Two commands on a fresh machine: `make demo` and `make test`. Everything else is a helper.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell scripts/find-python)
PYVER := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
VENV ?= .venv/py$(PYVER)
BIN := $(abspath $(VENV))/bin
DEMO_PORT ?= 8000
DEMO_VAR ?= $(CURDIR)/var
DEMO_ENV := DJANGO_SETTINGS_MODULE=collective_coaching_xblock.demo.settings COLLECTIVE_COACHING_VAR=$(DEMO_VAR)
# xblock-sdk 0.15 would otherwise bring Django 6; Open edX runs Django 4.2 and 5.2.
DJANGO_SPEC ?= Django>=4.2,<6.0
PACKAGE := collective_coaching_xblock

.PHONY: help install demo demo-setup test lint format translations check-translations bench screenshots test-mysql clean

help:
	@echo "make demo     install, migrate, seed and serve the demo at http://127.0.0.1:$(DEMO_PORT)/"
	@echo "make test     install and run every check (lint, translations, tests)"
	@echo "make lint | format | translations | clean"
	@echo "Python: $(PYTHON) ($(PYVER)); pass PYTHON=/path/to/python to choose another."

$(BIN)/.installed: pyproject.toml
	@test -n "$(PYVER)" || { echo "No usable Python: pass PYTHON=/path/to/python3.11+"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]" "$(DJANGO_SPEC)"
	touch $@

install: $(BIN)/.installed

demo-setup: install
	$(DEMO_ENV) $(BIN)/python -m django migrate --run-syncdb -v0
	$(DEMO_ENV) $(BIN)/python -m django seed_demo

demo: demo-setup
	@echo "Serving the demo at http://127.0.0.1:$(DEMO_PORT)/ (Ctrl-C to stop)"
	$(DEMO_ENV) $(BIN)/python -m django runserver 127.0.0.1:$(DEMO_PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The English source catalog, extracted from Python and templates; text.mo is compiled beside it.
translations: install
	mkdir -p $(PACKAGE)/locale && cd $(PACKAGE) && $(DEMO_ENV) $(BIN)/django-admin makemessages -l en -d django -e html,py \
		--no-location --no-obsolete -i "migrations/*" -i "demo/*" --pythonpath ..
	cd $(PACKAGE) && $(DEMO_ENV) $(BIN)/django-admin makemessages -l en -d djangojs -e js \
		--no-location --no-obsolete -i "demo/*" --pythonpath ..
	mv $(PACKAGE)/locale/en/LC_MESSAGES/django.po $(PACKAGE)/translations/en/LC_MESSAGES/text.po
	mv $(PACKAGE)/locale/en/LC_MESSAGES/djangojs.po $(PACKAGE)/translations/en/LC_MESSAGES/textjs.po
	rm -rf $(PACKAGE)/locale
	for lang in $(PACKAGE)/translations/*/; do lang=$$(basename $$lang); [ $$lang = en ] && continue; \
		for domain in text textjs; do \
			msgmerge --quiet --update --backup=none --no-fuzzy-matching \
				$(PACKAGE)/translations/$$lang/LC_MESSAGES/$$domain.po $(PACKAGE)/translations/en/LC_MESSAGES/$$domain.po; \
		done; done
	for po in $(PACKAGE)/translations/*/LC_MESSAGES/*.po; do msgfmt --check-format -o "$${po%.po}.mo" "$$po"; done

# Fails when the source catalog misses or keeps a string that the code no longer has.
check-translations: install
	@tmp=$$(mktemp -d) && cp -r $(PACKAGE)/translations $$tmp/before && \
	$(MAKE) --no-print-directory translations >/dev/null && \
	if ! diff -r -q -I '^"POT-Creation-Date' -x '*.mo' $$tmp/before $(PACKAGE)/translations >/dev/null; then \
		echo "The translation catalogs are out of date: run 'make translations' and commit them."; exit 1; fi

# The suite on SQLite, then on MariaDB where it is installed (TEST_MYSQL=0 leaves that run out).
test: install lint check-translations
	$(BIN)/python -m pytest
	@if [ "$(TEST_MYSQL)" = "0" ]; then \
		echo "make test: the MariaDB run is left out here (TEST_MYSQL=0)."; \
	elif command -v mariadbd >/dev/null; then \
		scripts/with-mariadb $(BIN)/python -m pytest; \
	else \
		echo "make test: MariaDB is not installed (apt-get install mariadb-server), so the MySQL-family run was skipped."; \
	fi

clean:
	rm -rf .venv var build dist *.egg-info .pytest_cache .ruff_cache

# The whole suite on MariaDB (Debian's mariadb-server), started and stopped here.
test-mysql: install
	scripts/with-mariadb $(BIN)/python -m pytest

# Screenshots of every view at 1280 and 360 px, for the README (needs Debian's chromium).
screenshots: install
	$(BIN)/python scripts/screenshots.py

# Benchmarks print figures; they are not tests (these machines are shared and noisy).
bench: install
	$(BIN)/pip install --quiet xblock-poll  # the comparison block, for benchmarks only
	$(BIN)/python benchmarks/learner.py
	$(BIN)/python benchmarks/facilitator.py
	if command -v mariadbd >/dev/null; then scripts/with-mariadb $(BIN)/python benchmarks/load.py; else $(BIN)/python benchmarks/load.py; fi
