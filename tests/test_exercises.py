"""The exercise checkers: references proven independently, every classic mistake named, and no
exception ever escaping ``check`` (fuzzed with junk functions)."""
from __future__ import annotations

import _thread
import copy
import doctest
import inspect
import math
import signal
import sys
import threading
import time
import traceback
from typing import NamedTuple

import numpy as np
import pytest

from course_lib import exercises as ex
from course_lib.exercises import (EXERCISES, CheckResult, check, hint, list_exercises,
                                  reference, reset_hints, solution)
from course_lib.optimizers import (OPTIMIZERS, AdadeltaState, AdagradState, AdamState, GDState,
                                   MomentumState, RMSpropState)

try:
    import hypothesis
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - hypothesis is a dev dependency
    hypothesis = None

UPDATE_RULES = {"gd_update": "gd", "momentum_update": "momentum", "nesterov_update": "nesterov",
                "adagrad_update": "adagrad", "rmsprop_update": "rmsprop",
                "adadelta_update": "adadelta", "adam_update": "adam", "adamw_update": "adamw"}


def expected(name, case=0):
    exercise = EXERCISES[name]
    return ex._expected(exercise, exercise.cases[case])


def inputs(name, case=0):
    return EXERCISES[name].cases[case].make()


# ============================================================================================
# Independent implementations: one scalar rule per optimizer, applied element by element
def elementwise(rule, state_cls, fields, *, t_step=1, t_for_rule=None):
    """An update function built from a scalar rule ``rule(w, g, *stores, t, **hp)``."""
    def update(params, grads, state, **hp):
        t = state.t + 1
        new_params, stores = {}, {f: {} for f in fields}
        for k, W in params.items():
            g = "d" + k
            out = np.empty(np.shape(W))
            outs = {f: np.empty(np.shape(W)) for f in fields}
            for idx in np.ndindex(np.shape(W)):
                old = [float(getattr(state, f)[g][idx]) for f in fields]
                w, *new = rule(float(W[idx]), float(grads[g][idx]), *old,
                               t=t if t_for_rule is None else t_for_rule(state.t), **hp)
                out[idx] = w
                for f, x in zip(fields, new, strict=True):
                    outs[f][idx] = x
            new_params[k] = out
            for f in fields:
                stores[f][g] = outs[f]
        return new_params, state_cls(state.t + t_step, *(stores[f] for f in fields))
    return update


def gd_rule(w, g, *, t, lr):
    return (w - lr * g,)


def momentum_rule(w, g, v, *, t, lr, beta):
    v = beta * v + (1 - beta) * g
    return w - lr * v, v


def nesterov_rule(w, g, v, *, t, lr, beta):
    v = beta * v + (1 - beta) * g
    return w - lr * (beta * v + (1 - beta) * g), v


def adagrad_rule(w, g, s, *, t, lr, eps):
    s = s + g * g
    return w - lr * g / (math.sqrt(s) + eps), s


def rmsprop_rule(w, g, s, *, t, lr, beta, eps):
    s = beta * s + (1 - beta) * g * g
    return w - lr * g / (math.sqrt(s) + eps), s


def adadelta_rule(w, g, s, u, *, t, lr, rho, eps):
    s = rho * s + (1 - rho) * g * g
    delta = math.sqrt(u + eps) / math.sqrt(s + eps) * g
    u = rho * u + (1 - rho) * delta * delta
    return w - lr * delta, s, u


def adam_rule(w, g, v, s, *, t, lr, beta1, beta2, eps):
    v = beta1 * v + (1 - beta1) * g
    s = beta2 * s + (1 - beta2) * g * g
    v_hat, s_hat = v / (1 - beta1 ** t), s / (1 - beta2 ** t)
    return w - lr * v_hat / (math.sqrt(s_hat) + eps), v, s


def adamw_rule(w, g, v, s, *, t, lr, beta1, beta2, eps, weight_decay):
    return adam_rule(w * (1 - lr * weight_decay), g, v, s, t=t, lr=lr, beta1=beta1,
                     beta2=beta2, eps=eps)


CORRECT_UPDATES = {
    "gd_update": elementwise(gd_rule, GDState, ()),
    "momentum_update": elementwise(momentum_rule, MomentumState, ("v",)),
    "nesterov_update": elementwise(nesterov_rule, MomentumState, ("v",)),
    "adagrad_update": elementwise(adagrad_rule, AdagradState, ("s",)),
    "rmsprop_update": elementwise(rmsprop_rule, RMSpropState, ("s",)),
    "adadelta_update": elementwise(adadelta_rule, AdadeltaState, ("s", "u")),
    "adam_update": elementwise(adam_rule, AdamState, ("v", "s")),
    "adamw_update": elementwise(adamw_rule, AdamState, ("v", "s")),
}


@pytest.mark.parametrize("name", sorted(CORRECT_UPDATES))
def test_independent_update_rules_pass(name):
    result = check(name, CORRECT_UPDATES[name])
    assert result, result.message
    assert result.passed and result.mistakes == ()


def test_adam_reference_matches_hand_computation():
    # Case 1, W[0, 0]: w = 0.5, dW = 0.8, v = 0.3, s = 0.5, t = 2 -> 3,
    # beta1 = 0.8, beta2 = 0.888, lr = 0.1, eps = 0.01.
    # v = 0.8*0.3 + 0.2*0.8 = 0.4;  s = 0.888*0.5 + 0.112*0.64 = 0.51568
    # v_hat = 0.4 / (1 - 0.8**3) = 0.819672;  s_hat = 0.51568 / (1 - 0.888**3) = 1.720236
    # W = 0.5 - 0.1 * 0.819672 / (1.311578 + 0.01) = 0.437978
    params, state = expected("adam_update")
    assert params["W"][0, 0] == pytest.approx(0.437978, abs=1e-6)
    assert state.v["dW"][0, 0] == pytest.approx(0.4)
    assert state.s["dW"][0, 0] == pytest.approx(0.51568)
    assert state.t == 3 and isinstance(state, AdamState)


def test_other_update_references_match_hand_computation():
    # momentum, beta = 0.7, lr = 0.1: v = 0.7*0.3 + 0.3*0.8 = 0.45; W = 0.5 - 0.045
    params, state = expected("momentum_update")
    assert (params["W"][0, 0], state.v["dW"][0, 0]) == pytest.approx((0.455, 0.45))
    # adagrad, lr = 0.3, eps = 0.01: s = 0.5 + 0.64 = 1.14; W = 0.5 - 0.24/(1.067708 + 0.01)
    params, state = expected("adagrad_update")
    assert (params["W"][0, 0], state.s["dW"][0, 0]) == pytest.approx((0.277305, 1.14), abs=1e-6)
    # rmsprop, beta = 0.85, lr = 0.05: s = 0.425 + 0.096 = 0.521; W = 0.5 - 0.04/0.731803
    params, state = expected("rmsprop_update")
    assert (params["W"][0, 0], state.s["dW"][0, 0]) == pytest.approx((0.445341, 0.521), abs=1e-6)
    # adadelta, rho = 0.77, eps = 0.01, lr = 0.9: s = 0.5322; delta = sqrt(.03)/sqrt(.5422)*0.8
    # = 0.188179; u = 0.0154 + 0.23*0.188179**2 = 0.0235446; W = 0.5 - 0.9*0.188179
    params, state = expected("adadelta_update")
    assert (params["W"][0, 0], state.s["dW"][0, 0], state.u["dW"][0, 0]) == pytest.approx(
        (0.330639, 0.5322, 0.0235446), abs=1e-6)


def test_model_solutions_work_with_library_states_over_several_steps():
    for name, opt_name in UPDATE_RULES.items():
        opt, fn = OPTIMIZERS[opt_name], reference(name)
        (params, grads, _), hp = inputs(name)
        mine, lib = (params, opt.init(params)), (params, opt.init(params))
        for _ in range(5):
            mine = fn(mine[0], grads, mine[1], **hp)
            lib = opt.update(lib[0], grads, lib[1], **hp)
        for k in params:
            np.testing.assert_allclose(mine[0][k], lib[0][k], rtol=1e-12)
        assert type(mine[1]) is opt.state_type and mine[1].t == 5
        # the learner's state goes straight back into the library, and vice versa
        opt.update(mine[0], grads, mine[1], **hp)
        fn(lib[0], grads, lib[1], **hp)


def test_update_exercises_take_the_library_signature():
    for name, opt_name in UPDATE_RULES.items():
        exercise = EXERCISES[name]
        sig = inspect.signature(exercise.solution)
        positional = [p.name for p in sig.parameters.values() if p.kind == p.POSITIONAL_OR_KEYWORD]
        keyword = [p.name for p in sig.parameters.values() if p.kind == p.KEYWORD_ONLY]
        assert positional == ["params", "grads", "state"]
        assert keyword == list(OPTIMIZERS[opt_name].hparams)
        assert exercise.output_names == ("params", "state")


