"""Self-check: is my pen-and-paper answer right, and if not, what went wrong?

A learner writes answers by name (``answers.net_h1 = 0.3775``) and
:func:`check_answers` compares them with the answer key, which the library
computes (``example.quantities()``).  Each answer gets one of five verdicts:

- ``"correct"``;
- ``"too few digits"``: right as far as it goes, but give at least 3 significant figures;
- ``"carried forward"``: the method is right, but it starts from the learner's
  own earlier answer, which is off (an examiner's "follow-through");
- ``"incorrect"``, with the usual mistake named when one explains the number
  (see :mod:`course_lib.mistakes`) and a hint (the formula to use);
- ``"not attempted"``.

**The rule for "correct"** (fair to pen and paper): an answer is right when
it agrees with the exact value to the precision it is written in (0.593 and
0.59327 are both right for 0.5932699921, 0.594 is not), or when, rounded to
3 significant figures, it agrees with the exact value to that precision
(0.5934 is right: rounding earlier numbers moves the later digits).  An
answer worked out correctly from your own earlier answers, rounded as you
wrote them, is right too.  Write at least 3 significant figures.
"""

import difflib
import math
import numbers
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from html import escape

import numpy as np

from .calculation import Constant, ErrorAfterStep, Given
from .mistakes import usual_mistakes
from .networks import Example
from .working import explain

__all__ = [
    "Answers",
    "check_answers",
    "check_forward",
    "check_backward",
    "Report",
    "Feedback",
    "STATUSES",
    "MIN_FIGURES",
]

STATUSES = ("correct", "incorrect", "not attempted", "too few digits", "carried forward")
MIN_FIGURES = 3
_SLACK = 1 + 1e-9  # room for binary floating point: 0.378 agrees with 0.3775 to 3 decimals
_STAGES = {"forward": ("forward",), "error": ("error",), "backward": ("backward",), "updates": ("update", "after")}


# -- reading a number as it was written -----------------------------------------------------


@dataclass(frozen=True)
class Written:
    """A learner's number as written: its value, its digits, and the place of its last digit."""

    text: str
    value: float
    exponent: int  # the last digit written stands for 10**exponent
    figures: int  # significant figures

    def agrees_with(self, exact):
        """True when ``exact`` rounds to this number, as written or rounded to 3 significant figures."""
        if self.value == exact:
            return True
        if abs(self.value - exact) <= 0.5 * 10.0**self.exponent * _SLACK:
            return True
        if self.figures > MIN_FIGURES:
            return _read(_round_figures(self.text, MIN_FIGURES)).agrees_with(exact)
        return False


def _round_figures(text, figures):
    number = Decimal(text)
    return str(number.quantize(Decimal(1).scaleb(number.adjusted() - figures + 1), rounding=ROUND_HALF_EVEN))


def _read(text):
    number = Decimal(text)
    digits = number.as_tuple().digits
    significant = len(digits) - next((k for k, d in enumerate(digits) if d != 0), len(digits))
    return Written(text, float(number), number.as_tuple().exponent, max(significant, 1))


class AnswerProblem(ValueError):
    """An answer that is not a number (text, a list, NaN): says what was expected."""


def read_answer(value):
    """Return the :class:`Written` form of an answer, None if there is none, or raise :class:`AnswerProblem`.

    Numbers keep the digits they were typed with (Python writes ``0.593`` back
    as ``0.593``); a string such as ``"0.5930"`` keeps its trailing zero.
    """
    if value is None or value is Ellipsis:
        return None
    if isinstance(value, bool):
        raise AnswerProblem(f"{value} is not a number; write the number itself, e.g. 0.593")
    if isinstance(value, str):
        text = value.strip().replace(",", ".") if value.count(",") == 1 and "." not in value else value.strip()
        try:
            written = _read(text)
        except InvalidOperation:
            raise AnswerProblem(f"{value!r} is text, not a number; write it like 0.593 (no quotes needed)") from None
    elif isinstance(value, numbers.Real) and not isinstance(value, (list, tuple)):
        number = float(value)
        if not math.isfinite(number):
            raise AnswerProblem(f"{number} is not an answer: every quantity of the course is a finite number")
        written = _read(repr(number))
    elif isinstance(value, (list, tuple, set, dict, np.ndarray)):
        raise AnswerProblem(f"give one number, not a {type(value).__name__} ({value!r})")
    else:
        raise AnswerProblem(f"{value!r} is a {type(value).__name__}, not a number; write the number, e.g. 0.593")
    if not math.isfinite(written.value):
        raise AnswerProblem(f"{value!r} is not an answer: every quantity of the course is a finite number")
    return written


