r"""Two-dimensional test functions with analytic gradients, for watching optimizers move.

Each factory returns a :class:`Problem`: the function, its gradient, its minima, a classic start
point and plot bounds. A problem speaks the course's dict convention, so any optimizer of
:data:`course_lib.optimizers.OPTIMIZERS` can step on it::

    loss, grads = problem.loss_and_grads(params)     # params = {"W": w}, grads = {"dW": dW}

- ``bowl``: :math:`\tfrac12 w^\top A w` with :math:`A = R\,\mathrm{diag}(s, s\kappa)\,R^\top`;
  minimum (0, 0); constant Hessian, so ``lambda_max`` is known.
- ``rosenbrock``: :math:`(a - x)^2 + b\,(y - x^2)^2`; minimum :math:`(a, a^2)`.
- ``beale``: :math:`\sum_{i=1}^3 (c_i - x + x y^i)^2` with c = 1.5, 2.25, 2.625; minimum (3, 0.5).
- ``saddle``: :math:`x^2 - y^2`; unbounded below, no minimum, a saddle at (0, 0).
- ``himmelblau``: :math:`(x^2 + y - 11)^2 + (x + y^2 - 7)^2`; four minima, all with f = 0.

>>> p = get_problem("rosenbrock")
>>> p.value([1.0, 1.0]), bool((p.grad([1.0, 1.0]) == 0).all())
(0.0, True)
>>> loss, grads = p.loss_and_grads(p.params())
>>> round(loss, 2), sorted(grads)
(24.2, ['dW'])
"""
from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable

import numpy as np

from ._validate import _show, check_array, check_choice, check_number, check_rng

__all__ = [
    "PROBLEMS",
    "Problem",
    "beale",
    "get_problem",
    "himmelblau",
    "noisy",
    "quadratic_bowl",
    "rosenbrock",
    "saddle",
]


def _point(name: str, value) -> np.ndarray:
    """A finite float array of shape (2,), read-only so a shared Problem cannot be changed."""
    arr = check_array(name, value, shape=(2,)).copy()
    arr.setflags(write=False)
    return arr


