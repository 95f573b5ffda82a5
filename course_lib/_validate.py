"""Argument checks shared by every public function of course_lib.

Each check raises with a message that names the argument, shows the bad value and says what is
allowed, so that a learner who passes ``lr=-0.1`` reads *why* it failed, not just *that* it failed.
"""
from __future__ import annotations

import math
import numbers

import numpy as np


def _show(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def check_number(name: str, value, *, low=None, high=None, low_open=False, high_open=False,
                 integer=False) -> float | int:
    """Return ``value`` as float (or int) after checking type, finiteness and range.

    >>> check_number("lr", 0.1, low=0, low_open=True)
    0.1
    """
    kind = "an integer" if integer else "a real number"
    wanted = numbers.Integral if integer else numbers.Real
    if isinstance(value, bool) or not isinstance(value, wanted):
        if integer and isinstance(value, numbers.Real) and not isinstance(value, bool) \
                and float(value).is_integer():
            value = int(value)
        else:
            raise TypeError(f"{name} must be {kind}, got {_show(value)} "
                            f"of type {type(value).__name__}")
    if not integer:
        value = float(value)
        if math.isnan(value):
            raise ValueError(f"{name} must be {kind}, got NaN")
    if low is not None and (value < low or (low_open and value == low)):
        allowed = _range(low, high, low_open, high_open)
        raise ValueError(f"{name} must be {allowed}, got {_show(value)}")
    if high is not None and (value > high or (high_open and value == high)):
        allowed = _range(low, high, low_open, high_open)
        raise ValueError(f"{name} must be {allowed}, got {_show(value)}")
    if not integer and math.isinf(value):
        raise ValueError(f"{name} must be finite, got {_show(value)}")
    return value


def _range(low, high, low_open, high_open) -> str:
    if high is None:
        return f"{'>' if low_open else '>='} {low}"
    if low is None:
        return f"{'<' if high_open else '<='} {high}"
    return f"in {'(' if low_open else '['}{low}, {high}{')' if high_open else ']'}"


def check_choice(name: str, value, allowed) -> str:
    """Check that ``value`` is one of ``allowed`` and suggest the closest name on a typo."""
    allowed = list(allowed)
    if value in allowed:
        return value
    hint = ""
    if isinstance(value, str):
        import difflib  # only on the error path: it is slow to import
        close = difflib.get_close_matches(value, [str(a) for a in allowed], n=1)
        if close:
            hint = f" (did you mean {close[0]!r}?)"
    raise ValueError(f"{name} must be one of {', '.join(map(repr, allowed))}; "
                     f"got {_show(value)}{hint}")


def check_array(name: str, value, *, ndim=None, shape=None, finite=True) -> np.ndarray:
    """Return ``value`` as a float64 array after checking type, shape and finiteness."""
    if isinstance(value, bool) or not isinstance(value, (np.ndarray, numbers.Real, list, tuple)):
        raise TypeError(f"{name} must be a NumPy array of numbers, got {_show(value)} "
                        f"of type {type(value).__name__}")
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be an array of real numbers, got {_show(value)}") from None
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension(s), got shape {arr.shape}")
    if shape is not None and arr.shape != tuple(shape):
        raise ValueError(f"{name} must have shape {tuple(shape)}, got shape {arr.shape}")
    if finite and not np.all(np.isfinite(arr)):
        bad = "NaN" if np.isnan(arr).any() else "inf"
        raise ValueError(f"{name} must contain only finite numbers, found {bad}")
    return arr


def check_rng(name: str, value) -> np.random.Generator:
    """Accept a ``numpy.random.Generator`` or an int seed; refuse the global state."""
    if isinstance(value, np.random.Generator):
        return value
    if isinstance(value, numbers.Integral) and not isinstance(value, bool) and value >= 0:
        return np.random.default_rng(int(value))
    raise TypeError(f"{name} must be a numpy.random.Generator or a non-negative int seed, "
                    f"got {_show(value)} of type {type(value).__name__}")
