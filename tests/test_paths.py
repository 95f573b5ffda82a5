"""course_lib.paths.run_path: closed-form GD paths, stability limits, divergence handling,
convergence of every optimizer, racing a learner's update rule, and validation messages."""
import math

import numpy as np
import pytest

from course_lib.optimizers import OPTIMIZERS, MomentumState
from course_lib.paths import PathResult, run_path
from course_lib.problems import Problem, get_problem, noisy, quadratic_bowl, rosenbrock


def gd_bowl_closed_form(lr, k, start=(-4.0, 2.0), lam=(1.0, 10.0)):
    """GD on the unrotated bowl: each coordinate shrinks by (1 - lr * lambda_i) per step."""
    return np.array([start[i] * (1.0 - lr * lam[i]) ** k for i in range(2)])


# ---------------------------------------------------------------------------------------------
# Paths computed by hand
def test_path_starts_at_start_and_first_gd_step_is_computed_by_hand():
    res = run_path("bowl", "gd", steps=5, lr=0.05)
    np.testing.assert_array_equal(res.path[0], [-4.0, 2.0])
    # grad at (-4, 2) of 0.5 (x^2 + 10 y^2) is (-4, 20); W - 0.05 dW = (-3.8, 1.0)
    np.testing.assert_allclose(res.path[1], [-3.8, 1.0], rtol=1e-15)
    assert res.losses[0] == pytest.approx(0.5 * (16 + 10 * 4))


def test_first_gd_step_on_rosenbrock_by_hand():
    res = run_path("rosenbrock", "gd", steps=1, lr=1e-3)
    # dW at (-1.2, 1) = (-215.6, -88): W - 1e-3 dW = (-1.2 + 0.2156, 1 + 0.088)
    np.testing.assert_allclose(res.path[1], [-0.9844, 1.088], rtol=1e-12)


def test_custom_start_is_used():
    res = run_path("bowl", "gd", steps=1, start=[1.0, 1.0], lr=0.1)
    np.testing.assert_allclose(res.path, [[1.0, 1.0], [0.9, 0.0]], atol=1e-15)


def test_whole_gd_path_on_the_bowl_matches_the_closed_form():
    lr, steps = 0.15, 40
    res = run_path("bowl", "gd", steps=steps, lr=lr)
    expected = np.array([gd_bowl_closed_form(lr, k) for k in range(steps + 1)])
    np.testing.assert_allclose(res.path, expected, rtol=1e-10, atol=1e-300)
    p = quadratic_bowl()
    np.testing.assert_allclose(res.losses, [p.value(w) for w in expected], rtol=1e-10)


def test_result_fields_for_a_normal_run():
    res = run_path("bowl", "adam", steps=30, lr=0.1)
    assert isinstance(res, PathResult)
    assert res.path.shape == (31, 2) and res.losses.shape == (31,)
    assert res.steps_taken == 30 and not res.diverged and res.message == ""
    assert res.optimizer == "adam" and res.lr_eff is None
    # the defaults of NOTATION.md, filled in
    assert res.hparams == {"lr": 0.1, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}


def test_problem_object_name_and_optimizer_object_all_work():
    a = run_path("rosenbrock", "momentum", steps=20, lr=1e-3)
    b = run_path(rosenbrock(), OPTIMIZERS["momentum"], steps=20, lr=1e-3)
    np.testing.assert_array_equal(a.path, b.path)


# ---------------------------------------------------------------------------------------------
# Stability limits and divergence
def test_gd_just_below_two_over_lambda_max_converges():
    p = quadratic_bowl()
    lr = 0.95 * 2.0 / p.lambda_max
    res = run_path(p, "gd", steps=400, lr=lr)
    assert not res.diverged
    assert np.linalg.norm(res.path[-1]) < 1e-6


def test_gd_just_above_two_over_lambda_max_diverges_with_a_helpful_message():
    p = quadratic_bowl()
    lr = 1.05 * 2.0 / p.lambda_max
    res = run_path(p, "gd", steps=500, lr=lr)
    # by hand: the run stops at the first k with loss_k > 1e12 * loss_0 (the y factor is -1.1)
    loss0 = p.value(p.start)
    k_stop = next(k for k in range(1, 500)
                  if p.value(gd_bowl_closed_form(lr, k)) > 1e12 * loss0)
    assert res.diverged
    assert res.steps_taken == k_stop - 1 and len(res.path) == k_stop
    assert f"diverged at step {k_stop}" in res.message
    assert "smaller learning rate" in res.message and "lr=0.21" in res.message
    assert "lr < 2/lambda_max = 0.2" in res.message
    assert np.isfinite(res.path).all() and np.isfinite(res.losses).all()
    np.testing.assert_array_equal(res.path[0], p.start)


