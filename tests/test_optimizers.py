"""The optimizer registry, checked against numbers derived independently of course_lib.

Expected values come from (a) the formulas of NOTATION.md evaluated element by element with
Python floats and the math module, (b) closed forms for a constant gradient, and (c) degenerate
equivalences (momentum with beta = 0 is GD, ...). None is copied from the code under test.
"""
import copy
import math

import numpy as np
import pytest

from course_lib.optimizers import (OPTIMIZERS, AdamState, GDState, MomentumState, effective_lr,
                                   get_optimizer)

NAMES = ["gd", "momentum", "nesterov", "adagrad", "rmsprop", "adadelta", "adam", "amsgrad",
         "adamw", "nadam"]
MODERN = ["radam", "adafactor", "muon", "lion"]  # chapter 12: tests/test_optimizers_modern.py

# Deliberately unusual hyperparameters, so that a swapped or missing factor changes the numbers.
HP = {"lr": 0.1, "beta": 0.8, "beta1": 0.8, "beta2": 0.888, "eps": 1e-2, "rho": 0.7,
      "weight_decay": 0.1}


def hp_for(name):
    return {k: v for k, v in HP.items() if k in OPTIMIZERS[name].hparams}


# ------------------------------------------------------------------------------------------
# (a) A scalar reference: the NOTATION.md rules for ONE number, written with Python floats.
def scalar_rule(name, w, g, mem, t, lr, beta=None, beta1=None, beta2=None, eps=None, rho=None,
                weight_decay=None):
    """One step for a single scalar weight; ``mem`` is a dict of scalar state, t the new step."""
    m = dict(mem)
    if name == "gd":
        return w - lr * g, m
    if name in ("momentum", "nesterov"):
        m["v"] = beta * m.get("v", 0.0) + (1 - beta) * g
        step = m["v"] if name == "momentum" else beta * m["v"] + (1 - beta) * g
        return w - lr * step, m
    if name == "adagrad":
        m["s"] = m.get("s", 0.0) + g * g
        return w - lr * g / (math.sqrt(m["s"]) + eps), m
    if name == "rmsprop":
        m["s"] = beta * m.get("s", 0.0) + (1 - beta) * g * g
        return w - lr * g / (math.sqrt(m["s"]) + eps), m
    if name == "adadelta":
        m["s"] = rho * m.get("s", 0.0) + (1 - rho) * g * g
        delta = math.sqrt(m.get("u", 0.0) + eps) / math.sqrt(m["s"] + eps) * g
        m["u"] = rho * m.get("u", 0.0) + (1 - rho) * delta * delta
        return w - lr * delta, m
    # the Adam family
    if name == "adamw":
        w = w * (1 - lr * weight_decay)
    m["v"] = beta1 * m.get("v", 0.0) + (1 - beta1) * g
    m["s"] = beta2 * m.get("s", 0.0) + (1 - beta2) * g * g
    s_used = m["s"]
    if name == "amsgrad":
        m["s_max"] = max(m.get("s_max", 0.0), m["s"])
        s_used = m["s_max"]
    s_hat = s_used / (1 - beta2**t)
    if name == "nadam":
        num = beta1 * m["v"] / (1 - beta1 ** (t + 1)) + (1 - beta1) * g / (1 - beta1**t)
    else:
        num = m["v"] / (1 - beta1**t)
    return w - lr * num / (math.sqrt(s_hat) + eps), m


def scalar_trajectory(name, w0, grads, **hp):
    w, mem, out = w0, {}, []
    for t, g in enumerate(grads, start=1):
        w, mem = scalar_rule(name, w, g, mem, t, **hp)
        out.append(w)
    return out


PARAMS0 = {"W": np.array([1.0, -2.0]), "b": np.array([0.5])}
GRADS = [{"dW": np.array([0.5, -4.0]), "db": np.array([2.0])},
         {"dW": np.array([-1.0, 3.0]), "db": np.array([0.0])}]  # an exact zero on purpose


@pytest.mark.parametrize("name", NAMES)
def test_first_and_second_step_match_the_formula(name):
    opt = OPTIMIZERS[name]
    params, state = PARAMS0, opt.init(PARAMS0)
    for t, grads in enumerate(GRADS, start=1):
        params, state = opt.update(params, grads, state, **hp_for(name))
        assert state.t == t
    for key in ("W", "b"):
        for i, w0 in enumerate(PARAMS0[key]):
            gs = [float(g["d" + key][i]) for g in GRADS]
            expected = scalar_trajectory(name, float(w0), gs, **hp_for(name))[-1]
            assert params[key][i] == pytest.approx(expected, rel=1e-13, abs=1e-15), (key, i)


