"""Tests for course_lib.training.train: one loop for GD, SGD and mini-batch SGD."""
import math
import time
import warnings

import numpy as np
import pytest

from course_lib import training
from course_lib.data import make_classification, make_moons, make_regression, minibatches
from course_lib.models import LinearRegression, LogisticRegression, TwoLayerNet
from course_lib.training import TrainResult, train


@pytest.fixture(scope="module")
def reg():
    return make_regression(n=200, d=3, noise=0.3, rng=0)


def _lstsq(X, y):
    design = np.hstack([X, np.ones((len(X), 1))])
    coef = np.linalg.lstsq(design, y, rcond=None)[0]
    return coef[:-1], coef[-1]


def _mse_grads(W, b, X, y):
    """dL/dW and dL/db of L = mean((X W + b - y)^2), written out independently of the models."""
    e = X @ W + b - y
    return 2.0 * X.T @ e / len(y), 2.0 * e.mean()


# ---- the loop's arithmetic --------------------------------------------------------------------
def test_gd_reaches_the_least_squares_solution(reg):
    res = train(LinearRegression(3), reg.X, reg.y, "gd", epochs=300, lr=0.1)
    W, b = _lstsq(reg.X, reg.y)
    np.testing.assert_allclose(res.params["W"], W, atol=1e-8)
    np.testing.assert_allclose(res.params["b"], [b], atol=1e-8)
    assert isinstance(res, TrainResult) and not res.diverged


def test_adam_minibatch_gets_close_to_least_squares(reg):
    res = train(LinearRegression(3), reg.X, reg.y, "adam", batch_size=20, epochs=100, lr=0.05)
    W, b = _lstsq(reg.X, reg.y)
    np.testing.assert_allclose(res.params["W"], W, atol=0.05)
    assert abs(res.params["b"][0] - b) < 0.05


def test_first_gd_step_is_params_minus_lr_times_grad(reg):
    start = {"W": np.array([0.5, -1.0, 2.0]), "b": np.array([0.3])}
    res = train(LinearRegression(3), reg.X, reg.y, "gd", epochs=1, params=start, lr=0.05)
    dW, db = _mse_grads(start["W"], start["b"][0], reg.X, reg.y)
    np.testing.assert_allclose(res.params["W"], start["W"] - 0.05 * dW, rtol=1e-13)
    np.testing.assert_allclose(res.params["b"], start["b"] - 0.05 * db, rtol=1e-13)
    assert start["W"].tolist() == [0.5, -1.0, 2.0]  # the caller's params are left alone
    # the batch loss of iteration 1 is the loss at the start
    e = reg.X @ start["W"] + 0.3 - reg.y
    assert res.loss_per_iteration[0] == pytest.approx(np.mean(e ** 2), rel=1e-13)
    assert res.loss_per_epoch[0] == pytest.approx(np.mean(e ** 2), rel=1e-13)


def test_minibatch_sgd_equals_a_hand_written_loop(reg):
    """The same two nested loops by hand, with minibatches() and the same Generator."""
    res = train(LinearRegression(3), reg.X, reg.y, "gd", batch_size=32, epochs=3, lr=0.02,
                rng=np.random.default_rng(11))
    gen = np.random.default_rng(11)  # linear models start at zero and draw nothing for it
    W, b = np.zeros(3), 0.0
    losses = []
    for _ in range(3):
        for X_b, y_b in minibatches(reg.X, reg.y, 32, rng=gen):
            losses.append(np.mean((X_b @ W + b - y_b) ** 2))
            dW, db = _mse_grads(W, b, X_b, y_b)
            W, b = W - 0.02 * dW, b - 0.02 * db
    np.testing.assert_allclose(res.params["W"], W, rtol=1e-12)
    np.testing.assert_allclose(res.params["b"], [b], rtol=1e-12)
    np.testing.assert_allclose(res.loss_per_iteration, losses, rtol=1e-12)


@pytest.mark.parametrize("batch_size, per_epoch", [(None, 1), (200, 1), (1, 200), (32, 7),
                                                   (50, 4)])
def test_iteration_counts(reg, batch_size, per_epoch):
    res = train(LinearRegression(3), reg.X, reg.y, "gd", batch_size=batch_size, epochs=3,
                lr=0.01)
    assert res.iterations_per_epoch == per_epoch == math.ceil(200 / (batch_size or 200))
    assert res.iterations == 3 * per_epoch == len(res.loss_per_iteration)
    assert res.epochs_run == 3 and len(res.epoch_times) == 3
    assert len(res.loss_per_epoch) == 4  # the initial loss, then one per epoch
    assert np.all(res.epoch_times > 0)


