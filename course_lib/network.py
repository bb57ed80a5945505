"""A fully connected network of sigmoid neurons: forward pass, error, backpropagation, gradient descent.

Shapes follow Nielsen's ``network.py``, so that a layer reads as it does on paper::

    net = W @ out_previous + b          out = sigmoid(net)

- ``weights[l]`` has shape ``(neurons in layer l+1, neurons in layer l)``:
  ``weights[l][j, i]`` is the weight from neuron ``i`` of layer ``l`` to
  neuron ``j`` of layer ``l+1``;
- ``biases[l]`` has shape ``(neurons in layer l+1,)``;
- layer 0 is the input layer, the last layer is the output layer.

The course's texts number their weights ``w1 ... w8`` instead; the mapping
from those names to ``(l, j, i)`` lives in :mod:`course_lib.notation`.

The error of one example is ``E_total = 1/2 * sum((target - output)**2)``.
Every function also accepts a small data set: ``x`` of shape
``(examples, inputs)`` and ``target`` of shape ``(examples, outputs)``; the
error is then the mean of the examples' errors, and so are the gradients.
"""

from dataclasses import dataclass

import numpy as np
from scipy.special import expit

from ._checks import as_array, as_count, as_positive_number, describe
from .sigmoid import sigmoid

__all__ = ["SigmoidNetwork", "ForwardPass", "Gradients", "History"]


@dataclass(frozen=True)
class ForwardPass:
    """Everything a forward pass computed, layer by layer (the "cache" that backward needs).

    ``out[0]`` is the input itself; for ``l >= 1``, ``net[l]`` is the net
    input of layer ``l`` (the weighted sum plus bias) and
    ``out[l] = sigmoid(net[l])`` its output.  The input layer has no weighted
    sum: ``net[0]`` is the input too (as in Han & Kamber, where an input
    unit's output equals its input).
    """

    net: tuple
    out: tuple

    @property
    def output(self):
        """The network's output, ``out[-1]``."""
        return self.out[-1]


@dataclass(frozen=True)
class Gradients:
    """The partial derivatives of the error, shaped exactly like the parameters.

    ``weights[l][j, i]`` is dE/d(weights[l][j, i]) and ``biases[l][j]`` is
    dE/d(biases[l][j]).  ``delta[l]`` is dE/dnet of layer ``l+1`` (so
    ``delta[-1]`` belongs to the output layer): the reusable piece of the
    chain rule, since dE/dw = delta of the neuron the weight feeds times the
    output of the neuron it comes from.  For a data set, ``delta[l]`` has one
    row per example (each example's own dE/dnet) and the gradients are means.
    """

    weights: tuple
    biases: tuple
    delta: tuple


@dataclass(frozen=True)
class History:
    """A training run: the error and the parameters after every step.

    ``errors[k]`` is the error after ``k`` steps (``errors[0]`` before any),
    so there are ``steps + 1`` of them.  ``weights[l][k]`` and
    ``biases[l][k]`` are layer ``l``'s parameters after ``k`` steps.
    """

    errors: np.ndarray
    weights: tuple
    biases: tuple

    @property
    def steps(self):
        """How many gradient-descent steps were taken."""
        return len(self.errors) - 1

    def network_at(self, k):
        """Return the network as it was after ``k`` steps."""
        k = as_count(k, "the step number k")
        if k > self.steps:
            raise ValueError(f"the step number k must be at most {self.steps}, got {k}")
        return SigmoidNetwork([w[k] for w in self.weights], [b[k] for b in self.biases])

    @property
    def network(self):
        """The trained network (after the last step)."""
        return self.network_at(self.steps)

    def then(self, later):
        """One history: this run followed by ``later``, a run that starts from this one's last network."""
        return History(
            np.concatenate([self.errors, later.errors[1:]]),
            tuple(np.concatenate([a, b[1:]]) for a, b in zip(self.weights, later.weights)),
            tuple(np.concatenate([a, b[1:]]) for a, b in zip(self.biases, later.biases)),
        )


