r"""Every optimizer of the course, written as in docs/notation.md, as two pure functions.

Each entry of :data:`OPTIMIZERS` has

- ``init(params) -> state``: a named tuple, ``t = 0`` and zero averages keyed like the gradients;
- ``update(params, grads, state, **hparams) -> (new_params, new_state)``: one step, never
  mutating its inputs, checking every argument;
- ``hparams``: the hyperparameter specs (default, valid range, log scale, symbol) from which a
  widget builds its sliders;
- ``step``: the same update without the checks, for loops that validated once up front.

Parameters are a dict of arrays, ``{"W": ..., "b": ...}``; gradients the matching dict
``{"dW": ..., "db": ...}``; state dicts are keyed like the gradients, so ``state.v["dW"]`` is
:math:`v_{dW}` and ``state.s["dW"]`` is :math:`s_{dW}`.

>>> import numpy as np
>>> adam = OPTIMIZERS["adam"]
>>> params = {"W": np.array([1.0, -2.0])}
>>> state = adam.init(params)
>>> params, state = adam.update(params, {"dW": np.array([0.5, -4.0])}, state, lr=0.1)
>>> params["W"].round(6).tolist(), state.t
([0.9, -1.9], 1)
"""
from __future__ import annotations

import math
from typing import Callable, NamedTuple

import numpy as np

from ._validate import _show, check_number, real_array
from .moving_averages import _bias_correct as bias_correct
from .moving_averages import _ewa_step as ewa_step

__all__ = [
    "HParam", "Optimizer", "OPTIMIZERS", "get_optimizer", "effective_lr", "grad_key",
    "GDState", "MomentumState", "AdagradState", "RMSpropState", "AdadeltaState", "AdamState",
    "AMSGradState", "AdafactorState", "MuonState", "newton_schulz", "MUON_NS", "MUON_NS_STEPS",
]


# --------------------------------------------------------------------------------------------
# State: named tuples whose fields read like the formulas.
class GDState(NamedTuple):
    """Plain gradient descent keeps only the step count ``t``."""
    t: int


class MomentumState(NamedTuple):
    """``t`` steps taken; ``v[dW]`` is the EWA of the gradients, :math:`v_{dW}`."""
    t: int
    v: dict


class AdagradState(NamedTuple):
    """``t`` steps taken; ``s[dW]`` is the running sum of squared gradients, :math:`\\alpha_t`."""
    t: int
    s: dict


class RMSpropState(NamedTuple):
    """``t`` steps taken; ``s[dW]`` is the EWA of squared gradients, :math:`s_{dW}`."""
    t: int
    s: dict


class AdadeltaState(NamedTuple):
    """``s[dW]``: EWA of squared gradients; ``u[dW]``: EWA of squared updates."""
    t: int
    s: dict
    u: dict


class AdamState(NamedTuple):
    """``v[dW]``: EWA of gradients (momentum); ``s[dW]``: EWA of squared gradients (RMSprop)."""
    t: int
    v: dict
    s: dict


class AMSGradState(NamedTuple):
    """As Adam, plus ``s_max[dW]``: the running maximum of the raw ``s[dW]``."""
    t: int
    v: dict
    s: dict
    s_max: dict


class AdafactorState(NamedTuple):
    """``s_row[dW]``, ``s_col[dW]``: EWAs of the row and column means of dW² (a matrix);
    ``s[dW]``: EWA of dW² (a vector or a number). Each key has either the pair or ``s``."""
    t: int
    s_row: dict
    s_col: dict
    s: dict


class MuonState(NamedTuple):
    """``v[dW]``: EWA of gradients (every param); ``s[dW]``: EWA of squared gradients, only for
    the params AdamW updates (biases and other non-weights)."""
    t: int
    v: dict
    s: dict


# --------------------------------------------------------------------------------------------
# Hyperparameter specs.
class HParam(NamedTuple):
    """One hyperparameter: its valid range (for checks) and its slider range (for widgets)."""
    name: str
    symbol: str
    default: float
    low: float
    high: float | None
    low_open: bool
    high_open: bool
    log: bool
    slider: tuple
    doc: str

    def check(self, value, optimizer: str) -> float:
        return check_number(f"{optimizer}: {self.name}", value, low=self.low, high=self.high,
                            low_open=self.low_open, high_open=self.high_open)


def _lr(default, slider=(1e-4, 1.0)):
    return HParam("lr", "η", default, 0.0, None, True, False, True, slider, "learning rate")


def _beta(name="beta", default=0.9, symbol="β", doc="decay of the moving average"):
    return HParam(name, symbol, default, 0.0, 1.0, False, True, False, (0.0, 0.999), doc)


def _eps(default):
    return HParam("eps", "ε", default, 0.0, 1.0, True, False, True, (1e-12, 1e-1),
                  "keeps the division finite")


_WD = HParam("weight_decay", "λ", 0.01, 0.0, None, False, False, False, (0.0, 0.5),
             "decoupled weight decay")


def grad_key(param_key: str) -> str:
    """The gradient key that belongs to a parameter key: ``"W" -> "dW"``."""
    if not isinstance(param_key, str) or not param_key:
        raise TypeError(f"param_key must be a parameter name such as 'W' (a non-empty str), "
                        f"got {_show(param_key)} of type {type(param_key).__name__}")
    return "d" + param_key


# --------------------------------------------------------------------------------------------
# The update rules (no checks: ``Optimizer.update`` validates, then calls these).
def _zeros(params):
    return {grad_key(k): np.zeros_like(p, dtype=np.float64) for k, p in params.items()}


def _gd_step(params, grads, state, *, lr):
    """W ← W − η·dW."""
    new = {k: p - lr * grads[grad_key(k)] for k, p in params.items()}
    return new, GDState(state.t + 1)


def _momentum_step(params, grads, state, *, lr, beta):
    """v ← β·v + (1−β)·dW;  W ← W − η·v."""
    v = {g: ewa_step(state.v[g], grads[g], beta) for g in grads}
    new = {k: p - lr * v[grad_key(k)] for k, p in params.items()}
    return new, MomentumState(state.t + 1, v)


def _nesterov_step(params, grads, state, *, lr, beta):
    """v ← β·v + (1−β)·dW;  W ← W − η·(β·v + (1−β)·dW)  (look ahead along the new v)."""
    v = {g: ewa_step(state.v[g], grads[g], beta) for g in grads}
    new = {k: p - lr * ewa_step(v[grad_key(k)], grads[grad_key(k)], beta)
           for k, p in params.items()}
    return new, MomentumState(state.t + 1, v)


def _adagrad_step(params, grads, state, *, lr, eps):
    """s ← s + dW²  (α_t);  W ← W − η·dW / (√s + ε)."""
    s = {g: state.s[g] + grads[g] ** 2 for g in grads}
    new = {k: p - lr * grads[grad_key(k)] / (np.sqrt(s[grad_key(k)]) + eps)
           for k, p in params.items()}
    return new, AdagradState(state.t + 1, s)


def _rmsprop_step(params, grads, state, *, lr, beta, eps):
    """s ← β·s + (1−β)·dW²;  W ← W − η·dW / (√s + ε)."""
    s = {g: ewa_step(state.s[g], grads[g] ** 2, beta) for g in grads}
    new = {k: p - lr * grads[grad_key(k)] / (np.sqrt(s[grad_key(k)]) + eps)
           for k, p in params.items()}
    return new, RMSpropState(state.t + 1, s)


def _adadelta_step(params, grads, state, *, lr, rho, eps):
    """s ← ρ·s + (1−ρ)·dW²;  Δ = √(u+ε)/√(s+ε)·dW;  u ← ρ·u + (1−ρ)·Δ²;  W ← W − η·Δ."""
    s = {g: ewa_step(state.s[g], grads[g] ** 2, rho) for g in grads}
    delta = {g: np.sqrt(state.u[g] + eps) / np.sqrt(s[g] + eps) * grads[g] for g in grads}
    u = {g: ewa_step(state.u[g], delta[g] ** 2, rho) for g in grads}
    new = {k: p - lr * delta[grad_key(k)] for k, p in params.items()}
    return new, AdadeltaState(state.t + 1, s, u)


