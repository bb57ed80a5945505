"""The course's pictures: the network diagram and the curves show the numbers the library computes."""

import itertools

import matplotlib.pyplot as plt
import numpy as np
import pytest
from IPython.core.formatters import DisplayFormatter
from matplotlib.colors import same_color
from matplotlib.figure import Figure

from course_lib import SigmoidNetwork, networks, plot_images, plot_per_layer, plot_runs, sigmoid
from course_lib.diagram import NetworkDiagram, plot_network, weight_colour, weight_width
from course_lib.plots import (
    NEGATIVE,
    POSITIVE,
    CourseFigure,
    DecisionBoundary,
    Landscape,
    LossCurve,
    SigmoidPlot,
    TangentPlot,
    WeightTrajectories,
    plot_decision_boundary,
    plot_landscape,
    plot_loss,
    plot_sigmoid,
    plot_tangent,
    plot_weights,
)

ALL = networks.names()
DATA = [[0, 0], [1, 0], [0, 1], [1, 1], [2, 1.5], [-1, 0.5]]
TARGETS = [0, 1, 0, 1, 1, 0]


def diagram(name="mazur", **overlays):
    """A diagram in an Axes of its own figure, sized as plot_network sizes it."""
    ax = CourseFigure().add_axes((0, 0, 1, 1))
    d = NetworkDiagram(networks.get(name), ax, **overlays)
    ax.figure.set_size_inches(d.size_inches())
    return d


def every_plot():
    """Each plot function with arguments, as (name, function of ax=...)."""
    mazur = networks.get("mazur")
    history = mazur.train(10)
    return {
        "network": lambda **kw: plot_network(mazur, **kw),
        "loss": lambda **kw: plot_loss(history, **kw),
        "weights": lambda **kw: plot_weights(history, mazur, **kw),
        "landscape": lambda **kw: plot_landscape(mazur, "w5", "w6", steps=5, resolution=5, **kw),
        "tangent": lambda **kw: plot_tangent(mazur, "w5", **kw),
        "sigmoid": lambda **kw: plot_sigmoid(0.5, step=True, **kw),
        "boundary": lambda **kw: plot_decision_boundary(networks.get("two-inputs"), DATA, TARGETS, **kw),
    }


# -- figures -------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(every_plot()))
def test_each_plot_makes_a_figure_or_draws_into_an_axes(kind):
    plot = every_plot()[kind]
    figure = plot()
    assert isinstance(figure, CourseFigure) and figure.axes
    given = Figure()  # a plain matplotlib figure, as another module (or ipympl) may make
    ax = given.add_subplot()
    assert plot(ax=ax) is given
    assert ax.lines or ax.patches or ax.collections or ax.images


def test_no_pyplot_figures_are_made():
    plt.close("all")
    for plot in every_plot().values():
        plot()
    assert plt.get_fignums() == []


def test_a_returned_figure_is_shown_as_a_png_by_ipython():
    data, _ = DisplayFormatter().format(plot_sigmoid())
    assert data["image/png"].startswith(b"\x89PNG")
    data, _ = DisplayFormatter().format(plot_network(networks.get("perceptron")))
    assert data["image/png"].startswith(b"\x89PNG")


def test_plots_reject_what_is_not_an_axes():
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        plot_sigmoid(ax="left")


# -- the network diagram -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ALL)
def test_every_label_shows_its_parameters_name_and_value(name):
    example = networks.get(name)
    d = diagram(name)
    assert set(d.edge_labels) == set(d.edges) == set(example.notation.parameter_names())
    for p, value in example.given().items():
        if p in d.edge_labels:
            assert d.label(p) == f"${example.latex(p)}$ = {value:.4g}"
            assert same_color(d.edges[p].get_color(), weight_colour(value))
    drawn_biases = [p for p in d.edges if example.notation.locate(p)[0] == "biases"]
    assert drawn_biases == example.notation.bias_names()  # none for the perceptron and two-outputs


def test_biases_are_drawn_in_each_texts_notation():
    mazur, han_kamber = diagram("mazur"), diagram("han-kamber")
    assert mazur.label("v11") == "$v_{11}$ = 0.35"
    assert han_kamber.label("theta4") == r"$\theta_{4}$ = -0.4"
    assert diagram("perceptron-bias").label("b") == "$b$ = -0.2"
    # A bias's line is vertical: from its node straight down to its neuron.
    (x0, x1), (y0, y1) = mazur.edges["v11"].get_data()
    assert x0 == x1 == mazur.positions["h1"][0] and y0 > y1 == mazur.positions["h1"][1]


