"""The self-check of a learner's code, and its listeners: private copies, time limits, the learner's traceback."""

import logging
import time

import numpy as np
import pytest

from course_lib import check_answers, check_backward, check_forward, networks
from course_lib.selfcheck import add_listener, remove_listener

MAZUR = networks.get("mazur")
WIDER = networks.get("wider")


def forward(network, x):
    out = np.asarray(x)
    for w, b in zip(network.weights, network.biases):
        out = 1 / (1 + np.exp(-(w @ out + b)))
    return out


def backward(network, x, target, transposed=False, gradient_transposed=False):
    outs = [np.asarray(x)]
    for w, b in zip(network.weights, network.biases):
        outs.append(1 / (1 + np.exp(-(w @ outs[-1] + b))))
    delta = (outs[-1] - target) * outs[-1] * (1 - outs[-1])
    weights, biases = [], []
    for l in range(len(network.weights) - 1, -1, -1):
        g = np.outer(delta, outs[l])
        weights.insert(0, g.T if gradient_transposed else g)
        biases.insert(0, delta)
        back = network.weights[l] if transposed else network.weights[l].T
        delta = (back @ delta) * outs[l] * (1 - outs[l])
    return weights, biases


def test_right_code_is_right():
    assert check_forward(MAZUR, forward).status == "correct"
    assert check_forward(MAZUR, lambda n, x: forward(n, x).tolist()).status == "correct"
    assert check_backward(MAZUR, backward).status == "correct"
    assert check_backward(WIDER, backward).status == "correct"


@pytest.mark.parametrize(
    "function, mistake",
    [
        (lambda n, x: None, "returned-none"),
        (lambda n, x: [x, forward(n, x), forward(n, x)], "all-layers"),
        (lambda n, x: np.append(forward(n, x), 0.5), "wrong-shape"),
        (lambda n, x: forward(n, x) * np.nan, "nan"),
        (lambda n, x: "0.75", "not-numbers"),
        (lambda n, x: n.weights[-1] @ (1 / (1 + np.exp(-(n.weights[0] @ x + n.biases[0])))) + n.biases[-1],
         "sigmoid-not-applied"),
    ],
)  # fmt: skip
def test_wrong_forward_passes_are_named(function, mistake):
    result = check_forward(MAZUR, function)
    assert result.status == "incorrect" and result.mistake == mistake, result.message


@pytest.mark.parametrize(
    "example, function, mistake",
    [
        (MAZUR, lambda n, x, t: None, "returned-none"),  # "agree with centred differences" before issue 11
        (MAZUR, lambda n, x, t: backward(n, x, t, gradient_transposed=True), "transposed-gradient"),
        (WIDER, lambda n, x, t: backward(n, x, t, gradient_transposed=True), "transposed-gradient"),
        (MAZUR, lambda n, x, t: backward(n, x, t, transposed=True), "transposed-weights"),
        (MAZUR, lambda n, x, t: ([-g for g in backward(n, x, t)[0]], [-g for g in backward(n, x, t)[1]]),
         "gradient-sign"),
        (MAZUR, lambda n, x, t: ([g * np.nan for g in backward(n, x, t)[0]], backward(n, x, t)[1]), "nan"),
        (MAZUR, lambda n, x, t: [0.1, 0.2], "wrong-shape"),
    ],
)  # fmt: skip
def test_wrong_backward_passes_are_named(example, function, mistake):
    result = check_backward(example, function)
    assert result.status == "incorrect" and result.mistake == mistake, result.message


def test_gradients_as_nested_lists_are_read():
    nested = check_backward(MAZUR, lambda n, x, t: tuple([g.tolist() for g in part] for part in backward(n, x, t)))
    assert nested.status == "correct"


def sabotage_by_assignment(network, x):
    network.weights = tuple(np.zeros_like(w) for w in network.weights)
    return forward(network, x)


def sabotage_by_writing(network, x):
    for w in network.weights:
        w.flags.writeable = True
        w[...] = 0.0
    return forward(network, x)


