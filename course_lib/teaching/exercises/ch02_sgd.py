"""Chapter 2's exercises: SGD, one record per update.

>>> import numpy as np
>>> g = sample_gradient({"W": np.array([1.0]), "b": 0.0}, np.array([2.0]), 1.0)
>>> float(g["dW"][0]), float(g["db"])
(4.0, 2.0)
"""
from __future__ import annotations

import numpy as np

from .ch01_gradient_descent import _lib_linear_grads, mse_gradient
from .base import Case, Exercise, _a, _add, _m

__all__ = ["sample_gradient", "sgd_epoch", "OrderRecorder"]


def sample_gradient(params, x, y):
    """Gradient of the squared error (x·W + b − y)² of ONE record (x of shape (d,), y a number)."""
    error = x @ params["W"] + params["b"] - y       # one number
    return {"dW": 2.0 * error * x, "db": 2.0 * error}


def _sample_case():
    return ({"W": _a([0.5, -1.5, 2.0]), "b": 0.3}, _a([1.2, 0.4, -0.7]), 2.0), {}


def _sample_bug(params, x, y, *, bug):
    b = 0.0 if bug == "no_b" else params["b"]
    error = x @ params["W"] + b - y
    error = -error if bug == "sign" else error
    factor = 1.0 if bug == "no2" else 2.0
    return {"dW": factor * error * (params["W"] if bug == "w_not_x" else x),
            "db": factor * error}


_add(Exercise(
    name="sample_gradient", chapter=2, title="The gradient of one record",
    description="SGD updates on one record at a time. For the linear model and the squared "
                "error L = (x·W + b − y)² of one record, write sample_gradient(params, x, y) "
                "-> {'dW': array (d,), 'db': number}. x has shape (d,), y is a number "
                "(db may also be an array of shape (1,), as the library returns it).",
    signature="sample_gradient(params, x, y) -> {'dW': array (d,), 'db': number or shape (1,)}",
    arg_names=("params", "x", "y"), output_names=("grads",),
    cases=(Case("x = [1.2, 0.4, -0.7], y = 2, W = [0.5, -1.5, 2], b = 0.3", _sample_case),),
    reference=lambda params, x, y: _lib_linear_grads(params, x[None, :], np.array([y])),
    solution=sample_gradient, one_element_ok=True,
    mistakes=(
        _m("missing_factor_two", "the factor 2 is missing", "d/dŷ (ŷ − y)² = 2·(ŷ − y).",
           _sample_bug, bug="no2"),
        _m("sign_flipped", "the sign is flipped (y − ŷ instead of ŷ − y)",
           "the error is y_hat - y.", _sample_bug, bug="sign"),
        _m("wrong_input_factor", "dW was multiplied by W instead of the input x",
           "ŷ = x·W + b, so dŷ/dW = x and dW = 2·(ŷ − y)·x.", _sample_bug, bug="w_not_x"),
        _m("missing_bias", "the bias b is missing from the prediction",
           "y_hat = x @ W + b.", _sample_bug, bug="no_b"),
    ),
    hints=(
        "It is the MSE gradient with n = 1: one prediction, one error.",
        "e = x·W + b − y;   dW = 2·e·x,   db = 2·e",
        "```python\nerror = x @ params['W'] + params['b'] - y\n"
        "return {'dW': 2 * error * x, 'db': 2 * error}\n```",
    ),
))


def sgd_epoch(params, X, y, *, lr, rng):
    """One epoch of SGD: one update per record, in the order rng.permutation(n)."""
    W, b = params["W"], params["b"]
    for i in rng.permutation(len(y)):
        error = X[i] @ W + b - y[i]
        W = W - lr * 2.0 * error * X[i]          # new arrays: the inputs stay untouched
        b = b - lr * 2.0 * error
    return {"W": W, "b": b}


_SGD_SEED = 2024


class OrderRecorder(np.random.Generator):
    """``np.random.default_rng(seed)`` (the same stream) that remembers the orders it hands out.

    The epoch exercises give it as ``rng``, so the checker can tell which order a learner drew
    (``rng.permutation``, ``rng.choice``, ``rng.permuted`` or ``rng.shuffle``) and judge the
    epoch for that order too.

    >>> rng = OrderRecorder(2024)
    >>> bool(np.array_equal(rng.choice(6, 6, replace=False), rng.learner_order(6)))
    True
    >>> same_stream = np.random.default_rng(7).permutation(5)
    >>> bool(np.array_equal(OrderRecorder(7).permutation(5), same_stream))
    True
    """

    def __init__(self, seed):
        super().__init__(np.random.PCG64(seed))
        self.drawn = []

    def _keep(self, result):
        self.drawn.append(np.array(result, copy=True))
        return result

    def permutation(self, x, *args, **kwargs):
        return self._keep(super().permutation(x, *args, **kwargs))

    def choice(self, a, *args, **kwargs):
        return self._keep(super().choice(a, *args, **kwargs))

    def permuted(self, x, *args, **kwargs):
        return self._keep(super().permuted(x, *args, **kwargs))

    def shuffle(self, x, *args, **kwargs):
        super().shuffle(x, *args, **kwargs)
        self._keep(x)

    def learner_order(self, n):
        """The last order of 0..n−1 drawn (a permutation of all n records), or None."""
        for order in reversed(self.drawn):
            if (order.ndim == 1 and len(order) == n and order.dtype.kind in "iu"
                    and np.array_equal(np.sort(order), np.arange(n))):
                return order
        return None


