"""Naming the mistake: which wrong way of working gives the learner's number.

When an answer is right neither in the learner's right world nor in their
own (:mod:`course_lib.selfcheck.verdicts`), the check looks for the mistake
that explains it, in this order:

1. a usual wrong formula for this very quantity (:func:`course_lib.mistakes.usual_mistakes`),
   from the exact numbers or from the learner's own;
2. an answer right to 3 figures whose last written digit is off ("Close");
3. a new weight whose step is that of another learning rate (of any value);
4. the weights numbered by the neuron they enter, as in Mazur's post;
5. nearest of all: a usual mistake in an earlier step that was not typed in
   (carried into this one), or that was typed with another slip, an earlier number rounded to 1 or 2 figures on
   the way, a slipped decimal point;
6. a number a thousand times too large or small, or more.

A candidate explains the answer when the answer's range meets it, give or
take the rounding an honest learner does on the way (at most 2%).
"""

import math
import re

from .. import mistakes as named
from ..calculation import ErrorAfterStep, Given, Same
from ..mistakes import usual_mistakes
from .honest import FIGURES as MIN_FIGURES
from .honest import Interval, safely, written_range
from .names import swap_weights, swapped_numbering
from .reading import Written

__all__ = ["Diagnosis"]


class Diagnosis:
    """The mistake-naming half of the self-check's judge (mixed into it; it reads the judge's worlds)."""

    def _tolerance(self, key):
        """How far from a wrong formula's number an answer may be and still be that mistake (rounding on the way)."""
        honest, x = self.honest[key], self.exact[key]
        if not math.isfinite(honest.lo) or x == 0:
            return 0.0
        return min(0.02, 0.5 * (honest.hi - honest.lo) / abs(x))

    def _matches(self, key, w, candidate):
        if candidate is None or candidate == self.exact[key]:
            return False
        room = self._tolerance(key) * abs(candidate)
        return written_range(w).meets(Interval(candidate - room, candidate + room))

    def _mistake(self, key, w):
        """``(message, mistake id)`` for the mistake that explains the answer, or None."""
        off = self._typed_off(key)
        for mistake, message, wrong in usual_mistakes(self.calc, key):
            for values, yours in ((self.points, False), (self.your_points, True)):
                if self._matches(key, w, safely(wrong, values)):
                    also = f" (It also uses your value of {' and '.join(off)}, which is off.)" if yours and off else ""
                    return message + also, mistake.id
        for find in (self._last_digit, self._learning_rate, self._numbering):
            found = find(key, w)
            if found is not None:
                return found
        # Slips further back, or in the size of the number: the one whose number is nearest the answer
        candidates = [c for find in (self._upstream, self._rounded_early, self._decimal_point) for c in find(key)]
        matching = [(abs(value - w.value), message, mistake) for value, message, mistake in candidates
                    if self._matches(key, w, value)]  # fmt: skip
        if matching:
            _, message, mistake = min(matching, key=lambda m: m[0])
            return message, mistake
        return self._size(key, w)

    def _typed_off(self, key):
        """The learner's own earlier answers that ``key`` builds on and that are not correct."""
        return [s for s in self._sources(self.calc.by_key[key].formula.args) if self._status(s) != "correct"]

    def _size(self, key, w):
        """A number a thousand times too large or too small, or more: a slip of the exponent or the zeros."""
        x = self.exact[key]
        if not (w.value and x) or self.calc.by_key[key].stage == "update":
            return None
        times = abs(w.value / x)
        if 1e-3 < times < 1e3:
            return None
        words = f"about 10^{round(math.log10(times))} times"
        return named.OUT_OF_SIZE.say(times=words, text=w.text), named.OUT_OF_SIZE.id

    def _last_digit(self, key, w):
        """An answer right to fewer figures than it was written with (0.5930 for 0.59327): only the end is off."""
        if w.figures <= MIN_FIGURES or w.value == 0 or self.calc.by_key[key].stage == "update":
            return None
        place = math.floor(math.log10(abs(w.value))) - MIN_FIGURES + 1
        shorter = Written(w.text, float(f"{w.value:.{MIN_FIGURES}g}"), place, MIN_FIGURES)  # the answer to 3 figures
        if self.exact[key] not in written_range(shorter):
            return None
        ordinal = {4: "4th figure", 5: "5th figure", 6: "6th figure"}.get(w.figures, f"{w.figures}th figure")
        message = named.LAST_DIGIT.say(text=w.text, figures=MIN_FIGURES, place=ordinal)
        return message, named.LAST_DIGIT.id

    def _decimal_point(self, key):
        """Candidates ``(number, message, mistake)``: ten or a hundred times too large or too small."""
        if self.calc.by_key[key].stage == "update":
            return  # a new weight's slips are in its step (see _learning_rate and the usual mistakes)
        for values in (self.points, self.your_points):
            right = values.get(key)
            for factor in (10, 100, 0.1, 0.01):
                if right:
                    words = f"{factor:g}" if factor > 1 else f"1/{1 / factor:g}"
                    yield factor * right, named.DECIMAL_POINT.say(factor=words), named.DECIMAL_POINT.id

    def _learning_rate(self, key, w):
        """An update whose step is that of another learning rate (0.1, 0.9, 1, ...)."""
        quantity = self.calc.by_key[key]
        if quantity.stage != "update":
            return None
        formula = quantity.formula
        p, eta, g = formula.parameter, formula.eta, formula.gradient
        gradient, old, rate = self.points[g], self.exact[p], self.exact[eta]
        if not gradient:
            return None
        implied = (old - w.value) / gradient
        if implied <= 0 or not math.isfinite(implied):
            return None
        for figures in (1, 2):
            guess = float(f"{implied:.{figures}g}")
            if abs(guess - rate) > 1e-3 * rate and self._matches(key, w, old - guess * gradient):
                message = named.LEARNING_RATE.say(
                    "other", rate=f"{guess:g}", eta=eta, value=f"{rate:g}", key=key, p=p, g=g
                )
                return message, named.LEARNING_RATE.id
        return None

    def _numbering(self, key, w):
        """The value of another weight's quantity, as the learner would get numbering the weights Mazur's way."""
        theirs_to_ours = {theirs: ours for ours, theirs in swapped_numbering(self.calc.notation).items()}
        other = swap_weights(key, theirs_to_ours) if theirs_to_ours else None
        if other is None or other not in self.calc.by_key:
            return None
        if not (written_range(w).meets(self.honest[other]) or self._matches(key, w, self.exact[other])):
            return None
        theirs = next(name for name in re.findall(r"(?:^|/d)(w\d+)(?=_|$)", key) if name in theirs_to_ours)
        message = named.MAZUR_NAMING.say(other=other, theirs=theirs, ours=theirs_to_ours[theirs])
        return message, named.MAZUR_NAMING.id

    def _ancestors(self, key):
        """The quantities the learner did not type that ``key`` is worked out from, nearest first."""
        calc = self.calc
        found, todo = [], list(calc.by_key[key].formula.args)
        while todo:
            k = todo.pop(0)
            if k in found or k in self.written or k not in self.routes:
                continue
            found.append(k)
            todo += list(self.routes[k].args)
        return sorted(found, key=calc.position.__getitem__, reverse=True)

    def _with(self, changed, key):
        """``key``'s number by its main formula, with one earlier quantity changed and its consequences worked out."""
        calc, values = self.calc, dict(self.your_points)
        name, value = changed
        values[name] = value
        for q in calc.quantities[calc.position[name] + 1 : calc.position[key]]:
            if q.key in self.routes and q.key not in self.written:
                values[q.key] = safely(self.routes[q.key].evaluate, values)
        return safely(calc.by_key[key].formula.evaluate, values)

    def _upstream(self, key):
        """Candidates: a usual mistake in an earlier step, not typed in or typed with another slip, carried here."""
        formula = self.calc.by_key[key].formula
        if isinstance(formula, ErrorAfterStep):
            return
        # and an earlier answer that was typed, and is off, but not the one this answer was worked from
        typed_off = [s for s in self._typed_off(key) if not isinstance(self.calc.by_key[s].formula, Given)]
        for source in self._ancestors(key) + typed_off:
            for mistake, message, wrong in usual_mistakes(self.calc, source):
                value = safely(wrong, self.your_points)
                if value is not None:
                    result = self._with((source, value), key)
                    if result is not None:
                        yield result, named.CARRIED.say(source=source, message=message), mistake.id

    def _rounded_early(self, key):
        """Candidates: an earlier number, not typed in, rounded to 1 or 2 significant figures on the way."""
        if isinstance(self.calc.by_key[key].formula, ErrorAfterStep):
            return
        for source in self._ancestors(key):
            value = self.your_points.get(source)
            if not value:
                continue
            for figures in (2, 1):
                coarse = float(f"{value:.{figures}g}")
                result = self._with((source, coarse), key) if coarse != value else None
                if result is not None:
                    words = f"{figures} significant figure{'s' if figures > 1 else ''} ({coarse:g})"
                    formula = self.calc.by_key[source].formula
                    shown = f"{source} (that is {formula.source})" if isinstance(formula, Same) else source
                    yield result, named.ROUNDED_EARLY.say(source=shown, figures=words), named.ROUNDED_EARLY.id
