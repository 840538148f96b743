# bielefeld-integration: two commands for a fresh machine: `make report` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CLI := $(VENV)/bin/bielefeld-integration
LINT_PATHS := bielefeld_integration tests benchmarks

.PHONY: report test lab demo-data bench clean lint ingest indicators

$(STAMP): pyproject.toml
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	$(PY) -m ipykernel install --prefix $(VENV) --name python3 --display-name "Python 3 (bielefeld-integration)" >/dev/null
	@touch $(STAMP)

report: $(STAMP)  ## ingest every demo period, compute indicators, render the HTML site
	$(CLI) report --all

ingest: $(STAMP)
	$(CLI) ingest --all

test: lint  ## ruff (lint + format check) + the whole test suite
	$(PY) -m pytest

lab: $(STAMP)
	$(VENV)/bin/jupyter lab bielefeld_integration/notebooks/

demo-data: $(STAMP)  ## regenerate data/raw/<period>/ deterministically
	$(PY) -m bielefeld_integration.demo data/raw

bench: $(STAMP)
	$(PY) benchmarks/run.py

lint: $(STAMP)  ## ruff check + ruff format --check (part of `make test`)
	$(VENV)/bin/ruff check $(LINT_PATHS)
	$(VENV)/bin/ruff format --check $(LINT_PATHS)

clean:
	rm -rf data/processed reports .pytest_cache
