"""The course's curves: the learning curve, the weights during training, the error landscape and its
tangent, the sigmoid, the decision boundary of one neuron, and for lesson 10 several seeded runs
side by side, a number per layer, and small images.

Every picture is a small class that creates its lines, markers and texts once, and whose ``update(...)``
only changes their data: an interactive panel can call it many times per second.  Each class has a
``plot_*`` function that makes a new figure with it, for the static pictures of a notebook::

    example = networks.get("mazur")
    plot_loss(example.train(100))                   # the last expression of a cell: shown as a PNG
    plot_tangent(example, "w5")                     # the derivative is the slope of the error

Every ``plot_*`` function takes ``ax=`` to draw into an existing matplotlib ``Axes`` and returns that
Axes' figure; without it, it returns a new :class:`CourseFigure`.  Figures are made without pyplot, so
a notebook never piles up pyplot figures, and a function can be called in a loop.

Colours come from the Okabe-Ito palette, which stays distinct for colour-blind readers: blue for
positive weights, vermillion for negative ones (as in TensorFlow Playground, whose orange it replaces
by the palette's darker vermillion, easier to see as a thin line on white).
"""

import io
from numbers import Real

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.patheffects import withStroke
from matplotlib.ticker import MaxNLocator

from ._checks import as_array, as_count, as_positive_number, describe
from .network import History, SigmoidNetwork
from .networks import Example
from .notation import latex_name, parameter_series, perceptron_notation, read_parameter, write_parameter
from .sigmoid import sigmoid, sigmoid_prime

__all__ = [
    "CourseFigure",
    "LossCurve",
    "WeightTrajectories",
    "Landscape",
    "TangentPlot",
    "SigmoidPlot",
    "DecisionBoundary",
    "plot_loss",
    "plot_weights",
    "plot_landscape",
    "plot_tangent",
    "plot_sigmoid",
    "plot_decision_boundary",
    "plot_runs",
    "plot_per_layer",
    "plot_images",
    "POSITIVE",
    "NEGATIVE",
    "OKABE_ITO",
]

# The Okabe-Ito palette (Okabe & Ito, "Color Universal Design", 2008), in the order the curves use it.
BLUE, ORANGE, GREEN, VERMILLION = "#0072B2", "#E69F00", "#009E73", "#D55E00"
PURPLE, SKY_BLUE, BLACK, YELLOW = "#CC79A7", "#56B4E9", "#000000", "#F0E442"
OKABE_ITO = [BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY_BLUE, BLACK, YELLOW]
LINES = OKABE_ITO[:-1]  # thin lines on white: the palette without its yellow, which is too pale to see
POSITIVE, NEGATIVE, ZERO = BLUE, VERMILLION, "#999999"  # the colours of a weight's sign


# -- figures that show themselves in Jupyter -------------------------------------------------


class CourseFigure(Figure):
    """A matplotlib ``Figure`` that Jupyter shows as a PNG, with or without pyplot.

    Jupyter's inline backend shows the figures that pyplot made; ours are made directly (pyplot keeps
    every figure it makes until it is closed), so they say themselves how to be shown: IPython calls
    ``_repr_png_`` when a cell's last expression is a figure.  The figure comes with an Agg canvas, so
    it can be drawn and saved at once; an interactive canvas (ipympl) may replace it later.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        FigureCanvasAgg(self)

    def _repr_png_(self):
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", bbox_inches="tight")
        return buffer.getvalue()


def new_axes(figsize, *, layout="constrained", **subplot):
    """Return the Axes of a new :class:`CourseFigure` (``subplot`` as for ``add_subplot``, e.g. ``projection``)."""
    return CourseFigure(figsize=figsize, layout=layout).add_subplot(**subplot)


def check_axes(ax):
    """Return ``ax`` if it is a matplotlib Axes, or raise a TypeError that says what is expected."""
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes (e.g. figure.add_subplot()), got {describe(ax)}")
    return ax


def figure_of(ax):
    """The figure an Axes belongs to (the whole figure, if the Axes is in a subfigure)."""
    return ax.get_figure(root=True)


# -- checking arguments ----------------------------------------------------------------------


def _check_example(example, what="example"):
    if not isinstance(example, Example):
        raise TypeError(f"{what} must be a course network such as networks.get('mazur'), got {describe(example)}")
    return example


def _check_parameter(example, name, what="the parameter"):
    """Return ``(part, layer, index)`` of a parameter; a ValueError lists the example's parameters."""
    if not isinstance(name, str):
        raise TypeError(f"{what} must be a parameter name such as 'w5', got {describe(name)}")
    if name not in example.notation.parameter_names():
        raise ValueError(
            f"{example.name} has no parameter called {name!r}; its parameters are {example.notation.parameter_names()}"
        )
    return example.notation.locate(name)


def _check_history(history, example=None):
    if not isinstance(history, History):
        raise TypeError(f"history must be a History, as returned by example.train(steps), got {describe(history)}")
    if example is not None:
        shapes = tuple(w.shape[1:] for w in history.weights)
        expected = tuple(w.shape for w in example.network.weights)
        if shapes != expected:
            raise ValueError(
                f"the history is of a network with weight shapes {shapes}, but {example.name} has {expected}"
            )
    return history


def _number(value, what):
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{what} must be a number, got {describe(value)}")
    return float(as_array(value, what, ndim=0))


def _series(history, part, l, index):
    """A parameter's value after every kept step (``history.kept``): ``history.weights[l][:, j, i]`` or
    ``history.biases[l][:, j]``."""
    return parameter_series(history, (part, l, index))


def _errors(example, names, grids):
    """The example's error with the parameters ``names`` set to the values in ``grids``, point by point.

    ``grids`` holds one array per name, all of one shape; the result has that shape.  Each point is a
    new :class:`SigmoidNetwork` and its own ``error``: the same arithmetic as everywhere in the course.
    """
    weights = [np.array(w) for w in example.network.weights]
    biases = [np.array(b) for b in example.network.biases]
    places = [example.notation.locate(name) for name in names]
    errors = np.empty(np.shape(grids[0]))
    for point in np.ndindex(errors.shape):
        for (part, l, index), grid in zip(places, grids):
            write_parameter((weights, biases), (part, l, index), grid[point])
        errors[point] = SigmoidNetwork(weights, biases).error(example.x, example.target)
    return errors


