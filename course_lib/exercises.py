r"""Exercise checkers: run a learner's function on fixed inputs and say what is wrong, and where.

One entry point, :func:`check`, judges the function a learner wrote for an exercise of the course.
It runs the function on fixed, deliberately unusual inputs (for Adam: ``state.t = 2``,
``beta1 = 0.8``, ``beta2 = 0.888``, ``eps = 1e-2``, so that the classic mistakes change the
numbers), compares the type, shape and values of the result and of the returned state with the
library's answer, and names the classic mistakes it recognises: ε inside the square root, a
missing bias correction, β1 and β2 swapped, ``t`` not incremented, data not reshuffled every
epoch, floor instead of ceil, inputs changed in place, and more. An answer in another valid
form (the Adam paper's ε̂ form, the AdamW paper's decay, ε inside the root for RMSprop, an
epoch in another random order) is named "a valid variant, not the one asked", never a mistake.

``check`` never raises: a stub that still raises ``NotImplementedError``, a wrong type, NaN, an
exception inside the learner's code or a call that runs longer than :data:`TIME_LIMIT` seconds
(a loop missing its step) all come back as a failed :class:`CheckResult` whose ``.message``
says what happened. The result is truthy only when the function passed, and shows as a green
or red block in a notebook. Only an interrupt (the notebook's stop button) stops ``check``.

>>> import numpy as np
>>> from course_lib.optimizers import MomentumState
>>> def momentum_update(params, grads, state, *, lr, beta):
...     v = {g: beta * state.v[g] + grads[g] for g in grads}          # (1 - beta) forgotten
...     new = {k: p - lr * v["d" + k] for k, p in params.items()}
...     return new, MomentumState(state.t + 1, v)
>>> result = check("momentum_update", momentum_update)
>>> bool(result), "missing_one_minus_beta" in result.mistakes
(False, True)
>>> print(result.message.splitlines()[0])
momentum_update: not passed yet.

Hints come in three levels (a nudge, the formula, the pseudo-code): call :func:`hint` again for
the next one. :func:`solution` shows the model solution (for instructors), :func:`reference`
returns it as a function.
"""
from __future__ import annotations

import contextlib
import copy
import html
import inspect
import numbers
import signal
import sys
import threading
import time
import traceback
import warnings
from typing import NamedTuple

import numpy as np

from .teaching import exercises as _bank
from ._validate import _show, check_choice, check_number

__all__ = ["check", "hint", "solution", "reference", "list_exercises", "reset_hints",
           "CheckResult", "EXERCISES", "NOT_IMPLEMENTED", "TIME_LIMIT"]

#: Every exercise of the course, by name: chapter, title, description, hints, fixed cases.
EXERCISES = _bank.EXERCISES

#: How the message for a stub that still raises ``NotImplementedError`` starts.
NOT_IMPLEMENTED = "Not implemented yet"

#: Seconds one call of a learner's function may run before :func:`check` stops it (and the
#: playground's ``extra=`` update rule, per run). The model solutions need milliseconds; an
#: instructor on a slow machine can raise it: ``course_lib.exercises.TIME_LIMIT = 10``.
TIME_LIMIT = 3.0

_RTOL, _ATOL = 1e-5, 1e-8
_MAX_BATCHES = 64  # a generator that yields more than this for 12 records never ends


# --------------------------------------------------------------------------------------------
# The result
class CheckResult:
    """The verdict on one function: truthy only on a pass.

    Attributes
    ----------
    name : str
        The exercise.
    passed : bool
        True when every case gave the right types, shapes and values and no input was changed.
    message : str
        The feedback: which mistake, where, and what to look at.
    mistakes : tuple of str
        Codes of what went wrong, e.g. ``("eps_inside",)``; empty on a pass.
    """

    def __init__(self, name, passed, message, mistakes=()):
        self.name = name
        self.passed = bool(passed)
        self.message = message
        self.mistakes = tuple(mistakes)

    def __bool__(self):
        return self.passed

    def _title(self):
        return f"{'PASSED' if self.passed else 'NOT PASSED'}: {self.name}"

    def __repr__(self):
        mark = "✔" if self.passed else "✘"
        bar = "─" * 72
        return f"{mark} {self._title()}\n{bar}\n{self.message}\n{bar}"

    __str__ = __repr__

    def _repr_markdown_(self):
        mark = "✅" if self.passed else "❌"
        text = self.message.replace("```", "'''")
        return f"**{mark} {self._title()}**\n\n```text\n{text}\n```\n"

    def _repr_html_(self):
        color, back = ("#2e7d32", "#e8f5e9") if self.passed else ("#c62828", "#ffebee")
        mark = "&#10004;" if self.passed else "&#10008;"
        return (f'<div style="border-left:6px solid {color};background:{back};color:#1b1b1b;'
                f'padding:6px 12px;margin:4px 0;border-radius:3px">'
                f'<div style="font-weight:bold;color:{color}">{mark} '
                f'{html.escape(self._title())}</div>'
                f'<pre style="white-space:pre-wrap;margin:4px 0 0 0;background:transparent;'
                f'color:#1b1b1b">{html.escape(self.message)}</pre></div>')


class _Finding(NamedTuple):
    code: str   # short name of the problem, e.g. "wrong_shape", "mutated_input"
    where: str  # e.g. "params['W']", "" when it concerns the whole call
    text: str   # what the learner reads


class _Text(str):
    """A str that a notebook shows as Markdown (hints, model solutions)."""

    def _repr_markdown_(self):
        # outside the ``` code blocks, "v_dW" and "dW**2" must not turn into italics
        parts = str(self).split("```")
        for i in range(0, len(parts), 2):
            for char in "\\*_":
                parts[i] = parts[i].replace(char, "\\" + char)
        return "```".join(parts)


