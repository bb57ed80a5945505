"""Audit the self-check as honest learners, careless learners and hostile testers would try it.

    python tools/audit_selfcheck.py             # every course network, and practice problems (20-30 minutes)
    python tools/audit_selfcheck.py --quick     # the course's own networks only (about 10 minutes)
    make audit                                  # the same as the first (make audit AUDIT=--quick: the second)

It works the whole training step of every course network (and of practice
problems) by hand, as a learner would: with exact decimal arithmetic,
rounding each product and each number written down to 3 or 4 significant
figures, half up or half to even, typing in every answer or only some, as
text, as floats, or as literals in a cell.  Then it makes the classic
mistakes, types values that are not numbers, misspells names, writes
``forward`` and ``backward`` functions that are right, wrong, broken or
hostile (for one example, and on a batch as lesson 10's exercise asks), and
asks the gradient checker about meaningless steps.  For each
kind of case it counts:

- **tried**: answers (or functions) checked;
- **clear**: verdicts that came with a specific message (no generic "not
  right yet", no message pointing at an empty hint, no traceback);
- **tracebacks**: exceptions that escaped the check (or its display);
- **wrong verdicts**: an honest answer not called correct (or a right
  function not called right, a wrong one called right, a check that hung);
- **correct for wrong**: a wrong answer called correct.

The last line is JSON.  The simulations are importable (the property tests
in ``tests/test_selfcheck_properties.py`` use them to assert the zeros); the
audit itself is run by hand, not by ``make test``.
"""

import argparse
import json
import linecache
import math
import signal
import sys
import time
import traceback
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, localcontext
from fractions import Fraction
from functools import partial
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from course_lib import (  # noqa: E402
    Answers,
    SigmoidNetwork,
    check_answers,
    check_backward,
    check_forward,
    gradient_check,
    networks,
    practice,
    softmax,
)
from course_lib.calculation import Constant, ErrorAfterStep, Given, Same, Sigmoid  # noqa: E402
from course_lib.mistakes import usual_mistakes  # noqa: E402
from course_lib.selfcheck import check_batch_backward, check_batch_forward  # noqa: E402
from course_lib.sigmoid import sigmoid  # noqa: E402

MODES = {"half-up": ROUND_HALF_UP, "half-even": ROUND_HALF_EVEN}
GENERIC = "Not right yet"
_PRECISION = Context(prec=60)


# -- a hand calculation ----------------------------------------------------------------------


class Hand:
    """A number worked out by hand: sums are exact (decimal), every product is rounded as it is written down."""

    __slots__ = ("d", "figures", "mode")

    def __init__(self, d, figures, mode):
        self.d, self.figures, self.mode = d, figures, mode

    def _other(self, other):
        if isinstance(other, Hand):
            return other.d
        return Decimal(repr(float(other))) if isinstance(other, float) else Decimal(other)

    def _new(self, d, rounding=False):
        return Hand(round_figures(d, self.figures, self.mode) if rounding else d, self.figures, self.mode)

    def __add__(self, other):
        return self._new(_PRECISION.add(self.d, self._other(other)))

    __radd__ = __add__

    def __sub__(self, other):
        return self._new(_PRECISION.subtract(self.d, self._other(other)))

    def __rsub__(self, other):
        return self._new(_PRECISION.subtract(self._other(other), self.d))

    def __neg__(self):
        return self._new(-self.d)

    def __mul__(self, other):
        return self._new(_PRECISION.multiply(self.d, self._other(other)), rounding=True)

    __rmul__ = __mul__

    def __pow__(self, power):
        return self._new(_PRECISION.power(self.d, power), rounding=True)

    def __float__(self):
        return float(self.d)


def round_figures(d, figures, mode):
    """``d`` rounded to ``figures`` significant figures (zero stays zero)."""
    if d == 0:
        return Decimal(0)
    with localcontext(_PRECISION):
        return d.quantize(Decimal(1).scaleb(d.adjusted() - figures + 1), rounding=mode)


def as_text(d):
    """A decimal as a learner writes it: positional, with every figure it has (trailing zeros too)."""
    return "0" if d == 0 else format(d, "f")


def _evaluate(formula, values, figures, mode):
    if isinstance(formula, Sigmoid):  # a calculator's sigmoid, then written down
        return Hand(Decimal(repr(float(sigmoid(float(values[formula.net]))))), figures, mode)
    result = formula.evaluate(values)
    return result if isinstance(result, Hand) else Hand(Decimal(repr(float(result))), figures, mode)


def hand_calculation(example, figures, mode="half-up", updates="step", changes=None):
    """Work one training step by hand and return every quantity as the learner writes it (a Decimal, by name).

    ``figures`` and ``mode`` say how each number is rounded.  ``updates`` is
    ``"step"`` (the step eta dE/dw is rounded and w_new = w - step written
    exactly, as the course asks) or ``"weight"`` (w_new rounded like
    everything else, which may hide a small step).  ``changes`` replaces some
    quantities by other numbers (a learner's slip), and the rest follows.
    """
    calc, exact = example.calculation, example.quantities()
    rounding = MODES[mode]
    values, written = {}, {}
    trained = [q.parameter for q in calc.quantities if q.stage == "update"]
    for q in calc.quantities:
        if isinstance(q.formula, (Given, Constant)):
            values[q.key] = Hand(Decimal(repr(exact[q.key])), figures, rounding)
            continue
        if changes and q.key in changes:
            d = Decimal(str(changes[q.key]))
        elif isinstance(q.formula, ErrorAfterStep):
            d = _error_after(calc, values, trained, figures, rounding).d
        else:
            d = _evaluate(q.formula, values, figures, rounding).d
        if not (q.stage == "update" and updates == "step") and not (changes and q.key in changes):
            d = round_figures(d, figures, rounding)
        values[q.key] = Hand(d, figures, rounding)
        written[q.key] = d
    return written


