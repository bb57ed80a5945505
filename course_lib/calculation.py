"""One training step written out quantity by quantity, as the texts do it by hand.

A :class:`Calculation` is the list of every named quantity of one step of
gradient descent, in the order a learner works them out with pen and paper:
the forward pass (``net_h1``, ``out_h1``, ...), the error (``E_total``), the
backward pass (``dE/dout_o1``, ``delta_o1``, ``dE/dw5``, ...) and the updates
(``w5_new``).  Each quantity carries its :class:`Formula`, which knows the
quantities it is made from, how to evaluate it, and how to write it in
LaTeX, with symbols or with numbers.

This one list serves three purposes, so they can never disagree:

- :meth:`Calculation.evaluate` gives the answer key (``example.quantities()``);
- the worked steps in LaTeX (:mod:`course_lib.working`) print its formulas;
- the self-check (:mod:`course_lib.selfcheck`) re-evaluates the formulas
  with a learner's own earlier answers, to recognise an error carried forward.
"""

from dataclasses import dataclass
from functools import cache

from .sigmoid import sigmoid

__all__ = ["Calculation", "Quantity", "calculation_for"]


# -- formulas ------------------------------------------------------------------------------
# Each formula's ``latex(s, times)`` writes it with ``s[key]`` for every quantity it uses:
# the symbols give "w_5 out_{h1}", numbers give "0.4 \times 0.593".


@dataclass(frozen=True)
class Formula:
    """Base class: a formula reads the quantities named in ``args``."""

    @property
    def args(self):
        return ()

    def evaluate(self, v):
        raise NotImplementedError

    def latex(self, s, times):
        raise NotImplementedError


@dataclass(frozen=True)
class Given(Formula):
    """A number given by the problem: an input, a target, a weight, the learning rate."""

    def latex(self, s, times):
        return ""


@dataclass(frozen=True)
class WeightedSum(Formula):
    """``net = w_a a + w_b b + ... + bias``: ``pairs`` of (weight, value) and ``plain`` terms added as they are."""

    pairs: tuple
    plain: tuple = ()

    @property
    def args(self):
        return tuple(k for pair in self.pairs for k in pair) + self.plain

    def evaluate(self, v):
        return sum(v[w] * v[a] for w, a in self.pairs) + sum(v[p] for p in self.plain)

    def latex(self, s, times):
        return " + ".join([f"{s[w]}{times}{s[a]}" for w, a in self.pairs] + [s[p] for p in self.plain])


@dataclass(frozen=True)
class Sigmoid(Formula):
    """``out = sigmoid(net) = 1 / (1 + e^(-net))``."""

    net: str

    @property
    def args(self):
        return (self.net,)

    def evaluate(self, v):
        return float(sigmoid(v[self.net]))

    def latex(self, s, times):
        return rf"\frac{{1}}{{1 + e^{{-{s[self.net]}}}}}"


@dataclass(frozen=True)
class HalfSquaredError(Formula):
    """``E_o = 1/2 (target - out)^2``: one output's share of the error."""

    target: str
    out: str

    @property
    def args(self):
        return (self.target, self.out)

    def evaluate(self, v):
        return 0.5 * (v[self.target] - v[self.out]) ** 2

    def latex(self, s, times):
        return rf"\tfrac{{1}}{{2}}\left({s[self.target]} - {s[self.out]}\right)^2"


@dataclass(frozen=True)
class Sum(Formula):
    """A sum of other quantities, e.g. ``E_total = E_o1 + E_o2``."""

    terms: tuple

    @property
    def args(self):
        return self.terms

    def evaluate(self, v):
        return sum(v[t] for t in self.terms)

    def latex(self, s, times):
        return " + ".join(s[t] for t in self.terms)


@dataclass(frozen=True)
class ErrorSlope(Formula):
    """``dE/dout = -(target - out)``: how the error changes with an output."""

    target: str
    out: str

    @property
    def args(self):
        return (self.target, self.out)

    def evaluate(self, v):
        return -(v[self.target] - v[self.out])

    def latex(self, s, times):
        return rf"-\left({s[self.target]} - {s[self.out]}\right)"


