# Front Door: `make run` sets everything up and runs the system; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)

.PHONY: install run test test-unit infra-up infra-down lint clean browser bench bench-people bench-scale bench-hops bench-floor

$(STAMP): pyproject.toml
	@echo "Installing Front Door and its dependencies into $(VENV) (the first time takes a few minutes)..."
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --progress-bar off --no-color -e ".[dev,local,bench]"
	$(BIN)/python -m compileall -q services shared tools  # byte-compiled once: the CLI starts fast
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

## Start local Kafka + PostgreSQL (fetched/initialised on first use) and all five services; Ctrl-C stops all.
run: install
	$(BIN)/frontdoor run all --demo-partner

## Debian's Chromium for the console's browser test (installed once; needs root, as on CI).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Install Debian's chromium (sudo apt-get install chromium) for the browser test" >&2; exit 1; fi; }

## The whole suite: lint, then unit, contract, integration and end-to-end on real Kafka and PostgreSQL.
test: install browser lint
	$(BIN)/pytest -p no:cacheprovider

test-unit: install
	$(BIN)/pytest -p no:cacheprovider tests/unit tests/contract

## Throughput and latency of the whole system against raw Kafka, COPY and ASGI baselines (prints a table).
bench: install
	$(BIN)/python -m bench $(BENCH_ARGS)

bench-people: install
	$(BIN)/python -m bench.people_scale $(BENCH_ARGS)

bench-scale: install
	$(BIN)/python -m bench --scale $(BENCH_ARGS)

bench-hops: install
	$(BIN)/python -m bench.hops $(BENCH_ARGS)

bench-floor: install
	$(BIN)/python -m bench.floor $(BENCH_ARGS)

infra-up: install
	$(BIN)/frontdoor infra up

infra-down: install
	$(BIN)/frontdoor infra down

## Layering contracts (import-linter), style (ruff), types (mypy: strict on domain/ and application/).
lint: install
	$(BIN)/lint-imports
	$(BIN)/ruff check .
	$(BIN)/mypy

clean:
	-$(BIN)/frontdoor infra down
	rm -rf $(VENV) .frontdoor test-artifacts
