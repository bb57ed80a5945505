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
Every function also accepts a data set: ``x`` of shape
``(examples, inputs)`` and ``target`` of shape ``(examples, outputs)``; the
error is then the mean of the examples' errors, and so are the gradients.

With ``output="softmax"`` the hidden layers stay sigmoid, the output layer
is a softmax and the error its cross-entropy (:mod:`course_lib.softmax`):
the pair for choosing one of several classes, whose output delta is simply
``out - target``.
"""

from dataclasses import dataclass

import numpy as np

from ._checks import as_array, as_count, as_positive_number, describe
from .sigmoid import sigmoid
from .softmax import cross_entropy, softmax
from .training import descend, snapshot_stride

__all__ = ["SigmoidNetwork", "ForwardPass", "Gradients", "History", "OUTPUTS"]

OUTPUTS = ("sigmoid", "softmax")  # the output layer's kind; each comes with its error (see the module docstring)


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
    """A training run: the error after every step, and the parameters after the steps it kept.

    ``errors[k]`` is the error after ``k`` steps (``errors[0]`` before any),
    over all the examples trained on, so there are ``steps + 1`` of them:
    every error is kept, at 8 bytes a step.

    The parameters take far more room (every weight of the network, each
    step), so a history keeps them after step 0, after every ``stride``-th
    step and after the last step, with the smallest ``stride`` that keeps at
    most ``keep`` snapshots.  By default ``keep`` is as many snapshots as fit
    in :attr:`MEMORY` (16 MiB), so the memory stays bounded however long the
    run: for the 2-2-2 network that is 174,762 steps before any is left out;
    a 64-100-100-10 network trained for 10,000 steps keeps every 85th (119
    snapshots, 16 MiB, instead of 1.4 GB).  ``kept`` lists the kept step
    numbers; ``weights[l][n]`` and ``biases[l][n]`` are layer ``l``'s
    parameters after ``kept[n]`` steps (while every step is kept, ``n`` is
    the step number itself).

    :meth:`network_at` returns the network after a kept step; for a step
    that was not kept it raises a ``ValueError`` that names the nearest kept
    steps (train again from the one before for the rest of the way, to get
    it).  ``output`` is the kind of output layer (``"sigmoid"`` or
    ``"softmax"``) the networks have.
    """

    errors: np.ndarray
    weights: tuple
    biases: tuple
    kept: np.ndarray = None  # None: every step
    output: str = "sigmoid"
    keep: int = None  # None: as many as fit in MEMORY
    stride: int = 1

    MEMORY = 16 * 2**20  # bytes of parameter snapshots a history keeps at most (by default)

    def __post_init__(self):
        kept = np.arange(len(self.errors)) if self.kept is None else np.asarray(self.kept, dtype=np.int64)
        object.__setattr__(self, "kept", kept)
        if self.keep is None:
            object.__setattr__(self, "keep", History.default_keep(w[0] for w in self.weights))
        if any(len(p) != len(kept) for p in self.weights + self.biases):
            raise ValueError(f"a history needs one snapshot of every layer per kept step ({len(kept)})")

    @staticmethod
    def default_keep(weights):
        """How many snapshots of a network with these weight matrices fit in :attr:`MEMORY` (at least 2)."""
        parameters = sum(W.shape[0] * (W.shape[1] + 1) for W in weights)  # each row: its weights and its bias
        return max(2, History.MEMORY // (8 * parameters))

    @property
    def steps(self):
        """How many gradient-descent steps were taken."""
        return len(self.errors) - 1

    def __repr__(self):
        sizes = (self.weights[0].shape[2],) + tuple(w.shape[1] for w in self.weights)
        kept = "every step" if len(self.kept) == len(self.errors) else f"{len(self.kept)} of the steps"
        every = f" (step 0, every {self.stride} steps, the last)" if self.stride > 1 else ""
        return (
            f"<History: {self.steps} steps of a network of sizes {sizes}, error {self.errors[0]:.6g} -> "
            f"{self.errors[-1]:.6g}; parameters kept after {kept}{every}>"
        )

    @property
    def nbytes(self):
        """The memory the history's numbers take, in bytes: the errors and the kept parameters."""
        return self.errors.nbytes + 8 * sum(p.size for p in self.weights + self.biases)

    def network_at(self, k):
        """Return the network as it was after ``k`` steps (a step the history kept: see :attr:`kept`)."""
        k = as_count(k, "the step number k")
        if k > self.steps:
            raise ValueError(f"the step number k must be at most {self.steps}, got {k}")
        n = int(np.searchsorted(self.kept, k))
        if self.kept[n] != k:
            before, after = int(self.kept[n - 1]), int(self.kept[n])
            raise ValueError(
                f"the history did not keep the network after step {k}: to bound its memory it keeps step 0, "
                f"the steps that are multiples of {self.stride} and the last ({self.steps}); the nearest kept are "
                f"{before} and {after} (history.kept lists them all). For step {k}, train "
                f"history.network_at({before}) {k - before} more steps on the same data"
            )
        return SigmoidNetwork([w[n] for w in self.weights], [b[n] for b in self.biases], output=self.output)

    @property
    def network(self):
        """The trained network (after the last step)."""
        return self.network_at(self.steps)

    def then(self, later):
        """One history: this run followed by ``later``, a run that starts from this one's last network.

        The combined run keeps its parameters by the same rule, within this history's ``keep``: the
        steps both runs kept that are step 0, a multiple of the (perhaps larger) stride, or the last.
        """
        if later.output != self.output:
            raise ValueError(f"cannot join a run of {self.output} outputs and one of {later.output} outputs")
        steps = self.steps + later.steps
        kept = np.concatenate([self.kept, later.kept[1:] + self.steps])
        stride = max(self.stride, later.stride, snapshot_stride(steps, self.keep))
        chosen = (kept % stride == 0) | (kept == steps)

        def join(a, b):
            return np.concatenate([a, b[1:]])[chosen]

        return History(
            np.concatenate([self.errors, later.errors[1:]]),
            tuple(join(a, b) for a, b in zip(self.weights, later.weights)),
            tuple(join(a, b) for a, b in zip(self.biases, later.biases)),
            kept[chosen],
            self.output,
            self.keep,
            stride,
        )


