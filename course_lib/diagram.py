"""The picture of a network: neurons as circles, a line for every weight, each labelled with its name and value.

Layers go from left (the input) to right (the output), as in the texts.  A weight's line is blue when
the weight is positive and vermillion when it is negative (colours of the Okabe-Ito palette, which
colour-blind readers can tell apart), and the thicker, the larger the weight: the picture shows at a
glance which connections matter.  A bias is a weight on a constant input of 1 (lesson 02): a small
node ``1`` above its neuron, its line labelled with the bias's name in the text (``v11`` in the main
text, ``theta4`` in Han & Kamber's, ``b`` in the perceptron text).  Networks without biases (the first
perceptron, two outputs) have no bias nodes.

One layout, two renderers.  :class:`DiagramLayout` works out once where everything goes, in data
units: the neurons, the lines, the place of every label (measured with its longest text, so that no
two labels overlap), the key and the limits.  matplotlib draws it (:class:`NetworkDiagram`,
:func:`plot_network`: the static pictures of the lessons), and the browser draws the same layout as
SVG (:class:`course_lib.live.LiveDiagram`, the slider panel's live diagram, from
:meth:`DiagramLayout.to_json`).  What the labels read is :func:`label_rows` and how each line looks
is :func:`edge_styles`, for both renderers, from one calculation (``example.quantities()``).

``plot_network(networks.get("mazur"))`` returns the figure.  In a panel, make a
:class:`NetworkDiagram` once and call its ``update(network)`` for every new set of weights.

The labels are drawn as the outlines of their letters (matplotlib's ``TextPath``), not as ``Text``:
a ``Text`` is laid out and rasterised glyph by glyph at every draw, and its mathtext is parsed again
whenever more than 50 different formulas are on screen (matplotlib's cache holds 50); an outline is
made once, when its text changes, and then drawn as one shape.  That makes a redraw several times
faster, and it lets the layout know every label's exact size, to put a white box behind it.
"""

import re
from dataclasses import dataclass
from functools import cache

import numpy as np
from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, FancyBboxPatch, PathPatch
from matplotlib.path import Path
from matplotlib.textpath import TextPath
from matplotlib.transforms import Affine2D, ScaledTranslation

from ._checks import describe
from .network import SigmoidNetwork
from .networks import Example
from .notation import html_name
from .plots import NEGATIVE, POSITIVE, ZERO, CourseFigure, check_axes, figure_of

__all__ = [
    "DiagramLayout",
    "LabelPlace",
    "NetworkDiagram",
    "Label",
    "label_rows",
    "edge_styles",
    "plot_network",
    "weight_colour",
    "weight_width",
]

# The layout, in data units (plot_network's figure has SCALE inches per unit).
LAYER_GAP = 3.4  # from one layer to the next, left to right
NEURON_GAP = 3.4  # between the neurons of a layer, top to bottom
RADIUS = 0.32  # of a neuron's circle
BIAS_RISE, BIAS_RADIUS = 1.05, 0.17  # a bias node sits this far above its neuron
SCALE = 0.72
# The places tried for a weight's label, as fractions of the way along its line, in order of preference.
ALONG = (0.5, 0.33, 0.67, 0.42, 0.58, 0.25, 0.75, 0.2, 0.8, 0.29, 0.37, 0.46, 0.54, 0.63, 0.71, 0.15, 0.85)
INPUT_FACE, NEURON_FACE, BIAS_FACE = "#DDDDDD", "white", "#EEEEEE"
EDGE_SIZE, VALUE_SIZE, ERROR_SIZE, KEY_SIZE = 8.0, 7.5, 9.0, 8.0  # font sizes of the labels, in points
NEURON_NAME_SIZE, BIAS_NAME_SIZE = 11, 7
ARROW = "\u2192"  # old -> new


def weight_colour(value):
    """The colour of a weight's line: blue if positive, vermillion if negative, grey if zero."""
    return POSITIVE if value > 0 else NEGATIVE if value < 0 else ZERO


def weight_width(value):
    """The width of a weight's line in points: 0.75 for a weight of 0, growing with ``|w|`` up to ``|w| = 3``."""
    return 0.75 + 2.5 * min(abs(value), 3.0)


