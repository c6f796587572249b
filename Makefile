# The one interface: `make run` and `make test` do all set-up on a fresh machine.
PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
INPUT ?= seeds
WAREHOUSE ?= warehouse
# A corpus and gold file for `make eval`: none ships with the project (corpora are licensed
# for evaluation and kept outside it), so both are given on the command line.
CORPUS ?=
GOLD ?=
# `make bench` generates BENCH_COUNT stories (or copies BENCH_CORPUS) and runs the real flow;
# e.g. make bench BENCH_COUNT=100000 BENCH_ARGS="--entities sample".
BENCH_COUNT ?= 2000
BENCH_OUT ?= bench-output
BENCH_CORPUS ?=
BENCH_ARGS ?=

.PHONY: setup run test test-fast lint format bench eval clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# --compile-bytecode: where PYTHONDONTWRITEBYTECODE is set (as on our machines) Python would
# otherwise compile Prefect, pandas and GX from source in every command: a command running an
# empty Prefect flow took 20.3 s, with the bytecode written once at set-up 11.6 s.
$(VENV)/.synced: $(UV) pyproject.toml uv.lock Makefile
	$(UV) sync --frozen --quiet --compile-bytecode
	touch $@

setup: $(VENV)/.synced

run: setup
	$(VENV)/bin/newswire run --input $(INPUT) --warehouse $(WAREHOUSE)

# Two workers (the machines here have two cores), each taking whole test files, so a file's
# fixtures are built once; progress as a percentage, the slowest tests listed at the end.
PYTEST_WORKERS ?= 2
test: setup
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadfile -o console_output_style=progress --durations=10

# Everything but the tests marked slow (real Prefect servers, Dask, long runs).
test-fast: setup
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadfile -o console_output_style=progress -m "not slow"

eval: setup
	@test -n "$(CORPUS)" || { echo "usage: make eval CORPUS=DIR [GOLD=FILE]"; exit 2; }
	$(VENV)/bin/python -m bench.evaluation --corpus $(CORPUS) $(if $(GOLD),--gold $(GOLD))

lint: setup
	$(VENV)/bin/ruff check flows tests bench
	$(VENV)/bin/ruff format --check flows tests bench
	$(VENV)/bin/mypy

bench: setup
	$(VENV)/bin/python -m bench.benchmark --count $(BENCH_COUNT) --out $(BENCH_OUT) \
		$(if $(BENCH_CORPUS),--corpus $(BENCH_CORPUS)) $(BENCH_ARGS)

format: setup
	$(VENV)/bin/ruff check --fix flows tests bench
	$(VENV)/bin/ruff format flows tests bench

clean:
	rm -rf $(WAREHOUSE)/* .prefect .pytest_cache .mypy_cache .ruff_cache
