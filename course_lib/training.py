"""Gradient descent at speed: the loop behind :meth:`SigmoidNetwork.train <course_lib.network.SigmoidNetwork.train>`.

The mathematics is that of :meth:`~course_lib.network.SigmoidNetwork.step`, step after step; this
module only does the bookkeeping that makes a step cheap, for the 2-2-2 network (where a step is a
few dozen multiplications, and calling NumPy costs more than the arithmetic) as for the digits
(where it is millions):

- each layer's bias is one more column of its weight matrix, a weight on a constant input of 1
  (lesson 02), so that a layer is one matrix product ``[W | b] @ [out; 1]``;
- every array is made once and reused (NumPy's ``out=``), and the parameters of all layers live in
  one flat array, so that the update ``theta -= eta * gradient`` and a snapshot for the history are
  one call each, however many layers there are; likewise the sigmoid slopes ``out * (1 - out)`` of
  all layers are computed in one call, since they need only the forward pass;
- the arithmetic is exactly that of the straightforward loop, operation for operation, so that
  full-batch training gives the same numbers to the last bit as it did before these tricks (a test
  holds it to the old loop);
- the matrix products use one thread of the BLAS library: for matrices of this course's sizes,
  threads cost more in coordination than they save, and on a shared machine (a hub for a room)
  they compete with everyone else's.

Mini-batches (``batch_size``) take each step on the next few examples of a shuffled order
(:func:`minibatches`); the error recorded after each step is still the error over the whole data
set, so that the learning curves of full-batch and mini-batch training can be compared.
"""

import numpy as np
from scipy.special import expit
from threadpoolctl import ThreadpoolController

from ._checks import as_count, describe

__all__ = ["minibatches", "descend", "snapshot_stride"]

_controller = None  # made on first use: finding the BLAS libraries takes a few milliseconds


def _one_blas_thread():
    """A context in which NumPy's matrix products run on one thread."""
    global _controller
    if _controller is None:
        _controller = ThreadpoolController()
    return _controller.limit(limits=1, user_api="blas")


def minibatches(examples, batch_size, seed=0):
    """Yield the row numbers of one mini-batch after another, epoch after epoch, forever.

    An *epoch* is one pass over the data set: at its start the ``examples`` row numbers are
    shuffled by ``numpy.random.default_rng(seed).permutation`` (a new order each epoch, the same
    orders for the same ``seed``), and cut into batches of ``batch_size`` rows; the last batch of an
    epoch is smaller when ``batch_size`` does not divide ``examples``, so that every example is used
    exactly once per epoch.  ``batch_size=1`` is *stochastic* gradient descent.
    """
    examples = as_count(examples, "the number of examples")
    batch_size = as_count(batch_size, "the batch size")
    if batch_size < 1 or examples < 1:
        raise ValueError(f"need at least one example and a batch size of at least 1, got {examples} and {batch_size}")
    rng = np.random.default_rng(seed)
    while True:
        order = rng.permutation(examples)
        for start in range(0, examples, batch_size):
            yield order[start : start + batch_size]


def _layout(shapes):
    """Slices of a flat array that hold arrays of the given shapes one after another."""
    ends = np.cumsum([int(np.prod(s)) for s in shapes])
    return [slice(end - int(np.prod(s)), end) for s, end in zip(shapes, ends)]


def _views(flat, shapes):
    """Views of ``flat`` with the given shapes (see :func:`_layout`); each is C-contiguous."""
    return [flat[place].reshape(shape) for place, shape in zip(_layout(shapes), shapes)]