def test_momentum_stability_limit_on_the_bowl():
    # heavy ball with step lr(1-beta) and momentum beta is stable iff lr(1-beta) lambda < 2(1+beta)
    p, beta = quadratic_bowl(), 0.9
    limit = 2 * (1 + beta) / ((1 - beta) * p.lambda_max)    # 3.8
    ok = run_path(p, "momentum", steps=600, lr=0.95 * limit, beta=beta)
    bad = run_path(p, "momentum", steps=600, lr=1.05 * limit, beta=beta)
    assert not ok.diverged and np.linalg.norm(ok.path[-1]) < 1e-6
    assert bad.diverged and "smaller learning rate" in bad.message and "3.8" in bad.message
    assert np.isfinite(bad.path).all()


def _nesterov_spectral_radius(lr, beta, lam):
    """Largest |eigenvalue| of one Nesterov step (EWA form) on f = lam/2 w², state (w, v)."""
    # v' = beta v + (1-beta) lam w;  w' = w - lr (beta v' + (1-beta) lam w)
    a, g = (1 - beta) * lam, lr
    step = np.array([[1 - g * (beta * a + a), -g * beta * beta], [a, beta]])
    return max(abs(np.linalg.eigvals(step)))


def test_nesterov_stability_limit_on_the_bowl():
    p, beta = quadratic_bowl(), 0.9
    lam = p.lambda_max
    # the limit found from the step matrix alone (bisection on its spectral radius)
    lo, hi = 1e-6, 10.0
    for _ in range(100):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if _nesterov_spectral_radius(mid, beta, lam) < 1 else (lo, mid)
    ok = run_path(p, "nesterov", steps=1500, lr=0.95 * lo, beta=beta)
    bad = run_path(p, "nesterov", steps=1500, lr=1.05 * lo, beta=beta)
    assert not ok.diverged and np.linalg.norm(ok.path[-1]) < 1e-6
    assert bad.diverged and f"= {lo:.3g}" in bad.message and "Nesterov" in bad.message


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_every_optimizer_diverges_cleanly_with_an_absurd_learning_rate(name):
    res = run_path("rosenbrock", name, steps=200, lr=1e4)
    if res.diverged:
        assert "diverged at step" in res.message and "smaller learning rate" in res.message
    assert np.isfinite(res.path).all() and np.isfinite(res.losses).all()
    assert len(res.path) == len(res.losses) == res.steps_taken + 1


def test_nan_from_a_learner_update_stops_the_run_and_keeps_the_path_finite():
    def broken(params, grads, state, *, lr):
        w = params["W"] - lr * grads["dW"]
        if state.t >= 3:
            w = np.array([np.nan, 0.0])
        return {"W": w}, state._replace(t=state.t + 1)

    res = run_path("bowl", "gd", update=broken, steps=10, lr=0.01)
    assert res.diverged and res.steps_taken == 3 and res.path.shape == (4, 2)
    # the learner's function is blamed, not the learning rate (issue 16, item 6)
    assert res.message.startswith("your update function broken returned NaN at step 4 "
                                  "(for parameter W")
    assert "learning rate" not in res.message
    assert np.isfinite(res.path).all()


def test_a_runaway_iterate_is_caught_by_the_distance_bound():
    # a flat function (loss 0 everywhere) pushed along x: only |w| can stop the run
    flat = Problem("flat", "flat", start=(0.0, 0.0), minima=[], bounds=((-1, 1), (-1, 1)),
                   lambda_max=None, f_min=None, saddle_points=[], log_levels=False,
                   fn=lambda x, y: 0.0 * x, grad_fn=lambda x, y: (-1.0, 0.0))
    res = run_path(flat, "gd", steps=10, lr=4e5)      # bound: 1e6 x extent 1
    assert res.diverged and res.steps_taken == 2     # x = 8e5 passes, 1.2e6 does not
    assert "diverged at step 3: the iterate ran away" in res.message


