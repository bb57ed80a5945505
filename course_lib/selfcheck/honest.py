"""What an honest hand calculation can give: every number along the way rounded, fairly, to 3 figures or more.

A learner with pen and paper rounds as they go.  They may round each number
they write down (a ``net``, an ``out``, a product ``w5 out_h1`` on the way to
a sum, the step ``eta dE/dw5``) to 3 significant figures, or to 4, or keep
more; half up or half to even.  So the number they reach is not one number
but one of a small range of numbers, and the self-check must accept all of
them and nothing else.

An :class:`Interval` ``[lo, hi]`` is such a range.  :func:`rounded` widens
a range by every honest rounding of its ends (rounding is monotone, so the
ends are enough); :func:`band` evaluates one formula of
:mod:`course_lib.calculation` over ranges, rounding the products inside it
the way a learner would write them down (the last operation is left to the
answer's own rounding: its written digits).

Everything here is plain float arithmetic with a little slack (``SLACK``)
for binary floating point: 0.378 agrees with 0.3775 to 3 decimals even though
neither is exact in binary.
"""

import math
from dataclasses import dataclass

from ..calculation import (
    Constant,
    ErrOfHidden,
    ErrOfOutput,
    ErrorSlope,
    Given,
    HalfSquaredError,
    Negative,
    Product,
    Same,
    Sigmoid,
    SigmoidSlope,
    Sum,
    SumOfProducts,
    Update,
    UpdateByErr,
    WeightedSum,
)

__all__ = ["Interval", "point", "rounded", "band", "written_range", "safely", "FIGURES", "SLACK"]

FIGURES = 3  # an honest learner keeps at least this many significant figures along the way
SLACK = 1e-9  # relative room for binary floating point


@dataclass(frozen=True)
class Interval:
    """The range ``[lo, hi]`` of numbers a quantity can honestly have; arithmetic on ranges, end by end."""

    lo: float
    hi: float

    @property
    def mid(self):
        return 0.5 * (self.lo + self.hi)

    def meets(self, other):
        """True when the two ranges share a number (allowing for binary floating point)."""
        room = SLACK * max(abs(self.lo), abs(self.hi), abs(other.lo), abs(other.hi), 1e-300)
        return self.lo <= other.hi + room and other.lo <= self.hi + room

    def __contains__(self, x):
        return self.meets(Interval(x, x))

    def __add__(self, other):
        other = _as_interval(other)
        return Interval(self.lo + other.lo, self.hi + other.hi)

    __radd__ = __add__

    def __neg__(self):
        return Interval(-self.hi, -self.lo)

    def __sub__(self, other):
        return self + (-_as_interval(other))

    def __rsub__(self, other):
        return _as_interval(other) + (-self)

    def __mul__(self, other):
        other = _as_interval(other)
        ends = (self.lo * other.lo, self.lo * other.hi, self.hi * other.lo, self.hi * other.hi)
        return Interval(min(ends), max(ends))

    __rmul__ = __mul__

    def square(self):
        low, high = sorted((abs(self.lo), abs(self.hi)))
        return Interval(0.0 if self.lo <= 0 <= self.hi else low * low, high * high)

    def __pow__(self, power):
        if power != 2:
            raise ValueError("only squares are needed")
        return self.square()

    def hull(self, other):
        other = _as_interval(other)
        return Interval(min(self.lo, other.lo), max(self.hi, other.hi))

    def __repr__(self):
        return f"[{self.lo:.9g}, {self.hi:.9g}]"


def point(x):
    """The range of a number known exactly (a given number: an input, a weight, the learning rate)."""
    return Interval(x, x)


def _as_interval(value):
    return value if isinstance(value, Interval) else point(float(value))


def _unit(x, figures):
    """The place value of the last of ``figures`` significant figures of ``x`` (``x`` not 0)."""
    return 10.0 ** (math.floor(math.log10(abs(x))) - figures + 1)


def _round_down(x, figures):
    """The smallest number an honest rounding of ``x`` to ``figures`` significant figures can give (ties down)."""
    if x == 0 or not math.isfinite(x):
        return x
    unit = _unit(x, figures)
    return math.ceil(x / unit - 0.5 - 1e-9) * unit


def _round_up(x, figures):
    """The largest number an honest rounding of ``x`` to ``figures`` significant figures can give (ties up)."""
    if x == 0 or not math.isfinite(x):
        return x
    unit = _unit(x, figures)
    return math.floor(x / unit + 0.5 + 1e-9) * unit


