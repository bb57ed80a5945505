"""A parameter by its name: the one home of reading and writing w5, v21, theta6 in networks and gradients."""

import numpy as np
import pytest

from course_lib import networks
from course_lib.notation import parameter_series, read_parameter, write_parameter


def test_a_parameter_is_read_from_a_network_its_gradients_and_a_pair():
    mazur = networks.get("mazur")
    n, network = mazur.notation, mazur.network
    grads = network.backward(mazur.x, mazur.target)
    assert n.value(network, "w5") == 0.40 and n.value(network, "w7") == 0.45 and n.value(network, "v21") == 0.60
    assert n.value(grads, "w5") == pytest.approx(0.082167041)
    assert n.value((grads.weights, grads.biases), "w5") == n.value(grads, "w5")
    assert read_parameter(network, n.locate("w6")) == float(network.weights[1][1, 0])


def test_a_parameter_is_written_into_a_pair_of_arrays_and_a_history_gives_its_series():
    mazur = networks.get("mazur")
    n = mazur.notation
    pair = ([np.array(w) for w in mazur.network.weights], [np.array(b) for b in mazur.network.biases])
    n.set_value(pair, "w3", 0.7)
    n.set_value(pair, "v12", -0.1)
    assert pair[0][0][0, 1] == 0.7 and pair[1][0][1] == -0.1
    write_parameter(pair, n.locate("w8"), 0.9)
    assert pair[0][1][1, 1] == 0.9
    history = mazur.train(3)
    series = parameter_series(history, n.locate("w5"))
    assert series.shape == (4,) and series[0] == 0.40
    assert series[1] == pytest.approx(mazur.step().network.weights[1][0, 0])
    with pytest.raises(KeyError, match="no parameter named 'w9'"):
        n.value(mazur.network, "w9")


def test_a_parameter_series_has_one_value_per_kept_step():
    """parameter_series follows history.kept: every step while all are kept, else the kept ones only."""
    mazur = networks.get("mazur")
    place = mazur.notation.locate("w5")
    long = mazur.network.train(mazur.x, mazur.target, mazur.eta, 50, keep=6)
    series = parameter_series(long, place)
    assert len(long.kept) < 51 and series.shape == (len(long.kept),) and long.kept[0] == 0 and long.kept[-1] == 50
    for value, step in zip(series, long.kept):
        assert value == read_parameter(long.network_at(int(step)), place)
    assert series[0] == read_parameter(mazur.network, place)
