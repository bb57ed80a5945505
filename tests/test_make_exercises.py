"""tools/make_exercises.py: the exercises in exercises/ are generated from solutions/, and never drift."""

import ast
import importlib.util
import os
import re
import runpy
import shlex
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output, new_raw_cell

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tools" / "make_exercises.py"

_spec = importlib.util.spec_from_file_location("make_exercises", SCRIPT)
me = importlib.util.module_from_spec(_spec)
sys.modules["make_exercises"] = me  # dataclasses look their module up here
_spec.loader.exec_module(me)

NOON = datetime(2025, 1, 2, 12, 0, 0)
EDITED = " (and it has been edited since it was generated)"

FORWARD = '''\
import numpy as np


def forward(x, w, b):
    """The sigmoid of w @ x + b."""
    ### BEGIN SOLUTION
    net = w @ x + b
    return 1 / (1 + np.exp(-net))
    ### END SOLUTION


class Layer:
    def backward(self, delta):
        if delta is not None:
            ### BEGIN SOLUTION
            return self.w.T @ delta
            ### END SOLUTION
        return None
'''


def solution(*cells, **metadata):
    """A solution notebook with a kernel, as Jupyter saves one, and the given cells."""
    nb = new_notebook(cells=list(cells))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nb.metadata["language_info"] = {"name": "python", "version": "3.11.9", "mimetype": "text/x-python"}
    nb.metadata.update(metadata)
    return nb


def exercise(*cells):
    return me.make_exercise(solution(*cells), "lesson.ipynb")


def parses(source):
    """The cell parses as Python once IPython's magics (lines starting with % or !) are taken out."""
    lines = [line for line in source.split("\n") if not line.lstrip().startswith(("%", "!"))]
    ast.parse("\n".join(lines))
    return True


def write(folder, name, nb):
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f"{name}.ipynb")


@pytest.fixture
def course(tmp_path):
    """A small course: two solution notebooks and where their exercises go."""
    solutions, exercises = tmp_path / "solutions", tmp_path / "exercises"
    write(solutions, "01-forward", solution(new_markdown_cell("# Forward"), new_code_cell(FORWARD)))
    write(solutions, "02-error", solution(new_code_cell("answers.E_total = 0.298371109  # E = sum of squares")))
    return solutions, exercises


def run(course, *args):
    solutions, exercises = course
    return me.main(["--solutions", str(solutions), "--exercises", str(exercises), *args])


# ---------------------------------------------------------------------------------------------------
# The conventions, one notebook at a time


def test_solution_regions_become_placeholders_at_the_markers_indentation():
    source = exercise(new_code_cell(FORWARD)).cells[0].source
    assert source == (
        "import numpy as np\n\n\n"
        "def forward(x, w, b):\n"
        '    """The sigmoid of w @ x + b."""\n'
        "    # YOUR CODE HERE\n"
        f"    {me.RAISE_LINE}\n\n\n"
        "class Layer:\n"
        "    def backward(self, delta):\n"
        "        if delta is not None:\n"
        "            # YOUR CODE HERE\n"
        f"            {me.RAISE_LINE}\n"
        "        return None\n"
    )
    assert parses(source)
    assert "np.exp" not in source and "BEGIN SOLUTION" not in source


def test_exercise_cells_still_parse_with_magics_and_tabs():
    code = "%matplotlib inline\n!echo hi\ndef f(x):\n\t### BEGIN SOLUTION\n\treturn x\n\t### END SOLUTION\n\nf"
    source = exercise(new_code_cell(code)).cells[0].source
    assert source.startswith("%matplotlib inline\n!echo hi\ndef f(x):\n\t# YOUR CODE HERE\n\traise NotImplementedError")
    assert parses(source)


