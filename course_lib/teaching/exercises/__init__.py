"""The exercise bank, one module per chapter: fixed inputs, model solutions, mistakes and hints.

:mod:`course_lib.exercises` (the learner's import path) runs and judges a learner's function;
this package holds the data it judges with. :mod:`.base` defines :class:`Case`,
:class:`Mistake` and :class:`Exercise`; each chapter module (``ch00_introduction``,
``ch01_gradient_descent``, ..., ``ch12_optimizers_at_scale``) registers its exercises in
:data:`EXERCISES` when it is imported. The imports below run in course order, so
``EXERCISES`` lists the exercises in that order.

>>> from course_lib.teaching.exercises import EXERCISES
>>> [e.name for e in EXERCISES.values()][:3]
['mse_loss', 'forward_pass', 'weight_update']
>>> sorted({e.chapter for e in EXERCISES.values()}) == sorted(set(CHAPTER_MODULES))
True
"""
from __future__ import annotations

from . import (ch00_introduction, ch01_gradient_descent, ch02_sgd, ch03_minibatch_sgd,  # noqa: F401
               ch04_epochs_and_iterations, ch05_exponentially_weighted_average, ch06_momentum,
               ch07_adagrad, ch08_rmsprop_adadelta, ch09_adam, ch12_optimizers_at_scale)
from .base import EXERCISES, Case, Exercise, Mistake
from .ch02_sgd import OrderRecorder  # noqa: F401  (the epoch exercises' rng)
from .ch03_minibatch_sgd import MB_Y0, MB_Y_STEP

__all__ = ["Case", "Mistake", "Exercise", "EXERCISES", "CHAPTER_MODULES", "MB_Y0", "MB_Y_STEP"]

#: The module of each chapter that has exercises, by chapter number.
CHAPTER_MODULES = {0: ch00_introduction, 1: ch01_gradient_descent, 2: ch02_sgd,
                   3: ch03_minibatch_sgd, 4: ch04_epochs_and_iterations,
                   5: ch05_exponentially_weighted_average, 6: ch06_momentum, 7: ch07_adagrad,
                   8: ch08_rmsprop_adadelta, 9: ch09_adam,
                   12: ch12_optimizers_at_scale}