def test_loss_per_epoch_is_the_full_data_loss(reg):
    model = LinearRegression(3)
    res = train(model, reg.X, reg.y, "momentum", batch_size=16, epochs=2, lr=0.05)
    assert res.loss_per_epoch[0] == pytest.approx(np.mean(reg.y ** 2))  # params start at 0
    assert res.loss_per_epoch[-1] == pytest.approx(model.loss(res.params, reg.X, reg.y))
    assert res.loss_per_epoch[-1] < res.loss_per_epoch[0]


def test_same_seed_bit_identical_other_seed_differs():
    data = make_moons(n=100, rng=0)
    net = TwoLayerNet(2, 8)
    runs = [train(net, data.X, data.y, "adam", batch_size=10, epochs=3, rng=seed, lr=0.01,
                  record_path=True) for seed in (4, 4, 5)]
    a, b, c = runs
    for k in a.params:
        np.testing.assert_array_equal(a.params[k], b.params[k])
        np.testing.assert_array_equal(a.path[k], b.path[k])
    np.testing.assert_array_equal(a.loss_per_iteration, b.loss_per_iteration)
    np.testing.assert_array_equal(a.loss_per_epoch, b.loss_per_epoch)
    assert not np.array_equal(a.params["W1"], c.params["W1"])


# ---- divergence ------------------------------------------------------------------------------
def test_too_large_lr_diverges_with_warning_and_finite_histories(reg):
    with pytest.warns(RuntimeWarning, match=r"training diverged at epoch \d+, iteration \d+: "
                                            r"loss = .* try a smaller learning rate \(lr=5\)"):
        res = train(LinearRegression(3), reg.X, reg.y, "gd", epochs=200, lr=5.0,
                    record_path=True, record_lr=True)
    assert res.diverged and res.epochs_run < 200
    assert res.message.startswith("training diverged")
    for history in (res.loss_per_iteration, res.loss_per_epoch, res.epoch_times,
                    res.path["W"], res.lr_history["dW"]):
        assert np.all(np.isfinite(history))
    assert all(np.all(np.isfinite(p)) for p in res.params.values())
    assert len(res.loss_per_epoch) == res.epochs_run + 1


def test_sgd_divergence_stops_inside_the_epoch(reg):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = train(LinearRegression(3), reg.X, reg.y, "gd", batch_size=1, epochs=5, lr=3.0)
    messages = [str(w.message) for w in caught]
    assert len(messages) == 1 and "numpy" not in messages[0]  # ours only, no overflow noise
    assert res.diverged and res.epochs_run == 0 and res.iterations < 200
    assert f"iteration {res.iterations + 1}:" in res.message
    assert np.all(np.isfinite(res.loss_per_iteration))
    assert len(res.loss_per_iteration) == res.iterations


def test_a_healthy_run_says_so(reg):
    res = train(LinearRegression(3), reg.X, reg.y, "gd", epochs=2, lr=0.1)
    assert not res.diverged and "2 epochs, 2 iterations" in res.message


# ---- learning a non-linear boundary ---------------------------------------------------------
def test_two_layer_net_learns_moons_and_logistic_regression_cannot():
    data = make_moons(n=400, noise=0.1, rng=0)
    start = time.perf_counter()
    net = TwoLayerNet(2, 16, activation="tanh")
    res = train(net, data.X, data.y, "adam", epochs=300, lr=0.05, rng=0)
    elapsed = time.perf_counter() - start
    logistic = LogisticRegression(2)
    lin = train(logistic, data.X, data.y, "adam", epochs=300, lr=0.05, rng=0)
    acc_net = net.accuracy(res.params, data.X, data.y)
    acc_lin = logistic.accuracy(lin.params, data.X, data.y)
    assert acc_net > 0.95
    assert acc_net > acc_lin + 0.05
    assert acc_lin < 0.92  # no straight line separates the moons
    assert elapsed < 5.0


def test_logistic_regression_on_blobs_recovers_the_bayes_direction():
    data = make_classification(n=4000, d=2, separation=2.0, rng=0)
    model = LogisticRegression(2)
    res = train(model, data.X, data.y, "gd", epochs=300, lr=1.0)
    # true log-odds x . w_true with w_true = (sqrt 2, sqrt 2); the fit must point the same way
    cos = res.params["W"] @ data.w_true / np.linalg.norm(res.params["W"]) / 2.0
    assert cos > 0.99
    assert model.accuracy(res.params, data.X, data.y) > 0.8


