"""Shared pieces of the update-rule exercises (chapters 1 and 6-9): fixtures, cases, mistakes.

Every update-rule exercise is judged on the same three cases: a mid-training step with unusual
hyperparameters, the first step from the optimizer's ``init``, and a two-layer network's
parameters. The adaptive methods (chapters 7-9) share some classic mistakes (ε inside the root,
the gradient not squared, a stale state).

>>> sorted(_params_a()), sorted(_grads_a())
(['W', 'b'], ['dW', 'db'])
>>> float(_sqrt_den(np.array(4.0), 0.5, "eps_inside")) == float(np.sqrt(4.5))
True
"""
from __future__ import annotations

import numpy as np

from ...optimizers import OPTIMIZERS
from .base import Case, Exercise, _a, _add

__all__: list = []


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
