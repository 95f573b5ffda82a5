"""The exercise bank: fixed inputs, model solutions, classic mistakes and hints for every chapter.

Plain data and plain NumPy. The machinery that runs and judges a learner's function lives in
:mod:`course_lib.exercises`. Every exercise has

- ``cases``: fixed, deliberately unusual inputs (``make()`` builds fresh copies each time);
- ``reference``: the expected result, computed with the library wherever it has the function;
- ``solution``: the model solution a learner could have written (shown by ``solution(name)``);
- ``mistakes``: the classic wrong versions, each with a code, a label and what to look at; when
  a learner's output matches one of them, the checker names it;
- ``hints``: a nudge, the formula, the pseudo-code.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import partial
from typing import Callable

import numpy as np

from .moving_averages import ewa_series
from .moving_averages import ewa_step as _lib_ewa_step
from .moving_averages import ewa_window as _lib_ewa_window
from .optimizers import (OPTIMIZERS, AdadeltaState, AdagradState, AdamState, GDState,
                         MomentumState, RMSpropState)

__all__ = ["Case", "Mistake", "Exercise", "EXERCISES"]


@dataclass(frozen=True)
class Case:
    """One fixed input: ``make()`` returns fresh ``(args, kwargs)``; ``label`` describes it."""
    label: str
    make: Callable


@dataclass(frozen=True)
class Mistake:
    """A classic wrong version: ``fn`` has the exercise's signature and makes this mistake."""
    code: str
    label: str
    look_at: str
    fn: Callable
    variant: bool = False   # a valid form (a paper's, a framework's), just not the one asked


@dataclass(frozen=True)
class Exercise:
    """One exercise: what to write, how it is judged, hints and the model solution."""
    name: str
    chapter: int
    title: str
    description: str
    signature: str
    arg_names: tuple
    output_names: tuple
    cases: tuple
    reference: Callable
    solution: Callable
    mistakes: tuple
    hints: tuple
    imports: str = "import numpy as np"
    kind: str = "function"
    one_element_ok: bool = False   # a number may also come back as an array of shape (1,)
    other_order: Callable | None = None   # the expected result for the learner's own order

    def __repr__(self):
        return f"<exercise {self.name!r} (chapter {self.chapter}): {self.title}>"


EXERCISES: dict[str, Exercise] = {}


def _add(exercise: Exercise) -> None:
    assert exercise.name not in EXERCISES and exercise.name == exercise.solution.__name__
    assert len(exercise.hints) == 3
    EXERCISES[exercise.name] = exercise


def _a(x):
    return np.array(x, dtype=float)


def _m(code, label, look_at, fn, *, variant=False, **bug):
    return Mistake(code, label, look_at, partial(fn, **bug) if bug else fn, variant)


_T_STUCK = ("t_not_incremented", "state.t was not incremented",
            "return the new state with t = state.t + 1: t counts the steps taken "
            "(1 after the first step).")


# ============================================================================================
# Chapter 0: setting the scene
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
    from .models import TwoLayerNet
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


# ============================================================================================
# Shared fixtures of the update-rule exercises
def _params_a():
    return {"W": _a([[0.5, -1.2], [2.0, 0.3]]), "b": _a([0.1, -0.4, 0.05])}


def _grads_a():
    # small entries (0.004, 0.01) make the position of eps = 1e-2 matter
    return {"dW": _a([[0.8, -1.5], [0.004, 2.5]]), "db": _a([-0.3, 0.01, 1.2])}


_STORES_A = {
    "v": lambda: {"dW": _a([[0.3, -0.6], [0.01, 0.9]]), "db": _a([-0.1, 0.002, 0.5])},
    "s": lambda: {"dW": _a([[0.5, 2.0], [0.0004, 4.0]]), "db": _a([0.5, 0.0002, 1.0])},
    "u": lambda: {"dW": _a([[0.02, 0.1], [0.0001, 0.3]]), "db": _a([0.05, 1e-5, 0.2])},
}


def _net_fixture(fields):
    rng = np.random.default_rng(20240607)
    shapes = {"W1": (3, 4), "b1": (4,), "W2": (4, 1), "b2": (1,)}
    params = {k: rng.normal(size=s) for k, s in shapes.items()}
    grads = {"d" + k: rng.normal(scale=0.7, size=s) for k, s in shapes.items()}
    stores = []
    for field in fields:
        if field == "v":
            stores.append({"d" + k: rng.normal(scale=0.3, size=s) for k, s in shapes.items()})
        else:
            stores.append({"d" + k: rng.uniform(0.05, 1.5, size=s) for k, s in shapes.items()})
    return params, grads, stores


def _hp_text(hp):
    return ", ".join(f"{k} = {v:g}" for k, v in hp.items())


def _update_cases(name, hp_a, hp_c):
    opt = OPTIMIZERS[name]

    def mid():
        state = opt.state_type(2, *(_STORES_A[f]() for f in opt.fields))
        return (_params_a(), _grads_a(), state), dict(hp_a)

    def first():
        params = _params_a()
        return (params, _grads_a(), opt.init(params)), dict(hp_a)

    def net():
        params, grads, stores = _net_fixture(opt.fields)
        return (params, grads, opt.state_type(7, *stores)), dict(hp_c)

    return (Case(f"a mid-training step, state.t = 2, {_hp_text(hp_a)} (unusual values, so "
                 "that common mistakes change the numbers)", mid),
            Case(f"the first step from OPTIMIZERS[{name!r}].init(params) (t = 0), "
                 f"{_hp_text(hp_a)}", first),
            Case(f"a two-layer network's params W1, b1, W2, b2 at state.t = 7, "
                 f"{_hp_text(hp_c)}", net))


def _library(name):
    opt = OPTIMIZERS[name]

    def reference(params, grads, state, **hparams):
        return opt.update(params, grads, state, **hparams)
    reference.__name__ = f"library_{name}"
    return reference


def _update_exercise(name, chapter, title, hp_a, hp_c, solution, mistakes, hints, rule):
    opt = OPTIMIZERS[name]
    state = f"{opt.state_type.__name__}(t, {', '.join(opt.fields)})" if opt.fields \
        else f"{opt.state_type.__name__}(t)"
    hp = ", ".join(opt.hparams)
    _add(Exercise(
        name=solution.__name__, chapter=chapter, title=title,
        description=f"Write {solution.__name__}(params, grads, state, *, {hp}) -> "
                    f"(new_params, new_state): one {opt.title} step, {rule}, for every key of "
                    f"params (the gradient of params['W'] is grads['dW']). Return a new dict "
                    f"and a new {state} from course_lib.optimizers with t = state.t + 1; do "
                    "not change the inputs. It then runs in the playground next to "
                    f"OPTIMIZERS[{name!r}].",
        signature=f"{solution.__name__}(params, grads, state, *, {hp}) -> (params, {state})",
        arg_names=("params", "grads", "state"), output_names=("params", "state"),
        cases=_update_cases(name, hp_a, hp_c), reference=_library(name), solution=solution,
        mistakes=tuple(mistakes), hints=hints,
        imports=f"import numpy as np\nfrom course_lib.optimizers import {opt.state_type.__name__}"))


# ============================================================================================
# Chapter 1: gradient descent
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
    from .models import LinearRegression
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


# ============================================================================================
# Chapter 2: SGD, one record per update
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
    from .models import LinearRegression
    from .training import train
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


# ============================================================================================
# Chapter 3: mini-batch SGD
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


# ============================================================================================
# Chapter 4: epochs and iterations
def iterations_per_epoch(n, batch_size):
    """Updates in one epoch: ceil(n / batch_size), the last batch may be short."""
    return math.ceil(n / batch_size)


def _lib_iterations_per_epoch(n, batch_size):
    from .data import iterations_per_epoch as library
    return library(n, batch_size)


_IPE_CASES = [(10_000, 1000), (10, 3), (50_000, 128), (7, 7), (10_000, 1), (1_000_000, 20_000),
              (12, 5)]


def _int_case(*values):
    return lambda: (values, {})