# -- the learner's answers ------------------------------------------------------------------


class Answers:
    """A learner's answers for one course example, by the example's own names.

    ``answers.net_h1 = 0.3775``, or ``answers["dE/dw5"] = 0.0822`` for names
    with a slash (``answers.dE_dw5`` works too).  ``answers.net_h1 = ...``
    leaves a slot to fill in: it counts as a question not yet attempted.  A
    name the network does not have (``answers.w16 = 0.39``) is kept and
    reported by the check, with the names it may have meant.
    """

    def __init__(self, example):
        if not isinstance(example, Example):
            raise TypeError(f"Answers needs a course example (course_lib.networks.get(name)), got {example!r}")
        calc = example.calculation
        names = {}
        for key in calc.keys() + list(calc.aliases):
            names[key] = calc.canonical(key)
            names[key.replace("/", "_")] = calc.canonical(key)
        object.__setattr__(self, "_example", example)
        object.__setattr__(self, "_names", names)
        object.__setattr__(self, "_values", {})
        object.__setattr__(self, "_unknown", {})

    def no_such_quantity(self, name):
        """The message for a name the network does not have, with the names it may have meant."""
        known = [k for k in self._names if "/" in k or k.replace("/", "_") == k]  # names, not attribute forms
        close = difflib.get_close_matches(str(name), known, n=3)
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        return f"{self._example.name} has no quantity called {name!r}{hint}"

    def _key(self, name):
        try:
            return self._names[name]
        except (KeyError, TypeError):
            raise KeyError(self.no_such_quantity(name)) from None

    def __setattr__(self, name, value):
        self[name] = value

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError as error:
            raise AttributeError(error.args[0]) from None

    def __setitem__(self, name, value):
        if isinstance(name, str) and name in self._names:
            self._values[self._names[name]] = value
        else:
            self._unknown[name] = value

    def __getitem__(self, name):
        if name in self._unknown:
            return self._unknown[name]
        return self._values.get(self._key(name), Ellipsis)

    @property
    def example(self):
        return self._example

    def slots(self):
        """The names of the questions, in the order of working (every name given a value or ``...``)."""
        order = self._example.calculation.keys()
        return sorted(self._values, key=order.index)

    def as_dict(self):
        return dict(self._values)

    def unknown(self):
        """Answers given under names the network does not have."""
        return dict(self._unknown)

    def check(self, keys=None):
        """Check these answers; see :func:`check_answers`."""
        return check_answers(self._example, self, keys)

    def __repr__(self):
        given = [f"{k} = {v!r}" for k, v in self._values.items() if v is not Ellipsis]
        return f"<Answers for {self._example.name}: {len(given)} of {len(self._values)} filled in>"


# -- the report -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer: ``status`` (one of ``STATUSES``), a plain-words ``message`` and a ``hint``."""

    key: str
    status: str
    message: str
    answer: object
    hint: str


_MARKS = {
    "correct": ("✔", "#1a7f37"),
    "too few digits": ("≈", "#9a6700"),
    "carried forward": ("↪", "#9a6700"),
    "incorrect": ("✘", "#cf222e"),
    "not attempted": ("·", "#57606a"),
}