class LabelShape:
    """The letters of a label's rows ``name = number``, measured: what the layout needs to know of a label.

    ``names`` are the rows' names in LaTeX (``w_{5}``), typeset once.  ``outline(texts)`` is the shape
    of the rows with the number parts ``texts`` (`` = 0.4``; None leaves a row out), in points from the
    label's point, and ``extent(texts)`` its box.  Sizes are in points: ``size`` is the font size; rows
    are ``ROW`` points apart.  ``valign`` says where the point is: ``"center"``, the middle of the first
    row's letters (for a label on a line); ``"top"`` or ``"bottom"``, just above or below the rows.
    """

    ROW = 11.0

    def __init__(self, names, *, size=EDGE_SIZE, valign="center"):
        self.size, self.valign = size, valign
        self.names = [f"${name}$" for name in names]
        self._outlines = [_typeset(name, size) for name in self.names]
        self._ends = [_bounds(outline)[2] for outline in self._outlines]  # where each number starts

    def outline(self, texts):
        """The outlines of the rows ``name + text`` (rows whose text is None left out), in points from the point."""
        pieces = []
        for k, (outline, end, text) in enumerate(zip(self._outlines, self._ends, texts)):
            if text is None:
                continue
            row = Path.make_compound_path(outline, _typeset_plain(text, self.size, end))
            x0, _, x1, _ = _bounds(row)  # each row centred, one under the other
            pieces.append(row.transformed(Affine2D().translate(-(x0 + x1) / 2, -k * self.ROW)))
        path = Path.make_compound_path(*pieces)
        if not pieces:
            return path
        _, y0, _, y1 = _bounds(path)
        gap = 0.45 * self.size
        # "center": the first row's letters on the point (0.35 of the font size is half a capital's height).
        rise = {"center": -0.35 * self.size, "top": -y1 - gap, "bottom": -y0 + gap}[self.valign]
        return path.transformed(Affine2D().translate(0, rise))

    def extent(self, texts):
        """The label's box, in points from the point, if its rows read ``texts``: ``(x0, y0, x1, y1)``."""
        (x0, y0, x1, y1), pad = _bounds(self.outline(texts)), 0.2 * self.size
        return x0 - pad, y0 - pad, x1 + pad, y1 + pad


class Label(LabelShape):
    """Rows of ``name = number`` drawn at a point of an Axes, e.g. ``w_5 = 0.4`` over ``dE/dw_5 = 0.08217``.

    A :class:`LabelShape` with artists: ``show(text, ...)`` gives each row its number part (`` = 0.4``,
    plain text) or hides it (None), and ``text`` is what the label reads, rows joined by newlines, names
    in ``$...$``.  The letters' outlines make one :class:`~matplotlib.patches.PathPatch`, ``patch``, over
    a white rounded box, ``box`` (None with ``box=False``).
    """

    def __init__(self, ax, xy, names, *, size=EDGE_SIZE, box=True, valign="center", zorder=6):
        super().__init__(names, size=size, valign=valign)
        self.ax = ax
        self.rows = [None] * len(names)
        self.patch = PathPatch(Path.make_compound_path(), facecolor="black", edgecolor="none", zorder=zorder + 1)
        # add_artist, not add_patch: the Axes' limits are set by the diagram, and add_patch would work
        # out the extent of every curve of every letter to update them.
        ax.add_artist(self.patch)
        self.box = None
        if box:
            style = f"round,pad={0.2 * size},rounding_size={0.3 * size}"
            self.box = FancyBboxPatch((0, 0), 0, 0, boxstyle=style, facecolor="white", edgecolor="none", zorder=zorder)
            ax.add_artist(self.box)
        self.move_to(xy)

    def move_to(self, xy):
        """Put the label at the data point ``xy``."""
        self.xy = xy
        for artist in self.artists():
            artist.set_transform(_points_at(self.ax, xy))

    def show(self, *texts):
        """Give the rows their texts (None hides a row) and draw their outlines and the box around them."""
        texts = list(texts) + self.rows[len(texts) :]
        if texts == self.rows and self.patch.get_path().vertices.size:
            return  # nothing changed: the outlines stay
        self.rows = texts
        path = self.outline(self.rows)
        shown = len(path.vertices) > 0
        self.patch.set_path(path)
        self.patch.set_visible(shown)
        if self.box is not None:
            self.box.set_visible(shown)
            if shown:
                x0, y0, x1, y1 = _bounds(path)
                self.box.set_bounds(x0, y0, x1 - x0, y1 - y0)

    @property
    def text(self):
        """What the label reads: ``"$w_{5}$ = 0.4"``, rows shown joined by newlines."""
        return "\n".join(name + text for name, text in zip(self.names, self.rows) if text is not None)

    def row_text(self, row):
        """What row ``row`` reads (None if it is hidden)."""
        return None if self.rows[row] is None else self.names[row] + self.rows[row]

    def artists(self):
        return [self.patch] + ([self.box] if self.box is not None else [])


