r"""Pictures of the course's ideas: contours with optimizer paths, loss curves, learning rates, EWA.

Every function takes ``ax=None`` (a new figure is made only then) and returns what it drew, so a
notebook can restyle it and a test can read the data back. Nothing here touches ``rcParams`` or
calls ``plt.style.use``: a plot never changes the look of the learner's other plots.

Inputs are plain arrays or the results of the library's runners, read by attribute:

- a *path* is an array of shape ``(k + 1, 2)``, or anything with ``.path`` (a ``PathResult`` of
  :func:`course_lib.paths.run_path`, a ``TrainResult`` with ``record_path=True``), optionally
  with ``.diverged`` and ``.optimizer``;
- a *loss curve* is a 1-D array, an ``(x, y)`` pair, or a result with ``.losses`` /
  ``.loss_per_iteration`` / ``.loss_per_epoch`` / ``.epoch_times``.

>>> import matplotlib
>>> from matplotlib.figure import Figure
>>> from course_lib.problems import get_problem
>>> ax = Figure().add_subplot()
>>> drawn = plot_paths(get_problem("bowl"), {"gd": [[-4.0, 2.0], [-2.0, 0.0], [0.0, 0.0]]}, ax=ax)
>>> drawn["lines"][0].get_xdata().tolist()
[-4.0, -2.0, 0.0]
"""
from __future__ import annotations

import dataclasses
import functools
import numbers

import numpy as np

from ._validate import _show, check_array, check_choice, check_flag, check_number
from .moving_averages import ewa_series, ewa_window

__all__ = [
    "plot_contour", "plot_paths", "plot_loss_curves", "plot_effective_lr", "plot_ewa",
    "plot_batch_paths", "regression_surface", "animate_paths", "PathAnimation", "clip_path",
    "loss_gap", "contour_levels", "log_scale",
]

# Colours picked by index (the tab10 cycle, written out so no rcParams is read).
COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
          "#7f7f7f", "#bcbd22", "#17becf")
_FLOOR = 1e-16  # smallest value drawn on a log axis (a loss gap of exactly 0 would vanish)


# --------------------------------------------------------------------------------------------
# Small helpers shared with course_lib.widgets.
def _new_axes(ax, figsize=(6.0, 4.5)):
    """``ax`` itself, or a new pyplot Axes when ``ax`` is None (so a notebook shows it)."""
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=figsize)
        return ax
    from matplotlib.axes import Axes

    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {_show(ax)} "
                        f"of type {type(ax).__name__}")
    return ax


_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
#: Labels are plain text with Unicode sub/superscripts (W₁, ηₜ): the first mathtext label of a
#: session costs about 0.1 s of CPU (its fonts and parser), and these look the same.
_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


@functools.cache
def _log_tick_classes():
    """The two classes behind :func:`log_scale`, built on first use (so importing this module
    does not import matplotlib)."""
    import re

    from matplotlib.ticker import LogFormatterSciNotation, LogLocator

    class PlainLogFormatter(LogFormatterSciNotation):
        """Matplotlib's log tick labels (10⁻³, 2×10⁻³), written as plain text, not mathtext."""

        def __call__(self, x, pos=None):
            text = super().__call__(x, pos)
            if not (text.startswith(r"$\mathdefault{") and text.endswith("}$")):
                return text
            text = text[len(r"$\mathdefault{"):-2].replace(r"\times", "×")
            text = re.sub(r"\^\{([^}]*)\}", lambda m: m.group(1).translate(_SUPERSCRIPT), text)
            return text.replace("-", "−")          # a leading minus, as mathtext draws it

    class SparseMinorLogLocator(LogLocator):
        """Matplotlib's minor log ticks, but none once the view spans two decades or more."""

        def tick_values(self, vmin, vmax):
            if vmin > 0 and vmax > 0 and abs(np.log10(vmax / vmin)) >= 2.0:
                return np.array([])
            return super().tick_values(vmin, vmax)

    return PlainLogFormatter, SparseMinorLogLocator


def _plain_log_formatter(minor=False):
    """Log tick labels as plain text: parsing mathtext is what makes a log axis slow to draw
    (about 0.2 s a figure); the superscript characters look the same and cost nothing."""
    formatter = _log_tick_classes()[0]
    return formatter(10.0, labelOnlyBase=False) if minor else formatter(10.0)


def _sparse_minor_locator():
    """Minor log ticks only while the view spans less than two decades: every minor tick is
    laid out like a labelled one, and over many decades they cost more to draw than the rest
    of the figure. Below two decades there are few majors, so the minor ticks (and their
    labels) stay."""
    return _log_tick_classes()[1](10.0, subs="auto")


def log_scale(ax, axis="y", *, minor=True):
    """Put a base-10 log scale on the x or y axis of ``ax``, quick to draw.

    The same as ``ax.set_yscale("log")`` (or ``set_xscale``) except that the tick labels are
    plain text (10⁻³ rather than mathtext ``$10^{-3}$``) and the minor ticks are left out
    while the view spans two decades or more: a log-scale figure then draws two to three times
    faster. ``minor=False`` leaves the minor ticks out whatever the view (the widgets, whose
    view changes with every slider: the decades are what a learner reads). Returns ``ax``.

    >>> from matplotlib.figure import Figure
    >>> ax = Figure().add_subplot()
    >>> _ = ax.plot([1, 10, 100, 1000], [1e-4, 1e-2, 1e0, 1e2])
    >>> _ = log_scale(ax, "y")
    >>> ax.get_yscale(), ax.yaxis.get_major_formatter()(1e-3), ax.yaxis.get_major_formatter()(100)
    ('log', '10⁻³', '10²')
    """
    from matplotlib.axes import Axes

    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes, got {_show(ax)} "
                        f"of type {type(ax).__name__}")
    check_choice("axis", axis, ("x", "y"))
    if not isinstance(minor, bool):
        raise TypeError(f"minor must be True or False, got {_show(minor)}")
    getattr(ax, f"set_{axis}scale")("log")
    target = getattr(ax, f"{axis}axis")
    target.set_major_formatter(_plain_log_formatter())
    if minor:
        target.set_minor_locator(_sparse_minor_locator())
        target.set_minor_formatter(_plain_log_formatter(minor=True))
    else:
        from matplotlib.ticker import NullLocator

        target.set_minor_locator(NullLocator())
    return ax