# --------------------------------------------------------------------------------------------
# Public API
def check(name, fn=None) -> CheckResult:
    """Run ``fn`` on the fixed cases of exercise ``name`` and judge it. Never raises.

    Parameters
    ----------
    name : str
        An exercise name from :data:`EXERCISES`, e.g. ``"adam_update"``.
    fn : callable
        The learner's function. The update-rule exercises take the library's signature,
        ``fn(params, grads, state, **hparams) -> (params, state)``, with the library's state
        named tuple (``course_lib.optimizers.AdamState`` etc.).

    Returns
    -------
    CheckResult
        Truthy only on a pass; ``.message`` holds the feedback, ``.mistakes`` the codes.

    Examples
    --------
    >>> check("iterations_per_epoch", lambda n, batch_size: -(-n // batch_size)).passed
    True
    >>> r = check("iterations_per_epoch", lambda n, batch_size: n // batch_size)
    >>> r.passed, r.mistakes[0]
    (False, 'floor_not_ceil')
    """
    try:
        if fn is None and callable(name):
            name, fn = getattr(name, "__name__", "?"), name
        problem = _name_problem(name)
        if problem:
            return CheckResult(_show(name), False, problem, ("unknown_exercise",))
        exercise = EXERCISES[name]
        if fn is None or not callable(fn):
            return CheckResult(name, False, _not_callable(name, fn), ("not_callable",))
        result = _CHECKERS[exercise.kind](exercise, fn)
        from .teaching.progress import record_check  # the learner's progress; never raises
        record_check(name, result.passed)
        return result
    except KeyboardInterrupt:
        # the learner pressed stop (or their code raised KeyboardInterrupt): stop, as asked,
        # with one line instead of a traceback through the checker's frames
        raise KeyboardInterrupt(f"check({_safe_repr(name, 40)}) was interrupted while it ran "
                                "your function.") from None
    except BaseException as exc:  # noqa: BLE001 - the contract: check() never raises
        return CheckResult(_safe_str(name), False,
                           "The checker itself failed while looking at your function "
                           f"({_describe_exception(exc)}). Please tell your instructor.",
                           ("checker_error",))


def hint(name, level=None) -> str:
    """The next hint for exercise ``name``: a nudge first, then the formula, then pseudo-code.

    Parameters
    ----------
    name : str
        The exercise.
    level : int in [1, 3], optional
        Show this hint; the next call without ``level`` continues from there.

    Examples
    --------
    >>> reset_hints("ewa_step")
    >>> hint("ewa_step").startswith("Hint 1/3")
    True
    >>> hint("ewa_step").startswith("Hint 2/3")
    True
    >>> hint("ewa_step", level=1).startswith("Hint 1/3")
    True
    """
    exercise = _get(name)
    levels = len(exercise.hints)
    if level is None:
        level = _HINT_LEVEL.get(exercise.name, 0) + 1
        level = min(level, levels)
    else:
        level = check_number("level", level, low=1, high=levels, integer=True)
    _HINT_LEVEL[exercise.name] = level
    kind = ("a nudge", "the formula", "the pseudo-code")[min(level, 3) - 1]
    text = f"Hint {level}/{levels} for {exercise.name} ({kind}):\n\n{exercise.hints[level - 1]}"
    if level == levels:
        text += "\n\n(That was the last hint. Run check() again after each change.)"
    return _Text(text)


def reset_hints(name=None) -> None:
    """Start the hints of ``name`` (or of every exercise) again from the nudge."""
    if name is None:
        _HINT_LEVEL.clear()
    else:
        _HINT_LEVEL.pop(_get(name).name, None)


def solution(name) -> str:
    """The model solution of exercise ``name`` as source text (for instructors).

    >>> "return" in solution("ewa_step")
    True
    """
    exercise = _get(name)
    source = inspect.getsource(exercise.solution)
    return _Text(f"```python\n{exercise.imports}\n\n{source}```")


def reference(name):
    """The model solution of exercise ``name`` as a function (it passes :func:`check`).

    >>> reference("ewa_step")(0.0, 10.0, 0.5)
    5.0
    """
    return _get(name).solution


def list_exercises(chapter=None) -> list:
    """The exercises, in course order; only those of ``chapter`` (0-12) when given.

    Chapters 10 (choosing an optimizer) and 11 (interview prep) have none: they use the
    exercises of the others.

    >>> [e.name for e in list_exercises(4)]
    ['iterations_per_epoch', 'total_iterations']
    >>> len(list_exercises(11)), [e.name for e in list_exercises(12)][:2]
    (0, ['clip_by_global_norm', 'warmup_cosine'])
    """
    if chapter is not None:
        chapter = check_number("chapter", chapter, low=0, high=12, integer=True)
    return _ExerciseList(e for e in EXERCISES.values()
                         if chapter is None or e.chapter == chapter)


class _ExerciseList(list):
    def _repr_markdown_(self):
        rows = [f"| {e.chapter} | `{e.name}` | {e.title} |" for e in self]
        return "| chapter | exercise | what you write |\n|---|---|---|\n" + "\n".join(rows)


_HINT_LEVEL: dict = {}


def _get(name):
    if not isinstance(name, str):
        raise TypeError(f"name must be an exercise name such as 'adam_update', got "
                        f"{_show(name)} of type {type(name).__name__}")
    return EXERCISES[check_choice("name", name, EXERCISES)]


def _name_problem(name):
    if isinstance(name, str) and name in EXERCISES:
        return None
    try:
        _get(name)
    except (TypeError, ValueError) as exc:
        return f"Unknown exercise: {exc}"
    return f"Unknown exercise {_show(name)}."  # pragma: no cover - _get raised above


def _not_callable(name, fn):
    if fn is None:
        return (f"Pass your function itself: check({name!r}, {name}). "
                "Nothing (None) was given.")
    return (f"Pass your function itself, e.g. check({name!r}, {name}), not its result or its "
            f"name: got {_safe_repr(fn)} of type {type(fn).__name__}, which cannot be called.")


# --------------------------------------------------------------------------------------------
# Safe text: the learner's objects may raise in __repr__ or __str__
def _safe_repr(obj, limit=200) -> str:
    try:
        text = repr(obj)
    except BaseException:  # noqa: BLE001
        text = f"<{type(obj).__name__} object whose repr() fails>"
    if not isinstance(text, str):
        text = f"<{type(obj).__name__} object>"
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _safe_str(obj) -> str:
    try:
        text = str(obj)
        return text if isinstance(text, str) else _safe_repr(obj)
    except BaseException:  # noqa: BLE001
        return _safe_repr(obj)


def _fmt(value) -> str:
    """Numbers and arrays for a message: 6 significant digits, one line when short."""
    try:
        if isinstance(value, (numbers.Number, np.generic)) and not isinstance(value, bool):
            return f"{value!r}" if isinstance(value, numbers.Integral) else f"{float(value):.6g}"
        arr = np.asarray(value, dtype=float)
        return np.array2string(arr, precision=6, separator=", ", threshold=24,
                               max_line_width=88).replace("\n", "\n" + " " * 15)
    except BaseException:  # noqa: BLE001
        return _safe_repr(value)


def _describe_exception(exc, fn=None) -> str:
    text = type(exc).__name__ + (f": {_safe_str(exc)}" if _safe_str(exc) else "")
    where = _where(exc, fn)
    return text + (f"\n    ({where})" if where else "")