def test_hand_computed_numbers():
    # Worked by hand with lr=0.1, beta=0.8, W0 = 1, gradients 0.5 then -1:
    # momentum: v1 = 0.2*0.5 = 0.1, W1 = 1 - 0.01 = 0.99;
    #           v2 = 0.8*0.1 + 0.2*(-1) = -0.12, W2 = 0.99 + 0.012 = 1.002
    p = {"W": np.array([1.0])}
    opt = OPTIMIZERS["momentum"]
    p1, s1 = opt.update(p, {"dW": np.array([0.5])}, opt.init(p), lr=0.1, beta=0.8)
    assert p1["W"][0] == pytest.approx(0.99, abs=1e-15)
    assert s1.v["dW"][0] == pytest.approx(0.1, abs=1e-15)
    p2, s2 = opt.update(p1, {"dW": np.array([-1.0])}, s1, lr=0.1, beta=0.8)
    assert p2["W"][0] == pytest.approx(1.002, abs=1e-15)
    assert s2.v["dW"][0] == pytest.approx(-0.12, abs=1e-15)
    # Adam, beta1=0.8, beta2=0.888, eps=0.01, g=0.5: v=0.1, s=0.112*0.25=0.028, v_hat=0.5,
    # s_hat=0.25, step = 0.1*0.5/(0.5+0.01) = 0.05/0.51; the state keeps the RAW v and s.
    adam = OPTIMIZERS["adam"]
    p1, s1 = adam.update(p, {"dW": np.array([0.5])}, adam.init(p), lr=0.1, beta1=0.8,
                         beta2=0.888, eps=0.01)
    assert p1["W"][0] == pytest.approx(1 - 0.05 / 0.51, rel=1e-14)
    assert s1.v["dW"][0] == pytest.approx(0.1, rel=1e-14)
    assert s1.s["dW"][0] == pytest.approx(0.028, rel=1e-14)
    # Adagrad, eps=0.01: alpha = 0.25 then 1.25;
    # steps 0.1*0.5/(0.5+0.01), then 0.1*(-1)/(sqrt(1.25)+0.01)
    ada = OPTIMIZERS["adagrad"]
    p1, s1 = ada.update(p, {"dW": np.array([0.5])}, ada.init(p), lr=0.1, eps=0.01)
    p2, s2 = ada.update(p1, {"dW": np.array([-1.0])}, s1, lr=0.1, eps=0.01)
    assert s2.s["dW"][0] == 1.25
    assert p2["W"][0] == pytest.approx(1 - 0.05 / 0.51 + 0.1 / (math.sqrt(1.25) + 0.01), rel=1e-14)


# ------------------------------------------------------------------------------------------
# (b) 200 steps of a constant gradient, over scales 1e-6 ... 1e3 and exact zeros: closed forms.
G = np.array([1e-6, -1e-3, 0.0, 1.0, -1e3, 0.0, 37.5])
W0 = np.linspace(-2.0, 3.0, G.size)
T = 200


def closed_form(name, t, lr, beta=None, beta1=None, beta2=None, eps=None, weight_decay=None,
                rho=None):
    g, a = G, np.abs(G)
    if name == "gd":
        return W0 - t * lr * g
    if name == "momentum":   # v_k = g(1 - beta^k)
        return W0 - lr * g * (t - beta * (1 - beta**t) / (1 - beta))
    if name == "nesterov":   # step_k = g(1 - beta^(k+1))
        return W0 - lr * g * (t - beta**2 * (1 - beta**t) / (1 - beta))
    k = np.arange(1, t + 1)[:, None]
    if name == "adagrad":    # alpha_k = k g^2
        return W0 - lr * np.sum(g / (np.sqrt(k) * a + eps), axis=0)
    if name == "rmsprop":    # s_k = g^2 (1 - beta^k)
        return W0 - lr * np.sum(g / (a * np.sqrt(1 - beta**k) + eps), axis=0)
    if name in ("adam", "amsgrad"):  # v_hat = g, s_hat = g^2 (s grows, so max(s) = s)
        return W0 - t * lr * g / (a + eps)
    if name == "adamw":      # W_t = c W_{t-1} - d: a geometric series
        c, d = 1 - lr * weight_decay, lr * g / (a + eps)
        return c**t * W0 - d * (1 - c**t) / (1 - c)
    if name == "nadam":
        v_part = beta1 * (1 - beta1**k) / (1 - beta1 ** (k + 1))
        g_part = (1 - beta1) / (1 - beta1**k)
        return W0 - lr * np.sum((v_part + g_part) * g / (a + eps), axis=0)
    raise AssertionError(name)


