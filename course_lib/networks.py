"""The course's networks, each in the notation of the text it comes from.

``names()`` lists them in course order; ``get(name)`` returns an
:class:`Example`: a network with its input, target and learning rate, its
notation, and ``quantities()``, the answer key of one training step.

To add a network to the course, add one function decorated with
``@course_network`` below: the lessons, exercises, panels and tests pick it
up from here.
"""

from dataclasses import dataclass, field, replace
from functools import cache

import numpy as np

from ._checks import as_array, as_positive_number, describe
from .calculation import calculation_for
from .network import SigmoidNetwork
from .notation import Notation, layered_notation, perceptron_notation

__all__ = ["Example", "names", "get"]


@dataclass(frozen=True, eq=False)
class Example:
    """A course network with everything needed for one worked training step.

    ``network`` (a :class:`SigmoidNetwork`), the input ``x``, the ``target``
    and the learning rate ``eta`` (called ``alpha`` or ``l`` in some texts);
    ``train_biases`` says whether the step updates the biases; ``notation``
    names everything as the ``source`` text does; ``title`` is for headings.
    """

    name: str
    title: str
    source: str
    notation: Notation
    network: SigmoidNetwork
    x: np.ndarray
    target: np.ndarray
    eta: float
    train_biases: bool = True
    description: str = ""
    seed: int = field(default=None, compare=False)  # set for practice problems

    def __post_init__(self):
        net = self.network
        if not isinstance(net, SigmoidNetwork):
            raise TypeError(f"network must be a SigmoidNetwork, got {describe(net)}")
        if net.sizes != self.notation.sizes:
            raise ValueError(f"the network has sizes {net.sizes} but the notation names {self.notation.sizes}")
        x, target = net._examples(self.x, self.target)
        if x.ndim != 1:
            raise ValueError("an example has one input vector x and one target vector, not a data set")
        if not self.notation.has_biases and any(np.any(b != 0) for b in net.biases):
            raise ValueError(f"{self.name} has no biases in its notation, so the network's biases must be 0")
        x.flags.writeable = target.flags.writeable = False  # an example never changes: use with_values
        object.__setattr__(self, "x", x)
        object.__setattr__(self, "target", target)
        object.__setattr__(self, "eta", as_positive_number(self.eta, "the learning rate eta"))
        object.__setattr__(self, "train_biases", bool(self.train_biases and self.notation.has_biases))

    def __eq__(self, other):
        if not isinstance(other, Example):
            return NotImplemented
        return (
            self.notation is other.notation
            and self.network == other.network
            and np.array_equal(self.x, other.x)
            and np.array_equal(self.target, other.target)
            and (self.eta, self.train_biases) == (other.eta, other.train_biases)
        )

    __hash__ = None

    # -- names and values -----------------------------------------------------------------

    @property
    def calculation(self):
        """The quantities of one step in the order of working (see :mod:`course_lib.calculation`)."""
        return calculation_for(self.notation, self.train_biases)

    def given(self, network=None):
        """The numbers given by the problem, by name: inputs, targets, parameters and learning rate."""
        network = self.network if network is None else network
        n = self.notation
        values = {n.value_name(0, j): float(v) for j, v in enumerate(self.x)}
        values |= {n.name("target", o): float(t) for o, t in zip(n.neurons[-1], self.target)}
        for p in n.parameter_names():
            values[p] = n.value(network, p)
        values[n.eta] = self.eta
        return values

    def quantities(self, network=None):
        """Every named quantity of one training step, computed by the library, in the order of working.

        Keys follow the example's notation: ``net_h1``, ``out_h1`` (also
        ``sig_h1``), ``E_total``, ``dE/dout_o1``, ``dout_o1/dnet_o1``,
        ``delta_o1`` (= dE/dnet_o1), ``dnet_o1/dw5``, ``dE/dw5``, ``w5``,
        ``w5_new``, ``E_total_new`` (the error after the step), likewise
        for biases.  ``network`` replaces the example's own (e.g. a slider
        panel's current one).  Aliases are included as keys of their own.
        """
        network = self.network if network is None else network
        if not isinstance(network, SigmoidNetwork) or network.sizes != self.network.sizes:
            raise TypeError(f"network must be a SigmoidNetwork of sizes {self.network.sizes}, got {describe(network)}")
        calc = self.calculation

        def error_after(new_values):
            return self.with_values(new_values, network=network).network.error(self.x, self.target)

        values = calc.evaluate(self.given(network), after=error_after)
        for alias, key in calc.aliases.items():
            values[alias] = values[key]
        return values

    def with_values(self, values, network=None):
        """Return a copy of this example with some numbers changed by name.

        ``values`` maps names to numbers: parameters (``w5``), inputs
        (``i1``), targets (``target_o1``) or the learning rate (``eta``).
        """
        n = self.notation
        network = self.network if network is None else network
        weights = [np.array(w) for w in network.weights]
        biases = [np.array(b) for b in network.biases]
        x, target, eta = self.x.copy(), self.target.copy(), self.eta
        inputs = {n.value_name(0, j): j for j in range(len(x))}
        targets = {n.name("target", o): j for j, o in enumerate(n.neurons[-1])}
        for name, value in dict(values).items():
            key = self.calculation.canonical(name)
            number = float(as_array(value, f"the value of {name}", ndim=0))
            if key in inputs:
                x[inputs[key]] = number
            elif key in targets:
                target[targets[key]] = number
            elif key == n.eta:
                eta = number
            elif key in self.calculation.by_key and key not in n.parameter_names():
                raise KeyError(
                    f"{name} is worked out from the other numbers; set a parameter, input, target or {n.eta}"
                )
            else:
                n.set_value((weights, biases), key, number)
        return replace(self, network=SigmoidNetwork(weights, biases), x=x, target=target, eta=eta)

    def latex(self, key):
        """The LaTeX symbol of a quantity in this example's notation, e.g. ``w_{5}`` (a bias input is ``1``)."""
        return self.notation.latex(key)

    def learning_rates(self, rates, default=None):
        """One learning rate per parameter, by name: ``{"w5": 1.0, "w7": 0.1}``, the others ``default``.

        ``default`` is the example's own ``eta`` unless given (0 freezes every
        parameter not named).  Returns the pair ``(weights, biases)`` of arrays
        shaped like the parameters, which ``network.step`` and ``network.train``
        accept as ``eta``: the main text's "if you care more about one output".
        """
        default = self.eta if default is None else float(as_array(default, "default", ndim=0))
        weights = [np.full(w.shape, default) for w in self.network.weights]
        biases = [np.full(b.shape, default) for b in self.network.biases]
        for name, rate in dict(rates).items():
            number = float(as_array(rate, f"the rate of {name}", ndim=0))
            self.notation.set_value((weights, biases), self.calculation.canonical(name), number)
        return weights, biases

    # -- learning -------------------------------------------------------------------------

    def step(self):
        """Return the example after one step of gradient descent (same input, target, rate)."""
        return replace(self, network=self.network.step(self.x, self.target, self.eta, self.train_biases))

    def train(self, steps, eta=None):
        """Train for ``steps`` steps and return the :class:`~course_lib.network.History`.

        ``eta`` replaces the example's learning rate, e.g. ``example.learning_rates({"w5": 1.0})``.
        """
        return self.network.train(self.x, self.target, self.eta if eta is None else eta, steps, self.train_biases)

    def __repr__(self):
        return f"<Example {self.name!r}: {self.title}, sizes {self.network.sizes}, eta {self.eta:g}>"

    def given_groups(self):
        """The names of the given numbers, by kind: ``[("inputs", ["i1", "i2"]), ("targets", ...), ...]``.

        The kinds are inputs, targets, weights, biases and the learning rate, in that order; a kind the
        network has none of (biases, for the perceptron) comes with an empty list.
        """
        n = self.notation
        return [
            ("inputs", [n.value_name(0, j) for j in range(n.sizes[0])]),
            ("targets", [n.name("target", o) for o in n.neurons[-1]]),
            ("weights", n.weight_names()),
            ("biases", n.bias_names()),
            ("learning rate", [n.eta]),
        ]

    def _repr_html_(self):
        """The given numbers as a table, in the example's notation (what a worksheet gives)."""
        given = self.given()
        rows = "".join(
            f"<tr><th style='text-align:left'>{title}</th>"
            + "".join(f"<td>${self.latex(k)} = {given[k]:g}$</td>" for k in keys)
            + "</tr>"
            for title, keys in self.given_groups()
            if keys
        )
        return f"<p><b>{self.title}</b></p><table class='course-given'>{rows}</table>"


