"""The training loop of ``SigmoidNetwork.train`` as it was before mini-batches and softmax outputs (issue 12).

Kept word for word (apart from taking the network's arrays as arguments) so that the tests can hold the
faster loop of :mod:`course_lib.training` to exactly the same numbers, bit for bit: full-batch training of
a sigmoid network must give the lessons the numbers it always gave them.
"""

import numpy as np
from scipy.special import expit


def legacy_train(network, x, target, rates, steps):
    """Return ``(errors, weights, biases)`` of ``steps`` steps, as the old ``train`` computed them.

    ``x`` and ``target`` are checked float64 arrays (one example or a data set), ``rates`` the per-layer
    ``[W | b]``-shaped learning rates of ``network._learning_rates(eta, train_biases)``.
    """
    batch = x.ndim == 2
    examples = x.shape[0] if batch else 1
    layers = len(network.weights)
    sizes = network.sizes
    params = [np.column_stack([W, b]) for W, b in zip(network.weights, network.biases)]
    outs = [np.concatenate([x, np.ones(x.shape[:-1] + (1,))], axis=-1)]
    outs += [np.ones(x.shape[:-1] + (n + 1,)) for n in sizes[1:-1]]
    outs.append(np.empty_like(target))
    nets = [np.empty(a.shape[:-1] + (W.shape[0],)) for a, W in zip(outs, params)]
    deltas = [np.empty_like(n) for n in nets]
    grads = [np.empty_like(p) for p in params]
    scratch = [np.empty_like(n) for n in nets]
    rates = [r / examples for r in rates]
    history = [np.empty((steps + 1,) + p.shape) for p in params]
    errors = np.empty(steps + 1)
    params_T = [p.T for p in params]
    weights_only = [p[:, :-1] for p in params]
    activations = [a[..., :-1] for a in outs[1:-1]] + [outs[-1]]
    left = [d.T if batch else d[:, None] for d in deltas]
    right = [a if batch else a[None, :] for a in outs[:-1]]
    residual = deltas[-1].reshape(-1)

    for k in range(steps + 1):
        for l in range(layers):
            np.dot(outs[l], params_T[l], out=nets[l])
            expit(nets[l], out=activations[l])
        for l in range(layers):
            history[l][k] = params[l]
        np.subtract(outs[-1], target, out=deltas[-1])
        errors[k] = 0.5 * np.dot(residual, residual) / examples
        if k == steps:
            break
        for l in range(layers - 1, -1, -1):
            if l < layers - 1:
                np.dot(deltas[l + 1], weights_only[l + 1], out=deltas[l])
            np.subtract(1.0, activations[l], out=scratch[l])
            scratch[l] *= activations[l]
            deltas[l] *= scratch[l]
        for l in range(layers):
            np.dot(left[l], right[l], out=grads[l])
            grads[l] *= rates[l]
            params[l] -= grads[l]
    return errors, tuple(h[:, :, :-1] for h in history), tuple(h[:, :, -1] for h in history)