def rounded(interval, figures=FIGURES):
    """Widen a range by every honest rounding of its numbers to ``figures`` or more significant figures.

    Rounding is monotone, so the lowest result comes from the lowest number and
    the highest from the highest.  Rounding to ``figures``, to one figure more,
    both in turn (0.37749 -> 0.3775 -> 0.378), or to more figures still (which
    moves a number by at most half a unit of its ``figures + 2``-th figure),
    and not rounding at all, are all honest.
    """
    return Interval(_lowest(interval.lo, figures), _highest(interval.hi, figures))


def _lowest(x, figures):
    if x == 0 or not math.isfinite(x):
        return x
    finer = _round_down(x, figures + 1)
    return min(x - 0.5 * _unit(x, figures + 2), _round_down(x, figures), finer, _round_down(finer, figures))


def _highest(x, figures):
    if x == 0 or not math.isfinite(x):
        return x
    finer = _round_up(x, figures + 1)
    return max(x + 0.5 * _unit(x, figures + 2), _round_up(x, figures), finer, _round_up(finer, figures))


def _sigmoid(x):
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _slope(interval):
    """The range of ``out (1 - out)`` over a range of ``out``: it rises to 1/4 at 1/2, then falls."""
    ends = [interval.lo * (1 - interval.lo), interval.hi * (1 - interval.hi)]
    top = 0.25 if interval.lo <= 0.5 <= interval.hi else max(ends)
    return Interval(min(ends), top)


def _products(pairs, box, figures):
    """The sum of products ``a b``, each product rounded as it is written down."""
    return sum((rounded(box[a] * box[b], figures) for a, b in pairs), point(0.0))


def band(formula, box, figures=FIGURES):
    """The range of values a learner can reach with ``formula`` from the ranges ``box`` (by name).

    Products inside the formula are rounded as a learner writes them down; the
    result itself is not (its rounding is the answer's own written precision).
    A formula this module does not know is evaluated with ranges for numbers,
    which works for any formula made of sums, differences and products.
    """
    if isinstance(formula, (Given, Constant)):
        raise ValueError("a given number has no formula to evaluate")
    if isinstance(formula, WeightedSum):
        return _products(formula.pairs, box, figures) + sum((box[p] for p in formula.plain), point(0.0))
    if isinstance(formula, Sigmoid):
        net = box[formula.net]
        return Interval(_sigmoid(net.lo), _sigmoid(net.hi))
    if isinstance(formula, HalfSquaredError):
        return 0.5 * rounded((box[formula.target] - box[formula.out]).square(), figures)
    if isinstance(formula, Sum):
        return sum((box[t] for t in formula.terms), point(0.0))
    if isinstance(formula, ErrorSlope):
        return -(box[formula.target] - box[formula.out])
    if isinstance(formula, SigmoidSlope):
        return _slope(box[formula.out])
    if isinstance(formula, Product):
        factors = [box[f] for f in formula.factors]
        result = factors[0]
        for factor in factors[1:-1]:
            result = rounded(result * factor, figures)
        return result * factors[-1] if len(factors) > 1 else result
    if isinstance(formula, SumOfProducts):
        return _products(formula.pairs, box, figures)
    if isinstance(formula, Same):
        return box[formula.source]
    if isinstance(formula, Negative):
        return -box[formula.source]
    if isinstance(formula, Update):
        return box[formula.parameter] - rounded(box[formula.eta] * box[formula.gradient], figures)
    if isinstance(formula, ErrOfOutput):
        return rounded(_slope(box[formula.out]), figures) * (box[formula.target] - box[formula.out])
    if isinstance(formula, ErrOfHidden):
        return rounded(_slope(box[formula.out]), figures) * _products(formula.pairs, box, figures)
    if isinstance(formula, UpdateByErr):
        step = rounded(box[formula.eta] * box[formula.err], figures)
        if formula.value:
            step = rounded(step * box[formula.value], figures)
        return box[formula.parameter] + step
    return _as_interval(formula.evaluate(box))


def written_range(w):
    """The range of numbers an answer stands for: its value, give or take half a unit of its last digit."""
    room = w.half_unit * (1 + SLACK) + SLACK * abs(w.value)
    return Interval(w.value - room, w.value + room)


def safely(function, *args):
    """Call ``function``; a value that cannot be worked out (a KeyError, an overflow) is None."""
    try:
        result = function(*args)
    except (ArithmeticError, ValueError, KeyError, LookupError, TypeError):
        return None
    if isinstance(result, Interval):
        return result if math.isfinite(result.lo) and math.isfinite(result.hi) else None
    try:
        result = float(result)
    except (TypeError, ValueError, OverflowError):
        return None
    return result if math.isfinite(result) else None