# -- the registry --------------------------------------------------------------------------

_REGISTRY = {}


def course_network(function):
    """Register a function that builds a course network; the registry keeps the course order.

    Each network is built once: examples never change, so every ``get`` can
    hand out the same one (and its notation, which the answer checks rely on).
    """
    _REGISTRY[function.__name__.replace("_", "-")] = cache(function)
    return function


def names():
    """The names of the course's networks, in course order."""
    return list(_REGISTRY)


def get(name):
    """Return the course network called ``name`` (see :func:`names`) as an :class:`Example`."""
    if name not in _REGISTRY:
        raise KeyError(f"there is no course network called {name!r}; the course has {names()}")
    return _REGISTRY[name]()


def from_names(notation, values, train_biases=True, **about):
    """Build an :class:`Example` from numbers given by name, e.g. ``{"w1": 0.15, "i1": 0.05, ...}``.

    Every parameter, input and target must be given, and the learning rate
    under the notation's name (``eta`` or ``alpha``); this is how the course
    networks below are written, so that they read like the texts' tables.
    """
    values = dict(values)
    n = notation
    needed = n.parameter_names() + [n.value_name(0, j) for j in range(n.sizes[0])]
    needed += [n.name("target", o) for o in n.neurons[-1]] + [n.eta]
    missing = [k for k in needed if k not in values]
    extra = [k for k in values if k not in needed]
    if missing or extra:
        raise ValueError(f"numbers missing for {missing}" if missing else f"no quantity is called {extra}")
    weights = [np.zeros((b, a)) for a, b in zip(n.sizes, n.sizes[1:])]
    biases = [np.zeros(b) for b in n.sizes[1:]]
    for p in n.parameter_names():
        n.set_value((weights, biases), p, values[p])
    x = [values[n.value_name(0, j)] for j in range(n.sizes[0])]
    target = [values[n.name("target", o)] for o in n.neurons[-1]]
    return Example(
        notation=n,
        network=SigmoidNetwork(weights, biases),
        x=x,
        target=target,
        eta=values[n.eta],
        train_biases=train_biases,
        **about,
    )


