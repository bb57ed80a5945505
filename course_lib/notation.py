"""How each text names the parts of a network: neurons, weights, biases and every quantity.

The library computes with matrices (``weights[l][j, i]``, see
:mod:`course_lib.network`); the texts write ``w5``, ``v21``, ``theta6``,
``net_h1``.  A :class:`Notation` is the dictionary between the two: it knows,
for example, that in the 2-2-2 network ``w5`` is ``weights[1][0, 0]`` (from
``h1`` to ``o1``) and that the net input of ``h1`` is called ``net_h1``.

Quantity names are made from patterns in which ``{}`` stands for a neuron's
name: ``net="net_{}"`` gives ``net_h1``; a pattern without ``{}`` is a fixed
name (the perceptron's net input is just ``z``).
"""

import re

__all__ = [
    "Notation",
    "layered_notation",
    "perceptron_notation",
    "latex_name",
    "html_name",
    "read_parameter",
    "write_parameter",
    "parameter_series",
]


# -- a parameter at its place ------------------------------------------------------------------
# A place is ``(part, layer, index)`` as Notation.locate gives it: ("weights", 1, (0, 0)) is weights[1][0, 0].
# These three are the one home of "read or write the parameter at a place"; everything else calls them.


def _part(parameters, part):
    """``parameters.weights`` (or ``.biases``); for a pair ``(weights, biases)``, its first (or second) item."""
    if hasattr(parameters, "weights") and hasattr(parameters, "biases"):
        return getattr(parameters, part)
    return parameters[0 if part == "weights" else 1]


def read_parameter(parameters, place):
    """The number at ``place`` in anything shaped like a network's parameters, as a float.

    ``parameters`` is a :class:`~course_lib.network.SigmoidNetwork`, its
    :class:`~course_lib.network.Gradients`, any object with ``.weights`` and
    ``.biases``, or a pair ``(weights, biases)`` of lists of arrays.
    """
    part, layer, index = place
    return float(_part(parameters, part)[layer][index])


def write_parameter(parameters, place, number):
    """Write ``number`` at ``place`` in a pair ``(weights, biases)`` of lists of writable arrays."""
    part, layer, index = place
    _part(parameters, part)[layer][index] = number


def parameter_series(history, place):
    """The values of the parameter at ``place`` at the steps a :class:`~course_lib.network.History` kept.

    One value per kept step, in the order of ``history.kept``: the first is
    the value before any step (step 0).  While the history keeps every step
    there are ``steps + 1`` of them, ``series[k]`` after ``k`` steps; a long
    run keeps only every ``stride``-th step and the last, so plot the series
    against ``history.kept``, not against its index.
    """
    part, layer, index = place
    return getattr(history, part)[layer][(slice(None),) + tuple(index)]


