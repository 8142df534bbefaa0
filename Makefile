# The two quick-start commands: `make release` and `make test`. Both create .venv on first use.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# A DuckDB 1.x beside the venv, so a test can prove analysts on DuckDB 1.x open our dx.duckdb.
DUCKDB1 := $(VENV)/duckdb1
DUCKDB1_VERSION ?= 1.1.3

.PHONY: install release test

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

$(DUCKDB1)/.installed:
	$(PY) -m pip install --quiet --no-warn-conflicts --target $(DUCKDB1) "duckdb==$(DUCKDB1_VERSION)"
	touch $@

install: $(STAMP)

release: $(STAMP)
	$(VENV)/bin/dxdata release

test: $(STAMP) $(DUCKDB1)/.installed
	DXDATA_DUCKDB1_PATH=$(abspath $(DUCKDB1)) $(PY) -m pytest
