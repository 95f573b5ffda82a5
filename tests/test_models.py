"""Tests for course_lib.models: gradients vs finite differences, hand-computed losses, checks."""
import math
import warnings

import numpy as np
import pytest

from course_lib.models import LinearRegression, LogisticRegression, TwoLayerNet, sigmoid

MODELS = [
    LinearRegression(3),
    LogisticRegression(3),
    TwoLayerNet(3, 5, activation="tanh", task="classification"),
    TwoLayerNet(3, 5, activation="relu", task="classification"),
    TwoLayerNet(3, 5, activation="tanh", task="regression"),
    TwoLayerNet(3, 5, activation="relu", task="regression"),
]


def _data(model, n=17, seed=0):
    gen = np.random.default_rng(seed)
    X = gen.standard_normal((n, model.n_features))
    y = (gen.random(n) < 0.5).astype(float) if model.task == "classification" \
        else gen.standard_normal(n)
    return X, y


def _random_params(model, seed=1):
    gen = np.random.default_rng(seed)
    return {k: gen.standard_normal(s) for k, s in model.param_shapes.items()}


# ---- gradients ------------------------------------------------------------------------------
@pytest.mark.parametrize("model", MODELS, ids=repr)
def test_gradient_matches_central_finite_differences(model):
    X, y = _data(model)
    params = _random_params(model)
    _, grads = model.loss_and_grads(params, X, y)
    h = 1e-6
    for key, p in params.items():
        numeric = np.zeros_like(p)
        for i in np.ndindex(p.shape):
            plus = {k: v.copy() for k, v in params.items()}
            minus = {k: v.copy() for k, v in params.items()}
            plus[key][i] += h
            minus[key][i] -= h
            numeric[i] = (model.loss(plus, X, y) - model.loss(minus, X, y)) / (2 * h)
        analytic = grads["d" + key]
        assert analytic.shape == p.shape
        rel = np.linalg.norm(analytic - numeric) / max(np.linalg.norm(numeric), 1e-12)
        assert rel < 1e-6, (key, rel)


@pytest.mark.parametrize("model", MODELS, ids=repr)
def test_forward_then_backward_equals_loss_and_grads(model):
    X, y = _data(model)
    params = _random_params(model)
    y_hat, cache = model.forward(params, X)
    grads = model.backward(params, cache, y)
    loss, grads2 = model.loss_and_grads(params, X, y)
    assert y_hat.shape == (17,)
    assert loss == model.loss(params, X, y)
    assert set(grads) == {"d" + k for k in params}
    for k in grads:
        np.testing.assert_array_equal(grads[k], grads2[k])


@pytest.mark.parametrize("model", MODELS, ids=repr)
def test_methods_do_not_modify_params_or_data(model):
    X, y = _data(model)
    params = _random_params(model)
    before = ({k: v.copy() for k, v in params.items()}, X.copy(), y.copy())
    model.loss_and_grads(params, X, y)
    model.predict(params, X)
    for k in params:
        np.testing.assert_array_equal(params[k], before[0][k])
    np.testing.assert_array_equal(X, before[1])
    np.testing.assert_array_equal(y, before[2])


def test_net_gradients_match_torch_autograd():
    torch = pytest.importorskip("torch")
    for activation in ("tanh", "relu"):
        model = TwoLayerNet(3, 4, activation=activation)
        X, y = _data(model, n=9, seed=5)
        params = _random_params(model, seed=6)
        loss, grads = model.loss_and_grads(params, X, y)
        t = {k: torch.tensor(v, requires_grad=True) for k, v in params.items()}
        act = torch.tanh if activation == "tanh" else torch.relu
        z = act(torch.tensor(X) @ t["W1"] + t["b1"]) @ t["W2"] + t["b2"]
        ref = torch.nn.functional.binary_cross_entropy_with_logits(z, torch.tensor(y))
        ref.backward()
        assert loss == pytest.approx(ref.item(), rel=1e-12)
        for k in params:
            np.testing.assert_allclose(grads["d" + k], t[k].grad.numpy(), rtol=1e-10,
                                       atol=1e-14)


