# Two commands: `make run` (set up and start everything) and `make test` (the test suite).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PORT

.PHONY: run setup test lint bench clean-var screens mutate

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null || { echo "ต้องมี Python 3.11 (python3.11 หรือ python3)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py seed_letters_demo

run: setup
	@echo ""
	@echo "เปิดระบบที่ http://127.0.0.1:$(PORT)/  (หยุดทั้งหมดด้วย Ctrl-C)"
	@echo "ผู้ดูแลระบบ: http://127.0.0.1:$(PORT)/admin/"
	$(VENV)/bin/honcho start -f Procfile

# One pytest-xdist worker per core, at most four: each worker migrates its own test database,
# which stops paying off beyond that. `make test PYTEST_ARGS="-n 0"` runs in one process.
test: $(VENV)/.installed
	VAR_DIR=$(CURDIR)/var/test $(VENV)/bin/pytest -n auto --maxprocesses=4 $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(VENV)/bin/lint-imports

bench: $(VENV)/.installed
	$(PY) bench/run_all.py

screens: $(VENV)/.installed
	REFRESH_SCREENS=1 VAR_DIR=$(CURDIR)/var/test $(VENV)/bin/pytest tests/e2e -q

# Mutation testing of the rule modules ([tool.mutmut] in pyproject.toml), from scratch: minutes,
# so not part of `make test`. Prints each module's kill rate and fails below 90 %.
mutate: $(VENV)/.installed
	$(PY) tools/mutation_report.py --check
	rm -rf mutants var/mutants
	VAR_DIR=$(CURDIR)/var/mutants $(VENV)/bin/mutmut run
	$(PY) tools/mutation_report.py
