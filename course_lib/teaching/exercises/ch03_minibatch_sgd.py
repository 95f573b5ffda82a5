"""Chapter 3's exercises: mini-batch SGD.

>>> import numpy as np
>>> X, y = np.zeros((5, 1)), np.arange(5.0)
>>> [len(yb) for _, yb in minibatch_generator(X, y, 2, np.random.default_rng(0))]
[2, 2, 1]
"""
from __future__ import annotations

import numpy as np

from .ch02_sgd import OrderRecorder, _epoch_for_order, _lib_epoch
from .base import Case, Exercise, _a, _add, _m

__all__ = ["minibatch_generator", "minibatch_epoch", "MB_Y0", "MB_Y_STEP"]


def minibatch_generator(X, y, batch_size, rng):
    """One epoch of mini-batches (X_batch, y_batch) in a new random order on every call."""
    order = rng.permutation(len(y))                # a fresh order each call, i.e. each epoch
    for start in range(0, len(y), batch_size):     # the last batch may be shorter
        idx = order[start:start + batch_size]
        yield X[idx], y[idx]


#: y of the generator cases is MB_Y0 + MB_Y_STEP * record id, so a batch tells its records.
MB_Y0, MB_Y_STEP = 3.0, 10.0


def _mb_case(n, batch_size, seed):
    def make():
        ids = np.arange(n, dtype=float)
        X = np.column_stack([ids + 0.5, -(ids + 0.5) / 4.0])
        return (X, MB_Y0 + MB_Y_STEP * ids, batch_size, seed), {}
    return make


_add(Exercise(
    name="minibatch_generator", chapter=3, title="A mini-batch generator",
    description="Write minibatch_generator(X, y, batch_size, rng): a generator that yields "
                "(X_batch, y_batch) pairs covering every record exactly once, in a random "
                "order drawn from rng. One call is one epoch and must draw a NEW order "
                "(call it again for the next epoch). Full batches of batch_size first, then "
                "the shorter rest; do not change X or y.",
    signature="minibatch_generator(X, y, batch_size, rng) -> yields (X_batch, y_batch)",
    arg_names=("X", "y", "batch_size", "rng"), output_names=("batches",),
    cases=(Case("11 records, batch_size = 4 (batches 4, 4, 3), two epochs", _mb_case(11, 4, 5)),
           Case("12 records, batch_size = 4 (batches 4, 4, 4), two epochs", _mb_case(12, 4, 6)),
           Case("11 records, batch_size = 1 (SGD)", _mb_case(11, 1, 7)),
           Case("11 records, batch_size = 11 (one batch: GD)", _mb_case(11, 11, 8))),
    reference=minibatch_generator, solution=minibatch_generator, mistakes=(), kind="generator",
    hints=(
        "Shuffle positions, not the data: draw a random order of 0..n−1 and cut it into "
        "consecutive slices. `yield` makes the function a generator.",
        "order = rng.permutation(n);  batch k = order[k·B : (k+1)·B] for k = 0 .. ceil(n/B)−1",
        "```python\norder = rng.permutation(len(y))\nfor start in range(0, len(y), batch_size):"
        "\n    idx = order[start:start + batch_size]\n    yield X[idx], y[idx]\n```",
    ),
))


def minibatch_epoch(params, X, y, *, lr, batch_size, rng):
    """One epoch of mini-batch SGD on the linear model, in the order rng.permutation(n)."""
    order = rng.permutation(len(y))
    W, b = params["W"], params["b"]
    for start in range(0, len(y), batch_size):
        idx = order[start:start + batch_size]
        Xb, yb = X[idx], y[idx]
        error = Xb @ W + b - yb
        W = W - lr * 2.0 / len(yb) * (Xb.T @ error)   # mean over THIS batch (the last is short)
        b = b - lr * 2.0 / len(yb) * np.sum(error)
    return {"W": W, "b": b}


