"""The computational graph of a course network: where the paths fork, the gradients add.

A network's forward pass is a graph of small operations (CS231n's "computational graph"): every input,
every ``net``, every ``out`` and every output's error is a node, computed from the nodes that feed it; the
last node is ``E_total``.  Each edge carries a *local derivative*, how its end changes with its start
while everything else stays put:

- ``out_h1 -> net_o1``: the weight between them, ``w5`` (``net_o1 = w5 out_h1 + w7 out_h2 + v21 1``);
- ``net_o1 -> out_o1``: the sigmoid's slope, ``out_o1 (1 - out_o1)``;
- ``out_o1 -> E_o1``: ``-(target_o1 - out_o1)``; ``E_o1 -> E_total``: 1.

The weights and bias weights are not nodes here: they are written on the edges they scale, and the
gradient of a weight is the gradient of the ``net`` it feeds times the value at the edge's start.

Backpropagation goes through the graph once, from ``E_total`` back: the gradient of a node, dE/dnode, is
the sum over the nodes it feeds of *their* gradient times the local derivative of the edge between (the
multivariable chain rule, lesson 07).  A node that feeds two nodes (``out_h1`` feeds ``net_o1`` and
``net_o2``) is where the paths fork going forward, and where their gradients add going backward.

:class:`ComputationalGraph` does this backward pass itself, from the local derivatives only (the tests
hold its gradients to the library's delta rule and to centred differences); :func:`plot_graph` draws it,
every node with its value above and its gradient below, the sum written out at every fork.
"""

from dataclasses import dataclass

from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from .networks import Example
from .plots import BLUE, VERMILLION, CourseFigure, check_axes, figure_of
from .working import latex_number

__all__ = ["Node", "Edge", "ComputationalGraph", "plot_graph"]

COLUMN, ROW = 2.5, 3.0  # the layout, in data units: from one column of nodes to the next, and between rows
SCALE = 0.62  # inches per data unit in plot_graph's own figure


@dataclass(frozen=True)
class Edge:
    """``parent -> child`` with its local derivative d child / d parent: ``value`` and its ``symbol`` in LaTeX."""

    parent: str
    child: str
    value: float
    symbol: str


@dataclass(frozen=True)
class Node:
    """One quantity of the forward pass: its ``key`` (``out_h1``), ``value``, and ``gradient`` dE_total/d(it).

    ``column`` and ``row`` place it in the picture.  ``contributions`` are the terms of its gradient, one
    per node it feeds: ``(child, child's gradient x local derivative)``.  A node with two or more is a fork.
    """

    key: str
    value: float
    gradient: float
    column: int
    row: float
    contributions: tuple

    @property
    def fork(self):
        return len(self.contributions) > 1


class ComputationalGraph:
    """The graph of ``example``'s forward pass, with every node's value and gradient (see the module docstring).

    ``nodes`` maps keys (``"out_h1"``) to :class:`Node` in the order of the forward pass; ``edges`` lists
    every :class:`Edge`.  ``forks()`` are the nodes whose gradient is a sum of two or more paths.
    """

    def __init__(self, example):
        if not isinstance(example, Example):
            raise TypeError(f"example must be a course network such as networks.get('mazur'), got {example!r}")
        self.example = example
        n, q = example.notation, example.quantities()
        self.error = n.error
        places, edges = {}, []  # key -> (column, row); the edges in the order of the forward pass

        def stack(keys, column):
            for j, key in enumerate(keys):
                places[key] = (column, (len(keys) - 1) / 2 - j)

        stack([n.value_name(0, j) for j in range(n.sizes[0])], 0)
        for l in range(1, len(n.sizes)):
            layer = n.neurons[l]
            nets, outs = [n.name("net", v) for v in layer], [n.name("out", v) for v in layer]
            stack(nets, 2 * l - 1)
            stack(outs, 2 * l)
            for j, (net, out) in enumerate(zip(nets, outs)):
                for i in range(n.sizes[l - 1]):
                    w = n.weights[l - 1][j][i]
                    edges.append(Edge(n.value_name(l - 1, i), net, q[w], example.latex(w)))
                slope = q[out] * (1 - q[out])
                edges.append(Edge(net, out, slope, r"\sigma'"))
        last = 2 * (len(n.sizes) - 1)
        outputs = n.neurons[-1]
        if len(outputs) > 1:
            terms = [n.name("error_term", o) for o in outputs]
            stack(terms, last + 1)
            stack([n.error], last + 2)
            for o, term in zip(outputs, terms):
                out, target = n.name("out", o), n.name("target", o)
                edges.append(Edge(out, term, -(q[target] - q[out]), rf"-({example.latex(target)} - \cdot)"))
                edges.append(Edge(term, n.error, 1.0, "1"))
        else:
            out, target = n.name("out", outputs[0]), n.name("target", outputs[0])
            stack([n.error], last + 1)
            edges.append(Edge(out, n.error, -(q[target] - q[out]), rf"-({example.latex(target)} - \cdot)"))
        self.edges = edges

        # The backward pass, from E_total back: each node's gradient is the sum over the nodes it feeds.
        gradients, contributions = {n.error: 1.0}, {}
        for key in reversed(list(places)):
            if key == n.error:
                continue
            terms = tuple((e.child, gradients[e.child] * e.value) for e in edges if e.parent == key)
            contributions[key] = terms
            gradients[key] = sum(value for _, value in terms)
        self.nodes = {
            key: Node(key, q[key], gradients[key], column, row, contributions.get(key, ()))
            for key, (column, row) in places.items()
        }

    def forks(self):
        """The nodes whose gradient adds two or more paths (``out_h1`` and ``out_h2`` in the 2-2-2 network)."""
        return [node for node in self.nodes.values() if node.fork]

    def __repr__(self):
        lines = []
        for node in self.nodes.values():
            terms = " + ".join(f"{value:.6g}" for _, value in node.contributions)
            added = f" = {terms}" if node.fork else ""
            lines.append(f"{node.key:>10} = {node.value:<12.6g} dE/d{node.key} = {node.gradient:.6g}{added}")
        return "\n".join(lines)


