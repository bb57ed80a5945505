# The course in two commands:  make lab  (open the course)  and  make test  (run every test).
# Both create a virtual environment in .venv on first use; nothing else is needed but Python 3.11+.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
START := notebooks/00-start-here.ipynb

.PHONY: lab test lint bench audit exercises notebooks worksheets clean

lab: $(VENV)/.installed
	$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) $(if $(wildcard $(START)),$(START),.)

NBVAL := $(BIN)/python -m pytest -p no:cacheprovider --nbval-current-env

test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check course_lib tests benchmarks tools
	$(BIN)/python -m pytest
	$(NBVAL) --nbval-lax notebooks exercises
	$(NBVAL) --nbval solutions
	$(NBVAL) --nbval solutions  # twice: a solution's outputs must not change from run to run

lint: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format course_lib tests benchmarks tools

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/training_speed.py
	$(BIN)/python benchmarks/panel_latency.py

# The self-check tried as honest learners, careless learners and hostile testers would (tools/audit_selfcheck.py):
# counts of wrong verdicts and tracebacks, which must be zero. By hand, not in make test: it takes many minutes.
# AUDIT=--quick for the course's own networks only.
audit: $(VENV)/.installed-test
	$(BIN)/python tools/audit_selfcheck.py $(AUDIT)

# Printable worksheets and answer sheets (HTML, in worksheets/) for a workshop.
worksheets: $(VENV)/.installed
	$(BIN)/python tools/make_worksheets.py

exercises: $(VENV)/.installed
	$(BIN)/python tools/make_exercises.py

# After a change to course_lib or to a notebook: execute the lessons and solutions in place, then regenerate
# the exercises, so that nbval compares fresh outputs.
notebooks: $(VENV)/.installed-test
	$(BIN)/python tools/run_notebooks.py
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
	rm -rf $(VENV) .pytest_cache .hypothesis .ruff_cache *.egg-info test-artifacts
