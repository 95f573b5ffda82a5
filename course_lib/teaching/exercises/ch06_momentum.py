"""Chapter 6's exercises: momentum.

>>> import numpy as np
>>> from course_lib.optimizers import MomentumState
>>> state = MomentumState(0, {"dW": np.zeros(1)})
>>> new, state = momentum_update({"W": np.ones(1)}, {"dW": np.ones(1)}, state, lr=1.0, beta=0.75)
>>> float(state.v["dW"][0]), float(new["W"][0]), state.t
(0.25, 0.75, 1)
"""
from __future__ import annotations

from ...optimizers import MomentumState
from ._update_rules import _update_exercise
from .base import _T_STUCK, _m

__all__ = ["momentum_update", "nesterov_update"]


def momentum_update(params, grads, state, *, lr, beta):
    """v ← β·v + (1 − β)·dW;  W ← W − η·v  (EWA form, as in the lecture)."""
    v = {g: beta * state.v[g] + (1 - beta) * grads[g] for g in grads}
    new_params = {k: W - lr * v["d" + k] for k, W in params.items()}
    return new_params, MomentumState(state.t + 1, v)


def _momentum_bug(params, grads, state, *, lr, beta, bug):
    b = 1 - beta if bug == "swap" else beta
    w = 1.0 if bug == "one" else 1 - b
    v = {g: b * state.v[g] + w * grads[g] for g in grads}
    step = state.v if bug == "old_v" else v
    sign = -1.0 if bug == "ascent" else 1.0
    new = {k: W - sign * lr * step["d" + k] for k, W in params.items()}
    return new, MomentumState(state.t + (0 if bug == "t" else 1), v)


_MISSING_ONE = ("missing_one_minus_beta", "the (1 − β) factor on the gradient is missing "
                "(v ← β·v + dW)")

_update_exercise(
    "momentum", 6, "The momentum update", {"lr": 0.1, "beta": 0.7}, {"lr": 0.05, "beta": 0.9},
    momentum_update,
    [_m(*_MISSING_ONE, "the line that updates v: v = beta * v + (1 - beta) * dW. Without "
        "(1 − β), v is PyTorch's running sum, about 1/(1 − β) times larger than the course's "
        "average.", _momentum_bug, bug="one"),
     _m("beta_swapped", "β and (1 − β) are swapped: v ← (1 − β)·v + β·dW",
        "β multiplies the old v (the past), (1 − β) the new gradient.", _momentum_bug,
        bug="swap"),
     _m("stale_state", "the step used the old v, not the new one",
        "update v first, then W ← W − η·v with the NEW v.", _momentum_bug, bug="old_v"),
     _m("gradient_ascent", "the step goes up (+ instead of −)", "W - lr * v.", _momentum_bug,
        bug="ascent"),
     _m(*_T_STUCK, _momentum_bug, bug="t")],
    ("Replace the raw gradient of GD by its exponentially weighted average: first update the "
     "average, then step along it.",
     "v_dW ← β·v_dW + (1 − β)·dW;   W ← W − η·v_dW;   t ← t + 1",
     "```python\nv = {}\nfor g in grads:\n    v[g] = beta * state.v[g] + (1 - beta) * grads[g]\n"
     "new_params = {k: W - lr * v['d' + k] for k, W in params.items()}\n"
     "return new_params, MomentumState(state.t + 1, v)\n```"),
    "v ← β·v + (1−β)·dW; W ← W − η·v")


def nesterov_update(params, grads, state, *, lr, beta):
    """v ← β·v + (1 − β)·dW;  W ← W − η·(β·v + (1 − β)·dW): the step looks ahead along v."""
    v = {g: beta * state.v[g] + (1 - beta) * grads[g] for g in grads}
    new_params = {k: W - lr * (beta * v["d" + k] + (1 - beta) * grads["d" + k])
                  for k, W in params.items()}
    return new_params, MomentumState(state.t + 1, v)


def _nesterov_bug(params, grads, state, *, lr, beta, bug):
    w = 1.0 if bug == "one" else 1 - beta
    v = {g: beta * state.v[g] + w * grads[g] for g in grads}
    if bug == "plain":
        new = {k: W - lr * v["d" + k] for k, W in params.items()}
    else:
        new = {k: W - lr * (beta * v["d" + k] + w * grads["d" + k]) for k, W in params.items()}
    return new, MomentumState(state.t + (0 if bug == "t" else 1), v)


_update_exercise(
    "nesterov", 6, "Nesterov momentum", {"lr": 0.1, "beta": 0.7}, {"lr": 0.05, "beta": 0.9},
    nesterov_update,
    [_m("no_look_ahead", "a plain momentum step (W − η·v) without the look-ahead",
        "Nesterov steps along β·v + (1 − β)·dW with the NEW v: one more EWA step ahead.",
        _nesterov_bug, bug="plain"),
     _m(*_MISSING_ONE, "both EWA lines use (1 − β) on the gradient.", _nesterov_bug, bug="one"),
     _m(*_T_STUCK, _nesterov_bug, bug="t")],
    ("Update v exactly as in momentum; the difference is only in the step: look one EWA step "
     "further along v.",
     "v ← β·v + (1 − β)·dW;   W ← W − η·(β·v + (1 − β)·dW);   t ← t + 1",
     "```python\nv = {g: beta * state.v[g] + (1 - beta) * grads[g] for g in grads}\n"
     "new = {k: W - lr * (beta * v['d' + k] + (1 - beta) * grads['d' + k])\n"
     "       for k, W in params.items()}\nreturn new, MomentumState(state.t + 1, v)\n```"),
    "v ← β·v + (1−β)·dW; W ← W − η·(β·v + (1−β)·dW)")
