"""Data-parallel training on torch.distributed (course_lib.loops.distributed).

The runs that need torch start worker processes (a few seconds each, mostly importing torch):
the module-scoped fixtures launch each configuration once and several tests read the result.
Without torch those tests skip; global_batches, the argument checks, free_port and the
no-torch message are checked everywhere.
"""
import math
import multiprocessing
import socket
import sys

import numpy as np
import pytest

from course_lib.data import make_regression
from course_lib.loops import distributed as D
from course_lib.models import LinearRegression, TwoLayerNet
from course_lib.training import train

TORCH_REASON = ("torch is not installed; install the CPU wheel with `pip install torch==2.13.0` "
                "to run the data-parallel tests")
#: The ZeRO model, written out here (not read from the module): 8 tensors of 64 x 64 in float64.
ZERO_NUMBERS = 8 * 64 * 64
#: Adam's exp_avg and exp_avg_sq: two float64 numbers (8 B) per parameter.
ADAM_MOMENT_BYTES = 2 * 8 * ZERO_NUMBERS
#: One tensor's moments: the most sharding by whole tensors can be off by.
ONE_TENSOR_MOMENTS = 2 * 8 * 64 * 64
#: Adam's ``step`` is one scalar tensor per parameter tensor: at most 8 bytes each.
STEP_BYTES_MAX = 8


def same_path(got, want, rtol=1e-10):
    """Every entry of the two paths within ``rtol`` of the largest parameter on the path."""
    assert set(got) == set(want)
    for k in want:
        assert got[k].shape == want[k].shape, k
        scale = np.abs(want[k]).max()
        err = np.abs(got[k] - want[k]).max()
        assert err <= rtol * scale, f"{k}: max error {err:.3g}, {rtol:g} x scale {scale:.3g}"


def no_children_left():
    """No worker process of ours is still alive (multiprocessing tracks the spawned ones)."""
    return multiprocessing.active_children() == []


# --------------------------------------------------------------------------------------------
# global_batches: the batches train visits (no torch needed)
def replay_gd(X, y, params, batches, lr):
    """Plain NumPy mini-batch GD on the given index batches: MSE gradient written out."""
    W, b = params["W"].copy(), params["b"].copy()
    path = [np.concatenate([W, b])]
    for idx in batches:
        r = X[idx] @ W + b[0] - y[idx]
        m = idx.shape[0]
        W, b = W - lr * (2.0 / m) * (X[idx].T @ r), b - lr * (2.0 / m) * np.array([r.sum()])
        path.append(np.concatenate([W, b]))
    return np.array(path)


@pytest.mark.parametrize("batch_size", [1, 7, 10, 50, None])
def test_global_batches_replay_train(batch_size):
    data = make_regression(n=50, d=3, noise=0.3, rng=1)
    lr = 0.05
    res = train(LinearRegression(3), data.X, data.y, "gd", batch_size=batch_size, epochs=3, rng=5,
                lr=lr, record_path=True)
    batches = D.global_batches(50, batch_size, 3, rng=5)
    per_epoch = 1 if batch_size is None else math.ceil(50 / batch_size)
    assert len(batches) == 3 * per_epoch == res.iterations
    for e in range(3):  # every epoch visits every record once
        seen = np.concatenate(batches[e * per_epoch:(e + 1) * per_epoch])
        assert sorted(seen.tolist()) == list(range(50))
    replay = replay_gd(data.X, data.y, LinearRegression(3).init_params(0), batches, lr)
    want = np.hstack([res.path["W"], res.path["b"]])
    np.testing.assert_allclose(replay, want, rtol=1e-12, atol=1e-12)


def test_global_batches_count_the_model_draws():
    """TwoLayerNet draws its weights first: with model= the orders shift, as train's do."""
    model = TwoLayerNet(2, 3, task="regression")
    data = make_regression(n=20, d=2, noise=0.1, rng=2)
    X, y = data.X, data.y
    res = train(model, X, y, "gd", batch_size=6, epochs=2, rng=9, lr=0.1, record_path=True)
    params = {k: v[0] for k, v in res.path.items()}
    batches = D.global_batches(20, 6, 2, rng=9, model=model)
    for t, idx in enumerate(batches):
        _, grads = model.loss_and_grads(params, X[idx], y[idx])
        params = {k: p - 0.1 * grads["d" + k] for k, p in params.items()}
        for k in params:
            np.testing.assert_allclose(params[k], res.path[k][t + 1], rtol=1e-12, atol=1e-12)
    # without model= the first permutation is drawn from the fresh generator: another order
    plain = D.global_batches(20, 6, 2, rng=9)
    assert any(not np.array_equal(a, b) for a, b in zip(plain, batches, strict=True))


