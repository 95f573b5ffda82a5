"""Chapter 9's exercises: Adam.

>>> import numpy as np
>>> from course_lib.optimizers import OPTIMIZERS
>>> params = {"W": np.array([1.0, -1.0])}
>>> state = OPTIMIZERS["adam"].init(params)
>>> new, state = adam_update(params, {"dW": np.array([0.5, -2.0])}, state, lr=0.1,
...                          beta1=0.9, beta2=0.999, eps=0.0)
>>> new["W"].tolist()   # the first step moves every weight by lr, against its gradient's sign
[0.9, -0.9]
"""
from __future__ import annotations

import numpy as np

from ...optimizers import AdamState
from ._update_rules import (_EPS_INSIDE_ADAM, _NO_SQRT, _NOT_SQUARED, _sqrt_den, _update_exercise)
from .base import _T_STUCK, _m

__all__ = ["adam_update", "adamw_update"]


def adam_update(params, grads, state, *, lr, beta1, beta2, eps):
    """Momentum line + RMSprop line + bias correction:  W ← W − η·v̂ / (√ŝ + ε)."""
    t = state.t + 1
    v = {g: beta1 * state.v[g] + (1 - beta1) * grads[g] for g in grads}
    s = {g: beta2 * state.s[g] + (1 - beta2) * grads[g] ** 2 for g in grads}
    new_params = {}
    for k, W in params.items():
        v_hat = v["d" + k] / (1 - beta1 ** t)      # corrected copies for the step only;
        s_hat = s["d" + k] / (1 - beta2 ** t)      # the state keeps the raw v and s
        new_params[k] = W - lr * v_hat / (np.sqrt(s_hat) + eps)
    return new_params, AdamState(t, v, s)


def _adam_bug(params, grads, state, *, lr, beta1, beta2, eps, bug, weight_decay=0.0,
              wd_bug=""):
    b1, b2 = (beta2, beta1) if bug == "swap" else (beta1, beta2)
    t = state.t + 1
    tc = state.t if bug == "t_off" else t
    if wd_bug == "l2":
        grads = {"d" + k: grads["d" + k] + weight_decay * W for k, W in params.items()}
    elif weight_decay and wd_bug != "after":
        factor = 1 - (weight_decay if wd_bug == "no_lr" else lr * weight_decay)
        params = {k: W * factor for k, W in params.items()}
    v = {g: b1 * state.v[g] + (1.0 if bug == "one1" else 1 - b1) * grads[g] for g in grads}
    s = {g: b2 * state.s[g] + (1.0 if bug == "one2" else 1 - b2)
         * grads[g] ** (1 if bug == "not_squared" else 2) for g in grads}
    v_hat = {g: x if bug in ("none", "none_v") else x / (1 - b1 ** tc) for g, x in v.items()}
    s_hat = {g: x if bug in ("none", "none_s") else x / (1 - b2 ** tc) for g, x in s.items()}
    if bug == "keras":
        rate = lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t)
        new = {k: W - rate * v["d" + k] / (np.sqrt(s["d" + k]) + eps)
               for k, W in params.items()}
    else:
        new = {k: W - lr * v_hat["d" + k] / _sqrt_den(s_hat["d" + k], eps, bug)
               for k, W in params.items()}
    if wd_bug == "after":
        new = {k: W * (1 - lr * weight_decay) for k, W in new.items()}
    if bug == "back":
        v, s = v_hat, s_hat
    return new, AdamState(state.t + (0 if bug == "t" else 1), v, s)