def _check_problem(problem):
    """A Problem, a problem name, or any object with the Problem plotting attributes."""
    if isinstance(problem, str):
        from .problems import get_problem

        return get_problem(problem)
    needed = ("value_grid", "bounds", "minima")
    if not all(hasattr(problem, a) for a in needed):
        raise TypeError(f"problem must be a Problem (see course_lib.problems) or its name, "
                        f"got {_show(problem)} of type {type(problem).__name__}")
    return problem


def _named(items, what):
    """``items`` as a list of ``(label, item)``: a dict keeps its keys, a list is numbered.

    A single array (or result) becomes a one-item list.
    """
    if isinstance(items, dict):
        if not items:
            raise ValueError(f"{what} must not be empty")
        for key in items:
            if not isinstance(key, str):
                raise TypeError(f"{what} keys must be labels (str), got {key!r}")
        return list(items.items())
    if _is_single(items):
        items = [items]
    if not isinstance(items, (list, tuple)) or not items:
        raise TypeError(f"{what} must be a dict label -> data, a list, or one array; "
                        f"got {_show(items)}")
    out = []
    for i, item in enumerate(items):
        name = getattr(item, "optimizer", None)
        name = getattr(name, "name", name)  # an Optimizer object carries its name
        out.append((name if isinstance(name, str) else f"{what.rstrip('s')} {i + 1}", item))
    return out


def _is_single(items):
    if isinstance(items, np.ndarray) or hasattr(items, "path") or hasattr(items, "losses"):
        return True
    if hasattr(items, "loss_per_iteration") or hasattr(items, "lr_eff"):
        return True
    # a list of numbers, or a list of [x, y] points, is one curve / one path
    if isinstance(items, (list, tuple)) and items and all(
            isinstance(v, numbers.Real) or (isinstance(v, (list, tuple)) and v
                                            and all(isinstance(c, numbers.Real) for c in v))
            for v in items):
        return True
    return False


def _check_colors(colors, name="colors") -> list:
    """``colors`` as a non-empty list of matplotlib colours (None: the course palette).

    One colour (a name such as "red", "C1", "#ff0000", an RGB tuple) counts as a list of one.
    """
    if colors is None:
        return list(COLORS)
    from matplotlib.colors import is_color_like

    if isinstance(colors, str) or (isinstance(colors, tuple) and len(colors) in (3, 4)
                                   and all(isinstance(c, numbers.Real) for c in colors)):
        colors = [colors]
    if isinstance(colors, np.ndarray):
        colors = list(colors) if colors.ndim == 2 else [colors]
    if not isinstance(colors, (list, tuple)):
        raise TypeError(f"{name} must be a list of colours such as ['C0', 'red', '#1f77b4'], "
                        f"got {_show(colors)} of type {type(colors).__name__}")
    if not colors:
        raise ValueError(f"{name} must hold at least one colour, got an empty list; leave it "
                         f"out (None) for the course's colours")
    for i, c in enumerate(colors):
        ok = False
        try:
            ok = is_color_like(c)
        except (TypeError, ValueError):
            ok = False
        if not ok:
            raise ValueError(f"{name}[{i}] is not a colour matplotlib knows: {_show(c)} (use a "
                             f"name such as 'red' or 'C1', '#rrggbb', or an (r, g, b) tuple "
                             f"in [0, 1])")
    return list(colors)


