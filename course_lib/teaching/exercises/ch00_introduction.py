"""Chapter 0's exercises: setting the scene: the loss, a forward pass, the update rule.

>>> import numpy as np
>>> mse_loss(np.array([1.0, 3.0]), np.array([0.0, 1.0]))
2.5
"""
from __future__ import annotations

import numpy as np

from ...optimizers import (OPTIMIZERS, GDState)
from .base import Case, Exercise, _a, _add, _m

__all__ = ["mse_loss", "forward_pass", "weight_update"]


def mse_loss(y_hat, y):
    """Mean squared error: the average of the squared differences, one number."""
    return float(np.mean((y_hat - y) ** 2))


def _mse_case():
    return (_a([2.5, -1.0, 0.3, 4.0]), _a([2.0, 0.5, 0.3, 1.0])), {}


def _mse_case2():
    return (_a([0.1, 0.2, -0.3, 1.7, -2.2, 0.0]), _a([1.0, 0.0, 0.0, -1.0, -2.0, 0.5])), {}


_add(Exercise(
    name="mse_loss", chapter=0, title="The mean squared error loss",
    description="Write mse_loss(y_hat, y): the mean of (y_hat - y)**2 over the n records, "
                "returned as one number. Regression uses this loss.",
    signature="mse_loss(y_hat, y) -> float",
    arg_names=("y_hat", "y"), output_names=("the loss",),
    cases=(Case("y_hat = [2.5, -1, 0.3, 4], y = [2, 0.5, 0.3, 1]", _mse_case),
           Case("six records, some predictions below the target", _mse_case2)),
    reference=lambda y_hat, y: float(np.mean((y_hat - y) ** 2)),
    solution=mse_loss,
    mistakes=(
        _m("half_mse", "the loss has an extra factor 1/2",
           "this course's MSE is mean((y_hat - y)**2), without the 1/2 some books use to "
           "simplify the derivative.", lambda y_hat, y: 0.5 * np.mean((y_hat - y) ** 2)),
        _m("sum_not_mean", "summed instead of averaged",
           "divide by the number of records n (np.mean), so the loss does not grow with "
           "the size of the data set.", lambda y_hat, y: np.sum((y_hat - y) ** 2)),
        _m("not_squared", "the differences are not squared",
           "square each difference before averaging: positive and negative errors must not "
           "cancel.", lambda y_hat, y: np.mean(y_hat - y)),
        _m("absolute_error", "absolute values instead of squares (that is the MAE)",
           "use ** 2, not np.abs.", lambda y_hat, y: np.mean(np.abs(y_hat - y))),
        _m("root_taken", "a square root was taken (that is the RMSE)",
           "MSE stops at the mean; no np.sqrt.",
           lambda y_hat, y: np.sqrt(np.mean((y_hat - y) ** 2))),
    ),
    hints=(
        "One number measures how far all predictions are from the targets. Make each error "
        "positive, then average.",
        "L = (1/n) · Σᵢ (ŷᵢ − yᵢ)²",
        "```python\nerrors = y_hat - y\nreturn float(np.mean(errors ** 2))\n```",
    ),
))


def forward_pass(params, X):
    """A tiny network: input -> hidden layer with ReLU -> one linear output per record."""
    Z1 = X @ params["W1"] + params["b1"]      # (n, h): weighted sums of the hidden layer
    A1 = np.maximum(Z1, 0.0)                   # ReLU activation
    return A1 @ params["W2"] + params["b2"]    # (n,): the output layer has no activation


def _net_params():
    return {"W1": _a([[0.2, -0.5, 1.0, 0.3], [-1.1, 0.4, 0.6, -0.2], [0.7, 0.9, -0.8, 0.5]]),
            "b1": _a([0.1, -0.3, 0.2, -0.6]), "W2": _a([1.5, -2.0, 0.7, 1.2]), "b2": _a([0.25])}


def _forward_case():
    X = _a([[1.0, 2.0, -1.0], [0.5, -1.5, 2.0], [-2.0, 0.3, 0.1], [0.0, 0.0, 0.0],
            [1.2, 1.1, 0.9]])
    return (_net_params(), X), {}


def _lib_forward(params, X):
    from ...models import TwoLayerNet
    d, h = params["W1"].shape
    return TwoLayerNet(d, h, activation="relu", task="regression").forward(params, X)[0]


