"""Tests for course_lib.core.noise_scale: per-example gradients and B_simple = tr(Sigma)/|G|^2."""
import math

import numpy as np
import pytest

from course_lib.core.noise_scale import _estimates, gradient_noise_scale, per_example_grads
from course_lib.data import make_classification, make_regression
from course_lib.models import LinearRegression, LogisticRegression, TwoLayerNet


def _cases():
    reg = make_regression(n=30, d=3, noise=0.5, rng=1)
    cls = make_classification(n=30, d=3, rng=2)
    params = {"W": np.array([0.3, -0.7, 1.1]), "b": np.array([0.2])}
    return [(LinearRegression(3), reg, params), (LogisticRegression(3), cls, params)]


@pytest.mark.parametrize("case", [0, 1])
def test_rows_are_single_record_gradients_and_their_mean_the_batch_gradient(case):
    model, data, params = _cases()[case]
    per = per_example_grads(model, params, data.X, data.y)
    assert per["dW"].shape == (30, 3) and per["db"].shape == (30, 1)
    for i in range(30):
        _, g = model.loss_and_grads(params, data.X[i:i + 1], data.y[i:i + 1])
        np.testing.assert_allclose(per["dW"][i], g["dW"], rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(per["db"][i], g["db"], rtol=1e-13, atol=1e-15)
    _, g = model.loss_and_grads(params, data.X, data.y)
    np.testing.assert_allclose(per["dW"].mean(axis=0), g["dW"], rtol=1e-12)
    np.testing.assert_allclose(per["db"].mean(axis=0), g["db"], rtol=1e-12)


@pytest.mark.parametrize("case", [0, 1])
def test_rows_match_finite_differences(case):
    model, data, params = _cases()[case]
    per = per_example_grads(model, params, data.X, data.y)
    h = 1e-6
    flat = np.concatenate([params["W"], params["b"]])
    for i in (0, 7, 29):
        x, y = data.X[i:i + 1], data.y[i:i + 1]
        fd = []
        for j in range(4):
            up, dn = flat.copy(), flat.copy()
            up[j] += h
            dn[j] -= h
            f = [model.loss({"W": v[:3], "b": v[3:]}, x, y) for v in (up, dn)]
            fd.append((f[0] - f[1]) / (2 * h))
        got = np.concatenate([per["dW"][i], per["db"][i]])
        np.testing.assert_allclose(got, fd, rtol=1e-6, atol=1e-8)


def test_other_models_are_refused():
    net = TwoLayerNet(3, 4)
    with pytest.raises(TypeError, match=r"LinearRegression or LogisticRegression .*TwoLayerNet"):
        per_example_grads(net, net.init_params(0), np.zeros((2, 3)), np.zeros(2))
    with pytest.raises(TypeError, match="model must be"):
        per_example_grads("linear", {}, np.zeros((2, 3)), np.zeros(2))
    with pytest.raises(ValueError, match="X must have 3 columns"):
        per_example_grads(LinearRegression(3), LinearRegression(3).init_params(0),
                          np.zeros((2, 2)), np.zeros(2))


def _draw(gen, G, L, n):
    """n per-example gradients with mean G and covariance L L^T."""
    return G + gen.standard_normal((n, G.size)) @ L.T


def _problem(d=20):
    G = np.linspace(-1.0, 1.0, d) * 0.3                   # |G|^2 known
    A = np.random.default_rng(11).standard_normal((d, d)) / math.sqrt(d)
    L = np.linalg.cholesky(A @ A.T + 0.5 * np.eye(d))     # Sigma = L L^T, any SPD matrix
    return G, L @ L.T, L


def test_noise_scale_of_a_known_distribution():
    G, S, L = _problem()
    n = 40_000
    b_true = np.trace(S) / (G @ G)                        # the closed form, tr(Sigma)/|G|^2
    est = gradient_noise_scale(_draw(np.random.default_rng(0), G, L, n))
    # sampling error (Gaussian g): var tr(Sigma^) = 2 tr(Sigma^2)/(n-1);
    # var(|G_bar|^2 - tr(Sigma^)/n) ~ 4 G^T Sigma G / n + 2 tr(Sigma^2)/n^2; relative errors add
    tr, tr2, gsg, g2 = np.trace(S), np.trace(S @ S), G @ S @ G, G @ G
    rel = math.sqrt(2 * tr2 / (n - 1) / tr ** 2 + (4 * gsg / n + 2 * tr2 / n ** 2) / g2 ** 2)
    assert abs(est / b_true - 1) < 5 * rel, (est, b_true, rel)
    assert rel < 0.1  # the test means something


def test_the_g_squared_estimate_is_unbiased_and_the_plain_one_is_not():
    """Over many small samples the mean of |G_bar|^2 - tr(Sigma^)/n hits |G|^2; |G_bar|^2 is
    high by tr(Sigma)/n (here ~45 standard errors)."""
    G, S, L = _problem(8)
    n, reps = 10, 4000
    gen = np.random.default_rng(5)
    unbiased, plain, traces = [], [], []
    for _ in range(reps):
        g = _draw(gen, G, L, n)
        tr, g2 = _estimates(g)
        unbiased.append(g2)
        traces.append(tr)
        plain.append(float(g.mean(axis=0) @ g.mean(axis=0)))
    se = np.std(unbiased) / math.sqrt(reps)
    assert abs(np.mean(unbiased) - G @ G) < 5 * se
    assert abs(np.mean(traces) - np.trace(S)) < 5 * np.std(traces) / math.sqrt(reps)
    assert np.mean(plain) - G @ G > 20 * se        # the bias the correction removes
    assert np.mean(plain) - G @ G == pytest.approx(np.trace(S) / n, abs=5 * se)


def test_by_hand_and_edge_cases():
    assert gradient_noise_scale({"dW": [[1.0], [3.0]], "db": [[0.0], [0.0]]}) == \
        pytest.approx(2 / 3)
    assert gradient_noise_scale(np.ones((5, 3))) == 0.0          # no noise at all
    assert gradient_noise_scale(np.array([[1.0], [-1.0]])) == math.inf   # mean lost in noise
    # the scale of the gradients does not matter
    g = _draw(np.random.default_rng(1), *_problem(4)[::2], 50)
    assert gradient_noise_scale(1e-3 * g) == pytest.approx(gradient_noise_scale(g), rel=1e-12)


def test_near_the_minimum_the_noise_scale_grows():
    data = make_regression(n=2000, d=3, noise=1.0, rng=3)
    model = LinearRegression(3)
    far = gradient_noise_scale(per_example_grads(model, model.init_params(0), data.X, data.y))
    design = np.hstack([data.X, np.ones((2000, 1))])
    coef = np.linalg.lstsq(design, data.y, rcond=None)[0]
    near = {"W": coef[:3] + 0.01, "b": coef[3:]}
    assert gradient_noise_scale(per_example_grads(model, near, data.X, data.y)) > 100 * far


@pytest.mark.parametrize(("bad", "err", "match"), [
    (np.ones((1, 3)), ValueError, "at least 2 records"), (np.ones(3), ValueError, "2-D"),
    ({}, TypeError, "dict of arrays"), ({"dW": np.ones((3, 2)), "db": np.ones((2, 1))},
                                        ValueError, "same number of rows"),
    (np.array([[1.0, np.nan], [0.0, 1.0]]), ValueError, "finite"),
    ("grads", TypeError, "per_example_grads"), (np.full((2, 2), 1e200), ValueError, "overflow"),
])
def test_bad_input(bad, err, match):
    with pytest.raises(err, match=match):
        gradient_noise_scale(bad)
