"""Reading a learner's number as it was written: its value, and the place of its last digit.

The place of the last digit says how precise the learner claims to be:
``0.593`` means "somewhere from 0.5925 to 0.5935", ``0.5930`` means "from
0.59295 to 0.59305".  So the self-check reads the digits, not only the value.

A number can arrive in many forms.  ``0.593`` typed in a cell is a float,
and Python gives back its digits (``repr(0.593)`` is ``'0.593'``), but not a
trailing zero: ``0.240`` arrives as ``0.24``.  The self-check therefore reads
the cell's own text where it can (:mod:`course_lib.selfcheck.typed`); where
it cannot, it does not know whether a zero was typed, and :class:`Written`
says so (``digits_known`` is False), so that the check never complains about
digits the learner may well have written.

Strings (``"0.5930"``, ``"0,593"`` with a decimal comma, ``"−0.2"`` with the
minus sign of a typeset formula), ``Decimal``, ``Fraction``, NumPy scalars
and 0-d arrays are read too.  Anything else (text, a list, NaN, infinity, a
number far outside the course's range, an object that cannot say what it is)
raises :class:`AnswerProblem`, whose message says what was expected.
:func:`read_answer` never raises anything else.
"""

import math
import numbers
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

import numpy as np

__all__ = ["Written", "AnswerProblem", "read_answer", "describe", "LARGEST"]

LARGEST = 1e12  # no quantity of a course network comes near this; beyond it, a number is a typing slip
_FULL = 17  # significant figures of a float's full precision


@dataclass(frozen=True)
class Written:
    """A learner's number as written.

    ``value`` is the number; the last digit written stands for
    ``10**exponent``; ``figures`` counts the significant figures.
    ``digits_known`` is False when the number came as a float whose typed
    text is unknown: it may have had trailing zeros that Python dropped.
    """

    text: str
    value: float
    exponent: int
    figures: int
    digits_known: bool = True

    @property
    def half_unit(self):
        """Half a unit of the last digit: the number stands for anything within this of ``value``."""
        return 0.5 * 10.0**self.exponent

    def padded(self, exponent):
        """The same number read with zeros added down to the place ``10**exponent`` (0.24 read as 0.240)."""
        if exponent >= self.exponent:
            return self
        return Written(self.text, self.value, exponent, self.figures + self.exponent - exponent, True)


class AnswerProblem(ValueError):
    """An answer that is not a number the check can read; ``mistake`` names the kind of problem."""

    def __init__(self, message, mistake="not-a-number"):
        super().__init__(message)
        self.mistake = mistake


def describe(value, limit=40):
    """A short, safe description of any value for a message: never raises, even if ``repr`` does."""
    try:
        text = repr(value)
    except Exception:  # an object whose repr is broken still gets a message
        text = f"<a {_type_name(value)}>"
    if not isinstance(text, str):
        text = f"<a {_type_name(value)}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _type_name(value):
    try:
        return type(value).__name__
    except Exception:
        return "value"


def _from_decimal(number, text, digits_known=True):
    """The :class:`Written` form of a finite Decimal (its exponent says where its last digit is)."""
    if number.is_nan():
        raise AnswerProblem(f"{text} is not a number (NaN); every quantity of the course is a number", "not-finite")
    if number.is_infinite():
        raise AnswerProblem(f"{text} is infinite; every quantity of the course is a finite number", "not-finite")
    sign, digits, exponent = number.as_tuple()
    if number.is_zero():
        if not -30 <= exponent <= 30:
            raise AnswerProblem(f"{text} is 0 written with a strange exponent; write 0", "out-of-range")
        return Written(text, 0.0, min(exponent, 0), 1, digits_known)
    if number.adjusted() >= math.log10(LARGEST) or number.adjusted() < -300:
        raise AnswerProblem(
            f"{text} is far {'larger' if number.adjusted() > 0 else 'smaller'} than any quantity of this "
            "training step; check the exponent or the decimal point",
            "out-of-range",
        )
    significant = len(digits) - next(k for k, d in enumerate(digits) if d != 0)
    return Written(text, float(number), exponent, significant, digits_known)


def _from_text(value):
    text = value.strip().replace("\u2212", "-").replace("\u2009", "").replace("\xa0", "")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")  # a decimal comma, as many learners write it
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        raise AnswerProblem(
            f"{describe(value)} is text, not a number; write it like 0.593 (no quotes needed)"
        ) from None
    if number.is_nan() or number.is_infinite():
        return _from_decimal(number, describe(value))
    return _from_decimal(number, text if len(text) <= 40 else describe(text))


