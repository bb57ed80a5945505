"""The checks of lesson 10's exercise: a batch's forward pass and backpropagation, and the mistakes they name."""

import time

import numpy as np
import pytest

from course_lib import SigmoidNetwork, mistakes, sigmoid, softmax
from course_lib.exercises import exercise_of
from course_lib.room import records_of
from course_lib.selfcheck import add_listener, check_batch_backward, check_batch_forward, remove_listener

X = np.random.default_rng(0).random((5, 3))
T = np.eye(2)[[0, 1, 1, 0, 1]]


def forward(network, X):
    A = X
    for l, (W, b) in enumerate(zip(network.weights, network.biases), start=1):
        net = A @ W.T + b
        A = softmax(net) if l == len(network.weights) and network.output == "softmax" else sigmoid(net)
    return A


def backward_with(output_delta=None, mean=True, transpose=False, first_only=False):
    """A learner's backward pass for a batch, right by default, with one mistake when asked."""

    def backward(network, X, T):
        if first_only:
            X, T = X[:1], T[:1]
        outs = [X]
        for W, b in zip(network.weights, network.biases):
            outs.append(sigmoid(outs[-1] @ W.T + b))
        if network.output == "softmax":
            outs[-1] = softmax(outs[-2] @ network.weights[-1].T + network.biases[-1])
        out = outs[-1]
        if output_delta is not None:
            delta = output_delta(out, T)
        else:
            delta = out - T if network.output == "softmax" else (out - T) * out * (1 - out)
        m = len(X) if mean else 1
        dW, db = [], []
        for l in range(len(network.weights) - 1, -1, -1):
            gradient = delta.T @ outs[l] / m
            dW.insert(0, gradient.T if transpose else gradient)
            db.insert(0, delta.sum(axis=0) / m)
            delta = (delta @ network.weights[l]) * outs[l] * (1 - outs[l])
        return dW, db

    return backward


@pytest.fixture(params=["sigmoid", "softmax"])
def network(request):
    return SigmoidNetwork.random((3, 4, 2), seed=1, output=request.param)


def test_a_right_batch_forward_pass_is_correct(network):
    assert check_batch_forward(forward, network, X).status == "correct"


def test_forward_mistakes_are_named(network):
    transposed = check_batch_forward(lambda n, X: forward(n, X).T, network, X)
    assert transposed.status == "incorrect" and "examples in the rows" in transposed.message
    assert transposed.mistake == "examples-in-columns"

    def unbiased(n, X):
        return forward(SigmoidNetwork(n.weights, [0 * b for b in n.biases], output=n.output), X)

    unbiased_check = check_batch_forward(unbiased, network, X)
    assert "without the biases" in unbiased_check.message and unbiased_check.mistake == "bias-left-out"
    short = check_batch_forward(lambda n, X: forward(n, X)[:3], network, X)
    assert short.status == "incorrect" and short.mistake == "wrong-shape"
    nothing = check_batch_forward(lambda n, X: None, network, X)
    assert nothing.mistake == "returned-none"
    off = check_batch_forward(lambda n, X: forward(n, X) + 0.01, network, X)
    assert off.status == "incorrect" and off.mistake is None and "5 of the 5 examples" in off.message


def test_the_wrong_kind_of_output_layer_is_named(network):
    """Sigmoid outputs where the network has a softmax, or a softmax where it has sigmoids."""
    other = "sigmoid" if network.output == "softmax" else "softmax"
    check = check_batch_forward(lambda n, X: forward(SigmoidNetwork(n.weights, n.biases, output=other), X), network, X)
    assert check.status == "incorrect" and check.mistake == "output-layer-kind"
    assert (
        f"this network's output layer is {'a softmax' if network.output == 'softmax' else 'sigmoid'}" in check.message
    )
    single = SigmoidNetwork.random((3, 4, 1), seed=1)  # no softmax of one neuron: no such mistake to look for
    assert check_batch_forward(lambda n, X: forward(n, X) + 0.01, single, X).mistake is None


def test_unwritten_and_crashing_functions():
    def unwritten(network, X, T):
        raise NotImplementedError

    net = SigmoidNetwork.random((3, 4, 2))
    assert check_batch_backward(unwritten, net, X, T).status == "not attempted"
    crash = check_batch_backward(lambda n, X, T: X @ X, net, X, T)
    assert crash.status == "incorrect" and "ValueError" in crash.message


def test_a_right_batch_backward_pass_is_correct_for_both_outputs(network):
    check = check_batch_backward(backward_with(), network, X, T)
    assert check.status == "correct" and "mean error over 5 examples" in check.message
    deep = SigmoidNetwork.random((3, 5, 4, 2), seed=2, output=network.output)
    assert check_batch_backward(backward_with(), deep, X, T).status == "correct"


@pytest.mark.parametrize(
    "mistake, message, named",
    [
        (dict(mean=False), "5 times too large", "batch-sum"),
        (dict(first_only=True), "first example alone", "batch-first-example"),
        (dict(transpose=True), "transposed", "transposed-gradient"),
    ],
)
def test_the_usual_batch_mistakes_are_named(network, mistake, message, named):
    check = check_batch_backward(backward_with(**mistake), network, X, T)
    assert check.status == "incorrect" and message in check.message and check.mistake == named
    assert check.mistake in mistakes.MISTAKES


