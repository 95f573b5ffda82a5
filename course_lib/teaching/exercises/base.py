"""The exercise bank's building blocks: what an exercise, a fixed input and a classic mistake are.

Plain data. The machinery that runs and judges a learner's function lives in
:mod:`course_lib.exercises`. Every :class:`Exercise` has

- ``cases``: fixed, deliberately unusual inputs (``make()`` builds fresh copies each time);
- ``reference``: the expected result, computed with the library wherever it has the function;
- ``solution``: the model solution a learner could have written (shown by ``solution(name)``);
- ``mistakes``: the classic wrong versions, each with a code, a label and what to look at; when
  a learner's output matches one of them, the checker names it;
- ``hints``: a nudge, the formula, the pseudo-code.

The chapter modules (``ch00_introduction``, ``ch01_gradient_descent``, ...) register their
exercises in :data:`EXERCISES`, in course order.

>>> case = Case("two numbers", lambda: ((1.0, 2.0), {}))
>>> case.make()
((1.0, 2.0), {})
>>> wrong = _m("sign_flipped", "the sign is flipped", "look at the sign.", lambda x: -x)
>>> wrong.fn(3.0), wrong.variant
(-3.0, False)
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Callable

import numpy as np

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


def _int_case(*values):
    return lambda: (values, {})
