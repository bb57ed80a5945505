"""The self-check: fair to pen and paper, names the usual mistakes, follows errors carried forward."""

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

from course_lib import Answers, check_answers, check_backward, check_forward, networks, practice
from course_lib.calculation import Constant, ErrorAfterStep, Given, Update
from course_lib.mistakes import usual_mistakes
from course_lib.selfcheck import STATUSES, read_answer

MAZUR = networks.get("mazur")
Q = MAZUR.quantities()


def verdict(answers, key, example=MAZUR):
    return check_answers(example, answers)[key]


# -- precision ------------------------------------------------------------------------------


@pytest.mark.parametrize("answer", [0.593, 0.59327, 0.5932699921, "0.59330", 0.5934, 0.5933, "0.5931"])
def test_right_to_the_precision_written(answer):
    assert verdict({"out_h1": answer}, "out_h1").status == "correct"


@pytest.mark.parametrize("answer", [0.594, 0.592, 0.5936, 0.59399, 0.6932])
def test_wrong_in_a_written_digit(answer):
    assert verdict({"out_h1": answer}, "out_h1").status == "incorrect"


@pytest.mark.parametrize("answer", [0.59, 0.6, "0.59"])
def test_too_few_significant_figures(answer):
    feedback = verdict({"out_h1": answer}, "out_h1")
    assert feedback.status == "too few digits"
    assert "at least 3 significant figures" in feedback.message


def test_short_answers_that_are_exact_need_no_more_digits():
    han = networks.get("han-kamber")
    report = check_answers(han, {"I4": -0.7, "I5": 0.1, "dE/dw24": 0, "w24_new": 0.4, "dI4/dw14": 1})
    assert report.all_correct, repr(report)


def test_written_digits_are_read_from_what_was_typed():
    assert read_answer(0.593).figures == 3 and read_answer(0.593).exponent == -3
    assert read_answer("0.5930").figures == 4
    assert read_answer(0.000439).figures == 3
    assert read_answer("4.39e-4").value == pytest.approx(0.000439)
    assert read_answer("0,593").value == 0.593  # a decimal comma, as many learners write it


def simulated_hand_calculation(example, figures):
    """Work the whole step by hand: every number rounded to ``figures`` significant figures and carried on.

    A new weight is written as the old one minus the rounded step (w5 - 0.0411), as the course asks, so
    that it shows its step; the error after the step is left out (see test_selfcheck_properties.py).
    """
    calc = example.calculation
    exact = example.quantities()
    world, answers = {}, {}
    for q in calc.quantities:
        if isinstance(q.formula, (Given, Constant)):
            world[q.key] = exact[q.key]
            continue
        if isinstance(q.formula, ErrorAfterStep):
            continue
        if isinstance(q.formula, Update):
            step = float(f"{world[q.formula.eta] * world[q.formula.gradient]:.{figures}g}")
            value = Decimal(repr(world[q.formula.parameter])) - Decimal(repr(step))
            world[q.key] = float(value)
            answers[q.key] = str(value)
            continue
        value = q.formula.evaluate(world)
        rounded = float(f"{value:.{figures}g}")
        world[q.key] = rounded
        answers[q.key] = f"{Decimal(repr(rounded)):.{figures - 1}E}" if rounded else "0"
    return answers


@pytest.mark.parametrize("name", networks.names())
@pytest.mark.parametrize("figures", [3, 4, 6])
def test_a_hand_calculation_with_rounded_intermediates_is_all_correct(name, figures):
    example = networks.get(name)
    report = check_answers(example, simulated_hand_calculation(example, figures))
    assert report.all_correct, repr(report)


@pytest.mark.parametrize("name", networks.names())
def test_the_exact_key_is_all_correct_and_so_is_a_practice_problem(name):
    for example in (networks.get(name), practice(name, seed=11)):
        exact = example.quantities()
        answers = {k: v for k, v in exact.items() if k in example.calculation.by_key}
        assert check_answers(example, answers).all_correct