@pytest.mark.parametrize(
    ("code", "place"),
    [
        ("x = 1\n### BEGIN SOLUTION\ny = 2\n### END SOLUTION\n", "at the top level"),
        ("for i in range(3):\n    ### BEGIN SOLUTION\n    print(i)\n    ### END SOLUTION\n", "at the top level"),
        ("class A:\n    ### BEGIN SOLUTION\n    x = 1\n    ### END SOLUTION\n", "directly in a class body"),
    ],
)
def test_a_region_outside_a_function_is_an_authoring_error(code, place):
    nb = solution(new_markdown_cell("intro"), new_code_cell("import math"), new_code_cell(code, id="cell-three"))
    with pytest.raises(me.AuthoringError, match=f"lesson.ipynb, cell 3 \\(id 'cell-three'\\), line 2: .*{place}"):
        me.make_exercise(nb, "lesson.ipynb")


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("def f():\n    ### BEGIN SOLUTION\n    return 1\n", "never closed"),
        ("def f():\n    return 1\n    ### END SOLUTION\n", "no '### BEGIN SOLUTION' before it"),
        ("def f():\n    ### BEGIN SOLUTION\n    ### BEGIN SOLUTION\n    ### END SOLUTION\n", "do not nest"),
        ("def f():\n    # BEGIN SOLUTION\n    return 1\n    # END SOLUTION\n", "looks like a solution marker"),
        ("def f():\n    ### begin solution\n    return 1\n", "looks like a solution marker"),
        ("x = (\n    ### BEGIN SOLUTION\n    1\n    ### END SOLUTION\n)\n", "not valid Python"),
        ("def f(:\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION\n", "solution cell is not valid"),
    ],
)
def test_malformed_regions_are_authoring_errors(code, message):
    with pytest.raises(me.AuthoringError, match=message):
        exercise(new_code_cell(code))


def test_answers_keep_their_names_and_comments_but_lose_their_values():
    code = (
        "answers.net_h1 = 0.3775  # w1*i1 + w2*i2 + b1\n"
        'answers["dE/dw5"] = 0.082167041\n'
        "answers['out_o1'] = sigmoid(net_o1)\n"
        "answers.E_total = (0.274811083 +\n"
        "                   0.023560026)  # two halves\n"
        "answers.eta: float = 0.5\n"
        "answers.not_yet = ...\n"
        "for step in range(2):\n"
        "    answers.w5_new = w5 - eta * grad  # indented\n"
        "answers.a = 1; answers.b = 'x = 2'\n"
        "total = answers.net_h1 + 1\n"
        "answers_seen = 3\n"
    )
    assert exercise(new_code_cell(code)).cells[0].source == (
        "answers.net_h1 = ...  # w1*i1 + w2*i2 + b1\n"
        'answers["dE/dw5"] = ...\n'
        "answers['out_o1'] = ...\n"
        "answers.E_total = ...  # two halves\n"
        "answers.eta: float = ...\n"
        "answers.not_yet = ...\n"
        "for step in range(2):\n"
        "    answers.w5_new = ...  # indented\n"
        "answers.a = ...; answers.b = ...\n"
        "total = answers.net_h1 + 1\n"
        "answers_seen = 3\n"
    )


def test_answers_set_by_unpacking_are_an_authoring_error():
    with pytest.raises(me.AuthoringError, match="one 'answers.NAME = VALUE' per line"):
        exercise(new_code_cell("answers.net_h1, answers.net_h2 = 0.3775, 0.3925"))


def test_cells_that_are_not_python_pass_through_unless_they_set_answers():
    bash = "%%bash\necho 'the answers are in the book'"
    assert exercise(new_code_cell(bash)).cells[0].source == bash
    with pytest.raises(me.AuthoringError, match="not valid Python"):
        exercise(new_code_cell("%%bash\nanswers.x = 1 +"))


def test_markdown_solutions_are_replaced():
    text = (
        "Why does the error fall?\n\n"
        "<!-- BEGIN SOLUTION -->\nBecause $\\partial E / \\partial w_5 > 0$.\n<!-- END SOLUTION -->\n\n"
        "And here? <!-- BEGIN SOLUTION -->It rises.<!-- END SOLUTION -->"
    )
    assert exercise(new_markdown_cell(text)).cells[0].source == (
        f"Why does the error fall?\n\n{me.YOUR_ANSWER_HERE}\n\nAnd here? {me.YOUR_ANSWER_HERE}"
    )


