# kvalitet — the annual quality report suite. `make help` lists the targets.
# Every target sets up its own virtual environment from the lock file first: the developer's
# requirements-dev.lock (runtime, tests, lint, benchmark, JupyterLab). An adviser who only builds
# reports needs requirements.lock (runtime) and `pip install --no-deps .` — see the README.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help setup bytecode report test test-fast lint mutate ingest derive validate lab bench lock clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): requirements-dev.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

setup: $(STAMP) ## create .venv and install the locked dependencies (runtime, tests, lint, benchmark)

# The project's modules (analysis and the schemas it imports) byte-compiled, as pip compiles an
# installed wheel's. A Python told not to write bytecode (PYTHONDONTWRITEBYTECODE, set on this
# project's CI machines) otherwise compiles them from source in every process: the survey command,
# and each notebook kernel of the report build (~0.1 CPU s each; `kvalitet survey` at 3 M
# respondents 0.97 of its CPU time with them, farm-bench -n 8 in pairs). Python checks each file
# against its source, so an edited module is never run from a stale file; with nothing changed
# this takes ~0.05 s.
bytecode: $(STAMP)
	@$(BIN)/python -m compileall -q analysis schemas

report: bytecode ## build the quality report from data/raw into build/report/ (only what changed)
	$(BIN)/kvalitet report

test: bytecode ## run the whole test suite
	$(BIN)/python -m pytest -n 2 --dist loadfile

test-fast: bytecode ## tests without notebooks, report build and browser
	$(BIN)/python -m pytest -n 2 -m "not slow and not browser"

mutate: $(STAMP) ## mutation testing of the rule modules (slow, not in `make test`); MODULES="parsing wellbeing" FRESH=1 RESUME=1
	$(BIN)/python tools/mutate.py $(MODULES) $(if $(FRESH),--fresh) $(if $(KEEP_STATS),--keep-stats) $(if $(RESUME),--resume)

lint: $(STAMP) ## ruff (lint and format) and the type check (mypy), as .ci/run runs them
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

ingest: $(STAMP) ## validate data/raw and write data/validated/
	$(BIN)/kvalitet ingest

derive: $(STAMP) ## bring data/validated/ and data/derived/ up to date (only what changed)
	$(BIN)/kvalitet derive

validate: $(STAMP) ## check every file in data/raw (writes nothing)
	$(BIN)/kvalitet validate data/raw

lab: $(STAMP) ## open JupyterLab on the notebooks (jupytext .py files open as notebooks)
	@mkdir -p $(VENV)/share/jupyter/lab/settings
	@echo '{"@jupyterlab/docmanager-extension:plugin": {"defaultViewers": {"python": "Jupytext Notebook"}}}' \
		> $(VENV)/share/jupyter/lab/settings/overrides.json
	$(BIN)/jupyter lab --ServerApp.root_dir=notebooks

bench: bytecode ## benchmarks (not part of the tests): kvalitet survey vs DuckDB, DBH national read vs pandas, CLI start, report build
	$(BIN)/python benchmarks/bench_survey.py
	$(BIN)/python benchmarks/bench_dbh_read.py
	@test ! -f benchmarks/bench_report.py || $(BIN)/python benchmarks/bench_report.py

lock: ## re-pin the runtime (requirements.lock) and the developer's set (requirements-dev.lock); needs PyPI
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --no-header -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --all-extras -c requirements.lock --python-version 3.11 --no-header \
		-o requirements-dev.lock

clean: ## remove build output, validated/derived data and mutants/ (keeps data/raw and .venv)
	rm -rf build data/validated data/derived mutants
