"""EWA helpers against hand-computed numbers and closed forms."""
import numpy as np
import pytest

from course_lib.moving_averages import bias_correct, ewa_series, ewa_step, ewa_window


def test_lecture_worked_example():
    # beta = 0.5, a = 10, 10: v1 = 0.5*0 + 0.5*10 = 5, v2 = 0.5*5 + 0.5*10 = 7.5;
    # corrected: 7.5 / (1 - 0.5^2) = 10
    assert ewa_step(0.0, 10.0, 0.5) == 5.0
    assert ewa_step(5.0, 10.0, 0.5) == 7.5
    assert bias_correct(7.5, 0.5, 2) == 10.0
    np.testing.assert_array_equal(ewa_series([10.0, 10.0], 0.5), [5.0, 7.5])


def test_constant_series_closed_form():
    # v_t of a constant c is c * (1 - beta^t); bias correction recovers c exactly (up to rounding)
    beta, c, T = 0.95, 3.0, 200
    t = np.arange(1, T + 1)
    np.testing.assert_allclose(ewa_series(np.full(T, c), beta), c * (1 - beta**t), rtol=1e-12)
    np.testing.assert_allclose(ewa_series(np.full(T, c), beta, bias_correction=True), c, rtol=1e-12)


def test_series_is_weighted_sum():
    # v_T = (1 - beta) * sum_i beta^(T - i) a_i: the weights decay geometrically into the past
    rng = np.random.default_rng(1)
    a = rng.standard_normal(50)
    for beta in (0.1, 0.5, 0.9, 0.999):
        weights = (1 - beta) * beta ** np.arange(49, -1, -1)
        assert ewa_series(a, beta)[-1] == pytest.approx(weights @ a, rel=1e-12, abs=1e-15)


def test_beta_zero_follows_the_series():
    a = np.array([1.0, -2.0, 7.0])
    np.testing.assert_array_equal(ewa_series(a, 0.0), a)


def test_window():
    assert ewa_window(0.9) == pytest.approx(10.0)
    assert ewa_window(0.98) == pytest.approx(50.0)
    assert ewa_window(0.0) == 1.0


@pytest.mark.parametrize("beta", [0.0, 0.1, 0.5, 0.9, 0.95, 0.98, 0.999])
def test_what_the_window_means(beta):
    # the weights (1 - beta) beta^k older than the window add up to beta^N <= 1/e, so the last
    # ceil(N) values carry at least 1 - 1/e of them; a jump is 63 % covered within ceil(N) steps
    n = ewa_window(beta)
    assert beta ** n <= np.exp(-1) + 1e-15
    k = np.arange(100_000)
    weights = (1 - beta) * beta ** k
    assert weights[:int(np.ceil(n - 1e-9))].sum() >= 1 - np.exp(-1)
    jump = np.r_[np.zeros(10), np.ones(int(np.ceil(n - 1e-9)))]
    assert ewa_series(jump, beta, bias_correction=True)[-1] >= 1 - np.exp(-1) - 1e-12
    # for noise the EWA is worth (1 + beta) / (1 - beta) values: 1 / sum of squared weights
    assert 1 / (weights ** 2).sum() == pytest.approx((1 + beta) / (1 - beta), rel=1e-9)


def test_empty_series():
    assert ewa_series([], 0.9, bias_correction=True).shape == (0,)


@pytest.mark.parametrize("beta, match", [
    (1.0, r"beta must be in \[0.0, 1.0\), got 1.0"),
    (-0.1, r"beta must be in \[0.0, 1.0\), got -0.1"),
    (float("nan"), "beta must be a real number, got NaN"),
    ("0.9", "beta must be a real number, got '0.9' of type str"),
])
def test_bad_beta(beta, match):
    with pytest.raises((ValueError, TypeError), match=match):
        ewa_series([1.0], beta)
    with pytest.raises((ValueError, TypeError), match=match):
        ewa_window(beta)


def test_bad_series():
    with pytest.raises(ValueError, match="a must have 1 dimension"):
        ewa_series(np.ones((2, 2)), 0.5)
    with pytest.raises(ValueError, match="a must contain only finite numbers, found NaN"):
        ewa_series([1.0, np.nan], 0.5)
    with pytest.raises(TypeError, match="a must be a NumPy array"):
        ewa_series("abc", 0.5)
    with pytest.raises(TypeError, match="bias_correction must be True or False"):
        ewa_series([1.0], 0.5, bias_correction="yes")
