"""Chapter 5's exercises: exponentially weighted averages.

>>> ewa_step(0.0, 10.0, 0.75)
2.5
>>> round(ewa_window(0.9))
10
"""
from __future__ import annotations

import math

import numpy as np

from ...moving_averages import ewa_series
from ...moving_averages import ewa_step as _lib_ewa_step
from ...moving_averages import ewa_window as _lib_ewa_window
from .base import Case, Exercise, _a, _add, _int_case, _m

__all__ = ["ewa_step", "ewa_bias_corrected", "ewa_window"]


def ewa_step(v, a, beta):
    """One step of the exponentially weighted average: v ← β·v + (1 − β)·a."""
    return beta * v + (1 - beta) * a


def _ewa_step_bug(v, a, beta, *, bug):
    if bug == "one":
        return beta * v + a
    if bug == "swap":
        return (1 - beta) * v + beta * a
    return (1 - beta) * a


_add(Exercise(
    name="ewa_step", chapter=5, title="One step of an exponentially weighted average",
    description="Write ewa_step(v, a, beta) -> beta * v + (1 - beta) * a. It must work for "
                "numbers and for NumPy arrays alike, and must not change v.",
    signature="ewa_step(v, a, beta) -> new v",
    arg_names=("v", "a", "beta"), output_names=("v",),
    cases=(Case("v = 3, a = 10, beta = 0.7", _int_case(3.0, 10.0, 0.7)),
           Case("arrays v = [0.5, -2, 4], a = [1, 1, -3], beta = 0.35",
                lambda: ((_a([0.5, -2.0, 4.0]), _a([1.0, 1.0, -3.0]), 0.35), {}))),
    reference=_lib_ewa_step, solution=ewa_step,
    mistakes=(
        _m("missing_one_minus_beta", "the (1 − β) factor on the new value is missing",
           "v ← β·v + (1 − β)·a: the two weights must add up to 1.", _ewa_step_bug, bug="one"),
        _m("beta_swapped", "β and (1 − β) are swapped",
           "β multiplies the OLD average (the past), (1 − β) the new value.", _ewa_step_bug,
           bug="swap"),
        _m("ignores_past", "the old average v is ignored",
           "the point of the average is to keep β·v of the past.", _ewa_step_bug, bug="past"),
    ),
    hints=(
        "Keep a share β of the old average and add a share (1 − β) of the new value.",
        "v_t = β·v_{t−1} + (1 − β)·a_t",
        "```python\nreturn beta * v + (1 - beta) * a   # v += ... would change the caller's "
        "array\n```",
    ),
))


def ewa_bias_corrected(a, beta):
    """The bias-corrected EWA v̂_1..v̂_T of a series a_1..a_T (v_0 = 0)."""
    v, out = 0.0, []
    for t, a_t in enumerate(a, start=1):           # t counts from 1
        v = beta * v + (1 - beta) * a_t            # the state keeps the RAW average
        out.append(v / (1 - beta ** t))            # only the output is corrected
    return np.array(out)


def _ewa_bc_bug(a, beta, *, bug):
    v, out = (a[0] if bug == "start" else 0.0), []
    for i, a_t in enumerate(a):
        t = {"t0": i, "t2": i + 2}.get(bug, i + 1)
        v = beta * v + (1.0 if bug == "one" else 1 - beta) * a_t
        v_hat = v if bug == "none" else v / (1 - beta ** t)
        if bug == "back":
            v = v_hat
        out.append(v_hat)
    return np.array(out)