def test_global_batches_advance_a_generator_like_train():
    a, b = np.random.default_rng(4), np.random.default_rng(4)
    first = D.global_batches(10, 3, 1, rng=a)
    second = D.global_batches(10, 3, 1, rng=a)  # the next epoch of the same stream
    both = D.global_batches(10, 3, 2, rng=b)
    assert [x.tolist() for x in first + second] == [x.tolist() for x in both]


def test_shard_sizes_add_up_and_differ_by_at_most_one():
    assert D.shard_sizes(37, 2) == (19, 18)
    assert D.shard_sizes(2, 3) == (1, 1, 0)
    for m in range(0, 40):
        for w in range(1, 9):
            s = D.shard_sizes(m, w)
            assert sum(s) == m and max(s) - min(s) <= 1
            assert s == tuple(len(p) for p in np.array_split(np.arange(m), w))


# --------------------------------------------------------------------------------------------
# arguments, the port, the message without torch (no torch needed: checks come first)
def test_free_port_can_be_bound():
    port = D.free_port()
    assert 1024 <= port <= 65535
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", port))   # raises OSError if it were taken
        sock.listen()


def _xy(n=20, d=2):
    data = make_regression(n=n, d=d, noise=0.1, rng=0)
    return data.X, data.y


@pytest.mark.parametrize("kwargs, error, words", [
    ({"world_size": 0}, ValueError, ["world_size", "0"]),
    ({"world_size": 9}, ValueError, ["world_size", "9", "8"]),
    ({"world_size": 2.5}, TypeError, ["world_size", "2.5"]),
    ({"world_size": 4, "batch_size": 3}, ValueError, ["world_size", "4", "batch size (3"]),
    ({"batch_size": 0}, ValueError, ["batch_size", "0"]),
    ({"batch_size": 21}, ValueError, ["batch_size", "[1, 20]"]),
    ({"batch_size": "8"}, TypeError, ["batch_size", "'8'"]),
    ({"epochs": 0}, ValueError, ["epochs", "0"]),
    ({"optimizer": "adamw"}, ValueError, ["optimizer", "'adamw'", "'adam'"]),
    ({"lr": -0.1}, ValueError, ["lr", "-0.1"]),
    ({"lr": float("nan")}, ValueError, ["lr", "NaN"]),
    ({"rng": -1}, TypeError, ["rng", "-1"]),
    ({"zero": "yes"}, TypeError, ["zero", "'yes'"]),
    ({"timeout": 0}, ValueError, ["timeout", "0"]),
    ({"timeout": 1e9}, ValueError, ["timeout", "3600"]),
    ({"_fail_rank": 2}, ValueError, ["_fail_rank", "2"]),
])
def test_arguments_are_checked(kwargs, error, words):
    X, y = _xy()
    args = {"world_size": 2, "batch_size": 8, "epochs": 1} | kwargs
    with pytest.raises(error) as info:
        D.data_parallel_run(X, y, **args)
    for word in words:
        assert word in str(info.value), (word, str(info.value))
    assert no_children_left()


def test_data_are_checked():
    X, y = _xy()
    with pytest.raises(ValueError, match="same number of records"):
        D.data_parallel_run(X, y[:-1], batch_size=4, epochs=1)
    bad = X.copy()
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match="X"):
        D.data_parallel_run(bad, y, batch_size=4, epochs=1)
    with pytest.raises(ValueError, match="X"):
        D.data_parallel_run(X[:, 0], y, batch_size=4, epochs=1)
    with pytest.raises((TypeError, ValueError), match="X"):  # ragged rows
        D.data_parallel_run([[1.0, 2.0], [3.0]], [0.0, 1.0], batch_size=1, epochs=1)


