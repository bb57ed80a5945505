"""The slider panels, driven headless: sliders, buttons, read-outs, diagram and working stay in step."""

import os
import re
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import course_lib.playground as playground
from course_lib import Playground, boundary_explorer, networks, sigmoid_explorer, tangent_explorer
from course_lib.calculation import Calculation
from course_lib.diagram import DiagramLayout, label_rows
from course_lib.live import MAX_POINTS
from course_lib.network import SigmoidNetwork
from course_lib.playground import on_grid


def e_total(panel):
    return float(re.search(r"class='course-E-total' data-q='E_total'>([^<]+)<", panel.readout.value).group(1))


def readout(panel):
    """The read-out's numbers by name, as printed."""
    return dict(re.findall(r"<td data-q='([^']+)'>([^<]+)</td>", panel.readout.value))


def printed(example):
    q = example.quantities()
    return {k: f"{q[k] + 0.0:.9g}" for k in q}


def echo(panel):
    """What the browser does after the kernel moves the sliders: it sends each value back on the slider's grid.

    The grid is computed as the browser's slider computes it (steps from the minimum, in floating point),
    so its rounding noise is the browser's, not ``on_grid``'s.
    """
    for slider in panel.sliders.values():
        k = round((slider.value - slider.min) / slider.step)
        slider.value = min(slider.min + k * slider.step, slider.max)


@pytest.fixture(scope="module")
def mazur_panel():
    return Playground(networks.get("mazur"))


def test_a_slider_for_every_number(mazur_panel):
    example = networks.get("mazur")
    assert set(mazur_panel.sliders) == set(example.given())
    assert mazur_panel.sliders["w5"].value == 0.4 and mazur_panel.sliders["eta"].value == 0.5
    assert mazur_panel.sliders["w5"].description == "w5"
    assert mazur_panel.sliders["target_o1"].description == "target_o1"
    assert mazur_panel.sliders["eta"].description == "η"
    assert "course-slider-w5" in mazur_panel.sliders["w5"]._dom_classes
    assert mazur_panel.steps.value == 100


def test_the_sliders_tabs_hold_each_slider_once():
    for name in networks.names():
        panel = Playground(networks.get(name))
        groups = [names for _, names in panel._groups()]
        held = [k for names in groups for k in names]
        assert sorted(held) == sorted(panel.sliders) and len(held) == len(set(held))
        assert max(len(names) for names in groups) <= 9  # a tab fits beside the diagram


def test_moving_a_weight_updates_network_readout_and_diagram(mazur_panel):
    mazur_panel.reset()
    before = e_total(mazur_panel)
    assert before == pytest.approx(0.298371109, rel=1e-8)
    mazur_panel.sliders["w5"].value = 0.6
    assert mazur_panel.network.weights[1][0, 0] == 0.6
    after = e_total(mazur_panel)
    assert after == pytest.approx(mazur_panel.example.network.error(mazur_panel.example.x, mazur_panel.example.target))
    assert after != before
    assert mazur_panel.diagram.label("w5") == "w5 = 0.6"
    mazur_panel.sliders["i1"].value = 0.5
    assert mazur_panel.example.x[0] == 0.5
    assert mazur_panel.diagram.label("value i1") == "i1 = 0.5"
    assert readout(mazur_panel) == {k: v for k, v in printed(mazur_panel.example).items() if k in readout(mazur_panel)}


def test_step_train_and_reset(mazur_panel):
    mazur_panel.reset()
    start = mazur_panel.network
    mazur_panel.step()
    stepped = networks.get("mazur").step().network
    assert mazur_panel.network == stepped
    assert mazur_panel.sliders["w5"].value == 0.36  # the slider shows the number on its grid
    assert mazur_panel.message.value.startswith("<b>Step 1:</b>")
    assert mazur_panel.diagram.label("w5") == "w5 = 0.4 → 0.3589"  # old -> new on the diagram
    assert mazur_panel.history.steps == 1
    mazur_panel.train(50)
    assert mazur_panel.history.steps == 51
    assert mazur_panel.history.errors[-1] < mazur_panel.history.errors[0]
    loss = mazur_panel.curves.state["loss"]["y"]
    assert len(loss) == 52 and loss[-1] == mazur_panel.history.errors[-1]
    weights = {line["id"]: line["y"] for line in mazur_panel.curves.state["weights"]["lines"]}
    assert set(weights) == set(networks.get("mazur").notation.parameter_names())
    assert weights["w5"] == list(mazur_panel.history.weights[1][:, 0, 0])
    mazur_panel.reset()
    assert mazur_panel.network == start and mazur_panel.history.steps == 0
    assert mazur_panel.sliders["w5"].value == 0.4
    assert len(mazur_panel.curves.state["loss"]["y"]) == 1


def test_the_readout_after_steps_is_course_libs_to_every_printed_digit(mazur_panel):
    mazur_panel.reset()
    example = networks.get("mazur")
    for k in range(1, 4):
        mazur_panel.step()
        example = example.step()
        echo(mazur_panel)  # the browser's echo of the moved sliders
        assert mazur_panel.history.steps == k and mazur_panel.message.value.startswith(f"<b>Step {k}:</b>")
        shown = readout(mazur_panel)
        assert len(shown) == 12 + 12 + 12 and shown == {key: printed(example)[key] for key in shown}
    mazur_panel.reset()


