# The course in two commands:  make lab  (open the course)  and  make test  (run every test).
# Both create a virtual environment in .venv on first use; nothing else is needed but Python 3.11+.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
START := notebooks/00-start-here.ipynb

.PHONY: lab test lint bench exercises notebooks worksheets room room-close clean

lab: $(VENV)/.installed
	$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) $(if $(wildcard $(START)),$(START),.)

NBVAL := $(BIN)/python -m pytest -p no:cacheprovider --nbval-current-env

# JupyterHub's proxy (npm), for the room's hub test; where npm is missing the hub test says so and is skipped.
HUB_PROXY := $(VENV)/hub-proxy/node_modules/.bin/configurable-http-proxy

test: $(VENV)/.installed-test $(if $(shell command -v npm 2>/dev/null),$(HUB_PROXY))
	$(BIN)/ruff check .
	$(BIN)/ruff format --check course_lib tests benchmarks tools
	$(BIN)/python -m pytest
	$(NBVAL) --nbval-lax notebooks exercises
	$(NBVAL) --nbval solutions
	$(NBVAL) --nbval solutions  # twice: a solution's outputs must not change from run to run

lint: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format course_lib tests benchmarks tools

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
	touch $@ $(VENV)/.installed $(VENV)/.installed-room

$(VENV)/.installed-room: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[room]"
	touch $@ $(VENV)/.installed

$(HUB_PROXY): tools/hub-proxy/package.json tools/hub-proxy/package-lock.json
	mkdir -p $(VENV)/hub-proxy
	cp tools/hub-proxy/package.json tools/hub-proxy/package-lock.json $(VENV)/hub-proxy/
	cd $(VENV)/hub-proxy && npm ci --no-audit --no-fund --loglevel=error
	touch $@

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .ruff_cache *.egg-info test-artifacts