def _points_at(ax, xy):
    """The transform that draws a shape given in points (such as letters) at the data point ``xy`` of ``ax``.

    Points -> inches -> pixels, then moved to where ``xy`` is: the shape keeps its size in points
    whatever the Axes' limits, as text does.
    """
    return Affine2D().scale(1 / 72) + figure_of(ax).dpi_scale_trans + ScaledTranslation(*xy, ax.transData)


@cache
def _typeset(text, size):
    """The outline of ``text`` (LaTeX in ``$...$``) in points, typeset once per text and size.

    Typesetting a formula takes matplotlib some milliseconds; a notebook that draws the same network
    several times typesets each name once.
    """
    return TextPath((0, 0), text, prop=FontProperties(size=size))


@cache
def _character(char, size):
    """One character's outline (None for a space) and its advance, how far on the next one starts, in points."""
    prop = FontProperties(size=size)
    font = get_font(findfont(prop))
    font.set_size(size, 72)  # at 72 dots per inch, a dot is a point
    advance = font.load_char(ord(char)).linearHoriAdvance / 65536
    return (TextPath((0, 0), char, prop=prop) if char.strip() else None), advance


def _typeset_plain(text, size, x=0.0):
    """The outline of plain ``text`` (a number such as `` = 0.4123``) in points, starting at ``x``.

    Put together from cached characters: ``TextPath`` runs matplotlib's whole text layout for every new
    string (most of a millisecond), and the numbers of a diagram change at every update.
    """
    pieces = []
    for char in text:
        outline, advance = _character(char, size)
        if outline is not None:
            pieces.append(Path(outline.vertices + (x, 0), outline.codes))
        x += advance
    return Path.make_compound_path(*pieces)


def _bounds(path):
    """``(x0, y0, x1, y1)`` around a path's points: for letters, as good as matplotlib's exact and slow
    ``get_extents``, which finds the extremes of every curve of every letter."""
    points = path.vertices if path.codes is None else path.vertices[path.codes != Path.CLOSEPOLY]
    (x0, y0), (x1, y1) = points.min(axis=0), points.max(axis=0)
    return x0, y0, x1, y1


def _overlap(a, b):
    """The area two rectangles ``(x0, y0, x1, y1)`` share."""
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def html_runs(html):
    """A name in HTML (``net<sub>h1</sub>``, from :func:`~course_lib.notation.html_name`) as runs of plain
    and subscript text, ``[["net", False], ["h1", True]]``, which the browser's SVG draws as it goes."""
    return [[text, k % 2 == 1] for k, text in enumerate(re.split(r"</?sub>", html)) if text]


@dataclass(frozen=True)
class LabelPlace:
    """Where a label goes: its point ``xy`` (data units), how it sits on the point (``valign``, as in
    :class:`LabelShape`) and its font ``size`` in points; its rows show the quantities ``keys``, named
    ``latex`` (for matplotlib) and ``html`` (for the browser)."""

    xy: tuple
    keys: tuple
    latex: tuple
    html: tuple
    size: float = EDGE_SIZE
    valign: str = "center"


@dataclass(frozen=True)
class Node:
    """A circle: a neuron or a bias's constant input 1, with its name written inside."""

    xy: tuple
    radius: float
    face: str
    latex: str
    html: str
    size: float
    zorder: int = 4