@settings(max_examples=15, deadline=None)
@given(
    step=st.sampled_from([0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5]),
    steps=st.integers(1, 3),
    train=st.sampled_from([0, 1, 7, 40]),
    moves=st.integers(-3, 3).filter(bool),
    name=st.sampled_from(["w1", "w5", "v21", "i2", "target_o2", "eta"]),
)
def test_the_sliders_echo_never_undoes_step_or_train_and_a_learners_move_starts_a_new_run(
    step, steps, train, moves, name
):
    panel = Playground(networks.get("mazur"), slider_step=step)
    expected = networks.get("mazur")
    for _ in range(steps):
        panel.step()
        expected = expected.step()
        echo(panel)
    if train:
        panel.train(train)
        expected = expected.with_values({}, network=expected.train(train).network)
        echo(panel)
    assert panel.example == expected and panel.history.steps == steps + train
    assert len(panel.curves.state["loss"]["y"]) == steps + train + 1
    slider = panel.sliders[name]
    value = round(min(max(slider.value + moves * step, slider.min), slider.max), 12)
    if value == slider.value:
        return  # at the end of its range: no move
    slider.value = value  # the learner's own move: just that number changes, and a new run starts
    assert panel.example == expected.with_values({name: value})
    assert panel.history.steps == 0 and len(panel.curves.state["loss"]["y"]) == 1


def test_on_grid_is_the_nearest_point_of_the_sliders_range():
    slider = Playground(networks.get("mazur")).sliders["w5"]
    assert on_grid(slider, 0.35891647971788465) == 0.36
    assert on_grid(slider, -0.004) == 0.0 and on_grid(slider, 0.006) == 0.01
    assert on_grid(slider, 99.0) == slider.max and on_grid(slider, -99.0) == slider.min


def count_calls(monkeypatch, cls, name):
    calls = []
    original = getattr(cls, name)

    def counted(*args, **kwargs):
        calls.append(name)
        return original(*args, **kwargs)

    monkeypatch.setattr(cls, name, counted)
    return calls


def test_one_calculation_per_state_of_the_panel(monkeypatch):
    panel = Playground(networks.get("mazur"), working=True)
    evaluations = count_calls(monkeypatch, Calculation, "evaluate")
    backward = count_calls(monkeypatch, SigmoidNetwork, "backward")
    steps = count_calls(monkeypatch, SigmoidNetwork, "step")
    panel.sliders["w5"].value = 0.5
    assert (len(evaluations), len(backward)) == (1, 0), "a slider move computes the state once"
    evaluations.clear()
    panel.step()
    assert (len(evaluations), len(steps), len(backward)) == (1, 1, 1), "a Step computes the step once"
    evaluations.clear()
    panel.show_gradients.value = True
    panel.working_part.value = "backward"
    assert evaluations == [], "the gradients and the working show the state's numbers, computed already"
    panel.reset()
    assert len(evaluations) == 1


def test_train_shows_the_curves_as_it_trains(monkeypatch):
    panel = Playground(networks.get("mazur"))
    monkeypatch.setattr(playground, "SHOW_EVERY", 0.0)
    shown = count_calls(monkeypatch, type(panel.curves), "show")
    panel.train(300)
    assert len(shown) > 2, "the curves were sent only at the end"
    assert len(panel.curves.state["loss"]["y"]) == 301
    np.testing.assert_array_equal(panel.history.errors, networks.get("mazur").train(300).errors)


def test_a_long_run_is_drawn_through_max_points_steps():
    panel = Playground(networks.get("perceptron"))
    panel.train(3 * MAX_POINTS)
    loss = panel.curves.state["loss"]
    assert len(loss["y"]) == MAX_POINTS and loss["x"][0] == 0 and loss["x"][-1] == 3 * MAX_POINTS
    assert loss["y"][-1] == panel.history.errors[-1]


def test_the_live_and_the_static_diagram_are_one_layout_and_read_alike(mazur_panel):
    mazur_panel.reset()
    mazur_panel.step()
    layout = DiagramLayout(networks.get("mazur"))
    assert mazur_panel.diagram.plan == layout.to_json()
    static = mazur_panel.figures[0]
    assert static is not None
    drawn = mazur_panel._static_diagram
    for p, place in mazur_panel.layout.edge_labels.items():
        assert drawn.edge_labels[p].xy == place.xy
        assert drawn.label(p).replace("$", "").replace("_{", "").replace("}", "") == mazur_panel.diagram.label(p)
    rows = label_rows(layout, networks.get("mazur").step().quantities(), previous=networks.get("mazur").quantities())
    assert mazur_panel.diagram.state["rows"] == rows
    mazur_panel.reset()


def test_numbers_beyond_a_sliders_range_widen_it():
    panel = Playground(networks.get("perceptron"))
    assert panel.sliders["w"].max < 7.5
    panel._enter(panel.example.with_values({"w": 7.5}))  # as after a long run of training
    assert panel.sliders["w"].max >= 7.5 and panel.sliders["w"].value == 7.5  # not clamped to the old range