@dataclass(frozen=True)
class SigmoidSlope(Formula):
    """``dout/dnet = out (1 - out)``: the sigmoid's derivative, written with its output."""

    out: str

    @property
    def args(self):
        return (self.out,)

    def evaluate(self, v):
        return v[self.out] * (1 - v[self.out])

    def latex(self, s, times):
        return rf"{s[self.out]}\left(1 - {s[self.out]}\right)"


@dataclass(frozen=True)
class Product(Formula):
    """A product of other quantities: the chain rule's links multiplied together."""

    factors: tuple

    @property
    def args(self):
        return self.factors

    def evaluate(self, v):
        result = 1.0
        for f in self.factors:
            result *= v[f]
        return result

    def latex(self, s, times):
        return times.join(s[f] for f in self.factors)


@dataclass(frozen=True)
class SumOfProducts(Formula):
    """``dE/dout_h1 = delta_o1 w5 + delta_o2 w6``: the error reaching a hidden neuron from every neuron it feeds."""

    pairs: tuple

    @property
    def args(self):
        return tuple(k for pair in self.pairs for k in pair)

    def evaluate(self, v):
        return sum(v[a] * v[b] for a, b in self.pairs)

    def latex(self, s, times):
        return " + ".join(f"{s[a]}{times}{s[b]}" for a, b in self.pairs)


@dataclass(frozen=True)
class Same(Formula):
    """A quantity equal to another one, e.g. ``dnet_o1/dw5 = out_h1``."""

    source: str

    @property
    def args(self):
        return (self.source,)

    def evaluate(self, v):
        return v[self.source]

    def latex(self, s, times):
        return s[self.source]


@dataclass(frozen=True)
class Constant(Formula):
    """A fixed number, e.g. ``dz/db = 1``."""

    value: float

    def evaluate(self, v):
        return self.value

    def latex(self, s, times):
        return f"{self.value:g}"


@dataclass(frozen=True)
class Negative(Formula):
    """``Err = -delta`` (Han & Kamber's sign convention)."""

    source: str

    @property
    def args(self):
        return (self.source,)

    def evaluate(self, v):
        return -v[self.source]

    def latex(self, s, times):
        return f"-{s[self.source]}"


@dataclass(frozen=True)
class Update(Formula):
    """``p_new = p - eta dE/dp``: one step of gradient descent."""

    parameter: str
    eta: str
    gradient: str

    @property
    def args(self):
        return (self.parameter, self.eta, self.gradient)

    def evaluate(self, v):
        return v[self.parameter] - v[self.eta] * v[self.gradient]

    def latex(self, s, times):
        return f"{s[self.parameter]} - {s[self.eta]}{times}{s[self.gradient]}"


@dataclass(frozen=True)
class ErrOfOutput(Formula):
    """Han & Kamber's ``Err_j = O_j (1 - O_j) (T_j - O_j)`` for an output unit."""

    out: str
    target: str

    @property
    def args(self):
        return (self.out, self.target)

    def evaluate(self, v):
        return v[self.out] * (1 - v[self.out]) * (v[self.target] - v[self.out])

    def latex(self, s, times):
        return rf"{s[self.out]}\left(1 - {s[self.out]}\right)\left({s[self.target]} - {s[self.out]}\right)"


@dataclass(frozen=True)
class ErrOfHidden(Formula):
    """Han & Kamber's ``Err_j = O_j (1 - O_j) sum_k Err_k w_jk`` for a hidden unit."""

    out: str
    pairs: tuple

    @property
    def args(self):
        return (self.out,) + tuple(k for pair in self.pairs for k in pair)

    def evaluate(self, v):
        return v[self.out] * (1 - v[self.out]) * sum(v[e] * v[w] for e, w in self.pairs)

    def latex(self, s, times):
        terms = " + ".join(f"{s[e]}{times}{s[w]}" for e, w in self.pairs)
        return rf"{s[self.out]}\left(1 - {s[self.out]}\right)\left({terms}\right)"


@dataclass(frozen=True)
class UpdateByErr(Formula):
    """Han & Kamber's update ``w_new = w + l Err_j O_i`` (or ``theta_new = theta + l Err_j``)."""

    parameter: str
    eta: str
    err: str
    value: str = None

    @property
    def args(self):
        return (self.parameter, self.eta, self.err) + ((self.value,) if self.value else ())

    def evaluate(self, v):
        return v[self.parameter] + v[self.eta] * v[self.err] * (v[self.value] if self.value else 1.0)

    def latex(self, s, times):
        tail = f"{times}{s[self.value]}" if self.value else ""
        return f"{s[self.parameter]} + {s[self.eta]}{times}{s[self.err]}{tail}"


