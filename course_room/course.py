"""What the room knows of the course, read from course_lib (the one source of truth).

The dashboard lists exercises in course order with their titles, quantities
in the order of working (the forward pass first, the updates last), and
named mistakes with the human title that ``course_lib.mistakes`` gives each
identifier.
"""

from functools import cache

from course_lib import mistakes, networks

CODE_CHECKS = ("forward pass", "backpropagation")  # the quantities of check_forward and check_backward


@cache
def exercise_order():
    return {name: position for position, name in enumerate(networks.names())}


def exercise_key(exercise):
    """Sort key: course order, each practice problem right after its network, unknown names last."""
    name, _, practice = exercise.partition("/")
    return (exercise_order().get(name, len(exercise_order())), bool(practice), exercise)


@cache
def exercise_title(exercise):
    name, _, practice = exercise.partition("/")
    if name not in exercise_order():
        return exercise
    title = networks.get(name).title
    return f"{title}: practice problems" if practice else title


@cache
def _quantity_order(name):
    if name not in exercise_order():
        return {}
    keys = networks.get(name).calculation.keys()
    order = {key: k for k, key in enumerate(keys)}
    order.update({check: len(keys) + k for k, check in enumerate(CODE_CHECKS)})
    return order


def quantity_key(exercise, quantity):
    """Sort key: the order of working of the exercise's network, code checks after, unknown names last."""
    order = _quantity_order(exercise.partition("/")[0])
    return (order.get(quantity, len(order)), quantity)


def mistake_title(mistake):
    """The human title of a named mistake, as ``course_lib.mistakes`` defines it beside its message.

    An identifier the registry does not know (a learner's kernel on another version of the course) is
    shown as it is, never guessed at.
    """
    return mistakes.title(mistake)
