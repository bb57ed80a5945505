"""The sigmoid network: shapes, forward pass, error, backpropagation, steps, training, and bad input."""

import numpy as np
import pytest

from course_lib import SigmoidNetwork, numerical_gradient, sigmoid

MAZUR_W = [[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]]
MAZUR_B = [[0.35, 0.35], [0.60, 0.60]]
X, T = [0.05, 0.10], [0.01, 0.99]


@pytest.fixture
def net():
    return SigmoidNetwork(MAZUR_W, MAZUR_B)


def test_sizes_and_shapes(net):
    assert net.sizes == (2, 2, 2)
    wide = SigmoidNetwork.random((3, 4, 2))
    assert wide.sizes == (3, 4, 2)
    assert [w.shape for w in wide.weights] == [(4, 3), (2, 4)]
    assert [b.shape for b in wide.biases] == [(4,), (2,)]
    assert all(a.dtype == np.float64 for a in wide.weights + wide.biases)


def test_random_is_seeded():
    assert SigmoidNetwork.random((2, 3, 1), seed=4) == SigmoidNetwork.random((2, 3, 1), seed=4)
    assert SigmoidNetwork.random((2, 3, 1), seed=4) != SigmoidNetwork.random((2, 3, 1), seed=5)


def test_forward_follows_nielsens_convention(net):
    record = net.forward(X)
    # weights[0][j, i] connects input i to hidden neuron j: net_h1 = 0.15*0.05 + 0.20*0.10 + 0.35
    assert record.net[1][0] == pytest.approx(0.15 * 0.05 + 0.20 * 0.10 + 0.35)
    assert record.out[0].tolist() == X and record.net[0].tolist() == X
    np.testing.assert_allclose(record.out[1], sigmoid(record.net[1]))
    np.testing.assert_allclose(record.net[2], np.array(MAZUR_W[1]) @ record.out[1] + MAZUR_B[1])
    assert record.output is record.out[-1]


def test_error_is_half_sum_of_squares(net):
    out = net.forward(X).output
    assert net.error(X, T) == pytest.approx(0.5 * ((np.array(T) - out) ** 2).sum(), rel=1e-15)


def test_backward_matches_centred_differences(net):
    grads = net.backward(X, T)
    for l in range(2):
        for part in ("weights", "biases"):

            def error_with(value, l=l, part=part):
                params = {"weights": list(net.weights), "biases": list(net.biases)}
                params[part][l] = value
                return SigmoidNetwork(params["weights"], params["biases"]).error(X, T)

            expected = numerical_gradient(error_with, getattr(net, part)[l])
            np.testing.assert_allclose(getattr(grads, part)[l], expected, rtol=1e-6, atol=1e-10)


def test_deltas_are_derivatives_with_respect_to_net(net):
    grads = net.backward(X, T)
    record = net.forward(X)
    # the output delta, by the chain rule written out: dE/dout * dout/dnet
    out = record.output
    np.testing.assert_allclose(grads.delta[-1], (out - T) * out * (1 - out))
    np.testing.assert_allclose(grads.biases[0], grads.delta[0])
    np.testing.assert_allclose(grads.weights[1], np.outer(grads.delta[1], record.out[1]))


def test_step_returns_a_new_network_and_leaves_the_old_one(net):
    before = [a.copy() for a in net.weights + net.biases]
    after = net.step(X, T, 0.5)
    assert after is not net and after != net
    assert all(np.array_equal(a, b) for a, b in zip(before, net.weights + net.biases))
    with pytest.raises(ValueError):
        net.weights[0][0, 0] = 1.0  # a network's arrays are read-only


def test_step_uses_the_old_weights_for_every_gradient(net):
    grads = net.backward(X, T)  # all from the old network
    after = net.step(X, T, 0.5)
    for l in range(2):
        np.testing.assert_allclose(after.weights[l], net.weights[l] - 0.5 * grads.weights[l], rtol=1e-15)
        np.testing.assert_allclose(after.biases[l], net.biases[l] - 0.5 * grads.biases[l], rtol=1e-15)


