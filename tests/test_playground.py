"""The slider panels, driven headless: sliders, buttons, read-outs, diagram and working stay in step."""

import os
import re
import subprocess
import sys

import numpy as np
import pytest

from course_lib import Playground, boundary_explorer, networks, sigmoid_explorer, tangent_explorer


def e_total(panel):
    return float(re.search(r"class='course-E-total'>([^<]+)<", panel.readout.value).group(1))


@pytest.fixture(scope="module")
def mazur_panel():
    return Playground(networks.get("mazur"))


def test_a_slider_for_every_number(mazur_panel):
    example = networks.get("mazur")
    assert set(mazur_panel.sliders) == set(example.given())
    assert mazur_panel.sliders["w5"].value == 0.4 and mazur_panel.sliders["eta"].value == 0.5
    assert mazur_panel.sliders["w5"].description == "$w_{5}$"
    assert "course-slider-w5" in mazur_panel.sliders["w5"]._dom_classes


def test_moving_a_weight_updates_network_readout_and_diagram(mazur_panel):
    mazur_panel.reset()
    before = e_total(mazur_panel)
    assert before == pytest.approx(0.298371109, rel=1e-8)
    mazur_panel.sliders["w5"].value = 0.6
    assert mazur_panel.network.weights[1][0, 0] == 0.6
    after = e_total(mazur_panel)
    assert after == pytest.approx(mazur_panel.example.network.error(mazur_panel.example.x, mazur_panel.example.target))
    assert after != before
    assert "0.6" in mazur_panel.diagram.label("w5")
    mazur_panel.sliders["i1"].value = 0.5
    assert mazur_panel.example.x[0] == 0.5
    assert "0.5" in mazur_panel.diagram.label("i1")


def test_step_train_and_reset(mazur_panel):
    mazur_panel.reset()
    start = mazur_panel.network
    mazur_panel.step()
    stepped = networks.get("mazur").step().network
    assert mazur_panel.network == stepped
    assert mazur_panel.sliders["w5"].value == pytest.approx(stepped.weights[1][0, 0])
    assert "0.4 → 0.3589" in mazur_panel.message.value
    assert "→" in mazur_panel.diagram.label("w5")  # old -> new on the diagram
    assert mazur_panel.history.steps == 1
    mazur_panel.train(50)
    assert mazur_panel.history.steps == 51
    assert mazur_panel.history.errors[-1] < mazur_panel.history.errors[0]
    line = mazur_panel.loss.line.get_ydata()
    assert len(line) == 52 and line[-1] == mazur_panel.history.errors[-1]
    mazur_panel.reset()
    assert mazur_panel.network == start and mazur_panel.history.steps == 0
    assert mazur_panel.sliders["w5"].value == 0.4


def test_numbers_beyond_a_sliders_range_widen_it():
    panel = Playground(networks.get("perceptron"))
    assert panel.sliders["w"].max < 7.5
    panel.example = panel.example.with_values({"w": 7.5})  # as after a long run of training
    panel._show()
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


def test_the_panel_displays_itself_with_a_static_picture(mazur_panel):
    bundle = mazur_panel._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/html"].count("data:image/png;base64,") == 2
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


def test_playground_needs_a_course_network():
    with pytest.raises(TypeError, match="course network"):
        Playground(networks.get("mazur").network)


def test_panels_leave_the_notebooks_matplotlib_backend_alone():
    # ipympl makes itself pyplot's backend when imported; a lesson's static figures need the inline one.
    code = (
        "import matplotlib, matplotlib.pyplot as plt\n"
        "from course_lib import Playground, networks\n"
        "Playground(networks.get('perceptron'))\n"
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
