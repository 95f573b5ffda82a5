r"""Learning-rate schedules: the factor f(t) in front of the base rate, :math:`\eta_t = \eta\,f(t)`.

Update counting. ``t = 1, 2, ...`` numbers the updates: update ``t`` uses the rate
``lr * sched(t)``. This is torch's convention: a ``torch.optim.lr_scheduler`` scheduler sets the
rate for the first ``optimizer.step()`` when it is built, and ``scheduler.step()`` is called
*after* each ``optimizer.step()``; so update ``t`` runs at the scheduler's ``last_epoch = t - 1``
and the first update uses ``factor(1) = 1`` for every schedule here except the warm-up, whose
first factor is ``1 / warmup``. The formulas below are written with ``e = t - 1`` (updates
already taken) so they read like torch's.

=================  ============================================  =================================
name               f(t), e = t - 1                               torch.optim.lr_scheduler
=================  ============================================  =================================
``constant``       1                                             (none, or ConstantLR(factor=1))
``step``           gamma ** (e // step_size)                     StepLR(step_size, gamma)
``exponential``    gamma ** e                                    ExponentialLR(gamma)
``cosine``         m + (1 - m)(1 + cos(pi e / total)) / 2        CosineAnnealingLR(T_max=total,
                   for e <= total, then m                        eta_min=m * lr)
``warmup_cosine``  t / warmup for t <= warmup, then the cosine   SequentialLR of LinearLR(1/warmup,
                   with e - warmup over total - warmup           1, warmup - 1) and
                                                                 CosineAnnealingLR(total - warmup,
                                                                 m * lr), milestones=[warmup]
=================  ============================================  =================================

(m is ``min_factor``.) The cosine reaches ``min_factor`` after ``total`` updates: it is the
factor update ``total + 1`` would get, and the last of ``total`` updates runs just above it (as
torch's ``CosineAnnealingLR(T_max=total)`` and Hugging Face's cosine schedules do). After
``total`` the factor stays at ``min_factor`` (torch's cosine would climb again: it is periodic).
The warm-up climbs linearly, ``1/warmup, 2/warmup, ..., 1`` over the first ``warmup`` updates;
update ``warmup + 1`` starts the cosine at 1; ``warmup=0`` is the plain cosine.

``train`` and ``run_path`` take a schedule (``schedule=``); a cosine made without ``total``
gets the run's number of updates there.

>>> sched = make_schedule("warmup_cosine", warmup=4, total=12)
>>> sched
Schedule('warmup_cosine', warmup=4, total=12, min_factor=0.0)
>>> sched.factors(6).round(4).tolist()        # updates 1..6
[0.25, 0.5, 0.75, 1.0, 1.0, 0.9619]
>>> sched(13), make_schedule("step", step_size=2, gamma=0.5).factors(5).tolist()
(0.0, [1.0, 1.0, 0.5, 0.5, 0.25])
"""
from __future__ import annotations

import numpy as np

from .._validate import MAX_NUMBERS, _show, check_choice, check_number

__all__ = ["SCHEDULES", "Schedule", "make_schedule"]

#: name -> (required params, {optional param: default}, the torch scheduler it matches)
_SPECS = {
    "constant": ((), {}, "no scheduler (or ConstantLR(factor=1.0))"),
    "step": (("step_size",), {"gamma": 0.1}, "StepLR(optimizer, step_size, gamma)"),
    "exponential": (("gamma",), {}, "ExponentialLR(optimizer, gamma)"),
    "cosine": ((), {"total": None, "min_factor": 0.0},
               "CosineAnnealingLR(optimizer, T_max=total, eta_min=min_factor * lr)"),
    "warmup_cosine": (("warmup",), {"total": None, "min_factor": 0.0},
                      "SequentialLR(optimizer, [LinearLR(optimizer, 1 / warmup, 1.0, "
                      "warmup - 1), CosineAnnealingLR(optimizer, total - warmup, "
                      "min_factor * lr)], milestones=[warmup])"),
}
#: The largest update number (and step_size) a schedule takes: far beyond any run.
MAX_T = 10**15
#: The schedule names :func:`make_schedule` knows.
SCHEDULES = tuple(_SPECS)

_FORMULAS = {
    "constant": "f(t) = 1",
    "step": "f(t) = gamma^((t-1) // step_size)",
    "exponential": "f(t) = gamma^(t-1)",
    "cosine": "f(t) = m + (1-m)(1 + cos(pi (t-1)/total))/2, then m",
    "warmup_cosine": "f(t) = t/warmup up to warmup, then the cosine from 1 down to m at total",
}


def _cosine(e, span, m):
    """m + (1 - m)(1 + cos(pi e / span)) / 2 for e in [0, span], m beyond."""
    e = np.minimum(e, span)
    return m + (1.0 - m) * (1.0 + np.cos(np.pi * e / span)) / 2.0


