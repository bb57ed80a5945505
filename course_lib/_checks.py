"""Checks of the numbers a learner hands to the library.

Every public function of ``course_lib`` passes its inputs through
:func:`as_array`, so that a wrong input is reported in words that name what
was expected, instead of surfacing later as a NumPy broadcasting error.
"""

import numbers

import numpy as np


def describe(value):
    """Return a short description of ``value`` for an error message."""
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(value).__name__} {text}"


def as_array(value, what, shape=None, ndim=None):
    """Return ``value`` as a new float64 array, or raise a clear error.

    ``what`` names the value in the message (e.g. ``"the input x"``).
    ``shape`` (a tuple) or ``ndim`` (an int or a tuple of ints), when given,
    is the shape the caller expects.  NaN and infinity are refused.
    """
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{what} must be a number or an array of numbers, got {describe(value)}")
    try:
        array = np.array(value)
    except ValueError:
        raise TypeError(f"{what} must be a number or a regular array of numbers, got {describe(value)}") from None
    if array.dtype.kind == "O" and all(isinstance(v, numbers.Real) for v in array.flat):
        array = array.astype(np.float64)  # e.g. fractions.Fraction(1, 2)
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{what} must be a number or an array of numbers, got {describe(value)}")
    array = array.astype(np.float64)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if array.ndim not in allowed:
            names = {0: "a single number", 1: "a vector (1-D)", 2: "a matrix (2-D)"}
            expected = " or ".join(names.get(n, f"{n}-D") for n in allowed)
            raise ValueError(f"{what} must be {expected}, got an array of shape {array.shape}")
    if shape is not None and array.shape != tuple(shape):
        raise ValueError(f"{what} must have shape {tuple(shape)}, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{what} contains NaN or infinity: {array.tolist()}")
    return array


def as_positive_number(value, what):
    """Return ``value`` as a float that is finite and greater than zero."""
    number = float(as_array(value, what, ndim=0))
    if number <= 0:
        raise ValueError(f"{what} must be greater than zero, got {number}")
    return number


def as_count(value, what):
    """Return ``value`` as a whole number that is zero or more."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{what} must be a whole number, got {describe(value)}")
    if value < 0:
        raise ValueError(f"{what} must be zero or more, got {value}")
    return int(value)