# ---- recording --------------------------------------------------------------------------------
def test_record_path_starts_at_the_start_and_ends_at_the_result(reg):
    start = {"W": np.array([1.0, 2.0, 3.0]), "b": np.array([-1.0])}
    res = train(LinearRegression(3), reg.X, reg.y, "gd", batch_size=50, epochs=2, params=start,
                lr=0.05, record_path=True)
    assert res.path["W"].shape == (9, 3) and res.path["b"].shape == (9, 1)
    np.testing.assert_array_equal(res.path["W"][0], start["W"])
    np.testing.assert_array_equal(res.path["W"][-1], res.params["W"])
    assert train(LinearRegression(3), reg.X, reg.y, epochs=1).path is None


def test_record_lr_gd_constant_adagrad_shrinking(reg):
    gd = train(LinearRegression(3), reg.X, reg.y, "gd", batch_size=50, epochs=2, lr=0.05,
               record_lr=True)
    assert gd.lr_history["dW"].shape == (8, 3) and np.all(gd.lr_history["dW"] == 0.05)
    ada = train(LinearRegression(3), reg.X, reg.y, "adagrad", batch_size=50, epochs=2, lr=0.5,
                record_lr=True, record_path=True)
    rates = ada.lr_history["dW"]
    assert np.all(np.diff(rates, axis=0) <= 0)  # the sum of squares only grows
    # the first rate by hand: lr / (|dW_1| + eps), dW_1 the gradient at 0 on the first batch
    first_step = ada.path["W"][1] - ada.path["W"][0]  # = -rate * dW_1 = -lr * sign(dW_1)
    np.testing.assert_allclose(np.abs(first_step), 0.5, rtol=1e-8)
    assert train(LinearRegression(3), reg.X, reg.y, epochs=1).lr_history is None


# ---- progress bar -----------------------------------------------------------------------------
def test_progress_bar_on_off_and_auto(reg, capsys):
    train(LinearRegression(3), reg.X, reg.y, "gd", epochs=2, progress=True)
    assert "gd, batch full" in capsys.readouterr().err
    train(LinearRegression(3), reg.X, reg.y, "gd", epochs=2)  # 2 iterations: auto stays quiet
    train(LinearRegression(3), reg.X, reg.y, "gd", batch_size=1, epochs=11, progress=False,
          lr=0.001)
    assert capsys.readouterr().err == ""
    train(LinearRegression(3), reg.X, reg.y, "gd", batch_size=1, epochs=11, lr=0.001)
    assert "batch 1" in capsys.readouterr().err  # 2200 iterations > 2000: shown


def test_run_path_is_loaded_lazily_and_unknown_names_raise():
    with pytest.raises(AttributeError, match="no attribute 'nonexistent'"):
        training.nonexistent  # noqa: B018


# ---- one test per validation message ----------------------------------------------------------
X3 = make_regression(n=10, d=3, rng=0).X
Y3 = make_regression(n=10, d=3, rng=0).y
LIN = LinearRegression(3)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"model": "linear"}, TypeError,
     r"model must be a course_lib.models model such as LinearRegression\(2\), got 'linear'"),
    ({"model": LinearRegression(2)}, ValueError,
     r"X must have 2 columns \(features\) for LinearRegression\(n_features=2\)"),
    ({"y": Y3[:9]}, ValueError, r"X and y must have the same number of records"),
    ({"X": np.where(X3 > 1, np.nan, X3)}, ValueError, r"X must contain only finite numbers"),
    ({"optimizer": "adma"}, ValueError, r"optimizer must be one of .*did you mean 'adam'"),
    ({"lrr": 0.1}, TypeError, r"gd got an unknown hyperparameter 'lrr' \(did you mean 'lr'\?\)"),
    ({"optimizer": "momentum", "betta": 0.9}, TypeError,
     r"momentum got an unknown hyperparameter 'betta'"),
    ({"lr": -0.1}, ValueError, r"gd: lr must be > 0.0, got -0.1"),
    ({"epochs": 0}, ValueError, r"epochs must be >= 1, got 0"),
    ({"epochs": 2.5}, TypeError, r"epochs must be an integer, got 2.5"),
    ({"batch_size": 0}, ValueError, r"batch_size must be in \[1, 10\]"),
    ({"batch_size": 11}, ValueError, r"batch_size must be in \[1, 10\].*got 11"),
    ({"batch_size": 2.0 + 0.5}, TypeError, r"batch_size must be an int"),
    ({"rng": "seed"}, TypeError, r"rng must be a numpy.random.Generator or a non-negative int"),
    ({"params": {"W": np.zeros(2), "b": np.zeros(1)}}, ValueError,
     r"params\['W'\] must have shape \(3,\)"),
    ({"record_path": "yes"}, TypeError, r"record_path must be True or False, got 'yes'"),
    ({"record_lr": 1}, TypeError, r"record_lr must be True or False, got 1"),
    ({"progress": "auto"}, TypeError, r"progress must be True or False, got 'auto'"),
    ({"params": {"W": np.full(3, 1e200), "b": np.zeros(1)}}, ValueError,
     r"the initial loss is inf: the starting params are too large for this data"),
])
def test_train_messages(kwargs, error, match):
    args = {"model": LIN, "X": X3, "y": Y3, **kwargs}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the message must come as an exception, not noise
        with pytest.raises(error, match=match):
            train(args.pop("model"), args.pop("X"), args.pop("y"), **args)


