# The front door: `make run` and `make test` work on a fresh machine with Python 3 and make.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Use a working uv from PATH if there is one; otherwise bootstrap our own under .tools/.
UV := $(shell uv --version >/dev/null 2>&1 && command -v uv)
ifeq ($(strip $(UV)),)
UV := $(CURDIR)/.tools/bin/uv
endif
RUN := $(UV) run --locked
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install run serve test security integration format messages bench bench-scale ci

help:
	@echo "make run    install, migrate, load reference and demo data, serve http://$(HOST):$(PORT)"
	@echo "make test   lint and the whole test suite (browser tests when Chromium is present)"
	@echo "make security  the security suite alone (permission walks, hostile input, deploy check)"
	@echo "make bench  benchmarks against PostgreSQL, Redis and a worker (see docs/benchmarks.md)"
	@echo "make bench-scale  the pages and the export at 1,000,000 interviews against 10,000 (see docs/benchmarks.md)"
	@echo "make messages  refresh and compile the translation catalogues"

$(CURDIR)/.tools/bin/uv:
	@echo "uv not found: installing it into .tools/ ..."
	@python3 -m venv .tools >/dev/null 2>&1 && .tools/bin/python -m pip install -q uv \
	 || (rm -rf .tools && python3 -m pip install -q --target .tools/lib uv >/dev/null 2>&1 \
	     && mkdir -p .tools/bin && ln -sf ../lib/bin/uv .tools/bin/uv) \
	 || (rm -rf .tools && mkdir -p .tools/bin && curl -LsSf https://astral.sh/uv/install.sh \
	     | env UV_INSTALL_DIR=$(CURDIR)/.tools/bin UV_NO_MODIFY_PATH=1 sh) \
	 || (echo "Could not install uv. Install it (https://docs.astral.sh/uv/) and run make again." && exit 1)

# UV_SYNC_FLAGS: e.g. "--no-dev --extra s3" on a server (docs/deployment.md).
install: $(UV) node_modules/.package-lock.json
	$(UV) sync --locked $(UV_SYNC_FLAGS)

# Test-only JavaScript pinned in package-lock.json: axe-core (the accessibility engine of the browser tests),
# ODK's own XPath evaluator (the oracle of the expression tests) and ODK Web Forms (ODK's form engine, filling
# our XForms in tests/e2e/test_odk_engine.py). Without npm the install goes on and those checks say plainly
# that they were skipped (apt-get install npm).
node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: axe-core and ODK's evaluator and Web Forms are not installed; their tests will be skipped."; fi

# Embedded mode (no REDIS_URL): reports are built in-process, and the web process sweeps report jobs every
# CASEBOOK_REPORT_SWEEP_SECONDS from its first request (reports.sweeper).
run: install
	DEBUG=1 $(RUN) python manage.py migrate --noinput
	DEBUG=1 $(RUN) python manage.py load_reference
	DEBUG=1 $(RUN) python manage.py load_demo
	@echo
	@echo "Demo accounts (password: casebook-demo):"
	@echo "  investigadora  field researcher"
	@echo "  investigador2  field researcher (other clusters)"
	@echo "  coordinador    coordinator"
	@echo "  gerente        manager"
	@echo "  admin          administrator"
	@echo
	DEBUG=1 $(RUN) python manage.py runserver $(HOST):$(PORT)

serve: install
	DEBUG=1 $(RUN) python manage.py runserver $(HOST):$(PORT)

test: install
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) pytest

# The security suite alone (it also runs in `make test`): the permission and method walks over every URL,
# hostile input into every form, account throttling, and `check --deploy` with production settings.
security: install
	$(RUN) pytest tests/test_permission_walk.py tests/test_method_walk.py tests/test_hostile_input.py \
	  tests/test_accounts.py tests/test_settings.py -q

# Needs CASEBOOK_INTEGRATION=1, DATABASE_URL (PostgreSQL) and REDIS_URL: .ci/run sets them up.
integration: install
	$(RUN) pytest -m integration tests/integration -v

format: install
	$(RUN) ruff format .
	$(RUN) ruff check --fix .

messages: install
	DEBUG=1 $(RUN) python manage.py makemessages -l es -l en --no-obsolete --no-location --ignore=.venv --ignore=.tools --ignore=node_modules --ignore=bench --ignore=tests
	DEBUG=1 $(RUN) python manage.py makemessages -d djangojs -l es -l en --no-obsolete --no-location --ignore=.venv --ignore=.tools --ignore=node_modules --ignore=staticfiles
	DEBUG=1 $(RUN) python manage.py compilemessages --ignore=.venv --ignore=.tools --ignore=node_modules

bench: install
	$(RUN) python bench/run.py

# Ten times the programme: seeds a database of a million interviews (about 16 GB) the first time.
bench-scale: install
	$(RUN) python bench/scale.py

ci:
	.ci/run
