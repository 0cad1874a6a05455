# Two entry points, each building its own virtual environment in .venv:
#   make demo   install claimbeam, run it on the bundled sample corpus checking its example claims, write the report
#   make test   install the test extras and run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
OUTPUT ?= claimbeam-output

.PHONY: demo test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

demo: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/claimbeam run --claims claims/sample_corpus/targets.jsonl --output $(OUTPUT) --overwrite
	$(BIN)/claimbeam report $(OUTPUT)

test: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	$(BIN)/python -m pytest -n 2  # two test processes (pytest-xdist): 9 minutes instead of 16 on two cores

clean:
	rm -rf $(VENV) $(OUTPUT) build *.egg-info