def _adam_mistakes(fn):
    return [
        _m(*_EPS_INSIDE_ADAM, fn, bug="eps_inside"),
        _m("no_bias_correction", "no bias correction: the step used the raw v and s",
           "v_hat = v / (1 - beta1**t) and s_hat = s / (1 - beta2**t) with t = state.t + 1, "
           "then W - lr * v_hat / (np.sqrt(s_hat) + eps).", fn, bug="none"),
        _m("no_bias_correction", "v̂ is not bias-corrected (ŝ is)",
           "v_hat = v / (1 - beta1**t).", fn, bug="none_v"),
        _m("no_bias_correction", "ŝ is not bias-corrected (v̂ is)",
           "s_hat = s / (1 - beta2**t).", fn, bug="none_s"),
        _m("bias_correction_in_state", "the bias-corrected v̂, ŝ were stored in the state",
           "keep the RAW v and s in AdamState; v_hat and s_hat are local copies for the step "
           "only. Stored, the correction is applied again at every step.", fn, bug="back"),
        _m("betas_swapped", "β1 and β2 are swapped",
           "β1 (0.9 by default) belongs to v, the momentum line; β2 (0.999) to s, the "
           "squared-gradient line.", fn, bug="swap"),
        _m("missing_one_minus_beta", "the (1 − β1) factor is missing in the v line",
           "v = beta1 * v + (1 - beta1) * dW.", fn, bug="one1"),
        _m("missing_one_minus_beta", "the (1 − β2) factor is missing in the s line",
           "s = beta2 * s + (1 - beta2) * dW**2.", fn, bug="one2"),
        _m("t_off_by_one", "the bias correction used the old t (state.t) instead of t + 1",
           "count the step first: t = state.t + 1, then divide by (1 - beta**t); at the "
           "first step t = 1, and 1 − β^0 = 0 would divide by zero.", fn, bug="t_off"),
        _m(*_T_STUCK, fn, bug="t"),
        _m(*_NOT_SQUARED, fn, bug="not_squared"),
        _m(*_NO_SQRT, fn, bug="no_sqrt"),
        _m("keras_eps_hat", "ε added before the bias correction: the 'ε̂' form of the Adam "
           "paper's note on efficiency, which Keras/TensorFlow use",
           "your step η·√(1 − β2^t)/(1 − β1^t)·v/(√s + ε) is the course's step with ε "
           "replaced by ε/√(1 − β2^t); the two differ only while √ŝ is not much larger than "
           "ε/√(1 − β2^t), i.e. early in training (up to about 32·ε at t = 1 with "
           "β2 = 0.999) or for tiny gradients (here ε = 0.01 and the gradients are small, "
           "so the numbers differ). The "
           "exercise asks for the course's form, which is PyTorch's: correct v and s first, "
           "then add ε: v_hat / (np.sqrt(s_hat) + eps).", fn, bug="keras", variant=True),
    ]