# --------------------------------------------------------------------------------------------
# The other references, derived by hand, by finite differences or by behaviour
def test_mse_loss_reference_by_hand():
    # errors 0.5, -1.5, 0, 3 -> squares 0.25, 2.25, 0, 9 -> mean 11.5 / 4
    assert expected("mse_loss") == pytest.approx(2.875)


def test_forward_pass_reference_by_loops():
    (params, X), _ = inputs("forward_pass")
    out = []
    for row in X:
        hidden = [max(0.0, sum(row[i] * params["W1"][i, j] for i in range(3)) + params["b1"][j])
                  for j in range(4)]
        out.append(sum(h * w for h, w in zip(hidden, params["W2"], strict=True))
                   + float(params["b2"][0]))
    np.testing.assert_allclose(expected("forward_pass"), out, rtol=1e-12)
    assert check("forward_pass", lambda params, X: np.array(out))


def test_weight_update_reference_by_hand():
    # W - 0.25 * dW, entry by entry
    np.testing.assert_allclose(expected("weight_update"),
                               [[0.25, -0.5, 1.875], [-1.0, 2.975, 0.5]], rtol=1e-12)


def _finite_difference(loss, params, h=1e-6):
    grads = {}
    for k, value in params.items():
        value = np.asarray(value, dtype=float)
        g = np.zeros_like(value)
        for idx in np.ndindex(value.shape):
            up, down = value.copy(), value.copy()
            up[idx] += h
            down[idx] -= h
            g[idx] = (loss({**params, k: up}) - loss({**params, k: down})) / (2 * h)
        grads["d" + k] = g if g.shape else float(g)
    return grads


def test_mse_gradient_reference_by_finite_differences():
    (params, X, y), _ = inputs("mse_gradient")

    def loss(p):
        return np.mean((X @ p["W"] + p["b"] - y) ** 2)
    numeric = _finite_difference(loss, params)
    exp = expected("mse_gradient")
    np.testing.assert_allclose(exp["dW"], numeric["dW"], rtol=1e-7)
    assert exp["db"] == pytest.approx(numeric["db"], rel=1e-7)
    assert check("mse_gradient", lambda params, X, y: _finite_difference(
        lambda p: np.mean((X @ p["W"] + p["b"] - y) ** 2), params))


def test_sample_gradient_reference_by_finite_differences():
    (params, x, y), _ = inputs("sample_gradient")
    numeric = _finite_difference(lambda p: (x @ p["W"] + p["b"] - y) ** 2, params)
    exp = expected("sample_gradient")
    np.testing.assert_allclose(exp["dW"], numeric["dW"], rtol=1e-7)
    assert exp["db"] == pytest.approx(numeric["db"], rel=1e-7)


def test_stable_lr_bound_reference_closed_form_and_behaviour():
    # 2x2: lambda_max = (a + c)/2 + sqrt(((a - c)/2)^2 + b^2) = 2 + sqrt(1 + 2.25)
    assert expected("stable_lr_bound") == pytest.approx(2 / (2 + math.sqrt(3.25)))
    for case in range(2):
        (H,), _ = inputs("stable_lr_bound", case)
        bound = expected("stable_lr_bound", case)

        def distance_after(lr, H=H):
            w = np.ones(len(H))
            for _ in range(400):
                w = w - lr * H @ w
            return np.linalg.norm(w)
        assert distance_after(0.98 * bound) < 1.0 < distance_after(1.02 * bound)


def _linear_epoch(params, X, y, order, lr, batch_size):
    W, b = params["W"].copy(), float(params["b"])
    for start in range(0, len(order), batch_size):
        idx = order[start:start + batch_size]
        gW, gb = np.zeros_like(W), 0.0
        for i in idx:
            e = float(np.dot(X[i], W)) + b - y[i]
            gW, gb = gW + 2 * e * X[i] / len(idx), gb + 2 * e / len(idx)
        W, b = W - lr * gW, b - lr * gb
    return {"W": W, "b": b}


def test_sgd_and_minibatch_epoch_references_by_loops():
    for name, batch_size in (("sgd_epoch", 1), ("minibatch_epoch", 4)):
        (params, X, y), kw = inputs(name)
        order = np.random.default_rng(2024 if name == "sgd_epoch" else 99).permutation(len(y))
        mine = _linear_epoch(params, X, y, order, kw["lr"], batch_size)
        exp = expected(name)
        np.testing.assert_allclose(exp["W"], mine["W"], rtol=1e-12)
        assert float(exp["b"]) == pytest.approx(mine["b"], rel=1e-12)


def test_sgd_epoch_independent_version_passes():
    def sgd(params, X, y, *, lr, rng):
        return _linear_epoch(params, X, y, rng.permutation(len(y)), lr, 1)

    def mini(params, X, y, *, lr, batch_size, rng):
        return _linear_epoch(params, X, y, rng.permutation(len(y)), lr, batch_size)
    assert check("sgd_epoch", sgd)
    assert check("minibatch_epoch", mini)


@pytest.mark.parametrize("name, table", [
    ("iterations_per_epoch", {(10_000, 1000): 10, (10, 3): 4, (50_000, 128): 391, (7, 7): 1,
                              (10_000, 1): 10_000, (1_000_000, 20_000): 50, (12, 5): 3}),
    ("total_iterations", {(10, 3, 3): 12, (10_000, 1000, 5): 50, (50_000, 128, 2): 782,
                          (7, 7, 4): 4, (1000, 300, 10): 40}),
])
def test_iteration_counts_by_hand(name, table):
    exercise = EXERCISES[name]
    assert len(exercise.cases) == len(table)
    for i, case in enumerate(exercise.cases):
        args, _ = case.make()
        assert expected(name, i) == table[args]
        assert isinstance(expected(name, i), int)


def test_ewa_references_by_hand():
    assert expected("ewa_step", 0) == pytest.approx(5.1)   # 0.7*3 + 0.3*10
    np.testing.assert_allclose(expected("ewa_step", 1), [0.825, -0.05, -0.55])
    # v = 1.6, 3.36, 4.016, 2.0096, 2.40576 divided by 1 - 0.6**t = .4, .64, .784, .8704, .92224
    np.testing.assert_allclose(expected("ewa_bias_corrected", 0),
                               [4.0, 5.25, 5.122449, 2.308824, 2.608605], rtol=1e-6)
    np.testing.assert_allclose(expected("ewa_bias_corrected", 1), [2.0] * 4)
    assert [expected("ewa_window", i) for i in range(4)] == pytest.approx([10, 50, 2, 4])


def test_adagrad_effective_lr_reference_by_hand():
    total, rates = 0.0, []
    for g in (0.5, 2.0, 0.1, 0.003, 1.0):
        total += g * g
        rates.append(0.3 / (math.sqrt(total) + 0.01))
    np.testing.assert_allclose(expected("adagrad_effective_lr"), rates, rtol=1e-12)
    assert rates[0] == pytest.approx(0.3 / 0.51)


# ============================================================================================
# The classic mistakes, each from a deliberately wrong implementation
def adam_eps_inside(w, g, v, s, *, t, lr, beta1, beta2, eps):
    v = beta1 * v + (1 - beta1) * g
    s = beta2 * s + (1 - beta2) * g * g
    return w - lr * (v / (1 - beta1 ** t)) / math.sqrt(s / (1 - beta2 ** t) + eps), v, s


def adam_no_correction(w, g, v, s, *, t, lr, beta1, beta2, eps):
    v = beta1 * v + (1 - beta1) * g
    s = beta2 * s + (1 - beta2) * g * g
    return w - lr * v / (math.sqrt(s) + eps), v, s


def adam_correction_stored(w, g, v, s, *, t, lr, beta1, beta2, eps):
    v = (beta1 * v + (1 - beta1) * g) / (1 - beta1 ** t)
    s = (beta2 * s + (1 - beta2) * g * g) / (1 - beta2 ** t)
    return w - lr * v / (math.sqrt(s) + eps), v, s


def adam_swapped(w, g, v, s, *, t, lr, beta1, beta2, eps):
    return adam_rule(w, g, v, s, t=t, lr=lr, beta1=beta2, beta2=beta1, eps=eps)


def adam_no_one_minus(w, g, v, s, *, t, lr, beta1, beta2, eps):
    v = beta1 * v + g
    s = beta2 * s + (1 - beta2) * g * g
    return w - lr * (v / (1 - beta1 ** t)) / (math.sqrt(s / (1 - beta2 ** t)) + eps), v, s


def adam_not_squared(w, g, v, s, *, t, lr, beta1, beta2, eps):
    v = beta1 * v + (1 - beta1) * g
    s = beta2 * s + (1 - beta2) * g
    return w - lr * (v / (1 - beta1 ** t)) / (np.sqrt(s / (1 - beta2 ** t)) + eps), v, s


