"""The 2-D runner: let an optimizer walk on a test function and record where it went.

>>> res = run_path("bowl", "gd", steps=50, lr=0.1)
>>> res.path.shape, res.diverged, bool(res.losses[-1] < 1e-2 * res.losses[0])
((51, 2), False, True)
>>> bad = run_path("bowl", "gd", steps=50, lr=0.25)
>>> bad.diverged, "smaller learning rate" in bad.message
(True, True)

Racing your own update rule against the library's: give the library name (its ``init`` makes the
state and its hyperparameter checks run once) and your function, with the library's signature
``update(params, grads, state, **hparams) -> (new_params, new_state)``::

    mine = run_path("rosenbrock", "adam", update=my_adam_update, lr=0.05)
    ref = run_path("rosenbrock", "adam", lr=0.05)
    np.abs(mine.path - ref.path).max()           # 0.0 when your rule is right

A rule with its own state works too: ``optimizer=(my_init, my_update)``, or any object with
``init`` and ``update`` attributes.
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from ._validate import _show, check_array, check_number
from .core.clipping import _check_max, _clip_norm, _clip_value, _global_norm
from .core.schedules import _as_schedule
from .optimizers import (OPTIMIZERS, Optimizer, _field_what, _NonFiniteState,
                         _scalar_stepper, _state_advice, _state_text, _watched, get_optimizer)
from .problems import Problem, _as_problem

__all__ = ["LOSS_LIMIT", "W_LIMIT", "PathResult", "run_path"]

#: The run stops when a coordinate exceeds W_LIMIT times the plot extent of the problem ...
W_LIMIT = 1e6
#: ... or when |loss| exceeds LOSS_LIMIT times max(|starting loss|, 1).
LOSS_LIMIT = 1e12


class PathResult(NamedTuple):
    """What :func:`run_path` recorded.

    Attributes
    ----------
    path : ndarray, shape (k + 1, 2)
        Every iterate, the start first; only finite points (a diverging run ends at the last
        good one).
    losses : ndarray, shape (k + 1,)
        f at each point of ``path``.
    diverged : bool
        True when the run stopped early (see ``message``).
    message : str
        '' for a normal run, else why it stopped, at which step, and what to try.
    optimizer : str
        The optimizer's name (or the name of your update function).
    hparams : dict
        The hyperparameters used, defaults filled in.
    steps_taken : int
        k, the number of updates in ``path``.
    lr_eff : ndarray, shape (k, 2), or None
        With ``record_lr=True``: the effective learning rate of each coordinate after each step,
        ``OPTIMIZERS[name].effective_lr(state)["dW"]`` (η for GD and momentum, η/(√ŝ + ε) for
        Adam, ...); otherwise None. With a schedule, the scheduled lr of each step is used.
    grad_norms : ndarray, shape (k,), or None
        With ``clip_norm`` or ``clip_value``: the norm of each step's gradient before clipping.
    lr_per_step : ndarray, shape (k,), or None
        With ``schedule``: the learning rate of each step, ``lr * schedule(t)``.
    """

    path: np.ndarray
    losses: np.ndarray
    diverged: bool
    message: str
    optimizer: str
    hparams: dict
    steps_taken: int
    lr_eff: np.ndarray | None
    grad_norms: np.ndarray | None = None
    lr_per_step: np.ndarray | None = None


def run_path(problem, optimizer, *, steps=100, start=None, record_lr=False, update=None,
             clip_norm=None, clip_value=None, schedule=None, **hparams) -> PathResult:
    """Run ``steps`` updates of ``optimizer`` on a 2-D ``problem`` from ``start``.

    Parameters
    ----------
    problem : Problem or str
        A :class:`~course_lib.problems.Problem` or a name in ``PROBLEMS`` ("bowl", ...).
    optimizer : str, Optimizer, (init, update) pair, or object with ``init`` and ``update``
        A name in ``OPTIMIZERS`` runs the library rule: the hyperparameters are checked once,
        then the unchecked ``OPTIMIZERS[name].step`` runs in the loop. A pair or an object runs
        your own rule: ``init(params) -> state`` and
        ``update(params, grads, state, **hparams) -> (new_params, new_state)``.
    steps : int, >= 1
        Number of updates.
    start : array of shape (2,), optional
        Start point; ``problem.start`` by default.
    record_lr : bool
        Record the effective learning rate after each step in ``lr_eff`` (library state only).
    update : callable, optional
        Only with a library name: your update function, called instead of the library's on the
        library's state and checked hyperparameters. Use it to race your rule against the library.
    clip_norm : float > 0, inf, or None
        Clip each gradient by its norm before the update (``core.clipping.clip_by_global_norm``,
        torch's ``clip_grad_norm_``); ``inf`` only records the norms (``grad_norms``).
    clip_value : float > 0 or None
        Clamp each gradient coordinate to ``[-clip_value, clip_value]`` instead.
    schedule : Schedule, str or None
        A learning-rate schedule (``core.schedules``): step ``t`` runs with ``lr * schedule(t)``
        (a cosine without ``total`` gets ``total = steps``). Needs an ``lr`` hyperparameter.
    **hparams
        Hyperparameters, e.g. ``lr=0.1, beta=0.9``; library defaults fill the rest.

    Returns
    -------
    PathResult

    Notes
    -----
    A run stops (``diverged=True``) when the loss or the iterate is not finite, a coordinate
    exceeds ``W_LIMIT`` times the plot extent, or |loss| exceeds ``LOSS_LIMIT`` times
    max(|starting loss|, 1). The path then ends at the last point that passed, so it never holds
    NaN. On a function without minimum (the saddle) falling without bound stops the run too, with
    a message that says it is an escape, not a learning-rate problem.
    """
    problem = _as_problem(problem)
    steps = check_number("steps", steps, low=1, high=1_000_000, integer=True)
    w0 = problem.start if start is None else check_array("start", start, shape=(2,))
    if not isinstance(record_lr, bool):
        raise TypeError(f"record_lr must be True or False, got {_show(record_lr)}")
    label, init, step, hp, lib, custom = _resolve(optimizer, update, hparams)
    if record_lr and lib is None:
        raise ValueError("record_lr=True needs a library optimizer (a name in OPTIMIZERS) to "
                         "compute the effective learning rate; your own (init, update) pair "
                         "has no effective_lr")
    rate = _rate_fn(lib, hp) if record_lr else None
    clip, factors = _check_path_options(clip_norm, clip_value, schedule, steps, hp)
    extra = {"norms": [] if clip else None, "lrs": [] if factors is not None else None}
    out = None
    if lib is not None and not custom and not record_lr and clip is None and factors is None:
        scalar = _scalar_stepper(lib, hp)
        if scalar is not None:
            out = _fast_loop(problem, scalar, w0, steps)
    if out is None:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            out = _loop(problem, init, step, hp, w0, steps, rate, lib, custom, clip, factors,
                        extra)
    xs, ys, losses, rates, k, stop = out
    message = _message(stop[0], stop[1], k + 1, problem, label, hp, custom, lib,
                       stop[2] if len(stop) > 2 else None) if stop else ""
    return PathResult(path=np.column_stack((xs, ys)), losses=np.array(losses),
                      diverged=stop is not None, message=message, optimizer=label, hparams=dict(hp),
                      steps_taken=k, lr_eff=np.array(rates).reshape(-1, 2) if record_lr else None,
                      grad_norms=None if clip is None else np.array(extra["norms"], dtype=float),
                      lr_per_step=None if factors is None else np.array(extra["lrs"], dtype=float))


def _check_path_options(clip_norm, clip_value, schedule, steps, hp):
    """(clip, factors): clip is None or ("norm" | "value", limit); factors None or (steps,)."""
    clip = None
    if clip_norm is not None:
        clip = ("norm", _check_max("clip_norm", clip_norm))
    if clip_value is not None:
        value = check_number("clip_value", clip_value, low=0.0, low_open=True)
        if clip is not None:
            raise ValueError(f"give clip_norm or clip_value, not both (got clip_norm="
                             f"{clip[1]:g}, clip_value={value:g})")
        clip = ("value", value)
    factors = None
    if schedule is not None:
        schedule = _as_schedule(schedule, steps)
        if "lr" not in hp:
            raise ValueError(f"schedule={schedule!r} scales the learning rate, but no lr was "
                             f"given: pass lr=... (your update's hyperparameters: "
                             f"{', '.join(hp) or 'none'})")
        factors = schedule.factors(steps)
    return clip, factors


def _loop(problem: Problem, init, step, hp, w0, steps, rate, lib=None, custom=False, clip=None,
          factors=None, extra=None):
    """The hot loop: no checks inside, Python floats for the function, one array per gradient.

    After each step the optimizer state is checked too: a library rule's ``s`` (see
    ``optimizers._watched``), every field of the state a learner's ``update`` returned.
    ``clip`` (("norm" | "value", limit)) clips each gradient first, ``factors[k]`` scales lr at
    step k + 1; ``extra["norms"]`` / ``extra["lrs"]`` record them.
    """
    fn, grad_fn = problem.fn, problem.grad_fn
    params = {"W": np.array(w0, dtype=np.float64)}
    state = init(params)
    x, y = float(w0[0]), float(w0[1])
    loss = float(fn(x, y))
    w_lim = W_LIMIT * problem.extent
    loss_lim = LOSS_LIMIT * max(abs(loss), 1.0)
    xs, ys, losses, rates = [x], [y], [loss], []
    fields = () if lib is None else (lib.fields if custom else _watched(lib))
    k = 0
    while k < steps:
        grad = np.array(grad_fn(x, y), dtype=np.float64)
        used, hp_k = grad, hp
        if clip is not None:
            norm = _global_norm({"dW": grad})
            used = (_clip_norm({"dW": grad}, clip[1], norm)[0] if clip[0] == "norm"
                    else _clip_value({"dW": grad}, clip[1]))["dW"]
        if factors is not None:
            hp_k = {**hp, "lr": hp["lr"] * float(factors[k])}
        try:
            params, state = step(params, {"dW": used}, state, **hp_k)
        except _UpdateNotFinite as bad:
            return xs, ys, losses, rates, k, ("update", bad.what, bad.value)
        for f in fields if np.isfinite(grad).all() else ():  # else W is NaN: caught below
            arr = _field(state, f)
            if arr is not None and not np.isfinite(arr).all():
                why = "update_state" if custom else "state"
                return xs, ys, losses, rates, k, (why, (f, arr), _gmax(*grad.tolist()))
        x, y = params["W"].tolist()
        loss = float(fn(x, y))
        if not (abs(loss) <= loss_lim and abs(x) <= w_lim and abs(y) <= w_lim):
            return xs, ys, losses, rates, k, (_why(x, y, loss, w_lim), loss)
        k += 1
        xs.append(x)
        ys.append(y)
        losses.append(loss)
        if rate is not None:
            rates.append(rate(state) if hp_k is hp else rate(state, hp_k))
        if clip is not None:
            extra["norms"].append(norm)
        if factors is not None:
            extra["lrs"].append(hp_k["lr"])
    return xs, ys, losses, rates, k, None


def _fast_loop(problem: Problem, step, w0, steps):
    """:func:`_loop` for a library rule with a scalar twin: the same numbers, bit for bit.

    The point, the gradient and the optimizer state are Python floats, no array per step (see
    ``optimizers._scalar_stepper``). Returns None (and :func:`_loop` runs instead, from the
    start) if anything raises: Python raises on a division by zero where NumPy returns inf, and
    a problem's ``grad_fn`` may return something other than two numbers. Neither happens with
    the library's rules and problems.
    """
    fn, grad_fn = problem.fn, problem.grad_fn
    x, y = float(w0[0]), float(w0[1])
    try:
        loss = float(fn(x, y))
        w_lim = W_LIMIT * problem.extent
        loss_lim = LOSS_LIMIT * max(abs(loss), 1.0)
        xs, ys, losses = [x], [y], [loss]
        k = 0
        while k < steps:
            gx, gy = grad_fn(x, y)
            gx, gy = float(gx), float(gy)
            try:
                x, y = step(x, y, gx, gy)
            except _NonFiniteState as bad:
                if not (math.isfinite(gx) and math.isfinite(gy)):
                    return None  # a non-finite gradient: _loop reports it as before
                return (xs, ys, losses, [], k,
                        ("state", (bad.field, np.array([bad.value])), _gmax(gx, gy)))
            loss = float(fn(x, y))
            if not (abs(loss) <= loss_lim and abs(x) <= w_lim and abs(y) <= w_lim):
                return xs, ys, losses, [], k, (_why(x, y, loss, w_lim), loss)
            k += 1
            xs.append(x)
            ys.append(y)
            losses.append(loss)
    except (ArithmeticError, TypeError, ValueError):
        return None
    return xs, ys, losses, [], k, None


class _UpdateNotFinite(Exception):
    """A learner's update returned NaN or inf from finite inputs."""

    def __init__(self, what, value):
        super().__init__(what)
        self.what, self.value = what, value


