"""A straightforward pure-Python sigmoid network: the peer that course_lib's NumPy training is measured against.

Lists of lists and loops over neurons, as one would write it from the
formulas without NumPy; the same mathematics as course_lib.SigmoidNetwork.
"""

import math


def sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def train(weights, biases, x, target, eta, steps, train_biases=True):
    """Train in place for ``steps`` steps; return the error after each (steps + 1 numbers)."""
    errors = []
    for step in range(steps + 1):
        outs = [list(x)]
        for W, b in zip(weights, biases):
            a = outs[-1]
            outs.append([sigmoid(sum(w * ai for w, ai in zip(row, a)) + bj) for row, bj in zip(W, b)])
        output = outs[-1]
        errors.append(0.5 * sum((t - o) ** 2 for t, o in zip(target, output)))
        if step == steps:
            break
        delta = [(o - t) * o * (1 - o) for o, t in zip(output, target)]
        deltas = [delta]
        for l in range(len(weights) - 1, 0, -1):
            a = outs[l]
            delta = [
                sum(weights[l][k][j] * delta[k] for k in range(len(delta))) * a[j] * (1 - a[j]) for j in range(len(a))
            ]
            deltas.insert(0, delta)
        for l, (W, b) in enumerate(zip(weights, biases)):
            for j, row in enumerate(W):
                for i in range(len(row)):
                    row[i] -= eta * deltas[l][j] * outs[l][i]
                if train_biases:
                    b[j] -= eta * deltas[l][j]
    return errors
