"""Checking a learner's code on a whole batch: the forward pass and backpropagation with one row per example.

:func:`~course_lib.selfcheck.check_forward` and :func:`~course_lib.selfcheck.check_backward` check a
function on one example of a course network.  Lesson 10's exercise asks for the same two functions
for a data set ``X`` of shape ``(examples, inputs)``, written with matrix products: the forward pass
``NET = A @ W.T + b`` layer by layer, and the gradients of the MEAN error over the examples,
``dE/dW = Delta.T @ A / m``, for sigmoid outputs or for a softmax output with the cross-entropy.

They are run as the one-example checks run theirs (:mod:`course_lib.selfcheck.code`): the expected
outputs and the centred differences are worked out first, the learner's function gets a private copy
of the network and of ``X`` and ``T``, for at most ``time_limit`` seconds, and an error in it is shown
in the learner's own lines.  A wrong answer is compared with the usual mistakes, each named in
:mod:`course_lib.mistakes`:

- the sum over the examples instead of the mean (``m`` times too large): ``"batch-sum"``;
- the gradients of the first example only: ``"batch-first-example"``;
- a gradient transposed (``A.T @ Delta`` instead of ``Delta.T @ A``): ``"transposed-gradient"``;
- the outputs of the other kind of output layer (sigmoid for softmax, or softmax for sigmoid):
  ``"output-layer-kind"``;
- at a softmax output, the sigmoid's slope kept (``delta = (out - target) * out * (1 - out)``):
  ``"softmax-slope-kept"``;
- at a sigmoid output, the slope left out (``delta = out - target``): ``"output-slope-missing"``;

and the shapes: the examples in the columns (``"examples-in-columns"``), a bias gradient per example
(``"bias-gradient-per-example"``), the biases left out of the forward pass (``"bias-left-out"``).

The verdicts are :class:`~course_lib.selfcheck.CodeCheck` objects, and the listeners hear of them as
of every check (:mod:`course_lib.selfcheck.listeners`), with the network checked in place of the
example: a room counts them under lesson 10's exercise (:func:`course_lib.exercises.exercise_of`).
"""

import numpy as np

from .. import mistakes as named
from ..gradcheck import gradient_check
from ..network import SigmoidNetwork
from .code import TIME_LIMIT, CodeCheck, as_numbers, call, guarded, private_copy, with_note
from .listeners import notify

__all__ = ["check_batch_forward", "check_batch_backward", "FORWARD", "BACKWARD"]

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


def _run(what, name, function, network, data, time_limit):
    """The learner's function on private copies of the network and the data, the course's put back after."""
    with guarded(network) as note:
        result, problem = call(what, name, function, (private_copy(network), *(a.copy() for a in data)), time_limit)
    return result, problem, note


def _checked(network, result, note, name):
    result = with_note(result, note, name)
    notify(network, result)
    return result


def check_batch_forward(forward, network, X, time_limit=TIME_LIMIT):
    """Check ``forward(network, X)``: it must return the outputs of every example, one row each.

    ``X`` has shape ``(examples, inputs)``; the answer must have shape ``(examples, outputs)`` and agree
    with ``network.forward(X).output``, which is worked out first.
    """
    X, _ = _data_set(network, X)
    expected = network.forward(X).output
    unbiased = SigmoidNetwork(network.weights, [np.zeros_like(b) for b in network.biases], output=network.output)
    other = "sigmoid" if network.output == "softmax" else "softmax"
    usual = [
        (named.BIAS_LEFT_OUT, "batch", unbiased.forward(X).output),
        (named.OUTPUT_LAYER_KIND, network.output, _other_output(network, other, X)),
    ]
    output, problem, note = _run(FORWARD, "forward", forward, network, (X,), time_limit)
    result = problem or _judge_forward(output, expected, usual)
    return _checked(network, result, note, "forward")


def _other_output(network, kind, X):
    """The outputs with the output layer of the other ``kind`` (None when it cannot be: one softmax neuron)."""
    try:
        return SigmoidNetwork(network.weights, network.biases, output=kind).forward(X).output
    except ValueError:
        return None