def _error_after(calc, values, trained, figures, rounding):
    box = dict(values)
    for p in trained:
        box[p] = values[f"{p}_new"]
    result = None
    for q in calc.quantities:
        if q.stage in ("forward", "error"):
            result = _evaluate(q.formula, box, figures, rounding)
            box[q.key] = Hand(round_figures(result.d, figures, rounding), figures, rounding)
    return result


def typed_keys(example, typing, seed=0):
    """Which answers a learner types: ``"all"``, ``"asked"`` (not the chain's inner parts), ``"sparse"``
    (a random third), or ``"results"`` (only each stage's last answers: the gradients, the new weights)."""
    calc, n = example.calculation, example.notation
    computed = [q for q in calc.quantities if not isinstance(q.formula, (Given, Constant))]
    if typing == "all":
        return [q.key for q in computed]
    if typing == "asked":  # as the exercises ask: not the error's way back through each output, not the links
        parts = "d" + n.patterns["error_term"].format("") if "{}" in n.patterns["error_term"] else None
        return [q.key for q in computed if not isinstance(q.formula, Same) and not (parts and q.key.startswith(parts))]
    if typing == "results":
        gradient = f"d{n.d}/"
        return [q.key for q in computed if q.stage in ("update", "after") or q.key.startswith(gradient) and q.parameter]
    rng = np.random.default_rng(seed)
    return [q.key for q in computed if rng.random() < 1 / 3]


def _step_hidden(example, key, d):
    """True when the written new weight ``d`` cannot show its step (it reads as the old weight or the flipped step)."""
    calc, exact = example.calculation, example.quantities()
    q = calc.by_key[key]
    if q.stage != "update":
        return False
    old, new = exact[q.parameter], exact[key]
    half = 0.5 * 10.0 ** d.as_tuple().exponent
    return any(abs(float(d) - x) <= half * (1 + 1e-9) for x in (old, 2 * old - new)) and abs(new - old) > 1e-12


@dataclass
class HonestSheet:
    """One honest learner's typed answers, and the verdicts each may fairly get."""

    example: object
    answers: dict  # name -> what is typed (text, float or Decimal)
    allowed: dict  # name -> set of acceptable statuses
    form: str  # "text", "float" or "cell"
    label: str


def honest_sheet(example, figures, mode, updates, typing, form, seed=0, written=None):
    """An honest learner's sheet (see :class:`HonestSheet`); ``written`` is their hand calculation, if made."""
    written = written or hand_calculation(example, figures, mode, updates)
    answers, allowed = {}, {}
    for key in typed_keys(example, typing, seed):
        d = written[key]
        answers[key] = float(d) if form == "float" else as_text(d)  # a cell holds the text as a literal
        ok = {"correct"}
        if _step_hidden(example, key, d):
            ok.add("too few digits")
        allowed[key] = ok
    label = f"{example.name}/{figures} figures/{mode}/{updates}/{typing}/{form}"
    return HonestSheet(example, answers, allowed, form, label)


_CELLS = [0]


def check_as_typed(example, answers, form, keys=None):
    """Check answers as a learner would type them: a dict, or literal assignments in a cell (``form="cell"``)."""
    if form != "cell":
        return check_answers(example, answers, keys)
    _CELLS[0] += 1
    name = f"<audit-cell-{_CELLS[0]}>"
    lines = ["answers = Answers(example)"]
    for key, value in answers.items():
        lines.append(f"answers[{key!r}] = {value}")
    source = "\n".join(lines) + "\n"
    linecache.cache[name] = (len(source), None, source.splitlines(True), name)
    scope = {"Answers": Answers, "example": example}
    try:
        exec(compile(source, name, "exec"), scope)
    finally:
        linecache.cache.pop(name, None)
    return check_answers(example, scope["answers"], keys)


# -- wrong answers ---------------------------------------------------------------------------


def _honest_values(example):
    """Every value an honest learner of the audit writes for each quantity (and the exact one)."""
    found = {}
    for figures in (3, 4):
        for mode in MODES:
            for updates in ("step", "weight"):
                for key, d in hand_calculation(example, figures, mode, updates).items():
                    found.setdefault(key, set()).add(float(d))
    for key, x in example.quantities().items():
        found.setdefault(key, set()).add(x)
    return found


