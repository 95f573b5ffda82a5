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


@pytest.mark.parametrize("call, error, match", [
    (lambda: ewa_step("1.0", 2.0, 0.5), TypeError, "v must be a real number, got '1.0'"),
    (lambda: ewa_step(1.0, 1 + 2j, 0.5), TypeError, "a must be a real number"),
    (lambda: ewa_step(1.0, 2.0, 1.0), ValueError, r"beta must be in \[0.0, 1.0\), got 1.0"),
    (lambda: ewa_step(1.0, 2.0, float("nan")), ValueError, "beta must be a real number, got NaN"),
    (lambda: ewa_step(np.ones(2), np.ones(3), 0.5), ValueError, "v and a must have the same"),
    (lambda: ewa_step(np.array([1.0, np.nan]), 1.0, 0.5), ValueError, "v must contain only"),
    (lambda: bias_correct(1.0, 0.9, 0), ValueError, "t must be >= 1, got 0"),
    (lambda: bias_correct(1.0, 0.9, 1.5), TypeError, "t must be an integer"),
    (lambda: bias_correct(1.0, -0.1, 2), ValueError, r"beta must be in \[0.0, 1.0\)"),
    (lambda: bias_correct(1e308, 0.9, 1), ValueError, "overflowed to inf"),
    (lambda: bias_correct(1e300, 1 - 2.0 ** -53, 1), ValueError, "overflowed to inf"),
])
def test_public_steps_refuse_bad_input(call, error, match):
    # the old ewa_step / bias_correct computed on whatever came: "1.0" * 0.5 raised a raw
    # TypeError, 1 + 2j gave a complex average, t = 0 a ZeroDivisionError
    with pytest.raises(error, match=match):
        call()


def test_public_steps_keep_their_numbers():
    # the checks change nothing for good input: floats stay floats, arrays stay arrays
    assert ewa_step(3, 10, 0.7) == pytest.approx(0.7 * 3 + 0.3 * 10)
    assert isinstance(ewa_step(3.0, 10.0, 0.7), float)
    np.testing.assert_allclose(ewa_step(np.array([0.5, -2.0]), 1.0, 0.5), [0.75, -0.5])
    assert bias_correct(0.19, 0.9, 2) == pytest.approx(0.19 / (1 - 0.81))
    assert bias_correct(2.0, 0.5, 10**500) == 2.0   # beta**t underflows to 0: no correction


def test_bias_correct_takes_an_array_of_steps():
    # chapter 5 corrects a whole series at once: t = 1..T; by hand with beta = 0.5:
    # 5 / (1 - 0.5) = 10, 7.5 / (1 - 0.25) = 10
    np.testing.assert_allclose(bias_correct(np.array([5.0, 7.5]), 0.5, np.arange(1, 3)),
                               [10.0, 10.0])
    with pytest.raises(ValueError, match="t must hold integers >= 1"):
        bias_correct(np.ones(2), 0.5, np.array([0, 1]))
    with pytest.raises(ValueError, match="v and t must have the same shape"):
        bias_correct(np.ones(2), 0.5, np.arange(1, 4))