def descend(weights, biases, x, target, rates, steps, *, softmax=False, batch_size=None, seed=0, stride=1):
    """Take ``steps`` steps of gradient descent; return ``(errors, kept, snapshots)``.

    ``weights[l]`` (shape ``(n_l+1, n_l)``) and ``biases[l]`` are the network's parameters (copied,
    never changed); ``x`` and ``target`` one example (1-D) or a data set (one row per example), as
    checked float64 arrays; ``rates[l]`` the learning rates of layer ``l``, shaped like ``[W | b]``.
    ``softmax`` chooses softmax outputs with the cross-entropy error instead of sigmoid outputs with
    the squared error.  ``batch_size`` (a data set only): each step uses the next ``batch_size``
    examples of :func:`minibatches` with ``seed``; ``None`` uses all of them (full batch).

    ``errors[k]`` is the error over all of ``x`` after ``k`` steps (``steps + 1`` numbers).  The
    parameters are kept after step 0, every ``stride``-th step and the last: ``kept`` lists those
    step numbers, and ``snapshots[l][n]`` is layer ``l``'s ``[W | b]`` after step ``kept[n]``.
    """
    kept = np.unique(np.append(np.arange(0, steps + 1, stride), steps))
    with _one_blas_thread():
        if batch_size is None:
            return _full_batch(weights, biases, x, target, rates, steps, softmax, kept)
        return _mini_batches(weights, biases, x, target, rates, steps, softmax, kept, batch_size, seed)


class _Pass:
    """The arrays of one pass over ``rows`` examples (shape ``()`` for one, ``(m,)`` for m), made once.

    ``outs[0]`` is ``[x, 1]``; the hidden layers' ``[out, 1]`` and the output layer's ``out`` are
    views into one flat array, and so are their sigmoid slopes ``out * (1 - out)`` (for the 1s the
    slope is 0, and unused; a softmax output has no slope).  ``nets[l]`` and ``deltas[l]`` belong to
    layer ``l + 1``, as in :class:`~course_lib.network.Gradients`.
    """

    def __init__(self, rows, inputs, weights, softmax):
        self.outs = [np.ones(rows + (inputs + 1,))]
        shapes = [rows + (W.shape[0] + 1,) for W in weights[:-1]] + [rows + (weights[-1].shape[0],)]
        self.everything = np.ones(sum(int(np.prod(s)) for s in shapes))
        self.outs += _views(self.everything, shapes)
        output_size = self.outs[-1].size
        self.sloped = self.everything[: self.everything.size - output_size] if softmax else self.everything
        self.slopes_flat = np.empty_like(self.sloped)
        self.one = np.ones_like(self.sloped)
        self.slopes = [s[..., :-1] for s in _views(self.slopes_flat, shapes[:-1])]
        if not softmax:
            self.slopes.append(self.slopes_flat[self.slopes_flat.size - output_size :].reshape(shapes[-1]))
        self.nets = [np.empty(rows + (W.shape[0],)) for W in weights]
        self.deltas = [np.empty_like(n) for n in self.nets]
        self.activations = [a[..., :-1] for a in self.outs[1:-1]] + [self.outs[-1]]
        self.residual = self.deltas[-1].reshape(-1)
        if softmax:
            self.largest, self.total = np.empty(rows + (1,)), np.empty(rows + (1,))
            self.shifted, self.per_example = np.empty_like(self.outs[-1]), np.empty(rows)

    def forward_stages(self, params):
        """``(a.dot, [W | b].T, net, out)`` for each layer: a.dot(b, out) is np.dot(a, b, out), called faster."""
        return [(a.dot, p.T, net, out) for a, p, net, out in zip(self.outs[:-1], params, self.nets, self.activations)]

    def backward_stages(self, params):
        """``(delta_next.dot, W_next, delta, slope)`` for each hidden layer, from the last one back."""
        d, s = self.deltas, self.slopes
        return [(d[l + 1].dot, params[l + 1][:, :-1], d[l], s[l]) for l in range(len(params) - 2, -1, -1)]

    def outer_stages(self, grads):
        """``(left.dot, right, gradient)``: dE/d[W | b] = outer(delta, [out; 1]), summed over the examples."""
        batch = self.outs[0].ndim == 2
        pairs = zip(self.deltas, self.outs, grads)
        return [((d.T if batch else d[:, None]).dot, a if batch else a[None, :], g) for d, a, g in pairs]

    def softmax_error(self, target):
        """Set ``out = softmax(net)`` of the output layer; return the mean cross-entropy (as in course_lib.softmax)."""
        net, out, shifted, total = self.nets[-1], self.outs[-1], self.shifted, self.total
        np.max(net, axis=-1, keepdims=True, out=self.largest)
        np.subtract(net, self.largest, shifted)
        np.exp(shifted, out)
        np.sum(out, axis=-1, keepdims=True, out=total)
        np.divide(out, total, out)
        np.log(total, total)
        np.subtract(shifted, total, shifted)  # log out
        np.multiply(shifted, target, shifted)
        np.sum(shifted, axis=-1, out=self.per_example)
        return -np.mean(self.per_example)