def test_buttons_call_the_same_actions(mazur_panel):
    mazur_panel.reset()
    mazur_panel.buttons["step"].click()
    assert mazur_panel.history.steps == 1
    mazur_panel.steps.value = 10
    mazur_panel.buttons["train"].click()
    assert mazur_panel.history.steps == 11
    mazur_panel.buttons["reset"].click()
    assert mazur_panel.history.steps == 0
    mazur_panel.steps.value = 100


def test_the_working_follows_the_sliders(mazur_panel):
    mazur_panel.reset()
    mazur_panel.show_working.value = True
    assert "0.3775" in mazur_panel.working.value and "0.593269992" in mazur_panel.working.value
    mazur_panel.sliders["w1"].value = 0.25
    assert r"0.25 \times 0.05" in mazur_panel.working.value
    mazur_panel.working_part.value = "backward"
    mazur_panel.working_weight.value = "w5"
    assert r"\frac{\partial E_{total}}{\partial w_{5}}" in mazur_panel.working.value
    mazur_panel.show_working.value = False
    mazur_panel.reset()


def test_errors_in_a_callback_are_shown_in_the_panel(mazur_panel):
    mazur_panel.reset()
    mazur_panel._safely(lambda: 1 / 0)
    assert "course-error" in mazur_panel.message.value and "ZeroDivisionError" in mazur_panel.message.value
    with pytest.raises(ValueError, match="number of steps"):
        mazur_panel.train(0)


def test_the_panel_displays_itself_with_a_static_picture(mazur_panel):
    bundle = mazur_panel._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/html"].count("data:image/png;base64,") == 2
    assert "course-E-total" in bundle["text/html"]  # the read-out too
    assert bundle["text/plain"].startswith("<Playground of mazur")
    assert len(mazur_panel.figures) == 2


@pytest.mark.parametrize("name", networks.names())
def test_every_course_network_gets_a_panel(name):
    panel = Playground(networks.get(name))
    weight = networks.get(name).notation.weight_names()[-1]
    panel.sliders[weight].value = panel.sliders[weight].value + 0.1
    panel.step()
    assert panel.message.value.startswith("<b>Step 1:</b>")
    assert "course-error" not in panel.message.value
    assert readout(panel) == {k: v for k, v in printed(panel.example).items() if k in readout(panel)}


def test_explorers():
    explorer = sigmoid_explorer(0.0, weight_and_bias=True)
    explorer.sliders["z"].value = 2.0
    assert explorer.message.value == ""
    assert set(explorer.sliders) == {"z", "w", "b"}
    tangent = tangent_explorer(networks.get("perceptron"), "w")
    tangent.sliders["w"].value = 1.2
    assert tangent.message.value == ""
    data = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    boundary = boundary_explorer(networks.get("two-inputs"), data, np.array([0.0, 1.0, 1.0, 1.0]))
    boundary.sliders["b"].value = -0.5
    assert boundary.message.value == "" and set(boundary.sliders) == {"w1", "w2", "b"}
    assert "data:image/png;base64," in boundary._repr_mimebundle_()["text/html"]


def test_playground_needs_a_course_network_and_a_sensible_slider_step():
    with pytest.raises(TypeError, match="course network"):
        Playground(networks.get("mazur").network)
    with pytest.raises(ValueError, match="slider_step"):
        Playground(networks.get("mazur"), slider_step=0)


def test_panels_leave_the_notebooks_matplotlib_backend_alone():
    # ipympl makes itself pyplot's backend when imported; a lesson's static figures need the inline one.
    code = (
        "import matplotlib, matplotlib.pyplot as plt\n"
        "from course_lib import Playground, networks, sigmoid_explorer\n"
        "Playground(networks.get('perceptron')); sigmoid_explorer()\n"
        "print(plt.get_backend())\n"
    )
    env = dict(os.environ, MPLBACKEND="module://matplotlib_inline.backend_inline")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert result.stdout.strip() == "module://matplotlib_inline.backend_inline"


def test_the_tangent_explorer_moves_the_point_along_a_curve_that_stays_put():
    example = networks.get("perceptron")
    explorer = tangent_explorer(example, "w")
    picture = explorer.figure.axes[0]
    curve, tangent, point = picture.lines[:3]
    xs, ys = (np.array(a) for a in curve.get_data())
    assert xs[0] == pytest.approx(0.3 - 3) and xs[-1] == pytest.approx(0.3 + 3)
    explorer.sliders["w"].value = 1.2
    assert np.array_equal(curve.get_data()[0], xs) and np.array_equal(curve.get_data()[1], ys)
    moved = example.with_values({"w": 1.2})
    assert point.get_data()[0][0] == pytest.approx(1.2)
    assert point.get_data()[1][0] == pytest.approx(moved.quantities()["C"])
    (x0, x1), (y0, y1) = tangent.get_data()
    assert (y1 - y0) / (x1 - x0) == pytest.approx(moved.quantities()["dC/dw"])
