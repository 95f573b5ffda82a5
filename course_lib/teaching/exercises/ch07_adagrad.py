"""Chapter 7's exercises: Adagrad.

>>> import numpy as np
>>> adagrad_effective_lr(np.array([3.0, 4.0]), lr=1.0, eps=0.0).tolist()
[0.3333333333333333, 0.2]
"""
from __future__ import annotations

import numpy as np

from ...optimizers import (OPTIMIZERS, AdagradState)
from ._update_rules import (_EPS_INSIDE, _NO_SQRT, _NOT_SQUARED, _STALE_S,
                            _sqrt_den, _update_exercise)
from .base import Case, Exercise, _T_STUCK, _a, _add, _m

__all__ = ["adagrad_update", "adagrad_effective_lr"]


def adagrad_update(params, grads, state, *, lr, eps):
    """s ← s + dW² (the running sum α_t);  W ← W − η·dW / (√s + ε)."""
    s = {g: state.s[g] + grads[g] ** 2 for g in grads}
    new_params = {k: W - lr * grads["d" + k] / (np.sqrt(s["d" + k]) + eps)
                  for k, W in params.items()}
    return new_params, AdagradState(state.t + 1, s)


def _adagrad_bug(params, grads, state, *, lr, eps, bug):
    power = 1 if bug == "not_squared" else 2
    s = {g: (0.0 if bug == "no_sum" else state.s[g]) + grads[g] ** power for g in grads}
    den = state.s if bug == "stale" else s
    new = {k: W - lr * grads["d" + k] / _sqrt_den(den["d" + k], eps, bug)
           for k, W in params.items()}
    return new, AdagradState(state.t + (0 if bug == "t" else 1), s)


_update_exercise(
    "adagrad", 7, "The Adagrad update", {"lr": 0.3, "eps": 1e-2}, {"lr": 0.05, "eps": 1e-10},
    adagrad_update,
    [_m(*_EPS_INSIDE, _adagrad_bug, bug="eps_inside", variant=True),
     _m(*_NOT_SQUARED, _adagrad_bug, bug="not_squared"),
     _m("s_not_accumulated", "s holds only this step's dW², not the running sum",
        "Adagrad ADDS: s = state.s + dW**2 (α_t is the sum over all steps so far).",
        _adagrad_bug, bug="no_sum"),
     _m(*_STALE_S, _adagrad_bug, bug="stale"),
     _m(*_NO_SQRT, _adagrad_bug, bug="no_sqrt"),
     _m(*_T_STUCK, _adagrad_bug, bug="t")],
    ("Each parameter gets its own learning rate η/(√α_t + ε), where α_t adds up all squared "
     "gradients seen so far. There is no momentum.",
     "α_t = s ← s + dW²;   W ← W − η·dW / (√s + ε);   t ← t + 1",
     "```python\ns = {g: state.s[g] + grads[g] ** 2 for g in grads}\n"
     "new = {k: W - lr * grads['d' + k] / (np.sqrt(s['d' + k]) + eps)\n"
     "       for k, W in params.items()}\nreturn new, AdagradState(state.t + 1, s)\n```"),
    "s ← s + dW²; W ← W − η·dW/(√s + ε)")


def adagrad_effective_lr(dW, *, lr, eps):
    """Adagrad's learning rate η_t = η / (√α_t + ε) after each gradient of a series."""
    alpha = np.cumsum(np.asarray(dW) ** 2)          # α_t = sum of the squared gradients so far
    return lr / (np.sqrt(alpha) + eps)


def _adagrad_lr_reference(dW, *, lr, eps):
    opt = OPTIMIZERS["adagrad"]
    params = {"W": np.zeros(())}
    state, rates = opt.init(params), []
    for g in dW:
        params, state = opt.update(params, {"dW": np.asarray(g, dtype=float)}, state,
                                   lr=lr, eps=eps)
        rates.append(float(opt.effective_lr(state, lr=lr, eps=eps)["dW"]))
    return np.array(rates)


def _adagrad_lr_bug(dW, *, lr, eps, bug):
    g = np.asarray(dW, dtype=float)
    alpha = {"not_squared": np.cumsum(g), "no_sum": g ** 2,
             "stale": np.concatenate([[0.0], np.cumsum(g ** 2)[:-1]])}.get(bug, np.cumsum(g ** 2))
    return lr / _sqrt_den(alpha, eps, bug)


_add(Exercise(
    name="adagrad_effective_lr", chapter=7, title="Adagrad's shrinking learning rate",
    description="For one weight with the gradients dW = [g_1, ..., g_T] over T steps, write "
                "adagrad_effective_lr(dW, *, lr, eps) -> array of η_t = lr / (√α_t + eps), "
                "α_t = g_1² + ... + g_t², for t = 1..T. Plot it to see why Adagrad stalls.",
    signature="adagrad_effective_lr(dW, *, lr, eps) -> array of shape (T,)",
    arg_names=("dW",), output_names=("eta_t",),
    cases=(Case("dW = [0.5, 2, 0.1, 0.003, 1], lr = 0.3, eps = 0.01",
                lambda: ((_a([0.5, 2.0, 0.1, 0.003, 1.0]),), {"lr": 0.3, "eps": 1e-2})),),
    reference=_adagrad_lr_reference, solution=adagrad_effective_lr,
    mistakes=(
        _m(*_EPS_INSIDE, _adagrad_lr_bug, bug="eps_inside", variant=True),
        _m(*_NOT_SQUARED, _adagrad_lr_bug, bug="not_squared"),
        _m("s_not_accumulated", "α_t holds only the last squared gradient",
           "α_t is the running SUM: np.cumsum(dW ** 2).", _adagrad_lr_bug, bug="no_sum"),
        _m("stale_state", "α_t leaves out the current gradient (off by one)",
           "η_t already includes g_t²: α_t = g_1² + ... + g_t².", _adagrad_lr_bug, bug="stale"),
        _m(*_NO_SQRT, _adagrad_lr_bug, bug="no_sqrt"),
    ),
    hints=(
        "α_t only grows, so η_t only shrinks. NumPy has a running sum.",
        "α_t = Σ_{i≤t} g_i²;   η_t = η / (√α_t + ε)",
        "```python\nalpha = np.cumsum(dW ** 2)\nreturn lr / (np.sqrt(alpha) + eps)\n```",
    ),
))
