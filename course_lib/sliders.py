"""Sliders that redraw a picture in place: the building blocks of the course's interactive cells.

:func:`interactive_canvas` puts a matplotlib figure on an ipympl canvas, a
widget that redraws the figure in place (no flicker, no new output) when its
artists change.  :class:`Explorer` joins such a figure to a few sliders and a
function that updates the picture; the small explorers below are the ones the
lessons use:

- :func:`sigmoid_explorer`: the sigmoid and its slope at ``z`` (lesson 00), and
  what a weight and a bias do to it (lesson 02);
- :func:`tangent_explorer`: the error against one weight, with its tangent (lesson 01);
- :func:`boundary_explorer`: one neuron's decision boundary (lesson 03);

and :func:`train_with_progress` shows a long run as it goes (lesson 10).

The big panel with every number of a network is :class:`course_lib.Playground`.
"""

import base64
import io
import logging
import sys
from html import escape

import ipywidgets as widgets
import matplotlib
from IPython.display import display

from .plots import CourseFigure, DecisionBoundary, SigmoidPlot, TangentPlot, _check_example, _check_parameter

__all__ = [
    "interactive_canvas",
    "Explorer",
    "sigmoid_explorer",
    "tangent_explorer",
    "boundary_explorer",
    "train_with_progress",
]

log = logging.getLogger(__name__)


def _ipympl():
    """ipympl's canvas and manager, imported without changing pyplot's backend.

    Importing ipympl makes its own backend pyplot's default (``ipympl/__init__.py``
    calls ``matplotlib.use``); the course keeps the notebook's backend (inline,
    for a lesson's static figures), so it is put back.
    """
    previous = dict.__getitem__(matplotlib.rcParams, "backend")  # unresolved: may be the "auto" sentinel
    from ipympl.backend_nbagg import Canvas, FigureManager

    if dict.__getitem__(matplotlib.rcParams, "backend") != previous:
        if isinstance(previous, str) and "pyplot" in sys.modules:
            matplotlib.use(previous, force=True)
        else:
            dict.__setitem__(matplotlib.rcParams, "backend", previous)
    return Canvas, FigureManager


def interactive_canvas(figure, css_class):
    """Give ``figure`` an ipympl canvas (a widget that redraws in place) and return the canvas.

    pyplot never sees the figure, and the notebook's own backend (inline, for
    the static figures of a lesson) is not changed.
    """
    Canvas, FigureManager = _ipympl()
    canvas = Canvas(figure)
    FigureManager(canvas, 0)  # ipympl's canvas needs a manager for its toolbar
    canvas.header_visible = False
    canvas.footer_visible = False
    canvas.resizable = False
    canvas.toolbar_position = "right"
    canvas.add_class(css_class)
    return canvas


