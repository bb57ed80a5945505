"""The course's networks: their notation, and an answer key that agrees with the network's own arithmetic."""

import numpy as np
import pytest

from course_lib import SigmoidNetwork, check_answers, networks
from course_lib.notation import latex_name, layered_notation

ALL = networks.names()


def test_course_order():
    assert ALL == [
        "perceptron",
        "perceptron-bias",
        "two-inputs",
        "two-outputs",
        "hidden-neuron",
        "han-kamber",
        "mazur",
        "wider",
        "four-layers",
    ]
    sizes = [networks.get(n).network.sizes for n in ALL]
    assert sizes == [(1, 1), (1, 1), (2, 1), (2, 2), (1, 1, 1), (3, 2, 1), (2, 2, 2), (2, 3, 2), (2, 2, 2, 2)]


@pytest.mark.parametrize("name", ALL)
def test_example_fields(name):
    example = networks.get(name)
    assert example.name == name
    assert example.title and example.source
    assert example.x.dtype == np.float64 and example.eta > 0


def test_unknown_name_lists_the_course():
    with pytest.raises(KeyError, match="perceptron"):
        networks.get("perceptorn")


def test_the_main_texts_weight_names_follow_the_neurons_they_connect():
    n = layered_notation((2, 2, 2))
    connections = {
        "w1": ("i1", "h1"), "w2": ("i1", "h2"), "w3": ("i2", "h1"), "w4": ("i2", "h2"),
        "w5": ("h1", "o1"), "w6": ("h1", "o2"), "w7": ("h2", "o1"), "w8": ("h2", "o2"),
    }  # fmt: skip
    for name, (source, destination) in connections.items():
        part, l, (j, i) = n.locate(name)
        assert (n.neurons[l][i], n.neurons[l + 1][j]) == (source, destination)
    assert n.bias_names() == ["v11", "v12", "v21", "v22"]
    assert n.bias_inputs == (("b1", "b2"), ("b3", "b4"))


def test_mazur_in_the_main_texts_notation():
    q = networks.get("mazur").quantities()
    # net(h1) = w1 i1 + w3 i2 + v11 1 = 0.15 x 0.05 + 0.20 x 0.10 + 0.35 x 1; the main text calls that 1 "b1"
    assert (q["w1"], q["w3"], q["v11"], q["b1"]) == (0.15, 0.20, 0.35, 1.0)
    assert q["net_h1"] == pytest.approx(0.15 * 0.05 + 0.20 * 0.10 + 0.35 * 1)
    assert q["sig_h1"] == q["out_h1"]


def test_han_kamber_has_both_names_for_the_sign_conventions():
    q = networks.get("han-kamber").quantities()
    assert q["O6"] == q["a6"] and q["I6"] == q["net6"]
    assert q["Err6"] == -q["delta6"] > 0
    assert q["w46_new"] == pytest.approx(q["w46"] + q["eta"] * q["Err6"] * q["O4"], rel=1e-14)


def test_perceptron_uses_its_own_names():
    q = networks.get("perceptron").quantities()
    assert {"x", "w", "z", "y_hat", "y", "C", "alpha", "dC/dy_hat", "dy_hat/dz", "dz/dw", "dC/dw", "w_new"} <= set(q)
    assert "b" not in q and "dC/db" not in q
    assert q["dC/dw"] == pytest.approx(q["dC/dy_hat"] * q["dy_hat/dz"] * q["dz/dw"])
    q = networks.get("perceptron-bias").quantities()
    assert q["dz/db"] == 1.0 and q["b_new"] == pytest.approx(q["b"] - q["alpha"] * q["dC/db"])


@pytest.mark.parametrize("name", ALL)
def test_answer_key_agrees_with_the_networks_own_arithmetic(name):
    """quantities() (formula by formula) and forward/backward/step (matrices) are two separate computations."""
    example = networks.get(name)
    n, q = example.notation, example.quantities()
    record = example.network.forward(example.x)
    grads = example.network.backward(example.x, example.target)
    after = example.network.step(example.x, example.target, example.eta, example.train_biases)
    for l in range(1, len(n.sizes)):
        for j, neuron in enumerate(n.neurons[l]):
            assert q[n.name("net", neuron)] == pytest.approx(record.net[l][j], rel=1e-13, abs=1e-15)
            assert q[n.name("out", neuron)] == pytest.approx(record.out[l][j], rel=1e-13)
            assert q[n.name("delta", neuron)] == pytest.approx(grads.delta[l - 1][j], rel=1e-12, abs=1e-15)
    assert q[n.error] == pytest.approx(example.network.error(example.x, example.target), rel=1e-13)
    for p in n.parameter_names():
        part, l, index = n.locate(p)
        assert q[f"d{n.d}/d{p}"] == pytest.approx(getattr(grads, part)[l][index], rel=1e-12, abs=1e-15)
        if f"{p}_new" in q:
            assert q[f"{p}_new"] == pytest.approx(getattr(after, part)[l][index], rel=1e-13)
    assert q[f"{n.error}_new"] == pytest.approx(after.error(example.x, example.target), rel=1e-13)


