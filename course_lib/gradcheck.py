"""Gradient checking: is a backpropagation right? Compare it with centred differences.

The derivative of the error with respect to one parameter ``p`` is, by
definition, the limit of a difference quotient, and a small ``h`` gives a
good estimate::

    dE/dp  ~  (E(p + h) - E(p - h)) / (2h)          (centred difference)

The estimate is slow (two forward passes per parameter) but needs no
calculus, so it is an independent check of the chain rule.  We compare the
two numbers with :func:`relative_error`:

- about 1e-7 or less: the analytic gradient is right (``GOOD``);
- above 1e-5: something is wrong (``PASS`` is the limit of a passing check;
  sigmoid networks have no kinks, so a right gradient always does better);
- above 1e-2: plainly wrong (``WRONG``), e.g. a sign flipped or a factor
  missing.

**Tiny gradients.**  Each value of ``E`` carries a rounding error of about
``eps * |E|`` (``eps`` = 2.2e-16), so the centred difference carries a noise
of about ``eps * |E| / h``, 1e-11 for ``E`` near 1: for a right gradient of
1e-9 that is a 1% relative error, which would look "wrong".  So entries are
compared relative to ``max(|analytic|, |numerical|, floor)``, where the
``floor`` is the noise scaled so that noise alone scores ``GOOD``:
``floor = NOISE * eps * (|E| + sum |target - out|) / h / GOOD`` (about 1e-3
for the course's networks; the sum is there because ``E`` is computed from
the outputs, and its rounding error follows theirs).
Gradients smaller than the floor are compared in absolute terms, which is
all a numerical check can do for them.  A wrong gradient still fails
whenever its mistake is larger than ``PASS * floor`` (about 1e-8), far
below any gradient a course network has.
"""

from dataclasses import dataclass, field
from html import escape

import numpy as np

from ._checks import as_array, as_positive_number, describe
from .network import SigmoidNetwork

__all__ = ["numerical_gradient", "relative_error", "gradient_check", "GradientReport", "GOOD", "PASS", "WRONG"]

GOOD = 1e-7
PASS = 1e-5
WRONG = 1e-2
NOISE = 8  # rounding errors of a forward pass are a few eps each; 8 eps covers the networks of this course
STEPS = (1e-8, 1e-3)  # the steps h for which a gradient check means something (see gradient_check)


def numerical_gradient(f, array, h=1e-5):
    """Estimate the gradient of ``f`` at ``array`` by centred differences.

    ``f`` takes an array shaped like ``array`` and returns a number.  For
    each entry ``k`` we evaluate ``f`` with that entry raised and lowered by
    ``h`` and return ``(f(plus) - f(minus)) / (2h)``.  ``f`` is called with
    a float64 copy of ``array``, changed in one entry at a time, so
    ``array`` itself is never modified.  Returns a float64 array of the same
    shape.
    """
    if not callable(f):
        raise TypeError(f"f must be a function of the array that returns a number, got {describe(f)}")
    work = as_array(array, "the array")  # a float64 copy
    h = as_positive_number(h, "the step h")
    gradient = np.empty_like(work)
    for index in np.ndindex(work.shape):
        value = work[index]
        work[index] = value + h
        plus = _number(f(work))
        work[index] = value - h
        minus = _number(f(work))
        work[index] = value
        gradient[index] = (plus - minus) / (2 * h)
    return gradient


def _number(value):
    """Return what ``f`` returned as a float, or say clearly that it must be a number."""
    try:
        return float(value)
    except (TypeError, ValueError):
        raise TypeError(f"f must return a single number, got {describe(value)}") from None


def relative_error(a, b, floor=0.0):
    """Return ``|a - b| / max(|a|, |b|, floor)``, element by element.

    Two zeros agree perfectly (relative error 0).  Read the result with the
    thresholds of this module: ``GOOD`` (1e-7) or less is right, more than
    ``WRONG`` (1e-2) is wrong.  ``floor`` keeps tiny numbers from making
    rounding noise look large (see the module docstring).
    """
    a = as_array(a, "a")
    b = as_array(b, "b")
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    scale = np.maximum(np.maximum(np.abs(a), np.abs(b)), floor)
    difference = np.abs(a - b)
    with np.errstate(invalid="ignore", divide="ignore"):
        result = np.where(scale > 0, difference / scale, 0.0)
    return result[()]


@dataclass(frozen=True)
class GradientRow:
    """One parameter of a gradient check."""

    name: str
    analytic: float
    numerical: float
    relative_error: float

    @property
    def verdict(self):
        """``"good"``, ``"ok"``, ``"suspicious"`` or ``"wrong"``, from the thresholds of this module."""
        if self.relative_error <= GOOD:
            return "good"
        if self.relative_error <= PASS:
            return "ok"
        return "suspicious" if self.relative_error <= WRONG else "wrong"


@dataclass(frozen=True)
class GradientReport:
    """The result of :func:`gradient_check`: one row per parameter, and a verdict."""

    rows: tuple
    floor: float
    numerical: tuple = field(default=None, repr=False, compare=False)  # the centred differences, layer by layer

    @property
    def max_relative_error(self):
        """The largest relative error of any parameter."""
        return max(row.relative_error for row in self.rows)

    @property
    def passed(self):
        """True when every parameter's relative error is at most ``PASS`` (1e-5)."""
        return self.max_relative_error <= PASS

    def __getitem__(self, name):
        for row in self.rows:
            if row.name == name:
                return row
        raise KeyError(f"no parameter named {name!r}; the names are {[row.name for row in self.rows]}")

    def summary(self):
        """One line: passed or not, the largest relative error, and the worst parameters."""
        wrong = [row.name for row in self.rows if row.relative_error > PASS]
        if not wrong:
            worst = self.max_relative_error
            return f"Gradient check passed: max relative error {worst:.1e} over {len(self.rows)} parameters."
        return (
            f"Gradient check FAILED for {', '.join(wrong)}: max relative error {self.max_relative_error:.1e} "
            f"(right gradients give about {GOOD:.0e})."
        )

    def __str__(self):
        width = max(9, *(len(row.name) for row in self.rows))
        lines = [f"{'parameter':<{width}}  {'analytic':>14}  {'numerical':>14}  {'rel. error':>10}  verdict"]
        for row in self.rows:
            lines.append(
                f"{row.name:<{width}}  {row.analytic:>14.8g}  {row.numerical:>14.8g}  "
                f"{row.relative_error:>10.1e}  {row.verdict}"
            )
        return "\n".join(lines + [self.summary()])

    def __repr__(self):
        return f"<GradientReport passed={self.passed} max_relative_error={self.max_relative_error:.1e}>"

    def _repr_html_(self):
        colours = {"good": "#1a7f37", "ok": "#1a7f37", "suspicious": "#9a6700", "wrong": "#cf222e"}
        rows = "".join(
            f"<tr><td><code>{escape(row.name)}</code></td><td>{row.analytic:.8g}</td><td>{row.numerical:.8g}</td>"
            f"<td>{row.relative_error:.1e}</td>"
            f"<td style='color:{colours[row.verdict]};font-weight:bold'>{row.verdict}</td></tr>"
            for row in self.rows
        )
        return (
            "<table class='course-gradient-check'><thead><tr><th>parameter</th><th>analytic dE/dp</th>"
            f"<th>numerical dE/dp</th><th>relative error</th><th>verdict</th></tr></thead><tbody>{rows}</tbody>"
            f"</table><p><b>{escape(self.summary())}</b></p>"
        )


def _gradient_arrays(grads, network):
    """Return the analytic gradients as two lists of float64 arrays shaped like the parameters."""
    if hasattr(grads, "weights") and hasattr(grads, "biases"):
        weights, biases = grads.weights, grads.biases
    elif isinstance(grads, dict) and {"weights", "biases"} <= set(grads):
        weights, biases = grads["weights"], grads["biases"]
    elif isinstance(grads, (tuple, list)) and len(grads) == 2:
        weights, biases = grads
    else:
        raise TypeError(
            "grads must be shaped like what net.backward returns: an object with .weights and .biases, "
            f"a dict with keys 'weights' and 'biases', or a pair (weights, biases); got {describe(grads)}"
        )
    result = []
    for part, given, parameters in (("weights", weights, network.weights), ("biases", biases, network.biases)):
        if isinstance(given, np.ndarray) or not hasattr(given, "__len__") or len(given) != len(parameters):
            raise ValueError(f"grads.{part} must be a list of {len(parameters)} arrays, one per layer")
        result.append(
            [as_array(g, f"grads.{part}[{l}]", shape=p.shape) for l, (g, p) in enumerate(zip(given, parameters))]
        )
    return result


def _noise_floor(network, x, target, h):
    """The size below which a gradient is compared in absolute terms (see the module docstring).

    ``E`` is computed from the outputs, each rounded to about ``eps``; so a
    value of ``E`` is uncertain by about ``eps * (E + sum |target - out|)``
    (the second term dominates when ``E`` is small), and a centred
    difference by that much divided by ``h``.  (The cross-entropy of a
    softmax output is computed from ``net`` through ``log``, whose rounding
    is of the same size: ``sum |target - out|`` is also the size of its
    gradient with respect to ``net``.)
    """
    output = network.forward(x).output
    rounding = np.finfo(np.float64).eps * (network.error(x, target) + np.mean(np.sum(np.abs(target - output), axis=-1)))
    return NOISE * max(rounding, np.finfo(np.float64).tiny) / h / GOOD