class DiagramLayout:
    """Where everything of a course network's picture goes, in data units, worked out once.

    ``positions[neuron]`` is a neuron's centre: layer ``l`` at ``x = l * LAYER_GAP``, its neurons
    ``NEURON_GAP`` apart and centred on ``y = 0``.  ``nodes`` are the circles (neurons by name, then the
    bias nodes as ``"1 above h1"``), ``edges[p]`` the ends ``(start, end)`` of parameter ``p``'s line,
    and the labels are :class:`LabelPlace`: ``edge_labels[p]`` (rows ``p`` and ``dE/dp``),
    ``value_labels[neuron]`` (an input's value, or a neuron's ``net`` and ``out``) and ``error_label``
    (``E_total``, above the inputs).  ``key`` lists the entries of the key under the picture and
    ``limits`` is ``(x0, x1, y0, y1)``.

    Where a weight's label goes along its line is chosen for the longest text it will show (``old ->
    new`` and the gradient): the first of a few places (half way, a third of the way, two thirds, ...)
    where it covers no other label or neuron and no other line, so that where two lines cross (w2 and
    w3 in the 2-2-2 network) their labels move apart.
    """

    def __init__(self, example):
        if not isinstance(example, Example):
            raise TypeError(f"example must be a course network such as networks.get('mazur'), got {describe(example)}")
        self.example = example
        n = example.notation
        self.names = n.parameter_names()
        self.places = {p: n.locate(p) for p in self.names}
        self.positions = {}
        for l, layer in enumerate(n.neurons):
            for j, neuron in enumerate(layer):
                self.positions[neuron] = (l * LAYER_GAP, ((len(layer) - 1) / 2 - j) * NEURON_GAP)
        self._taken = []  # rectangles (x0, y0, x1, y1), in data units, that labels keep clear of
        self.nodes = {}
        for l, layer in enumerate(n.neurons):
            for neuron in layer:
                face = INPUT_FACE if l == 0 else NEURON_FACE
                name = (example.latex(neuron), html_name(neuron))
                self._node(neuron, Node(self.positions[neuron], RADIUS, face, *name, NEURON_NAME_SIZE))

        # The longest texts the labels will show: the numbers of a step, with the gradients.
        network = example.network
        after = network.step(example.x, example.target, example.eta, example.train_biases)
        gradients, record = network.backward(example.x, example.target), network.forward(example.x)

        def longest(p):
            old, new = (n.value(net, p) for net in (network, after))
            return [f" = {old:.4g} {ARROW} {new:.4g}", f" = {n.value(gradients, p):.4g}"]

        self.edges, shapes, self.edge_labels = {}, {}, {}
        d = example.latex(n.d)
        for p in self.names:
            part, l, index = self.places[p]
            end = self.positions[n.neurons[l + 1][index[0]]]
            start = self.positions[n.neurons[l][index[1]]] if part == "weights" else (end[0], end[1] + BIAS_RISE)
            self.edges[p] = (start, end)
            shapes[p] = LabelShape([example.latex(p), rf"\partial {d}/\partial {example.latex(p)}"])
            if part == "biases":  # the constant input 1 above its neuron, the label above that node
                self._node(f"1 above {n.neurons[l + 1][index[0]]}", Node(start, BIAS_RADIUS, BIAS_FACE, "1", "1", 7, 3))
                shapes[p].valign = "bottom"
                xy = (start[0], start[1] + BIAS_RADIUS)
                self.edge_labels[p] = self._keep(shapes[p], xy, longest(p), [p, f"d{n.d}/d{p}"])

        # Under every neuron: its input value, or its net and out; the error above the inputs.
        self.value_labels = {}
        for l, layer in enumerate(n.neurons):
            for j, neuron in enumerate(layer):
                keys = [n.value_name(0, j)] if l == 0 else [n.name("net", neuron), n.name("out", neuron)]
                x, y = self.positions[neuron]
                shape = LabelShape([example.latex(k) for k in keys], size=VALUE_SIZE, valign="top")
                numbers = [record.out[0][j]] if l == 0 else [record.net[l][j], record.out[l][j]]
                self.value_labels[neuron] = self._keep(shape, (x, y - RADIUS), [f" = {v:.4g}" for v in numbers], keys)
        shape = LabelShape([example.latex(n.error)], size=ERROR_SIZE, valign="bottom")
        top = self.positions[n.neurons[0][0]][1] + RADIUS
        self.error_label = self._keep(shape, (0, top), [" = 0.1234"], [n.error])

        for p in n.weight_names():  # each weight's label where it covers nothing else
            xy = self._place(p, shapes[p], longest(p))
            self.edge_labels[p] = self._keep(shapes[p], xy, longest(p), [p, f"d{n.d}/d{p}"])
        self.edge_labels = {p: self.edge_labels[p] for p in self.names}
        self._key()
        x0, y0, x1, y1 = (f(r[k] for r in self._taken) for k, f in enumerate((min, min, max, max)))
        self.limits = (x0 - 0.25, x1 + 0.25, y0 - 0.1, y1 + 0.25)

    def _node(self, name, node):
        self.nodes[name] = node
        (x, y), r = node.xy, node.radius
        self._taken.append((x - r, y - r, x + r, y + r))

    @staticmethod
    def _size(shape, texts):
        """The box of a label with rows ``texts``, in data units from its point (SCALE inches per unit)."""
        return tuple(v / (72 * SCALE) for v in shape.extent(texts))

    def _keep(self, shape, xy, texts, keys):
        """Reserve the place of a label at ``xy`` with rows ``texts`` (showing ``keys``); return its LabelPlace."""
        x0, y0, x1, y1 = self._size(shape, texts)
        self._taken.append((xy[0] + x0, xy[1] + y0, xy[0] + x1, xy[1] + y1))
        latex = tuple(name[1:-1] for name in shape.names)  # without the $...$
        html = tuple(html_name(k) for k in keys)
        return LabelPlace(tuple(xy), tuple(keys), latex, html, shape.size, shape.valign)

    def _place(self, p, shape, texts):
        """The point of ``p``'s line for its label: the first of a few that covers no label, neuron or line."""
        (x0, y0), (x1, y1) = self.edges[p]
        lines = [np.linspace(*self.edges[q], 40) for q in self.edges if q != p]  # points along every other line
        size = self._size(shape, texts)

        def cost(along):
            x, y = x0 + along * (x1 - x0), y0 + along * (y1 - y0)
            box = (x + size[0], y + size[1], x + size[2], y + size[3])
            covered = sum(_overlap(box, taken) for taken in self._taken)
            crossed = sum(
                np.any((box[0] < a[:, 0]) & (a[:, 0] < box[2]) & (box[1] < a[:, 1]) & (a[:, 1] < box[3])) for a in lines
            )
            return covered > 0, crossed, covered

        along = min(ALONG, key=cost)  # min keeps the first of equally good places
        return x0 + along * (x1 - x0), y0 + along * (y1 - y0)

    def _key(self):
        """The key under the diagram: what the colours, the widths and the small nodes mean.

        Each entry is a sample (a line, or the small node) and its words, placed in rows that fit the
        diagram's width: ``{"sample": "line", "color": ..., "lw": ..., "xy": ..., "words": ..., "at": ...}``.
        """
        entries = [
            ({"sample": "line", "color": POSITIVE, "lw": 2.5}, "positive"),
            ({"sample": "line", "color": NEGATIVE, "lw": 2.5}, "negative"),
            ({"sample": "line", "color": "#666666", "lw": 5}, "thicker: larger $|w|$"),
        ]
        if self.example.notation.has_biases:
            entries.append(({"sample": "node"}, "constant input 1"))
        left, bottom, right = (f(r[k] for r in self._taken) for k, f in ((0, min), (1, min), (2, max)))
        rows, width = [[]], 0.0  # entries as (sample, words, width), in rows that fit the diagram's width
        for sample, words in entries:
            size = 0.65 + _bounds(_typeset(words, KEY_SIZE))[2] / (72 * SCALE)  # a sample 0.5 long, a gap, the words
            if rows[-1] and width + size > right - left:
                rows.append([])
                width = 0.0
            rows[-1].append((sample, words, size))
            width += size + 0.45
        self.key = []
        for k, row in enumerate(rows):
            y = bottom - 0.4 - 0.45 * k
            x = (left + right) / 2 - (sum(size for *_, size in row) + 0.45 * (len(row) - 1)) / 2
            for sample, words, size in row:
                self.key.append(sample | {"xy": (x, y), "words": words, "at": (x + 0.65, y)})
                x += size + 0.45
        self._taken.append((left, bottom - 0.65 - 0.45 * (len(rows) - 1), right, bottom))

    def size_inches(self):
        """The figure size ``(width, height)`` in inches at which the labels fit as planned (SCALE inches per unit)."""
        x0, x1, y0, y1 = self.limits
        return (x1 - x0) * SCALE, (y1 - y0) * SCALE

    def label_ids(self):
        """The labels by the names :func:`label_rows` gives them: ``"w5"``, ``"value h1"``, ``"error"``."""
        return (
            {p: place for p, place in self.edge_labels.items()}
            | {f"value {neuron}": place for neuron, place in self.value_labels.items()}
            | {"error": self.error_label}
        )

    def to_json(self):
        """The layout for the browser (:class:`course_lib.live.LiveDiagram`): plain numbers and strings.

        Lengths are in data units, font sizes in points (``points_per_unit`` converts), names as
        :func:`html_runs`.
        """

        def point(xy):
            return [round(float(xy[0]), 4), round(float(xy[1]), 4)]

        return {
            "limits": [round(float(v), 4) for v in self.limits],
            "points_per_unit": 72 * SCALE,
            "row": LabelShape.ROW,
            "nodes": [
                {
                    "xy": point(node.xy),
                    "r": node.radius,
                    "face": node.face,
                    "name": html_runs(node.html),
                    "size": node.size,
                }
                for node in self.nodes.values()
            ],  # fmt: skip
            "edges": {p: [point(a), point(b)] for p, (a, b) in self.edges.items()},
            "labels": {
                label: {
                    "xy": point(place.xy),
                    "valign": place.valign,
                    "size": place.size,
                    "names": [html_runs(h) for h in place.html],
                }
                for label, place in self.label_ids().items()
            },  # fmt: skip
            "key": [
                {k: (point(v) if k in ("xy", "at") else v) for k, v in entry.items() if k != "words"}
                | {"words": entry["words"].replace("$", "")}
                for entry in self.key
            ],
        }