@dataclasses.dataclass(frozen=True, eq=False)
class Problem:
    """A 2-D function to minimise, with its gradient and what a plot needs to know.

    Attributes
    ----------
    name : str
        Short key, as in :data:`PROBLEMS` (``"bowl"``, ``"rosenbrock"``, ...).
    title : str
        Human title for plots, with the formula's parameters.
    start : ndarray, shape (2,)
        The classic start point of a path.
    minima : list of ndarray, shape (2,)
        Every global minimum (empty for the saddle, which has none).
    bounds : ((xmin, xmax), (ymin, ymax))
        Plot window that shows the start, the minima and the interesting region.
    lambda_max : float or None
        Largest Hessian eigenvalue where the Hessian is constant (the bowl); None elsewhere.
        Plain GD on the bowl converges exactly when ``lr < 2 / lambda_max``.
    f_min : float or None
        Value at the minima; None when the function is unbounded below (the saddle).
    saddle_points : list of ndarray, shape (2,)
        Known stationary points that are saddles (may be empty).
    log_levels : bool
        Whether a contour plot should use log-spaced levels (True for Rosenbrock and Beale, whose
        values span many orders of magnitude).
    fn, grad_fn : callable
        ``fn(x, y)`` and ``grad_fn(x, y) -> (gx, gy)``, written with ``+ - *`` only so they work
        on floats and on whole meshgrids alike. Build your own Problem by passing these.
    axis_labels : (str, str)
        What the two coordinates are called on a plot (``W_1, W_2``; ``W, b`` for a
        regression surface).
    noise_sigma : float
        Standard deviation of the noise added to the gradient (0 for an exact problem).
    """

    name: str
    title: str
    start: np.ndarray
    minima: list
    bounds: tuple
    lambda_max: float | None
    f_min: float | None
    saddle_points: list
    log_levels: bool
    fn: Callable = dataclasses.field(repr=False)
    grad_fn: Callable = dataclasses.field(repr=False)
    noise_sigma: float = 0.0
    axis_labels: tuple = ("W₁", "W₂")

    def __post_init__(self):
        for field in ("name", "title"):
            if not isinstance(getattr(self, field), str):
                raise TypeError(f"Problem {field} must be a str, got {_show(getattr(self, field))}")
        set_ = object.__setattr__  # frozen dataclass: normalise the fields once, here
        set_(self, "start", _point("start", self.start))
        for field in ("minima", "saddle_points"):
            points = getattr(self, field)
            if not isinstance(points, (list, tuple)):
                raise TypeError(f"Problem {field} must be a list of points (x, y), possibly "
                                f"empty, got {_show(points)} of type {type(points).__name__}")
            set_(self, field, [_point(f"{field}[{i}]", m) for i, m in enumerate(points)])
        if self.f_min is not None:
            set_(self, "f_min", check_number("f_min", self.f_min))
        set_(self, "noise_sigma", check_number("noise_sigma", self.noise_sigma, low=0.0))
        set_(self, "bounds", _check_bounds(self.bounds))
        for field in ("fn", "grad_fn"):
            if not callable(getattr(self, field)):
                raise TypeError(f"Problem {field} must be callable as {field}(x, y), got "
                                f"{_show(getattr(self, field))}")

    # ---- checked public methods ------------------------------------------------------------
    def value(self, w) -> float:
        """f(w) for one point ``w`` of shape (2,)."""
        w = check_array("w", w, shape=(2,))
        return float(self.fn(float(w[0]), float(w[1])))

    def grad(self, w) -> np.ndarray:
        """The gradient (df/dx, df/dy) at ``w`` of shape (2,), as an array of shape (2,)."""
        w = check_array("w", w, shape=(2,))
        return np.array(self.grad_fn(float(w[0]), float(w[1])), dtype=np.float64)

    def value_grid(self, X, Y) -> np.ndarray:
        """f on a whole grid at once: ``X, Y = np.meshgrid(xs, ys)``, same shape in and out."""
        X, Y = check_array("X", X), check_array("Y", Y)
        if X.shape != Y.shape:
            raise ValueError(f"X and Y must have the same shape (use np.meshgrid), got "
                             f"X {X.shape} and Y {Y.shape}")
        with np.errstate(over="ignore", invalid="ignore"):
            Z = np.asarray(self.fn(X, Y), dtype=np.float64)
        if np.isnan(Z).any():  # finite X, Y (checked) yet inf - inf inside f: too large
            raise ValueError(f"X and Y are too large for {self.name}: f overflowed to NaN; "
                             f"use coordinates of a sensible size (largest |X| = "
                             f"{np.max(np.abs(X), initial=0.0):.3g}, |Y| = "
                             f"{np.max(np.abs(Y), initial=0.0):.3g})")
        return Z

    def params(self, w=None) -> dict:
        """``{"W": w}`` as the optimizers expect; a copy of :attr:`start` when ``w`` is None."""
        w = self.start if w is None else check_array("w", w, shape=(2,))
        return {"W": np.array(w, dtype=np.float64)}

    def loss_and_grads(self, params) -> tuple[float, dict]:
        """``(f(W), {"dW": grad f(W)})`` for ``params = {"W": w}``: the course's convention."""
        if not isinstance(params, dict) or set(params) != {"W"}:
            raise TypeError(f"params must be a dict {{'W': array of shape (2,)}}, got "
                            f"{_show(params)}")
        w = check_array("params['W']", params["W"], shape=(2,))
        loss, grad = self._loss_grad(w)
        return loss, {"dW": grad}

    # ---- unchecked, for loops that validated up front (course_lib.paths) -------------------
    def _loss_grad(self, w) -> tuple[float, np.ndarray]:
        x, y = float(w[0]), float(w[1])
        gx, gy = self.grad_fn(x, y)
        return float(self.fn(x, y)), np.array((gx, gy), dtype=np.float64)

    @property
    def extent(self) -> float:
        """The largest absolute coordinate of the plot window (a scale for 'far away')."""
        return max(abs(v) for pair in self.bounds for v in pair)