@course_network
def perceptron():
    return from_names(
        perceptron_notation(inputs=1, bias=False),
        {"x": 2.0, "w": 0.3, "y": 1.0, "alpha": 0.5},
        name="perceptron",
        title="A perceptron: one input, one weight",
        source="The perceptron text: forward propagation, the squared error, gradient descent",
        description="z = w x, y_hat = sigmoid(z), C = 1/2 (y_hat - y)^2",
    )


@course_network
def perceptron_bias():
    return from_names(
        perceptron_notation(inputs=1, bias=True),
        {"x": 2.0, "w": 0.3, "b": -0.2, "y": 1.0, "alpha": 0.5},
        name="perceptron-bias",
        title="The bias: a weight on a constant input of 1",
        # "Don't let the bias scare you" is the main text's advice (lesson 02 quotes it); the network is the
        # perceptron text's.
        source="The perceptron text: z = w x + b, a bias b on a constant input of 1",
        description="z = w x + b",
    )


@course_network
def two_inputs():
    return from_names(
        perceptron_notation(inputs=2, bias=True),
        {"x1": 1.0, "x2": 0.5, "w1": 0.4, "w2": -0.6, "b": 0.1, "y": 1.0, "alpha": 0.5},
        name="two-inputs",
        title="Two inputs, one output: the dot product",
        source="The perceptron text: z = w . x + b",
        description="z = w1 x1 + w2 x2 + b",
    )


@course_network
def two_outputs():
    return from_names(
        layered_notation((2, 2), biases=False),
        {"i1": 1.0, "i2": 0.5, "w1": 0.1, "w2": 0.2, "w3": 0.3, "w4": 0.4,
         "target_o1": 1.0, "target_o2": 0.0, "eta": 0.5},
        name="two-outputs",
        title="Two inputs, two outputs: the error is a sum",
        source="The main text: E_total = E_o1 + E_o2",
    )  # fmt: skip


