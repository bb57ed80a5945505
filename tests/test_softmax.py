"""The softmax output and the cross-entropy: probabilities, no overflow, and delta = out - target."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from course_lib import SigmoidNetwork, cross_entropy, gradient_check, softmax

nets = arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(2, 6)), elements=st.floats(-800, 800))


@given(nets)
def test_softmax_gives_probabilities_for_any_net(net):
    out = softmax(net)
    assert out.shape == net.shape and np.all(out >= 0) and np.all(np.isfinite(out))
    np.testing.assert_allclose(out.sum(axis=-1), 1.0, rtol=1e-12)
    rows = np.arange(len(net))
    assert np.array_equal(out[rows, net.argmax(axis=-1)], out.max(axis=-1))  # the largest net wins


@given(nets, st.floats(-100, 100))
def test_adding_a_number_to_every_net_changes_nothing(net, c):
    np.testing.assert_allclose(softmax(net + c), softmax(net), rtol=1e-9, atol=1e-300)


def test_softmax_of_one_example_is_a_vector_and_matches_the_formula():
    net = np.array([1.0, 2.0, 0.5])
    np.testing.assert_allclose(softmax(net), np.exp(net) / np.exp(net).sum(), rtol=1e-15)
    assert softmax([1000.0, 0.0]).tolist() == [1.0, 0.0]  # e^1000 would overflow: no warning, no NaN


@given(nets)
def test_cross_entropy_is_minus_the_log_of_the_right_class(net):
    target = np.eye(net.shape[1])[np.arange(net.shape[0]) % net.shape[1]]
    errors = cross_entropy(net, target)
    assert errors.shape == (net.shape[0],) and np.all(np.isfinite(errors)) and np.all(errors >= 0)
    out = softmax(net)
    right = out[target == 1]
    safe = right > 1e-300  # where log of the rounded output is still meaningful
    np.testing.assert_allclose(errors[safe], -np.log(right[safe]), rtol=1e-9, atol=1e-12)


def test_cross_entropy_stays_finite_where_the_output_rounds_to_zero():
    assert softmax([0.0, 800.0])[0] == 0.0
    assert cross_entropy([0.0, 800.0], [1.0, 0.0]) == pytest.approx(800.0)


@settings(max_examples=50, deadline=None)
@given(arrays(np.float64, st.integers(2, 6), elements=st.floats(-5, 5)), st.integers(0, 2**16))
def test_the_chain_rule_through_softmax_and_cross_entropy_gives_out_minus_target(net, seed):
    """dE/dnet = J^T dE/dout with the softmax's Jacobian J = diag(out) - out out^T and dE/dout = -t/out."""
    target = np.random.default_rng(seed).dirichlet(np.ones(len(net)))  # any probabilities, not only one-hot
    out = softmax(net)
    jacobian = np.diag(out) - np.outer(out, out)  # d out_j / d net_i
    delta = jacobian.T @ (-target / out)
    np.testing.assert_allclose(delta, out - target, rtol=1e-9, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.integers(1, 4), min_size=1, max_size=3),
    st.integers(2, 4),
    st.integers(0, 2**16),
    st.sampled_from([None, 1, 5]),
)
def test_a_softmax_networks_backpropagation_passes_the_gradient_check(hidden, outputs, seed, examples):
    sizes = (3, *hidden, outputs)
    net = SigmoidNetwork.random(sizes, seed=seed, output="softmax")
    rng = np.random.default_rng(seed)
    shape = () if examples is None else (examples,)
    x = rng.normal(0, 1, shape + (3,))
    target = np.eye(outputs)[rng.integers(0, outputs, shape)]
    grads = net.backward(x, target)
    np.testing.assert_allclose(grads.delta[-1], net.forward(x).output - target, rtol=1e-15)  # BP1: out - target
    assert gradient_check(net, x, target).passed


def test_a_softmax_network_computes_and_learns_as_its_formulas_say():
    net = SigmoidNetwork.random((2, 3, 3), seed=1, output="softmax")
    x, target = np.array([0.4, -0.2]), np.array([0.0, 0.0, 1.0])
    record = net.forward(x)
    np.testing.assert_allclose(record.output, softmax(record.net[-1]), rtol=1e-15)
    assert net.error(x, target) == pytest.approx(-np.log(record.output[2]), rel=1e-12)
    history = net.train(x, target, 0.5, 30)
    stepped = net
    for k in range(31):
        assert history.errors[k] == pytest.approx(stepped.error(x, target), rel=1e-12)
        stepped = stepped.step(x, target, 0.5)
    assert history.errors[-1] < history.errors[0]
    assert repr(net) == "SigmoidNetwork(sizes=(2, 3, 3), output='softmax')"
    assert net != SigmoidNetwork(net.weights, net.biases)  # the same numbers, another output


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: SigmoidNetwork([[[1.0, 2.0]]], [[0.0]], output="softmax"), "at least two output neurons"),
        (lambda: SigmoidNetwork([[[1.0, 2.0]]], [[0.0]], output="relu"), "output must be one of"),
        (lambda: SigmoidNetwork.random((2, 2), output="softmax").error([1, 1], [0.5, 0.6]), "add up to 1"),
        (lambda: SigmoidNetwork.random((2, 2), output="softmax").error([1, 1], [1.5, -0.5]), "add up to 1"),
        (lambda: SigmoidNetwork.random((2, 2), weight_std=0), "weight_std must be greater than zero"),
    ],
)
def test_bad_softmax_networks_and_targets_get_clear_errors(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_weight_std_sets_the_spread_of_the_starting_weights():
    wide = SigmoidNetwork.random((400, 300, 2), seed=0, weight_std=1.0)
    scaled = SigmoidNetwork.random((400, 300, 2), seed=0)
    assert np.std(wide.weights[0]) == pytest.approx(1.0, rel=0.01)
    assert np.std(scaled.weights[0]) == pytest.approx(1 / np.sqrt(400), rel=0.01)