class SigmoidNetwork:
    """A network of sigmoid neurons with given weights and biases.

    ``SigmoidNetwork(weights, biases)`` takes one weight matrix and one bias
    vector per layer after the input (shapes in the module docstring).  The
    network never changes: :meth:`step` and :meth:`train` return new ones.
    Use :meth:`random` for a network of given sizes with seeded weights.
    """

    def __init__(self, weights, biases):
        if isinstance(weights, np.ndarray) or not hasattr(weights, "__len__"):
            raise TypeError(f"weights must be a list with one matrix per layer, got {describe(weights)}")
        if isinstance(biases, np.ndarray) or not hasattr(biases, "__len__"):
            raise TypeError(f"biases must be a list with one vector per layer, got {describe(biases)}")
        if len(weights) == 0:
            raise ValueError("a network needs at least one layer of weights, got an empty list")
        if len(biases) != len(weights):
            raise ValueError(
                f"one bias vector is needed per weight matrix: got {len(weights)} weight matrices "
                f"and {len(biases)} bias vectors"
            )
        self.weights = tuple(as_array(w, f"weights[{l}]", ndim=2) for l, w in enumerate(weights))
        for l in range(1, len(self.weights)):
            before, after = self.weights[l - 1].shape, self.weights[l].shape
            if after[1] != before[0]:
                raise ValueError(
                    f"weights[{l}] must have {before[0]} columns (one per neuron of layer {l}, "
                    f"which weights[{l - 1}] of shape {before} feeds), got shape {after}"
                )
        self.biases = tuple(
            as_array(b, f"biases[{l}]", shape=(w.shape[0],)) for l, (w, b) in enumerate(zip(self.weights, biases))
        )
        for array in self.weights + self.biases:
            array.flags.writeable = False  # a network never changes: step() returns a new one

    @classmethod
    def random(cls, sizes, seed=0):
        """Return a network with the given layer sizes, e.g. ``(2, 2, 2)``, and random parameters.

        Weights are drawn from a normal distribution with standard deviation
        ``1/sqrt(inputs of the neuron)`` and biases from a standard normal
        distribution (Nielsen, chapter 3), with NumPy's generator seeded by
        ``seed``: the same seed always gives the same network.
        """
        if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__iter__"):
            raise TypeError(f"sizes must be a list of layer sizes such as (2, 2, 2), got {describe(sizes)}")
        sizes = [as_count(n, f"the layer size sizes[{l}]") for l, n in enumerate(sizes)]
        if len(sizes) < 2 or min(sizes) < 1:
            raise ValueError(f"sizes must list at least two layers of at least one neuron, got {sizes}")
        rng = np.random.default_rng(seed)
        weights = [rng.normal(0.0, 1.0 / np.sqrt(n_in), (n_out, n_in)) for n_in, n_out in zip(sizes, sizes[1:])]
        biases = [rng.normal(0.0, 1.0, n_out) for n_out in sizes[1:]]
        return cls(weights, biases)

    @property
    def sizes(self):
        """The number of neurons in each layer, input layer first, e.g. ``(2, 2, 2)``."""
        return (self.weights[0].shape[1],) + tuple(w.shape[0] for w in self.weights)

    def __repr__(self):
        return f"SigmoidNetwork(sizes={self.sizes})"

    def __eq__(self, other):
        if not isinstance(other, SigmoidNetwork) or self.sizes != other.sizes:
            return NotImplemented if not isinstance(other, SigmoidNetwork) else False
        pairs = zip(self.weights + self.biases, other.weights + other.biases)
        return all(np.array_equal(a, b) for a, b in pairs)

    __hash__ = None

    # -- checking what a learner passes in ---------------------------------------------

    def _layer_values(self, values, what, size):
        """Return ``values`` as one example (1-D) or a data set (2-D) for a layer of ``size`` neurons."""
        array = as_array(values, what, ndim=(0, 1, 2))
        if array.ndim == 0 and size == 1:
            array = array.reshape(1)
        if array.ndim == 0 or array.shape[-1] != size:
            raise ValueError(
                f"{what} must have {size} value{'s' if size > 1 else ''} (one per neuron of that layer), "
                f"or be a data set of shape (examples, {size}); got shape {array.shape}"
            )
        return array

    def _examples(self, x, target):
        """Check an input and a target and return them as float64 arrays of matching shapes."""
        x = self._layer_values(x, "the input x", self.sizes[0])
        target = self._layer_values(target, "the target", self.sizes[-1])
        if x.ndim != target.ndim or x.shape[:-1] != target.shape[:-1]:
            raise ValueError(
                f"the input x and the target must describe the same examples: one vector each, or one "
                f"row per example; got shapes {x.shape} and {target.shape}"
            )
        return x, target

    def _learning_rates(self, eta, train_biases):
        """Return the learning rate as one array per layer, shaped like ``[weights | biases]``.

        ``eta`` is a positive number, or one learning rate per parameter: an
        object with ``.weights`` and ``.biases`` (or a pair ``(weights,
        biases)``) holding numbers or arrays shaped like the parameters.  A
        per-parameter rate of 0 freezes that parameter.  With
        ``train_biases=False`` the biases' rates are 0.
        """
        if hasattr(eta, "weights") and hasattr(eta, "biases"):
            eta = (eta.weights, eta.biases)
        if isinstance(eta, tuple) and len(eta) == 2:
            rates = []
            for part, parameters in zip(("weights", "biases"), (self.weights, self.biases)):
                if len(eta[0 if part == "weights" else 1]) != len(parameters):
                    raise ValueError(f"eta.{part} must have one entry per layer ({len(parameters)})")
                for l, (rate, p) in enumerate(zip(eta[0 if part == "weights" else 1], parameters)):
                    array = as_array(rate, f"the learning rate eta.{part}[{l}]")
                    if array.ndim and array.shape != p.shape:
                        raise ValueError(
                            f"the learning rate eta.{part}[{l}] must be a number or have shape {p.shape}, "
                            f"got shape {array.shape}"
                        )
                    if np.any(array < 0):
                        raise ValueError(f"the learning rate eta.{part}[{l}] must not be negative, got {array}")
                    rates.append(np.broadcast_to(array, p.shape))
            weight_rates, bias_rates = rates[: len(self.weights)], rates[len(self.weights) :]
            if not any(np.any(r > 0) for r in weight_rates + (bias_rates if train_biases else [])):
                raise ValueError("at least one learning rate must be greater than zero, got all zeros")
        else:
            eta = as_positive_number(eta, "the learning rate eta")
            weight_rates = [np.full(w.shape, eta) for w in self.weights]
            bias_rates = [np.full(b.shape, eta) for b in self.biases]
        return [np.column_stack([w, b if train_biases else np.zeros_like(b)]) for w, b in zip(weight_rates, bias_rates)]

    # -- the mathematics ----------------------------------------------------------------

    def forward(self, x):
        """Run the forward pass and return every layer's ``net`` and ``out`` (a :class:`ForwardPass`).

        ``x`` has one value per input neuron, shape ``(inputs,)``, or is a
        data set of shape ``(examples, inputs)``.  Layer by layer::

            net[l] = weights[l-1] @ out[l-1] + biases[l-1]
            out[l] = sigmoid(net[l])
        """
        x = self._layer_values(x, "the input x", self.sizes[0])
        net, out = [x], [x]
        for W, b in zip(self.weights, self.biases):
            net.append(out[-1] @ W.T + b)  # W @ out for one example; one row per example for a data set
            out.append(sigmoid(net[-1]))
        return ForwardPass(tuple(net), tuple(out))

    def error(self, x, target):
        """Return ``E_total = 1/2 * sum((target - output)**2)`` (for a data set: the mean over the examples)."""
        x, target = self._examples(x, target)
        output = self.forward(x).output
        return float(np.mean(0.5 * np.sum((target - output) ** 2, axis=-1)))

    def backward(self, x, target):
        """Backpropagate: return dE/d(every parameter) and every layer's delta (a :class:`Gradients`).

        With ``delta = dE/dnet`` of a layer, the chain rule gives::

            output layer:   delta = (out - target) * out * (1 - out)
            hidden layer:   delta = (W_next.T @ delta_next) * out * (1 - out)
            every layer:    dE/dW = outer(delta, out_previous),  dE/db = delta

        where ``out * (1 - out)`` is sigmoid'(net) and ``W_next`` the weights
        leaving the layer.
        """
        x, target = self._examples(x, target)
        record = self.forward(x)
        examples = 1 if x.ndim == 1 else x.shape[0]
        out = record.out[-1]
        delta = [(out - target) * out * (1 - out)]
        for l in range(len(self.weights) - 1, 0, -1):
            out = record.out[l]
            delta.insert(0, (delta[0] @ self.weights[l]) * out * (1 - out))  # W.T @ delta, row by row
        if x.ndim == 1:
            weights = [np.outer(d, a) for d, a in zip(delta, record.out)]
            biases = [d.copy() for d in delta]
        else:  # a data set: the gradient of the mean error is the mean of the gradients
            weights = [d.T @ a / examples for d, a in zip(delta, record.out)]
            biases = [d.mean(axis=0) for d in delta]
        return Gradients(tuple(weights), tuple(biases), tuple(delta))

    def step(self, x, target, eta, train_biases=True):
        """Return a NEW network after one step of gradient descent; this one is unchanged.

        Every gradient is computed from the current (old) weights first, and
        only then are all parameters updated::

            w_new = w - eta * dE/dw

        ``eta`` is the learning rate: a positive number, or one rate per
        parameter (see :meth:`train`).  With ``train_biases=False`` the
        biases keep their values.
        """
        rates = self._learning_rates(eta, train_biases)
        grads = self.backward(x, target)
        weights = [W - r[:, :-1] * g for W, r, g in zip(self.weights, rates, grads.weights)]
        biases = [b - r[:, -1] * g for b, r, g in zip(self.biases, rates, grads.biases)]
        return SigmoidNetwork(weights, biases)

    def train(self, x, target, eta, steps, train_biases=True):
        """Take ``steps`` steps of gradient descent and return the :class:`History` of the run.

        Gives the same numbers as calling :meth:`step` ``steps`` times (the
        tests check it), but fast: each layer's bias is stored as one more
        column of its weight matrix, a weight on a constant input of 1 (lesson
        02), so that a layer is one matrix product, and all arrays are reused
        instead of created anew at each step.

        ``x`` and ``target`` are one example, or a data set with one row per
        example (then each step follows the gradient of the mean error).
        ``eta`` is a positive number, or one learning rate per parameter: an
        object with ``.weights`` and ``.biases`` shaped like the network's
        (a :class:`Gradients` will do), or a pair ``(weights, biases)`` of
        lists of numbers or arrays; a rate of 0 freezes its parameter.
        """
        x, target = self._examples(x, target)
        steps = as_count(steps, "the number of steps")
        rates = self._learning_rates(eta, train_biases)
        batch = x.ndim == 2
        examples = x.shape[0] if batch else 1
        layers = len(self.weights)
        # Each layer's [W | b] and the outputs with a trailing 1 (for the bias column).
        params = [np.column_stack([W, b]) for W, b in zip(self.weights, self.biases)]
        outs = [np.concatenate([x, np.ones(x.shape[:-1] + (1,))], axis=-1)]
        outs += [np.ones(x.shape[:-1] + (n + 1,)) for n in self.sizes[1:-1]]  # the last column stays 1
        outs.append(np.empty_like(target))
        nets = [np.empty(a.shape[:-1] + (W.shape[0],)) for a, W in zip(outs, params)]
        deltas = [np.empty_like(n) for n in nets]
        grads = [np.empty_like(p) for p in params]
        scratch = [np.empty_like(n) for n in nets]
        rates = [r / examples for r in rates]
        history = [np.empty((steps + 1,) + p.shape) for p in params]
        errors = np.empty(steps + 1)
        # Views made once: they stay valid because every array is updated in place.
        params_T = [p.T for p in params]
        weights_only = [p[:, :-1] for p in params]
        activations = [a[..., :-1] for a in outs[1:-1]] + [outs[-1]]
        left = [d.T if batch else d[:, None] for d in deltas]
        right = [a if batch else a[None, :] for a in outs[:-1]]
        residual = deltas[-1].reshape(-1)

        for k in range(steps + 1):
            for l in range(layers):  # forward: net = [W | b] @ [out; 1], out = sigmoid(net)
                np.dot(outs[l], params_T[l], out=nets[l])
                expit(nets[l], out=activations[l])
            for l in range(layers):
                history[l][k] = params[l]
            np.subtract(outs[-1], target, out=deltas[-1])  # out - target
            errors[k] = 0.5 * np.dot(residual, residual) / examples
            if k == steps:
                break
            for l in range(layers - 1, -1, -1):  # backward: delta *= out * (1 - out)
                if l < layers - 1:
                    np.dot(deltas[l + 1], weights_only[l + 1], out=deltas[l])  # W_next.T @ delta_next
                np.subtract(1.0, activations[l], out=scratch[l])
                scratch[l] *= activations[l]
                deltas[l] *= scratch[l]
            for l in range(layers):  # update: [W | b] -= eta * outer(delta, [out; 1])
                np.dot(left[l], right[l], out=grads[l])
                grads[l] *= rates[l]
                params[l] -= grads[l]
        return History(errors, tuple(h[:, :, :-1] for h in history), tuple(h[:, :, -1] for h in history))
