"""The in-place twins of ``optimizers._flat_stepper`` (the training loop's hot path) give the
bits of ``Optimizer.step`` on dicts: every optimizer, several hyperparameter settings, long
runs, gradients from 1e-12 to 1e6, exact zeros, and runs that overflow."""
import numpy as np
import pytest

from course_lib.optimizers import _INPLACE, OPTIMIZERS, Optimizer, _flat_stepper

SETTINGS = {
    "gd": [{"lr": 0.05}],
    "momentum": [{"lr": 0.05}, {"lr": 0.5, "beta": 0.0}, {"lr": 0.01, "beta": 0.99}],
    "nesterov": [{"lr": 0.05}, {"lr": 0.5, "beta": 0.0}, {"lr": 0.01, "beta": 0.99}],
    "adagrad": [{"lr": 0.05}, {"lr": 1.0, "eps": 0.5}],
    "rmsprop": [{"lr": 0.05}, {"lr": 0.01, "beta": 0.0, "eps": 1e-3}],
    "adadelta": [{"lr": 1.0}, {"lr": 0.5, "rho": 0.0}, {"lr": 2.0, "rho": 0.99, "eps": 1e-2}],
    "adam": [{"lr": 0.05}, {"lr": 0.1, "beta1": 0.0, "beta2": 0.5}],
    "amsgrad": [{"lr": 0.05}, {"lr": 0.1, "beta1": 0.0, "beta2": 0.5},
                {"lr": 0.01, "beta1": 0.99, "beta2": 0.9, "eps": 0.1}],
    "adamw": [{"lr": 0.05}, {"lr": 0.1, "weight_decay": 0.0},
              {"lr": 0.3, "weight_decay": 0.5, "beta1": 0.5}],
    "nadam": [{"lr": 0.05}, {"lr": 0.1, "beta1": 0.0}, {"lr": 0.01, "beta1": 0.99, "beta2": 0.9}],
}


def same_bits(a, b):
    """Equal bit for bit, except that any NaN equals any NaN (NumPy does not fix the payload)."""
    nan_a, nan_b = np.isnan(a), np.isnan(b)
    assert (nan_a == nan_b).all()
    assert a[~nan_a].tobytes() == b[~nan_b].tobytes()


def run_both(opt, hp, grads, p0):
    params, state = {"W": p0.copy()}, opt.init({"W": p0})
    step, p, out = _flat_stepper(opt, hp, p0.size), p0.copy(), np.empty_like(p0)
    with np.errstate(all="ignore"):
        for g in grads:
            params, state = opt.step(params, {"dW": g}, state, **hp)
            step(p, g, out)
            p, out = out.copy(), p
            same_bits(p, params["W"])
    return p


def test_every_registry_rule_has_an_in_place_twin():
    assert {o.step for o in OPTIMIZERS.values()} <= set(_INPLACE)


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_in_place_twin_is_bit_identical_over_a_long_run(name):
    opt = OPTIMIZERS[name]
    gen = np.random.default_rng(11)
    size = 7
    grads = [gen.standard_normal(size) * 10.0 ** gen.integers(-12, 7, size) for _ in range(300)]
    grads[5][:3] = 0.0          # exact zeros: s stays 0 for a while in some coordinates
    grads[40][2] = -0.0
    for hp in SETTINGS[name]:
        hp = opt.check_hparams(**hp)
        run_both(opt, hp, grads, gen.standard_normal(size))


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_in_place_twin_on_overflowing_and_nan_gradients(name):
    opt = OPTIMIZERS[name]
    hp = opt.check_hparams(**SETTINGS[name][0])
    grads = [np.array([1e200, -1e200, 1.0, 0.0]), np.array([1e200, np.inf, 2.0, 0.0]),
             np.array([np.nan, 1.0, 3.0, 1e-300]), np.array([1.0, 1.0, 1.0, 1.0])]
    run_both(opt, hp, grads, np.array([1.0, -2.0, 3.0, 0.5]))


def test_the_twin_does_not_touch_p_and_writes_out():
    opt = OPTIMIZERS["adamw"]
    hp = opt.check_hparams(lr=0.1, weight_decay=0.5)
    p, g, out = np.array([1.0, -1.0]), np.array([0.5, 2.0]), np.empty(2)
    _flat_stepper(opt, hp, 2)(p, g, out)
    assert p.tolist() == [1.0, -1.0]
    # by hand, step 1 of AdamW: W·(1 − 0.05), then Adam's first step −η·sign(g) (v̂ = g, √ŝ = |g|)
    expected = [1.0 * (1.0 - 0.1 * 0.5) - 0.1 * 0.5 / (0.5 + 1e-8),
                -1.0 * (1.0 - 0.1 * 0.5) - 0.1 * 2.0 / (2.0 + 1e-8)]
    np.testing.assert_allclose(out, expected, rtol=1e-15)


def test_a_rule_without_twin_falls_back_to_its_step():
    base = OPTIMIZERS["adam"]

    def halved_step(params, grads, state, **hp):
        new, state = base.step(params, grads, state, **hp)
        return {k: 0.5 * v for k, v in new.items()}, state

    opt = Optimizer("half", "Half Adam", base.state_type, base.fields,
                    tuple(base.hparams.values()), halved_step, base._rate, "", "")
    assert opt.step not in _INPLACE
    gen = np.random.default_rng(3)
    run_both(opt, opt.check_hparams(lr=0.1), [gen.standard_normal(3) for _ in range(20)],
             gen.standard_normal(3))
