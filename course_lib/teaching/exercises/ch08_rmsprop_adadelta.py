"""Chapter 8's exercises: RMSprop and Adadelta.

>>> import numpy as np
>>> from course_lib.optimizers import RMSpropState
>>> state = RMSpropState(0, {"dW": np.zeros(1)})
>>> new, state = rmsprop_update({"W": np.zeros(1)}, {"dW": np.full(1, 2.0)}, state,
...                             lr=0.1, beta=0.75, eps=0.0)
>>> float(state.s["dW"][0]), float(new["W"][0])
(1.0, -0.2)
"""
from __future__ import annotations

import numpy as np

from ...optimizers import (AdadeltaState, RMSpropState)
from ._update_rules import (_EPS_INSIDE, _NO_SQRT, _NOT_SQUARED, _STALE_S,
                            _sqrt_den, _update_exercise)
from .base import _T_STUCK, _m

__all__ = ["rmsprop_update", "adadelta_update"]


def rmsprop_update(params, grads, state, *, lr, beta, eps):
    """s ← β·s + (1 − β)·dW²;  W ← W − η·dW / (√s + ε). No bias correction."""
    s = {g: beta * state.s[g] + (1 - beta) * grads[g] ** 2 for g in grads}
    new_params = {k: W - lr * grads["d" + k] / (np.sqrt(s["d" + k]) + eps)
                  for k, W in params.items()}
    return new_params, RMSpropState(state.t + 1, s)


def _rmsprop_bug(params, grads, state, *, lr, beta, eps, bug):
    b = 1 - beta if bug == "swap" else beta
    w = {"one": 1.0, "sum": 1.0}.get(bug, 1 - b)
    b = 1.0 if bug == "sum" else b
    power = 1 if bug == "not_squared" else 2
    s = {g: b * state.s[g] + w * grads[g] ** power for g in grads}
    den = state.s if bug == "stale" else s
    if bug == "bias":
        den = {g: x / (1 - beta ** (state.t + 1)) for g, x in den.items()}
    new = {k: W - lr * grads["d" + k] / _sqrt_den(den["d" + k], eps, bug)
           for k, W in params.items()}
    return new, RMSpropState(state.t + (0 if bug == "t" else 1), s)


_update_exercise(
    "rmsprop", 8, "The RMSprop update", {"lr": 0.05, "beta": 0.85, "eps": 1e-2},
    {"lr": 0.01, "beta": 0.9, "eps": 1e-8}, rmsprop_update,
    [_m(*_EPS_INSIDE, _rmsprop_bug, bug="eps_inside", variant=True),
     _m(*_NOT_SQUARED, _rmsprop_bug, bug="not_squared"),
     _m("missing_one_minus_beta", "the (1 − β) factor on dW² is missing (s ← β·s + dW²)",
        "s = beta * s + (1 - beta) * dW**2: an average, not a growing sum.", _rmsprop_bug,
        bug="one"),
     _m("beta_swapped", "β and (1 − β) are swapped: s ← (1 − β)·s + β·dW²",
        "β multiplies the old s.", _rmsprop_bug, bug="swap"),
     _m("adagrad_sum", "s ← s + dW²: that is Adagrad's ever-growing sum",
        "RMSprop replaces the sum by an EWA: s = beta * s + (1 - beta) * dW**2.", _rmsprop_bug,
        bug="sum"),
     _m(*_STALE_S, _rmsprop_bug, bug="stale"),
     _m(*_NO_SQRT, _rmsprop_bug, bug="no_sqrt"),
     _m("unwanted_bias_correction", "s was bias-corrected; RMSprop has no bias correction",
        "divide by np.sqrt(s) + eps with the raw s (Adam is the one that corrects).",
        _rmsprop_bug, bug="bias"),
     _m(*_T_STUCK, _rmsprop_bug, bug="t")],
    ("Adagrad with the ever-growing sum replaced by an exponentially weighted average of the "
     "squared gradients, so the effective rate cannot shrink to zero.",
     "s_dW ← β·s_dW + (1 − β)·dW²;   W ← W − η·dW / (√s_dW + ε);   t ← t + 1",
     "```python\ns = {g: beta * state.s[g] + (1 - beta) * grads[g] ** 2 for g in grads}\n"
     "new = {k: W - lr * grads['d' + k] / (np.sqrt(s['d' + k]) + eps)\n"
     "       for k, W in params.items()}\nreturn new, RMSpropState(state.t + 1, s)\n```"),
    "s ← β·s + (1−β)·dW²; W ← W − η·dW/(√s + ε)")


