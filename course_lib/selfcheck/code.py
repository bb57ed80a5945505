"""Checking a learner's code: their ``forward(network, x)`` and ``backward(network, x, target)``.

The learner's function is run the way a careful examiner would run it:

- **on a private copy.**  The expected numbers are worked out first, from
  the course's network; the function then gets a copy of the network and
  of ``x`` and ``target``, so whatever it does to them (assign
  ``network.weights``, make an array writeable and write into it) cannot
  change the course's network or its answer key.  If the function reaches
  the course's network some other way, the network is put back and the
  check says so.
- **with a time limit** (``time_limit``, 10 s): a loop that never ends is
  stopped, with a message instead of a frozen notebook.
- **with the learner's own traceback.**  An error inside the function is
  shown as a short traceback of the learner's own lines, not of this module.
  ``exit()`` inside the function, or the kernel's interrupt button, stop the
  check with a message saying so.

The result is a :class:`CodeCheck`; ``mistake`` names a recognised mistake
(``None`` returned, every layer returned, a transposed gradient, ``W``
instead of ``W.T`` on the way back, ...), see :mod:`course_lib.mistakes`.
"""

import _thread
import os
import signal
import sys
import threading
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, replace
from html import escape

import numpy as np

from .. import mistakes as named
from ..gradcheck import PASS, gradient_check
from ..network import SigmoidNetwork
from ..networks import Example
from ..sigmoid import sigmoid
from .listeners import notify
from .reading import describe
from .report import MARKS

__all__ = ["CodeCheck", "check_forward", "check_backward", "TIME_LIMIT"]

TIME_LIMIT = 10.0  # seconds a learner's function may run
_HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # course_lib/


@dataclass(frozen=True)
class CodeCheck:
    """The verdict on a learner's function: ``status`` (``"correct"``, ``"incorrect"``, ``"not attempted"``).

    ``message`` says why (it may be a short traceback of several lines);
    ``details`` is the gradient check's report when there is one;
    ``mistake`` is None or the identifier of the recognised mistake.
    """

    what: str
    status: str
    message: str
    details: object = None
    mistake: str = None

    def __repr__(self):
        text = f"{self.what}: {self.status}. {self.message}"
        return text if self.details is None else f"{text}\n{self.details}"

    def _repr_html_(self):
        mark, colour = MARKS[self.status]
        details = self.details._repr_html_() if hasattr(self.details, "_repr_html_") else ""
        body = escape(self.message)
        body = f"<pre>{body}</pre>" if "\n" in self.message else f"<p>{body}</p>"
        return (
            f"<div class='course-codecheck'><p style='color:{colour};font-weight:bold'>{mark} {escape(self.what)}: "
            f"{self.status}</p>{body}{details}</div>"
        )


# -- running the learner's function ----------------------------------------------------------


class _TooSlow(BaseException):
    """Raised inside a learner's function that runs past the time limit (a BaseException: `except Exception` in
    the learner's code does not swallow it)."""


@contextmanager
def _time_limit(seconds):
    """Stop the code inside after ``seconds``: with a timer signal where there is one, else by an interrupt.

    Yields a dict whose ``"fired"`` says whether the limit stopped the code
    (so that an interrupt of the learner's own is told apart).
    """
    state = {"fired": False}
    main = threading.current_thread() is threading.main_thread()
    if seconds is None or not main:
        yield state
        return
    if hasattr(signal, "setitimer"):

        def stop(signum, frame):
            state["fired"] = True
            raise _TooSlow

        previous = signal.signal(signal.SIGALRM, stop)
        earlier, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield state
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
            if earlier:  # someone else's timer was running: give it back what is left of it
                signal.setitimer(signal.ITIMER_REAL, max(earlier - seconds, 1e-3))
        return
    done = threading.Event()

    def watch():
        if not done.wait(seconds):
            state["fired"] = True
            _thread.interrupt_main()

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield state
    finally:
        done.set()


def _ours(filename):
    return os.path.abspath(filename).startswith(_HERE)


def _library(filename):
    return "site-packages" in filename or "dist-packages" in filename or filename.startswith(sys.prefix)


def _place(filename):
    """A cell's name as JupyterLab shows it (``Cell In[17]``), or the file's name."""
    try:
        from IPython import get_ipython

        shell = get_ipython()
        named_cell = shell.compile.format_code_name(filename) if shell is not None else None
        if named_cell:
            return " ".join(named_cell)
    except Exception:
        pass
    return f'File "{filename}"'


