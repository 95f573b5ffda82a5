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
    if isinstance(value, (np.timedelta64, np.datetime64)):
        # NumPy registers timedelta64 as an integer type: it is a duration, not a number
        raise TypeError(f"{name} must be {kind}, got {_show(value)} of type "
                        f"{type(value).__name__} (a date or duration, not a number)")
    if isinstance(value, bool) or not isinstance(value, wanted):
        if integer and isinstance(value, numbers.Real) and not isinstance(value, bool) \
                and float(value).is_integer():
            value = int(value)
        else:
            raise TypeError(f"{name} must be {kind}, got {_show(value)} "
                            f"of type {type(value).__name__}")
    if integer:
        value = int(value)  # a Python int: -np.uint64(5) would wrap around, np.int8 overflow
    else:
        try:
            value = float(value)
        except OverflowError:  # an int such as 10**400: beyond every float
            raise ValueError(f"{name} must be a finite number, got {_show_big(value)}, larger "
                             f"than the largest float ({_FLOAT_MAX:.3g})") from None
        if math.isnan(value):
            raise ValueError(f"{name} must be {kind}, got NaN")
    if low is not None and (value < low or (low_open and value == low)):
        allowed = _range(low, high, low_open, high_open)
        raise ValueError(f"{name} must be {allowed}, got {_show_big(value)}")
    if high is not None and (value > high or (high_open and value == high)):
        allowed = _range(low, high, low_open, high_open)
        raise ValueError(f"{name} must be {allowed}, got {_show_big(value)}")
    if not integer and math.isinf(value):
        raise ValueError(f"{name} must be finite, got {_show(value)}")
    return value


_FLOAT_MAX = float(np.finfo(np.float64).max)