def test_the_published_han_kamber_numbers_pass():
    # the book rounded at every step; its numbers must count as right
    book = {"O4": 0.332, "O5": 0.525, "O6": 0.474, "Err6": 0.1311, "Err5": -0.0065, "Err4": -0.0087,
            "w46_new": -0.261, "w56_new": -0.138, "w14_new": 0.192, "w15_new": -0.306, "w34_new": -0.508,
            "w35_new": 0.194, "theta6_new": 0.218, "theta5_new": 0.194, "theta4_new": -0.408}  # fmt: skip
    report = check_answers(networks.get("han-kamber"), book)
    wrong = {f.key: f.status for f in report if f.status != "correct"}
    # Err5 and Err4 are printed to 2 significant figures only
    assert wrong == {"Err5": "too few digits", "Err4": "too few digits"}


# -- the usual mistakes ---------------------------------------------------------------------

MISTAKES = [
    ("dE/dout_o1", Q["target_o1"] - Q["out_o1"], "sign is flipped"),
    ("delta_o1", -Q["delta_o1"], "sign is flipped"),
    ("delta_o1", -Q["delta_o1"], "out - target, not target - out"),
    ("net_h1", -Q["net_h1"], "check the sign of each term of net_h1"),
    ("out_h1", -Q["out_h1"], "out_h1 is a sigmoid, always between 0 and 1"),
    ("E_total", -Q["E_total"], "E_total is made of squares, never negative"),
    ("w5_new", Q["w5"] + Q["eta"] * Q["dE/dw5"], "gradient descent subtracts it"),
    ("delta_o1", Q["dE/dout_o1"], "derivative factor dout_o1/dnet_o1 is missing"),
    ("dE/dw5", Q["dE/dout_o1"] * Q["out_h1"], "derivative factor dout_o1/dnet_o1 is missing"),
    ("dE/dw5", Q["delta_o1"] * Q["net_h1"], "used net_h1 where out_h1 belongs"),
    ("net_o1", Q["w5"] * Q["net_h1"] + Q["w7"] * Q["net_h2"] + Q["v21"], "used net where out belongs"),
    ("dnet_o1/dw5", Q["net_h1"], "not net_h1"),
    ("net_h1", Q["net_h1"] - Q["v11"], "bias is left out"),
    ("out_h1", 1 / (1 + np.exp(-(Q["net_h1"] - Q["v11"]))), "bias is left out"),
    ("dE_o1/dout_h1", Q["delta_o1"] * Q["w5_new"], "updated weight w5_new"),
    ("dE/dout_h1", Q["delta_o1"] * Q["w5_new"] + Q["delta_o2"] * Q["w6_new"], "updated weights"),
    ("dE/dw1", (Q["delta_o1"] * Q["w5_new"] + Q["delta_o2"] * Q["w6_new"]) * Q["dout_h1/dnet_h1"] * Q["i1"],
     "updated weights"),
    ("w6_new", Q["w6"] - Q["dE/dw6"], "learning rate is missing"),
    ("w7_new", Q["w7"] - Q["eta"] ** 2 * Q["dE/dw7"], "learning rate is applied twice"),
    ("E_o1", 2 * Q["E_o1"], "1/2 is dropped"),
    ("E_total", 2 * Q["E_total"], "1/2 is dropped"),
    ("dE/dout_o2", 2 * Q["dE/dout_o2"], "1/2 of the error is dropped"),
    ("dout_o1/dnet_o1", 1 / (1 + np.exp(-Q["out_o1"])) * (1 - 1 / (1 + np.exp(-Q["out_o1"]))), "sigmoid' of out_o1"),
    ("out_h1", Q["net_h1"], "That is net_h1 itself"),
    ("E_total", Q["E_o1"], "sum over all the outputs"),
    ("dE/dout_h1", Q["dE_o1/dout_h1"], "collects the error from every neuron it feeds"),
]  # fmt: skip


@pytest.mark.parametrize("key, wrong, diagnosis", MISTAKES)
def test_each_usual_mistake_is_named(key, wrong, diagnosis):
    feedback = verdict({key: float(f"{wrong:.6g}")}, key)
    assert feedback.status == "incorrect"
    assert diagnosis in feedback.message


def test_the_errata_of_the_3_2_1_text_are_caught():
    han = networks.get("han-kamber")
    printed = {"O5": 0.325, "I6": -0.206, "O6": 0.194, "delta5": 0.095, "delta4": 0.095, "w35_new": 0.19143}
    report = check_answers(han, printed)
    assert all(f.status == "incorrect" for f in report), repr(report)
    assert "Err5 = -delta5" in check_answers(han, {"Err5": 0.0065})["Err5"].message


# -- errors carried forward -----------------------------------------------------------------


