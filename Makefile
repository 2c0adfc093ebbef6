# heartmon: `make demo` serves a demo on 127.0.0.1:$PORT, `make test` runs the suite,
# `make lint` runs the linters, `make bench` measures performance on PostgreSQL (never in tests).
# VENV names the virtualenv (CI points it at its own).

VENV ?= .venv
PYTHON ?= python3
PORT ?= 8000
HOST ?= 127.0.0.1
PYTEST_ARGS ?=
# `make demo` runs simulated monitors beside the server; SIM_DEVICES=0 leaves them out.
SIM_DEVICES ?= 10
SIM_RATE ?= 1
# ... and SIM_ECG of them stream live ECG too.
SIM_ECG ?= 2

VAR_DIR ?= var

BIN := $(VENV)/bin
# Reinstall only when pyproject.toml is newer than the last install. The demo needs only what
# runs the server; tests, linters and benchmarks add the developer tools.
INSTALLED := $(VENV)/.installed
DEV_INSTALLED := $(VENV)/.installed-dev

.PHONY: demo test lint install bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(BIN)/python
	@echo "Installing heartmon into $(VENV) (a minute or two the first time)..."
	$(BIN)/python -m pip install --quiet --progress-bar off -e .
	touch $@

$(DEV_INSTALLED): $(INSTALLED)
	@echo "Installing the developer tools (pytest, ruff, mypy) into $(VENV)..."
	$(BIN)/python -m pip install --quiet --progress-bar off -e '.[dev]'
	touch $@

install: $(DEV_INSTALLED)

# The embedded defaults (SQLite under var/, local-memory cache, generated key) are for a local
# trial only: DEBUG=1 lets the server start with them. E-mails are written to $(VAR_DIR)/mail/,
# one file each, so the tour can follow their links. (django-environ drops the path's first slash.)
demo: export DEBUG = 1
demo: export PUBLIC_URL ?= http://$(HOST):$(PORT)
demo: export EMAIL_URL ?= filemail:///$(VAR_DIR)/mail
demo: $(INSTALLED)
	$(BIN)/heartmon migrate --no-input
	$(BIN)/heartmon maintain_readings
	$(BIN)/heartmon collectstatic --no-input --verbosity 0
	$(BIN)/heartmon demo_data
	@echo "Serving http://$(HOST):$(PORT)/ (API docs at /api/docs/); e-mails go to $(VAR_DIR)/mail/; Ctrl-C stops."
	@echo "Open http://$(HOST):$(PORT)/ and sign in as <role>@demo.heartmon.test (admin, doctor, nurse, staff, technician)"
	@echo "with the password printed above on the first run; $(BIN)/heartmon changepassword <e-mail> sets a new one."
	@echo "$(SIM_DEVICES) simulated monitors (SIM-001...) send vital signs at $(SIM_RATE) Hz, with faults; $(SIM_ECG) stream live ECG."
	@echo "The alarms' timed checks (no data, delays, reminders, NEWS2) run every 5 s beside them."
	$(BIN)/heartmon run_periodic & periodic=$$!; \
	$(BIN)/heartmon deliver_outbox & outbox=$$!; \
	if [ "$(SIM_DEVICES)" -gt 0 ]; then \
	    $(BIN)/heartmon simulate --devices $(SIM_DEVICES) --rate $(SIM_RATE) --faults --ecg $(SIM_ECG) \
	        --url http://$(HOST):$(PORT) --progress lines & \
	    sim=$$!; \
	fi; \
	trap 'kill $$periodic $$outbox $${sim:-} 2>/dev/null' EXIT INT TERM; \
	$(BIN)/uvicorn heartmon.asgi:application --host $(HOST) --port $(PORT) --lifespan off --no-access-log

test: $(DEV_INSTALLED)
	$(BIN)/pytest $(PYTEST_ARGS)

# Needs PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/heartmon_bench)
# names a database the bench drops and creates. BENCH_ARGS, e.g. --ecg-hours 0 (python -m bench -h).
BENCH_ARGS ?=
bench: $(DEV_INSTALLED)
	$(BIN)/python -m bench $(BENCH_ARGS)

lint: $(DEV_INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy heartmon bench
	$(BIN)/heartmon makemigrations --check --dry-run
	$(BIN)/hadolint Dockerfile
	$(BIN)/check-jsonschema --builtin-schema vendor.compose-spec compose.yaml