class Notation:
    """The names one text gives to a network's neurons, parameters and quantities.

    ``neurons[l]`` lists the names of layer ``l``'s neurons (layer 0 is the
    input).  ``weights[l][j][i]`` names the weight from neuron ``i`` of layer
    ``l`` to neuron ``j`` of layer ``l+1``; ``biases[l][j]`` names the bias
    of neuron ``j`` of layer ``l+1`` (``None``: the network has no biases).
    ``bias_inputs[l][j]``, when given, names the constant input of 1 that the
    bias multiplies (the main text calls it ``b1``, with bias weight ``v11``).
    The name is a key of the calculation (``b1`` is a quantity, always 1, and
    stays accepted as an answer), but the course writes the input itself, 1:
    :meth:`latex` gives ``1`` for it, so that the letter b always means a bias.

    The keyword patterns name the quantities of a training step: ``net``,
    ``out``, ``input`` (an input neuron's value), ``target``, ``error`` (the
    total error), ``error_term`` (one output's share of it), ``d`` (the
    error's name inside a derivative: ``dE/dw5``), ``delta``, ``err`` (Han &
    Kamber's ``Err_j``, which is minus ``delta``), ``eta`` (the learning
    rate).  ``aliases`` pairs a pattern with another name for the same
    quantity, e.g. ``("out_{}", "sig_{}")``.
    """

    def __init__(
        self,
        neurons,
        weights,
        biases=None,
        bias_inputs=None,
        *,
        net="net_{}",
        out="out_{}",
        input="{}",
        target="target_{}",
        error="E_total",
        error_term="E_{}",
        d="E",
        delta="delta_{}",
        err=None,
        eta="eta",
        aliases=(),
    ):
        self.neurons = tuple(tuple(layer) for layer in neurons)
        self.weights = tuple(tuple(tuple(row) for row in layer) for layer in weights)
        self.biases = None if biases is None else tuple(tuple(layer) for layer in biases)
        self.bias_inputs = None if bias_inputs is None else tuple(tuple(layer) for layer in bias_inputs)
        self.patterns = dict(net=net, out=out, input=input, target=target, error_term=error_term, delta=delta, err=err)
        self.error, self.d, self.eta = error, d, eta
        self.aliases = tuple(aliases)
        self._check_shapes()
        self._parameters = {}  # name -> (part, layer, index), in the texts' order
        for l, layer in enumerate(self.weights):
            for i in range(len(self.neurons[l])):
                for j in range(len(self.neurons[l + 1])):
                    self._parameters[layer[j][i]] = ("weights", l, (j, i))
        for l, layer in enumerate(self.biases or ()):
            for j, name in enumerate(layer):
                self._parameters[name] = ("biases", l, (j,))

    def _check_shapes(self):
        sizes = self.sizes
        if len(self.weights) != len(sizes) - 1:
            raise ValueError(f"a notation needs one weight table per layer after the input, got {len(self.weights)}")
        for l, layer in enumerate(self.weights):
            if len(layer) != sizes[l + 1] or any(len(row) != sizes[l] for row in layer):
                raise ValueError(f"weight names of layer {l} must form a {sizes[l + 1]}x{sizes[l]} table")
        for table, what in ((self.biases, "bias"), (self.bias_inputs, "bias input")):
            if table is not None and [len(t) for t in table] != list(sizes[1:]):
                raise ValueError(f"{what} names must list one name per neuron after the input layer")

    @property
    def sizes(self):
        """The number of neurons per layer, e.g. ``(2, 2, 2)``."""
        return tuple(len(layer) for layer in self.neurons)

    @property
    def has_biases(self):
        return self.biases is not None

    # -- parameters -------------------------------------------------------------------

    def parameter_names(self):
        """All parameter names in the text's order: the weights (w1, w2, ...), then the biases."""
        return list(self._parameters)

    def weight_names(self):
        return [name for name, (part, _, _) in self._parameters.items() if part == "weights"]

    def bias_names(self):
        return [name for name, (part, _, _) in self._parameters.items() if part == "biases"]

    def bias_input_names(self):
        """The names of the constant inputs of 1 that the bias weights multiply (``b1, b2, ...``), or []."""
        return [name for layer in self.bias_inputs or () for name in layer]

    def locate(self, name):
        """Return ``(part, layer, index)`` of a parameter, e.g. ``("weights", 1, (0, 0))`` for ``w5``."""
        try:
            return self._parameters[name]
        except KeyError:
            raise KeyError(f"this network has no parameter named {name!r}; it has {self.parameter_names()}") from None

    def value(self, parameters, name):
        """The number called ``name`` (``"w5"``) in a network, its gradients or a pair ``(weights, biases)``."""
        return read_parameter(parameters, self.locate(name))

    def set_value(self, parameters, name, number):
        """Write ``number`` as the parameter ``name`` into a pair ``(weights, biases)`` of writable arrays."""
        write_parameter(parameters, self.locate(name), number)

    def parameter_name(self, part, layer, index):
        """Return the name of ``weights[layer][index]`` or ``biases[layer][index]`` (None if there is none)."""
        if part == "weights":
            return self.weights[layer][index[0]][index[1]]
        return None if self.biases is None else self.biases[layer][index[0]]

    # -- quantities -------------------------------------------------------------------

    def name(self, pattern, neuron):
        """Fill a pattern with a neuron's name: ``name("net", "h1")`` is ``"net_h1"``."""
        return self.patterns[pattern].format(neuron)

    def value_name(self, layer, j):
        """The name of what neuron ``j`` of ``layer`` passes on: an input's value, or a neuron's output."""
        return self.name("input" if layer == 0 else "out", self.neurons[layer][j])

    def latex(self, key):
        """The LaTeX symbol of a quantity in this notation, e.g. ``w_{5}``, ``\\mathrm{net}_{h1}``.

        A bias input is written as what it is, the constant ``1`` (``net_h1 = w1 i1 + w3 i2 + v11 1``):
        the main text's name for it, ``b1``, would read as a bias.  Derivatives name the error in full
        (``dE/dw5`` is the fraction of ``E_{total}`` and ``w_{5}``).
        """
        if key in self.bias_input_names():
            return "1"
        return latex_name(key, {self.d: latex_name(self.error)})

    def alias_pairs(self, key):
        """Other names of the quantity ``key`` (e.g. ``sig_h1`` for ``out_h1``)."""
        found = []
        for pattern, alias in self.aliases:
            if "{}" not in pattern:
                if key == pattern:
                    found.append(alias)
                continue
            regex = "^" + re.escape(pattern).replace(r"\{\}", "(.+)") + "$"
            match = re.match(regex, key)
            if match:
                found.append(alias.format(match.group(1)))
        return found