def wrong_values(example, key):
    """Wrong numbers for ``key``: ``(name, value, named)`` for the library's usual mistakes, the audit's own, and
    plain slips; ``named`` says whether a good check can say which mistake it is (a 3% slip has no name)."""
    calc, exact = example.calculation, example.quantities()
    q = calc.by_key[key]
    x = exact[key]
    found = []
    for entry in usual_mistakes(calc, key):
        mistake, wrong = entry[0], entry[-1]  # (mistake, message, formula); before issue 11 (message, formula)
        try:
            with np.errstate(all="ignore"):
                found.append((getattr(mistake, "id", "usual mistake"), float(wrong(exact)), True))
        except (LookupError, TypeError, ValueError, ArithmeticError):
            continue
    if q.stage == "update":
        p, eta = exact[q.parameter], example.eta
        gradient = (p - x) / eta
        found += [
            ("update-sign", p + eta * gradient, True),
            ("learning-rate 1", p - gradient, True),
            ("learning-rate twice", p - eta**2 * gradient, True),
            ("step x10", p - 10 * eta * gradient, True),
            ("step /10", p - 0.1 * eta * gradient, True),
            ("step +3%", p - 1.03 * eta * gradient, False),
        ]
        found += [(f"learning-rate {r}", p - r * gradient, True) for r in (0.1, 0.25, 0.9, 2.0) if abs(r - eta) > 1e-9]
    else:
        found += [
            ("flipped sign", -x, True),
            ("x10", 10 * x, True),
            ("/10", x / 10, True),
            ("+3%", 1.03 * x, False),
            ("-10%", 0.9 * x, False),
        ]
    return [(name, v, named) for name, v, named in found if math.isfinite(v) and v != x]


def is_wrong(example, key, text, honest):
    """True when the typed ``text`` is plainly wrong: farther from the exact value than three times the farthest
    honest learner of the audit (whose rounding may have been compounded in other ways), than 1% and than 2 units
    of its own last digit (for a new weight, all of it measured on the step, w_new - w)."""
    d = Decimal(text)
    value = float(d)
    unit = 10.0 ** d.as_tuple().exponent
    q = example.calculation.by_key[key]
    exact = example.quantities()
    x = exact[key]
    old = exact[q.parameter] if q.stage == "update" else 0.0
    spread = max(abs(h - x) for h in honest)
    return abs(value - x) > max(3 * spread, 0.01 * abs(x - old), 2 * unit, 1e-12)


# -- bad values and names --------------------------------------------------------------------


class BrokenFloat:
    def __float__(self):
        raise RuntimeError("no float for you")

    def __repr__(self):
        raise RuntimeError("no repr either")


class LyingReal(float):
    def __repr__(self):
        raise ValueError("repr refuses")


def bad_values():
    """Values a careless learner or a hostile tester types, with what the check should make of them:
    ``"number"`` (a right answer in another form: it must be read) or ``"problem"`` (a message naming what
    is expected)."""
    return [
        ("sNaN", "problem"), ("NaN", "problem"), ("inf", "problem"), ("-Infinity", "problem"), ("0e999", "problem"),
        ("1e999999", "problem"), ("abc", "problem"), ("", "problem"), ("   ", "problem"), ("0.3.7", "problem"),
        ("1/2", "problem"), ("½", "problem"), ("0x10", "problem"), ("1,234.5", "problem"), ("٣", "number?"),
        (10**400, "problem"), (-(10**400), "problem"), (Fraction(10**400, 3), "problem"),
        (Fraction(3, 10**400), "number?"), (Decimal("sNaN"), "problem"), (Decimal("NaN"), "problem"),
        (Decimal("Infinity"), "problem"), (Decimal("1E+999999"), "problem"), (float("nan"), "problem"),
        (float("inf"), "problem"), (-float("inf"), "problem"), (1e308, "problem"), (5e-324, "number?"),
        (np.float64("nan"), "problem"), (np.array(np.nan), "problem"), (np.array([0.5, 0.6]), "problem"),
        (np.array([[0.5]]), "problem"), (np.array("0.5"), "problem?"), ([0.5], "problem"), ((0, 3775), "problem"),
        ((0.5,), "problem"), ({0.5}, "problem"), ({"a": 1}, "problem"), (True, "problem"), (np.bool_(False), "problem"),
        (1 + 2j, "problem"), (b"0.5", "problem"), (bytearray(b"1"), "problem"), (object(), "problem"),
        (BrokenFloat(), "problem"), (LyingReal(0.5), "number?"), (range(3), "problem"), (None, "blank"),
        (..., "blank"), (print, "problem"), (type, "problem"), (np.int64(2), "number?"),
    ]  # fmt: skip


def readable_forms(x):
    """A right answer ``x`` in every form a learner might hand it over (each must be read and called right)."""
    text = f"{x:.6g}"
    return [text, Decimal(text), Fraction(Decimal(text)), np.float64(text), np.float32(text), np.array(float(text)),
            np.array(np.float32(text)), text.replace(".", ","), "  " + text + "  ", text.replace("-", "\u2212"),
            float(text)]  # fmt: skip


MISSPELT = {"net_h1": ["neth1", "net_h01", "Net_h1", "net h1", "nett_h1"], "dE/dw5": ["dEdw5", "dE/dw05", "de/dw5"],
            "w5_new": ["w5new", "w5_New", "new_w5"], "out_o1": ["out_01", "outo1"]}  # fmt: skip


# -- learners' functions ---------------------------------------------------------------------


def good_forward(network, x):
    out = np.asarray(x)
    for w, b in zip(network.weights, network.biases):
        out = 1 / (1 + np.exp(-(w @ out + b)))
    return out


