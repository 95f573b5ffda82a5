"""Tests for course_lib.data: generators, iterations per epoch, the mini-batch iterator."""
import math

import numpy as np
import pytest

from course_lib.data import (
    Dataset, iterations_per_epoch, make_classification, make_large, make_moons, make_regression,
    minibatches,
)

GENERATORS = [
    lambda rng: make_regression(n=50, d=3, rng=rng),
    lambda rng: make_classification(n=50, d=3, rng=rng),
    lambda rng: make_moons(n=50, rng=rng),
    lambda rng: make_large(n=50, d=3, rng=rng),
    lambda rng: make_large(n=50, d=3, rng=rng, task="regression"),
]


# ---- generators -----------------------------------------------------------------------------
@pytest.mark.parametrize("make", GENERATORS)
def test_generators_shapes_dtypes_and_seeds(make):
    a, b, c = make(0), make(0), make(1)
    assert isinstance(a, Dataset)
    assert a.X.shape == (50, a.d) and a.y.shape == (50,) and a.n == 50
    assert a.X.dtype == np.float64 and a.y.dtype == np.float64
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.y, b.y)
    assert not np.array_equal(a.X, c.X)
    assert np.all(np.isfinite(a.X)) and np.all(np.isfinite(a.y))


@pytest.mark.parametrize("make", GENERATORS)
def test_generators_accept_a_generator(make):
    a = make(np.random.default_rng(7))
    b = make(np.random.default_rng(7))
    np.testing.assert_array_equal(a.X, b.X)


def test_make_regression_without_noise_is_exactly_linear():
    data = make_regression(n=30, d=4, noise=0.0, rng=3)
    expected = np.array([sum(row[j] * data.w_true[j] for j in range(4)) + data.b_true
                         for row in data.X])
    np.testing.assert_allclose(data.y, expected, rtol=1e-12, atol=1e-12)
    assert data.true_params["W"].shape == (4,) and data.true_params["b"].shape == (1,)


def test_make_regression_noise_has_the_requested_std():
    data = make_regression(n=20_000, d=2, noise=0.5, rng=0)
    residual = data.y - data.X @ data.w_true - data.b_true
    assert abs(residual.std() - 0.5) < 0.02  # std error of the std: 0.5 / sqrt(2 n) = 0.0025
    assert abs(residual.mean()) < 0.02


def test_make_classification_blobs_sit_at_plus_minus_half_separation():
    data = make_classification(n=20_000, d=4, separation=3.0, rng=0)
    assert data.y.sum() == 10_000
    u = np.ones(4) / 2.0  # (1, 1, 1, 1) / sqrt(4)
    np.testing.assert_allclose(data.X[data.y == 1].mean(axis=0), 1.5 * u, atol=0.05)
    np.testing.assert_allclose(data.X[data.y == 0].mean(axis=0), -1.5 * u, atol=0.05)
    np.testing.assert_allclose(data.w_true, 3.0 * u)
    assert data.b_true == 0.0


def test_make_moons_without_noise_lies_on_the_two_arcs():
    data = make_moons(n=200, noise=0.0, rng=0)
    upper, lower = data.X[data.y == 0], data.X[data.y == 1]
    assert len(upper) == len(lower) == 100
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0)
    assert np.all(upper[:, 1] >= -1e-12)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1.0, lower[:, 1] - 0.5), 1.0)
    assert np.all(lower[:, 1] <= 0.5 + 1e-12)


def test_make_large_shape_dtype_and_seed():
    a = make_large(n=20_000, d=20, rng=5)
    b = make_large(n=20_000, d=20, rng=5)
    assert a.X.shape == (20_000, 20) and a.X.dtype == np.float64
    assert a.y.shape == (20_000,) and a.y.dtype == np.float64
    assert a.X.flags["C_CONTIGUOUS"]
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.y, b.y)


