"""Every benchmark of the course in one command (``make bench``): prints a table, writes JSON.

1. Training on 1,000,000 x 20 records (logistic regression, float64, Adam) through
   ``course_lib.training.train``: time per epoch for the full batch, mini-batches of 8192, 1024,
   256 and 32, and SGD; beside it the read pass over the data, the plain loop and PyTorch CPU
   (``training_1m.py``).
2. Peak extra memory of one full-batch gradient against one mini-batch gradient
   (``memory.py``).
3. Slider latency of the optimizer playground: 4 optimizers x 200 steps on Rosenbrock plus the
   redraw (``widget_latency.py``).
4. The whole course: every notebook from a fresh kernel, the slowest named
   (``course_runtime.py``).
5. ``import course_lib`` against ``import numpy`` in fresh interpreters (``import_time.py``).

Every figure is the median of several runs with [min–max]; every comparison is a ratio of
medians measured in the same run (shared machines are noisy: absolute times are context).
Results go to ``benchmarks/results/latest.json`` (and a time-stamped copy).

    python benchmarks/run_all.py                   # everything (several minutes)
    python benchmarks/run_all.py --quick           # small sizes, a smoke run of the code
    python benchmarks/run_all.py --skip course --skip torch
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))
if "matplotlib.pyplot" not in sys.modules:  # the playground draws off screen
    os.environ.setdefault("MPLBACKEND", "Agg")

import course_runtime  # noqa: E402
import import_time  # noqa: E402
import memory  # noqa: E402
import training_1m  # noqa: E402
import widget_latency  # noqa: E402
from _common import Stat, fmt, machine, ratio, verdict  # noqa: E402

PARTS = ("training", "torch", "plain", "memory", "slider", "course", "import")
IMPORT_TARGET_S, IMPORT_TARGET_RATIO = 0.2, 1.5


def run_import(runs) -> dict:
    """Fresh interpreters; ``course_lib.optimizers`` (which imports NumPy) as context."""
    rows = {stmt: Stat.of(import_time.time_import(stmt, runs))
            for stmt in ("import numpy", "import course_lib", "import course_lib.optimizers")}
    lib, numpy = rows["import course_lib"], rows["import numpy"]
    r = ratio(lib, numpy)
    return {"numpy": numpy, "course_lib": lib, "optimizers": rows["import course_lib.optimizers"],
            "ratio": r, "ok": lib.median <= IMPORT_TARGET_S and r <= IMPORT_TARGET_RATIO}


def run_slider(moves) -> dict:
    raw = widget_latency.measure(moves=moves)
    out = {name: Stat.of([t / 1e3 for t in times]) for name, times in raw.items()
           if not name.startswith("_")}
    return {"moves": out, "budget_s": widget_latency.BUDGET_MS / 1e3,
            "ok": all(s.median <= widget_latency.BUDGET_MS / 1e3 for s in out.values())}


def _r(x) -> str:
    """A ratio: two decimals below 10 (where targets sit), one above."""
    return f"{x:.2f}" if x < 10 else f"{x:.1f}"


def _stats(obj):
    """JSON back to Stats (for --from-json)."""
    if isinstance(obj, dict):
        if set(obj) == {"median", "min", "max", "n", "unit"}:
            return Stat(**obj)
        return {k: _stats(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_stats(v) for v in obj]
    return obj


def report(res) -> list[str]:
    """The summary table, then the detail tables."""
    lines = summary(res)
    if res.get("training"):
        lines += [""] + training_1m.table(res["training"])
    if res.get("memory"):
        lines += [""] + memory.table(res["memory"])
    if res.get("course", {}).get("notebooks"):
        lines += [""] + course_runtime.table(res["course"])
    return lines


def summary(res) -> list[str]:
    """The Performance table: one row per figure, its comparison, target and verdict."""
    rows = ["| benchmark | median [min–max] | compared in the same run | target | |",
            "|---|---|---|---|---|"]
    tr = res.get("training")
    if tr:
        torch_, checks = tr["torch"], tr["checks"]
        rows.append(f"| read pass over the {tr['n']:,} × {tr['d']} records (bandwidth floor, "
                    f"all rounds) | {tr['read_pass']} | | | |")
        for key, c in tr["course"].items():
            what = f"training, {key}, per epoch" + (" (from a fixed number of steps)"
                                                    if c["extrapolated"] else "")
            value = str(c["epoch"])
            if key == "batch 1":
                value = f"{c['step']} per step ({fmt(c['epoch'].median)} per epoch)"
            comp = [f"{_r(ratio(c['epoch'], c['read_pass']))}× read pass"]
            if key in torch_:
                comp.insert(0, f"{ratio(c['epoch'], torch_[key]['epoch']):.2f}× PyTorch "
                               f"({fmt(torch_[key]['epoch'].median)})")
            if key in tr["plain"]:
                comp.append(f"generic loop {ratio(tr['plain'][key]['epoch'], c['epoch']):.1f}× "
                            "slower")
            target, ok = "", None
            if key == "full batch":
                target, ok = "≤ 3× read pass", checks["full batch / read pass"]["ok"]
            elif key == "batch 1024":
                target = "≤ 0.35× PyTorch, ≤ 16× read pass"
                ok = checks["batch 1024 / read pass"]["ok"] and \
                    checks.get("batch 1024 / PyTorch", {"ok": False})["ok"]
            elif key == "batch 1":
                target, ok = "≤ 20 µs per step", checks["SGD step (s)"]["ok"]
            rows.append(f"| {what} | {value} | {'; '.join(comp)} | {target} | "
                        f"{verdict(ok) if target else ''} |")
    mem = res.get("memory")
    if mem:
        calls = list(mem["calls"].values())
        rows.append(f"| peak extra memory, one gradient on {mem['n']:,} records: full batch "
                    f"(lecture code) vs mini-batch {mem['batch_size']} | "
                    f"{fmt(calls[0]['peak_bytes'], 'B')} vs {fmt(calls[1]['peak_bytes'], 'B')} "
                    f"| {mem['full_over_mini']:.0f}×; the chunked full batch `train` runs: "
                    f"{fmt(calls[2]['peak_bytes'], 'B')} (data: "
                    f"{fmt(mem['data_bytes'], 'B')}) | | |")
    sl = res.get("slider")
    if sl:
        for name, s in sl["moves"].items():
            rows.append(f"| slider latency, {name} | {s} | 4 optimizers × 200 steps on "
                        f"Rosenbrock + redraw | ≤ 30 ms | {verdict(s.median <= 0.030)} |")
    co = res.get("course")
    if co and co.get("notebooks"):
        par = (f"; {co['parallel']['workers']} at a time: {co['parallel']['wall_s']:.0f} s wall"
               if "parallel" in co else "")
        errs = f"; {len(co['errors'])} failed" if co["errors"] else ""
        rows.append(f"| whole course, {co['count']} notebooks one after another, fresh kernels "
                    f"| {co['total']:.0f} s [{co['total_per_run'].min:.0f}–"
                    f"{co['total_per_run'].max:.0f}] | kernels' CPU {co['cpu_total']:.0f} s; "
                    f"slowest {co['slowest']} "
                    f"({co['notebooks'][co['slowest']].median:.0f} s){par}{errs} | ≤ 60 s | "
                    f"{verdict(co['ok'])} |")
    im = res.get("import")
    if im:
        context = ""
        if "optimizers" in im:
            context = (f"; `import course_lib.optimizers`, NumPy included: "
                       f"{fmt(im['optimizers'].median)} = "
                       f"{_r(ratio(im['optimizers'], im['numpy']))}× numpy")
        rows.append(f"| `import course_lib` (fresh interpreters) | {im['course_lib']} | "
                    f"{_r(im['ratio'])}× `import numpy` ({fmt(im['numpy'].median)}){context} | "
                    f"≤ 0.2 s and ≤ 1.5× numpy | {verdict(im['ok'])} |")
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true",
                    help="small sizes and few runs: checks the code, not the speed")
    ap.add_argument("--skip", action="append", default=[], choices=PARTS)
    ap.add_argument("--runs", type=int, default=None, help="runs per training figure (5)")
    ap.add_argument("--course-runs", type=int, default=None, help="passes over the course (3)")
    ap.add_argument("--notebooks", default=None, help="folder of notebooks (notebooks/)")
    ap.add_argument("--output", default=str(HERE / "results"), help="folder for the JSON")
    ap.add_argument("--from-json", help="print the tables of an earlier run's JSON, run nothing")
    args = ap.parse_args(argv)
    if args.from_json:
        print("\n".join(report(_stats(json.loads(Path(args.from_json).read_text())))))
        return 0
    quick, skip = args.quick, set(args.skip)
    n = 20_000 if quick else 1_000_000
    runs = args.runs or (2 if quick else 5)
    res = {"machine": machine(), "quick": quick}
    print(f"machine: {res['machine']['cpu_count']} cores ({res['machine']['cpu']}), load "
          f"average {res['machine']['load_average']}, numpy {res['machine']['numpy']}")
    start = time.perf_counter()
    parts = {
        "import": lambda: run_import(3 if quick else 9),
        "slider": lambda: run_slider(3 if quick else 30),
        "memory": lambda: memory.measure(n, 20, runs=runs),
        "training": lambda: training_1m.measure(
            n, 20, runs=runs, sgd_steps=2_000 if quick else 20_000,
            torch_steps=200 if quick else 3_000, use_torch="torch" not in skip,
            plain="plain" not in skip),
        "course": lambda: course_runtime.measure(
            args.notebooks, runs=args.course_runs or (1 if quick else 3),
            parallel=0 if quick else 2),
    }
    for name, run in parts.items():
        if name in skip:
            continue
        print(f"{name} ...")
        try:
            res[name] = run()
        except Exception as exc:  # noqa: BLE001 - one broken part must not lose the others
            res.setdefault("failed", {})[name] = f"{type(exc).__name__}: {exc}"
            print(f"  {name} FAILED: {type(exc).__name__}: {exc}")
    res["machine"]["load_average_after"] = list(os.getloadavg())
    res["seconds"] = time.perf_counter() - start

    lines = summary(res)
    print()
    print("\n".join(report(res)))
    res["table"] = lines
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    text = json.dumps(training_1m.to_json(res), indent=1, ensure_ascii=False)
    (out / "latest.json").write_text(text)
    (out / time.strftime("bench-%Y%m%d-%H%M%S.json")).write_text(text)
    print(f"\nload average before {res['machine']['load_average']}, after "
          f"{res['machine']['load_average_after']}; {res['seconds']:.0f} s; "
          f"JSON: {out / 'latest.json'}")
    for name, why in res.get("failed", {}).items():
        print(f"FAILED: {name}: {why}")
    return 1 if res.get("failed") else 0


if __name__ == "__main__":
    sys.exit(main())