def _check_bounds(bounds):
    try:
        (x0, x1), (y0, y1) = bounds
        out = tuple((check_number("bounds", a), check_number("bounds", b))
                    for a, b in ((x0, x1), (y0, y1)))
    except (TypeError, ValueError):
        raise ValueError(f"bounds must be ((xmin, xmax), (ymin, ymax)) with finite numbers and "
                         f"min < max, got {_show(bounds)}") from None
    if not all(a < b for a, b in out):
        raise ValueError(f"bounds must be ((xmin, xmax), (ymin, ymax)) with min < max, "
                         f"got {_show(bounds)}")
    return out


# --------------------------------------------------------------------------------------------
# The factories. Formulas use x * x rather than x ** 2: a Python float then overflows to inf
# (which a path runner detects) instead of raising OverflowError.
def quadratic_bowl(*, condition=10.0, angle=0.0, scale=1.0) -> Problem:
    r"""An elongated quadratic bowl, the textbook case for learning-rate limits.

    Math: :math:`f(w) = \tfrac12 w^\top A w` with :math:`A = R\,\mathrm{diag}(s, s\kappa)\,R^\top`,
    :math:`s` = ``scale``, :math:`\kappa` = ``condition`` and :math:`R` the rotation by ``angle``
    degrees (counter-clockwise). With ``angle=0`` the shallow direction is x (curvature ``scale``)
    and the steep one is y (curvature ``scale * condition``). The Hessian is A everywhere, so
    ``lambda_max = scale * condition`` and GD converges exactly when ``lr < 2 / lambda_max``.

    Parameters
    ----------
    condition : float in [1, 1e12]
        Ratio of the largest to the smallest curvature (1 = round bowl).
    angle : float
        Rotation of the axes of the ellipses, in degrees.
    scale : float in (0, 1e12]
        The smallest curvature. (The limits keep every value on the plot window a float.)

    >>> p = quadratic_bowl(condition=10.0)
    >>> p.lambda_max, p.value([1.0, 1.0])
    (10.0, 5.5)
    """
    condition = check_number("condition", condition, low=1.0, high=1e12)
    angle = check_number("angle", angle)
    scale = check_number("scale", scale, low=0.0, low_open=True, high=1e12)
    c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    lam1, lam2 = scale, scale * condition
    # A = R diag(lam1, lam2) R^T with R = [[c, -s], [s, c]]
    a11 = lam1 * c * c + lam2 * s * s
    a22 = lam1 * s * s + lam2 * c * c
    a12 = (lam1 - lam2) * c * s

    def fn(x, y):
        return 0.5 * (a11 * x * x + 2.0 * a12 * x * y + a22 * y * y)

    def grad_fn(x, y):
        return a11 * x + a12 * y, a12 * x + a22 * y

    return Problem("bowl", f"Quadratic bowl (condition {condition:g}, angle {angle:g}°)",
                   start=(-4.0, 2.0), minima=[(0.0, 0.0)], bounds=((-5.0, 5.0), (-5.0, 5.0)),
                   lambda_max=lam2, f_min=0.0, saddle_points=[], log_levels=False,
                   fn=fn, grad_fn=grad_fn)