_add(Exercise(
    name="iterations_per_epoch", chapter=4, title="Iterations per epoch",
    description="An iteration is one forward + backward pass on one batch; an epoch uses every "
                "record once. Write iterations_per_epoch(n, batch_size) -> int.",
    signature="iterations_per_epoch(n, batch_size) -> int",
    arg_names=("n", "batch_size"), output_names=("the number of iterations",),
    cases=tuple(Case(f"n = {n:,}, batch_size = {b:,}", _int_case(n, b)) for n, b in _IPE_CASES),
    reference=_lib_iterations_per_epoch, solution=iterations_per_epoch,
    mistakes=(
        _m("floor_not_ceil", "floor instead of ceil (n // batch_size)",
           "the leftover records still form one (shorter) batch: round UP, "
           "math.ceil(n / batch_size).", lambda n, batch_size: n // batch_size),
        _m("plus_one", "n // batch_size + 1: one too many when batch_size divides n",
           "math.ceil(n / batch_size) adds the extra batch only when there is a remainder.",
           lambda n, batch_size: n // batch_size + 1),
        _m("rounded", "round() instead of ceil",
           "round(3.33) = 3 drops the short batch: always round up.",
           lambda n, batch_size: round(n / batch_size)),
        _m("no_rounding", "n / batch_size without rounding up",
           "an iteration count is a whole number: math.ceil(n / batch_size).",
           lambda n, batch_size: n / batch_size),
    ),
    hints=(
        "10,000 records in batches of 1,000 take 10 iterations. What about 10 records in "
        "batches of 3?",
        "iterations per epoch = ⌈n / batch_size⌉  (ceil: the last batch may be shorter)",
        "```python\nimport math\nreturn math.ceil(n / batch_size)   # or -(-n // batch_size)\n```",
    ),
    imports="import math",
))


def total_iterations(n, batch_size, epochs):
    """Updates in a whole training run: every epoch restarts with a full pass over the data."""
    return epochs * math.ceil(n / batch_size)


_TI_CASES = [(10, 3, 3), (10_000, 1000, 5), (50_000, 128, 2), (7, 7, 4), (1000, 300, 10)]

_add(Exercise(
    name="total_iterations", chapter=4, title="Iterations in a training run",
    description="Write total_iterations(n, batch_size, epochs) -> int: the number of updates "
                "of a run of `epochs` epochs (each epoch ends with its own short batch).",
    signature="total_iterations(n, batch_size, epochs) -> int",
    arg_names=("n", "batch_size", "epochs"), output_names=("the number of iterations",),
    cases=tuple(Case(f"n = {n:,}, batch_size = {b:,}, epochs = {e}", _int_case(n, b, e))
                for n, b, e in _TI_CASES),
    reference=lambda n, batch_size, epochs: epochs * _lib_iterations_per_epoch(n, batch_size),
    solution=total_iterations,
    mistakes=(
        _m("ceil_of_total", "ceil(n·epochs / batch_size): as if batches ran across epochs",
           "every epoch is a separate pass with its own short last batch: "
           "epochs · ceil(n / batch_size).",
           lambda n, batch_size, epochs: math.ceil(n * epochs / batch_size)),
        _m("floor_not_ceil", "floor instead of ceil for the iterations of one epoch",
           "round up: the leftover records form one more batch.",
           lambda n, batch_size, epochs: epochs * (n // batch_size)),
        _m("forgot_epochs", "the number of epochs is missing",
           "multiply the iterations of one epoch by epochs.",
           lambda n, batch_size, epochs: math.ceil(n / batch_size)),
        _m("plus_one", "n // batch_size + 1 per epoch: one too many when batch_size divides n",
           "ceil(n / batch_size).", lambda n, batch_size, epochs: epochs * (n // batch_size + 1)),
    ),
    hints=(
        "Training is two loops: over epochs, and over the batches of one epoch.",
        "total = epochs · ⌈n / batch_size⌉",
        "```python\nper_epoch = math.ceil(n / batch_size)\nreturn epochs * per_epoch\n```",
    ),
    imports="import math",
))


# ============================================================================================
# Chapter 5: exponentially weighted averages
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


# ============================================================================================
# Chapter 6: momentum
def momentum_update(params, grads, state, *, lr, beta):
    """v ← β·v + (1 − β)·dW;  W ← W − η·v  (EWA form, as in the lecture)."""
    v = {g: beta * state.v[g] + (1 - beta) * grads[g] for g in grads}
    new_params = {k: W - lr * v["d" + k] for k, W in params.items()}
    return new_params, MomentumState(state.t + 1, v)


def _momentum_bug(params, grads, state, *, lr, beta, bug):
    b = 1 - beta if bug == "swap" else beta
    w = 1.0 if bug == "one" else 1 - b
    v = {g: b * state.v[g] + w * grads[g] for g in grads}
    step = state.v if bug == "old_v" else v
    sign = -1.0 if bug == "ascent" else 1.0
    new = {k: W - sign * lr * step["d" + k] for k, W in params.items()}
    return new, MomentumState(state.t + (0 if bug == "t" else 1), v)


_MISSING_ONE = ("missing_one_minus_beta", "the (1 − β) factor on the gradient is missing "
                "(v ← β·v + dW)")

_update_exercise(
    "momentum", 6, "The momentum update", {"lr": 0.1, "beta": 0.7}, {"lr": 0.05, "beta": 0.9},
    momentum_update,
    [_m(*_MISSING_ONE, "the line that updates v: v = beta * v + (1 - beta) * dW. Without "
        "(1 − β), v is PyTorch's running sum, about 1/(1 − β) times larger than the course's "
        "average.", _momentum_bug, bug="one"),
     _m("beta_swapped", "β and (1 − β) are swapped: v ← (1 − β)·v + β·dW",
        "β multiplies the old v (the past), (1 − β) the new gradient.", _momentum_bug,
        bug="swap"),
     _m("stale_state", "the step used the old v, not the new one",
        "update v first, then W ← W − η·v with the NEW v.", _momentum_bug, bug="old_v"),
     _m("gradient_ascent", "the step goes up (+ instead of −)", "W - lr * v.", _momentum_bug,
        bug="ascent"),
     _m(*_T_STUCK, _momentum_bug, bug="t")],
    ("Replace the raw gradient of GD by its exponentially weighted average: first update the "
     "average, then step along it.",
     "v_dW ← β·v_dW + (1 − β)·dW;   W ← W − η·v_dW;   t ← t + 1",
     "```python\nv = {}\nfor g in grads:\n    v[g] = beta * state.v[g] + (1 - beta) * grads[g]\n"
     "new_params = {k: W - lr * v['d' + k] for k, W in params.items()}\n"
     "return new_params, MomentumState(state.t + 1, v)\n```"),
    "v ← β·v + (1−β)·dW; W ← W − η·v")


def nesterov_update(params, grads, state, *, lr, beta):
    """v ← β·v + (1 − β)·dW;  W ← W − η·(β·v + (1 − β)·dW): the step looks ahead along v."""
    v = {g: beta * state.v[g] + (1 - beta) * grads[g] for g in grads}
    new_params = {k: W - lr * (beta * v["d" + k] + (1 - beta) * grads["d" + k])
                  for k, W in params.items()}
    return new_params, MomentumState(state.t + 1, v)


def _nesterov_bug(params, grads, state, *, lr, beta, bug):
    w = 1.0 if bug == "one" else 1 - beta
    v = {g: beta * state.v[g] + w * grads[g] for g in grads}
    if bug == "plain":
        new = {k: W - lr * v["d" + k] for k, W in params.items()}
    else:
        new = {k: W - lr * (beta * v["d" + k] + w * grads["d" + k]) for k, W in params.items()}
    return new, MomentumState(state.t + (0 if bug == "t" else 1), v)


_update_exercise(
    "nesterov", 6, "Nesterov momentum", {"lr": 0.1, "beta": 0.7}, {"lr": 0.05, "beta": 0.9},
    nesterov_update,
    [_m("no_look_ahead", "a plain momentum step (W − η·v) without the look-ahead",
        "Nesterov steps along β·v + (1 − β)·dW with the NEW v: one more EWA step ahead.",
        _nesterov_bug, bug="plain"),
     _m(*_MISSING_ONE, "both EWA lines use (1 − β) on the gradient.", _nesterov_bug, bug="one"),
     _m(*_T_STUCK, _nesterov_bug, bug="t")],
    ("Update v exactly as in momentum; the difference is only in the step: look one EWA step "
     "further along v.",
     "v ← β·v + (1 − β)·dW;   W ← W − η·(β·v + (1 − β)·dW);   t ← t + 1",
     "```python\nv = {g: beta * state.v[g] + (1 - beta) * grads[g] for g in grads}\n"
     "new = {k: W - lr * (beta * v['d' + k] + (1 - beta) * grads['d' + k])\n"
     "       for k, W in params.items()}\nreturn new, MomentumState(state.t + 1, v)\n```"),
    "v ← β·v + (1−β)·dW; W ← W − η·(β·v + (1−β)·dW)")


# ============================================================================================
# Shared mistakes of the adaptive methods
_EPS_INSIDE = ("eps_inside", "ε inside the square root: √(s + ε) instead of √s + ε "
               "(the convention of d2l and Keras 3, for RMSprop also TensorFlow 1's)",
               "the denominator. The course follows PyTorch (and the Adagrad paper): "
               "np.sqrt(s) + eps, ε outside. The two forms differ only for tiny gradients "
               "(the inside form already when s is comparable to ε, i.e. |dW| near √ε), as "
               "here; see the notation page.")
_EPS_INSIDE_ADAM = ("eps_inside", "ε inside the square root: √(ŝ + ε) instead of √ŝ + ε",
                    "the denominator. The Adam paper, PyTorch, Keras and the course all put ε "
                    "outside the root: np.sqrt(s_hat) + eps. The two differ exactly when √ŝ "
                    "is close to ε, as for the tiny gradients here.")
_NOT_SQUARED = ("grad_not_squared", "the gradient is not squared in the s line",
                "s accumulates dW**2 (elementwise square), not dW.")
_NO_SQRT = ("missing_sqrt", "the square root is missing: dW / (s + ε)",
            "divide by np.sqrt(s) + eps.")
_STALE_S = ("stale_state", "the step used the old s, before adding this step's dW²",
            "update s first, then use the NEW s in the denominator.")


def _sqrt_den(s, eps, bug):
    if bug == "eps_inside":
        return np.sqrt(s + eps)
    if bug == "no_sqrt":
        return s + eps
    return np.sqrt(s) + eps


# ============================================================================================
# Chapter 7: Adagrad
def adagrad_update(params, grads, state, *, lr, eps):
    """s ← s + dW² (the running sum α_t);  W ← W − η·dW / (√s + ε)."""
    s = {g: state.s[g] + grads[g] ** 2 for g in grads}
    new_params = {k: W - lr * grads["d" + k] / (np.sqrt(s["d" + k]) + eps)
                  for k, W in params.items()}
    return new_params, AdagradState(state.t + 1, s)


def _adagrad_bug(params, grads, state, *, lr, eps, bug):
    power = 1 if bug == "not_squared" else 2
    s = {g: (0.0 if bug == "no_sum" else state.s[g]) + grads[g] ** power for g in grads}
    den = state.s if bug == "stale" else s
    new = {k: W - lr * grads["d" + k] / _sqrt_den(den["d" + k], eps, bug)
           for k, W in params.items()}
    return new, AdagradState(state.t + (0 if bug == "t" else 1), s)


_update_exercise(
    "adagrad", 7, "The Adagrad update", {"lr": 0.3, "eps": 1e-2}, {"lr": 0.05, "eps": 1e-10},
    adagrad_update,
    [_m(*_EPS_INSIDE, _adagrad_bug, bug="eps_inside", variant=True),
     _m(*_NOT_SQUARED, _adagrad_bug, bug="not_squared"),
     _m("s_not_accumulated", "s holds only this step's dW², not the running sum",
        "Adagrad ADDS: s = state.s + dW**2 (α_t is the sum over all steps so far).",
        _adagrad_bug, bug="no_sum"),
     _m(*_STALE_S, _adagrad_bug, bug="stale"),
     _m(*_NO_SQRT, _adagrad_bug, bug="no_sqrt"),
     _m(*_T_STUCK, _adagrad_bug, bug="t")],
    ("Each parameter gets its own learning rate η/(√α_t + ε), where α_t adds up all squared "
     "gradients seen so far. There is no momentum.",
     "α_t = s ← s + dW²;   W ← W − η·dW / (√s + ε);   t ← t + 1",
     "```python\ns = {g: state.s[g] + grads[g] ** 2 for g in grads}\n"
     "new = {k: W - lr * grads['d' + k] / (np.sqrt(s['d' + k]) + eps)\n"
     "       for k, W in params.items()}\nreturn new, AdagradState(state.t + 1, s)\n```"),
    "s ← s + dW²; W ← W − η·dW/(√s + ε)")


def adagrad_effective_lr(dW, *, lr, eps):
    """Adagrad's learning rate η_t = η / (√α_t + ε) after each gradient of a series."""
    alpha = np.cumsum(np.asarray(dW) ** 2)          # α_t = sum of the squared gradients so far
    return lr / (np.sqrt(alpha) + eps)


def _adagrad_lr_reference(dW, *, lr, eps):
    opt = OPTIMIZERS["adagrad"]
    params = {"W": np.zeros(())}
    state, rates = opt.init(params), []
    for g in dW:
        params, state = opt.update(params, {"dW": np.asarray(g, dtype=float)}, state,
                                   lr=lr, eps=eps)
        rates.append(float(opt.effective_lr(state, lr=lr, eps=eps)["dW"]))
    return np.array(rates)


def _adagrad_lr_bug(dW, *, lr, eps, bug):
    g = np.asarray(dW, dtype=float)
    alpha = {"not_squared": np.cumsum(g), "no_sum": g ** 2,
             "stale": np.concatenate([[0.0], np.cumsum(g ** 2)[:-1]])}.get(bug, np.cumsum(g ** 2))
    return lr / _sqrt_den(alpha, eps, bug)


_add(Exercise(
    name="adagrad_effective_lr", chapter=7, title="Adagrad's shrinking learning rate",
    description="For one weight with the gradients dW = [g_1, ..., g_T] over T steps, write "
                "adagrad_effective_lr(dW, *, lr, eps) -> array of η_t = lr / (√α_t + eps), "
                "α_t = g_1² + ... + g_t², for t = 1..T. Plot it to see why Adagrad stalls.",
    signature="adagrad_effective_lr(dW, *, lr, eps) -> array of shape (T,)",
    arg_names=("dW",), output_names=("eta_t",),
    cases=(Case("dW = [0.5, 2, 0.1, 0.003, 1], lr = 0.3, eps = 0.01",
                lambda: ((_a([0.5, 2.0, 0.1, 0.003, 1.0]),), {"lr": 0.3, "eps": 1e-2})),),
    reference=_adagrad_lr_reference, solution=adagrad_effective_lr,
    mistakes=(
        _m(*_EPS_INSIDE, _adagrad_lr_bug, bug="eps_inside", variant=True),
        _m(*_NOT_SQUARED, _adagrad_lr_bug, bug="not_squared"),
        _m("s_not_accumulated", "α_t holds only the last squared gradient",
           "α_t is the running SUM: np.cumsum(dW ** 2).", _adagrad_lr_bug, bug="no_sum"),
        _m("stale_state", "α_t leaves out the current gradient (off by one)",
           "η_t already includes g_t²: α_t = g_1² + ... + g_t².", _adagrad_lr_bug, bug="stale"),
        _m(*_NO_SQRT, _adagrad_lr_bug, bug="no_sqrt"),
    ),
    hints=(
        "α_t only grows, so η_t only shrinks. NumPy has a running sum.",
        "α_t = Σ_{i≤t} g_i²;   η_t = η / (√α_t + ε)",
        "```python\nalpha = np.cumsum(dW ** 2)\nreturn lr / (np.sqrt(alpha) + eps)\n```",
    ),
))


# ============================================================================================
# Chapter 8: RMSprop and Adadelta
def rmsprop_update(params, grads, state, *, lr, beta, eps):
    """s ← β·s + (1 − β)·dW²;  W ← W − η·dW / (√s + ε). No bias correction."""
    s = {g: beta * state.s[g] + (1 - beta) * grads[g] ** 2 for g in grads}
    new_params = {k: W - lr * grads["d" + k] / (np.sqrt(s["d" + k]) + eps)
                  for k, W in params.items()}
    return new_params, RMSpropState(state.t + 1, s)


def _rmsprop_bug(params, grads, state, *, lr, beta, eps, bug):
    b = 1 - beta if bug == "swap" else beta
    w = {"one": 1.0, "sum": 1.0}.get(bug, 1 - b)
    b = 1.0 if bug == "sum" else b
    power = 1 if bug == "not_squared" else 2
    s = {g: b * state.s[g] + w * grads[g] ** power for g in grads}
    den = state.s if bug == "stale" else s
    if bug == "bias":
        den = {g: x / (1 - beta ** (state.t + 1)) for g, x in den.items()}
    new = {k: W - lr * grads["d" + k] / _sqrt_den(den["d" + k], eps, bug)
           for k, W in params.items()}
    return new, RMSpropState(state.t + (0 if bug == "t" else 1), s)


_update_exercise(
    "rmsprop", 8, "The RMSprop update", {"lr": 0.05, "beta": 0.85, "eps": 1e-2},
    {"lr": 0.01, "beta": 0.9, "eps": 1e-8}, rmsprop_update,
    [_m(*_EPS_INSIDE, _rmsprop_bug, bug="eps_inside", variant=True),
     _m(*_NOT_SQUARED, _rmsprop_bug, bug="not_squared"),
     _m("missing_one_minus_beta", "the (1 − β) factor on dW² is missing (s ← β·s + dW²)",
        "s = beta * s + (1 - beta) * dW**2: an average, not a growing sum.", _rmsprop_bug,
        bug="one"),
     _m("beta_swapped", "β and (1 − β) are swapped: s ← (1 − β)·s + β·dW²",
        "β multiplies the old s.", _rmsprop_bug, bug="swap"),
     _m("adagrad_sum", "s ← s + dW²: that is Adagrad's ever-growing sum",
        "RMSprop replaces the sum by an EWA: s = beta * s + (1 - beta) * dW**2.", _rmsprop_bug,
        bug="sum"),
     _m(*_STALE_S, _rmsprop_bug, bug="stale"),
     _m(*_NO_SQRT, _rmsprop_bug, bug="no_sqrt"),
     _m("unwanted_bias_correction", "s was bias-corrected; RMSprop has no bias correction",
        "divide by np.sqrt(s) + eps with the raw s (Adam is the one that corrects).",
        _rmsprop_bug, bug="bias"),
     _m(*_T_STUCK, _rmsprop_bug, bug="t")],
    ("Adagrad with the ever-growing sum replaced by an exponentially weighted average of the "
     "squared gradients, so the effective rate cannot shrink to zero.",
     "s_dW ← β·s_dW + (1 − β)·dW²;   W ← W − η·dW / (√s_dW + ε);   t ← t + 1",
     "```python\ns = {g: beta * state.s[g] + (1 - beta) * grads[g] ** 2 for g in grads}\n"
     "new = {k: W - lr * grads['d' + k] / (np.sqrt(s['d' + k]) + eps)\n"
     "       for k, W in params.items()}\nreturn new, RMSpropState(state.t + 1, s)\n```"),
    "s ← β·s + (1−β)·dW²; W ← W − η·dW/(√s + ε)")


def adadelta_update(params, grads, state, *, lr, rho, eps):
    """s ← ρ·s + (1−ρ)·dW²;  Δ = √(u+ε)/√(s+ε)·dW;  u ← ρ·u + (1−ρ)·Δ²;  W ← W − η·Δ."""
    s = {g: rho * state.s[g] + (1 - rho) * grads[g] ** 2 for g in grads}
    delta = {g: np.sqrt(state.u[g] + eps) / np.sqrt(s[g] + eps) * grads[g] for g in grads}
    u = {g: rho * state.u[g] + (1 - rho) * delta[g] ** 2 for g in grads}
    new_params = {k: W - lr * delta["d" + k] for k, W in params.items()}
    return new_params, AdadeltaState(state.t + 1, s, u)


def _adadelta_bug(params, grads, state, *, lr, rho, eps, bug):
    w = 1.0 if bug == "one" else 1 - rho
    power = 1 if bug == "not_squared" else 2
    s = {g: rho * state.s[g] + w * grads[g] ** power for g in grads}
    s_den = state.s if bug == "stale" else s
    if bug == "eps_outside":
        delta = {g: (np.sqrt(state.u[g]) + eps) / (np.sqrt(s_den[g]) + eps) * grads[g]
                 for g in grads}
    else:
        delta = {g: np.sqrt(state.u[g] + eps) / np.sqrt(s_den[g] + eps) * grads[g]
                 for g in grads}
    u = {g: rho * state.u[g] + w * delta[g] ** (1 if bug == "delta_not_squared" else 2)
         for g in grads}
    step = 1.0 if bug == "no_lr" else lr
    new = {k: W - step * delta["d" + k] for k, W in params.items()}
    return new, AdadeltaState(state.t + (0 if bug == "t" else 1), s, u)


_update_exercise(
    "adadelta", 8, "The Adadelta update", {"lr": 0.9, "rho": 0.77, "eps": 1e-2},
    {"lr": 1.0, "rho": 0.9, "eps": 1e-6}, adadelta_update,
    [_m("eps_outside", "ε outside the square roots; Adadelta puts it INSIDE both",
        "Δ = np.sqrt(u + eps) / np.sqrt(s + eps) * dW: inside, ε also starts the very first "
        "steps (u = 0).", _adadelta_bug, bug="eps_outside"),
     _m(*_STALE_S, _adadelta_bug, bug="stale"),
     _m("lr_ignored", "the learning rate η is missing from the step",
        "W ← W − η·Δ (η = 1 is the original method, but use the lr you are given).",
        _adadelta_bug, bug="no_lr"),
     _m("missing_one_minus_beta", "the (1 − ρ) factors are missing",
        "s = rho * s + (1 - rho) * dW**2 and u = rho * u + (1 - rho) * delta**2.",
        _adadelta_bug, bug="one"),
     _m(*_NOT_SQUARED, _adadelta_bug, bug="not_squared"),
     _m("update_not_squared", "u averages Δ, not Δ²", "u = rho * u + (1 - rho) * delta**2.",
        _adadelta_bug, bug="delta_not_squared"),
     _m(*_T_STUCK, _adadelta_bug, bug="t")],
    ("Two running averages: of the squared gradients (s, as RMSprop) and of the squared "
     "updates (u). Their ratio sets the step size, in the units of W.",
     "s ← ρ·s + (1−ρ)·dW²;  Δ = √(u + ε)/√(s + ε)·dW  (old u, new s);  u ← ρ·u + (1−ρ)·Δ²;  "
     "W ← W − η·Δ",
     "```python\ns = {g: rho * state.s[g] + (1 - rho) * grads[g] ** 2 for g in grads}\n"
     "delta = {g: np.sqrt(state.u[g] + eps) / np.sqrt(s[g] + eps) * grads[g] for g in grads}\n"
     "u = {g: rho * state.u[g] + (1 - rho) * delta[g] ** 2 for g in grads}\n"
     "new = {k: W - lr * delta['d' + k] for k, W in params.items()}\n"
     "return new, AdadeltaState(state.t + 1, s, u)\n```"),
    "s ← ρ·s + (1−ρ)·dW²; Δ = √(u+ε)/√(s+ε)·dW; u ← ρ·u + (1−ρ)·Δ²; W ← W − η·Δ")


# ============================================================================================
# Chapter 9: Adam
def adam_update(params, grads, state, *, lr, beta1, beta2, eps):
    """Momentum line + RMSprop line + bias correction:  W ← W − η·v̂ / (√ŝ + ε)."""
    t = state.t + 1
    v = {g: beta1 * state.v[g] + (1 - beta1) * grads[g] for g in grads}
    s = {g: beta2 * state.s[g] + (1 - beta2) * grads[g] ** 2 for g in grads}
    new_params = {}
    for k, W in params.items():
        v_hat = v["d" + k] / (1 - beta1 ** t)      # corrected copies for the step only;
        s_hat = s["d" + k] / (1 - beta2 ** t)      # the state keeps the raw v and s
        new_params[k] = W - lr * v_hat / (np.sqrt(s_hat) + eps)
    return new_params, AdamState(t, v, s)


def _adam_bug(params, grads, state, *, lr, beta1, beta2, eps, bug, weight_decay=0.0,
              wd_bug=""):
    b1, b2 = (beta2, beta1) if bug == "swap" else (beta1, beta2)
    t = state.t + 1
    tc = state.t if bug == "t_off" else t
    if wd_bug == "l2":
        grads = {"d" + k: grads["d" + k] + weight_decay * W for k, W in params.items()}
    elif weight_decay and wd_bug != "after":
        factor = 1 - (weight_decay if wd_bug == "no_lr" else lr * weight_decay)
        params = {k: W * factor for k, W in params.items()}
    v = {g: b1 * state.v[g] + (1.0 if bug == "one1" else 1 - b1) * grads[g] for g in grads}
    s = {g: b2 * state.s[g] + (1.0 if bug == "one2" else 1 - b2)
         * grads[g] ** (1 if bug == "not_squared" else 2) for g in grads}
    v_hat = {g: x if bug in ("none", "none_v") else x / (1 - b1 ** tc) for g, x in v.items()}
    s_hat = {g: x if bug in ("none", "none_s") else x / (1 - b2 ** tc) for g, x in s.items()}
    if bug == "keras":
        rate = lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t)
        new = {k: W - rate * v["d" + k] / (np.sqrt(s["d" + k]) + eps)
               for k, W in params.items()}
    else:
        new = {k: W - lr * v_hat["d" + k] / _sqrt_den(s_hat["d" + k], eps, bug)
               for k, W in params.items()}
    if wd_bug == "after":
        new = {k: W * (1 - lr * weight_decay) for k, W in new.items()}
    if bug == "back":
        v, s = v_hat, s_hat
    return new, AdamState(state.t + (0 if bug == "t" else 1), v, s)


def _adam_mistakes(fn):
    return [
        _m(*_EPS_INSIDE_ADAM, fn, bug="eps_inside"),
        _m("no_bias_correction", "no bias correction: the step used the raw v and s",
           "v_hat = v / (1 - beta1**t) and s_hat = s / (1 - beta2**t) with t = state.t + 1, "
           "then W - lr * v_hat / (np.sqrt(s_hat) + eps).", fn, bug="none"),
        _m("no_bias_correction", "v̂ is not bias-corrected (ŝ is)",
           "v_hat = v / (1 - beta1**t).", fn, bug="none_v"),
        _m("no_bias_correction", "ŝ is not bias-corrected (v̂ is)",
           "s_hat = s / (1 - beta2**t).", fn, bug="none_s"),
        _m("bias_correction_in_state", "the bias-corrected v̂, ŝ were stored in the state",
           "keep the RAW v and s in AdamState; v_hat and s_hat are local copies for the step "
           "only. Stored, the correction is applied again at every step.", fn, bug="back"),
        _m("betas_swapped", "β1 and β2 are swapped",
           "β1 (0.9 by default) belongs to v, the momentum line; β2 (0.999) to s, the "
           "squared-gradient line.", fn, bug="swap"),
        _m("missing_one_minus_beta", "the (1 − β1) factor is missing in the v line",
           "v = beta1 * v + (1 - beta1) * dW.", fn, bug="one1"),
        _m("missing_one_minus_beta", "the (1 − β2) factor is missing in the s line",
           "s = beta2 * s + (1 - beta2) * dW**2.", fn, bug="one2"),
        _m("t_off_by_one", "the bias correction used the old t (state.t) instead of t + 1",
           "count the step first: t = state.t + 1, then divide by (1 - beta**t); at the "
           "first step t = 1, and 1 − β^0 = 0 would divide by zero.", fn, bug="t_off"),
        _m(*_T_STUCK, fn, bug="t"),
        _m(*_NOT_SQUARED, fn, bug="not_squared"),
        _m(*_NO_SQRT, fn, bug="no_sqrt"),
        _m("keras_eps_hat", "ε added before the bias correction: the 'ε̂' form of the Adam "
           "paper's note on efficiency, which Keras/TensorFlow use",
           "your step η·√(1 − β2^t)/(1 − β1^t)·v/(√s + ε) is the course's step with ε "
           "replaced by ε/√(1 − β2^t); the two differ only while √ŝ is not much larger than "
           "ε/√(1 − β2^t), i.e. early in training (up to about 32·ε at t = 1 with "
           "β2 = 0.999) or for tiny gradients (here ε = 0.01 and the gradients are small, "
           "so the numbers differ). The "
           "exercise asks for the course's form, which is PyTorch's: correct v and s first, "
           "then add ε: v_hat / (np.sqrt(s_hat) + eps).", fn, bug="keras", variant=True),
    ]


_ADAM_HP_A = {"lr": 0.1, "beta1": 0.8, "beta2": 0.888, "eps": 1e-2}
_ADAM_HP_C = {"lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}

_update_exercise(
    "adam", 9, "The Adam update", _ADAM_HP_A, _ADAM_HP_C, adam_update, _adam_mistakes(_adam_bug),
    ("Adam = the momentum line (v, with β1) + the RMSprop line (s, with β2), both from zero, "
     "plus a bias correction of both before the step. Count the step first.",
     "t ← t + 1;  v ← β1·v + (1 − β1)·dW;  s ← β2·s + (1 − β2)·dW²;  v̂ = v/(1 − β1^t);  "
     "ŝ = s/(1 − β2^t);  W ← W − η·v̂/(√ŝ + ε).  The state keeps v and s, not v̂ and ŝ.",
     "```python\nt = state.t + 1\nv = {g: beta1 * state.v[g] + (1 - beta1) * grads[g] for g in "
     "grads}\ns = {g: beta2 * state.s[g] + (1 - beta2) * grads[g] ** 2 for g in grads}\n"
     "new = {}\nfor k, W in params.items():\n    v_hat = v['d' + k] / (1 - beta1 ** t)\n"
     "    s_hat = s['d' + k] / (1 - beta2 ** t)\n"
     "    new[k] = W - lr * v_hat / (np.sqrt(s_hat) + eps)\nreturn new, AdamState(t, v, s)\n```"),
    "v ← β1·v + (1−β1)·dW; s ← β2·s + (1−β2)·dW²; W ← W − η·v̂/(√ŝ + ε) with "
    "v̂ = v/(1−β1^t), ŝ = s/(1−β2^t)")


def adamw_update(params, grads, state, *, lr, beta1, beta2, eps, weight_decay):
    """Decoupled weight decay first, W ← W·(1 − η·λ), then the Adam step on the plain dW."""
    decayed = {k: W * (1 - lr * weight_decay) for k, W in params.items()}
    t = state.t + 1
    v = {g: beta1 * state.v[g] + (1 - beta1) * grads[g] for g in grads}
    s = {g: beta2 * state.s[g] + (1 - beta2) * grads[g] ** 2 for g in grads}
    new_params = {}
    for k, W in decayed.items():
        v_hat = v["d" + k] / (1 - beta1 ** t)
        s_hat = s["d" + k] / (1 - beta2 ** t)
        new_params[k] = W - lr * v_hat / (np.sqrt(s_hat) + eps)
    return new_params, AdamState(t, v, s)


def _adamw_bug(params, grads, state, *, lr, beta1, beta2, eps, weight_decay, bug="",
               wd_bug=""):
    return _adam_bug(params, grads, state, lr=lr, beta1=beta1, beta2=beta2, eps=eps,
                     bug=bug, weight_decay=weight_decay, wd_bug=wd_bug)


def _adamw_without_decay(params, grads, state, *, lr, beta1, beta2, eps, weight_decay):
    return _adam_bug(params, grads, state, lr=lr, beta1=beta1, beta2=beta2, eps=eps, bug="")


_update_exercise(
    "adamw", 9, "AdamW: Adam with decoupled weight decay",
    dict(_ADAM_HP_A, weight_decay=0.3), dict(_ADAM_HP_C, weight_decay=0.01), adamw_update,
    [_m("l2_not_decoupled", "weight decay added to the gradient (L2 regularisation): that is "
        "Adam + L2, not AdamW", "AdamW shrinks the weights directly, W·(1 − η·λ), and runs "
        "Adam on the plain dW, so the decay is not divided by √ŝ.", _adamw_bug, wd_bug="l2"),
     _m("decay_after_step", "the weight decay was applied after the Adam step",
        "decay the OLD weights first: W·(1 − η·λ), then subtract the Adam step.", _adamw_bug,
        wd_bug="after"),
     _m("decay_missing_lr", "the decay is W·(1 − λ), not scaled by η: Loshchilov & Hutter's "
        "form (their λ is scaled by the schedule multiplier η_t, 1 without a schedule, not by "
        "the learning rate)",
        "the exercise asks for the course's convention, PyTorch's: W·(1 − η·λ), the decay "
        "scaled by the learning rate lr. The two λ's differ by that factor: the paper's λ is "
        "PyTorch's η·λ. Multiply the weights by (1 - lr * weight_decay).", _adamw_bug,
        wd_bug="no_lr", variant=True),
     _m("no_weight_decay", "no weight decay at all: this is plain Adam",
        "multiply the weights by (1 − lr * weight_decay) first.", _adamw_without_decay),
     *[m for m in _adam_mistakes(_adamw_bug) if m.code in
       ("eps_inside", "no_bias_correction", "bias_correction_in_state", "betas_swapped",
        "t_off_by_one", "t_not_incremented", "missing_one_minus_beta", "keras_eps_hat")]],
    ("AdamW = a shrink of the weights towards zero, then a normal Adam step with the plain "
     "gradient. The shrink does not go through v and s.",
     "W ← W·(1 − η·λ);  then the Adam step: v, s, v̂, ŝ as in Adam;  W ← W − η·v̂/(√ŝ + ε)",
     "```python\ndecayed = {k: W * (1 - lr * weight_decay) for k, W in params.items()}\n"
     "# ... then exactly your adam_update on (decayed, grads, state)\n"
     "return adam_update(decayed, grads, state, lr=lr, beta1=beta1, beta2=beta2, eps=eps)\n```"),
    "W ← W·(1 − η·λ), then the Adam step")
