r"""Optimizer memory: the bytes an optimizer's state takes, measured and per parameter.

Training holds, for every parameter, its weight, its gradient and the optimizer's state arrays
(:math:`v`, :math:`s`, ...). In fp32 each is 4 bytes. Mixed precision (Micikevicius et al.
2018; the accounting of the ZeRO paper, Rajbhandari et al. 2020) keeps the weights and the
gradients in 2-byte fp16/bf16, plus a 4-byte fp32 master copy of the weights and the states in
fp32: Adam then costs 2 + 2 + 4 + 4·2 = 16 bytes per parameter.

>>> bytes_per_param("adam", "mixed")
{'weights': 2.0, 'grads': 2.0, 'master': 4.0, 'states': 8.0, 'total': 16.0}
>>> memory_budget(7_000_000_000, "adam")["total"] / 1e9   # GB for a 7B model, mixed precision
112.0
>>> import numpy as np
>>> state_bytes("adam", {"W": np.zeros((10, 3)), "b": np.zeros(3)})  # v and s: 2·33·8 bytes
528
"""
from __future__ import annotations

import math

import numpy as np

from .._validate import _show, check_choice, check_number
from ..optimizers import OPTIMIZERS, _check_params, get_optimizer

__all__ = ["state_bytes", "bytes_per_param", "memory_budget", "STATE_ARRAYS", "PRECISIONS",
           "MODEL_SIZES"]

#: Bytes per parameter for the weights, the gradients and the fp32 master copy; the states are
#: fp32 (4 bytes per number) in both.
PRECISIONS = {"fp32": {"weights": 4, "grads": 4, "master": 0},
              "mixed": {"weights": 2, "grads": 2, "master": 4}}

#: State arrays per parameter, k, for a large weight matrix. Adafactor keeps rows + cols numbers
#: for a rows×cols matrix, (rows + cols)/(rows·cols) per parameter, about 0 (pass ``shape`` to
#: :func:`bytes_per_param` for the exact value); Muon keeps v for its matrices (its AdamW
#: params, b and the like, keep 2).
STATE_ARRAYS = {"gd": 0, "momentum": 1, "nesterov": 1, "adagrad": 1, "rmsprop": 1,
                "adadelta": 2, "adam": 2, "amsgrad": 3, "adamw": 2, "nadam": 2, "radam": 2,
                "adafactor": 0, "muon": 1, "lion": 1}

#: The chapter's example model sizes (parameters).
MODEL_SIZES = {"125M": 125_000_000, "7B": 7_000_000_000, "70B": 70_000_000_000}

_STATE_BYTES = 4  # fp32 states in both precisions


def state_bytes(optimizer, params) -> int:
    """The bytes of ``OPTIMIZERS[optimizer].init(params)``: the sum of its arrays' ``nbytes``.

    Measured on the arrays the registry makes (float64 here, 8 bytes a number), for any entry:
    Adam keeps v and s like every param (2·8 bytes per parameter), Adafactor a row and a column
    average per matrix.

    >>> import numpy as np
    >>> state_bytes("adafactor", {"W": np.zeros((100, 50))})  # (100 + 50)·8
    1200
    """
    opt = get_optimizer(optimizer)
    params = _check_params(params, "params")
    state = opt.init(params)
    return int(sum(np.asarray(x).nbytes for f in opt.fields
                   for x in getattr(state, f).values()))


def _check_shape(shape):
    if not isinstance(shape, tuple) or not shape or not all(
            isinstance(n, (int, np.integer)) and not isinstance(n, bool) and n >= 1
            for n in shape):
        raise TypeError(f"shape must be a tuple of positive ints such as (4096, 4096), got "
                        f"{_show(shape)}")
    return tuple(int(n) for n in shape)


def bytes_per_param(optimizer, precision="fp32", *, shape=None) -> dict:
    """Bytes per parameter: ``{"weights", "grads", "master", "states", "total"}``.

    ``precision`` is ``"fp32"`` (4 + 4 + 0 + 4·k) or ``"mixed"`` (2 + 2 + 4 + 4·k: fp16/bf16
    weights and gradients, an fp32 master copy, fp32 states), k the optimizer's state arrays per
    parameter (:data:`STATE_ARRAYS`). Without ``shape`` k is for a large weight matrix
    (Adafactor's taken as 0); with ``shape`` (a param's shape, e.g. ``(768, 3072)``) k is the
    exact count of the state the registry keeps for a weight W of that shape: Adafactor's
    (rows + cols)/(rows·cols) for a matrix, 1 for a vector.

    >>> bytes_per_param("adafactor", "fp32", shape=(100, 300))["states"]  # 4·400/30000
    0.05333333333333334
    """
    opt = get_optimizer(optimizer)
    precision = check_choice("precision", precision, tuple(PRECISIONS))
    if shape is None:
        k = STATE_ARRAYS[opt.name] if opt.name in STATE_ARRAYS else len(opt.fields)
    else:
        shape = _check_shape(shape)
        size = math.prod(shape)
        k = sum(math.prod(s) for s in opt.state_shapes("W", shape).values()) / size
    out = {key: float(v) for key, v in PRECISIONS[precision].items()}
    out["states"] = float(_STATE_BYTES * k)
    out["total"] = out["weights"] + out["grads"] + out["master"] + out["states"]
    return out


def memory_budget(n_params, optimizer, precision="mixed", *, shape=None) -> dict:
    """Bytes to train a model of ``n_params`` parameters: weights, grads, master copy, states.

    ``bytes_per_param(optimizer, precision, shape=shape)`` times ``n_params`` (an int >= 1, or
    a float with an integer value such as ``7e9``; at most 1e15), each rounded to whole bytes.
    Activations, buffers and the framework's own memory come on top.

    >>> {k: v / 1e9 for k, v in memory_budget(MODEL_SIZES["125M"], "adam", "fp32").items()}
    {'weights': 0.5, 'grads': 0.5, 'master': 0.0, 'states': 1.0, 'total': 2.0}
    """
    n = check_number("n_params", n_params, low=1, high=1e15, integer=True)  # past any model
    per = bytes_per_param(optimizer, precision, shape=shape)
    return {key: int(round(n * b)) for key, b in per.items()}


assert set(STATE_ARRAYS) == set(OPTIMIZERS), "every registry entry needs its k"