@pytest.mark.parametrize("name", NAMES)
def test_200_constant_steps_match_closed_form_or_scalar_reference(name):
    opt = OPTIMIZERS[name]
    hp = {**opt.defaults, "lr": 0.01, "weight_decay": 0.05} if name == "adamw" else \
        {**opt.defaults, "lr": 0.01}
    params, state = {"W": W0.copy()}, opt.init({"W": W0})
    for _ in range(T):
        params, state = opt.update(params, {"dW": G.copy()}, state, **hp)
    if name == "adadelta":   # no closed form: the scalar reference, element by element
        expected = np.array([scalar_trajectory(name, w, [g] * T, **hp)[-1]
                             for w, g in zip(W0, G, strict=True)])
    else:
        expected = closed_form(name, T, **hp)
    np.testing.assert_allclose(params["W"], expected, rtol=1e-9, atol=0)
    if name != "adamw":  # a gradient that is exactly zero leaves its weight exactly where it was
        np.testing.assert_array_equal(params["W"][G == 0], W0[G == 0])


# ------------------------------------------------------------------------------------------
# (c) Degenerate equivalences
def _run(name, grads_seq, params=PARAMS0, **hp):
    opt = OPTIMIZERS[name]
    state = opt.init(params)
    for grads in grads_seq:
        params, state = opt.update(params, grads, state, **hp)
    return params, state


def _random_grads(n=30, seed=3):
    rng = np.random.default_rng(seed)
    return [{"dW": rng.standard_normal(2) * 10.0 ** rng.integers(-3, 3),
             "db": rng.standard_normal(1)} for _ in range(n)]


@pytest.mark.parametrize("name", ["momentum", "nesterov"])
def test_momentum_with_beta_zero_is_gd(name):
    grads = _random_grads()
    a, _ = _run(name, grads, lr=0.05, beta=0.0)
    b, _ = _run("gd", grads, lr=0.05)
    for k in a:
        np.testing.assert_allclose(a[k], b[k], rtol=1e-14)


def test_adam_with_beta1_zero_is_bias_corrected_rmsprop():
    grads, beta2, lr, eps = _random_grads(), 0.95, 0.01, 1e-3
    a, _ = _run("adam", grads, lr=lr, beta1=0.0, beta2=beta2, eps=eps)
    # bias-corrected RMSprop: the RMSprop average s, divided by (1 - beta^t) before the root
    params, rms = dict(PARAMS0), OPTIMIZERS["rmsprop"]
    state = rms.init(params)
    for t, g in enumerate(grads, start=1):
        _, state = rms.update(params, g, state, lr=lr, beta=beta2, eps=eps)
        s_hat = {k: state.s["d" + k] / (1 - beta2**t) for k in params}
        params = {k: params[k] - lr * g["d" + k] / (np.sqrt(s_hat[k]) + eps) for k in params}
    for k in a:
        np.testing.assert_allclose(a[k], params[k], rtol=1e-12)


def test_adamw_without_decay_is_adam_and_amsgrad_equals_adam_while_s_grows():
    grads = _random_grads()
    a, _ = _run("adam", grads, lr=0.01)
    w, _ = _run("adamw", grads, lr=0.01, weight_decay=0.0)
    growing = [{"dW": np.array([1.0, -2.0]) * k, "db": np.array([k])} for k in range(1, 20)]
    a2, _ = _run("adam", growing, lr=0.01)
    m2, _ = _run("amsgrad", growing, lr=0.01)
    for k in a:
        np.testing.assert_array_equal(a[k], w[k])
        np.testing.assert_allclose(a2[k], m2[k], rtol=1e-14)


def test_amsgrad_keeps_the_largest_s():
    grads = [{"dW": np.array([10.0])}, {"dW": np.array([0.1])}]
    _, st = _run("amsgrad", grads, params={"W": np.array([0.0])}, lr=0.1, beta2=0.5)
    # s1 = 0.5*100 = 50; s2 = 0.5*50 + 0.5*0.01 = 25.005; the max stays 50
    assert st.s["dW"][0] == pytest.approx(25.005)
    assert st.s_max["dW"][0] == pytest.approx(50.0)


def test_adadelta_first_step_without_learning_rate():
    # eta = 1 (the original method): s1 = 0.1 g^2, delta = sqrt(eps)/sqrt(s1+eps) g
    g, eps = 2.0, 1e-6
    p, st = _run("adadelta", [{"dW": np.array([g])}], params={"W": np.array([0.0])})
    delta = math.sqrt(eps) / math.sqrt(0.1 * g * g + eps) * g
    assert p["W"][0] == pytest.approx(-delta, rel=1e-14)
    assert st.u["dW"][0] == pytest.approx(0.1 * delta * delta, rel=1e-14)


# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", NAMES + MODERN)
def test_update_never_mutates_its_inputs(name):
    opt = OPTIMIZERS[name]
    params = {"W": np.array([1.0, -2.0]), "b": np.array([0.5])}
    state = opt.init(params)
    params, state = opt.update(params, GRADS[0], state, **hp_for(name))
    before = copy.deepcopy((params, GRADS[1], state))
    new_params, new_state = opt.update(params, GRADS[1], state, **hp_for(name))
    after = (params, GRADS[1], state)
    for old, now in zip(before[:2], after[:2], strict=True):
        for k in old:
            np.testing.assert_array_equal(old[k], now[k])
    assert state.t == before[2].t
    for field in opt.fields:
        for k, arr in getattr(before[2], field).items():
            np.testing.assert_array_equal(getattr(state, field)[k], arr)
    # the new params and state share no array with the old ones
    for k in params:
        assert not np.shares_memory(new_params[k], params[k])
    for field in opt.fields:
        for k in getattr(state, field):
            assert not np.shares_memory(getattr(new_state, field)[k], getattr(state, field)[k])


@pytest.mark.parametrize("name", NAMES)
def test_init_state_is_zero_and_named_like_the_formulas(name):
    opt = OPTIMIZERS[name]
    state = opt.init(PARAMS0)
    assert state.t == 0
    assert isinstance(state, opt.state_type)
    for field in opt.fields:
        assert set(getattr(state, field)) == {"dW", "db"}
        assert all(np.all(x == 0) for x in getattr(state, field).values())
    assert set(state._fields) <= {"t", "v", "s", "u", "s_max"}


@pytest.mark.parametrize("name", NAMES + MODERN)
def test_hyperparameter_specs_are_usable_by_a_slider(name):
    for spec in OPTIMIZERS[name].hparams.values():
        lo, hi = spec.slider
        assert lo < hi and lo <= spec.default <= hi, spec
        spec.check(spec.default, name)          # the default is valid
        spec.check(lo if lo > spec.low or not spec.low_open else hi, name)
        if spec.log:
            assert lo > 0
        assert spec.symbol and spec.doc