def test_the_saddle_escape_is_reported_as_an_escape_not_a_learning_rate_problem():
    p = get_problem("saddle")
    lr = 0.1
    res = run_path(p, "gd", steps=500, lr=lr)
    # by hand: x_k = -1.5 * 0.8^k, y_k = 1e-3 * 1.2^k; stop when -(x^2 - y^2) > 1e12 * 2.25
    k_stop = next(k for k in range(1, 500)
                  if (1e-3 * 1.2 ** k) ** 2 - (1.5 * 0.8 ** k) ** 2 > 1e12 * p.value(p.start))
    assert res.diverged and res.steps_taken == k_stop - 1
    assert f"stopped at step {k_stop}" in res.message
    assert "no minimum" in res.message and "not a learning-rate problem" in res.message
    # first it lingers near the saddle: after 30 steps x is ~0 and y is still tiny
    assert abs(res.path[30, 0]) < 1e-2 and abs(res.path[30, 1]) < 1.0


# ---------------------------------------------------------------------------------------------
# Convergence of every optimizer. Bowl: condition 10 from (-4, 2). Tuned (lr, steps, tol):
# constant-lr adaptive rules hover near the minimum instead of settling, at a distance set by
# lr (RMSprop's steps are ~lr long: lr = 0.01 hovers at ~7e-3) or by sqrt(eps) (Adadelta: near the
# minimum both of its roots are ~sqrt(eps), the rate becomes ~lr = 1 > 2/lambda_max, and it
# bounces at ~1e-2 to 2e-2).
BOWL = {
    "gd": (0.1, 300, 1e-6),
    "momentum": (0.3, 300, 1e-3),
    "nesterov": (0.3, 300, 1e-3),
    "adagrad": (1.0, 300, 1e-6),
    "rmsprop": (0.01, 1000, 2e-2),
    "adadelta": (1.0, 1000, 5e-2),
    "adam": (0.1, 300, 1e-3),
    "amsgrad": (0.1, 300, 1e-3),
    "adamw": (0.1, 300, 1e-3),
    "nadam": (0.1, 300, 1e-3),
    "radam": (0.3, 300, 1e-3),
    "adafactor": (1.0, 1000, 1e-3),
    "muon": (0.01, 1000, 1e-2),   # steps of size 0.696·η whatever the gradient: ends within ~η
    "lion": (0.01, 1000, 1e-3),   # steps of size η in each coordinate (sign)
}

# Rosenbrock from (-1.2, 1) to within 1e-2 of (1, 1). Budgets about 1.3x the steps the run needs.
# GD is limited by the curvature ~1000 at the minimum (lr < 0.002); Adagrad needs a large lr
# because its sum of squared gradients only grows; Adadelta with its "no learning rate" lr = 1
# stalls in the valley (see the next test), lr = 0.03 works; AdamW's decay lambda = 0.01 moves
# its fixed point slightly off (1, 1), so it gets a small lr.
ROSENBROCK = {
    "gd": (1e-3, 15_000),
    "momentum": (0.03, 500),
    "nesterov": (0.01, 1_500),
    "adagrad": (0.3, 9_000),
    "rmsprop": (1e-3, 7_500),
    "adadelta": (0.03, 13_000),
    "adam": (0.1, 1_300),
    "amsgrad": (0.1, 1_600),
    "adamw": (3e-3, 11_000),
    "nadam": (0.01, 5_000),
    "radam": (3e-3, 12_000),
    "adafactor": (3e-3, 15_000),
    "muon": (1e-3, 6_100),
    "lion": (1e-3, 3_800),
}


def test_the_tables_cover_the_registry():
    assert set(BOWL) == set(OPTIMIZERS) == set(ROSENBROCK)


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_every_optimizer_converges_on_the_bowl(name):
    lr, steps, tol = BOWL[name]
    res = run_path("bowl", name, steps=steps, lr=lr)
    assert not res.diverged, res.message
    assert np.linalg.norm(res.path[-1]) < tol
    assert res.losses[-1] < 1e-3 * res.losses[0]


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_every_optimizer_reaches_the_rosenbrock_minimum(name):
    lr, steps = ROSENBROCK[name]
    res = run_path("rosenbrock", name, steps=steps, lr=lr)
    assert not res.diverged, res.message
    assert np.linalg.norm(res.path[-1] - [1.0, 1.0]) < 1e-2


