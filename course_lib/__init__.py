"""course_lib: the shared library of the optimizers course.

Submodules load on first use, so ``import course_lib`` costs little more than ``import numpy``:

- ``course_lib.moving_averages``: EWA step, bias correction, EWA of a series
- ``course_lib.optimizers``: ``OPTIMIZERS[name].init / .update`` for gd ... nadam
- ``course_lib.problems``: 2-D test functions with analytic gradients
- ``course_lib.data``: seeded data sets and the mini-batch iterator
- ``course_lib.models``: linear / logistic regression and a two-layer network with backprop
- ``course_lib.training``: one loop for GD, SGD and mini-batch SGD; the 2-D path runner
- ``course_lib.timing``: the one way the course times code (interleaved rounds, medians)
- ``course_lib.claims``: ``claim(...)``, the check under every number the prose states

Newer parts sit in layer packages (imported by their full name):

- ``course_lib.core`` (math): ``clipping``, ``schedules``, ``memory``, ``noise_scale``
- ``course_lib.loops`` (runs across processes): ``distributed``
- ``course_lib.teaching`` (practice): the question bank, ``srs``, ``progress``,
  ``mock_interview``; learners reach them through ``course_lib.quiz``
"""
from __future__ import annotations

import importlib

__version__ = "0.1.0"

_SUBMODULES = {
    "moving_averages", "optimizers", "problems", "paths", "data", "models", "training",
    "plots", "widgets", "exercises", "quiz", "claims", "timing",
}

__all__ = sorted(_SUBMODULES)


def __getattr__(name):
    if name in _SUBMODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'course_lib' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | _SUBMODULES)
