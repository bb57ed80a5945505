"""Training: the fast loop gives the old numbers bit for bit, mini-batches, and a history of bounded memory."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from legacy_training import legacy_train
from threadpoolctl import threadpool_limits

from course_lib import History, SigmoidNetwork, networks
from course_lib.training import minibatches, snapshot_stride

# -- the same numbers as before, to the last bit ---------------------------------------------------


@st.composite
def training_runs(draw):
    """A random network, one example or a data set, a learning rate (one or one per parameter), and steps."""
    sizes = tuple(draw(st.lists(st.integers(1, 5), min_size=2, max_size=5)))
    seed = draw(st.integers(0, 2**16))
    net = SigmoidNetwork.random(sizes, seed=seed)
    rng = np.random.default_rng(seed + 1)
    examples = draw(st.sampled_from([None, 1, 3, 8]))
    shape = () if examples is None else (examples,)
    x, target = rng.normal(0, 2, shape + (sizes[0],)), rng.random(shape + (sizes[-1],))
    if draw(st.booleans()):
        eta = draw(st.floats(0.01, 5.0))
    else:
        eta = ([rng.random(w.shape) for w in net.weights], [rng.random(b.shape) for b in net.biases])
    return net, x, target, eta, draw(st.booleans()), draw(st.integers(0, 30))


@settings(max_examples=60, deadline=None)
@given(training_runs())
def test_full_batch_training_gives_the_old_loops_numbers_bit_for_bit(run):
    net, x, target, eta, train_biases, steps = run
    history = net.train(x, target, eta, steps, train_biases)
    x, target = net._examples(x, target)
    with threadpool_limits(1, user_api="blas"):  # as course_lib trains (the thread count moves the last bits)
        errors, weights, biases = legacy_train(net, x, target, net._learning_rates(eta, train_biases), steps)
    assert np.array_equal(history.errors, errors)
    assert all(np.array_equal(a, b) for a, b in zip(history.weights + history.biases, weights + biases))


def test_the_lessons_networks_give_the_old_numbers_bit_for_bit():
    for name in networks.names():
        example = networks.get(name)
        history = example.train(200)
        x, target = example.network._examples(example.x, example.target)
        rates = example.network._learning_rates(example.eta, example.train_biases)
        errors, weights, _ = legacy_train(example.network, x, target, rates, 200)
        assert np.array_equal(history.errors, errors), name
        assert all(np.array_equal(a, b) for a, b in zip(history.weights, weights)), name


# -- mini-batches -----------------------------------------------------------------------------------


def test_minibatches_use_every_example_once_per_epoch_in_a_seeded_order():
    batches = minibatches(10, 4, seed=3)
    epochs = [[next(batches) for _ in range(3)] for _ in range(2)]
    for epoch in epochs:
        assert [len(b) for b in epoch] == [4, 4, 2]  # the last batch of an epoch holds the rest
        assert sorted(np.concatenate(epoch).tolist()) == list(range(10))
    assert not np.array_equal(np.concatenate(epochs[0]), np.concatenate(epochs[1]))  # shuffled anew each epoch
    again = minibatches(10, 4, seed=3)
    assert all(np.array_equal(next(again), b) for b in epochs[0] + epochs[1])
    other = minibatches(10, 4, seed=4)
    assert not all(np.array_equal(next(other), b) for b in epochs[0])


@settings(max_examples=25, deadline=None)
@given(
    st.integers(0, 2**16),
    st.integers(2, 12),
    st.integers(1, 12),
    st.integers(0, 25),
    st.sampled_from(["sigmoid", "softmax"]),
)
def test_a_mini_batch_step_is_a_step_on_its_batch(seed, examples, batch_size, steps, output):
    """Each step follows the mean gradient of the next batch of minibatches(); errors are over all data."""
    rng = np.random.default_rng(seed)
    net = SigmoidNetwork.random((3, 4, 2), seed=seed, output=output)
    X = rng.normal(0, 1, (examples, 3))
    T = np.eye(2)[rng.integers(0, 2, examples)] if output == "softmax" else rng.random((examples, 2))
    history = net.train(X, T, 1.5, steps, batch_size=batch_size, seed=seed)
    batches = minibatches(examples, min(batch_size, examples), seed=seed)
    stepped = net
    for k in range(steps + 1):
        assert history.errors[k] == pytest.approx(stepped.error(X, T), rel=1e-12)
        assert history.network_at(k).output == output
        for a, b in zip(history.network_at(k).weights, stepped.weights):
            np.testing.assert_allclose(a, b, rtol=1e-11, atol=1e-14)
        if batch_size >= examples:  # one batch of everything is full batch: not shuffled
            stepped = stepped.step(X, T, 1.5)
        else:
            rows = next(batches)
            stepped = stepped.step(X[rows], T[rows], 1.5)


def test_a_batch_of_the_whole_data_set_is_full_batch_bit_for_bit():
    X, T = np.random.default_rng(0).random((6, 3)), np.random.default_rng(1).random((6, 2))
    net = SigmoidNetwork.random((3, 4, 2))
    full = net.train(X, T, 2.0, 20)
    for batch_size in (6, 100):
        batched = net.train(X, T, 2.0, 20, batch_size=batch_size)
        assert np.array_equal(batched.errors, full.errors) and batched.network == full.network


def test_stochastic_gradient_descent_depends_on_its_seed_and_learns():
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    T = np.array([[0.0], [1.0], [1.0], [1.0]])  # OR
    net = SigmoidNetwork.random((2, 1), seed=1)
    a, b = net.train(X, T, 2.0, 400, batch_size=1, seed=0), net.train(X, T, 2.0, 400, batch_size=1, seed=1)
    assert a.network != b.network
    assert a.errors[-1] < 0.05 < a.errors[0] and b.errors[-1] < 0.05
    assert net.train(X, T, 2.0, 400, batch_size=1, seed=0).network == a.network  # seeded: reproducible


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda n, X, T: n.train(X[0], T[0], 1.0, 5, batch_size=1), ValueError, "batch_size needs a data set"),
        (lambda n, X, T: n.train(X, T, 1.0, 5, batch_size=0), ValueError, "at least 1"),
        (lambda n, X, T: n.train(X, T, 1.0, 5, batch_size=2.5), TypeError, "the batch size must be a whole number"),
        (lambda n, X, T: n.train(X, T, 1.0, 5, keep=1), ValueError, "at least 2"),
    ],
)
def test_bad_training_arguments_get_clear_errors(call, error, message):
    X, T = np.ones((4, 2)), np.ones((4, 1)) / 2
    with pytest.raises(error, match=message):
        call(SigmoidNetwork.random((2, 1)), X, T)


# -- a history of bounded memory --------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10**7), st.integers(2, 10**4))
def test_the_kept_steps_never_exceed_the_budget(steps, keep):
    stride = snapshot_stride(steps, keep)
    kept = np.unique(np.append(np.arange(0, steps + 1, stride), steps))
    assert len(kept) <= keep and kept[0] == 0 and kept[-1] == steps
    assert stride == 1 or len(np.unique(np.append(np.arange(0, steps + 1, stride - 1), steps))) > keep  # smallest


def test_the_default_budget_bounds_the_memory_of_a_large_network():
    """The issue's example: a 64-100-100-10 network, 10,000 steps, would hold 1.4 GB if every step were kept."""
    big = SigmoidNetwork.random((64, 100, 100, 10))
    parameters = sum(w.size + b.size for w, b in zip(big.weights, big.biases))
    keep = History.default_keep(big.weights)
    stride = snapshot_stride(10_000, keep)
    assert 10_001 * parameters * 8 > 1.4e9
    assert (10_000 // stride + 2) * parameters * 8 <= History.MEMORY
    small = SigmoidNetwork.random((2, 2, 2))
    assert snapshot_stride(10_000, History.default_keep(small.weights)) == 1  # the lessons keep every step


def test_a_long_run_keeps_every_error_and_some_networks():
    net = SigmoidNetwork.random((3, 4, 2), seed=2)
    x, target = np.array([0.1, 0.5, 0.9]), np.array([0.2, 0.8])
    everything = net.train(x, target, 0.5, 1000)
    thin = net.train(x, target, 0.5, 1000, keep=10)
    assert np.array_equal(thin.errors, everything.errors)  # every error, always
    assert len(thin.kept) <= 10 and thin.kept[0] == 0 and thin.kept[-1] == 1000
    assert thin.stride == 112 and thin.kept.tolist() == list(range(0, 1000, 112)) + [1000]
    for n, k in enumerate(thin.kept):  # what was kept is exactly what the full run has
        assert thin.network_at(int(k)) == everything.network_at(int(k))
        assert np.array_equal(thin.weights[0][n], everything.weights[0][k])
    assert thin.network == everything.network
    assert thin.nbytes == thin.errors.nbytes + 10 * 26 * 8  # 10 snapshots of 26 parameters
    assert repr(thin) == (
        "<History: 1000 steps of a network of sizes (3, 4, 2), error 0.0164949 -> 3.42816e-32; "
        "parameters kept after 10 of the steps (step 0, every 112 steps, the last)>"
    )
    with pytest.raises(ValueError, match=r"did not keep the network after step 500.* multiples of 112.* 448 and 560"):
        thin.network_at(500)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 60), min_size=1, max_size=8), st.integers(2, 12))
def test_joined_runs_stay_within_the_budget_and_keep_the_right_networks(pieces, keep):
    net = SigmoidNetwork.random((2, 3, 1), seed=5)
    x, target = np.array([0.3, 0.7]), np.array([0.9])
    whole = net.train(x, target, 1.0, sum(pieces))
    history = net.train(x, target, 1.0, 0, keep=keep)
    for steps in pieces:
        history = history.then(history.network.train(x, target, 1.0, steps, keep=keep))
        assert len(history.kept) <= keep and history.kept[-1] == history.steps and history.kept[0] == 0
    assert np.array_equal(history.errors, whole.errors)
    for k in history.kept:
        assert history.network_at(int(k)) == whole.network_at(int(k))


def test_a_history_of_softmax_networks_gives_softmax_networks():
    net = SigmoidNetwork.random((2, 3, 2), output="softmax")
    history = net.train([0.5, 0.1], [1.0, 0.0], 1.0, 3)
    assert history.network.output == "softmax" and history.output == "softmax"
    with pytest.raises(ValueError, match="cannot join"):
        history.then(SigmoidNetwork.random((2, 3, 2)).train([0.5, 0.1], [1.0, 0.0], 1.0, 3))