def _adam_moments(grads, state, beta1, beta2):
    """The two moving averages every Adam variant shares: the momentum and the RMSprop line."""
    v = {g: ewa_step(state.v[g], grads[g], beta1) for g in grads}
    s = {g: ewa_step(state.s[g], grads[g] ** 2, beta2) for g in grads}
    return v, s


def _adam_step(params, grads, state, *, lr, beta1, beta2, eps):
    """v, s as momentum and RMSprop;  W ← W − η·v̂ / (√ŝ + ε) with v̂, ŝ bias-corrected."""
    t = state.t + 1
    v, s = _adam_moments(grads, state, beta1, beta2)
    new = {}
    for k, p in params.items():
        g = grad_key(k)
        v_hat, s_hat = bias_correct(v[g], beta1, t), bias_correct(s[g], beta2, t)
        new[k] = p - lr * v_hat / (np.sqrt(s_hat) + eps)
    return new, AdamState(t, v, s)


def _amsgrad_step(params, grads, state, *, lr, beta1, beta2, eps):
    """As Adam, but the denominator uses max(s) so far, bias-corrected with the current t."""
    t = state.t + 1
    v, s = _adam_moments(grads, state, beta1, beta2)
    s_max = {g: np.maximum(state.s_max[g], s[g]) for g in grads}
    new = {}
    for k, p in params.items():
        g = grad_key(k)
        v_hat, s_hat = bias_correct(v[g], beta1, t), bias_correct(s_max[g], beta2, t)
        new[k] = p - lr * v_hat / (np.sqrt(s_hat) + eps)
    return new, AMSGradState(t, v, s, s_max)


def _adamw_step(params, grads, state, *, lr, beta1, beta2, eps, weight_decay):
    """W ← W·(1 − η·λ) first (decoupled weight decay), then the Adam step on the plain dW."""
    decayed = {k: p * (1.0 - lr * weight_decay) for k, p in params.items()}
    return _adam_step(decayed, grads, state, lr=lr, beta1=beta1, beta2=beta2, eps=eps)


def _nadam_step(params, grads, state, *, lr, beta1, beta2, eps):
    """W ← W − η·[β1·v/(1−β1^(t+1)) + (1−β1)·dW/(1−β1^t)] / (√ŝ + ε)  (Dozat, constant β1)."""
    t = state.t + 1
    v, s = _adam_moments(grads, state, beta1, beta2)
    new = {}
    for k, p in params.items():
        g = grad_key(k)
        look_ahead = (beta1 * bias_correct(v[g], beta1, t + 1)
                      + (1.0 - beta1) * bias_correct(grads[g], beta1, t))
        new[k] = p - lr * look_ahead / (np.sqrt(bias_correct(s[g], beta2, t)) + eps)
    return new, AdamState(t, v, s)


# --------------------------------------------------------------------------------------------
# Chapter 12: four modern optimizers. RAdam and Lion are element-wise like the rules above;
# Adafactor (an RMS over each array, a factored s for matrices) and Muon (a matrix
# orthogonalised as a whole) are not, so their state can differ in shape from the params
# (``Optimizer.layout``).
def _radam_rho(t, beta2):
    """RAdam's ρ_∞ and ρ_t = ρ_∞ − 2·t·β2^t/(1 − β2^t), the length of the simple moving
    average that s approximates."""
    rho_inf = 2.0 / (1.0 - beta2) - 1.0
    return rho_inf, rho_inf - 2 * t * (beta2 ** t) / (1.0 - beta2 ** t)


