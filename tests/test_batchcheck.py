"""The checks of lesson 10's exercise: a batch's forward pass and backpropagation, and the mistakes they name."""

import numpy as np
import pytest

from course_lib import SigmoidNetwork, sigmoid, softmax
from course_lib.batchcheck import check_batch_backward, check_batch_forward

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

    def unbiased(n, X):
        return forward(SigmoidNetwork(n.weights, [0 * b for b in n.biases], output=n.output), X)

    assert "without the biases" in check_batch_forward(unbiased, network, X).message
    assert check_batch_forward(lambda n, X: forward(n, X)[:3], network, X).status == "incorrect"


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
    "mistake, message",
    [
        (dict(mean=False), "5 times too large"),
        (dict(first_only=True), "first example alone"),
        (dict(transpose=True), "transpose"),
    ],
)
def test_the_usual_batch_mistakes_are_named(network, mistake, message):
    check = check_batch_backward(backward_with(**mistake), network, X, T)
    assert check.status == "incorrect" and message in check.message


def test_the_output_delta_must_match_the_output_layer():
    softmax_net = SigmoidNetwork.random((3, 4, 2), seed=1, output="softmax")
    kept_slope = backward_with(output_delta=lambda out, T: (out - T) * out * (1 - out))
    assert "no sigmoid slope" in check_batch_backward(kept_slope, softmax_net, X, T).message
    sigmoid_net = SigmoidNetwork.random((3, 4, 2), seed=1)
    no_slope = backward_with(output_delta=lambda out, T: out - T)
    assert "multiply by their slope" in check_batch_backward(no_slope, sigmoid_net, X, T).message


def test_another_mistake_names_the_layer_to_look_at():
    def hidden_wrong(network, X, T):
        dW, db = backward_with()(network, X, T)
        return [dW[0] * 1.5, dW[1]], db

    check = check_batch_backward(hidden_wrong, SigmoidNetwork.random((3, 4, 2), seed=1), X, T)
    assert check.status == "incorrect" and "layer(s) [0]" in check.message and check.details is not None


def test_the_author_must_give_a_batch():
    with pytest.raises(ValueError, match="one row per example"):
        check_batch_forward(forward, SigmoidNetwork.random((3, 4, 2)), X[0])
