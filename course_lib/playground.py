"""The slider panel: move any number of a course network and watch everything it changes.

``Playground(networks.get("mazur"))`` shows a slider for every input, target,
weight, bias and the learning rate, the network's diagram with every ``net``
and ``out`` (and, on request, every gradient), a read-out of the numbers and
gradients, the loss curve and the weights while it trains, and (on request)
the whole working in LaTeX.  The
buttons take one step of gradient descent (old -> new for every weight),
train N steps, or reset to the example's own numbers.

How it stays fast and flicker-free: every figure is drawn once, on an ipympl
canvas (a widget that shows a matplotlib figure and redraws it in place), and
a change only updates the data of the artists already there and redraws
(``benchmarks/panel_latency.py`` measures it against re-creating the figures,
as ``interact`` does).  The same code runs headless (under nbclient or nbval),
and the panel leaves a static picture of itself in the saved notebook.
"""

import logging
from html import escape

import ipywidgets as widgets
import numpy as np

from .diagram import diagram_figure
from .networks import Example
from .notation import html_name
from .plots import CourseFigure, LossCurve, WeightTrajectories
from .sliders import error_html, interactive_canvas, png_base64
from .working import show_working

__all__ = ["Playground"]

log = logging.getLogger(__name__)


class Playground:
    """A slider panel for a course network (see the module docstring).

    ``sliders`` maps the example's names (``i1``, ``target_o1``, ``w5``,
    ``v21``, ``eta``) to their sliders; ``network`` and ``example`` are the
    current ones; ``step()``, ``train(n)`` and ``reset()`` are what the
    buttons do; ``figures`` are the matplotlib figures it draws.  The panel
    displays itself when it is the last expression of a cell.
    """

    def __init__(self, example, *, steps=100, working=False):
        if not isinstance(example, Example):
            raise TypeError(f"Playground needs a course network such as networks.get('mazur'), got {example!r}")
        self.start = example
        self.example = example
        self.history = example.train(0)
        self._quiet = False

        self.diagram_figure, self.diagram = diagram_figure(example, values=True)
        # Fixed margins: a layout engine would be solved again at every redraw.
        self.curves_figure = CourseFigure(figsize=(10, 3.0))
        loss_axes, weights_axes = self.curves_figure.subplots(1, 2, width_ratios=(1, 1.25))
        self.curves_figure.subplots_adjust(left=0.07, right=0.83, bottom=0.17, top=0.95, wspace=0.25)
        self.loss = LossCurve(self.history, loss_axes, example=example)
        self.weights = WeightTrajectories(self.history, example, weights_axes)
        self.figures = [self.diagram_figure, self.curves_figure]
        self.canvases = [
            interactive_canvas(self.diagram_figure, "course-diagram"),
            interactive_canvas(self.curves_figure, "course-curves"),
        ]

        self.sliders = self._make_sliders(example)
        self.readout = widgets.HTML().add_class("course-readout")
        self.message = widgets.HTML().add_class("course-message")
        self.steps = widgets.BoundedIntText(value=steps, min=1, max=100_000, description="N =", layout={"width": "9em"})
        self.buttons = {
            "step": widgets.Button(description="Step", tooltip="one step of gradient descent", icon="step-forward"),
            "train": widgets.Button(description="Train N steps", icon="forward"),
            "reset": widgets.Button(description="Reset", tooltip="back to the example's numbers", icon="undo"),
        }
        for name, button in self.buttons.items():
            button.add_class(f"course-{name}")
        self.buttons["step"].on_click(lambda _: self._safely(self.step))
        self.buttons["train"].on_click(lambda _: self._safely(lambda: self.train(self.steps.value)))
        self.buttons["reset"].on_click(lambda _: self._safely(self.reset))

        parameters = example.notation.parameter_names()
        self.show_gradients = widgets.Checkbox(value=False, description="gradients on the diagram")
        self.show_gradients.add_class("course-show-gradients")
        self.show_gradients.observe(lambda _: self._safely(self._refresh_diagram), names="value")
        self.show_working = widgets.Checkbox(value=working, description="show the working").add_class(
            "course-show-working"
        )
        self.working_part = widgets.Dropdown(options=["forward", "error", "backward", "updates"], value="forward")
        self.working_weight = widgets.Dropdown(options=parameters, value=parameters[0], layout={"width": "8em"})
        self.working = widgets.HTMLMath().add_class("course-working")
        for control in (self.show_working, self.working_part, self.working_weight):
            control.observe(lambda _: self._safely(self._show_working), names="value")

        self.widget = self._layout()
        self._refresh()

    # -- building -------------------------------------------------------------------------

    def _make_sliders(self, example):
        n = example.notation
        sliders = {}
        for name, value in example.given().items():
            if name == n.eta:
                low, high = 0.01, max(5.0, value)
            elif name in n.parameter_names():
                low, high = min(-4.0, np.floor(value)), max(4.0, np.ceil(value))
            else:  # inputs and targets
                low, high = min(0.0, np.floor(value)), max(1.0, np.ceil(value))
            slider = widgets.FloatSlider(
                value=value,
                min=low,
                max=high,
                step=0.01,
                description=f"${example.latex(name)}$",
                readout_format=".3f",
                continuous_update=True,
                style={"description_width": "3.5em"},
                layout={"width": "15em"},
            )
            slider.add_class("course-slider").add_class(f"course-slider-{name.replace('/', '-')}")
            slider.observe(self._on_slider, names="value")
            sliders[name] = slider
        return sliders

    def _layout(self):
        n = self.start.notation
        groups = [
            ("inputs and targets", [k for k in self.sliders if k not in n.parameter_names() and k != n.eta]),
            ("weights", n.weight_names()),
            ("biases", n.bias_names()),
            ("learning rate", [n.eta]),
        ]
        boxes = []
        for title, names in groups:
            if names:
                grid = widgets.GridBox(
                    [self.sliders[k] for k in names], layout={"grid_template_columns": "repeat(2, 15.5em)"}
                )
                boxes.append(widgets.VBox([widgets.HTML(f"<b>{title}</b>"), grid]))
        controls = widgets.HBox(
            [self.buttons["step"], self.steps, self.buttons["train"], self.buttons["reset"]]
            + [self.show_gradients, self.show_working]
        )
        working = widgets.VBox([widgets.HBox([self.working_part, self.working_weight]), self.working])
        working.layout.display = None
        self._working_box = working
        title = widgets.HTML(f"<h3 style='margin:0'>{escape(self.start.title)}</h3>")
        body = widgets.HBox([widgets.VBox(boxes), widgets.VBox([self.canvases[0], self.readout])])
        panel = widgets.VBox([title, body, controls, self.message, self.canvases[1], working])
        return panel.add_class("course-playground")

    # -- what the buttons do --------------------------------------------------------------

    @property
    def network(self):
        """The network with the sliders' current numbers."""
        return self.example.network

    def step(self):
        """One step of gradient descent: every weight moves against its gradient (old -> new is shown)."""
        before = self.example
        self.example = before.step()
        self.history = self.history.then(before.train(1))
        self._show(previous=before.network)
        changes = ", ".join(
            f"{html_name(p)} {before.given()[p]:.4g} → {self.example.given()[p]:.4g}"
            for p in before.notation.parameter_names()
            if before.given()[p] != self.example.given()[p]
        )
        self.message.value = f"<b>Step {self.history.steps}:</b> {changes}"

    def train(self, n):
        """Train ``n`` steps from the current numbers; the loss curve and the weights follow."""
        run = self.example.train(n)
        self.example = self.example.with_values({}, network=run.network)
        self.history = self.history.then(run)
        self._show()
        first, last = run.errors[0], run.errors[-1]
        error = html_name(self.example.notation.error)
        self.message.value = f"<b>Trained {run.steps} steps:</b> {error} {first:.6g} → {last:.6g}"

    def reset(self):
        """Back to the example's own numbers, with an empty history."""
        self.example = self.start
        self.history = self.start.train(0)
        self._show()
        self.message.value = ""

    # -- keeping everything in step -------------------------------------------------------

    def _on_slider(self, change):
        if not self._quiet:
            self._safely(self._slid)

    def _slid(self):
        values = {name: slider.value for name, slider in self.sliders.items()}
        self.example = self.start.with_values(values)
        if self.history.steps:  # a hand-made change starts a new run
            self.history = self.example.train(0)
            self._refresh(curves=True)
        else:
            self._refresh(curves=False)

    def _show(self, previous=None):
        """Move the sliders to the current numbers (quietly) and redraw everything."""
        self._quiet = True
        try:
            for name, value in self.example.given().items():
                slider = self.sliders[name]
                if name != self.example.notation.eta:  # the learning rate keeps its minimum above 0
                    slider.min = min(slider.min, np.floor(value))
                slider.max = max(slider.max, np.ceil(value))
                slider.value = value
        finally:
            self._quiet = False
        self._refresh(previous=previous)

    def _refresh_diagram(self, previous=None):
        self.diagram.update(self.example, previous=previous, gradients=self.show_gradients.value)
        self.diagram_figure.canvas.draw_idle()

    def _refresh(self, previous=None, curves=True):
        """Redraw the diagram (and the curves, when the history changed), rewrite the read-out and the working."""
        self._refresh_diagram(previous)
        if curves:
            self.loss.update(self.history)
            self.weights.update(self.history)
            self.curves_figure.canvas.draw_idle()
        self.readout.value = self._readout()
        self._show_working()

    def _readout(self):
        example = self.example
        n, q = example.notation, example.quantities()
        rows = []
        for layer in n.neurons[1:]:
            for neuron in layer:
                keys = [n.name("net", neuron), n.name("out", neuron), n.name("delta", neuron)]
                cells = "".join(f"<td>{html_name(k)} = {q[k] + 0.0:.6g}</td>" for k in keys)  # + 0.0: no "-0"
                rows.append(f"<tr>{cells}</tr>")
        gradients = "".join(
            f"<tr><td>{html_name(p)} = {q[p] + 0.0:.4g}</td><td>{html_name(g)} = {q[g] + 0.0:.6g}</td></tr>"
            for p, g in ((p, f"d{n.d}/d{p}") for p in n.parameter_names())
        )
        return (
            f"<div><b>{html_name(n.error)} = <span class='course-E-total'>{q[n.error]:.9g}</span></b></div>"
            f"<table class='course-neurons'>{''.join(rows)}</table>"
            f"<table class='course-gradients'>{gradients}</table>"
        )

    def _show_working(self):
        shown = self.show_working.value
        self._working_box.layout.display = None if shown else "none"
        if not shown:
            return
        part = self.working_part.value
        self.working_weight.layout.visibility = "visible" if part == "backward" else "hidden"
        name = self.working_weight.value if part == "backward" else None
        self.working.value = f"$${show_working(self.example, part, name).latex}$$"

    def _safely(self, action):
        """Run a callback; show any error in the panel instead of losing it in a log."""
        try:
            action()
        except Exception as error:  # shown to the learner, and logged for the record
            log.exception("the panel could not update")
            self.message.value = error_html(error)

    # -- display --------------------------------------------------------------------------

    def __repr__(self):
        error = self.example.notation.error
        return f"<Playground of {self.example.name}: {error} = {self.example.quantities()[error]:.6g}>"

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        images = "".join(f"<img src='data:image/png;base64,{png_base64(f)}'/>" for f in self.figures)
        bundle["text/html"] = f"<div class='course-playground-snapshot'>{images}{self.readout.value}</div>"
        bundle["text/plain"] = repr(self)
        return bundle