def test_adadelta_with_its_default_lr_stalls_in_the_rosenbrock_valley():
    # What the notebook says about Adadelta's "no learning rate needed": not on Rosenbrock.
    res = run_path("rosenbrock", "adadelta", steps=5000)
    assert res.hparams["lr"] == 1.0 and not res.diverged
    assert np.linalg.norm(res.path[-1] - [1.0, 1.0]) > 0.3


# ---------------------------------------------------------------------------------------------
# Effective learning rate
def test_record_lr_for_gd_is_lr_everywhere():
    res = run_path("bowl", "gd", steps=7, lr=0.05, record_lr=True)
    assert res.lr_eff.shape == (7, 2)
    np.testing.assert_array_equal(res.lr_eff, 0.05)


def test_record_lr_for_adam_and_adagrad_by_hand():
    g0 = np.array([-4.0, 20.0])                      # gradient at the bowl's start
    res = run_path("bowl", "adam", steps=3, lr=0.1, record_lr=True)
    # after step 1: s = (1 - beta2) g^2, s_hat = g^2, rate = lr / (|g| + eps)
    np.testing.assert_allclose(res.lr_eff[0], 0.1 / (np.abs(g0) + 1e-8), rtol=1e-12)
    ada = run_path("bowl", "adagrad", steps=2, lr=0.5, record_lr=True)
    w1 = np.array([-4.0, 2.0]) - 0.5 * g0 / (np.abs(g0) + 1e-10)   # (-3.5, 1.5)
    g1 = np.array([w1[0], 10.0 * w1[1]])
    np.testing.assert_allclose(ada.lr_eff[1], 0.5 / (np.sqrt(g0 ** 2 + g1 ** 2) + 1e-10),
                               rtol=1e-12)
    assert ada.lr_eff.shape == (2, 2)


def test_record_lr_stops_with_the_path_when_the_run_diverges():
    res = run_path("bowl", "gd", steps=500, lr=0.25, record_lr=True)
    assert res.diverged and res.lr_eff.shape == (res.steps_taken, 2)


# ---------------------------------------------------------------------------------------------
# Racing a learner's update rule
def my_adam(params, grads, state, *, lr, beta1, beta2, eps):
    """Adam written straight from NOTATION.md, on the library's AdamState."""
    t = state.t + 1
    v = beta1 * state.v["dW"] + (1 - beta1) * grads["dW"]
    s = beta2 * state.s["dW"] + (1 - beta2) * grads["dW"] ** 2
    v_hat, s_hat = v / (1 - beta1 ** t), s / (1 - beta2 ** t)
    w = params["W"] - lr * v_hat / (np.sqrt(s_hat) + eps)
    return {"W": w}, state._replace(t=t, v={"dW": v}, s={"dW": s})


