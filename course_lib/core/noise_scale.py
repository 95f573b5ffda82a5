r"""Per-example gradients and the gradient noise scale :math:`B_\text{simple}` (McCandlish et al.).

The gradient of a mini-batch is the mean of its records' gradients :math:`g_i`. Over the data,
:math:`g_i` has a mean :math:`G` (the true gradient) and a covariance :math:`\Sigma`. A batch of
:math:`B` records gives :math:`G` plus noise of total variance :math:`\mathrm{tr}(\Sigma)/B`.
The *simple noise scale* (McCandlish, Kaplan, Amodei and the OpenAI Dota team, 2018, "An
Empirical Model of Large-Batch Training", section 2)

.. math::  B_\text{simple} = \frac{\mathrm{tr}(\Sigma)}{|G|^2}

is the batch size at which the noise equals the signal: much smaller batches are noise-bound
(a bigger batch buys almost proportionally fewer steps), much larger ones waste records (the
steps barely get better). The paper finds the critical batch size near it.

Estimating it from n per-example gradients (the derivation behind
:func:`gradient_noise_scale`): the sample mean :math:`\bar G = \frac1n \sum_i g_i` has
:math:`E[\bar G] = G` and covariance :math:`\Sigma/n`, so

.. math::  E|\bar G|^2 = |G|^2 + \mathrm{tr}(\Sigma)/n :

:math:`|\bar G|^2` overestimates :math:`|G|^2`, by a lot when n is small or the noise large.
With the unbiased :math:`\mathrm{tr}(\hat\Sigma) = \frac{1}{n-1}\sum_i |g_i - \bar G|^2`,
:math:`|\bar G|^2 - \mathrm{tr}(\hat\Sigma)/n` is an unbiased estimate of :math:`|G|^2`, and

.. math::
   \hat B_\text{simple} = \frac{\mathrm{tr}(\hat\Sigma)}{|\bar G|^2 - \mathrm{tr}(\hat\Sigma)/n}.

(A ratio of two unbiased estimates is not unbiased, but it is consistent: the error shrinks like
:math:`1/\sqrt n`.) When the denominator is <= 0 the mean gradient cannot be told from noise
(near a minimum): the estimate is ``inf``.

>>> import numpy as np
>>> g = np.array([[1.0, 0.0], [3.0, 0.0]])   # mean (2, 0); tr(Sigma^) = 1 + 1 = 2
>>> gradient_noise_scale(g)                 # 2 / (4 - 2/2)
0.6666666666666666
>>> from course_lib.models import LinearRegression
>>> grads = per_example_grads(LinearRegression(1), {"W": np.array([0.0]), "b": np.array([0.0])},
...                           np.array([[1.0], [2.0]]), np.array([1.0, 3.0]))
>>> grads["dW"].tolist(), grads["db"].tolist()    # 2 (z - y) x and 2 (z - y) per record
([[-2.0], [-12.0]], [[-2.0], [-6.0]])
"""
from __future__ import annotations

import math

import numpy as np

from .._validate import _show, real_array
from ..models import LinearRegression, LogisticRegression, Model, _sigmoid_parts

__all__ = ["gradient_noise_scale", "per_example_grads"]


def per_example_grads(model, params, X, y) -> dict:
    r"""The gradient of each record's own loss, stacked: ``{"dW": (n, d), "db": (n, 1)}``.

    Row i is what ``model.loss_and_grads(params, X[i:i+1], y[i:i+1])`` returns for record i;
    their mean over the rows is the gradient of the whole batch. Closed form, no loop:

    - ``LinearRegression`` (squared error): :math:`dW_i = 2(z_i - y_i)\,x_i`,
      :math:`db_i = 2(z_i - y_i)`;
    - ``LogisticRegression`` (cross-entropy): :math:`dW_i = (\sigma(z_i) - y_i)\,x_i`,
      :math:`db_i = \sigma(z_i) - y_i`;

    with :math:`z_i = x_i W + b`. Other models are refused (a network needs one backward pass
    per record, or the tricks of libraries such as torch.func / Opacus).

    Parameters
    ----------
    model : LinearRegression or LogisticRegression
    params : dict
        ``{"W": (d,), "b": (1,)}``, as ``model.init_params()`` makes.
    X : array_like, shape (n, d)
    y : array_like, shape (n,)
    """
    if not isinstance(model, (LinearRegression, LogisticRegression)):
        kind = repr(model) if isinstance(model, Model) else \
            f"{_show(model)} of type {type(model).__name__}"
        raise TypeError(f"model must be a LinearRegression or LogisticRegression (their "
                        f"per-example gradients have a closed form), got {kind}")
    params, X, y = model._check_all(params, X, y)
    _, cache = model._checked_forward(params, X)
    z = cache["z"]
    with np.errstate(all="ignore"):
        dz = 2.0 * (z - y) if model.task == "regression" else _sigmoid_parts(z)[0] - y
        out = {"dW": dz[:, None] * X, "db": dz[:, None].copy()}
    if not all(np.isfinite(a).all() for a in out.values()):
        raise ValueError(f"the per-example gradients of {model!r} overflowed: params (largest "
                         f"|W| {float(np.abs(params['W']).max()):.3g}) are too large for this "
                         f"data")
    return out


