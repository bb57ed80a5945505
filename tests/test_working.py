"""The worked steps in LaTeX: the texts' working, with the numbers substituted, following any network."""

import pytest

from course_lib import explain, networks, show_working
from course_lib.working import latex_number

MAZUR = networks.get("mazur")


def test_forward_of_mazur():
    working = show_working(MAZUR, "forward")
    latex = working.latex
    # net(h1) = w1 i1 + w3 i2 + v11 1 = 0.15 x 0.05 + 0.20 x 0.10 + 0.35 x 1 = 0.3775 (the bias input is 1)
    assert r"w_{1} \cdot i_{1} + w_{3} \cdot i_{2} + v_{11} \cdot 1 = " in latex
    assert r"0.15 \times 0.05 + 0.2 \times 0.1 + 0.35 \times 1 = 0.3775" in latex
    assert r"\frac{1}{1 + e^{-0.3775}} = 0.593269992" in latex
    assert [line.key for line in working.lines] == [
        "net_h1",
        "out_h1",
        "net_h2",
        "out_h2",
        "net_o1",
        "out_o1",
        "net_o2",
        "out_o2",
    ]
    assert working._repr_latex_().startswith("$$\\begin{aligned}")
    assert "net_h1 = 0.3775" in repr(working)


def test_error_of_mazur():
    latex = show_working(MAZUR, "error").latex
    assert r"\tfrac{1}{2}\left(0.01 - 0.75136507\right)^2 = 0.274811083" in latex
    assert "= 0.298371109" in latex


def test_backward_of_w5_shows_every_chain_rule_factor():
    working = show_working(MAZUR, "backward", "w5")
    keys = [line.key for line in working.lines]
    assert keys == ["dE/dout_o1", "dout_o1/dnet_o1", "delta_o1", "dnet_o1/dw5", "dE/dw5"]
    assert working["dE/dout_o1"].numeric == r"-\left(0.01 - 0.75136507\right)"
    assert working["dE/dw5"].numeric == r"0.74136507 \times 0.186815602 \times 0.593269992"
    # the gradient both ways: three chain-rule links, and delta times the value w5 multiplies
    assert working["dE/dw5"].symbolic.endswith(r"= \delta_{o1} \cdot \frac{\partial \mathrm{net}_{o1}}{\partial w_{5}}")
    assert "= 0.0821670406" in working.latex


def test_backward_of_w1_goes_through_both_outputs():
    keys = [line.key for line in show_working(MAZUR, "backward", "w1").lines]
    for key in ("delta_o1", "delta_o2", "dE_o1/dout_h1", "dE_o2/dout_h1", "dE/dout_h1", "dout_h1/dnet_h1", "dE/dw1"):
        assert key in keys
    assert keys[-1] == "dE/dw1" and "dE/dw5" not in keys


def test_updates_use_the_old_weights():
    working = show_working(MAZUR, "updates")
    assert working["w5_new"].numeric == r"0.4 - 0.5 \times 0.0821670406"
    assert working["w5_new"].value == pytest.approx(0.35891648, rel=1e-8)
    assert working.lines[-1].key == "E_total_new"


def test_working_follows_another_network():
    moved = MAZUR.with_values({"w1": 0.25})
    latex = show_working(MAZUR, "forward", network=moved.network).latex
    assert r"0.25 \times 0.05" in latex and "= 0.3825" in latex


@pytest.mark.parametrize("name", networks.names())
@pytest.mark.parametrize("part", ["forward", "error", "backward", "updates"])
def test_every_course_network_can_be_worked(name, part):
    example = networks.get(name)
    working = show_working(example, part)
    assert working.lines
    q = example.quantities()
    assert all(line.value == q[line.key] for line in working.lines)


def test_han_kambers_err_and_update_are_shown_their_way_too():
    han = networks.get("han-kamber")
    backward = show_working(han, "backward", "w46")
    assert r"Err_{6} &= -\delta_{6} = O_{6}\left(1 - O_{6}\right)\left(T_{6} - O_{6}\right)" in backward.latex
    updates = show_working(han, "updates")
    assert updates["w46_new"].symbolic.endswith(r"= w_{46} + \eta \cdot Err_{6} \cdot O_{4}")


def test_han_kamber_in_its_own_names():
    latex = show_working(networks.get("han-kamber"), "forward").latex
    assert r"I_{6} &= w_{46} \cdot O_{4} + w_{56} \cdot O_{5} + \theta_{6}" in latex
    assert r"0.2 \times 1 + 0.4 \times 0 + \left(-0.5\right) \times 1 + \left(-0.4\right)" in latex


def test_explain_one_quantity():
    working = explain(MAZUR, "sig_h1")
    assert [line.key for line in working.lines] == ["net_h1", "out_h1"]
    assert explain(MAZUR, "w5").lines[0].value == 0.4


def test_bad_requests_get_clear_errors():
    with pytest.raises(ValueError, match="part must be one of 'forward', 'error', 'backward', 'updates'"):
        show_working(MAZUR, "sideways")
    with pytest.raises(ValueError, match="'w9' is not a parameter of mazur"):
        show_working(MAZUR, "backward", "w9")
    with pytest.raises(ValueError, match="only needed for the backward part"):
        show_working(MAZUR, "forward", "w5")
    with pytest.raises(TypeError, match="course example"):
        show_working(MAZUR.network, "forward")
    with pytest.raises(KeyError, match="no quantity called 'net_h9'"):
        explain(MAZUR, "net_h9")


def test_latex_numbers():
    assert latex_number(0.3775) == "0.3775"
    assert latex_number(0.5932699921071872) == "0.593269992"
    assert latex_number(3.51019e-05) == r"3.51019 \times 10^{-5}"
    assert latex_number(0.0) == "0"


@pytest.mark.parametrize("name", ["hidden-neuron", "mazur", "wider", "four-layers"])
def test_the_constant_bias_input_is_written_1_never_b(name):
    # The lead's notation: b is always a bias; in lessons 05-09 a bias is a bias weight v times the input 1.
    example = networks.get(name)
    every_part = "".join(show_working(example, part).latex for part in ("forward", "backward", "updates"))
    assert "b_{" not in every_part
    for bias in example.notation.bias_names():
        assert rf"\partial {example.latex(bias)}}} &= 1" in show_working(example, "backward", bias).latex
    inputs = example.notation.bias_input_names()
    assert len(inputs) == len(example.notation.bias_names()) and {example.latex(b) for b in inputs} == {"1"}