def _rescale(ax):
    ax.relim()
    ax.autoscale_view()
    left, right = ax.get_xlim()
    if right - left < 1:  # a run of no steps yet: show the first step's place, not ticks at -0.04 ... 0.04
        ax.set_xlim(-0.05, 1.05)


# -- the learning curve ----------------------------------------------------------------------


class LossCurve:
    """The learning curve: the error ``E_total`` after every step of gradient descent.

    Draws ``history.errors[k]`` against the step number ``k`` (``k = 0`` is before the first step) into
    ``ax``; ``log=True`` puts the error on a logarithmic scale, where a steady exponential decrease is a
    straight line.  ``label`` names the curve in a legend (to compare runs in one Axes); ``example``
    names the error on the axis as the example's text does.
    ``update(history)`` shows another, or a longer, run with the same line.
    """

    def __init__(self, history, ax, *, log=False, label=None, example=None):
        self.ax = check_axes(ax)
        (self.line,) = ax.plot([], [], label=label)
        ax.set_xlabel("step")
        if example is not None:
            ax.set_ylabel(f"error ${_check_example(example).latex(example.notation.error)}$")
        elif getattr(history, "output", None) == "softmax":
            ax.set_ylabel("error $E$ (the cross-entropy)")
        else:
            ax.set_ylabel("error $E_{total}$")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        if log:
            ax.set_yscale("log")
        if label is not None:
            ax.legend()
        ax.grid(True, alpha=0.3)
        self.update(history)

    def update(self, history):
        """Show ``history`` (a :class:`~course_lib.network.History`): its errors against the step number."""
        history = _check_history(history)
        self.line.set_data(np.arange(len(history.errors)), history.errors)
        _rescale(self.ax)


def plot_loss(history, *, ax=None, log=False, label=None, example=None):
    """Plot the learning curve of ``history`` (``example.train(steps)``); return the figure (see :class:`LossCurve`).

    ``example``, when given, names the error as its text does (``C`` for the perceptron).
    """
    ax = new_axes((6, 3.5)) if ax is None else check_axes(ax)
    LossCurve(history, ax, log=log, label=label, example=example)
    return figure_of(ax)


# -- the weights during training -------------------------------------------------------------