# ---- hand-computed values ----------------------------------------------------------------------
def test_linear_regression_hand_example():
    model = LinearRegression(2)
    params = {"W": np.array([1.0, -1.0]), "b": np.array([0.5])}
    X, y = np.array([[1.0, 2.0], [3.0, 1.0]]), np.array([0.0, 2.0])
    # y_hat = [-0.5, 2.5]; errors e = [-0.5, 0.5]; MSE = (0.25 + 0.25) / 2
    loss, grads = model.loss_and_grads(params, X, y)
    assert loss == pytest.approx(0.25)
    # dW = 2/n * X^T e = [1*-0.5 + 3*0.5, 2*-0.5 + 1*0.5] = [1, -0.5]; db = 2/n * sum(e) = 0
    np.testing.assert_allclose(grads["dW"], [1.0, -0.5])
    np.testing.assert_allclose(grads["db"], [0.0], atol=1e-15)
    np.testing.assert_allclose(model.predict(params, X), [-0.5, 2.5])


def test_logistic_loss_two_sample_hand_value():
    model = LogisticRegression(1)
    params = {"W": np.array([math.log(3.0)]), "b": np.array([0.0])}
    X, y = np.array([[0.0], [1.0]]), np.array([1.0, 0.0])
    # z = [0, ln 3]; p = [1/2, 3/4]; loss = (-ln(1/2) - ln(1 - 3/4)) / 2 = (ln 2 + ln 4) / 2
    loss, grads = model.loss_and_grads(params, X, y)
    assert loss == pytest.approx(1.5 * math.log(2.0), rel=1e-14)
    # dz = (p - y) / 2 = [-1/4, 3/8]; dW = 0 * dz0 + 1 * dz1; db = dz0 + dz1
    np.testing.assert_allclose(grads["dW"], [0.375])
    np.testing.assert_allclose(grads["db"], [0.125])
    np.testing.assert_allclose(model.predict_proba(params, X), [0.5, 0.75])


def test_logistic_loss_is_stable_for_huge_logits():
    model = LogisticRegression(1)
    params = {"W": np.array([1.0]), "b": np.array([0.0])}
    X = np.array([[1000.0], [-1000.0], [800.0], [-800.0]])
    y = np.array([0.0, 1.0, 1.0, 0.0])  # two maximally wrong, two maximally right
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow / divide-by-zero warning either
        loss, grads = model.loss_and_grads(params, X, y)
    # -log(sigmoid(-1000)) = 1000 + log(1 + e^-1000) = 1000; the right ones cost 0.
    assert loss == pytest.approx((1000.0 + 1000.0 + 0.0 + 0.0) / 4, rel=1e-15)
    assert all(np.all(np.isfinite(g)) for g in grads.values())
    # dz = (p - y) / 4 = [1, -1, 0, 0] / 4; dW = sum x * dz = (1000 + 1000) / 4
    np.testing.assert_allclose(grads["dW"], [500.0])


def test_sigmoid_extremes_without_warnings_and_with_relative_precision():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = sigmoid(np.array([-1000.0, -30.0, 0.0, 30.0, 1000.0]))
    assert p[0] == 0.0 and p[2] == 0.5 and p[4] == 1.0
    assert p[1] == pytest.approx(math.exp(-30.0) / (1.0 + math.exp(-30.0)), rel=1e-14)
    assert p[3] == pytest.approx(1.0 / (1.0 + math.exp(-30.0)), rel=1e-15)


def test_predict_and_accuracy_on_a_hand_example():
    model = LogisticRegression(2)
    params = {"W": np.array([1.0, 0.0]), "b": np.array([0.0])}
    X = np.array([[2.0, 5.0], [-1.0, 5.0], [0.5, -3.0], [-0.1, 0.0]])
    np.testing.assert_array_equal(model.predict(params, X), [1.0, 0.0, 1.0, 0.0])
    assert model.accuracy(params, X, np.array([1.0, 0.0, 0.0, 0.0])) == 0.75


def test_net_forward_by_hand():
    net = TwoLayerNet(1, 2, activation="relu", task="regression")
    params = {"W1": np.array([[1.0, -1.0]]), "b1": np.array([0.0, 1.0]),
              "W2": np.array([2.0, 3.0]), "b2": np.array([-1.0])}
    # x = 2: hidden = relu([2, -1]) = [2, 0]; out = 2*2 + 3*0 - 1 = 3
    # x = -1: hidden = relu([-1, 2]) = [0, 2]; out = 0 + 6 - 1 = 5
    np.testing.assert_allclose(net.predict(params, np.array([[2.0], [-1.0]])), [3.0, 5.0])