def _field(state, name):
    """``state.<name>["dW"]`` as an array, or None when the state has no such entry."""
    stored = getattr(state, name, None)
    if not isinstance(stored, dict) or "dW" not in stored:
        return None
    try:
        return np.asarray(stored["dW"], dtype=np.float64)
    except (TypeError, ValueError):
        return None


def _gmax(gx, gy) -> float:
    return max(abs(gx), abs(gy))


def _why(x, y, loss, w_lim) -> str:
    if not math.isfinite(loss) or not (math.isfinite(x) and math.isfinite(y)):
        return "nonfinite"
    if abs(x) > w_lim or abs(y) > w_lim:
        return "far"
    return "fell" if loss < 0 else "loss"


# --------------------------------------------------------------------------------------------
def _resolve(optimizer, update, hparams):
    """(label, init, step, checked hparams, library Optimizer or None, custom update?)."""
    if update is not None and not isinstance(optimizer, (str, Optimizer)):
        raise TypeError("update= combines with a library optimizer name such as 'adam' "
                        f"(its state and checks); got optimizer={_show(optimizer)}")
    if isinstance(optimizer, (str, Optimizer)):
        lib = get_optimizer(optimizer)
        hp = lib.check_hparams(**hparams)
        if update is None:
            return lib.name, lib.init, lib.step, hp, lib, False
        if not callable(update):
            raise TypeError(f"update must be a function update(params, grads, state, "
                            f"**hparams), got {_show(update)}")
        name = getattr(update, "__name__", "custom update")
        return name, lib.init, _checked_user_step(update, name), hp, lib, True
    if isinstance(optimizer, tuple) and len(optimizer) == 2:
        init, upd = optimizer
        name = getattr(upd, "__name__", "custom update")
    elif hasattr(optimizer, "init") and hasattr(optimizer, "update"):
        init, upd = optimizer.init, optimizer.update
        name = getattr(optimizer, "name", type(optimizer).__name__)
    else:
        raise TypeError(f"optimizer must be a name in OPTIMIZERS ({', '.join(OPTIMIZERS)}), an "
                        f"(init, update) pair or an object with init and update; got "
                        f"{_show(optimizer)}")
    if not (callable(init) and callable(upd)):
        raise TypeError(f"optimizer init and update must be callable, got init={_show(init)}, "
                        f"update={_show(upd)}")
    hp = {k: check_number(k, v) for k, v in hparams.items()}
    return str(name), init, _checked_user_step(upd, str(name)), hp, None, True