def _show_big(value) -> str:
    """``_show``, but an int of more than 20 digits as ``about 10**400`` (its repr is unreadable,
    and Python refuses to print an int of more than 4300 digits)."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool) \
            and abs(int(value)) >= 10**12:
        return f"an integer of about 10**{math.log10(abs(int(value))):.0f}"
    return _show(value)


def _range(low, high, low_open, high_open) -> str:
    if high is None:
        return f"{'>' if low_open else '>='} {low}"
    if low is None:
        return f"{'<' if high_open else '<='} {high}"
    return f"in {'(' if low_open else '['}{low}, {high}{')' if high_open else ']'}"


def check_choice(name: str, value, allowed) -> str:
    """Check that ``value`` is one of ``allowed`` and suggest the closest name on a typo.

    A value of another type (an array, a list, None) is refused with a ``TypeError`` before any
    comparison, so NumPy's "truth value of an array is ambiguous" never reaches the learner.

    >>> check_choice("task", "regression", ("classification", "regression"))
    'regression'
    """
    allowed = list(allowed)
    names = ", ".join(map(repr, allowed))
    if all(isinstance(a, str) for a in allowed):
        if not isinstance(value, str):
            raise TypeError(f"{name} must be one of {names} (a string); got {_show(value)} "
                            f"of type {type(value).__name__}")
        found = value in allowed
    else:  # compare only values of the same type: an array never meets ``==``
        found = any(type(a) is type(value) and a == value for a in allowed)
    if found:
        return value
    hint = ""
    if isinstance(value, str):
        import difflib  # only on the error path: it is slow to import
        close = difflib.get_close_matches(value, [str(a) for a in allowed], n=1)
        if close:
            hint = f" (did you mean {close[0]!r}?)"
    raise ValueError(f"{name} must be one of {names}; got {_show(value)}{hint}")


#: dtype kinds accepted as numbers: float, signed and unsigned int.
_REAL_KINDS = "fiu"
_KIND_NAMES = {"b": "bool", "c": "complex", "U": "string", "S": "bytes", "M": "datetime",
               "m": "timedelta", "O": "object (mixed or non-numeric entries)", "V": "structured"}


def real_array(name: str, value) -> np.ndarray:
    """``value`` as a float64 array, refusing what is not a real number.

    Floats and ints (Python or NumPy, scalars, lists, arrays) are accepted; bool, complex,
    string, datetime and object arrays are refused with a ``TypeError`` naming the argument and
    its dtype (``np.asarray(..., dtype=float)`` would silently drop an imaginary part, turn True
    into 1.0 or parse the string "1.5").

    >>> real_array("a", [1, 2.5]).tolist()
    [1.0, 2.5]
    """
    if isinstance(value, (bool, np.bool_, str, bytes)) or \
            not isinstance(value, (np.ndarray, np.generic, numbers.Number, list, tuple)):
        raise TypeError(f"{name} must be a NumPy array of numbers, got {_show(value)} "
                        f"of type {type(value).__name__}")
    if isinstance(value, np.ndarray):
        arr = value
    else:
        try:
            arr = np.asarray(value)
        except (TypeError, ValueError, OverflowError):
            raise TypeError(f"{name} must be a rectangular array of real numbers, got "
                            f"{_show(value)}") from None
    kind = arr.dtype.kind
    if kind not in _REAL_KINDS:
        what = _KIND_NAMES.get(kind, str(arr.dtype))
        raise TypeError(f"{name} must hold real numbers (float or int), got "
                        f"{'an array' if arr.ndim else 'a value'} of dtype {arr.dtype} "
                        f"({what}): {_show(value)}")
    return arr.astype(np.float64, copy=False)


def check_array(name: str, value, *, ndim=None, shape=None, finite=True) -> np.ndarray:
    """Return ``value`` as a float64 array after checking type, dtype, shape and finiteness.

    >>> check_array("w", [1, 2], shape=(2,)).tolist()
    [1.0, 2.0]
    """
    arr = real_array(name, value)
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension(s), got shape {arr.shape}")
    if shape is not None and arr.shape != tuple(shape):
        raise ValueError(f"{name} must have shape {tuple(shape)}, got shape {arr.shape}")
    if finite and not np.all(np.isfinite(arr)):
        bad = "NaN" if np.isnan(arr).any() else "inf"
        raise ValueError(f"{name} must contain only finite numbers, found {bad}")
    return arr


#: The most numbers one array of the course may hold: 2e8 float64 numbers are 1.6 GB.
MAX_NUMBERS = 2 * 10**8


def check_numbers_fit(what: str, count: int, *, limit: int = MAX_NUMBERS) -> None:
    """Refuse an array of ``count`` numbers that cannot fit in memory.

    ``what`` names the arguments, e.g. ``"n * d (n=10, d=10**9)"``.

    >>> check_numbers_fit("n * d", 1000)
    """
    if count > limit:
        raise ValueError(f"{what} = {_show_big(count) if count >= 10**20 else f'{count:,}'} "
                         f"numbers is too many: at 8 bytes each that is "
                         f"{_gb(count)}; the limit here is {limit:,} numbers "
                         f"({_gb(limit)}): make it smaller")


def _gb(count) -> str:
    if count >= 10**20:
        return "more than 800 exabytes"
    return f"{count * 8 / 1e9:.3g} GB"


def check_flag(name: str, value) -> bool:
    """``value`` as a bool: only True or False (or a NumPy bool) is accepted.

    >>> check_flag("filled", True)
    True
    """
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {_show(value)} "
                        f"of type {type(value).__name__}")
    return bool(value)


def check_rng(name: str, value) -> np.random.Generator:
    """Accept a ``numpy.random.Generator`` or an int seed; refuse the global state."""
    if isinstance(value, np.random.Generator):
        return value
    if isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.timedelta64)) \
            and value >= 0:
        return np.random.default_rng(int(value))
    raise TypeError(f"{name} must be a numpy.random.Generator or a non-negative int seed, "
                    f"got {_show(value)} of type {type(value).__name__}")