def _judge_forward(output, expected, usual):
    """The verdict on a batch's outputs; ``usual``: ``(mistake, variant, the outputs it gives)``."""
    if output is None:
        return CodeCheck(
            FORWARD, "incorrect", named.RETURNED_NONE.say(function="forward"), mistake=named.RETURNED_NONE.id
        )
    output = as_numbers(output)
    if output is None:
        message = f"Return the outputs as an array of numbers, of shape {expected.shape}."
        return CodeCheck(FORWARD, "incorrect", message, mistake=named.NOT_NUMBERS.id)
    if output.shape == expected.shape[::-1] and expected.shape[0] != expected.shape[1]:
        message = named.EXAMPLES_IN_COLUMNS.say(shape=output.shape, expected=expected.shape)
        return CodeCheck(FORWARD, "incorrect", message, mistake=named.EXAMPLES_IN_COLUMNS.id)
    if output.shape != expected.shape:
        message = f"Return one row per example, shape {expected.shape}; got shape {output.shape}."
        return CodeCheck(FORWARD, "incorrect", message, mistake=named.WRONG_SHAPE.id)
    if not np.all(np.isfinite(output)):
        return CodeCheck(FORWARD, "incorrect", named.NAN.say(what="outputs"), mistake=named.NAN.id)
    right = np.isclose(output, expected, rtol=1e-9, atol=1e-12)
    if np.all(right):
        return CodeCheck(FORWARD, "correct", f"Your outputs for all {len(output)} examples are right.")
    wrong = np.flatnonzero(~np.all(right, axis=1))
    first, yours, theirs = wrong[0], np.round(output[wrong[0]], 6).tolist(), np.round(expected[wrong[0]], 6).tolist()
    message = (
        f"The outputs of {len(wrong)} of the {len(output)} examples are wrong (the first: example {first}, yours "
        f"{yours}, the network's {theirs})."
    )
    for mistake, variant, outputs in usual:
        if outputs is not None and np.allclose(output, outputs, rtol=1e-9):
            return CodeCheck(FORWARD, "incorrect", f"{message} {mistake.say(variant)}", mistake=mistake.id)
    return CodeCheck(FORWARD, "incorrect", message)


def _backpropagate(network, X, output_delta):
    """The mean gradients over ``X`` when the output layer's delta is ``output_delta(record)`` (a mistake's)."""
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
    """The gradients each usual mistake gives: ``(mistake, message, (weight_gradients, bias_gradients))``."""
    grads = network.backward(X, T)
    m = len(X)
    first = network.backward(X[0], T[0])
    found = [
        (named.BATCH_SUM, named.BATCH_SUM.say(m=m), ([w * m for w in grads.weights], [b * m for b in grads.biases])),
        (named.BATCH_FIRST_EXAMPLE, named.BATCH_FIRST_EXAMPLE.say(), (first.weights, first.biases)),
    ]
    square = [l for l, w in enumerate(grads.weights) if w.shape[0] == w.shape[1]]
    if square:  # A.T @ Delta has the right shape only where a layer is square: then only its numbers tell
        transposed = [w.T if l in square else w for l, w in enumerate(grads.weights)]
        message = named.TRANSPOSED_GRADIENT.say("batch", layer=square[0], shape=grads.weights[square[0]].shape)
        found.append((named.TRANSPOSED_GRADIENT, message, (transposed, grads.biases)))
    if network.output == "softmax":
        kept = _backpropagate(network, X, lambda r: (r.output - T) * r.output * (1 - r.output))
        found.append((named.SOFTMAX_SLOPE_KEPT, named.SOFTMAX_SLOPE_KEPT.say(), kept))
    else:
        left_out = _backpropagate(network, X, lambda r: r.output - T)
        found.append((named.OUTPUT_SLOPE_MISSING, named.OUTPUT_SLOPE_MISSING.say("batch"), left_out))
    return found