def test_update_shows_new_numbers_with_the_same_artists():
    example = networks.get("mazur")
    d = diagram()
    artists = [d.edges["w5"], d.edge_labels["w5"], d.edge_labels["w5"].patch, d.edge_labels["w5"].box]
    before = len(d.ax.get_children())
    new = example.with_values({"w5": -1.25, "w1": 0.0}).network
    d.update(new)
    assert d.label("w5") == "$w_{5}$ = -1.25" and d.label("w1") == "$w_{1}$ = 0"
    assert d.label("w6") == "$w_{6}$ = 0.5"
    assert [d.edges["w5"], d.edge_labels["w5"], d.edge_labels["w5"].patch, d.edge_labels["w5"].box] == artists
    assert len(d.ax.get_children()) == before
    assert same_color(d.edges["w5"].get_color(), NEGATIVE) and same_color(d.edges["w6"].get_color(), POSITIVE)
    assert d.edges["w5"].get_linewidth() > d.edges["w6"].get_linewidth() > d.edges["w1"].get_linewidth()


def test_colour_follows_the_sign_and_width_grows_with_the_size():
    assert same_color(weight_colour(0.3), POSITIVE) and same_color(weight_colour(-0.3), NEGATIVE)
    assert not same_color(weight_colour(0.0), POSITIVE) and not same_color(weight_colour(0.0), NEGATIVE)
    sizes = [0, 0.05, 0.1, 0.5, 1, 2, 2.9]
    widths = [weight_width(w) for w in sizes]
    assert widths == sorted(set(widths)) and weight_width(-0.5) == weight_width(0.5)
    d = diagram("han-kamber")
    values = d.example.given()
    for p, q in itertools.combinations(d.edges, 2):
        if abs(values[p]) < abs(values[q]):
            assert d.edges[p].get_linewidth() < d.edges[q].get_linewidth()


def test_previous_shows_old_and_new_values_and_the_gradient_that_made_the_step():
    example = networks.get("mazur")
    d = diagram(gradients=True)
    d.update(example.step().network, previous=example.network)
    assert d.label("w5") == "$w_{5}$ = 0.4 \u2192 0.3589\n$\\partial E/\\partial w_{5}$ = 0.08217"
    assert d.label("v21").startswith("$v_{21}$ = 0.6 \u2192 0.5308")
    d.update(gradients=False)  # previous holds for one update only
    assert d.label("w5") == "$w_{5}$ = 0.3589"


def test_values_overlay_shows_net_and_out_in_the_examples_names():
    d = diagram(values=True)
    q = networks.get("mazur").quantities()
    assert d.label("net_h1") == r"$\mathrm{net}_{h1}$ = 0.3775"
    assert d.label("out_h1") == r"$\mathrm{out}_{h1}$ = 0.5933"
    assert d.label("i1") == "$i_{1}$ = 0.05"
    assert d.label("E_total") == f"$E_{{total}}$ = {q['E_total']:.4g}" == "$E_{total}$ = 0.2984"
    assert diagram("han-kamber", values=True).label("O4") == "$O_{4}$ = 0.3318"
    perceptron = diagram("perceptron", values=True)
    assert perceptron.label("z") == "$z$ = 0.6" and perceptron.label("y_hat") == r"$\hat{y}$ = 0.6457"
    d.update(values=False)
    assert d.label("net_h1") is None and not d.value_labels["net_h1"].patch.get_visible()


@pytest.mark.parametrize("name", ["two-outputs", "han-kamber", "four-layers"])
def test_gradients_overlay_shows_every_gradient(name):
    example = networks.get(name)
    d = diagram(name, gradients=True)
    q = example.quantities()
    for p in example.notation.parameter_names():
        name_row, gradient_row = d.label(p).split("\n")
        assert gradient_row.endswith(f" = {q[f'dE/d{p}']:.4g}")


@pytest.mark.parametrize("name", ALL)
def test_no_two_labels_overlap_even_with_every_overlay(name):
    example = networks.get(name)
    d = diagram(name, values=True, gradients=True)
    d.update(example.step().network, previous=example.network)  # the longest labels
    figure = d.ax.figure
    boxes = [(label.text, label.box.get_window_extent()) for label in d.labels() if label.box.get_visible()]
    assert len(boxes) == len(d.edge_labels) + sum(len(layer) for layer in example.notation.neurons) + 1
    for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
        assert not box_a.overlaps(box_b), f"{a!r} overlaps {b!r}"
    for neuron, circle in d.neurons.items():
        for text, box in boxes:
            assert not box.overlaps(circle.get_window_extent()), f"{text!r} covers {neuron}"
    for text, box in boxes:
        assert figure.bbox.containsx(box.x0) and figure.bbox.containsx(box.x1), f"{text!r} is cut off"
        assert figure.bbox.containsy(box.y0) and figure.bbox.containsy(box.y1), f"{text!r} is cut off"


