"""Peak extra memory of one gradient: the full batch against a mini-batch, on the same data.

Chapter 1's claim as numbers: on 1,000,000 x 20 records (160 MB of X), one full-batch gradient
written as in the lecture (``model.loss_and_grads(params, X, y)``: forward on all records, the
loss, backward) needs several n-long temporaries on top of the data; a mini-batch gradient needs
memory for its batch only. The chunked single pass that ``train`` uses for the full batch is
measured beside them. "Extra" is the peak of NumPy's allocations during the call (tracemalloc,
which NumPy reports to), the data set itself not counted; the time of each call is given too.

    python benchmarks/memory.py [--n 1000000] [--batch-size 1024]
"""
from __future__ import annotations

import argparse
import tracemalloc

try:
    from _common import Stat, fmt, repeat
except ImportError:  # imported as benchmarks.memory
    from benchmarks._common import Stat, fmt, repeat

import numpy as np  # noqa: E402


def peak_bytes(fn) -> int:
    """Peak bytes allocated while ``fn()`` runs, above what was allocated before it."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        fn()
        return tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()


def measure(n=1_000_000, d=20, *, batch_size=1024, runs=5, seed=0, log=print) -> dict:
    from course_lib.data import make_large
    from course_lib.models import LogisticRegression, _flat

    data = make_large(n, d, rng=seed)
    X, y = data.X, data.y
    model = LogisticRegression(d)
    params = {"W": np.full(d, 0.01), "b": np.array([0.1])}
    theta, grad = _flat(params), np.empty(d + 1)
    idx = np.random.default_rng(seed).permutation(n)[:batch_size]
    calls = {
        "full batch, lecture code (model.loss_and_grads)":
            lambda: model.loss_and_grads(params, X, y),
        f"mini-batch {batch_size} (gather + model.loss_and_grads)":
            lambda: model.loss_and_grads(params, X[idx], y[idx]),
        "full batch, chunked single pass (what train runs)":
            lambda: model._flat_loss_and_grad(theta, X, y, grad),
    }
    out = {"n": n, "d": d, "data_bytes": X.nbytes + y.nbytes, "batch_size": batch_size,
           "calls": {}}
    for name, fn in calls.items():
        with np.errstate(all="ignore"):
            peak = peak_bytes(fn)
            t = repeat(fn, runs)
        out["calls"][name] = {"peak_bytes": peak, "time": t}
        log(f"  {name}: {fmt(peak, 'B')} extra, {t} per gradient")
    full = out["calls"]["full batch, lecture code (model.loss_and_grads)"]["peak_bytes"]
    mini = out["calls"][f"mini-batch {batch_size} (gather + model.loss_and_grads)"]["peak_bytes"]
    out["full_over_mini"] = full / mini
    return out


def table(res) -> list[str]:
    lines = [f"| one gradient on {res['n']:,} x {res['d']} records "
             f"(data {fmt(res['data_bytes'], 'B')}) | peak extra memory | time |",
             "|---|---|---|"]
    for name, c in res["calls"].items():
        t = c["time"] if isinstance(c["time"], Stat) else Stat(**c["time"])
        lines.append(f"| {name} | {fmt(c['peak_bytes'], 'B')} | {t} |")
    return lines


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--d", type=int, default=20)
    ap.add_argument("--batch-size", type=int, default=1024)
    args = ap.parse_args(argv)
    res = measure(args.n, args.d, batch_size=args.batch_size)
    print("\n".join(table(res)))
    print(f"full batch / mini-batch peak memory: {res['full_over_mini']:.0f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