def png_base64(figure):
    """The figure as a PNG, base64-encoded, for a static picture in a saved notebook."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def error_html(error):
    """An error inside a callback, as the panel shows it."""
    return (
        "<div class='course-error' style='color:#cf222e'><b>That did not work:</b> "
        f"{escape(type(error).__name__)}: {escape(str(error))}</div>"
    )


class Explorer:
    """A figure and some sliders: every slider move calls ``update(**values)`` and redraws in place.

    ``sliders`` maps names to ``FloatSlider`` widgets; ``update`` receives the
    sliders' values by name.  Errors inside ``update`` are shown under the
    figure.  Displays itself; a saved notebook keeps a static picture.
    """

    def __init__(self, figure, sliders, update, css_class="course-explorer"):
        self.figure = figure
        self.sliders = dict(sliders)
        self._update = update
        self.canvas = interactive_canvas(figure, f"{css_class}-canvas")
        self.message = widgets.HTML().add_class("course-message")
        for name, slider in self.sliders.items():
            slider.add_class("course-slider").add_class(f"course-slider-{name}")
            slider.observe(self._changed, names="value")
        self.widget = widgets.VBox([widgets.HBox(list(self.sliders.values())), self.canvas, self.message]).add_class(
            css_class
        )

    def _changed(self, _):
        try:
            self._update(**{name: slider.value for name, slider in self.sliders.items()})
            self.figure.canvas.draw_idle()
            self.message.value = ""
        except Exception as error:  # shown to the learner, and logged for the record
            log.exception("the explorer could not update")
            self.message.value = error_html(error)

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/html"] = f"<img src='data:image/png;base64,{png_base64(self.figure)}'/>"
        bundle["text/plain"] = repr(self)
        return bundle

    def __repr__(self):
        values = ", ".join(f"{name}={slider.value:g}" for name, slider in self.sliders.items())
        return f"<{type(self).__name__} {values}>"


def _slider(name, value, low, high, step=0.1, latex=None):
    return widgets.FloatSlider(
        value=value,
        min=low,
        max=high,
        step=step,
        description=f"${latex or name}$",
        continuous_update=True,
        readout_format=".2f",
        style={"description_width": "2.5em"},
    )


def sigmoid_explorer(z=0.0, *, w=1.0, b=0.0, derivative=True, step=False, weight_and_bias=False):
    """Sliders on ``z`` (and, with ``weight_and_bias=True``, on the weight ``w`` and the bias ``b``) over the sigmoid.

    The picture is :class:`~course_lib.plots.SigmoidPlot`: the sigmoid, its
    derivative, and the point at ``z`` with its slope.
    """
    figure = CourseFigure(figsize=(7, 3.6), layout="constrained")
    picture = SigmoidPlot(figure.add_subplot(), z=z, w=w, b=b, derivative=derivative, step=step)
    sliders = {"z": _slider("z", z, -8, 8)}
    if weight_and_bias:
        sliders |= {"w": _slider("w", w, -4, 4), "b": _slider("b", b, -6, 6)}
    return Explorer(figure, sliders, picture.update, "course-sigmoid-explorer")


def tangent_explorer(example, p, *, span=1.0):
    """A slider on the parameter ``p`` of ``example``: the point and its tangent slide along the error curve.

    The curve spans the slider's range (the example's value of ``p``, plus or minus 3) and stays put.
    """
    figure = CourseFigure(figsize=(7, 3.6), layout="constrained")
    _check_parameter(_check_example(example), p)  # an unknown p is refused, naming the example's parameters
    value = example.given()[p]
    low, high = value - 3, value + 3
    picture = TangentPlot(example, p, figure.add_subplot(), span=span, window=(low, high))
    slider = _slider(p, value, low, high, 0.05, example.latex(p))

    def update(**values):
        picture.update(example.with_values(values))

    return Explorer(figure, {p: slider}, update, "course-tangent-explorer")


def boundary_explorer(example, data, targets):
    """Sliders on the weights and bias of a two-input neuron over its decision boundary and the data."""
    figure = CourseFigure(figsize=(5.5, 4.5), layout="constrained")
    picture = DecisionBoundary(example, data, targets, figure.add_subplot())
    sliders = {
        p: _slider(p, value, -6, 6, 0.1, example.latex(p))
        for p, value in example.given().items()
        if p in example.notation.parameter_names()
    }

    def update(**values):
        picture.update(example.with_values(values))

    return Explorer(figure, sliders, update, "course-boundary-explorer")


def train_with_progress(network, x, target, eta, steps, *, train_biases=True, updates=50):
    """Train like ``network.train``, with a progress bar and the error as it falls; return the History.

    The run is cut into about ``updates`` pieces, each one call of
    ``network.train``, so the numbers are exactly those of one long run.
    """
    bar = widgets.IntProgress(value=0, min=0, max=max(steps, 1), description="training").add_class("course-progress")
    label = widgets.HTML()
    display(widgets.HBox([bar, label]))
    history = network.train(x, target, eta, 0, train_biases)
    piece = max(1, steps // max(1, updates))
    while history.steps < steps:
        n = min(piece, steps - history.steps)
        history = history.then(history.network.train(x, target, eta, n, train_biases))
        bar.value = history.steps
        label.value = f"step {history.steps:,} of {steps:,}: error {history.errors[-1]:.4g}"
    return history


def _int_slider(name, value, low, high, step=1, latex=None):
    return widgets.IntSlider(
        value=value,
        min=low,
        max=high,
        step=step,
        description=latex or name,
        continuous_update=True,
        style={"description_width": "4em"},
    )


def descent_explorer(example, data, targets, p1, p2, *, eta=None, steps=50, span=2.0):
    """Sliders on the learning rate and the number of steps over gradient descent's path on a data set's cost.

    The picture is :class:`~course_lib.plots.DataLandscape`: the cost over two parameters ``p1`` and
    ``p2`` of ``example``, and the path of gradient descent that moves them; the landscape stays, the
    path follows the sliders.
    """
    from .plots import DataLandscape

    figure = CourseFigure(figsize=(7, 4.6), layout="constrained")
    picture = DataLandscape(example, data, targets, p1, p2, figure.add_subplot(), eta=eta, steps=steps, span=span)
    sliders = {
        "eta": _slider("eta", picture.eta, 0.1, max(40.0, picture.eta), 0.1, example.latex(example.notation.eta)),
        "steps": _int_slider("steps", picture.steps, 0, max(300, picture.steps)),
    }
    explorer = Explorer(figure, sliders, picture.update, "course-descent-explorer")
    explorer.picture = picture  # the DataLandscape, for a test or a curious learner
    return explorer


def training_explorer(network, data, targets, eta, steps, *, pieces=50):
    """A slider on the step number over a run of training: the decision boundary and the cost as it learns.

    Trains ``network`` (two inputs, one output, any hidden layers) on the data set for ``steps``
    steps with the learning rate ``eta``, keeping the network after every ``steps // pieces`` steps;
    the slider walks through them.  Left, :class:`~course_lib.plots.NetworkBoundary` of the network
    at that step; right, the learning curve with the step marked.  The run is computed once.
    """
    from ._checks import as_count, describe
    from .network import SigmoidNetwork
    from .plots import VERMILLION, LossCurve, NetworkBoundary

    if not isinstance(network, SigmoidNetwork):
        raise TypeError(
            f"network must be a SigmoidNetwork, such as SigmoidNetwork.random((2, 2, 1)), got {describe(network)}"
        )
    steps = as_count(steps, "the number of steps")
    every = max(1, steps // max(1, as_count(pieces, "pieces")))
    history, snapshots, at = network.train(data, targets, eta, 0), [network], [0]
    while history.steps < steps:
        run = history.network.train(data, targets, eta, min(every, steps - history.steps))
        history = history.then(run)
        snapshots.append(history.network)
        at.append(history.steps)
    figure = CourseFigure(figsize=(9, 4.4), layout="constrained")  # 900 pixels: fits beside JupyterLab's file browser
    left, right = figure.subplots(1, 2, width_ratios=[1.2, 1])
    boundary = NetworkBoundary(network, data, targets, left)
    LossCurve(history, right, log=True)
    right.set_ylabel("cost, the mean error over the data set")
    marker = right.axvline(history.steps, color=VERMILLION, lw=1.5)

    def update(step):
        k = min(range(len(at)), key=lambda j: abs(at[j] - step))  # the kept network nearest to the slider's step
        boundary.update(snapshots[k])
        shown = at[k]
        marker.set_xdata([shown, shown])
        left.set_title(f"after {shown:,} steps: cost {history.errors[shown]:.4g}", fontsize="medium")

    update(history.steps)
    slider = _int_slider("step", history.steps, 0, history.steps, every, "step")
    explorer = Explorer(figure, {"step": slider}, update, "course-training-explorer")
    explorer.boundary, explorer.history = boundary, history  # the picture and the run, for a test or a learner
    return explorer


__all__ += ["descent_explorer", "training_explorer"]
