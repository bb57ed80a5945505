"""The usual mistakes of backpropagation by hand, written as wrong formulas.

For each quantity of a training step (see :mod:`course_lib.calculation`),
:func:`usual_mistakes` lists the wrong ways of working it out that learners
(and some textbooks) actually use: a flipped sign, the sigmoid's derivative
left out, ``net`` where ``out`` belongs, the bias forgotten, updated weights
where the old ones belong, the learning rate missing or applied twice, the
1/2 of the error dropped.  Each comes with a sentence that names it.

The self-check evaluates every wrong formula; when one of them gives the
learner's number, that sentence is the feedback.
"""

from .calculation import (
    ErrorSlope,
    HalfSquaredError,
    Negative,
    Product,
    Same,
    Sigmoid,
    SigmoidSlope,
    Sum,
    SumOfProducts,
    Update,
    WeightedSum,
)
from .sigmoid import sigmoid

__all__ = ["usual_mistakes"]


def _net_of(calc, out_key):
    """The net input behind an output (``net_h1`` for ``out_h1``), or None for an input value."""
    q = calc.by_key.get(out_key)
    return q.formula.net if q is not None and isinstance(q.formula, Sigmoid) else None


def _bias_term(calc, formula):
    """A function of the values giving the bias term of a weighted sum (None if it has none)."""
    if formula.plain:
        return lambda v: sum(v[p] for p in formula.plain)
    weight, value = formula.pairs[-1]
    if weight in calc.notation.bias_names():  # the bias weight times its bias input (v11 b1)
        return lambda v: v[weight] * v[value]
    return None


def _weighted_sum_mistakes(calc, key, f):
    bias = _bias_term(calc, f)
    if bias is not None:
        names = " + ".join(f"{w}·{a}" for w, a in f.pairs[-1:]) if not f.plain else f.plain[0]
        yield (f"The bias is left out: {key} also adds {names}.", lambda v: f.evaluate(v) - bias(v))
    nets = {a: _net_of(calc, a) for _, a in f.pairs}
    if any(nets.values()):
        used = ", ".join(a for a, n in nets.items() if n)

        def with_nets(v):
            return sum(v[w] * v[nets[a] or a] for w, a in f.pairs) + sum(v[p] for p in f.plain)

        yield (
            f"You used net where out belongs: {key} is built from the outputs {used} (after the sigmoid).",
            with_nets,
        )


def _sigmoid_mistakes(calc, key, f):
    net = f.net
    yield (f"That is {net} itself: {key} = sigmoid({net}) = 1 / (1 + e^(-{net})).", lambda v: v[net])
    yield (
        f"The sign in the exponent is flipped: sigmoid(z) = 1 / (1 + e^(-z)), so {key} = 1 / (1 + e^(-{net})).",
        lambda v: 1 - sigmoid(v[net]),
    )
    yield (
        f"That is the sigmoid's derivative at {net}; {key} is the sigmoid itself.",
        lambda v: sigmoid(v[net]) * (1 - sigmoid(v[net])),
    )
    weighted = calc.by_key[net].formula
    bias = _bias_term(calc, weighted) if isinstance(weighted, WeightedSum) else None
    if bias is not None:
        yield (f"The bias is left out of {net}.", lambda v: sigmoid(v[net] - bias(v)))


def _half_squared_mistakes(calc, key, f):
    yield (
        f"The 1/2 is dropped: {key} = 1/2 ({f.target} - {f.out})^2.",
        lambda v: (v[f.target] - v[f.out]) ** 2,
    )
    net = _net_of(calc, f.out)
    if net:
        yield (f"You used {net} where {f.out} belongs.", lambda v: 0.5 * (v[f.target] - v[net]) ** 2)


def _sum_mistakes(calc, key, f):
    parts = [calc.by_key[t].formula for t in f.terms]
    if all(isinstance(p, HalfSquaredError) for p in parts):
        yield ("The 1/2 is dropped: each output's error is 1/2 (target - out)^2.", lambda v: 2 * f.evaluate(v))
        for t in f.terms:
            yield (f"{key} is the sum over all the outputs; you have only {t}.", lambda v, t=t: v[t])
    if all(isinstance(p, Product) for p in parts):  # dE/dout_h = the error arriving from each output
        for t in f.terms:
            yield (
                f"{key} collects the error from every neuron it feeds: add all of {', '.join(f.terms)}; "
                f"you have only {t}.",
                lambda v, t=t: v[t],
            )
        pairs = [p.factors for p in parts]
        yield _new_weights(key, pairs)


def _new_weights(key, pairs):
    """The mistake of using the updated weights in backpropagation."""
    names = ", ".join(w for _, w in pairs)

    def with_new(v):
        return sum(v[d] * v[f"{w}_new"] for d, w in pairs)

    return (
        f"You used the updated weights in {key}; backpropagation uses the old ones ({names}) throughout.",
        with_new,
    )


def _error_slope_mistakes(calc, key, f):
    yield (
        f"The sign is flipped: {key} = -({f.target} - {f.out}) = {f.out} - {f.target}. "
        f"({f.target} - {f.out} is the other sign convention, Han & Kamber's Err.)",
        lambda v: v[f.target] - v[f.out],
    )
    yield (
        f"The 1/2 of the error is dropped, so the 2 of the derivative did not cancel: {key} = -({f.target} - {f.out}).",
        lambda v: -2 * (v[f.target] - v[f.out]),
    )
    net = _net_of(calc, f.out)
    if net:
        yield (f"You used {net} where {f.out} belongs.", lambda v: -(v[f.target] - v[net]))