def short_traceback(error):
    """The learner's own lines of an error's traceback, then the error itself."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if not _ours(f.filename)]
    theirs = [f for f in frames if not _library(f.filename)] or frames[-1:]
    lines = []
    for frame in theirs[-4:]:
        lines.append(f"  {_place(frame.filename)}, line {frame.lineno}, in {frame.name}")
        if frame.line:
            lines.append(f"    {frame.line.strip()}")
    try:
        last = "".join(traceback.format_exception_only(type(error), error)).strip()
    except Exception:
        last = type(error).__name__
    return "\n".join(lines + [last])


def call(what, name, function, args, time_limit):
    """Run a learner's function; return ``(result, None)``, or ``(None, CodeCheck)`` when it did not finish."""
    if not callable(function):
        return None, CodeCheck(what, "not attempted", f"Give your function itself, not {describe(function)}.")
    try:
        with _time_limit(time_limit) as limit:
            return function(*args), None
    except NotImplementedError:
        return None, CodeCheck(
            what, "not attempted", "Not written yet: replace `raise NotImplementedError` with your code."
        )
    except _TooSlow:
        return None, CodeCheck(
            what, "incorrect", named.TIME_LIMIT.say(function=name, seconds=time_limit), mistake=named.TIME_LIMIT.id
        )
    except SystemExit:
        return None, CodeCheck(what, "incorrect", named.SYSTEM_EXIT.say(function=name), mistake=named.SYSTEM_EXIT.id)
    except KeyboardInterrupt:
        if limit["fired"]:
            message = named.TIME_LIMIT.say(function=name, seconds=time_limit)
            return None, CodeCheck(what, "incorrect", message, mistake=named.TIME_LIMIT.id)
        message = "You interrupted your function before it finished; run the check again when it is ready."
        return None, CodeCheck(what, "not attempted", message)
    except Exception as error:  # a learner's bug: report it in their own lines, never crash the notebook
        message = f"Your {name} stopped with an error:\n{short_traceback(error)}"
        return None, CodeCheck(what, "incorrect", message, mistake=named.FUNCTION_ERROR.id)


def as_numbers(value):
    """What a learner's function returned as a float array; None when it is not numbers (text is not: "0.5")."""
    if isinstance(value, (str, bytes)):
        return None
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError, OverflowError):
        return None


def private_copy(network):
    """A copy of a network that a learner's function may do anything to (its arrays are its own)."""
    return SigmoidNetwork(
        [np.array(w) for w in network.weights], [np.array(b) for b in network.biases], output=network.output
    )


def _private(example):
    """A copy of the example's network, input and target that the learner's function may do anything to."""
    return private_copy(example.network), np.array(example.x), np.array(example.target)


@contextmanager
def guarded(network, *arrays):
    """Put ``network`` (and ``arrays``) back if the learner's function changed them; ``note["changed"]`` tells.

    The course's networks and examples never change (their arrays are read-only): a function that
    reaches them all the same (through a global name, say) finds them put back afterwards.
    """
    saved = {"weights": network.weights, "biases": network.biases}
    copies = [(a, a.copy()) for a in network.weights + network.biases + arrays]
    note = {"changed": False}
    try:
        yield note
    finally:
        for attribute, value in saved.items():
            if getattr(network, attribute, None) is not value:
                setattr(network, attribute, value)
                note["changed"] = True
        for array, copy in copies:
            if not np.array_equal(array, copy, equal_nan=True):
                array.flags.writeable = True
                array[...] = copy
                note["changed"] = True
            array.flags.writeable = False


def with_note(result, note, name):
    if not note["changed"]:
        return result
    message = f"{result.message} {named.CHANGED_COURSE.say(function=name)}"
    return replace(result, message=message, mistake=result.mistake or named.CHANGED_COURSE.id)


def _need_example(example, what):
    if not isinstance(example, Example):
        raise TypeError(f"{what} needs a course example (course_lib.networks.get(name)), got {describe(example, 60)}")


# -- the forward pass ----------------------------------------------------------------------


def check_forward(example, forward, time_limit=TIME_LIMIT):
    """Check a learner's forward pass: ``forward(network, x)`` must return the output vector (the last ``out``).

    The expected output is computed first, from the course's network; the
    function runs on a private copy, for at most ``time_limit`` seconds.
    """
    _need_example(example, "check_forward")
    expected = example.network.forward(example.x).output.copy()
    network, x, _ = _private(example)
    with guarded(example.network, example.x, example.target) as note:
        output, problem = call("forward pass", "forward", forward, (network, x), time_limit)
    result = with_note(problem or _judge_forward(example, output, expected), note, "forward")
    notify(example, result)
    return result


