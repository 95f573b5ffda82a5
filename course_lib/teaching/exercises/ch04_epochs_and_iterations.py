"""Chapter 4's exercises: epochs and iterations.

>>> iterations_per_epoch(10, 3), total_iterations(10, 3, epochs=2)
(4, 8)
"""
from __future__ import annotations

import math

from .base import Case, Exercise, _add, _int_case, _m

__all__ = ["iterations_per_epoch", "total_iterations"]


def iterations_per_epoch(n, batch_size):
    """Updates in one epoch: ceil(n / batch_size), the last batch may be short."""
    return math.ceil(n / batch_size)


def _lib_iterations_per_epoch(n, batch_size):
    from ...data import iterations_per_epoch as library
    return library(n, batch_size)


_IPE_CASES = [(10_000, 1000), (10, 3), (50_000, 128), (7, 7), (10_000, 1), (1_000_000, 20_000),
              (12, 5)]


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
