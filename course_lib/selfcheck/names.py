"""Names: the names a network's quantities go by, the closest one to a misspelt name, and other texts' names.

Learners read more than one text, and each names things its own way.  The
course keeps each network in its own text's notation (``net_h1`` and
``delta_o1`` in the main text, ``z`` and ``C`` in the perceptron text,
``I6``, ``O6`` and ``Err6`` in Han & Kamber's), and this module recognises
the others' names when a learner uses them:

- Han & Kamber write ``Err_j``, which is **minus** the main text's
  ``delta_j`` (their update adds ``l Err_j O_i``, the main text's subtracts
  ``eta delta_j out_i``: the same step);
- the perceptron text calls the error ``C`` where the main text writes
  ``E_total`` (so ``dC/dw`` is the main text's ``dE/dw``), and the learning
  rate ``alpha`` where the main text writes ``eta`` (Han & Kamber: ``l``);
- Matt Mazur's post, whose numbers lesson 07 uses, numbers the weights by
  the neuron they *enter* (his ``w2`` goes from ``i2`` to ``h1``), while the
  course numbers them by the neuron they *leave* (its ``w2`` goes from
  ``i1`` to ``h2``): his ``w2`` and ``w3``, and his ``w6`` and ``w7``, swap
  names.  That one cannot be seen in a name, only in a value, so the
  self-check looks for it in the numbers (:func:`swapped_numbering`).
"""

import difflib
import re

__all__ = ["known_names", "closest", "other_text", "swapped_numbering", "swap_weights"]


def known_names(calc):
    """Every name of a quantity (main names and aliases), mapped to its main name; ``dE_dw5`` for ``dE/dw5`` too."""
    names = {}
    for key in calc.keys() + list(calc.aliases):
        names[key] = calc.canonical(key)
        names.setdefault(key.replace("/", "_"), calc.canonical(key))
    return names


def closest(calc, name, n=3):
    """Up to ``n`` names of the network that look most like ``name`` (a misspelling), best first."""
    known = calc.keys() + list(calc.aliases)
    text = str(name)
    if text.startswith("new_") or text.startswith("new "):  # new_w5 for w5_new
        text = text[4:] + "_new"
    found = difflib.get_close_matches(text, known, n=n)
    if not found:  # a missing underscore or slash: neth1, dEdw5
        squeezed = {k.replace("_", "").replace("/", "").lower(): k for k in known}
        match = squeezed.get(text.replace("_", "").replace("/", "").replace(" ", "").lower())
        found = [match] if match else []
    return found


_ERR = re.compile(r"^(?:Err|err|ERR)_?(\w+)$")
_ERRORS = ("E_total", "E", "C", "Etotal", "E_tot", "loss", "L", "J", "cost")
_RATES = ("eta", "alpha", "l", "lr", "learning_rate")


def _neuron(notation, text):
    """The neuron called ``text`` (``o1``, ``6``, ``h1``), or None."""
    for layer in notation.neurons:
        if text in layer:
            return text
    return None


def other_text(example, name):
    """Recognise a name from another text's notation.

    Returns ``(mistake, message, key, sign)`` with the mistake's identifier,
    the explanation, and the quantity of this network it stands for (``key``;
    None if there is none) with the sign that turns the learner's number into
    it (-1 for Han & Kamber's ``Err``); or None when ``name`` is no other
    text's name either.
    """
    if not isinstance(name, str):
        return None
    n, calc = example.notation, example.calculation
    match = _ERR.match(name)
    if match and not n.patterns["err"]:
        neuron = _neuron(n, match.group(1)) or _neuron(n, match.group(1).lstrip("_"))
        key = n.name("delta", neuron) if neuron and neuron not in n.neurons[0] else None
        ours = key or "delta"
        return (
            "han-kamber-naming",
            f"{name} is Han & Kamber's name: their Err is minus this text's delta, so {ours} = -{name}; "
            f"give it as {ours} with the sign changed",
            key,
            -1.0,
        )
    if name in _RATES and name != n.eta:
        return (
            "other-notation",
            f"{name} is another text's name for the learning rate, which is {n.eta} here",
            n.eta,
            1.0,
        )
    base, suffix = (name[: -len("_new")], "_new") if name.endswith("_new") else (name, "")
    if base in _ERRORS and base != n.error and n.error + suffix in calc.by_key:
        ours = n.error + suffix
        return ("other-notation", f"{name} is another text's name: this network's error is called {ours}", ours, 1.0)
    if name.startswith("d") and "/" in name:
        top, bottom = name.split("/", 1)
        ours = f"d{n.d}/{bottom}"
        if top[1:] in _ERRORS and top[1:] != n.d and ours in calc.by_key:
            return (
                "other-notation",
                f"{name} is written in another text's names: this network's error is {n.error}, so write {ours}",
                ours,
                1.0,
            )
    return None


def swapped_numbering(notation):
    """The weights whose names swap when they are numbered by the neuron they enter (Mazur's way).

    Returns ``{course name: the name in that numbering}`` for the weights that
    differ, e.g. ``{"w2": "w3", "w3": "w2", "w6": "w7", "w7": "w6"}`` for the
    2-2-2 network; empty for a notation that does not number its weights
    ``w1, w2, ...`` layer by layer.
    """
    swaps = {}
    number = 1
    for layer in notation.weights:  # layer[j][i]: from neuron i to neuron j
        names = [layer[j][i] for i in range(len(layer[0])) for j in range(len(layer))]  # the course's order
        if names != [f"w{number + k}" for k in range(len(names))]:
            return {}
        entering = [layer[j][i] for j in range(len(layer)) for i in range(len(layer[0]))]  # by the neuron entered
        for k, course_name in enumerate(entering):
            if course_name != f"w{number + k}":
                swaps[course_name] = f"w{number + k}"
        number += len(names)
    return swaps


def swap_weights(key, swaps):
    """The quantity ``key`` with its weight names swapped (``dE/dw2`` -> ``dE/dw3``); None if none swap."""
    changed = re.sub(r"(^|/d)(w\d+)(?=_|$)", lambda m: m.group(1) + swaps.get(m.group(2), m.group(2)), key)
    return changed if changed != key else None