def _from_float(number, text=None):
    if not math.isfinite(number):
        raise AnswerProblem(f"{number} is not an answer: every quantity of the course is a finite number", "not-finite")
    if text is not None:
        try:
            typed = Decimal(text)
            if float(typed) == number:
                return _from_decimal(typed, text)
        except (InvalidOperation, ValueError, OverflowError):
            pass
    return _from_decimal(Decimal(repr(number)), repr(number), digits_known=False)


def _from_fraction(value):
    """A fraction with a terminating decimal (593/1000) is read as that decimal; any other as an exact number."""
    try:
        number = float(value)
    except (OverflowError, ZeroDivisionError):
        raise AnswerProblem(
            f"{describe(value)} is far outside the range of this step's numbers", "out-of-range"
        ) from None
    if not math.isfinite(number) or abs(number) >= LARGEST:
        raise AnswerProblem(f"{describe(value)} is far outside the range of this step's numbers", "out-of-range")
    denominator = value.denominator
    for p in (2, 5):
        while denominator % p == 0:
            denominator //= p
    if denominator == 1 and value.denominator < 10**30:
        decimal = Decimal(value.numerator) / Decimal(value.denominator)  # exact: 593/1000 is 0.593
        return _from_decimal(decimal, str(value))
    if number == 0:
        raise AnswerProblem(f"{describe(value)} is far smaller than any quantity of this step", "out-of-range")
    return Written(str(value), number, math.floor(math.log10(abs(number))) - _FULL + 1, _FULL)


def _not_one_number(value):
    if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, int) for v in value) and value[1] >= 0:
        whole, part = value
        return AnswerProblem(
            f"{value!r} is two numbers: Python reads the comma in {whole},{part} as a separator; "
            f"write the decimal point: {whole}.{part}",
            "decimal-comma",
        )
    kind = _type_name(value)
    if isinstance(value, np.ndarray):
        return AnswerProblem(
            f"give one number, not a ndarray of shape {value.shape} ({describe(value)})", "not-one-number"
        )
    return AnswerProblem(f"give one number, not a {kind} ({describe(value)})", "not-one-number")


def read_answer(value, text=None):
    """Return the :class:`Written` form of an answer, None if there is none yet, or raise :class:`AnswerProblem`.

    ``text`` is the number's text as typed in the cell, when known (it keeps
    trailing zeros that a float loses).  Never raises anything but
    :class:`AnswerProblem`, whatever ``value`` is.
    """
    try:
        return _read(value, text)
    except AnswerProblem:
        raise
    except Exception:  # an object that breaks when asked for its value
        raise AnswerProblem(
            f"{describe(value)} (a {_type_name(value)}) could not be read as a number; write the number, e.g. 0.593"
        ) from None


def _read(value, text):
    if value is None or value is Ellipsis:
        return None
    if isinstance(value, (bool, np.bool_)):
        raise AnswerProblem(f"{value} is not a number; write the number itself, e.g. 0.593")
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]  # a 0-d array: its one number, as a NumPy scalar
    if isinstance(value, str):
        return _from_text(value)
    if isinstance(value, Decimal):
        return _from_decimal(value, str(value))
    if isinstance(value, Fraction):
        return _from_fraction(value)
    if isinstance(value, float):  # also NumPy's float64, which is a float
        return _from_float(float(value), text)
    if isinstance(value, np.floating):  # float32 or float16: the shortest digits that give it back
        if not np.isfinite(value):
            raise AnswerProblem(
                f"{value} is not an answer: every quantity of the course is a finite number", "not-finite"
            )
        digits = np.format_float_positional(value, unique=True, trim="-")
        return _from_decimal(Decimal(digits), digits, digits_known=False)
    if isinstance(value, (int, np.integer)):
        return _from_decimal(Decimal(int(value)), str(int(value)))
    if isinstance(value, (list, tuple, set, frozenset, dict, np.ndarray, range)):
        raise _not_one_number(value)
    if isinstance(value, (complex, np.complexfloating)):
        raise AnswerProblem(f"{describe(value)} is a complex number; every quantity of the course is a real number")
    if isinstance(value, numbers.Real):  # another kind of real number: go by its float value
        return _from_float(float(value))
    if isinstance(value, (bytes, bytearray)):
        raise AnswerProblem(f"{describe(value)} is bytes, not a number; write the number, e.g. 0.593")
    raise AnswerProblem(f"{describe(value)} is a {_type_name(value)}, not a number; write the number, e.g. 0.593")
