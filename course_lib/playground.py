"""The slider panel: move any number of a course network and watch everything it changes.

``Playground(networks.get("mazur"))`` shows a slider for every input, target,
weight, bias and the learning rate, the network's diagram with every ``net``
and ``out`` (and, on request, every gradient), a read-out of every number of
the step to nine significant figures, the loss curve and the weights while it
trains, and (on request) the whole working in LaTeX.  The buttons take one
step of gradient descent (old -> new for every weight), train N steps, or
reset to the example's own numbers.

How it works:

- **One calculation per state.**  The panel's numbers are an example
  (``panel.example``); each new state (a slider moved, a step, a run of
  training) computes its ``quantities()`` once, and the diagram, the read-out
  and the working all show those.
- **The exact numbers are the panel's, not the sliders'.**  A slider shows a
  number on its grid of ``slider_step``; the browser sends back every value the
  kernel gives a slider, rounded to that grid.  A value that is the panel's own
  number as the slider shows it is that echo, not a move: Step, Train and
  Reset are never undone by it, and a learner's own move (which always lands
  on another point of the grid) changes just that number and starts a new run.
- **Live in the browser.**  The diagram and the curves are drawn by the
  browser as SVG from numbers sent as JSON (:mod:`course_lib.live`); the
  diagram is laid out by :class:`~course_lib.diagram.DiagramLayout`, which
  matplotlib draws too.  A slider's move is one message back to the browser:
  the diagram's labels and lines and the read-out's numbers together (the
  read-out's HTML is sent once), so they change in the same frame.  The same code runs headless (under nbclient or
  nbval), and the panel leaves a static picture of itself (matplotlib PNGs and
  the read-out) in the saved notebook.
- **Fits a laptop.**  The title and the last message on one line; controls and
  sliders on the left, in tabs by layer (one for the inputs, targets and
  learning rate), the diagram on the right (as tall as the read-out leaves
  room for), the read-out under both: at 1366x768, with JupyterLab's file browser open,
  buttons, sliders, diagram and read-out are on one screen
  (``tests/test_browser.py`` checks it).
"""

import logging
import math
import re
import time
from html import escape

import ipywidgets as widgets
import numpy as np
import traitlets

from .diagram import DiagramLayout, diagram_figure, edge_styles, label_rows
from .live import LiveCurves, LiveDiagram, LiveReadout
from .network import History
from .networks import Example
from .notation import html_name
from .plots import CourseFigure, LossCurve, WeightTrajectories, figure_of
from .sliders import error_html, png_base64
from .working import show_working

__all__ = ["Playground", "on_grid"]

log = logging.getLogger(__name__)

SHOW_EVERY = 0.1  # seconds: while it trains, the curves are sent this often
SCREEN = 610  # CSS pixels for the title, sliders and diagram, message and read-out: a laptop's notebook area
ROW = 17  # the read-out's rows, in CSS pixels
CSS = """
<style>
.course-playground { font-size: 13px; }
.course-playground .course-title { font-weight: bold; font-size: 14px; margin: 2px 0 4px; white-space: nowrap; }
.course-playground .course-message { font-size: 12px; line-height: 1.35; min-height: 17px; }
.course-playground .course-slider-tabs.jupyter-widget-tab > .widget-tab-contents { padding: 4px 2px; }
.course-playground .course-slider-tabs.jupyter-widget-tab > .lm-TabBar .lm-TabBar-tab { min-width: 0; padding: 0 7px; }
.course-playground .course-slider .widget-readout { min-width: 3.3em; width: 3.3em; }
.course-readout { font-size: 12px; font-variant-numeric: tabular-nums; }
.course-readout .course-tables { display: flex; flex-wrap: wrap; gap: 2px 14px; align-items: flex-start; }
.course-readout table { border-collapse: collapse; }
.course-readout th, .course-readout td { padding: 0 5px; text-align: right; white-space: nowrap; line-height: 17px; }
.course-readout th { font-weight: normal; color: #555; }
.course-readout tr.course-head th { border-bottom: 1px solid #ccc; }
.course-readout .course-error-line { font-size: 13px; margin: 2px 0 3px; }
</style>
"""


def on_grid(slider, value):
    """``value`` as ``slider`` shows it: the nearest point ``min + k * step`` of its range.

    This is what the browser makes of a value the kernel gives the slider (and sends back).
    """
    k = round((value - slider.min) / slider.step)
    return round(min(max(slider.min + k * slider.step, slider.min), slider.max), 12)