def test_numbers_put_together_from_cached_characters_match_matplotlibs_own_layout():
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextPath

    from course_lib.diagram import _bounds, _typeset_plain

    for text in [" = -0.4123 \u2192 0.5", " = 0.001234", " = 1.5e-05"]:
        ours, theirs = _bounds(_typeset_plain(text, 8)), _bounds(TextPath((0, 0), text, prop=FontProperties(size=8)))
        np.testing.assert_allclose(ours, theirs, atol=0.01)  # points


def test_the_diagram_says_clearly_what_is_wrong():
    d = diagram()
    with pytest.raises(TypeError, match=r"SigmoidNetwork of sizes \(2, 2, 2\)"):
        d.update(SigmoidNetwork.random((2, 3, 2)))
    with pytest.raises(ValueError, match="must be a version of mazur"):
        d.update(networks.get("wider"))
    with pytest.raises(ValueError, match="no label called 'w9'.*'w8'"):
        d.label("w9")
    with pytest.raises(TypeError, match="course network"):
        plot_network(SigmoidNetwork.random((2, 2)))


# -- the curves ----------------------------------------------------------------------------------


def test_the_loss_curve_is_the_historys_errors():
    example = networks.get("mazur")
    ax = CourseFigure().add_subplot()
    curve = LossCurve(example.train(20), ax, log=True)
    np.testing.assert_array_equal(curve.line.get_ydata(), example.train(20).errors)
    np.testing.assert_array_equal(curve.line.get_xdata(), np.arange(21))
    line = curve.line
    curve.update(example.train(100))
    assert curve.line is line and list(ax.lines) == [line]
    np.testing.assert_array_equal(line.get_ydata(), example.train(100).errors)
    assert ax.get_yscale() == "log" and ax.get_xlim()[1] >= 100
    with pytest.raises(TypeError, match="History"):
        plot_loss([0.3, 0.2])


def test_weight_trajectories_follow_the_history():
    example = networks.get("han-kamber")
    history = example.train(30)
    ax = CourseFigure().add_subplot()
    weights = WeightTrajectories(history, example, ax)
    assert list(weights.lines) == example.notation.parameter_names()
    np.testing.assert_array_equal(weights.lines["w46"].get_ydata(), history.weights[1][:, 0, 0])
    np.testing.assert_array_equal(weights.lines["theta6"].get_ydata(), history.biases[1][:, 0])
    assert r"$\theta_{6}$" in [t.get_text() for t in ax.get_legend().get_texts()]
    chosen = WeightTrajectories(history, example, CourseFigure().add_subplot(), names=["w14", "w46"])
    assert list(chosen.lines) == ["w14", "w46"]
    with pytest.raises(ValueError, match=r"no parameter called 'w5'; its parameters are \['w14'"):
        plot_weights(history, example, names=["w5"])
    with pytest.raises(ValueError, match="history is of a network"):
        plot_weights(networks.get("mazur").train(3), example)


def test_weight_trajectories_of_a_long_run_are_drawn_at_the_steps_it_kept():
    example = networks.get("mazur")
    history = example.network.train(example.x, example.target, example.eta, 500, keep=20)
    weights = WeightTrajectories(history, example, CourseFigure().add_subplot())
    np.testing.assert_array_equal(weights.lines["w5"].get_xdata(), history.kept)
    np.testing.assert_array_equal(weights.lines["w5"].get_ydata(), history.weights[1][:, 0, 0])
    assert len(history.kept) <= 20 and history.kept[-1] == 500


