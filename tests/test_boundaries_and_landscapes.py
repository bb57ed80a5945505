"""What a hidden layer buys and what gradient descent does on two parameters: the pictures of lessons 02 and 05.

The decision boundary of a network with a hidden layer is where its output is 1/2, and each hidden neuron's
dashed line is where its weighted sum is 0; the cost landscape over a data set is the library's own mean error,
and the path on it is gradient descent moving only the two parameters drawn.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib import SigmoidNetwork, networks
from course_lib.plots import CourseFigure, DataLandscape, NetworkBoundary, plot_data_landscape, plot_network_boundary
from course_lib.sliders import descent_explorer, training_explorer

CORNERS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
XOR = np.array([[0], [1], [1], [0]], dtype=float)
DATA = np.array([[-1.0], [0.5], [1.0], [2.0]])  # lesson 02's data set: the classes overlap
TARGETS = np.array([[0.0], [1.0], [0.0], [1.0]])


def axes():
    return CourseFigure().add_subplot()


def points(line):
    """The (x1, x2) points of a drawn line, without the NaN gaps between its pieces."""
    xy = np.column_stack([line.get_xdata(), line.get_ydata()]).astype(float)
    return xy[~np.isnan(xy).any(axis=1)]


# -- the decision boundary of a network with a hidden layer -------------------------------------


def test_the_boundary_of_a_trained_xor_network_is_where_its_output_is_one_half():
    network = SigmoidNetwork.random((2, 2, 1), seed=0).train(CORNERS, XOR, 4.0, 3000).network
    boundary = NetworkBoundary(network, CORNERS, XOR, axes())
    curve = points(boundary.line)
    assert len(curve) > 20
    assert np.allclose(network.forward(curve).output, 0.5, atol=0.02)
    # and it separates the classes: each corner is on the side of its target
    assert np.array_equal(network.forward(CORNERS).output >= 0.5, XOR >= 0.5)


def test_each_hidden_line_is_where_that_neurons_weighted_sum_is_zero():
    network = SigmoidNetwork.random((2, 3, 1), seed=4)
    boundary = NetworkBoundary(network, CORNERS, XOR, axes())
    assert len(boundary.hidden) == 3
    for j, line in enumerate(boundary.hidden):
        on_it = points(line)
        if len(on_it):  # a line may pass outside the picture
            assert np.allclose(network.forward(on_it).net[1][:, j], 0, atol=1e-9)
    assert [line.get_label().split(":")[0] for line in boundary.hidden] == ["$h_{1}$", "$h_{2}$", "$h_{3}$"]


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), hidden=st.integers(1, 4))
def test_for_any_network_the_drawn_boundary_has_output_one_half(seed, hidden):
    network = SigmoidNetwork.random((2, hidden, 1), seed=seed)
    boundary = NetworkBoundary(network, CORNERS, XOR, axes(), hidden_lines=False)
    curve = points(boundary.line)
    if len(curve):
        assert np.allclose(network.forward(curve).output, 0.5, atol=0.02)
    assert boundary.hidden == []


def test_without_a_hidden_layer_the_boundary_is_the_neurons_line():
    example = networks.get("two-inputs")
    boundary = NetworkBoundary(example, CORNERS, XOR, axes())
    (w1, w2), b = example.network.weights[0][0], example.network.biases[0][0]
    line = points(boundary.line)
    assert np.allclose(line @ [w1, w2] + b, 0, atol=1e-6)  # the contour of the output, interpolated
    assert boundary.hidden == []


def test_a_flat_output_draws_no_boundary_and_says_so():
    flat = SigmoidNetwork.random((2, 1), seed=0).train(CORNERS, XOR, 4.0, 3000).network  # gives up: 1/2 everywhere
    boundary = NetworkBoundary(flat, CORNERS, XOR, axes())
    assert len(points(boundary.line)) == 0
    assert "no boundary" in boundary.note.get_text()
    boundary.update(SigmoidNetwork.random((2, 1), seed=1))
    assert len(points(boundary.line)) > 0 and boundary.note.get_text() == ""


def test_update_redraws_and_refuses_another_network_shape():
    boundary = NetworkBoundary(SigmoidNetwork.random((2, 2, 1), seed=0), CORNERS, XOR, axes())
    before = np.array(boundary.image.get_array())
    boundary.update(SigmoidNetwork.random((2, 2, 1), seed=1))
    assert not np.allclose(before, boundary.image.get_array())
    with pytest.raises(ValueError, match="sizes"):
        boundary.update(SigmoidNetwork.random((2, 3, 1), seed=1))


def test_the_boundary_asks_for_two_inputs_and_one_output():
    with pytest.raises(ValueError, match="2 inputs and 1 output"):
        plot_network_boundary(SigmoidNetwork.random((3, 2, 1)), CORNERS, XOR)
    with pytest.raises(ValueError, match="2 inputs and 1 output"):
        plot_network_boundary(networks.get("mazur"), CORNERS, XOR)
    with pytest.raises(TypeError, match="SigmoidNetwork"):
        plot_network_boundary("xor", CORNERS, XOR)


# -- the cost over a data set, and gradient descent on two parameters ----------------------------


def test_the_landscape_is_the_librarys_mean_error_over_the_data_set():
    example = networks.get("perceptron-bias")
    picture = DataLandscape(example, DATA, TARGETS, "w", "b", axes(), resolution=9)
    (w_low, w_high), (b_low, b_high) = picture.box
    for i, j in [(0, 0), (3, 7), (8, 2)]:
        w, b = np.linspace(w_low, w_high, 9)[j], np.linspace(b_low, b_high, 9)[i]  # rows: b, columns: w
        cost = example.with_values({"w": w, "b": b}).network.error(DATA, TARGETS)
        assert picture.costs[i, j] == pytest.approx(cost, rel=1e-12)


def test_the_path_is_gradient_descent_on_the_two_parameters_only():
    example = networks.get("hidden-neuron")  # four parameters; the path moves two of them
    x, t = np.array([[0.5], [-1.0], [2.0]]), np.array([[1.0], [0.0], [1.0]])
    picture = DataLandscape(example, x, t, "w2", "v21", axes(), eta=0.8, steps=6, resolution=5)
    w2, v21, costs = picture.path
    values = dict(w2=example.given()["w2"], v21=example.given()["v21"])
    for k in range(7):  # an independent loop: backward, then a step in w2 and v21 alone
        assert (w2[k], v21[k]) == pytest.approx((values["w2"], values["v21"]), rel=1e-12)
        network = example.with_values(values).network
        assert costs[k] == pytest.approx(network.error(x, t), rel=1e-12)
        g = network.backward(x, t)
        values = dict(w2=values["w2"] - 0.8 * g.weights[1][0, 0], v21=values["v21"] - 0.8 * g.biases[1][0])


def test_update_moves_the_path_and_keeps_the_landscape():
    picture = DataLandscape(networks.get("perceptron-bias"), DATA, TARGETS, "w", "b", axes(), steps=10, resolution=7)
    costs = picture.costs
    picture.update(eta=30, steps=40)
    assert len(picture.path[0]) == 41 and picture.eta == 30
    assert picture.costs is costs
    assert len(picture.path_line.get_xdata()) == 41
    picture.update(steps=0)
    assert len(picture.path[0]) == 1 and picture.eta == 30


def test_another_data_set_gets_its_own_landscape():
    example = networks.get("perceptron-bias")
    first = DataLandscape(example, DATA, TARGETS, "w", "b", axes(), resolution=7).costs
    second = DataLandscape(example, DATA, 1 - TARGETS, "w", "b", axes(), resolution=7).costs
    assert not np.allclose(first, second)


def test_the_landscape_refuses_bad_input_in_words():
    example = networks.get("perceptron-bias")
    with pytest.raises(ValueError, match="two different parameters"):
        plot_data_landscape(example, DATA, TARGETS, "w", "w")
    with pytest.raises(ValueError, match="no parameter called 'w5'"):
        plot_data_landscape(example, DATA, TARGETS, "w", "w5")
    with pytest.raises(ValueError, match="data set"):
        plot_data_landscape(example, [0.5], [1.0], "w", "b")
    with pytest.raises(ValueError, match="greater than zero"):
        plot_data_landscape(example, DATA, TARGETS, "w", "b", eta=0)
    with pytest.raises(ValueError, match="shape"):
        plot_data_landscape(example, DATA, TARGETS[:3], "w", "b")


# -- the explorers -------------------------------------------------------------------------------


def test_the_descent_explorer_redraws_the_path_for_its_sliders():
    explorer = descent_explorer(networks.get("perceptron-bias"), DATA, TARGETS, "w", "b", steps=20)
    explorer.sliders["eta"].value = 30.0
    explorer.sliders["steps"].value = 60
    assert explorer.message.value == ""
    assert explorer.picture.eta == 30.0 and len(explorer.picture.path[0]) == 61
    assert "image/png" in explorer._repr_mimebundle_()["text/html"]


def test_the_training_explorer_shows_the_network_of_the_chosen_step():
    start = SigmoidNetwork.random((2, 2, 1), seed=0)
    explorer = training_explorer(start, CORNERS, XOR, 4.0, 300, pieces=10)
    assert explorer.history.steps == 300
    assert explorer.boundary.network == explorer.history.network  # it opens at the end of the run
    explorer.sliders["step"].value = 120
    assert explorer.message.value == ""
    expected = start.train(CORNERS, XOR, 4.0, 120).network
    for shown, trained in zip(explorer.boundary.network.weights, expected.weights):
        assert np.allclose(shown, trained, rtol=1e-12, atol=0)
    assert "120" in explorer.figure.axes[0].get_title()
    with pytest.raises(TypeError, match="SigmoidNetwork"):
        training_explorer(networks.get("mazur"), CORNERS, XOR, 4.0, 10)


def test_the_explorers_fit_beside_jupyterlabs_file_browser_at_1366_pixels():
    """In JupyterLab at 1366x768 with the file browser open, an output is about 930 pixels wide; an ipympl
    canvas does not shrink to fit (the training explorer was first 1100 pixels wide, its curve cut off)."""
    explorers = [
        descent_explorer(networks.get("perceptron-bias"), DATA, TARGETS, "w", "b", steps=5),
        training_explorer(SigmoidNetwork.random((2, 2, 1), seed=0), CORNERS, XOR, 4.0, 20),
    ]
    for explorer in explorers:
        width, _ = explorer.figure.get_size_inches() * explorer.figure.dpi
        assert width <= 920