def _check_per_example(per_example_grads) -> np.ndarray:
    """A dict of (n, ...) arrays or one (n, P) array -> a finite (n, P) float64 matrix."""
    name = "per_example_grads"
    if isinstance(per_example_grads, dict):
        if not per_example_grads:
            raise TypeError(f"{name} must be a dict of arrays with one row per record (as "
                            f"per_example_grads() returns) or an (n, P) array, got {{}}")
        parts, n = [], None
        for key, value in per_example_grads.items():
            arr = real_array(f"{name}[{key!r}]", value)
            if arr.ndim < 1:
                raise ValueError(f"{name}[{key!r}] must have one row per record, got a scalar")
            if n is not None and arr.shape[0] != n:
                raise ValueError(f"every {name} entry must have the same number of rows "
                                 f"(records): {n} and {arr.shape[0]} ({key!r})")
            n = arr.shape[0]
            parts.append(arr.reshape(n, -1))
        G = np.hstack(parts)
    else:
        G = real_array(name, per_example_grads)
        if G.ndim != 2:
            raise ValueError(f"{name} must be a 2-D array (n records, P parameters) or a dict "
                             f"of per-record arrays, got shape {G.shape}")
    if G.shape[0] < 2 or G.shape[1] < 1:
        raise ValueError(f"{name} needs at least 2 records (rows) and 1 parameter to estimate a "
                         f"covariance, got shape {G.shape}")
    if not np.isfinite(G).all():
        raise ValueError(f"{name} must contain only finite numbers, found "
                         f"{'NaN' if np.isnan(G).any() else 'inf'}")
    return G


def _estimates(G) -> tuple[float, float]:
    """(tr(Sigma^), |G|^2 estimate): the unbiased trace and |G_bar|^2 - tr(Sigma^)/n."""
    n = G.shape[0]
    mean = G.mean(axis=0)
    dev = G - mean
    trace = float(np.einsum("ij,ij->", dev, dev)) / (n - 1)
    return trace, float(mean @ mean) - trace / n


def gradient_noise_scale(per_example_grads) -> float:
    r""":math:`B_\text{simple} = \mathrm{tr}(\Sigma) / |G|^2`, estimated from per-example gradients.

    Parameters
    ----------
    per_example_grads : dict of arrays, or array of shape (n, P)
        One row per record (n >= 2): what :func:`per_example_grads` returns, or any matrix of
        per-record gradients (e.g. from torch.func.vmap).

    Returns
    -------
    float
        :math:`\mathrm{tr}(\hat\Sigma) / (|\bar G|^2 - \mathrm{tr}(\hat\Sigma)/n)` (see the
        module docstring for why the :math:`-\mathrm{tr}(\hat\Sigma)/n`); ``inf`` when that
        denominator is <= 0 (the mean gradient is lost in the noise), 0.0 when every record has
        the same gradient.
    """
    G = _check_per_example(per_example_grads)
    with np.errstate(over="ignore", invalid="ignore"):
        trace, g2 = _estimates(G)
    if not (math.isfinite(trace) and math.isfinite(g2)):
        raise ValueError("per_example_grads are too large: their squares overflow float64 "
                         "(rescale them; the noise scale does not depend on the scale)")
    if trace == 0.0:
        return 0.0
    return trace / g2 if g2 > 0.0 else math.inf
