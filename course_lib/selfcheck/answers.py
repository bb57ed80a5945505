"""The learner's answers for one course example, by the example's own names.

``answers.net_h1 = 0.3775``, or ``answers["dE/dw5"] = 0.0822`` for names
with a slash (``answers.dE_dw5`` works too); ``answers.net_h1 = ...`` leaves
a slot to fill in, a question not yet attempted.

Two things happen quietly at each assignment, so that nothing a learner
types is lost:

- the number's text is read from the cell (:mod:`course_lib.selfcheck.typed`),
  so that ``0.240`` keeps the trailing zero Python drops;
- a name the network does not have (``answers.neth1``, ``answers.w16``) is
  kept, and every check reports it, with the names it may have meant.
"""

import sys

from ..networks import Example
from .names import closest, known_names, other_text
from .reading import describe
from .typed import assigned_text, dict_texts

__all__ = ["Answers", "as_answers"]


class Answers:
    """A learner's answers for one course example, by the example's own names (see the module docstring)."""

    def __init__(self, example):
        if not isinstance(example, Example):
            raise TypeError(
                f"Answers needs a course example (course_lib.networks.get(name)), got {describe(example, 60)}"
            )
        object.__setattr__(self, "_example", example)
        object.__setattr__(self, "_names", known_names(example.calculation))
        object.__setattr__(self, "_values", {})
        object.__setattr__(self, "_texts", {})
        object.__setattr__(self, "_unknown", {})

    def no_such_quantity(self, name):
        """The message for a name the network does not have: another text's name explained, or the closest names."""
        foreign = other_text(self._example, name)
        if foreign is not None:
            return foreign[1] + "."
        close = closest(self._example.calculation, name)
        hint = f"; did you mean {' or '.join(close)}?" if close else "."
        return f"{self._example.name} has no quantity called {describe(name)}{hint}"

    def _key(self, name):
        try:
            return self._names[name]
        except (KeyError, TypeError):
            raise KeyError(self.no_such_quantity(name)) from None

    def __setattr__(self, name, value):
        self._store(name, value, sys._getframe(1))

    def __setitem__(self, name, value):
        self._store(name, value, sys._getframe(1))

    def _store(self, name, value, frame, text=None):
        """Keep an answer (and, for a float, the text it was typed with: ``0.240``, not ``0.24``)."""
        text = text if text is not None else assigned_text(frame, name, value)
        try:
            key = self._names.get(name)
        except TypeError:  # an unhashable name, e.g. a list
            key = None
        if key is None:
            self._unknown[_label(name)] = value
            return
        self._values[key] = value
        if text is None:
            self._texts.pop(key, None)
        else:
            self._texts[key] = text

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError as error:
            raise AttributeError(error.args[0]) from None

    def __getitem__(self, name):
        label = _label(name)
        if label in self._unknown:
            return self._unknown[label]
        return self._values.get(self._key(name), Ellipsis)

    @property
    def example(self):
        return self._example

    def slots(self):
        """The names of the questions, in the order of working (every name given a value or ``...``)."""
        order = self._example.calculation.position
        return sorted(self._values, key=order.__getitem__)

    def as_dict(self):
        return dict(self._values)

    def texts(self):
        """The typed text of the answers whose text is known (floats typed as literals in a cell), by name."""
        return dict(self._texts)

    def unknown(self):
        """Answers given under names the network does not have."""
        return dict(self._unknown)

    def check(self, keys=None):
        """Check these answers; see :func:`course_lib.selfcheck.check_answers`."""
        from .verdicts import check_answers

        return check_answers(self._example, self, keys)

    def __repr__(self):
        given = [k for k, v in self._values.items() if v is not Ellipsis]
        return f"<Answers for {self._example.name}: {len(given)} of {len(self._values)} filled in>"


def _label(name):
    """A name as a string for the report (a learner may type ``answers[3] = ...``)."""
    return name if isinstance(name, str) else describe(name)


def as_answers(example, answers, frame=None):
    """Return ``answers`` as an :class:`Answers` for ``example``: an Answers already, or a dict by name.

    For a dict, the text of each number is looked for in ``frame``'s source
    (the cell that called the check).
    """
    if isinstance(answers, Answers):
        if answers.example.notation is not example.notation:
            raise ValueError(f"these answers are for {answers.example.name}, not for {example.name}")
        return answers
    if isinstance(answers, dict):
        collected = Answers(example)
        texts = dict_texts(frame, answers)
        for name, value in answers.items():
            collected._store(name, value, None, texts.get(name) if isinstance(name, str) else None)
        return collected
    raise TypeError(f"answers must be an Answers object or a dict by name, got {describe(answers, 60)}")
