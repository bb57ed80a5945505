"""The course's numbers held against published worked examples (nobody here wrote these tables)."""

import pytest

from course_lib import networks

# Matt Mazur, "A Step by Step Backpropagation Example" (2015): one step at eta = 0.5, biases not trained.
# His weights are named by the neurons they enter; the course's by the neurons they leave, so his w2 is
# our w3 and his w6 is our w7 (and the other way round).
MAZUR_TO_COURSE = {"w1": "w1", "w2": "w3", "w3": "w2", "w4": "w4", "w5": "w5", "w6": "w7", "w7": "w6", "w8": "w8"}
MAZUR_FORWARD = {
    "net_h1": 0.3775,
    "out_h1": 0.593269992,
    "out_h2": 0.596884378,
    "out_o1": 0.75136507,
    "out_o2": 0.772928465,
    "E_o1": 0.274811083,
    "E_o2": 0.023560026,
    "E_total": 0.298371109,
}
MAZUR_BACKWARD = {
    "dE/dout_o1": 0.74136507,
    "dout_o1/dnet_o1": 0.186815602,
    "dnet_o1/dw5": 0.593269992,
    "dE/dw5": 0.082167041,
    "dE_o1/dout_h1": 0.055399425,
    "dE_o2/dout_h1": -0.019049119,
    "dE/dout_h1": 0.036350306,
    "dout_h1/dnet_h1": 0.241300709,
    "dnet_h1/dw1": 0.05,
    "dE/dw1": 0.000438568,
}
MAZUR_NEW_WEIGHTS = {
    "w5": 0.35891648,
    "w6": 0.408666186,
    "w7": 0.511301270,
    "w8": 0.561370121,
    "w1": 0.149780716,
    "w2": 0.19956143,
    "w3": 0.24975114,
    "w4": 0.29950229,
}
# After 10,000 steps the error is 3.51019e-05 (recomputed). His post prints 0.0000351085, which is the
# error after 9,999 updates, and closing outputs 0.015912196 / 0.984065734 that came from an older
# version of his code; we hold the course to the recomputed values.
MAZUR_AFTER_10000 = 3.51019e-05
MAZUR_AFTER_9999 = 3.51085e-05

# Han, Kamber & Pei, Data Mining, the backpropagation example: one step at l = 0.9, biases trained.
# The book rounds at every step and carries the rounded values on, hence the absolute tolerance.
HAN = {"O4": 0.332, "O5": 0.525, "O6": 0.474, "Err6": 0.1311, "Err5": -0.0065, "Err4": -0.0087,
       "w46_new": -0.261, "w56_new": -0.138, "w14_new": 0.192, "w15_new": -0.306, "w24_new": 0.4,
       "w25_new": 0.1, "w34_new": -0.508, "w35_new": 0.194, "theta6_new": 0.218, "theta5_new": 0.194,
       "theta4_new": -0.408}  # fmt: skip
HAN_TOLERANCE = 5e-4


@pytest.fixture(scope="module")
def mazur():
    example = networks.get("mazur")
    # Mazur does not train his biases; the course's example does, which changes no weight of the first step.
    return example, example.quantities()


@pytest.mark.parametrize("key", list(MAZUR_FORWARD) + list(MAZUR_BACKWARD))
def test_mazur_forward_and_backward(mazur, key):
    _, q = mazur
    expected = (MAZUR_FORWARD | MAZUR_BACKWARD)[key]
    assert q[key] == pytest.approx(expected, rel=1e-6, abs=1e-9)


@pytest.mark.parametrize("his_name", list(MAZUR_NEW_WEIGHTS))
def test_mazur_new_weights_in_his_names(mazur, his_name):
    _, q = mazur
    assert q[MAZUR_TO_COURSE[his_name] + "_new"] == pytest.approx(MAZUR_NEW_WEIGHTS[his_name], rel=1e-6)


@pytest.mark.parametrize("his_name", list(MAZUR_NEW_WEIGHTS))
def test_mazur_step_with_frozen_biases(mazur, his_name):
    example, _ = mazur
    after = example.network.step(example.x, example.target, 0.5, train_biases=False)
    part, l, index = example.notation.locate(MAZUR_TO_COURSE[his_name])
    assert getattr(after, part)[l][index] == pytest.approx(MAZUR_NEW_WEIGHTS[his_name], rel=1e-6)
    assert [list(b) for b in after.biases] == [[0.35, 0.35], [0.6, 0.6]]


def test_mazur_ten_thousand_steps(mazur):
    example, _ = mazur
    history = example.network.train(example.x, example.target, 0.5, 10_000, train_biases=False)
    assert history.errors[0] == pytest.approx(0.298371109, rel=1e-8)
    assert history.errors[10_000] == pytest.approx(MAZUR_AFTER_10000, rel=1e-5)
    assert history.errors[9_999] == pytest.approx(MAZUR_AFTER_9999, rel=1e-5)


@pytest.mark.parametrize("key", list(HAN))
def test_han_kamber_one_step(key):
    q = networks.get("han-kamber").quantities()
    assert q[key] == pytest.approx(HAN[key], abs=HAN_TOLERANCE)


def test_han_kamber_err_is_minus_delta():
    q = networks.get("han-kamber").quantities()
    for unit in "456":
        assert q[f"Err{unit}"] == -q[f"delta{unit}"]
