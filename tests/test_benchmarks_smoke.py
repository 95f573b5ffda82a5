"""The benchmark code runs (tiny sizes, no timing asserted), and the hot paths it measures give
the plain training loop's numbers.

Speed is measured by ``make bench`` (benchmarks/run_all.py), never asserted here.
"""
import importlib.util
import json
import math
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from course_lib import models, training
from course_lib.data import make_classification, make_large, make_regression
from course_lib.models import LinearRegression, LogisticRegression, _chunk_rows
from course_lib.optimizers import OPTIMIZERS, _flat_stepper
from course_lib.training import train

ROOT = Path(__file__).resolve().parents[1]


# --------------------------------------------------------------------------------------------
# The fast path of train (linear and logistic regression) against the plain loop, which the
# rest of the suite checks against hand-written references.
def _plain(monkeypatch):
    """Make train run the plain loop (_Run) for every model."""
    monkeypatch.setattr(training, "_LinearRun", training._Run)


def _runs(monkeypatch, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        fast = train(*args, progress=False, **kwargs)
        with monkeypatch.context() as m:
            _plain(m)
            plain = train(*args, progress=False, **kwargs)
    return fast, plain


def _assert_same(fast, plain):
    for k in plain.params:
        np.testing.assert_array_equal(fast.params[k], plain.params[k])
    np.testing.assert_array_equal(fast.loss_per_iteration, plain.loss_per_iteration)
    np.testing.assert_array_equal(fast.loss_per_epoch, plain.loss_per_epoch)
    assert (fast.iterations, fast.epochs_run, fast.diverged) == \
        (plain.iterations, plain.epochs_run, plain.diverged)
    assert fast.message == plain.message


@pytest.fixture(scope="module")
def small():
    return {"classification": make_classification(n=150, d=3, rng=1),
            "regression": make_regression(n=150, d=3, noise=0.3, rng=2)}


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
@pytest.mark.parametrize("batch_size", [None, 1, 7, 150])
@pytest.mark.parametrize("model", [LogisticRegression(3), LinearRegression(3)], ids=repr)
def test_fast_loop_gives_the_plain_loops_numbers_bit_for_bit(monkeypatch, small, model,
                                                             optimizer, batch_size):
    data = small[model.task]
    lr = 0.5 if optimizer == "adadelta" else 0.05
    fast, plain = _runs(monkeypatch, model, data.X, data.y, optimizer, batch_size=batch_size,
                        epochs=2, lr=lr, rng=3)
    _assert_same(fast, plain)


def test_fast_loop_really_is_taken(monkeypatch, small):
    """Guard for the test above: the plain loop never runs for a linear model."""
    def refuse(*args, **kwargs):
        raise AssertionError("the plain loop ran")

    monkeypatch.setattr(training._Run, "step", refuse)
    data = small["classification"]
    for batch_size in (None, 1, 10):
        train(LogisticRegression(3), data.X, data.y, "adam", batch_size=batch_size, epochs=1)


@pytest.mark.parametrize("batch_size", [None, 1, 16])
def test_fast_loop_stops_a_divergence_like_the_plain_loop(monkeypatch, small, batch_size):
    data = small["regression"]
    fast, plain = _runs(monkeypatch, LinearRegression(3), data.X, data.y, "gd",
                        batch_size=batch_size, epochs=50, lr=3.0, rng=0, record_path=True)
    assert fast.diverged and "try a smaller learning rate" in fast.message
    _assert_same(fast, plain)
    np.testing.assert_array_equal(fast.path["W"], plain.path["W"])
    assert all(np.all(np.isfinite(p)) for p in fast.params.values())


def test_fast_loop_records_the_same_path(monkeypatch, small):
    data = small["classification"]
    start = {"W": np.array([0.5, -1.0, 0.25]), "b": np.array([0.1])}
    fast, plain = _runs(monkeypatch, LogisticRegression(3), data.X, data.y, "momentum",
                        batch_size=32, epochs=2, lr=0.1, params=start, record_path=True)
    _assert_same(fast, plain)
    for k in ("W", "b"):
        np.testing.assert_array_equal(fast.path[k], plain.path[k])
    assert fast.path["W"].shape == (fast.iterations + 1, 3)
    assert start["W"].tolist() == [0.5, -1.0, 0.25]  # the caller's params untouched


def test_full_batch_in_chunks_agrees_to_rounding(monkeypatch):
    """More records than one chunk: only the order of the sums changes."""
    data = make_large(n=2 * _chunk_rows(4) + 123, d=4, rng=0)
    fast, plain = _runs(monkeypatch, LogisticRegression(4), data.X, data.y, "adam",
                        epochs=3, lr=0.1)
    for k in plain.params:
        np.testing.assert_allclose(fast.params[k], plain.params[k], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(fast.loss_per_iteration, plain.loss_per_iteration, rtol=1e-13)
    np.testing.assert_allclose(fast.loss_per_epoch, plain.loss_per_epoch, rtol=1e-13)


def test_chunked_gradient_matches_the_closed_form():
    """Logistic-regression gradient X^T (sigmoid(z) - y) / n, written out here, over chunks."""
    model = LogisticRegression(3)
    gen = np.random.default_rng(0)
    n = 3 * _chunk_rows(3) + 7
    X, y = gen.standard_normal((n, 3)), (gen.random(n) < 0.5).astype(float)
    theta = np.array([0.3, -0.2, 0.1, 0.05])
    z = X @ theta[:3] + theta[3]
    p = 1.0 / (1.0 + np.exp(-z))
    grad = np.empty(4)
    loss = model._flat_loss_and_grad(theta, X, y, grad)
    np.testing.assert_allclose(grad[:3], X.T @ (p - y) / n, rtol=1e-12)
    assert grad[3] == pytest.approx(np.mean(p - y), rel=1e-12)
    assert loss == pytest.approx(np.mean(np.log1p(np.exp(z)) - y * z), rel=1e-12)
    assert model._flat_loss(theta, X, y) == loss
    lean = np.empty(4)
    model._flat_grad(theta, X, y, lean)  # the full batch's step: the lean pass
    np.testing.assert_allclose(lean, grad, rtol=1e-13, atol=1e-17)


def test_lean_full_batch_gradient_of_linear_regression_and_extreme_logits():
    n = 2 * _chunk_rows(2) + 5
    gen = np.random.default_rng(1)
    X, y = gen.standard_normal((n, 2)), gen.standard_normal(n)
    theta = np.array([0.7, -1.3, 0.2])
    lean = np.empty(3)
    LinearRegression(2)._flat_grad(theta, X, y, lean)
    e = X @ theta[:2] + theta[2] - y          # L = mean(e^2): dL/dW = 2 X^T e / n
    np.testing.assert_allclose(lean, np.append(2 * X.T @ e / n, 2 * e.mean()), rtol=1e-12)
    # logits of +-1000: sigmoid is exactly 0 or 1, no NaN from the overflowing exp(-z)
    X = np.where(gen.random((n, 2)) < 0.5, -1.0, 1.0) * 1000.0
    y = (X[:, 0] > 0).astype(float)
    with np.errstate(over="ignore"):
        LogisticRegression(2)._flat_grad(np.array([1.0, 0.0, 0.0]), X, y, lean)
    np.testing.assert_array_equal(lean, np.zeros(3))


def _reference_loss_and_grad(task, theta, X, y):
    """The mean loss and [dW, db], written out from the formulas (math module, record by
    record, plain sums): the independent reference for the mini-batch kernel."""
    n, d = X.shape
    loss, g = 0.0, [0.0] * (d + 1)
    for x, t in zip(X.tolist(), y.tolist(), strict=True):
        z = math.fsum(a * w for a, w in zip(x, theta[:d].tolist(), strict=True)) + theta[d]
        if task == "regression":
            loss += (z - t) ** 2
            dz = 2.0 * (z - t)
        else:
            loss += max(z, 0.0) + math.log1p(math.exp(-abs(z))) - t * z   # log(1 + e^z) - t z
            dz = (1.0 / (1.0 + math.exp(-z)) if z >= 0 else
                  math.exp(z) / (1.0 + math.exp(z))) - t                  # sigmoid(z) - t
        for j in range(d):
            g[j] += x[j] * dz
        g[d] += dz
    return loss / n, np.array(g) / n


@pytest.mark.parametrize("model", [LogisticRegression(5), LinearRegression(5)], ids=repr)
@pytest.mark.parametrize("scale", [0.5, 30.0])
def test_batch_kernel_is_the_formula_and_the_chunk_pass_bit_for_bit(model, scale):
    gen = np.random.default_rng(7)
    X, theta = gen.standard_normal((300, 5)), gen.standard_normal(6) * scale
    y = (gen.random(300) < 0.5).astype(float) if model.task == "classification" else \
        gen.standard_normal(300)
    X_b, grad = np.empty_like(X), np.empty(6)
    kernel = model._batch_kernel(X_b, grad)
    X_b[...] = X
    loss = kernel(theta, y)
    want_loss, want_grad = _reference_loss_and_grad(model.task, theta, X, y)
    assert loss == pytest.approx(want_loss, rel=1e-12)
    np.testing.assert_allclose(grad, want_grad, rtol=1e-10, atol=1e-14 * scale)
    again = np.empty(6)  # the chunk pass the rest of the loop uses: the same numbers exactly
    assert model._flat_loss_and_grad(theta, X, y, again) == loss
    np.testing.assert_array_equal(again, grad)
    X, y = X[::-1].copy(), y[::-1].copy()  # new records: the kernel reads its buffer anew
    X_b[...] = X
    assert kernel(theta, y) == model._flat_loss_and_grad(theta, X, y, again)
    np.testing.assert_array_equal(again, grad)


def test_batch_kernel_sigmoid_at_zero_extremes_and_nan():
    """The sigmoid's two halves: z = 0 and z > 0 give sigmoid(|z|), z < 0 e^z sigmoid(|z|);
    logits of +-1000 give exactly 1 and 0 and a finite loss; a NaN logit stays NaN."""
    model = LogisticRegression(1)
    X_b, grad = np.empty((5, 1)), np.empty(2)
    kernel = model._batch_kernel(X_b, grad)
    X_b[:, 0] = [0.0, -0.0, 1000.0, -1000.0, 2.0]
    y = np.array([0.0, 0.0, 0.0, 1.0, 0.0])
    loss = kernel(np.array([1.0, 0.0]), y)
    dz = np.array([0.5, 0.5, 1.0, -1.0, 1.0 / (1.0 + math.exp(-2.0))]) / 5  # sigmoid(z) - y
    assert grad[1] == pytest.approx(dz.sum(), rel=1e-15)
    assert grad[0] == pytest.approx(X_b[:, 0] @ dz, rel=1e-15)
    assert loss == pytest.approx((2 * math.log(2) + 1000.0 + 1000.0 + math.log1p(math.exp(2.0)))
                                 / 5, rel=1e-15)
    X_b[0, 0] = np.nan
    assert math.isnan(kernel(np.array([1.0, 0.0]), y)) and np.isnan(grad).all()


def test_batch_kernel_refuses_a_batch_above_one_chunk():
    model = LogisticRegression(2)
    with pytest.raises(ValueError, match="_batch_kernel"):
        model._batch_kernel(np.empty((_chunk_rows(2) + 1, 2)), np.empty(3))


def test_minibatches_take_the_kernel_and_only_the_last_short_batch_the_chunk_pass(monkeypatch,
                                                                                  small):
    calls = []
    real = training._LinearRun.flat_step
    monkeypatch.setattr(training._LinearRun, "flat_step",
                        lambda self, X_b, y_b, loss=None: calls.append(X_b.shape[0]) or
                        real(self, X_b, y_b, loss))
    data = small["classification"]  # 150 records
    res = train(LogisticRegression(3), data.X, data.y, "adam", batch_size=10, epochs=2,
                progress=False)
    assert calls == [] and res.iterations == 30
    train(LogisticRegression(3), data.X, data.y, "adam", batch_size=40, epochs=2,
          progress=False)
    assert calls == [30, 30]  # 3 batches of 40 by the kernel, the last 30 records per epoch


def test_minibatches_above_one_chunk_agree_to_rounding(monkeypatch):
    """A mini-batch bigger than a chunk goes through the chunked pass: only the order of the
    sums over the chunks differs from the plain loop."""
    data = make_large(n=2 * _chunk_rows(2) + 5000, d=2, rng=4)
    fast, plain = _runs(monkeypatch, LogisticRegression(2), data.X, data.y, "adam",
                        batch_size=_chunk_rows(2) + 1, epochs=2, lr=0.05, rng=1)
    assert fast.iterations == plain.iterations == 6
    np.testing.assert_allclose(fast.loss_per_iteration, plain.loss_per_iteration, rtol=1e-13)
    for k in plain.params:
        np.testing.assert_allclose(fast.params[k], plain.params[k], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_flat_stepper_is_the_registry_step(name):
    """The flat vector is W then b (the linear models' layout). Element-wise rules may update
    it as one array; Adafactor and Muon treat W and b differently, so theirs is the registry
    step on {"W": p[:-1], "b": p[-1:]}."""
    opt = OPTIMIZERS[name]
    hp = opt.check_hparams(lr=0.5 if name == "adadelta" else 0.05)
    gen = np.random.default_rng(5)
    w0 = gen.standard_normal(4)
    split = (lambda v: {"W": v[:-1], "b": v[-1:]}) if not opt.elementwise else \
        (lambda v: {"W": v})
    params = split(w0.copy())
    state = opt.init(split(np.zeros(4)))
    step, p, out = _flat_stepper(opt, hp, 4), w0.copy(), np.empty(4)
    for _ in range(5):
        g = gen.standard_normal(4) * 10.0 ** gen.integers(-6, 3, 4)
        params, state = opt.step(params, {"d" + k: v for k, v in split(g).items()}, state, **hp)
        step(p, g, out)
        p, out = out.copy(), p
        np.testing.assert_array_equal(p, np.concatenate(list(params.values())))


def test_big_data_trains_with_one_blas_thread(monkeypatch):
    threadpoolctl = pytest.importorskip("threadpoolctl")
    seen = []
    real = training._blas_limit

    def spy(size):
        seen.append(size)
        return real(size)

    monkeypatch.setattr(training, "_blas_limit", spy)
    data = make_large(n=models.BLAS_ONE_THREAD_SIZE // 4, d=4, rng=0)
    train(LogisticRegression(4), data.X, data.y, "gd", epochs=1)
    assert seen == [data.X.size]

    def blas_threads():
        return {lib["num_threads"] for lib in threadpoolctl.threadpool_info()
                if lib["user_api"] == "blas"}

    with real(models.BLAS_ONE_THREAD_SIZE):
        assert blas_threads() <= {1}
    assert type(real(models.BLAS_ONE_THREAD_SIZE - 1)).__name__ == "nullcontext"


def test_public_model_methods_hold_blas_to_one_thread_on_big_data(monkeypatch):
    seen = []
    real = models._blas_limit
    monkeypatch.setattr(models, "_blas_limit", lambda size: seen.append(size) or real(size))
    model, X = LogisticRegression(2), np.ones((10, 2))
    params, y = model.init_params(), np.zeros(10)
    model.loss(params, X, y)
    model.loss_and_grads(params, X, y)
    _, cache = model.forward(params, X)
    model.backward(params, cache, y)
    assert seen == [20, 20, 20, 20]


# --------------------------------------------------------------------------------------------
# The benchmark scripts themselves, at toy sizes.
def _load(name):
    path = ROOT / "benchmarks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"bench_{name}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench():
    return {name: _load(name) for name in ("_common", "training_1m", "memory",
                                           "course_runtime", "run_all")}


def test_stat_is_median_min_max(bench):
    s = bench["_common"].Stat.of([3.0, 1.0, 2.0, 10.0])
    assert (s.median, s.min, s.max, s.n) == (2.5, 1.0, 10.0, 4)
    assert str(s.scaled(1e-3)) == "2.5 ms [1 ms–10 ms]"
    assert bench["_common"].fmt(3.2e6, "B") == "3.2 MB"
    with pytest.raises(ValueError, match="at least one value"):
        bench["_common"].Stat.of([])


def test_peak_bytes_sees_a_known_allocation(bench):
    peak = bench["memory"].peak_bytes(lambda: np.ones(1_000_000))
    assert 8_000_000 <= peak < 8_100_000


def test_memory_benchmark_full_batch_needs_more_than_a_mini_batch(bench):
    res = bench["memory"].measure(20_000, 4, batch_size=64, runs=1, log=lambda *a: None)
    peaks = [c["peak_bytes"] for c in res["calls"].values()]
    full, mini, chunked = peaks
    assert full >= 3 * 20_000 * 8          # at least z, e and p: n numbers each
    assert mini < full and chunked < full  # a batch, a chunk: far fewer than n rows
    assert len(bench["memory"].table(res)) == 2 + 3


def test_training_benchmark_runs_and_checks_its_targets(bench):
    t = bench["training_1m"]
    res = t.measure(3000, 4, runs=2, sgd_steps=300, torch_steps=20, use_torch=False,
                    plain=True, batches=(None, 1024, 64, 1), log=lambda *a: None)
    assert set(res["course"]) == {"full batch", "batch 1024", "batch 64", "batch 1"}
    assert set(res["plain"]) == {"full batch", "batch 1024", "batch 1"}
    sgd = res["course"]["batch 1"]
    assert sgd["extrapolated"] and sgd["steps_timed"] == 300
    assert sgd["epoch"].median == pytest.approx(3000 * sgd["step"].median)
    assert res["course"]["batch 64"]["steps_timed"] == math.ceil(3000 / 64)
    assert set(res["checks"]) == {"full batch / read pass", "batch 1024 / read pass",
                                  "SGD step (s)"}
    assert all(isinstance(c["ok"], bool) for c in res["checks"].values())
    for c in res["course"].values():  # one read pass per round, beside each epoch
        assert c["read_pass"].n == c["epoch"].n >= 2
    assert len(t.table(res)) == 2 + 4
    json.dumps(t.to_json(res))  # every Stat becomes a dict


def test_training_benchmark_batches_option(bench):
    t = bench["training_1m"]
    assert t.parse_batches("full, 1024,1") == (None, 1024, 1)
    for bad in ("0", "full,x", "", "-3"):
        with pytest.raises(Exception, match="--batches takes batch sizes"):
            t.parse_batches(bad)


def test_training_benchmark_breakdown(bench):
    t = bench["training_1m"]
    data = make_large(n=3000, d=4, rng=0)
    bd = t.breakdown(data.X, data.y, 256, runs=2)
    assert {k: bd[k].n for k in ("read", "gather", "kernel", "update", "epoch")} == \
        dict.fromkeys(("read", "gather", "kernel", "update", "epoch"), 2)
    assert bd["batch_size"] == 256 and "gather" in t.breakdown_lines(bd)[0]
    json.dumps(t.to_json(bd))


def test_training_benchmark_pytorch_side(bench):
    pytest.importorskip("torch", reason="torch is not installed")
    data = make_large(n=600, d=3, rng=0)
    out = bench["training_1m"].pytorch(data.X, data.y, 100, runs=2, max_steps=3, lr=1e-3,
                                       seed=0)
    assert out["extrapolated"] and out["steps_timed"] == 3 and out["epoch"].n == 2
    assert 0.0 < out["final_loss"] < 1.0   # near log 2 after 6 small Adam steps from zero


NOTEBOOK = {"cells": [{"cell_type": "code", "execution_count": None, "id": "a", "metadata": {},
                       "outputs": [], "source": "total = sum(range(10))\nprint(total)"}],
            "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                        "name": "python3"}},
            "nbformat": 4, "nbformat_minor": 5}


def test_course_benchmark_executes_in_memory_and_names_the_slowest(bench, tmp_path):
    pytest.importorskip("nbclient")
    good = tmp_path / "good.ipynb"
    good.write_text(json.dumps(NOTEBOOK))
    bad_nb = json.loads(json.dumps(NOTEBOOK))
    bad_nb["cells"][0]["source"] = "1 / 0"
    bad = tmp_path / "bad.ipynb"
    bad.write_text(json.dumps(bad_nb))
    before = {p.name: p.read_bytes() for p in (good, bad)}
    res = bench["course_runtime"].measure(tmp_path, runs=1, parallel=0, log=lambda *a: None)
    assert {p.name: p.read_bytes() for p in (good, bad)} == before  # never written
    assert res["count"] == 2 and res["slowest"] in ("good.ipynb", "bad.ipynb")
    assert set(res["errors"]) == {"bad.ipynb"} and "ZeroDivisionError" in res["errors"]["bad.ipynb"]
    assert "\x1b" not in res["errors"]["bad.ipynb"]
    assert res["cpu"]["good.ipynb"].median > 0 and not res["ok"]
    assert res["total"] == pytest.approx(sum(s.median for s in res["notebooks"].values()))
    assert res["baseline"]["cpu_seconds"].median > 0  # a kernel that only imports
    table = bench["course_runtime"].table(res)
    assert any("FAILED" in line for line in table) and any("fixed" in line for line in table)


def test_run_all_quick_writes_json(bench, tmp_path):
    code = bench["run_all"].main(["--quick", "--skip", "course", "--skip", "torch",
                                  "--skip", "slider", "--skip", "memory", "--runs", "1",
                                  "--output", str(tmp_path)])
    assert code == 0
    res = json.loads((tmp_path / "latest.json").read_text())
    assert res["quick"] and {"machine", "import", "training", "table"} <= set(res)
    assert res["import"]["course_lib"]["median"] > 0
    assert any("import course_lib" in row for row in res["table"])


def test_run_all_reprints_an_earlier_run(bench, tmp_path, capsys):
    saved = {"import": {"numpy": {"median": 0.1, "min": 0.09, "max": 0.2, "n": 3, "unit": "s"},
                        "course_lib": {"median": 0.05, "min": 0.04, "max": 0.06, "n": 3,
                                       "unit": "s"},
                        "ratio": 0.5, "ok": True}}
    path = tmp_path / "old.json"
    path.write_text(json.dumps(saved))
    assert bench["run_all"].main(["--from-json", str(path)]) == 0
    out = capsys.readouterr().out
    assert "| `import course_lib` (fresh interpreters) | 50 ms [40 ms–60 ms] | 0.50×" in out