@pytest.mark.parametrize(
    "text",
    [
        "<!-- BEGIN SOLUTION -->\nsecret",
        "secret\n<!-- END SOLUTION -->",
        "<!-- begin solution -->secret<!-- end solution -->",
        "### BEGIN SOLUTION\nsecret\n### END SOLUTION",
    ],
)
def test_malformed_markdown_regions_are_authoring_errors(text):
    with pytest.raises(me.AuthoringError, match="lesson.ipynb, cell 1"):
        exercise(new_markdown_cell(text))


def test_solution_only_cells_are_dropped_and_other_cells_kept_in_order():
    nb = exercise(
        new_markdown_cell("one", id="one"),
        new_code_cell("print('worked solution')", id="two", metadata={"tags": ["solution-only"]}),
        new_raw_cell("three", id="three"),
        new_code_cell("x = 4", id="four", metadata={"tags": ["hide-input"]}),
    )
    assert [(c.id, c.cell_type, c.source) for c in nb.cells] == [
        ("one", "markdown", "one"),
        ("three", "raw", "three"),
        ("four", "code", "x = 4"),
    ]
    assert nb.cells[2].metadata == {"tags": ["hide-input"]}


def test_outputs_counts_and_volatile_metadata_are_dropped_and_the_rest_kept():
    cell = new_code_cell(
        "1 + 1",
        id="kept-id",
        execution_count=7,
        outputs=[new_output("execute_result", {"text/plain": "2"}, execution_count=7)],
        metadata={"tags": ["t"], "execution": {"iopub.status.busy": "2025"}, "scrolled": True, "editable": False},
    )
    nb = me.make_exercise(solution(cell, widgets={"state": {}}, authors=["course"]), "lesson.ipynb")
    (code,) = nb.cells
    assert code.outputs == [] and code.execution_count is None
    assert code.id == "kept-id" and code.metadata == {"tags": ["t"], "editable": False}
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert nb.metadata["language_info"] == {"name": "python"}
    assert "widgets" not in nb.metadata and nb.metadata["authors"] == ["course"]
    assert nb.metadata["course"]["generated_from"] == "lesson.ipynb"
    assert nb.metadata["course"]["source_sha256"] == me.content_hash(nb)
    assert nb.nbformat == 4 and nb.nbformat_minor >= 5
    nbformat.validate(nb)


def test_cells_without_ids_get_stable_ones():
    old = solution(new_code_cell("x = 1"), new_markdown_cell("y"))
    for cell in old.cells:
        del cell["id"]
    old.nbformat_minor = 4
    first, second = me.make_exercise(old, "old.ipynb"), me.make_exercise(old, "old.ipynb")
    assert [c.id for c in first.cells] == [c.id for c in second.cells]
    assert len({c.id for c in first.cells}) == 2


def test_the_hash_covers_cell_types_and_sources_only():
    nb = exercise(new_code_cell("x = 1"))
    same = exercise(new_code_cell("x = 1", execution_count=3, outputs=[new_output("stream", text="1")]))
    assert me.content_hash(nb) == me.content_hash(same)
    assert me.content_hash(nb) != me.content_hash(exercise(new_code_cell("x = 2")))
    assert me.content_hash(nb) != me.content_hash(exercise(new_markdown_cell("x = 1")))


# ---------------------------------------------------------------------------------------------------
# Folders: writing, refusing, backing up