# ---- clipping, schedules, gradient accumulation ---------------------------------------------
from course_lib.core.schedules import make_schedule  # noqa: E402
from course_lib.optimizers import OPTIMIZERS  # noqa: E402


@pytest.fixture(scope="module")
def ragged():
    """203 records: batches of 20 leave a last batch of 3."""
    return make_regression(n=203, d=3, noise=0.3, rng=4)


class _Spy(LinearRegression):
    """Records the number of rows of every forward + backward pass the loop asks for."""

    def __init__(self, d):
        super().__init__(d)
        self.rows = []

    def _loss_and_grads(self, params, X, y, cache=None):
        self.rows.append(X.shape[0])
        return super()._loss_and_grads(params, X, y, cache)


def _same_run(a, b, tol):
    for k in a.params:
        np.testing.assert_allclose(a.params[k], b.params[k], rtol=0, atol=tol)
    np.testing.assert_allclose(a.loss_per_iteration, b.loss_per_iteration, rtol=tol, atol=0)
    np.testing.assert_allclose(a.loss_per_epoch, b.loss_per_epoch, rtol=tol, atol=0)


@pytest.mark.parametrize("batch_size, k", [(20, 3), (20, 4), (None, 5), (7, 7), (203, 2)])
@pytest.mark.parametrize("opt", ["gd", "adam"])
def test_accumulate_equals_the_big_batch(ragged, batch_size, k, opt):
    big = train(LinearRegression(3), ragged.X, ragged.y, opt, batch_size=batch_size, epochs=3,
                lr=0.03, rng=5)
    acc = train(LinearRegression(3), ragged.X, ragged.y, opt, batch_size=batch_size, epochs=3,
                lr=0.03, rng=5, accumulate=k)
    _same_run(big, acc, 1e-12)
    assert acc.iterations == big.iterations and acc.accumulate == k and big.accumulate == 1


def test_accumulate_two_layer_net_and_micro_batch_sizes(ragged):
    net = TwoLayerNet(3, 5, task="regression")
    big = train(net, ragged.X, ragged.y, "momentum", batch_size=20, epochs=2, lr=0.05, rng=2)
    acc = train(net, ragged.X, ragged.y, "momentum", batch_size=20, epochs=2, lr=0.05, rng=2,
                accumulate=3)
    _same_run(big, acc, 1e-12)
    spy = _Spy(3)
    train(spy, ragged.X, ragged.y, "gd", batch_size=20, epochs=1, lr=0.01, accumulate=3)
    # 10 batches of 20 -> 7 + 7 + 6 records; the last batch of 3 -> 1 + 1 + 1 (never empty)
    assert spy.rows == [7, 7, 6] * 10 + [1, 1, 1]
    spy.rows.clear()
    train(spy, ragged.X, ragged.y, "gd", epochs=1, lr=0.01, accumulate=4)  # full batch
    assert spy.rows == [51, 51, 51, 50]


@pytest.mark.parametrize("model", [TwoLayerNet(3, 4, task="regression"), LinearRegression(3)])
def test_schedule_of_ones_is_no_schedule_bit_for_bit(ragged, model):
    kw = dict(batch_size=16, epochs=3, lr=0.02, rng=3)
    plain = train(model, ragged.X, ragged.y, "adamw", **kw)
    for sched in ("constant", make_schedule("step", step_size=10**6),
                  make_schedule("exponential", gamma=1.0)):
        ones = train(model, ragged.X, ragged.y, "adamw", schedule=sched, **kw)
        _same_run(plain, ones, 0.0)
        assert np.all(ones.lr_per_iteration == 0.02) and plain.lr_per_iteration is None


