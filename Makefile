# Two commands on a fresh machine: `make demo` and `make test`. Everything else is a helper.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Supported: Python 3.11, 3.12 and 3.13. Without PYTHON, the newest of them found; PYTHON may be a
# version (3.12), a name (python3.12, resolved through pyenv's versions when its shim does not run)
# or a path. scripts/find-python says why when none fits.
override PYTHON := $(shell scripts/find-python $(PYTHON))
PYVER := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
VENV ?= .venv/py$(PYVER)
BIN := $(abspath $(VENV))/bin
DEMO_PORT ?= 8000
DEMO_VAR ?= $(CURDIR)/var
DEMO_ENV := DJANGO_SETTINGS_MODULE=collective_coaching_xblock.demo.settings COLLECTIVE_COACHING_VAR=$(DEMO_VAR) \
	COLLECTIVE_COACHING_DEMO_URL=http://127.0.0.1:$(DEMO_PORT)
# xblock-sdk 0.15 would otherwise bring Django 6; Open edX runs Django 4.2 and 5.2.
DJANGO_SPEC ?= Django>=4.2,<6.0
# A pip constraints file for the install, e.g. requirements/openedx-platform-constraints.txt (Open edX's pins).
PIP_CONSTRAINTS ?=
PACKAGE := collective_coaching_xblock
# Everything `make test` writes goes inside the tree (var/ is ignored by git) and is removed after.
TEST_TMP := $(CURDIR)/var/test-tmp
HAVE_GETTEXT = command -v msgfmt >/dev/null && command -v msgmerge >/dev/null && command -v msguniq >/dev/null && command -v xgettext >/dev/null

.PHONY: FORCE help install demo demo-setup demo-news demo-regroup test lint format translations check-translations bench screenshots test-mysql clean

help:
	@echo "make demo     install, migrate, seed and serve the demo at http://127.0.0.1:$(DEMO_PORT)/"
	@echo "make test     install and run every check (lint, translations, tests)"
	@echo "make lint | format | translations | clean"
	@echo "Python: $(PYTHON) ($(PYVER)); pass PYTHON=python3.12 (or 3.11, 3.13, a path) to choose another."

# What the venv was installed with; rewritten only when it changes, so a new spec reinstalls.
$(VENV)/.spec: FORCE
	@mkdir -p $(VENV)
	@echo '$(DJANGO_SPEC) $(PIP_CONSTRAINTS)' | cmp -s - $@ || echo '$(DJANGO_SPEC) $(PIP_CONSTRAINTS)' >$@

