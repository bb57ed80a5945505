"""The gradient checker: centred differences, relative error, and reports that catch wrong gradients."""

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from course_lib import SigmoidNetwork, gradient_check, networks, numerical_gradient, relative_error
from course_lib.gradcheck import GOOD, PASS, WRONG


def test_numerical_gradient_of_a_known_function():
    a = np.array([[1.0, -2.0], [0.5, 3.0]])
    gradient = numerical_gradient(lambda v: np.sum(v**3), a)
    np.testing.assert_allclose(gradient, 3 * a**2, rtol=1e-9)
    assert gradient.dtype == np.float64 and gradient.shape == a.shape


def test_numerical_gradient_never_modifies_its_input():
    a = np.array([0.1, 0.2, 0.3])
    saved = a.copy()
    seen = []
    numerical_gradient(lambda v: seen.append(v is a) or float(v @ v), a)
    assert np.array_equal(a, saved) and not any(seen)


def test_numerical_gradient_rejects_bad_functions():
    with pytest.raises(TypeError, match="f must be a function"):
        numerical_gradient(3.0, [1.0])
    with pytest.raises(TypeError, match="f must return a single number"):
        numerical_gradient(lambda v: v, [1.0, 2.0])
    with pytest.raises(ValueError, match="the step h must be greater than zero"):
        numerical_gradient(np.sum, [1.0], h=0)


def test_relative_error():
    assert relative_error(1.0, 1.0) == 0.0
    assert relative_error(0.0, 0.0) == 0.0
    assert relative_error(1.0, 1.1) == pytest.approx(0.1 / 1.1)
    assert relative_error(1.0, -1.0) == 2.0
    assert relative_error(1e-12, 2e-12, floor=1e-6) == pytest.approx(1e-6)
    np.testing.assert_allclose(relative_error([1.0, 2.0], [1.0, 2.2]), [0.0, 0.2 / 2.2])
    with pytest.raises(ValueError, match="same shape"):
        relative_error([1.0], [1.0, 2.0])
    assert GOOD < PASS < WRONG


@pytest.mark.parametrize("name", networks.names())
def test_course_networks_pass_with_max_error_below_1e7(name):
    report = gradient_check(networks.get(name))
    assert report.passed
    assert report.max_relative_error < 1e-7
    assert [row.name for row in report.rows] == networks.get(name).notation.parameter_names()


def learner_gradients(example, mistake):
    """A learner's backprop, as a plain dict, with one of the usual mistakes."""
    grads = example.network.backward(example.x, example.target)
    weights = [np.array(w) for w in grads.weights]
    biases = [np.array(b) for b in grads.biases]
    if mistake == "sign":
        weights[-1][0, 0] *= -1
    elif mistake == "ten percent":
        weights[0][0, 0] *= 1.1
    elif mistake == "no sigmoid slope":  # output delta without out * (1 - out)
        out = example.network.forward(example.x).out
        weights[-1] = np.outer(out[-1] - example.target, out[-2])
    return {"weights": weights, "biases": biases}


def test_a_learners_own_right_gradients_pass():
    mazur = networks.get("mazur")
    assert gradient_check(mazur, grads=learner_gradients(mazur, None)).passed


@pytest.mark.parametrize("mistake", ["sign", "ten percent", "no sigmoid slope"])
def test_a_learners_wrong_gradients_fail_and_are_named(mistake):
    mazur = networks.get("mazur")
    report = gradient_check(mazur, grads=learner_gradients(mazur, mistake))
    assert not report.passed
    wrong = [row.name for row in report.rows if row.verdict == "wrong"]
    assert wrong and ("w5" in wrong if mistake != "ten percent" else wrong == ["w1"])
    assert "FAILED" in report.summary() and "w" in report.summary()


def test_report_text_and_html():
    report = gradient_check(networks.get("mazur"))
    text = str(report)
    assert "w5" in text and "0.082167041" in text and "passed" in text
    html = report._repr_html_()
    assert html.startswith("<table") and "<code>v21</code>" in html and "good" in html
    assert report["w5"].analytic == pytest.approx(0.082167041, rel=1e-8)


def test_a_plain_network_gets_positional_names():
    net = SigmoidNetwork.random((2, 3, 1))
    report = gradient_check(net, [0.5, -0.2], [1.0])
    assert report.passed
    assert report.rows[0].name == "weights[0][0, 0]" and report.rows[-1].name == "biases[1][0]"


def test_bad_gradient_structures_get_clear_errors():
    mazur = networks.get("mazur")
    with pytest.raises(TypeError, match="grads must be shaped like what net.backward returns"):
        gradient_check(mazur, grads=[1, 2, 3])
    with pytest.raises(ValueError, match=r"grads.weights\[1\] must have shape \(2, 2\)"):
        gradient_check(mazur, grads={"weights": [np.zeros((2, 2)), np.zeros(2)], "biases": [0, 0]})
    with pytest.raises(TypeError, match="needs the input x and the target"):
        gradient_check(mazur.network)