def label_rows(layout, quantities, *, previous=None, values=True, gradients=False):
    """What every label of ``layout`` reads, from one calculation: ``{label: [row text or None, ...]}``.

    ``quantities`` is ``example.quantities()`` of the numbers shown.  A parameter's label (``"w5"``) reads
    `` = 0.4`` and, with ``gradients``, its gradient; with ``previous`` (the quantities before a step)
    it reads ``old -> new`` and the gradient that made the step.  With ``values``, ``"value h1"`` reads
    its net and out (an input its value) and ``"error"`` the error.  Numbers have 4 significant figures.
    """
    n = layout.example.notation
    before = quantities if previous is None else previous
    rows = {}
    for p in layout.names:
        text = f" = {quantities[p]:.4g}" if previous is None else f" = {previous[p]:.4g} {ARROW} {quantities[p]:.4g}"
        rows[p] = [text, f" = {before[f'd{n.d}/d{p}']:.4g}" if gradients else None]
    for label, place in layout.label_ids().items():
        if label not in rows:
            rows[label] = [f" = {quantities[k]:.4g}" if values else None for k in place.keys]
    return rows


def edge_styles(layout, quantities):
    """How each parameter's line looks for ``quantities`` (``example.quantities()``): ``{p: (colour, width)}``."""
    return {p: (weight_colour(quantities[p]), weight_width(quantities[p])) for p in layout.names}