def _checked_user_step(update, name):
    """Wrap a learner's update so a wrong return value fails with a readable message."""
    def step(params, grads, state, **hp):
        try:
            out = update(params, grads, state, **hp)
        except TypeError as err:  # most often a signature that does not fit the call
            raise TypeError(f"update {name} failed when called as update(params, grads, state, "
                            f"{', '.join(f'{k}=...' for k in hp)}): {err}; it must accept "
                            f"exactly these arguments") from err
        if not (isinstance(out, tuple) and len(out) == 2 and isinstance(out[0], dict)
                and "W" in out[0] and np.shape(out[0]["W"]) == (2,)):
            raise TypeError(f"{name} must return (new_params, new_state) with new_params = "
                            f"{{'W': array of shape (2,)}}, got {_show(out)}")
        try:
            W = np.asarray(out[0]["W"], dtype=np.float64)
        except (TypeError, ValueError):
            raise TypeError(f"{name} must return new_params['W'] as an array of 2 real numbers, "
                            f"got {_show(out[0]['W'])}") from None
        if not np.isfinite(W).all():
            raise _UpdateNotFinite("W", W)
        return {**out[0], "W": W}, out[1]
    return step


def _rate_fn(lib: Optimizer, hp: dict):
    """``rate(state)``, or ``rate(state, hp_now)`` under a schedule (hp_now: this step's lr)."""
    if not lib.fields:  # plain GD: the rate is lr itself, there is no state to read it from
        const = np.full(2, hp["lr"])
        return lambda state, hp_now=None: const if hp_now is None else np.full(2, hp_now["lr"])

    def rate(state, hp_now=hp):
        try:
            return np.asarray(lib.effective_lr(state, **hp_now)["dW"], dtype=np.float64)
        except (AttributeError, KeyError, TypeError) as err:
            raise TypeError(f"record_lr=True: could not read the effective learning rate of "
                            f"{lib.name} from the state {_show(state)} ({err}); return a "
                            f"{lib.state_type.__name__} from your update") from None
    return rate


