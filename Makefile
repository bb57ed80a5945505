# The course in two commands:  make lab  (open the course)  and  make test  (run every test).
# Both create a virtual environment in .venv on first use; nothing else is needed but Python 3.11+.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
START := notebooks/00-start-here.ipynb

.PHONY: lab test lint bench exercises clean

lab: $(VENV)/.installed
	$(BIN)/jupyter lab $(if $(wildcard $(START)),$(START),.)

test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check course_lib tests benchmarks tools
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format course_lib tests benchmarks tools

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/training_speed.py
	$(BIN)/python benchmarks/panel_latency.py

exercises: $(VENV)/.installed
	$(BIN)/python tools/make_exercises.py

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .ruff_cache *.egg-info