def test_step_can_freeze_the_biases(net):
    after = net.step(X, T, 0.5, train_biases=False)
    assert all(np.array_equal(a, b) for a, b in zip(after.biases, net.biases))
    assert not np.array_equal(after.weights[1], net.weights[1])


def test_per_parameter_learning_rates(net):
    grads = net.backward(X, T)
    rates_w = [np.zeros((2, 2)), np.array([[1.0, 0.0], [0.0, 0.0]])]  # train only w5 (h1 -> o1)
    after = net.step(X, T, (rates_w, [0.0, 0.0]))
    assert after.weights[1][0, 0] == pytest.approx(0.40 - grads.weights[1][0, 0])
    changed = [not np.array_equal(a, b) for a, b in zip(after.weights + after.biases, net.weights + net.biases)]
    assert changed == [False, True, False, False]
    assert np.count_nonzero(after.weights[1] != net.weights[1]) == 1


def test_train_gives_the_same_numbers_as_repeated_steps(net):
    history = net.train(X, T, 0.5, 25)
    stepped = net
    for k in range(25):
        assert history.errors[k] == pytest.approx(stepped.error(X, T), rel=1e-13)
        stepped = stepped.step(X, T, 0.5)
    for a, b in zip(history.network.weights + history.network.biases, stepped.weights + stepped.biases):
        np.testing.assert_allclose(a, b, rtol=1e-13)
    assert history.steps == 25 and len(history.errors) == 26
    assert history.weights[1].shape == (26, 2, 2) and history.biases[0].shape == (26, 2)
    assert history.network_at(0) == net


def test_train_with_per_parameter_rates_matches_steps(net):
    rates = ([0.5, np.array([[2.0, 0.1], [0.0, 1.0]])], [0.5, 0.0])
    history = net.train(X, T, rates, 3)
    stepped = net.step(X, T, rates).step(X, T, rates).step(X, T, rates)
    for a, b in zip(history.network.weights + history.network.biases, stepped.weights + stepped.biases):
        np.testing.assert_allclose(a, b, rtol=1e-13)


def test_training_on_a_data_set_uses_the_mean_error():
    data = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    targets = np.array([[0.0], [1.0], [1.0], [1.0]])  # OR
    net = SigmoidNetwork.random((2, 1), seed=1)
    mean = np.mean([net.error(x, t) for x, t in zip(data, targets)])
    assert net.error(data, targets) == pytest.approx(mean, rel=1e-14)
    grads = net.backward(data, targets)
    per_example = [net.backward(x, t) for x, t in zip(data, targets)]
    np.testing.assert_allclose(grads.weights[0], np.mean([g.weights[0] for g in per_example], axis=0))
    np.testing.assert_allclose(grads.delta[0], np.array([g.delta[0] for g in per_example]))
    history = net.train(data, targets, 2.0, 2000)
    assert history.errors[-1] < 0.02 < history.errors[0]
    stepped = net.step(data, targets, 2.0).step(data, targets, 2.0)
    np.testing.assert_allclose(net.train(data, targets, 2.0, 2).network.weights[0], stepped.weights[0], rtol=1e-13)


def test_one_input_networks_accept_a_plain_number():
    net = SigmoidNetwork([[[0.3]]], [[0.0]])
    assert net.forward(2.0).output[0] == pytest.approx(sigmoid(0.6))
    assert net.error(2.0, 1.0) == pytest.approx(0.5 * (1 - sigmoid(0.6)) ** 2)