def _mbe_case():
    X = _a([[1.0, 0.5], [-0.5, 1.5], [2.0, -1.0], [0.3, 0.3], [-1.2, -0.4], [0.8, 2.0],
            [1.5, -0.2], [-0.7, 0.9], [0.1, -1.3], [2.2, 0.6], [-1.9, 1.1]])
    y = _a([1.5, 0.5, 2.5, 0.4, -1.8, 3.0, 1.0, -0.3, -1.4, 2.9, -0.6])
    return ({"W": _a([0.2, -0.3]), "b": 0.1}, X, y), {"lr": 0.1, "batch_size": 4,
                                                        "rng": OrderRecorder(99)}


def _mbe_bug(params, X, y, *, lr, batch_size, rng, bug):
    n = len(y)
    if bug == "pairs":
        X, y = X[rng.permutation(n)], y[rng.permutation(n)]
        order = np.arange(n)
    else:
        order = np.arange(n) if bug == "no_shuffle" else rng.permutation(n)
    stop = n // batch_size * batch_size if bug == "floor" else n
    batches = [order[s:s + batch_size] for s in range(0, stop, batch_size)]
    if bug == "batch":
        batches = [order]
    for idx in batches:
        e = X[idx] @ params["W"] + params["b"] - y[idx]
        m = {"sum": 1.0, "bs": batch_size}.get(bug, len(idx))
        params = {"W": params["W"] - lr * 2.0 / m * (X[idx].T @ e),
                  "b": params["b"] - lr * 2.0 / m * np.sum(e)}
    return params


_add(Exercise(
    name="minibatch_epoch", chapter=3, title="One epoch of mini-batch SGD",
    description="Write minibatch_epoch(params, X, y, *, lr, batch_size, rng): shuffle with "
                "order = rng.permutation(n), cut the order into batches of batch_size (the "
                "last one shorter), and for each batch take one step with the MEAN squared-"
                "error gradient of the batch. Return the new params. batch_size = 1 is SGD, "
                "batch_size = n is GD: one loop for all three. rng.permutation(n), because "
                "the library's train() draws that order from the same seed (another random "
                "order is a correct epoch too, with different numbers).",
    signature="minibatch_epoch(params, X, y, *, lr, batch_size, rng) -> new params",
    arg_names=("params", "X", "y"), output_names=("params",),
    cases=(Case("11 records, batch_size = 4 (batches 4, 4, 3), lr = 0.1, "
                "rng = np.random.default_rng(99)", _mbe_case),),
    reference=_lib_epoch, solution=minibatch_epoch, one_element_ok=True,
    other_order=_epoch_for_order,
    mistakes=(
        _m("no_shuffle", "the batches follow the stored order", "order = rng.permutation(n).",
           _mbe_bug, bug="no_shuffle"),
        _m("dropped_last_batch", "the short last batch was dropped (floor instead of ceil)",
           "range(0, n, batch_size) also yields the last, shorter batch.", _mbe_bug,
           bug="floor"),
        _m("sum_not_mean", "the batch gradient is a sum, not a mean",
           "divide by the number of records in the batch, so the step size does not depend "
           "on batch_size.", _mbe_bug, bug="sum"),
        _m("wrong_batch_length", "divided by batch_size, also for the shorter last batch",
           "divide by len(y_batch), the records actually in this batch.", _mbe_bug, bug="bs"),
        _m("full_batch", "one step on all records (that is GD)",
           "one step per batch: ceil(n / batch_size) steps per epoch.", _mbe_bug, bug="batch"),
        _m("pairs_broken", "X and y were shuffled with two different permutations",
           "draw ONE order and index both X and y with it.", _mbe_bug, bug="pairs"),
    ),
    hints=(
        "It is GD on one batch at a time. Reuse the order trick of minibatch_generator and "
        "the MSE gradient of chapter 1 on (X_batch, y_batch).",
        "for each batch B:  e = X_B·W + b − y_B;  W ← W − η·(2/|B|)·X_Bᵀe;  "
        "b ← b − η·(2/|B|)·Σe",
        "```python\norder = rng.permutation(len(y))\nW, b = params['W'], params['b']\n"
        "for start in range(0, len(y), batch_size):\n    idx = order[start:start + batch_size]"
        "\n    error = X[idx] @ W + b - y[idx]\n    W = W - lr * 2 / len(idx) * X[idx].T @ error"
        "\n    b = b - lr * 2 / len(idx) * np.sum(error)\nreturn {'W': W, 'b': b}\n```",
    ),
))
