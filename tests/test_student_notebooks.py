"""The student copies of the real course notebooks (what `make student` writes) run top to
bottom without an error, and every exercise check in them says "Not implemented yet"."""
import importlib.util
import pathlib
import re

import pytest
from kernels import client_options

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

ROOT = pathlib.Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("make_student", ROOT / "tools" / "make_student.py")
ms = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ms)

WITH_EXERCISES = [p for p in sorted((ROOT / "notebooks").glob("*.ipynb"))
                  if "### BEGIN SOLUTION" in p.read_text(encoding="utf-8")]
CHECK_CALL = re.compile(r"^\s*(\w+\s*=\s*)?check\(", re.M)


def _texts(cell):
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            yield out.get("text", "")
        for value in out.get("data", {}).values():
            yield value if isinstance(value, str) else ""


def test_the_course_has_exercises():
    assert len(WITH_EXERCISES) >= 10, [p.name for p in WITH_EXERCISES]


@pytest.mark.parametrize("path", WITH_EXERCISES, ids=lambda p: p.stem)
def test_student_copy_runs_and_every_check_is_not_implemented(path):
    instructor = nbformat.read(str(path), as_version=4)
    student, replaced, _ = ms.make_student_notebook(instructor, name=path.name)
    assert replaced >= 1
    client = nbclient.NotebookClient(student, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parent)}},
                                     **client_options())
    client.execute()   # raises CellExecutionError on the first cell that fails
    checks = [c for c in student.cells if c.cell_type == "code" and CHECK_CALL.search(c.source)]
    assert checks, f"{path.name}: no check(...) cell found"
    for cell in checks:
        text = "\n".join(_texts(cell))
        assert "Not implemented yet" in text, (
            f"{path.name}: a check cell did not report 'Not implemented yet':\n{cell.source}\n"
            f"--- output ---\n{text[:500]}")
    errors = [o for c in student.cells for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors
