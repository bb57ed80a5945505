"""Judging a learner's answers: right, right but too short, carried forward, or wrong (and which mistake).

**The rule for "correct"**, in the words the course gives learners:

    An answer is right when it is the exact value rounded to the digits you
    wrote, or what you get by working from your own earlier answers, rounding
    each number along the way to 3 significant figures or more (half up or
    half to even, as you like).  Write at least 3 significant figures.  A new
    weight must show its step: if the number you wrote could also be the old
    weight, or a step the wrong way, write more digits.

How the check does it.  Every answer stands for a range of numbers: 0.593
for anything from 0.5925 to 0.5935 (:mod:`course_lib.selfcheck.reading`).
Every quantity has a range of honest values: those an honest hand
calculation can reach, with every number along the way rounded to 3 figures
or more (:mod:`course_lib.selfcheck.honest`).  The answers are judged in the
order of working, each in two worlds:

1. the right world: the learner's earlier answers that were judged right are
   used as typed, every other number is the exact one, rounded honestly.  An
   answer whose range meets its honest range here is right.  (So typing the
   intermediate answers makes the check sharper: 0.0830 for dE/dw5 may be an
   honest rounder's number, but not from delta_o1 = 0.138499 and
   out_h1 = 0.593270, typed.)
2. the learner's world: every earlier answer as typed, right or not; the
   numbers they did not type follow from those, rounded honestly.  An answer
   right in this world is *carried forward* when one of the answers it is
   built on is off: the method is right, and one slip counts once.

A new weight is judged by its step: it must agree with the honest range of
``w - eta dE/dw`` and its range must leave out the old weight and the step
taken the wrong way, or it cannot show the step ("too few digits").  The
error after the step follows the learner's own new weights, through a whole
forward pass of its own.

An answer that is right in neither world is *incorrect*; the check then
looks for the mistake that gives the learner's number: a usual wrong formula
for this quantity (:mod:`course_lib.mistakes`), a learning rate of another
value, the weights numbered as in Mazur's post, a usual mistake in an
earlier step that was not typed in (carried into this one), or an earlier
number rounded to 1 or 2 figures along the way.
"""

import math
import re
import sys

from .. import mistakes as named
from ..calculation import Constant, ErrorAfterStep, Given
from ..networks import Example
from .answers import as_answers
from .diagnose import Diagnosis
from .honest import FIGURES, Interval, band, point, rounded, safely, written_range
from .listeners import notify
from .names import closest, other_text
from .reading import AnswerProblem, Written, describe, read_answer
from .report import Feedback, Report

__all__ = ["check_answers", "MIN_FIGURES", "PARTS"]

MIN_FIGURES = FIGURES
PARTS = {"forward": ("forward",), "error": ("error",), "backward": ("backward",), "updates": ("update", "after")}
_UNKNOWN = Interval(math.nan, math.nan)  # a range that meets nothing: a value the check could not work out


def check_answers(example, answers, keys=None):
    """Check a learner's answers against the example's answer key and return a :class:`Report`.

    ``answers`` is an :class:`Answers` or a dict by name.  ``keys`` picks the
    questions: a list of names, a part of the calculation (``"forward"``,
    ``"error"``, ``"backward"``, ``"updates"``), or by default every question
    of ``answers``.  Answers under names the network does not have are
    reported in every check.  Never raises because of what a learner wrote;
    every listener (:func:`course_lib.selfcheck.add_listener`) hears of the
    report.
    """
    if not isinstance(example, Example):
        raise TypeError(
            f"check_answers needs a course example (course_lib.networks.get(name)), got {describe(example, 60)}"
        )
    answers = as_answers(example, answers, sys._getframe(1))
    report = _Judge(example, answers).report(keys)
    notify(example, report)
    return report


def _sentence(text):
    """``text`` ended as a sentence: a full stop, unless it ends with one already, or with ``?`` or ``!``."""
    return text if text.endswith((".", "?", "!")) else text + "."


def _hint(example, key, exact):
    """The formula to use, in LaTeX (for a given number: the number itself)."""
    formula = example.calculation.by_key[key].formula
    symbols = _symbols(example)
    if isinstance(formula, (Given, Constant)):
        return rf"{symbols[key]} \text{{ is given: }} {exact[key]:g}"
    return symbols[key] + " = " + formula.latex(symbols, r" \cdot ")