def test_the_tangent_has_the_slope_of_the_gradient():
    example = networks.get("mazur")
    q = example.quantities()
    ax = CourseFigure().add_subplot()
    tangent = TangentPlot(example, "w5", ax, span=1.0)
    (x0, x1), (y0, y1) = tangent.tangent.get_data()
    assert (y1 - y0) / (x1 - x0) == pytest.approx(q["dE/dw5"]) == pytest.approx(0.08217, abs=1e-5)
    assert tuple(tangent.point.get_data()) == ([0.4], [pytest.approx(q["E_total"])])
    # The curve is the error as w5 varies, and it passes through the point.
    xs, ys = tangent.curve.get_data()
    assert ys[len(ys) // 2] == pytest.approx(q["E_total"]) and xs[len(xs) // 2] == pytest.approx(0.4)
    assert ys[0] == pytest.approx(example.with_values({"w5": xs[0]}).network.error(example.x, example.target))
    assert "0.08217" in tangent.note.get_text()
    curve = tangent.curve
    tangent.update(example.with_values({"w5": -2.0}))
    slope = example.with_values({"w5": -2.0}).quantities()["dE/dw5"]
    (x0, x1), (y0, y1) = tangent.tangent.get_data()
    assert tangent.curve is curve and (y1 - y0) / (x1 - x0) == pytest.approx(slope)
    with pytest.raises(ValueError, match=r"has no parameter called 'w'; its parameters are \['w1'"):
        plot_tangent(example, "w")
    figure = plot_tangent(example, "w5", window=(-1, 2))
    assert tuple(figure.axes[0].lines[0].get_data()[0][[0, -1]]) == (-1, 2)
    for window in [(2, -1), (1,), "wide"]:
        with pytest.raises((ValueError, TypeError), match="window"):
            plot_tangent(example, "w5", window=window)


def test_the_landscape_path_starts_at_the_example_and_goes_down():
    example = networks.get("mazur")
    ax = CourseFigure().add_subplot()
    landscape = Landscape(example, "w5", "w6", ax, steps=20, resolution=11)
    path5, path6, errors = landscape.path
    assert (path5[0], path6[0]) == (0.4, 0.5) and len(errors) == 21
    assert np.all(np.diff(errors) < 0)
    # Only w5 and w6 move, so the path lies on the landscape drawn.
    last = example.with_values({"w5": path5[-1], "w6": path6[-1]}).network
    assert errors[-1] == pytest.approx(last.error(example.x, example.target))
    np.testing.assert_array_equal(landscape.path_line.get_xdata(), path5)
    assert landscape.errors.shape == (11, 11)
    assert landscape.errors[5, 5] == pytest.approx(example.network.error(example.x, example.target))
    x0, x1 = ax.get_xlim()
    assert x0 <= path5.min() and path5.max() <= x1  # the grid holds the whole path
    line = landscape.path_line
    landscape.update(example.with_values({"eta": 2.0}))
    assert landscape.path_line is line and landscape.path[0][1] < path5[1]  # bigger steps


def test_the_landscape_as_a_surface_and_its_errors():
    example = networks.get("han-kamber")
    figure = plot_landscape(example, "w46", "theta6", kind="surface", steps=5, resolution=5)
    assert figure.axes[0].name == "3d"
    with pytest.raises(ValueError, match="3-D Axes"):
        plot_landscape(example, "w46", "theta6", kind="surface", ax=CourseFigure().add_subplot())
    with pytest.raises(ValueError, match='"contour" or "surface"'):
        plot_landscape(example, "w46", "theta6", kind="wireframe")
    with pytest.raises(ValueError, match="two different parameters"):
        plot_landscape(example, "w46", "w46")
    with pytest.raises(ValueError, match="no parameter called 'w5'"):
        plot_landscape(example, "w5", "w46")


def test_the_sigmoid_its_derivative_and_a_marked_point():
    ax = CourseFigure().add_subplot()
    plot = SigmoidPlot(ax, z=0.3775, step=True)
    x, y = plot.curve.get_data()
    np.testing.assert_allclose(y, sigmoid(x))
    assert plot.derivative.get_ydata().max() == pytest.approx(0.25, abs=1e-4)
    np.testing.assert_array_equal(plot.step.get_ydata(), (x >= 0).astype(float))
    (px, _), (height, slope) = plot.point.get_data()
    assert px == 0.3775 and height == pytest.approx(0.5933, abs=1e-4)
    assert slope == pytest.approx(0.5933 * (1 - 0.5933), abs=1e-4)
    plot.update(w=2.0, b=-1.0)  # the weighted sum 0.3775 is now reached at x = (0.3775 + 1) / 2
    np.testing.assert_allclose(plot.curve.get_ydata(), sigmoid(2 * x - 1))
    assert plot.point.get_xdata()[0] == pytest.approx(0.68875)
    (t0, t1), (s0, s1) = plot.tangent.get_data()
    assert (s1 - s0) / (t1 - t0) == pytest.approx(2 * slope, rel=1e-3)  # the chain rule: w sigmoid'(z)
    with pytest.raises(TypeError, match="the weight w must be a number"):
        plot.update(w="steep")


def test_the_decision_boundary_is_where_the_weighted_sum_is_zero():
    example = networks.get("two-inputs")  # w1 = 0.4, w2 = -0.6, b = 0.1
    ax = CourseFigure().add_subplot()
    boundary = DecisionBoundary(example, DATA, TARGETS, ax)
    x1, x2 = boundary.line.get_data()
    np.testing.assert_allclose(0.4 * x1 - 0.6 * x2 + 0.1, 0, atol=1e-12)
    shading = boundary.image.get_array()
    assert shading.shape == (121, 121)
    corner = boundary.box[0]  # bottom left: the image's first pixel
    assert shading[0, 0] == pytest.approx(float(example.network.forward(corner).output[0]))
    markers = {line.get_marker() for line in ax.lines if line.get_label().startswith("target")}
    assert markers == {"o", "s"}  # the classes differ in shape, not only in colour
    flat = SigmoidNetwork([[[1.0, 0.0]]], [[-0.5]])  # a vertical boundary, x1 = 0.5
    boundary.update(flat)
    np.testing.assert_allclose(boundary.line.get_xdata(), 0.5)
    with pytest.raises(ValueError, match=r"sizes \(2, 1\); got sizes \(2, 2, 2\)"):
        plot_decision_boundary(networks.get("mazur"), DATA, TARGETS)
    with pytest.raises(ValueError, match=r"data must have shape \(examples, 2\)"):
        plot_decision_boundary(example, [[1, 2, 3]], [1])
    with pytest.raises(ValueError, match="one number per example"):
        plot_decision_boundary(example, DATA, [0, 1])


def test_several_runs_are_drawn_as_their_median_and_range():
    X, T = np.random.default_rng(0).random((6, 2)), np.random.default_rng(1).random((6, 1))
    full = [SigmoidNetwork.random((2, 3, 1), seed=s).train(X, T, 2.0, 10) for s in range(3)]
    batched = [SigmoidNetwork.random((2, 3, 1), seed=s).train(X, T, 2.0, 20, batch_size=3, seed=s) for s in range(3)]
    ax = plot_runs({"full": full, "batches of 3": batched}, steps_per_epoch={"full": 1, "batches of 3": 2}).axes[0]
    median = ax.lines[0]
    np.testing.assert_array_equal(median.get_ydata(), np.median([h.errors for h in full], axis=0))
    np.testing.assert_array_equal(ax.lines[1].get_xdata(), np.arange(21) / 2)  # 2 steps per epoch
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["full (3 seeds)", "batches of 3 (3 seeds)"]
    assert ax.get_xlabel().startswith("epoch")
    band = ax.collections[0].get_paths()[0].vertices[:, 1]
    assert band.max() == pytest.approx(max(h.errors.max() for h in full))
    right = plot_runs({"full": full}, of=lambda n: n.error(X, T) * 2, every=5, log=False, ylabel="twice").axes[0]
    np.testing.assert_allclose(right.lines[0].get_ydata(), np.median([2 * h.errors[::5] for h in full], axis=0))
    assert right.get_ylabel() == "twice"
    with pytest.raises(TypeError, match="list of histories"):
        plot_runs({"full": [1, 2]})
    with pytest.raises(ValueError, match="same number of steps"):
        plot_runs({"mixed": [full[0], batched[0]]})


def test_a_number_per_layer_and_images():
    ax = plot_per_layer({"a": [[1.0, 10.0, 100.0], [2.0, 20.0, 200.0]]}, ylabel="size").axes[0]
    np.testing.assert_array_equal(ax.lines[1].get_ydata(), [1.5, 15.0, 150.0])  # the median of the seeds
    np.testing.assert_array_equal(ax.lines[1].get_xdata(), [1, 2, 3])
    assert ax.get_yscale() == "log" and ax.get_ylabel() == "size"
    figure = plot_images(np.arange(3 * 64).reshape(3, 64), ["0", "1", "2"], columns=2)
    shown = [a for a in figure.axes if a.images]
    assert len(shown) == 3 and shown[1].images[0].get_array().shape == (8, 8)
    assert [t.get_text() for a in shown for t in a.texts] == ["0", "1", "2"]
    with pytest.raises(ValueError, match="one title per image"):
        plot_images(np.zeros((2, 64)), ["only one"])
