# Front Door: `make run` sets everything up and runs the system; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)

.PHONY: install run test test-unit infra-up infra-down lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

## Start local Kafka + PostgreSQL (fetched/initialised on first use) and all four services; Ctrl-C stops all.
run: install
	$(BIN)/frontdoor run all --demo-partner

## The whole suite: unit, contract, integration and end-to-end on real Kafka and PostgreSQL.
test: install
	$(BIN)/pytest -p no:cacheprovider

test-unit: install
	$(BIN)/pytest -p no:cacheprovider tests/unit tests/contract

infra-up: install
	$(BIN)/frontdoor infra up

infra-down: install
	$(BIN)/frontdoor infra down

lint: install
	$(BIN)/lint-imports

clean:
	-$(BIN)/frontdoor infra down
	rm -rf $(VENV) .frontdoor test-artifacts