def test_make_large_labels_follow_the_logistic_model():
    data = make_large(n=200_000, d=5, rng=1)
    assert set(np.unique(data.y).tolist()) == {0.0, 1.0}
    z = data.X @ data.w_true + data.b_true
    p = 1.0 / (1.0 + np.exp(-z))
    # The number of ones is a sum of independent Bernoulli(p_i): mean sum(p), var sum(p (1 - p)).
    assert abs(data.y.sum() - p.sum()) < 5 * math.sqrt(np.sum(p * (1 - p)))
    assert abs(data.X.std() - 1.0) < 0.01 and abs(np.std(z) - 2.0) < 0.5


def test_make_large_regression_noise():
    data = make_large(n=100_000, d=4, rng=2, task="regression")
    residual = data.y - data.X @ data.w_true - data.b_true
    assert abs(residual.std() - 0.5) < 0.01


# ---- epochs and iterations ------------------------------------------------------------------
@pytest.mark.parametrize("n, b, expected", [
    (10_000, 1000, 10), (10_000, 1, 10_000), (50_000, 128, 391), (10_000, None, 1),
    (10_000, 10_000, 1), (7, 3, 3), (1, 1, 1),
])
def test_iterations_per_epoch(n, b, expected):
    assert iterations_per_epoch(n, b) == expected


def _toy(n=23, d=2):
    X = np.arange(n * d, dtype=float).reshape(n, d)
    return X, np.arange(n, dtype=float)


def test_minibatches_cover_each_record_once_and_keep_rows_paired():
    X, y = _toy()
    batches = list(minibatches(X, y, 5, rng=np.random.default_rng(0)))
    assert [len(yb) for _, yb in batches] == [5, 5, 5, 5, 3]  # last one: 23 % 5
    seen = np.concatenate([yb for _, yb in batches])
    assert sorted(seen.tolist()) == list(range(23))
    for Xb, yb in batches:
        np.testing.assert_array_equal(Xb, X[yb.astype(int)])


def test_minibatches_reshuffle_every_epoch_and_repeat_with_the_seed():
    X, y = _toy()
    gen = np.random.default_rng(1)
    first = np.concatenate([yb for _, yb in minibatches(X, y, 4, rng=gen)])
    second = np.concatenate([yb for _, yb in minibatches(X, y, 4, rng=gen)])
    assert not np.array_equal(first, second)
    assert sorted(second.tolist()) == list(range(23))
    again = np.random.default_rng(1)
    np.testing.assert_array_equal(
        first, np.concatenate([yb for _, yb in minibatches(X, y, 4, rng=again)]))
    np.testing.assert_array_equal(
        second, np.concatenate([yb for _, yb in minibatches(X, y, 4, rng=again)]))


def test_minibatches_in_order_without_shuffle_and_full_batch_without_copy():
    X, y = _toy(7)
    assert [yb.tolist() for _, yb in minibatches(X, y, 3, rng=0, shuffle=False)] == \
        [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0]]
    ((Xb, yb),) = list(minibatches(X, y, None, rng=0))
    assert Xb is X and yb is y
    assert len(list(minibatches(X, y, 1, rng=0))) == 7


def test_minibatches_checks_eagerly():
    X, y = _toy()
    with pytest.raises(ValueError, match="batch_size"):
        minibatches(X, y, 0, rng=0)  # raises on the call, not on the first next()