def sabotage_the_course(network, x):
    for w in networks.get("mazur").network.weights:
        w.flags.writeable = True
        w += 1.0
    return [0.5, 0.5]


@pytest.mark.parametrize("function", [sabotage_by_assignment, sabotage_by_writing, sabotage_the_course])
def test_a_learners_function_cannot_change_the_course_network(function):
    key = MAZUR.quantities()
    result = check_forward(MAZUR, function)
    assert result.status == "incorrect"
    assert MAZUR.quantities() == key  # the answer key is untouched...
    assert check_answers(MAZUR, {"net_h1": 0.3775})["net_h1"].status == "correct"  # ...and so are later checks
    assert check_forward(MAZUR, forward).status == "correct"
    assert not any(w.flags.writeable for w in MAZUR.network.weights)
    if function is sabotage_the_course:
        assert result.mistake == "changed-course-network" and "put back" in result.message


def never_ends(network, x):
    while True:
        pass


def test_a_function_that_never_ends_is_stopped():
    start = time.perf_counter()
    result = check_forward(MAZUR, never_ends, time_limit=0.3)
    assert time.perf_counter() - start < 5
    assert result.status == "incorrect" and result.mistake == "time-limit" and "0.3 s" in result.message
    result = check_backward(MAZUR, lambda n, x, t: never_ends(n, x), time_limit=0.3)
    assert result.mistake == "time-limit"


def test_exit_and_interrupt_stop_the_check_with_a_message():
    def exits(network, x):
        raise SystemExit(1)

    def interrupted(network, x):
        raise KeyboardInterrupt

    result = check_forward(MAZUR, exits)
    assert result.status == "incorrect" and result.mistake == "system-exit" and "return" in result.message
    result = check_forward(MAZUR, interrupted)
    assert result.status == "not attempted" and "interrupted" in result.message


def learners_backward(network, x, target):
    out = forward(network, x)
    delta = (out - target) * out * (1 - outs)  # noqa: F821 - the learner's typo, on purpose
    return delta


def test_an_error_is_shown_in_the_learners_own_lines():
    result = check_backward(MAZUR, learners_backward)
    assert result.status == "incorrect" and result.mistake == "function-error"
    assert "delta = (out - target) * out * (1 - outs)" in result.message
    assert "NameError" in result.message and "course_lib" not in result.message
    assert "<pre>" in result._repr_html_()


def test_checks_of_something_that_is_not_an_example_say_so():
    for check in (check_forward, check_backward):
        with pytest.raises(TypeError, match="needs a course example"):
            check(None, forward)


def test_not_written_and_not_a_function():
    def not_written(network, x):
        raise NotImplementedError

    assert check_forward(MAZUR, not_written).status == "not attempted"
    assert check_forward(MAZUR, 0.5).status == "not attempted"


# -- listeners ------------------------------------------------------------------------------


def test_listeners_hear_every_check_and_their_errors_are_swallowed(caplog):
    heard = []

    def listener(example, result):
        heard.append((example.name, type(result).__name__, getattr(result, "mistake", None)))

    def broken(example, result):
        raise RuntimeError("the room server is down")

    add_listener(listener)
    add_listener(listener)  # once is enough
    add_listener(broken)
    try:
        with caplog.at_level(logging.ERROR, logger="course_lib.selfcheck"):
            report = check_answers(MAZUR, {"net_h1": 0.3775})
            code = check_backward(MAZUR, lambda n, x, t: None)
            check_forward(MAZUR, forward)
    finally:
        remove_listener(listener)
        remove_listener(broken)
    assert report["net_h1"].status == "correct" and code.mistake == "returned-none"
    assert heard == [("mazur", "Report", None), ("mazur", "CodeCheck", "returned-none"), ("mazur", "CodeCheck", None)]
    assert "the room server is down" in caplog.text and "listener" in caplog.text
    check_answers(MAZUR, {"net_h1": 0.3775})
    assert len(heard) == 3  # removed
    remove_listener(listener)  # removing twice does nothing
    with pytest.raises(TypeError, match="a listener must be a function"):
        add_listener("not a function")
