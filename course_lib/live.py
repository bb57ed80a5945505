"""Pictures drawn by the browser: the slider panel's live diagram and training curves, as SVG, and its read-out.

A matplotlib figure on an ipympl canvas is drawn again in the kernel at every change and travels to
the browser as a PNG: for the 2-2-2 network's diagram, a tenth of a second from a key press on a
slider to the new picture on screen.  Here the kernel sends only numbers and short texts, as JSON (a
few kilobytes), and a small ES module in ``course_lib/static/`` (plain JavaScript: no build step,
nothing downloaded) draws them as SVG: about 40 ms from the key press to the new picture on a quiet
machine, a third of the PNG's time, most of it the trip through the browser, the server and the kernel
(``benchmarks/browser_latency.py`` measures both, and splits it).  The widgets are made with anywidget.

- :class:`LiveDiagram` draws a :class:`~course_lib.diagram.DiagramLayout`, the layout matplotlib
  draws for the static pictures, and its labels read what :func:`~course_lib.diagram.label_rows`
  says: the live diagram and the static picture are one picture.
- :class:`LiveReadout` is a page of HTML sent once, whose numbers the browser rewrites in place:
  at every change only the texts travel, not the HTML.
- :class:`LiveCurves` draws the error and every parameter after every step of a training run, with
  the axes' ticks worked out by matplotlib's tick locator and each parameter's colour and dashes
  taken from :class:`~course_lib.plots.WeightTrajectories`, which draws the static picture.

Without a browser (under nbclient or nbval) the widgets simply keep their state; the panel that
holds them leaves a static picture in the saved notebook.
"""

from pathlib import Path

import anywidget
import numpy as np
import traitlets
from ipywidgets import widget_serialization
from matplotlib.ticker import MaxNLocator

from .diagram import html_runs
from .notation import html_name
from .plots import _series

__all__ = ["LiveDiagram", "LiveReadout", "LiveCurves", "MAX_POINTS"]

STATIC = Path(__file__).with_name("static")
MAX_POINTS = 600  # a longer run is drawn through this many of its steps (first and last kept): a plot is ~300 px wide


class LiveDiagram(anywidget.AnyWidget):
    """A network diagram drawn by the browser: ``LiveDiagram(layout)``, then ``show(rows, styles, readout)``.

    ``layout`` is a :class:`~course_lib.diagram.DiagramLayout` (sent once); ``rows`` and ``styles`` are
    what :func:`~course_lib.diagram.label_rows` and :func:`~course_lib.diagram.edge_styles` return.
    ``readout`` are the texts of a :class:`LiveReadout` that shows this diagram's state beside it: they
    travel in the same message, so that the diagram and the read-out change in the same frame.
    ``label(name)`` says what a label reads now, e.g. ``"w5 = 0.4"`` (``name`` as in ``label_rows``:
    ``"w5"``, ``"value h1"``, ``"error"``).  ``max_height`` caps the picture's height in CSS pixels.
    """

    _esm = STATIC / "diagram.js"
    plan = traitlets.Dict().tag(sync=True)  # the layout (``layout`` is every widget's CSS layout)
    state = traitlets.Dict().tag(sync=True)
    max_height = traitlets.Int(460).tag(sync=True)

    def __init__(self, layout, **kwargs):
        super().__init__(plan=layout.to_json(), **kwargs)
        self.diagram_layout = layout
        self._names = {label: [html_name(k).replace("<sub>", "").replace("</sub>", "") for k in place.keys]
                       for label, place in layout.label_ids().items()}  # fmt: skip

    def show(self, rows, styles, readout=None):
        """Send what every label reads, how every line looks and the read-out's texts: one message, drawn at once."""
        version = self.state.get("version", 0) + 1
        edges = {p: list(style) for p, style in styles.items()}
        self.state = {"rows": rows, "edges": edges, "readout": dict(readout or {}), "version": version}

    def label(self, name):
        """What the label ``name`` reads, rows joined by newlines (None if it shows nothing)."""
        rows = self.state["rows"][name]
        shown = [key + text for key, text in zip(self._names[name], rows) if text is not None]
        return "\n".join(shown) or None