def rmsprop_eps_inside(w, g, s, *, t, lr, beta, eps):
    s = beta * s + (1 - beta) * g * g
    return w - lr * g / math.sqrt(s + eps), s


def rmsprop_not_squared(w, g, s, *, t, lr, beta, eps):
    s = beta * s + (1 - beta) * g
    return w - lr * g / (np.sqrt(s) + eps), s


def rmsprop_no_one_minus(w, g, s, *, t, lr, beta, eps):
    s = beta * s + g * g
    return w - lr * g / (math.sqrt(s) + eps), s


def adagrad_eps_inside(w, g, s, *, t, lr, eps):
    s = s + g * g
    return w - lr * g / math.sqrt(s + eps), s


def adagrad_not_squared(w, g, s, *, t, lr, eps):
    s = s + g
    return w - lr * g / (np.sqrt(s) + eps), s


def momentum_no_one_minus(w, g, v, *, t, lr, beta):
    v = beta * v + g
    return w - lr * v, v


def adadelta_eps_outside(w, g, s, u, *, t, lr, rho, eps):
    s = rho * s + (1 - rho) * g * g
    delta = (math.sqrt(u) + eps) / (math.sqrt(s) + eps) * g
    return w - lr * delta, s, rho * u + (1 - rho) * delta * delta


def nesterov_plain(w, g, v, *, t, lr, beta):
    return momentum_rule(w, g, v, t=t, lr=lr, beta=beta)


def adamw_l2(w, g, v, s, *, t, lr, beta1, beta2, eps, weight_decay):
    return adam_rule(w, g + weight_decay * w, v, s, t=t, lr=lr, beta1=beta1, beta2=beta2,
                     eps=eps)


def adamw_decay_after(w, g, v, s, *, t, lr, beta1, beta2, eps, weight_decay):
    w, v, s = adam_rule(w, g, v, s, t=t, lr=lr, beta1=beta1, beta2=beta2, eps=eps)
    return w * (1 - lr * weight_decay), v, s


def adamw_forgot_decay(w, g, v, s, *, t, lr, beta1, beta2, eps, weight_decay):
    return adam_rule(w, g, v, s, t=t, lr=lr, beta1=beta1, beta2=beta2, eps=eps)


def ew(rule, name, **kw):
    opt = OPTIMIZERS[UPDATE_RULES[name]]
    return elementwise(rule, opt.state_type, opt.fields, **kw)


UPDATE_MISTAKES = [
    # (exercise, wrong implementation, code, words the message must contain)
    ("adam_update", ew(adam_eps_inside, "adam_update"), "eps_inside", "ε inside the square root"),
    ("rmsprop_update", ew(rmsprop_eps_inside, "rmsprop_update"), "eps_inside", "ε inside"),
    ("adagrad_update", ew(adagrad_eps_inside, "adagrad_update"), "eps_inside", "ε inside"),
    ("adam_update", ew(adam_no_correction, "adam_update"), "no_bias_correction",
     "no bias correction"),
    ("adam_update", ew(adam_correction_stored, "adam_update"), "bias_correction_in_state",
     "stored in the state"),
    ("adam_update", ew(adam_swapped, "adam_update"), "betas_swapped", "β1 and β2 are swapped"),
    ("adam_update", ew(adam_no_one_minus, "adam_update"), "missing_one_minus_beta",
     "(1 − β1) factor is missing"),
    ("rmsprop_update", ew(rmsprop_no_one_minus, "rmsprop_update"), "missing_one_minus_beta",
     "(1 − β) factor"),
    ("momentum_update", ew(momentum_no_one_minus, "momentum_update"), "missing_one_minus_beta",
     "(1 − β) factor"),
    ("adam_update", ew(adam_rule, "adam_update", t_for_rule=lambda t: t), "t_off_by_one",
     "old t"),
    ("adam_update", ew(adam_rule, "adam_update", t_step=0), "t_not_incremented",
     "not incremented"),
    ("momentum_update", ew(momentum_rule, "momentum_update", t_step=0), "t_not_incremented",
     "not incremented"),
    ("gd_update", ew(gd_rule, "gd_update", t_step=0), "t_not_incremented", "not incremented"),
    ("adam_update", ew(adam_not_squared, "adam_update"), "grad_not_squared", "not squared"),
    ("rmsprop_update", ew(rmsprop_not_squared, "rmsprop_update"), "grad_not_squared",
     "not squared"),
    ("adagrad_update", ew(adagrad_not_squared, "adagrad_update"), "grad_not_squared",
     "not squared"),
    ("adadelta_update", ew(adadelta_eps_outside, "adadelta_update"), "eps_outside",
     "ε outside"),
    ("nesterov_update", ew(nesterov_plain, "nesterov_update"), "no_look_ahead", "look-ahead"),
    ("adamw_update", ew(adamw_l2, "adamw_update"), "l2_not_decoupled", "L2"),
    ("adamw_update", ew(adamw_decay_after, "adamw_update"), "decay_after_step",
     "after the Adam step"),
    ("adamw_update", ew(adamw_forgot_decay, "adamw_update"), "no_weight_decay", "plain Adam"),
]


@pytest.mark.parametrize("name, fn, code, words", UPDATE_MISTAKES,
                         ids=[f"{m[0]}-{m[2]}" for m in UPDATE_MISTAKES])
def test_update_mistake_is_named(name, fn, code, words):
    result = check(name, fn)
    assert not result and result.passed is False
    assert code in result.mistakes, result.message
    assert words in result.message, result.message
    variant = next(m.variant for m in EXERCISES[name].mistakes if m.code == code)
    head = "A valid variant, not the one asked:" if variant else "Likely mistake:"
    assert head in result.message and "Look at:" in result.message
    assert "Where: " in result.message


def test_message_says_where():
    result = check("adam_update", ew(adam_eps_inside, "adam_update"))
    assert "Where: params['W'], params['b']" in result.message
    result = check("adam_update", ew(adam_correction_stored, "adam_update"))
    where = next(line for line in result.message.splitlines() if "Where:" in line)
    assert "state.v['dW']" in where and "state.s['db']" in where
    assert "params['W']" not in where   # the step itself was right
    result = check("momentum_update", ew(momentum_rule, "momentum_update", t_step=0))
    assert "Where: state.t" in result.message


def test_two_mistakes_at_once_are_both_named():
    # the typical "t = state.t" bug: wrong correction AND t not incremented
    fn = ew(adam_rule, "adam_update", t_step=0, t_for_rule=lambda t: t)
    result = check("adam_update", fn)
    assert {"t_off_by_one", "t_not_incremented"} <= set(result.mistakes)


def adam_in_place(params, grads, state, *, lr, beta1, beta2, eps):
    t = state.t + 1
    for k in params:
        g = "d" + k
        state.v[g] *= beta1
        state.v[g] += (1 - beta1) * grads[g]
        state.s[g] *= beta2
        state.s[g] += (1 - beta2) * grads[g] ** 2
        v_hat, s_hat = state.v[g] / (1 - beta1 ** t), state.s[g] / (1 - beta2 ** t)
        params[k] -= lr * v_hat / (np.sqrt(s_hat) + eps)
    return params, AdamState(t, state.v, state.s)


def momentum_in_place_state(params, grads, state, *, lr, beta):
    for g in grads:
        state.v[g] *= beta
        state.v[g] += (1 - beta) * grads[g]
    new = {k: W - lr * state.v["d" + k] for k, W in params.items()}
    return new, MomentumState(state.t + 1, state.v)


def ewa_step_in_place(v, a, beta):
    v *= beta
    v += (1 - beta) * a
    return v


def sgd_in_place(params, X, y, *, lr, rng):
    for i in rng.permutation(len(y)):
        e = X[i] @ params["W"] + params["b"] - y[i]
        params["W"] -= lr * 2 * e * X[i]
        params["b"] = params["b"] - lr * 2 * e
    return params


def sgd_writes_b(params, X, y, *, lr, rng):
    new = reference("sgd_epoch")(params, X, y, lr=lr, rng=rng)
    params["b"] = new["b"]              # a plain float written into the caller's dict
    return new


def minibatch_adds_a_key(params, X, y, *, lr, batch_size, rng):
    new = reference("minibatch_epoch")(params, X, y, lr=lr, batch_size=batch_size, rng=rng)
    params["steps"] = 3                 # a key added to the caller's dict
    return new


def minibatch_writes_b_as_int(params, X, y, *, lr, batch_size, rng):
    new = reference("minibatch_epoch")(params, X, y, lr=lr, batch_size=batch_size, rng=rng)
    params["b"] = 0                     # an int in place of the float
    return new


def adam_writes_t_into_a_dict(params, grads, state, *, lr, beta1, beta2, eps):
    new = reference("adam_update")(params, grads, state, lr=lr, beta1=beta1, beta2=beta2,
                                   eps=eps)
    state.s["count"] = 1                # a key added to a dict nested in the state
    return new


