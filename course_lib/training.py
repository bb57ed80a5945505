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
from .softmax import cross_entropy
from .softmax import softmax as softmax_of

__all__ = ["minibatches", "descend"]

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


def _full_batch(weights, biases, x, target, rates, steps, softmax, kept):
    """Every step on all examples: the fast loop (see the module docstring for its tricks)."""
    batch = x.ndim == 2
    examples = x.shape[0] if batch else 1
    rows = x.shape[:-1]  # () for one example, (examples,) for a data set
    layers = len(weights)
    shapes = [(W.shape[0], W.shape[1] + 1) for W in weights]
    # All parameters in one flat array theta; params[l] is layer l's [W | b], a view into it.
    theta = np.concatenate([np.column_stack([W, b]).ravel() for W, b in zip(weights, biases)])
    params = _views(theta, shapes)
    rates = np.concatenate([r.ravel() for r in rates]) / examples  # the gradient of the MEAN error
    gradient = np.empty_like(theta)
    grads = _views(gradient, shapes)
    # out[0] = [x, 1]; the hidden layers' [out, 1] and the output layer's out share one flat array,
    # and so do their sigmoid slopes out * (1 - out) (for the 1s they are 0, and unused).
    outs = [np.concatenate([x, np.ones(rows + (1,))], axis=-1)]
    out_shapes = [rows + (W.shape[0] + 1,) for W in weights[:-1]] + [rows + (weights[-1].shape[0],)]
    everything = np.ones(sum(int(np.prod(s)) for s in out_shapes))
    outs += _views(everything, out_shapes)
    sloped = everything if not softmax else everything[: everything.size - outs[-1].size]  # softmax: no slope
    slopes_flat = np.empty_like(sloped)
    slopes = [s[..., :-1] for s in _views(slopes_flat, out_shapes[:-1])]
    if not softmax:
        slopes.append(slopes_flat[slopes_flat.size - outs[-1].size :].reshape(out_shapes[-1]))
    nets = [np.empty(rows + (W.shape[0],)) for W in weights]
    deltas = [np.empty_like(n) for n in nets]
    activations = [a[..., :-1] for a in outs[1:-1]] + [outs[-1]]
    residual = deltas[-1].reshape(-1)
    errors = np.empty(steps + 1)
    snapshots = np.empty((len(kept), theta.size))
    # What each stage of a step works on, made once: the views stay valid, all updates are in place.
    # (a.dot(b, out) is np.dot(a, b, out), only called faster; it matters when a step takes microseconds.)
    hidden = [(a.dot, p.T, net, out) for a, p, net, out in zip(outs[:-2], params[:-1], nets[:-1], activations[:-1])]
    last = (outs[-2].dot, params[-1].T, nets[-1], outs[-1])
    backward = [(deltas[l + 1].dot, params[l + 1][:, :-1], deltas[l], slopes[l]) for l in range(layers - 2, -1, -1)]
    # dE/d[W | b] = outer(delta, [out; 1]); for a data set the matrix product also sums over the examples.
    outer = [
        ((d.T if batch else d[:, None]).dot, a if batch else a[None, :], g) for d, a, g in zip(deltas, outs, grads)
    ]
    square = residual.dot
    if softmax:
        largest, total = np.empty(rows + (1,)), np.empty(rows + (1,))
        shifted, per_example = np.empty_like(outs[-1]), np.empty(rows)
    subtract, multiply = np.subtract, np.multiply
    one = np.ones_like(sloped)
    a_last, PT_last, net_last, out_last = last
    output_delta, output_slope = deltas[-1], (None if softmax else slopes[-1])
    snapshot, next_kept = 0, int(kept[0])

    for k in range(steps + 1):
        for a_dot, PT, net, out in hidden:  # forward: net = [W | b] @ [out; 1], out = sigmoid(net)
            a_dot(PT, net)
            expit(net, out)
        net, out = net_last, out_last
        a_last(PT_last, net)
        if k == next_kept:
            snapshots[snapshot] = theta
            snapshot += 1
            next_kept = int(kept[snapshot]) if snapshot < len(kept) else -1
        if softmax:  # out = softmax(net), E = -sum(target * log out), as course_lib.softmax computes them
            np.max(net, axis=-1, keepdims=True, out=largest)
            subtract(net, largest, shifted)
            np.exp(shifted, out)
            np.sum(out, axis=-1, keepdims=True, out=total)
            np.divide(out, total, out)
            subtract(out, target, output_delta)  # the output delta: out - target
            np.log(total, total)
            subtract(shifted, total, shifted)  # log out
            multiply(shifted, target, shifted)
            np.sum(shifted, axis=-1, out=per_example)
            errors[k] = -np.mean(per_example)
        else:
            expit(net, out)
            subtract(out, target, output_delta)  # out - target
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

    Written plainly: a step computes the forward pass of all examples (for the error after the
    step, which the history records), takes the rows of the batch from it, and backpropagates
    those rows only.
    """
    shapes = [(W.shape[0], W.shape[1] + 1) for W in weights]
    params = [np.column_stack([W, b]) for W, b in zip(weights, biases)]
    ones = np.ones((x.shape[0], 1))
    errors = np.empty(steps + 1)
    snapshots = np.empty((len(kept), sum(int(np.prod(s)) for s in shapes)))
    batches = minibatches(x.shape[0], batch_size, seed)
    snapshot = 0
    for k in range(steps + 1):
        outs, net = [x], None  # outs[l]: the outputs of layer l, one row per example
        for l, P in enumerate(params):
            net = np.hstack([outs[-1], ones]) @ P.T
            outs.append(expit(net) if l < len(params) - 1 or not softmax else None)
        if softmax:
            outs[-1] = softmax_of(net)
            errors[k] = np.mean(cross_entropy(net, target))
        else:
            errors[k] = np.mean(0.5 * np.sum((target - outs[-1]) ** 2, axis=-1))
        if k == kept[snapshot]:
            snapshots[snapshot] = np.concatenate([p.ravel() for p in params])
            snapshot += 1
        if k == steps:
            break
        rows = next(batches)
        out = outs[-1][rows]
        delta = out - target[rows] if softmax else (out - target[rows]) * out * (1 - out)
        for l in range(len(params) - 1, -1, -1):
            before = np.hstack([outs[l][rows], ones[rows]])
            gradient = delta.T @ before / len(rows)  # the mean over the batch
            if l > 0:
                a = outs[l][rows]
                delta = (delta @ params[l][:, :-1]) * a * (1 - a)  # from the OLD weights of layer l + 1
            params[l] = params[l] - rates[l] * gradient
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