# -- properties over random networks --------------------------------------------------------


@st.composite
def problems(draw):
    """A random network of 1 to 5 weight layers, widths 1 to 6, with an input and a target."""
    sizes = draw(st.lists(st.integers(1, 6), min_size=2, max_size=6))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    scale = draw(st.sampled_from([0.5, 1.0, 2.0]))
    weights = [rng.normal(0, scale, (b, a)) for a, b in zip(sizes, sizes[1:])]
    biases = [rng.normal(0, scale, b) for b in sizes[1:]]
    x = rng.uniform(-1, 1, sizes[0])
    target = rng.uniform(0, 1, sizes[-1])
    return SigmoidNetwork(weights, biases), x, target, rng


SETTINGS = settings(
    max_examples=60, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)


@SETTINGS
@given(problems())
def test_true_gradients_pass(problem):
    net, x, target, _ = problem
    report = gradient_check(net, x, target)
    assert report.passed, str(report)


@SETTINGS
@given(problems(), st.sampled_from(["sign", "ten percent"]))
def test_one_wrong_entry_fails(problem, mistake):
    net, x, target, rng = problem
    grads = net.backward(x, target)
    floor = gradient_check(net, x, target).floor
    entries = [
        (part, l, index)
        for part in ("weights", "biases")
        for l, g in enumerate(getattr(grads, part))
        for index in np.ndindex(g.shape)
        if abs(g[index]) > 1e-3 * floor  # above the resolution documented in course_lib.gradcheck
    ]
    assume(entries)
    part, l, index = entries[rng.integers(len(entries))]
    wrong = {"weights": [g.copy() for g in grads.weights], "biases": [g.copy() for g in grads.biases]}
    wrong[part][l][index] *= -1 if mistake == "sign" else 1.1
    assert not gradient_check(net, x, target, grads=wrong).passed


@SETTINGS
@given(problems())
def test_a_small_step_lowers_the_error(problem):
    net, x, target, _ = problem
    grads = net.backward(x, target)
    squared = sum(float(np.sum(g**2)) for g in grads.weights + grads.biases)
    assume(squared > 1e-12)
    eta = 1e-2 / max(1.0, np.sqrt(squared))
    assert net.step(x, target, eta).error(x, target) < net.error(x, target)


def test_a_correct_vanishing_gradient_is_not_called_wrong():
    # Five layers of saturated sigmoids: the first layer's gradients are about 1e-9.
    rng = np.random.default_rng(9)
    sizes = (2, 3, 3, 3, 3, 1)
    weights = [rng.normal(0, 8, (b, a)) for a, b in zip(sizes, sizes[1:])]
    net = SigmoidNetwork(weights, [np.zeros(b) for b in sizes[1:]])
    x, target = [0.9, -0.8], [1.0]
    assert 1e-10 < np.abs(net.backward(x, target).weights[0]).max() < 1e-8
    report = gradient_check(net, x, target)
    # Compared relative to their own size alone, centred differences get these gradients wrong by 100%...
    assert max(relative_error(row.analytic, row.numerical) for row in report.rows) > 0.1
    # ...but that is rounding noise, and the checker's floor says so.
    assert report.passed, str(report)
    assert report.max_relative_error < GOOD


@pytest.mark.parametrize("h", [1e-15, 1e-13, 1e-9, 1e-2, 1.0])
def test_a_step_where_centred_differences_mean_nothing_is_refused(h):
    mazur = networks.get("mazur")
    grads = mazur.network.backward(mazur.x, mazur.target)
    ten_times = ([10 * g for g in grads.weights], [10 * g for g in grads.biases])
    with pytest.raises(ValueError, match=r"the step h = .* is too (small|large) for centred differences"):
        gradient_check(mazur, grads=ten_times, h=h)  # at h = 1e-14 this passed before issue 11


@pytest.mark.parametrize("h", [1e-8, 1e-5, 1e-3])
def test_every_step_allowed_tells_right_from_wrong(h):
    for name in networks.names():
        example = networks.get(name)
        grads = example.network.backward(example.x, example.target)
        assert gradient_check(example, h=h).passed
        assert not gradient_check(example, grads=([10 * g for g in grads.weights], grads.biases), h=h).passed


def test_centred_differences_made_before_can_be_reused():
    mazur = networks.get("mazur")
    before = gradient_check(mazur)
    again = gradient_check(mazur, grads=mazur.network.backward(mazur.x, mazur.target), numerical=before)
    assert [(r.name, r.numerical) for r in again.rows] == [(r.name, r.numerical) for r in before.rows]
    with pytest.raises(ValueError, match="same sizes"):
        gradient_check(networks.get("wider"), numerical=before)
    with pytest.raises(TypeError, match="numerical must be a GradientReport"):
        gradient_check(mazur, numerical="before")