class WeightTrajectories:
    """Every parameter of a network against the step number: how training moves the weights.

    ``names`` chooses the parameters (default: all of ``example.notation.parameter_names()``, weights
    in solid lines, biases dashed); the legend names them as the example's text does (``w_5``,
    ``\\theta_4``).  ``update(history)`` shows another run of the same network.
    """

    def __init__(self, history, example, ax, *, names=None):
        self.example = _check_example(example)
        self.ax = check_axes(ax)
        if names is None:
            names = example.notation.parameter_names()
        elif isinstance(names, str) or not hasattr(names, "__iter__"):
            raise TypeError(f"names must be a list of parameter names such as ['w5', 'w6'], got {describe(names)}")
        self.names = list(names)
        if not self.names:
            raise ValueError(f"names must list at least one parameter of {example.name}")
        self.places = {name: _check_parameter(example, name, "each of names") for name in self.names}
        self.lines = {}
        for k, name in enumerate(self.names):
            dashes = "--" if self.places[name][0] == "biases" else ("-", ":")[k // len(LINES) % 2]
            color = LINES[k % len(LINES)]
            (self.lines[name],) = ax.plot([], [], dashes, color=color, label=f"${example.latex(name)}$")
        ax.set_xlabel("step")
        ax.set_ylabel("value")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(True, alpha=0.3)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small", ncols=1 + len(self.names) // 13)
        self.update(history)

    def update(self, history):
        """Show ``history``, a run of the example's network (``example.train(steps)``)."""
        history = _check_history(history, self.example)
        for name, line in self.lines.items():  # a long run keeps only some steps' parameters (see History)
            line.set_data(history.kept, _series(history, *self.places[name]))
        _rescale(self.ax)


def plot_weights(history, example, *, ax=None, names=None):
    """Plot every parameter (or those in ``names``) against the step; return the figure.

    See :class:`WeightTrajectories`.
    """
    ax = new_axes((7, 3.5)) if ax is None else check_axes(ax)
    WeightTrajectories(history, example, ax, names=names)
    return figure_of(ax)


# -- the error landscape ---------------------------------------------------------------------


class Landscape:
    """The error as a landscape over two parameters, with the path gradient descent takes on it.

    ``E_total`` is computed on a ``resolution`` x ``resolution`` grid of values of ``p1`` and ``p2``
    (each within ``span`` of its value in ``example``, or further if the path goes further), all other
    parameters fixed, and drawn as filled contours (``kind="contour"``) or as a surface
    (``kind="surface"``, which needs a 3-D Axes: ``figure.add_subplot(projection="3d")``).

    The path is ``steps`` steps of gradient descent from the example's values with its learning rate,
    moving ``p1`` and ``p2`` only: the others keep their values, as the landscape assumes, so every point
    of the path lies on the drawn landscape (trained with all parameters, the path would walk on a
    landscape that changes under it).  A bias stays fixed if the example does not train its biases.
    ``path`` holds the path's values of ``p1``, of ``p2`` and its errors, after 0, 1, ... steps.
    ``update(example)`` redraws for other values or another learning rate (the grid is computed again
    only if the network, the input, the target or the grid's range changed).
    """

    def __init__(self, example, p1, p2, ax, *, span=2.0, steps=50, kind="contour", resolution=41):
        _check_example(example)
        self.ax = check_axes(ax)
        self.places = [_check_parameter(example, p1, "p1"), _check_parameter(example, p2, "p2")]
        if p1 == p2:
            raise ValueError(f"p1 and p2 must be two different parameters, got {p1!r} twice")
        if kind not in ("contour", "surface"):
            raise ValueError(f'kind must be "contour" or "surface", got {kind!r}')
        if kind == "surface" and ax.name != "3d":
            raise ValueError('kind="surface" needs a 3-D Axes: figure.add_subplot(projection="3d")')
        self.p1, self.p2, self.kind = p1, p2, kind
        self.span = as_positive_number(span, "span")
        self.steps = as_count(steps, "steps")
        self.resolution = as_count(resolution, "resolution")
        if self.resolution < 2:
            raise ValueError(f"resolution must be at least 2 (points per axis), got {resolution}")
        self.example = self.surface = self.colorbar = self.box = None
        name = f"${example.latex(example.notation.error)}$"
        stroke = [withStroke(linewidth=3.5, foreground="black")]
        line = dict(color="white", linewidth=1.8, path_effects=stroke, zorder=5)
        (self.path_line,) = ax.plot([], [], marker=".", label="gradient descent", **line)
        (self.start,) = ax.plot([], [], "o", color="white", mec="black", ms=9, zorder=6, label="start")
        end = f"after {self.steps} steps"
        (self.end,) = ax.plot([], [], "*", color=ORANGE, mec="black", ms=15, zorder=6, label=end)
        ax.set_xlabel(f"${example.latex(p1)}$")
        ax.set_ylabel(f"${example.latex(p2)}$")
        if kind == "surface":
            ax.set_zlabel(name)
        self.error_name = name
        self.names = example.notation.parameter_names()
        self.update(example)
        ax.legend(loc="upper right", fontsize="small", framealpha=0.9)

    def _path(self, example):
        """Gradient descent in p1 and p2 only: a learning rate of 0 for every other parameter."""
        network = example.network
        rates = ([np.zeros(w.shape) for w in network.weights], [np.zeros(b.shape) for b in network.biases])
        for part, l, index in self.places:
            if part == "weights" or example.train_biases:
                write_parameter(rates, (part, l, index), example.eta)
        if not any(r.any() for r in rates[0] + rates[1]):
            raise ValueError(f"{example.name} does not train its biases, so neither {self.p1} nor {self.p2} moves")
        history = network.train(example.x, example.target, rates, self.steps, example.train_biases)
        return [_series(history, *place) for place in self.places] + [history.errors[history.kept]]

    def _box(self, example, path):
        """The grid's range: ``span`` around the example's values, widened to hold the whole path."""
        box = []
        for (part, l, index), values in zip(self.places, path):
            centre = read_parameter(example.network, (part, l, index))
            margin = 0.05 * (values.max() - values.min())
            box.append((min(centre - self.span, values.min() - margin), max(centre + self.span, values.max() + margin)))
        return box

    def _draw_surface(self, example, box):
        ax = self.ax
        if self.surface is not None:  # a contour set or a surface cannot take new data: it is drawn anew
            for artist in self.surface:
                artist.remove()
        grid1, grid2 = np.meshgrid(*[np.linspace(low, high, self.resolution) for low, high in box])
        errors = _errors(example, [self.p1, self.p2], [grid1, grid2])  # rows: values of p2; columns: p1
        if self.kind == "contour":
            filled = ax.contourf(grid1, grid2, errors, levels=20, cmap="viridis", zorder=1)
            lines = ax.contour(grid1, grid2, errors, levels=filled.levels, colors="black", linewidths=0.3, alpha=0.4)
            self.surface = (filled, lines)
            ax.set_xlim(*box[0])
            ax.set_ylim(*box[1])
            if self.colorbar is None:
                self.colorbar = figure_of(ax).colorbar(filled, ax=ax, label=self.error_name, shrink=0.85)
            else:
                self.colorbar.update_normal(filled)
        else:
            self.surface = (ax.plot_surface(grid1, grid2, errors, cmap="viridis", alpha=0.75, linewidth=0),)
            ax.set_zlim(errors.min(), errors.max())
        self.errors = errors

    def update(self, example):
        """Draw the landscape and path of ``example``: the same network with other numbers, or another eta."""
        _check_example(example)
        if self.example is not None and example.notation.parameter_names() != self.names:
            raise ValueError(f"example must be a version of {self.example.name}, got {example.name}")
        self.names = example.notation.parameter_names()
        path = self._path(example)
        box = self._box(example, path)
        old = self.example
        if (
            old is None
            or box != self.box
            or old.network != example.network
            or not np.array_equal(old.x, example.x)
            or not np.array_equal(old.target, example.target)
        ):
            self._draw_surface(example, box)
        self.example, self.path, self.box = example, path, box
        path1, path2, errors = path
        for artist, points in ((self.path_line, slice(None)), (self.start, slice(0, 1)), (self.end, slice(-1, None))):
            artist.set_data(path1[points], path2[points])
            if self.kind == "surface":  # lifted a little: a surface hides a path drawn exactly on it
                artist.set_3d_properties(errors[points] + 0.01 * np.ptp(self.errors))


def plot_landscape(example, p1, p2, *, ax=None, span=2.0, steps=50, kind="contour", resolution=41):
    """Plot the error over two parameters with gradient descent's path on it; return the figure.

    ``plot_landscape(networks.get("mazur"), "w5", "w6")``: see :class:`Landscape`.
    """
    if ax is None:
        ax = new_axes((6, 4.8), projection="3d" if kind == "surface" else None)
    Landscape(example, p1, p2, check_axes(ax), span=span, steps=steps, kind=kind, resolution=resolution)
    return figure_of(ax)


# -- the derivative as a slope ---------------------------------------------------------------


class TangentPlot:
    """The error against one parameter ``p``, and the tangent at the example's value.

    The curve is ``E_total`` with ``p`` varied within ``span`` of its value (all else fixed), or over
    ``window = (low, high)`` when given, so that the curve stays put while a slider moves the point
    along it; the straight line has the slope ``dE/dp`` of ``example.quantities()``, the gradient
    backpropagation computes.  That the line touches the curve is the picture of "the derivative is the sensitivity of
    the error to that weight": nudge ``p`` by a little ``h`` and the error changes by about
    ``dE/dp * h``.  ``update(example)`` redraws for the same network with other numbers (a slider).
    """

    def __init__(self, example, p, ax, *, span=1.0, window=None):
        self.p = p
        self.span = as_positive_number(span, "span")
        self.window = None if window is None else _check_window(window)
        self.ax = check_axes(ax)
        _check_parameter(_check_example(example), p)
        self.example = example
        error, d = example.latex(example.notation.error), example.latex(p)
        self.slope_name = f"d{example.notation.d}/d{p}"
        slope = rf"$\partial {error} / \partial {d}$"
        (self.curve,) = ax.plot([], [], color=BLUE, label=f"${error}$ as a function of ${d}$")
        (self.tangent,) = ax.plot([], [], "--", color=VERMILLION, label=f"tangent, slope {slope}")
        (self.point,) = ax.plot([], [], "o", color="black", zorder=5)
        # Plain text (no $...$): matplotlib parses mathtext anew each time a text changes.
        self.note = ax.annotate("", (0, 0), xytext=(12, -14), textcoords="offset points", fontsize="small")
        ax.set_xlabel(f"${d}$")
        ax.set_ylabel(f"${error}$")
        ax.grid(True, alpha=0.3)
        ax.legend(loc="upper center", fontsize="small")
        self.update(example)

    def update(self, example):
        """Redraw for ``example``: the same network (same parameter names) with other numbers."""
        _check_example(example)
        if example.notation.parameter_names() != self.example.notation.parameter_names():
            raise ValueError(f"example must be a version of {self.example.name}, got {example.name}")
        self.example = example
        q = example.quantities()
        value, error, slope = q[self.p], q[example.notation.error], q[self.slope_name]
        if self.window is None:
            values = value + np.linspace(-self.span, self.span, 101)
        else:
            values = np.linspace(*self.window, 201)
        self.curve.set_data(values, _errors(example, [self.p], [values]))
        ends = value + np.array([-0.5, 0.5]) * self.span
        self.tangent.set_data(ends, error + slope * (ends - value))
        self.point.set_data([value], [error])
        self.note.xy = (value, error)
        self.note.set_text(f"slope = {slope:.4g}")
        self.slope, self.value, self.error = slope, value, error
        _rescale(self.ax)


def plot_tangent(example, p, *, ax=None, span=1.0, window=None):
    """Plot the error against the parameter ``p`` with its tangent, and return the figure (see :class:`TangentPlot`)."""
    ax = new_axes((6, 4)) if ax is None else check_axes(ax)
    TangentPlot(example, p, ax, span=span, window=window)
    return figure_of(ax)


def _check_window(window):
    """``window`` as two finite numbers ``(low, high)`` with ``low < high``."""
    low, high = as_array(window, "window (low, high)", shape=(2,))
    if not low < high:
        raise ValueError(f"window must be two numbers (low, high) with low < high, got {window!r}")
    return float(low), float(high)


# -- the sigmoid -----------------------------------------------------------------------------


class SigmoidPlot:
    """The sigmoid neuron's output ``sigmoid(z)``, ``z = w x + b``, against its input ``x`` from -8 to 8.

    The weight ``w`` makes the step steeper, the bias ``b`` moves it: the output is 1/2 where the
    weighted sum ``z`` is 0, at ``x = -b/w``.  ``derivative=True`` adds (dashed) the derivative with
    respect to the weighted sum, ``sigmoid'(z) = sigmoid(z) (1 - sigmoid(z))``, at most 1/4;
    ``step=True`` adds the step (threshold) function of the first perceptrons: 1 where ``z >= 0``,
    0 elsewhere.  With ``z`` given (a weighted sum, such as ``net_h1``), the point where the weighted
    sum is ``z`` is marked, at ``x = (z - b)/w``, on the curve (height ``sigmoid(z)``) and on the
    derivative (height ``sigmoid'(z)``), with the curve's tangent.  With ``w = 1`` and ``b = 0`` (the
    default) ``x`` is ``z`` itself and the tangent's slope is ``sigmoid'(z)``; otherwise it is
    ``w sigmoid'(z)``, the chain rule.  ``update(z=None, w=None, b=None)`` changes the numbers given
    (None keeps a number as it is).
    """

    def __init__(self, ax, *, z=None, w=1.0, b=0.0, derivative=True, step=False):
        self.ax = check_axes(ax)
        self.x = np.linspace(-8, 8, 801)
        (self.curve,) = ax.plot([], [], color=BLUE, lw=2, label=r"$\sigma(z)$, with $z = wx + b$")
        label = r"$\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$"
        (self.derivative,) = ax.plot([], [], "--", color=VERMILLION, label=label, visible=bool(derivative))
        (self.step,) = ax.plot([], [], ":", color=BLACK, label=r"step: 1 if $z \geq 0$", visible=bool(step))
        (self.tangent,) = ax.plot([], [], "-", color=GREEN, lw=1.5)
        shown = [0, 1] if derivative else [0]
        (self.point,) = ax.plot([], [], "o", color="black", zorder=5, markevery=shown)
        # Plain text (no $...$): matplotlib parses mathtext anew each time a text changes.
        self.note = ax.annotate("", (0, 0), xytext=(10, -8), textcoords="offset points", va="top", fontsize="small")
        ax.axhline(0.5, color="0.6", lw=0.8, zorder=0)
        ax.set_xlim(-8, 8)
        ax.set_ylim(-0.05, 1.05)
        ax.set_xlabel("$x$")
        ax.grid(True, alpha=0.3)
        ax.legend(handles=[a for a in (self.curve, self.derivative, self.step) if a.get_visible()], loc="upper left")
        self.z, self.w, self.b = None, 1.0, 0.0
        self.update(z=z, w=w, b=b)

    def update(self, z=None, w=None, b=None):
        """Redraw with a new weighted sum ``z``, weight ``w`` or bias ``b`` (None keeps a number as it is)."""
        if z is not None:
            self.z = _number(z, "the weighted sum z")
        if w is not None:
            self.w = _number(w, "the weight w")
        if b is not None:
            self.b = _number(b, "the bias b")
        w, b, z = self.w, self.b, self.z
        weighted = w * self.x + b
        self.curve.set_data(self.x, sigmoid(weighted))
        self.derivative.set_data(self.x, sigmoid_prime(weighted))
        self.step.set_data(self.x, (weighted >= 0).astype(float))
        self.ax.set_title(f"w = {w:.4g}, b = {b:.4g}", fontsize="medium")
        if z is None or w == 0:  # with w = 0 every x gives the weighted sum b: no single point to mark
            for artist in (self.point, self.tangent):
                artist.set_data([], [])
            self.note.set_text("")
            return
        x, height, slope = (z - b) / w, float(sigmoid(z)), float(sigmoid_prime(z))
        self.point.set_data([x, x], [height, slope])  # on the curve, and on the derivative
        ends = x + np.array([-1.5, 1.5]) / max(1.0, abs(w))
        self.tangent.set_data(ends, height + w * slope * (ends - x))
        self.note.xy = (x, height)
        self.note.set_text(f"z = {z:.4g}\n\u03c3(z) = {height:.4g}\n\u03c3\u2032(z) = {slope:.4g}")


def plot_sigmoid(z=None, *, w=1.0, b=0.0, ax=None, derivative=True, step=False):
    """Plot ``sigmoid(w x + b)`` (with its derivative, the step function, the point ``z``); return the figure.

    See :class:`SigmoidPlot`.
    """
    ax = new_axes((6, 3.8)) if ax is None else check_axes(ax)
    SigmoidPlot(ax, z=z, w=w, b=b, derivative=derivative, step=step)
    return figure_of(ax)


# -- the decision boundary -------------------------------------------------------------------

# From vermillion (output 0) through white (0.5, undecided) to blue (output 1).
OUTPUT_COLOURS = LinearSegmentedColormap.from_list("course_output", [VERMILLION, "white", BLUE])


class DecisionBoundary:
    """What one sigmoid neuron with two inputs decides, over the whole plane of inputs.

    ``network`` is a course network of sizes (2, 1) such as ``networks.get("two-inputs")``, or any
    :class:`SigmoidNetwork` of those sizes.  ``data`` has shape ``(examples, 2)``; ``targets`` one
    number per example, 0 or 1 (a target of 0.5 or more counts as class 1).  The background is the
    neuron's output ``sigmoid(w1 x1 + w2 x2 + b)`` (blue towards 1, vermillion towards 0); the line is
    where the weighted sum is 0 and the output 1/2: ``w1 x1 + w2 x2 + b = 0``, the decision boundary.
    Class 1 is drawn as blue circles, class 0 as vermillion squares.  ``update(network)`` redraws for
    new weights (an example or a network of the same sizes).
    """

    def __init__(self, network, data, targets, ax):
        self.ax = check_axes(ax)
        network, notation = self._network(network)
        data = as_array(data, "data", ndim=2)
        if data.shape[1] != 2 or len(data) == 0:
            raise ValueError(f"data must have shape (examples, 2): one row (x1, x2) per example, got {data.shape}")
        targets = as_array(targets, "targets", ndim=(1, 2))
        if targets.size != len(data):
            raise ValueError(f"targets must hold one number per example ({len(data)}), got shape {targets.shape}")
        self.data, self.targets = data, targets.reshape(-1)
        ones = self.targets >= 0.5
        low, high = data.min(axis=0), data.max(axis=0)
        margin = np.maximum(0.15 * (high - low), 0.5)
        self.box = np.array([low - margin, high + margin])  # [[x1 min, x2 min], [x1 max, x2 max]]
        axes = [np.linspace(*self.box[:, k], 121) for k in range(2)]
        self.grid = np.stack(np.meshgrid(*axes), axis=-1).reshape(-1, 2)  # every pixel's (x1, x2)
        extent = (*self.box[:, 0], *self.box[:, 1])
        self.image = ax.imshow(
            np.zeros((121, 121)), extent=extent, origin="lower", cmap=OUTPUT_COLOURS, vmin=0, vmax=1, alpha=0.55
        )
        n = notation
        output = latex_name(n.name("out", n.neurons[1][0]))
        figure_of(ax).colorbar(self.image, ax=ax, label=f"output ${output}$", shrink=0.8)
        w1, w2 = (latex_name(name) for name in n.weights[0][0])
        x1, x2 = (latex_name(n.value_name(0, i)) for i in range(2))
        bias = f" + {latex_name(n.biases[0][0])}" if n.has_biases else ""
        equation = f"${w1} {x1} + {w2} {x2}{bias} = 0$"
        (self.line,) = ax.plot([], [], color="black", lw=2, label=equation)
        style = dict(mec="black", ls="none", ms=8, zorder=4)
        ax.plot(*data[ones].T, "o", color=BLUE, label="target 1", **style)
        ax.plot(*data[~ones].T, "s", color=VERMILLION, label="target 0", **style)
        ax.set_xlim(*self.box[:, 0])
        ax.set_ylim(*self.box[:, 1])
        ax.set_xlabel(f"${x1}$")
        ax.set_ylabel(f"${x2}$")
        ax.legend(loc="upper left", fontsize="small", framealpha=0.9)
        self.update(network)

    @staticmethod
    def _network(network):
        notation = perceptron_notation(inputs=2, bias=True)
        if isinstance(network, Example):
            network, notation = network.network, network.notation
        if not isinstance(network, SigmoidNetwork):
            raise TypeError(f"expected a course network or a SigmoidNetwork of sizes (2, 1), got {describe(network)}")
        if network.sizes != (2, 1):
            raise ValueError(
                f"a decision boundary is drawn for one neuron with two inputs, sizes (2, 1); got sizes {network.sizes}"
            )
        return network, notation

    def update(self, network):
        """Redraw for ``network`` (an example or a :class:`SigmoidNetwork` of sizes (2, 1))."""
        network, _ = self._network(network)
        (w1, w2), b = network.weights[0][0], network.biases[0][0]
        self.image.set_data(network.forward(self.grid).output.reshape(121, 121))
        (x1_low, x2_low), (x1_high, x2_high) = self.box
        if abs(w2) >= abs(w1) and w2 != 0:  # x2 = -(w1 x1 + b) / w2
            x1 = np.array([x1_low, x1_high])
            self.line.set_data(x1, -(w1 * x1 + b) / w2)
        elif w1 != 0:  # a steep line: x1 = -(w2 x2 + b) / w1
            x2 = np.array([x2_low, x2_high])
            self.line.set_data(-(w2 * x2 + b) / w1, x2)
        else:  # no weights: the output is the same everywhere, there is no boundary
            self.line.set_data([], [])
        self.network = network


def plot_decision_boundary(example_or_network, data, targets, *, ax=None):
    """Plot the data, one neuron's output over the plane and its decision boundary; return the figure.

    See :class:`DecisionBoundary`.
    """
    ax = new_axes((6, 4.5)) if ax is None else check_axes(ax)
    DecisionBoundary(example_or_network, data, targets, ax)
    return figure_of(ax)


# -- several runs, layer by layer, and images (lesson 10) ------------------------------------


def _runs(runs):
    """Check ``runs``: a dict from a label to a list of histories (one per seed)."""
    if not isinstance(runs, dict) or not runs:
        raise TypeError(f"runs must be a dict from a label to a list of histories (one per seed), got {describe(runs)}")
    for label, histories in runs.items():
        if isinstance(histories, History):
            histories = [histories]
        if not histories or not all(isinstance(h, History) for h in histories):
            raise TypeError(f"runs[{label!r}] must be a list of histories, got {describe(histories)}")
        if len({h.steps for h in histories}) != 1:
            raise ValueError(f"the runs of {label!r} must all have the same number of steps")
        yield label, histories


def plot_runs(runs, *, ax=None, log=True, steps_per_epoch=None, of=None, every=1, ylabel=None):
    """Plot the learning curves of several seeded runs of each method: the median, and the range.

    ``runs`` maps a label (a method, e.g. ``"batch of 10"``) to its histories, one per seed: a claim
    about a method is worth only what it is worth over several seeds, so each method is drawn as its
    median after every step, with a band from the lowest to the highest of its seeds.
    ``steps_per_epoch`` maps each label to its steps per pass over the data (1 for full batch,
    ``ceil(examples / batch_size)`` for mini-batches): then the curves are drawn against epochs, so
    that methods which have seen the same number of examples are compared at the same place.

    By default the curve is the error; ``of`` draws another number instead, a function of the
    network (e.g. its accuracy on held-out data), computed for the network after every ``every``-th
    step that the history kept; ``ylabel`` names it.
    """
    ax = new_axes((6.5, 3.6)) if ax is None else check_axes(ax)
    every = as_count(every, "every")
    for k, (label, histories) in enumerate(_runs(runs)):
        if of is None:
            steps = np.arange(histories[0].steps + 1)
            values = np.array([h.errors for h in histories])
        else:
            steps = histories[0].kept[:: max(every, 1)]
            values = np.array([[of(h.network_at(int(step))) for step in steps] for h in histories])
        x = steps / (1 if steps_per_epoch is None else steps_per_epoch[label])
        color = LINES[k % len(LINES)]
        ax.fill_between(x, values.min(axis=0), values.max(axis=0), color=color, alpha=0.2, linewidth=0)
        ax.plot(x, np.median(values, axis=0), color=color, label=f"{label} ({len(histories)} seeds)")
    ax.set_xlabel("step" if steps_per_epoch is None else "epoch (passes over the data)")
    ax.set_ylabel(ylabel or ("error" if of is None else "value") + " (median and range over the seeds)")
    if log:
        ax.set_yscale("log")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize="small")
    return figure_of(ax)