@dataclass(frozen=True)
class ErrorAfterStep(Formula):
    """The total error of the updated network: a whole new forward pass, computed by the library."""

    new_parameters: tuple

    @property
    def args(self):
        return self.new_parameters

    def evaluate(self, v):
        raise LookupError("the error after the step is computed by the example, not by a formula")

    def latex(self, s, times):
        return r"\text{the forward pass again, with the new weights}"


# -- the calculation ---------------------------------------------------------------------


@dataclass(frozen=True)
class Quantity:
    """One named number of a training step.

    ``key`` is its name in the text's notation (``net_h1``); ``stage`` is
    ``"given"``, ``"forward"``, ``"error"``, ``"backward"``, ``"update"`` or
    ``"after"``; ``neuron`` or ``parameter`` says what it belongs to.
    ``others`` are other ways of working it out (``dE/dw5 = delta_o1 out_h1``
    besides the three chain-rule factors; Han & Kamber's ``Err`` route), so
    that the self-check can follow a learner who takes them.
    """

    key: str
    formula: Formula
    stage: str
    neuron: str = None
    parameter: str = None
    others: tuple = ()  # other routes to the same number, as other texts take them (checked, never shown)

    def formulas(self):
        """The main formula, then the other routes."""
        return (self.formula,) + self.others


