r"""Gradient clipping: a step between the backward pass and the optimizer, for any optimizer.

Two ways, the two of ``torch.nn.utils``:

- **by global norm** (:func:`clip_by_global_norm`, as ``torch.nn.utils.clip_grad_norm_``): the
  norm is taken over *all* gradients together, :math:`\|g\| = \sqrt{\sum_k \|dk\|^2}`, and when it
  exceeds ``max_norm`` every gradient is scaled by the same factor
  :math:`c = \min(1,\ \text{max\_norm} / (\|g\| + 10^{-6}))`. The direction is kept, only the
  length shrinks. The :math:`10^{-6}` is torch's convention (it keeps the division finite when
  every gradient is 0); with it a clipped norm lands a hair *below* ``max_norm``.
- **by value** (:func:`clip_by_value`, as ``torch.nn.utils.clip_grad_value_``): every number is
  clamped to ``[-clip_value, clip_value]`` on its own. Cheap, but it turns the direction.

Both are pure: they return new arrays and never change the ones they are given.

>>> import numpy as np
>>> grads = {"dW": np.array([3.0, 0.0]), "db": np.array([4.0])}   # global norm 5
>>> clipped, norm = clip_by_global_norm(grads, max_norm=1.0)
>>> norm, clipped["dW"].round(6).tolist(), clipped["db"].round(6).tolist()
(5.0, [0.6, 0.0], [0.8])
>>> clip_by_value(grads, 2.0)["dW"].tolist(), grads["dW"].tolist()   # the input is unchanged
([2.0, 0.0], [3.0, 0.0])
"""
from __future__ import annotations

import math

import numpy as np

from .._validate import _show, check_number, real_array

__all__ = ["CLIP_EPS", "clip_by_global_norm", "clip_by_value", "global_norm"]

#: Added to the norm before dividing, as ``torch.nn.utils.clip_grad_norm_`` does.
CLIP_EPS = 1e-6


def _check_grads(grads) -> dict:
    if not isinstance(grads, dict) or not grads:
        raise TypeError(f"grads must be a non-empty dict of arrays keyed like the gradients, "
                        f"such as {{'dW': ..., 'db': ...}}, got {_show(grads)}")
    out = {}
    for key, value in grads.items():
        if not isinstance(key, str) or not key:
            raise TypeError(f"grads keys must be non-empty strings such as 'dW', got {key!r}")
        arr = real_array(f"grads[{key!r}]", value)
        if not np.isfinite(arr).all():
            bad = "NaN" if np.isnan(arr).any() else "inf"
            raise ValueError(f"grads[{key!r}] contains {bad}: clipping cannot repair a gradient "
                             f"that is not finite (torch's error_if_nonfinite=True refuses it "
                             f"too); the run has diverged, lower the learning rate")
        out[key] = arr
    return out


def _check_max(name, value) -> float:
    """A positive number; ``inf`` is allowed (it never clips: torch's way to just get the norm)."""
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
            value, (bool, np.bool_)) and value == math.inf:
        return math.inf
    return check_number(name, value, low=0.0, low_open=True)


def _global_norm(grads: dict) -> float:
    """sqrt of the sum of squares over every array (torch: the 2-norm of the per-tensor norms).

    Rescaled by the largest |value| only when the plain sum of squares overflows (gradients
    above ~1e154), so a finite gradient always has a finite norm."""
    with np.errstate(over="ignore"):
        total = math.sqrt(sum(float(np.dot(g.ravel(), g.ravel())) for g in grads.values()))
    if math.isinf(total):
        top = max(float(np.abs(g).max(initial=0.0)) for g in grads.values())
        if math.isfinite(top):
            scaled = sum(float(np.dot(g.ravel() / top, g.ravel() / top)) for g in grads.values())
            total = top * math.sqrt(scaled)
    return total


def _clip_norm(grads: dict, max_norm: float, total=None) -> tuple[dict, float]:
    """Unchecked :func:`clip_by_global_norm` (the training loops validated up front); ``total``:
    the global norm when the caller has it already."""
    if total is None:
        total = _global_norm(grads)
    coef = max_norm / (total + CLIP_EPS)
    if coef >= 1.0:  # torch multiplies by min(coef, 1) = 1.0: the same numbers
        return grads, total
    return {k: g * coef for k, g in grads.items()}, total


def _clip_value(grads: dict, clip_value: float) -> dict:
    """Unchecked :func:`clip_by_value`."""
    return {k: np.clip(g, -clip_value, clip_value) for k, g in grads.items()}


def global_norm(grads) -> float:
    r"""The global L2 norm :math:`\sqrt{\sum_k \sum_i dk_i^2}` over every gradient array.

    >>> global_norm({"dW": np.array([3.0]), "db": np.array([4.0])})
    5.0
    """
    return _global_norm(_check_grads(grads))


def clip_by_global_norm(grads, max_norm) -> tuple[dict, float]:
    r"""Scale every gradient by :math:`\min(1, \text{max\_norm}/(\|g\| + 10^{-6}))`.

    Exactly ``torch.nn.utils.clip_grad_norm_(params, max_norm)`` (``norm_type=2``), as a pure
    function.

    Parameters
    ----------
    grads : dict of arrays
        Keyed like the gradients (``{"dW": ..., "db": ...}``); all finite.
    max_norm : float > 0, or inf
        The largest global norm let through. ``inf`` never clips and only measures the norm
        (torch users write ``clip_grad_norm_(params, float("inf"))`` for that).

    Returns
    -------
    clipped : dict of arrays
        New arrays (the input is never changed). When the norm is at most about ``max_norm``
        (coefficient >= 1) they are equal to the input, bit for bit.
    total_norm : float
        The global norm *before* clipping, as torch returns it: plot it to see how often and
        how hard the clipping acted.
    """
    grads = _check_grads(grads)
    max_norm = _check_max("max_norm", max_norm)
    clipped, total = _clip_norm(grads, max_norm)
    if clipped is grads:
        clipped = {k: g.copy() for k, g in grads.items()}
    return clipped, total


def clip_by_value(grads, clip_value) -> dict:
    """Clamp every gradient number to ``[-clip_value, clip_value]``.

    Exactly ``torch.nn.utils.clip_grad_value_(params, clip_value)``, as a pure function. Each
    coordinate is clamped on its own, so a clipped gradient may point elsewhere than the
    original (clipping by global norm keeps the direction).

    Parameters
    ----------
    grads : dict of arrays
        Keyed like the gradients; all finite.
    clip_value : float > 0
    """
    grads = _check_grads(grads)
    clip_value = check_number("clip_value", clip_value, low=0.0, low_open=True)
    return _clip_value(grads, clip_value)
