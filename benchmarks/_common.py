"""Shared pieces of the benchmarks: repeated timing, summary statistics, machine facts.

Every figure is a median of several runs with its min and max (:class:`Stat`); comparisons are
ratios of medians measured in the same run, because the machines are shared and noisy.
"""
from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `python benchmarks/x.py` from anywhere imports this checkout
    sys.path.insert(0, str(ROOT))


@dataclass
class Stat:
    """Median, min and max of ``n`` measurements, in ``unit`` (seconds, bytes ...)."""
    median: float
    min: float
    max: float
    n: int
    unit: str = "s"

    @classmethod
    def of(cls, values, unit="s") -> "Stat":
        values = [float(v) for v in values]
        if not values:
            raise ValueError("Stat.of needs at least one value")
        return cls(statistics.median(values), min(values), max(values), len(values), unit)

    def scaled(self, factor, unit=None) -> "Stat":
        return Stat(self.median * factor, self.min * factor, self.max * factor, self.n,
                    unit or self.unit)

    def to_dict(self) -> dict:
        return asdict(self)

    def __str__(self):
        return f"{fmt(self.median, self.unit)} [{fmt(self.min, self.unit)}–" \
               f"{fmt(self.max, self.unit)}]"


def fmt(value, unit="s") -> str:
    """A number with a readable unit: 0.0123 s -> '12.3 ms', 3.2e6 B -> '3.2 MB'."""
    if unit == "s":
        for scale, name in ((1.0, "s"), (1e-3, "ms"), (1e-6, "µs")):
            if abs(value) >= scale or name == "µs":
                v = value / scale
                return f"{v:.3g} {name}" if v < 100 else f"{v:.0f} {name}"
    if unit == "B":
        for scale, name in ((1e9, "GB"), (1e6, "MB"), (1e3, "kB"), (1.0, "B")):
            if abs(value) >= scale or name == "B":
                v = value / scale
                return f"{v:.3g} {name}" if v < 100 else f"{v:.0f} {name}"
    return f"{value:.3g} {unit}"


def repeat(fn, runs, warmup=1) -> Stat:
    """Time ``fn()`` ``runs`` times (after ``warmup`` untimed calls) with perf_counter."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return Stat.of(times)


def ratio(a: Stat, b: Stat) -> float:
    """Ratio of two medians measured in the same run."""
    return a.median / b.median


def machine() -> dict:
    """What the figures were measured on: cores, load, versions, commit."""
    import numpy as np

    info = {
        "time": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "cpu": _cpu_name(),
        "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "env": {k: os.environ[k] for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS",
                                           "MKL_NUM_THREADS") if k in os.environ},
    }
    try:
        from threadpoolctl import threadpool_info
        info["blas"] = [{k: lib.get(k) for k in ("internal_api", "version", "num_threads")}
                        for lib in threadpool_info() if lib.get("user_api") == "blas"]
    except ImportError:
        info["blas"] = None
    try:
        info["commit"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                                        capture_output=True, text=True,
                                        check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        info["commit"] = None
    return info


def _cpu_name():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or None


def verdict(ok) -> str:
    """'met' / 'MISSED' / '–' (no target)."""
    return "–" if ok is None else ("met" if ok else "MISSED")