class NetworkDiagram:
    """A course network drawn by matplotlib from its :class:`DiagramLayout`, ready to be updated in place.

    ``example`` is a course network (``networks.get("mazur")``) and ``ax`` the matplotlib Axes to draw
    in; :func:`plot_network` makes an Axes of the right size (labels have a fixed size in points, so a
    much smaller Axes crowds them).  Every weight's line carries a label ``w_5 = 0.4``, every bias too.

    - ``values=True`` writes under each neuron its ``net`` and ``out`` (in the example's names: ``I_4``
      and ``O_4`` for Han & Kamber, ``z`` and ``y_hat`` for the perceptron), under each input its
      value, and the error ``E_total`` above the inputs;
    - ``gradients=True`` adds to every label the gradient ``dE/dw`` of its parameter.

    ``update(network)`` redraws for another network of the same sizes, changing only the outlines,
    colours and widths of the artists made here.  They are kept by name: ``edges["w5"]`` (a Line2D),
    ``edge_labels["w5"]`` (a :class:`Label`: ``edge_labels["w5"].text`` is ``"$w_{5}$ = 0.4"``),
    ``neurons["h1"]`` (a Circle) and ``value_labels["net_h1"]`` (the Label under ``h1``);
    ``label(name)`` returns what the label of a parameter or a value reads.  ``layout`` is the
    :class:`DiagramLayout` it draws (made here unless given).
    """

    def __init__(self, example, ax, *, values=False, gradients=False, layout=None):
        if not isinstance(example, Example):
            raise TypeError(f"example must be a course network such as networks.get('mazur'), got {describe(example)}")
        self.layout = layout = DiagramLayout(example) if layout is None else layout
        self.example = example
        self.ax = ax = check_axes(ax)
        self.names, self.places, self.positions = layout.names, layout.places, layout.positions
        self.neurons = {}
        for name, node in layout.nodes.items():
            circle = Circle(node.xy, node.radius, facecolor=node.face, edgecolor="black", linewidth=1.2,
                            zorder=node.zorder)  # fmt: skip
            ax.add_patch(circle)
            Label(ax, node.xy, [node.latex], size=node.size, box=False, zorder=node.zorder).show("")
            if name in layout.positions:
                self.neurons[name] = circle
        self.edges, self.edge_labels = {}, {}
        for p, (start, end) in layout.edges.items():
            self.edges[p] = Line2D(*zip(start, end), solid_capstyle="butt", zorder=1)
            ax.add_line(self.edges[p])
            place = layout.edge_labels[p]
            self.edge_labels[p] = Label(ax, place.xy, place.latex, size=place.size, valign=place.valign)
        self._labels = dict(self.edge_labels)  # by the names label_rows gives them
        self.value_labels, self._rows = {}, {}  # value name -> its Label, and its row in that Label
        for label, place in layout.label_ids().items():
            if label in self.edge_labels:
                continue
            self._labels[label] = Label(ax, place.xy, place.latex, size=place.size, valign=place.valign)
            self.value_labels |= {key: self._labels[label] for key in place.keys}
            self._rows |= {key: row for row, key in enumerate(place.keys)}
        self._draw_key()
        x0, x1, y0, y1 = layout.limits
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_aspect("equal")
        ax.set_axis_off()
        self.network = None
        self.values, self.gradients = bool(values), bool(gradients)
        self.update(example.network)

    def _draw_key(self):
        # Drawn like the labels, a sample and the outline of its words: a matplotlib legend would take
        # as long to redraw as the whole diagram.
        for entry in self.layout.key:
            (x, y), words = entry["xy"], entry["words"]
            if entry["sample"] == "node":
                self.ax.add_patch(Circle((x + 0.25, y), BIAS_RADIUS, facecolor=BIAS_FACE, edgecolor="black"))
            else:
                self.ax.add_line(Line2D([x, x + 0.5], [y, y], solid_capstyle="butt", color=entry["color"],
                                        lw=entry["lw"]))  # fmt: skip
            outline = _typeset(words, KEY_SIZE).transformed(Affine2D().translate(0, -0.35 * KEY_SIZE))
            patch = PathPatch(outline, edgecolor="none", facecolor="black")
            patch.set_transform(_points_at(self.ax, entry["at"]))
            self.ax.add_artist(patch)

    def size_inches(self):
        """The figure size ``(width, height)`` in inches at which the labels fit as planned (SCALE inches per unit).

        The labels keep their size in points; in a smaller Axes they crowd.  A panel that makes its own
        figure can size it so: ``CourseFigure(figsize=diagram.size_inches())``, then ``set_size_inches``.
        """
        return self.layout.size_inches()

    # -- in place -------------------------------------------------------------------------------

    def _network(self, network, what):
        """Return ``network`` as a SigmoidNetwork of this diagram's sizes (an example gives its network)."""
        if isinstance(network, Example):
            if network.notation.parameter_names() != self.names:
                raise ValueError(f"{what} must be a version of {self.example.name}, got {network.name}")
            return network.network
        sizes = self.example.network.sizes
        if not isinstance(network, SigmoidNetwork) or network.sizes != sizes:
            raise TypeError(f"{what} must be a SigmoidNetwork of sizes {sizes}, got {describe(network)}")
        return network

    def update(self, network=None, *, values=None, gradients=None, previous=None):
        """Redraw the labels, colours and widths for ``network`` (None: the network shown now).

        ``network`` is a :class:`SigmoidNetwork` of the example's sizes, or a version of the example
        (``example.with_values(...)``, whose input and target then count for ``values`` and
        ``gradients``).  ``values`` and ``gradients`` switch the overlays (None leaves them as they are).
        ``previous`` is the network before a step: each label then reads ``old -> new``, and the
        gradients shown are those of ``previous``, the ones the step used.  ``previous`` holds for this
        update only: the next update without it shows plain values again.
        """
        if isinstance(network, Example):
            self._network(network, "network")
            self.example = network
        network = self.network if network is None else self._network(network, "network")
        previous = None if previous is None else self._network(previous, "previous")
        if values is not None:
            self.values = bool(values)
        if gradients is not None:
            self.gradients = bool(gradients)
        self.network = network
        quantities = self.example.quantities(network)
        before = None if previous is None else self.example.quantities(previous)
        rows = label_rows(self.layout, quantities, previous=before, values=self.values, gradients=self.gradients)
        self.show(rows, edge_styles(self.layout, quantities))

    def show(self, rows, styles):
        """Draw what :func:`label_rows` and :func:`edge_styles` say: every label's rows, every line's look."""
        for p, (colour, width) in styles.items():
            self.edges[p].set_color(colour)
            self.edges[p].set_linewidth(width)
        for label, texts in rows.items():
            self._labels[label].show(*texts)

    def label(self, name):
        """What the label of a parameter (``"w5"``) or a value (``"net_h1"``, ``"E_total"``) reads.

        A parameter's label has one row, or two with the gradient; a value's is one row, e.g.
        ``"$\\mathrm{net}_{h1}$ = 0.3775"`` (None while ``values`` is off).
        """
        if name in self.edge_labels:
            return self.edge_labels[name].text
        if name in self.value_labels:
            return self.value_labels[name].row_text(self._rows[name])
        raise ValueError(f"the diagram has no label called {name!r}; it has {self.names} and {list(self.value_labels)}")

    def labels(self):
        """Every label of the diagram (edges' and values'), e.g. to check that none overlap."""
        return list(self._labels.values())


def diagram_figure(example, *, values=False, gradients=False, layout=None):
    """A new figure holding just the diagram of ``example``, at the size its labels were laid out for.

    Returns ``(figure, diagram)``; ``layout`` is the example's :class:`DiagramLayout`, if already made.
    """
    ax = CourseFigure().add_axes((0, 0, 1, 1))
    diagram = NetworkDiagram(example, ax, values=values, gradients=gradients, layout=layout)
    figure_of(ax).set_size_inches(diagram.size_inches())
    return figure_of(ax), diagram


def plot_network(example, network=None, *, ax=None, values=False, gradients=False, previous=None):
    """Draw a course network and return the figure (see :class:`NetworkDiagram`).

    ``network`` replaces the example's own (e.g. after training); ``previous`` is the network before a
    step, so that each label reads ``old -> new``::

        example = networks.get("mazur")
        plot_network(example, example.step().network, previous=example.network, gradients=True)
    """
    if ax is None:
        figure, diagram = diagram_figure(example, values=values, gradients=gradients)
    else:
        figure, diagram = figure_of(ax), NetworkDiagram(example, ax, values=values, gradients=gradients)
    if network is not None or previous is not None:
        diagram.update(network, previous=previous)
    return figure