# --------------------------------------------------------------------------------------------
# The time limit.
#
# A thread cannot be killed in Python, so running the learner's function in a worker thread
# and giving up on it would leave it spinning (and holding the GIL) in the kernel. Instead the
# function runs where check() runs, and an exception, _TimedOut, is raised INSIDE the learner's
# code at the deadline; it unwinds their frames, and the kernel is as usable as after any error.
# - Main thread with signal.setitimer (Linux, macOS: a Jupyter kernel runs cells on its main
#   thread): SIGALRM at the deadline, its handler raises _TimedOut. It costs nothing while the
#   code runs and also wakes a time.sleep(). The timer then fires again every 50 ms; if a bare
#   `except:` in the learner's loop swallowed the last _TimedOut, the learner's frames are
#   traced too and raise on their next line, which is the except clause's own body.
# - Anywhere else (Windows, which has no SIGALRM; another thread, where signal handlers cannot
#   be set; a timer already armed by someone else): sys.settrace with a tracer that checks the
#   clock on every call and line of Python code (about a microsecond per line of the learner's
#   code). Python unsets a tracer that raised, so a bare `except:` that swallows the first
#   _TimedOut defeats this fallback; a debugger's tracer is suspended during the call.
# Limits of both: Python code is only interrupted between bytecodes, so a long C loop (one
# huge NumPy operation) ends before the exception can be raised. _TimedOut derives from
# BaseException so that a learner's `except Exception:` does not swallow it.
class _TimedOut(BaseException):
    """Raised inside the learner's code when the time limit is reached."""


_LIMIT_STATE = threading.local()  # .active: a limit is running in this thread (no nesting)


def _time_limit_value():
    return check_number("course_lib.exercises.TIME_LIMIT", TIME_LIMIT, low=1e-3, high=1e6)


@contextlib.contextmanager
def _time_limit(seconds):
    """Raise :class:`_TimedOut` inside the code run in the ``with`` block after ``seconds``."""
    if getattr(_LIMIT_STATE, "active", False):  # a limit inside a limit: the outer one rules
        yield
        return
    _LIMIT_STATE.active = True
    try:
        if (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
                and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)):
            with _alarm(seconds):
                yield
        else:
            with _tracer_deadline(seconds):
                yield
    finally:
        _LIMIT_STATE.active = False


@contextlib.contextmanager
def _alarm(seconds):
    armed, fired = [True], [0]

    def on_alarm(signum, frame):
        if not armed[0]:
            return
        fired[0] += 1
        if fired[0] > 1:  # the last one was swallowed: raise again on the next line run,
            _trace_learner_frames(frame)  # which escapes an `except:` clause
        raise _TimedOut

    previous = signal.signal(signal.SIGALRM, on_alarm)
    previous_trace = sys.gettrace()
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds, 0.05)
        try:
            yield
        finally:
            armed[0] = False
            signal.setitimer(signal.ITIMER_REAL, 0.0)
    finally:
        signal.signal(signal.SIGALRM, previous)
        if fired[0] > 1:
            sys.settrace(previous_trace)


def _raise_on_any_line(frame, event, arg):
    if frame.f_code.co_filename == __file__:
        return None
    if event == "line":  # not on "exception": the _TimedOut being raised would be replaced
        raise _TimedOut
    return _raise_on_any_line


def _trace_learner_frames(frame):
    """Trace the running frames up to the checker's own (``_call``): each raises on its next line.

    The line of a bare ``except:`` clause's body is outside its ``try``, so the exception raised
    there leaves the loop.
    """
    sys.settrace(_raise_on_any_line)
    while frame is not None and frame.f_code.co_filename != __file__:
        frame.f_trace = _raise_on_any_line
        frame = frame.f_back


@contextlib.contextmanager
def _tracer_deadline(seconds):
    end = time.monotonic() + seconds

    def tracer(frame, event, arg):
        if frame.f_code.co_filename == __file__:  # never inside the checker's own frames
            return None
        if time.monotonic() > end:
            raise _TimedOut
        return tracer

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        yield
    finally:
        sys.settrace(previous)


def _short(value, depth=0) -> str:
    """An input in a few characters: small arrays in full, larger ones by their shape."""
    try:
        if isinstance(value, np.ndarray):
            if value.size <= 4:
                return np.array2string(value, precision=4, separator=", ").join(("array(", ")"))
            return f"array of shape {value.shape}"
        if isinstance(value, np.random.Generator):
            return "Generator"
        if depth < 2 and _is_namedtuple(value):
            inner = ", ".join(f"{f}={_short(getattr(value, f), depth + 1)}"
                              for f in type(value)._fields)
            return f"{type(value).__name__}({inner})"
        if depth < 2 and isinstance(value, dict) and len(value) <= 6:
            inner = ", ".join(f"{_safe_repr(k, 20)}: {_short(v, depth + 1)}"
                              for k, v in value.items())
            return "{" + inner + "}"
    except Exception:  # noqa: BLE001 - fall back to the plain repr
        pass
    return _safe_repr(value, 60)


def _call_text(name, arg_names, args, kwargs) -> str:
    parts = [f"{n}={_short(a)}" for n, a in zip(arg_names, args, strict=False)]
    parts += [_short(a) for a in args[len(arg_names):]]
    parts += [f"{k}={_short(v)}" for k, v in kwargs.items()]
    text = f"{name}({', '.join(parts)})"
    return text if len(text) <= 400 else text[:397] + "..."


def _timeout_finding(exc, fn, call):
    limit = _time_limit_value()
    where = _where(exc, fn)
    return _Finding("timeout", "", f"Your function ran for more than {limit:g} s and was "
                    f"stopped.\n    The call: {call}" + (f"\n    It was at {where}" if where
                                                         else "")
                    + "\n    Is a loop missing its step (`start += batch_size`, `i += 1`), or "
                    "does a `while` condition never become false? A generator must reach a "
                    "`yield` inside its loop.\n    (The limit is "
                    "course_lib.exercises.TIME_LIMIT; the model solution needs milliseconds.)")


def _looking_failed(exc) -> str:
    if isinstance(exc, _TimedOut):
        return f"took more than {_time_limit_value():g} s (a method of yours that never returns?)"
    return f"raised {_describe_exception(exc)}"


def _where(exc, fn) -> str:
    """``"line 7: while start < n:"``: the learner's line the exception left, or ``""``."""
    try:
        frames = traceback.extract_tb(exc.__traceback__)
        code = getattr(fn, "__code__", None)
        mine = [f for f in frames if code is not None and f.filename == code.co_filename
                and f.filename != __file__]
        frame = (mine or [f for f in frames if f.filename != __file__] or [None])[-1]
        if frame is not None and frame.filename != __file__:
            return f"line {frame.lineno}" + (f": {frame.line.strip()}" if frame.line else "")
    except Exception:  # noqa: BLE001
        pass
    return ""