class Report:
    """The self-check of several answers: ``report[name].status`` and ``.message``, a summary, an HTML table."""

    def __init__(self, example, feedback):
        self.example = example
        self.feedback = dict(feedback)

    def __getitem__(self, name):
        key = self.example.calculation.canonical(name)
        if key not in self.feedback:
            raise KeyError(f"{name!r} was not checked; the report covers {list(self.feedback)}")
        return self.feedback[key]

    def __iter__(self):
        return iter(self.feedback.values())

    def __len__(self):
        return len(self.feedback)

    def count(self, status):
        return sum(1 for f in self.feedback.values() if f.status == status)

    @property
    def all_correct(self):
        return len(self.feedback) > 0 and self.count("correct") == len(self.feedback)

    def summary(self):
        """One line, e.g. ``9 of 14 correct; 2 carried forward, 1 incorrect, 2 not attempted``."""
        line = f"{self.count('correct')} of {len(self.feedback)} correct"
        others = [f"{self.count(s)} {s}" for s in STATUSES[1:] if self.count(s)]
        if self.all_correct:
            return line + ". Well done!"
        return line + ("; " + ", ".join(others) if others else "")

    def reveal(self, name):
        """The worked solution of one quantity (LaTeX in a notebook)."""
        return explain(self.example, name)

    def __repr__(self):
        width = max([len(k) for k in self.feedback] + [8])
        lines = [f"{f.key:<{width}}  {f.status:<15}  {f.message}" for f in self.feedback.values()]
        return "\n".join(lines + [self.summary()])

    def _repr_html_(self):
        rows = []
        for f in self.feedback.values():
            mark, colour = _MARKS[f.status]
            shown = "" if f.answer is Ellipsis or f.answer is None else escape(repr(f.answer))
            helps = f.hint and f.status in ("incorrect", "carried forward", "too few digits")
            hint = f"<br><small>Hint: ${escape(f.hint)}$</small>" if helps else ""
            rows.append(
                f"<tr><td>${escape(self.example.latex(f.key))}$ <code>{escape(f.key)}</code></td><td>{shown}</td>"
                f"<td style='color:{colour};font-weight:bold;white-space:nowrap'>{mark} {f.status}</td>"
                f"<td style='text-align:left'>{escape(f.message)}{hint}</td></tr>"
            )
        return (
            f"<div class='course-selfcheck'><p><b>{escape(self.summary())}</b></p>"
            "<table><thead><tr><th>quantity</th><th>your answer</th><th>result</th><th>feedback</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></div>"
        )


# -- checking -------------------------------------------------------------------------------


def _hint(example, key):
    formula = example.calculation.by_key[key].formula
    if isinstance(formula, (Given, ErrorAfterStep)):
        return ""
    symbols = {k: example.latex(k) for k in example.calculation.by_key}
    return example.latex(key) + " = " + formula.latex(symbols, r" \cdot ")


def _select(example, answered, keys):
    """The questions to report: ``keys`` by name or by part, or every answered slot, in the order of working."""
    calc = example.calculation
    if keys is None or (isinstance(keys, str) and keys in _STAGES):
        order = calc.keys()
        chosen = sorted(answered, key=order.index)
        if keys is not None:
            stage = [k for k in chosen if calc.by_key[k].stage in _STAGES[keys]]
            chosen = stage or [q.key for q in calc.quantities if q.stage in _STAGES[keys]]
        return chosen
    chosen = [keys] if isinstance(keys, str) else list(keys)
    unknown = [k for k in chosen if calc.canonical(k) not in calc.by_key]
    if unknown:
        raise KeyError(f"{example.name} has no quantity called {', '.join(map(repr, unknown))}")
    return list(dict.fromkeys(calc.canonical(k) for k in chosen))


def check_answers(example, answers, keys=None):
    """Check a learner's answers against the example's answer key and return a :class:`Report`.

    ``answers`` is an :class:`Answers` or a dict by name.  ``keys`` picks the
    questions: a list of names, a part of the calculation (``"forward"``,
    ``"error"``, ``"backward"``, ``"updates"``), or by default every question
    of ``answers``.  Never raises because of what a learner wrote.
    """
    if not isinstance(example, Example):
        raise TypeError(f"check_answers needs a course example (course_lib.networks.get(name)), got {example!r}")
    calc = example.calculation
    if isinstance(answers, Answers):
        if answers.example.notation is not example.notation:
            raise ValueError(f"these answers are for {answers.example.name}, not for {example.name}")
    elif isinstance(answers, dict):
        collected = Answers(example)
        for name, value in answers.items():
            collected[name] = value
        answers = collected
    else:
        raise TypeError(f"answers must be an Answers object or a dict by name, got {type(answers).__name__}")
    raw = answers.as_dict()

    exact = example.quantities()
    written, problems = {}, {}
    for key, value in raw.items():
        try:
            w = read_answer(value)
        except AnswerProblem as problem:
            problems[key] = str(problem)
            continue
        if w is not None:
            written[key] = w
    first = {k: _first_verdict(w, exact[k]) for k, w in written.items()}
    world = _learners_world(calc, exact, written)  # the learner's numbers, and the routes to them

    verdicts = {}  # every answer's verdict, in the order of working, so that later ones can see earlier ones
    for q in calc.quantities:
        if q.key in raw:
            verdicts[q.key] = _feedback(example, q.key, raw[q.key], written, problems, first, verdicts, exact, world)
    selected = _select(example, raw, keys)
    missing = {k: Feedback(k, "not attempted", "Not attempted yet.", Ellipsis, _hint(example, k)) for k in selected}
    feedback = {k: verdicts.get(k, missing[k]) for k in selected}
    if keys is None:  # answers under names the network does not have
        for name, value in answers.unknown().items():
            feedback[name] = Feedback(name, "incorrect", answers.no_such_quantity(name) + ".", value, "")
    return Report(example, feedback)