@pytest.mark.parametrize("call, error, words", [
    (lambda: D.global_batches(0, 1, 1, 0), ValueError, ["n", "0"]),
    (lambda: D.global_batches(5, 6, 1, 0), ValueError, ["batch_size", "[1, 5]"]),
    (lambda: D.global_batches(5, 2, 0, 0), ValueError, ["epochs", "0"]),
    (lambda: D.global_batches(5, 2, 1, 1.5), TypeError, ["rng", "1.5"]),
    (lambda: D.global_batches(5, 2, 1, 0, model="net"), TypeError, ["model", "'net'"]),
    (lambda: D.shard_sizes(-1, 2), ValueError, ["m", "-1"]),
    (lambda: D.shard_sizes(4, 0), ValueError, ["world_size", "0"]),
])
def test_helper_arguments_are_checked(call, error, words):
    with pytest.raises(error) as info:
        call()
    for word in words:
        assert word in str(info.value), (word, str(info.value))


def test_without_torch_the_message_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # `import torch` now raises ImportError
    ok, message = D.torch_status()
    assert ok is False
    assert "pip install torch==2.13.0" in message and "torch.distributed" in message
    X, y = _xy()
    with pytest.raises(ImportError) as info:
        D.data_parallel_run(X, y, batch_size=4, epochs=1)
    assert str(info.value) == message
    assert info.value.__cause__ is None and info.value.__context__ is None  # no deep traceback
    assert no_children_left()


# --------------------------------------------------------------------------------------------
# real runs (torch)
@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch", reason=TORCH_REASON)


@pytest.fixture(scope="module")
def gd_run(torch):
    """GD, 2 workers, an odd global batch (37 -> shards 19 + 18; the last batch of each epoch
    has 301 - 8 x 37 = 5 records -> 3 + 2), with the ZeRO measurement."""
    data = make_regression(n=301, d=3, noise=0.2, rng=11)
    res = D.data_parallel_run(data.X, data.y, world_size=2, batch_size=37, epochs=2,
                              optimizer="gd", lr=0.05, rng=7, zero=True, timeout=300)
    return data, res


@pytest.fixture(scope="module")
def adam_run(torch):
    """Adam, 3 workers, global batch 64 of 200 records (shards 22 + 21 + 21, last batch 8 ->
    3 + 3 + 2), with the ZeRO measurement (8 tensors on 3 workers: 3 + 3 + 2)."""
    data = make_regression(n=200, d=4, noise=0.2, rng=12)
    res = D.data_parallel_run(data.X, data.y, world_size=3, batch_size=64, epochs=3,
                              optimizer="adam", lr=0.05, rng=8, zero=True, timeout=300)
    return data, res


def test_gd_trajectory_equals_train(gd_run):
    data, res = gd_run
    want = train(LinearRegression(3), data.X, data.y, "gd", batch_size=37, epochs=2, rng=7,
                 lr=0.05, record_path=True)
    assert res.iterations == want.iterations == 2 * math.ceil(301 / 37)
    assert D.shard_sizes(37, 2) == (19, 18) and D.shard_sizes(301 % 37, 2) == (3, 2)
    same_path(res.path, want.path)
    assert np.abs(res.path["W"][-1] - res.path["W"][0]).max() > 0.1  # it did move
    np.testing.assert_array_equal(res.params["W"], res.path["W"][-1])
    assert res.world_size == 2 and res.batch_size == 37 and res.optimizer == "gd"
    assert 0 < res.loop_seconds < res.seconds
    assert no_children_left()


def test_adam_trajectory_equals_train(adam_run):
    data, res = adam_run
    want = train(LinearRegression(4), data.X, data.y, "adam", batch_size=64, epochs=3, rng=8,
                 lr=0.05, record_path=True)
    assert res.hparams == want.hparams  # the course's beta1, beta2, eps went to torch
    same_path(res.path, want.path)
    assert no_children_left()


def test_mean_of_shard_means_would_be_wrong(adam_run):
    """The weighting matters: with uneven shards, averaging the shards' mean gradients is not
    the batch's mean gradient. (So the equality above tests the weighting.)"""
    data, _ = adam_run
    idx = np.arange(8)          # a batch of 8 on 3 workers: shards 3 + 3 + 2
    W, b = np.ones(4), 0.5
    r = data.X[idx] @ W + b - data.y[idx]
    batch_mean = 2 * data.X[idx].T @ r / 8
    shard_means = [2 * data.X[s].T @ r[s] / len(s) for s in np.array_split(idx, 3)]
    assert np.abs(np.mean(shard_means, axis=0) - batch_mean).max() > 1e-3