def _message(why, loss, step, problem, label, hp, custom, lib=None, extra=None) -> str:
    if why == "update":  # loss is the parameter name here, extra the bad value
        bad = "NaN" if np.isnan(extra).any() else "inf"
        big = (f", or too large a step: try a smaller learning rate than lr={hp['lr']:g}"
               if bad == "inf" and "lr" in hp else "")
        return (f"your update function {label} returned {bad} at step {step} (for parameter "
                f"{loss}: {_show(extra.tolist())}), from finite parameters, gradients and "
                f"state: check its formula (a 0/0, the square root of a negative number, "
                f"inf - inf{big})")
    if why in ("state", "update_state"):  # loss is (field, array), extra the largest |gradient|
        field, arr = loss
        text = _state_text(lib, field, "dW", arr) if lib is not None else \
            f"the state's {field}_dW went non-finite"
        if why == "update_state":
            return (f"your update function {label} returned a state that is not finite at step "
                    f"{step}: {text}. Check how it computes {field} "
                    f"({_field_what(lib, field)})")
        return f"diverged at step {step}: {text}; {_state_advice(extra, hp['lr'])}"
    if why == "fell" and problem.f_min is None:
        return (f"stopped at step {step}: loss {loss:.2g} keeps falling; {problem.title} has no "
                f"minimum, so the path escapes off the plot (an escape, not a learning-rate "
                f"problem)")
    if why == "far":
        what = f"the iterate ran away (|w| > {W_LIMIT:.0e} x the plot extent), loss {loss:.2g}"
    else:
        what = f"loss {loss:.2g}"
    lr = hp.get("lr")
    hint = "try a smaller learning rate"
    if lr is not None:
        hint += f" than lr={lr:g}"
        limit = None if custom else _stable_lr(label, problem, hp)
        if limit is not None:
            hint += f"; {limit}"
    return f"diverged at step {step}: {what} ({hint})"


def _stable_lr(name, problem, hp):
    """The exact stability limit on a quadratic, for the rules where it has a closed form."""
    lam = problem.lambda_max
    if lam is None or problem.noise_sigma:
        return None
    if name == "gd":
        return f"GD on this bowl needs lr < 2/lambda_max = {2.0 / lam:.3g}"
    if name == "momentum":
        beta = hp["beta"]
        return (f"momentum with beta={beta:g} on this bowl needs lr < 2(1+beta)/((1-beta)"
                f"·lambda_max) = {2.0 * (1.0 + beta) / ((1.0 - beta) * lam):.3g}")
    if name == "nesterov":
        beta = hp["beta"]
        return (f"Nesterov with beta={beta:g} on this bowl needs lr < 2(1+beta)/((1+2beta)"
                f"(1-beta)·lambda_max) = "
                f"{2.0 * (1.0 + beta) / ((1.0 + 2.0 * beta) * (1.0 - beta) * lam):.3g}")
    return None