def good_backward(network, x, target, transposed=False, sign=1, gradient_transposed=False):
    outs = [np.asarray(x)]
    for w, b in zip(network.weights, network.biases):
        outs.append(1 / (1 + np.exp(-(w @ outs[-1] + b))))
    delta = sign * (outs[-1] - target) * outs[-1] * (1 - outs[-1])
    weights, biases = [], []
    for l in range(len(network.weights) - 1, -1, -1):
        g = np.outer(delta, outs[l])
        weights.insert(0, g.T if gradient_transposed else g)
        biases.insert(0, delta)
        back = network.weights[l] if transposed else network.weights[l].T
        delta = (back @ delta) * outs[l] * (1 - outs[l])
    return weights, biases


def _forever(*args):
    while True:
        pass


def _exits(*args):
    sys.exit(1)


def _interrupted(*args):
    raise KeyboardInterrupt


def _zero_division(*args):
    return 1 / 0


def _not_written(*args):
    raise NotImplementedError


def _assigns_weights(network, x):
    network.weights = tuple(np.zeros_like(w) for w in network.weights)
    return good_forward(network, x)


def _writes_into_weights(network, x):
    for w in network.weights:
        w.flags.writeable = True
        w[...] = 0.0
    return good_forward(network, x)


def _sabotages_course(example):
    def forward(network, x):
        course = networks.get(example.name).network if example.seed is None else network
        for w in course.weights:
            w.flags.writeable = True
            w += 1.0
        return [0.5] * len(good_forward(network, x))

    return forward


def forward_cases(example):
    """``(label, function, right?)``: forward passes to check."""
    n_out = example.network.sizes[-1]
    return [
        ("right", good_forward, True),
        ("right, as a list", lambda n, x: good_forward(n, x).tolist(), True),
        ("returns None", lambda n, x: None, False),
        ("every layer", lambda n, x: [np.asarray(x)] + [good_forward(n, x)] * len(n.weights), False),
        ("wrong shape", lambda n, x: np.concatenate([good_forward(n, x), [0.5]]), False),
        ("NaN", lambda n, x: good_forward(n, x) * np.nan, False),
        ("text", lambda n, x: "0.75", False),
        ("wrong numbers", lambda n, x: np.full(n_out, 0.5), False),
        ("no sigmoid at the end", lambda n, x: n.weights[-1] @ good_forward_hidden(n, x) + n.biases[-1], False),
        ("raises", _zero_division, False),
        ("exit()", _exits, False),
        ("interrupt", _interrupted, False),
        ("not written", _not_written, False),
        ("not a function", 0.5, False),
        ("assigns network.weights", _assigns_weights, False),
        ("writes into the weights", _writes_into_weights, False),
        ("changes the course's network", _sabotages_course(example), False),
    ]


def good_forward_hidden(network, x):
    out = np.asarray(x)
    for w, b in zip(network.weights[:-1], network.biases[:-1]):
        out = 1 / (1 + np.exp(-(w @ out + b)))
    return out


def backward_cases(example):
    net, x, t = example.network, example.x, example.target
    same = [np.allclose(a, b) for a, b in zip(good_backward(net, x, t, gradient_transposed=True)[0],
                                               good_backward(net, x, t)[0]) if a.shape == b.shape]  # fmt: skip
    transposes = not (len(same) == len(net.weights) and all(same))
    square = all(w.shape[0] == w.shape[1] for w in net.weights) and len(net.weights) > 1
    differs = square and not all(
        np.allclose(a, b) for a, b in zip(good_backward(net, x, t, transposed=True)[0], good_backward(net, x, t)[0])
    )
    cases = [
        ("right", good_backward, True),
        ("right, nested lists", lambda n, x, t: tuple([g.tolist() for g in part] for part in good_backward(n, x, t)),
         True),
        ("returns None", lambda n, x, t: None, False),
        ("every sign flipped", lambda n, x, t: good_backward(n, x, t, sign=-1), False),
        ("gradients transposed", lambda n, x, t: good_backward(n, x, t, gradient_transposed=True), False)
        if transposes else ("right again", good_backward, True),
        ("NaN", lambda n, x, t: ([g * np.nan for g in good_backward(n, x, t)[0]], good_backward(n, x, t)[1]), False),
        ("a list of numbers", lambda n, x, t: [0.1, 0.2], False),
        ("ten times too large", lambda n, x, t: tuple([10 * g for g in part] for part in good_backward(n, x, t)),
         False),
        ("raises", _zero_division, False),
        ("exit()", _exits, False),
        ("interrupt", _interrupted, False),
        ("not written", _not_written, False),
    ]  # fmt: skip
    if differs:
        cases.append(("W instead of W.T", lambda n, x, t: good_backward(n, x, t, transposed=True), False))
    return cases


# -- counting --------------------------------------------------------------------------------