class LiveReadout(anywidget.AnyWidget):
    """Numbers in a page of HTML, rewritten by the browser in place: ``LiveReadout(diagram, template)``.

    ``template`` is the read-out's HTML, sent once: every text that changes sits in an element of its
    own, marked ``data-q='w5'`` (a quantity: the tests and screen readers find its name there) or
    ``data-slot='...'`` (any other text).  The texts, ``{"w5": "0.4", ...}``, are the ``readout`` of
    the :class:`LiveDiagram` ``diagram`` (``texts`` here): they come in the diagram's message, and the
    browser writes each into its element, so nothing is parsed or built again, only the cells whose
    text changed are laid out again, and the diagram and the read-out change in the same frame.
    """

    _esm = STATIC / "readout.js"
    template = traitlets.Unicode().tag(sync=True)
    diagram = traitlets.Instance(LiveDiagram).tag(sync=True, **widget_serialization)

    def __init__(self, diagram, template, **kwargs):
        super().__init__(diagram=diagram, template=template, **kwargs)

    @property
    def texts(self):
        """The texts shown: ``{key: text}``."""
        return self.diagram.state.get("readout", {})


def _ticks(low, high, integer=False):
    """Limits with a margin and the ticks inside them, as ``[[value, text], ...]``."""
    if high - low < 1e-12:
        low, high = low - 0.5, high + 0.5
    if not integer:
        margin = 0.05 * (high - low)
        low, high = low - margin, high + margin
    locator = MaxNLocator(nbins=6 if integer else 5, integer=integer, steps=[1, 2, 2.5, 5, 10])
    ticks = [float(t) for t in locator.tick_values(low, high) if low - 1e-9 <= t <= high + 1e-9]
    return [low, high], [[t, f"{t:g}"] for t in ticks]


class LiveCurves(anywidget.AnyWidget):
    """The error and every parameter after every step of a run, drawn by the browser.

    ``LiveCurves(example, trajectories)`` takes each parameter's colour and dashes from
    ``trajectories``, the :class:`~course_lib.plots.WeightTrajectories` of the static picture;
    ``show(history)`` sends a run (a :class:`~course_lib.network.History`): every step up to
    ``MAX_POINTS`` of them, a longer run through ``MAX_POINTS`` evenly spread steps.
    """

    _esm = STATIC / "curves.js"
    state = traitlets.Dict().tag(sync=True)

    def __init__(self, example, trajectories, **kwargs):
        super().__init__(**kwargs)
        self.example = example
        self._lines = {
            p: {"id": p, "name": html_runs(html_name(p)), "colour": line.get_color(), "dash": line.get_linestyle()}
            for p, line in trajectories.lines.items()
        }
        self._places = trajectories.places
        self.history = None

    def show(self, history):
        """Draw ``history``: its errors, and its parameters, against the step number."""
        self.history = history
        steps = np.arange(len(history.errors))
        if len(steps) > MAX_POINTS:
            steps = np.unique(np.linspace(0, len(steps) - 1, MAX_POINTS).round().astype(int))
        x = [int(k) for k in steps]
        errors = history.errors[steps]
        xlim, xticks = _ticks(0, max(x[-1], 1), integer=True)
        loss_ylim, loss_yticks = _ticks(float(errors.min()), float(errors.max()))
        series = {p: _series(history, *place)[steps] for p, place in self._places.items()}
        low = min(float(s.min()) for s in series.values())
        high = max(float(s.max()) for s in series.values())
        weights_ylim, weights_yticks = _ticks(low, high)
        error = html_runs(html_name(self.example.notation.error))
        self.state = {
            "version": self.state.get("version", 0) + 1,
            "loss": {"name": "loss", "x": x, "y": errors.tolist(), "xlim": xlim, "xticks": xticks,
                     "ylim": loss_ylim, "yticks": loss_yticks, "label": [["error ", False]] + error},
            "weights": {"name": "weights", "x": x, "xlim": xlim, "xticks": xticks, "ylim": weights_ylim,
                        "yticks": weights_yticks,
                        "lines": [self._lines[p] | {"y": s.tolist()} for p, s in series.items()]},
        }  # fmt: skip
