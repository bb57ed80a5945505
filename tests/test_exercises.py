"""course_lib.exercises against the exercise notebooks themselves: names, titles, the example each works."""

import re
from pathlib import Path

import nbformat
import pytest

from course_lib import exercises, networks, practice

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = [p for p in sorted((ROOT / "exercises").glob("*.ipynb")) if not re.search(r"-fresh(-\d+)?$", p.stem)]


def worked(notebook):
    """``(network, seed)`` of the example the notebook's first code cell makes: networks.get or practice."""
    code = next(c.source for c in notebook.cells if c.cell_type == "code" and "example =" in c.source)
    made = re.search(r'example = (?:networks\.get\("([a-z-]+)"\)|practice\("([a-z-]+)", seed=(\d+)\))', code)
    assert made, f"no example = networks.get(...) or practice(...) in {code!r}"
    return (made[1], None) if made[1] else (made[2], int(made[3]))


def test_the_list_is_the_exercises_folder_in_its_order():
    listed = exercises.names()
    found = [p.stem for p in NOTEBOOKS]
    missing = [name for name in found if name not in listed]
    assert not missing, f"add to EXERCISES in course_lib/exercises.py: {missing}"
    assert listed == found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_each_exercise_has_its_notebooks_title_example_and_checks(path):
    notebook = nbformat.read(path, as_version=4)
    exercise = exercises.exercise(path.stem)
    assert notebook.cells[0].source.splitlines()[0] == f"# {exercise.title}"
    assert (exercise.network, exercise.seed) == worked(notebook)
    sheet = notebook.metadata.get("worksheet", {})  # what the worksheets read (tools/make_worksheets.py)
    assert (sheet.get("network", path.stem.split("-", 1)[1]), sheet.get("practice_seed")) == worked(notebook)
    code = "".join(c.source for c in notebook.cells if c.cell_type == "code")
    assert exercise.batch == ("check_batch_backward(" in code)
    network, seed = worked(notebook)
    assert exercise.example() == (networks.get(network) if seed is None else practice(network, seed))
    assert exercises.working(exercise.example()) is exercise


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_each_exercise_can_join_a_room_before_its_first_check_and_says_how(path):
    notebook = nbformat.read(path, as_version=4)
    code = [k for k, c in enumerate(notebook.cells) if c.cell_type == "code"]
    join = next(k for k in code if re.search(r"^join_room\(\)", notebook.cells[k].source, re.MULTILINE))
    first_check = next(k for k in code if re.search(r"check_\w+\(", notebook.cells[k].source))
    assert join < first_check
    about = notebook.cells[join - 1]
    assert about.cell_type == "markdown" and "leave_room()" in about.source and "never your numbers" in about.source