class SigmoidNetwork:
    """A network of sigmoid neurons with given weights and biases.

    ``SigmoidNetwork(weights, biases)`` takes one weight matrix and one bias
    vector per layer after the input (shapes in the module docstring).  The
    network never changes: :meth:`step` and :meth:`train` return new ones.
    Use :meth:`random` for a network of given sizes with seeded weights.
    ``output="softmax"`` makes the output layer a softmax, with the
    cross-entropy error (at least two outputs); the default ``"sigmoid"``
    output has the squared error of the course's texts.
    """

    def __init__(self, weights, biases, output="sigmoid"):
        if output not in OUTPUTS:
            raise ValueError(f"output must be one of {OUTPUTS}, got {describe(output)}")
        self.output = output
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
        if output == "softmax" and self.weights[-1].shape[0] < 2:
            raise ValueError("a softmax output needs at least two output neurons (one alone would always be 1)")
        for array in self.weights + self.biases:
            array.flags.writeable = False  # a network never changes: step() returns a new one

    @classmethod
    def random(cls, sizes, seed=0, *, output="sigmoid", weight_std=None):
        """Return a network with the given layer sizes, e.g. ``(2, 2, 2)``, and random parameters.

        Weights are drawn from a normal distribution with standard deviation
        ``1/sqrt(inputs of the neuron)`` and biases from a standard normal
        distribution (Nielsen, chapter 3), with NumPy's generator seeded by
        ``seed``: the same seed always gives the same network.  With
        ``weight_std`` every weight has that standard deviation instead
        (``weight_std=1`` is the "large" start of Nielsen's chapter 3, whose
        net inputs grow with the number of inputs and saturate the sigmoids).
        ``output`` is the kind of output layer (see the class docstring).
        """
        if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__iter__"):
            raise TypeError(f"sizes must be a list of layer sizes such as (2, 2, 2), got {describe(sizes)}")
        sizes = [as_count(n, f"the layer size sizes[{l}]") for l, n in enumerate(sizes)]
        if len(sizes) < 2 or min(sizes) < 1:
            raise ValueError(f"sizes must list at least two layers of at least one neuron, got {sizes}")
        if weight_std is not None:
            weight_std = as_positive_number(weight_std, "weight_std")
        rng = np.random.default_rng(seed)
        weights = [
            rng.normal(0.0, 1.0 / np.sqrt(n_in) if weight_std is None else weight_std, (n_out, n_in))
            for n_in, n_out in zip(sizes, sizes[1:])
        ]
        biases = [rng.normal(0.0, 1.0, n_out) for n_out in sizes[1:]]
        return cls(weights, biases, output=output)

    @property
    def sizes(self):
        """The number of neurons in each layer, input layer first, e.g. ``(2, 2, 2)``."""
        return (self.weights[0].shape[1],) + tuple(w.shape[0] for w in self.weights)

    def __repr__(self):
        output = "" if self.output == "sigmoid" else f", output={self.output!r}"
        return f"SigmoidNetwork(sizes={self.sizes}{output})"

    def __eq__(self, other):
        if not isinstance(other, SigmoidNetwork):
            return NotImplemented
        if self.sizes != other.sizes or self.output != other.output:
            return False
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
        if self.output == "softmax" and (
            np.any(target < 0) or not np.allclose(target.sum(axis=-1), 1.0, rtol=0, atol=1e-9)
        ):
            shown = np.round(target, 6).tolist() if target.ndim == 1 else np.round(target[:2], 6).tolist()
            raise ValueError(
                "with a softmax output each target must be probabilities that add up to 1, such as the "
                f"one-hot vector [0, 1, 0] for the second class; got {shown}{' ...' if target.ndim == 2 else ''}"
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

        (with a softmax output, the last ``out`` is ``softmax(net)``).
        """
        x = self._layer_values(x, "the input x", self.sizes[0])
        net, out = [x], [x]
        for l, (W, b) in enumerate(zip(self.weights, self.biases), start=1):
            net.append(out[-1] @ W.T + b)  # W @ out for one example; one row per example for a data set
            last = l == len(self.weights) and self.output == "softmax"
            out.append(softmax(net[-1]) if last else sigmoid(net[-1]))
        return ForwardPass(tuple(net), tuple(out))

    def error(self, x, target):
        """Return the error of one example, or for a data set the mean of the examples' errors.

        For sigmoid outputs, ``E_total = 1/2 * sum((target - output)**2)``;
        for a softmax output, the cross-entropy ``-sum(target * log(output))``.
        """
        x, target = self._examples(x, target)
        record = self.forward(x)
        if self.output == "softmax":
            return float(np.mean(cross_entropy(record.net[-1], target)))
        return float(np.mean(0.5 * np.sum((target - record.output) ** 2, axis=-1)))

    def backward(self, x, target):
        """Backpropagate: return dE/d(every parameter) and every layer's delta (a :class:`Gradients`).

        With ``delta = dE/dnet`` of a layer, the chain rule gives::

            output layer:   delta = (out - target) * out * (1 - out)
            hidden layer:   delta = (W_next.T @ delta_next) * out * (1 - out)
            every layer:    dE/dW = outer(delta, out_previous),  dE/db = delta

        where ``out * (1 - out)`` is sigmoid'(net) and ``W_next`` the weights
        leaving the layer.  A softmax output with the cross-entropy has the
        output delta ``out - target`` (:mod:`course_lib.softmax`).
        """
        x, target = self._examples(x, target)
        record = self.forward(x)
        examples = 1 if x.ndim == 1 else x.shape[0]
        out = record.out[-1]
        delta = [out - target if self.output == "softmax" else (out - target) * out * (1 - out)]
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
        return SigmoidNetwork(weights, biases, output=self.output)

    def train(self, x, target, eta, steps, train_biases=True, *, batch_size=None, seed=0, keep=None):
        """Take ``steps`` steps of gradient descent and return the :class:`History` of the run.

        ``x`` and ``target`` are one example, or a data set with one row per
        example.  By default every step follows the gradient of the mean
        error over all the examples (*full-batch* gradient descent) and gives
        the same numbers as calling :meth:`step` ``steps`` times (the tests
        check it), only fast (see :mod:`course_lib.training`).

        ``batch_size`` (for a data set): each step follows the gradient of
        the mean error over the next ``batch_size`` examples only, a
        *mini-batch*, in an order shuffled anew at the start of every pass
        over the data (an *epoch*) by a generator seeded with ``seed``
        (:func:`course_lib.training.minibatches`); ``batch_size=1`` is
        *stochastic* gradient descent, and a batch as large as the data set
        is full batch.  The history's errors are still the errors over the
        whole data set after each step (which costs a forward pass over all
        of it per step), so that learning curves can be compared.

        ``eta`` is a positive number, or one learning rate per parameter: an
        object with ``.weights`` and ``.biases`` shaped like the network's
        (a :class:`Gradients` will do), or a pair ``(weights, biases)`` of
        lists of numbers or arrays; a rate of 0 freezes its parameter.
        ``keep`` is the most parameter snapshots the history keeps (see
        :class:`History`; by default as many as fit in ``History.MEMORY``).
        """
        x, target = self._examples(x, target)
        steps = as_count(steps, "the number of steps")
        rates = self._learning_rates(eta, train_biases)
        if batch_size is not None:
            if x.ndim == 1:
                raise ValueError("batch_size needs a data set (one row per example); x is a single example")
            batch_size = as_count(batch_size, "the batch size")
            if batch_size < 1:
                raise ValueError("the batch size must be at least 1 (1 is stochastic gradient descent), got 0")
            if batch_size >= x.shape[0]:
                batch_size = None  # a batch of the whole data set: full batch
        keep = History.default_keep(self.weights) if keep is None else keep
        stride = snapshot_stride(steps, keep)
        softmax_output = self.output == "softmax"
        errors, kept, snapshots = descend(
            self.weights, self.biases, x, target, rates, steps,
            softmax=softmax_output, batch_size=batch_size, seed=seed, stride=stride,
        )  # fmt: skip
        weights = tuple(s[:, :, :-1] for s in snapshots)
        biases = tuple(s[:, :, -1] for s in snapshots)
        return History(errors, weights, biases, kept, self.output, keep, stride)
