"""The course's exercises: each one's notebook, its title and the example whose numbers it works.

An exercise is a notebook of ``exercises/`` (generated from ``solutions/``), named after its number and
its network: ``07-mazur.ipynb`` works the 2-2-2 network of lesson 07 with Mazur's numbers.  Lesson
10's exercise is the one that is not named after its network: it works a practice problem of lesson
08's network (``practice("wider", seed=10)``), and it is the exercise with checks of code on a batch.

The room (:mod:`course_lib.room`) reports a self-check under the exercise it belongs to
(:func:`exercise_of`), and the dashboard shows the exercises in this order, under these titles.
``tests/test_exercises.py`` holds this list against the notebooks themselves: a new exercise that
is missing here fails the tests, with the line to add.
"""

import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import PurePath, PureWindowsPath

from .network import SigmoidNetwork
from .networks import Example, get
from .networks import names as network_names
from .practice import practice

__all__ = ["Exercise", "EXERCISES", "names", "exercise", "working", "exercise_of", "notebook_of"]


@dataclass(frozen=True)
class Exercise:
    """One exercise: ``name`` (its notebook's, without ``.ipynb``), ``title`` (its heading), the course
    ``network`` it works and, for a practice problem of that network, its ``seed``; ``batch`` says whether
    it checks code on a batch (:func:`course_lib.selfcheck.check_batch_forward` and ``_backward``)."""

    name: str
    title: str
    network: str
    seed: int = None
    batch: bool = False

    @property
    def number(self):
        """The exercise's number as the course writes it: ``"07"``."""
        return self.name.split("-", 1)[0]

    def example(self):
        """The course example whose numbers this exercise works."""
        return _example(self.network, self.seed)

    def works(self, example):
        """True when ``example`` is this exercise's own (the same network and the same numbers)."""
        return example.name == self.network and example.seed == self.seed and example == self.example()


@cache
def _example(network, seed):
    return get(network) if seed is None else practice(network, seed)


EXERCISES = (
    Exercise("01-perceptron", "Exercise 01: The perceptron, one weight", "perceptron"),
    Exercise("02-perceptron-bias", "Exercise 02: The bias", "perceptron-bias"),
    Exercise("03-two-inputs", "Exercise 03: Two inputs and the dot product", "two-inputs"),
    Exercise("04-two-outputs", "Exercise 04: Two outputs, one total error", "two-outputs"),
    Exercise("05-hidden-neuron", "Exercise 05: A hidden neuron and the chain rule through a layer", "hidden-neuron"),
    Exercise("06-han-kamber", "Exercise 06: Han & Kamber's 3-2-1 example", "han-kamber"),
    Exercise("07-mazur", "Exercise 07: The 2-2-2 network, step by step", "mazur"),
    Exercise("08-wider", "Exercise 08: A wider network, 2-3-2", "wider"),
    Exercise("09-four-layers", "Exercise 09: Four layers, 2-2-2-2", "four-layers"),
    Exercise("10-any-number-of-layers", "Exercise 10: Any number of layers, in matrices", "wider", 10, batch=True),
)
_BY_NAME = {e.name: e for e in EXERCISES}


def names():
    """The exercises' names, in the course's order."""
    return [e.name for e in EXERCISES]


def exercise(name):
    """The exercise called ``name`` (``"07-mazur"``), or None."""
    return _BY_NAME.get(name)


def working(example):
    """The exercise whose own numbers ``example`` has (the first, in the course's order), or None."""
    return next((e for e in EXERCISES if e.works(example)), None)


# -- which exercise a self-check belongs to ----------------------------------------------------------

# A learner's copy of an exercise: make fresh's NAME-fresh.ipynb, JupyterLab's Duplicate (NAME-Copy1.ipynb),
# a browser's second download (NAME (1).ipynb)
_COPY = re.compile(r"(-fresh(-\d+)?|-Copy\d+| \(\d+\))$")
LESSONS_FOLDER = "notebooks"  # the lessons' notebooks: their checks show the self-check at work


def notebook_of(path=None):
    """What the kernel's notebook is: ``("exercise", Exercise)``, ``("lesson", None)`` or ``(None, None)``.

    ``path`` is the notebook's path, by default the one Jupyter gives the
    kernel in its environment (``JPY_SESSION_NAME``, set when the kernel is
    started for a notebook).  An exercise is known by its name, also in a
    copy of it (``07-mazur-fresh.ipynb``, ``07-mazur-Copy1.ipynb``); a
    notebook of the lessons' folder is a lesson.
    """
    path = os.environ.get("JPY_SESSION_NAME") if path is None else path
    if not isinstance(path, str) or not path.endswith(".ipynb"):
        return None, None
    notebook = PureWindowsPath(path) if "\\" in path else PurePath(path)
    if notebook.parent.name == LESSONS_FOLDER:
        return "lesson", None
    stem = notebook.stem
    while _COPY.search(stem):
        stem = _COPY.sub("", stem)
    found = exercise(stem)
    return ("exercise", found) if found else (None, None)


def exercise_of(example, notebook=None):
    """The name of the exercise a self-check belongs to, as the room reports it; None: not reported.

    ``example`` is what was checked: a course example (``check_answers``,
    ``check_forward``, ``check_backward``) or a network (the batch checks).

    - In an exercise's notebook (:func:`notebook_of`), its own example and
      the batch checks are that exercise (``"10-any-number-of-layers"``); a
      practice problem of its network is ``"08-wider/practice"``.
    - In a lesson, nothing is reported: a lesson's checks are the course's
      demonstrations (of a mistake, often), not the learner's answers.
    - Elsewhere (another notebook, a script, or a kernel that does not know
      its notebook), the example says: the exercise that works its numbers;
      else the network's name, ``"mazur/practice"`` for a practice problem;
      the batch checks, the exercise that has them.  An example that is not
      one of the course's networks is not reported.
    """
    kind, found = notebook_of(notebook)
    if kind == "lesson":
        return None
    if isinstance(example, SigmoidNetwork):  # a batch check, on a network the exercise made
        if found is None:
            found = next((e for e in EXERCISES if e.batch), None)
        return found.name if found else None
    if not isinstance(example, Example) or example.name not in network_names():
        return None
    if found is not None:
        if found.works(example):
            return found.name
        if example.name == found.network:
            return f"{found.name}/practice"
    own = working(example)
    if own is not None:
        return own.name
    return f"{example.name}/practice" if example.seed is not None else example.name
