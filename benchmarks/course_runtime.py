"""The whole course: every notebook in notebooks/ executed from a fresh kernel, timed.

Each notebook is read into memory and executed there with nbclient in a new kernel (kernel
start-up included), with the notebook's folder as the working directory, as in JupyterLab. The
files are never written. The total is the sum over the notebooks of one sequential pass (the
median of ``--runs`` passes per notebook); ``--parallel 2`` also runs the course two notebooks
at a time and reports the wall time. A notebook that fails is reported with its error (its time
still counts: it is time the learner waits).

Target: total <= 60 s on a 2-core machine; the slowest notebook is named.

    python benchmarks/course_runtime.py [--runs 3] [--parallel 2] [--timeout 600]
"""
from __future__ import annotations

import argparse
import concurrent.futures
import os
import re
import time
from pathlib import Path

try:
    from _common import ROOT, Stat
except ImportError:  # imported as benchmarks.course_runtime
    from benchmarks._common import ROOT, Stat

TARGET_S = 60.0


def notebooks(folder=None) -> list[Path]:
    folder = Path(folder) if folder is not None else ROOT / "notebooks"
    return sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith("."))


#: Appended to the in-memory copy: the kernel's own CPU seconds (its children included), a
#: figure that a busy machine inflates much less than the wall time.
_CPU_PROBE = ("import resource as _r\n"
              "print('__cpu__', sum(getattr(_r.getrusage(w), f) for w in "
              "(_r.RUSAGE_SELF, _r.RUSAGE_CHILDREN) for f in ('ru_utime', 'ru_stime')))")


def execute(path, timeout=600) -> dict:
    """Execute one notebook in memory in a fresh kernel.

    Returns ``{"name", "seconds", "cpu_seconds", "error", "cells", "slowest_cells"}``; the
    seconds run from the kernel's start to the last cell's end.
    """
    import nbformat

    path = Path(path)
    return _run(nbformat.read(path, as_version=4), path.name, path.parent, timeout)


#: The fixed cost of a notebook: a fresh kernel and the imports nearly every chapter makes.
BASELINE_CELLS = ("%matplotlib inline",
                  "import numpy as np\nimport matplotlib.pyplot as plt\nimport ipywidgets\n"
                  "import course_lib.plots")


def baseline(timeout=600) -> dict:
    """A notebook that only starts the kernel and imports (what every chapter pays first)."""
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in BASELINE_CELLS])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    return _run(nb, "(baseline)", ROOT / "notebooks", timeout)


def _run(nb, name, folder, timeout) -> dict:
    import nbformat
    from nbclient import NotebookClient

    _kernels_import_this_checkout()
    n_cells = sum(c.cell_type == "code" for c in nb.cells)
    nb.cells.append(nbformat.v4.new_code_cell(_CPU_PROBE))
    client = NotebookClient(nb, timeout=timeout, allow_errors=False, record_timing=True,
                            resources={"metadata": {"path": str(folder)}}, **_encrypted())
    error = None
    start = time.perf_counter()
    try:
        client.execute()
    except Exception as exc:  # noqa: BLE001 - any failure is reported, not raised
        text = re.sub(r"\x1b\[[0-9;]*m", "", str(exc))  # no terminal colours
        lines = [ln for ln in text.strip().splitlines() if ln.strip()]
        error = f"{type(exc).__name__}: {lines[-1][:200] if lines else ''}"
    seconds = time.perf_counter() - start
    return {"name": name, "seconds": seconds, "cpu_seconds": _cpu(nb.cells[-1]),
            "error": error, "cells": n_cells, "slowest_cells": _slowest_cells(nb.cells[:-1])}


def _encrypted() -> dict:
    """Kernel-manager settings that encrypt the kernel's TCP sockets (CurveZMQ), when possible.

    ipykernel >= 7.4 logs "Kernel is running over TCP without encryption ..." (a WARNING of the
    kernel's own logger, IPKernelApp.init_sockets, written to the stderr we inherit) once per
    kernel, unless the manager hands it CurveZMQ keys: jupyter_client >= 8.10 does that with
    ``transport_encryption="auto"`` for a kernelspec that declares ``supported_encryption:
    ["curve"]`` (ipykernel's does). So the warning's cause is removed, not the kernel's log
    hidden: no other message is affected. Older jupyter_client, or a pyzmq without CurveZMQ:
    nothing to set (those kernels do not print the warning, or cannot encrypt).
    """
    try:
        import zmq
        from jupyter_client import KernelManager
    except ImportError:  # pragma: no cover - nbclient needs both
        return {}
    if "transport_encryption" not in KernelManager.class_trait_names() or not zmq.has("curve"):
        return {}
    from traitlets.config import Config

    return {"config": Config({"KernelManager": {"transport_encryption": "auto"}})}


def _cpu(cell):
    """The probe's number, or None (the probe did not run: an earlier cell failed)."""
    text = "".join(out.get("text", "") for out in cell.get("outputs", []))
    found = re.search(r"__cpu__\s+([0-9.eE+-]+)", text)
    return float(found.group(1)) if found else None


def _slowest_cells(cells, k=3):
    """The ``k`` slowest code cells: ``[{"index", "seconds", "first_line"}]`` (nbclient's
    timing metadata)."""
    from datetime import datetime

    found = []
    for i, cell in enumerate(cells):
        timing = cell.get("metadata", {}).get("execution", {})
        a, b = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
        if cell.cell_type != "code" or not (a and b):
            continue
        dt = (datetime.fromisoformat(b.replace("Z", "+00:00"))
              - datetime.fromisoformat(a.replace("Z", "+00:00"))).total_seconds()
        first = next((ln for ln in cell.source.splitlines() if ln.strip()), "")
        found.append({"index": i, "seconds": dt, "first_line": first[:80]})
    return sorted(found, key=lambda c: -c["seconds"])[:k]


