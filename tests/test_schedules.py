"""Tests for course_lib.core.schedules: each schedule by its closed form, and against torch."""
import math

import numpy as np
import pytest

from course_lib.core.schedules import SCHEDULES, Schedule, make_schedule

N = 300


def _closed_form(name, p, n):
    """The published formulas, written out per update t = 1..n (e = t - 1 updates taken)."""
    out = []
    for t in range(1, n + 1):
        e = t - 1
        if name == "constant":
            f = 1.0
        elif name == "step":
            f = p["gamma"] ** (e // p["step_size"])
        elif name == "exponential":
            f = p["gamma"] ** e
        elif name == "cosine":
            m, T = p["min_factor"], p["total"]
            f = m + (1 - m) * (1 + math.cos(math.pi * min(e, T) / T)) / 2
        else:
            W, T, m = p["warmup"], p["total"], p["min_factor"]
            if t <= W:
                f = t / W
            else:
                f = m + (1 - m) * (1 + math.cos(math.pi * min(e - W, T - W) / (T - W))) / 2
        out.append(f)
    return np.array(out)


CASES = [("constant", {}), ("step", {"step_size": 30, "gamma": 0.5}),
         ("exponential", {"gamma": 0.98}), ("cosine", {"total": 250, "min_factor": 0.1}),
         ("cosine", {"total": N, "min_factor": 0.0}),
         ("warmup_cosine", {"warmup": 20, "total": 250, "min_factor": 0.05}),
         ("warmup_cosine", {"warmup": 0, "total": 100, "min_factor": 0.0})]


@pytest.mark.parametrize(("name", "params"), CASES)
def test_closed_form(name, params):
    sched = make_schedule(name, **params)
    expected = _closed_form(name, params, N)
    np.testing.assert_allclose(sched.factors(N), expected, rtol=1e-13, atol=1e-15)
    for t in (1, 2, 37, N):
        assert sched(t) == pytest.approx(expected[t - 1], rel=1e-13, abs=1e-15)


def test_by_hand():
    assert make_schedule("step", step_size=2, gamma=0.5).factors(5).tolist() == \
        [1.0, 1.0, 0.5, 0.5, 0.25]
    warm = make_schedule("warmup_cosine", warmup=4, total=8, min_factor=0.0)
    # 1/4 .. 4/4, then the cosine from 1 over 4 updates: (1 + cos(k pi / 4)) / 2, k = 0..4
    np.testing.assert_allclose(warm.factors(10), [0.25, 0.5, 0.75, 1.0, 1.0,
                                                  (1 + 0.5 ** 0.5) / 2, 0.5,
                                                  (1 - 0.5 ** 0.5) / 2, 0.0, 0.0], atol=1e-15)
    cos = make_schedule("cosine", total=4, min_factor=0.2)
    assert cos(1) == 1.0 and cos(3) == pytest.approx(0.6) and cos(5) == pytest.approx(0.2)
    assert cos(100) == pytest.approx(0.2)  # held after total
    # warmup = 0 is the plain cosine
    assert np.array_equal(make_schedule("warmup_cosine", warmup=0, total=50).factors(60),
                          make_schedule("cosine", total=50).factors(60))


def test_names_repr_and_total_binding():
    assert SCHEDULES == ("constant", "step", "exponential", "cosine", "warmup_cosine")
    sched = make_schedule("cosine")
    assert sched.needs_total and "total=None" in repr(sched)
    with pytest.raises(ValueError, match="no total yet"):
        sched(1)
    bound = sched.with_total(10)
    assert bound == make_schedule("cosine", total=10, min_factor=0.0)
    assert repr(bound) == "Schedule('cosine', total=10, min_factor=0.0)"
    assert bound.with_total(99) is bound  # a set total is kept
    assert "CosineAnnealingLR" in bound.torch and isinstance(bound, Schedule)


@pytest.mark.parametrize(("args", "match"), [
    (("nope",), "name must be one of"), (("cosin",), "did you mean 'cosine'"),
    (("step",), "needs step_size"), (("exponential",), "needs gamma"),
    (("step", {"step_size": 0}), "step_size"), (("step", {"step_size": 1.5}), "step_size"),
    (("exponential", {"gamma": 0.0}), "gamma"), (("exponential", {"gamma": 1.5}), "gamma"),
    (("cosine", {"total": 0}), "total"), (("cosine", {"min_factor": -0.1}), "min_factor"),
    (("cosine", {"min_factor": float("nan")}), "min_factor"),
    (("warmup_cosine", {"warmup": 10, "total": 10}), "more than warmup=10"),
    (("warmup_cosine", {"warmup": -1}), "warmup"), (("cosine", {"tota": 5}), "unknown"),
    ((3,), "name")])
def test_bad_arguments(args, match):
    name, params = args[0], (args[1] if len(args) > 1 else {})
    with pytest.raises((TypeError, ValueError), match=match):
        make_schedule(name, **params)


@pytest.mark.parametrize("bad", [0, -1, 1.5, "1", None])
def test_bad_t_and_n(bad):
    sched = make_schedule("constant")
    with pytest.raises((TypeError, ValueError), match=r"\bt\b"):
        sched(bad)
    with pytest.raises((TypeError, ValueError), match=r"\bn\b"):
        sched.factors(bad)


# ---- torch.optim.lr_scheduler ----------------------------------------------------------------
def _torch_factors(name, p, n, lr=0.3):
    """The lr torch's scheduler gives each optimizer.step(), divided by lr: update t = 1..n."""
    torch = pytest.importorskip("torch", reason="torch is not installed; `pip install "
                                "torch==2.13.0` (CPU) to compare with torch.optim.lr_scheduler")
    S = torch.optim.lr_scheduler
    w = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([w], lr=lr)
    if name == "constant":
        sched = S.LambdaLR(opt, lambda e: 1.0)
    elif name == "step":
        sched = S.StepLR(opt, step_size=p["step_size"], gamma=p["gamma"])
    elif name == "exponential":
        sched = S.ExponentialLR(opt, gamma=p["gamma"])
    elif name == "cosine":
        sched = S.CosineAnnealingLR(opt, T_max=p["total"], eta_min=p["min_factor"] * lr)
    else:
        W, T = p["warmup"], p["total"]
        sched = S.SequentialLR(opt, [
            S.LinearLR(opt, start_factor=1 / W, end_factor=1.0, total_iters=W - 1),
            S.CosineAnnealingLR(opt, T_max=T - W, eta_min=p["min_factor"] * lr)],
            milestones=[W])
    out = []
    for _ in range(n):
        out.append(opt.param_groups[0]["lr"] / lr)
        w.grad = torch.zeros(1, dtype=torch.float64)
        opt.step()        # update t uses the rate set before it ...
        sched.step()      # ... and the scheduler steps after it
    return np.array(out)


@pytest.mark.parametrize(("name", "params"), [c for c in CASES if c[1].get("warmup") != 0])
def test_matches_torch(name, params):
    n = params.get("total", N)  # torch's cosine is periodic past T_max; ours holds min_factor
    expected = _torch_factors(name, params, n)
    np.testing.assert_allclose(make_schedule(name, **params).factors(n), expected,
                               rtol=1e-12, atol=1e-14)


def test_warmup_cosine_matches_torch_lambda():
    torch = pytest.importorskip("torch", reason="torch is not installed")
    p = {"warmup": 7, "total": 120, "min_factor": 0.0}
    W, T = p["warmup"], p["total"]
    w = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([w], lr=1.0)
    sched = torch.optim.lr_scheduler.LambdaLR(   # e = last_epoch = updates taken
        opt, lambda e: (e + 1) / W if e < W else (1 + math.cos(math.pi * (e - W) / (T - W))) / 2)
    got = []
    for _ in range(T + 1):
        got.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    np.testing.assert_allclose(make_schedule("warmup_cosine", **p).factors(T + 1), got,
                               rtol=1e-13, atol=1e-15)