# --------------------------------------------------------------------------------------------
# Calling the learner's function
def _call(fn, args, kwargs, call=None):
    """``(True, result)`` or ``(False, finding)``; numpy warnings are silenced (NaN is judged).

    ``call`` (text, or a function that returns it) says which call this is, with which inputs,
    for the message when it runs over the time limit.
    """
    limit = _time_limit_value()  # outside the try: a bad setting is no error of the learner's
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            with _time_limit(limit):
                result = fn(*args, **kwargs)
        if result is NotImplemented:
            raise NotImplementedError
        return True, result
    except KeyboardInterrupt:
        raise
    except _TimedOut as exc:
        call = call() if callable(call) else call
        return False, _timeout_finding(exc, fn, call or _call_text(
            _safe_str(getattr(fn, "__name__", "your function")), (), args, kwargs))
    except NotImplementedError:
        return False, _Finding("not_implemented", "", "")
    except BaseException as exc:  # noqa: BLE001 - the learner's code may raise anything
        # GeneratorExit, SystemExit, their own BaseException subclasses: all the learner's
        return False, _Finding("exception", "", "Your function raised an error:\n    "
                               + _describe_exception(exc, fn))


def _signature_problem(exercise, fn, args, kwargs):
    try:
        inspect.signature(fn).bind(*args, **kwargs)
    except TypeError as exc:
        return _Finding("signature", "", f"Your function cannot be called the way the exercise "
                        f"calls it: {_safe_str(exc)}.\n    Expected: {exercise.signature}")
    except BaseException:  # noqa: BLE001 - builtins without a signature: just call them
        return None
    return None


def _not_implemented_result(exercise):
    return CheckResult(exercise.name, False,
                       f"{NOT_IMPLEMENTED}: {exercise.name} still raises NotImplementedError.\n"
                       f"Replace the `raise NotImplementedError` line with your code, then run "
                       f"the check again.\nStuck? hint({exercise.name!r}) gives a nudge.",
                       ("not_implemented",))


# --------------------------------------------------------------------------------------------
# Walking the learner's result along the expected one
def _is_namedtuple(obj):
    return isinstance(obj, tuple) and hasattr(type(obj), "_fields")


def _is_number(obj):
    return (isinstance(obj, (numbers.Real, np.integer, np.floating))
            and not isinstance(obj, (bool, np.bool_)))


def _kind(value):
    return type(value).__name__


class _Walk:
    """Compare ``got`` with ``expected``; collect findings and the leaves for the diagnosis."""

    def __init__(self, one_element_ok=False):
        self.one_element_ok = one_element_ok  # a number may come back with shape (1,)
        self.findings: list[_Finding] = []
        self.bad: dict = {}   # where -> (got as float array, expected as float array)
        self.ok: dict = {}    # where -> value
        self.order: list = []  # every leaf in the order of the result, for the messages

    def add(self, code, where, text):
        self.findings.append(_Finding(code, where, text))

    def root(self, got, expected, names):
        if len(names) == 1:
            self.walk(got, expected, names[0])
            return
        pair = " , ".join(names).replace(" , ", ", ")
        if got is None:
            self.add("returned_none", "", f"Your function returned None. End it with "
                     f"`return {pair}`.")
            return
        if not isinstance(got, tuple) or _is_namedtuple(got):
            self.add("wrong_type", "", f"Your function must return a tuple ({pair}); it "
                     f"returned {_kind(got)} {_safe_repr(got, 80)}.")
            return
        if len(got) != len(expected):
            self.add("wrong_type", "", f"Your function must return {len(expected)} things, "
                     f"({pair}); it returned a tuple of {len(got)}.")
            return
        if len(got) == 2 and self._swapped(got, expected):
            self.add("swapped_outputs", "", f"The two results come back in the wrong order: "
                     f"return {pair} ({names[0]} first).")
            return
        for value, exp, name in zip(got, expected, names, strict=True):
            self.walk(value, exp, name)

    @staticmethod
    def _swapped(got, expected):
        def same_kind(a, b):
            return type(a) is type(b) or (isinstance(a, dict) and isinstance(b, dict))
        return (not same_kind(got[0], expected[0]) and same_kind(got[0], expected[1])
                and same_kind(got[1], expected[0]))

    def walk(self, got, exp, where):
        if got is None:
            self.add("returned_none", where, f"{where} is None: did you forget a `return`, or "
                     "return the result of a function that changes things in place?")
        elif _is_namedtuple(exp):
            self._namedtuple(got, exp, where)
        elif isinstance(exp, dict):
            self._dict(got, exp, where)
        elif isinstance(exp, (tuple, list)):
            self._sequence(got, exp, where)
        elif isinstance(exp, (numbers.Integral, np.integer)) and not isinstance(exp, bool):
            self._integer(got, exp, where)
        elif _is_number(exp) or (isinstance(exp, np.ndarray) and exp.ndim == 0):
            self._number(got, exp, where)
        else:
            self._array(got, np.asarray(exp, dtype=float), where)

    def _namedtuple(self, got, exp, where):
        cls = type(exp)
        if type(got) is not cls:
            if type(got).__name__ == cls.__name__:
                extra = (f" It is a {cls.__name__} defined in {type(got).__module__}, not the "
                         f"library's: use `from {cls.__module__} import {cls.__name__}`.")
            else:
                extra = (f" Build it with {cls.__name__}({', '.join(cls._fields)}) from "
                         f"{cls.__module__}, so that it works with OPTIMIZERS and the playground.")
            self.add("wrong_state_type", where, f"{where} must be of type {cls.__name__}, got "
                     f"{_kind(got)} {_safe_repr(got, 80)}.{extra}")
            return
        for field in cls._fields:
            self.walk(getattr(got, field), getattr(exp, field), f"{where}.{field}")

    def _dict(self, got, exp, where):
        if not isinstance(got, dict):
            self.add("wrong_type", where, f"{where} must be a dict with keys "
                     f"{', '.join(map(repr, exp))}; got {_kind(got)} {_safe_repr(got, 80)}.")
            return
        keys = list(got.keys())
        missing = [k for k in exp if k not in keys]
        extra = [k for k in keys if k not in exp]
        if missing:
            more = f" (it has {', '.join(_safe_repr(k) for k in extra)} instead)" if extra else ""
            look = ""
            if any(isinstance(k, str) and "d" + k in missing for k in extra):
                look = (" State and gradient dicts are keyed like the gradients: "
                        "'dW', not 'W' (grad_key(k) = 'd' + k).")
            self.add("missing_key", where, f"{where} has no key "
                     f"{', '.join(map(repr, missing))}{more}.{look}")
        elif extra:
            self.add("extra_key", where, f"{where} has unexpected key(s) "
                     f"{', '.join(_safe_repr(k) for k in extra)}; expected only "
                     f"{', '.join(map(repr, exp))}.")
        for key in exp:
            if key in keys:
                self.walk(got[key], exp[key], f"{where}[{key!r}]")

    def _sequence(self, got, exp, where):
        if not isinstance(got, (tuple, list)) or len(got) != len(exp):
            self.add("wrong_type", where, f"{where} must be a sequence of {len(exp)} values, got "
                     f"{_kind(got)} {_safe_repr(got, 80)}.")
            return
        for i, (value, e) in enumerate(zip(got, exp, strict=True)):
            self.walk(value, e, f"{where}[{i}]")

    def _integer(self, got, exp, where):
        if not _is_number(got) and not (isinstance(got, np.ndarray) and got.ndim == 0):
            self.add("wrong_type", where, f"{where} must be an int, got {_kind(got)} "
                     f"{_safe_repr(got, 80)}.")
            return
        value = float(got)
        if not isinstance(got, (numbers.Integral, np.integer)):
            self.add("wrong_type", where, f"{where} must be an int, got the {_kind(got)} "
                     f"{_fmt(got)}. math.ceil(...) and // give an int; np.ceil(...) gives a "
                     f"float (wrap it in int(...)).")
        self._leaf(value, float(exp), where)

    def _number(self, got, exp, where):
        if isinstance(got, np.ndarray) and (got.ndim == 0 or (self.one_element_ok
                                                         and got.shape == (1,))):
            got = got.reshape(())[()]
        if not _is_number(got):
            shape = (f" of shape {got.shape}" if isinstance(got, np.ndarray) else "")
            extra = (" Is an np.mean / np.sum missing, or use float(...)?"
                     if isinstance(got, np.ndarray) else "")
            self.add("wrong_type", where, f"{where} must be a single number, got {_kind(got)}"
                     f"{shape} {_safe_repr(got, 80)}.{extra}")
            return
        self._leaf(float(got), float(exp), where)

    def _array(self, got, exp, where):
        if isinstance(got, (list, tuple)):
            self.add("wrong_type", where, f"{where} is a {_kind(got)}; return a NumPy array "
                     f"(np.array(...) or NumPy arithmetic) of shape {exp.shape}.")
            return
        if not isinstance(got, np.ndarray):
            extra = (" A single number came back: is a factor missing (an input x, a "
                     "vector), or did a sum run over every axis?" if _is_number(got) else "")
            self.add("wrong_type", where, f"{where} must be a NumPy array of shape {exp.shape}, "
                     f"got {_kind(got)} {_safe_repr(got, 80)}.{extra}")
            return
        if got.dtype.kind not in "biuf":
            self.add("wrong_type", where, f"{where} must hold real numbers, got dtype "
                     f"{got.dtype}.")
            return
        if got.shape != exp.shape:
            self.add("wrong_shape", where, f"{where} has shape {got.shape}, expected "
                     f"{exp.shape}.{_shape_hint(got.shape, exp.shape)}")
            return
        self._leaf(got.astype(float), exp, where)

    def _leaf(self, got, exp, where):
        self.order.append(where)
        got_arr, exp_arr = np.asarray(got, dtype=float), np.asarray(exp, dtype=float)
        finite = np.isfinite(got_arr)
        if not finite.all() and np.isfinite(exp_arr).all():
            kind = "NaN" if np.isnan(got_arr).any() else "inf"
            self.add("nan", where, f"{where} contains {kind}: {_fmt(got)}. Look for a division "
                     "by zero or a square root of a negative number.")
            self.bad[where] = (got_arr, exp_arr)
        elif not _close(got_arr, exp_arr):
            self.add("wrong_value", where, f"{where} has the wrong value:\n"
                     f"      expected {_fmt(exp)}\n      got      {_fmt(got)}")
            self.bad[where] = (got_arr, exp_arr)
        else:
            self.ok[where] = got_arr


