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
    # chapter 12: no in-place twins; RAdam and Lion are element-wise and run opt.step on the
    # flat vector, Adafactor and Muon run it on [W, b] split back into two keys
    "radam": [{"lr": 0.05}, {"lr": 0.1, "beta1": 0.0, "beta2": 0.5}, {"lr": 0.01, "beta2": 0.9}],
    "lion": [{"lr": 0.05}, {"lr": 0.1, "beta1": 0.0, "weight_decay": 0.5}],
    "adafactor": [{"lr": 0.05}, {"lr": 0.1, "beta2_decay": 0.0, "d": 2.0, "weight_decay": 0.1}],
    "muon": [{"lr": 0.05}, {"lr": 0.1, "beta": 0.0, "adamw_lr": 0.05, "weight_decay": 0.0}],
}
#: The rules that are not element-wise: the flat vector is the linear models' [W, b].
SPLIT = [name for name, opt in OPTIMIZERS.items() if not opt.elementwise]


def same_bits(a, b):
    """Equal bit for bit, except that any NaN equals any NaN (NumPy does not fix the payload)."""
    nan_a, nan_b = np.isnan(a), np.isnan(b)
    assert (nan_a == nan_b).all()
    assert a[~nan_a].tobytes() == b[~nan_b].tobytes()


def run_both(opt, hp, grads, p0):
    """The flat stepper against opt.step on {"W": p} (element-wise rules) or, for the others,
    on {"W": p[:-1], "b": p[-1:]}, the two params the flat vector of a linear model holds."""
    split = not opt.elementwise
    keys = (lambda x: {"W": x[:-1], "b": x[-1:]}) if split else (lambda x: {"W": x})
    params, state = keys(p0.copy()), opt.init(keys(p0))
    step, p, out = _flat_stepper(opt, hp, p0.size), p0.copy(), np.empty_like(p0)
    with np.errstate(all="ignore"):
        for g in grads:
            params, state = opt.step(params, {"d" + k: x for k, x in keys(g).items()}, state,
                                     **hp)
            step(p, g, out)
            p, out = out.copy(), p
            same_bits(p, np.concatenate(list(params.values())))
    return p


def test_every_registry_rule_before_chapter_12_has_an_in_place_twin():
    modern = {"radam", "adafactor", "muon", "lion"}
    assert {o.step for n, o in OPTIMIZERS.items() if n not in modern} <= set(_INPLACE)
    assert not {OPTIMIZERS[n].step for n in modern} & set(_INPLACE)


def test_split_rules_are_not_run_on_w_and_b_concatenated():
    """Adafactor's RMS(W) and Muon's W/‖W‖ over [W, b] would give other numbers: the flat
    stepper must update W and b as two params (checked against the registry on two keys above;
    here: the concatenated run really differs, so that check can fail)."""
    assert set(SPLIT) == {"adafactor", "muon"}
    p0, g = np.array([3.0, -1.0, 0.5, 2.0]), np.array([1.0, 2.0, -3.0, 4.0])
    for name in SPLIT:
        opt = OPTIMIZERS[name]
        hp = opt.check_hparams(lr=0.1)
        out = np.empty(4)
        _flat_stepper(opt, hp, 4)(p0, g, out)
        joint, _ = opt.step({"W": p0}, {"dW": g}, opt.init({"W": p0}), **hp)
        assert np.abs(out - joint["W"]).max() > 1e-3, name


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
