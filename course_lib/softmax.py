"""The softmax output and its error, the cross-entropy: the natural pair for choosing one of several classes.

A sigmoid output answers each class on its own ("is it a 3?"); a softmax layer answers all of them
together, with numbers that are positive and add up to 1, so that they read as probabilities::

    out_j = e^(net_j) / sum_k e^(net_k)

The error that goes with it is the cross-entropy of the target ``t`` (a one-hot vector, or any
probabilities that add up to 1)::

    E = - sum_j t_j * log(out_j)          (for a one-hot target: - log(out of the right class))

Together they give the simplest delta there is: with ``dout_j/dnet_i = out_j * ([i = j] - out_i)``
and ``dE/dout_j = - t_j / out_j``, the chain rule sums to ``dE/dnet_i = out_i * sum_j t_j - t_i``,
and since the targets add up to 1::

    delta = dE/dnet = out - target

(lesson 10 derives it).  Computing ``e^net`` literally overflows for ``net = 1000``; subtracting the
largest ``net`` first changes nothing (the factor ``e^(-max)`` cancels) and keeps every power at most 1,
and ``log(out)`` is computed as ``net - max - log(sum e^(net - max))``, which is finite even where
``out`` itself rounds to 0.
"""

import numpy as np

__all__ = ["softmax", "cross_entropy"]


def _shifted(net):
    """``net - max(net)`` along the last axis and ``sum(e^that)``, the two pieces both functions need."""
    net = np.asarray(net, dtype=np.float64)
    shifted = net - net.max(axis=-1, keepdims=True)
    return shifted, np.exp(shifted)


def softmax(net):
    """Return ``e^net / sum(e^net)`` of a vector, or of every row of a matrix (one example per row).

    ``net`` has shape ``(outputs,)`` or ``(examples, outputs)``; so has the result, whose entries are
    positive and add up to 1 along the last axis.  No overflow for large ``|net|``.
    """
    shifted, powers = _shifted(net)
    return powers / powers.sum(axis=-1, keepdims=True)


def cross_entropy(net, target):
    """Return the cross-entropy ``- sum(target * log(softmax(net)))`` of each example.

    ``net`` and ``target`` have shape ``(outputs,)`` (then a number is returned) or ``(examples,
    outputs)`` (then one number per example).  ``log(softmax(net))`` is computed from ``net`` directly,
    so the error stays finite when an output rounds to 0.
    """
    shifted, powers = _shifted(net)
    log_out = shifted - np.log(powers.sum(axis=-1, keepdims=True))
    return -np.sum(np.asarray(target, dtype=np.float64) * log_out, axis=-1)[()]