def test_generate_writes_every_exercise_and_then_leaves_them_alone(course, capsys):
    solutions, exercises = course
    assert run(course) == 0
    assert capsys.readouterr().out.split("\n")[:2] == [
        f"generated  {exercises / '01-forward.ipynb'}",
        f"generated  {exercises / '02-error.ipynb'}",
    ]
    written = exercises / "01-forward.ipynb"
    text = written.read_text()
    assert text == me.render(me.make_exercise(nbformat.read(solutions / "01-forward.ipynb", 4), "01-forward.ipynb"))
    assert text.endswith("}\n") and text.startswith('{\n "cells": [\n  {\n')  # nbformat's indent 1
    assert "np.exp" not in text
    assert "answers.E_total = ...  # E = sum of squares" in (exercises / "02-error.ipynb").read_text()

    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in exercises.iterdir()}
    assert run(course) == 0
    assert capsys.readouterr().out.count("unchanged  ") == 2
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in exercises.iterdir()} == before


def test_an_exercise_a_learner_only_ran_is_regenerated_without_fuss(course, capsys):
    solutions, exercises = course
    run(course)
    path = exercises / "01-forward.ipynb"
    ran = nbformat.read(path, 4)
    ran.cells[1].execution_count = 1
    ran.cells[1].outputs = [new_output("error", ename="NotImplementedError", evalue="", traceback=[])]
    ran.metadata["language_info"]["version"] = "3.12.1"
    nbformat.write(ran, path)
    assert me.check(solutions, exercises) == []  # a learner's run is not drift
    capsys.readouterr()
    assert run(course) == 0
    assert f"generated  {path}\n" in capsys.readouterr().out
    assert nbformat.read(path, 4).cells[1].outputs == []
    assert not (exercises.parent / "backups").exists()


def test_an_exercise_whose_solution_changed_is_regenerated(course):
    solutions, exercises = course
    run(course)
    write(solutions, "02-error", solution(new_code_cell("answers.E_total = 0.3  # rounded")))
    assert run(course) == 0
    assert "answers.E_total = ...  # rounded" in (exercises / "02-error.ipynb").read_text()


def learner_edits(path):
    nb = nbformat.read(path, 4)
    nb.cells[-1].source = "answers.E_total = 0.3  # my answer"
    nbformat.write(nb, path)
    return path.read_bytes()


def test_an_edited_exercise_is_refused_and_kept(course, capsys):
    solutions, exercises = course
    run(course)
    path = exercises / "02-error.ipynb"
    work = learner_edits(path)
    capsys.readouterr()
    assert run(course) == 1
    out = capsys.readouterr().out
    assert f"unchanged  {exercises / '01-forward.ipynb'}" in out
    assert f"refused    {path}: a learner has edited it" in out
    assert "--force 02-error`" in out and "--fresh 02-error`" in out
    assert path.read_bytes() == work
    assert not (exercises.parent / "backups").exists()
    (problem,) = me.check(solutions, exercises)
    assert problem.detail == f"cell 1: source differs{EDITED}"


def test_an_exercise_with_no_recorded_hash_is_refused(course, capsys):
    solutions, exercises = course
    write(exercises, "02-error", new_notebook(cells=[new_code_cell("hand-made")]))
    (exercises / "01-forward.ipynb").write_text("not json")
    assert run(course) == 1
    out = capsys.readouterr().out
    assert "02-error.ipynb: it has no record of being generated" in out
    assert "01-forward.ipynb: it cannot be read as a notebook" in out


def test_force_backs_up_an_edited_exercise_then_regenerates_it(course, capsys):
    solutions, exercises = course
    run(course)
    path = exercises / "02-error.ipynb"
    work = learner_edits(path)
    capsys.readouterr()
    results = me.generate(solutions, exercises, ["02-error"], force=True, now=NOON)
    saved = exercises.parent / "backups" / "02-error.20250102-120000.ipynb"
    assert [(r.status, r.path, r.backup) for r in results] == [("generated", path, saved)]
    assert f"backed up the edited copy to {saved}" in str(results[0])
    assert saved.read_bytes() == work
    assert "answers.E_total = ...  # E = sum of squares" in path.read_text()
    assert me.check(solutions, exercises) == []