def test_an_error_carried_forward_is_recognised():
    net_h1 = 0.4  # wrong (and the learner goes on with it)
    report = check_answers(MAZUR, {"net_h1": "0.400", "out_h1": f"{1 / (1 + np.exp(-net_h1)):.5f}"})
    assert report["net_h1"].status == "incorrect"
    assert report["out_h1"].status == "carried forward"
    assert report["out_h1"].message == "Your method is right; it uses your value of net_h1 (0.400), which is off."


def test_carried_forward_through_unanswered_steps():
    wrong_delta = 0.2
    answers = {"delta_o1": wrong_delta, "dE_o1/dout_h1": ..., "dE/dw1": ...}
    answers["dE/dout_h1"] = round(wrong_delta * Q["w5"] + Q["dE_o2/dout_h1"], 6)
    report = check_answers(MAZUR, answers)
    assert report["dE/dout_h1"].status == "carried forward"
    assert "delta_o1" in report["dE/dout_h1"].message


def test_a_mistake_on_top_of_an_earlier_wrong_answer_names_both():
    answers = {"out_o1": 0.8, "dE/dout_o1": Q["target_o1"] - 0.8}
    feedback = check_answers(MAZUR, answers)["dE/dout_o1"]
    assert feedback.status == "incorrect" and "sign is flipped" in feedback.message and "out_o1" in feedback.message


def test_rounded_intermediates_are_not_carried_forward_errors():
    report = check_answers(MAZUR, {"net_h1": 0.378, "out_h1": 0.5934})
    assert report["out_h1"].status == "correct"


# -- answers that are not numbers -----------------------------------------------------------

NOT_NUMBERS = [("abc", "is text"), (None, "Not attempted"), (float("nan"), "finite number"), ([0.5], "not a list"),
               (True, "not a number"), ({"a": 1}, "not a dict"), (np.array([0.5, 0.6]), "not a ndarray"),
               (float("inf"), "finite number"), (..., "Not attempted"), (object(), "not a number")]  # fmt: skip


@pytest.mark.parametrize("answer, message", NOT_NUMBERS)
def test_bad_answers_never_crash_and_say_what_is_expected(answer, message):
    feedback = verdict({"net_h1": answer}, "net_h1")
    assert feedback.status == "not attempted"
    assert message in feedback.message


# -- the answers object and the report ------------------------------------------------------


def test_answers_by_attribute_item_and_alias():
    answers = Answers(MAZUR)
    answers.net_h1 = 0.3775
    answers.sig_h1 = 0.593
    answers["dE/dw5"] = 0.0822
    answers.dE_dw1 = 0.000439
    answers.out_o1 = ...
    assert answers.out_h1 == 0.593 and answers["sig_h1"] == 0.593 and answers.dE_dw5 == 0.0822
    assert answers.slots() == ["net_h1", "out_h1", "out_o1", "dE/dw5", "dE/dw1"]
    report = answers.check()
    assert report.summary() == "4 of 5 correct; 1 not attempted"
    assert [f.status for f in report] == ["correct", "correct", "not attempted", "correct", "correct"]
    assert report["out_o1"].status == "not attempted"


def test_unknown_names_are_reported_with_the_names_meant():
    answers = Answers(MAZUR)
    answers.net_h3 = 1.0  # a typo must not stop the notebook...
    answers.net_h1 = 0.3775
    report = answers.check()
    # ...the check reports it, with the names it may have meant
    assert report["net_h3"].status == "incorrect"
    assert "no quantity called 'net_h3'; did you mean net_h2 or net_h1" in report["net_h3"].message
    assert report.summary() == "1 of 1 correct; 1 name not known: net_h3"  # a misspelt name is no quantity
    staged = check_answers(MAZUR, {"neth1": 0.3775}, "forward")  # the exercises' staged checks
    assert staged.summary() == "0 of 8 correct; 8 not attempted; 1 name not known: neth1"
    han = check_answers(networks.get("han-kamber"), {"w16_new": 0.392})  # the errata's weight that does not exist
    assert han["w16_new"].status == "incorrect" and "w46_new" in han["w16_new"].message
    with pytest.raises(AttributeError, match="did you mean net_h2 or net_h1"):
        _ = answers.net_h4  # reading a name that does not exist is a plain error


