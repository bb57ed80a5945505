"""Show the working: the calculation of a training step in LaTeX, with the numbers substituted.

As the texts do it by hand, each line names a quantity, gives its formula
(and its other forms, e.g. a gradient as three chain-rule links and as delta
times an output), substitutes the numbers and states the result::

    net_h1 = w1 i1 + w3 i2 + v11 1 = 0.15 x 0.05 + 0.2 x 0.1 + 0.35 x 1 = 0.3775

The formulas come from :mod:`course_lib.calculation`, the same ones that
compute the answer key, so the working always agrees with the checked
answers.  Computed numbers are printed to 9 significant figures, like the
published worked examples.
"""

from dataclasses import dataclass

from .calculation import Constant, Given, Same
from .networks import Example

__all__ = ["show_working", "explain", "Working", "latex_number"]

PARTS = ("forward", "error", "backward", "updates")
_STAGES = {"forward": ("forward",), "error": ("error",), "backward": ("backward",), "updates": ("update", "after")}


def latex_number(value, digits=9):
    """Write a number for LaTeX: up to ``digits`` significant figures, powers of ten as ``\\times 10^{k}``."""
    if value == 0:
        return "0"
    text = f"{value:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return text


@dataclass(frozen=True)
class Line:
    """One line of working: ``key = symbolic = numeric = value`` (``symbolic``/``numeric`` may be empty)."""

    key: str
    symbol: str
    symbolic: str
    numeric: str
    value: float


@dataclass(frozen=True)
class Working:
    """Lines of working; renders as LaTeX in a notebook and as plain ``key = value`` lines elsewhere."""

    title: str
    lines: tuple

    @property
    def latex(self):
        """The working as one LaTeX ``aligned`` block."""
        rows = []
        for line in self.lines:
            steps = [s for s in (line.symbolic, line.numeric) if s] + [latex_number(line.value)]
            rows.append(f"{line.symbol} &= " + " = ".join(dict.fromkeys(steps)))
        return "\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}"

    def _repr_latex_(self):
        return f"$${self.latex}$$"

    def __repr__(self):
        return "\n".join([self.title] + [f"{line.key} = {line.value:.9g}" for line in self.lines])

    def __getitem__(self, key):
        for line in self.lines:
            if line.key == key:
                return line
        raise KeyError(f"{key!r} is not in this working; it shows {[line.key for line in self.lines]}")


def _example(example, network):
    if not isinstance(example, Example):
        raise TypeError(f"show the working of a course example (course_lib.networks.get(name)), got {example!r}")
    return example if network is None else example.with_values({}, network=network)


def _lines(example, keys, values=None):
    """Render the quantities ``keys`` of ``example`` as lines, in the order of working.

    ``values`` are the example's quantities, if already computed (by a slider panel, once per state).
    """
    values = example.quantities() if values is None else values
    calc = example.calculation
    symbols = {k: example.latex(k) for k in values}

    def number(key):
        text = latex_number(values[key])
        return f"\\left({text}\\right)" if values[key] < 0 else text

    numbers = {k: number(k) for k in values}
    lines = []
    for q in calc.quantities:
        if q.key not in keys or q.key not in values:
            continue
        # every route the texts take, e.g. dE/dw5 as three chain-rule links and as delta_o1 times out_h1
        symbolic = " = ".join(f.latex(symbols, r" \cdot ") for f in q.formulas())
        numeric = "" if isinstance(q.formula, (Same, Constant)) else q.formula.latex(numbers, r" \times ")
        if q.stage == "after":
            numeric = ""
        lines.append(Line(q.key, symbols[q.key], symbolic, numeric, values[q.key]))
    return lines


def _closure(calc, key, stages):
    """``key`` and every quantity of the given stages that it is computed from (by any route)."""
    found, todo = set(), [key]
    while todo:
        k = todo.pop()
        if k in found:
            continue
        found.add(k)
        todo += [a for f in calc.by_key[k].formulas() for a in f.args if calc.by_key[a].stage in stages]
    return found


def show_working(example, part, name=None, *, network=None, quantities=None):
    """Return the working of one part of a training step of ``example`` (a :class:`Working`).

    ``part`` is ``"forward"`` (every net and out), ``"error"`` (each output's
    error and E_total), ``"backward"`` (with ``name``, e.g. ``"w5"``: every
    chain-rule factor of dE/dw5 and their product; without, the whole
    backward pass) or ``"updates"`` (``w5_new = w5 - eta dE/dw5`` for every
    parameter, then the error after the step).  ``network`` replaces the
    example's own, e.g. a slider panel's current network.  ``quantities``
    are ``example.quantities()``, if already computed (a slider panel
    computes them once for its diagram, read-out and working).
    """
    example = _example(example, network)
    if part not in PARTS:
        raise ValueError(f"part must be one of {', '.join(repr(p) for p in PARTS)}, got {part!r}")
    calc = example.calculation
    stages = _STAGES[part]
    if name is None:
        keys = {q.key for q in calc.quantities if q.stage in stages}
        title = f"{part} of {example.name}"
    else:
        if part != "backward":
            raise ValueError(f"a name is only needed for the backward part, got name={name!r} for {part!r}")
        parameters = example.notation.parameter_names()
        if name not in parameters:
            raise ValueError(f"{name!r} is not a parameter of {example.name}; its parameters are {parameters}")
        keys = _closure(calc, f"d{example.notation.d}/d{name}", stages)
        title = f"backward pass for {name} ({example.name})"
    return Working(title, tuple(_lines(example, keys, quantities)))


def explain(example, key, *, network=None):
    """Return the working of one quantity, e.g. ``"dE/dw1"``: it and what it is built from in its own stage.

    Quantities of earlier stages appear as their numbers.  This is the
    "show me the worked solution" of the self-check.
    """
    example = _example(example, network)
    calc = example.calculation
    canonical = calc.canonical(key)
    if canonical not in calc.by_key:
        raise KeyError(f"{example.name} has no quantity called {key!r}")
    quantity = calc.by_key[canonical]
    if isinstance(quantity.formula, Given):
        return Working(f"{key} is given", tuple(_lines(example, {canonical})))
    return Working(f"working for {key}", tuple(_lines(example, _closure(calc, canonical, {quantity.stage}))))