_ADAM_HP_A = {"lr": 0.1, "beta1": 0.8, "beta2": 0.888, "eps": 1e-2}
_ADAM_HP_C = {"lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}

_update_exercise(
    "adam", 9, "The Adam update", _ADAM_HP_A, _ADAM_HP_C, adam_update, _adam_mistakes(_adam_bug),
    ("Adam = the momentum line (v, with β1) + the RMSprop line (s, with β2), both from zero, "
     "plus a bias correction of both before the step. Count the step first.",
     "t ← t + 1;  v ← β1·v + (1 − β1)·dW;  s ← β2·s + (1 − β2)·dW²;  v̂ = v/(1 − β1^t);  "
     "ŝ = s/(1 − β2^t);  W ← W − η·v̂/(√ŝ + ε).  The state keeps v and s, not v̂ and ŝ.",
     "```python\nt = state.t + 1\nv = {g: beta1 * state.v[g] + (1 - beta1) * grads[g] for g in "
     "grads}\ns = {g: beta2 * state.s[g] + (1 - beta2) * grads[g] ** 2 for g in grads}\n"
     "new = {}\nfor k, W in params.items():\n    v_hat = v['d' + k] / (1 - beta1 ** t)\n"
     "    s_hat = s['d' + k] / (1 - beta2 ** t)\n"
     "    new[k] = W - lr * v_hat / (np.sqrt(s_hat) + eps)\nreturn new, AdamState(t, v, s)\n```"),
    "v ← β1·v + (1−β1)·dW; s ← β2·s + (1−β2)·dW²; W ← W − η·v̂/(√ŝ + ε) with "
    "v̂ = v/(1−β1^t), ŝ = s/(1−β2^t)")


def adamw_update(params, grads, state, *, lr, beta1, beta2, eps, weight_decay):
    """Decoupled weight decay first, W ← W·(1 − η·λ), then the Adam step on the plain dW."""
    decayed = {k: W * (1 - lr * weight_decay) for k, W in params.items()}
    t = state.t + 1
    v = {g: beta1 * state.v[g] + (1 - beta1) * grads[g] for g in grads}
    s = {g: beta2 * state.s[g] + (1 - beta2) * grads[g] ** 2 for g in grads}
    new_params = {}
    for k, W in decayed.items():
        v_hat = v["d" + k] / (1 - beta1 ** t)
        s_hat = s["d" + k] / (1 - beta2 ** t)
        new_params[k] = W - lr * v_hat / (np.sqrt(s_hat) + eps)
    return new_params, AdamState(t, v, s)


def _adamw_bug(params, grads, state, *, lr, beta1, beta2, eps, weight_decay, bug="",
               wd_bug=""):
    return _adam_bug(params, grads, state, lr=lr, beta1=beta1, beta2=beta2, eps=eps,
                     bug=bug, weight_decay=weight_decay, wd_bug=wd_bug)


def _adamw_without_decay(params, grads, state, *, lr, beta1, beta2, eps, weight_decay):
    return _adam_bug(params, grads, state, lr=lr, beta1=beta1, beta2=beta2, eps=eps, bug="")


_update_exercise(
    "adamw", 9, "AdamW: Adam with decoupled weight decay",
    dict(_ADAM_HP_A, weight_decay=0.3), dict(_ADAM_HP_C, weight_decay=0.01), adamw_update,
    [_m("l2_not_decoupled", "weight decay added to the gradient (L2 regularisation): that is "
        "Adam + L2, not AdamW", "AdamW shrinks the weights directly, W·(1 − η·λ), and runs "
        "Adam on the plain dW, so the decay is not divided by √ŝ.", _adamw_bug, wd_bug="l2"),
     _m("decay_after_step", "the weight decay was applied after the Adam step",
        "decay the OLD weights first: W·(1 − η·λ), then subtract the Adam step.", _adamw_bug,
        wd_bug="after"),
     _m("decay_missing_lr", "the decay is W·(1 − λ), not scaled by η: Loshchilov & Hutter's "
        "form (their λ is scaled by the schedule multiplier η_t, 1 without a schedule, not by "
        "the learning rate)",
        "the exercise asks for the course's convention, PyTorch's: W·(1 − η·λ), the decay "
        "scaled by the learning rate lr. The two λ's differ by that factor: the paper's λ is "
        "PyTorch's η·λ. Multiply the weights by (1 - lr * weight_decay).", _adamw_bug,
        wd_bug="no_lr", variant=True),
     _m("no_weight_decay", "no weight decay at all: this is plain Adam",
        "multiply the weights by (1 − lr * weight_decay) first.", _adamw_without_decay),
     *[m for m in _adam_mistakes(_adamw_bug) if m.code in
       ("eps_inside", "no_bias_correction", "bias_correction_in_state", "betas_swapped",
        "t_off_by_one", "t_not_incremented", "missing_one_minus_beta", "keras_eps_hat")]],
    ("AdamW = a shrink of the weights towards zero, then a normal Adam step with the plain "
     "gradient. The shrink does not go through v and s.",
     "W ← W·(1 − η·λ);  then the Adam step: v, s, v̂, ŝ as in Adam;  W ← W − η·v̂/(√ŝ + ε)",
     "```python\ndecayed = {k: W * (1 - lr * weight_decay) for k, W in params.items()}\n"
     "# ... then exactly your adam_update on (decayed, grads, state)\n"
     "return adam_update(decayed, grads, state, lr=lr, beta1=beta1, beta2=beta2, eps=eps)\n```"),
    "W ← W·(1 − η·λ), then the Adam step")
