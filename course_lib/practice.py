"""Practice without end: a course network with fresh, friendly numbers.

``practice("mazur", seed=7)`` is the 2-2-2 network of lesson 07 with new
weights, inputs and targets, chosen so that they are easy to work with by
hand (two decimals, no zeros where a zero would make a step trivial).  The
same seed always gives the same problem, so a class can share one, and the
self-check works on it exactly as on the course's own numbers.
"""

from dataclasses import replace

import numpy as np

from ._checks import as_count
from .network import SigmoidNetwork
from .networks import get

__all__ = ["practice"]


def _friendly(rng, low, high, shape=()):
    """Numbers with two decimals between ``low`` and ``high``, none of them within 0.05 of zero."""
    values = np.round(rng.uniform(low, high, shape), 2)
    while np.any(tiny := np.abs(values) < 0.05):
        values[tiny] = np.round(rng.uniform(low, high, np.count_nonzero(tiny)), 2)
    return values


def practice(name, seed):
    """Return the course network ``name`` with new friendly numbers drawn with ``seed``.

    Weights and biases lie between -1 and 1, inputs between 0 and 1 (or are
    0 and 1 where the original's are), targets between 0.01 and 0.99; the
    learning rate and the notation are the original's.
    """
    seed = as_count(seed, "the seed")
    base = get(name)
    rng = np.random.default_rng([seed, sum(map(ord, name))])
    weights = [_friendly(rng, -1, 1, w.shape) for w in base.network.weights]
    biases = [
        _friendly(rng, -1, 1, b.shape) if base.notation.has_biases else np.zeros(b.shape) for b in base.network.biases
    ]
    if np.all(np.isin(base.x, (0.0, 1.0))):
        x = rng.integers(0, 2, base.x.shape).astype(float)
        x[rng.integers(len(x))] = 1.0  # at least one input that is on
    else:
        x = _friendly(rng, 0, 1, base.x.shape)
    target = np.clip(np.round(rng.uniform(0, 1, base.target.shape), 2), 0.01, 0.99)
    return replace(
        base,
        network=SigmoidNetwork(weights, biases),
        x=x,
        target=target,
        title=f"{base.title}: practice problem {seed}",
        seed=seed,
    )