def plot_per_layer(values, *, ax=None, ylabel="size", log=True):
    """Plot a number per layer for several seeds of each method: the median, and every seed as a dot.

    ``values`` maps a label to an array of shape ``(seeds, layers)``, e.g. the size of the gradient
    of each layer's weights at the start of training, for each of a few seeds; layer ``l`` is
    drawn at ``l = 1, 2, ...`` (the layer the weights feed, as in lesson 10's ``W^(l)``).
    """
    ax = new_axes((6.5, 3.6)) if ax is None else check_axes(ax)
    if not isinstance(values, dict) or not values:
        raise TypeError(f"values must be a dict from a label to an array (seeds, layers), got {describe(values)}")
    for k, (label, array) in enumerate(values.items()):
        array = as_array(array, f"values[{label!r}]", ndim=2)
        layers = np.arange(1, array.shape[1] + 1)
        color = LINES[k % len(LINES)]
        ax.plot(np.repeat(layers[None, :], len(array), axis=0).ravel(), array.ravel(), ".", color=color, alpha=0.4)
        ax.plot(layers, np.median(array, axis=0), "-o", color=color, label=f"{label} ({len(array)} seeds)")
    ax.set_xlabel("layer $l$ (of the weights $W^{(l)}$)")
    ax.set_ylabel(ylabel)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if log:
        ax.set_yscale("log")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize="small")
    return figure_of(ax)


