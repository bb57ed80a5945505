"""Printable worksheets: the pen-and-paper part of each exercise, without code; answer sheets from the key, apart."""

import html
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

EXERCISES = ws.exercise_paths(ROOT / "exercises")
# Anything that makes a page load from the network: src/href/url() to http(s) or protocol-relative, @import.
REMOTE = re.compile(r"""(?:src|href|xlink:href)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//|@import""")


def keys_of(path):
    return [k for _, ks in ws.sections(nbformat.read(path, 4)) for k in ks]


def visible_text(page):
    """The text a reader sees: no tags, no styles, no code, no MathML kept for screen readers."""
    page = re.sub(r"<style.*?</style>|<code>.*?</code>|<math.*?</math>|<svg.*?</svg>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


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
    for questions, part_keys in parts:  # every list of questions becomes rows; no key lost or doubled
        forms = [rows for what, rows in ws.split_questions(questions, part_keys) if what == "form"]
        assert sorted(key for rows in forms for key, _ in rows) == sorted(part_keys)


def test_questions_become_rows_where_the_list_stood():
    markdown = "Work out:\n\n- $z$ (`z`): the weighted sum\n- $\\hat{y}$ (`y_hat`)\n\nThen:\n\n- $C$ (`C`)\n\nWhy?"
    assert ws.split_questions(markdown, ["z", "y_hat", "C", "dC/dw"]) == [
        ("text", "Work out:\n"),
        ("form", [("z", "the weighted sum"), ("y_hat", "")]),
        ("text", "Then:\n"),
        ("form", [("C", "")]),
        ("text", "Why?"),
        ("form", [("dC/dw", "")]),  # asked for by the code cell but not in the text: a row at the end
    ]
    # an item about something that is not asked for stays text
    assert ws.split_questions("- $w$ (`w`): given", ["z"]) == [("text", "- $w$ (`w`): given"), ("form", [("z", "")])]


@pytest.fixture(scope="module")
def mazur_sheets(tmp_path_factory):
    base = tmp_path_factory.mktemp("sheets")
    out, answers = base / "worksheets", base / "answer-sheets"
    assert ws.main(["07-mazur", "--out", str(out), "--answers", str(answers)]) == 0
    return out / "07-mazur.html", answers / "07-mazur-answers.html"


def test_a_worksheet_has_the_diagram_the_numbers_and_blank_answers_but_no_code(mazur_sheets):
    page = mazur_sheets[0].read_text()
    assert re.search(r"<figure role='img' aria-label='Diagram of the 2-2-2 network[^']*h1, h2[^']*'><svg", page)
    assert 'data-tex="w_{5} = 0.4"' in page  # the given numbers, typeset
    assert len(re.findall(r"<td class='answer'></td>", page)) == len(keys_of(ROOT / "exercises" / "07-mazur.ipynb"))
    assert len(re.findall(r"<td class='work'></td>", page)) == len(keys_of(ROOT / "exercises" / "07-mazur.ipynb"))
    text = visible_text(page)
    for code in ("check_answers", "answers.net_h1 =", "import ", "plot_network("):
        assert code not in text, code
    q = networks.get("mazur").quantities()
    assert f"{q['out_h1']:.6g}" not in page and f"{q['dE/dw5']:.6g}" not in page  # no answers on the worksheet
    assert "Do not hand out" not in page


def test_the_answer_sheet_has_the_working_and_the_computed_answers(mazur_sheets):
    page = mazur_sheets[1].read_text()
    assert "Answer sheet: for the instructor and helpers. Do not hand out." in page
    q = networks.get("mazur").quantities()
    for key in ("net_h1", "out_h1", "E_total", "dE/dw5", "w5_new", "E_total_new"):
        assert f"<span class='answer-value'>{q[key]:.6g}</span>" in page, key
    # the working of delta_h1: the chain rule, then its numbers (from course_lib.show_working)
    assert re.search(r"data-tex=\"\\frac\{\\partial E_\{total\}\}\{\\partial \\mathrm\{out\}_\{h1\}\} \\cdot", page)
    assert "0.0363503064 \\times 0.241300709" in page


def test_the_pages_are_self_contained_no_script_no_network_every_formula_typeset(mazur_sheets):
    for path in mazur_sheets:
        page = path.read_text()
        assert not REMOTE.search(page), REMOTE.search(page)
        assert "<script" not in page and "<link" not in page and "<iframe" not in page
        assert "MathJax" not in page
        text = visible_text(page)
        assert "$" not in text and "\\frac" not in text and "\\mathrm" not in text, "LaTeX left untypeset"
        formulas = re.findall(r'<span class="math[^"]*" data-tex="[^"]*"><svg [^>]*viewBox', page)
        # at least a formula per row and per given number, each an SVG
        assert len(formulas) > len(keys_of(ROOT / "exercises" / "07-mazur.ipynb")) + len(networks.get("mazur").given())


def test_the_remote_pattern_finds_what_would_load_from_the_network():
    for bad in ('<script src="https://cdn/x.js">', "<link href='//cdn/x.css'>", "url(http://x/font.woff)"):
        assert REMOTE.search(bad), bad
    assert not REMOTE.search("<img src='data:image/png;base64,xyz'> <a href='#part-1'>")


def test_a_formula_that_cannot_be_typeset_is_an_error_not_raw_latex():
    with pytest.raises(ValueError, match=r"cannot typeset \$\\frac\{1\}\$"):
        ws.typeset("\\frac{1}")


def test_the_hat_sits_on_its_letter():
    hat = ws.mathml("\\hat{y}")
    assert '<mover accent="true"><mrow><mi>y</mi></mrow><mo stretchy="false">\u02c6</mo></mover>' in hat


def test_a_minus_sign_sits_tight_to_its_number_and_a_subtraction_does_not():
    signs = re.findall(r"<mo( form=\"prefix\")?>\u2212</mo>", ws.mathml("w_{15} = -0.3 - x, (-0.3)"))
    assert signs == [' form="prefix"', "", ' form="prefix"']


def test_answer_sheets_never_go_into_the_worksheets_folder(tmp_path, capsys):
    out = tmp_path / "worksheets"
    assert ws.main(["01-perceptron", "--out", str(out), "--answers", str(out / "answers")]) == 2
    assert "inside" in capsys.readouterr().err and not out.exists()
    assert ws.main(["01-perceptron", "--out", str(out), "--answers", str(out)]) == 2


def test_what_an_older_version_left_in_the_worksheets_folder_is_removed(tmp_path, capsys):
    out, answers = tmp_path / "worksheets", tmp_path / "answer-sheets"
    (out / "mathjax").mkdir(parents=True)
    (out / "mathjax" / "MathJax.js").write_text("old")
    (out / "07-mazur-answers.html").write_text("old answers")
    (out / "my-notes.html").write_text("mine")
    assert ws.main(["01-perceptron", "--out", str(out), "--answers", str(answers)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["01-perceptron.html", "my-notes.html"]
    assert sorted(p.name for p in answers.iterdir()) == ["01-perceptron-answers.html"]
    assert "removed" in capsys.readouterr().out


def test_the_worksheet_of_a_practice_problem_has_its_numbers(tmp_path):
    assert ws.main(["10-any-number-of-layers", "--out", str(tmp_path / "w"), "--answers", str(tmp_path / "a")]) == 0
    problem = ws.example_of(ROOT / "exercises" / "10-any-number-of-layers.ipynb")
    html = (tmp_path / "a" / "10-any-number-of-layers-answers.html").read_text()
    assert "w_{1} = 0.59" in html and f"{problem.quantities()['delta_h1']:.6g}" in html


def test_an_unknown_exercise_is_refused(tmp_path, capsys):
    assert ws.main(["99-nothing", "--out", str(tmp_path / "w"), "--answers", str(tmp_path / "a")]) == 2
    assert "no exercise called 99-nothing" in capsys.readouterr().err