def _epoch_for_order(params, X, y, *, lr, rng, batch_size=1, order):
    """The right epoch for a GIVEN order (mean gradients over its consecutive batches)."""
    batches = [order[s:s + batch_size] for s in range(0, len(order), batch_size)]
    new = _linear_steps(params, X, y, batches, lr)
    return {"W": new["W"], "b": float(np.squeeze(new["b"]))}


def _sgd_data():
    X = _a([[1.0, 0.5], [-0.5, 1.5], [2.0, -1.0], [0.3, 0.3], [-1.2, -0.4], [0.8, 2.0]])
    y = _a([1.5, 0.5, 2.5, 0.4, -1.8, 3.0])
    return {"W": _a([0.2, -0.3]), "b": 0.1}, X, y


def _sgd_case():
    params, X, y = _sgd_data()
    return (params, X, y), {"lr": 0.05, "rng": OrderRecorder(_SGD_SEED)}


def _linear_steps(params, X, y, batches, lr, stale=False):
    """Mini-batch GD on the linear model through the given index batches (mean gradients)."""
    start = params
    for idx in batches:
        source = start if stale else params
        g = mse_gradient(source, X[idx], y[idx])
        params = {"W": params["W"] - lr * g["dW"], "b": params["b"] - lr * g["db"]}
    return params


def _lib_epoch(params, X, y, *, lr, rng, batch_size=1):
    """One epoch of the library's training loop (GD steps on the batches of rng.permutation)."""
    from ...models import LinearRegression
    from ...training import train
    result = train(LinearRegression(X.shape[1]), X, y, "gd", batch_size=batch_size, epochs=1,
                   rng=rng, params={"W": params["W"], "b": np.reshape(params["b"], (1,))},
                   progress=False, lr=lr)
    return {"W": result.params["W"], "b": float(result.params["b"][0])}


def _sgd_bug(params, X, y, *, lr, rng, bug):
    n = len(y)
    if bug == "pairs":
        Xs, ys = X[rng.permutation(n)], y[rng.permutation(n)]
        return _linear_steps(params, Xs, ys, [[i] for i in range(n)], lr)
    if bug == "batch":
        return _linear_steps(params, X, y, [np.arange(n)], lr)
    if bug == "no_shuffle":
        order = np.arange(n)
    elif bug == "replace":
        order = rng.integers(0, n, size=n)
    else:
        order = rng.permutation(n)
    if bug == "skip_last":
        order = order[:-1]
    return _linear_steps(params, X, y, [[i] for i in order], lr, stale=bug == "stale")


_add(Exercise(
    name="sgd_epoch", chapter=2, title="One epoch of stochastic gradient descent",
    description="Write sgd_epoch(params, X, y, *, lr, rng): visit the records in the order "
                "rng.permutation(n) and, for each one, update W and b with the gradient of its "
                "squared error (your sample_gradient). Return the new params after the epoch "
                "(n updates); do not change the inputs. Why rng.permutation(n) and not "
                "another random order such as rng.choice(n, n, replace=False)? Both give a "
                "correct epoch, but the same seed gives a different order, and the library's "
                "train(), which the chapter races your function against, draws "
                "rng.permutation(n): only that order ends at the same parameters. "
                "db and b may be numbers or arrays of shape (1,).",
    signature="sgd_epoch(params, X, y, *, lr, rng) -> new params",
    arg_names=("params", "X", "y"), output_names=("params",),
    cases=(Case(f"6 records, 2 features, lr = 0.05, rng = np.random.default_rng({_SGD_SEED})",
                _sgd_case),),
    reference=_lib_epoch, solution=sgd_epoch, one_element_ok=True,
    other_order=_epoch_for_order,
    mistakes=(
        _m("no_shuffle", "the records are visited in their stored order 0, 1, 2, ...",
           "for i in rng.permutation(n): the random order is what makes it stochastic.",
           _sgd_bug, bug="no_shuffle"),
        _m("stale_params", "every gradient was computed at the starting params",
           "compute each record's gradient with the params updated by the previous record.",
           _sgd_bug, bug="stale"),
        _m("full_batch", "one step with the average gradient of all records (that is GD)",
           "SGD takes n small steps per epoch, one per record.", _sgd_bug, bug="batch"),
        _m("sampled_with_replacement", "records drawn with replacement (rng.integers)",
           "an epoch uses every record exactly once: rng.permutation(n).", _sgd_bug,
           bug="replace"),
        _m("pairs_broken", "X and y were shuffled with two different permutations",
           "draw ONE order and index both X and y with it.", _sgd_bug, bug="pairs"),
        _m("off_by_one_loop", "the last record of the order was skipped",
           "loop over all n positions: for i in order (not range(n - 1)).", _sgd_bug,
           bug="skip_last"),
    ),
    hints=(
        "An epoch is one pass over all records; SGD updates after every single record, in a "
        "random order.",
        "for i in a random order of 0..n−1:  e = xᵢ·W + b − yᵢ;  W ← W − η·2e·xᵢ;  b ← b − η·2e",
        "```python\nW, b = params['W'], params['b']\nfor i in rng.permutation(len(y)):\n"
        "    error = X[i] @ W + b - y[i]\n    W = W - lr * 2 * error * X[i]\n"
        "    b = b - lr * 2 * error\nreturn {'W': W, 'b': b}\n```",
    ),
))