def test_a_learner_update_races_the_library_on_the_library_state():
    mine = run_path("rosenbrock", "adam", update=my_adam, steps=300, lr=0.05, record_lr=True)
    ref = run_path("rosenbrock", "adam", steps=300, lr=0.05, record_lr=True)
    assert mine.optimizer == "my_adam" and ref.optimizer == "adam"
    assert mine.hparams == ref.hparams
    np.testing.assert_allclose(mine.path, ref.path, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(mine.lr_eff, ref.lr_eff, rtol=1e-12)


def test_a_wrong_learner_update_shows_a_different_path():
    def adam_without_bias_correction(params, grads, state, *, lr, beta1, beta2, eps):
        v = beta1 * state.v["dW"] + (1 - beta1) * grads["dW"]
        s = beta2 * state.s["dW"] + (1 - beta2) * grads["dW"] ** 2
        w = params["W"] - lr * v / (np.sqrt(s) + eps)
        return {"W": w}, state._replace(t=state.t + 1, v={"dW": v}, s={"dW": s})

    mine = run_path("bowl", "adam", update=adam_without_bias_correction, steps=5, lr=0.1)
    ref = run_path("bowl", "adam", steps=5, lr=0.1)
    # first step by hand: v = 0.1 g, s = 0.001 g^2, step = lr * 0.1/sqrt(0.001) = 0.316 lr
    np.testing.assert_allclose(mine.path[1] - mine.path[0],
                               -0.1 * 0.1 / math.sqrt(0.001) * np.sign([-4.0, 20.0]), rtol=1e-6)
    assert not np.allclose(mine.path, ref.path)


def test_an_init_update_pair_with_its_own_state():
    def init(params):
        return {"v": np.zeros(2)}

    def heavy_ball(params, grads, state, *, lr, beta):
        v = beta * state["v"] + (1 - beta) * grads["dW"]
        return {"W": params["W"] - lr * v}, {"v": v}

    mine = run_path("bowl", (init, heavy_ball), steps=50, lr=0.1, beta=0.9)
    ref = run_path("bowl", "momentum", steps=50, lr=0.1, beta=0.9)
    assert mine.optimizer == "heavy_ball" and mine.hparams == {"lr": 0.1, "beta": 0.9}
    np.testing.assert_allclose(mine.path, ref.path, rtol=1e-12, atol=1e-14)


def test_an_object_with_init_and_update():
    class MyGD:
        name = "my gd"

        def init(self, params):
            return MomentumState(0, {})

        def update(self, params, grads, state, *, lr):
            return {"W": params["W"] - lr * grads["dW"]}, state

    res = run_path("bowl", MyGD(), steps=10, lr=0.15)
    assert res.optimizer == "my gd"
    np.testing.assert_allclose(res.path[-1], gd_bowl_closed_form(0.15, 10), rtol=1e-12)


# ---------------------------------------------------------------------------------------------
# Noise, reproducibility, speed
def test_noisy_problem_same_seed_same_path():
    a = run_path(noisy("bowl", sigma=1.0, rng=5), "momentum", steps=100, lr=0.1)
    b = run_path(noisy("bowl", sigma=1.0, rng=5), "momentum", steps=100, lr=0.1)
    c = run_path("bowl", "momentum", steps=100, lr=0.1)
    np.testing.assert_array_equal(a.path, b.path)
    assert not np.allclose(a.path, c.path)


def test_run_path_does_not_touch_the_problem():
    p = rosenbrock()
    run_path(p, "adam", steps=10, lr=0.1)
    np.testing.assert_array_equal(p.start, [-1.2, 1.0])


def test_hyperparameters_are_checked_once_and_the_loop_uses_the_unchecked_step(monkeypatch):
    # The hot path of the playground: per-step checks would cost more than the steps themselves.
    # (Speed itself is measured by benchmarks/widget_latency.py, not asserted here.)
    from course_lib.optimizers import OPTIMIZERS, Optimizer

    calls = {"check": 0}
    real_check = Optimizer.check_hparams

    def counting_check(self, **hp):
        calls["check"] += 1
        return real_check(self, **hp)

    def no_update(*a, **k):
        raise AssertionError("run_path must not call the checked update inside its loop")

    monkeypatch.setattr(Optimizer, "check_hparams", counting_check)
    monkeypatch.setattr(OPTIMIZERS["adam"], "update", no_update)
    res = run_path(rosenbrock(), "adam", steps=200, lr=0.01)
    assert res.steps_taken == 200 and calls["check"] == 1


# ---------------------------------------------------------------------------------------------
# Validation messages: one test each
def test_steps_must_be_at_least_one():
    with pytest.raises(ValueError, match=r"steps must be in \[1, 1000000\], got 0"):
        run_path("bowl", "gd", steps=0)


def test_steps_must_be_an_integer():
    with pytest.raises(TypeError, match="steps must be an integer, got 2.5"):
        run_path("bowl", "gd", steps=2.5)


def test_start_must_have_shape_2():
    with pytest.raises(ValueError, match=r"start must have shape \(2,\), got shape \(3,\)"):
        run_path("bowl", "gd", start=[0.0, 1.0, 2.0])


def test_start_must_be_finite():
    with pytest.raises(ValueError, match="start must contain only finite numbers, found NaN"):
        run_path("bowl", "gd", start=[np.nan, 1.0])


def test_record_lr_must_be_a_bool():
    with pytest.raises(TypeError, match="record_lr must be True or False, got 'yes'"):
        run_path("bowl", "gd", record_lr="yes")


def test_unknown_problem_suggests_the_closest():
    with pytest.raises(ValueError, match="did you mean 'himmelblau'"):
        run_path("himmelblao", "gd")


def test_unknown_optimizer_suggests_the_closest():
    with pytest.raises(ValueError, match="did you mean 'adam'"):
        run_path("bowl", "adma")


def test_unknown_hyperparameter_suggests_the_closest():
    with pytest.raises(TypeError, match="unknown hyperparameter 'betta' \\(did you mean 'beta'"):
        run_path("bowl", "momentum", betta=0.9)


def test_negative_learning_rate_is_refused():
    with pytest.raises(ValueError, match="lr must be > 0.0, got -0.1"):
        run_path("bowl", "gd", lr=-0.1)


def test_optimizer_of_the_wrong_kind_is_refused():
    with pytest.raises(TypeError, match="optimizer must be a name in OPTIMIZERS"):
        run_path("bowl", 42)


def test_update_must_be_callable():
    with pytest.raises(TypeError, match=r"update must be a function update\(params, grads"):
        run_path("bowl", "gd", update="mine")


def test_update_only_combines_with_a_library_name():
    pair = (lambda p: None, lambda p, g, s, **hp: (p, s))
    with pytest.raises(TypeError, match="update= combines with a library optimizer name"):
        run_path("bowl", pair, update=lambda p, g, s, **hp: (p, s))


def test_init_and_update_of_a_pair_must_be_callable():
    with pytest.raises(TypeError, match="optimizer init and update must be callable"):
        run_path("bowl", (1, 2))


def test_record_lr_needs_a_library_optimizer():
    pair = (lambda p: None, lambda p, g, s, **hp: (p, s))
    with pytest.raises(ValueError, match="record_lr=True needs a library optimizer"):
        run_path("bowl", pair, record_lr=True)


def test_custom_hyperparameters_must_be_numbers():
    pair = (lambda p: None, lambda p, g, s, **hp: (p, s))
    with pytest.raises(TypeError, match="lr must be a real number, got 'fast'"):
        run_path("bowl", pair, lr="fast")


def test_a_learner_update_must_return_params_and_state():
    def forgot_state(params, grads, state, *, lr):
        return {"W": params["W"] - lr * grads["dW"]}

    with pytest.raises(TypeError, match=r"forgot_state must return \(new_params, new_state\)"):
        run_path("bowl", "gd", update=forgot_state, lr=0.1)


def test_record_lr_with_a_learner_state_it_cannot_read():
    def wrong_state(params, grads, state, *, lr, beta1, beta2, eps):
        return {"W": params["W"] - lr * grads["dW"]}, {"t": 1}

    with pytest.raises(TypeError, match="record_lr=True: could not read the effective learning"):
        run_path("bowl", "adam", update=wrong_state, record_lr=True)


def test_update_that_does_not_take_the_call_names_update():
    # print(params, grads, state, lr=...) raises "'lr' is an invalid keyword argument": before,
    # that raw TypeError came out alone
    with pytest.raises(TypeError, match=r"update print failed when called as update\(params, "
                                        r"grads, state, lr=\.\.\.\).*invalid keyword"):
        run_path("bowl", "gd", steps=2, update=print)


# ---------------------------------------------------------------------------------------------
# Clipping and learning-rate schedules
from course_lib.core.schedules import make_schedule  # noqa: E402


@pytest.mark.parametrize("name", ["gd", "momentum", "adam", "adamw"])
def test_path_schedule_of_ones_and_infinite_clip_are_bit_identical(name):
    plain = run_path("rosenbrock", name, steps=150, lr=0.001 if name == "gd" else 0.01)
    for kw in ({"schedule": "constant"}, {"schedule": make_schedule("exponential", gamma=1.0)},
               {"clip_norm": math.inf}, {"clip_norm": 1e300}):
        other = run_path("rosenbrock", name, steps=150, lr=plain.hparams["lr"], **kw)
        assert np.array_equal(plain.path, other.path) and np.array_equal(plain.losses,
                                                                         other.losses)
    assert plain.grad_norms is None and plain.lr_per_step is None


def test_path_gd_with_schedule_and_clipping_by_hand():
    rb = rosenbrock()
    sched = make_schedule("warmup_cosine", warmup=5, total=40, min_factor=0.1)
    res = run_path(rb, "gd", steps=40, lr=0.002, schedule=sched, clip_norm=10.0)
    w = np.array(rb.start, dtype=float)
    for t in range(1, 41):
        W, T = 5, 40
        f = t / W if t <= W else 0.1 + 0.9 * (1 + math.cos(math.pi * (t - 1 - W) / (T - W))) / 2
        g = np.array(rb.grad_fn(*w), dtype=float)
        norm = math.hypot(*g)
        assert res.grad_norms[t - 1] == pytest.approx(norm, rel=1e-13)
        w = w - 0.002 * f * g * min(1.0, 10.0 / (norm + 1e-6))
        np.testing.assert_allclose(res.path[t], w, rtol=1e-12, atol=1e-15)
        assert res.lr_per_step[t - 1] == pytest.approx(0.002 * f, rel=1e-14)
    assert res.grad_norms.max() > 10.0  # some steps were clipped
    val = run_path(rb, "gd", steps=1, lr=0.01, clip_value=2.0)
    g = np.array(rb.grad_fn(*rb.start), dtype=float)
    np.testing.assert_allclose(val.path[1], rb.start - 0.01 * np.clip(g, -2.0, 2.0), rtol=1e-14)


def test_path_clipping_rescues_gd_and_changes_adam():
    assert run_path("rosenbrock", "gd", steps=500, lr=0.01).diverged
    saved = run_path("rosenbrock", "gd", steps=500, lr=0.01, clip_norm=1.0)
    assert not saved.diverged and saved.losses[-1] < 0.2
    free = run_path("rosenbrock", "adam", steps=200, lr=0.05)
    clipped = run_path("rosenbrock", "adam", steps=200, lr=0.05, clip_norm=1.0)
    assert np.abs(free.path - clipped.path).max() > 0.1
    # Adam's first step is lr * sign(g) whatever the scale of g: clipping shows from step 2 on
    np.testing.assert_allclose(free.path[1], clipped.path[1], rtol=1e-6)


def test_path_schedule_with_record_lr_uses_the_scheduled_rate():
    sched = make_schedule("step", step_size=3, gamma=0.5)
    res = run_path("bowl", "gd", steps=7, lr=0.1, schedule=sched, record_lr=True)
    np.testing.assert_array_equal(res.lr_eff[:, 0], 0.1 * np.array([1, 1, 1, .5, .5, .5, .25]))
    cos = run_path("bowl", "adam", steps=30, lr=0.1, schedule="cosine")
    assert cos.lr_per_step[0] == 0.1 and cos.lr_per_step[-1] == pytest.approx(
        0.1 * (1 + math.cos(math.pi * 29 / 30)) / 2)


def test_path_schedule_with_a_learner_pair():
    def init(params):
        return None

    def upd(params, grads, state, *, lr):
        return {"W": params["W"] - lr * grads["dW"]}, state

    mine = run_path("bowl", (init, upd), steps=10, lr=0.05, schedule="cosine")
    ref = run_path("bowl", "gd", steps=10, lr=0.05, schedule="cosine")
    assert np.array_equal(mine.path, ref.path)
    with pytest.raises(ValueError, match="no lr was given"):
        run_path("bowl", (init, lambda p, g, s, *, eta: (p, s)), steps=3, eta=0.1,
                 schedule="cosine")


@pytest.mark.parametrize("kwargs, error, match", [
    ({"clip_norm": 0.0}, ValueError, r"clip_norm must be > 0"),
    ({"clip_norm": [1.0]}, TypeError, r"clip_norm must be a real number"),
    ({"clip_value": math.inf}, ValueError, r"clip_value must be finite"),
    ({"clip_norm": 1.0, "clip_value": 1.0}, ValueError, r"not both"),
    ({"schedule": "exponential"}, TypeError, r"schedule='exponential' needs gamma"),
    ({"schedule": {"name": "cosine"}}, TypeError, r"schedule must be None, a name in"),
    ({"schedule": make_schedule("warmup_cosine", warmup=100)}, ValueError,
     r"total must be more than warmup=100"),
])
def test_path_option_messages(kwargs, error, match):
    with pytest.raises(error, match=match):
        run_path("bowl", "gd", steps=50, lr=0.1, **kwargs)