def _first_verdict(w, exact):
    if w.agrees_with(exact):
        return (
            "correct" if w.figures >= MIN_FIGURES or w.value == exact or _exact_enough(w, exact) else "too few digits"
        )
    return "off"


def _exact_enough(w, exact):
    """A short answer that is exactly right (e.g. -0.7 for -0.7000000000000001) needs no more digits."""
    return abs(w.value - exact) <= 1e-12 * max(1.0, abs(exact))


def _learners_world(calc, exact, written):
    """Every quantity as the learner would get it from their own answers (theirs where given).

    Returns the values and, for each unanswered quantity, the route used: the
    first formula that uses one of the learner's answers (e.g. Han & Kamber's
    ``Err`` route for a learner who wrote ``Err6``), else the main formula;
    only routes through earlier quantities count, so none goes round in a circle.
    """
    world = {key: w.value for key, w in written.items()}
    routes = {}
    for q in calc.quantities:
        if q.key in written:
            continue
        if isinstance(q.formula, (Given, Constant, ErrorAfterStep)) or q.key not in exact:
            world[q.key] = exact.get(q.key, math.nan)
            continue
        earlier = [f for f in q.formulas() if all(calc.position[a] < calc.position[q.key] for a in f.args)]
        routes[q.key] = next((f for f in earlier if any(a in written for a in f.args)), q.formula)
        world[q.key] = _safely(routes[q.key].evaluate, world, exact[q.key])
    return world, routes


def _safely(function, values, fallback=math.nan):
    try:
        with np.errstate(all="ignore"):
            result = float(function(values))
    except (ArithmeticError, ValueError, KeyError, LookupError):
        return fallback
    return result if math.isfinite(result) else fallback


def _sources(args, written, routes):
    """The learner's own answers that a formula with these ``args`` builds on (through unanswered steps)."""
    found, todo, seen = [], list(args), set()
    while todo:
        k = todo.pop(0)
        if k in seen:
            continue
        seen.add(k)
        if k in written:
            found.append(k)
        elif k in routes:
            todo += list(routes[k].args)
    return found


def _feedback(example, key, answer, written, problems, first, verdicts, exact, world):
    calc = example.calculation
    hint = _hint(example, key)

    def verdict(status, message):
        return Feedback(key, status, message, answer, hint)

    if key in problems:
        return verdict("not attempted", f"Not an answer yet: {problems[key]}.")
    if key not in written:
        return verdict("not attempted", "Not attempted yet.")
    w = written[key]
    if first[key] == "correct":
        return verdict("correct", "Correct.")
    if first[key] == "too few digits":
        return verdict(
            "too few digits", f"Right so far, but give at least {MIN_FIGURES} significant figures (you wrote {w.text})."
        )

    quantity = calc.by_key[key]
    world, routes = world
    off = []
    if not isinstance(quantity.formula, (Given, Constant, ErrorAfterStep)):
        position = calc.position[key]
        for formula in quantity.formulas():
            if any(calc.position[a] > position for a in formula.args):
                continue  # a route through later quantities would go round in a circle
            own = _safely(formula.evaluate, world)
            if not (math.isfinite(own) and w.agrees_with(own)):
                continue
            sources = _sources(formula.args, written, routes)
            # a source's verdict: final if it was judged already, else its first look
            status = {s: verdicts[s].status if s in verdicts else first[s] for s in sources}
            off = [s for s in sources if status[s] != "correct"]
            if not off:
                return verdict("correct", "Correct (worked from your own rounded numbers).")
            which = " and ".join(f"{s} ({written[s].text})" for s in off)
            if all(status[s] == "too few digits" for s in off):
                why = f"rounded too far: keep at least {MIN_FIGURES} significant figures along the way"
            else:
                why = "off" if len(off) == 1 else "off (one or more of them)"
            verb = "is" if len(off) == 1 else "are"
            return verdict(
                "carried forward", f"Your method is right; it uses your value of {which}, which {verb} {why}."
            )
        off = [s for s in _sources(quantity.formula.args, written, routes) if first[s] != "correct"]
        for message, wrong in usual_mistakes(calc, key):
            for values, yours in ((exact, False), (world, True)):
                candidate = _safely(wrong, values)
                if math.isfinite(candidate) and candidate != exact[key] and w.agrees_with(candidate):
                    also = f" (It also uses your value of {' and '.join(off)}, which is off.)" if yours and off else ""
                    return verdict("incorrect", message + also)
    return verdict("incorrect", "Not right yet: work it out again from the formula in the hint.")