def plot_images(images, titles, *, shape=(8, 8), columns=8):
    """Show small grey images side by side, each with its title (e.g. the digits a network got wrong).

    ``images`` has one image per row, flattened (shape ``(images, height * width)``, as a data set
    holds them) or not; ``titles`` one string per image.  Dark is ink, as on paper.
    """
    images = as_array(images, "images")
    if images.ndim == 2:
        images = images.reshape((len(images),) + tuple(shape))
    if images.ndim != 3 or len(titles) != len(images) or len(images) == 0:
        raise ValueError(f"need one or more images and one title per image; got {images.shape} and {len(titles)}")
    columns = min(as_count(columns, "columns"), len(images))
    rows = -(-len(images) // columns)
    figure = CourseFigure(figsize=(1.3 * columns, 1.5 * rows))  # a fixed layout: constrained is slow for many axes
    figure.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=1 - 0.3 / rows, wspace=0.1, hspace=0.3)
    for k, ax in enumerate(figure.subplots(rows, columns, squeeze=False).ravel()):
        ax.set_axis_off()
        if k < len(images):
            ax.imshow(images[k], cmap="gray_r", interpolation="nearest")
            # a text, not a title: placing 16 titles makes matplotlib measure every axis, which takes seconds
            ax.text(0.5, 1.03, titles[k], transform=ax.transAxes, ha="center", va="bottom", fontsize="small")
    return figure


