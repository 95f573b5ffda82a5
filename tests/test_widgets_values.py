"""Issue 16, item 4: a value the learner typed is used or refused with a message, never changed."""
import math
import os

os.environ.setdefault("MPLBACKEND", "Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from course_lib import widgets as W  # noqa: E402
from course_lib.optimizers import OPTIMIZERS  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_playground_runs_lr_5_on_the_bowl_and_says_it_diverged():
    pg = W.playground("bowl", ["gd"], hparams={"gd": {"lr": 5.0}})
    assert pg.controls["gd.lr"].value == 5.0
    res = pg.results["gd"]
    assert res.hparams["lr"] == 5.0 and res.diverged
    # GD on the bowl (λ_max = 10) with η = 5: |1 − ηλ| = 49 per step, far past the plot
    assert any(note.startswith("gd: diverged at step") and "lr=5" in note for note in pg.notes)


def test_playground_uses_eps_1e_15():
    pg = W.playground("bowl", ["adam"], hparams={"adam": {"eps": 1e-15}})
    assert pg.controls["adam.eps"].value == 1e-15
    assert pg.results["adam"].hparams["eps"] == 1e-15


def test_playground_refuses_an_invalid_value_with_the_range():
    with pytest.raises(ValueError, match=r"adam: beta2 must be in \[0.0, 1.0\), got 1.5"):
        W.playground("bowl", ["adam"], hparams={"adam": {"beta2": 1.5}})


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_every_slider_takes_every_valid_value_unchanged(name):
    for spec in OPTIMIZERS[name].hparams.values():
        lo, hi = spec.slider
        # just inside the valid range, far outside the slider range (both ends)
        tries = [lo / 1000.0 if spec.log else spec.low, hi * 1000.0 if spec.log else hi]
        if spec.high is not None:
            tries[-1] = min(tries[-1], spec.high * (1 - 1e-9) if spec.high_open else spec.high)
        for value in tries:
            s = W.hparam_slider(spec, value)
            assert s.value == value, (name, spec.name, value, s.value)
            if spec.log:
                assert 10 ** s.min <= value <= 10 ** s.max
            else:
                assert s.min <= value <= s.max


def test_batch_size_explorer_uses_a_large_seed():
    b = W.batch_size_explorer(seed=2_000_000)
    assert b.controls["seed"].value == 2_000_000


def test_batch_size_explorer_refuses_a_seed_the_browser_cannot_hold():
    with pytest.raises(ValueError, match=r"seed must be in \[0, 9007199254740991\]"):
        W.batch_size_explorer(seed=2**53)


def test_lr_explorer_keeps_its_top_learning_rate():
    assert W.lr_explorer(lr=3.0).controls["lr"].value == 3.0
    assert math.isclose(W.lr_explorer(lr=1e-4).controls["lr"].value, 1e-4, rel_tol=0)


def test_playground_names_an_overflowed_state():
    """Issue 16, item 3 in the widgets: the run's message names the state that overflowed."""
    from course_lib.problems import Problem

    steep = Problem(name="steep", title="steep line", start=(0.5, 0.5), minima=[],
                    bounds=((-1.0, 1.0), (-1.0, 1.0)), lambda_max=None, f_min=None,
                    saddle_points=[], log_levels=False,
                    fn=lambda x, y: 1e160 * (x + y), grad_fn=lambda x, y: (1e160 + 0 * x, 1e160))
    pg = W.playground(steep, ["adam", "rmsprop"], steps=10)
    assert pg.results["adam"].diverged
    assert any(n.startswith("adam: diverged at step 1: Adam's s_dW") and "overflowed to inf" in n
               for n in pg.notes)
    assert any(n.startswith("rmsprop: diverged at step 1: RMSprop's s_dW") for n in pg.notes)