@dataclass
class Tally:
    tried: int = 0
    clear: int = 0
    tracebacks: int = 0
    wrong: int = 0
    false_correct: int = 0
    samples: list = field(default_factory=list)

    def note(self, kind, text):
        if len(self.samples) < 6:
            self.samples.append(f"{kind}: {text}")

    def add(self, other):
        for name in ("tried", "clear", "tracebacks", "wrong", "false_correct"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _is_clear(feedback):
    message = getattr(feedback, "message", "")
    if not message or GENERIC in message or "Traceback (most recent call last)" in message:
        return False
    return not ("hint" in message and not getattr(feedback, "hint", ""))


def _is_fair(feedback):
    """A message that is all a check can say about a plain slip: the generic one will do, if its hint is there."""
    message = getattr(feedback, "message", "")
    return bool(message) and "Traceback" not in message and not ("hint" in message and not feedback.hint)


def _display(result):
    repr(result)
    if hasattr(result, "_repr_html_"):
        result._repr_html_()


def audit_honest(examples, tally=None, forms=("text", "float", "cell")):
    tally = tally or Tally()
    for example in examples:
        for figures in (3, 4):
            for mode in MODES:
                for updates in ("step", "weight"):
                    written = hand_calculation(example, figures, mode, updates)
                    for typing in ("all", "asked", "results", "sparse"):
                        for form in forms:
                            sheet = honest_sheet(example, figures, mode, updates, typing, form, figures, written)
                            judge_sheet(sheet, tally)
    return tally


def judge_sheet(sheet, tally):
    tally.tried += len(sheet.answers)
    try:
        report = check_as_typed(sheet.example, sheet.answers, sheet.form)
        _display(report)
    except Exception:
        tally.tracebacks += len(sheet.answers)
        tally.note("traceback", f"{sheet.label}: {traceback.format_exc(limit=2)}")
        return
    for key, ok in sheet.allowed.items():
        f = report[key]
        tally.clear += _is_clear(f) or f.status == "correct"
        if f.status not in ok:
            tally.wrong += 1
            tally.note("wrong", f"{sheet.label}: {key} = {sheet.answers[key]!r}: {f.status}: {f.message}")


def audit_mistakes(examples, tally=None, digits=(3, 4, 6)):
    """Each classic mistake at each quantity, typed alone and on top of an honest sheet of earlier answers."""
    tally = tally or Tally()
    for example in examples:
        honest = _honest_values(example)
        calc, exact = example.calculation, example.quantities()
        context = {k: f"{v:.6g}" for k, v in exact.items() if k in calc.by_key
                   and not isinstance(calc.by_key[k].formula, (Given, Constant))}  # fmt: skip
        for q in calc.quantities:
            if isinstance(q.formula, (Given, Constant)):
                continue
            for name, value, nameable in wrong_values(example, q.key):
                for d in digits:
                    text = f"{Decimal(repr(value)):.{d - 1}E}" if value else "0"
                    if not is_wrong(example, q.key, text, honest[q.key]):
                        continue
                    earlier = {k: v for k, v in context.items() if calc.position[k] < calc.position[q.key]}
                    sheets = [{q.key: text}] + ([{**earlier, q.key: text}] if d == max(digits) else [])
                    for answers in sheets:  # alone, and (at full precision) after every earlier answer, right
                        _judge_wrong(example, answers, q.key, f"{name} ({text})", tally, nameable)
    return tally


def _judge_wrong(example, answers, key, label, tally, nameable=True):
    tally.tried += 1
    try:
        report = check_answers(example, answers)
        _display(report)
        f = report[key]
    except Exception:
        tally.tracebacks += 1
        tally.note("traceback", f"{example.name}: {key} = {label}: {traceback.format_exc(limit=2)}")
        return
    tally.clear += _is_clear(f) if nameable else _is_fair(f)
    if f.status == "correct":
        tally.false_correct += 1
        tally.wrong += 1
        tally.note("called correct", f"{example.name}: {key} = {label}: {f.message}")
    elif f.status == "carried forward" and len(answers) > 1:
        tally.wrong += 1
        tally.note("carried forward from right answers", f"{example.name}: {key} = {label}: {f.message}")


def audit_follow_through(examples, tally=None):
    """A slip at one quantity, then the rest worked honestly from it: no later answer may be called incorrect."""
    tally = tally or Tally()
    for example in examples:
        calc, exact = example.calculation, example.quantities()
        stages = {}
        for q in calc.quantities:
            if not isinstance(q.formula, (Given, Constant, ErrorAfterStep)):
                stages.setdefault(q.stage, []).append(q.key)
        for keys in stages.values():
            for key in (keys[0], keys[len(keys) // 2]):
                slip = Decimal(f"{exact[key] * 1.1 + 0.01:.3g}")
                for figures in (3, 4):
                    written = hand_calculation(example, figures, "half-up", "step", {key: slip})
                    answers = {k: as_text(d) for k, d in written.items()}
                    tally.tried += len(answers) - 1
                    try:
                        report = check_answers(example, answers)
                        _display(report)
                    except Exception:
                        tally.tracebacks += len(answers) - 1
                        tally.note("traceback", f"{example.name}: slip at {key}: {traceback.format_exc(limit=2)}")
                        continue
                    for k, f in report.feedback.items():
                        if k == key:
                            continue
                        tally.clear += f.status in ("correct", "carried forward") or _is_clear(f)
                        if f.status not in ("correct", "carried forward"):
                            tally.wrong += 1
                            tally.note("after a slip", f"{example.name}: slip at {key}, {k} = {answers[k]}: "
                                       f"{f.status}: {f.message}")  # fmt: skip
    return tally


def _typed_check(tally, example, key, value):
    """One value typed for ``key``, checked and displayed: its Feedback, or None after a traceback (counted)."""
    tally.tried += 1
    try:
        report = check_answers(example, {key: value})
        _display(report)
        return report[key]
    except Exception:
        tally.tracebacks += 1
        tally.note("traceback", f"{example.name}: {key} = {_safe(value)}: {traceback.format_exc(limit=2)}")
        return None


def audit_values(examples, tally=None):
    """Values that are not numbers (or are, in odd forms), typed where an answer goes."""
    tally = tally or Tally()
    for example in examples:
        exact = example.quantities()
        first = next(q.key for q in example.calculation.quantities if q.stage == "forward")
        for value, kind in bad_values():
            f = _typed_check(tally, example, first, value)
            if f is None:
                continue
            expected = {"problem": ("not attempted",), "blank": ("not attempted",)}.get(kind)  # else: anything
            tally.clear += _is_clear(f) if expected else _is_fair(f)
            if expected and f.status not in expected:
                tally.wrong += 1
                tally.note("bad value judged", f"{example.name}: {first} = {_safe(value)}: {f.status}: {f.message}")
            if f.status == "correct" and kind in ("problem", "blank"):
                tally.false_correct += 1
        for form in readable_forms(exact[first]):
            f = _typed_check(tally, example, first, form)
            if f is None:
                continue
            tally.clear += f.status == "correct" or _is_clear(f)
            if f.status != "correct":
                tally.wrong += 1
                tally.note("right answer not read", f"{example.name}: {first} = {_safe(form)}: {f.status}: {f.message}")
    return tally


def _safe(value):
    try:
        return repr(value)[:40]
    except Exception:
        return f"<{type(value).__name__}>"


def audit_names(examples, tally=None):
    """Misspelt names, staged and not, and names from other texts' notation."""
    tally = tally or Tally()
    for example in examples:
        calc, exact = example.calculation, example.quantities()
        for right, misspellings in MISSPELT.items():
            if right not in calc.by_key:
                continue
            stage = {"forward": "forward", "error": "error", "backward": "backward"}.get(calc.by_key[right].stage,
                                                                                         "updates")  # fmt: skip
            for wrong in misspellings:
                for keys in (None, stage):
                    answers = Answers(example)
                    if calc.by_key.get("net_h1"):
                        answers.net_h1 = f"{exact['net_h1']:.6g}"
                    answers[wrong] = f"{exact[right]:.6g}"
                    _judge_name(example, answers, keys, wrong, tally)
        for foreign in _foreign_names(example):
            answers = {foreign: 0.5}
            _judge_name(example, answers, None, foreign, tally, foreign=True)
    mazur = networks.get("mazur")
    q = mazur.quantities()
    for ours, theirs in (("w2_new", "w3_new"), ("dE/dw3", "dE/dw2"), ("dE/dw6", "dE/dw7"), ("w7_new", "w6_new")):
        tally.tried += 1
        try:
            f = check_answers(mazur, {ours: f"{q[theirs]:.6g}"})[ours]
        except Exception:
            tally.tracebacks += 1
            continue
        tally.clear += getattr(f, "mistake", None) == "mazur-naming"
        if f.status == "correct":
            tally.false_correct += 1
            tally.wrong += 1
    for name, value in (("b1", "0.35"), ("b2", "0.60"), ("b1", 0.6), ("b4", "0.6")):  # Mazur's b1, b2: a layer's bias
        tally.tried += 1
        try:
            f = check_answers(mazur, {name: value})[name]
        except Exception:
            tally.tracebacks += 1
            continue
        tally.clear += getattr(f, "mistake", None) == "mazur-bias-naming"
        if f.status != "incorrect":
            tally.wrong += 1
            tally.false_correct += f.status == "correct"
    return tally


def _foreign_names(example):
    n = example.notation
    names = []
    if not n.patterns["err"]:
        names.append(f"Err_{n.neurons[-1][0]}")
    names.append("C" if n.error != "C" else "E_total")
    names.append(f"d{'C' if n.d != 'C' else 'E'}/d{n.parameter_names()[0]}")
    return names


def _judge_name(example, answers, keys, wrong, tally, foreign=False):
    tally.tried += 1
    try:
        report = check_answers(example, answers, keys)
        _display(report)
    except Exception:
        tally.tracebacks += 1
        tally.note("traceback", f"{example.name}: name {wrong!r}: {traceback.format_exc(limit=2)}")
        return
    row = report.feedback.get(wrong)
    if row is None or report.all_correct:
        tally.wrong += 1
        tally.note("name dropped", f"{example.name}: {wrong!r} with keys={keys}: {report.summary()}")
        return
    clear = "did you mean" in row.message or (foreign and getattr(row, "mistake", None) in
                                                ("han-kamber-naming", "other-notation"))  # fmt: skip
    tally.clear += clear


def _with_alarm(seconds, call):
    """Run ``call``; give up after ``seconds`` (for a check without a time limit of its own): (result, hung)."""

    def stop(signum, frame):
        raise TimeoutError("the check hung")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return call(), False
    except TimeoutError:
        return None, True
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def audit_code(examples, tally=None):
    """Learners' forward and backward functions: right, wrong, broken, slow and hostile."""
    tally = tally or Tally()
    for example in examples:
        for check, cases in ((check_forward, forward_cases(example)), (check_backward, backward_cases(example))):
            cases = cases + [("never ends", _forever, False)]
            for label, function, right in cases:
                tally.tried += 1
                key = next(q.key for q in example.calculation.quantities if q.stage == "forward")
                before = example.quantities()
                try:
                    if label == "never ends":
                        try:
                            result, hung = _with_alarm(5, partial(check, example, function, time_limit=0.3))
                        except TypeError:  # a check without a time limit
                            result, hung = _with_alarm(3, partial(check, example, function))
                    else:
                        result, hung = check(example, function), False
                    if result is not None:
                        _display(result)
                except BaseException as error:  # SystemExit and KeyboardInterrupt that escape count too
                    tally.tracebacks += 1
                    tally.note("traceback", f"{example.name}: {check.__name__} {label}: {type(error).__name__}")
                    _restore(example)
                    continue
                if hung:
                    tally.wrong += 1
                    tally.note("hung", f"{example.name}: {check.__name__} {label}")
                    continue
                ok = (result.status == "correct") == right
                after = example.quantities()
                if after != before:
                    ok = False
                    tally.note("key changed", f"{example.name}: {check.__name__} {label} changed the answer key")
                    _restore(example)
                follow = check_answers(example, {key: f"{before[key]:.6g}"})[key].status
                if follow != "correct":
                    ok = False
                    tally.note("right answer refused after", f"{example.name}: {check.__name__} {label}: {follow}")
                tally.clear += _is_clear(result) or result.status == "correct"
                if not ok:
                    tally.wrong += 1
                    tally.false_correct += result.status == "correct" and not right
                    tally.note("code verdict", f"{example.name}: {check.__name__} {label}: {result.status}: "
                               f"{result.message[:120]}")  # fmt: skip
        tally.tried += 1
        try:
            check_forward(None, good_forward)
            tally.wrong += 1
        except TypeError:
            tally.clear += 1
        except Exception as error:
            tally.tracebacks += 1
            tally.note("traceback", f"check_forward(None, ...): {type(error).__name__}")
    return tally


# -- code on a batch (lesson 10's exercise) ------------------------------------------------------


def _batch_outputs(network, X, biases=True, other_output=False):
    A = X
    for l, (W, b) in enumerate(zip(network.weights, network.biases), start=1):
        net = A @ W.T + (b if biases else 0)
        softmax_here = l == len(network.weights) and (network.output == "softmax") != other_output
        A = softmax(net) if softmax_here else sigmoid(net)
    return A


def _batch_gradients(network, X, T, mistake=None):
    """A learner's batch backpropagation, with one of the usual mistakes when asked."""
    if mistake == "batch-first-example":
        X, T = X[:1], T[:1]
    outs = [X]
    for l, (W, b) in enumerate(zip(network.weights, network.biases), start=1):
        net = outs[-1] @ W.T + b
        outs.append(softmax(net) if l == len(network.weights) and network.output == "softmax" else sigmoid(net))
    out = outs[-1]
    slope = (network.output != "softmax") != (mistake in ("softmax-slope-kept", "output-slope-missing"))
    delta = (out - T) * out * (1 - out) if slope else out - T
    m = 1 if mistake == "batch-sum" else len(X)
    weights, biases = [], []
    for l in range(len(network.weights) - 1, -1, -1):
        gradient = delta.T @ outs[l] / m
        weights.insert(0, gradient.T if mistake == "transposed-gradient" else gradient)
        bias = delta / m if mistake == "bias-gradient-per-example" else delta.sum(axis=0) / m
        biases.insert(0, bias)
        delta = (delta @ network.weights[l]) * outs[l] * (1 - outs[l])
    return weights, biases


def _batch_vandal(network, X, T=None):
    result = _batch_outputs(network, X) if T is None else _batch_gradients(network, X, T)
    X[...] = 0
    network.weights = ()
    return result


def batch_cases(network):
    """``(check, label, function, right, mistake)``: the batch functions learners write, right and wrong."""
    slope = "softmax-slope-kept" if network.output == "softmax" else "output-slope-missing"
    forward = [
        ("right", _batch_outputs, True, None),
        ("examples in columns", lambda n, X: _batch_outputs(n, X).T, False, "examples-in-columns"),
        ("biases left out", lambda n, X: _batch_outputs(n, X, biases=False), False, "bias-left-out"),
        ("the other output layer", partial(_batch_outputs, other_output=True), False, "output-layer-kind"),
        ("returns None", lambda n, X: None, False, "returned-none"),
        ("returns text", lambda n, X: "0.5", False, "not-numbers"),
        ("too few rows", lambda n, X: _batch_outputs(n, X)[:2], False, "wrong-shape"),
        ("NaN", lambda n, X: _batch_outputs(n, X) * np.nan, False, "nan"),
        ("crashes", _zero_division, False, "function-error"),
        ("exits", _exits, False, "system-exit"),
        ("vandal", _batch_vandal, True, None),
    ]
    backward = [("right", _batch_gradients, True, None), ("vandal", _batch_vandal, True, None)]
    for mistake in ("batch-sum", "batch-first-example", "transposed-gradient", "bias-gradient-per-example", slope):
        if mistake == "transposed-gradient" and all(w.shape[0] != w.shape[1] for w in network.weights):
            continue  # a transposed gradient of a layer that is not square shows as a wrong shape (named too)
        backward.append((mistake, partial(_batch_gradients, mistake=mistake), False, mistake))
    backward += [
        ("returns None", lambda n, X, T: None, False, "returned-none"),
        ("returns one array", lambda n, X, T: np.zeros(3), False, "wrong-shape"),
        ("NaN", lambda n, X, T: ([w * np.nan for w in n.weights], list(n.biases)), False, "nan"),
        ("crashes", _zero_division, False, "function-error"),
    ]
    yield from ((check_batch_forward, *case) for case in forward)
    yield from ((check_batch_backward, *case) for case in backward)


def audit_batch(tally=None):
    """Learners' functions on a batch (one row per example), for sigmoid and softmax outputs."""
    tally = tally or Tally()
    rng = np.random.default_rng(10)
    for sizes in ((3, 4, 2), (3, 3, 3), (2, 3, 2), (3, 5, 4, 2)):
        for output in ("sigmoid", "softmax"):
            network = SigmoidNetwork.random(sizes, seed=len(sizes), output=output)
            X = rng.random((6, sizes[0]))
            T = np.eye(sizes[-1])[rng.integers(sizes[-1], size=6)]
            for check, label, function, right, mistake in [*batch_cases(network), (check_batch_forward, "never "
                                                           "ends", _forever, False, "time-limit")]:  # fmt: skip
                tally.tried += 1
                data = (X.copy(),) if check is check_batch_forward else (X.copy(), T.copy())
                try:
                    result, hung = _with_alarm(5, partial(check, function, network, *data, time_limit=0.5))
                    if result is not None:
                        _display(result)
                except BaseException as error:
                    tally.tracebacks += 1
                    tally.note("traceback", f"{sizes} {output}: {check.__name__} {label}: {type(error).__name__}")
                    continue
                where = f"{sizes} {output}: {check.__name__} {label}"
                if hung:
                    tally.wrong += 1
                    tally.note("hung", where)
                    continue
                ok = (result.status == "correct") == right and (right or result.mistake == mistake)
                ok = ok and len(network.weights) == len(sizes) - 1 and np.array_equal(data[0], X)
                tally.clear += result.status == "correct" or (result.mistake is not None and _is_clear(result))
                if not ok:
                    tally.wrong += 1
                    tally.false_correct += result.status == "correct" and not right
                    tally.note("batch verdict", f"{where}: {result.status} ({result.mistake}): {result.message[:100]}")
    return tally


def _restore(example):
    """Put back a course network that an unguarded check let a learner's function change."""
    if example.seed is not None:
        return
    fresh = networks._REGISTRY[example.name].__wrapped__()
    example.network.weights, example.network.biases = fresh.network.weights, fresh.network.biases


def audit_gradient_check(tally=None):
    """The gradient checker asked about steps where centred differences mean nothing."""
    tally = tally or Tally()
    mazur = networks.get("mazur")
    right = mazur.network.backward(mazur.x, mazur.target)
    wrong = ([10 * g for g in right.weights], [10 * g for g in right.biases])
    for h in (1e-15, 1e-14, 1e-13, 1e-12, 1e-11, 1e-9, 1e-7, 1e-5, 1e-4, 1e-3, 1e-1, 1.0):
        for grads, should_pass in ((right, True), (wrong, False)):
            tally.tried += 1
            try:
                passed = gradient_check(mazur, grads=grads, h=h).passed
            except ValueError as error:
                tally.clear += "step h" in str(error)
                continue
            except Exception:
                tally.tracebacks += 1
                continue
            tally.clear += 1
            if passed != should_pass:
                tally.wrong += 1
                tally.false_correct += passed and not should_pass
                tally.note("gradient check", f"h = {h:g}: {'passed' if passed else 'failed'} "
                           f"{'right' if should_pass else 'ten times too large'} gradients")  # fmt: skip
    return tally


# -- the audit -------------------------------------------------------------------------------


def examples(seeds):
    found = [networks.get(name) for name in networks.names()]
    found += [practice(name, seed) for seed in seeds for name in networks.names()]
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="the course's own networks only, fewer digits")
    args = parser.parse_args(argv)
    course = examples(())
    if args.quick:
        many = some = course
        digits = (3, 6)
    else:
        many, some, digits = examples(range(1, 3)), examples(range(1, 2)), (3, 4, 6)
    sections = [
        ("honest rounding", lambda: audit_honest(many)),
        ("classic mistakes", lambda: audit_mistakes(some, digits=digits)),
        ("follow-through after a slip", lambda: audit_follow_through(many)),
        ("bad values", lambda: audit_values(course)),
        ("names", lambda: audit_names(course)),
        ("code checks", lambda: audit_code(some)),
        ("code on a batch", audit_batch),
        ("gradient check steps", audit_gradient_check),
    ]
    total = Tally()
    width = max(len(name) for name, _ in sections) + 2
    print(f"{'':<{width}}{'tried':>8}{'clear':>8}{'tracebacks':>12}{'wrong verdicts':>16}{'correct for wrong':>19}"
          f"{'seconds':>9}")  # fmt: skip
    samples = []
    for name, run in sections:
        start = time.perf_counter()
        tally = run()
        seconds = time.perf_counter() - start
        total.add(tally)
        samples += [f"[{name}] {s}" for s in tally.samples]
        print(f"{name:<{width}}{tally.tried:>8}{tally.clear:>8}{tally.tracebacks:>12}{tally.wrong:>16}"
              f"{tally.false_correct:>19}{seconds:>9.1f}", flush=True)  # fmt: skip
    print(f"{'total':<{width}}{total.tried:>8}{total.clear:>8}{total.tracebacks:>12}{total.wrong:>16}"
          f"{total.false_correct:>19}")  # fmt: skip
    if samples:
        print("\nFirst cases of each kind that went wrong:")
        for line in samples:
            print("  " + line.replace("\n", " ")[:300])
    figures = {"tried": total.tried, "clear": total.clear, "tracebacks": total.tracebacks,
               "wrong_verdicts": total.wrong, "correct_for_wrong": total.false_correct}  # fmt: skip
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
