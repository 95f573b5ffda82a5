"""Chapter 1's exercises: gradient descent.

>>> import numpy as np
>>> stable_lr_bound(np.diag([4.0, 1.0]))
0.5
"""
from __future__ import annotations

import numpy as np

from ...optimizers import GDState
from ._update_rules import _update_exercise
from .base import Case, Exercise, _T_STUCK, _a, _add, _m

__all__ = ["gd_update", "mse_gradient", "stable_lr_bound"]


def gd_update(params, grads, state, *, lr):
    """One gradient-descent step on every parameter: W ← W − η·dW."""
    new_params = {k: W - lr * grads["d" + k] for k, W in params.items()}
    return new_params, GDState(state.t + 1)


def _gd_bug(params, grads, state, *, lr, bug):
    step = {"ascent": -lr, "no_lr": 1.0}.get(bug, lr)
    new = {k: W - step * grads["d" + k] for k, W in params.items()}
    return new, GDState(state.t + (0 if bug == "t" else 1))


_update_exercise(
    "gd", 1, "One gradient-descent update", {"lr": 0.3}, {"lr": 0.05}, gd_update,
    [_m("gradient_ascent", "the step goes up the gradient (+ instead of −)",
        "W - lr * dW: the gradient points uphill.", _gd_bug, bug="ascent"),
     _m("lr_ignored", "the learning rate is missing", "multiply dW by lr.", _gd_bug, bug="no_lr"),
     _m(*_T_STUCK, _gd_bug, bug="t")],
    ("Loop over the keys of params; the gradient of params[k] is grads['d' + k]. Return new "
     "objects, and count the step.",
     "W ← W − η·dW for every parameter;  t ← t + 1",
     "```python\nnew_params = {}\nfor k, W in params.items():\n    new_params[k] = W - lr * "
     "grads['d' + k]\nreturn new_params, GDState(state.t + 1)\n```"),
    "W ← W − η·dW")


def mse_gradient(params, X, y):
    """Gradient of the MSE of a linear model y_hat = X @ W + b, as {"dW": ..., "db": ...}."""
    n = len(y)
    error = X @ params["W"] + params["b"] - y          # y_hat - y, shape (n,)
    return {"dW": 2.0 / n * (X.T @ error), "db": 2.0 / n * np.sum(error)}


def _mse_grad_case():
    X = _a([[1.0, 0.5, -1.0], [2.0, -1.0, 0.0], [0.0, 1.5, 2.0], [-1.0, 0.3, 0.7],
            [0.4, 0.4, -2.0]])
    y = _a([1.0, -2.0, 3.5, 0.2, -1.0])
    return ({"W": _a([0.3, -0.8, 1.1]), "b": np.array(0.7)}, X, y), {}


def _lib_linear_grads(params, X, y):
    """The library's gradient of the linear model's MSE, with b and db as plain numbers."""
    from ...models import LinearRegression
    lib_params = {"W": params["W"], "b": np.reshape(params["b"], (1,))}
    grads = LinearRegression(X.shape[1]).loss_and_grads(lib_params, X, y)[1]
    return {"dW": grads["dW"], "db": float(grads["db"][0])}


def _mse_grad_bug(params, X, y, *, bug):
    b = 0.0 if bug == "no_b" else params["b"]
    error = X @ params["W"] + b - y
    if bug == "sign":
        error = -error
    scale = {"no2": 1.0 / len(y), "sum": 2.0}.get(bug, 2.0 / len(y))
    return {"dW": scale * (X.T @ error), "db": scale * np.sum(error)}


