"""Write the student notebooks: solutions replaced by stubs, outputs cleared, nothing overwritten.

Instructor notebooks keep their solutions between nbgrader's markers::

    def iterations_per_epoch(n, batch_size):
        ### BEGIN SOLUTION
        return math.ceil(n / batch_size)
        ### END SOLUTION

The student copy keeps everything outside the markers (the signature, the docstring) and puts, at
the indentation of the BEGIN line, ``raise NotImplementedError("Your code here")`` (in a markdown
or raw cell: ``*Your answer here.*``). Outputs and execution counts are cleared; run-time cell
metadata, saved widget state and the jupytext pairing are dropped.

A file a learner may have edited is never overwritten:

- the target does not exist: it is written;
- it exists with the same cells (same types and sources; outputs and metadata do not count, so a
  learner who only *ran* it changes nothing): ``unchanged``;
- it differs: it is kept, and the new version goes beside it to ``NAME.new.ipynb`` (then
  ``NAME.new-2.ipynb``, ...). When one of those ``.new`` files already holds exactly the new
  version, nothing is written and the message says where it is.

Every input is converted before anything is written: an unbalanced marker or a missing file stops
the run with a message and exit code 1, and no file is touched.

Usage::

    python tools/make_student.py                   # notebooks/*.ipynb -> student/
    python tools/make_student.py notebooks/09_adam.ipynb --out /tmp/student
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
CODE_STUB = 'raise NotImplementedError("Your code here")'
MARKDOWN_STUB = "*Your answer here.*"
# metadata written by a running front end, not by the author
_RUNTIME_CELL_KEYS = ("execution", "ExecuteTime", "collapsed", "scrolled")
_DROP_NOTEBOOK_KEYS = ("widgets", "jupytext")


def _nbformat():
    """nbformat takes about two seconds to import: load it only when a notebook is read."""
    import nbformat

    return nbformat


class StudentError(Exception):
    """A problem with an input: shown as one line, exit code 1, no traceback."""


# --------------------------------------------------------------------------------------------
# Converting
def strip_solutions(source: str, *, cell_type: str = "code",
                    where: str = "cell") -> tuple[str, int]:
    """Replace every marked solution in one cell's source; return ``(new_source, count)``.

    >>> src = "def f(x):\\n    ### BEGIN SOLUTION\\n    return 2 * x\\n    ### END SOLUTION\\n"
    >>> print(strip_solutions(src)[0])
    def f(x):
        raise NotImplementedError("Your code here")
    <BLANKLINE>
    """
    stub = CODE_STUB if cell_type == "code" else MARKDOWN_STUB
    out, count, begin_line = [], 0, None
    for number, line in enumerate(source.split("\n"), start=1):
        marker = line.strip()
        if marker.startswith(BEGIN):
            if begin_line is not None:
                raise StudentError(f"{where}, line {number}: '{BEGIN}' inside the solution that "
                                   f"starts at line {begin_line}; close it with '{END}' first")
            begin_line = number
            out.append(line[: len(line) - len(line.lstrip())] + stub)
            count += 1
        elif marker.startswith(END):
            if begin_line is None:
                raise StudentError(f"{where}, line {number}: '{END}' without a '{BEGIN}' "
                                   f"before it")
            begin_line = None
        elif begin_line is None:
            out.append(line)
    if begin_line is not None:
        raise StudentError(f"{where}, line {begin_line}: '{BEGIN}' is never closed by '{END}'")
    return "\n".join(out), count


def make_student_notebook(nb, *, name: str = "notebook") -> tuple:
    """The student version of a notebook (a new object) and the number of solutions replaced.

    Returns ``(student_nb, count, warnings)``; raises :class:`StudentError` on unbalanced markers.
    """
    nbformat = _nbformat()
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))  # deep copy, as NotebookNode
    total, warnings = 0, []
    # the instructor's speaker notes are not for the learner's copy
    nb.cells = [c for c in nb.cells if "speaker-notes" not in c.metadata.get("tags", [])]
    for index, cell in enumerate(nb.cells, start=1):
        where = f"{name}, cell {index} ({cell.cell_type})"
        count = 0
        if cell.cell_type in ("code", "markdown", "raw"):
            cell.source, count = strip_solutions(cell.source, cell_type=cell.cell_type,
                                                 where=where)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            if re.search(r"^" + re.escape(CODE_STUB), cell.source, re.M):
                warnings.append(f"{where}: a solution at the top level of a cell stops the "
                                f"student notebook there; put it inside a function")
        for key in _RUNTIME_CELL_KEYS:
            cell.metadata.pop(key, None)
        if count:
            cell.metadata.pop("nbgrader", None)
            tags = [t for t in cell.metadata.get("tags", []) if t != "solution"]
            if tags:
                cell.metadata["tags"] = tags
            else:
                cell.metadata.pop("tags", None)
        total += count
    for key in _DROP_NOTEBOOK_KEYS:
        nb.metadata.pop(key, None)
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as err:
        first = str(err).strip().splitlines()[0]
        raise StudentError(f"{name}: the student version is not a valid notebook: {first}") \
            from None
    return nb, total, warnings


def _read(path: Path):
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise StudentError(f"cannot read {_show(path)}: {err.strerror}") from None
    nbformat = _nbformat()
    try:
        nb = nbformat.reads(text, as_version=4)
        nbformat.validate(nb)
        return nb
    except Exception as err:  # NotJSONError, ValidationError, ...: all mean "not a notebook"
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise StudentError(f"{_show(path)} is not a valid notebook: {first}") from None


def _fingerprint(nb) -> list:
    """What a learner sees as the notebook: cell types and sources."""
    return [(cell.cell_type, cell.source) for cell in nb.cells]


# --------------------------------------------------------------------------------------------
# Writing without overwriting
def write_without_overwrite(nb, target: Path) -> str:
    """Write ``nb`` to ``target`` unless a learner's file is there; return the message."""
    text = _nbformat().writes(nb)
    if not text.endswith("\n"):
        text += "\n"
    if not target.exists():
        _create(target, text)
        return f"wrote {_show(target)}"
    new = _fingerprint(nb)
    if _same(target, new):
        return f"unchanged {_show(target)}"
    stem = target.name[: -len(".ipynb")]
    siblings = sorted(target.parent.glob(f"{glob_escape(stem)}.new*.ipynb"))
    for sibling in siblings:
        if _NEW_NAME.fullmatch(sibling.name[len(stem):]) and _same(sibling, new):
            return (f"unchanged: kept your {_show(target)}; the current version is already in "
                    f"{_show(sibling)}")
    k = 1
    while True:
        candidate = target.with_name(f"{stem}.new{'' if k == 1 else f'-{k}'}.ipynb")
        if not candidate.exists():
            break
        k += 1
    _create(candidate, text)
    return f"kept your {_show(target)}; wrote the new version to {_show(candidate)}"


