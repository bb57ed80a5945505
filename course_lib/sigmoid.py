"""The sigmoid function and its derivative.

The sigmoid squashes any real number ``z`` into the open interval (0, 1)::

    sigmoid(z) = 1 / (1 + e^(-z))

and its derivative can be written with the sigmoid itself::

    sigmoid'(z) = sigmoid(z) * (1 - sigmoid(z))

which is why backpropagation through a sigmoid neuron needs only the neuron's
output: if ``out = sigmoid(net)`` then ``d out / d net = out * (1 - out)``.

Computing ``1 / (1 + exp(-z))`` literally overflows for ``z = -1000``
(``exp(1000)`` is too large for a float).  We use SciPy's ``expit``, which
evaluates the same function without overflow and to full precision.
"""

import numpy as np
from scipy.special import expit

__all__ = ["sigmoid", "sigmoid_prime"]


def sigmoid(z):
    """Return the sigmoid ``1 / (1 + e^(-z))`` of a number or an array.

    Works element by element on arrays of any shape, in float64, and without
    overflow warnings for large ``|z|``: ``sigmoid(1000)`` is 1.0 and
    ``sigmoid(-1000)`` is 0.0.
    """
    return expit(np.asarray(z, dtype=np.float64))[()]


def sigmoid_prime(z):
    """Return the derivative of the sigmoid, ``sigmoid(z) * (1 - sigmoid(z))``.

    Computed as ``sigmoid(z) * sigmoid(-z)``, which is the same number
    (because ``1 - sigmoid(z) = sigmoid(-z)``) but keeps full relative
    precision when ``sigmoid(z)`` is close to 1: at ``z = 30`` the literal
    ``1 - sigmoid(z)`` would lose three of its sixteen digits.
    """
    z = np.asarray(z, dtype=np.float64)
    return (expit(z) * expit(-z))[()]
