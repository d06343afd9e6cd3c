# Two commands that work on a fresh machine:
#   make demo   render the example gemeente (choices/voorbeeld.yaml) into build/
#   make test   install with test extras and run the test suite
# Both install the exact versions of requirements.lock / requirements-test.lock (with hashes);
# `make lock` refreshes both from pyproject.toml.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
UV_VERSION := 0.13.9
LOCK_OPTS  := --universal --python-version 3.10 --generate-hashes --no-header --quiet --extra bouw

.PHONY: demo test install install-test lock wheelcheck bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

install: $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m kit.voorvertaald

install-test: $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements-test.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e '.[test]'
	$(BIN)/python -m kit.voorvertaald

demo: install
	$(BIN)/kit render choices/voorbeeld.yaml -o build

test: install-test
	$(BIN)/python -m pytest -n 2 -q

# refresh the lock files (uv, pinned); commit both
lock: $(BIN)/python
	$(BIN)/pip install --quiet uv==$(UV_VERSION)
	$(BIN)/uv pip compile pyproject.toml $(LOCK_OPTS) -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml $(LOCK_OPTS) --extra test -o requirements-test.lock

# a normal (non-editable) install renders: wheel -> fresh venv from the lock -> kit render elsewhere
wheelcheck: install
	PYTHON=$(PYTHON) tools/wheelcheck.sh

bench: install
	$(BIN)/python bench/bench.py

clean:
	rm -rf build .pytest_cache