_NEW_NAME = re.compile(r"\.new(-[0-9]+)?\.ipynb")


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def _same(path: Path, fingerprint: list) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
        return _fingerprint(_nbformat().reads(text, as_version=4)) == fingerprint
    except Exception:  # an unreadable file is not the same; it is kept and never overwritten
        return False


def _create(path: Path, text: str) -> None:
    try:
        with open(path, "x", encoding="utf-8") as fh:  # "x": fails instead of overwriting
            fh.write(text)
    except OSError as err:
        raise StudentError(f"cannot write {_show(path)}: {err.strerror}") from None


def _show(path: Path) -> str:
    path = Path(path)
    try:
        return os.path.relpath(path) if not os.path.relpath(path).startswith("..") else str(path)
    except ValueError:  # another drive on Windows
        return str(path)


# --------------------------------------------------------------------------------------------
# Command line
def _inputs(paths: list[str]) -> list[Path]:
    found = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            notebooks = sorted(p for p in path.glob("*.ipynb") if not _NEW_NAME.search(p.name))
            if not notebooks:
                raise StudentError(f"no notebooks (*.ipynb) in {_show(path)}")
            found += notebooks
        elif path.is_file():
            if path.suffix != ".ipynb":
                raise StudentError(f"{_show(path)} is not a notebook (.ipynb)")
            found.append(path)
        else:
            raise StudentError(f"no such notebook or folder: {raw}")
    names = {}
    for path in found:
        if path.name in names and names[path.name] != path.resolve():
            raise StudentError(f"two notebooks are named {path.name}: {_show(names[path.name])} "
                               f"and {_show(path)}")
        names[path.name] = path.resolve()
    return list(dict.fromkeys(p.resolve() for p in found))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="make_student",
        description="Write student notebooks: solutions replaced by stubs, outputs cleared. "
                    "Never overwrites: an edited copy is kept and the new one written beside it.")
    parser.add_argument("paths", nargs="*",
                        help="notebooks or folders (default: the course's notebooks/)")
    parser.add_argument("--out", default=None,
                        help="folder for the student notebooks (default: student/ in the course)")
    args = parser.parse_args(argv)
    paths = args.paths or [str(ROOT / "notebooks")]
    out = Path(args.out) if args.out else ROOT / "student"
    try:
        converted = _convert_all(_inputs(paths), out)
        out.mkdir(parents=True, exist_ok=True)
        _keep_unpaired(out)
        for source, nb, count, warnings in converted:
            for warning in warnings:
                print(f"make_student: warning: {warning}", file=sys.stderr)
            message = write_without_overwrite(nb, out / source.name)
            plural = "solution" if count == 1 else "solutions"
            print(f"{message} ({count} {plural} replaced)" if message.startswith("wrote")
                  else message)
    except StudentError as err:
        print(f"make_student: error: {err}", file=sys.stderr)
        return 1
    return 0


def _keep_unpaired(out: Path) -> None:
    """Student copies are notebooks only: a jupytext.toml in their folder overrides the course's
    pairing, so JupyterLab does not write .py twins beside a learner's work."""
    config = out / "jupytext.toml"
    if not config.exists():
        config.write_text("# Student notebooks are not paired with text versions.\n"
                          'formats = "ipynb"\n')


def _convert_all(sources: list[Path], out: Path) -> list:
    if out.exists() and not out.is_dir():
        raise StudentError(f"--out {_show(out)} is a file, not a folder")
    converted = []
    for source in sources:
        if source.parent == out.resolve():
            raise StudentError(f"refusing to write student copies into the folder of the "
                               f"instructor notebook {_show(source)}; choose another --out")
        nb, count, warnings = make_student_notebook(_read(source), name=_show(source))
        converted.append((source, nb, count, warnings))
    return converted


if __name__ == "__main__":
    sys.exit(main())