def _parameters(weights, biases):
    """All layers' ``[W | b]`` in one flat array, and a view of it per layer (C-contiguous, like the old arrays)."""
    shapes = [(W.shape[0], W.shape[1] + 1) for W in weights]
    theta = np.concatenate([np.column_stack([W, b]).ravel() for W, b in zip(weights, biases)])
    return theta, _views(theta, shapes), shapes


def _full_batch(weights, biases, x, target, rates, steps, softmax, kept):
    """Every step on all examples: the fast loop (see the module docstring for its tricks)."""
    examples = x.shape[0] if x.ndim == 2 else 1
    theta, params, shapes = _parameters(weights, biases)
    rates = np.concatenate([r.ravel() for r in rates]) / examples  # the gradient of the MEAN error
    gradient = np.empty_like(theta)
    grads = _views(gradient, shapes)
    work = _Pass(x.shape[:-1], x.shape[-1], weights, softmax)
    work.outs[0][..., :-1] = x
    errors = np.empty(steps + 1)
    snapshots = np.empty((len(kept), theta.size))
    # What each stage of a step works on, made once: the views stay valid, all updates are in place.
    *hidden, (a_last, PT_last, net_last, out_last) = work.forward_stages(params)
    backward = work.backward_stages(params)
    outer = work.outer_stages(grads)
    residual, square = work.residual, work.residual.dot
    sloped, slopes_flat, one = work.sloped, work.slopes_flat, work.one
    output_delta, output_slope = work.deltas[-1], (None if softmax else work.slopes[-1])
    subtract, multiply = np.subtract, np.multiply
    snapshot, next_kept = 0, int(kept[0])

    for k in range(steps + 1):
        for a_dot, PT, net, out in hidden:  # forward: net = [W | b] @ [out; 1], out = sigmoid(net)
            a_dot(PT, net)
            expit(net, out)
        a_last(PT_last, net_last)
        if k == next_kept:
            snapshots[snapshot] = theta
            snapshot += 1
            next_kept = int(kept[snapshot]) if snapshot < len(kept) else -1
        if softmax:
            errors[k] = work.softmax_error(target)
            subtract(out_last, target, output_delta)  # the output delta: out - target
        else:
            expit(net_last, out_last)
            subtract(out_last, target, output_delta)  # out - target
            errors[k] = square(residual)  # halved and averaged below, all at once
        if k == steps:
            break
        subtract(one, sloped, slopes_flat)  # backward: every layer's sigmoid slope out * (1 - out) ...
        multiply(slopes_flat, sloped, slopes_flat)
        if not softmax:
            multiply(output_delta, output_slope, output_delta)  # ... the output delta (out - target) * slope ...
        for after_dot, W_next, delta, slope in backward:  # ... each hidden delta (W_next.T @ delta_next) * slope
            after_dot(W_next, delta)
            multiply(delta, slope, delta)
        for left_dot, right, g in outer:  # the gradients outer(delta, [out; 1]) ...
            left_dot(right, g)
        multiply(gradient, rates, gradient)  # ... and the update [W | b] -= eta * gradient, all layers at once
        subtract(theta, gradient, theta)
    if not softmax:
        errors = 0.5 * errors / examples
    return errors, kept, _split(snapshots, shapes)


