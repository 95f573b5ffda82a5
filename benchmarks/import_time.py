"""How long `import course_lib` (and its math modules) takes, against `import numpy`, in fresh
interpreters. Prints the median, min and max of several runs. Target: course_lib <= 0.2 s and
<= 1.5x numpy, measured in the same run.

    python benchmarks/import_time.py [--runs 7]
"""
import argparse
import statistics
import subprocess
import sys


def time_import(stmt: str, runs: int) -> list[float]:
    code = ("import time; t = time.perf_counter(); " + stmt +
            "; print(time.perf_counter() - t)")
    return [float(subprocess.check_output([sys.executable, "-c", code], text=True))
            for _ in range(runs)]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args(argv)
    rows = {
        "import numpy": time_import("import numpy", args.runs),
        "import course_lib": time_import("import course_lib", args.runs),
        "import course_lib.optimizers": time_import("import course_lib.optimizers", args.runs),
    }
    print(f"{'statement':32s} {'median':>9s} {'min':>9s} {'max':>9s}")
    for name, ts in rows.items():
        print(f"{name:32s} {statistics.median(ts) * 1e3:8.1f}ms {min(ts) * 1e3:8.1f}ms "
              f"{max(ts) * 1e3:8.1f}ms")
    lib = statistics.median(rows["import course_lib"])
    numpy = statistics.median(rows["import numpy"])
    ok = lib <= 0.2 and lib <= 1.5 * numpy
    print(f"course_lib / numpy = {lib / numpy:.2f} (target <= 1.5); "
          f"course_lib {lib * 1e3:.1f} ms (target <= 200 ms): {'OK' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