# ---- one test per validation message ----------------------------------------------------------
@pytest.mark.parametrize("call, error, match", [
    (lambda: make_regression(n=0), ValueError, r"n must be >= 1, got 0"),
    (lambda: make_regression(d=0), ValueError, r"d must be >= 1, got 0"),
    (lambda: make_regression(n=2.5), TypeError, r"n must be an integer, got 2.5"),
    (lambda: make_regression(noise=-1.0), ValueError, r"noise must be in \[0, 1e\+150\], got -1.0"),
    (lambda: make_regression(rng=-3), TypeError, r"rng must be a numpy.random.Generator"),
    (lambda: make_regression(rng=np.random), TypeError, r"rng must be a numpy.random.Generator"),
    (lambda: make_classification(n=1), ValueError, r"n must be >= 2, got 1"),
    (lambda: make_classification(separation=-1), ValueError, r"separation must be >= 0"),
    (lambda: make_moons(noise=float("nan")), ValueError, r"noise must be a real number, got NaN"),
    (lambda: make_large(n=10, task="clasification"), ValueError,
     r"task must be one of 'classification', 'regression'.*did you mean 'classification'"),
    (lambda: make_large(n=10, d=0), ValueError, r"d must be >= 1, got 0"),
    (lambda: iterations_per_epoch(0, 1), ValueError, r"n must be >= 1, got 0"),
    (lambda: iterations_per_epoch(100, 0), ValueError,
     r"batch_size must be in \[1, 100\] \(the number of records\) or None for the full batch, "
     r"got 0"),
    (lambda: iterations_per_epoch(100, 101), ValueError, r"batch_size must be in \[1, 100\].*101"),
    (lambda: iterations_per_epoch(100, 2.5), TypeError,
     r"batch_size must be an int in \[1, 100\] or None \(full batch\), got 2.5 of type float"),
    (lambda: iterations_per_epoch(100, True), TypeError, r"batch_size must be an int"),
])
def test_generator_and_iteration_messages(call, error, match):
    with pytest.raises(error, match=match):
        call()


X_OK, Y_OK = _toy(6)


@pytest.mark.parametrize("X, y, kwargs, error, match", [
    (X_OK, Y_OK[:5], {}, ValueError,
     r"X and y must have the same number of records: X has 6 rows, y has 5 values"),
    (np.where(X_OK == 3.0, np.nan, X_OK), Y_OK, {}, ValueError,
     r"X must contain only finite numbers, found NaN"),
    (X_OK, np.where(Y_OK == 2.0, np.inf, Y_OK), {}, ValueError,
     r"y must contain only finite numbers, found inf"),
    (Y_OK, Y_OK, {}, ValueError, r"X must have 2 dimension\(s\), got shape \(6,\)"),
    (X_OK, X_OK, {}, ValueError, r"y must have 1 dimension\(s\), got shape \(6, 2\)"),
    (np.zeros((0, 2)), np.zeros(0), {}, ValueError, r"X must have at least one row"),
    ("data", Y_OK, {}, TypeError, r"X must be a NumPy array of numbers"),
    (X_OK, Y_OK, {"shuffle": "yes"}, TypeError, r"shuffle must be True or False, got 'yes'"),
    (X_OK, Y_OK, {"rng": None}, TypeError, r"rng must be a numpy.random.Generator"),
])
def test_minibatches_messages(X, y, kwargs, error, match):
    kwargs = {"rng": 0, **kwargs}
    with pytest.raises(error, match=match):
        minibatches(X, y, 2, **kwargs)


@pytest.mark.parametrize("make", [make_regression, make_moons])
def test_noise_too_large_for_float64_is_refused(make):
    # noise = 1e308 times a normal draw of |z| > 1.8 overflows to inf (before: a raw NumPy
    # "overflow encountered in multiply" and inf in the data)
    with pytest.raises(ValueError, match=r"noise must be in \[0, 1e\+150\], got 1e\+308"):
        make(noise=1e308)
    assert np.all(np.isfinite(make(noise=1e150).y))


def test_breast_cancer_table_is_scikit_learns_data_set():
    """The NumPy read of the shipped CSV equals scikit-learn's own loader, record for record."""
    from sklearn.datasets import load_breast_cancer

    from course_lib.data import breast_cancer_table
    X, y = breast_cancer_table()
    X_ref, y_ref = load_breast_cancer(return_X_y=True)
    assert X.dtype == y.dtype == np.float64
    np.testing.assert_array_equal(X, X_ref)
    np.testing.assert_array_equal(y, y_ref)