def _is_echo(slider, value, exact):
    """Whether ``value`` arriving from ``slider`` is the panel's number ``exact`` as the slider shows it."""
    return value == exact or math.isclose(value, on_grid(slider, exact), rel_tol=0, abs_tol=1e-6 * slider.step)


def _history(networks, errors):
    """A :class:`History` of the given networks, one after the other, with their errors (nothing recomputed)."""
    return History(
        np.array(errors, dtype=float),
        tuple(np.stack(layer) for layer in zip(*(net.weights for net in networks))),
        tuple(np.stack(layer) for layer in zip(*(net.biases for net in networks))),
    )


def _plain(html):
    """A name in HTML as plain text: ``w<sub>5</sub>`` -> ``w5``."""
    return re.sub(r"</?sub>", "", html)


def _label(name):
    """A slider's label: the course's name as the learner types it (``w5``, ``target_o1``), Greek as Greek."""
    return re.sub(r"^(eta|alpha|theta)", lambda m: {"eta": "η", "alpha": "α", "theta": "θ"}[m.group(1)], name)


def _unnamed(html):
    """A quantity's name without its neuron, for a column's head: ``net<sub>h1</sub>`` -> ``net``."""
    return re.sub(r"<sub>.*?</sub>", "", html)


class _Slider(widgets.FloatSlider):
    """A slider whose moves the kernel does not echo back to the browser.

    ipywidgets answers every value a browser sends with an ``echo_update`` message, for the other
    browser windows showing the same widget.  On the panel that message travels ahead of the diagram's
    and read-out's (kernel -> server -> browser) at every key press; without it the new picture is on
    the screen a few milliseconds sooner (``benchmarks/browser_latency.py``).  A value the kernel
    itself gives the slider (Step, Train, Reset) is still sent to every window.
    """

    value = traitlets.CFloat(0.0, help="Float value").tag(sync=True, echo_update=False)