def rosenbrock(*, a=1.0, b=100.0) -> Problem:
    r"""Rosenbrock's banana valley: easy to find the valley, slow to walk along it.

    Math: :math:`f(x, y) = (a - x)^2 + b\,(y - x^2)^2`, minimum 0 at :math:`(a, a^2)`.
    Classic start (-1.2, 1). ``a`` in [-1e6, 1e6], ``b`` in (0, 1e12]: beyond them the window
    around the minimum, or the values on it, are no longer floats.

    >>> rosenbrock().minima[0].tolist()
    [1.0, 1.0]
    """
    a = check_number("a", a, low=-1e6, high=1e6)  # the minimum (a, a²) and the window
    b = check_number("b", b, low=0.0, low_open=True, high=1e12)

    def fn(x, y):
        r = y - x * x
        return (a - x) * (a - x) + b * r * r

    def grad_fn(x, y):
        r = y - x * x
        return -2.0 * (a - x) - 4.0 * b * x * r, 2.0 * b * r

    xr = max(2.0, abs(a) + 1.0)
    return Problem("rosenbrock", f"Rosenbrock (a={a:g}, b={b:g})", start=(-1.2, 1.0),
                   minima=[(a, a * a)], bounds=((-xr, xr), (-1.0, max(3.0, a * a + 2.0))),
                   lambda_max=None, f_min=0.0, saddle_points=[], log_levels=True,
                   fn=fn, grad_fn=grad_fn)


def beale() -> Problem:
    r"""Beale's function: flat plateaus and steep walls, minimum 0 at (3, 0.5).

    Math: :math:`f = (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2`.
    On the line x = 0 it is flat; (0, 1) is a saddle point. Start (1, 1.5).

    >>> beale().value([3.0, 0.5])
    0.0
    """
    def fn(x, y):
        t1, t2, t3 = _beale_terms(x, y)
        return t1 * t1 + t2 * t2 + t3 * t3

    def grad_fn(x, y):
        t1, t2, t3 = _beale_terms(x, y)
        y2 = y * y
        gx = 2.0 * (t1 * (y - 1.0) + t2 * (y2 - 1.0) + t3 * (y2 * y - 1.0))
        gy = 2.0 * x * (t1 + 2.0 * t2 * y + 3.0 * t3 * y2)
        return gx, gy

    return Problem("beale", "Beale", start=(1.0, 1.5), minima=[(3.0, 0.5)],
                   bounds=((-4.5, 4.5), (-4.5, 4.5)), lambda_max=None, f_min=0.0,
                   saddle_points=[(0.0, 1.0)], log_levels=True, fn=fn, grad_fn=grad_fn)


def _beale_terms(x, y):
    y2 = y * y
    return 1.5 - x + x * y, 2.25 - x + x * y2, 2.625 - x + x * y2 * y


def saddle() -> Problem:
    r"""The plain saddle :math:`f(x, y) = x^2 - y^2`: it has NO minimum and is unbounded below.

    The origin is a saddle point: x curves up, y curves down. The start (-1.5, 0.001) sits almost
    on the x axis, so GD first slides towards the saddle and lingers there before the tiny y
    component grows and the path escapes down the y direction (and off the plot, since f -> -inf).
    ``f_min`` is None and ``minima`` is empty.

    >>> saddle().value([1.0, 2.0])
    -3.0
    """
    def fn(x, y):
        return x * x - y * y

    def grad_fn(x, y):
        return 2.0 * x, -2.0 * y

    return Problem("saddle", "Saddle x² − y²", start=(-1.5, 1e-3), minima=[],
                   bounds=((-2.0, 2.0), (-2.0, 2.0)), lambda_max=None, f_min=None,
                   saddle_points=[(0.0, 0.0)], log_levels=False, fn=fn, grad_fn=grad_fn)


# Minima and saddles of Himmelblau's function, refined by Newton's method to machine precision.
_HIMMELBLAU_MINIMA = [(3.0, 2.0), (-2.805118086952745, 3.131312518250573),
                      (-3.779310253377747, -3.2831859912861696),
                      (3.5844283403304917, -1.8481265269644034)]
_HIMMELBLAU_SADDLES = [(0.08667750455539634, 2.884254701174776),
                       (-3.0730257507643897, -0.08135304428796751),
                       (3.385154183607021, 0.07385187983774928),
                       (-0.12796134673068005, -1.9537149802445766)]


