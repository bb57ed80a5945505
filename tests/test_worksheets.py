"""Printable worksheets: the pen-and-paper part of each exercise, without code; answer sheets from the key."""

import importlib.util
import re
from pathlib import Path

import nbformat
import pytest

from course_lib import networks

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("make_worksheets", ROOT / "tools" / "make_worksheets.py")
ws = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ws)

EXERCISES = sorted((ROOT / "exercises").glob("*.ipynb"))


def test_every_exercise_has_a_course_network():
    assert EXERCISES, "no exercises to make worksheets of"
    names = networks.names()
    assert [ws.network_name(p) for p in EXERCISES[: len(names)]] == names  # one exercise per network, in order
    assert ws.network_name(EXERCISES[-1]) == "wider"  # lesson 10's: a practice problem of lesson 08's network
    assert ws.example_of(EXERCISES[-1]).seed == 10 and ws.example_of(EXERCISES[0]).seed is None


@pytest.mark.parametrize("path", EXERCISES, ids=lambda p: p.stem)
def test_the_questions_of_an_exercise_are_its_answer_slots(path):
    exercise = nbformat.read(path, as_version=4)
    parts = ws.sections(exercise)
    keys = [k for _, ks in parts for k in ks]
    example = ws.example_of(path)
    assert len(parts) >= 4 and keys
    assert set(keys) <= set(example.quantities())


@pytest.fixture(scope="module")
def mazur_sheets(tmp_path_factory):
    out = tmp_path_factory.mktemp("worksheets")
    assert ws.main(["07-mazur", "--out", str(out)]) == 0
    return out


def test_a_worksheet_has_the_diagram_the_numbers_and_blank_answers_but_no_code(mazur_sheets):
    html = (mazur_sheets / "07-mazur.html").read_text()
    assert "data:image/png;base64," in html  # the diagram
    assert "course-given" in html and "w_{5} = 0.4" in html  # the given numbers
    assert len(re.findall(r"class=[\"']blank[\"']></td>", html)) == len(
        [k for _, ks in ws.sections(nbformat.read(ROOT / "exercises" / "07-mazur.ipynb", 4)) for k in ks]
    )
    for code in ("check_answers", "answers.net_h1", "import ", "plot_network("):
        assert code not in re.sub(r"<script.*?</script>", "", html, flags=re.S), code
    assert "0.593269" not in html  # no answers on the worksheet


def test_the_answer_sheet_has_the_computed_answers(mazur_sheets):
    html = (mazur_sheets / "07-mazur-answers.html").read_text()
    q = networks.get("mazur").quantities()
    for key in ("net_h1", "out_h1", "E_total", "dE/dw5", "w5_new"):
        assert f"{q[key]:.6g}" in html


def test_the_pages_typeset_their_formulas_offline(mazur_sheets):
    html = (mazur_sheets / "07-mazur.html").read_text()
    assert 'src="mathjax/MathJax.js' in html or "src='mathjax/MathJax.js" in html
    assert (mazur_sheets / "mathjax" / "MathJax.js").exists()


def test_the_worksheet_of_a_practice_problem_has_its_numbers(tmp_path):
    assert ws.main(["10-any-number-of-layers", "--out", str(tmp_path)]) == 0
    problem = ws.example_of(ROOT / "exercises" / "10-any-number-of-layers.ipynb")
    html = (tmp_path / "10-any-number-of-layers-answers.html").read_text()
    assert "w_{1} = 0.59" in html and f"{problem.quantities()['delta_h1']:.6g}" in html


def test_an_unknown_exercise_is_refused(tmp_path, capsys):
    assert ws.main(["99-nothing", "--out", str(tmp_path)]) == 2
    assert "no exercise called 99-nothing" in capsys.readouterr().err
