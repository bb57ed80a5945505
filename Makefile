# The course in two commands:  make lab  (open the course)  and  make test  (run every test).
# Both create a virtual environment in .venv on first use; nothing else is needed but Python 3.11+.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Options for JupyterLab, e.g. in a container:  make lab LAB_ARGS="--ip=0.0.0.0 --no-browser"
LAB_ARGS ?=

.PHONY: lab test lint bench audit exercises fresh notebooks worksheets room room-close lock clean check-venv

# The whole course (lessons and exercises) served from this folder, opening notebooks/00-start-here.ipynb;
# the address printed opens it too. tools/lab.py holds the command, which the browser test uses as well.
lab: $(VENV)/.installed
	$(BIN)/python tools/lab.py $(LAB_ARGS)

NBVAL := $(BIN)/python -m pytest -p no:cacheprovider --nbval-current-env
# A learner's copy of the course has no solutions/ (see the instructor guide): there the solutions are not tested,
# the learner's own code in exercises/ is not linted, and tests marked `maintainer` are skipped (tests/conftest.py).
LEARNERS_COPY := $(if $(wildcard solutions/*.ipynb),,yes)

# JupyterHub's proxy (npm), for the room's hub test; where npm is missing the hub test says so and is skipped.
HUB_PROXY := $(VENV)/hub-proxy/node_modules/.bin/configurable-http-proxy

test: $(VENV)/.installed-test $(if $(shell command -v npm 2>/dev/null),$(HUB_PROXY))
	$(BIN)/ruff check . $(if $(LEARNERS_COPY),--extend-exclude exercises)
	$(BIN)/ruff format --check course_lib course_room tests benchmarks tools
	$(BIN)/python -m pytest
	$(NBVAL) --nbval-lax notebooks exercises
ifeq ($(LEARNERS_COPY),)
	$(NBVAL) --nbval solutions
	$(NBVAL) --nbval solutions  # twice: a solution's outputs must not change from run to run
else
	@echo "A learner's copy (no solutions/): the solutions are not tested here, and exercises/ is yours."
endif

lint: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format course_lib course_room tests benchmarks tools

# The instructor's room: a live, anonymous view of where learners are stuck (docs/instructor-guide.md, 7).
# `make room` listens on this computer only; `make room LAN=1` on the local network too. Data: room-data/.
ROOM_DB ?= sqlite:///$(CURDIR)/room-data/room.sqlite

room: $(VENV)/.installed-room
	$(BIN)/python -m course_room --db "$(ROOM_DB)" serve $(if $(LAN),--lan) $(if $(PORT),--port $(PORT)) \
		$(if $(TITLE),--title "$(TITLE)")

# Close a room and delete all its data: make room-close CODE=K7QMX4
room-close: $(VENV)/.installed-room
	$(BIN)/python -m course_room --db "$(ROOM_DB)" close $(CODE)

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/training_speed.py
	$(BIN)/python benchmarks/panel_latency.py
	$(BIN)/python benchmarks/kernel_memory.py
	$(BIN)/python benchmarks/browser_latency.py  # needs /usr/bin/chromium

# The self-check tried as honest learners, careless learners and hostile testers would (tools/audit_selfcheck.py):
# counts of wrong verdicts and tracebacks, which must be zero. By hand, not in make test: it takes many minutes.
# AUDIT=--quick for the course's own networks only.
audit: $(VENV)/.installed-test
	$(BIN)/python tools/audit_selfcheck.py $(AUDIT)

# Printable worksheets for learners (worksheets/) and answer sheets for you (answer-sheets/), A4, offline.
worksheets: $(VENV)/.installed-test
	$(BIN)/python tools/make_worksheets.py

# The learners' copies, from solutions/. An exercise a learner has edited is never overwritten: FORCE=1 saves it
# to backups/ first. EXERCISE=07-mazur (or a list) limits it to those; `make fresh EXERCISE=07-mazur` writes a
# blank copy beside the learner's own (exercises/07-mazur-fresh.ipynb) and touches nothing else.
exercises: $(VENV)/.installed
	$(BIN)/python tools/make_exercises.py --via-make $(if $(filter 1 yes true,$(FORCE)),--force) $(EXERCISE)

fresh: $(VENV)/.installed
	$(BIN)/python tools/make_exercises.py --via-make --fresh $(EXERCISE)

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

# Installed from the lock, so that every machine runs the versions the tests ran with; the course itself last,
# editable and without dependencies (they are all in the lock).
$(VENV)/.installed: pyproject.toml requirements/course.txt | check-venv $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements/course.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python tools/lab.py --install-settings
	touch $@

# The tools (tests, worksheets, make lock) on top: requirements/dev.txt holds the same versions as course.txt, and more.
$(VENV)/.installed-test: pyproject.toml requirements/dev.txt | check-venv $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements/dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python tools/lab.py --install-settings
	touch $@ $(VENV)/.installed $(VENV)/.installed-room

# The instructor's room server (make room): the course and the [room] extra, from the lock.
$(VENV)/.installed-room: pyproject.toml requirements/room.txt | check-venv $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements/room.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@ $(VENV)/.installed

$(HUB_PROXY): tools/hub-proxy/package.json tools/hub-proxy/package-lock.json
	mkdir -p $(VENV)/hub-proxy
	cp tools/hub-proxy/package.json tools/hub-proxy/package-lock.json $(VENV)/hub-proxy/
	cd $(VENV)/hub-proxy && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The lock, after a change to the dependencies in pyproject.toml (tests/test_packaging.py fails until it is run):
# one resolution for every platform and Python >= 3.11, keeping the versions already locked where it can
# (UPGRADE=1: the newest that fit). dev.txt first: course.txt is held to its versions.
UV_COMPILE = $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --annotation-style line --quiet $(if $(filter 1 yes true,$(UPGRADE)),--upgrade)
lock: $(VENV)/.installed-test
	$(UV_COMPILE) --all-extras -o requirements/dev.txt
	$(UV_COMPILE) --extra hub -c requirements/dev.txt -o requirements/course.txt
	$(UV_COMPILE) --extra room -c requirements/dev.txt -o requirements/room.txt

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .ruff_cache *.egg-info test-artifacts