class Playground:
    """A slider panel for a course network (see the module docstring).

    ``sliders`` maps the example's names (``i1``, ``target_o1``, ``w5``,
    ``v21``, ``eta``) to their sliders; ``example`` holds the panel's exact
    numbers and ``quantities`` every number of its step, computed once;
    ``network`` is the current network; ``history`` the run so far.
    ``step()``, ``train(n)`` and ``reset()`` are what the buttons do.
    ``diagram`` and ``curves`` are the live pictures, ``figures`` the
    matplotlib figures of the static picture.  ``slider_step`` is the
    sliders' step.  The panel displays itself when it is the last expression
    of a cell.
    """

    def __init__(self, example, *, steps=100, working=False, slider_step=0.01):
        if not isinstance(example, Example):
            raise TypeError(f"Playground needs a course network such as networks.get('mazur'), got {example!r}")
        if not (isinstance(slider_step, (int, float)) and 0 < slider_step <= 1):
            raise ValueError(f"slider_step must be a number above 0 and at most 1, got {slider_step!r}")
        self.start = example
        self.slider_step = float(slider_step)
        self.layout = DiagramLayout(example)
        self.example, self.quantities, self._before, self.sliders = None, None, None, {}
        self._enter(example)
        self.history = self._run_start()

        # The static picture (for the saved notebook): the curves are made now, as the live curves take
        # each parameter's colour from them; the diagram's figure when the panel is first displayed.
        self.curves_figure = CourseFigure(figsize=(10, 3.0))
        loss_axes, weights_axes = self.curves_figure.subplots(1, 2, width_ratios=(1, 1.25))
        self.curves_figure.subplots_adjust(left=0.07, right=0.83, bottom=0.17, top=0.95, wspace=0.25)
        self.loss = LossCurve(self.history, loss_axes, example=example)
        self.weights = WeightTrajectories(self.history, example, weights_axes)
        self._static_diagram = None

        # The diagram takes what the read-out leaves of one screen (its width is the panel's).
        readout_height = 2 * ROW + 8 + ROW * (1 + self._rows_per_table())
        self.diagram = LiveDiagram(self.layout, max_height=SCREEN - 30 - readout_height)
        self.diagram.add_class("course-diagram")
        self.curves = LiveCurves(example, self.weights).add_class("course-curves")
        self.sliders = self._make_sliders(example)
        self.readout = LiveReadout(self.diagram, self._readout_html(self._readout_texts())).add_class("course-readout")
        self.message = widgets.HTML().add_class("course-message")
        self.steps = widgets.BoundedIntText(
            value=steps,
            min=1,
            max=1_000_000,
            description="N =",
            style={"description_width": "2.2em"},
            layout={"width": "8.6em"},
        ).add_class("course-steps")
        self.buttons = {
            "step": widgets.Button(description="Step", tooltip="one step of gradient descent", icon="step-forward"),
            "train": widgets.Button(description="Train N steps", tooltip="N steps of gradient descent", icon="forward"),
            "reset": widgets.Button(description="Reset", tooltip="back to the example's numbers", icon="undo"),
        }
        for name, button in self.buttons.items():
            button.add_class(f"course-{name}")
            button.layout.width = "auto"
        self.buttons["step"].on_click(lambda _: self._safely(self.step))
        self.buttons["train"].on_click(lambda _: self._safely(lambda: self.train(self.steps.value)))
        self.buttons["reset"].on_click(lambda _: self._safely(self.reset))

        parameters = example.notation.parameter_names()
        self.show_gradients = widgets.Checkbox(value=False, description="show gradients", indent=False)
        self.show_gradients.add_class("course-show-gradients")
        self.show_gradients.observe(lambda _: self._safely(self._draw_live), names="value")
        self.show_working = widgets.Checkbox(value=working, description="show the working", indent=False)
        self.show_working.add_class("course-show-working")
        self.working_part = widgets.Dropdown(options=["forward", "error", "backward", "updates"], value="forward")
        self.working_weight = widgets.Dropdown(options=parameters, value=parameters[0], layout={"width": "8em"})
        self.working = widgets.HTMLMath().add_class("course-working")
        for control in (self.show_working, self.working_part, self.working_weight):
            control.observe(lambda _: self._safely(self._show_working), names="value")

        self.widget = self._layout()
        self._draw()

    # -- building -------------------------------------------------------------------------

    def _make_sliders(self, example):
        n = example.notation
        decimals = max(0, -math.floor(math.log10(self.slider_step) + 1e-9))
        sliders = {}
        for name, value in example.given().items():
            if name == n.eta:
                low, high = self.slider_step, max(5.0, math.ceil(value))
            elif name in n.parameter_names():
                low, high = min(-4.0, math.floor(value)), max(4.0, math.ceil(value))
            else:  # inputs and targets
                low, high = min(0.0, math.floor(value)), max(1.0, math.ceil(value))
            slider = _Slider(
                min=low,
                max=high,
                step=self.slider_step,
                description=_label(name),
                readout_format=f".{decimals}f",
                continuous_update=True,
                style={"description_width": "2.9em" if name in n.parameter_names() else "5em"},
                layout={"width": "100%"},
            )
            slider.value = on_grid(slider, value)
            slider.add_class("course-slider").add_class(f"course-slider-{name.replace('/', '-')}")
            slider.observe(lambda change, name=name: self._safely(lambda: self._moved(name, change["new"])), "value")
            sliders[name] = slider
        return sliders

    def _groups(self):
        """The sliders' tabs: one per layer of parameters (weights, then biases), then the data and the rate."""
        n = self.start.notation
        layers = len(n.neurons) - 1
        groups = []
        for l in range(layers):
            names = [p for p in n.weight_names() + n.bias_names() if n.locate(p)[1] == l]
            if layers == 1:
                title = "weights"
            elif l == layers - 1:
                title = "output"
            else:
                title = "hidden" if layers == 2 else f"hidden {l + 1}"
            groups.append((title, names))
        data = [k for k in self.sliders if k not in n.parameter_names()]
        groups.append((f"data, {_plain(html_name(n.eta))}", data))
        return groups

    def _layout(self):
        box = {"width": "100%"}
        tabs = widgets.Tab(
            children=[widgets.VBox([self.sliders[k] for k in names], layout=box) for _, names in self._groups()],
            titles=[title for title, _ in self._groups()],
            layout={"width": "100%"},
        ).add_class("course-slider-tabs")
        controls = widgets.VBox(
            [
                widgets.HBox([self.buttons["step"], self.buttons["reset"]]),
                widgets.HBox([self.steps, self.buttons["train"]]),
                widgets.HBox([self.show_gradients, self.show_working]),
                tabs,
            ],
            layout={"width": "300px", "min_width": "300px"},
        ).add_class("course-controls")
        self.diagram.layout = widgets.Layout(flex="1 1 auto", min_width="0", margin="0 0 0 8px")
        main = widgets.HBox([controls, self.diagram], layout={"width": "100%", "align_items": "flex-start"})
        working = widgets.VBox([widgets.HBox([self.working_part, self.working_weight]), self.working])
        self._working_box = working
        title = widgets.HTML(CSS + f"<div class='course-title'>{escape(self.start.title)}</div>")
        self.message.layout = widgets.Layout(flex="1 1 auto", margin="0 0 0 16px")
        header = widgets.HBox([title, self.message], layout={"width": "100%", "align_items": "baseline"})
        parts = [header, main, self.readout, self.curves, working]
        panel = widgets.VBox(parts, layout={"width": "100%"})
        return panel.add_class("course-playground")

    # -- what the buttons do --------------------------------------------------------------

    @property
    def network(self):
        """The network with the panel's current numbers."""
        return self.example.network

    def step(self):
        """One step of gradient descent: every weight moves against its gradient (old -> new is shown)."""
        before, error = self.example, self.example.notation.error
        old = self.quantities
        self._enter(before.step(), before=old)
        self.history = self.history.then(_history([before.network, self.network], [old[error], self.quantities[error]]))
        self._draw()
        e = html_name(error)
        self.message.value = (
            f"<b>Step {self.history.steps}:</b> {e} {old[error]:.9g} → {self.quantities[error]:.9g} "
            "(old → new on the diagram)"
        )

    def train(self, n):
        """Train ``n`` steps from the current numbers; the loss curve and the weights follow as it trains."""
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            raise ValueError(f"the number of steps must be a whole number of at least 1, got {n!r}")
        example, first, done = self.example, self.history.steps, 0
        piece, shown = 1, time.perf_counter()
        while done < n:
            k = min(piece, n - done)
            started = time.perf_counter()
            run = example.train(k)
            self.history = self.history.then(run)
            example = example.with_values({}, network=run.network)
            done += k
            now = time.perf_counter()
            # pieces of about SHOW_EVERY seconds each, so that the curves follow the run as it goes
            piece = max(1, min(4 * k, int(k * SHOW_EVERY / max(now - started, 1e-6))))
            if done < n and now - shown >= SHOW_EVERY:
                self.curves.show(self.history)
                shown = now
        self._enter(example)
        self._draw()
        error = self.example.notation.error
        start, end = self.history.errors[first], self.history.errors[-1]
        self.message.value = (
            f"<b>Trained {n} steps</b> ({self.history.steps} in this run): {html_name(error)} {start:.6g} → {end:.6g}"
        )

    def reset(self):
        """Back to the example's own numbers, with an empty history."""
        self._enter(self.start)
        self.history = self._run_start()
        self._draw()
        self.message.value = ""

    # -- keeping everything in step -------------------------------------------------------

    def _enter(self, example, before=None, sliders=True):
        """The panel's new state: its numbers, and the one calculation every picture and read-out shows.

        ``before`` are the quantities before a step (the diagram then shows old -> new); ``sliders=False``
        leaves the sliders as they are (a learner's move: the moved slider shows its number already).
        """
        self.example = example
        self.quantities = example.quantities()
        self._before = before
        if sliders:
            self._show_sliders()

    def _run_start(self):
        """A run of no steps yet, from the current numbers."""
        return _history([self.network], [self.quantities[self.example.notation.error]])

    def _moved(self, name, value):
        """A slider's value arrived: a learner's move changes that one number (and starts a new run)."""
        if _is_echo(self.sliders[name], value, self.example.given()[name]):
            return  # the panel's own number, as the slider shows it (e.g. the browser's echo after a Step)
        self._enter(self.example.with_values({name: value}), sliders=False)
        new_run = self.history.steps > 0  # a hand-made change after training starts a new run
        if new_run:
            self.history = self._run_start()
        self._draw(curves=new_run)

    def _show_sliders(self):
        """Move the sliders to the panel's numbers (each change is one message; the echo is ignored)."""
        given = self.example.given()
        for name, slider in self.sliders.items():
            value = given[name]
            with slider.hold_sync():
                if name != self.example.notation.eta:  # the learning rate keeps its minimum above 0
                    slider.min = min(slider.min, math.floor(value))
                slider.max = max(slider.max, math.ceil(value))
                slider.value = on_grid(slider, value)

    def _draw_live(self):
        """Send the diagram's labels and lines and the read-out's numbers: one message, drawn in one frame."""
        rows = label_rows(self.layout, self.quantities, previous=self._before, gradients=self.show_gradients.value)
        self._rows, self._styles = rows, edge_styles(self.layout, self.quantities)
        self.diagram.show(rows, self._styles, readout=self._readout_texts())

    def _draw(self, curves=True):
        """Show the current state: diagram, read-out and working (and the curves, when the history changed)."""
        self._draw_live()
        if curves:
            self.curves.show(self.history)
        self._show_working()

    def _readout_texts(self):
        """The read-out's texts now: the error, each neuron, each parameter, to 9 significant figures."""
        q, n = self.quantities, self.example.notation
        texts = {key: f"{q[key] + 0.0:.9g}" for key in self._readout_keys()}  # + 0.0: no "-0"
        texts["before"] = "" if self._before is None else f" \u00a0(before this step {self._before[n.error]:.9g})"
        return texts

    def _readout_keys(self):
        """The read-out's quantities: the error, every neuron's net, out and delta, every parameter and its gradient."""
        n = self.start.notation
        neurons = [neuron for layer in n.neurons[1:] for neuron in layer]
        keys = [n.error] + [n.name(c, neuron) for neuron in neurons for c in ("net", "out", "delta")]
        return keys + [key for p in n.parameter_names() for key in (p, f"d{n.d}/d{p}")]

    def _readout_html(self, texts):
        """The read-out as HTML, with ``texts`` (from :meth:`_readout_texts`) in its cells.

        Every text sits in an element of its own (``data-q`` names its quantity), which the browser
        rewrites in place at every change (:class:`~course_lib.live.LiveReadout`).
        """
        n = self.start.notation

        def cell(key):
            return f"<td data-q='{escape(key)}'>{escape(texts[key])}</td>"

        error = (
            f"<b>{html_name(n.error)} = <span class='course-E-total' data-q='{n.error}'>{texts[n.error]}</span></b>"
            f"<span class='course-before' data-slot='before'>{escape(texts['before'])}</span>"
        )
        neurons = [neuron for layer in n.neurons[1:] for neuron in layer]
        columns = ("net", "out", "delta")
        head = "".join(f"<th>{_unnamed(html_name(n.name(c, neurons[0])))}</th>" for c in columns)
        rows = "".join(
            f"<tr><th>{html_name(neuron)}</th>{''.join(cell(n.name(c, neuron)) for c in columns)}</tr>"
            for neuron in neurons
        )
        tables = [f"<table class='course-neurons'><tr class='course-head'><th></th>{head}</tr>{rows}</table>"]
        parameters = n.parameter_names()
        per_table = self._rows_per_table()
        gradient = f"∂{html_name(n.d)}/∂…"
        for k in range(0, len(parameters), per_table):
            rows = "".join(
                f"<tr><th>{html_name(p)}</th>{cell(p)}{cell(f'd{n.d}/d{p}')}</tr>"
                for p in parameters[k : k + per_table]
            )
            about = f"the gradient: how fast {n.d} changes with the parameter of the row"
            head = f"<tr class='course-head'><th></th><th>value</th><th title='{about}'>{gradient}</th></tr>"
            tables.append(f"<table class='course-parameters'>{head}{rows}</table>")
        return f"<div class='course-error-line'>{error}</div><div class='course-tables'>{''.join(tables)}</div>"

    def _rows_per_table(self):
        """The read-out's tables' rows: the neurons', and the parameters' in two tables (three do not fit 930 px)."""
        n = self.start.notation
        return max(sum(len(layer) for layer in n.neurons[1:]), math.ceil(len(n.parameter_names()) / 2))

    def _show_working(self):
        shown = self.show_working.value
        self._working_box.layout.display = None if shown else "none"
        if not shown:
            return
        part = self.working_part.value
        self.working_weight.layout.visibility = "visible" if part == "backward" else "hidden"
        name = self.working_weight.value if part == "backward" else None
        self.working.value = f"$${show_working(self.example, part, name, quantities=self.quantities).latex}$$"

    def _safely(self, action):
        """Run a callback; show any error in the panel instead of losing it in a log."""
        try:
            action()
        except Exception as error:  # shown to the learner, and logged for the record
            log.exception("the panel could not update")
            self.message.value = error_html(error)

    # -- display --------------------------------------------------------------------------

    @property
    def figures(self):
        """The matplotlib figures of the static picture (the diagram, the curves), showing the current state."""
        if self._static_diagram is None:
            _, self._static_diagram = diagram_figure(self.start, values=True, layout=self.layout)
        self._static_diagram.show(self._rows, self._styles)
        self.loss.update(self.history)
        self.weights.update(self.history)
        return [figure_of(self._static_diagram.ax), self.curves_figure]

    def __repr__(self):
        error = self.example.notation.error
        return f"<Playground of {self.example.name}: {error} = {self.quantities[error]:.6g}>"

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        images = "".join(f"<img src='data:image/png;base64,{png_base64(f)}'/>" for f in self.figures)
        readout = self._readout_html(self.readout.texts)
        bundle["text/html"] = f"<div class='course-playground-snapshot'>{images}{CSS}{readout}</div>"
        bundle["text/plain"] = repr(self)
        return bundle