def test_a_backup_never_overwrites_an_earlier_one(course):
    solutions, exercises = course
    run(course)
    path = exercises / "02-error.ipynb"
    earlier = exercises.parent / "backups" / "02-error.20250102-120000.ipynb"
    earlier.parent.mkdir()
    earlier.write_text("an earlier backup")
    backups = []
    for _ in range(2):
        learner_edits(path)
        (result,) = me.generate(solutions, exercises, ["02-error"], force=True, now=NOON)
        backups.append(result.backup.name)
    assert backups == ["02-error.20250102-120000-2.ipynb", "02-error.20250102-120000-3.ipynb"]
    assert earlier.read_text() == "an earlier backup"


def test_names_restrict_the_run(course, capsys):
    solutions, exercises = course
    assert run(course, "02-error.ipynb") == 0
    assert sorted(p.name for p in exercises.iterdir()) == ["02-error.ipynb"]
    assert me.check(solutions, exercises, ["solutions/02-error.ipynb"]) == []
    assert run(course, "03-nothing") == 2
    assert "no notebook called 03-nothing" in capsys.readouterr().err


def test_an_authoring_error_stops_everything_before_anything_is_written(course, capsys):
    solutions, exercises = course
    write(solutions, "03-broken", solution(new_code_cell("### BEGIN SOLUTION\nx = 1\n### END SOLUTION")))
    assert run(course) == 2
    assert "03-broken.ipynb, cell 1" in capsys.readouterr().err
    assert not exercises.exists()


# ---------------------------------------------------------------------------------------------------
# --check


def test_check_reports_missing_stale_and_extra_exercises(course, capsys):
    solutions, exercises = course
    assert run(course, "--check") == 1
    out = capsys.readouterr().out
    assert f"missing    {exercises / '01-forward.ipynb'}: not generated from {solutions / '01-forward.ipynb'}" in out
    assert "2 exercise notebook(s) out of date: run `" in out
    assert not exercises.exists()  # --check writes nothing
    assert run_as_printed(advice(out)[0]) == 0 and me.check(solutions, exercises) == []  # the advice works
    shutil.rmtree(exercises)

    run(course)
    capsys.readouterr()
    assert run(course, "--check") == 0
    assert capsys.readouterr().out == f"no drift: the exercises in {exercises} agree with {solutions}\n"

    write(solutions, "02-error", solution(new_code_cell("answers.E_total = 0.3")))
    write(exercises, "99-old", new_notebook())
    assert run(course, "--check") == 1
    out = capsys.readouterr().out
    assert f"stale      {exercises / '02-error.ipynb'}: cell 1: source differs\n" in out
    assert f"extra      {exercises / '99-old.ipynb'}: no {solutions / '99-old.ipynb'}" in out
    assert "01-forward" not in out


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda nb: nb.cells.reverse(), f"cell 1: cell type differs{EDITED}"),
        (lambda nb: nb.cells[0].metadata.update(tags=["new"]), "cell 1: tags differs"),
        (lambda nb: nb.cells.append(new_markdown_cell("more")), f"has 3 cells, the generator makes 2{EDITED}"),
        (lambda nb: nb.metadata.update(kernelspec={"name": "julia"}), "notebook metadata differs"),
    ],
)
def test_check_sees_order_tags_cells_and_metadata(course, change, message):
    solutions, exercises = course
    run(course)
    path = exercises / "01-forward.ipynb"
    nb = nbformat.read(path, 4)
    change(nb)
    nbformat.write(nb, path)
    assert [(p.status, p.detail) for p in me.check(solutions, exercises)] == [("stale", message)]


def test_check_of_empty_or_absent_folders_passes(tmp_path):
    assert me.check(tmp_path / "solutions", tmp_path / "exercises") == []
    assert me.generate(tmp_path / "solutions", tmp_path / "exercises") == []
    assert not (tmp_path / "exercises").exists()