# LaTeX of the formulas (calculation.py) as a terminal shows them: 1 / (1 + e^(-net_h1)), 1/2 (t - o)^2
_PLAIN = [
    (re.compile(r"\\frac\{1\}\{1 \+ e\^\{-([^{}]+)\}\}"), r"1 / (1 + e^(-\1))"),
    (re.compile(r"\\tfrac\{1\}\{2\}"), "1/2 "),
    (re.compile(r"\\text\{([^{}]*)\}"), r"\1"),
    (re.compile(r"([\w)])\\left\("), r"\1 * ("),
    (re.compile(r"\\left\(|\\right\)"), lambda m: "(" if "left" in m.group() else ")"),
]


def _hint_text(example, key, exact):
    """The formula to use in plain text, with the course's names (for a printed report, a terminal)."""
    calc = example.calculation
    formula = calc.by_key[key].formula
    if isinstance(formula, (Given, Constant)):
        return f"{key} is given: {exact[key]:g}"
    names = {k: k for k in calc.by_key}
    names.update({b: "1" for b in example.notation.bias_input_names()})  # the constant input of a bias is 1
    text = f"{key} = {formula.latex(names, ' * ')}"
    for pattern, plain in _PLAIN:
        text = pattern.sub(plain, text)
    return text


_SYMBOLS = {}


def _symbols(example):
    """The LaTeX symbol of every quantity of an example's notation (made once per notation)."""
    key = (example.notation, example.train_biases)
    if key not in _SYMBOLS:
        _SYMBOLS[key] = {k: example.latex(k) for k in example.calculation.by_key}
    return _SYMBOLS[key]


_WORLDS = {}  # the exact world of each example, by its numbers (examples never change)


def _exact_world(example):
    """The exact value of every quantity of an example, its honest range, and what an honest learner carries
    on from it: the world with no answers typed, made once per example (an example never changes)."""
    network = example.network
    numbers = b"".join(a.tobytes() for a in network.weights + network.biases + (example.x, example.target))
    key = (example.notation, example.train_biases, example.eta, numbers)
    if key not in _WORLDS:
        if len(_WORLDS) > 256:
            _WORLDS.clear()
        judge = _Judge(example, None)
        honest, carry = {}, {}
        for q in judge.calc.quantities:
            honest[q.key] = judge._band(q, carry, {})
            carry[q.key] = judge._carried(q, honest[q.key])
        _WORLDS[key] = judge.exact, honest, carry
    return _WORLDS[key]