def test_gd_with_a_schedule_by_hand(reg):
    """Full-batch GD: W_t = W_{t-1} - lr f(t) dW, f written out (cosine, total = epochs)."""
    res = train(LinearRegression(3), reg.X, reg.y, "gd", epochs=6, lr=0.1, schedule="cosine",
                record_path=True)
    W, b = np.zeros(3), 0.0
    for t in range(1, 7):
        f = (1 + math.cos(math.pi * (t - 1) / 6)) / 2
        dW, db = _mse_grads(W, b, reg.X, reg.y)
        W, b = W - 0.1 * f * dW, b - 0.1 * f * db
        np.testing.assert_allclose(res.path["W"][t], W, rtol=1e-12)
    np.testing.assert_allclose(res.lr_per_iteration,
                               [0.1 * (1 + math.cos(math.pi * e / 6)) / 2 for e in range(6)],
                               rtol=1e-15)
    assert res.schedule == make_schedule("cosine", total=6)


def test_adamw_decay_uses_the_scheduled_lr(reg):
    sched = make_schedule("warmup_cosine", warmup=3, total=10, min_factor=0.1)
    adamw = OPTIMIZERS["adamw"]
    params = {"W": np.zeros(3), "b": np.zeros(1)}
    params["W"][:] = 1.0  # start away from 0 so that the decay shows
    res = train(LinearRegression(3), reg.X, reg.y, "adamw", epochs=8, lr=0.2, schedule=sched,
                weight_decay=0.5, params=params, record_lr=True)
    state = adamw.init(params)
    p = {k: v.copy() for k, v in params.items()}
    for t in range(1, 9):
        dW, db = _mse_grads(p["W"], p["b"][0], reg.X, reg.y)
        p, state = adamw.update(p, {"dW": dW, "db": np.array([db])}, state, lr=0.2 * sched(t),
                                weight_decay=0.5)
    np.testing.assert_allclose(res.params["W"], p["W"], rtol=1e-12)
    # record_lr reports the scheduled rate: at t = 1 Adam's rate is lr f(1) / (|dW| + eps)
    assert res.lr_history["dW"][0] == pytest.approx(
        0.2 * sched(1) / (np.abs(_mse_grads(params["W"], 0.0, reg.X, reg.y)[0]) + 1e-8))


def test_huge_clip_norm_is_no_clipping_and_records_the_norms(ragged):
    net = TwoLayerNet(3, 4, task="regression")
    kw = dict(batch_size=25, epochs=2, lr=0.05, rng=1)
    plain = train(net, ragged.X, ragged.y, "adam", **kw)
    for big in (1e300, float("inf")):
        res = train(net, ragged.X, ragged.y, "adam", clip_norm=big, **kw)
        _same_run(plain, res, 0.0)
        assert res.grad_norms.shape == (res.iterations,) and res.clip_norm == big
    # the first norm by hand: the gradient at the start on the first batch
    p0 = net.init_params(np.random.default_rng(1))
    order = np.random.default_rng(1)
    net.init_params(order)  # the same draws as train: params first, then the epoch's order
    idx = order.permutation(203)[:25]
    _, g = net.loss_and_grads(p0, ragged.X[idx], ragged.y[idx])
    assert res.grad_norms[0] == pytest.approx(
        math.sqrt(sum(float((v ** 2).sum()) for v in g.values())), rel=1e-13)
    assert plain.grad_norms is None


def test_clipped_gd_step_by_hand(reg):
    start = {"W": np.array([5.0, -5.0, 5.0]), "b": np.array([3.0])}
    dW, db = _mse_grads(start["W"], 3.0, reg.X, reg.y)
    norm = math.sqrt(dW @ dW + db * db)
    assert norm > 1.0
    res = train(LinearRegression(3), reg.X, reg.y, "gd", epochs=1, lr=0.1, params=start,
                clip_norm=1.0)
    coef = 1.0 / (norm + 1e-6)
    np.testing.assert_allclose(res.params["W"], start["W"] - 0.1 * coef * dW, rtol=1e-13)
    np.testing.assert_allclose(res.params["b"], [3.0 - 0.1 * coef * db], rtol=1e-13)
    assert res.grad_norms[0] == pytest.approx(norm, rel=1e-13)
    byval = train(LinearRegression(3), reg.X, reg.y, "gd", epochs=1, lr=0.1, params=start,
                  clip_value=0.5)
    np.testing.assert_allclose(byval.params["W"], start["W"] - 0.1 * np.clip(dW, -0.5, 0.5),
                               rtol=1e-13)
    assert byval.clip_value == 0.5 and byval.grad_norms[0] == pytest.approx(norm, rel=1e-13)


