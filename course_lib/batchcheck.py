"""Checking a learner's code on a whole batch: the forward pass and backpropagation with one row per example.

:func:`~course_lib.selfcheck.check_forward` and :func:`~course_lib.selfcheck.check_backward` check a
function on one example of a course network.  Lesson 10's exercise asks for the same two functions
for a data set ``X`` of shape ``(examples, inputs)``, written with matrix products: the forward pass
``NET = A @ W.T + b`` layer by layer, and the gradients of the MEAN error over the examples,
``dE/dW = Delta.T @ A / m``, for sigmoid outputs or for a softmax output with the cross-entropy.
The gradients are held against centred differences (:func:`~course_lib.gradcheck.gradient_check`),
and a wrong answer is compared with the usual mistakes so that the message can name one:

- the sum over the examples instead of the mean (``m`` times too large);
- the gradients of the first example only;
- a gradient transposed (``A.T @ Delta`` instead of ``Delta.T @ A``);
- at a softmax output, the sigmoid's slope kept (``delta = (out - target) * out * (1 - out)``);
- at a sigmoid output, the slope left out (``delta = out - target``).

The verdicts are :class:`~course_lib.selfcheck.CodeCheck` objects, as for the one-example checks.
"""

import numpy as np

from .gradcheck import gradient_check
from .network import SigmoidNetwork
from .selfcheck.code import TIME_LIMIT, CodeCheck, _call

__all__ = ["check_batch_forward", "check_batch_backward"]

FORWARD = "forward pass of a batch"
BACKWARD = "backpropagation of a batch"


def _data_set(network, X, T=None):
    """Check the arguments the exercise passes (the author's, not the learner's); return float64 copies."""
    if not isinstance(network, SigmoidNetwork):
        raise TypeError(f"network must be a SigmoidNetwork, got {type(network).__name__}")
    if T is None:
        X = network._layer_values(X, "the batch X", network.sizes[0])
    else:
        X, T = network._examples(X, T)
    if X.ndim != 2:
        raise ValueError(f"a batch has one row per example: X must be 2-D, got shape {X.shape}")
    return X, T


def check_batch_forward(forward, network, X):
    """Check ``forward(network, X)``: it must return the outputs of every example, one row each.

    ``X`` has shape ``(examples, inputs)``; the answer must have shape ``(examples, outputs)`` and agree
    with ``network.forward(X).output``.
    """
    X, _ = _data_set(network, X)
    output, problem = _call(FORWARD, "forward", forward, (network, X.copy()), TIME_LIMIT)
    if problem:
        return problem
    expected = network.forward(X).output
    try:
        output = np.asarray(output, dtype=float)
    except (TypeError, ValueError):
        return CodeCheck(FORWARD, "incorrect", f"Return the outputs as an array of shape {expected.shape}.")
    if output.shape == expected.shape[::-1] and expected.shape[0] != expected.shape[1]:
        return CodeCheck(
            FORWARD,
            "incorrect",
            f"Your outputs have shape {output.shape}, one column per example; the course puts the examples in the "
            f"rows: shape {expected.shape}. With A of shape (examples, inputs), a layer is A @ W.T + b.",
        )
    if output.shape != expected.shape:
        return CodeCheck(
            FORWARD, "incorrect", f"Return one row per example, shape {expected.shape}; got shape {output.shape}."
        )
    if np.allclose(output, expected, rtol=1e-9, atol=1e-12):
        return CodeCheck(FORWARD, "correct", f"Your outputs for all {len(X)} examples are right.")
    wrong = np.flatnonzero(~np.all(np.isclose(output, expected, rtol=1e-9, atol=1e-12), axis=1))
    hint = ""
    unbiased = SigmoidNetwork(network.weights, [np.zeros_like(b) for b in network.biases], output=network.output)
    if np.allclose(output, unbiased.forward(X).output, rtol=1e-9):
        hint = " They are the outputs without the biases: add b to every row of A @ W.T."
    first, yours, right = wrong[0], np.round(output[wrong[0]], 6).tolist(), np.round(expected[wrong[0]], 6).tolist()
    return CodeCheck(
        FORWARD,
        "incorrect",
        f"The outputs of {len(wrong)} of the {len(X)} examples are wrong (the first: example {first}, yours "
        f"{yours}, the network's {right}).{hint}",
    )


def _backpropagate(network, X, output_delta):
    """The mean gradients over ``X`` when the output layer's delta is ``output_delta(out, T)`` (a mistake's)."""
    record = network.forward(X)
    delta = output_delta(record)
    weights, biases = [], []
    for l in range(len(network.weights) - 1, -1, -1):
        weights.insert(0, delta.T @ record.out[l] / len(X))
        biases.insert(0, delta.mean(axis=0))
        if l > 0:
            out = record.out[l]
            delta = (delta @ network.weights[l]) * out * (1 - out)
    return weights, biases