# -- code exercises -------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeCheck:
    """The verdict on a learner's function: ``status`` (``"correct"``, ``"incorrect"``, ``"not attempted"``)."""

    what: str
    status: str
    message: str
    details: object = None  # the gradient check's report, when there is one

    def __repr__(self):
        text = f"{self.what}: {self.status}. {self.message}"
        return text if self.details is None else f"{text}\n{self.details}"

    def _repr_html_(self):
        mark, colour = _MARKS[self.status]
        details = self.details._repr_html_() if hasattr(self.details, "_repr_html_") else ""
        return (
            f"<div class='course-codecheck'><p style='color:{colour};font-weight:bold'>{mark} {escape(self.what)}: "
            f"{self.status}</p><p>{escape(self.message)}</p>{details}</div>"
        )


def _call(what, function, *args):
    """Call a learner's function; return (result, None) or (None, CodeCheck) when it is not written or fails."""
    if not callable(function):
        return None, CodeCheck(what, "not attempted", f"Give your function itself, not {function!r}.")
    try:
        return function(*args), None
    except NotImplementedError:
        return None, CodeCheck(
            what, "not attempted", "Not written yet: replace `raise NotImplementedError` with your code."
        )
    except Exception as error:  # a learner's bug: report it, never crash the notebook
        return None, CodeCheck(what, "incorrect", f"Your function stopped with {type(error).__name__}: {error}")


def check_forward(example, forward):
    """Check a learner's forward pass: ``forward(network, x)`` must return the output vector (the last ``out``)."""
    output, problem = _call("forward pass", forward, example.network, example.x)
    if problem:
        return problem
    expected = example.network.forward(example.x).output
    try:
        output = np.asarray(output, dtype=float).reshape(expected.shape)
    except (TypeError, ValueError):
        return CodeCheck(
            "forward pass", "incorrect", f"Return the {expected.size} outputs as a vector, got {output!r}."
        )
    if np.allclose(output, expected, rtol=1e-9, atol=1e-12):
        return CodeCheck("forward pass", "correct", f"Your outputs {np.round(output, 9).tolist()} are right.")
    return CodeCheck(
        "forward pass",
        "incorrect",
        f"Your outputs are {np.round(output, 9).tolist()}, but the network gives {np.round(expected, 9).tolist()}.",
    )


def check_backward(example, backward):
    """Check a learner's backpropagation with the gradient checker.

    ``backward(network, x, target)`` must return ``(weight_gradients,
    bias_gradients)``: lists shaped like ``network.weights`` and
    ``network.biases`` (for a network without biases, ``None`` will do).
    """
    from .gradcheck import gradient_check

    grads, problem = _call("backpropagation", backward, example.network, example.x, example.target)
    if problem:
        return problem
    if isinstance(grads, tuple) and len(grads) == 2 and grads[1] is None and not example.notation.has_biases:
        grads = (grads[0], [np.zeros_like(b) for b in example.network.biases])
    try:
        report = gradient_check(example, grads=grads)
    except (TypeError, ValueError) as error:
        return CodeCheck("backpropagation", "incorrect", f"Your gradients do not have the right form: {error}")
    if report.passed:  # the table of tiny relative errors would only add noise (and digits that vary by machine)
        return CodeCheck("backpropagation", "correct", "Your gradients agree with centred differences.")
    wrong = [row.name for row in report.rows if row.verdict in ("wrong", "suspicious")]
    return CodeCheck("backpropagation", "incorrect", f"These gradients disagree: {', '.join(wrong)}.", report)