def test_a_transposed_gradient_of_a_square_layer_is_named_by_its_numbers():
    """A.T @ Delta has the right shape when a layer has as many neurons as inputs: only the numbers tell."""
    square = SigmoidNetwork.random((3, 3, 2), seed=4)
    check = check_batch_backward(backward_with(transpose=True), square, X, T)
    assert check.status == "incorrect" and check.mistake == "transposed-gradient" and "Delta.T @ A" in check.message


def test_a_bias_gradient_per_example_is_named(network):
    def per_example(network, X, T):
        dW, db = backward_with()(network, X, T)
        return dW, [np.tile(b, (len(X), 1)) for b in db]

    check = check_batch_backward(per_example, network, X, T)
    assert check.mistake == "bias-gradient-per-example" and "shape (5, 4)" in check.message


def test_the_output_delta_must_match_the_output_layer():
    softmax_net = SigmoidNetwork.random((3, 4, 2), seed=1, output="softmax")
    kept_slope = backward_with(output_delta=lambda out, T: (out - T) * out * (1 - out))
    kept = check_batch_backward(kept_slope, softmax_net, X, T)
    assert "no sigmoid slope" in kept.message and kept.mistake == "softmax-slope-kept"
    sigmoid_net = SigmoidNetwork.random((3, 4, 2), seed=1)
    no_slope = backward_with(output_delta=lambda out, T: out - T)
    missing = check_batch_backward(no_slope, sigmoid_net, X, T)
    assert "multiply by their slope" in missing.message and missing.mistake == "output-slope-missing"


def test_every_batch_mistake_has_its_title():
    for named in (
        "batch-sum",
        "batch-first-example",
        "softmax-slope-kept",
        "examples-in-columns",
        "bias-gradient-per-example",
        "output-layer-kind",
    ):
        assert mistakes.title(named) != named


def test_a_learners_function_gets_private_copies():
    """Changing the network or the data it is given changes nothing for the course, nor for the verdict."""
    net = SigmoidNetwork.random((3, 4, 2), seed=1)
    data, targets = X.copy(), T.copy()

    def vandal(network, X, T):
        grads = backward_with()(network, X, T)
        network.weights = ()
        X[...] = 0
        T[...] = 0
        return grads

    assert check_batch_backward(vandal, net, data, targets).status == "correct"
    assert np.array_equal(data, X) and np.array_equal(targets, T) and len(net.weights) == 2
    assert data.flags.writeable  # the author's arrays are left as they were given


def test_a_function_that_reaches_the_course_network_finds_it_put_back():
    net = SigmoidNetwork.random((3, 4, 2), seed=1)
    before = [w.copy() for w in net.weights]

    def reaches_out(network, X):
        net.weights[0].flags.writeable = True
        net.weights[0][...] += 1
        return forward(network, X)

    check = check_batch_forward(reaches_out, net, X)
    assert check.mistake == "changed-course-network" and "put back" in check.message
    assert all(np.array_equal(w, b) for w, b in zip(net.weights, before))


def test_a_batch_function_that_never_ends_is_stopped():
    def never_ends(network, X, T=None):
        while True:
            pass

    net = SigmoidNetwork.random((3, 4, 2))
    start = time.perf_counter()
    assert check_batch_forward(never_ends, net, X, time_limit=0.3).mistake == "time-limit"
    assert check_batch_backward(never_ends, net, X, T, time_limit=0.3).mistake == "time-limit"
    assert time.perf_counter() - start < 10


def test_the_listeners_and_the_room_hear_of_batch_checks():
    heard = []

    def listener(example, result):
        heard.append((example, result))

    net = SigmoidNetwork.random((3, 4, 2), seed=1)
    add_listener(listener)
    try:
        forward_check = check_batch_forward(forward, net, X)
        backward_check = check_batch_backward(backward_with(mean=False), net, X, T)
    finally:
        remove_listener(listener)
    assert heard == [(net, forward_check), (net, backward_check)]
    assert exercise_of(net, "exercises/10-any-number-of-layers.ipynb") == "10-any-number-of-layers"
    records = records_of(net, backward_check, "exercises/10-any-number-of-layers.ipynb")
    assert records == [
        {
            "exercise": "10-any-number-of-layers",
            "quantity": "backpropagation of a batch",
            "verdict": "incorrect",
            "mistake": "batch-sum",
        }
    ]
    assert records_of(net, backward_check, "notebooks/10-any-number-of-layers.ipynb") == []  # a lesson's


def test_the_old_import_still_works():
    from course_lib import batchcheck

    assert batchcheck.check_batch_forward is check_batch_forward
    assert batchcheck.check_batch_backward is check_batch_backward


def test_another_mistake_names_the_layer_to_look_at():
    def hidden_wrong(network, X, T):
        dW, db = backward_with()(network, X, T)
        return [dW[0] * 1.5, dW[1]], db

    check = check_batch_backward(hidden_wrong, SigmoidNetwork.random((3, 4, 2), seed=1), X, T)
    assert check.status == "incorrect" and "layer(s) [0]" in check.message and check.details is not None


def test_the_author_must_give_a_batch():
    with pytest.raises(ValueError, match="one row per example"):
        check_batch_forward(forward, SigmoidNetwork.random((3, 4, 2)), X[0])
