r"""Exponentially weighted averages (EWA): the building block of momentum, RMSprop and Adam.

Math
----
.. math::

    v_t = \beta\, v_{t-1} + (1 - \beta)\, a_t, \qquad v_0 = 0, \qquad
    \hat v_t = \frac{v_t}{1 - \beta^t}

``ewa_step`` is the first formula, ``bias_correct`` the second; the optimizers call them, so the
code reads like the lecture: Adam = momentum line + RMSprop line + bias correction.
"""
from __future__ import annotations

import numpy as np

from ._validate import check_array, check_number

__all__ = ["ewa_step", "bias_correct", "ewa_series", "ewa_window"]


def _ewa_step(v, a, beta):
    """``ewa_step`` without its checks: the hot path of the optimizers, which check their own
    inputs once per update."""
    return beta * v + (1.0 - beta) * a


def _bias_correct(v, beta, t):
    """``bias_correct`` without its checks (``t`` may be an array of steps): for the
    optimizers and :func:`ewa_series`, which check their own inputs."""
    return v / (1.0 - beta ** t)


def _real(name, value):
    """A real number as float, an array of them as a float64 array (finite, checked)."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return check_array(name, value)
    return check_number(name, value)


def _finite_result(out, what):
    if not np.all(np.isfinite(out)):
        raise ValueError(f"{what} overflowed to inf: the numbers are too large for float64 "
                         f"(about 1.8e308); use smaller values")
    return out


def ewa_step(v, a, beta):
    r"""One EWA step, ``beta * v + (1 - beta) * a`` (works on floats and arrays alike).

    Math: :math:`v_t = \beta v_{t-1} + (1-\beta) a_t`. ``v`` and ``a`` are finite real numbers
    or arrays of them (of one shape, or one of them a number), ``beta`` is in [0, 1). The
    optimizers call an unchecked twin of this function on every step.

    >>> ewa_step(0.0, 10.0, 0.5)
    5.0
    >>> ewa_step(5.0, 10.0, 0.5)
    7.5
    """
    v, a = _real("v", v), _real("a", a)
    beta = check_number("beta", beta, low=0.0, high=1.0, high_open=True)
    _same_shape("v", v, "a", a)
    with np.errstate(over="ignore", invalid="ignore"):
        out = _ewa_step(v, a, beta)
    return _finite_result(out, f"beta * v + (1 - beta) * a (beta={beta!r})")


def _same_shape(name1, x1, name2, x2):
    s1, s2 = np.shape(x1), np.shape(x2)
    if s1 and s2 and s1 != s2:
        raise ValueError(f"{name1} and {name2} must have the same shape (or one be a number), "
                         f"got {name1} of shape {s1} and {name2} of shape {s2}")


def bias_correct(v, beta, t):
    r"""Undo the start-up bias of an EWA begun at zero: ``v / (1 - beta**t)``.

    Math: :math:`\hat v_t = v_t / (1 - \beta^t)`. ``v`` is a finite real number or array,
    ``beta`` in [0, 1), ``t`` the step count: an integer >= 1, or an array of them (one per
    entry of ``v``, e.g. ``np.arange(1, T + 1)`` for a whole series).

    >>> bias_correct(7.5, 0.5, 2)
    10.0
    >>> bias_correct(np.array([5.0, 7.5]), 0.5, np.array([1, 2])).tolist()
    [10.0, 10.0]
    """
    v = _real("v", v)
    beta = check_number("beta", beta, low=0.0, high=1.0, high_open=True)
    if isinstance(t, (np.ndarray, list, tuple)):
        t = check_array("t", t)
        if t.size and (np.any(t < 1) or np.any(t != np.floor(t))):
            bad = t[(t < 1) | (t != np.floor(t))].ravel()[0]
            raise ValueError(f"t must hold integers >= 1 (step counts), found {bad:g}")
        _same_shape("v", v, "t", t)
        power = t
    else:
        t = check_number("t", t, low=1, integer=True)
        power = float(min(t, 2**1000))  # beyond 2**1000, beta**t is 0 anyway
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        corr = 1.0 - beta ** power
        if np.any(corr == 0.0):  # beta so close to 1 that beta**t rounds to 1
            raise ValueError(f"1 - beta**t is 0 in float64 for beta={beta!r}: bias correction "
                             f"would divide by zero; use a smaller beta or a larger t")
        out = v / corr
    return _finite_result(out, f"v / (1 - beta**t) (beta={beta!r})")


def ewa_series(a, beta, *, bias_correction=False):
    r"""The EWA of a whole series ``a_1, ..., a_T`` (with ``v_0 = 0``), as an array of ``v_1..v_T``.

    Parameters
    ----------
    a : array_like, shape (T,)
        The series, finite real numbers.
    beta : float in [0, 1)
        How much weight the past keeps; the average spans roughly ``1 / (1 - beta)`` values.
    bias_correction : bool
        Return :math:`\hat v_t = v_t / (1 - \beta^t)` instead of :math:`v_t`.

    >>> ewa_series([10.0, 10.0], 0.5).tolist()
    [5.0, 7.5]
    >>> ewa_series([10.0, 10.0], 0.5, bias_correction=True).tolist()
    [10.0, 10.0]
    """
    a = check_array("a", a, ndim=1)
    beta = check_number("beta", beta, low=0.0, high=1.0, high_open=True)
    if not isinstance(bias_correction, bool):
        raise TypeError(f"bias_correction must be True or False, got {bias_correction!r}")
    out = np.empty_like(a)
    v = 0.0
    for i, value in enumerate(a):
        v = _ewa_step(v, value, beta)
        out[i] = v
    if bias_correction and a.size:
        out = _bias_correct(out, beta, np.arange(1, a.size + 1))
    return out


def ewa_window(beta):
    r"""The rough number of recent values an EWA averages over, ``1 / (1 - beta)``.

    What "averages over N values" means, exactly: a plain average of :math:`N = 1/(1-\beta)`
    values gives its newest value the weight :math:`1-\beta`, as the EWA does; the weights
    :math:`(1-\beta)\beta^k` of the values older than :math:`N` add up to
    :math:`\beta^N \le 1/e`, so the last :math:`N` (rounded up) carry at least
    :math:`1 - 1/e \approx 63\,\%` of them; and it is about the lag (steps to cover 63 % of a
    jump). For noise the EWA is worth more, :math:`(1+\beta)/(1-\beta)` independent values (the
    inverse of the sum of the squared weights): a different question, not this function.

    >>> round(ewa_window(0.9), 9)
    10.0
    >>> round(0.9 ** ewa_window(0.9), 3)   # the weight left beyond the window, below 1/e
    0.349
    """
    beta = check_number("beta", beta, low=0.0, high=1.0, high_open=True)
    return 1.0 / (1.0 - beta)
