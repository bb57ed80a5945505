"""The computational graph: its own backward pass (sum over the nodes fed) against the library and the definition."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.text import Text
from test_reference_tables import MAZUR_BACKWARD

from course_lib import networks, numerical_gradient
from course_lib.graph import ComputationalGraph, plot_graph

LAYERED = ["hidden-neuron", "two-outputs", "mazur", "wider", "four-layers", "han-kamber"]


def _check_against_the_library(example):
    graph, q, n = ComputationalGraph(example), example.quantities(), example.notation
    assert graph.nodes[n.error].gradient == 1.0
    for o in n.neurons[-1] if len(n.neurons[-1]) > 1 else ():
        assert graph.nodes[n.name("error_term", o)].gradient == 1.0  # E_total = E_o1 + E_o2
    for layer in n.neurons[1:]:
        for neuron in layer:
            net, out = n.name("net", neuron), n.name("out", neuron)
            assert graph.nodes[net].gradient == pytest.approx(q[n.name("delta", neuron)], rel=1e-12, abs=1e-15)
            assert graph.nodes[out].gradient == pytest.approx(q[f"d{n.d}/d{out}"], rel=1e-12, abs=1e-15)
    # the inputs' gradients, which the library does not work out: against centred differences of E in x
    inputs = [graph.nodes[n.value_name(0, j)].gradient for j in range(n.sizes[0])]
    numeric = numerical_gradient(lambda x: example.network.error(x, example.target), example.x, h=1e-6)
    np.testing.assert_allclose(inputs, numeric, rtol=1e-6, atol=1e-10)
    return graph


@pytest.mark.parametrize("name", LAYERED)
def test_the_graphs_backward_pass_is_the_delta_rule(name):
    _check_against_the_library(networks.get(name))


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(-3, 3), min_size=12, max_size=12), st.lists(st.floats(0, 1), min_size=4, max_size=4))
def test_the_sum_over_the_nodes_fed_holds_for_any_numbers(parameters, values):
    mazur = networks.get("mazur")
    names = mazur.notation.parameter_names() + ["i1", "i2", "target_o1", "target_o2"]
    _check_against_the_library(mazur.with_values(dict(zip(names, parameters + values))))


def test_at_a_fork_the_two_paths_add_as_mazur_prints_them():
    graph = ComputationalGraph(networks.get("mazur"))
    assert [node.key for node in graph.forks()] == ["i1", "i2", "out_h1", "out_h2"]
    out_h1 = graph.nodes["out_h1"]
    (o1, via_o1), (o2, via_o2) = out_h1.contributions
    assert (o1, o2) == ("net_o1", "net_o2")
    assert via_o1 == pytest.approx(MAZUR_BACKWARD["dE_o1/dout_h1"], rel=1e-6)
    assert via_o2 == pytest.approx(MAZUR_BACKWARD["dE_o2/dout_h1"], rel=1e-6)
    assert out_h1.gradient == via_o1 + via_o2 == pytest.approx(MAZUR_BACKWARD["dE/dout_h1"], rel=1e-6)
    assert [e.symbol for e in graph.edges if e.child == "net_o1"] == ["w_{5}", "w_{7}"]
    assert not ComputationalGraph(networks.get("hidden-neuron")).forks()  # one path everywhere: nothing adds


def test_the_picture_writes_every_value_and_every_fork_as_a_sum():
    figure = plot_graph(networks.get("mazur"))
    texts = [t.get_text() for t in figure.axes[0].findobj(Text)]
    assert "$0.0554 + \\left(-0.019\\right)$\n$= 0.03635$" in texts  # out_h1: the paths through o1 and o2
    assert "$0.5933$" in texts and "$w_{5} = 0.4$" in texts and "$0.1385$" in texts
    plain = [t.get_text() for t in plot_graph(networks.get("mazur"), gradients=False).axes[0].findobj(Text)]
    assert "$0.1385$" not in plain and "$0.5933$" in plain
    with pytest.raises(TypeError, match="course network"):
        plot_graph("mazur")