def test_the_script_runs_as_a_program(course, monkeypatch, capsys):
    solutions, exercises = course
    argv = [str(SCRIPT), "--check", "--solutions", str(solutions), "--exercises", str(exercises)]
    monkeypatch.setattr(sys, "argv", argv)
    with pytest.raises(SystemExit) as stopped:
        runpy.run_path(str(SCRIPT), run_name="__main__")  # in this process: a new Python takes seconds to start
    assert stopped.value.code == 1 and "missing" in capsys.readouterr().out
    with pytest.raises(SystemExit) as stopped:
        me.main(["--check", "--force"])
    assert stopped.value.code == 2 and "not allowed with argument" in capsys.readouterr().err


@pytest.mark.maintainer
def test_exercises_are_generated_from_solutions():
    """The repository's exercises/ is exactly what tools/make_exercises.py makes from solutions/."""
    problems = me.check(ROOT / "solutions", ROOT / "exercises")
    edited = [p for p in problems if "edited" in p.detail]
    if edited:
        pytest.fail(
            "\n".join(map(str, edited)) + "\nexercises/ is generated and never edited by hand; if this is your own "
            "copy for working the exercises, your work is safe (this test is for the course's maintainers). "
            "To regenerate, run `make exercises FORCE=1` (the edited copies are saved in backups/ first).",
            pytrace=False,
        )
    if problems:
        pytest.fail("\n".join(map(str, problems)) + "\nrun `make exercises` and commit exercises/", pytrace=False)


def test_every_answers_object_is_blanked(tmp_path):
    solution = nbformat.v4.new_notebook()
    solution.cells = [
        nbformat.v4.new_code_cell("answers = Answers(example)\nmine = course_lib.Answers(problem)"),
        nbformat.v4.new_code_cell(
            'answers.net_h1 = 0.3775\nmine.net_h1 = 0.41  # by hand\nmine["dE/dw5"] = 0.08\nother.x = 1'
        ),
    ]
    exercise = me.make_exercise(solution, "x.ipynb")
    assert (
        exercise.cells[1].source
        == 'answers.net_h1 = ...\nmine.net_h1 = ...  # by hand\nmine["dE/dw5"] = ...\nother.x = 1'
    )


# ---------------------------------------------------------------------------------------------------
# The advice in the messages works as printed; backups; a fresh copy of one exercise


def advice(out):
    """The commands a message tells the user to run (in `backquotes`)."""
    return re.findall(r"`([^`]+)`", out)


def run_as_printed(command):
    """Run a suggested ``python tools/make_exercises.py ...`` command, in this process (its arguments as printed)."""
    words = shlex.split(command)
    assert Path(words[1]).resolve() == SCRIPT, command
    return me.main(words[2:])


def test_the_advice_of_a_refusal_works_as_printed(course, capsys):
    solutions, exercises = course
    run(course)
    path = exercises / "02-error.ipynb"
    work = learner_edits(path)
    capsys.readouterr()
    assert run(course) == 1
    force, fresh = advice(capsys.readouterr().out)
    assert "--force" in force and "--fresh" in fresh
    assert run_as_printed(fresh) == 0
    assert path.read_bytes() == work and (exercises / "02-error-fresh.ipynb").exists()
    assert run_as_printed(force) == 0
    (saved,) = (exercises.parent / "backups").iterdir()
    assert saved.read_bytes() == work and saved.name.startswith("02-error.")
    assert me.check(solutions, exercises) == []  # and the fresh copy is not taken for an extra exercise


def test_a_fresh_copy_is_made_beside_the_learners_own_and_never_over_anything(course):
    solutions, exercises = course
    run(course)
    path = exercises / "02-error.ipynb"
    work = learner_edits(path)
    first = me.fresh_copy("02-error", solutions, exercises)
    second = me.fresh_copy("02-error.ipynb", solutions, exercises)
    assert (first.name, second.name) == ("02-error-fresh.ipynb", "02-error-fresh-2.ipynb")
    assert path.read_bytes() == work
    blank = nbformat.read(first, 4)
    assert blank.metadata["course"]["fresh_copy_of"] == "02-error.ipynb"
    assert me.content_hash(blank) == me.recorded_hash(blank)  # a blank exercise, as generated
    assert "answers.E_total = ...  # E = sum of squares" in first.read_text()
    assert [r.status for r in me.generate(solutions, exercises)] == ["unchanged", "refused"]  # no "extra"


