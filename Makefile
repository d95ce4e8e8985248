# Two commands: `make run` serves the map with demo data on SQLite (and runs a background worker); `make test` runs the suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run worker test install migrate demo superuser browser gis lint messages clean vendor bench

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

migrate: install
	mkdir -p var
	DEBUG=1 $(MANAGE) migrate --noinput

demo: migrate
	DEBUG=1 $(MANAGE) load_demo

run: demo
	@echo ""
	@echo "Admin login: run 'make superuser' (or '$(MANAGE) createsuperuser') in another terminal."
	@echo "Serving http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/), with a background worker"
	DEBUG=1 $(PY) scripts/serve.py $(HOST):$(PORT)

# The background worker alone (imports, exports): another terminal, or a machine of its own.
worker: migrate
	DEBUG=1 $(MANAGE) run_worker

superuser: migrate
	DEBUG=1 $(MANAGE) createsuperuser

# Debian's Chromium drives the browser tests (Playwright's own download does not work here).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else \
	    echo "Browser tests need Debian's chromium: sudo apt-get install chromium fonts-noto-cjk"; \
	  fi; \
	fi

# GDAL's ogr2ogr reads the OGC API as partners' GIS clients do (tests/api/test_ogc_clients.py).
gis:
	@if ! command -v ogr2ogr >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gdal-bin >/dev/null; \
	  else \
	    echo "The GIS client test needs GDAL's ogr2ogr: sudo apt-get install gdal-bin"; \
	  fi; \
	fi

test: install browser gis
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Needs GNU gettext (apt-get install gettext); the compiled .mo files are committed.
messages: install
	DEBUG=1 $(MANAGE) makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=staticfiles
	DEBUG=1 $(MANAGE) compilemessages --ignore=.venv
	DEBUG=1 $(MANAGE) traditional_catalog

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache

# Re-vendor the front-end files pinned in package.json into static/vendor/ (needs npm).
vendor:
	./scripts/vendor.sh

# Benchmarks at 1k, 10k and 100k enterprises against the DRF and pygeoapi baselines (see benchmarks/run.py).
# On PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/nansha make bench
bench: install browser
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; } || echo "wrk missing: no load test"
	test -x var/pygeoapi-venv/bin/pygeoapi || { $(PYTHON) -m venv var/pygeoapi-venv && var/pygeoapi-venv/bin/pip install --quiet pygeoapi gunicorn; }
	$(PY) benchmarks/run.py