def _shape_hint(got, exp):
    if len(got) == 2 and len(exp) == 1 and exp[0] in got:
        return (" Mixing shapes (n,) and (n, 1) broadcasts to a matrix: keep vectors 1-D "
                "(or use .ravel()).")
    if got == exp[::-1]:
        return " It looks transposed."
    if int(np.prod(got)) == int(np.prod(exp)):
        return " Same number of entries: check the order of a matrix product or a reshape."
    if got == ():
        return " A single number came back: did an np.sum/np.mean run over every axis?"
    return ""


def _close(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=_RTOL, atol=_ATOL, equal_nan=True))


def _flatten(obj, where, out):
    """Leaves of one of *our* values (a reference or a mistake's output), keyed like _Walk."""
    if _is_namedtuple(obj):
        for field in type(obj)._fields:
            _flatten(getattr(obj, field), f"{where}.{field}", out)
    elif isinstance(obj, dict):
        for key, value in obj.items():
            _flatten(value, f"{where}[{key!r}]", out)
    elif isinstance(obj, (tuple, list)):
        for i, value in enumerate(obj):
            _flatten(value, f"{where}[{i}]", out)
    elif not isinstance(obj, str):   # a name given as input ("adam", "mixed") is no number
        out[where] = np.asarray(obj, dtype=float)
    return out


def _flatten_root(obj, names):
    if len(names) == 1:
        return _flatten(obj, names[0], {})
    out = {}
    for value, name in zip(obj, names, strict=False):
        _flatten(value, name, out)
    return out


def _mutations(before, after, where):
    """Where ``after`` (the inputs after the call) differs from ``before`` (a deep copy)."""
    if isinstance(before, np.random.Generator):
        return []
    if isinstance(before, np.ndarray):
        same = (isinstance(after, np.ndarray) and after.shape == before.shape
                and bool(np.array_equal(after, before, equal_nan=True)))
        return [] if same else [where]
    if isinstance(before, dict):
        if not isinstance(after, dict):
            return [where]
        changed = [f"{where}[{k!r}] (removed)" for k in before if k not in after]
        changed += [f"{where}[{_safe_repr(k, 40)}] (added)" for k in after if k not in before]
        return changed + [w for k in before if k in after
                          for w in _mutations(before[k], after[k], f"{where}[{k!r}]")]
    if _is_namedtuple(before):
        return [w for f in type(before)._fields
                for w in _mutations(getattr(before, f), getattr(after, f), f"{where}.{f}")]
    if isinstance(before, (list, tuple)):
        if type(after) is not type(before) or len(after) != len(before):
            return [where]
        return [w for i, (b, a) in enumerate(zip(before, after, strict=True))
                for w in _mutations(b, a, f"{where}[{i}]")]
    if isinstance(before, (numbers.Number, np.generic, str, bytes)) or before is None:
        # a plain number in a dict (params["b"] = ...): same type and value, NaN equal to NaN
        if type(after) is not type(before):
            return [where]
        same = before == after or (before != before and after != after)
        return [] if bool(same) else [where]
    return []