def _default_name(part, l, index):
    return f"{part}[{l}][{', '.join(map(str, index))}]"


def gradient_check(network, x=None, target=None, grads=None, h=1e-5, numerical=None):
    """Compare analytic gradients with centred differences for every parameter.

    ``network`` is a :class:`SigmoidNetwork`, or a course example (from
    :func:`course_lib.networks.get`), whose own ``x`` and ``target`` are
    then used unless given and whose notation names the rows (``w5``,
    ``v21``).  ``grads`` are the gradients to check; by default the
    network's own ``backward``.  Give your own to check YOUR backpropagation:
    anything shaped like ``network.backward(x, target)``, i.e. with
    ``.weights`` and ``.biases``, a dict with those keys, or a pair.

    ``h`` must lie between 1e-8 and 1e-3 (``STEPS``).  Below, the rounding
    noise of ``E`` divided by ``2h`` grows so large that the noise floor hides
    real mistakes (at ``h = 1e-14`` a gradient ten times too large passes);
    above, the centred difference itself is off by ``h**2`` times the third
    derivative, and right gradients start to fail.  The default 1e-5 sits in
    the middle.

    ``numerical``, a report of the same network made before, reuses its
    centred differences (the self-check works them out before it runs a
    learner's code, so that the code cannot change them).

    Returns a :class:`GradientReport`; ``report.passed`` tells the verdict.
    """
    notation = None
    if hasattr(network, "notation") and hasattr(network, "network"):  # a course example
        example = network
        network, notation = example.network, example.notation
        x = example.x if x is None else x
        target = example.target if target is None else target
    if not isinstance(network, SigmoidNetwork):
        raise TypeError(f"network must be a SigmoidNetwork or a course example, got {describe(network)}")
    if x is None or target is None:
        raise TypeError("gradient_check needs the input x and the target (or a course example, which has both)")
    x, target = network._examples(x, target)
    analytic = _gradient_arrays(network.backward(x, target) if grads is None else grads, network)
    h = as_positive_number(h, "the step h")
    if not STEPS[0] <= h <= STEPS[1]:
        raise ValueError(
            f"the step h = {h:g} is {'too small' if h < STEPS[0] else 'too large'} for centred differences: "
            f"use h between {STEPS[0]:g} and {STEPS[1]:g} (the default 1e-5 is best). "
            + (
                "With a smaller h, the rounding errors of E divided by 2h swamp the gradients."
                if h < STEPS[0]
                else "With a larger h, the difference quotient is no longer close to the derivative."
            )
        )
    parameters = [list(network.weights), list(network.biases)]
    if numerical is None:
        floor = _noise_floor(network, x, target, h)
        differences = [[], []]
        for p in range(2):
            for l, array in enumerate(parameters[p]):

                def error_with(value, p=p, l=l):
                    changed = [list(parameters[0]), list(parameters[1])]
                    changed[p][l] = value
                    return SigmoidNetwork(*changed, output=network.output).error(x, target)

                differences[p].append(numerical_gradient(error_with, array, h))
    else:
        if not isinstance(numerical, GradientReport) or numerical.numerical is None:
            raise TypeError(f"numerical must be a GradientReport made by gradient_check, got {describe(numerical)}")
        floor, differences = numerical.floor, numerical.numerical
        if [[a.shape for a in part] for part in differences] != [[a.shape for a in part] for part in parameters]:
            raise ValueError("numerical must come from a gradient check of a network of the same sizes")

    rows = []
    for p, part in enumerate(("weights", "biases")):
        for l, array in enumerate(parameters[p]):
            errors = relative_error(analytic[p][l], differences[p][l], floor)
            for index in np.ndindex(array.shape):
                if notation is not None:
                    name = notation.parameter_name(part, l, index)
                    if name is None:  # a bias the example does not have (it stays 0)
                        continue
                else:
                    name = _default_name(part, l, index)
                rows.append(
                    GradientRow(
                        name,
                        float(analytic[p][l][index]),
                        float(differences[p][l][index]),
                        float(np.asarray(errors)[index]),
                    )
                )
    if notation is not None:  # in the text's order: w1, w2, ..., then the biases
        order = {name: k for k, name in enumerate(notation.parameter_names())}
        rows.sort(key=lambda row: order[row.name])
    numerical_arrays = tuple(tuple(part) for part in differences)
    return GradientReport(tuple(rows), float(floor), numerical_arrays)