def test_registry_has_exactly_the_course_optimizers():
    assert sorted(OPTIMIZERS) == sorted(NAMES + MODERN)
    assert OPTIMIZERS["adam"].defaults == {"lr": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
    assert OPTIMIZERS["adadelta"].defaults == {"lr": 1.0, "rho": 0.9, "eps": 1e-6}
    assert OPTIMIZERS["adagrad"].defaults["eps"] == 1e-10
    assert OPTIMIZERS["rmsprop"].defaults == {"lr": 0.01, "beta": 0.9, "eps": 1e-8}
    assert OPTIMIZERS["adamw"].defaults["weight_decay"] == 0.01


def test_effective_lr():
    p = {"W": np.array([1.0, 1.0])}
    _, st = _run("adagrad", [{"dW": np.array([3.0, 0.0])}, {"dW": np.array([4.0, 0.0])}],
                 params=p, lr=0.5, eps=1e-10)
    rate = effective_lr("adagrad", st, lr=0.5, eps=1e-10)["dW"]
    assert rate[0] == pytest.approx(0.5 / 5.0)      # sqrt(9 + 16) = 5
    assert rate[1] == pytest.approx(0.5 / 1e-10)    # nothing seen yet: the full lr / eps
    _, st = _run("momentum", [{"dW": np.array([3.0, 0.0])}], params=p, lr=0.5)
    np.testing.assert_array_equal(effective_lr("momentum", st, lr=0.5)["dW"], [0.5, 0.5])
    _, st = _run("adam", [{"dW": np.array([3.0, 0.0])}], params=p, lr=0.5)
    # s_hat = 9 after one step, so 0.5 / (3 + 1e-8)
    assert effective_lr("adam", st, lr=0.5)["dW"][0] == pytest.approx(0.5 / (3 + 1e-8))
    with pytest.raises(ValueError, match="the rate is the constant lr = 0.5"):
        effective_lr("gd", GDState(3), lr=0.5)


# ------------------------------------------------------------------------------------------
# Every check names the argument, the bad value and what is allowed.
P, GR = {"W": np.array([1.0, 2.0])}, {"dW": np.array([0.1, 0.2])}


@pytest.mark.parametrize("hp, exc, match", [
    ({"lr": -0.1}, ValueError, r"adam: lr must be > 0.0, got -0.1"),
    ({"lr": 0.0}, ValueError, r"adam: lr must be > 0.0, got 0.0"),
    ({"lr": float("nan")}, ValueError, r"adam: lr must be a real number, got NaN"),
    ({"lr": float("inf")}, ValueError, r"adam: lr must be finite, got inf"),
    ({"lr": "0.1"}, TypeError, r"adam: lr must be a real number, got '0.1' of type str"),
    ({"beta1": 1.0}, ValueError, r"adam: beta1 must be in \[0.0, 1.0\), got 1.0"),
    ({"beta2": -0.5}, ValueError, r"adam: beta2 must be in \[0.0, 1.0\), got -0.5"),
    ({"eps": 0.0}, ValueError, r"adam: eps must be in \(0.0, 1.0\], got 0.0"),
    ({"betta1": 0.9}, TypeError, r"adam got an unknown hyperparameter 'betta1' \(did you mean "
                                 r"'beta1'\?\); allowed: lr, beta1, beta2, eps"),
    ({"beta": 0.9}, TypeError, r"adam got an unknown hyperparameter 'beta'"),
])
def test_bad_hyperparameters(hp, exc, match):
    adam = OPTIMIZERS["adam"]
    with pytest.raises(exc, match=match):
        adam.update(P, GR, adam.init(P), **hp)


def test_bad_weight_decay_and_momentum_beta():
    with pytest.raises(ValueError, match=r"adamw: weight_decay must be >= 0.0, got -1.0"):
        OPTIMIZERS["adamw"].check_hparams(weight_decay=-1.0)
    with pytest.raises(ValueError, match=r"momentum: beta must be in \[0.0, 1.0\), got 1.5"):
        OPTIMIZERS["momentum"].check_hparams(beta=1.5)


def test_bad_params_grads_and_state():
    adam = OPTIMIZERS["adam"]
    st = adam.init(P)
    with pytest.raises(TypeError, match=r"params must be a non-empty dict of arrays"):
        adam.update([1.0], GR, st)
    with pytest.raises(TypeError, match=r"params must be a non-empty dict of arrays"):
        adam.init({})
    with pytest.raises(TypeError,
                       match=r"params\['W'\] must be a NumPy array, got 'x' of type str"):
        adam.init({"W": "x"})
    with pytest.raises(ValueError, match=r"params\['W'\] contains NaN or inf"):
        adam.update({"W": np.array([np.nan, 1.0])}, GR, st)
    with pytest.raises(ValueError, match=r"grads keys must match params: expected \['dW'\] "
                                         r"\(a 'd' before each parameter name\), got \['W'\]"):
        adam.update(P, {"W": GR["dW"]}, st)
    with pytest.raises(ValueError, match=r"grads\['dW'\] has shape \(3,\) but params\['W'\] has "
                                         r"shape \(2,\); they must match"):
        adam.update(P, {"dW": np.zeros(3)}, st)
    with pytest.raises(ValueError, match=r"grads\['dW'\] contains NaN or inf; the run has diverged "
                                         r"\(try a smaller learning rate\)"):
        adam.update(P, {"dW": np.array([np.inf, 0.0])}, st)
    with pytest.raises(TypeError, match=r"grads must be a dict such as"):
        adam.update(P, np.zeros(2), st)
    with pytest.raises(TypeError, match=r"state for adam must be a AdamState .* got MomentumState"):
        adam.update(P, GR, MomentumState(0, {"dW": np.zeros(2)}))
    with pytest.raises(ValueError, match=r"state.t must be an int >= 0 .* got -1"):
        adam.update(P, GR, AdamState(-1, st.v, st.s))
    with pytest.raises(ValueError, match=r"state.v\['dW'\] has shape \(3,\) but params\['W'\]"):
        adam.update(P, GR, AdamState(0, {"dW": np.zeros(3)}, st.s))
    with pytest.raises(ValueError, match=r"state.s has no entry 'dW'"):
        adam.update(P, GR, AdamState(0, st.v, {}))


def test_unknown_optimizer_name():
    with pytest.raises(ValueError, match=r"optimizer must be one of gd, .*; got 'adma' "
                                         r"\(did you mean 'adam'\?\)"):
        get_optimizer("adma")
    with pytest.raises(TypeError, match=r"optimizer must be a name such as 'adam', got 3"):
        get_optimizer(3)


def test_same_inputs_same_numbers_bit_for_bit():
    grads = _random_grads(50, seed=11)
    for name in NAMES:
        a, _ = _run(name, grads, **hp_for(name))
        b, _ = _run(name, copy.deepcopy(grads), **hp_for(name))
        for k in a:
            assert a[k].tobytes() == b[k].tobytes()
