"""How long one slider move of the optimizer playground takes: recompute + redraw.

The playground shows 4 optimizers x 200 steps on Rosenbrock. Each move sets a control's value,
exactly as the browser does; the explorer's ``observe`` callback recomputes the paths and redraws
before the assignment returns, so the time of the assignment is the latency the learner feels
(minus the network to the browser). Two moves are measured:

- the learning-rate slider of one optimizer (``adam.lr``): that optimizer's 200 steps are
  recomputed (the other three are cached), the paths blitted over the cached contour;
- the start-point slider (``x0``): all four optimizers' 800 steps recomputed, then the blit.

Every move uses a new value, so no result comes from the cache by accident. With
``--backend ipympl`` the figure is ipympl's canvas widget and the time includes the PNG diff it
sends to the browser (as with a connected browser: ``syncing_data_url`` off). With ``--image``
(the inline backend's case, what the chapters use) the explorer's box is built first, so each
move also renders the figure into the PNG of its ``ipywidgets.Image``.

The breakdown also times the creation of each explorer (build, first draw, PNG for its box):
the wait before a chapter's widget appears.

Usage::

    python benchmarks/widget_latency.py                  # Agg, 30 moves per slider
    python benchmarks/widget_latency.py --backend ipympl --moves 50
    python benchmarks/widget_latency.py --image          # Agg + the PNG image, as inline

Exit status 1 when a median exceeds the budget (30 ms).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

BUDGET_MS = 30.0
_BACKENDS = {"agg": "Agg", "ipympl": "module://ipympl.backend_nbagg"}


def _moves(explorer, name, values):
    """Milliseconds of each ``controls[name].value = v``."""
    control = explorer.controls[name]
    times = []
    for value in values:
        t0 = time.perf_counter()
        control.value = float(value)
        times.append(1e3 * (time.perf_counter() - t0))
        if explorer.last_error is not None:
            raise RuntimeError(f"the update failed: {explorer.notes}")
    return times


def measure(moves=30, warmup=3, image=False):
    """Build the playground, move two sliders, return ``{scenario: [ms per move]}``.

    Uses whatever matplotlib backend is active (the script selects it before importing). With
    ``image`` the widget box is built first, so a static canvas re-renders its PNG each move.
    """
    import numpy as np

    from course_lib.widgets import playground

    pg = playground("rosenbrock", ["gd", "momentum", "rmsprop", "adam"], steps=200)
    if image:
        pg.widget  # noqa: B018 - builds the box: from now on every update refreshes the PNG
    if pg.live:
        pg.figure.canvas.syncing_data_url = False  # what a connected browser switches off
    n = moves + warmup
    lr_values = np.geomspace(0.02, 0.3, n)  # all distinct: each move really recomputes
    x_values = np.linspace(-1.4501, -0.9501, n)  # never the start value -1.2 (no event)
    out = {}
    out["adam.lr slider (1 of 4 recomputed)"] = _moves(pg, "adam.lr", lr_values)[warmup:]
    out["x0 slider (all 4 x 200 steps recomputed)"] = _moves(pg, "x0", x_values)[warmup:]
    out["_redraws"] = dict(pg.redraws)
    out["_live"] = pg.live
    return out


def _breakdown():
    """Compute alone, blit alone and a full redraw alone, for the record."""
    from course_lib.paths import run_path
    from course_lib.problems import get_problem
    from course_lib.widgets import playground

    problem = get_problem("rosenbrock")
    lrs = {"gd": 2e-3, "momentum": 2e-3, "rmsprop": 1e-2, "adam": 0.1}
    compute = []
    for i in range(10):
        t0 = time.perf_counter()
        for name, lr in lrs.items():
            run_path(problem, name, steps=200, lr=lr * (1 + 1e-3 * i))
        compute.append(1e3 * (time.perf_counter() - t0))
    pg = playground("rosenbrock", list(lrs), steps=200)
    blit, full = [], []
    for _ in range(10):
        t0 = time.perf_counter()
        pg._redraw()
        blit.append(1e3 * (time.perf_counter() - t0))
        pg._need_full = True
        t0 = time.perf_counter()
        pg._redraw()
        full.append(1e3 * (time.perf_counter() - t0))
    out = {"compute 4 x 200 steps": compute, "blit redraw": blit, "full redraw": full}
    from course_lib import widgets

    makers = {"playground": playground, "lr_explorer": widgets.lr_explorer,
              "batch_size_explorer": widgets.batch_size_explorer,
              "ewa_explorer": widgets.ewa_explorer}
    for name, make in makers.items():
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            make().widget  # noqa: B018 - the box with the PNG of the first draw
            times.append(1e3 * (time.perf_counter() - t0))
        out[f"create {name} + PNG"] = times
    return out


def _line(name, times):
    return (f"{name:44s} median {statistics.median(times):6.1f} ms   min {min(times):6.1f}   "
            f"max {max(times):6.1f}   (n = {len(times)})")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=30, help="slider moves per scenario")
    parser.add_argument("--backend", choices=sorted(_BACKENDS), default="agg")
    parser.add_argument("--image", action="store_true",
                        help="build the widget box first: each move also renders the PNG "
                             "of its Image (the inline backend's case)")
    args = parser.parse_args(argv)
    if "matplotlib.pyplot" not in sys.modules:
        os.environ["MPLBACKEND"] = _BACKENDS[args.backend]
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

    result = measure(moves=args.moves, image=args.image)
    print(f"optimizer playground, Rosenbrock, 4 optimizers x 200 steps, backend "
          f"{args.backend} (live canvas: {result['_live']}"
          f"{', PNG image per move' if args.image else ''}), budget {BUDGET_MS:.0f} ms")
    ok = True
    for name, times in result.items():
        if name.startswith("_"):
            continue
        print(_line(name, times))
        ok &= statistics.median(times) <= BUDGET_MS
    print(f"redraws: {result['_redraws']}")
    print("breakdown:")
    for name, times in _breakdown().items():
        print("  " + _line(name, times))
    print("load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    print("OK" if ok else f"TOO SLOW: a median is above {BUDGET_MS:.0f} ms")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