_add(Exercise(
    name="ewa_bias_corrected", chapter=5, title="EWA with bias correction",
    description="Write ewa_bias_corrected(a, beta): for a 1-D series a_1..a_T return the array "
                "of the bias-corrected averages v̂_t = v_t / (1 − β^t), t = 1..T, where "
                "v_t = β·v_{t−1} + (1 − β)·a_t and v_0 = 0.",
    signature="ewa_bias_corrected(a, beta) -> array of shape (T,)",
    arg_names=("a", "beta"), output_names=("v_hat",),
    cases=(Case("a = [4, 6, 5, -1, 3], beta = 0.6",
                lambda: ((_a([4.0, 6.0, 5.0, -1.0, 3.0]), 0.6), {})),
           Case("a constant series [2, 2, 2, 2], beta = 0.9 (corrected, it stays 2)",
                lambda: ((_a([2.0, 2.0, 2.0, 2.0]), 0.9), {}))),
    reference=lambda a, beta: ewa_series(a, beta, bias_correction=True),
    solution=ewa_bias_corrected,
    mistakes=(
        _m("no_bias_correction", "no bias correction: the raw v_t came back",
           "divide each v_t by (1 − β^t) on the way out.", _ewa_bc_bug, bug="none"),
        _m("bias_correction_in_state", "the corrected v̂ was written back into the running v",
           "keep v raw: v = β·v + (1 − β)·a_t; compute v_hat = v / (1 − β^t) separately and "
           "only store v_hat in the output.", _ewa_bc_bug, bug="back"),
        _m("t_off_by_one", "t starts at 0 (1 − β^0 = 0 divides by zero)",
           "t counts from 1: enumerate(a, start=1).", _ewa_bc_bug, bug="t0"),
        _m("t_off_by_one", "t is one too large (1 − β^(t+1))",
           "after the first value t = 1: enumerate(a, start=1).", _ewa_bc_bug, bug="t2"),
        _m("missing_one_minus_beta", "the (1 − β) factor on the new value is missing",
           "v ← β·v + (1 − β)·a_t.", _ewa_bc_bug, bug="one"),
        _m("wrong_start", "the average starts at a_1 instead of 0",
           "v_0 = 0; the bias correction exists because of that zero start.", _ewa_bc_bug,
           bug="start"),
    ),
    hints=(
        "Run the plain EWA from v = 0; the first values are too small because of that zero "
        "start. Correct each OUTPUT value, never the running v.",
        "v_t = β·v_{t−1} + (1 − β)·a_t,  v_0 = 0;   v̂_t = v_t / (1 − β^t),  t = 1, 2, ...",
        "```python\nv, out = 0.0, []\nfor t, a_t in enumerate(a, start=1):\n"
        "    v = beta * v + (1 - beta) * a_t\n    out.append(v / (1 - beta ** t))\n"
        "return np.array(out)\n```",
    ),
))


def ewa_window(beta):
    """How many recent values an EWA roughly averages over: 1 / (1 − β)."""
    return 1 / (1 - beta)


_add(Exercise(
    name="ewa_window", chapter=5, title="How many values does an EWA average?",
    description="Write ewa_window(beta) -> the rough number of recent values an EWA with decay "
                "beta averages over (an interview classic: beta = 0.9 means about 10). The "
                "checker expects the usual rule of thumb, the window whose plain average gives "
                "the newest value the same weight 1 − β as the EWA does; a rounded value is "
                "fine, a value rounded DOWN by int() is not (1/(1 − 0.98) is 49.99999999999996 "
                "in floating point).",
    signature="ewa_window(beta) -> float",
    arg_names=("beta",), output_names=("the window",),
    cases=tuple(Case(f"beta = {b}", _int_case(b)) for b in (0.9, 0.98, 0.5, 0.75)),
    reference=_lib_ewa_window, solution=ewa_window,
    mistakes=(
        _m("one_over_beta", "1/β instead of 1/(1 − β)",
           "the weight of the new value is (1 − β); the window is its inverse.",
           lambda beta: 1 / beta),
        _m("off_by_one", "β/(1 − β), the mean age of the averaged values (Σ k·(1 − β)·β^k)",
           "another reading of the EWA, one short of the window: 1/(1 − β) = 1 + β/(1 − β). "
           "The exercise asks for the window whose plain average gives the newest value the "
           "same weight 1 − β.", lambda beta: beta / (1 - beta), variant=True),
        _m("rounded_down", "int(...) rounded the window down (49 instead of 50 for β = 0.98)",
           "in floating point 1 − 0.98 is slightly more than 0.02, so 1/(1 − 0.98) is "
           "49.99999999999996 and int() cuts it to 49. Return the float 1 / (1 - beta), or "
           "round(...) it.", lambda beta: int(1 / (1 - beta))),
        _m("time_constant", "−1/ln β, the EWA's time constant (the number of steps after which "
           "a value's weight has fallen by a factor e)",
           "close to the rule of thumb for β near 1 (β = 0.9: 9.49 against 10), further off "
           "for small β (β = 0.5: 1.44 against 2). The exercise asks for the course's window "
           "1/(1 − β): a plain average over N values gives each one the weight 1/N, and the "
           "EWA gives the newest value the weight 1 − β, so N = 1/(1 − β).",
           lambda beta: -1 / math.log(beta), variant=True),
    ),
    hints=(
        "The weights β^k·(1 − β) of the past values fall off geometrically; the newest value "
        "gets 1 − β. A plain average of N values gives each of them 1/N: which N gives the "
        "newest value the same weight?",
        "window ≈ 1 / (1 − β)   (β = 0.9 → 10 values, β = 0.98 → 50)",
        "```python\nreturn 1 / (1 - beta)\n```",
    ),
))
