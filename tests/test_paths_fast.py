"""run_path's fast path (scalar twins of the update rules, ``optimizers._scalar_stepper``) gives
the same bits as the plain loop of ``Optimizer.step`` on dicts of arrays: every optimizer, every
problem, several hyperparameter settings, converging, diverging, escaping and noisy runs."""
import math

import numpy as np
import pytest

from course_lib import paths
from course_lib.optimizers import OPTIMIZERS, _scalar_stepper
from course_lib.paths import run_path
from course_lib.problems import PROBLEMS, Problem, get_problem, noisy

# Learning rates from slow to far too large (diverging), per optimizer family, and other
# hyperparameters away from the defaults (beta = 0 makes beta**t = 0; large eps; weight decay).
LRS = [1e-4, 2e-3, 0.05, 0.5, 5.0, 1e3, 1e8]
EXTRA = {
    "gd": [{}],
    "momentum": [{}, {"beta": 0.0}, {"beta": 0.99}],
    "nesterov": [{}, {"beta": 0.0}, {"beta": 0.99}],
    "adagrad": [{}, {"eps": 0.5}],
    "rmsprop": [{}, {"beta": 0.0}, {"beta": 0.999, "eps": 1e-3}],
    "adadelta": [{}, {"rho": 0.0}, {"rho": 0.99, "eps": 1e-2}],
    "adam": [{}, {"beta1": 0.0, "beta2": 0.5}, {"beta1": 0.99, "beta2": 0.9999, "eps": 0.1}],
    "amsgrad": [{}, {"beta1": 0.0, "beta2": 0.5}, {"beta1": 0.5, "beta2": 0.9}],
    "adamw": [{}, {"weight_decay": 0.0}, {"weight_decay": 0.5, "beta1": 0.5}],
    "nadam": [{}, {"beta1": 0.0}, {"beta1": 0.99, "beta2": 0.9}],
    # chapter 12: no scalar twins (run_path runs Optimizer.step); the checks still hold
    "radam": [{}, {"beta1": 0.0, "beta2": 0.5}],
    "adafactor": [{}, {"beta2_decay": 0.0, "d": 2.0, "weight_decay": 0.1}],
    "muon": [{}, {"beta": 0.0, "weight_decay": 0.0}],
    "lion": [{}, {"beta1": 0.0, "weight_decay": 0.1}],
}
MODERN = ("radam", "adafactor", "muon", "lion")


def plain(problem, name, **kw):
    """run_path with the fast path switched off: the reference loop of Optimizer.step."""
    orig = paths._scalar_stepper
    paths._scalar_stepper = lambda opt, hp: None
    try:
        return run_path(problem, name, **kw)
    finally:
        paths._scalar_stepper = orig


def assert_same(fast, ref):
    assert fast.path.dtype == ref.path.dtype == np.float64
    assert fast.path.shape == ref.path.shape
    assert fast.path.tobytes() == ref.path.tobytes()  # bit for bit, -0.0 included
    assert fast.losses.tobytes() == ref.losses.tobytes()
    assert (fast.diverged, fast.message, fast.steps_taken) == (ref.diverged, ref.message,
                                                               ref.steps_taken)
    assert (fast.optimizer, fast.hparams, fast.lr_eff) == (ref.optimizer, ref.hparams, None)


def test_every_library_rule_before_chapter_12_has_a_scalar_twin():
    for name, opt in OPTIMIZERS.items():
        assert (_scalar_stepper(opt, opt.defaults) is None) == (name in MODERN), name


@pytest.mark.parametrize("name", list(OPTIMIZERS))
@pytest.mark.parametrize("problem", list(PROBLEMS))
def test_fast_path_is_bit_identical_to_the_plain_loop(name, problem):
    outcomes = set()
    for lr in LRS:
        for extra in EXTRA[name]:
            kw = dict(steps=150, lr=lr, **extra)
            fast, ref = run_path(problem, name, **kw), plain(problem, name, **kw)
            assert_same(fast, ref)
            outcomes.add(ref.message.split(":")[0].split(" at ")[0] or "ok")
    # the grid really covers finished and stopped runs
    assert "ok" in outcomes and len(outcomes) >= 2, outcomes


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_fast_path_from_other_starts_and_long_runs(name):
    p = get_problem("rosenbrock")
    for start in ([0.3, -0.7], [-1.9, 2.9], [1.0, 1.0]):
        kw = dict(steps=1000, start=start, lr=0.01)
        assert_same(run_path(p, name, **kw), plain(p, name, **kw))


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_fast_path_on_a_noisy_gradient_draws_the_same_noise(name):
    for lr in (1e-3, 0.1, 50.0):
        fast = run_path(noisy("bowl", sigma=2.0, rng=7), name, steps=200, lr=lr)
        ref = plain(noisy("bowl", sigma=2.0, rng=7), name, steps=200, lr=lr)
        assert_same(fast, ref)


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_fast_path_matches_a_hand_written_loop_of_checked_updates(name):
    """Independent of paths._loop: Optimizer.update (checked) on {'W': ...}, 60 steps."""
    p = get_problem("beale")
    opt = OPTIMIZERS[name]
    hp = {"lr": 0.01}
    params, state = {"W": p.start.copy()}, opt.init({"W": p.start})
    pts, losses = [p.start.copy()], [p.value(p.start)]
    for _ in range(60):
        params, state = opt.update(params, {"dW": p.grad(params["W"])}, state, **hp)
        pts.append(params["W"].copy())
        losses.append(p.value(params["W"]))
    res = run_path(p, name, steps=60, **hp)
    assert not res.diverged
    assert res.path.tobytes() == np.array(pts).tobytes()
    assert res.losses.tobytes() == np.array(losses).tobytes()