def _factors(name, p, t):
    """The factors of updates ``t`` (an int array >= 1), float64."""
    e = t - 1
    if name == "constant":
        return np.ones(t.shape)
    if name == "step":
        return np.power(p["gamma"], (e // p["step_size"]).astype(np.float64))
    if name == "exponential":
        return np.power(p["gamma"], e.astype(np.float64))
    if name == "cosine":
        return _cosine(e.astype(np.float64), float(p["total"]), p["min_factor"])
    warmup = p["warmup"]
    out = _cosine((e - warmup).astype(np.float64).clip(0.0), float(p["total"] - warmup),
                  p["min_factor"])
    ramp = t <= warmup
    out[ramp] = t[ramp] / warmup
    return out


class Schedule:
    """A learning-rate schedule: ``sched(t)`` is the factor of update ``t = 1, 2, ...``.

    Made by :func:`make_schedule`. Attributes: ``name``, ``params`` (a dict, defaults filled
    in), ``formula`` and ``torch`` (the matching ``torch.optim.lr_scheduler`` call).
    """

    def __init__(self, name: str, params: dict):
        self.name, self.params = name, dict(params)
        self.formula, self.torch = _FORMULAS[name], _SPECS[name][2]

    @property
    def needs_total(self) -> bool:
        """True for a cosine made without ``total`` (``train``/``run_path`` fill it in)."""
        return "total" in self.params and self.params["total"] is None

    def with_total(self, total) -> Schedule:
        """This schedule with ``total`` set (itself when it has one or needs none)."""
        if not self.needs_total:
            return self
        return make_schedule(self.name, **{**self.params, "total": total})

    def _need_total(self):
        if self.needs_total:
            raise ValueError(f"{self!r} has no total yet: give make_schedule({self.name!r}, "
                             f"..., total=<number of updates>), or pass it to train or "
                             f"run_path, which set total to the run's number of updates")

    def __call__(self, t) -> float:
        """The factor of update ``t`` (an int >= 1): the rate of that update is lr * factor."""
        t = check_number("t", t, low=1, high=MAX_T, integer=True)
        self._need_total()
        return float(_factors(self.name, self.params, np.array([t]))[0])

    def factors(self, n) -> np.ndarray:
        """The factors of updates 1..n, shape (n,): ``factors(n)[t - 1] == sched(t)``."""
        n = check_number("n", n, low=1, high=MAX_NUMBERS, integer=True)
        self._need_total()
        return self._block(1, n)

    def _block(self, first, count) -> np.ndarray:
        """Unchecked: the factors of updates ``first .. first + count - 1`` (a loop's epoch)."""
        return _factors(self.name, self.params, np.arange(first, first + count))

    def __repr__(self):
        args = "".join(f", {k}={v!r}" for k, v in self.params.items())
        return f"Schedule({self.name!r}{args})"

    def __eq__(self, other):
        return isinstance(other, Schedule) and (self.name, self.params) == \
            (other.name, other.params)

    __hash__ = None


def _check_param(name, key, value, params):
    where = f"{name}: {key}"
    if key == "step_size":
        return check_number(where, value, low=1, high=MAX_T, integer=True)
    if key == "gamma":
        return check_number(where, value, low=0.0, high=1.0, low_open=True)
    if key == "min_factor":
        return check_number(where, value, low=0.0, high=1.0)
    if key == "warmup":
        return check_number(where, value, low=0, high=MAX_NUMBERS, integer=True)
    if key == "total":
        if value is None:
            return None
        low = params.get("warmup", 0) + 1
        total = check_number(where, value, low=1, high=MAX_NUMBERS, integer=True)
        if total < low:
            raise ValueError(f"{where} must be more than warmup={low - 1} (the cosine needs at "
                             f"least one update after the warm-up), got {total}")
        return total
    raise AssertionError(key)  # pragma: no cover - every spec key is handled above


def make_schedule(name, **params) -> Schedule:
    """A :class:`Schedule` by name, its parameters checked.

    Parameters
    ----------
    name : str
        One of :data:`SCHEDULES`: "constant", "step", "exponential", "cosine", "warmup_cosine".
    **params
        ``step``: ``step_size`` (int >= 1), ``gamma`` (in (0, 1], default 0.1);
        ``exponential``: ``gamma`` (in (0, 1]);
        ``cosine``: ``total`` (int >= 1, updates to reach ``min_factor``; may be left out for
        ``train``/``run_path`` to fill in), ``min_factor`` (in [0, 1], default 0);
        ``warmup_cosine``: ``warmup`` (int >= 0, updates of linear warm-up), ``total``
        (> warmup) and ``min_factor`` as for the cosine.

    >>> make_schedule("exponential", gamma=0.5).factors(3).tolist()
    [1.0, 0.5, 0.25]
    """
    name = check_choice("name", name, SCHEDULES)
    required, optional, _ = _SPECS[name]
    allowed = (*required, *optional)
    for key in params:
        if key not in allowed:
            raise TypeError(f"schedule {name!r} got an unknown parameter {key!r}; allowed: "
                            f"{', '.join(allowed) or 'none'}")
    missing = [k for k in required if k not in params]
    if missing:
        raise TypeError(f"schedule {name!r} needs {', '.join(missing)} (e.g. "
                        f"make_schedule({name!r}, {missing[0]}=...)); its parameters: "
                        f"{', '.join(allowed)}")
    full = {**optional, **params}
    checked = {}
    for key in allowed:  # warmup before total: total is checked against it
        checked[key] = _check_param(name, key, full[key], checked)
    return Schedule(name, checked)


def _as_schedule(schedule, total, where="schedule") -> Schedule:
    """``train``/``run_path``: a Schedule or a name, bound to ``total`` updates when it needs it."""
    if isinstance(schedule, str):
        if schedule not in SCHEDULES:
            check_choice(where, schedule, SCHEDULES)
        required = _SPECS[schedule][0]
        if required:
            raise TypeError(f"{where}={schedule!r} needs {', '.join(required)}: pass "
                            f"{where}=make_schedule({schedule!r}, {required[0]}=..., ...) "
                            f"(course_lib.core.schedules)")
        schedule = make_schedule(schedule)
    if not isinstance(schedule, Schedule):
        raise TypeError(f"{where} must be None, a name in {SCHEDULES} or a Schedule from "
                        f"make_schedule, got {_show(schedule)} of type "
                        f"{type(schedule).__name__}")
    return schedule.with_total(total)
