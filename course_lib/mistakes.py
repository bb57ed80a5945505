"""The usual mistakes of backpropagation by hand (and in code), each with a stable name and its message.

Every mistake the self-check can recognise is a :class:`Mistake`, defined
once below: a stable kebab-case identifier (``"update-sign"``), a human
title (for a room dashboard counting what a class gets wrong) and its
message, with ``{names}`` filled in from the quantity at hand.  The
registry :data:`MISTAKES` holds them all by identifier; ``Feedback.mistake``
and ``CodeCheck.mistake`` of :mod:`course_lib.selfcheck` carry these
identifiers.  (A few messages quote what the learner typed, a name or a
value: those are written where it is read, in :mod:`course_lib.selfcheck.names`,
:mod:`~course_lib.selfcheck.reading` and :mod:`~course_lib.selfcheck.code`, and
their template here is just ``{message}``; their identifier and title are here.)

For a quantity of a training step (see :mod:`course_lib.calculation`),
:func:`usual_mistakes` lists the wrong ways of working it out that learners
(and some textbooks) actually use, as wrong formulas: a flipped sign, the
sigmoid's derivative left out, ``net`` where ``out`` belongs, the bias
forgotten, updated weights where the old ones belong, the learning rate
missing or applied twice, the 1/2 of the error dropped, one path of several.
The self-check evaluates every wrong formula; when one of them gives the
learner's number, that mistake is the feedback.
"""

from dataclasses import dataclass