def adadelta_update(params, grads, state, *, lr, rho, eps):
    """s ← ρ·s + (1−ρ)·dW²;  Δ = √(u+ε)/√(s+ε)·dW;  u ← ρ·u + (1−ρ)·Δ²;  W ← W − η·Δ."""
    s = {g: rho * state.s[g] + (1 - rho) * grads[g] ** 2 for g in grads}
    delta = {g: np.sqrt(state.u[g] + eps) / np.sqrt(s[g] + eps) * grads[g] for g in grads}
    u = {g: rho * state.u[g] + (1 - rho) * delta[g] ** 2 for g in grads}
    new_params = {k: W - lr * delta["d" + k] for k, W in params.items()}
    return new_params, AdadeltaState(state.t + 1, s, u)


def _adadelta_bug(params, grads, state, *, lr, rho, eps, bug):
    w = 1.0 if bug == "one" else 1 - rho
    power = 1 if bug == "not_squared" else 2
    s = {g: rho * state.s[g] + w * grads[g] ** power for g in grads}
    s_den = state.s if bug == "stale" else s
    if bug == "eps_outside":
        delta = {g: (np.sqrt(state.u[g]) + eps) / (np.sqrt(s_den[g]) + eps) * grads[g]
                 for g in grads}
    else:
        delta = {g: np.sqrt(state.u[g] + eps) / np.sqrt(s_den[g] + eps) * grads[g]
                 for g in grads}
    u = {g: rho * state.u[g] + w * delta[g] ** (1 if bug == "delta_not_squared" else 2)
         for g in grads}
    step = 1.0 if bug == "no_lr" else lr
    new = {k: W - step * delta["d" + k] for k, W in params.items()}
    return new, AdadeltaState(state.t + (0 if bug == "t" else 1), s, u)


_update_exercise(
    "adadelta", 8, "The Adadelta update", {"lr": 0.9, "rho": 0.77, "eps": 1e-2},
    {"lr": 1.0, "rho": 0.9, "eps": 1e-6}, adadelta_update,
    [_m("eps_outside", "ε outside the square roots; Adadelta puts it INSIDE both",
        "Δ = np.sqrt(u + eps) / np.sqrt(s + eps) * dW: inside, ε also starts the very first "
        "steps (u = 0).", _adadelta_bug, bug="eps_outside"),
     _m(*_STALE_S, _adadelta_bug, bug="stale"),
     _m("lr_ignored", "the learning rate η is missing from the step",
        "W ← W − η·Δ (η = 1 is the original method, but use the lr you are given).",
        _adadelta_bug, bug="no_lr"),
     _m("missing_one_minus_beta", "the (1 − ρ) factors are missing",
        "s = rho * s + (1 - rho) * dW**2 and u = rho * u + (1 - rho) * delta**2.",
        _adadelta_bug, bug="one"),
     _m(*_NOT_SQUARED, _adadelta_bug, bug="not_squared"),
     _m("update_not_squared", "u averages Δ, not Δ²", "u = rho * u + (1 - rho) * delta**2.",
        _adadelta_bug, bug="delta_not_squared"),
     _m(*_T_STUCK, _adadelta_bug, bug="t")],
    ("Two running averages: of the squared gradients (s, as RMSprop) and of the squared "
     "updates (u). Their ratio sets the step size, in the units of W.",
     "s ← ρ·s + (1−ρ)·dW²;  Δ = √(u + ε)/√(s + ε)·dW  (old u, new s);  u ← ρ·u + (1−ρ)·Δ²;  "
     "W ← W − η·Δ",
     "```python\ns = {g: rho * state.s[g] + (1 - rho) * grads[g] ** 2 for g in grads}\n"
     "delta = {g: np.sqrt(state.u[g] + eps) / np.sqrt(s[g] + eps) * grads[g] for g in grads}\n"
     "u = {g: rho * state.u[g] + (1 - rho) * delta[g] ** 2 for g in grads}\n"
     "new = {k: W - lr * delta['d' + k] for k, W in params.items()}\n"
     "return new, AdadeltaState(state.t + 1, s, u)\n```"),
    "s ← ρ·s + (1−ρ)·dW²; Δ = √(u+ε)/√(s+ε)·dW; u ← ρ·u + (1−ρ)·Δ²; W ← W − η·Δ")
