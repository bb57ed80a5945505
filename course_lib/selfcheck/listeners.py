"""Listeners: who hears of each self-check (for example a room dashboard's client).

``add_listener(callback)`` registers a function that is called as
``callback(example, result)`` after every :func:`check_answers` (``result``
is the :class:`Report`), :func:`check_forward` and :func:`check_backward`
(``result`` is the :class:`CodeCheck`), and after the batch checks
:func:`check_batch_forward` and :func:`check_batch_backward` (``example``
is then the network checked, ``result`` the :class:`CodeCheck`).  A listener must return at once
(enqueue, never send); whatever goes wrong inside one is logged on the
``course_lib.selfcheck`` logger and swallowed: the learner's check never
fails because of a listener.  ``remove_listener(callback)`` stops it.
"""

import logging

__all__ = ["add_listener", "remove_listener", "notify"]

_LISTENERS = []
_log = logging.getLogger("course_lib.selfcheck")


def add_listener(callback):
    """Call ``callback(example, result)`` after every self-check (once, however often it is added)."""
    if not callable(callback):
        raise TypeError(f"a listener must be a function of (example, result), got {type(callback).__name__}")
    if callback not in _LISTENERS:
        _LISTENERS.append(callback)
    return callback


def remove_listener(callback):
    """Stop calling ``callback``; removing one that was never added does nothing."""
    if callback in _LISTENERS:
        _LISTENERS.remove(callback)


def notify(example, result):
    """Tell every listener about one result; a listener's error is logged, never raised."""
    for callback in list(_LISTENERS):
        try:
            callback(example, result)
        except Exception:
            _log.exception("a self-check listener failed (%r); the check itself is not affected", callback)