from .calculation import (
    ErrorAfterStep,
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

__all__ = ["Mistake", "MISTAKES", "title", "usual_mistakes"]


@dataclass(frozen=True)
class Mistake:
    """A recognisable mistake: ``id`` (stable, kebab-case), ``title`` (for people) and ``message`` (a template).

    ``message`` may have variants by name (a dict), for the places the same
    mistake shows: ``say(variant, **names)`` fills one in.
    """

    id: str
    title: str
    message: object

    def say(self, variant=None, **names):
        template = self.message if variant is None else self.message[variant]
        return template.format(**names)


MISTAKES = {}


def _define(id, title, message):
    if id in MISTAKES:
        raise ValueError(f"the mistake {id!r} is defined twice")
    MISTAKES[id] = Mistake(id, title, message)
    return MISTAKES[id]


def title(mistake_id):
    """The human title of a mistake identifier (the identifier itself if it is unknown)."""
    return MISTAKES[mistake_id].title if mistake_id in MISTAKES else str(mistake_id)


# -- the catalogue: every identifier, once, with its message -------------------------------

# The forward pass
BIAS_LEFT_OUT = _define(
    "bias-left-out",
    "Bias left out",
    {
        "sum": "The bias is left out: {key} also adds {bias}.",
        "code": "The biases are left out: a layer is net = W @ out_previous + b.",
        "batch": "They are the outputs without the biases: add b to every row of A @ W.T.",
    },
)
NET_FOR_OUT = _define(
    "net-for-out",
    "net used where out belongs",
    {
        "sum": "You used net where out belongs: {key} is built from the outputs {outs} (after the sigmoid).",
        "value": "You used {net} where {out} belongs.",
        "slope": "You used {net} where {out} belongs: {key} = {out} (1 - {out}).",
        "link": "You used {net} where {source} belongs: {link} is {source}, the value the weight multiplies.",
        "same": "{key} is {source}, the value the weight multiplies, not {net}.",
    },
)
SIGMOID_NOT_APPLIED = _define(
    "sigmoid-not-applied",
    "Sigmoid not applied",
    {
        "value": "That is {net} itself: {key} = sigmoid({net}) = 1 / (1 + e^(-{net})).",
        "code": "Those are the last layer's net inputs: apply the sigmoid to them too.",
    },
)
SIGMOID_EXPONENT_SIGN = _define(
    "sigmoid-exponent-sign",
    "Sign in the sigmoid's exponent flipped",
    "The sign in the exponent is flipped: sigmoid(z) = 1 / (1 + e^(-z)), so {key} = 1 / (1 + e^(-{net})).",
)
SLOPE_FOR_SIGMOID = _define(
    "slope-for-sigmoid",
    "The sigmoid's derivative where the sigmoid belongs",
    "That is the sigmoid's derivative at {net}; {key} is the sigmoid itself.",
)
SIGN = _define(
    "sign-flipped",
    "Sign flipped",
    {
        "sigmoid": "The sign is flipped: {key} is a sigmoid, always between 0 and 1, never negative.",
        "forward": "The sign is flipped: check the sign of each term of {key} "
        "(a negative weight times a positive number is negative).",
        "error": "The sign is flipped: {key} is made of squares, never negative.",
        "backward": "The sign is flipped: check which way round each difference goes in {key} (out - target, not "
        "target - out; Han & Kamber's Err is minus delta).",
    },
)
# The error
HALF_DROPPED = _define(
    "half-dropped",
    "The 1/2 of the error dropped",
    {
        "term": "The 1/2 is dropped: {key} = 1/2 ({target} - {out})^2.",
        "total": "The 1/2 is dropped: each output's error is 1/2 (target - out)^2.",
        "slope": "The 1/2 of the error is dropped, so the 2 of the derivative did not cancel: "
        "{key} = -({target} - {out}).",
    },
)
ONE_OUTPUT = _define(
    "one-output", "Only one output's error", "{key} is the sum over all the outputs; you have only {term}."
)
# The backward pass
ERROR_SLOPE_SIGN = _define(
    "error-slope-sign",
    "out - target turned round",
    "The sign is flipped: {key} = -({target} - {out}) = {out} - {target}. "
    "({target} - {out} is the other sign convention, Han & Kamber's Err.)",
)
SIGMOID_OF_OUT = _define(
    "sigmoid-of-out",
    "sigmoid' of out instead of net",
    "You took sigmoid' of {out}; the derivative is sigmoid'({net}) = {out} (1 - {out}). "
    "(One of the course's texts makes this slip too.)",
)
FACTOR_MISSING = _define(
    "slope-factor-missing",
    "A factor of out (1 - out) missing",
    "The factor (1 - {out}) is missing: {key} = {out} (1 - {out}).",
)
SLOPE_MISSING = _define(
    "sigmoid-slope-missing",
    "The sigmoid's derivative missing from the chain",
    "The sigmoid's derivative factor {slope} is missing from the chain.",
)
STOPPED_AT_DELTA = _define("stopped-at-delta", "Stopped at delta", "You stopped at delta: multiply by {link} too.")
ONE_PATH = _define(
    "one-path",
    "Only one path back to a hidden neuron",
    "{key} collects the error from every neuron it feeds: add all of {terms}; you have only {term}.",
)
NEW_WEIGHTS = _define(
    "new-weights",
    "Updated weights used in backpropagation",
    {
        "sum": "You used the updated weights in {key}; backpropagation uses the old ones ({weights}) throughout.",
        "one": "You used the updated weight {w}_new; {key} uses the old {w}.",
    },
)
ERR_SIGN = _define(
    "err-sign",
    "Err with the wrong sign (Err is minus delta)",
    {
        "output": "The sign is flipped: {key} = -{source} (Han & Kamber's Err is minus the main text's delta), so "
        "{key} is target - out times the slope, not out - target.",
        # the 3-2-1 retelling prints Err5 = +0.00653: the size is right, the minus sign of w56 is dropped
        "hidden": "The sign is flipped: {key} = -{source} (Han & Kamber's Err is minus the main text's delta). "
        "Worked as Han & Kamber do, {key} is the slope times the sum of weight times Err over the units it feeds: "
        "keep each weight's sign (the 3-2-1 retelling, for one, drops the minus of w56 when it prints Err5 = "
        "+0.00653).",
    },
)
# The update
UPDATE_SIGN = _define(
    "update-sign",
    "Step added instead of subtracted",
    "You added {eta}·{g}; gradient descent subtracts it: {key} = {p} - {eta}·{g}. "
    "(Han & Kamber add l·Err·O, which is the same because Err = -delta.)",
)
LEARNING_RATE = _define(
    "learning-rate",
    "Wrong learning rate",
    {
        "missing": "The learning rate is missing: {key} = {p} - {eta}·{g}.",
        "twice": "The learning rate is applied twice: {key} = {p} - {eta}·{g}.",
        "other": "Your step is the one of a learning rate of {rate}, but this network's {eta} is {value}: "
        "{key} = {p} - {eta}·{g}.",
    },
)
STEP_SIZE = _define(
    "step-size",
    "Step ten times too large or too small",
    "Your step is {factor} times the right one: check the decimal point of {eta}·{g} ({key} = {p} - {eta}·{g}).",
)
CHANGE_ONLY = _define(
    "change-only",
    "The change written instead of the new value",
    "That is the change Δ{p} = -{eta}·{g}; the new value is {p} plus that change.",
)
ERROR_BEFORE_STEP = _define(
    "error-before-step",
    "The error before the step",
    "That is {error}, the error before the step; {key} is the error of a new forward pass with the new weights.",
)
# Names, notation and rounding
DECIMAL_POINT = _define(
    "decimal-point",
    "Decimal point slipped",
    "Your number is {factor} times the right size: check the decimal point (and the zeros after it).",
)
OUT_OF_SIZE = _define(
    "out-of-size",
    "A number of quite the wrong size",
    "{text} is {times} the right size: check the exponent (e-5 means 0.00001...) or the zeros after the point.",
)
LAST_DIGIT = _define(
    "last-digit",
    "The last digit off",
    "Close: {text} is right to {figures} significant figures, but not to the {place} you wrote; work that "
    "digit out again (or write only the digits you are sure of).",
)
MAZUR_NAMING = _define(
    "mazur-naming",
    "Weights numbered as in Mazur's post",
    "That is {other} in this course's names: you numbered the weights by the neuron they enter, as Mazur's post "
    "does (his {theirs} is the course's {ours}); the course numbers them by the neuron they leave.",
)
MAZUR_BIAS_NAMING = _define(
    "mazur-bias-naming",
    "Biases named as in Mazur's post",
    "In this course {key} is the constant input of a bias, so {key} = 1; the bias is its weight, {weight}. "
    "Mazur's post writes b1 and b2 for the biases of the hidden and the output layer (one value each, shared by "
    "the layer's neurons): in this course's names they are {layers}.",
)
HAN_KAMBER_NAMING = _define("han-kamber-naming", "Han & Kamber's Err for delta", "{message}")
OTHER_NOTATION = _define("other-notation", "Another text's name", "{message}")
UNKNOWN_NAME = _define("unknown-name", "A name the network does not have", "{message}")
ROUNDED_EARLY = _define(
    "rounded-early",
    "Rounded too early",
    "That is what you get with {source} rounded to {figures} along the way: keep at least 3 significant "
    "figures in every number you carry on.",
)
CARRIED = _define(
    "upstream",
    "A mistake in an earlier step that was not typed in",
    "It looks like {source} went wrong on the way: {message}",
)
# Typing an answer
NOT_A_NUMBER = _define("not-a-number", "Not a number", "{message}")
DECIMAL_COMMA = _define("decimal-comma", "Decimal comma", "{message}")
NOT_ONE_NUMBER = _define("not-one-number", "A list or an array instead of one number", "{message}")
NOT_FINITE = _define("not-finite", "NaN or infinity", "{message}")
OUT_OF_RANGE = _define("out-of-range", "A number far out of range", "{message}")
# Code: a learner's forward and backward functions
RETURNED_NONE = _define(
    "returned-none",
    "The function returns nothing",
    "Your {function} returned None: did you forget the `return` at the end?",
)
ALL_LAYERS = _define(
    "all-layers",
    "Every layer returned instead of the output",
    "Your forward returned {count} arrays, one per layer (the last one looks like the output): return only the "
    "output of the last layer, e.g. outs[-1].",
)
WRONG_SHAPE = _define("wrong-shape", "Wrong shape or form", "{message}")
NOT_NUMBERS = _define("not-numbers", "Not numbers", "{message}")
NAN = _define(
    "nan",
    "NaN in the result",
    "Your {what} contain NaN (not a number): a 0/0, an overflow, or an array used before it was filled?",
)
TRANSPOSED_GRADIENT = _define(
    "transposed-gradient",
    "A transposed weight gradient",
    {
        "one": "Your gradient for weights[{layer}] is transposed: dE/dW[j, i] is delta_j times out_i of the layer "
        "before, so it is np.outer(delta, out_previous), shaped like weights[{layer}] {shape}.",
        "batch": "Your weight gradient of layer {layer} is transposed: dE/dW = Delta.T @ A / m (one row per neuron "
        "the weights enter), not A.T @ Delta, shaped like network.weights[{layer}] {shape}.",
    },
)
TRANSPOSED_WEIGHTS = _define(
    "transposed-weights",
    "A weight matrix used the wrong way round",
    {
        "backward": "Your hidden-layer gradients are what W @ delta gives; the error goes back through the "
        "transposed matrix: delta_previous = (W.T @ delta) * out (1 - out).",
        "forward": "You multiplied by W.T; a layer is net = W @ out_previous + b, with W[j, i] the weight from "
        "neuron i to neuron j.",
    },
)
GRADIENT_SIGN = _define(
    "gradient-sign",
    "Every gradient with the wrong sign",
    "Every gradient has the wrong sign: the output delta is (out - target) * out (1 - out), not (target - out) ...",
)
OUTPUT_SLOPE_MISSING = _define(
    "output-slope-missing",
    "The sigmoid's derivative missing from the output delta",
    {
        "one": "The output delta lacks the sigmoid's derivative: delta = (out - target) * out * (1 - out).",
        "batch": "Your output delta is out - target, the softmax's; these outputs are sigmoids with the squared "
        "error, so multiply by their slope out * (1 - out).",
    },
)
# Code on a batch: one row per example (lesson 10's exercise, course_lib.selfcheck.batch)
BATCH_SUM = _define(
    "batch-sum",
    "The sum over the examples instead of the mean",
    "Your gradients are {m} times too large: they are the SUM over the {m} examples. The error of a batch is the "
    "mean of the examples' errors, so its gradient is the mean of theirs: divide by {m}.",
)
BATCH_FIRST_EXAMPLE = _define(
    "batch-first-example",
    "The first example only",
    "Your gradients are those of the first example alone: a batch's gradient is the mean over all its examples "
    "(the rows of X), which the matrix product Delta.T @ A adds up for you.",
)
SOFTMAX_SLOPE_KEPT = _define(
    "softmax-slope-kept",
    "The sigmoid's slope kept at a softmax output",
    "At a softmax output with the cross-entropy the output delta is out - target, with no sigmoid slope: the "
    "softmax's slopes and the logarithm's cancel (lesson 10, section 6).",
)
EXAMPLES_IN_COLUMNS = _define(
    "examples-in-columns",
    "The examples in the columns, not the rows",
    "Your outputs have shape {shape}, one column per example; the course puts the examples in the rows: shape "
    "{expected}. With A of shape (examples, inputs), a layer is A @ W.T + b.",
)
OUTPUT_LAYER_KIND = _define(
    "output-layer-kind",
    "The wrong kind of output layer (sigmoid for softmax, or softmax for sigmoid)",
    {
        "softmax": "They are the sigmoids of the output layer's net inputs, but this network's output layer is a "
        "softmax: out = exp(net) / (the sum of exp(net) over the layer's neurons), one row per example "
        "(lesson 10, section 6).",
        "sigmoid": "They are a softmax of the output layer's net inputs, but this network's output layer is "
        "sigmoid, like its hidden layers: out = sigmoid(net), each neuron on its own.",
    },
)
BIAS_GRADIENT_PER_EXAMPLE = _define(
    "bias-gradient-per-example",
    "A bias gradient per example instead of their mean",
    "Your bias gradient of layer {layer} has one row per example, shape {shape}: a batch's gradient is the mean "
    "over the examples, shape {expected}.",
)
FUNCTION_ERROR = _define("function-error", "The function stops with an error", "{message}")
TIME_LIMIT = _define(
    "time-limit",
    "The function runs too long",
    "Your {function} was stopped after {seconds:g} s: is there a loop that never ends?",
)
SYSTEM_EXIT = _define(
    "system-exit",
    "The function exits",
    "Your {function} called exit() (SystemExit): a function hands its result back with return instead.",
)
CHANGED_COURSE = _define(
    "changed-course-network",
    "The function changes the course's network",
    "Your {function} changed the course's own network; it has been put back. A forward or backward pass only "
    "reads the weights.",
)


# -- wrong formulas for each kind of quantity ------------------------------------------------


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
        # the main text's constant bias input is written as what it is, 1 (v11·1, never v11·b1)
        constant = set(calc.notation.bias_input_names())
        names = " + ".join(f"{w}·{1 if a in constant else a}" for w, a in f.pairs[-1:]) if not f.plain else f.plain[0]
        yield BIAS_LEFT_OUT, BIAS_LEFT_OUT.say("sum", key=key, bias=names), lambda v: f.evaluate(v) - bias(v)
    nets = {a: _net_of(calc, a) for _, a in f.pairs}
    if any(nets.values()):
        used = ", ".join(a for a, n in nets.items() if n)

        def with_nets(v):
            return sum(v[w] * v[nets[a] or a] for w, a in f.pairs) + sum(v[p] for p in f.plain)

        yield NET_FOR_OUT, NET_FOR_OUT.say("sum", key=key, outs=used), with_nets


def _sigmoid_mistakes(calc, key, f):
    net = f.net
    yield SIGMOID_NOT_APPLIED, SIGMOID_NOT_APPLIED.say("value", key=key, net=net), lambda v: v[net]
    yield SIGMOID_EXPONENT_SIGN, SIGMOID_EXPONENT_SIGN.say(key=key, net=net), lambda v: 1 - sigmoid(v[net])
    yield SLOPE_FOR_SIGMOID, SLOPE_FOR_SIGMOID.say(key=key, net=net), lambda v: sigmoid(v[net]) * (1 - sigmoid(v[net]))


def _half_squared_mistakes(calc, key, f):
    yield (
        HALF_DROPPED,
        HALF_DROPPED.say("term", key=key, target=f.target, out=f.out),
        lambda v: (v[f.target] - v[f.out]) ** 2,
    )
    net = _net_of(calc, f.out)
    if net:
        yield NET_FOR_OUT, NET_FOR_OUT.say("value", net=net, out=f.out), lambda v: 0.5 * (v[f.target] - v[net]) ** 2


def _sum_mistakes(calc, key, f):
    parts = [calc.by_key[t].formula for t in f.terms]
    if all(isinstance(p, HalfSquaredError) for p in parts):
        yield HALF_DROPPED, HALF_DROPPED.say("total"), lambda v: 2 * f.evaluate(v)
        for t in f.terms:
            yield ONE_OUTPUT, ONE_OUTPUT.say(key=key, term=t), lambda v, t=t: v[t]
    if all(isinstance(p, Product) for p in parts):  # dE/dout_h = the error arriving from each output
        for t in f.terms:
            yield ONE_PATH, ONE_PATH.say(key=key, terms=", ".join(f.terms), term=t), lambda v, t=t: v[t]
        yield _new_weights(key, [p.factors for p in parts])


def _new_weights(key, pairs):
    """The mistake of using the updated weights in backpropagation."""

    def with_new(v):
        return sum(v[d] * v[f"{w}_new"] for d, w in pairs)

    return NEW_WEIGHTS, NEW_WEIGHTS.say("sum", key=key, weights=", ".join(w for _, w in pairs)), with_new


def _error_slope_mistakes(calc, key, f):
    yield (
        ERROR_SLOPE_SIGN,
        ERROR_SLOPE_SIGN.say(key=key, target=f.target, out=f.out),
        lambda v: v[f.target] - v[f.out],
    )
    yield (
        HALF_DROPPED,
        HALF_DROPPED.say("slope", key=key, target=f.target, out=f.out),
        lambda v: -2 * (v[f.target] - v[f.out]),
    )
    net = _net_of(calc, f.out)
    if net:
        yield NET_FOR_OUT, NET_FOR_OUT.say("value", net=net, out=f.out), lambda v: -(v[f.target] - v[net])


def _sigmoid_slope_mistakes(calc, key, f):
    out = f.out
    net = _net_of(calc, out)
    yield SIGMOID_OF_OUT, SIGMOID_OF_OUT.say(out=out, net=net), lambda v: sigmoid(v[out]) * (1 - sigmoid(v[out]))
    if net:
        yield NET_FOR_OUT, NET_FOR_OUT.say("slope", key=key, net=net, out=out), lambda v: v[net] * (1 - v[net])
    yield FACTOR_MISSING, FACTOR_MISSING.say(key=key, out=out), lambda v: v[out]


def _product_mistakes(calc, key, f):
    factors = f.factors
    slopes = [k for k in factors if isinstance(calc.by_key[k].formula, SigmoidSlope)]
    links = [k for k in factors if isinstance(calc.by_key[k].formula, Same)]
    rest = [k for k in factors if k not in slopes]
    if slopes:
        yield SLOPE_MISSING, SLOPE_MISSING.say(slope=slopes[0]), lambda v: _product(v, rest)
        if links:
            yield (
                STOPPED_AT_DELTA,
                STOPPED_AT_DELTA.say(link=links[0]),
                lambda v: _product(v, [k for k in factors if k not in links]),
            )
    for link in links:
        source = calc.by_key[link].formula.source
        net = _net_of(calc, source)
        if net:
            yield (
                NET_FOR_OUT,
                NET_FOR_OUT.say("link", net=net, source=source, link=link),
                lambda v, link=link, net=net: _product(v, [k for k in factors if k != link]) * v[net],
            )
    if len(factors) == 2 and factors[1] in calc.notation.parameter_names():  # dE_o1/dout_h1 = delta_o1 * w5
        d, w = factors
        yield NEW_WEIGHTS, NEW_WEIGHTS.say("one", w=w, key=key), lambda v: v[d] * v[f"{w}_new"]


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
        yield NET_FOR_OUT, NET_FOR_OUT.say("same", key=key, source=f.source, net=net), lambda v: v[net]


def _update_mistakes(calc, key, f):
    p, eta, g = f.parameter, f.eta, f.gradient
    names = dict(key=key, p=p, eta=eta, g=g)
    yield UPDATE_SIGN, UPDATE_SIGN.say(**names), lambda v: v[p] + v[eta] * v[g]
    yield LEARNING_RATE, LEARNING_RATE.say("missing", **names), lambda v: v[p] - v[g]
    yield LEARNING_RATE, LEARNING_RATE.say("twice", **names), lambda v: v[p] - v[eta] ** 2 * v[g]
    yield CHANGE_ONLY, CHANGE_ONLY.say(**names), lambda v: -v[eta] * v[g]
    for factor in (10, 0.1):
        yield STEP_SIZE, STEP_SIZE.say(factor=factor, **names), lambda v, k=factor: v[p] - k * v[eta] * v[g]


def _negative_mistakes(calc, key, f):
    n = calc.notation
    outputs = {n.name("delta", o) for o in n.neurons[-1]}
    variant = "output" if f.source in outputs else "hidden"
    yield ERR_SIGN, ERR_SIGN.say(variant, key=key, source=f.source), lambda v: v[f.source]


def _error_after_step_mistakes(calc, key, f):
    error = key[: -len("_new")]
    yield ERROR_BEFORE_STEP, ERROR_BEFORE_STEP.say(error=error, key=key), lambda v: v[error]
    yield HALF_DROPPED, HALF_DROPPED.say("total"), lambda v: 2 * v[key]


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
    ErrorAfterStep: _error_after_step_mistakes,
}


def usual_mistakes(calc, key):
    """The usual wrong ways of working out ``key``: a list of ``(mistake, message, function of the values)``.

    ``mistake`` is the :class:`Mistake`; the function computes the wrong
    number from the values of the other quantities (by name).  The last entry
    is always the flipped sign, the most common mistake of all.
    """
    q = calc.by_key[key]
    found = list(_CATALOGUE.get(type(q.formula), lambda *a: ())(calc, key, q.formula))
    found.append((SIGN, SIGN.say(_sign_variant(q), key=key), _negated(q)))
    return found


def _sign_variant(quantity):
    """Which words fit a flipped sign: before the error there is no ``out - target`` to turn round."""
    if isinstance(quantity.formula, Sigmoid):
        return "sigmoid"
    if quantity.stage in ("given", "forward"):
        return "forward"
    if quantity.stage in ("error", "after"):
        return "error"
    return "backward"


def _negated(quantity):
    if isinstance(quantity.formula, ErrorAfterStep):
        return lambda v: -v[quantity.key]
    return lambda v: -quantity.formula.evaluate(v)