def _sigmoid_slope_mistakes(calc, key, f):
    out = f.out
    net = _net_of(calc, out)
    yield (
        f"You took sigmoid' of {out}; the derivative is sigmoid'({net}) = {out} (1 - {out}). "
        "(One of the course's texts makes this slip too.)",
        lambda v: sigmoid(v[out]) * (1 - sigmoid(v[out])),
    )
    if net:
        yield (f"You used {net} where {out} belongs: {key} = {out} (1 - {out}).", lambda v: v[net] * (1 - v[net]))
    yield (f"The factor (1 - {out}) is missing: {key} = {out} (1 - {out}).", lambda v: v[out])


def _product_mistakes(calc, key, f):
    factors = f.factors
    slopes = [k for k in factors if isinstance(calc.by_key[k].formula, SigmoidSlope)]
    links = [k for k in factors if isinstance(calc.by_key[k].formula, Same)]
    rest = [k for k in factors if k not in slopes]
    if slopes:
        yield (
            f"The sigmoid's derivative factor {slopes[0]} is missing from the chain.",
            lambda v: _product(v, rest),
        )
        if links:
            yield (
                f"You stopped at delta: multiply by {links[0]} too.",
                lambda v: _product(v, [k for k in factors if k not in links]),
            )
    for link in links:
        source = calc.by_key[link].formula.source
        net = _net_of(calc, source)
        if net:
            yield (
                f"You used {net} where {source} belongs: {link} is {source}, the value the weight multiplies.",
                lambda v, link=link, net=net: _product(v, [k for k in factors if k != link]) * v[net],
            )
    if len(factors) == 2 and factors[1] in calc.notation.parameter_names():  # dE_o1/dout_h1 = delta_o1 * w5
        d, w = factors
        yield (f"You used the updated weight {w}_new; {key} uses the old {w}.", lambda v: v[d] * v[f"{w}_new"])
    upstream = calc.by_key[factors[0]].formula
    if isinstance(upstream, (Sum, SumOfProducts)) and upstream.args and len(factors) == 3:
        message, with_new = _hidden_new_weights(calc, factors[0], upstream)
        if with_new is not None:
            yield (message, lambda v: with_new(v) * _product(v, factors[1:]))


def _hidden_new_weights(calc, key, f):
    if isinstance(f, SumOfProducts):
        return _new_weights(key, f.pairs)
    parts = [calc.by_key[t].formula for t in f.terms]
    if all(isinstance(p, Product) and len(p.factors) == 2 for p in parts):
        return _new_weights(key, [p.factors for p in parts])
    return None, None


def _product(v, keys):
    result = 1.0
    for k in keys:
        result *= v[k]
    return result


def _sum_of_products_mistakes(calc, key, f):
    yield _new_weights(key, f.pairs)


def _same_mistakes(calc, key, f):
    net = _net_of(calc, f.source)
    if net:
        yield (f"{key} is {f.source}, the value the weight multiplies, not {net}.", lambda v: v[net])


def _update_mistakes(calc, key, f):
    p, eta, g = f.parameter, f.eta, f.gradient
    yield (
        f"You added {eta}·{g}; gradient descent subtracts it: {key} = {p} - {eta}·{g}. "
        "(Han & Kamber add l·Err·O, which is the same because Err = -delta.)",
        lambda v: v[p] + v[eta] * v[g],
    )
    yield (f"The learning rate is missing: {key} = {p} - {eta}·{g}.", lambda v: v[p] - v[g])
    yield (f"The learning rate is applied twice: {key} = {p} - {eta}·{g}.", lambda v: v[p] - v[eta] ** 2 * v[g])
    yield (
        f"That is the change Δ{p} = -{eta}·{g}; the new value is {p} plus that change.",
        lambda v: -v[eta] * v[g],
    )


def _negative_mistakes(calc, key, f):
    yield (f"{key} is minus {f.source}: the two sign conventions differ only in sign.", lambda v: v[f.source])


_CATALOGUE = {
    WeightedSum: _weighted_sum_mistakes,
    Sigmoid: _sigmoid_mistakes,
    HalfSquaredError: _half_squared_mistakes,
    Sum: _sum_mistakes,
    ErrorSlope: _error_slope_mistakes,
    SigmoidSlope: _sigmoid_slope_mistakes,
    Product: _product_mistakes,
    SumOfProducts: _sum_of_products_mistakes,
    Same: _same_mistakes,
    Update: _update_mistakes,
    Negative: _negative_mistakes,
}


def usual_mistakes(calc, key):
    """The usual wrong ways of working out ``key``: a list of ``(message, function of the values)``.

    The last entry is always the flipped sign, the most common mistake of all.
    """
    q = calc.by_key[key]
    found = list(_CATALOGUE.get(type(q.formula), lambda *a: ())(calc, key, q.formula))
    found.append((_flipped_sign(key, q), _negated(q.formula)))
    return found


def _flipped_sign(key, quantity):
    """What a flipped sign says about ``key``: before the error there is no ``out - target`` to turn round."""
    if isinstance(quantity.formula, Sigmoid):
        return f"The sign is flipped: {key} is a sigmoid, always between 0 and 1, never negative."
    if quantity.stage in ("given", "forward"):
        return (
            f"The sign is flipped: check the sign of each term of {key} "
            "(a negative weight times a positive number is negative)."
        )
    if quantity.stage in ("error", "after"):
        return f"The sign is flipped: {key} is made of squares, never negative."
    return (
        f"The sign is flipped: check which way round each difference goes in {key} (out - target, not "
        "target - out; Han & Kamber's Err is minus delta)."
    )


def _negated(formula):
    return lambda v: -formula.evaluate(v)
