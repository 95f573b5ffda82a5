"""Run notebooks top to bottom in a fresh kernel and store their outputs, as they are committed.

After editing a chapter's ``.py`` pair (or the notebook), run::

    python tools/execute_notebooks.py notebooks/05_exponentially_weighted_average.ipynb

It first brings the ``.ipynb`` up to date with a newer ``.py`` pair (``jupytext --sync``), then
executes it with this environment's Python in ``notebooks/`` (what ``make lab`` and nbval do),
drops the kernel, widget and run-timestamp metadata the course does not store, writes it back,
syncs the pair again and prints each notebook's wall time. A cell that raises (a false
``claim``, say) stops that notebook, leaves its file untouched and is reported with the cell's
source.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _sync(nb: Path) -> None:
    subprocess.run([sys.executable, "-m", "jupytext", "--sync", "--quiet", str(nb)], check=True,
                   cwd=ROOT)


def execute(nb: Path, timeout: int = 300) -> float:
    """Execute ``nb`` in place; return the seconds it took. Raise on a failing cell."""
    import nbformat
    from nbclient import NotebookClient

    _sync(nb)
    # The kernel inherits os.environ: its check() and quiz calls record into a throwaway progress
    # file, so neither the author's progress nor its path ends up in the stored outputs.
    scratch = tempfile.mkdtemp(prefix="course-progress-")
    os.environ["OPTIMIZERS_COURSE_PROGRESS"] = os.path.join(scratch, "course_progress.sqlite3")
    notebook = nbformat.read(nb, as_version=4)
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(nb.parent)}},
                            **_ipc_kernel(scratch))
    start = time.perf_counter()
    try:
        client.execute()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    seconds = time.perf_counter() - start
    from nbconvert.preprocessors import CoalesceStreamsPreprocessor
    notebook, _ = CoalesceStreamsPreprocessor().preprocess(notebook, {})  # one stream per cell
    for key in ("kernelspec", "widgets"):
        notebook.metadata.pop(key, None)
    for cell in notebook.cells:                 # run timestamps would change every diff
        cell.metadata.pop("execution", None)
        _hide_folder(cell, scratch)
    nbformat.write(notebook, nb)
    _sync(nb)
    return seconds


def _hide_folder(cell, folder: str) -> None:
    """Shorten the throwaway folder to "…" in the stored outputs (``progress()`` prints where
    it saves): a learner's own run shows their own path, the book a neutral one."""
    for output in cell.get("outputs", []):
        for key in ("text/plain", "text/html"):
            data = output.get("data", {})
            if isinstance(data.get(key), str):
                data[key] = data[key].replace(folder, "…")
        if isinstance(output.get("text"), str):
            output["text"] = output["text"].replace(folder, "…")


def _ipc_kernel(folder: str) -> dict:
    """On POSIX, a kernel on IPC sockets in ``folder``: no TCP port to race for, and no
    "Kernel is running over TCP without encryption" warning from ipykernel. Elsewhere TCP."""
    if os.name != "posix":
        return {}
    from traitlets.config import Config
    return {"config": Config({"KernelManager": {"transport": "ipc",
                                                "ip": os.path.join(folder, "kernel")}})}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--timeout", type=int, default=300, help="seconds per cell")
    args = parser.parse_args(argv)
    failed = 0
    for nb in args.notebooks:
        if nb.suffix != ".ipynb" or not nb.is_file():
            print(f"{nb}: not a notebook file (.ipynb)", file=sys.stderr)
            failed += 1
            continue
        try:
            seconds = execute(nb.resolve(), timeout=args.timeout)
        except Exception as exc:                      # nbclient's CellExecutionError and kin
            print(f"{nb}: FAILED\n{exc}", file=sys.stderr)
            failed += 1
            continue
        print(f"{nb}: executed in {seconds:.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