def _mutation_finding(exercise, before, after):
    args_b, kwargs_b = before
    args_a, kwargs_a = after
    places = []
    for name, b, a in zip(exercise.arg_names, args_b, args_a, strict=False):
        places += _mutations(b, a, name)
    for key in kwargs_b:
        places += _mutations(kwargs_b[key], kwargs_a[key], key)
    if not places:
        return None
    return _Finding("mutated_input", ", ".join(places),
                    f"Your function changed its input(s) in place: {', '.join(places)}.\n"
                    "    Look at: `+=`, `-=`, `*=`, slice assignment (x[...] = ...), "
                    "rng.shuffle(X) or writing into a dict you were given. Build new arrays "
                    "(W = W - lr * dW) and new dicts instead; the caller still needs the old "
                    "values (the playground races several optimizers from the same start).")


# --------------------------------------------------------------------------------------------
# One case, and the verdict over all cases
class _Run:
    def __init__(self, index, case):
        self.index, self.case = index, case
        self.findings: list[_Finding] = []
        self.bad: dict = {}
        self.ok: dict = {}
        self.inputs: dict = {}
        self.order: list = []


def _run_case(exercise, fn, index, case):
    run = _Run(index, case)
    args, kwargs = case.make()
    problem = _signature_problem(exercise, fn, args, kwargs)
    if problem:
        run.findings.append(problem)
        return run
    before = copy.deepcopy((args, kwargs))
    for name, value in zip(exercise.arg_names, before[0], strict=False):
        if not isinstance(value, np.random.Generator):
            _flatten(value, name, run.inputs)
    ok, got = _call(fn, args, kwargs, lambda: _call_text(exercise.name, exercise.arg_names,
                                                         *before))
    if not ok:
        run.findings.append(got)
        return run
    walk = _Walk(exercise.one_element_ok)
    expected = _cached_expected(exercise, index)
    try:
        with _time_limit(_time_limit_value()):  # the result's own methods may loop forever
            walk.root(got, expected, exercise.output_names)
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # noqa: BLE001 - a result whose methods raise when read
        walk.add("unreadable", "", f"Your result could not be read: looking at it "
                 f"{_looking_failed(exc)}. Return plain dicts, tuples and NumPy arrays.")
    if exercise.other_order is not None and walk.findings:
        walk = _judge_own_order(exercise, case, args, kwargs, got, walk)
    try:
        with _time_limit(_time_limit_value()):
            mutated = _mutation_finding(exercise, before, (args, kwargs))
    except KeyboardInterrupt:
        raise
    except BaseException:  # noqa: BLE001 - an input replaced by something not comparable
        mutated = _Finding("mutated_input", "", "Your function replaced the contents of its "
                           "inputs with something that cannot even be compared. Build new "
                           "dicts and arrays instead of writing into the ones you were given.")
    run.findings = walk.findings + ([mutated] if mutated else [])
    run.bad, run.ok, run.order = walk.bad, walk.ok, walk.order
    return run


_OTHER_ORDER = ("Your epoch is right for the order your code drew, but that order is not "
                "rng.permutation(n) (rng.choice(n, n, replace=False), for one, draws another "
                "order from the same seed): a valid variant, not the one asked. The exercise "
                "asks for order = rng.permutation(n) because the library's train() draws "
                "exactly that permutation, so the chapter can race your function against it; "
                "with two different orders both runs are correct epochs and still end at "
                "different parameters. Draw order = rng.permutation(n) and check again.")


def _judge_own_order(exercise, case, args, kwargs, got, walk):
    """An epoch in another valid random order: judge it for the order the learner drew."""
    rng = kwargs.get("rng")
    n = len(args[2])
    order = rng.learner_order(n) if hasattr(rng, "learner_order") else None
    fresh_args, fresh_kwargs = case.make()
    if order is None or np.array_equal(order, fresh_kwargs["rng"].permutation(n)):
        return walk
    fresh_args, fresh_kwargs = case.make()
    own = _Walk(exercise.one_element_ok)
    try:
        with np.errstate(all="ignore"):
            own.root(got, exercise.other_order(*fresh_args, order=order, **fresh_kwargs),
                     exercise.output_names)
    except KeyboardInterrupt:
        raise
    except BaseException:  # noqa: BLE001 - keep the first verdict
        return walk
    if own.findings:   # wrong even for its own order: say both things
        own.add("other_order", "rng", "Also: your order is not rng.permutation(n); the values "
                "above are compared with the epoch in YOUR order. " + _OTHER_ORDER)
        return own
    own.add("other_order", "rng", _OTHER_ORDER)
    own.bad = {}
    return own


_CACHE: dict = {}  # the cases are fixed: compute each expected result and each mistake once


def _cached_expected(exercise, index):
    key = ("expected", exercise.name, index)
    if key not in _CACHE:
        _CACHE[key] = _expected(exercise, exercise.cases[index])
    return _CACHE[key]


def _cached_mistakes(exercise, index):
    key = ("mistakes", exercise.name, index)
    if key not in _CACHE:
        _CACHE[key] = [_mistake_output(exercise, m, exercise.cases[index])
                       for m in exercise.mistakes]
    return _CACHE[key]


def _expected(exercise, case):
    args, kwargs = case.make()
    with np.errstate(all="ignore"):
        return exercise.reference(*args, **kwargs)


def _mistake_output(exercise, mistake, case):
    args, kwargs = case.make()
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return _flatten_root(mistake.fn(*args, **kwargs), exercise.output_names)
    except Exception:  # noqa: BLE001 - a mistake that cannot happen on this case
        return None


def _diagnose(exercise, runs):
    """The known mistakes that explain wrong leaves and contradict no right one."""
    explained = {i: [] for i in range(len(exercise.mistakes))}
    contradicted = set()
    if not any(run.bad for run in runs):
        return []
    for run in runs:
        if not (run.bad or run.ok):
            continue
        for i, flat in enumerate(_cached_mistakes(exercise, run.index)):
            if flat is None:
                continue
            for where, (got, exp) in run.bad.items():
                if where in flat and _close(got, flat[where]) and not _close(flat[where], exp):
                    explained[i].append((run.index, where))
            for where, got in run.ok.items():
                if where in flat and not _close(flat[where], got):
                    contradicted.add(i)
    found = [(i, set(wheres)) for i, wheres in explained.items()
             if wheres and i not in contradicted]
    # a mistake that explains only part of what another one explains is the weaker guess
    found = [(i, w) for i, w in found if not any(w < other for _, other in found)]
    found.sort(key=lambda item: -len(item[1]))
    return [(exercise.mistakes[i], wheres) for i, wheres in found]


def _unchanged(run):
    """Wrong leaves that came back exactly as they went in."""
    return [where for where, (got, _) in run.bad.items()
            if where in run.inputs and run.inputs[where].shape == got.shape
            and np.array_equal(run.inputs[where], got)]


