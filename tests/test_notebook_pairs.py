"""Every notebook has a py:percent twin (jupytext), and the two say the same thing."""
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found in notebooks/"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_pair_in_sync(nb):
    pair = nb.with_suffix(".py")
    assert pair.exists(), f"{pair.name} is missing: run `jupytext --sync {nb.relative_to(ROOT)}`"
    fresh = subprocess.run([sys.executable, "-m", "jupytext", "--to", "py:percent", "-o", "-",
                            str(nb)], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert fresh == pair.read_text(), (
        f"{nb.name} and {pair.name} differ: edit one, then run "
        f"`jupytext --sync notebooks/{nb.name}` (the newer file wins)")
