"""Every notebook has a py:percent twin (jupytext), and the two say the same thing."""
import pathlib

import pytest

jupytext = pytest.importorskip("jupytext")
from jupytext.config import load_jupytext_config  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found in notebooks/"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_pair_in_sync(nb):
    pair = nb.with_suffix(".py")
    assert pair.exists(), f"{pair.name} is missing: run `jupytext --sync {nb.relative_to(ROOT)}`"
    # the same text `jupytext --sync` writes, with the metadata filters of jupytext.toml
    config = load_jupytext_config(str(nb.parent))
    assert config is not None, "jupytext.toml not found"
    fresh = jupytext.writes(jupytext.read(nb), fmt="py:percent", config=config)
    assert fresh == pair.read_text(), (
        f"{nb.name} and {pair.name} differ: edit one, then run "
        f"`jupytext --sync notebooks/{nb.name}` (the newer file wins)")