def _check_cmap(cmap):
    """A colormap name known to matplotlib (or a Colormap), with the closest name on a typo."""
    import matplotlib
    from matplotlib.colors import Colormap

    if isinstance(cmap, Colormap):
        return cmap
    if not isinstance(cmap, str):
        raise TypeError(f"cmap must be a matplotlib colormap name such as 'viridis', got "
                        f"{_show(cmap)} of type {type(cmap).__name__}")
    if cmap not in matplotlib.colormaps:
        import difflib

        close = difflib.get_close_matches(cmap, list(matplotlib.colormaps), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ValueError(f"cmap must be a matplotlib colormap name such as 'viridis', "
                         f"'plasma' or 'Greys'; got {cmap!r}{hint}")
    return cmap


def _check_styles(styles, count):
    if styles is None:
        return None
    if not isinstance(styles, (list, tuple)) or not all(isinstance(d, dict) for d in styles):
        raise TypeError(f"styles must be a list of dicts such as [{{'linewidth': 2}}], one per "
                        f"path, got {_show(styles)}")
    if len(styles) != count:
        raise ValueError(f"styles must have one dict per path ({count}), got {len(styles)}")
    return list(styles)


def _check_figsize(figsize):
    if not isinstance(figsize, (list, tuple)) or len(figsize) != 2:
        raise TypeError(f"figsize must be (width, height) in inches, got {_show(figsize)}")
    return tuple(check_number("figsize", v, low=0.5, high=50.0) for v in figsize)


def clip_path(path, bounds):
    """Cut a path where it first leaves the plot window, ending exactly on the border.

    Parameters
    ----------
    path : array_like, shape (k + 1, 2)
    bounds : ((xmin, xmax), (ymin, ymax))

    Returns
    -------
    clipped : ndarray, shape (j, 2)
        The points inside the window, then the point where the last segment crosses the border.
    left : bool
        Whether the path left the window at all.

    >>> pts, left = clip_path([[0.0, 0.0], [0.5, 0.0], [2.0, 0.0]], ((-1, 1), (-1, 1)))
    >>> pts.tolist(), left
    ([[0.0, 0.0], [0.5, 0.0], [1.0, 0.0]], True)
    """
    path = check_array("path", path, ndim=2, finite=False)
    if path.shape[1] != 2 or path.shape[0] < 1:
        raise ValueError(f"path must have shape (k + 1, 2), got shape {path.shape}")
    from .problems import _check_bounds

    (x0, x1), (y0, y1) = _check_bounds(bounds)
    with np.errstate(invalid="ignore"):
        inside = ((path[:, 0] >= x0) & (path[:, 0] <= x1) & (path[:, 1] >= y0)
                  & (path[:, 1] <= y1))
    if inside.all():
        return path, False
    i = int(np.argmin(inside))
    if i == 0:
        return path[:1].copy(), True
    a, b = path[i - 1], path[i]
    if not np.all(np.isfinite(b)):
        return path[:i].copy(), True
    d = b - a
    ts = [1.0]
    for k, (lo, hi) in enumerate(((x0, x1), (y0, y1))):
        if d[k] > 0 and b[k] > hi:
            ts.append((hi - a[k]) / d[k])
        elif d[k] < 0 and b[k] < lo:
            ts.append((lo - a[k]) / d[k])
    t = min(ts)
    return np.vstack([path[:i], a + t * d]), True


def loss_gap(losses, f_min):
    """``losses - f_min`` floored at 1e-16 so a log axis can show it (``f_min`` None: as is)."""
    losses = check_array("losses", losses, finite=False)
    if losses.ndim == 0 and np.isnan(losses):
        raise ValueError("losses must be a number or an array of losses, got NaN")
    if f_min is None:
        return losses
    f_min = check_number("f_min", f_min)
    with np.errstate(over="ignore"):  # 1e308 - (-1e308): an inf gap is drawn off the top
        return np.maximum(losses - f_min, _FLOOR)


def contour_levels(problem, Z, n=25):
    """Contour levels for the values ``Z`` of a problem on its window.

    Log-spaced above ``f_min`` when ``problem.log_levels`` is True (Rosenbrock and Beale span
    several orders of magnitude, and equal steps would put every line on the walls), else evenly
    spaced between the smallest and largest value. ``Z`` is a 2-D grid of values (NaN marks a
    blank), ``n`` the number of levels, an int in [2, 1000].
    """
    n = check_number("n", n, low=2, high=1000, integer=True)
    Z = check_array("Z", Z, ndim=2, finite=False)
    if np.isinf(Z).any():
        raise ValueError("Z must hold finite values (NaN for a blank), found inf")
    if np.isnan(Z).all():
        what = "only NaN" if Z.size else "no values"
        raise ValueError(f"Z must hold at least one number, got {what} (shape {Z.shape})")
    with np.errstate(over="ignore", invalid="ignore"):
        levels = _contour_levels(problem, Z, n)
    if not np.all(np.isfinite(levels)):
        raise ValueError(f"Z spans too wide a range for float64 levels (from "
                         f"{np.nanmin(Z):.3g} to {np.nanmax(Z):.3g}); scale it down")
    return levels


def _contour_levels(problem, Z, n):
    """:func:`contour_levels` without its checks (``plot_contour`` checked ``levels``)."""
    lo, hi = float(np.nanmin(Z)), float(np.nanmax(Z))
    if hi <= lo:
        hi = lo + 1.0
    if getattr(problem, "log_levels", False):
        f_min = getattr(problem, "f_min", None)
        base = lo if f_min is None else min(lo, float(f_min))
        top = hi - base
        low = max(float(np.nanpercentile(Z - base, 0.5)), top * 1e-7, 1e-12)
        return base + np.geomspace(low, top, n)
    return np.linspace(lo, hi, n + 2)[1:-1]


# --------------------------------------------------------------------------------------------
# Contours and paths.
def plot_contour(problem, *, ax=None, levels=25, resolution=200, filled=False, cmap="viridis",
                 alpha=1.0, show_minima=True):
    """Contour lines of a 2-D test function over its plot window, minima marked.

    Parameters
    ----------
    problem : Problem or str
        A problem of :mod:`course_lib.problems` (or its name).
    ax : matplotlib Axes, optional
    levels : int in [2, 1000] or array_like
        Number of contour levels (log-spaced for problems with ``log_levels``), or the levels.
    resolution : int in [10, 2000]
        Grid points per axis.
    filled : bool
        Filled contours (``contourf``) instead of lines.
    cmap : str
        A matplotlib colormap name.
    alpha : float in [0, 1]
        Opacity of the contour (lower it to make paths stand out).
    show_minima : bool
        Mark every known minimum with a red star (and saddle points with a black "x").

    Returns
    -------
    dict
        ``"contour"``: the ``QuadContourSet``; ``"minima"``, ``"saddles"``: ``Line2D`` or None.
    """
    problem = _check_problem(problem)
    resolution = check_number("resolution", resolution, low=10, high=2000, integer=True)
    alpha = check_number("alpha", alpha, low=0.0, high=1.0)
    filled = check_flag("filled", filled)
    show_minima = check_flag("show_minima", show_minima)
    cmap = _check_cmap(cmap)
    ax = _new_axes(ax)
    (x0, x1), (y0, y1) = problem.bounds
    X, Y = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    with np.errstate(all="ignore"):
        Z = problem.value_grid(X, Y)
    if isinstance(levels, numbers.Integral) and not isinstance(levels, bool):
        lv = _contour_levels(problem, Z, check_number("levels", levels, low=2, high=1000,
                                                       integer=True))
    else:
        lv = check_array("levels", levels, ndim=1)
        if lv.size < 1 or np.any(np.diff(lv) <= 0):
            raise ValueError(f"levels must be an int >= 2 or increasing numbers, "
                             f"got {_show(levels)}")
    if filled:  # extend="both" fills the regions beyond the first and last level too
        import matplotlib

        rgba = matplotlib.colormaps[cmap](np.linspace(0.0, 1.0, lv.size + 1))
        rgba[:, :3] = 1.0 - alpha * (1.0 - rgba[:, :3])  # faded towards white, yet opaque:
        cs = ax.contourf(X, Y, Z, levels=lv, colors=rgba, extend="both", zorder=1)  # no seams
    else:
        cs = ax.contour(X, Y, Z, levels=lv, cmap=cmap, linewidths=0.8, alpha=alpha, zorder=1)
    out = {"contour": cs, "minima": None, "saddles": None}
    if show_minima and len(problem.minima):
        m = np.array(problem.minima)
        (out["minima"],) = ax.plot(m[:, 0], m[:, 1], "*", color="red", markersize=14,
                                   markeredgecolor="k", label="minimum", zorder=5)
    saddles = getattr(problem, "saddle_points", [])
    if show_minima and len(saddles):
        s = np.array(saddles)
        (out["saddles"],) = ax.plot(s[:, 0], s[:, 1], "x", color="k", markersize=9,
                                    label="saddle point", zorder=5)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    xlabel, ylabel = getattr(problem, "axis_labels", ("W₁", "W₂"))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(getattr(problem, "title", ""))
    return out


def _as_path(item, name):
    """``(path array (k+1, 2), diverged flag)`` from an array or a result object."""
    diverged = bool(getattr(item, "diverged", False))
    raw = getattr(item, "path", item)
    if raw is None:
        raise ValueError(f"{name} has no recorded path (run it with record_path=True)")
    if isinstance(raw, dict):  # a TrainResult path: {"W": (k+1, 1), "b": (k+1, 1)} -> (W, b)
        raw = _columns(raw, name)[0]
    path = check_array(name, raw, ndim=2, finite=False)
    if path.shape[1] != 2 or path.shape[0] < 1:
        raise ValueError(f"{name} must have shape (k + 1, 2): one (W1, W2) row per step, "
                         f"got shape {path.shape}")
    finite = np.all(np.isfinite(path), axis=1)
    if not finite.all():  # never draw NaN: keep the finite head and call it diverged
        path = path[:max(int(np.argmin(finite)), 1)]
        diverged = True
    return path, diverged


def plot_paths(problem, paths, *, ax=None, contour=True, colors=None, legend=True, styles=None):
    """One or several optimizer paths over the contour of a 2-D problem.

    The start is a black circle, each end a dot in the path's colour, each minimum a red star.
    A diverged path (``result.diverged``, or non-finite points) is cut where it leaves the plot
    window, ends with an "x", and its label says "(diverged)".

    Parameters
    ----------
    problem : Problem or str
    paths : dict label -> path, list of paths, or one path
        A path is an array (k + 1, 2) or a result with ``.path`` (and ``.diverged``).
    ax : matplotlib Axes, optional
    contour : bool
        Draw the contour under the paths (False when it is already there).
    colors : list of colours, optional
    legend : bool
    styles : list of dict, optional
        Extra ``Line2D`` keyword arguments per path (line width, alpha, ...).

    Returns
    -------
    dict
        ``"lines"`` (one ``Line2D`` per path, data = the drawn, clipped points), ``"ends"``,
        ``"start"``, ``"labels"``, ``"diverged"`` (list of bool), ``"contour"`` (dict from
        :func:`plot_contour` or None), ``"legend"``.
    """
    problem = _check_problem(problem)
    named = _named(paths, "paths")
    colors = _check_colors(colors)
    styles = _check_styles(styles, len(named))
    contour = check_flag("contour", contour)
    legend = check_flag("legend", legend)
    ax = _new_axes(ax)
    out = {"contour": plot_contour(problem, ax=ax) if contour else None, "lines": [],
           "ends": [], "labels": [], "diverged": []}
    starts = []
    for i, (label, item) in enumerate(named):
        path, diverged = _as_path(item, f"paths[{label!r}]")
        path, left = clip_path(path, problem.bounds) if diverged else (path, False)
        color = colors[i % len(colors)]
        text = f"{label} (diverged)" if diverged else label
        style = {"linewidth": 1.8, "marker": ".", "markersize": 3}
        style.update(styles[i] if styles else {})
        (line,) = ax.plot(path[:, 0], path[:, 1], color=color, label=text, zorder=3, **style)
        (end,) = ax.plot(path[-1:, 0], path[-1:, 1], "x" if diverged else "o", color=color,
                         markersize=10 if diverged else 7, markeredgewidth=2.5 if diverged else 1,
                         markeredgecolor=color if diverged else "k", zorder=4)
        out["lines"].append(line)
        out["ends"].append(end)
        out["labels"].append(text)
        out["diverged"].append(diverged)
        starts.append(path[0])
    starts = np.array(starts)
    with np.errstate(over="ignore", invalid="ignore"):  # round() scales by 1e12 first
        rounded = np.round(starts, 12)
    s = np.unique(np.where(np.isfinite(rounded), rounded, starts), axis=0)
    (out["start"],) = ax.plot(s[:, 0], s[:, 1], "o", markerfacecolor="white",
                              markeredgecolor="k", markersize=9, label="start", zorder=4)
    (x0, x1), (y0, y1) = problem.bounds
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    out["legend"] = ax.legend(loc="best", fontsize="small") if legend else None
    return out


# --------------------------------------------------------------------------------------------
# Loss curves.
_BY = ("iteration", "epoch", "time")


def _curve(item, by, name):
    """``(x, y)`` arrays of one loss curve, read from an array, a pair or a result."""
    if isinstance(item, tuple) and len(item) == 2:
        x = check_array(f"{name} x", item[0], ndim=1)
        y = check_array(f"{name} y", item[1], ndim=1)
        if x.shape != y.shape:
            raise ValueError(f"{name}: x and y must have the same length, "
                             f"got {x.size} and {y.size}")
        return x, y
    if by == "time":
        times = getattr(item, "epoch_times", None)
        if times is None:
            raise ValueError(f"{name}: by='time' needs a training result with epoch_times or an "
                             f"(seconds, losses) pair, got {type(item).__name__}")
        y = check_array(f"{name} loss_per_epoch", item.loss_per_epoch, ndim=1)
        t = np.cumsum(check_array(f"{name} epoch_times", times, ndim=1))
        if t.size == y.size - 1:  # loss_per_epoch also holds the loss before training (t = 0)
            t = np.concatenate([[0.0], t])
        if t.size != y.size:
            raise ValueError(f"{name}: {t.size} epoch times for {y.size} epoch losses")
        return t, y
    if by == "epoch" and hasattr(item, "loss_per_epoch"):
        y = check_array(f"{name} loss_per_epoch", item.loss_per_epoch, ndim=1)
        runs = getattr(item, "epochs_run", None)
        first = 0 if runs is not None and y.size == runs + 1 else 1
        return np.arange(first, first + y.size, dtype=np.float64), y
    for attr in ("losses", "loss_per_iteration"):
        if hasattr(item, attr):
            item = getattr(item, attr)
            break
    y = check_array(name, item, ndim=1)
    return np.arange(y.size, dtype=np.float64), y


def _quiet_float_warnings(fn):
    """Run a plotting function with NumPy's overflow warnings off: values near 1e308 are drawn
    as they are, and matplotlib's log-axis autoscaling (10**decade) must not warn about them."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            return fn(*args, **kwargs)
    return wrapper


@_quiet_float_warnings
def plot_loss_curves(curves, *, by="iteration", ax=None, log=None, f_min=None, colors=None):
    """Loss against iterations, epochs or wall-clock seconds, one line per curve.

    Parameters
    ----------
    curves : dict label -> curve, list of curves, or one curve
        A curve is a 1-D array of losses (x = 0, 1, 2, ...), an ``(x, losses)`` pair, or a result:
        ``.losses`` / ``.loss_per_iteration`` for ``by="iteration"``, ``.loss_per_epoch`` for
        ``by="epoch"``, ``.loss_per_epoch`` against the cumulative ``.epoch_times`` for
        ``by="time"``.
    by : {"iteration", "epoch", "time"}
    ax : matplotlib Axes, optional
    log : bool or None
        Log-scale y axis. None: log when every value is positive and they span >= 2 decades.
    f_min : float, optional
        Plot ``loss - f_min`` (floored at 1e-16) instead: the gap to the best value, which a log
        axis shows best.
    colors : list of colours, optional

    Returns
    -------
    list of Line2D
        One per curve; ``get_xdata`` / ``get_ydata`` return exactly what was plotted.
    """
    check_choice("by", by, _BY)
    if log is not None and not isinstance(log, bool):
        raise TypeError(f"log must be True, False or None (automatic), got {_show(log)}")
    if f_min is not None:
        f_min = check_number("f_min", f_min)
    named = _named(curves, "curves")
    data = [(label, *_curve(item, by, f"curves[{label!r}]")) for label, item in named]
    colors = _check_colors(colors)
    ax = _new_axes(ax)
    lines = []
    for i, (label, x, y) in enumerate(data):
        y = loss_gap(y, f_min)
        (line,) = ax.plot(x, y, color=colors[i % len(colors)], label=label,
                          marker="o" if by == "epoch" and y.size <= 50 else None, markersize=3)
        lines.append(line)
    ys = np.concatenate([d[2] for d in data]) if data else np.array([])
    ys = loss_gap(ys, f_min)
    if log is None:
        log = bool(ys.size and np.all(ys > 0) and ys.max() / ys.min() >= 100.0)
    if log:
        if np.any(ys <= 0):
            raise ValueError("log=True needs positive losses; pass f_min below every loss, "
                             "or log=False")
        log_scale(ax, "y")
    ax.set_xlabel({"iteration": "iteration (update)", "epoch": "epoch",
                   "time": "wall-clock time (s)"}[by])
    ax.set_ylabel("loss − f*" if f_min is not None else "loss")
    ax.legend(fontsize="small")
    return lines


# --------------------------------------------------------------------------------------------
# Effective learning rate.
def _columns(arrays, name):
    """Stack a dict of per-step arrays, ``{"W": (k, d), "b": (k, 1)}``, into columns (k, m).

    Returns the stacked array and a label per column ("W", "b" or "W[0]", "W[1]", ...).
    """
    cols, labels = [], []
    for key, value in arrays.items():
        arr = check_array(f"{name}[{key!r}]", value, finite=False)
        if arr.ndim < 1:
            raise ValueError(f"{name}[{key!r}] must have one row per step, got a scalar")
        arr = arr.reshape(arr.shape[0], -1)
        short = key[1:] if key.startswith("d") and len(key) > 1 else key
        cols.append(arr)
        labels += [short] if arr.shape[1] == 1 else [f"{short}[{j}]" for j in range(arr.shape[1])]
    if not cols or len({c.shape[0] for c in cols}) != 1:
        raise ValueError(f"{name} must hold arrays with the same number of steps, got "
                         f"{ {k: np.shape(v) for k, v in arrays.items()} }")
    return np.hstack(cols), labels


def _lr_history(item, name):
    for attr in ("lr_eff", "lr_history"):
        if hasattr(item, attr):
            item = getattr(item, attr)
            if item is None or (isinstance(item, dict) and not item):
                raise ValueError(f"{name} has no recorded learning rate (run it with "
                                 f"record_lr=True)")
            break
    labels = None
    if isinstance(item, dict):  # a TrainResult lr_history: {"dW": (k, d), "db": (k, 1)}
        item, labels = _columns(item, name)
    arr = check_array(name, item)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2 or arr.shape[0] < 1:
        raise ValueError(f"{name} must have shape (steps,) or (steps, n_params), "
                         f"got shape {arr.shape}")
    if np.any(arr < 0):
        raise ValueError(f"{name} contains negative learning rates; expected η_t >= 0")
    if labels is None:
        labels = [f"W{j + 1}".translate(_SUBSCRIPT) for j in range(arr.shape[1])]
    return arr, labels


@_quiet_float_warnings
def plot_effective_lr(histories, *, ax=None, log=True, max_components=4, colors=None):
    r"""The effective per-parameter learning rate over the steps: why Adagrad stalls.

    Adagrad divides η by :math:`\sqrt{\alpha_t}` with :math:`\alpha_t` a sum that only grows, so
    its rate falls towards zero; RMSprop and Adam divide by the root of a moving average, so
    their rate stays alive. Step ``t`` runs from 1.

    Parameters
    ----------
    histories : dict label -> history, list, or one history
        An array of shape (steps,) or (steps, n_params), or a result with ``.lr_eff`` /
        ``.lr_history`` (recorded with ``record_lr=True``).
    ax : matplotlib Axes, optional
    log : bool
        Log-scale y axis (the drop of Adagrad spans decades).
    max_components : int >= 1
        Up to this many parameters a line each (solid, dashed, dotted, ...); with more, the
        median over the parameters with a min-max band.
    colors : list of colours, optional

    Returns
    -------
    list of Line2D
        One per drawn (history, parameter) pair (or per history with the median), in order.
    """
    if not isinstance(log, bool):
        raise TypeError(f"log must be True or False, got {_show(log)}")
    max_components = check_number("max_components", max_components, low=1, integer=True)
    named = [(label, *_lr_history(item, f"histories[{label!r}]"))
             for label, item in _named(histories, "histories")]
    colors = _check_colors(colors)
    ax = _new_axes(ax)
    styles = ("-", "--", ":", "-.")
    lines = []
    for i, (label, arr, parts) in enumerate(named):
        color = colors[i % len(colors)]
        t = np.arange(1, arr.shape[0] + 1)
        if arr.shape[1] > max_components:
            (line,) = ax.plot(t, np.median(arr, axis=1), color=color, label=f"{label} (median)")
            ax.fill_between(t, arr.min(axis=1), arr.max(axis=1), color=color, alpha=0.2,
                            linewidth=0)
            lines.append(line)
            continue
        for j in range(arr.shape[1]):
            text = label if arr.shape[1] == 1 else f"{label}: {parts[j]}"
            (line,) = ax.plot(t, arr[:, j], styles[j % len(styles)], color=color, label=text)
            lines.append(line)
    if log:
        if any(np.any(arr <= 0) for _, arr, _ in named):
            raise ValueError("log=True needs positive learning rates; use log=False")
        log_scale(ax, "y")
    ax.set_xlabel("step t")
    ax.set_ylabel("effective learning rate ηₜ")
    ax.legend(fontsize="small")
    return lines


# --------------------------------------------------------------------------------------------
# Exponentially weighted averages.
def plot_ewa(a, betas=(0.5, 0.9, 0.98), *, bias_correction="both", ax=None, t=None,
             colors=None):
    r"""A noisy series and its exponentially weighted averages for several β.

    :math:`v_t = \beta v_{t-1} + (1-\beta) a_t` from :math:`v_0 = 0`; a large β is smooth and
    late (it averages about :math:`1/(1-\beta)` values), a small β follows the data. Without bias
    correction the average starts near 0; :math:`v_t / (1 - \beta^t)` removes that dip.

    Parameters
    ----------
    a : array_like, shape (T,)
        The series.
    betas : float or sequence of floats in [0, 1)
    bias_correction : bool or "both"
        Draw the corrected averages (True), the raw ones (False), or both ("both": raw dashed,
        corrected solid).
    ax : matplotlib Axes, optional
    t : array_like, shape (T,), optional
        The times of the values (default 1, 2, ..., T).
    colors : list of colours, optional

    Returns
    -------
    dict
        ``"data"``: the Line2D of the series (dots); ``"ewa"``: ``{(beta, corrected): Line2D}``.
    """
    a = check_array("a", a, ndim=1)
    if a.size < 1:
        raise ValueError("a must hold at least one value")
    if isinstance(betas, numbers.Real):
        betas = [betas]
    if not isinstance(betas, (list, tuple, np.ndarray)) or len(betas) < 1:
        raise TypeError(f"betas must be a number or a non-empty sequence of numbers in [0, 1), "
                        f"got {_show(betas)}")
    betas = [check_number("betas", b, low=0.0, high=1.0, high_open=True) for b in betas]
    if isinstance(bias_correction, (bool, np.bool_)):
        bias_correction = bool(bias_correction)
    elif not (isinstance(bias_correction, str) and bias_correction == "both"):
        raise ValueError(f"bias_correction must be True, False or 'both', got "
                         f"{_show(bias_correction)}")
    t = np.arange(1, a.size + 1, dtype=np.float64) if t is None else check_array("t", t, ndim=1)
    if t.shape != a.shape:
        raise ValueError(f"t must have the same length as a ({a.size}), got {t.size}")
    colors = _check_colors(colors)
    ax = _new_axes(ax, figsize=(7.0, 4.0))
    (data,) = ax.plot(t, a, ".", color="0.6", markersize=4, label="data aₜ", zorder=1)
    modes = {True: [True], False: [False], "both": [False, True]}[bias_correction]
    out = {"data": data, "ewa": {}}
    for i, beta in enumerate(betas):
        color = colors[i % len(colors)]
        for corrected in modes:
            v = ewa_series(a, beta, bias_correction=corrected)
            label = f"β = {beta:g} (≈ {ewa_window(beta):.3g} values)"
            if bias_correction == "both":
                label += ", corrected" if corrected else ", raw"
            (line,) = ax.plot(t, v, "-" if corrected or bias_correction is False else "--",
                              color=color, linewidth=1.8, label=label, zorder=2)
            out["ewa"][(beta, corrected)] = line
    ax.set_xlabel("t")
    ax.set_ylabel("value")
    ax.legend(fontsize="small")
    return out


# --------------------------------------------------------------------------------------------
# GD vs SGD vs mini-batch on a regression data set.
def regression_surface(X, y, *, start=(0.0, 0.0), half=False):
    r"""The loss surface of 1-feature linear regression as a 2-D :class:`Problem` over (W, b).

    :math:`L(W, b) = \frac{c}{n}\sum_i (x_i W + b - y_i)^2` with c = 1 (or 1/2 when ``half``),
    computed from the sums of :math:`x, y, x^2, xy, y^2`, so a whole grid costs no more than a
    point. Its minimum is the least-squares fit and its Hessian is constant, so ``lambda_max`` is
    known (full-batch GD converges for :math:`\eta < 2/\lambda_{max}`).

    Parameters
    ----------
    X : array_like, shape (n, 1) or (n,)
    y : array_like, shape (n,)
    start : (W, b)
        Where the paths start (the window is made to include it).
    half : bool
        Use the ½·MSE convention.

    Returns
    -------
    Problem
    """
    from .problems import Problem

    X = check_array("X", X)
    if X.ndim == 2 and X.shape[1] == 1:
        X = X[:, 0]
    if X.ndim != 1:
        raise ValueError(f"X must have one feature, shape (n, 1) or (n,), got shape {X.shape}")
    y = check_array("y", y, ndim=1)
    if y.shape != X.shape:
        raise ValueError(f"X and y must have the same number of records, got {X.size} and {y.size}")
    if X.size < 2 or np.ptp(X) == 0:
        raise ValueError("X must hold at least two different values to define a line")
    start = check_array("start", start, shape=(2,))
    c = 0.5 if check_flag("half", half) else 1.0
    with np.errstate(over="ignore", invalid="ignore"):
        sx, sy, sxx, sxy, syy = (X.mean(), y.mean(), (X * X).mean(), (X * y).mean(),
                                 (y * y).mean())
    if not np.all(np.isfinite([sx, sy, sxx, sxy, syy])):
        raise ValueError(f"X and y are too large: their squares overflow float64 (largest |X| = "
                         f"{np.max(np.abs(X)):.3g}, |y| = {np.max(np.abs(y)):.3g}); rescale "
                         f"them, e.g. divide by their largest value")

    def fn(w, b):
        return c * (w * w * sxx + 2.0 * w * b * sx + b * b - 2.0 * w * sxy - 2.0 * b * sy + syy)

    def grad_fn(w, b):
        return 2.0 * c * (w * sxx + b * sx - sxy), 2.0 * c * (w * sx + b - sy)

    H = 2.0 * c * np.array([[sxx, sx], [sx, 1.0]])
    with np.errstate(over="ignore", invalid="ignore"):
        w_best, b_best = np.linalg.solve(H / (2.0 * c), [sxy, sy])
    if not (np.isfinite(w_best) and np.isfinite(b_best)):
        raise ValueError(f"X is too close to constant for a least-squares line in float64 "
                         f"(its values span {np.ptp(X):.3g} around {sx:.3g}); rescale X")
    lo = np.minimum(start, [w_best, b_best])
    hi = np.maximum(start, [w_best, b_best])
    pad = np.maximum(0.35 * (hi - lo), 0.5)
    bounds = ((lo[0] - pad[0], hi[0] + pad[0]), (lo[1] - pad[1], hi[1] + pad[1]))
    return Problem("regression", f"MSE of linear regression (n = {X.size})", start=start,
                   minima=[(w_best, b_best)], bounds=bounds,
                   lambda_max=float(np.linalg.eigvalsh(H)[-1]),
                   f_min=float(fn(w_best, b_best)), saddle_points=[], log_levels=False,
                   fn=fn, grad_fn=grad_fn, axis_labels=("W", "b"))


def plot_batch_paths(surface, paths, *, ax=None, contour=True, colors=None):
    """GD vs SGD vs mini-batch on the same problem: the smooth path against the zig-zag.

    The first path (GD, by convention) is drawn thick, the others thinner and slightly
    transparent so the zig-zag of the noisy ones stays readable; labels get the number of updates.

    Parameters
    ----------
    surface : Problem, str, or (X, y)
        The problem whose contour is drawn; an ``(X, y)`` pair of a 1-feature regression data
        set (or a ``Dataset``) becomes :func:`regression_surface`.
    paths : dict label -> path
        Arrays (k + 1, 2) or results with ``.path``; for regression the columns are (W, b).
    ax : matplotlib Axes, optional
    contour : bool
        Draw the contour under the paths (False when it is already there).
    colors : list of colours, optional

    Returns
    -------
    dict
        As :func:`plot_paths`.
    """
    if hasattr(surface, "X") and hasattr(surface, "y"):
        surface = regression_surface(surface.X, surface.y)
    elif isinstance(surface, tuple) and len(surface) == 2:
        surface = regression_surface(*surface)
    surface = _check_problem(surface)
    colors = _check_colors(colors)
    named = _named(paths, "paths")
    labelled = {}
    for label, item in named:
        path, _ = _as_path(item, f"paths[{label!r}]")
        labelled[f"{label} ({path.shape[0] - 1} updates)"] = item
    styles = [{"linewidth": 2.6, "alpha": 1.0, "markersize": 4}]
    styles += [{"linewidth": 1.0, "alpha": 0.8, "markersize": 2}] * (len(named) - 1)
    return plot_paths(surface, labelled, ax=ax, contour=contour, colors=colors, styles=styles)


# --------------------------------------------------------------------------------------------
# Animation.
@dataclasses.dataclass(repr=False)
class PathAnimation:
    """An animation of optimizer paths as one self-contained HTML block (no internet needed).

    The frames are PNG images embedded in the HTML with a tiny player (play / pause, a slider to
    scrub through the steps). Without JavaScript the last frame still shows.

    Attributes
    ----------
    html : str
        The player; a notebook shows it through ``_repr_html_``.
    frames : ndarray of int
        The step shown in each frame (at most ``max_frames``; the first and last step always).
    images : list of bytes
        The PNG of each frame.
    figure : matplotlib.figure.Figure
        The figure the frames were drawn on, left in its final state.
    lines : list of Line2D
        The path lines (their data is the full path at the end).
    """

    html: str
    frames: np.ndarray
    images: list
    figure: object
    lines: list

    def _repr_html_(self):
        return self.html

    def __repr__(self):  # short: a notebook stores this next to the HTML
        return (f"<PathAnimation: {len(self.frames)} frames, steps {self.frames[0]}.."
                f"{self.frames[-1]}, {len(self.html) // 1024} KiB of HTML>")


_PLAYER = """<div id="{uid}" style="display:inline-block;font-family:sans-serif">
<img id="{uid}-img" alt="optimizer paths, step {last}" src="data:image/png;base64,{first}"/>
<div><button id="{uid}-play" type="button">&#9654; play</button>
<input id="{uid}-slider" type="range" min="0" max="{n}" value="{n}" style="width:60%">
<span id="{uid}-label">step {last}</span></div>
<script>(function() {{
  var frames = [{frames}], steps = [{steps}], i = {n}, timer = null;
  var img = document.getElementById("{uid}-img"), slider = document.getElementById("{uid}-slider");
  var label = document.getElementById("{uid}-label"), btn = document.getElementById("{uid}-play");
  function show(k) {{ i = k; img.src = "data:image/png;base64," + frames[k];
    slider.value = k; label.textContent = "step " + steps[k]; }}
  function stop() {{ clearInterval(timer); timer = null; btn.innerHTML = "&#9654; play"; }}
  slider.oninput = function() {{ stop(); show(parseInt(slider.value)); }};
  btn.onclick = function() {{
    if (timer) {{ stop(); return; }}
    if (i >= frames.length - 1) show(0);
    btn.innerHTML = "&#10073;&#10073; pause";
    timer = setInterval(function() {{ if (i >= frames.length - 1) stop(); else show(i + 1); }},
                        {interval});
  }};
}})();</script></div>"""


def _png(canvas, colors=96):
    """The canvas pixels as a palette PNG (a few KB per frame instead of tens)."""
    import io

    from PIL import Image

    rgb = Image.fromarray(np.asarray(canvas.buffer_rgba())[..., :3])
    with io.BytesIO() as buf:
        rgb.quantize(colors=colors, method=Image.Quantize.MEDIANCUT).save(buf, format="png")
        return buf.getvalue()


def animate_paths(problem, paths, *, max_frames=40, interval=100, figsize=(5.5, 4.5), dpi=72):
    """Optimizer paths growing step by step, as an HTML player that needs no internet.

    Long paths are subsampled to at most ``max_frames`` frames (the first and the last step
    always included), so a notebook holding the animation stays small: each frame is one
    embedded palette PNG of a few kilobytes. The contour is drawn once and the paths blitted
    over it, so making 40 frames takes well under a second.

    Parameters
    ----------
    problem : Problem or str
    paths : dict label -> path, list of paths, or one path
    max_frames : int in [2, 300]
    interval : int in [10, 60000]
        Milliseconds between frames when playing.
    figsize : (width, height) in inches
    dpi : int in [20, 200]

    Returns
    -------
    PathAnimation
        ``.html`` to display (a notebook shows the object directly), ``.frames``, ``.images``.
    """
    import base64
    import uuid

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    problem = _check_problem(problem)
    max_frames = check_number("max_frames", max_frames, low=2, high=300, integer=True)
    interval = check_number("interval", interval, low=10, high=60_000, integer=True)
    dpi = check_number("dpi", dpi, low=20, high=200, integer=True)
    figsize = _check_figsize(figsize)
    named = _named(paths, "paths")
    fig = Figure(figsize=figsize, dpi=dpi)
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    plot_contour(problem, ax=ax, filled=True, levels=15, resolution=150, alpha=0.45)
    drawn = plot_paths(problem, dict(named), ax=ax, contour=False)
    full = [line.get_xydata().copy() for line in drawn["lines"]]
    longest = max(p.shape[0] for p in full)
    frames = np.unique(np.linspace(0, longest - 1, min(max_frames, longest)).round().astype(int))
    step_text = ax.text(0.02, 0.97, "", transform=ax.transAxes, va="top", fontsize="small",
                        bbox={"facecolor": "white", "alpha": 0.8, "linewidth": 0})
    moving = drawn["lines"] + drawn["ends"] + [step_text]
    for artist in moving:
        artist.set_animated(True)
    fig.tight_layout()
    canvas.draw()
    background = canvas.copy_from_bbox(fig.bbox)
    images = []
    for k in frames:
        for line, end, p in zip(drawn["lines"], drawn["ends"], full, strict=True):
            j = min(k, p.shape[0] - 1)
            line.set_data(p[:j + 1, 0], p[:j + 1, 1])
            end.set_data(p[j:j + 1, 0], p[j:j + 1, 1])
        step_text.set_text(f"step {k}")
        canvas.restore_region(background)
        for artist in moving:
            fig.draw_artist(artist)
        images.append(_png(canvas))
    for artist in moving:
        artist.set_animated(False)
    html = _PLAYER.format(
        uid=f"path-anim-{uuid.uuid4().hex[:12]}", n=len(frames) - 1, last=int(frames[-1]),
        first=base64.b64encode(images[-1]).decode("ascii"), interval=interval,
        frames=",".join('"' + base64.b64encode(im).decode("ascii") + '"' for im in images),
        steps=",".join(str(int(k)) for k in frames))
    return PathAnimation(html=html, frames=frames, images=images, figure=fig,
                         lines=drawn["lines"])