def _number(value, digits=4, brackets=False):
    """A number for a label; ``brackets`` puts a negative one in brackets, for a term of a sum."""
    text = latex_number(value, digits)
    return rf"\left({text}\right)" if brackets and value < 0 else text


def _edge_label(example, edge):
    """An edge's label: the weight or the slope with its value, or the error's derivative."""
    if edge.symbol.startswith("-("):
        return r"$\mathrm{out} - \mathrm{target}$"
    if edge.symbol == "1":
        return "$1$"
    return f"${edge.symbol} = {_number(edge.value)}$"


def plot_graph(example, *, ax=None, gradients=True):
    """Draw the computational graph of ``example`` and return the figure (see :class:`ComputationalGraph`).

    Every node shows its name and its value (above, black); with ``gradients=True`` also its gradient
    dE_total/dnode (below, blue), written at a fork as the sum of its paths (vermillion).  Every edge
    carries its local derivative: the weight with its value, the sigmoid's slope, or the error's.
    """
    graph = ComputationalGraph(example)
    if ax is None:  # the whole figure, sized from the layout (SCALE inches per unit): the labels have fixed sizes
        ax = CourseFigure().add_axes((0, 0, 1, 1))
        size = True
    else:
        check_axes(ax)
        size = False
    place = {key: (node.column * COLUMN, node.row * ROW) for key, node in graph.nodes.items()}
    width, height = 0.98, 0.52
    for key, node in graph.nodes.items():
        x, y = place[key]
        box = FancyBboxPatch(
            (x - width / 2, y - height / 2), width, height, boxstyle="round,pad=0.04", zorder=3,
            facecolor="#DDDDDD" if node.column == 0 else "white",
            edgecolor=VERMILLION if gradients and node.fork else "black", linewidth=1.6 if node.fork else 1.1,
        )  # fmt: skip
        ax.add_patch(box)
        ax.text(x, y, f"${example.latex(key)}$", ha="center", va="center", fontsize=13, zorder=4)
        ax.text(x, y + height / 2 + 0.08, f"${_number(node.value)}$", ha="center", va="bottom", fontsize=11.5)
        if gradients:
            text = f"${_number(node.gradient)}$"
            if node.fork:
                terms = " + ".join(_number(value, 3, brackets=k > 0) for k, (_, value) in enumerate(node.contributions))
                text = f"${terms}$\n$= {_number(node.gradient)}$"
            ax.text(x, y - height / 2 - 0.08, text, ha="center", va="top", fontsize=11.5, linespacing=1.4, zorder=4,
                    color=VERMILLION if node.fork else BLUE,
                    bbox=dict(boxstyle="round,pad=0.1", facecolor="white", edgecolor="none", alpha=0.9))  # fmt: skip
    for edge in graph.edges:
        (x0, y0), (x1, y1) = place[edge.parent], place[edge.child]
        arrow = FancyArrowPatch(
            (x0 + width / 2 + 0.04, y0), (x1 - width / 2 - 0.04, y1), arrowstyle="-|>", mutation_scale=9,
            color="0.4", linewidth=0.9, zorder=1,
        )  # fmt: skip
        ax.add_patch(arrow)
        along = 0.62 if y0 != y1 else 0.5  # crossing edges: labelled where they have parted, clear of the texts
        ax.text(x0 + along * (x1 - x0), y0 + along * (y1 - y0), _edge_label(example, edge), ha="center",
                va="center", fontsize=9.5, zorder=2,
                bbox=dict(boxstyle="round,pad=0.1", facecolor="white", edgecolor="none"))  # fmt: skip
    xs, ys = [p[0] for p in place.values()], [p[1] for p in place.values()]
    bottom = min(ys) - 1.75
    if gradients:
        key = (
            "black, above: each node's value (the forward pass);   blue, below: its gradient "
            f"$\\partial {example.latex(example.notation.d)}/\\partial$(node) (the backward pass);\n"
            "vermillion: a fork, where the gradients of its paths add"
        )
        ax.text((min(xs) + max(xs)) / 2, bottom + 0.1, key, ha="center", va="bottom", fontsize=10.5, color="0.25")
    left, right, top = min(xs) - 0.8, max(xs) + 0.8, max(ys) + 0.7
    ax.set_xlim(left, right)
    ax.set_ylim(bottom, top)
    ax.set_aspect("equal")
    ax.set_axis_off()
    if size:
        figure_of(ax).set_size_inches((right - left) * SCALE, (top - bottom) * SCALE)
    return figure_of(ax)