def git(folder, *args):
    env = dict(
        os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@t"
    )
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True, env=env)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_in_a_learners_copy_the_fresh_copy_comes_from_git(course):
    """No solutions/ (a learner's copy): the exercise as handed out is found in git's history."""
    solutions, exercises = course
    run(course)
    handed_out = (exercises / "02-error.ipynb").read_text()
    shutil.rmtree(solutions)
    git(exercises.parent, "init", "-q")
    git(exercises.parent, "add", "exercises")
    git(exercises.parent, "commit", "-qm", "the room copy")
    learner_edits(exercises / "02-error.ipynb")
    git(exercises.parent, "commit", "-qam", "WIP")  # as nbgitpuller commits a learner's changes before it merges
    fresh = me.fresh_copy("02-error", solutions, exercises)
    assert nbformat.reads(fresh.read_text(), 4).cells == nbformat.reads(handed_out, 4).cells


def test_without_git_an_unedited_exercise_is_its_own_fresh_copy_and_an_edited_one_is_refused(course, capsys):
    solutions, exercises = course
    run(course)
    shutil.rmtree(solutions)
    assert me.fresh_copy("01-forward", solutions, exercises).name == "01-forward-fresh.ipynb"
    learner_edits(exercises / "02-error.ipynb")
    assert run(course, "--fresh", "02-error") == 2
    assert "no blank copy of" in capsys.readouterr().err
    assert run(course, "--fresh") == 2
    assert "--fresh 07-mazur`" in capsys.readouterr().err
    assert run(course, "--fresh", "99-nothing") == 2
    assert "no exercise called 99-nothing" in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_the_makefile_takes_the_advice_it_prints(tmp_path):
    """`make exercises` refuses an edited exercise and says what to run; both commands work as printed."""
    course = tmp_path / "course"
    for part in (
        "Makefile",
        "tools/make_exercises.py",
        "solutions/01-perceptron.ipynb",
        "exercises/01-perceptron.ipynb",
    ):
        (course / part).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / part, course / part)
    exercise = course / "exercises" / "01-perceptron.ipynb"
    work = learner_edits(exercise)
    venv = Path(sys.prefix)
    # the test's own environment stands in for .venv; -o: never (re)install anything into it
    harness = [f"VENV={venv}", f"-o{venv}/.installed", f"-o{venv}/bin/python"]

    def make(command):
        words = shlex.split(command)
        assert words[0] == "make", command
        return subprocess.run([*words, "-C", str(course), *harness], capture_output=True, text=True)

    refused = make("make exercises")
    assert refused.returncode != 0 and "refused" in refused.stdout
    force, fresh = advice(refused.stdout)
    assert (force, fresh) == ("make exercises FORCE=1 EXERCISE=01-perceptron", "make fresh EXERCISE=01-perceptron")
    assert make(fresh).returncode == 0 and exercise.read_bytes() == work
    assert me._pristine((course / "exercises" / "01-perceptron-fresh.ipynb").read_text())
    assert make(force).returncode == 0
    (saved,) = (course / "backups").iterdir()
    assert saved.read_bytes() == work
    assert me.check(course / "solutions", course / "exercises") == []


def test_backups_are_visible_and_survive_git_clean():
    """backups/ is not a hidden folder and nothing in it is ignored by git (`git clean -fdX` removes ignored files)."""
    assert not me.BACKUP_FOLDER.startswith(".")
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    ignored = subprocess.run(
        ["git", "-C", str(ROOT), "check-ignore", "-q", f"{me.BACKUP_FOLDER}/07-mazur.20250102-120000.ipynb"]
    )
    assert ignored.returncode == 1, "git ignores backups/: `git clean -fdX` would delete the learners' backups"