BAD_NETWORKS = [
    (([[[1.0, 2.0]], [[1.0, 2.0]]], [[0.0], [0.0]]), ValueError, r"weights\[1\] must have 1 columns"),
    (([[[1.0, 2.0]]], [[0.0, 1.0]]), ValueError, r"biases\[0\] must have shape \(1,\)"),
    (([[[1.0, 2.0]]], []), ValueError, "one bias vector is needed per weight matrix"),
    (([[1.0, 2.0]], [[0.0]]), ValueError, r"weights\[0\] must be a matrix \(2-D\)"),
    (([[[1.0, np.nan]]], [[0.0]]), ValueError, r"weights\[0\] contains NaN or infinity"),
    (([[[1.0, 2.0]]], [[np.inf]]), ValueError, r"biases\[0\] contains NaN or infinity"),
    (([[["a", "b"]]], [[0.0]]), TypeError, r"weights\[0\] must be a number or an array of numbers"),
    (([[[1.0, 2.0], [3.0]]], [[0.0, 0.0]]), TypeError, "regular array"),
    (([], []), ValueError, "at least one layer"),
    ((np.ones((2, 2)), [[0.0, 0.0]]), TypeError, "one matrix per layer"),
]


@pytest.mark.parametrize("args, error, message", BAD_NETWORKS)
def test_bad_networks_get_clear_errors(args, error, message):
    with pytest.raises(error, match=message):
        SigmoidNetwork(*args)


BAD_CALLS = [
    (lambda n: n.forward([1.0, 2.0, 3.0]), ValueError, r"the input x must have 2 values .* got shape \(3,\)"),
    (lambda n: n.error(X, [0.5]), ValueError, r"the target must have 2 values"),
    (lambda n: n.error([[0.1, 0.2]] * 3, [[0.1, 0.2]] * 2), ValueError, "the same examples"),
    (lambda n: n.backward([np.nan, 0.1], T), ValueError, "the input x contains NaN or infinity"),
    (lambda n: n.backward(X, [0.0, np.inf]), ValueError, "the target contains NaN or infinity"),
    (lambda n: n.forward("0.05, 0.1"), TypeError, "the input x must be a number or an array of numbers"),
    (lambda n: n.forward(None), TypeError, "the input x must be a number or an array of numbers"),
    (lambda n: n.step(X, T, 0), ValueError, "the learning rate eta must be greater than zero, got 0"),
    (lambda n: n.step(X, T, -0.5), ValueError, "the learning rate eta must be greater than zero"),
    (lambda n: n.step(X, T, np.nan), ValueError, "the learning rate eta contains NaN"),
    (lambda n: n.step(X, T, "fast"), TypeError, "the learning rate eta must be a number"),
    (lambda n: n.step(X, T, [0.1, 0.2]), ValueError, "the learning rate eta must be a single number"),
    (lambda n: n.step(X, T, ([0.1, -0.1], [0.1, 0.1])), ValueError, "must not be negative"),
    (lambda n: n.step(X, T, ([0.0, 0.0], [0.0, 0.0])), ValueError, "at least one learning rate"),
    (lambda n: n.step(X, T, ([np.ones(3), 0.1], [0.1, 0.1])), ValueError, r"must be a number or have shape \(2, 2\)"),
    (lambda n: n.train(X, T, 0.5, -1), ValueError, "the number of steps must be zero or more, got -1"),
    (lambda n: n.train(X, T, 0.5, 2.5), TypeError, "the number of steps must be a whole number"),
    (lambda n: n.train(X, T, 0.0, 10), ValueError, "the learning rate eta must be greater than zero"),
    (lambda n: n.train(X, T, 0.5, 10).network_at(11), ValueError, "at most 10"),
]


@pytest.mark.parametrize("call, error, message", BAD_CALLS)
def test_bad_calls_get_clear_errors(net, call, error, message):
    with pytest.raises(error, match=message):
        call(net)


def test_random_rejects_bad_sizes():
    with pytest.raises(ValueError, match="at least two layers"):
        SigmoidNetwork.random((3,))
    with pytest.raises(TypeError, match="whole number"):
        SigmoidNetwork.random((2, 1.5))
    with pytest.raises(TypeError, match="list of layer sizes"):
        SigmoidNetwork.random(3)
