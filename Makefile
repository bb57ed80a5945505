# The course in two commands:  make lab  (open the course)  and  make test  (run every test).
# Both create a virtual environment in .venv on first use; nothing else is needed but Python 3.11+.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Options for JupyterLab, e.g. in a container:  make lab LAB_ARGS="--ip=0.0.0.0 --no-browser"
LAB_ARGS ?=

.PHONY: lab test lint bench exercises notebooks worksheets clean check-venv

# The whole course (lessons and exercises) served from this folder, opening notebooks/00-start-here.ipynb;
# the address printed opens it too. tools/lab.py holds the command, which the browser test uses as well.
lab: $(VENV)/.installed
	$(BIN)/python tools/lab.py $(LAB_ARGS)

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
	$(BIN)/python benchmarks/browser_latency.py  # needs /usr/bin/chromium

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

SUPPORTED := import sys; sys.exit(sys.version_info < (3, 11))

# A .venv left by a Python the course does not support (older than 3.11, or since removed from the
# machine) is found before anything is installed into it, with what to do about it.
check-venv:
	@if [ -e $(BIN)/python ] || [ -L $(BIN)/python ]; then \
	  if ! $(BIN)/python -c '$(SUPPORTED)' 2>/dev/null; then \
	    found=$$($(BIN)/python -c 'import sys; print("Python", sys.version.split()[0])' 2>/dev/null || echo "a Python that no longer runs"); \
	    echo "$(VENV) was made with $$found; the course needs Python 3.11 or newer."; \
	    echo "Remove it and make it again:  rm -rf $(VENV) && make $(or $(MAKECMDGOALS),lab) PYTHON=python3.11"; \
	    exit 1; \
	  fi; \
	fi

$(BIN)/python: | check-venv
	@$(PYTHON) -c '$(SUPPORTED)' 2>/dev/null || { \
	  echo "$(PYTHON) is not Python 3.11 or newer; name one that is, e.g.  make $(or $(MAKECMDGOALS),lab) PYTHON=python3.11"; \
	  exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | check-venv $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python tools/lab.py --install-settings
	touch $@

$(VENV)/.installed-test: pyproject.toml | check-venv $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	$(BIN)/python tools/lab.py --install-settings
	touch $@ $(VENV)/.installed

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .ruff_cache *.egg-info test-artifacts
