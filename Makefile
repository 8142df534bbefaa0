# The two quick-start commands: `make release` and `make test`. Both create .venv on first use.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# A DuckDB 1.x beside the venv, so a test can prove analysts on DuckDB 1.x open our dx.duckdb.
DUCKDB1 := $(VENV)/duckdb1
DUCKDB1_VERSION ?= 1.1.3

# The extraction engine compiled with mypyc (dxdata/compiled.py, scripts/compile_engine.py). An
# accelerator only: if it cannot be built, everything runs on the pure-Python engine, except in
# CI (CI set, e.g. CI=true), where a failed build fails, so CI always tests the compiled engine.
ENGINE_MODULES := extract numbers text model provinces editions
# ...and the dxdata modules they call (a change there makes the build stale too).
ENGINE_DEPENDENCIES := catalogue ingest paths
ENGINE_SOURCES := $(foreach m,$(ENGINE_MODULES) $(ENGINE_DEPENDENCIES),dxdata/$(m).py) scripts/compile_engine.py dxdata/compiled.py
# Touched after every build attempt, so a failed one is not retried until the sources change.
ENGINE_ATTEMPT := .build/engine.attempted

.PHONY: install release test compile

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,compile,deploy]"
	touch $(STAMP)

$(ENGINE_ATTEMPT): $(ENGINE_SOURCES) $(STAMP)
	@mkdir -p $(dir $@)
	@if $(PY) scripts/compile_engine.py; then :; \
	else case "$$CI" in ""|0|false) \
	  echo "*** NOTICE: the compiled extraction engine was not built (see above); running pure Python, same output, slower ***";; \
	*) echo "*** CI: compiling the extraction engine failed (see above) ***"; exit 1;; esac; fi
	@touch $@

compile: $(STAMP)
	$(PY) scripts/compile_engine.py
	@mkdir -p $(dir $(ENGINE_ATTEMPT)) && touch $(ENGINE_ATTEMPT)

$(DUCKDB1)/.installed:
	$(PY) -m pip install --quiet --no-warn-conflicts --target $(DUCKDB1) "duckdb==$(DUCKDB1_VERSION)"
	touch $@

install: $(STAMP) $(ENGINE_ATTEMPT)

release: install
	$(VENV)/bin/dxdata release

test: install $(DUCKDB1)/.installed
	DXDATA_DUCKDB1_PATH=$(abspath $(DUCKDB1)) $(PY) -m pytest