def test_clipping_changes_adam_on_a_cliff():
    """A few records far out make a cliff: their batches have gradients 100x the others'."""
    data = make_regression(n=200, d=2, noise=0.1, rng=7)
    X = data.X.copy()
    X[:4] *= 300.0
    kw = dict(batch_size=10, epochs=3, lr=0.05, rng=0)
    free = train(LinearRegression(2), X, data.y, "adam", clip_norm=float("inf"), **kw)
    clipped = train(LinearRegression(2), X, data.y, "adam", clip_norm=1.0, **kw)
    assert free.grad_norms.max() > 100 * np.median(free.grad_norms)  # the cliff is there
    assert np.abs(free.params["W"] - clipped.params["W"]).max() > 1e-3
    # both start from the same gradient, clipped or not: Adam's first step is lr * sign(dW),
    # so clipping shows only from the second step on (it sits before Adam's normalisation)
    assert clipped.loss_per_iteration[1] == pytest.approx(free.loss_per_iteration[1], rel=1e-6)


def test_divergence_with_options_still_stops_cleanly(reg):
    with pytest.warns(RuntimeWarning, match="the schedule made it"):
        res = train(LinearRegression(3), reg.X, reg.y, "gd", epochs=50, lr=50.0,
                    schedule="cosine", accumulate=3)
    assert res.diverged and np.isfinite(res.loss_per_iteration).all()
    assert len(res.lr_per_iteration) == res.iterations
    with pytest.warns(RuntimeWarning, match="diverged"):
        res = train(LinearRegression(3), reg.X, reg.y, "gd", batch_size=10, epochs=50,
                    lr=1e3, clip_value=1e6)
    assert res.diverged and len(res.grad_norms) == res.iterations


@pytest.mark.parametrize("kwargs, error, match", [
    ({"clip_norm": 0}, ValueError, r"clip_norm must be > 0"),
    ({"clip_norm": "1"}, TypeError, r"clip_norm must be a real number"),
    ({"clip_norm": float("nan")}, ValueError, r"clip_norm"),
    ({"clip_value": float("inf")}, ValueError, r"clip_value must be finite"),
    ({"clip_value": -1.0}, ValueError, r"clip_value must be > 0"),
    ({"clip_norm": 1.0, "clip_value": 1.0}, ValueError, r"clip_norm or clip_value, not both"),
    ({"schedule": "step"}, TypeError, r"schedule='step' needs step_size: pass schedule=make_"),
    ({"schedule": "cosin"}, ValueError, r"schedule must be one of .*did you mean 'cosine'"),
    ({"schedule": 0.5}, TypeError, r"schedule must be None, a name in .* got 0.5"),
    ({"schedule": make_schedule("warmup_cosine", warmup=10)}, ValueError,
     r"warmup_cosine: total must be more than warmup=10"),
    ({"accumulate": 0}, ValueError, r"accumulate .* must be in \[1, 10\], got 0"),
    ({"accumulate": 4, "batch_size": 3}, ValueError, r"accumulate .*of 3 records.*\[1, 3\]"),
    ({"accumulate": 1.5}, TypeError, r"accumulate .* must be an integer"),
])
def test_train_option_messages(kwargs, error, match):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(error, match=match):
            train(LIN, X3, Y3, epochs=1, **kwargs)


@pytest.mark.parametrize("name", ["adafactor", "muon"])
def test_record_lr_is_refused_up_front_for_rules_without_a_rate(name):
    """Adafactor's and Muon's steps are not lr times a per-parameter factor: asking for that
    factor is refused before any step, with the optimizer named (not after the first step)."""
    from course_lib.paths import run_path
    X, y = make_regression(40, 3, rng=0)[:2]
    with pytest.raises(ValueError, match=f"record_lr=True .*record_lr=False with '{name}'"):
        train(LinearRegression(3), X, y, name, batch_size=8, epochs=1, record_lr=True)
    with pytest.raises(ValueError, match=f"record_lr=True .*record_lr=False with '{name}'"):
        run_path("bowl", name, steps=5, record_lr=True)