@pytest.mark.parametrize("name", ALL)
def test_answer_key_is_complete(name):
    example = networks.get(name)
    n, q = example.notation, example.quantities()
    for l in range(1, len(n.sizes)):
        for neuron in n.neurons[l]:
            out, net = n.name("out", neuron), n.name("net", neuron)
            for key in (net, out, n.name("delta", neuron), f"d{n.d}/d{out}", f"d{out}/d{net}"):
                assert key in q, key
    for p in n.parameter_names():
        assert p in q and f"d{n.d}/d{p}" in q
        assert (f"{p}_new" in q) == (p in n.weight_names() or example.train_biases)
    assert n.error in q and n.eta in q
    assert all(isinstance(v, float) and np.isfinite(v) for v in q.values())


def test_quantities_follow_another_network():
    example = networks.get("mazur")
    moved = example.with_values({"w5": 0.5})
    assert moved.quantities()["w5"] == 0.5
    assert example.quantities(moved.network)["net_o1"] == pytest.approx(moved.quantities()["net_o1"])
    assert example.quantities()["w5"] == 0.40  # the original is unchanged
    with pytest.raises(TypeError, match=r"sizes \(2, 2, 2\)"):
        example.quantities(SigmoidNetwork.random((2, 1)))


def test_with_values_by_name():
    example = networks.get("mazur").with_values({"i1": 1.0, "target_o2": 0.5, "eta": 0.1, "v22": -1.0})
    assert example.x[0] == 1.0 and example.target[1] == 0.5 and example.eta == 0.1
    assert example.network.biases[1][1] == -1.0
    with pytest.raises(KeyError, match="no parameter named 'w9'"):
        example.with_values({"w9": 1.0})
    with pytest.raises(KeyError, match="sig_h1 is worked out from the other numbers"):
        example.with_values({"sig_h1": 0.5})
    with pytest.raises(TypeError, match="the value of w1 must be a number"):
        example.with_values({"w1": "big"})


def test_networks_without_biases_keep_them_at_zero():
    example = networks.get("two-outputs")
    assert not example.train_biases
    assert all(np.all(b == 0) for b in example.step().network.biases)
    with pytest.raises(ValueError, match="biases must be 0"):
        example.with_values({}, network=SigmoidNetwork(example.network.weights, [[1.0, 1.0]]))


def test_step_and_train_of_an_example():
    example = networks.get("han-kamber")
    assert example.step().quantities()["w46"] == pytest.approx(example.quantities()["w46_new"])
    history = example.train(3)
    assert history.steps == 3 and history.errors[1] == pytest.approx(example.quantities()["E_total_new"])


@pytest.mark.parametrize(
    "key, latex",
    [
        ("w5", "w_{5}"),
        ("v21", "v_{21}"),
        ("theta4", r"\theta_{4}"),
        ("net_h1", r"\mathrm{net}_{h1}"),
        ("E_total", "E_{total}"),
        ("delta_o1", r"\delta_{o1}"),
        ("y_hat", r"\hat{y}"),
        ("w5_new", "w_{5}^{+}"),
        ("dE/dw5", r"\frac{\partial E_{total}}{\partial w_{5}}"),
        ("dout_o1/dnet_o1", r"\frac{\partial \mathrm{out}_{o1}}{\partial \mathrm{net}_{o1}}"),
    ],
)
def test_latex_names(key, latex):
    assert latex_name(key, {"E": "E_{total}"}) == latex


def test_learning_rates_by_name():
    example = networks.get("mazur")
    weights, biases = example.learning_rates({"w5": 1.0, "v21": 0.0}, default=0.1)
    assert weights[1][0, 0] == 1.0 and weights[0][0, 0] == 0.1 and biases[1][0] == 0.0
    after = example.network.step(example.x, example.target, (weights, biases))
    grads = example.network.backward(example.x, example.target)
    assert after.weights[1][0, 0] == pytest.approx(0.4 - grads.weights[1][0, 0])
    assert after.biases[1][0] == 0.6  # frozen
    assert example.train(5, eta=(weights, biases)).steps == 5
    with pytest.raises(KeyError, match="no parameter named 'w9'"):
        example.learning_rates({"w9": 1.0})


def test_the_bias_input_is_written_1_and_its_old_name_still_works():
    example = networks.get("mazur")
    n = example.notation
    assert n.bias_input_names() == ["b1", "b2", "b3", "b4"]
    assert example.latex("b3") == n.latex("b3") == "1"
    assert example.latex("v21") == "v_{21}" and example.latex("b") == "b"  # only the bias inputs change
    assert networks.get("perceptron-bias").latex("b") == "b"  # the perceptron's b is its bias, and stays b
    report = check_answers(example, {"b1": 1, "b4": 0})  # answers under the old names are still checked
    assert (report["b1"].status, report["b4"].status) == ("correct", "incorrect")
    hint = check_answers(example, {"net_h1": 0.5})["net_h1"].hint
    assert r"v_{11} \cdot 1" in hint and "b_{" not in hint
