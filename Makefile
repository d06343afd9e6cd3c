# Two commands that work on a fresh machine:
#   make demo   render the example gemeente (choices/voorbeeld.yaml) into build/
#   make test   install with test extras and run the test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: demo test install install-test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'

demo: install
	$(BIN)/kit render choices/voorbeeld.yaml -o build

test: install-test
	$(BIN)/python -m pytest -n 2 -q

bench: install
	$(BIN)/python bench/bench.py

clean:
	rm -rf build .pytest_cache
