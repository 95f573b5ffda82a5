r"""Executable claims: a sentence of the prose, checked by the numbers the notebook computes.

Every number or comparison that a chapter's text states ("the first step is about 3.2 η",
"momentum needs fewer steps") sits under a small code cell that recomputes it::

    claim(first_step / lr, approx=3.16, rel=0.01,
          says="the first step is about 3.2 times too large")

The check prints nothing while the sentence is true. When a change to the library or the
experiment makes it false, the cell fails, and its message quotes the sentence (``says``, copied
word for word from the Markdown cell above it, which ``tests/test_claims.py`` verifies) together
with the measured and the promised value, so the author knows which sentence to fix.

Claim cells carry the tags ``claim`` and ``hide-cell`` (the book folds them away) and the slide
type ``skip`` (the decks leave them out).

>>> claim(0.1 + 0.2, approx=0.3, rel=1e-9, says="0.1 + 0.2 is 0.3")
>>> claim(3 > 2, says="three is more than two")
>>> claim(5.0, lt=4.0, says="five is below four")
Traceback (most recent call last):
...
course_lib.claims.ClaimError: This sentence no longer holds: "five is below four"
  measured 5, but the sentence needs a value < 4.
  Fix the sentence in the Markdown cell above this check, or the experiment, so that they agree.
"""
from __future__ import annotations

import math
import numbers

import numpy as np

from ._validate import _show, _show_big

__all__ = ["ClaimError", "claim"]


class ClaimError(AssertionError):
    """A sentence of the prose is contradicted by the numbers the notebook computes."""


def _fmt(x) -> str:
    return f"{x:.4g}" if isinstance(x, float) else repr(x)


def _real(name: str, value) -> float:
    if isinstance(value, (bool, np.bool_, np.timedelta64)) \
            or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {_show(value)} of type "
                        f"{type(value).__name__}")
    try:
        value = float(value)
    except OverflowError:  # an int such as 10**400
        raise ValueError(f"{name} must be a real number within float range, got "
                         f"{_show_big(value)}") from None
    if math.isnan(value):
        raise ValueError(f"{name} must be a real number, got NaN")
    return value


def claim(value, *, says: str, approx=None, rel=None, abs_tol=None,
          lt=None, le=None, gt=None, ge=None) -> None:
    """Check that ``value`` bears out the sentence ``says``; raise :class:`ClaimError` if not.

    Parameters
    ----------
    value : bool or real number
        What the notebook measured. A bool with no comparison given must be ``True``.
    says : str
        The sentence (or the part of it) that the check backs, word for word as in the
        Markdown cell above.
    approx : real, optional
        The value the sentence states. ``value`` must lie within ``rel`` (relative, default
        0.05 when ``abs_tol`` is not given) or ``abs_tol`` (absolute) of it.
    rel, abs_tol : non-negative real, optional
        Tolerances for ``approx``. With both given, either one suffices.
    lt, le, gt, ge : real, optional
        Bounds: ``value < lt``, ``value <= le``, ``value > gt``, ``value >= ge``; several may be
        combined (``gt=0, lt=1`` is an open interval).
    """
    if not isinstance(says, str) or not says.strip():
        raise TypeError(f"says must be the sentence the check backs (a non-empty str), got "
                        f"{says!r}")
    bounds = {"lt": lt, "le": le, "gt": gt, "ge": ge}
    given = {k: _real(k, v) for k, v in bounds.items() if v is not None}
    if approx is None and (rel is not None or abs_tol is not None):
        raise TypeError("rel and abs_tol need approx: the value the sentence states")
    if isinstance(value, (bool, np.bool_)):
        if approx is not None or given:
            raise TypeError(f"value is {value!r}, a truth value: give a number to compare "
                            "with approx/lt/le/gt/ge, or no comparison at all")
        if not value:
            _fail(says, "the check found it false.")
        return None
    value = _real("value", value)
    if approx is None and not given:
        raise TypeError("say what the sentence promises: approx=... or a bound "
                        "(lt, le, gt, ge), or pass a truth value")
    if approx is not None:
        approx = _real("approx", approx)
        tols = {}
        if rel is not None:
            tols["rel"] = _real("rel", rel)
        if abs_tol is not None:
            tols["abs_tol"] = _real("abs_tol", abs_tol)
        for name, tol in tols.items():
            if tol < 0:
                raise ValueError(f"{name} must be >= 0, got {tol!r}")
        if not tols:
            tols["rel"] = 0.05
        ok = any(abs(value - approx) <= (tol * abs(approx) if name == "rel" else tol)
                 for name, tol in tols.items())
        if not ok:
            parts = []
            if "rel" in tols:
                parts.append(f"{tols['rel'] * 100:.3g} %")
            if "abs_tol" in tols:
                parts.append(f"± {tols['abs_tol']:.3g}")
            within = " or ".join(parts)
            _fail(says, f"measured {_fmt(value)}, but the sentence needs about {_fmt(approx)} "
                        f"(within {within}).")
    checks = {"lt": (lambda b: value < b, "<"), "le": (lambda b: value <= b, "<="),
              "gt": (lambda b: value > b, ">"), "ge": (lambda b: value >= b, ">=")}
    for name, bound in given.items():
        test, sign = checks[name]
        if not test(bound):
            shown = int(bound) if bound.is_integer() else bound
            _fail(says, f"measured {_fmt(int(value) if value.is_integer() else value)}, "
                        f"but the sentence needs a value {sign} {_fmt(shown)}.")
    return None


def _fail(says: str, detail: str):
    raise ClaimError(
        f'This sentence no longer holds: "{says.strip()}"\n  {detail}\n'
        "  Fix the sentence in the Markdown cell above this check, or the experiment, "
        "so that they agree.")