def _verdict(exercise, runs, checks):
    findings = [f for run in runs for f in run.findings]
    if any(f.code == "not_implemented" for f in findings):
        return _not_implemented_result(exercise)
    if not findings:
        return CheckResult(exercise.name, True, f"{exercise.name}: all {checks} checks passed "
                           f"({len(runs)} case(s): types, shapes, values"
                           f"{', state' if len(exercise.output_names) > 1 else ''}; "
                           "inputs left unchanged).")
    first = next(run for run in runs if run.findings)
    diagnosis = _diagnose(exercise, runs)
    lines = [f"{exercise.name}: not passed yet.",
             f"Case {first.index + 1} of {len(exercise.cases)}: {first.case.label}"]
    codes = []
    for mistake, wheres in diagnosis:
        here = {w for i, w in wheres if i == first.index} or {w for _, w in wheres}
        rank = {w: i for i, w in enumerate(first.order)}
        places = sorted(here, key=lambda w: (rank.get(w, len(rank)), w))
        head = ("A valid variant, not the one asked" if mistake.variant
                else "Likely mistake")
        lines += ["", f"{head}: {mistake.label}",
                  f"    Where: {', '.join(places)}", f"    Look at: {mistake.look_at}"]
        codes.append(mistake.code)
    explained = {w for _, wheres in diagnosis for i, w in wheres if i == first.index}
    unchanged = [w for w in _unchanged(first) if w not in explained]
    if unchanged:
        lines += ["", f"Unchanged: {', '.join(unchanged)} came back exactly as it went in. "
                  "Was it updated, and is the new value the one you return?"]
        codes.append("not_updated")
    details = [f for f in first.findings if not (f.code in ("wrong_value", "nan")
                                                 and f.where in explained)]
    shown = [f for f in first.findings if f.code in ("wrong_value", "nan")
             and f.where in explained]
    if details:
        lines += ["", "Problems:"] + [f"  - {f.text}" for f in details]
    if shown and diagnosis and all(mistake.variant for mistake, _ in diagnosis):
        shown = [f._replace(text=f.text.replace("has the wrong value", "differs from the form "
                                                "asked")) for f in shown]
    if shown:
        lines += ["", "Values:"] + [f"  - {f.text}" for f in shown[:4]]
        if len(shown) > 4:
            lines.append(f"  ... and {len(shown) - 4} more.")
    others = [run.index + 1 for run in runs if run.findings and run is not first]
    if others:
        lines += ["", f"Case(s) {', '.join(map(str, others))} fail too."]
    mutated = [f for run in runs for f in run.findings if f.code == "mutated_input"]
    if mutated and not any(f.code == "mutated_input" for f in first.findings):
        lines += ["", mutated[0].text]
    lines += ["", f"hint({exercise.name!r}) gives a nudge, then the formula."]
    codes += [f.code for run in runs for f in run.findings]
    return CheckResult(exercise.name, False, "\n".join(lines), dict.fromkeys(codes))


def _check_function(exercise, fn):
    runs = []
    for index, case in enumerate(exercise.cases):
        run = _run_case(exercise, fn, index, case)
        runs.append(run)
        if any(f.code in ("not_implemented", "signature", "timeout") for f in run.findings):
            break
    checks = sum(len(run.ok) for run in runs) + len(runs)
    return _verdict(exercise, runs, checks)


# --------------------------------------------------------------------------------------------
# The mini-batch generator: judged by its properties over two epochs, not by one exact order
def _check_generator(exercise, fn):
    for index, case in enumerate(exercise.cases):
        (X, y, batch_size, seed), _ = case.make()
        problem = _signature_problem(exercise, fn, (X, y, batch_size, np.random.default_rng(0)),
                                     {})
        if problem:
            return _generator_verdict(exercise, [problem], index)
        found = _generator_case(exercise, fn, X, y, batch_size, seed)
        if any(f.code == "not_implemented" for f in found):
            return _not_implemented_result(exercise)
        if found:
            return _generator_verdict(exercise, found, index)
    return CheckResult(exercise.name, True, f"{exercise.name}: passed on {len(exercise.cases)} "
                       "cases: every record once per epoch, pairs (X, y) kept together, "
                       "short last batch, a new order every epoch, reproducible from the rng, "
                       "inputs left unchanged.")


def _generator_verdict(exercise, found, index):
    case = exercise.cases[index]
    lines = [f"{exercise.name}: not passed yet.",
             f"Case {index + 1} of {len(exercise.cases)}: {case.label}", ""]
    lines += [f"  - {f.text}" for f in found]
    lines += ["", f"hint({exercise.name!r}) gives a nudge, then the formula."]
    return CheckResult(exercise.name, False, "\n".join(lines), dict.fromkeys(f.code for f in found))


def _generator_case(exercise, fn, X, y, batch_size, seed):
    n = len(y)
    before = (X.copy(), y.copy())
    rng = np.random.default_rng(seed)
    first, problems = _one_epoch(fn, X, y, batch_size, rng, "epoch 1")
    mutated = [name for name, b, a in (("X", before[0], X), ("y", before[1], y))
               if not np.array_equal(a, b)]
    if mutated:
        return [_Finding("mutated_input", ", ".join(mutated),
                         f"Your generator changed {' and '.join(mutated)} in place. "
                         "Look at: rng.shuffle(X) shuffles the caller's array; index with a "
                         "permutation instead: order = rng.permutation(n); X[order[...]].")]
    if problems:
        return problems
    found = _epoch_problems(first, n, batch_size, "epoch 1")
    if found:
        return found
    if len(first) == 1:   # one batch: its order does not matter
        return []
    order1 = np.concatenate(first)
    if np.array_equal(order1, np.arange(n)):
        return [_Finding("no_shuffle", "epoch 1", "No shuffle: epoch 1 hands out the records in "
                         "their stored order 0, 1, 2, ... Look at: draw order = "
                         "rng.permutation(n) at the start of every epoch and index X and y "
                         "with it.")]
    second, problems = _one_epoch(fn, X, y, batch_size, rng, "epoch 2")
    if problems:
        return problems
    found = _epoch_problems(second, n, batch_size, "epoch 2")
    if found:
        return found
    if np.array_equal(np.concatenate(second), order1):
        return [_Finding("no_reshuffle", "epoch 2", "Not reshuffled: epoch 2 visits the records "
                         "in exactly the order of epoch 1. Look at: the permutation must be drawn "
                         "from the rng argument inside the generator, on every call, not once "
                         "outside it, and not from a Generator you create with a fixed seed.")]
    again, problems = _one_epoch(fn, X, y, batch_size, np.random.default_rng(seed),
                                 "epoch 1 again")
    if problems:
        return problems
    if not np.array_equal(np.concatenate(again), order1):
        return [_Finding("ignores_rng", "rng", "Not reproducible: the same seed gave a different "
                         "order. Look at: draw every random number from the rng argument "
                         "(rng.permutation(n)), never from np.random.* or a Generator made "
                         "elsewhere.")]
    return []


