"""What the room knows of the course, read from course_lib (the one source of truth).

The dashboard lists exercises in course order with their titles (``course_lib.exercises``), quantities
in the order of working of the exercise's network (the forward pass first, the updates last, the
checks of code after), and named mistakes with the human title that ``course_lib.mistakes`` gives
each identifier.

An exercise, as the learners' kernels report it (see ``course_lib.exercises.exercise_of``), is the
name of one of the course's exercises (``"07-mazur"``), or of a course network for a check made
outside the exercises (``"mazur"``); either with ``"/practice"`` for a practice problem.
"""

from functools import cache

from course_lib import exercises, mistakes, networks

# the quantities of check_forward and check_backward, and of the batch checks (lesson 10's exercise)
CODE_CHECKS = ("forward pass", "backpropagation", "forward pass of a batch", "backpropagation of a batch")


def _parts(exercise):
    """``(the Exercise or None, the network's name or None, practice?)`` of a reported exercise name."""
    name, _, practice = exercise.partition("/")
    found = exercises.exercise(name)
    if found is not None:
        return found, found.network, bool(practice)
    return None, (name if name in networks.names() else None), bool(practice)


@cache
def _position(exercise):
    """Where an exercise comes in the course: its place; a network's checks just after its exercise."""
    found, network, _ = _parts(exercise)
    order = exercises.names()
    if found is not None:
        return order.index(found.name), 0
    first = next((k for k, e in enumerate(exercises.EXERCISES) if e.network == network), len(order))
    return first, 1


def exercise_key(exercise):
    """Sort key: course order, each practice problem right after its exercise, unknown names last."""
    return (*_position(exercise), _parts(exercise)[2], exercise)


@cache
def exercise_title(exercise):
    """The heading of an exercise's section: the exercise's title, or the network's for checks outside one."""
    found, network, practice = _parts(exercise)
    if found is not None:
        return f"{found.title}: practice problems" if practice else found.title
    if network is None:
        return exercise
    title = networks.get(network).title
    return f"{title}: practice problems" if practice else f"{title} (outside the exercises)"


@cache
def _quantity_order(exercise):
    network = _parts(exercise)[1]
    keys = networks.get(network).calculation.keys() if network else []
    order = {key: k for k, key in enumerate(keys)}
    order.update({check: len(keys) + k for k, check in enumerate(CODE_CHECKS)})
    return order


def quantity_key(exercise, quantity):
    """Sort key: the order of working of the exercise's network, code checks after, unknown names last."""
    order = _quantity_order(exercise)
    return (order.get(quantity, len(order)), quantity)


def mistake_title(mistake):
    """The human title of a named mistake, as ``course_lib.mistakes`` defines it beside its message.

    An identifier the registry does not know (a learner's kernel on another version of the course) is
    shown as it is, never guessed at.
    """
    return mistakes.title(mistake)
