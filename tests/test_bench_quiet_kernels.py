"""``make bench`` runs every notebook in a fresh kernel: no kernel may print its transport
warning ("Kernel is running over TCP without encryption ...", ipykernel >= 7.4) once per
notebook. benchmarks/course_runtime.py hands the kernel CurveZMQ keys instead, which removes
the warning's cause and leaves every other message of the kernel alone.
"""
import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _course_runtime():
    path = ROOT / "benchmarks" / "course_runtime.py"
    spec = importlib.util.spec_from_file_location("bench_course_runtime_quiet", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_a_benchmarked_kernel_prints_no_transport_warning(capfd):
    pytest.importorskip("nbclient")
    nbformat = pytest.importorskip("nbformat")
    runtime = _course_runtime()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    res = runtime._run(nb, "quiet", ROOT / "notebooks", 120)
    out, err = capfd.readouterr()   # the kernel writes its log to the stderr it inherited
    assert res["error"] is None and "42" in "".join(o.get("text", "")
                                                   for o in nb.cells[0].outputs)
    assert "without encryption" not in err + out
    assert res["cpu_seconds"] > 0   # the kernel really ran the probe: the check saw a kernel


def test_the_encryption_setting_is_only_given_where_it_is_understood(monkeypatch):
    runtime = _course_runtime()
    import zmq

    monkeypatch.setattr(zmq, "has", lambda feature: False)  # a pyzmq built without CurveZMQ
    assert runtime._encrypted() == {}
