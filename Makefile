# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8501
# pytest-xdist workers for `make test` (one per core; each test file stays on one worker).
# A worker that dies is not replaced: the run stops and names the test it died in (a replaced
# worker can wait forever for the rest of a file under --dist loadfile).
TEST_WORKERS ?= auto
# where `make bench` keeps its generated data and database between its steps
BENCH_DIR ?= /tmp/handoff-bench
BENCH_LEADS ?= 1000000

.PHONY: run test install browser java bench bench-headroom clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,spark]'
	touch $(STAMP)

install: $(STAMP)

# Debian's chromium for the real-browser tests (Playwright drives it; no browser download).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

# Debian's Java runtime for the Spark engine's parity tests (PySpark comes with the `spark` extra).
java:
	@command -v java >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq default-jre-headless >/dev/null; }

run: $(STAMP)
	$(BIN)/streamlit run app.py --server.port $(PORT)

# The clock's files run again under two other local timezones, spread test by test over the
# workers (they have no file-wide fixtures), so the long property test runs beside the others.
test: $(STAMP) browser java
	$(BIN)/ruff check src
	$(BIN)/ruff format --check src
	$(BIN)/mypy
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --max-worker-restart 0
	for tz in America/Los_Angeles Asia/Kolkata; do \
	  TZ=$$tz $(BIN)/python -m pytest -q -p no:cacheprovider -n $(TEST_WORKERS) --dist load --max-worker-restart 0 tests/test_calendar.py tests/test_model.py tests/test_import.py tests/test_cli.py || exit 1; \
	done

bench: $(STAMP) java browser
	$(BIN)/python benchmarks/bench_engine.py --leads $(BENCH_LEADS) --keep $(BENCH_DIR)
	$(BIN)/python benchmarks/bench_spark.py
	$(BIN)/python benchmarks/bench_app.py --db $(BENCH_DIR)/bench.duckdb
	$(BIN)/python benchmarks/bench_browser.py
	$(BIN)/python benchmarks/bench_browser.py --db $(BENCH_DIR)/bench.duckdb

# 5 million leads (~40 million activities): import, per-lead facts and a filter change on
# the database file, with the peak RSS printed. The keys of 40 million activities need more
# than the default 1GB of DuckDB memory, so this run gives it 4GB (HANDOFF_MEMORY_LIMIT).
bench-headroom: $(STAMP)
	HANDOFF_MEMORY_LIMIT=$${HANDOFF_MEMORY_LIMIT:-4GB} $(BIN)/python benchmarks/bench_engine.py --leads 5000000 --headroom --keep $(BENCH_DIR)-5m

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts
