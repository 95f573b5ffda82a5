"""tools/make_student.py: solutions become stubs, outputs go, edited files are never overwritten."""
import importlib.util
import json
import pathlib
import re
import subprocess
import sys

import nbformat
import pytest
from kernels import client_options
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

ROOT = pathlib.Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("make_student", ROOT / "tools" / "make_student.py")
ms = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ms)

STUB = 'raise NotImplementedError("Your code here")'

FUNCTION = '''import math


def iterations_per_epoch(n, batch_size):
    """Batches in one epoch, the last one may be smaller."""
    ### BEGIN SOLUTION
    batches = n / batch_size
    return math.ceil(batches)
    ### END SOLUTION
'''

METHOD = '''class Ewa:
    def step(self, v, a, beta):
        if beta >= 0:
            ### BEGIN SOLUTION
            return beta * v + (1 - beta) * a
            ### END SOLUTION
        return None
'''

CHECKER = '''def checker(fn, *args, expected):
    try:
        got = fn(*args)
    except NotImplementedError:
        return "Not implemented yet"
    return "passed" if got == expected else f"wrong: {got!r}"


results = [checker(iterations_per_epoch, 50_000, 128, expected=391),
           checker(Ewa().step, 5.0, 10.0, 0.5, expected=7.5)]
print(results)
'''


def _instructor(extra_cells=()):
    nb = new_notebook(metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "jupytext": {"formats": "ipynb,py:percent"},
        "widgets": {"application/vnd.jupyter.widget-state+json": {"state": {}}},
    })
    nb.cells = [
        new_markdown_cell("# Epochs\n\nWhat is an epoch?\n\n### BEGIN SOLUTION\n"
                          "One pass over every record.\n### END SOLUTION\n\nNext: code."),
        new_code_cell(FUNCTION, execution_count=3,
                      outputs=[new_output("stream", name="stdout", text="391\n")],
                      metadata={"execution": {"iopub.execute_input": "2024-01-01"},
                                "nbgrader": {"solution": True, "grade_id": "ipe"},
                                "tags": ["solution", "keep-me"]}),
        new_code_cell(METHOD),
        new_code_cell(CHECKER, execution_count=4,
                      outputs=[new_output("stream", name="stdout", text="['passed']\n")]),
        *extra_cells,
    ]
    return nb


def _write(path, nb):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(nbformat.writes(nb), encoding="utf-8")
    return path


def _read(path):
    return nbformat.read(str(path), as_version=4)


@pytest.fixture
def course(tmp_path, monkeypatch):
    """tmp/notebooks/04_epochs.ipynb (instructor), cwd = tmp, so messages say student/..."""
    monkeypatch.chdir(tmp_path)
    src = _write(tmp_path / "notebooks" / "04_epochs.ipynb", _instructor())
    return src, tmp_path / "student"


def _run(capsys, *args):
    code = ms.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


# ---------------------------------------------------------------------------- converting
def test_solutions_become_stubs_at_the_markers_indentation(course, capsys):
    src, out = course
    code, stdout, _ = _run(capsys, src, "--out", out)
    assert code == 0
    assert stdout == "wrote student/04_epochs.ipynb (3 solutions replaced)\n"
    cells = _read(out / "04_epochs.ipynb").cells
    assert cells[1].source == FUNCTION.split("    ### BEGIN")[0] + "    " + STUB + "\n"
    assert '    """Batches in one epoch, the last one may be smaller."""' in cells[1].source
    assert "            " + STUB + "\n        return None" in cells[2].source
    assert cells[2].source.startswith("class Ewa:\n    def step(self, v, a, beta):\n")
    assert cells[0].source == ("# Epochs\n\nWhat is an epoch?\n\n*Your answer here.*\n\n"
                               "Next: code.")
    assert cells[3].source == CHECKER
    text = (out / "04_epochs.ipynb").read_text()
    for secret in ("math.ceil", "batches = n", "beta * v +", "One pass over", "BEGIN SOLUTION",
                   "END SOLUTION"):
        assert secret not in text


def test_outputs_counts_and_runtime_metadata_are_cleared(course, capsys):
    src, out = course
    before = src.read_bytes()
    _run(capsys, src, "--out", out)
    nb = _read(out / "04_epochs.ipynb")
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    assert "execution" not in nb.cells[1].metadata and "nbgrader" not in nb.cells[1].metadata
    assert nb.cells[1].metadata["tags"] == ["keep-me"]
    assert "jupytext" not in nb.metadata and "widgets" not in nb.metadata
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert src.read_bytes() == before  # the instructor notebook is untouched


def test_strip_solutions_counts_blocks_and_leaves_other_text():
    src = "a = 1\n### BEGIN SOLUTION\nb = 2\n### END SOLUTION\nc = 3\n  ### BEGIN SOLUTION\n" \
          "  d = 4\n  ### END SOLUTION"
    new, count = ms.strip_solutions(src)
    assert count == 2
    assert new == f"a = 1\n{STUB}\nc = 3\n  {STUB}"
    assert ms.strip_solutions("x = 1  # no markers\n") == ("x = 1  # no markers\n", 0)
    text = "Markers look like `### BEGIN SOLUTION`."  # mentioned in prose, not a marker
    assert ms.strip_solutions(text, cell_type="markdown") == (text, 0)


def test_a_top_level_solution_is_converted_with_a_warning(course, capsys):
    src, out = course
    nb = _instructor([new_code_cell("### BEGIN SOLUTION\nanswer = 391\n### END SOLUTION\n")])
    _write(src, nb)
    code, _, err = _run(capsys, src, "--out", out)
    assert code == 0
    assert "cell 5 (code): a solution at the top level of a cell" in err


# ---------------------------------------------------------------------------- never overwrite
def test_never_overwrites_an_edited_student_notebook(course, capsys):
    src, out = course
    target, new = out / "04_epochs.ipynb", out / "04_epochs.new.ipynb"
    assert _run(capsys, src, "--out", out)[1].startswith("wrote student/04_epochs.ipynb")
    fresh = target.read_text()

    # same source again: nothing to do
    assert _run(capsys, src, "--out", out)[1] == "unchanged student/04_epochs.ipynb\n"
    assert target.read_text() == fresh

    # the learner only ran it (outputs, counts): still unchanged, and their outputs stay
    nb = _read(target)
    nb.cells[3].outputs = [new_output("stream", name="stdout", text="['Not implemented yet']\n")]
    nb.cells[3].execution_count = 1
    _write(target, nb)
    ran = target.read_text()
    assert _run(capsys, src, "--out", out)[1] == "unchanged student/04_epochs.ipynb\n"
    assert target.read_text() == ran

    # the learner edited their solution: kept, new version beside it
    nb.cells[1].source = nb.cells[1].source.replace(STUB, "return -(-n // batch_size)  # mine")
    _write(target, nb)
    edited = target.read_text()
    code, stdout, _ = _run(capsys, src, "--out", out)
    assert code == 0
    assert stdout == ("kept your student/04_epochs.ipynb; wrote the new version to "
                      "student/04_epochs.new.ipynb\n")
    assert target.read_text() == edited and "# mine" in edited
    assert new.read_text() == fresh

    # rerun: the current version is already in .new, so nothing is written
    stdout = _run(capsys, src, "--out", out)[1]
    assert stdout == ("unchanged: kept your student/04_epochs.ipynb; the current version is "
                      "already in student/04_epochs.new.ipynb\n")
    assert sorted(p.name for p in out.iterdir()) == ["04_epochs.ipynb", "04_epochs.new.ipynb",
                                                     "jupytext.toml"]

    # the instructor changes the notebook: .new is kept too, the newest goes to .new-2
    nb = _read(src)
    nb.cells[0].source += "\n\nA new paragraph."
    _write(src, nb)
    stdout = _run(capsys, src, "--out", out)[1]
    assert stdout == ("kept your student/04_epochs.ipynb; wrote the new version to "
                      "student/04_epochs.new-2.ipynb\n")
    assert new.read_text() == fresh and target.read_text() == edited
    assert "A new paragraph." in (out / "04_epochs.new-2.ipynb").read_text()