def _kernels_import_this_checkout():
    """Kernels inherit the environment: put this checkout first on their PYTHONPATH, so
    ``import course_lib`` finds it whether or not it is pip-installed (as in ``make install``)."""
    paths = os.environ.get("PYTHONPATH", "").split(os.pathsep)
    if str(ROOT) not in paths:
        os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT)] + [p for p in paths if p])


def _wall_parallel(paths, workers, timeout) -> tuple[float, list[dict]]:
    start = time.perf_counter()
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(execute, paths, [timeout] * len(paths)))
    return time.perf_counter() - start, results


def measure(folder=None, *, runs=3, parallel=2, timeout=600, log=print) -> dict:
    paths = notebooks(folder)
    if not paths:
        return {"notebooks": {}, "note": "no notebooks found"}
    per = {p.name: [] for p in paths}
    cpu = {p.name: [] for p in paths}
    cells, errors, totals = {}, {}, []
    for r in range(runs):
        total = 0.0
        for p in paths:
            res = execute(p, timeout)
            per[p.name].append(res["seconds"])
            if res["cpu_seconds"] is not None:
                cpu[p.name].append(res["cpu_seconds"])
            cells[p.name] = res["slowest_cells"]
            total += res["seconds"]
            if res["error"]:
                errors[p.name] = res["error"]
            log(f"  run {r + 1}/{runs} {p.name}: {res['seconds']:.1f} s"
                + (f" (kernel CPU {res['cpu_seconds']:.1f} s)" if res["cpu_seconds"] else "")
                + (f"  ERROR {res['error']}" if res["error"] else ""))
        totals.append(total)
    stats = {name: Stat.of(ts) for name, ts in per.items()}
    slowest = max(stats, key=lambda k: stats[k].median)
    out = {"notebooks": stats, "cpu": {k: Stat.of(v) for k, v in cpu.items() if v},
           "slowest_cells": cells, "errors": errors, "runs": runs, "count": len(paths),
           "total": sum(s.median for s in stats.values()), "total_per_run": Stat.of(totals),
           "slowest": slowest, "target_s": TARGET_S}
    out["cpu_total"] = sum(s.median for s in out["cpu"].values())
    base = [baseline(timeout) for _ in range(runs)]
    out["baseline"] = {"seconds": Stat.of([b["seconds"] for b in base]),
                       "cpu_seconds": Stat.of([b["cpu_seconds"] or 0.0 for b in base]),
                       "cells": list(BASELINE_CELLS)}
    log(f"  baseline (fresh kernel + imports): {out['baseline']['seconds']}")
    out["ok"] = out["total"] <= TARGET_S and not errors
    if parallel and parallel > 1:
        wall, _ = _wall_parallel(paths, parallel, timeout)
        out["parallel"] = {"workers": parallel, "wall_s": wall}
        log(f"  {parallel} at a time: {wall:.1f} s wall")
    return out


def table(res) -> list[str]:
    if not res.get("notebooks"):
        return ["(no notebooks)"]
    lines = ["| notebook (fresh kernel each) | wall time | kernel CPU | slowest cell |",
             "|---|---|---|---|"]
    for name, s in res["notebooks"].items():
        s = s if isinstance(s, Stat) else Stat(**s)
        c = res["cpu"].get(name)
        c = c if c is None or isinstance(c, Stat) else Stat(**c)
        cell = (res["slowest_cells"].get(name) or [None])[0]
        note = f"{cell['seconds']:.1f} s: `{cell['first_line']}`" if cell else ""
        if name in res["errors"]:
            note = "FAILED: " + res["errors"][name]
        bold = "**" if name == res["slowest"] else ""
        lines.append(f"| {bold}{name}{bold} | {bold}{s.median:.1f} s{bold} [{s.min:.1f}–"
                     f"{s.max:.1f}] | {f'{c.median:.1f} s' if c else '?'} | {note} |")
    lines.append(f"| **total, one after another** | **{res['total']:.1f} s** | "
                 f"{res['cpu_total']:.1f} s | target ≤ {res['target_s']:.0f} s |")
    if "baseline" in res:
        b = res["baseline"]
        sec = b["seconds"] if isinstance(b["seconds"], Stat) else Stat(**b["seconds"])
        cpu = b["cpu_seconds"] if isinstance(b["cpu_seconds"], Stat) else \
            Stat(**b["cpu_seconds"])
        lines.append(f"| of which fixed: a fresh kernel + `%matplotlib inline` + imports, "
                     f"× {res['count']} | {sec.median:.1f} s × {res['count']} = "
                     f"{sec.median * res['count']:.0f} s | {cpu.median:.1f} s × {res['count']} "
                     f"| |")
    if "parallel" in res:
        lines.append(f"| total, {res['parallel']['workers']} at a time (wall) | "
                     f"{res['parallel']['wall_s']:.1f} s | | |")
    return lines


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--parallel", type=int, default=2, help="0 or 1: skip the parallel run")
    ap.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    ap.add_argument("--folder", default=None)
    args = ap.parse_args(argv)
    res = measure(args.folder, runs=args.runs, parallel=args.parallel, timeout=args.timeout)
    print("\n".join(table(res)))
    if res.get("notebooks"):
        print(f"total {res['total']:.1f} s (target <= {TARGET_S:.0f} s), slowest "
              f"{res['slowest']}: {'met' if res['ok'] else 'MISSED'}")
    return 0 if res.get("ok") else 1


if __name__ == "__main__":
    raise SystemExit(main())