class Calculation:
    """Every quantity of one training step of a network, in the order of working."""

    def __init__(self, notation, train_biases=True):
        self.notation = notation
        self.train_biases = train_biases and notation.has_biases
        self.quantities = []
        self._build()
        self.by_key = {q.key: q for q in self.quantities}
        self.position = {q.key: k for k, q in enumerate(self.quantities)}
        self.aliases = {alias: q.key for q in self.quantities for alias in notation.alias_pairs(q.key)}

    def _add(self, key, formula, stage, **about):
        self.quantities.append(Quantity(key, formula, stage, **about))

    def _build(self):
        n = self.notation
        neurons, sizes = n.neurons, n.sizes
        last = len(sizes) - 1
        name = n.name

        # Given: inputs, targets, bias inputs, parameters, learning rate.
        for j, neuron in enumerate(neurons[0]):
            self._add(n.value_name(0, j), Given(), "given", neuron=neuron)
        for neuron in neurons[last]:
            self._add(name("target", neuron), Given(), "given", neuron=neuron)
        for l, layer in enumerate(n.bias_inputs or ()):
            for j, b in enumerate(layer):
                self._add(b, Constant(1.0), "given", neuron=neurons[l + 1][j])
        for p in n.parameter_names():
            self._add(p, Given(), "given", parameter=p)
        self._add(n.eta, Given(), "given")

        # Forward pass: net = sum of weight * value (+ bias), out = sigmoid(net).
        for l in range(1, last + 1):
            for j, neuron in enumerate(neurons[l]):
                pairs = tuple((n.weights[l - 1][j][i], n.value_name(l - 1, i)) for i in range(sizes[l - 1]))
                plain = ()
                if n.has_biases and n.bias_inputs:
                    pairs += ((n.biases[l - 1][j], n.bias_inputs[l - 1][j]),)
                elif n.has_biases:
                    plain = (n.biases[l - 1][j],)
                self._add(name("net", neuron), WeightedSum(pairs, plain), "forward", neuron=neuron)
                self._add(name("out", neuron), Sigmoid(name("net", neuron)), "forward", neuron=neuron)

        # Error: one term per output, then their sum.
        outputs = neurons[last]
        terms = [name("error_term", o) for o in outputs]
        if len(outputs) == 1:
            self._add(n.error, HalfSquaredError(name("target", outputs[0]), name("out", outputs[0])), "error")
        else:
            for o, term in zip(outputs, terms):
                self._add(term, HalfSquaredError(name("target", o), name("out", o)), "error", neuron=o)
            self._add(n.error, Sum(tuple(terms)), "error")

        # Backward pass, output layer first: dE/dout, dout/dnet, delta, then each parameter's gradient.
        d = f"d{n.d}"
        for l in range(last, 0, -1):
            for j, neuron in enumerate(neurons[l]):
                out, net = name("out", neuron), name("net", neuron)
                if l == last:
                    slope = ErrorSlope(name("target", neuron), out)
                else:
                    following = [(k, later) for k, later in enumerate(neurons[l + 1])]
                    if l + 1 == last and len(outputs) > 1:  # the error reaches h from each output separately
                        parts = []
                        for k, later in following:
                            part = f"d{name('error_term', later)}/d{out}"
                            pair = (name("delta", later), n.weights[l][k][j])
                            self._add(part, Product(pair), "backward", neuron=neuron)
                            parts.append(part)
                        slope = Sum(tuple(parts))
                    else:
                        slope = SumOfProducts(
                            tuple((name("delta", later), n.weights[l][k][j]) for k, later in following)
                        )
                self._add(f"{d}/d{out}", slope, "backward", neuron=neuron)
                self._add(f"d{out}/d{net}", SigmoidSlope(out), "backward", neuron=neuron)
                err = name("err", neuron) if n.patterns["err"] else None
                delta = name("delta", neuron)
                others = (Negative(err),) if err else ()
                self._add(delta, Product((f"{d}/d{out}", f"d{out}/d{net}")), "backward", neuron=neuron, others=others)
                if err:
                    if l == last:
                        han = ErrOfOutput(out, name("target", neuron))
                    else:
                        han = ErrOfHidden(
                            out, tuple((name("err", k), n.weights[l][m][j]) for m, k in enumerate(neurons[l + 1]))
                        )
                    self._add(err, Negative(delta), "backward", neuron=neuron, others=(han,))
                for i in range(sizes[l - 1]):
                    self._gradient(n.weights[l - 1][j][i], net, Same(n.value_name(l - 1, i)), neuron, out)
                if n.has_biases:
                    source = Same(n.bias_inputs[l - 1][j]) if n.bias_inputs else Constant(1.0)
                    self._gradient(n.biases[l - 1][j], net, source, neuron, out)

        # Updates: every parameter moves against its gradient, all from the old values.
        trained = n.weight_names() + (n.bias_names() if self.train_biases else [])
        for p in trained:
            others = ()
            if n.patterns["err"]:  # w_new = w + l Err_j O_i, Han & Kamber's way
                part, l, index = n.locate(p)
                err = n.name("err", neurons[l + 1][index[0]])
                others = (UpdateByErr(p, n.eta, err, n.value_name(l, index[1]) if part == "weights" else None),)
            self._add(f"{p}_new", Update(p, n.eta, f"{d}/d{p}"), "update", parameter=p, others=others)
        self._add(f"{n.error}_new", ErrorAfterStep(tuple(f"{p}_new" for p in trained)), "after")

    def _gradient(self, parameter, net, link, neuron, out):
        d = f"d{self.notation.d}"
        self._add(f"d{net}/d{parameter}", link, "backward", neuron=neuron, parameter=parameter)
        chain = (f"{d}/d{out}", f"d{out}/d{net}", f"d{net}/d{parameter}")
        by_delta = Product((self.notation.name("delta", neuron), f"d{net}/d{parameter}"))
        self._add(
            f"{d}/d{parameter}", Product(chain), "backward", neuron=neuron, parameter=parameter, others=(by_delta,)
        )

    def keys(self):
        """The names of all quantities, in the order of working (aliases not included)."""
        return [q.key for q in self.quantities]

    def canonical(self, key):
        """Return the main name of a quantity given by any of its names (``sig_h1`` -> ``out_h1``)."""
        return self.aliases.get(key, key)

    def evaluate(self, given, after=None):
        """Evaluate every quantity from the ``given`` numbers (a dict by name); return a dict in order.

        ``after`` is a function of the dict of new parameter values that
        returns the error after the step (a whole forward pass, which the
        network does); without it, that quantity is left out.
        """
        values = {}
        for q in self.quantities:
            if q.stage == "given" and not isinstance(q.formula, Constant):
                values[q.key] = float(given[q.key])
            elif isinstance(q.formula, ErrorAfterStep):
                if after is not None:
                    values[q.key] = float(after({p[: -len("_new")]: values[p] for p in q.formula.args}))
            else:
                values[q.key] = float(q.formula.evaluate(values))
        return values


@cache
def calculation_for(notation, train_biases=True):
    """Return the (cached) :class:`Calculation` of a notation."""
    return Calculation(notation, train_biases)