def test_an_unreadable_student_file_is_kept(course, capsys):
    src, out = course
    out.mkdir()
    (out / "04_epochs.ipynb").write_text("{ half a notebook")
    stdout = _run(capsys, src, "--out", out)[1]
    assert stdout.startswith("kept your student/04_epochs.ipynb; wrote the new version to "
                             "student/04_epochs.new.ipynb")
    assert (out / "04_epochs.ipynb").read_text() == "{ half a notebook"


def test_a_folder_of_notebooks(course, capsys):
    src, out = course
    nb = _instructor()
    nb.cells = nb.cells[:1]
    _write(src.parent / "00_intro.ipynb", nb)
    (src.parent / "00_intro.new.ipynb").write_text("not an input")  # .new files are skipped
    code, stdout, _ = _run(capsys, src.parent, "--out", out)
    assert code == 0
    assert stdout.splitlines() == ["wrote student/00_intro.ipynb (1 solution replaced)",
                                   "wrote student/04_epochs.ipynb (3 solutions replaced)"]


# ---------------------------------------------------------------------------- errors
@pytest.mark.parametrize("source, match", [
    ("def f():\n    ### BEGIN SOLUTION\n    return 1\n",
     r"cell 5 \(code\), line 2: '### BEGIN SOLUTION' is never closed by '### END SOLUTION'"),
    ("def f():\n    return 1\n    ### END SOLUTION\n",
     r"cell 5 \(code\), line 3: '### END SOLUTION' without a '### BEGIN SOLUTION' before it"),
    ("### BEGIN SOLUTION\na = 1\n### BEGIN SOLUTION\n### END SOLUTION\n",
     r"cell 5 \(code\), line 3: '### BEGIN SOLUTION' inside the solution that starts at line 1"),
])
def test_unbalanced_markers_stop_before_anything_is_written(course, capsys, source, match):
    src, out = course
    good = _write(src.parent / "00_intro.ipynb", _instructor())
    _write(src, _instructor([new_code_cell(source)]))
    code, stdout, err = _run(capsys, good, src, "--out", out)
    assert code == 1 and stdout == ""
    assert err.startswith("make_student: error: notebooks/04_epochs.ipynb, ")
    assert re.search(match, err)
    assert not out.exists()  # not even the good notebook was written


@pytest.mark.parametrize("make, args, match", [
    (None, ["missing.ipynb"], "no such notebook or folder: missing.ipynb"),
    ("empty", ["empty"], "no notebooks (*.ipynb) in empty"),
    ("notes.txt", ["notes.txt"], "notes.txt is not a notebook (.ipynb)"),
    ("broken.ipynb", ["broken.ipynb"], "broken.ipynb is not a valid notebook"),
    (None, ["notebooks", "--out", "notebooks"],
     "refusing to write student copies into the folder of the instructor notebook"),
    ("out.txt", ["notebooks", "--out", "out.txt"], "--out out.txt is a file, not a folder"),
])
def test_input_errors(course, capsys, make, args, match):
    if make == "empty":
        pathlib.Path("empty").mkdir()
    elif make:
        pathlib.Path(make).write_text("{ not json")
    if "--out" not in args:  # never fall back to the course's own student/ folder
        args = [*args, "--out", "s"]
    code, stdout, err = _run(capsys, *args)
    assert code == 1 and stdout == ""
    assert err.startswith(f"make_student: error: {match}") and "Traceback" not in err