class _Judge(Diagnosis):
    """The verdicts on one set of answers (see the module docstring for the rule)."""

    def __init__(self, example, answers):
        """Read the answers (``answers`` None: none at all, to work out the exact world)."""
        self.example = example
        self.calc = calc = example.calculation
        self.answers = answers
        self.raw = answers.as_dict() if answers is not None else {}
        self.texts = texts = answers.texts() if answers is not None else {}
        self.written, self.problems = {}, {}
        for key, value in self.raw.items():
            try:
                w = read_answer(value, texts.get(key))
            except AnswerProblem as problem:
                self.problems[key] = problem
                continue
            if w is not None:
                self.written[key] = w
        self.trained = [q.parameter for q in calc.quantities if q.stage == "update"]
        self.routes = self._routes()
        if answers is None:
            self.exact = dict(example.quantities())
            return
        self.exact, self.honest, self.carry = _exact_world(example)  # every number exact, rounded honestly
        # Filled in as the answers are judged, in the order of working:
        self.right, self.right_carry = {}, {}  # the learner's right answers as typed, the rest exact and honest
        self.yours, self.your_carry = {}, {}  # every answer as typed, right or not: the learner's own world
        self.points = self.exact
        self._your_points = None
        self.verdicts, self.agreed = {}, {}

    @property
    def your_points(self):
        """Every quantity as one number in the learner's world (worked out when a mistake is looked for)."""
        if self._your_points is None:
            self._your_points = self._points({k: w.value for k, w in self.written.items()})
        return self._your_points

    # -- the two worlds ------------------------------------------------------------------

    def _routes(self):
        """For each quantity not typed in, the formula the learner's numbers take (e.g. Han & Kamber's Err route).

        The first formula that uses one of the learner's answers, else the main
        one; only formulas of earlier quantities count, so none goes round in
        a circle.
        """
        calc, routes = self.calc, {}
        for q in calc.quantities:
            if q.key in self.written or isinstance(q.formula, (Given, Constant, ErrorAfterStep)):
                continue
            earlier = [f for f in q.formulas() if all(calc.position[a] < calc.position[q.key] for a in f.args)]
            routes[q.key] = next((f for f in earlier if any(a in self.written for a in f.args)), q.formula)
        return routes

    def _band(self, q, carry, routes):
        """The honest range of quantity ``q`` from what is carried on so far (by ``routes`` or its main formula)."""
        if isinstance(q.formula, (Given, Constant)):
            return point(self.exact[q.key])
        if isinstance(q.formula, ErrorAfterStep):
            return safely(self._after, carry) or _UNKNOWN
        return safely(band, routes.get(q.key, q.formula), carry) or _UNKNOWN

    def _band_in(self, q, carry, touched):
        """The range of ``q`` in a world whose ``touched`` quantities differ from the exact one (else the exact)."""
        route = self.routes.get(q.key, q.formula)
        args = route.args
        if isinstance(q.formula, ErrorAfterStep):
            args = args + tuple(k for k in touched if self.calc.by_key[k].stage == "given")
        if route is q.formula and not any(a in touched for a in args):
            return self.honest[q.key]
        touched.add(q.key)
        return self._band(q, carry, self.routes)

    def _carried(self, q, honest):
        """What an honest learner carries on from a quantity's range: a given number as it is, others rounded."""
        if isinstance(q.formula, (Given, Constant)):
            return honest
        return safely(rounded, honest) or _UNKNOWN

    def _typed_carry(self, key):
        """What the learner carries on from a typed answer: anything that rounds to it, and, when it was judged
        right, anything that also lies in the range it was judged right in."""
        mine = written_range(self.written[key])
        right = self.agreed.get(key)
        if right is None:
            return mine
        both = Interval(max(mine.lo, right.lo), min(mine.hi, right.hi))
        return both if both.lo <= both.hi else mine

    def _after(self, carry):
        """The honest range of the error after the step: a forward pass with the new parameters, rounded as it goes."""
        calc = self.calc
        box = dict(carry)
        for p in self.trained:
            box[p] = carry[f"{p}_new"]
        result = None
        for q in calc.quantities:
            if q.stage in ("forward", "error"):
                result = band(q.formula, box)
                box[q.key] = rounded(result)
        return result

    def _points(self, typed):
        """Every quantity as one number: the learner's where typed, the others worked out without rounding."""
        calc, values, routes = self.calc, {}, self.routes
        for q in calc.quantities:
            key = q.key
            if key in typed:
                values[key] = typed[key]
            elif isinstance(q.formula, (Given, Constant)):
                values[key] = self.exact[key]
            elif isinstance(q.formula, ErrorAfterStep):
                values[key] = safely(self._error_with, values)
            else:
                values[key] = safely(routes.get(key, q.formula).evaluate, values)
        return values

    def _error_with(self, values):
        new = {p: values[f"{p}_new"] for p in self.trained}
        example = self.example.with_values(new)
        return example.network.error(example.x, example.target)

    # -- the report ----------------------------------------------------------------------

    def report(self, keys):
        right_touched, your_touched = set(), set()  # the quantities whose ranges the learner's answers change
        for q in self.calc.quantities:  # in the order of working, so that each answer sees the earlier ones
            key = q.key
            self.right[key] = self._band_in(q, self.right_carry, right_touched)
            self.yours[key] = self._band_in(q, self.your_carry, your_touched)
            if key in self.raw:
                self.verdicts[key] = self._feedback(key)
            if key in self.written:
                self.your_carry[key] = self._typed_carry(key)
                your_touched.add(key)
                if self.verdicts[key].status == "correct":
                    self.right_carry[key] = self.your_carry[key]
                    right_touched.add(key)
            for carry, touched, bands in ((self.right_carry, right_touched, self.right),
                                          (self.your_carry, your_touched, self.yours)):  # fmt: skip
                if key not in carry:
                    carry[key] = self._carried(q, bands[key]) if key in touched else self.carry[key]
        selected, problems = self._select(keys)
        feedback = {}
        for key in selected:
            feedback[key] = self.verdicts.get(key) or Feedback(
                key,
                "not attempted",
                "Not attempted yet.",
                Ellipsis,
                _hint(self.example, key, self.exact),
                hint_text=_hint_text(self.example, key, self.exact),
            )
        feedback.update(problems)
        for name, value in self.answers.unknown().items():  # reported in every check, staged or not
            feedback[name] = self._unknown_name(name, value)
        return Report(self.example, feedback)

    def _select(self, keys):
        """The questions to report: ``keys`` by name or by part, or every answered slot, in the order of working.

        Returns the names and, for names in ``keys`` that are neither a part
        nor a quantity, a row saying so.
        """
        calc = self.calc
        order = calc.position
        if keys is None or (isinstance(keys, str) and keys in PARTS):
            chosen = sorted(self.raw, key=order.__getitem__)
            if keys is not None:
                stage = [k for k in chosen if calc.by_key[k].stage in PARTS[keys]]
                chosen = stage or [q.key for q in calc.quantities if q.stage in PARTS[keys]]
            return chosen, {}
        try:
            wanted = [keys] if isinstance(keys, str) else list(keys)
        except TypeError:
            wanted = [keys]
        chosen, problems = [], {}
        for name in wanted:
            key = calc.canonical(name) if isinstance(name, str) else None
            if key in calc.by_key:
                chosen.append(key)
                continue
            label = name if isinstance(name, str) else describe(name)
            close = closest(calc, label, n=2) + [p for p in PARTS if label.lower().rstrip("s") == p.rstrip("s")]
            meant = f"; did you mean {' or '.join(dict.fromkeys(close))}?" if close else ""
            problems[label] = Feedback(
                label,
                "not attempted",
                _sentence(
                    f"{label!r} is neither a part of the step ({', '.join(PARTS)}) nor a quantity of "
                    f"{self.example.name}{meant}"
                ),
                Ellipsis,
                "",
                named.UNKNOWN_NAME.id,
            )
        return list(dict.fromkeys(chosen)), problems

    def _unknown_name(self, name, value):
        foreign = other_text(self.example, name)
        if foreign is None:
            close = closest(self.calc, name)
            meant = f"; did you mean {' or '.join(close)}?" if close else ""
            message = f"{self.example.name} has no quantity called {name!r}{meant or '.'}"
            return Feedback(name, "incorrect", message, value, "", named.UNKNOWN_NAME.id)
        mistake, message, key, sign = foreign
        try:
            w = read_answer(value)
        except AnswerProblem:
            w = None
        if key in self.calc.by_key and w is not None:
            flipped = Written(w.text, sign * w.value, w.exponent, w.figures, w.digits_known)
            right = written_range(flipped).meets(self.right[key]) or written_range(flipped).meets(self.yours[key])
            message += f". As {key} = {sign * w.value:g}, your number is {'right' if right else 'not right yet'}"
        return Feedback(name, "incorrect", _sentence(message), value, "", mistake)

    # -- one answer ----------------------------------------------------------------------

    def _mazur_bias(self, key, w):
        """Mazur's b1, b2 (a layer's bias value) given for the main text's b1 ... (a bias's constant input 1)."""
        n = self.example.notation
        if key not in n.bias_input_names():
            return None
        layers = [list(layer) for layer in n.biases]
        if not any(written_range(w).meets(point(self.exact[v])) for layer in layers for v in layer):
            return None
        weight = next(v for inputs, names in zip(n.bias_inputs, n.biases) for b, v in zip(inputs, names) if b == key)
        shown = " and ".join(
            " = ".join(layer) + f" = {self.exact[layer[0]]:g}"
            if len({self.exact[v] for v in layer}) == 1
            else ", ".join(f"{v} = {self.exact[v]:g}" for v in layer)
            for layer in layers
        )
        return named.MAZUR_BIAS_NAMING.say(key=key, weight=weight, layers=shown)

    def _feedback(self, key):
        calc, example = self.calc, self.example
        answer, hint = self.raw[key], _hint(example, key, self.exact)
        hint_text = _hint_text(example, key, self.exact)
        typed = self.texts.get(key)

        def verdict(status, message, mistake=None):
            return Feedback(key, status, message, answer, hint, mistake, typed, hint_text)

        if key in self.problems:
            problem = self.problems[key]
            return verdict("not attempted", _sentence(f"Not an answer yet: {problem}"), problem.mistake)
        if key not in self.written:
            return verdict("not attempted", "Not attempted yet.")
        w = self.written[key]
        quantity = calc.by_key[key]
        if isinstance(quantity.formula, (Given, Constant)):
            if written_range(w).meets(self.honest[key]):
                self.agreed[key] = self.honest[key]
                return verdict("correct", "Correct.")
            mazur = self._mazur_bias(key, w)
            if mazur:
                return verdict("incorrect", mazur, named.MAZUR_BIAS_NAMING.id)
            return verdict("incorrect", f"{key} is given by the problem: look it up in the example's table.")

        if self._exact_enough(w, self.exact[key]):
            self.agreed[key] = point(self.exact[key])
            return verdict("correct", "Correct.")
        for formula in self._formulas(key):  # right: from the exact numbers, or the learner's right ones
            right = self.right[key] if formula is quantity.formula else safely(band, formula, self.right_carry)
            if right is not None and written_range(w).meets(right):
                short = self._short(key, w, right, self.exact[key])
                if short:
                    return verdict("too few digits", short)
                self.agreed[key] = safely(rounded, right)
                return verdict("correct", "Correct.")

        carried = self._followed(key, w)
        if carried is not None:
            return verdict(*carried)
        found = self._mistake(key, w)
        if found is not None:
            return verdict("incorrect", *found)
        return verdict("incorrect", "Not right yet: work it out again from the formula in the hint.")

    @staticmethod
    def _exact_enough(w, exact):
        """A short answer that is exactly right (-0.7 for -0.7000000000000001, 2 for 2.0) needs no more digits."""
        return abs(w.value - exact) <= 1e-12 * max(1.0, abs(exact))

    def _short(self, key, w, honest, value):
        """Why an answer that agrees is too short to count (None if it is not): too few figures, or no step shown.

        A float whose typed text is unknown may have lost trailing zeros
        (0.240 arrives as 0.24): it is read as it may have been written.
        """
        if self._exact_enough(w, self.exact[key]):
            return None
        too_few = f"Right so far, but give at least {MIN_FIGURES} significant figures (you wrote {w.text})."
        reading = w
        if w.figures < MIN_FIGURES:
            if w.digits_known or w.value == 0:
                return too_few
            reading = w.padded(math.floor(math.log10(abs(w.value))) - MIN_FIGURES + 1)
            if not written_range(reading).meets(honest):
                return too_few
        if self.calc.by_key[key].stage == "update":
            return self._step_unseen(key, reading, honest, value)
        return None

    def _step_unseen(self, key, w, honest, value):
        """For a new weight: None if the answer shows its step, else the message saying why it does not."""
        p = self.calc.by_key[key].parameter
        old = self.exact[p]
        step = value - old
        if step == 0 or abs(step) <= 1e-12 * max(1.0, abs(old)):
            return None

        def unseen(written):
            shown = written_range(written)
            return [what for what, x in (("the old " + p, old), ("a step the wrong way", old - step)) if x in shown]

        could_be = unseen(w)
        if could_be and not w.digits_known:  # a float may have had zeros: read it as finely as it could be meant
            fine = w.padded(math.floor(math.log10(abs(step))) - 3)
            if written_range(fine).meets(honest) and not unseen(fine):
                return None
        if not could_be:
            return None
        return (
            f"Right as far as it goes, but {w.text} could also be {' or '.join(could_be)}: {p} moves by less than "
            f"your last digit. Write {key} with enough digits to show the step."
        )

    def _formulas(self, key):
        calc = self.calc
        position = calc.position[key]
        quantity = calc.by_key[key]
        if isinstance(quantity.formula, ErrorAfterStep):
            return [quantity.formula]
        return [f for f in quantity.formulas() if all(calc.position[a] < position for a in f.args)]

    def _sources(self, args):
        """The learner's own answers that a formula with these ``args`` builds on (through untyped steps)."""
        found, todo, seen = [], list(args), set()
        while todo:
            k = todo.pop(0)
            if k in seen:
                continue
            seen.add(k)
            if k in self.written:
                found.append(k)
            elif k in self.routes:
                todo += list(self.routes[k].args)
            elif isinstance(self.calc.by_key[k].formula, ErrorAfterStep):
                todo += list(self.calc.by_key[k].formula.args)
        return found

    def _status(self, key):
        if key in self.verdicts:
            return self.verdicts[key].status
        return "off"

    def _followed(self, key, w):
        """``(status, message)`` when the answer follows from the learner's own earlier answers; else None."""
        for formula in self._formulas(key):
            if isinstance(formula, ErrorAfterStep):
                yours = self.yours[key]
            else:
                yours = safely(band, formula, self.your_carry) or _UNKNOWN
            if not written_range(w).meets(yours):
                continue
            sources = self._sources(formula.args)
            off = [s for s in sources if self._status(s) != "correct"]
            if not off:
                value = self.your_points.get(key)
                short = self._short(key, w, yours, value if value is not None else yours.mid)
                if short:
                    return "too few digits", short
                self.agreed[key] = safely(rounded, yours)
                return "correct", "Correct (worked from your own rounded numbers)."
            which = " and ".join(f"{s} ({self.written[s].text})" for s in off)
            if all(self._status(s) == "too few digits" for s in off):
                why = f"rounded too far: keep at least {MIN_FIGURES} significant figures along the way"
            else:
                why = "off" if len(off) == 1 else "off (one or more of them)"
            verb = "is" if len(off) == 1 else "are"
            return "carried forward", f"Your method is right; it uses your value of {which}, which {verb} {why}."
        return None
