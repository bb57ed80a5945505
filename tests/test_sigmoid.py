import warnings

import numpy as np
import pytest

from course_lib import numerical_gradient, sigmoid, sigmoid_prime


def test_values():
    assert sigmoid(0) == 0.5
    assert sigmoid(0.3775) == pytest.approx(0.593269992, rel=1e-9)
    assert sigmoid(-2.0) == pytest.approx(1 / (1 + np.exp(2.0)), rel=1e-15)


def test_vectorised_and_float64():
    z = np.array([[-1.0, 0.0], [1.0, 2.0]])
    s = sigmoid(z)
    assert s.shape == (2, 2) and s.dtype == np.float64
    np.testing.assert_allclose(s, 1 / (1 + np.exp(-z)), rtol=1e-15)
    assert sigmoid([1, 2]).dtype == np.float64  # integers in, float64 out


def test_no_overflow_for_large_z():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert sigmoid(1000.0) == 1.0
        assert sigmoid(-1000.0) == 0.0
        assert sigmoid_prime(1000.0) == 0.0
        assert sigmoid_prime(-1000.0) == 0.0


@pytest.mark.parametrize("z", [-30.0, -5.0, -0.5, 0.0, 0.7, 4.0, 30.0])
def test_derivative_is_sigmoid_times_one_minus_sigmoid(z):
    s = sigmoid(z)
    assert sigmoid_prime(z) == pytest.approx(s * (1 - s), rel=1e-12 if abs(z) < 20 else 1e-3)
    assert sigmoid_prime(z) == pytest.approx(numerical_gradient(lambda a: sigmoid(a[0]), [z])[0], rel=1e-6)


def test_derivative_keeps_precision_where_sigmoid_is_close_to_one():
    # sigmoid'(30) = e^-30 / (1 + e^-30)^2, to full relative precision
    assert sigmoid_prime(30.0) == pytest.approx(np.exp(-30.0) / (1 + np.exp(-30.0)) ** 2, rel=1e-14)