# ---- init and sizes ---------------------------------------------------------------------------
def test_n_params_and_init():
    assert LinearRegression(3).n_params == 4
    assert LogisticRegression(20).n_params == 21
    assert TwoLayerNet(2, 16).n_params == 2 * 16 + 16 + 16 + 1
    zeros = LinearRegression(3).init_params(0)
    assert zeros["W"].tolist() == [0.0, 0.0, 0.0] and zeros["b"].tolist() == [0.0]
    net = TwoLayerNet(400, 300)
    a, b, c = net.init_params(0), net.init_params(0), net.init_params(1)
    np.testing.assert_array_equal(a["W1"], b["W1"])
    assert not np.array_equal(a["W1"], c["W1"])
    assert a["W1"].std() == pytest.approx(1 / math.sqrt(400), rel=0.02)
    assert a["W2"].std() == pytest.approx(1 / math.sqrt(300), rel=0.2)
    relu = TwoLayerNet(400, 300, activation="relu").init_params(0)
    assert relu["W1"].std() == pytest.approx(math.sqrt(2 / 400), rel=0.02)
    assert not a["b1"].any() and not a["b2"].any()


def test_repr_names_the_configuration():
    assert repr(LogisticRegression(2)) == "LogisticRegression(n_features=2)"
    assert "activation='relu'" in repr(TwoLayerNet(2, activation="relu"))


# ---- one test per validation message ----------------------------------------------------------
LIN = LinearRegression(2)
LOG = LogisticRegression(2)
NET = TwoLayerNet(2, 3)
P = {"W": np.zeros(2), "b": np.zeros(1)}
X2 = np.ones((4, 2))
Y01 = np.array([0.0, 1.0, 1.0, 0.0])


@pytest.mark.parametrize("call, error, match", [
    (lambda: LinearRegression(0), ValueError, r"n_features must be >= 1, got 0"),
    (lambda: LogisticRegression(1.5), TypeError, r"n_features must be an integer, got 1.5"),
    (lambda: TwoLayerNet(2, 0), ValueError, r"n_hidden must be >= 1, got 0"),
    (lambda: TwoLayerNet(2, activation="sigmoid"), ValueError,
     r"activation must be one of 'tanh', 'relu'; got 'sigmoid'"),
    (lambda: TwoLayerNet(2, task="regresion"), ValueError,
     r"task must be one of .*did you mean 'regression'"),
    (lambda: LIN.init_params(rng="seed"), TypeError, r"rng must be a numpy.random.Generator"),
    (lambda: LIN.loss([1.0, 2.0], X2, Y01), TypeError,
     r"params must be a dict with keys \['W', 'b'\]"),
    (lambda: LIN.loss({"W": np.zeros(2)}, X2, Y01), ValueError,
     r"must have exactly the keys \['W', 'b'\]; missing \['b'\], unexpected \[\]"),
    (lambda: LIN.loss({**P, "c": 1.0}, X2, Y01), ValueError, r"unexpected \['c'\]"),
    (lambda: LIN.loss({"W": np.zeros(3), "b": np.zeros(1)}, X2, Y01), ValueError,
     r"params\['W'\] must have shape \(2,\) for LinearRegression\(n_features=2\), got shape "
     r"\(3,\)"),
    (lambda: LIN.loss({"W": np.array([np.nan, 0.0]), "b": np.zeros(1)}, X2, Y01), ValueError,
     r"params\['W'\] contains NaN or inf: the training diverged \(try a smaller learning rate\)"),
    (lambda: LIN.loss({"W": "zeros", "b": np.zeros(1)}, X2, Y01), TypeError,
     r"params\['W'\] must be a NumPy array of numbers"),
    (lambda: LIN.loss(P, np.ones((4, 3)), Y01), ValueError,
     r"X must have 2 columns \(features\) for LinearRegression\(n_features=2\), got shape "
     r"\(4, 3\)"),
    (lambda: LIN.loss(P, np.ones(4), Y01), ValueError, r"X must have 2 dimension\(s\)"),
    (lambda: LIN.loss(P, np.ones((0, 2)), np.ones(0)), ValueError,
     r"X must have at least one row"),
    (lambda: LIN.loss(P, X2, Y01[:3]), ValueError,
     r"X and y must have the same number of records: X has 4 rows, y has 3 values"),
    (lambda: LIN.loss(P, X2, np.array([0.0, np.nan, 0.0, 0.0])), ValueError,
     r"y must contain only finite numbers, found NaN"),
    (lambda: LOG.loss(P, X2, np.array([0.0, 1.0, 2.0, 0.0])), ValueError,
     r"y must hold labels 0.0 / 1.0 \(or probabilities in \[0, 1\]\) for "
     r"LogisticRegression\(n_features=2\), found 2"),
    (lambda: LIN.accuracy(P, X2, Y01), TypeError,
     r"accuracy needs a classifier; LinearRegression\(n_features=2\) does regression"),
    (lambda: LIN.predict_proba(P, X2), TypeError, r"predict_proba needs a classifier"),
    (lambda: LIN.backward(P, {"y_hat": 1}, Y01), TypeError,
     r"cache must be the dict that LinearRegression\(n_features=2\).forward\(params, X\) "
     r"returned"),
])
def test_model_messages(call, error, match):
    with pytest.raises(error, match=match):
        call()