@pytest.mark.parametrize("name, fn, where", [
    ("sgd_epoch", sgd_writes_b, "params['b']"),
    ("minibatch_epoch", minibatch_adds_a_key, "params['steps'] (added)"),
    ("minibatch_epoch", minibatch_writes_b_as_int, "params['b']"),
    ("adam_update", adam_writes_t_into_a_dict, "state.s['count'] (added)"),
])
def test_numbers_and_keys_written_into_the_callers_dict_are_named(name, fn, where):
    result = check(name, fn)
    assert not result and "mutated_input" in result.mistakes
    assert f"changed its input(s) in place: {where}" in result.message
    assert "inputs left unchanged" not in result.message


def test_mutations_of_nested_plain_values():
    before = {"a": {"b": 1.0, "c": [1, 2, (3, 4.5)], "n": None, "s": "x", "nan": float("nan")}}
    after = copy.deepcopy(before)
    assert ex._mutations(before, after, "arg") == []      # NaN equals NaN; nothing changed
    after["a"]["b"] = 2.0
    after["a"]["c"][2] = (3, 4.0)
    after["a"]["s"] = "y"
    assert ex._mutations(before, after, "arg") == ["arg['a']['b']", "arg['a']['c'][2][1]",
                                                    "arg['a']['s']"]
    assert ex._mutations({"k": 1}, {"k": True}, "d") == ["d['k']"]   # another type
    assert ex._mutations({"k": 1}, {}, "d") == ["d['k'] (removed)"]


@pytest.mark.parametrize("name, fn, where", [
    ("adam_update", adam_in_place, "params['W']"),
    ("momentum_update", momentum_in_place_state, "state.v['dW']"),
    ("ewa_step", ewa_step_in_place, "v"),
    ("sgd_epoch", sgd_in_place, "params['W']"),
])
def test_in_place_mutation_is_named(name, fn, where):
    result = check(name, fn)
    assert not result
    assert "mutated_input" in result.mistakes
    assert "changed its input(s) in place" in result.message and where in result.message


