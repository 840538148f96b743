# bielefeld-integration: two commands for a fresh machine: `make report` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CLI := $(VENV)/bin/bielefeld-integration

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

test: $(STAMP)  ## ruff + the whole test suite
	$(VENV)/bin/ruff check bielefeld_integration tests
	$(PY) -m pytest

lab: $(STAMP)
	$(VENV)/bin/jupyter lab notebooks/

demo-data: $(STAMP)  ## regenerate data/raw/<period>/ deterministically
	$(PY) -m bielefeld_integration.demo data/raw

bench: $(STAMP)
	$(PY) benchmarks/run.py

lint: $(STAMP)
	$(VENV)/bin/ruff check bielefeld_integration tests
	$(VENV)/bin/ruff format --check bielefeld_integration tests

clean:
	rm -rf data/processed reports .pytest_cache