$(BIN)/.installed: pyproject.toml setup.py $(VENV)/.spec $(PIP_CONSTRAINTS)
	@test -n "$(PYVER)" || { echo "No usable Python: pass PYTHON=python3.11, python3.12 or python3.13 (or a path)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]" "$(DJANGO_SPEC)" $(if $(PIP_CONSTRAINTS),-c $(PIP_CONSTRAINTS))
	touch $@

FORCE:

install: $(BIN)/.installed

demo-setup: install
	$(DEMO_ENV) $(BIN)/python -m django migrate --run-syncdb -v0
	$(DEMO_ENV) $(BIN)/python -m django seed_demo

demo: demo-setup
	@echo "Serving the demo at http://127.0.0.1:$(DEMO_PORT)/ (Ctrl-C to stop)"
	$(DEMO_ENV) $(BIN)/python -m django runserver 127.0.0.1:$(DEMO_PORT)

# The group's news by email, as cron runs it on a platform: the demo writes each email to var/mail/.
demo-news: demo-setup
	$(DEMO_ENV) $(BIN)/python -m django send_group_news

demo-regroup: demo-setup
	$(DEMO_ENV) $(BIN)/python -m django regroup_small_groups

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The English source catalogs, extracted from Python, templates and JavaScript, merged into every
# language and compiled (scripts/catalogs). A catalog whose only change would be its date is left as it was.
translations: install
	@$(HAVE_GETTEXT) || { echo "make translations: gettext is not installed (apt-get install gettext)."; exit 1; }
	$(DEMO_ENV) scripts/catalogs $(PACKAGE) $(BIN)/django-admin

# Fails when the source catalogs miss or keep a string that the code no longer has. Works on a copy
# of the package in var/, so the tree is never written.
check-translations: install
	@if ! $(HAVE_GETTEXT); then \
		echo "make test: gettext is not installed (apt-get install gettext), so the translation catalogs were not checked."; \
		exit 0; fi; \
	copy=$(CURDIR)/var/check-translations; rm -rf $$copy && mkdir -p $$copy && \
	trap 'rm -rf $$copy' EXIT && cp -r $(PACKAGE) $$copy/ && \
	$(DEMO_ENV) scripts/catalogs $$copy/$(PACKAGE) $(BIN)/django-admin && \
	if ! diff -r -q -x '*.mo' $(PACKAGE)/translations $$copy/$(PACKAGE)/translations >/dev/null; then \
		echo "The translation catalogs are out of date: run 'make translations' and commit them."; exit 1; fi

# The suite on SQLite and, at the same time, on MariaDB where it is installed (TEST_MYSQL=0 leaves
# that run out): two processes for the machine's two cores. The MariaDB run's report follows the
# SQLite run's. Each run says what it left out; the temporary files of both stay in var/ and go.
test: install lint check-translations
	@rm -rf $(TEST_TMP) && mkdir -p $(TEST_TMP); \
	trap 'rm -rf $(TEST_TMP)' EXIT; \
	export TMPDIR=$(TEST_TMP); status=0; mysql_pid=; \
	if [ "$(TEST_MYSQL)" = "0" ]; then \
		mysql="left out here (TEST_MYSQL=0)"; \
	elif ! command -v mariadbd >/dev/null; then \
		mysql="skipped: MariaDB is not installed (apt-get install mariadb-server)"; \
	else \
		echo "make test: the suite on MariaDB, alongside (its report follows)"; \
		scripts/with-mariadb $(BIN)/python -m pytest --basetemp=$(TEST_TMP)/mariadb \
			>$(TEST_TMP)/mariadb.log 2>&1 & mysql_pid=$$!; \
	fi; \
	echo "make test: the suite on SQLite ($(PYTHON), Python $(PYVER))"; \
	$(BIN)/python -m pytest --basetemp=$(TEST_TMP)/sqlite || { status=1; sqlite=failed; }; \
	if [ -n "$$mysql_pid" ]; then \
		if wait $$mysql_pid; then mysql=passed; else status=1; mysql=failed; fi; \
		echo "make test: the suite on MariaDB"; cat $(TEST_TMP)/mariadb.log; \
	fi; \
	[ -x "$${CHROMIUM:-/usr/bin/chromium}" ] || \
		echo "make test: Chromium is not installed (apt-get install chromium), so the browser tests were skipped."; \
	echo "make test: SQLite run $${sqlite:-passed}; MariaDB run $$mysql."; \
	exit $$status

clean:
	rm -rf .venv var build dist *.egg-info .pytest_cache .ruff_cache

# The whole suite on MariaDB (Debian's mariadb-server), started and stopped here.
test-mysql: install
	@rm -rf $(TEST_TMP) && mkdir -p $(TEST_TMP); trap 'rm -rf $(TEST_TMP)' EXIT; \
	TMPDIR=$(TEST_TMP) scripts/with-mariadb $(BIN)/python -m pytest --basetemp=$(TEST_TMP)/mariadb

# Screenshots of every view at 1280 and 360 px, for the README (needs Debian's chromium).
screenshots: install
	$(BIN)/python scripts/screenshots.py

# Benchmarks print figures; they are not tests (these machines are shared and noisy).
bench: install
	$(BIN)/pip install --quiet xblock-poll  # the comparison block, for benchmarks only
	$(BIN)/python benchmarks/learner.py
	$(BIN)/python benchmarks/facilitator.py
	$(BIN)/python benchmarks/suggestions.py
	if command -v mariadbd >/dev/null; then scripts/with-mariadb $(BIN)/python benchmarks/load.py; else $(BIN)/python benchmarks/load.py; fi
