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
    "AMSGradState",
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


# --------------------------------------------------------------------------------------------
class Optimizer:
    """A registry entry: name, formulas, hyperparameter specs, ``init``, ``update`` and ``step``."""

    def __init__(self, name: str, title: str, state_type: type, fields: tuple,
                 hparams: tuple, step: Callable, rate: Callable, formula: str, torch: str):
        self.name, self.title, self.state_type = name, title, state_type
        self.fields = fields  # the dict-valued state fields besides t
        self.hparams = {h.name: h for h in hparams}
        self.step, self._rate = step, rate
        self.formula, self.torch = formula, torch

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
        _check_params(params, "params")
        if not self.fields:
            return self.state_type(0)
        return self.state_type(0, *(_zeros(params) for _ in self.fields))

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
    for field in opt.fields:
        stored = getattr(state, field)
        for k, p in params.items():
            g = grad_key(k)
            if not isinstance(stored, dict) or g not in stored:
                raise ValueError(f"state.{field} has no entry {g!r}: was the state made by "
                                 f"init() for these params?")
            if np.shape(stored[g]) != p.shape:
                raise ValueError(f"state.{field}[{g!r}] has shape {np.shape(stored[g])} but "
                                 f"params[{k!r}] has shape {p.shape}")
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
_SQUARES = ("s", "u", "s_max")
_FIELD_WHAT = {"v": "the moving average of the gradients",
               "s": "the moving average of the squared gradients",
               "u": "the moving average of the squared updates",
               "s_max": "the running maximum of s"}


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
    return ("s",) if "s" in opt.fields else ()


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
    Every rule in the registry is element-wise, so updating ``W`` and ``b`` as one vector gives
    the same numbers as two keys. Rules without an in-place twin run ``opt.step`` on one-key
    dicts. ``hp`` must be checked already (``opt.check_hparams``).
    """
    make = _INPLACE.get(opt.step)
    if make is not None:
        return make(size, **hp)
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
