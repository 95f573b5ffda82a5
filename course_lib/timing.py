r"""The course's one way of timing code, so that every figure in the prose is taken alike.

Absolute times change from machine to machine and from run to run; the text of a chapter
therefore quotes only *ratios* of times taken together by :func:`time_together`, which runs the
candidates in interleaved rounds (A, B, A, B, ...) so that a burst of load on the machine hits
all of them alike, and reports the median of the rounds.

>>> t = time_together({"sum": lambda: sum(range(100)), "noop": lambda: None}, repeat=3)
>>> sorted(t)
['noop', 'sum']
>>> t["sum"].seconds > 0 and t["sum"].calls >= 1
True
"""
from __future__ import annotations

import gc
import statistics
import time
from typing import Callable, NamedTuple

from course_lib._validate import _show_big, check_number

__all__ = ["Timing", "time_together", "time_per_call"]


class Timing(NamedTuple):
    """Seconds per call: the median over the rounds (``seconds``), the fastest round (``best``),
    each round's figure (``rounds``) and the calls made per round (``calls``)."""
    seconds: float
    best: float
    rounds: tuple
    calls: int

    def __str__(self):
        return f"{_human(self.seconds)} per call (median of {len(self.rounds)} rounds)"


def _human(seconds: float) -> str:
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def _calls_for(fn: Callable, min_round: float) -> int:
    """How many calls (1, 2, 4, ...) make a round last at least ``min_round`` seconds."""
    calls = 1
    while True:
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        if time.perf_counter() - start >= min_round or calls >= 10**7:
            return calls
        calls *= 2


#: The most rounds time_together / time_per_call run (each lasts about min_round seconds).
MAX_REPEAT = 1000


def time_together(fns: dict, *, repeat: int = 5, min_round: float = 0.02) -> dict:
    """Time each callable of ``fns`` (name -> function of no argument) in interleaved rounds.

    Each round calls every function enough times to last about ``min_round`` seconds (a fast
    function is called many times, so the timer's resolution does not matter); the garbage
    collector is paused while a round runs, as in :mod:`timeit`.

    ``repeat`` (1 to 1,000 rounds) and ``min_round`` (0 to 60 s) are bounded so that a typo
    such as ``repeat=10**9`` is refused instead of running for days.

    Returns a dict name -> :class:`Timing`, in the order of ``fns``.
    """
    if not isinstance(fns, dict) or not fns:
        raise TypeError(f"fns must be a non-empty dict of name -> function, got {fns!r}")
    for name, fn in fns.items():
        if not callable(fn):
            raise TypeError(f"fns[{name!r}] must be a function of no argument, got {fn!r}")
    repeat = check_number("repeat", repeat, low=1, integer=True)
    if repeat > MAX_REPEAT:
        raise ValueError(f"repeat must be <= {MAX_REPEAT} rounds, got {_show_big(repeat)}")
    min_round = check_number("min_round", min_round, low=0, high=60)
    calls = {name: _calls_for(fn, min_round) for name, fn in fns.items()}
    rounds = {name: [] for name in fns}
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(repeat):
            for name, fn in fns.items():
                start = time.perf_counter()
                for _ in range(calls[name]):
                    fn()
                rounds[name].append((time.perf_counter() - start) / calls[name])
    finally:
        if was_enabled:
            gc.enable()
    return {name: Timing(statistics.median(r), min(r), tuple(r), calls[name])
            for name, r in rounds.items()}


def time_per_call(fn: Callable, *, repeat: int = 5, min_round: float = 0.02) -> Timing:
    """Time one callable of no argument (see :func:`time_together`)."""
    return time_together({"fn": fn}, repeat=repeat, min_round=min_round)["fn"]