def test_checking_a_part_of_the_calculation():
    answers = Answers(MAZUR)
    answers.net_h1 = 0.3775
    answers.E_total = 0.2984
    report = check_answers(MAZUR, answers, "forward")
    assert list(report.feedback) == ["net_h1"]
    report = check_answers(MAZUR, answers, ["E_total", "out_o2"])
    assert report["out_o2"].status == "not attempted" and report["E_total"].status == "correct"


def test_answers_for_another_network_are_refused():
    with pytest.raises(ValueError, match="these answers are for mazur"):
        check_answers(networks.get("wider"), Answers(MAZUR))


def test_report_renders_and_reveals():
    report = check_answers(MAZUR, {"net_h1": 0.3775, "out_h1": 0.594, "E_total": ...})
    html = report._repr_html_()
    assert "<table" in html and "✔ correct" in html and "✘ incorrect" in html and "Hint" in html
    assert "1 of 3 correct" in repr(report)
    assert all(f.status in STATUSES for f in report)
    assert "0.593269992" in report.reveal("out_h1").latex


# -- code exercises -------------------------------------------------------------------------


def my_forward(network, x):
    out = np.asarray(x)
    for W, b in zip(network.weights, network.biases):
        out = 1 / (1 + np.exp(-(W @ out + b)))
    return out


def my_backward(network, x, target, mistake=None):
    outs = [np.asarray(x)]
    for W, b in zip(network.weights, network.biases):
        outs.append(1 / (1 + np.exp(-(W @ outs[-1] + b))))
    delta = (outs[-1] - target) * outs[-1] * (1 - outs[-1])
    if mistake == "sign":
        delta = -delta
    weights, biases = [], []
    for l in range(len(network.weights) - 1, -1, -1):
        weights.insert(0, np.outer(delta, outs[l]))
        biases.insert(0, delta)
        delta = (network.weights[l].T @ delta) * outs[l] * (1 - outs[l])
    return weights, biases


def not_written(*args):
    raise NotImplementedError


def test_code_checks():
    assert check_forward(MAZUR, my_forward).status == "correct"
    assert check_forward(MAZUR, lambda n, x: [0.1, 0.2]).status == "incorrect"
    assert check_forward(MAZUR, not_written).status == "not attempted"
    assert check_backward(MAZUR, my_backward).status == "correct"
    wrong = check_backward(MAZUR, lambda n, x, t: my_backward(n, x, t, "sign"))
    assert wrong.status == "incorrect" and "w5" in wrong.message
    assert check_backward(MAZUR, not_written).status == "not attempted"
    crash = check_backward(MAZUR, lambda n, x, t: 1 / 0)
    assert crash.status == "incorrect" and "ZeroDivisionError" in crash.message
    shapes = check_backward(MAZUR, lambda n, x, t: ([np.zeros(2)], [0]))
    assert shapes.status == "incorrect" and "right form" in shapes.message
    perceptron = networks.get("perceptron")
    assert check_backward(perceptron, lambda n, x, t: (my_backward(n, x, t)[0], None)).status == "correct"
    assert "agree" in check_backward(MAZUR, my_backward)._repr_html_()


def test_gradients_worked_through_delta_are_followed():
    answers = {"delta_o1": 0.15, "dE/dw7": round(0.15 * Q["out_h2"], 6)}
    assert check_answers(MAZUR, answers)["dE/dw7"].status == "carried forward"


def test_han_and_kambers_own_route_is_followed():
    han = networks.get("han-kamber")
    q = han.quantities()
    err6 = 0.14  # wrong; the learner carries it on the book's way
    answers = {
        "Err6": err6,
        "Err4": round(q["O4"] * (1 - q["O4"]) * err6 * q["w46"], 7),
        "w46_new": round(q["w46"] + 0.9 * err6 * q["O4"], 6),
        "theta6_new": round(q["theta6"] + 0.9 * err6, 6),
    }
    report = check_answers(han, answers)
    assert report["Err6"].status == "incorrect"
    assert [report[k].status for k in ("Err4", "w46_new", "theta6_new")] == ["carried forward"] * 3
    assert "Err6" in report["w46_new"].message


def test_hints_do_not_give_away_unattempted_answers():
    html = check_answers(MAZUR, {"net_h1": ..., "out_h1": 0.7})._repr_html_()
    assert html.count("Hint") == 1


# -- the step of a new weight ---------------------------------------------------------------

