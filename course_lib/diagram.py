"""The picture of a network: neurons as circles, a line for every weight, each labelled with its name and value.

Layers go from left (the input) to right (the output), as in the texts.  A weight's line is blue when
the weight is positive and vermillion when it is negative (colours of the Okabe-Ito palette, which
colour-blind readers can tell apart), and the thicker, the larger the weight: the picture shows at a
glance which connections matter.  Biases are drawn as each text draws them:

- the main text gives every neuron a bias input ``b1, b2, ...``, a constant 1, multiplied by a bias
  weight ``v11, v12, ...``: a small node ``b1`` above the neuron, its line labelled ``v11``;
- Han & Kamber (``theta4``) and the perceptron text (``b``) add the bias to the weighted sum: a small
  node ``1`` (the constant input whose weight the bias is) with its line labelled ``theta4`` or ``b``;
- networks without biases (the first perceptron, two outputs) have no bias nodes.

``plot_network(networks.get("mazur"))`` returns the figure.  In a panel, make a
:class:`NetworkDiagram` once and call its ``update(network)`` for every new set of weights.

The labels are drawn as the outlines of their letters (matplotlib's ``TextPath``), not as ``Text``:
a ``Text`` is laid out and rasterised glyph by glyph at every draw, and its mathtext is parsed again
whenever more than 50 different formulas are on screen (matplotlib's cache holds 50); an outline is
made once, when its text changes, and then drawn as one shape.  That makes a redraw several times
faster, and it lets the diagram know every label's exact size, to put a white box behind it.
"""

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
from .plots import NEGATIVE, POSITIVE, ZERO, CourseFigure, check_axes, figure_of

__all__ = ["NetworkDiagram", "Label", "plot_network", "weight_colour", "weight_width"]

# The layout, in data units (plot_network's figure has SCALE inches per unit).
LAYER_GAP = 3.4  # from one layer to the next, left to right
NEURON_GAP = 3.4  # between the neurons of a layer, top to bottom
RADIUS = 0.32  # of a neuron's circle
BIAS_RISE, BIAS_RADIUS = 1.05, 0.17  # a bias node sits this far above its neuron
SCALE = 0.72
# The places tried for a weight's label, as fractions of the way along its line, in order of preference.
ALONG = (0.5, 0.33, 0.67, 0.42, 0.58, 0.25, 0.75, 0.2, 0.8, 0.29, 0.37, 0.46, 0.54, 0.63, 0.71, 0.15, 0.85)
INPUT_FACE, NEURON_FACE, BIAS_FACE = "#DDDDDD", "white", "#EEEEEE"


def weight_colour(value):
    """The colour of a weight's line: blue if positive, vermillion if negative, grey if zero."""
    return POSITIVE if value > 0 else NEGATIVE if value < 0 else ZERO


def weight_width(value):
    """The width of a weight's line in points: 0.75 for a weight of 0, growing with ``|w|`` up to ``|w| = 3``."""
    return 0.75 + 2.5 * min(abs(value), 3.0)


class Label:
    """Rows of ``name = number`` at a point of an Axes, e.g. ``w_5 = 0.4`` over ``dE/dw_5 = 0.08217``.

    ``names`` are the rows' names in LaTeX (``w_{5}``), typeset once; ``show(text, ...)`` gives each
    row its number part (`` = 0.4``, plain text) or hides it (None), and ``text`` is what the label
    reads, rows joined by newlines, names in ``$...$``.  The letters' outlines make one
    :class:`~matplotlib.patches.PathPatch`, ``patch``, over a white rounded box, ``box`` (None with
    ``box=False``).  Sizes are in points: ``size`` is the font size; rows are ``ROW`` points apart.
    ``valign`` says where the point is: ``"center"``, the middle of the first row's letters (for a
    label on a line); ``"top"`` or ``"bottom"``, just above or below the rows.
    """

    ROW = 11.0

    def __init__(self, ax, xy, names, *, size=8.0, box=True, valign="center", zorder=6):
        self.ax, self.size, self.valign = ax, size, valign
        self.names = [f"${name}$" for name in names]
        self._outlines = [_typeset(name, size) for name in self.names]
        self._ends = [_bounds(outline)[2] for outline in self._outlines]  # where each number starts
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
        # Points -> inches -> pixels, then moved to the data point: the label keeps its size in points.
        place = (
            Affine2D().scale(1 / 72) + figure_of(self.ax).dpi_scale_trans + ScaledTranslation(*xy, self.ax.transData)
        )
        for artist in self.artists():
            artist.set_transform(place)

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


