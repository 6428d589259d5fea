# The two commands: `make run` serves the site with the seed data on SQLite;
# `make test` runs every check CI runs. Both set up .venv themselves.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
# Production: BIND=unix:/run/ofsted-tracker/gunicorn.sock, the socket only nginx can open.
BIND ?= $(HOST):$(PORT)

.PHONY: run test lint install install-dev serve-production css clean backup superuser

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
	$(PY) manage.py seed
	$(PY) manage.py runserver $(HOST):$(PORT)

# Production: PostgreSQL from DATABASE_URL, static files hashed and compressed by
# whitenoise, gunicorn on loopback behind a TLS-terminating proxy (gunicorn.conf.py).
# Needs DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL in the environment.
serve-production: export DJANGO_DEBUG = false
serve-production: install
	@test -n "$$DATABASE_URL" || { echo "Set DATABASE_URL (postgres://user:password@host:5432/name)"; exit 1; }
	$(PY) manage.py check --deploy
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py migrate --noinput
	GUNICORN_BIND=$(BIND) WEB_CONCURRENCY=$(WORKERS) \
		exec $(VENV)/bin/gunicorn --config gunicorn.conf.py ofsted_tracker.wsgi

# A backup of the configured database (DATABASE_URL, else db.sqlite3), sessions left out:
# pg_dump's custom format or an SQLite copy (ofsted_tracker/backups.py). Restore with
# `manage.py restore_database FILE` into an empty database.
BACKUP ?= backups/ofsted-$(shell date +%Y%m%d-%H%M%S).backup
# The first admin account: asks for a name, an email address and a password.
superuser: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createsuperuser

backup: install
	@mkdir -p -m 700 $(dir $(BACKUP))
	$(PY) manage.py backup_database $(BACKUP)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	DJANGO_DEBUG=false DJANGO_SECRET_KEY=check-deploy-$$(date +%s)-not-a-real-key-but-long-enough-for-django \
		DJANGO_ALLOWED_HOSTS=ofsted.example.org $(PY) manage.py check --deploy --fail-level WARNING

# Two test processes (pytest-xdist), one a core: the suite takes half as long.
test: lint
	$(PY) -m pytest -n 2

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