FOUR = networks.get("four-layers")
HAN = networks.get("han-kamber")


@pytest.mark.parametrize(
    "example, answer, status, mistake",
    [
        (MAZUR, "0.149781", "correct", None),
        (MAZUR, "0.14978", "correct", None),
        (MAZUR, "0.1498", "correct", None),
        (MAZUR, "0.150219", "incorrect", "update-sign"),  # the step added: "Correct." before issue 11
        (MAZUR, "0.150", "too few digits", None),  # the old w1, or the step either way
        (MAZUR, 0.15, "too few digits", None),
        (MAZUR, "0.149561", "incorrect", "learning-rate"),  # learning rate 1
        (MAZUR, "0.147809", "incorrect", "step-size"),  # the step ten times too large
        (FOUR, "0.20006", "correct", None),
        (FOUR, "0.2000616", "correct", None),
        (FOUR, "0.1999", "incorrect", "update-sign"),  # "Correct." before issue 11
        (FOUR, "0.200", "too few digits", None),
    ],
)
def test_a_new_weight_is_judged_by_its_step(example, answer, status, mistake):
    feedback = check_answers(example, {"w1_new": answer})["w1_new"]
    assert (feedback.status, feedback.mistake) == (status, mistake), feedback.message
    if status == "too few digits":
        assert "could also be the old w1" in feedback.message and "show the step" in feedback.message


def test_a_learning_rate_of_any_value_is_named():
    q = MAZUR.quantities()
    for rate in (0.1, 0.25, 0.9, 2.0):
        feedback = check_answers(MAZUR, {"w5_new": f"{q['w5'] - rate * q['dE/dw5']:.6f}"})["w5_new"]
        assert feedback.mistake == "learning-rate", (rate, feedback.message)
        assert f"learning rate of {rate:g}" in feedback.message or "applied twice" in feedback.message


def test_the_error_after_the_step_follows_the_books_rounded_new_weights():
    # the error after the step, from the book's own rounded new weights: 0.118 against the exact 0.117492
    book = {"w46_new": -0.261, "w56_new": -0.138, "w14_new": 0.192, "w15_new": -0.306, "w24_new": 0.4,
            "w25_new": 0.1, "w34_new": -0.508, "w35_new": 0.194, "theta6_new": 0.218, "theta5_new": 0.194,
            "theta4_new": -0.408, "E_total_new": 0.118}  # fmt: skip
    report = check_answers(HAN, book)
    assert report["E_total_new"].status == "correct", report["E_total_new"].message
    assert check_answers(HAN, {"E_total_new": 0.118})["E_total_new"].status == "correct"


def test_the_error_after_the_step_follows_the_learners_own_new_weights():
    q = MAZUR.quantities()
    wrong = {f"{p}_new": f"{q[p] + q['eta'] * q['dE/d' + p]:.6f}" for p in MAZUR.notation.parameter_names()}
    after = MAZUR.with_values({p: float(wrong[f"{p}_new"]) for p in MAZUR.notation.parameter_names()})
    wrong["E_total_new"] = f"{after.network.error(after.x, after.target):.5f}"
    report = check_answers(MAZUR, wrong)
    assert report["w5_new"].status == "incorrect" and report["w5_new"].mistake == "update-sign"
    assert report["E_total_new"].status == "carried forward", report["E_total_new"].message


def test_a_sum_whose_parts_were_not_typed_follows_the_rounded_deltas():
    wider = networks.get("wider")
    q = wider.quantities()
    deltas = {k: float(f"{q[k]:.3g}") for k in ("delta_o1", "delta_o2")}
    parts = [float(f"{deltas['delta_o1'] * q['w9']:.3g}"), float(f"{deltas['delta_o2'] * q['w10']:.3g}")]
    answers = {**{k: f"{v:.3g}" for k, v in deltas.items()}, "dE/dout_h2": f"{sum(parts):.3g}"}
    assert check_answers(wider, answers)["dE/dout_h2"].status == "correct"


# -- typed values ---------------------------------------------------------------------------

BIAS = networks.get("perceptron-bias")  # dy_hat/dz = 0.24026...: 0.240 to 3 significant figures