class NetworkDiagram:
    """A course network drawn as neurons and weighted connections, ready to be updated in place.

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
    ``label(name)`` returns what the label of a parameter or a value reads.

    Where a weight's label goes along its line is chosen once, when the diagram is made, for the
    longest text it will show (``old -> new`` and the gradient): the first of a few places (half way,
    a third of the way, two thirds, ...) where it covers no other label or neuron and no other line,
    so that where two lines cross (w2 and w3 in the 2-2-2 network) their labels move apart.
    """

    def __init__(self, example, ax, *, values=False, gradients=False):
        if not isinstance(example, Example):
            raise TypeError(f"example must be a course network such as networks.get('mazur'), got {describe(example)}")
        self.example = example
        self.ax = ax = check_axes(ax)
        n = example.notation
        self.names = n.parameter_names()
        self.places = {p: n.locate(p) for p in self.names}
        self.positions = {}  # neuron name -> (x, y): layer l at x = l * LAYER_GAP, centred on y = 0
        for l, layer in enumerate(n.neurons):
            for j, neuron in enumerate(layer):
                self.positions[neuron] = (l * LAYER_GAP, ((len(layer) - 1) / 2 - j) * NEURON_GAP)
        self._taken = []  # rectangles (x0, y0, x1, y1), in data units, that labels keep clear of
        self.neurons = {}
        for l, layer in enumerate(n.neurons):
            for neuron in layer:
                face = INPUT_FACE if l == 0 else NEURON_FACE
                self.neurons[neuron] = self._node(self.positions[neuron], RADIUS, face, example.latex(neuron), 11)

        # The longest texts the labels will show: the numbers of a step, with the gradients.
        network = example.network
        after = network.step(example.x, example.target, example.eta, example.train_biases)
        gradients_now, record = network.backward(example.x, example.target), network.forward(example.x)

        def longest(p):
            old, new = (n.value(net, p) for net in (network, after))
            return [f" = {old:.4g} \u2192 {new:.4g}", f" = {n.value(gradients_now, p):.4g}"]

        self.edges, self.edge_labels, ends = {}, {}, {}
        d = example.latex(n.d)
        for p in self.names:
            part, l, index = self.places[p]
            end = self.positions[n.neurons[l + 1][index[0]]]
            start = self.positions[n.neurons[l][index[1]]] if part == "weights" else (end[0], end[1] + BIAS_RISE)
            ends[p] = (start, end)
            self.edges[p] = Line2D(*zip(start, end), solid_capstyle="butt", zorder=1)
            ax.add_line(self.edges[p])
            self.edge_labels[p] = Label(ax, start, [example.latex(p), rf"\partial {d}/\partial {example.latex(p)}"])
            if part == "biases":  # the bias node above its neuron, the label above the node
                inside = example.latex(n.bias_inputs[l][index[0]]) if n.bias_inputs else "1"
                self._node(start, BIAS_RADIUS, BIAS_FACE, inside, 7, zorder=3)
                self.edge_labels[p].valign = "bottom"
                self._keep(self.edge_labels[p], (start[0], start[1] + BIAS_RADIUS), longest(p))

        # Under every neuron: its input value, or its net and out; the error above the inputs.
        self.value_labels, self._rows = {}, {}  # value name -> its Label, and its row in that Label
        for l, layer in enumerate(n.neurons):
            for j, neuron in enumerate(layer):
                keys = [n.value_name(0, j)] if l == 0 else [n.name("net", neuron), n.name("out", neuron)]
                x, y = self.positions[neuron]
                label = Label(ax, (x, y), [example.latex(k) for k in keys], size=7.5, valign="top")
                numbers = [record.out[0][j]] if l == 0 else [record.net[l][j], record.out[l][j]]
                self._keep(label, (x, y - RADIUS), [f" = {v:.4g}" for v in numbers])
                self.value_labels |= {key: label for key in keys}
                self._rows |= {key: row for row, key in enumerate(keys)}
        error = Label(ax, (0, 0), [example.latex(n.error)], size=9, valign="bottom")
        self._keep(error, (0, self.positions[n.neurons[0][0]][1] + RADIUS), [" = 0.1234"])
        self.value_labels[n.error], self._rows[n.error] = error, 0

        for p in n.weight_names():  # each weight's label where it covers nothing else
            self._keep(self.edge_labels[p], self._place(p, ends, longest(p)), longest(p))
        self._key()
        self._limits()
        self.network = None
        self.values, self.gradients = bool(values), bool(gradients)
        self.update(example.network)

    def _node(self, xy, radius, face, name, size, zorder=4):
        circle = Circle(xy, radius, facecolor=face, edgecolor="black", linewidth=1.2, zorder=zorder)
        self.ax.add_patch(circle)
        Label(self.ax, xy, [name], size=size, box=False, zorder=zorder).show("")
        self._taken.append((xy[0] - radius, xy[1] - radius, xy[0] + radius, xy[1] + radius))
        return circle

    @staticmethod
    def _size(label, texts):
        """The box of ``label`` with rows ``texts``, in data units from its point (SCALE inches per unit)."""
        return tuple(v / (72 * SCALE) for v in label.extent(texts))

    def _keep(self, label, xy, texts):
        label.move_to(xy)
        x0, y0, x1, y1 = self._size(label, texts)
        self._taken.append((xy[0] + x0, xy[1] + y0, xy[0] + x1, xy[1] + y1))

    def _place(self, p, ends, texts):
        """The point of ``p``'s line for its label: the first of a few that covers no label, neuron or line."""
        (x0, y0), (x1, y1) = ends[p]
        lines = [np.linspace(*ends[q], 40) for q in ends if q != p]  # points along every other line
        size = self._size(self.edge_labels[p], texts)

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

        Drawn like the labels, a sample and the outline of its words: a matplotlib legend would take
        as long to redraw as the whole diagram.
        """
        n = self.example.notation
        entries = [
            (dict(color=POSITIVE, lw=2.5), "positive"),
            (dict(color=NEGATIVE, lw=2.5), "negative"),
            (dict(color="0.4", lw=5), "thicker: larger $|w|$"),
        ]
        if n.has_biases:
            entries.append((None, "bias input, always 1" if n.bias_inputs else "constant input 1 (the bias)"))
        left, bottom, right = (f(r[k] for r in self._taken) for k, f in ((0, min), (1, min), (2, max)))
        rows, width = [[]], 0.0  # entries as (sample, outline, width), in rows that fit the diagram's width
        for sample, words in entries:
            outline = _typeset(words, 8)
            size = 0.65 + _bounds(outline)[2] / (72 * SCALE)  # a sample 0.5 long, a gap, the words
            if rows[-1] and width + size > right - left:
                rows.append([])
                width = 0.0
            rows[-1].append((sample, outline, size))
            width += size + 0.45
        for k, row in enumerate(rows):
            y = bottom - 0.4 - 0.45 * k
            x = (left + right) / 2 - (sum(size for *_, size in row) + 0.45 * (len(row) - 1)) / 2
            for sample, outline, size in row:
                if sample is None:
                    self.ax.add_patch(Circle((x + 0.25, y), BIAS_RADIUS, facecolor=BIAS_FACE, edgecolor="black"))
                else:
                    self.ax.add_line(Line2D([x, x + 0.5], [y, y], solid_capstyle="butt", **sample))
                words = PathPatch(outline.transformed(Affine2D().translate(0, -0.35 * 8)), edgecolor="none")
                words.set(facecolor="black", transform=_points_at(self.ax, (x + 0.65, y)))
                self.ax.add_artist(words)
                x += size + 0.45
        self._taken.append((left, bottom - 0.65 - 0.45 * (len(rows) - 1), right, bottom))

    def _limits(self):
        """Axes limits that hold every label with its longest text, and the key."""
        x0, y0, x1, y1 = (f(r[k] for r in self._taken) for k, f in enumerate((min, min, max, max)))
        self.ax.set_xlim(x0 - 0.25, x1 + 0.25)
        self.ax.set_ylim(y0 - 0.1, y1 + 0.25)
        self.ax.set_aspect("equal")
        self.ax.set_axis_off()

    def size_inches(self):
        """The figure size ``(width, height)`` in inches at which the labels fit as planned (SCALE inches per unit).

        The labels keep their size in points; in a smaller Axes they crowd.  A panel that makes its own
        figure can size it so: ``CourseFigure(figsize=diagram.size_inches())``, then ``set_size_inches``.
        """
        (x0, x1), (y0, y1) = self.ax.get_xlim(), self.ax.get_ylim()
        return (x1 - x0) * SCALE, (y1 - y0) * SCALE

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
        if self.gradients:
            gradients = (network if previous is None else previous).backward(self.example.x, self.example.target)
        n = self.example.notation
        for p in self.places:
            value = n.value(network, p)
            self.edges[p].set_color(weight_colour(value))
            self.edges[p].set_linewidth(weight_width(value))
            text = f" = {value:.4g}"
            if previous is not None:
                text = f" = {n.value(previous, p):.4g} \u2192 {value:.4g}"
            gradient = f" = {n.value(gradients, p):.4g}" if self.gradients else None
            self.edge_labels[p].show(text, gradient)
        self._show_values(network)

    def _show_values(self, network):
        n, x = self.example.notation, self.example.x
        labels = {id(label): label for label in self.value_labels.values()}
        rows = {key: [None] * len(label.rows) for key, label in labels.items()}
        if self.values:
            record = network.forward(x)
            numbers = {n.error: network.error(x, self.example.target)}
            for l, layer in enumerate(n.neurons):
                for j, neuron in enumerate(layer):
                    if l == 0:
                        numbers[n.value_name(0, j)] = record.out[0][j]
                    else:
                        numbers[n.name("net", neuron)] = record.net[l][j]
                        numbers[n.name("out", neuron)] = record.out[l][j]
            for key, label in self.value_labels.items():
                rows[id(label)][self._rows[key]] = f" = {float(numbers[key]):.4g}"
        for key, label in labels.items():
            label.show(*rows[key])

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
        return list(self.edge_labels.values()) + list({id(v): v for v in self.value_labels.values()}.values())


def diagram_figure(example, *, values=False, gradients=False):
    """A new figure holding just the diagram of ``example``, at the size its labels were laid out for.

    Returns ``(figure, diagram)``; the slider panel keeps the diagram to update it in place.
    """
    ax = CourseFigure().add_axes((0, 0, 1, 1))
    diagram = NetworkDiagram(example, ax, values=values, gradients=gradients)
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