def _forward_bug(params, X, *, bug):
    b1 = 0.0 if bug == "no_b1" else params["b1"]
    b2 = 0.0 if bug == "no_b2" else params["b2"]
    Z1 = X @ params["W1"] + b1
    act = {"none": lambda z: z, "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
           "tanh": np.tanh}.get(bug, lambda z: np.maximum(z, 0.0))
    out = act(Z1) @ params["W2"] + b2
    return np.maximum(out, 0.0) if bug == "relu_out" else out


_add(Exercise(
    name="forward_pass", chapter=0, title="Forward propagation through a tiny network",
    description="Write forward_pass(params, X) for a network with one hidden layer: "
                "Z1 = X @ W1 + b1, A1 = ReLU(Z1) = max(Z1, 0), y_hat = A1 @ W2 + b2. "
                "X has shape (n, d), W1 (d, h), b1 (h,), W2 (h,), b2 (1,); return "
                "y_hat of shape (n,). The output layer has no activation (regression).",
    signature="forward_pass(params, X) -> y_hat of shape (n,)",
    arg_names=("params", "X"), output_names=("y_hat",),
    cases=(Case("5 records with 3 features, 4 hidden units", _forward_case),),
    reference=_lib_forward,
    solution=forward_pass,
    mistakes=(
        _m("no_activation", "the ReLU of the hidden layer is missing",
           "A1 = np.maximum(Z1, 0): without it the two layers collapse into one linear map.",
           _forward_bug, bug="none"),
        _m("activation_on_output", "a ReLU was applied to the output too",
           "the output layer of a regression network stays linear: y_hat may be negative.",
           _forward_bug, bug="relu_out"),
        _m("wrong_activation", "sigmoid used instead of ReLU",
           "this network uses ReLU, max(Z1, 0).", _forward_bug, bug="sigmoid"),
        _m("wrong_activation", "tanh used instead of ReLU",
           "this network uses ReLU, max(Z1, 0).", _forward_bug, bug="tanh"),
        _m("missing_bias", "the hidden bias b1 is missing",
           "Z1 = X @ W1 + b1.", _forward_bug, bug="no_b1"),
        _m("missing_bias", "the output bias b2 is missing",
           "y_hat = A1 @ W2 + b2.", _forward_bug, bug="no_b2"),
    ),
    hints=(
        "Two layers, two lines each: a weighted sum plus a bias, then (only in the hidden "
        "layer) an activation.",
        "Z1 = X·W1 + b1,  A1 = max(Z1, 0),  ŷ = A1·W2 + b2   (· is a matrix product, @)",
        "```python\nZ1 = X @ params['W1'] + params['b1']\nA1 = np.maximum(Z1, 0)\n"
        "return A1 @ params['W2'] + params['b2']\n```",
    ),
))


def weight_update(W, dW, lr):
    """One gradient-descent step for one weight array: a new array, W itself is untouched."""
    return W - lr * dW


def _wu_case():
    return (_a([[0.5, -1.0, 2.0], [0.0, 3.0, -0.25]]), _a([[1.0, -2.0, 0.5], [4.0, 0.1, -3.0]]),
            0.25), {}


_add(Exercise(
    name="weight_update", chapter=0, title="The update rule W_new = W_old − η·dL/dW",
    description="Write weight_update(W, dW, lr) that returns W - lr * dW as a NEW array "
                "(the W passed in must not change).",
    signature="weight_update(W, dW, lr) -> new W",
    arg_names=("W", "dW", "lr"), output_names=("W_new",),
    cases=(Case("a 2x3 weight matrix, lr = 0.25", _wu_case),),
    reference=lambda W, dW, lr: OPTIMIZERS["gd"].update({"W": W}, {"dW": dW}, GDState(0),
                                                        lr=lr)[0]["W"],
    solution=weight_update,
    mistakes=(
        _m("gradient_ascent", "the step goes up the gradient (+ instead of −)",
           "the gradient points uphill; subtract it: W - lr * dW.",
           lambda W, dW, lr: W + lr * dW),
        _m("lr_ignored", "the learning rate is missing",
           "multiply the gradient by lr before subtracting.", lambda W, dW, lr: W - dW),
        _m("lr_divides", "divided by the learning rate instead of multiplying",
           "W - lr * dW.", lambda W, dW, lr: W - dW / lr),
    ),
    hints=(
        "The gradient points in the direction in which the loss grows fastest. Take a small "
        "step the other way.",
        "W_new = W_old − η · dL/dW_old",
        "```python\nreturn W - lr * dW   # a new array; W -= ... would change the caller's W\n```",
    ),
))
