"""Issue 16, item 7: every plot argument is checked; no raw matplotlib or NumPy error, and no
"truth value of an array is ambiguous" for a choice or a flag given an array."""
import os

os.environ.setdefault("MPLBACKEND", "Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_lib import plots  # noqa: E402
from course_lib.data import make_large  # noqa: E402
from course_lib.models import TwoLayerNet  # noqa: E402
from course_lib.paths import run_path  # noqa: E402

PATH = np.array([[0.0, 0.0], [0.5, 0.5], [1.0, 0.0]])
ARR = np.array(["iteration", "epoch"])  # an array where one string is expected


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def res():
    return run_path("bowl", "adam", steps=20, lr=0.1, record_lr=True)


CASES = [
    # (call, error, message)
    (lambda r: plots.plot_contour("bowl", cmap="viridiss"), ValueError,
     r"cmap must be a matplotlib colormap name .*got 'viridiss' \(did you mean 'viridis'\?\)"),
    (lambda r: plots.plot_contour("bowl", cmap=3), TypeError, r"cmap must be a matplotlib"),
    (lambda r: plots.plot_contour("bowl", filled=True, cmap="nope"), ValueError, r"cmap must be"),
    (lambda r: plots.plot_contour("bowl", filled=np.array([1, 0])), TypeError,
     r"filled must be True or False, got array"),
    (lambda r: plots.plot_contour("bowl", show_minima="yes"), TypeError,
     r"show_minima must be True or False"),
    (lambda r: plots.plot_paths("bowl", [PATH], colors=[]), ValueError,
     r"colors must hold at least one colour, got an empty list"),
    (lambda r: plots.plot_paths("bowl", [PATH], colors=["notacolour"]), ValueError,
     r"colors\[0\] is not a colour matplotlib knows: 'notacolour'"),
    (lambda r: plots.plot_paths("bowl", [PATH], colors=5), TypeError,
     r"colors must be a list of colours"),
    (lambda r: plots.plot_paths("bowl", [PATH], colors=[None]), ValueError,
     r"colors\[0\] is not a colour"),
    (lambda r: plots.plot_paths("bowl", [PATH], styles=["thick"]), TypeError,
     r"styles must be a list of dicts"),
    (lambda r: plots.plot_paths("bowl", [PATH], legend=np.array([True, False])), TypeError,
     r"legend must be True or False"),
    (lambda r: plots.plot_paths("bowl", [PATH], contour="no"), TypeError,
     r"contour must be True or False"),
    (lambda r: plots.plot_loss_curves([r], colors=[]), ValueError, r"colors must hold at least"),
    (lambda r: plots.plot_loss_curves([r], colors=["#zzzzzz"]), ValueError, r"colors\[0\]"),
    (lambda r: plots.plot_loss_curves([r], by=ARR), TypeError,
     r"by must be one of .* \(a string\); got array"),
    (lambda r: plots.plot_loss_curves([r], by=None), TypeError, r"by must be one of"),
    (lambda r: plots.plot_effective_lr([r], colors=[]), ValueError, r"colors must hold"),
    (lambda r: plots.plot_ewa(np.ones(5), colors=[]), ValueError, r"colors must hold"),
    (lambda r: plots.plot_ewa(np.ones(5), bias_correction=np.array([True])), ValueError,
     r"bias_correction must be True, False or 'both'"),
    (lambda r: plots.plot_ewa(np.ones(5), bias_correction="yes"), ValueError,
     r"bias_correction must be True, False or 'both', got 'yes'"),
    (lambda r: plots.plot_batch_paths("bowl", {"gd": PATH}, colors=[]), ValueError,
     r"colors must hold"),
    (lambda r: plots.clip_path(PATH, bounds=5), ValueError,
     r"bounds must be \(\(xmin, xmax\), \(ymin, ymax\)\)"),
    (lambda r: plots.clip_path(PATH, bounds=((0, 1),)), ValueError, r"bounds must be"),
    (lambda r: plots.clip_path(PATH, bounds=((1, 0), (0, 1))), ValueError, r"min < max"),
    (lambda r: plots.clip_path(PATH, bounds=(("a", 1), (0, 1))), ValueError, r"bounds must be"),
    (lambda r: plots.loss_gap(["a", "b"], 0.0), TypeError, r"losses must hold real numbers"),
    (lambda r: plots.loss_gap([1.0, 2.0], "0"), TypeError, r"f_min must be a real number"),
    (lambda r: plots.log_scale(plt.figure().add_subplot(), axis=ARR), TypeError,
     r"axis must be one of 'x', 'y' \(a string\)"),
    (lambda r: plots.regression_surface(np.arange(4.0), np.arange(4.0), half="no"), TypeError,
     r"half must be True or False"),
    (lambda r: plots.animate_paths("bowl", [PATH], figsize=5), TypeError,
     r"figsize must be \(width, height\)"),
    (lambda r: plots.animate_paths("bowl", [PATH], figsize=(1e9, 4)), ValueError,
     r"figsize must be in \[0.5, 50.0\]"),
    # choice arguments elsewhere, given an array: a TypeError naming them, never "ambiguous"
    (lambda r: TwoLayerNet(2, 3, activation=np.array(["tanh"])), TypeError,
     r"activation must be one of 'tanh', 'relu' \(a string\)"),
    (lambda r: TwoLayerNet(2, 3, task=np.array(["regression", "x"])), TypeError,
     r"task must be one of"),
    (lambda r: make_large(n=10, d=2, task=ARR), TypeError, r"task must be one of"),
    (lambda r: plots.plot_contour(ARR), TypeError, r"problem must be"),
]


@pytest.mark.parametrize("call, error, match", CASES)
def test_bad_plot_and_choice_arguments_get_a_clean_message(res, call, error, match):
    with pytest.raises(error, match=match) as err:
        call(res)
    assert "ambiguous" not in str(err.value)


def test_good_colour_forms_still_work(res):
    for colors in (["C1"], "red", ("#ff0000", (0.0, 0.5, 1.0)), np.array([[0.1, 0.2, 0.3]]),
                   (0.2, 0.4, 0.6)):
        out = plots.plot_paths("bowl", [PATH, PATH], colors=colors)
        assert len(out["lines"]) == 2
    out = plots.plot_contour("bowl", cmap=plt.get_cmap("Greys"))
    assert out["contour"] is not None
    assert plots.plot_ewa(np.ones(5), bias_correction=np.bool_(True))["ewa"]


@pytest.mark.parametrize("call, error, match", [
    (lambda: plots.contour_levels(None, np.ones((2, 2)), n=1), ValueError,
     r"^n must be in \[2, 1000\], got 1"),                     # before: "levels must be ..."
    (lambda: plots.contour_levels(None, [[1.0, 2.0], ["a", "b"]], 5), TypeError, "^Z must"),
    (lambda: plots.contour_levels(None, np.array([[1.0, np.inf]]), 5), ValueError,
     "^Z must hold finite values"),
    (lambda: plots.contour_levels(None, np.zeros((0, 2)), 5), ValueError,
     "^Z must hold at least one number"),                      # before: NumPy's fmin error
    (lambda: plots.contour_levels(None, np.array([[-1e308, 1e308]]), 5), ValueError,
     "^Z spans too wide a range"),
    (lambda: plots.loss_gap(float("nan"), 0.0), ValueError, "^losses must be"),
    (lambda: plots.regression_surface(np.full(4, 1e200) * [1, 2, 3, 4], np.ones(4)), ValueError,
     "^X and y are too large"),                                 # before: "minima[0] must ..."
])
def test_levels_gap_and_surface_refuse_clearly(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_contour_levels_by_hand():
    # not log-spaced: n = 3 levels strictly inside [0, 4] at equal steps: 1, 2, 3
    class Flat:
        log_levels = False
    np.testing.assert_allclose(plots.contour_levels(Flat(), np.array([[0.0, 4.0]]), 3),
                               [1.0, 2.0, 3.0])


@pytest.mark.parametrize("draw", [
    lambda: plots.plot_paths("bowl", {"far": np.full((3, 2), 1e308)}, contour=False),
    lambda: plots.plot_loss_curves({"a": np.full(3, 1e308)}, log=True),
    lambda: plots.plot_effective_lr({"a": np.full((3, 2), 1e308)}, log=True),
])
def test_values_near_the_float_limit_draw_without_numpy_warnings(draw):
    # before: "overflow encountered in multiply" (np.round of the starts) and in matplotlib's
    # log autoscaling (10**decade), raw RuntimeWarnings
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with np.errstate(over="warn", invalid="warn"):
            draw()
    plt.close("all")