def test_json_that_is_not_a_notebook(course, capsys):
    pathlib.Path("odd.ipynb").write_text(json.dumps(
        {"cells": [{"cell_type": "code"}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    code, _, err = _run(capsys, "odd.ipynb", "--out", "s")
    assert code == 1 and err.startswith("make_student: error: odd.ipynb is not a valid notebook")


def test_the_command_line_fails_cleanly(tmp_path):
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "make_student.py"),
                           str(tmp_path / "nothing.ipynb"), "--out", str(tmp_path / "s")],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stderr == "make_student: error: no such notebook or folder: " \
                          f"{tmp_path / 'nothing.ipynb'}\n"


def test_the_makefile_has_a_student_target():
    text = (ROOT / "Makefile").read_text()
    assert "student: $(STAMP)\n\t$(BIN)/python tools/make_student.py" in text
    assert "student" in next(line for line in text.splitlines() if line.startswith(".PHONY"))


# ---------------------------------------------------------------------------- running them
def _execute(nb, cwd):
    nbclient = pytest.importorskip("nbclient")
    client = nbclient.NotebookClient(nb, kernel_name="python3", timeout=60,
                                     resources={"metadata": {"path": str(cwd)}},
                                     **client_options())
    client.execute()
    return nb


def _stdout(cell):
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


def test_instructor_passes_and_student_runs_top_to_bottom_with_not_implemented(course, capsys):
    src, out = course
    extra = []
    try:  # the course's own checker too, when it is there
        import course_lib.exercises  # noqa: F401
        extra = [new_code_cell(
            "from course_lib.exercises import check\n"
            "r = check('iterations_per_epoch', iterations_per_epoch)\n"
            "print(r.passed, r.message.splitlines()[0])")]
    except ImportError:
        pass
    _write(src, _instructor(extra))
    assert _run(capsys, src, "--out", out)[0] == 0

    teacher = _execute(_read(src), ROOT)
    assert _stdout(teacher.cells[3]) == "['passed', 'passed']\n"
    student = _execute(_read(out / "04_epochs.ipynb"), ROOT)  # raises on any cell error
    assert _stdout(student.cells[3]) == "['Not implemented yet', 'Not implemented yet']\n"
    if extra:
        assert _stdout(teacher.cells[4]).startswith("True")
        assert _stdout(student.cells[4]).startswith("False Not implemented yet")


def test_every_course_notebook_converts():
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    if not notebooks:
        pytest.skip("no course notebooks yet")
    for path in notebooks:
        nb = nbformat.read(str(path), as_version=4)
        student, count, _ = ms.make_student_notebook(nb, name=path.name)
        text = json.dumps(student)
        assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text, path.name
        assert all(c.get("outputs", []) == [] for c in student.cells)


def test_student_folder_is_not_paired_with_text_versions(course, capsys):
    # the course's jupytext.toml pairs notebooks with .py files; the student folder opts out
    src, out = course
    _run(capsys, src, "--out", out)
    assert (out / "jupytext.toml").read_text().splitlines()[-1] == 'formats = "ipynb"'
    (out / "jupytext.toml").write_text('formats = "ipynb"  # the learner\'s own\n')
    _run(capsys, src, "--out", out)
    assert "the learner's own" in (out / "jupytext.toml").read_text()


def test_speaker_notes_are_left_out_of_the_student_copy():
    """The instructor's notes cells (tag speaker-notes) are dropped; every other cell stays."""

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("## A section"),
                nbformat.v4.new_markdown_cell("**Speaker notes · 3 min**",
                                              metadata={"tags": ["remove-cell", "speaker-notes"],
                                                        "slideshow": {"slide_type": "notes"}}),
                nbformat.v4.new_code_cell("x = 1")]
    student, _, _ = ms.make_student_notebook(nb, name="tiny")
    assert [c.source for c in student.cells] == ["## A section", "x = 1"]
    course_nb = nbformat.read(ROOT / "notebooks" / "06_momentum.ipynb", as_version=4)
    notes = sum("speaker-notes" in c.metadata.get("tags", []) for c in course_nb.cells)
    student, _, _ = ms.make_student_notebook(course_nb, name="06")
    assert notes > 5 and len(student.cells) == len(course_nb.cells) - notes