# -- what a hidden layer buys: a decision boundary that bends --------------------------------


def _level_line(x1, x2, values, level):
    """The curve where ``values`` (rows: ``x2``, columns: ``x1``) equals ``level``, as one line's (x, y) data.

    Pieces of the curve are joined by NaN, which matplotlib draws as a gap.  contourpy is the
    contouring library that matplotlib itself uses.
    """
    from contourpy import contour_generator

    pieces = contour_generator(x=x1, y=x2, z=values).lines(level)
    if not pieces:
        return [], []
    joined = np.concatenate([np.vstack([piece, [np.nan, np.nan]]) for piece in pieces])
    return joined[:, 0], joined[:, 1]


FLAT = 0.01  # an output that varies by less than this over the picture decides nothing


class NetworkBoundary(DecisionBoundary):
    """What a network with two inputs, one output and any hidden layers decides over the plane of inputs.

    The picture of :class:`DecisionBoundary`, for a network of sizes ``(2, ..., 1)``: the background is
    the network's output at every point ``(x1, x2)``, the black curve is where the output is 1/2 (the
    decision boundary), and the data are drawn as there.  Without a hidden layer the curve is the
    straight line of lesson 03; with one, it can bend, and break into pieces.  ``hidden_lines=True``
    adds, dashed, the line of each neuron of the first hidden layer, where its weighted sum is 0
    (``net_h1 = 0``): each hidden neuron still draws one straight line, and the output neuron combines
    them.  ``network`` is a :class:`SigmoidNetwork` or a course example (whose hidden neurons are then
    named as in its text).  ``update(network)`` redraws for new weights of the same sizes.
    """

    def __init__(self, network, data, targets, ax, *, hidden_lines=True):
        self.hidden_names = self._hidden_names(network)
        super().__init__(network, data, targets, ax)
        self.line.set_label(r"output $\frac{1}{2}$: the decision boundary")
        self.line.set_linewidth(3)
        self.note = ax.text(0.5, 0.5, "", transform=ax.transAxes, ha="center", va="center", fontsize="medium")
        self.note.set_bbox(dict(facecolor="white", alpha=0.85, edgecolor="none"))
        self.image.colorbar.set_label("the network's output")
        self.hidden = []
        if hidden_lines and self.hidden_names:
            for k, name in enumerate(self.hidden_names):
                colour = LINES[1:][k % (len(LINES) - 1)]
                label = rf"${latex_name(name)}$: $\mathrm{{net}}_{{{name}}} = 0$"
                (line,) = ax.plot([], [], "--", color=colour, lw=2, label=label, zorder=3)
                self.hidden.append(line)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=2, fontsize="small", frameon=False)
        self.update(network)

    @staticmethod
    def _hidden_names(network):
        if isinstance(network, Example):
            return list(network.notation.neurons[1]) if len(network.notation.sizes) > 2 else []
        if isinstance(network, SigmoidNetwork) and len(network.sizes) > 2:
            return [f"h{k + 1}" for k in range(network.sizes[1])]
        return []

    @staticmethod
    def _network(network):
        if isinstance(network, Example):
            network = network.network
        if not isinstance(network, SigmoidNetwork):
            raise TypeError(
                f"expected a course network or a SigmoidNetwork with 2 inputs and 1 output, got {describe(network)}"
            )
        if network.sizes[0] != 2 or network.sizes[-1] != 1:
            raise ValueError(
                f"a decision boundary is drawn for a network with 2 inputs and 1 output; got sizes {network.sizes}"
            )
        return network, perceptron_notation(inputs=2, bias=True)

    def update(self, network):
        """Redraw for ``network`` (a :class:`SigmoidNetwork` or course example of the same sizes)."""
        network, _ = self._network(network)
        if hasattr(self, "network") and network.sizes != self.network.sizes:
            raise ValueError(f"the picture is of a network of sizes {self.network.sizes}, got sizes {network.sizes}")
        n = int(round(np.sqrt(len(self.grid))))
        x1, x2 = (np.linspace(*self.box[:, k], n) for k in range(2))
        record = network.forward(self.grid)
        output = record.output.reshape(n, n)  # rows: values of x2, columns: x1 (as the grid was made)
        self.image.set_data(output)
        low, high = output.min(), output.max()
        if high - low < FLAT:  # weights of practically 0: the line where the output is 1/2 would be noise
            self.line.set_data([], [])
        else:
            self.line.set_data(*_level_line(x1, x2, output, 0.5))
        if hasattr(self, "note"):
            values = f"{low:.3f}" if f"{low:.3f}" == f"{high:.3f}" else f"{low:.3f} to {high:.3f}"
            flat = f"the output is {values} everywhere:\nno boundary to draw"
            self.note.set_text(flat if high - low < FLAT else "")
        for line, net in zip(getattr(self, "hidden", []), record.net[1].T):
            line.set_data(*_level_line(x1, x2, net.reshape(n, n), 0.0))
        self.network = network