@course_network
def hidden_neuron():
    return from_names(
        layered_notation((1, 1, 1)),
        {"i1": 0.5, "w1": 0.8, "v11": 0.1, "w2": -0.6, "v21": 0.2, "target_o1": 1.0, "eta": 0.5},
        name="hidden-neuron",
        title="A hidden neuron: the chain rule through a layer",
        source="The main text, 1-1-1",
    )


@course_network
def han_kamber():
    units = (("1", "2", "3"), ("4", "5"), ("6",))
    notation = Notation(
        units,
        [[[f"w{i}{j}" for i in units[0]] for j in units[1]], [[f"w{i}{j}" for i in units[1]] for j in units[2]]],
        [[f"theta{j}" for j in units[1]], [f"theta{j}" for j in units[2]]],
        net="I{}",
        out="O{}",
        input="x{}",
        target="T{}",
        delta="delta{}",
        err="Err{}",
        aliases=[("I{}", "net{}"), ("O{}", "a{}")],
    )
    return from_names(
        notation,
        {"x1": 1, "x2": 0, "x3": 1,
         "w14": 0.2, "w15": -0.3, "w24": 0.4, "w25": 0.1, "w34": -0.5, "w35": 0.2, "w46": -0.3, "w56": -0.2,
         "theta4": -0.4, "theta5": 0.2, "theta6": 0.1, "T6": 1, "eta": 0.9},
        name="han-kamber",
        title="The 3-2-1 worked example (learning rate 0.9)",
        source="Han, Kamber & Pei, Data Mining: Concepts and Techniques, backpropagation example",
        description="Units 1-6; Err_j = O_j (1 - O_j)(T_j - O_j) is minus delta_j; w_new = w + l Err_j O_i",
    )  # fmt: skip


@course_network
def mazur():
    return from_names(
        layered_notation((2, 2, 2)),
        {"i1": 0.05, "i2": 0.10, "target_o1": 0.01, "target_o2": 0.99,
         # Mazur's weights by the neurons they connect; his w2 and w3 (and w6 and w7) swap names here.
         "w1": 0.15, "w2": 0.25, "w3": 0.20, "w4": 0.30, "w5": 0.40, "w6": 0.50, "w7": 0.45, "w8": 0.55,
         "v11": 0.35, "v12": 0.35, "v21": 0.60, "v22": 0.60, "eta": 0.5},
        name="mazur",
        title="The 2-2-2 network (Mazur's numbers)",
        source="The main text's 2-2-2 network with the numbers of Matt Mazur, "
        "\u201cA Step by Step Backpropagation Example\u201d (2015)",
    )  # fmt: skip


@course_network
def wider():
    return from_names(
        layered_notation((2, 3, 2)),
        {"i1": 0.2, "i2": 0.6, "target_o1": 1.0, "target_o2": 0.0,
         "w1": 0.1, "w2": -0.2, "w3": 0.3, "w4": 0.4, "w5": 0.5, "w6": -0.6,
         "w7": 0.7, "w8": -0.3, "w9": 0.2, "w10": 0.6, "w11": -0.5, "w12": 0.4,
         "v11": 0.1, "v12": 0.1, "v13": 0.1, "v21": 0.2, "v22": 0.2, "eta": 0.5},
        name="wider",
        title="One more for fun: a wider network, 2-3-2",
        source="Our reconstruction of the main text\u2019s \u201cone more for fun\u201d (its picture was lost)",
    )  # fmt: skip


@course_network
def four_layers():
    return from_names(
        layered_notation((2, 2, 2, 2)),
        {"i1": 0.1, "i2": 0.9, "target_o1": 0.0, "target_o2": 1.0,
         "w1": 0.2, "w2": -0.1, "w3": 0.4, "w4": 0.3,
         "w5": 0.5, "w6": -0.4, "w7": 0.6, "w8": 0.2,
         "w9": -0.3, "w10": 0.7, "w11": 0.1, "w12": 0.8,
         "v11": 0.1, "v12": 0.1, "v21": 0.2, "v22": 0.2, "v31": 0.3, "v32": 0.3, "eta": 0.5},
        name="four-layers",
        title="Four layers: two hidden layers, 2-2-2-2",
        source="The main text: \u201conce you can do four layers you can do any number\u201d",
    )  # fmt: skip