def layered_notation(sizes, biases=True):
    """The main text's names for a network of any sizes, e.g. ``(2, 2, 2)``.

    Neurons are ``i1, i2, ...`` (inputs), ``h1, h2, ...`` (all hidden layers,
    numbered on), ``o1, o2, ...`` (outputs).  Weights are ``w1, w2, ...``,
    numbered layer by layer and, within a layer, by the neuron they leave
    and then the neuron they enter: in a 2-2-2 network ``w1: i1->h1``,
    ``w2: i1->h2``, ``w3: i2->h1``, ``w4: i2->h2``, ``w5: h1->o1``, ...
    Each neuron after the input has a bias: a bias weight ``v`` numbered by
    layer and neuron (``v11, v12`` for the first layer after the input,
    ``v21, v22`` for the next) times a constant input of 1.  The main text
    names those inputs ``b1, b2, ...``; the course keeps the names as keys
    (``q["b1"]`` is 1) but writes the input as 1 (see :meth:`Notation.latex`).
    """
    sizes = tuple(sizes)
    hidden = iter(range(1, sum(sizes[1:-1]) + 1))
    neurons = [[f"i{k + 1}" for k in range(sizes[0])]]
    neurons += [[f"h{next(hidden)}" for _ in range(n)] for n in sizes[1:-1]]
    neurons += [[f"o{k + 1}" for k in range(sizes[-1])]]
    number = iter(range(1, sum(a * b for a, b in zip(sizes, sizes[1:])) + 1))
    weights = []
    for n_in, n_out in zip(sizes, sizes[1:]):
        table = [[None] * n_in for _ in range(n_out)]
        for i in range(n_in):
            for j in range(n_out):
                table[j][i] = f"w{next(number)}"
        weights.append(table)
    bias_names = bias_inputs = None
    if biases:
        bias_names = [[f"v{l + 1}{j + 1}" for j in range(n)] for l, n in enumerate(sizes[1:])]
        counter = iter(range(1, sum(sizes[1:]) + 1))
        bias_inputs = [[f"b{next(counter)}" for _ in range(n)] for n in sizes[1:]]
    return Notation(neurons, weights, bias_names, bias_inputs, aliases=[("out_{}", "sig_{}")])


def perceptron_notation(inputs=1, bias=True):
    """The perceptron text's names: inputs ``x`` (or ``x1, x2, ...``), weights ``w`` (or ``w1, w2, ...``),
    bias ``b``, weighted sum ``z``, prediction ``y_hat``, target ``y``, cost ``C`` and learning rate ``alpha``.
    """
    suffixes = [""] if inputs == 1 else [str(k + 1) for k in range(inputs)]
    return Notation(
        [[f"x{s}" for s in suffixes], ["y_hat"]],
        [[[f"w{s}" for s in suffixes]]],
        [["b"]] if bias else None,
        net="z",
        out="y_hat",
        target="y",
        error="C",
        error_term="C",
        d="C",
        delta="delta",
        eta="alpha",
        aliases=[("z", "net"), ("y_hat", "out")],
    )


_GREEK = {"alpha", "beta", "eta", "theta", "delta", "sigma"}


def latex_name(key, error_latex=None):
    """Return the LaTeX of a quantity's name: ``w5`` -> ``w_{5}``, ``dE/dw5`` -> a partial-derivative fraction.

    ``error_latex`` maps the error's short name in derivatives (``E``) to its
    full LaTeX (``E_{total}``).
    """
    if "/" in key and key.startswith("d"):
        top, bottom = key.split("/", 1)
        top_latex = (error_latex or {}).get(top[1:], latex_name(top[1:]))
        return rf"\frac{{\partial {top_latex}}}{{\partial {latex_name(bottom[1:])}}}"
    if key.endswith("_new"):
        return latex_name(key[: -len("_new")]) + "^{+}"
    if key == "y_hat":
        return r"\hat{y}"
    base, _, sub = key.partition("_")
    if not sub:
        match = re.fullmatch(r"([A-Za-z]+?)(\d+)", key)
        if match:
            base, sub = match.groups()
    if base in _GREEK:
        base = "\\" + base
    elif len(base) > 1 and base not in {"Err"}:
        base = rf"\mathrm{{{base}}}"
    return f"{base}_{{{sub}}}" if sub else base


def html_name(key):
    """Return a quantity's name as HTML for live read-outs: ``w5`` -> ``w<sub>5</sub>``, ``dE/dw5`` -> ``∂E/∂w...``.

    (LaTeX would need typesetting at every slider move; HTML with subscripts is instant.)
    """
    if "/" in key and key.startswith("d"):
        top, bottom = key.split("/", 1)
        return f"∂{html_name(top[1:])}/∂{html_name(bottom[1:])}"
    if key.endswith("_new"):
        return html_name(key[: -len("_new")]) + "<sup>+</sup>"
    if key == "y_hat":
        return "ŷ"
    base, _, sub = key.partition("_")
    if not sub:
        match = re.fullmatch(r"([A-Za-z]+?)(\d+)", key)
        if match:
            base, sub = match.groups()
    base = {"alpha": "α", "eta": "η", "theta": "θ", "delta": "δ"}.get(base, base)
    return f"{base}<sub>{sub}</sub>" if sub else base