def _forward_variants(example):
    """The outputs of usual wrong forward passes: ``W.T`` for ``W``, the biases left out, no last sigmoid.

    Returns ``(mistake, message, output)`` triples.
    """
    net, x = example.network, example.x
    variants = []
    if all(w.shape[0] == w.shape[1] for w in net.weights) and any(not np.allclose(w, w.T) for w in net.weights):
        out = x
        for w, b in zip(net.weights, net.biases):
            out = sigmoid(w.T @ out + b)
        variants.append((named.TRANSPOSED_WEIGHTS, named.TRANSPOSED_WEIGHTS.say("forward"), out))
    if any(np.any(b != 0) for b in net.biases):
        out = x
        for w in net.weights:
            out = sigmoid(w @ out)
        variants.append((named.BIAS_LEFT_OUT, named.BIAS_LEFT_OUT.say("code"), out))
    record = net.forward(x)
    variants.append((named.SIGMOID_NOT_APPLIED, named.SIGMOID_NOT_APPLIED.say("code"), record.net[-1]))
    return variants


def _judge_forward(example, output, expected):
    what = "forward pass"
    if output is None:
        message = named.RETURNED_NONE.say(function="forward")
        return CodeCheck(what, "incorrect", message, mistake=named.RETURNED_NONE.id)
    layers = len(example.network.weights)
    if isinstance(output, (list, tuple)) and len(output) in (layers, layers + 1) and len(output) > 1:
        last = output[-1]
        if np.size(last) == expected.size and all(np.ndim(o) >= 1 for o in output if o is not None):
            message = named.ALL_LAYERS.say(count=len(output))
            return CodeCheck(what, "incorrect", message, mistake=named.ALL_LAYERS.id)
    array = as_numbers(output)
    if array is None:
        message = f"Return the {expected.size} outputs as a vector of numbers, got {describe(output, 60)}."
        return CodeCheck(what, "incorrect", message, mistake=named.NOT_NUMBERS.id)
    if array.size != expected.size:
        message = (
            f"Return the {expected.size} outputs (one per output neuron), as an array of shape {expected.shape}; "
            f"yours has shape {array.shape}."
        )
        return CodeCheck(what, "incorrect", message, mistake=named.WRONG_SHAPE.id)
    if not np.all(np.isfinite(array)):
        return CodeCheck(what, "incorrect", named.NAN.say(what="outputs"), mistake=named.NAN.id)
    array = array.reshape(expected.shape)
    if np.allclose(array, expected, rtol=1e-9, atol=1e-12):
        return CodeCheck(what, "correct", f"Your outputs {np.round(array, 9).tolist()} are right.")
    message = f"Your outputs are {np.round(array, 9).tolist()}, but the network gives {np.round(expected, 9).tolist()}."
    for mistake, words, wrong in _forward_variants(example):
        if np.allclose(array, wrong, rtol=1e-6, atol=1e-9):
            return CodeCheck(what, "incorrect", f"{words} {message}", mistake=mistake.id)
    return CodeCheck(what, "incorrect", message)


# -- backpropagation -------------------------------------------------------------------------


def check_backward(example, backward, time_limit=TIME_LIMIT):
    """Check a learner's backpropagation with the gradient checker.

    ``backward(network, x, target)`` must return ``(weight_gradients,
    bias_gradients)``: lists shaped like ``network.weights`` and
    ``network.biases`` (for a network without biases, ``None`` will do).
    The centred differences are computed first, from a copy of the course's
    network that the function never sees; the function runs on another copy,
    for at most ``time_limit`` seconds.
    """
    _need_example(example, "check_backward")
    pristine = example.with_values({})  # a copy: the learner's function never sees it
    reference = gradient_check(pristine)
    network, x, target = _private(example)
    with guarded(example.network, example.x, example.target) as note:
        grads, problem = call("backpropagation", "backward", backward, (network, x, target), time_limit)
    result = with_note(problem or _judge_backward(pristine, grads, reference), note, "backward")
    notify(example, result)
    return result


def _parts(grads, network, has_biases):
    """The learner's gradients as (weights, biases) lists; a message when they do not have that form."""
    if hasattr(grads, "weights") and hasattr(grads, "biases"):
        return grads.weights, grads.biases
    if isinstance(grads, dict) and {"weights", "biases"} <= set(grads):
        return grads["weights"], grads["biases"]
    if isinstance(grads, (tuple, list)) and len(grads) == 2:
        weights, biases = grads
        if biases is None and not has_biases:
            biases = [np.zeros_like(b) for b in network.biases]
        return weights, biases
    raise TypeError(
        f"return a pair (weight_gradients, bias_gradients), two lists shaped like network.weights and "
        f"network.biases; got {describe(grads, 60)}"
    )