def _radam_rect(rho_t, rho_inf):
    """r_t = √[(ρ_t − 4)(ρ_t − 2)ρ_∞ / ((ρ_∞ − 4)(ρ_∞ − 2)ρ_t)], for ρ_t > 5."""
    return ((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5


def _radam_step(params, grads, state, *, lr, beta1, beta2, eps):
    """v, s as Adam; while ρ_t <= 5: W ← W − η·v̂; then W ← W − η·r_t·v̂·√(1−β2^t)/(√s + ε)."""
    t = state.t + 1
    v, s = _adam_moments(grads, state, beta1, beta2)
    rho_inf, rho_t = _radam_rho(t, beta2)
    new = {}
    for k, p in params.items():
        g = grad_key(k)
        v_hat = bias_correct(v[g], beta1, t)
        if rho_t > 5.0:  # s averages enough steps: the rectified adaptive step
            adaptive = (1.0 - beta2 ** t) ** 0.5 / (np.sqrt(s[g]) + eps)
            new[k] = p - v_hat * lr * adaptive * _radam_rect(rho_t, rho_inf)
        else:            # the first few steps: momentum only (s is too noisy to divide by)
            new[k] = p - v_hat * lr
    return new, AdamState(t, v, s)


def _lion_step(params, grads, state, *, lr, beta1, beta2, weight_decay):
    """c = β1·v + (1−β1)·dW;  W ← W − η·(sign(c) + λ·W);  v ← β2·v + (1−β2)·dW."""
    new, v = {}, {}
    for k, p in params.items():
        g = grad_key(k)
        c = ewa_step(state.v[g], grads[g], beta1)
        new[k] = p * (1.0 - lr * weight_decay) - lr * np.sign(c)
        v[g] = ewa_step(state.v[g], grads[g], beta2)
    return new, MomentumState(state.t + 1, v)


def _rms(x) -> float:
    """The root mean square of an array, ‖x‖/√size (0 for an empty one)."""
    return float(np.linalg.norm(x.ravel())) / math.sqrt(x.size) if x.size else 0.0


def _adafactor_layout(key, shape):
    """Factored (s_row, s_col) for arrays of 2 or more dimensions, an s like the param else."""
    if len(shape) >= 2:
        return {"s_row": shape[:-1], "s_col": shape[:-2] + shape[-1:], "s": None}
    return {"s_row": None, "s_col": None, "s": shape}


def _adafactor_step(params, grads, state, *, lr, beta2_decay, eps1, eps2, d, weight_decay):
    """β̂2 = 1 − t^τ;  ρ_t = min(η, 1/√t);  α_t = max(ε2, RMS(W))·ρ_t;  W ← W·(1 − η·λ);
    s_row, s_col ← EWAs of the row and column means of dW² (s for a vector);
    V̂ = s_row·s_colᵀ / max(mean(s_row), ε1);  U = dW/√max(V̂, ε1²);
    W ← W − α_t·U / max(1, RMS(U)/d)."""
    t = state.t + 1
    w = float(t) ** beta2_decay          # 1 − β̂2, the weight of the new square (1 at t = 1)
    beta2_hat = 1.0 - w
    rho = min(lr, 1.0 / float(t) ** 0.5)
    s_row, s_col, s = dict(state.s_row), dict(state.s_col), dict(state.s)
    new = {}
    for k, p in params.items():
        g = grad_key(k)
        dW = grads[g]
        alpha = max(eps2, _rms(p)) * rho                    # from W before the weight decay
        if dW.ndim >= 2:
            sq = dW * dW
            s_row[g] = beta2_hat * state.s_row[g] + w * sq.mean(axis=-1)
            s_col[g] = beta2_hat * state.s_col[g] + w * sq.mean(axis=-2)
            scale = np.maximum(s_row[g].mean(axis=-1), eps1)[..., None, None]
            v_hat = s_row[g][..., :, None] * s_col[g][..., None, :] / scale
        else:
            s[g] = beta2_hat * state.s[g] + w * (dW * dW)
            v_hat = s[g]
        u = dW / np.sqrt(np.maximum(v_hat, eps1 * eps1))
        clip = max(1.0, _rms(u) / d)
        new[k] = p * (1.0 - lr * weight_decay) - (alpha / clip) * u
    return new, AdafactorState(t, s_row, s_col, s)


#: Newton-Schulz coefficients and steps of torch.optim.Muon (Keller Jordan's quintic).
MUON_NS = (3.4445, -4.7750, 2.0315)
MUON_NS_STEPS = 5


def _muon_layout(key, shape):
    """v for every param; s (AdamW's) only for those that Muon does not orthogonalise."""
    return {"v": shape, "s": None if _muon_matrix(key, shape) else shape}


def _muon_matrix(key, shape) -> bool:
    """Muon's params: the weights (a key that starts with W) of 1 or 2 dimensions."""
    return key.startswith("W") and len(shape) in (1, 2)


def newton_schulz(G, *, eps=1e-7, steps=MUON_NS_STEPS, coefficients=MUON_NS):
    """Muon's orthogonalisation of a matrix G, as torch.optim.Muon does it (in float64 here).

    X = G/max(‖G‖_F, ε), transposed to be wide; ``steps`` times X ← a·X + (b·A + c·A²)·X with
    A = X·Xᵀ. The singular vectors stay, the singular values move towards 1: those near the
    largest end between about 0.7 and 1.2, tiny ones are raised a lot (1/3000 of the largest
    becomes 0.16 below). The step keeps G's directions and mostly forgets their sizes. A vector
    is read as one row, and then the result is G/‖G‖ times one number (0.696 when ‖G‖ >= ε).

    >>> newton_schulz(np.array([[3.0, 0.0], [0.0, 0.001]])).round(2).tolist()
    [[0.7, 0.0], [0.0, 0.16]]
    >>> newton_schulz(np.array([3.0, -4.0])).round(3).tolist()  # 0.696·(3, −4)/5
    [0.418, -0.557]
    """
    a, b, c = coefficients
    X = np.asarray(G, dtype=np.float64)
    X = X.reshape(1, -1) if X.ndim == 1 else X
    tall = X.shape[0] > X.shape[1]
    X = X.T if tall else X
    X = X / max(float(np.linalg.norm(X)), eps)
    for _ in range(steps):
        A = X @ X.T
        X = a * X + (b * A + c * (A @ A)) @ X
    X = X.T if tall else X
    return X.reshape(np.shape(G))


def _muon_step(params, grads, state, *, lr, beta, weight_decay, eps, adamw_lr, adamw_beta1,
               adamw_beta2, adamw_eps, adamw_weight_decay):
    """Weights W (1-D read as 1×n): v ← β·v + (1−β)·dW;  O = NS((1−β)·dW + β·v);
    W ← W·(1 − η·λ) − η·√max(1, rows/cols)·O.  Other params (b, ...): AdamW with adamw_*.

    The weights are the params whose name starts with W and that have 1 or 2 dimensions; a 1-D
    W of n numbers is the 1×n matrix of nn.Linear(n, 1), so its O is dW's direction times
    0.696 (``newton_schulz``): on a 2-D playground point Muon is normalised-gradient descent
    with momentum. rows/cols are the array's own: the course's W1 of shape (d, h) is the
    transpose of nn.Linear(d, h).weight, (h, d), so its √max(1, rows/cols) differs from torch's
    on that layer. torch.optim.Muon runs Newton-Schulz in bfloat16; here it runs in float64,
    and torch's step differs from this one by about 2e-2 relative (measured: median 1.7e-2, at
    most 3.4e-2 over 50 random 8×6 first steps; 2e-3 of |W| after 200 steps at η = 0.02)."""
    t = state.t + 1
    new, v, s = {}, dict(state.v), dict(state.s)
    for k, p in params.items():
        g = grad_key(k)
        dW = grads[g]
        if _muon_matrix(k, p.shape):
            v[g] = ewa_step(state.v[g], dW, beta)
            rows, cols = p.shape if p.ndim == 2 else (1, p.size)
            ortho = newton_schulz(ewa_step(v[g], dW, beta), eps=eps)  # Nesterov: look ahead
            new[k] = p * (1.0 - lr * weight_decay) - lr * math.sqrt(max(1.0, rows / cols)) * ortho
        else:
            v[g] = ewa_step(state.v[g], dW, adamw_beta1)
            s[g] = ewa_step(state.s[g], dW * dW, adamw_beta2)
            v_hat, s_hat = bias_correct(v[g], adamw_beta1, t), bias_correct(s[g], adamw_beta2, t)
            new[k] = (p * (1.0 - adamw_lr * adamw_weight_decay)
                      - adamw_lr * v_hat / (np.sqrt(s_hat) + adamw_eps))
    return new, MuonState(t, v, s)


# --------------------------------------------------------------------------------------------
# Effective per-parameter learning rate: the factor in front of the step direction.
def _const_rate(state, *, lr, **_):
    return None, lr


def _sum_rate(state, *, lr, eps, **_):
    return {g: lr / (np.sqrt(s) + eps) for g, s in state.s.items()}, None


def _adam_rate(state, *, lr, beta2, eps, **_):
    s = state.s_max if isinstance(state, AMSGradState) else state.s
    if state.t == 0:
        return {g: np.full_like(x, lr / (0.0 + eps)) for g, x in s.items()}, None
    return {g: lr / (np.sqrt(bias_correct(x, beta2, state.t)) + eps) for g, x in s.items()}, None


def _adadelta_rate(state, *, lr, eps, **_):
    return {g: lr * np.sqrt(state.u[g] + eps) / np.sqrt(state.s[g] + eps) for g in state.s}, None


def _radam_rate(state, *, lr, beta2, eps, **_):
    """η while ρ_t <= 5 (the momentum-only steps), then η·r_t·√(1−β2^t)/(√s + ε)."""
    if state.t == 0:
        return None, lr
    rho_inf, rho_t = _radam_rho(state.t, beta2)
    if not rho_t > 5.0:
        return None, lr
    factor = lr * _radam_rect(rho_t, rho_inf) * (1.0 - beta2 ** state.t) ** 0.5
    return {g: factor / (np.sqrt(s) + eps) for g, s in state.s.items()}, None


# --------------------------------------------------------------------------------------------
class Optimizer:
    """A registry entry: name, formulas, hyperparameter specs, ``init``, ``update`` and ``step``."""

    def __init__(self, name: str, title: str, state_type: type, fields: tuple,
                 hparams: tuple, step: Callable, rate: Callable | None, formula: str, torch: str,
                 *, layout: Callable | None = None, no_rate: str = ""):
        self.name, self.title, self.state_type = name, title, state_type
        self.fields = fields  # the dict-valued state fields besides t
        self.hparams = {h.name: h for h in hparams}
        self.step, self._rate, self._no_rate = step, rate, no_rate
        self.formula, self.torch = formula, torch
        # layout(key, shape) -> {field: shape of that state entry, or None: no entry}; None
        # means every field holds an array shaped like each param (the element-wise rules)
        self.layout = layout

    @property
    def elementwise(self) -> bool:
        """True when each number of W is updated from its own gradient and state alone, so that
        W and b may be updated as one concatenated vector (all but Adafactor and Muon)."""
        return self.layout is None

    @property
    def has_effective_lr(self) -> bool:
        """False for Adafactor and Muon, whose step has no per-parameter factor to show."""
        return self._rate is not None

    def state_shapes(self, key: str, shape: tuple) -> dict:
        """``{field: shape}`` of the state this rule keeps for a param ``key`` of ``shape``
        (a field absent when the rule keeps nothing in it for that param)."""
        if self.layout is None:
            return {f: tuple(shape) for f in self.fields}
        return {f: s for f, s in self.layout(key, tuple(shape)).items() if s is not None}

    def __repr__(self):
        hp = ", ".join(f"{h.name}={h.default:g}" for h in self.hparams.values())
        return f"<optimizer {self.name}: {self.formula} ({hp})>"

    @property
    def defaults(self) -> dict:
        """The default hyperparameters, ``{"lr": ..., ...}``."""
        return {name: h.default for name, h in self.hparams.items()}

    def check_hparams(self, **hparams) -> dict:
        """The full hyperparameter dict: defaults filled in, every value checked.

        An unknown name (a typo such as ``betta``) raises instead of passing silently.
        """
        for key in hparams:
            if key not in self.hparams:
                import difflib  # only on the error path: it is slow to import
                close = difflib.get_close_matches(key, list(self.hparams), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise TypeError(f"{self.name} got an unknown hyperparameter {key!r}{hint}; "
                                f"allowed: {', '.join(self.hparams)}")
        return {name: h.check(hparams.get(name, h.default), self.name)
                for name, h in self.hparams.items()}

    def init(self, params) -> NamedTuple:
        """The state before the first step: ``t = 0`` and every average zero."""
        params = _check_params(params, "params")
        if not self.fields:
            return self.state_type(0)
        if self.layout is None:
            return self.state_type(0, *(_zeros(params) for _ in self.fields))
        shapes = {k: self.state_shapes(k, p.shape) for k, p in params.items()}
        return self.state_type(0, *({grad_key(k): np.zeros(shapes[k][f]) for k in params
                                     if f in shapes[k]} for f in self.fields))

    def update(self, params, grads, state, **hparams):
        """One checked step. Returns ``(new_params, new_state)``; the inputs are left untouched."""
        hp = self.check_hparams(**hparams)
        params = _check_params(params, "params")
        grads = _check_grads(params, grads)
        _check_state(self, params, state)
        # huge grads can overflow s to inf: no NumPy warning here, the returned state carries it
        # and the next update() (or train / run_path) refuses it with what went non-finite
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            new, new_state = self.step(params, grads, state, **hp)
        for k, p in new.items():
            if not np.isfinite(p).all():  # never NaN params from finite input, without a word
                g = grad_key(k)
                raise ValueError(
                    f"{self.name} update() overflowed: the new params[{k!r}] hold "
                    f"{'NaN' if np.isnan(p).any() else 'inf'}, because grads[{g!r}] (largest "
                    f"|value| {float(np.max(np.abs(grads[g]), initial=0.0)):.3g}) or the state "
                    f"is too large for float64: the run has diverged (try a smaller learning "
                    f"rate, or start again from OPTIMIZERS[{self.name!r}].init(params))")
        return new, new_state

    def effective_lr(self, state, **hparams) -> dict:
        """The per-parameter factor that multiplies the step direction, keyed like the gradients.

        GD, momentum and Nesterov: η everywhere. Adagrad and RMSprop: η / (√s + ε). Adam family:
        η / (√ŝ + ε). Adadelta: η·√(u + ε) / √(s + ε), the scale its next step starts from.
        """
        hp = self.check_hparams(**hparams)
        if self._rate is None:
            raise ValueError(f"{self.name} has no effective learning rate: {self._no_rate} "
                             f"(effective_lr and record_lr=True work for "
                             f"{', '.join(n for n, o in OPTIMIZERS.items() if o._rate)})")
        _check_state(self, _params_like(self, state), state)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            per_key, const = self._rate(state, **hp)
        for g, x in (per_key or {}).items():
            if not np.isfinite(x).all():
                raise ValueError(f"{self.name}: the effective learning rate for {g!r} is not a "
                                 f"finite number with lr = {hp['lr']:g} and this state "
                                 f"({_show(np.asarray(x).tolist())}): lr or the state is too "
                                 f"large")
        if per_key is None:
            keys = getattr(state, "v", None)
            if keys is None:
                raise ValueError(f"{self.name}: the rate is the constant lr = {const:g}; "
                                 "it does not depend on the state")
            return {g: np.full_like(x, const) for g, x in keys.items()}
        return per_key


def _check_params(params, name):
    if not isinstance(params, dict) or not params:
        raise TypeError(f"{name} must be a non-empty dict of arrays such as "
                        f"{{'W': ..., 'b': ...}}, got {_show(params)}")
    out = {}
    for key, value in params.items():
        if not isinstance(key, str) or not key:
            raise TypeError(f"{name} keys must be non-empty strings such as 'W', got {key!r}")
        if isinstance(value, bool) or not isinstance(value, (np.ndarray, float, int)):
            raise TypeError(f"{name}[{key!r}] must be a NumPy array, got {_show(value)} "
                            f"of type {type(value).__name__}")
        arr = real_array(f"{name}[{key!r}]", value)
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{name}[{key!r}] contains NaN or inf; the run has diverged "
                             "(try a smaller learning rate)")
        out[key] = arr
    return out


def _check_grads(params, grads):
    if not isinstance(grads, dict):
        raise TypeError(f"grads must be a dict such as {{'dW': ...}}, got {_show(grads)}")
    expected = {grad_key(k) for k in params}
    if set(grads) != expected:
        raise ValueError(f"grads keys must match params: expected {sorted(expected)} "
                         f"(a 'd' before each parameter name), got {sorted(map(str, grads))}")
    out = {}
    for k, p in params.items():
        g = grad_key(k)
        if isinstance(grads[g], bool) or not isinstance(grads[g], (np.ndarray, float, int)):
            raise TypeError(f"grads[{g!r}] must be a NumPy array, got {_show(grads[g])}")
        arr = real_array(f"grads[{g!r}]", grads[g])
        if arr.shape != p.shape:
            raise ValueError(f"grads[{g!r}] has shape {arr.shape} but params[{k!r}] has shape "
                             f"{p.shape}; they must match")
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"grads[{g!r}] contains NaN or inf; the run has diverged "
                             "(try a smaller learning rate)")
        out[g] = arr
    return out


#: The most steps a state may count: t is a step counter, and beta ** t needs a float t.
MAX_STEPS = 2**53


def _params_like(opt, state) -> dict:
    """Zero params shaped like ``state``'s first field, for :func:`_check_state` where no params
    are given (``effective_lr``)."""
    if not isinstance(state, opt.state_type):
        raise TypeError(f"state for {opt.name} must be a {opt.state_type.__name__} "
                        f"(from OPTIMIZERS[{opt.name!r}].init(params)), got "
                        f"{_show(state)} of type {type(state).__name__}")
    if not opt.fields:
        return {}
    first = getattr(state, opt.fields[0])
    if not isinstance(first, dict) or not first or not all(
            isinstance(g, str) and len(g) > 1 and g.startswith("d") for g in first):
        raise TypeError(f"state.{opt.fields[0]} must be a dict keyed like the gradients "
                        f"('dW', 'db', ...), got {_show(first)}")
    try:
        return {g[1:]: np.zeros(np.shape(x)) for g, x in first.items()}
    except (TypeError, ValueError):
        raise TypeError(f"state.{opt.fields[0]} must hold arrays of numbers, got "
                        f"{_show(first)}") from None


def _check_state(opt, params, state):
    if not isinstance(state, opt.state_type):
        raise TypeError(f"state for {opt.name} must be a {opt.state_type.__name__} "
                        f"(from OPTIMIZERS[{opt.name!r}].init(params)), got "
                        f"{type(state).__name__}")
    if isinstance(state.t, (bool, np.timedelta64)) or not isinstance(state.t, (int, np.integer)) \
            or not 0 <= state.t <= MAX_STEPS:
        raise ValueError(f"state.t must be an int >= 0 and <= 2**53 (steps taken so far), got "
                         f"{_show(state.t)}")
    shapes = {k: opt.state_shapes(k, p.shape) for k, p in params.items()}
    for field in opt.fields:
        stored = getattr(state, field)
        for k, p in params.items():
            g = grad_key(k)
            if field not in shapes[k]:  # this rule keeps nothing in this field for this param
                continue
            if not isinstance(stored, dict) or g not in stored:
                raise ValueError(f"state.{field} has no entry {g!r}: was the state made by "
                                 f"init() for these params?")
            if np.shape(stored[g]) != shapes[k][field]:
                what = (f"params[{k!r}] has shape {p.shape}" if shapes[k][field] == p.shape
                        else f"for params[{k!r}] of shape {p.shape} it must have shape "
                             f"{shapes[k][field]}")
                raise ValueError(f"state.{field}[{g!r}] has shape {np.shape(stored[g])} but "
                                 f"{what}")
            arr = real_array(f"state.{field}[{g!r}]", stored[g])
            if not np.isfinite(arr).all():
                raise ValueError(f"this state cannot be used: {_state_text(opt, field, g, arr)}"
                                 f" (state.{field}[{g!r}] = {_show(arr.tolist())}). If update() "
                                 f"made it, the run diverged at the step before; start again "
                                 f"from OPTIMIZERS[{opt.name!r}].init(params)")
            if field in _SQUARES and (arr < 0).any():
                raise ValueError(f"state.{field}[{g!r}] holds a negative number "
                                 f"({arr[arr < 0].flat[0]:g}), but {opt.title}'s "
                                 f"{field}_{g} is {_field_what(opt, field)}, never negative: "
                                 f"this state was not made by init() and update(); start from "
                                 f"OPTIMIZERS[{opt.name!r}].init(params)")


#: State fields built from squares: never negative.
_SQUARES = ("s", "u", "s_max", "s_row", "s_col")
_FIELD_WHAT = {"v": "the moving average of the gradients",
               "s": "the moving average of the squared gradients",
               "u": "the moving average of the squared updates",
               "s_max": "the running maximum of s",
               "s_row": "the moving average of the row means of the squared gradients",
               "s_col": "the moving average of the column means of the squared gradients"}


def _field_what(opt, field) -> str:
    if opt.state_type is AdagradState and field == "s":
        return "the running sum of the squared gradients"
    return _FIELD_WHAT.get(field, f"the state field {field}")


def _state_text(opt, field, key, arr) -> str:
    """'Adam's s_dW (the moving average of the squared gradients) overflowed to inf'."""
    arr = np.asarray(arr)
    went = "became NaN" if np.isnan(arr).any() else "overflowed to inf"
    return f"{opt.title}'s {field}_{key} ({_field_what(opt, field)}) {went}"


def _nonfinite_state(opt, state):
    """``(field, key, array)`` of the first non-finite state entry, or None."""
    for field in opt.fields:
        for key, arr in getattr(state, field).items():
            if not np.isfinite(arr).all():
                return field, key, arr
    return None


def _state_advice(grad_max, lr, tip="a start nearer the minimum") -> str:
    """Why the state went non-finite and what to try, from the largest gradient seen."""
    why = ""
    if math.isfinite(grad_max) and grad_max > 1e150:
        why = (f"the gradients reached {grad_max:.2g}, and their squares pass the largest "
               f"float (1.8e308); ")
    return (f"{why}every later step would be 0 or NaN, a silent freeze. Try a smaller learning "
            f"rate (lr={lr:g}) or {tip}")


#: The state fields that can go non-finite while the parameters stay finite: s sits in a
#: denominator, so s = inf makes every step 0 (a silent freeze). A non-finite v (or u) shows
#: in the parameters at once (W − η·v), and v cannot overflow before s does (|v| <= max |dW|,
#: s ~ dW²). So the loops watch s, and describe every field once it fails.
def _watched(opt) -> tuple:
    return tuple(f for f in ("s", "s_row", "s_col") if f in opt.fields)


class _NonFiniteState(Exception):
    """Raised by a scalar twin (``_scalar_stepper``) when its ``s`` stops being finite."""

    def __init__(self, field, value):
        super().__init__(field)
        self.field, self.value = field, value


def _check_finite_pair(field, a, b, gx, gy):
    """Raise ``_NonFiniteState`` unless both floats are finite (called only when a + b is not).

    A non-finite gradient is let through: the step's NaN or inf then shows in the point, and
    the loop reports the gradient, as for a rule without state."""
    if not (math.isfinite(gx) and math.isfinite(gy)):
        return
    for value in (a, b):
        if not math.isfinite(value):
            raise _NonFiniteState(field, value)


_ADAM_HP = (_lr(0.001, (1e-4, 1.0)), _beta("beta1", 0.9, "β1", "decay of v (momentum)"),
            _beta("beta2", 0.999, "β2", "decay of s (squared gradients)"), _eps(1e-8))


def _hp(name, symbol, default, low, high, slider, doc, *, log=False, low_open=False,
        high_open=False):
    return HParam(name, symbol, default, low, high, low_open, high_open, log, slider, doc)


_ADAFACTOR_HP = (
    _lr(0.01, (1e-4, 1.0)),
    _hp("beta2_decay", "τ", -0.8, -10.0, 0.0, (-1.0, 0.0),
        "β̂2 = 1 − t^τ: the decay of s_row, s_col and s grows with t"),
    _hp("eps1", "ε1", float(np.finfo(np.float64).eps), 0.0, 1.0, (1e-20, 1e-2),
        "floor of V̂ (squared) and of mean(s_row); torch's None: the float64 machine epsilon",
        log=True, low_open=True),
    _hp("eps2", "ε2", 1e-3, 0.0, 1.0, (0.0, 0.1), "smallest RMS(W) the step scales with"),
    _hp("d", "d", 1.0, 1.0, None, (1.0, 10.0), "clipping threshold of RMS(U)"),
    HParam("weight_decay", "λ", 0.0, 0.0, None, False, False, False, (0.0, 0.5),
           "decoupled weight decay"),
)
_MUON_HP = (
    _lr(0.001, (1e-4, 1.0)),
    _beta("beta", 0.95, "β", "momentum (torch's momentum; Nesterov look-ahead as torch)"),
    HParam("weight_decay", "λ", 0.1, 0.0, None, False, False, False, (0.0, 0.5),
           "decoupled weight decay of the weights"),
    _hp("eps", "ε", 1e-7, 0.0, 1.0, (1e-12, 1e-1), "floor of ‖dW‖ in Newton-Schulz",
        log=True, low_open=True),
    _hp("adamw_lr", "η_AdamW", 0.001, 0.0, None, (1e-4, 1.0),
        "learning rate of AdamW for b and the other non-weights", log=True, low_open=True),
    _beta("adamw_beta1", 0.9, "β1", "AdamW's decay of v"),
    _beta("adamw_beta2", 0.999, "β2", "AdamW's decay of s"),
    _hp("adamw_eps", "ε_AdamW", 1e-8, 0.0, 1.0, (1e-12, 1e-1), "AdamW's ε",
        log=True, low_open=True),
    HParam("adamw_weight_decay", "λ_AdamW", 0.01, 0.0, None, False, False, False, (0.0, 0.5),
           "AdamW's decoupled weight decay"),
)
_LION_HP = (
    _lr(1e-4, (1e-5, 1.0)),
    _beta("beta1", 0.9, "β1", "weight of v in the step's sign"),
    _beta("beta2", 0.99, "β2", "decay of v (the momentum kept)"),
    HParam("weight_decay", "λ", 0.0, 0.0, None, False, False, False, (0.0, 0.5),
           "decoupled weight decay"),
)

OPTIMIZERS: dict[str, Optimizer] = {o.name: o for o in [
    Optimizer("gd", "Gradient descent", GDState, (), (_lr(0.01),), _gd_step, _const_rate,
              "W ← W − η·dW", "SGD(lr=η)"),
    Optimizer("momentum", "Momentum", MomentumState, ("v",), (_lr(0.01), _beta()),
              _momentum_step, _const_rate, "v ← β·v + (1−β)·dW; W ← W − η·v",
              "SGD(lr=η·(1−β), momentum=β)"),
    Optimizer("nesterov", "Nesterov momentum", MomentumState, ("v",), (_lr(0.01), _beta()),
              _nesterov_step, _const_rate,
              "v ← β·v + (1−β)·dW; W ← W − η·(β·v + (1−β)·dW)",
              "SGD(lr=η·(1−β), momentum=β, nesterov=True)"),
    Optimizer("adagrad", "Adagrad", AdagradState, ("s",), (_lr(0.01), _eps(1e-10)),
              _adagrad_step, _sum_rate, "s ← s + dW²; W ← W − η·dW/(√s + ε)",
              "Adagrad(lr=η, eps=ε)"),
    Optimizer("rmsprop", "RMSprop", RMSpropState, ("s",), (_lr(0.01), _beta(), _eps(1e-8)),
              _rmsprop_step, _sum_rate, "s ← β·s + (1−β)·dW²; W ← W − η·dW/(√s + ε)",
              "RMSprop(lr=η, alpha=β, eps=ε)"),
    Optimizer("adadelta", "Adadelta", AdadeltaState, ("s", "u"),
              (_lr(1.0, (1e-2, 10.0)), _beta("rho", 0.9, "ρ", "decay of s and u"), _eps(1e-6)),
              _adadelta_step, _adadelta_rate,
              "s ← ρ·s + (1−ρ)·dW²; Δ = √(u+ε)/√(s+ε)·dW; u ← ρ·u + (1−ρ)·Δ²; W ← W − η·Δ",
              "Adadelta(lr=η, rho=ρ, eps=ε)"),
    Optimizer("adam", "Adam", AdamState, ("v", "s"), _ADAM_HP, _adam_step, _adam_rate,
              "v ← β1·v + (1−β1)·dW; s ← β2·s + (1−β2)·dW²; W ← W − η·v̂/(√ŝ + ε)",
              "Adam(lr=η, betas=(β1, β2), eps=ε)"),
    Optimizer("amsgrad", "AMSGrad", AMSGradState, ("v", "s", "s_max"), _ADAM_HP, _amsgrad_step,
              _adam_rate, "as Adam, with max(s) so far in the denominator",
              "Adam(lr=η, betas=(β1, β2), eps=ε, amsgrad=True)"),
    Optimizer("adamw", "AdamW", AdamState, ("v", "s"), _ADAM_HP + (_WD,), _adamw_step,
              _adam_rate, "W ← W·(1 − η·λ), then the Adam step",
              "AdamW(lr=η, betas=(β1, β2), eps=ε, weight_decay=λ)"),
    Optimizer("nadam", "NAdam", AdamState, ("v", "s"), _ADAM_HP, _nadam_step, _adam_rate,
              "W ← W − η·[β1·v/(1−β1^(t+1)) + (1−β1)·dW/(1−β1^t)]/(√ŝ + ε)",
              "NAdam(lr=η, betas=(β1, β2), eps=ε, momentum_decay=1e9)"),
    # chapter 12
    Optimizer("radam", "RAdam", AdamState, ("v", "s"), _ADAM_HP, _radam_step, _radam_rate,
              "v, s as Adam; ρ_t = ρ_∞ − 2t·β2^t/(1−β2^t); ρ_t <= 5: W ← W − η·v̂; "
              "else W ← W − η·r_t·v̂·√(1−β2^t)/(√s + ε)",
              "RAdam(lr=η, betas=(β1, β2), eps=ε)"),
    Optimizer("adafactor", "Adafactor", AdafactorState, ("s_row", "s_col", "s"), _ADAFACTOR_HP,
              _adafactor_step, None,
              "s_row, s_col ← EWAs (β̂2 = 1 − t^τ) of the row and column means of dW²; "
              "V̂ = s_row·s_colᵀ/mean(s_row); U = dW/√V̂; "
              "W ← W·(1 − η·λ) − max(ε2, RMS(W))·min(η, 1/√t)·U/max(1, RMS(U)/d)",
              "Adafactor(lr=η, beta2_decay=τ, eps=(ε1, ε2), d=d, weight_decay=λ)",
              layout=_adafactor_layout,
              no_rate="its step is max(ε2, RMS(W))·min(η, 1/√t)/max(1, RMS(U)/d) times "
                      "dW/√V̂, so it depends on the params and on this step's gradient, not "
                      "on the state alone"),
    Optimizer("muon", "Muon", MuonState, ("v", "s"), _MUON_HP, _muon_step, None,
              "weights W: v ← β·v + (1−β)·dW; O = NS₅((1−β)·dW + β·v); "
              "W ← W·(1 − η·λ) − η·√max(1, rows/cols)·O; other params: AdamW (adamw_*)",
              "Muon(weights, lr=η, momentum=β, weight_decay=λ, eps=ε) for every W of 2 "
              "dimensions (a 1-D W as W.reshape(1, -1), the 1×n weight of nn.Linear(n, 1)); "
              "AdamW(others, lr=adamw_lr, betas=(adamw_beta1, adamw_beta2), eps=adamw_eps, "
              "weight_decay=adamw_weight_decay) for b and every other param. torch runs "
              "Newton-Schulz in bfloat16, the course in float64: torch's step differs from "
              "this one by about 2e-2 relative (median 1.7e-2, at most 3.4e-2 over 50 random "
              "8×6 first steps; tests/test_torch_parity.py)",
              layout=_muon_layout,
              no_rate="it orthogonalises the whole matrix, so no factor multiplies each "
                      "gradient: the step of each weight depends on all the others"),
    Optimizer("lion", "Lion", MomentumState, ("v",), _LION_HP, _lion_step, _const_rate,
              "c = β1·v + (1−β1)·dW; W ← W − η·(sign(c) + λ·W); v ← β2·v + (1−β2)·dW",
              "lion_pytorch.Lion(lr=η, betas=(β1, β2), weight_decay=λ) (Chen et al. 2023; "
              "not in torch.optim)"),
]}


# --------------------------------------------------------------------------------------------
# In-place twins of the commonest update rules, for one flat parameter vector: the training
# loop's hot path (``course_lib.training``). The same operations in the same order as the rules
# above, so the numbers are bit-identical; gone are the allocations, the dicts and half of the
# NumPy calls (W and b share one vector). On a vector of ~20 numbers a NumPy call costs its
# overhead only, so: output arguments by position, and every scalar as a 0-d array (NumPy
# multiplies by a 0-d array about 40 % faster than by a Python float; the value is the same).
_mul, _add, _sub, _div, _sqrt, _0d = np.multiply, np.add, np.subtract, np.divide, np.sqrt, np.array


def _expose(step, **fields):
    """Give an in-place twin its ``fields`` (the live state arrays) and ``watch`` (``s``)."""
    step.fields, step.watch = fields, fields.get("s")
    return step


def _gd_inplace(size, *, lr):
    lr = _0d(lr)

    def step(p, g, out):
        _mul(g, lr, out)                                   # η·dW
        _sub(p, out, out)                                  # W − η·dW
    return _expose(step)


def _momentum_inplace(size, *, lr, beta, nesterov=False):
    v, a = np.zeros(size), np.empty(size)
    b = np.empty(size) if nesterov else None
    lr, beta, c = _0d(lr), _0d(beta), _0d(1.0 - beta)

    def step(p, g, out):
        _mul(v, beta, v)                                   # v ← β·v + (1−β)·dW
        _mul(g, c, a)
        _add(v, a, v)
        if nesterov:                                       # look ahead: β·v + (1−β)·dW, new v
            _mul(v, beta, b)
            _add(b, a, b)
            _mul(b, lr, out)                               # W − η·(...)
        else:
            _mul(v, lr, out)                               # W − η·v
        _sub(p, out, out)
    return _expose(step, v=v)


def _rmsprop_inplace(size, *, lr, beta, eps):
    s, a = np.zeros(size), np.empty(size)
    lr, beta, c, eps = _0d(lr), _0d(beta), _0d(1.0 - beta), _0d(eps)

    def step(p, g, out):
        _mul(g, g, a)                                      # s ← β·s + (1−β)·dW²
        _mul(a, c, a)
        _mul(s, beta, s)
        _add(s, a, s)
        _sqrt(s, a)                                        # √s + ε
        _add(a, eps, a)
        _mul(g, lr, out)                                   # W − η·dW/(√s + ε)
        _div(out, a, out)
        _sub(p, out, out)
    return _expose(step, s=s)


def _nesterov_inplace(size, *, lr, beta):
    return _momentum_inplace(size, lr=lr, beta=beta, nesterov=True)


def _adagrad_inplace(size, *, lr, eps):
    s, a = np.zeros(size), np.empty(size)
    lr, eps = _0d(lr), _0d(eps)

    def step(p, g, out):
        _mul(g, g, a)                                      # s ← s + dW²
        _add(s, a, s)
        _sqrt(s, a)                                        # √s + ε
        _add(a, eps, a)
        _mul(g, lr, out)                                   # W − η·dW/(√s + ε)
        _div(out, a, out)
        _sub(p, out, out)
    return _expose(step, s=s)


def _adadelta_inplace(size, *, lr, rho, eps):
    s, u, a, b = np.zeros(size), np.zeros(size), np.empty(size), np.empty(size)
    lr, rho, c, eps = _0d(lr), _0d(rho), _0d(1.0 - rho), _0d(eps)

    def step(p, g, out):
        _mul(g, g, a)                                      # s ← ρ·s + (1−ρ)·dW²
        _mul(a, c, a)
        _mul(s, rho, s)
        _add(s, a, s)
        _add(u, eps, a)                                    # Δ = √(u+ε)/√(s+ε)·dW
        _sqrt(a, a)
        _add(s, eps, b)
        _sqrt(b, b)
        _div(a, b, a)
        _mul(a, g, a)
        _mul(a, a, b)                                      # u ← ρ·u + (1−ρ)·Δ²
        _mul(b, c, b)
        _mul(u, rho, u)
        _add(u, b, u)
        _mul(a, lr, out)                                   # W − η·Δ
        _sub(p, out, out)
    return _expose(step, s=s, u=u)


def _adam_family_inplace(size, *, lr, beta1, beta2, eps, weight_decay=None, ams=False,
                         nesterov=False):
    """Adam, and AMSGrad, AdamW and NAdam: Adam's moments, then each variant's own lines."""
    v, s, a, b = np.zeros(size), np.zeros(size), np.empty(size), np.empty(size)
    m = np.zeros(size) if ams else None
    b1, b2, c1, c2 = _0d(beta1), _0d(beta2), _0d(1.0 - beta1), _0d(1.0 - beta2)
    lr, eps, corr1, corr2, next1 = _0d(lr), _0d(eps), _0d(1.0), _0d(1.0), _0d(1.0)
    decay = None if weight_decay is None else _0d(1.0 - float(lr) * weight_decay)
    t = 0

    def step(p, g, out):
        nonlocal t
        t += 1
        corr1.fill(1.0 - beta1 ** t)                       # as bias_correct: Python floats
        corr2.fill(1.0 - beta2 ** t)
        if decay is not None:                              # AdamW: W·(1 − η·λ) first
            _mul(p, decay, out)
            p = out
        _mul(v, b1, v)                                     # v ← β1·v + (1−β1)·dW
        _mul(g, c1, a)
        _add(v, a, v)
        _mul(g, g, a)                                      # s ← β2·s + (1−β2)·dW²
        _mul(a, c2, a)
        _mul(s, b2, s)
        _add(s, a, s)
        if nesterov:                                       # β1·v/(1−β1^(t+1)) + (1−β1)·dW/(1−β1^t)
            next1.fill(1.0 - beta1 ** (t + 1))
            _div(v, next1, a)
            _mul(a, b1, a)
            _div(g, corr1, b)
            _mul(b, c1, b)
            _add(a, b, a)
        else:
            _div(v, corr1, a)                              # v̂
        if ams:
            np.maximum(m, s, out=m)                        # s_max ← max(s_max, s)
            _div(m, corr2, b)
        else:
            _div(s, corr2, b)                              # √ŝ + ε
        _sqrt(b, b)
        _add(b, eps, b)
        _mul(a, lr, a)                                     # W − η·(...)/(√ŝ + ε)
        _div(a, b, a)
        _sub(p, a, out)
    return _expose(step, v=v, s=s, **({"s_max": m} if ams else {}))


def _adam_inplace(size, *, lr, beta1, beta2, eps):
    return _adam_family_inplace(size, lr=lr, beta1=beta1, beta2=beta2, eps=eps)


def _amsgrad_inplace(size, *, lr, beta1, beta2, eps):
    return _adam_family_inplace(size, lr=lr, beta1=beta1, beta2=beta2, eps=eps, ams=True)


def _adamw_inplace(size, *, lr, beta1, beta2, eps, weight_decay):
    return _adam_family_inplace(size, lr=lr, beta1=beta1, beta2=beta2, eps=eps,
                                weight_decay=weight_decay)


def _nadam_inplace(size, *, lr, beta1, beta2, eps):
    return _adam_family_inplace(size, lr=lr, beta1=beta1, beta2=beta2, eps=eps, nesterov=True)


_INPLACE = {_gd_step: _gd_inplace, _momentum_step: _momentum_inplace,
            _nesterov_step: _nesterov_inplace, _adagrad_step: _adagrad_inplace,
            _rmsprop_step: _rmsprop_inplace, _adadelta_step: _adadelta_inplace,
            _adam_step: _adam_inplace, _amsgrad_step: _amsgrad_inplace,
            _adamw_step: _adamw_inplace, _nadam_step: _nadam_inplace}


def _flat_stepper(opt, hp, size):
    """``step(p, g, out)``: one update of the flat vector ``p`` (gradient ``g``) written to ``out``.

    The optimizer state lives inside the returned function, starting as ``opt.init`` would;
    ``step.fields`` maps each state field to its array (live: updated in place) and
    ``step.watch`` is the one a loop must check for finiteness (``s``; None without one, see
    ``_watched``).
    An element-wise rule gives the same numbers on ``W`` and ``b`` as one vector as on two keys;
    those without an in-place twin run ``opt.step`` on one-key dicts. The others (Adafactor,
    Muon: ``opt.elementwise`` False) run on the two keys split back out (``_split_stepper``).
    ``hp`` must be checked already (``opt.check_hparams``).
    """
    make = _INPLACE.get(opt.step)
    if make is not None:
        return make(size, **hp)
    if not opt.elementwise:
        return _split_stepper(opt, hp, size)
    state = opt.init({"W": np.zeros(size)})
    watched = _watched(opt)

    def step(p, g, out):
        nonlocal state
        new, state = opt.step({"W": p}, {"dW": g}, state, **hp)
        out[...] = new["W"]
        if watched:
            step.watch = getattr(state, watched[0])["dW"]
        step.fields = {f: getattr(state, f)["dW"] for f in opt.fields}
    step.watch = getattr(state, watched[0])["dW"] if watched else None
    step.fields = {f: getattr(state, f)["dW"] for f in opt.fields}
    return step


def _split_stepper(opt, hp, size):
    """``_flat_stepper`` for a rule that is not element-wise (Adafactor, Muon): the flat vector
    is the linear models' ``[W, b]`` (``training._LinearRun``; b is one number), so the rule
    runs on ``{"W": p[:-1], "b": p[-1:]}``, as on the two params, never on their concatenation
    (an RMS or a Newton-Schulz over W and b together would be another update).
    ``step.fields`` and ``step.watch`` are flat copies ``[W part, b part]`` of the state, with
    zeros where the rule keeps nothing for a param; they are made anew after every step."""
    d = size - 1
    state = opt.init({"W": np.zeros(d), "b": np.zeros(1)})
    watched = _watched(opt)

    def flat(field):
        stored = getattr(state, field)
        parts = []
        for g, n in (("dW", d), ("db", 1)):
            x = stored.get(g)
            parts.append(np.zeros(n) if x is None or np.shape(x) != (n,) else x)
        return np.concatenate(parts)

    def expose():
        step.fields = {f: flat(f) for f in opt.fields}
        step.watch = step.fields[watched[0]] if watched else None

    def step(p, g, out):
        nonlocal state
        new, state = opt.step({"W": p[:d], "b": p[d:]}, {"dW": g[:d], "db": g[d:]}, state, **hp)
        out[:d] = new["W"]
        out[d:] = new["b"]
        expose()
    expose()
    return step


# --------------------------------------------------------------------------------------------
# Scalar twins for a 2-D path (``course_lib.paths.run_path``): the update of W = (x, y) on two
# Python floats, with the state kept inside the returned function. On two numbers a NumPy call
# is pure overhead, so these run several times faster than ``step`` on dicts of arrays, and they
# give the same bits: the same IEEE-754 operations in the same order as the rules above
# (``g * g`` where those square, which NumPy does for ``** 2``; ``math.sqrt`` and ``np.sqrt``
# both round correctly; the bias corrections ``1 - beta**t`` are Python floats there too).
# Python raises where NumPy returns inf or NaN only for a division by zero or an overflowing
# ``**``; the denominators here are at least eps > 0 or 1 - beta**t > 0, and beta**t < 1 cannot
# overflow; ``run_path`` still falls back to ``step`` should one ever raise.
def _gd_scalar(*, lr):
    def step(x, y, gx, gy):
        return x - lr * gx, y - lr * gy
    return step


def _momentum_scalar(*, lr, beta, nesterov=False):
    c = 1.0 - beta
    vx = vy = 0.0

    def step(x, y, gx, gy):
        nonlocal vx, vy
        vx = beta * vx + c * gx                            # v ← β·v + (1−β)·dW
        vy = beta * vy + c * gy
        if nesterov:
            return (x - lr * (beta * vx + c * gx),         # W − η·(β·v + (1−β)·dW)
                    y - lr * (beta * vy + c * gy))
        return x - lr * vx, y - lr * vy                    # W − η·v
    return step


def _nesterov_scalar(*, lr, beta):
    return _momentum_scalar(lr=lr, beta=beta, nesterov=True)


def _adagrad_scalar(*, lr, eps):
    sx = sy = 0.0

    def step(x, y, gx, gy):
        nonlocal sx, sy
        sx = sx + gx * gx                                  # s ← s + dW²
        sy = sy + gy * gy
        if not sx + sy < _INF:                             # s stopped being finite?
            _check_finite_pair("s", sx, sy, gx, gy)
        return (x - lr * gx / (_msqrt(sx) + eps),          # W − η·dW/(√s + ε)
                y - lr * gy / (_msqrt(sy) + eps))
    return step


def _rmsprop_scalar(*, lr, beta, eps):
    c = 1.0 - beta
    sx = sy = 0.0

    def step(x, y, gx, gy):
        nonlocal sx, sy
        sx = beta * sx + c * (gx * gx)                     # s ← β·s + (1−β)·dW²
        sy = beta * sy + c * (gy * gy)
        if not sx + sy < _INF:                             # s stopped being finite?
            _check_finite_pair("s", sx, sy, gx, gy)
        return (x - lr * gx / (_msqrt(sx) + eps),          # W − η·dW/(√s + ε)
                y - lr * gy / (_msqrt(sy) + eps))
    return step


def _adadelta_scalar(*, lr, rho, eps):
    c = 1.0 - rho
    sx = sy = ux = uy = 0.0

    def step(x, y, gx, gy):
        nonlocal sx, sy, ux, uy
        sx = rho * sx + c * (gx * gx)                      # s ← ρ·s + (1−ρ)·dW²
        sy = rho * sy + c * (gy * gy)
        if not sx + sy < _INF:                             # s stopped being finite?
            _check_finite_pair("s", sx, sy, gx, gy)
        dx = _msqrt(ux + eps) / _msqrt(sx + eps) * gx      # Δ = √(u+ε)/√(s+ε)·dW
        dy = _msqrt(uy + eps) / _msqrt(sy + eps) * gy
        ux = rho * ux + c * (dx * dx)                      # u ← ρ·u + (1−ρ)·Δ²
        uy = rho * uy + c * (dy * dy)
        return x - lr * dx, y - lr * dy                    # W − η·Δ
    return step


def _adam_scalar(*, lr, beta1, beta2, eps, decay=None, ams=False, nesterov=False):
    c1, c2 = 1.0 - beta1, 1.0 - beta2
    t, vx, vy, sx, sy, mx, my = 0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0

    def step(x, y, gx, gy):
        nonlocal t, vx, vy, sx, sy, mx, my
        t += 1
        if decay is not None:                              # AdamW: W·(1 − η·λ) first
            x, y = x * decay, y * decay
        vx = beta1 * vx + c1 * gx                          # v ← β1·v + (1−β1)·dW
        vy = beta1 * vy + c1 * gy
        sx = beta2 * sx + c2 * (gx * gx)                   # s ← β2·s + (1−β2)·dW²
        sy = beta2 * sy + c2 * (gy * gy)
        if not sx + sy < _INF:                             # s stopped being finite?
            _check_finite_pair("s", sx, sy, gx, gy)
        if ams:                                  # s_max ← max(s_max, s); NaN wins as in NumPy
            if sx > mx or sx != sx:
                mx = sx
            if sy > my or sy != sy:
                my = sy
            ex, ey = mx, my
        else:
            ex, ey = sx, sy
        b1, b2 = 1.0 - beta1 ** t, 1.0 - beta2 ** t        # as bias_correct
        if nesterov:                             # β1·v/(1−β1^(t+1)) + (1−β1)·dW/(1−β1^t)
            n1 = 1.0 - beta1 ** (t + 1)
            lx = beta1 * (vx / n1) + c1 * (gx / b1)
            ly = beta1 * (vy / n1) + c1 * (gy / b1)
        else:
            lx, ly = vx / b1, vy / b1                      # v̂
        return (x - lr * lx / (_msqrt(ex / b2) + eps),     # W − η·v̂/(√ŝ + ε)
                y - lr * ly / (_msqrt(ey / b2) + eps))
    return step


def _amsgrad_scalar(*, lr, beta1, beta2, eps):
    return _adam_scalar(lr=lr, beta1=beta1, beta2=beta2, eps=eps, ams=True)


def _adamw_scalar(*, lr, beta1, beta2, eps, weight_decay):
    return _adam_scalar(lr=lr, beta1=beta1, beta2=beta2, eps=eps,
                        decay=1.0 - lr * weight_decay)


def _nadam_scalar(*, lr, beta1, beta2, eps):
    return _adam_scalar(lr=lr, beta1=beta1, beta2=beta2, eps=eps, nesterov=True)


_msqrt, _INF = math.sqrt, math.inf
_SCALAR = {_gd_step: _gd_scalar, _momentum_step: _momentum_scalar,
           _nesterov_step: _nesterov_scalar, _adagrad_step: _adagrad_scalar,
           _rmsprop_step: _rmsprop_scalar, _adadelta_step: _adadelta_scalar,
           _adam_step: _adam_scalar, _amsgrad_step: _amsgrad_scalar,
           _adamw_step: _adamw_scalar, _nadam_step: _nadam_scalar}


def _scalar_stepper(opt, hp):
    """``step(x, y, gx, gy) -> (x, y)``: one update of a 2-D point, or None without a twin.

    The state lives inside the returned function, starting as ``opt.init`` would. ``hp`` must be
    checked already (``opt.check_hparams``); they are used as Python floats. A twin with an ``s``
    raises ``_NonFiniteState`` the step it stops being finite (see ``_watched``).
    """
    make = _SCALAR.get(opt.step)
    return None if make is None else make(**{k: float(v) for k, v in hp.items()})


def get_optimizer(name: str) -> Optimizer:
    """``OPTIMIZERS[name]`` with a helpful error for an unknown name."""
    if isinstance(name, Optimizer):
        return name
    if not isinstance(name, str):
        raise TypeError(f"optimizer must be a name such as 'adam', got {_show(name)}")
    if name not in OPTIMIZERS:
        import difflib  # only on the error path: it is slow to import
        close = difflib.get_close_matches(name, list(OPTIMIZERS), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ValueError(f"optimizer must be one of {', '.join(OPTIMIZERS)}; got {name!r}{hint}")
    return OPTIMIZERS[name]


def effective_lr(name: str, state, **hparams) -> dict:
    """Shortcut for ``OPTIMIZERS[name].effective_lr(state, **hparams)``."""
    return get_optimizer(name).effective_lr(state, **hparams)


assert all(math.isfinite(h.default) for o in OPTIMIZERS.values() for h in o.hparams.values())