def _one_epoch(fn, X, y, batch_size, rng, label):
    """``(record ids of each batch, [])`` or ``(None, findings)``."""
    name = _safe_str(getattr(fn, "__name__", "your function"))
    call = _call_text(name, ("X", "y", "batch_size", "rng"), (X, y, batch_size, rng), {})
    ok, result = _call(fn, (X, y, batch_size, rng), {}, call)
    if not ok:
        return None, [result]
    if result is None:
        return None, [_Finding("returned_none", label, "Your function returned None: use `yield "
                         "X_batch, y_batch` inside the loop (or return a list of pairs).")]
    ok, iterator = _call(_iter_or_none, (result,), {}, f"iter() over what {call} returned")
    if not ok:  # the time limit, or the learner's own __iter__ raised
        return None, [iterator]
    if iterator is None:
        return None, [_Finding("wrong_type", label, f"Your function must yield pairs (X_batch, "
                         f"y_batch); it returned {_kind(result)} {_safe_repr(result, 80)}, "
                         "which cannot be looped over.")]
    batches = []
    while True:
        ok, item = _call(_next_or_stop, (iterator,), {},
                         f"next() asking {call} for batch {len(batches) + 1} of {label}")
        if not ok:
            if item.code not in ("not_implemented", "timeout"):
                item = item._replace(text=f"While looping over the batches of {label}: "
                                     + item.text)
            return None, [item]
        if item is _STOP:
            return batches, []
        if len(batches) >= _MAX_BATCHES:
            return None, [_Finding("too_many_batches", label, f"{label} yields more than "
                             f"{_MAX_BATCHES} batches for {len(X)} records. Look at: does the "
                             "loop ever stop? One call must yield exactly one epoch.")]
        try:
            with _time_limit(_time_limit_value()):
                ids = _batch_ids(item, X, y, len(batches) + 1, label)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # noqa: BLE001 - an item whose methods raise when read
            ids = _Finding("unreadable", label, f"Batch {len(batches) + 1} of {label} could "
                           f"not be read (looking at it {_looking_failed(exc)}). Yield pairs "
                           "of NumPy arrays: yield X[idx], y[idx].")
        if isinstance(ids, _Finding):
            return None, [ids]
        batches.append(ids)


_STOP = object()


def _iter_or_none(obj):
    try:
        return iter(obj)
    except TypeError:
        return None


def _next_or_stop(iterator):
    try:
        return next(iterator)
    except StopIteration:
        return _STOP


def _batch_ids(item, X, y, number, label):
    where = f"batch {number} of {label}"
    if not isinstance(item, (tuple, list)) or len(item) != 2:
        return _Finding("wrong_type", where, f"Each batch must be a pair (X_batch, y_batch); "
                        f"{where} is {_kind(item)} {_safe_repr(item, 80)}.")
    xb, yb = item
    for name, value, ndim in (("X_batch", xb, 2), ("y_batch", yb, 1)):
        if not isinstance(value, np.ndarray) or value.dtype.kind not in "biuf":
            return _Finding("wrong_type", where, f"{name} in {where} must be a NumPy array, "
                            f"got {_kind(value)} {_safe_repr(value, 80)}.")
        if value.ndim != ndim:
            return _Finding("wrong_shape", where, f"{name} in {where} must have {ndim} "
                            f"dimension(s), got shape {value.shape}. Index rows with an array "
                            "of positions: X[idx], y[idx].")
    if xb.shape[1] != X.shape[1] or len(xb) != len(yb):
        return _Finding("wrong_shape", where, f"{where}: X_batch has shape {xb.shape} and "
                        f"y_batch {yb.shape}; expected (b, {X.shape[1]}) and (b,) with the "
                        "same b.")
    ids = (np.asarray(yb, dtype=float) - _bank.MB_Y0) / _bank.MB_Y_STEP
    rounded = np.rint(ids)
    if (not np.all(np.isfinite(ids)) or not np.allclose(ids, rounded)
            or np.any(rounded < 0) or np.any(rounded >= len(y))):
        return _Finding("wrong_value", where, f"y_batch in {where} holds values that are not "
                        "in y. Yield the records themselves: X[idx], y[idx].")
    rounded = rounded.astype(int)
    if not np.allclose(np.asarray(xb, dtype=float), X[rounded]):
        return _Finding("pairs_broken", where, f"In {where} the rows of X_batch do not belong "
                        "to the values of y_batch: X and y were shuffled with different "
                        "orders. Look at: draw ONE permutation and index both with it: "
                        "X[idx], y[idx].")
    return rounded


def _epoch_problems(batches, n, batch_size, label):
    sizes = [len(b) for b in batches]
    expected = [batch_size] * (n // batch_size) + ([n % batch_size] if n % batch_size else [])
    ids = np.concatenate(batches) if batches else np.array([], dtype=int)
    counts = np.bincount(ids, minlength=n)
    if 0 in sizes:
        return [_Finding("empty_batch", label, f"{label} yields an empty batch (sizes {sizes}). "
                         "Look at: the number of batches is ceil(n / batch_size), not "
                         "n // batch_size + 1; range(0, n, batch_size) gets it right.")]
    if counts.max(initial=0) > 1:
        twice = np.flatnonzero(counts > 1).tolist()
        return [_Finding("duplicate_records", label, f"{label} hands out record(s) {twice} more "
                         f"than once (batch sizes {sizes}); each epoch must use every record "
                         "exactly once. Look at: slice ONE permutation, do not draw each batch "
                         "at random (rng.integers / rng.choice with replacement).")]
    if counts.min() == 0:
        missing = np.flatnonzero(counts == 0).tolist()
        if sizes == expected[:-1] and n % batch_size:
            return [_Finding("dropped_last_batch", label, f"The short last batch is missing: "
                             f"batch sizes {sizes}, expected {expected}; record(s) {missing} "
                             "are never used. Look at: floor (n // batch_size) instead of ceil "
                             "for the number of batches; loop with range(0, n, batch_size).")]
        return [_Finding("missing_records", label, f"{label} never uses record(s) {missing} "
                         f"(batch sizes {sizes}, expected {expected}). Look at: the loop "
                         "bounds; range(0, n, batch_size) over ONE permutation of all n "
                         "records uses each once.")]
    if sizes != expected:
        return [_Finding("wrong_batch_sizes", label, f"{label} has batch sizes {sizes}, expected "
                         f"{expected}. Look at: full batches of batch_size first, the "
                         "shorter rest last: order[start:start + batch_size].")]
    return []


_CHECKERS = {"function": _check_function, "generator": _check_generator}