@pytest.mark.parametrize("which", ["gd_run", "adam_run"])
def test_zero_shards_adam_state(which, request):
    _, res = request.getfixturevalue(which)
    world = res.world_size
    assert res.zero_n_params == ZERO_NUMBERS
    # unsharded Adam: both moments of every number, plus one step counter per tensor
    assert ADAM_MOMENT_BYTES < res.full_state_bytes <= ADAM_MOMENT_BYTES + 8 * STEP_BYTES_MAX
    # the shards partition the state: together exactly the unsharded bytes
    assert len(res.zero_state_bytes) == world
    assert sum(res.zero_state_bytes) == res.full_state_bytes
    # each worker about 1/world of it: off by at most one tensor's state (whole tensors are
    # split: 8 over 3 gives 3 + 3 + 2) and the step counters
    for got in res.zero_state_bytes:
        assert abs(got - res.full_state_bytes / world) <= ONE_TENSOR_MOMENTS + 8 * STEP_BYTES_MAX
    if 8 % world == 0:  # an even split: exactly 1/world of the moments, plus the counters
        for got in res.zero_state_bytes:
            assert ADAM_MOMENT_BYTES // world < got <= ADAM_MOMENT_BYTES // world + 8 * 8 // world
    assert res.zero_max_diff == 0.0  # sharding moves the state, not the update


def test_zero_false_skips_the_measurement(torch):
    data = make_regression(n=40, d=2, noise=0.1, rng=3)
    res = D.data_parallel_run(data.X, data.y, world_size=1, batch_size=None, epochs=3,
                              optimizer="gd", lr=0.1, rng=0, zero=False, timeout=300)
    want = train(LinearRegression(2), data.X, data.y, "gd", epochs=3, rng=0, lr=0.1,
                 record_path=True)
    same_path(res.path, want.path)  # one worker, the full batch: plain GD
    assert res.zero_state_bytes is None and res.full_state_bytes is None
    assert res.zero_max_diff is None and res.zero_n_params is None
    assert no_children_left()


def test_a_failing_worker_is_reported_with_its_rank(torch):
    data = make_regression(n=40, d=2, noise=0.1, rng=3)
    with pytest.raises(RuntimeError) as info:
        D.data_parallel_run(data.X, data.y, world_size=2, batch_size=8, epochs=1, lr=0.1,
                            zero=False, timeout=300, _fail_rank=1)
    text = str(info.value)
    assert "worker rank 1 of 2 failed" in text
    assert "deliberate failure of rank 1" in text   # the worker's own message, carried over
    assert no_children_left()                        # rank 0, stuck in all_reduce, was stopped


def test_a_run_past_its_timeout_is_stopped(torch):
    """0.5 s is less than a worker needs to import torch: the deadline passes, all are killed."""
    data = make_regression(n=40, d=2, noise=0.1, rng=3)
    with pytest.raises(TimeoutError, match="timeout=0.5 s"):
        D.data_parallel_run(data.X, data.y, world_size=2, batch_size=8, epochs=1, lr=0.1,
                            zero=False, timeout=0.5)
    assert no_children_left()


def test_a_taken_port_gets_one_more_launch(torch, monkeypatch):
    """The first port handed out is held by this test: rank 0 cannot bind it ("address already
    in use"), and the run starts once more on the next port."""
    holder = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    holder.bind(("127.0.0.1", 0))
    holder.listen()
    ports = [holder.getsockname()[1]]
    real = D.free_port

    def first_taken(host="127.0.0.1"):
        ports.append(real(host))
        return ports.pop(0)

    monkeypatch.setattr(D, "free_port", first_taken)
    data = make_regression(n=30, d=2, noise=0.1, rng=3)
    try:
        res = D.data_parallel_run(data.X, data.y, world_size=1, batch_size=10, epochs=1,
                                  lr=0.1, zero=False, timeout=300)
    finally:
        holder.close()
    assert len(ports) == 1  # free_port was asked twice: the held port, then a new one
    want = train(LinearRegression(2), data.X, data.y, "gd", batch_size=10, epochs=1, rng=0,
                 lr=0.1, record_path=True)
    same_path(res.path, want.path)
    assert no_children_left()