def _split(snapshots, shapes):
    """The flat snapshots as one array per layer, shaped ``(snapshots, n_out, n_in + 1)``."""
    return [snapshots[:, place].reshape((len(snapshots),) + shape) for place, shape in zip(_layout(shapes), shapes)]


def _mini_batches(weights, biases, x, target, rates, steps, softmax, kept, batch_size, seed):
    """Each step on the next mini-batch; the error is recorded over the whole data set.

    A step runs the forward pass of all examples (for the error, which the history records), copies
    the batch's rows of every layer's outputs from it, and backpropagates those rows only: the
    same arithmetic as a full-batch step on the batch alone.
    """
    examples = x.shape[0]
    theta, params, shapes = _parameters(weights, biases)
    rates = np.concatenate([r.ravel() for r in rates])
    gradient = np.empty_like(theta)
    grads = _views(gradient, shapes)
    every = _Pass((examples,), x.shape[-1], weights, softmax)  # the forward pass of all examples
    every.outs[0][:, :-1] = x
    forward = every.forward_stages(params)
    plans = {}  # for each batch length (the last batch of an epoch may be shorter): its arrays and stages
    for size in {batch_size, examples % batch_size} - {0}:
        work = _Pass((size,), x.shape[-1], weights, softmax)
        batch_target = np.empty((size, target.shape[-1]))
        gathers = [(a.take, b) for a, b in zip(every.outs + [target], work.outs + [batch_target])]
        plans[size] = (work, gathers, work.backward_stages(params), work.outer_stages(grads), rates / size)
    errors = np.empty(steps + 1)
    snapshots = np.empty((len(kept), theta.size))
    batches = minibatches(examples, batch_size, seed)
    snapshot = 0
    for k in range(steps + 1):
        for a_dot, PT, net, out in forward[:-1]:
            a_dot(PT, net)
            expit(net, out)
        a_dot, PT, net, out = forward[-1]
        a_dot(PT, net)
        if softmax:
            errors[k] = every.softmax_error(target)
        else:
            expit(net, out)
            np.subtract(out, target, every.deltas[-1])
            errors[k] = every.residual.dot(every.residual) * 0.5 / examples
        if k == kept[snapshot]:
            snapshots[snapshot] = theta
            snapshot += 1
        if k == steps:
            break
        rows = next(batches)
        work, gathers, backward, outer, batch_rates = plans[len(rows)]
        for take, batch_rows in gathers:  # the batch's rows of every layer's outputs, and of the target
            take(rows, 0, batch_rows)
        np.subtract(work.outs[-1], gathers[-1][1], work.deltas[-1])  # out - target
        np.subtract(work.one, work.sloped, work.slopes_flat)
        np.multiply(work.slopes_flat, work.sloped, work.slopes_flat)
        if not softmax:
            np.multiply(work.deltas[-1], work.slopes[-1], work.deltas[-1])
        for after_dot, W_next, delta, slope in backward:
            after_dot(W_next, delta)
            np.multiply(delta, slope, delta)
        for left_dot, right, g in outer:
            left_dot(right, g)
        np.multiply(gradient, batch_rates, gradient)  # eta / (rows in the batch): the MEAN over the batch
        np.subtract(theta, gradient, theta)
    return errors, kept, _split(snapshots, shapes)


def snapshot_stride(steps, keep):
    """The smallest stride with which step 0, every stride-th step and the last make at most ``keep``."""
    if isinstance(keep, bool) or not isinstance(keep, int) or keep < 2:
        raise ValueError(
            f"keep must be a whole number of at least 2 (the first and the last step), got {describe(keep)}"
        )
    stride = max(1, -(-steps // (keep - 1)))
    while steps // stride + 1 + (steps % stride != 0) > keep:
        stride += 1
    return stride