def himmelblau() -> Problem:
    r"""Himmelblau's function: four minima (all f = 0), four saddles and one local maximum.

    Math: :math:`f(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2`. Which minimum a path reaches
    depends on the optimizer and the start (0, 0).

    >>> len(himmelblau().minima)
    4
    """
    def fn(x, y):
        p, q = x * x + y - 11.0, x + y * y - 7.0
        return p * p + q * q

    def grad_fn(x, y):
        p, q = x * x + y - 11.0, x + y * y - 7.0
        return 4.0 * x * p + 2.0 * q, 2.0 * p + 4.0 * y * q

    return Problem("himmelblau", "Himmelblau", start=(0.0, 0.0), minima=_HIMMELBLAU_MINIMA,
                   bounds=((-5.0, 5.0), (-5.0, 5.0)), lambda_max=None, f_min=0.0,
                   saddle_points=_HIMMELBLAU_SADDLES, log_levels=False, fn=fn, grad_fn=grad_fn)


# --------------------------------------------------------------------------------------------
def noisy(problem, *, sigma, rng) -> Problem:
    r"""The same problem with a noisy gradient, imitating the mini-batch estimate of dW.

    Every call of ``grad`` (and ``loss_and_grads``) returns the exact gradient plus independent
    Gaussian noise of standard deviation ``sigma`` in each coordinate. The noise is ABSOLUTE (it
    does not shrink near the minimum), as mini-batch noise does not: that is why SGD keeps
    jittering around the minimum instead of settling. ``value`` stays exact.

    Parameters
    ----------
    problem : Problem or str
        The exact problem (or its name in :data:`PROBLEMS`).
    sigma : float, >= 0
        Standard deviation of the noise on each gradient coordinate.
    rng : numpy.random.Generator or int
        Source of the noise; the returned problem draws from it, so the same seed gives the same
        sequence of noisy gradients.

    >>> p = noisy("bowl", sigma=0.5, rng=0)
    >>> bool((p.grad([1.0, 1.0]) != p.grad([1.0, 1.0])).all())   # fresh noise on each call
    True
    """
    problem = _as_problem(problem)
    sigma = check_number("sigma", sigma, low=0.0)
    rng = check_rng("rng", rng)
    exact = problem.grad_fn

    def grad_fn(x, y):
        gx, gy = exact(x, y)
        z = rng.standard_normal((2,) + np.shape(gx))
        return gx + sigma * z[0], gy + sigma * z[1]

    return dataclasses.replace(problem, name=f"{problem.name}+noise",
                               title=f"{problem.title}, noisy gradient (σ={sigma:g})",
                               grad_fn=grad_fn, noise_sigma=sigma)


PROBLEMS: dict[str, Callable[..., Problem]] = {
    "bowl": quadratic_bowl,
    "rosenbrock": rosenbrock,
    "beale": beale,
    "saddle": saddle,
    "himmelblau": himmelblau,
}


def get_problem(name, **kwargs) -> Problem:
    """``PROBLEMS[name](**kwargs)``, with a did-you-mean error for a typo in the name or a keyword.

    >>> get_problem("bowl", condition=4.0).lambda_max
    4.0
    """
    if not isinstance(name, str):
        raise TypeError(f"problem must be a name such as 'rosenbrock' or a Problem, got "
                        f"{_show(name)} of type {type(name).__name__}")
    check_choice("problem", name, PROBLEMS)
    factory = PROBLEMS[name]
    allowed = list(factory.__kwdefaults__ or {})
    for key in kwargs:
        if key not in allowed:
            import difflib  # only on the error path: it is slow to import

            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise TypeError(f"problem {name!r} got an unknown option {key!r}{hint}; allowed: "
                            f"{', '.join(allowed) if allowed else 'none'}")
    return factory(**kwargs)


def _as_problem(problem) -> Problem:
    """A Problem as it is, or a name looked up with :func:`get_problem`."""
    return problem if isinstance(problem, Problem) else get_problem(problem)