def test_a_nonfinite_step_stops_the_fast_path_as_the_plain_loop():
    # lr = 1e300 on the bowl: the first step overflows to inf
    fast, ref = run_path("bowl", "gd", steps=5, lr=1e300), plain("bowl", "gd", steps=5, lr=1e300)
    assert_same(fast, ref)
    assert fast.diverged and fast.steps_taken == 0 and "loss inf" in fast.message


def test_saddle_escape_and_runaway_messages_are_the_same():
    for name, lr in (("gd", 0.1), ("adam", 1e6), ("gd", 1e4)):
        fast, ref = run_path("saddle", name, steps=400, lr=lr), plain("saddle", name,
                                                                        steps=400, lr=lr)
        assert_same(fast, ref)
        assert fast.diverged


def test_amsgrad_keeps_the_running_maximum():
    """By hand, one coordinate: s_max must hold the largest s, so the step uses it."""
    step = _scalar_stepper(OPTIMIZERS["amsgrad"], dict(lr=1.0, beta1=0.0, beta2=0.5, eps=0.0))
    # t=1: g=2: v=2, s=0.5*4=2, smax=2, v̂=2, ŝ=2/0.5=4 -> x - 2/2 = -1
    x, _ = step(0.0, 0.0, 2.0, 2.0)
    assert x == -1.0
    # t=2: g=0: v=0 -> no move; s = 1, smax stays 2
    x, _ = step(0.0, 0.0, 0.0, 0.0)
    assert x == 0.0
    # t=3: g=1: v=1, s=0.5+0.5=1, smax=2, ŝ = 2/(1-0.125) = 16/7 -> x = -1/sqrt(16/7)
    x, _ = step(0.0, 0.0, 1.0, 1.0)
    assert x == -1.0 / math.sqrt(2.0 / (1.0 - 0.5 ** 3))


def test_amsgrad_maximum_propagates_nan_as_numpy():
    step = _scalar_stepper(OPTIMIZERS["amsgrad"], dict(lr=1.0, beta1=0.0, beta2=0.5, eps=1e-8))
    x, y = step(0.0, 0.0, math.nan, 1.0)
    assert math.isnan(x) and not math.isnan(y)


def test_record_lr_and_custom_updates_keep_the_plain_loop(monkeypatch):
    def boom(opt, hp):
        raise AssertionError("the fast path must not be used here")
    monkeypatch.setattr(paths, "_scalar_stepper", boom)
    run_path("bowl", "adam", steps=5, lr=0.1, record_lr=True)
    run_path("bowl", "adam", steps=5, lr=0.1, update=OPTIMIZERS["adam"].step)
    run_path("bowl", (OPTIMIZERS["gd"].init, OPTIMIZERS["gd"].step), steps=5, lr=0.1)


def test_a_raising_twin_falls_back_to_the_plain_loop(monkeypatch):
    def raising(opt, hp):
        def step(x, y, gx, gy):
            raise ZeroDivisionError("float division by zero")
        return step
    ref = run_path("rosenbrock", "adam", steps=50, lr=0.1)
    monkeypatch.setattr(paths, "_scalar_stepper", raising)
    assert_same(run_path("rosenbrock", "adam", steps=50, lr=0.1), ref)


def test_a_problem_whose_gradient_is_an_array_still_works():
    base = get_problem("himmelblau")

    def grad_fn(x, y):
        return np.array(base.grad_fn(x, y))

    p = Problem("h2", "Himmelblau, array gradient", start=base.start, minima=base.minima,
                bounds=base.bounds, lambda_max=None, f_min=0.0, saddle_points=[],
                log_levels=False, fn=base.fn, grad_fn=grad_fn)
    for name in OPTIMIZERS:
        assert_same(run_path(p, name, steps=80, lr=0.01), plain(p, name, steps=80, lr=0.01))