SIMPLE_MISTAKES = [
    ("iterations_per_epoch", lambda n, batch_size: n // batch_size, "floor_not_ceil", "floor"),
    ("iterations_per_epoch", lambda n, batch_size: n // batch_size + 1, "plus_one", "+ 1"),
    ("iterations_per_epoch", lambda n, batch_size: round(n / batch_size), "rounded", "round"),
    ("total_iterations", lambda n, batch_size, epochs: epochs * (n // batch_size),
     "floor_not_ceil", "floor"),
    ("total_iterations", lambda n, batch_size, epochs: -(-n * epochs // batch_size),
     "ceil_of_total", "across epochs"),
    ("total_iterations", lambda n, batch_size, epochs: -(-n // batch_size), "forgot_epochs",
     "epochs"),
    ("ewa_step", lambda v, a, beta: beta * v + a, "missing_one_minus_beta", "(1 − β)"),
    ("ewa_step", lambda v, a, beta: (1 - beta) * v + beta * a, "beta_swapped", "swapped"),
    ("ewa_window", lambda beta: 1 / beta, "one_over_beta", "1/β"),
    ("mse_loss", lambda y_hat, y: float(np.sum((y_hat - y) ** 2)), "sum_not_mean", "summed"),
    ("mse_loss", lambda y_hat, y: float(np.mean((y_hat - y) ** 2) / 2), "half_mse", "1/2"),
    ("weight_update", lambda W, dW, lr: W + lr * dW, "gradient_ascent", "up the gradient"),
    ("stable_lr_bound", lambda H: 1 / max(np.linalg.eigvalsh(H)), "one_over_lambda", "1/λ_max"),
    ("stable_lr_bound", lambda H: 2 / max(np.diag(H)), "max_diagonal", "diagonal"),
    ("mse_gradient", lambda params, X, y: {
        "dW": X.T @ (X @ params["W"] + params["b"] - y) / len(y),
        "db": float(np.mean(X @ params["W"] + params["b"] - y))}, "missing_factor_two",
     "factor 2"),
    ("sample_gradient", lambda params, x, y: {
        "dW": 2 * (y - x @ params["W"] - params["b"]) * x,
        "db": 2 * (y - x @ params["W"] - params["b"])}, "sign_flipped", "sign"),
    ("adagrad_effective_lr", lambda dW, *, lr, eps: lr / np.sqrt(np.cumsum(dW ** 2) + eps),
     "eps_inside", "ε inside"),
    ("adagrad_effective_lr", lambda dW, *, lr, eps: lr / (np.sqrt(dW ** 2) + eps),
     "s_not_accumulated", "running SUM"),
]


@pytest.mark.parametrize("name, fn, code, words", SIMPLE_MISTAKES,
                         ids=[f"{m[0]}-{m[2]}" for m in SIMPLE_MISTAKES])
def test_simple_mistake_is_named(name, fn, code, words):
    result = check(name, fn)
    assert not result
    assert code in result.mistakes, result.message
    assert words in result.message, result.message


def forward_without_relu(params, X):
    return (X @ params["W1"] + params["b1"]) @ params["W2"] + params["b2"]


def forward_with_sigmoid(params, X):
    hidden = 1 / (1 + np.exp(-(X @ params["W1"] + params["b1"])))
    return hidden @ params["W2"] + params["b2"]


@pytest.mark.parametrize("fn, code", [(forward_without_relu, "no_activation"),
                                      (forward_with_sigmoid, "wrong_activation")])
def test_forward_pass_mistakes(fn, code):
    assert code in check("forward_pass", fn).mistakes


def ewa_corrected_state(a, beta):
    v, out = 0.0, []
    for t, a_t in enumerate(a, start=1):
        v = (beta * v + (1 - beta) * a_t) / (1 - beta ** t)
        out.append(v)
    return np.array(out)


def ewa_t_from_zero(a, beta):
    v, out = 0.0, []
    for t, a_t in enumerate(a):
        v = beta * v + (1 - beta) * a_t
        out.append(v / (1 - beta ** t))
    return np.array(out)


def ewa_no_correction(a, beta):
    v, out = 0.0, []
    for a_t in a:
        v = beta * v + (1 - beta) * a_t
        out.append(v)
    return np.array(out)


@pytest.mark.parametrize("fn, code, words", [
    (ewa_corrected_state, "bias_correction_in_state", "written back"),
    (ewa_t_from_zero, "t_off_by_one", "t starts at 0"),
    (ewa_no_correction, "no_bias_correction", "no bias correction"),
])
def test_ewa_bias_correction_mistakes(fn, code, words):
    result = check("ewa_bias_corrected", fn)
    assert not result and code in result.mistakes and words in result.message, result.message


def minibatch_floor(params, X, y, *, lr, batch_size, rng):
    order = rng.permutation(len(y))
    full = len(y) // batch_size * batch_size
    return _linear_epoch(params, X, y, order[:full], lr, batch_size)


def minibatch_no_shuffle(params, X, y, *, lr, batch_size, rng):
    return _linear_epoch(params, X, y, np.arange(len(y)), lr, batch_size)


def sgd_no_shuffle(params, X, y, *, lr, rng):
    return _linear_epoch(params, X, y, np.arange(len(y)), lr, 1)


def sgd_with_replacement(params, X, y, *, lr, rng):
    return _linear_epoch(params, X, y, rng.integers(0, len(y), size=len(y)), lr, 1)


@pytest.mark.parametrize("name, fn, code", [
    ("minibatch_epoch", minibatch_floor, "dropped_last_batch"),
    ("minibatch_epoch", minibatch_no_shuffle, "no_shuffle"),
    ("sgd_epoch", sgd_no_shuffle, "no_shuffle"),
    ("sgd_epoch", sgd_with_replacement, "sampled_with_replacement"),
])
def test_epoch_mistakes(name, fn, code):
    result = check(name, fn)
    assert not result and code in result.mistakes, result.message


# --------------------------------------------------------------------------------------------
# The mini-batch generator: judged over two epochs
_FIXED = np.random.default_rng(12345).permutation(12)
_UNSEEDED = np.random.default_rng()


def gen_correct_list(X, y, batch_size, rng):
    order = rng.permutation(len(y))
    return [(X[order[s:s + batch_size]], y[order[s:s + batch_size]])
            for s in range(0, len(y), batch_size)]


def gen_no_shuffle(X, y, batch_size, rng):
    for s in range(0, len(y), batch_size):
        yield X[s:s + batch_size], y[s:s + batch_size]


def gen_fixed_seed(X, y, batch_size, rng):
    order = np.random.default_rng(0).permutation(len(y))   # the same order every epoch
    for s in range(0, len(y), batch_size):
        yield X[order[s:s + batch_size]], y[order[s:s + batch_size]]


def gen_floor(X, y, batch_size, rng):
    order = rng.permutation(len(y))
    for k in range(len(y) // batch_size):
        idx = order[k * batch_size:(k + 1) * batch_size]
        yield X[idx], y[idx]


def gen_plus_one(X, y, batch_size, rng):
    order = rng.permutation(len(y))
    for k in range(len(y) // batch_size + 1):
        idx = order[k * batch_size:(k + 1) * batch_size]
        yield X[idx], y[idx]


def gen_with_replacement(X, y, batch_size, rng):
    for s in range(0, len(y), batch_size):
        idx = rng.integers(0, len(y), size=min(batch_size, len(y) - s))
        yield X[idx], y[idx]


def gen_pairs_broken(X, y, batch_size, rng):
    Xs, ys = X[rng.permutation(len(y))], y[rng.permutation(len(y))]
    for s in range(0, len(y), batch_size):
        yield Xs[s:s + batch_size], ys[s:s + batch_size]


def gen_shuffles_input(X, y, batch_size, rng):
    state = rng.bit_generator.state
    rng.shuffle(X)
    rng.bit_generator.state = state
    rng.shuffle(y)
    for s in range(0, len(y), batch_size):
        yield X[s:s + batch_size], y[s:s + batch_size]


def gen_other_rng(X, y, batch_size, rng):
    order = _UNSEEDED.permutation(len(y))
    for s in range(0, len(y), batch_size):
        yield X[order[s:s + batch_size]], y[order[s:s + batch_size]]


def gen_endless(X, y, batch_size, rng):
    while True:
        yield X[:batch_size], y[:batch_size]


def gen_missing(X, y, batch_size, rng):
    order = rng.permutation(len(y))[:-1]
    for s in range(0, len(order), batch_size):
        yield X[order[s:s + batch_size]], y[order[s:s + batch_size]]


def gen_forgot_yield(X, y, batch_size, rng):
    rng.permutation(len(y))


def gen_x_only(X, y, batch_size, rng):
    for s in range(0, len(y), batch_size):
        yield X[s:s + batch_size]


def gen_stub(X, y, batch_size, rng):
    raise NotImplementedError
    yield  # noqa: B901 - a generator stub, as in the student notebook


@pytest.mark.parametrize("fn, code", [
    (gen_no_shuffle, "no_shuffle"), (gen_fixed_seed, "no_reshuffle"),
    (gen_floor, "dropped_last_batch"), (gen_plus_one, "empty_batch"),
    (gen_with_replacement, "duplicate_records"), (gen_pairs_broken, "pairs_broken"),
    (gen_shuffles_input, "mutated_input"), (gen_other_rng, "ignores_rng"),
    (gen_endless, "too_many_batches"), (gen_missing, "missing_records"),
    (gen_forgot_yield, "returned_none"), (gen_x_only, "wrong_type"),
])
def test_minibatch_generator_mistakes(fn, code):
    result = check("minibatch_generator", fn)
    assert not result
    assert code in result.mistakes, result.message
    assert result.message.splitlines()[1].startswith("Case ")
    if code not in ("returned_none", "wrong_type"):
        assert "Look at" in result.message


def test_minibatch_generator_accepts_a_list_and_the_model_solution():
    assert check("minibatch_generator", gen_correct_list)
    assert check("minibatch_generator", reference("minibatch_generator"))


def test_minibatch_generator_stub_is_not_implemented():
    result = check("minibatch_generator", gen_stub)
    assert not result and result.message.startswith("Not implemented yet")


# ============================================================================================
# Wrong types, shapes, NaN, exceptions: a clear message, never an exception
def stub(*args, **kwargs):
    raise NotImplementedError


@pytest.mark.parametrize("name", list(EXERCISES))
def test_stub_says_not_implemented_yet(name):
    result = check(name, stub)
    assert not result
    assert result.message.startswith("Not implemented yet")
    assert result.mistakes == ("not_implemented",)


@pytest.mark.parametrize("name", list(EXERCISES))
def test_every_model_solution_passes(name):
    result = check(name, reference(name))
    assert result, result.message
    assert "passed" in result.message


class OwnAdamState(NamedTuple):
    t: int
    v: dict
    s: dict


OwnAdamState.__name__ = "AdamState"


def _adam_then(transform):
    def fn(params, grads, state, *, lr, beta1, beta2, eps):
        return transform(*reference("adam_update")(params, grads, state, lr=lr, beta1=beta1,
                                                   beta2=beta2, eps=eps))
    return fn


@pytest.mark.parametrize("transform, code, words", [
    (lambda p, s: None, "returned_none", "returned None"),
    (lambda p, s: p, "wrong_type", "must return a tuple (params, state)"),
    (lambda p, s: (s, p), "swapped_outputs", "wrong order"),
    (lambda p, s: (p, tuple(s)), "wrong_state_type", "AdamState(t, v, s)"),
    (lambda p, s: (p, OwnAdamState(*s)), "wrong_state_type", "from course_lib.optimizers import"),
    (lambda p, s: (p, s._replace(t=float(s.t))), "wrong_type", "must be an int"),
    (lambda p, s: ({k[0]: x for k, x in p.items()}, s), "missing_key", "has no key"),
    (lambda p, s: (p, s._replace(v={k[1:]: x for k, x in s.v.items()})), "missing_key",
     "keyed like the gradients"),
    (lambda p, s: ({**p, "W": p["W"].ravel()}, s), "wrong_shape", "has shape (4,)"),
    (lambda p, s: ({**p, "W": p["W"].T}, s), "wrong_value", "params['W']"),
    (lambda p, s: ({**p, "W": p["W"].tolist()}, s), "wrong_type", "return a NumPy array"),
    (lambda p, s: ({**p, "W": p["W"] * np.nan}, s), "nan", "contains NaN"),
    (lambda p, s: ({**p, "x": 1.0}, s), "extra_key", "unexpected key"),
])
def test_wrong_results_get_a_clear_message(transform, code, words):
    result = check("adam_update", _adam_then(transform))
    assert not result
    assert code in result.mistakes, result.message
    assert words in result.message, result.message


def test_int_expected_but_float_returned():
    result = check("iterations_per_epoch", lambda n, batch_size: float(math.ceil(n / batch_size)))
    assert not result and "wrong_type" in result.mistakes
    assert "must be an int" in result.message and "np.ceil" in result.message


def test_number_expected_but_array_returned():
    result = check("mse_loss", lambda y_hat, y: (y_hat - y) ** 2)
    assert not result and "must be a single number" in result.message


def test_exception_in_learner_code_is_reported_with_its_line():
    def adam_update(params, grads, state, *, lr, beta1, beta2, eps):
        v = state.v["dw"]   # typo in the key
        return v
    result = check("adam_update", adam_update)
    assert not result and "exception" in result.mistakes
    assert "KeyError: 'dw'" in result.message
    assert "v = state.v[\"dw\"]" in result.message


def test_signature_mismatch_is_explained():
    def adam_update(params, grads, state, *, lr, beta1, beta2):   # eps forgotten
        return params, state
    result = check("adam_update", adam_update)
    assert not result and result.mistakes == ("signature",)
    assert "eps" in result.message
    assert "adam_update(params, grads, state, *, lr, beta1, beta2, eps)" in result.message


class NastyError(Exception):
    def __str__(self):
        raise RuntimeError("even str() fails")


class LearnersOwnError(BaseException):
    pass


class BadFloat(float):
    """A number that raises the learner's own BaseException when converted."""

    def __float__(self):
        raise LearnersOwnError("looked at")


class BadDict(dict):
    def keys(self):
        raise LearnersOwnError("looked at")


class BadPair(tuple):
    def __iter__(self):
        raise GeneratorExit


@pytest.mark.parametrize("exc", [GeneratorExit, LearnersOwnError, SystemExit])
def test_the_learners_base_exceptions_are_the_learners(exc):
    def raises(*args, **kwargs):
        raise exc("mine")

    def generator_raises(X, y, batch_size, rng):
        yield X[:4], y[:4]
        raise exc("mine")
    for name, fn in (("ewa_step", raises), ("adam_update", raises),
                     ("minibatch_epoch", raises), ("minibatch_generator", generator_raises)):
        result = check(name, fn)
        assert not result and "exception" in result.mistakes, (name, result.mistakes)
        assert exc.__name__ in result.message and "mine" in result.message
        assert "checker itself" not in result.message and "instructor" not in result.message


@pytest.mark.parametrize("name, fn", [
    ("ewa_step", lambda v, a, beta: BadFloat(1.0)),
    ("minibatch_epoch", lambda params, X, y, *, lr, batch_size, rng: BadDict(W=1)),
    ("adam_update", lambda params, grads, state, **hp: (BadDict(), state)),
])
def test_a_result_that_raises_the_learners_base_exception_when_read(name, fn):
    result = check(name, fn)
    assert not result and "unreadable" in result.mistakes
    assert "checker itself" not in result.message and "LearnersOwnError" in result.message


def test_a_batch_that_raises_the_learners_base_exception_when_read():
    def minibatch_generator(X, y, batch_size, rng):
        yield BadPair((X[:4], y[:4]))
    result = check("minibatch_generator", minibatch_generator)
    assert not result and "unreadable" in result.mistakes
    assert "checker itself" not in result.message and "GeneratorExit" in result.message


def test_a_bug_in_the_checker_still_blames_the_checker(monkeypatch):
    def broken(exercise, fn):
        raise ZeroDivisionError("a bug of ours")
    monkeypatch.setitem(ex._CHECKERS, "function", broken)
    result = check("ewa_step", reference("ewa_step"))
    assert result.mistakes == ("checker_error",) and "tell your instructor" in result.message


def test_exceptions_that_cannot_even_print_and_system_exit():
    def bad(*args, **kwargs):
        raise NastyError

    def leaves(*args, **kwargs):
        raise SystemExit(3)
    for fn in (bad, leaves):
        result = check("ewa_step", fn)
        assert not result and "exception" in result.mistakes


def test_keyboard_interrupt_is_not_swallowed():
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt) as info:
        check("ewa_step", interrupted)
    # one line of the checker in the traceback (the check() call), not its whole call chain
    frames = [f for f in traceback.extract_tb(info.tb) if f.filename == ex.__file__]
    assert len(frames) == 1 and "interrupted" in str(info.value)


def test_an_interrupt_during_a_long_run_still_interrupts(monkeypatch):
    monkeypatch.setattr(ex, "TIME_LIMIT", 30.0)
    escape = time.monotonic() + 10.0

    def slow(v, a, beta):
        while time.monotonic() < escape:
            pass
        return v
    timer = threading.Timer(0.3, _thread.interrupt_main)   # the notebook's stop button
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            check("ewa_step", slow)
    finally:
        timer.cancel()
    assert time.monotonic() < escape


# --------------------------------------------------------------------------------------------
# The time limit: a loop missing its step is stopped, named, and the kernel stays usable.
def _escape(seconds=6.0):
    """A moment after which the learner functions below give up by themselves: without a time
    limit (the old checker) a test fails after a few seconds instead of hanging."""
    return time.monotonic() + seconds


def test_an_epoch_loop_missing_its_step_is_stopped_and_named(monkeypatch):
    monkeypatch.setattr(ex, "TIME_LIMIT", 0.4)
    escape = _escape()

    def minibatch_epoch(params, X, y, *, lr, batch_size, rng):
        order = rng.permutation(len(y))
        W, b, start = params["W"], params["b"], 0
        while start < len(y) and time.monotonic() < escape:
            idx = order[start:start + batch_size]      # start += batch_size is missing
            W = W - lr * 2.0 / len(idx) * (X[idx].T @ (X[idx] @ W + b - y[idx]))
        return {"W": W, "b": b}
    begun = time.monotonic()
    result = check("minibatch_epoch", minibatch_epoch)
    assert time.monotonic() < escape and time.monotonic() - begun < 3.0
    assert not result and result.mistakes == ("timeout",)
    message = result.message
    assert "ran for more than 0.4 s and was stopped" in message
    # which call, with what inputs (short), where it was, and the likely cause
    assert ("The call: minibatch_epoch(params={'W': array([ 0.2, -0.3]), 'b': 0.1}, "
            "X=array of shape (11, 2), y=array of shape (11,), lr=0.1, batch_size=4, "
            "rng=Generator)") in message
    assert any(f"It was at line {minibatch_epoch.__code__.co_firstlineno + n}: {text}" in message
               for n, text in ((3, "while start < len(y) and time.monotonic() < escape:"),
                               (4, "idx = order[start:start + batch_size]"),
                               (5, "W = W - lr * 2.0 / len(idx)")))
    assert "missing its step" in message and "TIME_LIMIT" in message
    assert "Traceback" not in message and "exercises.py" not in message
    # the kernel is still usable: the same process, the correct function, a pass
    assert check("minibatch_epoch", reference("minibatch_epoch"))
    assert signal.getsignal(signal.SIGALRM) == signal.SIG_DFL
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_a_generator_that_never_yields_is_stopped(monkeypatch):
    monkeypatch.setattr(ex, "TIME_LIMIT", 0.3)
    escape = _escape()

    def minibatch_generator(X, y, batch_size, rng):
        order = rng.permutation(len(y))
        start = 0
        while start < len(y) and time.monotonic() < escape:
            idx = order[start:start + batch_size]      # the yield is missing
        yield X[idx], y[idx]
    result = check("minibatch_generator", minibatch_generator)
    assert time.monotonic() < escape
    assert not result and result.mistakes == ("timeout",)
    assert ("next() asking minibatch_generator(X=array of shape (11, 2), y=array of shape "
            "(11,), batch_size=4, rng=Generator) for batch 1 of epoch 1") in result.message
    assert ("It was at line" in result.message
            and ("while start < len(y)" in result.message or "idx = order" in result.message))
    assert check("minibatch_generator", reference("minibatch_generator"))


def test_a_sleep_and_a_loop_that_swallows_every_error_are_stopped_too(monkeypatch):
    monkeypatch.setattr(ex, "TIME_LIMIT", 0.3)
    escape = _escape()

    def swallows(v, a, beta):
        while time.monotonic() < escape:
            try:
                sum(range(200))
            except:  # noqa: E722 - the point of the test
                pass
        return v

    def sleeps(v, a, beta):
        time.sleep(max(escape - time.monotonic(), 0.0))
        return v
    for fn in (swallows, sleeps):
        result = check("ewa_step", fn)
        assert result.mistakes == ("timeout",) and time.monotonic() < escape, fn.__name__
    assert check("ewa_step", reference("ewa_step"))


def test_the_time_limit_also_holds_outside_the_main_thread(monkeypatch):
    # no signal there (nor on Windows): the tracer stops the loop
    monkeypatch.setattr(ex, "TIME_LIMIT", 0.3)
    escape = _escape()

    def spins(v, a, beta):
        i = 0
        while i < 10 and time.monotonic() < escape:
            pass
        return v
    out = {}

    def worker():
        out["result"] = check("ewa_step", spins)
        out["trace"] = sys.gettrace()
        out["good"] = check("ewa_step", reference("ewa_step"))
    thread = threading.Thread(target=worker)
    thread.start()
    thread.join(30)
    assert time.monotonic() < escape
    assert out["result"].mistakes == ("timeout",)
    assert "while i < 10" in out["result"].message or "pass" in out["result"].message
    assert out["trace"] is None and out["good"]


def test_a_result_or_an_iterable_whose_own_methods_never_return(monkeypatch):
    monkeypatch.setattr(ex, "TIME_LIMIT", 0.3)
    escape = _escape()

    class SlowFloat(float):
        def __float__(self):
            while time.monotonic() < escape:
                pass
            return 1.0

    class SlowIterable:
        def __iter__(self):
            while time.monotonic() < escape:
                pass
            return iter([])
    result = check("ewa_step", lambda v, a, beta: SlowFloat(1.0))
    assert "unreadable" in result.mistakes and "took more than 0.3 s" in result.message
    result = check("minibatch_generator", lambda X, y, batch_size, rng: SlowIterable())
    assert result.mistakes == ("timeout",) and "iter() over what" in result.message
    assert time.monotonic() < escape


def test_time_limit_is_a_setting_with_a_few_seconds_by_default(monkeypatch):
    assert "TIME_LIMIT" in ex.__all__ and 1.0 <= ex.TIME_LIMIT <= 10.0
    monkeypatch.setattr(ex, "TIME_LIMIT", -1)   # the instructor's typo: their error, named
    result = check("ewa_step", reference("ewa_step"))
    assert not result and result.mistakes == ("checker_error",)
    assert "TIME_LIMIT" in result.message and "-1" in result.message


@pytest.mark.parametrize("name, fn, words", [
    ("adam_updat", stub, "did you mean 'adam_update'"),
    (42, stub, "must be an exercise name"),
    ("adam_update", "adam_update", "cannot be called"),
    ("adam_update", None, "Nothing (None) was given"),
    ("adam_update", 3.0, "cannot be called"),
])
def test_bad_arguments_to_check_never_raise(name, fn, words):
    result = check(name, fn)
    assert isinstance(result, CheckResult) and not result
    assert words in result.message


def test_check_infers_the_name_from_the_function():
    adam_update = reference("adam_update")
    assert check(adam_update)
    assert not check(lambda x: x)   # "<lambda>" is no exercise


# --------------------------------------------------------------------------------------------
# The result as shown in a notebook
def test_result_display():
    good = check("ewa_step", reference("ewa_step"))
    bad = check("ewa_step", lambda v, a, beta: beta * v + a)
    assert bool(good) is True and bool(bad) is False
    assert "PASSED: ewa_step" in repr(good) and "NOT PASSED: ewa_step" in repr(bad)
    assert str(bad) == repr(bad) and bad.message in repr(bad)
    assert "#2e7d32" in good._repr_html_() and "#c62828" in bad._repr_html_()
    assert bad._repr_markdown_().startswith("**❌ NOT PASSED: ewa_step**")
    assert good._repr_markdown_().startswith("**✅ PASSED: ewa_step**")


def test_html_escapes_the_learners_text():
    result = check("ewa_step", lambda v, a, beta: "<script>")
    assert "<script>" not in result._repr_html_()
    assert "&lt;script&gt;" in result._repr_html_()


# ============================================================================================
# Hints, solutions, the registry
def test_hints_progress_and_stop_at_the_last():
    reset_hints()
    first, second, third, again = (hint("adam_update") for _ in range(4))
    assert first.startswith("Hint 1/3") and "a nudge" in first
    assert second.startswith("Hint 2/3") and "the formula" in second and "1 − β1^t" in second
    assert third.startswith("Hint 3/3") and "```python" in third
    assert again == third
    assert hint("adam_update", level=1) == first
    assert hint("adam_update").startswith("Hint 2/3")   # continues after the chosen level
    reset_hints("adam_update")
    assert hint("adam_update").startswith("Hint 1/3")
    # Markdown: underscores outside code blocks are escaped, code blocks are left alone
    assert "s\\_dW ←" in hint("rmsprop_update", level=2)._repr_markdown_()
    assert "state.s[g]" in hint("rmsprop_update", level=3)._repr_markdown_()
    assert "```python\nimport numpy" in solution("ewa_step")._repr_markdown_()


@pytest.mark.parametrize("kwargs, error, match", [
    ({"name": "adam_updat"}, ValueError, r"name must be one of .*did you mean 'adam_update'"),
    ({"name": 3}, TypeError, r"name must be an exercise name such as 'adam_update', got 3"),
    ({"name": "adam_update", "level": 0}, ValueError, r"level must be in \[1, 3\], got 0"),
    ({"name": "adam_update", "level": 4}, ValueError, r"level must be in \[1, 3\], got 4"),
    ({"name": "adam_update", "level": "2"}, TypeError, r"level must be an integer, got '2'"),
])
def test_hint_validation(kwargs, error, match):
    with pytest.raises(error, match=match):
        hint(**kwargs)


def test_solution_reference_and_their_validation():
    text = solution("adam_update")
    assert text.startswith("```python\nimport numpy as np\nfrom course_lib.optimizers import "
                           "AdamState")
    assert "def adam_update(params, grads, state, *, lr, beta1, beta2, eps):" in text
    assert callable(reference("adam_update"))
    with pytest.raises(ValueError, match="did you mean 'ewa_step'"):
        solution("ewa_stp")
    with pytest.raises(TypeError, match="name must be an exercise name"):
        reference(None)
    with pytest.raises(ValueError, match="did you mean"):
        reset_hints("adam_updat")


def test_registry_covers_every_chapter_with_two_to_four_exercises():
    for chapter in (*range(10), 12):
        names = [e.name for e in list_exercises(chapter)]
        assert 2 <= len(names) <= 4, (chapter, names)
    assert list_exercises(10) == [] and list_exercises(11) == []   # they use the others'
    chapters = [e.chapter for e in EXERCISES.values()]
    assert chapters == sorted(chapters)   # course order
    assert {"momentum_update", "adagrad_update", "rmsprop_update", "adam_update"} <= set(EXERCISES)
    assert [e.name for e in list_exercises()] == list(EXERCISES)
    assert "| 9 | `adam_update` |" in list_exercises()._repr_markdown_()
    for exercise in EXERCISES.values():
        assert exercise.title and exercise.description and len(exercise.hints) == 3
        assert exercise.name in exercise.signature and exercise.name in repr(exercise)


@pytest.mark.parametrize("chapter, error, match", [
    (13, ValueError, r"chapter must be in \[0, 12\], got 13"),
    (-1, ValueError, r"chapter must be in \[0, 12\], got -1"),
    ("6", TypeError, r"chapter must be an integer, got '6'"),
])
def test_list_exercises_validation(chapter, error, match):
    with pytest.raises(error, match=match):
        list_exercises(chapter)


@pytest.mark.parametrize("name", [n for n, e in EXERCISES.items() if e.mistakes])
def test_every_known_mistake_is_recognised_by_its_own_name(name):
    """The bank's own wrong versions: each one differs from the reference and is named."""
    exercise = EXERCISES[name]
    for mistake in exercise.mistakes:
        result = check(name, mistake.fn)
        assert not result, (name, mistake.label)
        assert mistake.code in result.mistakes and mistake.label in result.message, (
            mistake.label, result.message)
        others = [m.label for m in exercise.mistakes if m.label in result.message]
        assert others == [mistake.label], others


def test_module_docstrings_run():
    result = doctest.testmod(ex, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 5 and result.failed == 0


# ============================================================================================
# Fuzzing: junk functions never make check() raise, and never pass
class Nasty:
    """Every dunder a checker might touch raises."""

    def _boom(self, *args, **kwargs):
        raise RuntimeError("nasty")

    __repr__ = __str__ = __eq__ = __len__ = __iter__ = __bool__ = __float__ = _boom
    __int__ = __index__ = __array__ = __getitem__ = __lt__ = __hash__ = _boom


class NastyDict(dict):
    def _boom(self, *args, **kwargs):
        raise RuntimeError("nasty dict")

    keys = items = values = __iter__ = __getitem__ = __contains__ = __len__ = _boom


class NastyTuple(tuple):
    def __iter__(self):
        raise RuntimeError("nasty tuple")

    def __getitem__(self, i):
        raise RuntimeError("nasty tuple")


JUNK_LEAVES = [None, True, 0, -3, 2.5, float("nan"), float("inf"), "W", b"x", [], {}, (),
               np.array(np.nan), np.zeros((2, 2)), np.ones(3), np.array(["a", "b"]),
               np.zeros((0,)), object(), Nasty(), NastyDict(), NastyTuple((1, 2)), np.float64(3),
               np.int64(4), 1j, GDState(0), AdamState(Nasty(), {}, {}), range(3)]
EXCEPTIONS = [ValueError, TypeError, KeyError, IndexError, ZeroDivisionError, AttributeError,
              RuntimeError, FloatingPointError, RecursionError, AssertionError, NastyError,
              SystemExit, StopIteration, ArithmeticError, LookupError, OverflowError]


def _random_junk(rng, depth=0):
    kind = rng.integers(0, 6 if depth < 3 else 1)
    if kind == 0:
        return JUNK_LEAVES[rng.integers(len(JUNK_LEAVES))]
    if kind == 1:
        return [_random_junk(rng, depth + 1) for _ in range(rng.integers(0, 4))]
    if kind == 2:
        return tuple(_random_junk(rng, depth + 1) for _ in range(rng.integers(0, 4)))
    if kind == 3:
        keys = ["W", "b", "dW", "db", "W1", "t", 0]
        return {keys[rng.integers(len(keys))]: _random_junk(rng, depth + 1)
                for _ in range(rng.integers(0, 4))}
    if kind == 4:
        shape = tuple(int(d) for d in rng.integers(0, 4, size=rng.integers(0, 3)))
        return np.full(shape, [np.nan, np.inf, 0.5, -1e300][rng.integers(4)])
    return AdamState(*(_random_junk(rng, depth + 1) for _ in range(3)))


def _mutate(value):
    if isinstance(value, np.ndarray) and value.size and value.dtype.kind == "f":
        value[...] = np.nan
    elif isinstance(value, dict):
        for key in list(value):
            value[key] = Nasty()
    elif isinstance(value, tuple):
        for item in value:
            _mutate(item)


def _junk_function(behaviour, payload, exc):
    def fn(*args, **kwargs):
        if behaviour == "raise":
            raise exc("junk")
        if behaviour == "mutate":
            for arg in args:
                _mutate(arg)
        if behaviour == "yield":
            return _junk_generator(payload, exc)
        return payload
    return fn


def _junk_generator(items, exc):
    yield from items if isinstance(items, list) else [items]
    raise exc("junk inside the generator")


def _assert_failed_cleanly(name, fn):
    result = check(name, fn)
    assert isinstance(result, CheckResult)
    assert not result and result.passed is False
    assert isinstance(result.message, str) and result.message
    assert "checker itself failed" not in result.message, result.message
    assert isinstance(result._repr_html_(), str) and isinstance(repr(result), str)


def test_seeded_fuzz_never_raises_and_never_passes():
    rng = np.random.default_rng(7)
    names = list(EXERCISES)
    behaviours = ["return", "raise", "mutate", "yield"]
    for i in range(300):
        behaviour = behaviours[rng.integers(len(behaviours))]
        fn = _junk_function(behaviour, _random_junk(rng), EXCEPTIONS[rng.integers(len(EXCEPTIONS))])
        _assert_failed_cleanly(names[i % len(names)], fn)


def test_fuzz_with_every_junk_leaf_on_every_exercise():
    for name in EXERCISES:
        for leaf in JUNK_LEAVES:
            _assert_failed_cleanly(name, _junk_function("return", leaf, ValueError))
            _assert_failed_cleanly(name, _junk_function("return", (leaf, leaf), ValueError))
            _assert_failed_cleanly(name, _junk_function("yield", [(leaf, leaf)], ValueError))


if hypothesis is not None:
    def _junk_leaf(i):
        return JUNK_LEAVES[i]

    leaves = st.one_of(st.integers(0, len(JUNK_LEAVES) - 1).map(_junk_leaf),
                       st.none(), st.integers(-10, 10 ** 6),
                       st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=4),
                       st.builds(lambda shape, v: np.full(shape, v),
                                 st.lists(st.integers(0, 4), max_size=3).map(tuple),
                                 st.floats(allow_nan=True, allow_infinity=True)))
    junk = st.recursive(leaves, lambda kids: st.one_of(
        st.lists(kids, max_size=3), st.tuples(kids, kids),
        st.dictionaries(st.sampled_from(["W", "b", "dW", "db", "W1", "b1", "t"]), kids,
                        max_size=4),
        st.builds(AdamState, kids, kids, kids), st.builds(MomentumState, kids, kids),
        st.builds(GDState, kids)), max_leaves=10)

    @settings(max_examples=200, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(name=st.sampled_from(list(EXERCISES)),
           behaviour=st.sampled_from(["return", "raise", "mutate", "yield"]),
           payload=junk, exc=st.sampled_from(EXCEPTIONS))
    def test_hypothesis_fuzz_never_raises_and_never_passes(name, behaviour, payload, exc):
        _assert_failed_cleanly(name, _junk_function(behaviour, payload, exc))

    @settings(max_examples=60, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(name=st.sampled_from(list(UPDATE_RULES)), payload=junk,
           which=st.sampled_from(["W", "b", "v", "s", "t"]))
    def test_hypothesis_fuzz_corrupts_one_part_of_a_right_answer(name, payload, which):
        def fn(params, grads, state, **hp):
            new, st_ = reference(name)(params, grads, state, **hp)
            if which in new:
                new = {**new, which: payload}
            elif which == "t" or not hasattr(st_, which):
                st_ = st_._replace(t=payload)
            else:
                st_ = st_._replace(**{which: payload})
            return new, st_
        _assert_failed_cleanly(name, fn)
else:  # pragma: no cover
    def test_hypothesis_fuzz_never_raises_and_never_passes():
        pytest.skip("hypothesis is not installed (pip install hypothesis)")


# --------------------------------------------------------------------------------------------
# Valid variants are called valid variants; correct work in another valid form passes
def adam_eps_hat(w, g, v, s, *, t, lr, beta1, beta2, eps):
    """The Adam paper's efficient form (Keras/TF): ε̂ added to √s before the bias correction."""
    v = beta1 * v + (1 - beta1) * g
    s = beta2 * s + (1 - beta2) * g * g
    rate = lr * math.sqrt(1 - beta2 ** t) / (1 - beta1 ** t)
    return w - rate * v / (math.sqrt(s) + eps), v, s


def adamw_paper_decay(w, g, v, s, *, t, lr, beta1, beta2, eps, weight_decay):
    """Loshchilov & Hutter with schedule multiplier η_t = 1: W·(1 − λ), λ not scaled by lr."""
    return adam_rule(w * (1 - weight_decay), g, v, s, t=t, lr=lr, beta1=beta1, beta2=beta2,
                     eps=eps)


def adamw_eps_hat(w, g, v, s, *, t, lr, beta1, beta2, eps, weight_decay):
    """The course's decoupled decay, then the Keras/TF ε̂ form of the Adam step."""
    return adam_eps_hat(w * (1 - lr * weight_decay), g, v, s, t=t, lr=lr, beta1=beta1,
                        beta2=beta2, eps=eps)


VARIANTS = [
    ("adam_update", ew(adam_eps_hat, "adam_update"), "keras_eps_hat", "Adam paper"),
    ("adamw_update", ew(adamw_eps_hat, "adamw_update"), "keras_eps_hat", "Adam paper"),
    ("adamw_update", ew(adamw_paper_decay, "adamw_update"), "decay_missing_lr",
     "Loshchilov & Hutter"),
    ("rmsprop_update", ew(rmsprop_eps_inside, "rmsprop_update"), "eps_inside", "d2l"),
    ("ewa_window", lambda beta: -1 / math.log(beta), "time_constant", "time constant"),
    ("ewa_window", lambda beta: beta / (1 - beta), "off_by_one", "mean age"),
]


@pytest.mark.parametrize("name, fn, code, words", VARIANTS,
                         ids=[f"{v[0]}-{v[2]}" for v in VARIANTS])
def test_valid_variant_is_not_called_a_mistake(name, fn, code, words):
    result = check(name, fn)
    assert not result and code in result.mistakes, result.message
    assert "A valid variant, not the one asked: " in result.message, result.message
    assert words in result.message
    assert "Likely mistake" not in result.message
    assert "wrong" not in result.message and "differs from the form asked" in result.message


def test_adam_eps_inside_is_not_a_convention_of_adam():
    result = check("adam_update", ew(adam_eps_inside, "adam_update"))
    assert "Likely mistake: ε inside the square root" in result.message
    assert "Adam paper, PyTorch, Keras" in result.message


def _sample_grads_shape_one(params, x, y):
    e = x @ params["W"] + params["b"] - y
    return {"dW": 2 * e * x, "db": np.reshape(2 * e, (1,))}


def test_db_of_shape_one_passes():
    def mse_lib_like(params, X, y):
        e = X @ params["W"] + params["b"] - y
        return {"dW": 2 / len(y) * X.T @ e, "db": 2 / len(y) * np.sum(e, axis=0, keepdims=True)}

    def sgd_with_shape_one_db(params, X, y, *, lr, rng):
        W, b = params["W"], params["b"]
        for k in rng.permutation(len(y)):
            g = _sample_grads_shape_one({"W": W, "b": b}, X[k], y[k])
            W, b = W - lr * g["dW"], b - lr * g["db"]
        return {"W": W, "b": b}
    assert np.shape(mse_lib_like(*inputs("mse_gradient")[0])["db"]) == (1,)
    assert check("mse_gradient", mse_lib_like)
    assert check("sample_gradient", _sample_grads_shape_one)
    assert check("sgd_epoch", sgd_with_shape_one_db)
    # a longer array is still not a number
    result = check("sample_gradient", lambda params, x, y: {
        "dW": _sample_grads_shape_one(params, x, y)["dW"], "db": np.zeros(2)})
    assert not result and "must be a single number" in result.message


def _epoch_in_order(order_of):
    def epoch(params, X, y, *, lr, rng, batch_size=1):
        return _linear_epoch(params, X, y, order_of(rng, len(y)), lr, batch_size)
    return epoch


@pytest.mark.parametrize("name", ["sgd_epoch", "minibatch_epoch"])
def test_epoch_in_another_valid_order_is_explained(name):
    choice = _epoch_in_order(lambda rng, n: rng.choice(n, n, replace=False))
    if name == "sgd_epoch":
        def fn(params, X, y, *, lr, rng):
            return choice(params, X, y, lr=lr, rng=rng)
    else:
        fn = choice
    result = check(name, fn)
    assert not result and "other_order" in result.mistakes, result.message
    assert "a valid variant, not the one asked" in result.message
    assert "rng.permutation(n)" in result.message and "train()" in result.message
    assert "has the wrong value" not in result.message
    # permutation-based orders that equal rng.permutation(n) pass
    shuffled = _epoch_in_order(lambda rng, n: (lambda a: (rng.shuffle(a), a)[1])(np.arange(n)))
    assert check("minibatch_epoch", shuffled)
    assert check("minibatch_epoch", _epoch_in_order(lambda rng, n: rng.permuted(np.arange(n))))


def test_epoch_in_another_order_with_a_second_mistake_is_judged_in_its_order():
    def mini_sum(params, X, y, *, lr, batch_size, rng):
        order = rng.choice(len(y), len(y), replace=False)
        W, b = params["W"], params["b"]
        for start in range(0, len(y), batch_size):
            idx = order[start:start + batch_size]
            e = X[idx] @ W + b - y[idx]
            W, b = W - lr * 2 * (X[idx].T @ e), b - lr * 2 * np.sum(e)   # sum, not mean
        return {"W": W, "b": b}
    result = check("minibatch_epoch", mini_sum)
    assert not result and "other_order" in result.mistakes
    assert "has the wrong value" in result.message and "in YOUR order" in result.message


def test_ewa_window_forms():
    assert check("ewa_window", lambda beta: round(1 / (1 - beta)))
    result = check("ewa_window", lambda beta: int(1 / (1 - beta)))
    assert not result and "rounded_down" in result.mistakes
    assert "49.99999999999996" in result.message