def _usual_mistakes(network, X, T):
    """The gradients each usual mistake gives, with the message that names it."""
    grads = network.backward(X, T)
    m = len(X)
    first = network.backward(X[0], T[0])
    mistakes = [
        (
            ([w * m for w in grads.weights], [b * m for b in grads.biases]),
            f"Your gradients are {m} times too large: they are the SUM over the {m} examples. The error of a batch "
            f"is the mean of the examples' errors, so its gradient is the mean of theirs: divide by {m}.",
        ),
        (
            (first.weights, first.biases),
            "Your gradients are those of the first example alone: a batch's gradient is the mean over all its "
            "examples (the rows of X), which the matrix product Delta.T @ A adds up for you.",
        ),
    ]
    if network.output == "softmax":
        kept_slope = _backpropagate(network, X, lambda r: (r.output - T) * r.output * (1 - r.output))
        mistakes.append(
            (
                kept_slope,
                "At a softmax output with the cross-entropy the output delta is out - target, with no sigmoid "
                "slope: the softmax's slopes and the logarithm's cancel (lesson 10, section 6).",
            )
        )
    else:
        no_slope = _backpropagate(network, X, lambda r: r.output - T)
        mistakes.append(
            (
                no_slope,
                "Your output delta is out - target, the softmax's; these outputs are sigmoids with the squared "
                "error, so multiply by their slope out * (1 - out).",
            )
        )
    return mistakes


def _agrees(given, expected):
    return all(
        np.shape(g) == np.shape(e) and np.allclose(g, e, rtol=1e-7, atol=1e-12)
        for g, e in zip(given[0] + given[1], list(expected[0]) + list(expected[1]))
    )


def _as_pair(grads, network):
    """The learner's answer as two lists of float arrays, or a message saying what shape is expected."""
    expected = "a pair (weight_gradients, bias_gradients) of lists with one array per layer"
    if not (isinstance(grads, (tuple, list)) and len(grads) == 2):
        return None, f"Return {expected}; got {type(grads).__name__}."
    pair = []
    for part, given, params in zip(("weight", "bias"), grads, (network.weights, network.biases)):
        if not hasattr(given, "__len__") or len(given) != len(params):
            return None, f"Return {expected}: {len(params)} {part} gradients, one per layer."
        try:
            pair.append([np.asarray(g, dtype=float) for g in given])
        except (TypeError, ValueError):
            return None, f"The {part} gradients must be arrays of numbers."
        for l, (g, p) in enumerate(zip(pair[-1], params)):
            if g.shape == p.shape:
                continue
            if g.shape == p.shape[::-1]:
                return None, (
                    f"Your {part} gradient of layer {l} has shape {g.shape}, the transpose of its parameters' "
                    f"{p.shape}: dE/dW = Delta.T @ A (one row per neuron entered), not A.T @ Delta."
                )
            if part == "bias" and g.ndim == 2 and g.shape[1:] == p.shape:
                return None, (
                    f"Your bias gradient of layer {l} has one row per example, shape {g.shape}: a batch's "
                    f"gradient is the mean over the examples, shape {p.shape}."
                )
            return None, f"Your {part} gradient of layer {l} has shape {g.shape}; the parameters have {p.shape}."
    return pair, None


def check_batch_backward(backward, network, X, T):
    """Check ``backward(network, X, T)``: the gradients of the mean error over the examples (rows) of ``X``.

    It must return ``(weight_gradients, bias_gradients)``, lists shaped like ``network.weights`` and
    ``network.biases``.  For a network with ``output="softmax"`` the error is the cross-entropy.  The
    answer is compared with centred differences; a wrong one also with the usual mistakes.
    """
    X, T = _data_set(network, X, T)
    grads, problem = _call(BACKWARD, "backward", backward, (network, X.copy(), T.copy()), TIME_LIMIT)
    if problem:
        return problem
    pair, message = _as_pair(grads, network)
    if message:
        return CodeCheck(BACKWARD, "incorrect", message)
    report = gradient_check(network, X, T, grads=pair)
    if report.passed:
        return CodeCheck(
            BACKWARD,
            "correct",
            f"Your gradients of the mean error over {len(X)} examples agree with centred differences.",
        )
    for expected, named in _usual_mistakes(network, X, T):
        if _agrees(pair, expected):
            return CodeCheck(BACKWARD, "incorrect", named, report)
    wrong = [row.name for row in report.rows if row.verdict in ("wrong", "suspicious")]
    layers = sorted({int(name.split("[")[1].split("]")[0]) for name in wrong})
    return CodeCheck(
        BACKWARD,
        "incorrect",
        f"{len(wrong)} of the {len(report.rows)} gradients disagree with centred differences, in the layer(s) "
        f"{layers} (counted from 0, as network.weights is). Check that layer's delta first.",
        report,
    )