def run_cell(source, scope):
    """Run ``source`` as IPython runs a cell: its text is in linecache, under a cell's file name."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    shell.user_ns.update(scope)
    result = shell.run_cell(source, store_history=True)
    result.raise_error()
    return shell.user_ns


def test_a_trailing_zero_typed_in_a_cell_counts():
    namespace = run_cell("answers = Answers(example)\nanswers['dy_hat/dz'] = 0.240\nanswers.dC_dy_hat = -0.40131\n",
                         {"Answers": Answers, "example": BIAS})  # fmt: skip
    answers = namespace["answers"]
    assert answers["dy_hat/dz"] == 0.24 and answers.texts() == {"dy_hat/dz": "0.240", "dC/dy_hat": "-0.40131"}
    assert check_answers(BIAS, answers)["dy_hat/dz"].status == "correct"
    namespace = run_cell("report = check_answers(example, {'dy_hat/dz': 0.240})\n", {"check_answers": check_answers})
    assert namespace["report"]["dy_hat/dz"].status == "correct"


def test_a_float_whose_zeros_may_have_been_lost_is_never_called_short():
    assert check_answers(BIAS, {"dy_hat/dz": 0.240})["dy_hat/dz"].status == "correct"  # no cell text to read
    assert check_answers(BIAS, {"dy_hat/dz": "0.24"})["dy_hat/dz"].status == "too few digits"  # typed as text
    assert check_answers(BIAS, {"dy_hat/dz": 0.2})["dy_hat/dz"].status == "too few digits"  # 0.200 is wrong


@pytest.mark.parametrize(
    "answer",
    [Decimal("0.3775"), Fraction(3775, 10000), np.float32(0.3775), np.float64(0.3775), np.array(0.3775),
     np.array(np.float32(0.3775)), "0,3775", " 0.3775 ", "\u22120.3775", "0.37750"],
)  # fmt: skip
def test_numbers_in_other_forms_are_read(answer):
    expected = -0.3775 if isinstance(answer, str) and "\u2212" in answer else 0.3775
    example = MAZUR.with_values({"v11": 0.35 - 2 * 0.3775}) if expected < 0 else MAZUR
    assert check_answers(example, {"net_h1": answer})["net_h1"].status == "correct"


class Broken:
    def __float__(self):
        raise RuntimeError("no")

    def __repr__(self):
        raise RuntimeError("no")


@pytest.mark.parametrize(
    "answer, words",
    [("sNaN", "not a number"), (Decimal("sNaN"), "not a number"), ("0e999", "write 0"), (10**400, "far larger"),
     (Fraction(10**400, 3), "far outside"), ((0, 3775), "write the decimal point: 0.3775"), (1e300, "far larger"),
     (Broken(), "not a number"), (1 + 2j, "complex"), (b"0.5", "bytes"), (np.array([0.3775]), "shape (1,)"),
     ("1/2", "is text"), (np.float64("nan"), "finite")],
)  # fmt: skip
def test_values_that_are_not_answers_say_what_was_expected(answer, words):
    report = check_answers(MAZUR, {"net_h1": answer})
    feedback = report["net_h1"]
    assert feedback.status == "not attempted" and words in feedback.message, feedback.message
    assert feedback.mistake is not None
    assert repr(report) and report._repr_html_()


# -- names ----------------------------------------------------------------------------------


@pytest.mark.parametrize("keys", [None, "forward", ["out_h1"]])
def test_a_misspelt_name_is_reported_in_every_check(keys):
    answers = Answers(MAZUR)
    answers.neth1 = 0.3775
    answers.out_h1 = 0.5933
    report = check_answers(MAZUR, answers, keys)
    assert report["neth1"].status == "incorrect" and "did you mean net_h1" in report["neth1"].message
    assert report["neth1"].mistake == "unknown-name"
    assert not report.all_correct and "Well done" not in report.summary()


def test_names_from_other_texts_are_explained():
    q = MAZUR.quantities()
    err = check_answers(MAZUR, {"Err_o1": f"{-q['delta_o1']:.5f}"})["Err_o1"]
    assert err.mistake == "han-kamber-naming" and "delta_o1 = -Err_o1" in err.message and "is right" in err.message
    assert check_answers(MAZUR, {"C": 0.298})["C"].mistake == "other-notation"
    feedback = check_answers(networks.get("perceptron"), {"dE/dw": -0.162})["dE/dw"]
    assert feedback.mistake == "other-notation" and "dC/dw" in feedback.message


@pytest.mark.parametrize("ours, theirs", [("w2_new", "w3_new"), ("dE/dw3", "dE/dw2"), ("dE/dw6", "dE/dw7")])
def test_weights_numbered_as_in_mazurs_post_are_recognised(ours, theirs):
    feedback = check_answers(MAZUR, {ours: f"{Q[theirs]:.6g}"})[ours]
    assert feedback.status == "incorrect" and feedback.mistake == "mazur-naming", feedback.message
    assert "Mazur" in feedback.message and theirs in feedback.message


def test_a_part_that_does_not_exist_is_reported_not_raised():
    report = check_answers(MAZUR, {"net_h1": 0.3775}, "backwards")
    assert "did you mean backward" in report["backwards"].message


# -- more mistakes named --------------------------------------------------------------------


def test_mistakes_that_show_only_in_a_later_quantity_are_named():
    slope = Q["dout_h1/dnet_h1"]
    one_path = check_answers(MAZUR, {"delta_h1": f"{Q['dE_o1/dout_h1'] * slope:.6g}"})["delta_h1"]
    assert one_path.mistake == "one-path" and "dE/dout_h1" in one_path.message
    new = (Q["delta_o1"] * Q["w5_new"] + Q["delta_o2"] * Q["w6_new"]) * slope
    assert check_answers(MAZUR, {"delta_h1": f"{new:.6g}"})["delta_h1"].mistake == "new-weights"
    sig = float(1 / (1 + np.exp(-Q["out_o1"])))
    carried = check_answers(MAZUR, {"delta_o1": f"{Q['dE/dout_o1'] * sig * (1 - sig):.6g}"})["delta_o1"]
    assert carried.mistake == "sigmoid-of-out"


def test_a_slip_is_named_when_the_earlier_answer_typed_shows_another():
    """dE/dout_h1 typed with one path, dE/dw1 worked with both but the updated weights (lesson 07's six slips)."""
    mixed = (Q["delta_o1"] * Q["w5_new"] + Q["delta_o2"] * Q["w6_new"]) * Q["dout_h1/dnet_h1"] * Q["i1"]
    report = check_answers(MAZUR, {"dE/dout_h1": f"{Q['dE_o1/dout_h1']:.6g}", "dE/dw1": f"{mixed:.6g}"})
    assert report["dE/dout_h1"].mistake == "one-path"
    assert report["dE/dw1"].status == "incorrect" and report["dE/dw1"].mistake == "new-weights"
    assert "updated weights" in report["dE/dw1"].message


def test_rounding_too_early_is_named_when_the_rounded_number_was_not_typed():
    feedback = check_answers(MAZUR, {"dE/dw5": f"{Q['delta_o1'] * 0.6:.5g}"})["dE/dw5"]
    assert feedback.mistake == "rounded-early" and "rounded to 1 significant figure (0.6)" in feedback.message


def test_a_slipped_decimal_point_and_a_wrong_last_digit_are_named():
    assert check_answers(MAZUR, {"dE/dw5": "0.822"})["dE/dw5"].mistake == "decimal-point"
    close = check_answers(MAZUR, {"out_h1": "0.5930"})["out_h1"]
    assert close.mistake == "last-digit" and "right to 3 significant figures" in close.message


@pytest.mark.parametrize("name", networks.names())
def test_no_message_points_at_an_empty_hint(name):
    example = networks.get(name)
    q = example.quantities()
    answers = {k: f"{1.37 * q[k] + 0.011:.5g}" for k in example.calculation.keys()}
    report = check_answers(example, answers)
    for feedback in report:
        assert not ("hint" in feedback.message and not feedback.hint), (feedback.key, feedback.message)
    html = report._repr_html_()
    assert "Hint: $$" not in html


def test_every_mistake_has_a_stable_identifier_a_title_and_a_message():
    import re

    from course_lib.mistakes import MISTAKES, title

    for identifier, mistake in MISTAKES.items():
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", identifier) and mistake.id == identifier
        assert mistake.title and mistake.message
    assert title("update-sign") == "Step added instead of subtracted" and title("no-such-thing") == "no-such-thing"
    for example in (MAZUR, HAN, FOUR):
        for key in example.calculation.keys():
            for mistake, message, _ in usual_mistakes(example.calculation, key):
                assert MISTAKES[mistake.id] is mistake and message


def test_a_number_of_quite_the_wrong_size_says_so():
    feedback = check_answers(MAZUR, {"dE/dw1": "4.39e-9"})["dE/dw1"]
    assert feedback.mistake == "out-of-size" and "10^-5 times" in feedback.message


# -- the messages' words and punctuation ------------------------------------------------------------


@pytest.mark.parametrize("name", ["mazur", "hidden-neuron", "wider", "four-layers"])
def test_the_bias_left_out_is_named_with_its_constant_input_written_1(name):
    """The main text's constant bias input is written 1 (v11·1), never b1 (the lead's notation decision)."""
    example = networks.get(name)
    q = example.quantities()
    net = example.calculation.by_key["net_h1"].formula
    without_bias = sum(q[w] * q[a] for w, a in net.pairs[:-1])
    feedback = check_answers(example, {"net_h1": f"{without_bias:.6g}"})["net_h1"]
    assert feedback.mistake == "bias-left-out", feedback.message
    assert "v11·1" in feedback.message and "b1" not in feedback.message


def _messages(example, name, value):
    report = check_answers(example, {name: value})
    yield from (f.message for f in report)
    yield from (f.message for f in check_answers(example, {}, name))
    try:
        getattr(Answers(example), name)
    except AttributeError as error:
        yield str(error)


@pytest.mark.parametrize("network", networks.names())
def test_every_message_about_a_name_ends_as_a_sentence(network):
    """No '?.' (a question with a full stop after it) and no message without its end, whatever the name."""
    example = networks.get(network)
    names = {"w16", "w15", "W15", "b9", "x9", "Err5", "theta4", "eta", "alpha", "C", "lr", "Err_o1", "b"}
    for key in list(example.quantities())[::3]:
        names |= {key + "x", key.upper(), "new_" + key, key.replace("_", "")}
    for name in sorted(names):
        for value in (0.3, "0.30", "abc", "1,5"):
            for message in _messages(example, name, value):
                assert "?." not in message and message.endswith((".", "?", "!")), (name, value, message)


def test_err5_as_the_3_2_1_retelling_prints_it_is_named():
    """The retelling prints Err5 = +0.00653: the size is right, the minus sign of w56 dropped."""
    han = networks.get("han-kamber")
    feedback = check_answers(han, {"Err5": 0.00653})["Err5"]
    assert feedback.status == "incorrect" and feedback.mistake == "err-sign"
    assert "Err5 = -delta5" in feedback.message and "w56" in feedback.message and "+0.00653" in feedback.message
    output = check_answers(han, {"Err6": f"{-han.quantities()['Err6']:.4g}"})["Err6"]
    assert output.mistake == "err-sign" and "target - out" in output.message and "w56" not in output.message


def test_the_plain_text_report_shows_the_hints_the_table_shows():
    report = check_answers(MAZUR, {"net_h1": 0.3, "out_h1": 0.6, "w5": 0.3, "E_total": f"{Q['E_total']:.6g}"})
    text = repr(report)
    assert "Hint: net_h1 = w1 * i1 + w3 * i2 + v11 * 1" in text
    assert "Hint: out_h1 = 1 / (1 + e^(-net_h1))" in text
    assert "Hint: w5 is given: 0.4" in text
    assert text.count("Hint:") == 3  # none for a correct answer
    assert report._repr_html_().count("Hint:") == 3
    for f in check_answers(MAZUR, {}):
        assert "\\" not in f.hint_text and "{" not in f.hint_text, f.hint_text  # no LaTeX left in the text


@pytest.mark.parametrize("name, value, weight", [("b1", 0.35, "v11"), ("b2", "0.60", "v12"), ("b3", 0.6, "v21")])
def test_biases_named_as_in_mazurs_post_are_explained(name, value, weight):
    """Mazur's b1, b2 are the bias values of a layer (0.35, 0.60); the course's b1 ... b4 are the constant input 1."""
    feedback = check_answers(MAZUR, {name: value})[name]
    assert feedback.status == "incorrect" and feedback.mistake == "mazur-bias-naming"
    assert f"{name} = 1" in feedback.message and weight in feedback.message
    assert "v11 = v12 = 0.35 and v21 = v22 = 0.6" in feedback.message
    assert check_answers(MAZUR, {name: 0.5})[name].mistake is None  # another number is just wrong
    assert check_answers(MAZUR, {name: 1})[name].status == "correct"