_add(Exercise(
    name="mse_gradient", chapter=1, title="The gradient of the MSE of a linear model",
    description="For the linear model y_hat = X @ W + b and the loss L = mean((y_hat - y)**2), "
                "write mse_gradient(params, X, y) -> {'dW': dL/dW, 'db': dL/db}. "
                "X has shape (n, d), params['W'] (d,), params['b'] is a number. db may come "
                "back as a number or, like the library's LinearRegression, as an array of "
                "shape (1,).",
    signature="mse_gradient(params, X, y) -> {'dW': array (d,), 'db': number or shape (1,)}",
    arg_names=("params", "X", "y"), output_names=("grads",),
    cases=(Case("5 records, 3 features, W = [0.3, -0.8, 1.1], b = 0.7", _mse_grad_case),),
    reference=_lib_linear_grads, solution=mse_gradient, one_element_ok=True,
    mistakes=(
        _m("missing_factor_two", "the factor 2 from the derivative of the square is missing",
           "d/dŷ (ŷ − y)² = 2·(ŷ − y).", _mse_grad_bug, bug="no2"),
        _m("sum_not_mean", "the 1/n of the mean is missing",
           "the loss is a mean, so is its gradient: divide by n.", _mse_grad_bug, bug="sum"),
        _m("sign_flipped", "the sign is flipped (y − ŷ instead of ŷ − y)",
           "the error is y_hat - y; with y - y_hat a descent step climbs.", _mse_grad_bug,
           bug="sign"),
        _m("missing_bias", "the bias b is missing from the prediction",
           "y_hat = X @ W + b.", _mse_grad_bug, bug="no_b"),
    ),
    hints=(
        "Use the chain rule: the loss depends on W through y_hat. Start from the error "
        "e = y_hat − y.",
        "dL/dW = (2/n) · Xᵀ·(ŷ − y),   dL/db = (2/n) · Σᵢ (ŷᵢ − yᵢ)",
        "```python\nerror = X @ params['W'] + params['b'] - y\nn = len(y)\n"
        "return {'dW': 2 / n * X.T @ error, 'db': 2 / n * np.sum(error)}\n```",
    ),
))


def stable_lr_bound(H):
    """Largest learning rate for which GD converges on a quadratic with Hessian H: 2 / λ_max."""
    lam_max = np.linalg.eigvalsh(H).max()
    return float(2.0 / lam_max)


def _hessian_case():
    return (_a([[3.0, 1.5], [1.5, 1.0]]),), {}


def _hessian_case2():
    return (_a([[4.0, 1.0, 0.5], [1.0, 2.0, 0.3], [0.5, 0.3, 0.8]]),), {}


_add(Exercise(
    name="stable_lr_bound", chapter=1, title="The largest stable learning rate, 2/λ_max",
    description="Gradient descent on a quadratic bowl with (symmetric) Hessian H converges "
                "only when η < 2/λ_max, λ_max the largest eigenvalue of H. Write "
                "stable_lr_bound(H) returning 2/λ_max as a number.",
    signature="stable_lr_bound(H) -> float",
    arg_names=("H",), output_names=("the bound",),
    cases=(Case("H = [[3, 1.5], [1.5, 1]] (not diagonal)", _hessian_case),
           Case("a 3x3 Hessian", _hessian_case2)),
    reference=lambda H: 2.0 / float(np.max(np.linalg.eigvalsh(H))), solution=stable_lr_bound,
    mistakes=(
        _m("one_over_lambda", "1/λ_max instead of 2/λ_max",
           "GD on a quadratic overshoots but still converges up to η = 2/λ_max; 1/λ_max is the "
           "fastest rate for the steepest direction, not the bound.",
           lambda H: 1.0 / np.max(np.linalg.eigvalsh(H))),
        _m("lambda_min", "the smallest eigenvalue instead of the largest",
           "the steepest direction (largest λ) is the first to blow up.",
           lambda H: 2.0 / np.min(np.linalg.eigvalsh(H))),
        _m("max_diagonal", "the largest diagonal entry instead of the largest eigenvalue",
           "the diagonal gives the eigenvalues only when H is diagonal; use "
           "np.linalg.eigvalsh(H).", lambda H: 2.0 / np.max(np.diag(H))),
        _m("used_trace", "the trace (sum of all eigenvalues) instead of λ_max",
           "take the maximum eigenvalue, not the sum.", lambda H: 2.0 / np.trace(H)),
    ),
    hints=(
        "Along each eigenvector of H, GD multiplies the distance to the minimum by (1 − η·λ). "
        "When does that factor stay below 1 in size for every λ?",
        "|1 − η·λ| < 1 for all eigenvalues λ  ⇔  η < 2 / λ_max",
        "```python\nlam_max = np.linalg.eigvalsh(H).max()   # eigvalsh: for symmetric "
        "matrices\nreturn float(2 / lam_max)\n```",
    ),
))