def plot_network_boundary(network, data, targets, *, ax=None, hidden_lines=True):
    """Plot the decision boundary of a network with two inputs and one output (any hidden layers); return the figure.

    ``plot_network_boundary(trained_network, X, T)``: see :class:`NetworkBoundary`.
    """
    ax = new_axes((5.6, 5.4)) if ax is None else check_axes(ax)
    NetworkBoundary(network, data, targets, ax, hidden_lines=hidden_lines)
    return figure_of(ax)


# -- gradient descent on two parameters, over a data set -------------------------------------


class DataLandscape:
    """The cost over a data set as a landscape over two parameters, with the path of gradient descent on it.

    :class:`Landscape` draws the error of an example's one input; this draws the **cost**, the mean
    error over a data set: ``data`` of shape ``(examples, inputs)`` and ``targets`` of shape
    ``(examples, outputs)``.  ``example`` gives the starting network and the parameters' names: the
    cost is computed on a ``resolution`` x ``resolution`` grid of values of ``p1`` and ``p2`` (each
    within ``span`` of its starting value), every other parameter fixed.  The path is ``steps`` steps of
    gradient descent on the data set that move ``p1`` and ``p2`` only, with the learning rate ``eta``
    (the example's own by default), so every point of the path lies on the drawn landscape.  ``path``
    holds its values of ``p1``, of ``p2`` and its costs after 0, 1, ... steps.  The grid does not move
    with the path: a path that leaves it (a learning rate too large) runs off the picture.

    ``update(eta=None, steps=None)`` draws the path for another learning rate or number of steps; the
    landscape itself depends on neither and is not computed again.
    """

    def __init__(self, example, data, targets, p1, p2, ax, *, eta=None, steps=50, span=2.0, resolution=41):
        self.example = _check_example(example)
        self.ax = check_axes(ax)
        if p1 == p2:
            raise ValueError(f"p1 and p2 must be two different parameters, got {p1!r} twice")
        self.places = [_check_parameter(example, p1, "p1"), _check_parameter(example, p2, "p2")]
        self.p1, self.p2 = p1, p2
        self.data, self.targets = example.network._examples(data, targets)
        if self.data.ndim != 2:
            raise ValueError("data must be a data set of shape (examples, inputs), one row per example")
        span = as_positive_number(span, "span")
        resolution = as_count(resolution, "resolution")
        if resolution < 2:
            raise ValueError(f"resolution must be at least 2 (points per axis), got {resolution}")
        given = example.given()
        self.box = [(given[p] - span, given[p] + span) for p in (p1, p2)]
        grid1, grid2 = np.meshgrid(*[np.linspace(low, high, resolution) for low, high in self.box])
        self.costs = self._costs(example, [p1, p2], [grid1, grid2])
        filled = ax.contourf(grid1, grid2, self.costs, levels=20, cmap="viridis", zorder=1)
        ax.contour(grid1, grid2, self.costs, levels=filled.levels, colors="black", linewidths=0.3, alpha=0.4)
        cost = f"${example.latex(example.notation.error)}$"
        figure_of(ax).colorbar(filled, ax=ax, label=f"cost {cost}, the mean over the data set", shrink=0.85)
        stroke = [withStroke(linewidth=3.5, foreground="black")]
        (self.path_line,) = ax.plot([], [], marker=".", ms=4, color="white", lw=1.8, path_effects=stroke, zorder=5)
        self.path_line.set_label("gradient descent")
        (self.start,) = ax.plot([], [], "o", color="white", mec="black", ms=9, zorder=6, label="start")
        (self.end,) = ax.plot([], [], "*", color=ORANGE, mec="black", ms=15, zorder=6, label="last step")
        ax.set_xlim(*self.box[0])
        ax.set_ylim(*self.box[1])
        ax.set_xlabel(f"${example.latex(p1)}$")
        ax.set_ylabel(f"${example.latex(p2)}$")
        ax.legend(loc="upper right", fontsize="small", framealpha=0.9)
        self.eta, self.steps = example.eta, 0
        self.update(eta=example.eta if eta is None else eta, steps=steps)

    _recent = {}  # the last few grids of costs: pictures of one landscape with several paths share one

    def _costs(self, example, names, grids):
        parts = [a.tobytes() for a in example.network.weights + example.network.biases + (self.data, self.targets)]
        key = (tuple(parts), tuple(names), grids[0].tobytes(), grids[1].tobytes())
        if key not in self._recent:
            if len(self._recent) >= 4:
                self._recent.pop(next(iter(self._recent)))
            on_data = _OnData(example.network, example.notation, self.data, self.targets)
            self._recent[key] = _errors(on_data, names, grids)
            self._recent[key].flags.writeable = False
        return self._recent[key]

    def update(self, eta=None, steps=None):
        """Draw the path of ``steps`` steps with the learning rate ``eta`` (None keeps the current one)."""
        if eta is not None:
            self.eta = as_positive_number(eta, "the learning rate eta")
        if steps is not None:
            self.steps = as_count(steps, "steps")
        rates = self.example.learning_rates({self.p1: self.eta, self.p2: self.eta}, default=0.0)
        history = self.example.network.train(self.data, self.targets, rates, self.steps, train_biases=True)
        self.path = [_series(history, *place) for place in self.places] + [history.errors]
        path1, path2, _ = self.path
        self.path_line.set_data(path1, path2)
        self.path_line.set_markevery(max(1, self.steps // 25))  # a dot every few steps: the path stays readable
        self.start.set_data(path1[:1], path2[:1])
        self.end.set_data(path1[-1:], path2[-1:])
        self.ax.set_title(f"{self.steps} steps with learning rate {self.eta:g}", fontsize="medium")


class _OnData:
    """An example's network and notation with a data set in place of its one input (what ``_errors`` reads)."""

    def __init__(self, network, notation, x, target):
        self.network, self.notation, self.x, self.target = network, notation, x, target


def plot_data_landscape(example, data, targets, p1, p2, *, ax=None, eta=None, steps=50, span=2.0, resolution=41):
    """Plot the cost over a data set against two parameters, with gradient descent's path; return the figure.

    ``plot_data_landscape(networks.get("perceptron-bias"), X, T, "w", "b")``: see :class:`DataLandscape`.
    """
    ax = new_axes((6, 4.8)) if ax is None else check_axes(ax)
    DataLandscape(example, data, targets, p1, p2, ax, eta=eta, steps=steps, span=span, resolution=resolution)
    return figure_of(ax)


__all__ += ["NetworkBoundary", "DataLandscape", "plot_network_boundary", "plot_data_landscape"]