def _agrees(given, expected):
    return all(
        np.shape(g) == np.shape(e) and np.allclose(g, e, rtol=1e-7, atol=1e-12)
        for g, e in zip(given[0] + given[1], list(expected[0]) + list(expected[1]))
    )


def _as_pair(grads, network):
    """The learner's answer as two lists of float arrays; else ``(None, message, mistake)`` saying what is wrong."""
    expected = "a pair (weight_gradients, bias_gradients) of lists with one array per layer"
    if grads is None:
        return None, named.RETURNED_NONE.say(function="backward"), named.RETURNED_NONE
    if not (isinstance(grads, (tuple, list)) and len(grads) == 2):
        return None, f"Return {expected}; got {type(grads).__name__}.", named.WRONG_SHAPE
    pair = []
    for part, given, params in zip(("weight", "bias"), grads, (network.weights, network.biases)):
        if isinstance(given, np.ndarray) or not hasattr(given, "__len__") or len(given) != len(params):
            return None, f"Return {expected}: {len(params)} {part} gradients, one per layer.", named.WRONG_SHAPE
        try:
            pair.append([np.asarray(g, dtype=float) for g in given])
        except (TypeError, ValueError, OverflowError):
            return None, f"The {part} gradients must be arrays of numbers.", named.NOT_NUMBERS
        for l, (g, p) in enumerate(zip(pair[-1], params)):
            if g.shape == p.shape:
                continue
            if g.shape == p.shape[::-1] and part == "weight":
                return None, named.TRANSPOSED_GRADIENT.say("batch", layer=l, shape=p.shape), named.TRANSPOSED_GRADIENT
            if part == "bias" and g.ndim == 2 and g.shape[1:] == p.shape:
                message = named.BIAS_GRADIENT_PER_EXAMPLE.say(layer=l, shape=g.shape, expected=p.shape)
                return None, message, named.BIAS_GRADIENT_PER_EXAMPLE
            message = f"Your {part} gradient of layer {l} has shape {g.shape}; the parameters have {p.shape}."
            return None, message, named.WRONG_SHAPE
    if not all(np.all(np.isfinite(g)) for g in pair[0] + pair[1]):
        return None, named.NAN.say(what="gradients"), named.NAN
    return pair, None, None


def check_batch_backward(backward, network, X, T, time_limit=TIME_LIMIT):
    """Check ``backward(network, X, T)``: the gradients of the mean error over the examples (rows) of ``X``.

    It must return ``(weight_gradients, bias_gradients)``, lists shaped like ``network.weights`` and
    ``network.biases``.  For a network with ``output="softmax"`` the error is the cross-entropy.  The
    answer is compared with centred differences, worked out first; a wrong one also with the usual
    mistakes.
    """
    X, T = _data_set(network, X, T)
    reference = gradient_check(network, X, T)  # the centred differences, before the learner's code runs
    grads, problem, note = _run(BACKWARD, "backward", backward, network, (X, T), time_limit)
    return _checked(network, problem or _judge_backward(network, X, T, grads, reference), note, "backward")


def _judge_backward(network, X, T, grads, reference):
    pair, message, mistake = _as_pair(grads, network)
    if message:
        return CodeCheck(BACKWARD, "incorrect", message, mistake=mistake.id)
    report = gradient_check(network, X, T, grads=pair, numerical=reference)
    if report.passed:
        message = f"Your gradients of the mean error over {len(X)} examples agree with centred differences."
        return CodeCheck(BACKWARD, "correct", message)
    for mistake, message, expected in _usual_mistakes(network, X, T):
        if _agrees(pair, expected):
            return CodeCheck(BACKWARD, "incorrect", message, report, mistake.id)
    wrong = [row.name for row in report.rows if row.verdict in ("wrong", "suspicious")]
    layers = sorted({int(name.split("[")[1].split("]")[0]) for name in wrong})
    return CodeCheck(
        BACKWARD,
        "incorrect",
        f"{len(wrong)} of the {len(report.rows)} gradients disagree with centred differences, in the layer(s) "
        f"{layers} (counted from 0, as network.weights is). Check that layer's delta first.",
        report,
    )