@pytest.mark.parametrize("model", [LIN, LOG, NET, TwoLayerNet(2, 3, activation="relu")], ids=repr)
@pytest.mark.parametrize("bad, found", [(np.nan, "NaN"), (np.inf, "inf"), (-np.inf, "inf")])
def test_nan_or_inf_in_X_is_reported(model, bad, found):
    X = np.ones((4, 2))
    X[2, 1] = bad
    params = model.init_params(0)
    for call in (lambda: model.loss(params, X, Y01), lambda: model.forward(params, X),
                 lambda: model.loss_and_grads(params, X, Y01)):
        with pytest.raises(ValueError, match=f"X must contain only finite numbers, found {found}"):
            call()


def test_overflow_from_huge_params_warns_once_with_a_hint():
    params = {"W": np.array([1e200, 1e200]), "b": np.zeros(1)}
    with pytest.warns(RuntimeWarning, match="the forward pass overflowed; the parameters are too "
                                            r"large for this data \(has the training diverged\?\)"):
        loss = LIN.loss(params, np.full((4, 2), 1e200), Y01)
    assert not math.isfinite(loss)


@pytest.mark.parametrize("z, error, match", [
    (np.array([1 + 2j, 3j]), TypeError, "z must hold real numbers"),
    (np.array(["1.0"]), TypeError, "z must hold real numbers"),
    (10**400, ValueError, "z must be a finite number"),
    (float("nan"), ValueError, "z must be a real number, got NaN"),
])
def test_sigmoid_refuses_what_is_not_a_real_number(z, error, match):
    # the old sigmoid cast with np.asarray(z, dtype=float): complex lost its imaginary part with
    # a ComplexWarning, "1.0" was parsed, 10**400 raised a raw OverflowError
    with pytest.raises(error, match=match):
        sigmoid(z)


def test_sigmoid_of_a_number_is_a_number():
    # sigma(0) = 1/2, sigma(ln 3) = 1 / (1 + 1/3) = 3/4, by hand
    assert sigmoid(0.0) == 0.5
    assert sigmoid(np.log(3.0)) == pytest.approx(0.75, rel=1e-15)
    assert sigmoid(np.array(0.0)) == 0.5   # a 0-d array: np.negative(out=...) failed before


@pytest.mark.parametrize("model", [LIN, LOG, NET], ids=repr)
def test_backward_refuses_a_cache_it_did_not_make(model):
    params = model.init_params(0)
    X = np.ones((4, 2))
    _, cache = model.forward(params, X)
    for key, bad, error in (("X", None, TypeError), ("X", X.astype(complex) + 1j, TypeError),
                            ("X", X.astype(str), TypeError), ("z", np.zeros(3), ValueError)):
        with pytest.raises(error, match=rf"cache(\[{key!r}\])?"):
            model.backward(params, {**cache, key: bad}, Y01)


@pytest.mark.parametrize("model", [LIN, LOG], ids=repr)
def test_loss_that_comes_out_nan_names_params(model):
    # W = [1e308, 1e308] on X rows of mixed signs: x1 W1 + x2 W2 is inf - inf = NaN in float64
    params = {"W": np.array([1e308, 1e308]), "b": np.zeros(1)}
    X = np.array([[1.0, 1.0], [-2.0, 1.0], [1.0, -2.0], [0.5, 0.5]])
    # (the squared error of an inf prediction is inf, not NaN: LIN.loss warns and returns inf)
    for call in (model.loss_and_grads,) if model is LIN else (model.loss, model.loss_and_grads):
        with pytest.raises(ValueError, match=r"params are too large for this data"):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # the forward pass's own warning
                call(params, X, Y01)