def _arrays(given, parameters, part):
    """The learner's gradients of one part as float arrays shaped like ``parameters``; raise with what is wrong."""
    if isinstance(given, np.ndarray) or not hasattr(given, "__len__"):
        raise ValueError(
            f"{part}_gradients must be a list of {len(parameters)} arrays, one per layer; got {describe(given)}"
        )
    if len(given) != len(parameters):
        raise ValueError(
            f"{part}_gradients must hold {len(parameters)} arrays, one per layer; yours holds {len(given)}"
        )
    arrays = []
    for l, (g, p) in enumerate(zip(given, parameters)):
        try:
            array = np.asarray(g, dtype=float)
        except (TypeError, ValueError, OverflowError):
            raise ValueError(f"{part}_gradients[{l}] must be an array of numbers; got {describe(g)}") from None
        if array.shape == p.shape[::-1] and p.ndim == 2 and p.shape[0] != p.shape[1]:
            raise _Transposed(l, p.shape)
        if array.size == p.size and array.shape != p.shape:
            array = array.reshape(p.shape)  # a column for a vector, say: the numbers are what count
        if array.shape != p.shape:
            raise ValueError(
                f"{part}_gradients[{l}] must have shape {p.shape}, like network.{part}[{l}]; got {array.shape}"
            )
        arrays.append(array)
    return arrays


class _Transposed(ValueError):
    def __init__(self, layer, shape):
        super().__init__(named.TRANSPOSED_GRADIENT.say("one", layer=layer, shape=shape))
        self.layer = layer


def _judge_backward(example, grads, reference):
    what = "backpropagation"
    network = example.network
    if grads is None:
        return CodeCheck(
            what, "incorrect", named.RETURNED_NONE.say(function="backward"), mistake=named.RETURNED_NONE.id
        )
    try:
        weights, biases = _parts(grads, network, example.notation.has_biases)
        weights = _arrays(weights, network.weights, "weight")
        biases = _arrays(biases, network.biases, "bias")
    except _Transposed as error:
        return CodeCheck(what, "incorrect", str(error), mistake=named.TRANSPOSED_GRADIENT.id)
    except (TypeError, ValueError) as error:
        return CodeCheck(
            what, "incorrect", f"Your gradients do not have the right form: {error}", mistake=named.WRONG_SHAPE.id
        )
    if not all(np.all(np.isfinite(g)) for g in weights + biases):
        return CodeCheck(what, "incorrect", named.NAN.say(what="gradients"), mistake=named.NAN.id)
    report = gradient_check(example, grads=(weights, biases), numerical=reference)
    if report.passed:  # the table of tiny relative errors would only add noise (and digits that vary by machine)
        return CodeCheck(what, "correct", "Your gradients agree with centred differences.")
    wrong = [row.name for row in report.rows if row.verdict in ("wrong", "suspicious")]
    message = f"These gradients disagree: {', '.join(wrong)}."
    for mistake, words in _backward_mistakes(example, weights, biases):
        return CodeCheck(what, "incorrect", f"{words} {message}", report, mistake)
    return CodeCheck(what, "incorrect", message, report)


def _backprop(network, x, target, transposed=False, output_slope=True):
    """Backpropagation as the learner writes it, with one usual mistake switched on."""
    outs = list(network.forward(x).out)
    delta = outs[-1] - target
    if output_slope:
        delta = delta * outs[-1] * (1 - outs[-1])
    weights, biases = [], []
    for l in range(len(network.weights) - 1, -1, -1):
        weights.insert(0, np.outer(delta, outs[l]))
        biases.insert(0, delta)
        back = network.weights[l] if transposed else network.weights[l].T
        if back.shape[1] != delta.shape[0]:
            return None
        delta = (back @ delta) * outs[l] * (1 - outs[l])
    return weights, biases


def _close(mine, theirs):
    scale = max(max(float(np.max(np.abs(t))) for t in theirs), 1e-12)
    return all(np.allclose(m, t, rtol=1e-6, atol=PASS * scale) for m, t in zip(mine, theirs))


def _backward_mistakes(example, weights, biases):
    """The usual mistakes of backpropagation in code that explain the learner's gradients, as (id, message)."""
    network, x, target = example.network, example.x, example.target
    right = network.backward(x, target)
    if _close(weights, [-g for g in right.weights]) and _close(biases, [-g for g in right.biases]):
        yield named.GRADIENT_SIGN.id, named.GRADIENT_SIGN.message
    for l, (mine, true) in enumerate(zip(weights, right.weights)):
        if mine.shape[0] == mine.shape[1] and not np.allclose(true, true.T) and np.allclose(mine, true.T, rtol=1e-6):
            yield named.TRANSPOSED_GRADIENT.id, named.TRANSPOSED_GRADIENT.say("one", layer=l, shape=mine.shape)
    flipped = _backprop(network, x, target, transposed=True)
    if flipped is not None and not _close(flipped[0], right.weights) and _close(weights, flipped[0]):
        yield named.TRANSPOSED_WEIGHTS.id, named.TRANSPOSED_WEIGHTS.say("backward")
    no_slope = _backprop(network, x, target, output_slope=False)
    if no_slope is not None and _close(weights, no_slope[0]):
        yield named.OUTPUT_SLOPE_MISSING.id, named.OUTPUT_SLOPE_MISSING.say("one")
