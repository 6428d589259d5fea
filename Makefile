# The two commands: `make run` serves the site with the seed data on SQLite;
# `make test` runs every check CI runs. Both set up .venv themselves.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint install install-dev serve-production css clean

$(VENV)/installed-app: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/installed-dev: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(VENV)/installed-app $@

install: $(VENV)/installed-app
install-dev: $(VENV)/installed-dev

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py loaddata west_sussex
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	DJANGO_DEBUG=false DJANGO_SECRET_KEY=check-deploy-$$(date +%s)-not-a-real-key-but-long-enough-for-django \
		DJANGO_ALLOWED_HOSTS=ofsted.example.org $(PY) manage.py check --deploy --fail-level WARNING

test: lint
	$(PY) -m pytest

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
