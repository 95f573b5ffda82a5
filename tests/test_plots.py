"""course_lib.plots: every function draws the right data, returns it, and leaves rcParams alone.

Expected numbers come from hand computations, closed forms and finite differences, never from
the plotting code itself.
"""
import os

os.environ.setdefault("MPLBACKEND", "Agg")

from types import SimpleNamespace  # noqa: E402

import matplotlib  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from course_lib import plots  # noqa: E402
from course_lib.data import make_regression  # noqa: E402
from course_lib.models import LinearRegression  # noqa: E402
from course_lib.paths import run_path  # noqa: E402
from course_lib.problems import get_problem  # noqa: E402
from course_lib.training import train  # noqa: E402


def new_ax():
    return Figure().add_subplot()


@pytest.fixture
def rc_guard():
    """Fail a test whose plot function changed matplotlib's global settings."""
    before = {k: v for k, v in matplotlib.rcParams.items()}
    yield
    after = {k: v for k, v in matplotlib.rcParams.items()}
    changed = [k for k in before if str(before[k]) != str(after[k])]
    assert not changed, f"rcParams changed: {changed}"


# --------------------------------------------------------------------------------------------
# contour
def test_contour_bowl_levels_span_the_function_on_the_window(rc_guard):
    ax = new_ax()
    out = plots.plot_contour("bowl", ax=ax, levels=10, resolution=101)
    levels = np.asarray(out["contour"].levels)
    # f = (x^2 + 10 y^2) / 2 on [-5, 5]^2 (angle 0, condition 10): min 0 at (0, 0), max 137.5
    assert levels.size == 10
    assert 0.0 < levels.min() and levels.max() < 137.5
    assert np.allclose(np.diff(levels), np.diff(levels)[0])  # evenly spaced
    assert out["minima"].get_xydata().tolist() == [[0.0, 0.0]]
    assert ax.get_xlim() == (-5.0, 5.0) and ax.get_ylim() == (-5.0, 5.0)


def test_contour_rosenbrock_uses_log_spaced_levels(rc_guard):
    out = plots.plot_contour("rosenbrock", ax=new_ax(), levels=12)
    levels = np.asarray(out["contour"].levels)  # f_min = 0: levels themselves are geometric
    ratios = levels[1:] / levels[:-1]
    assert np.allclose(ratios, ratios[0]) and ratios[0] > 1.5
    assert out["minima"].get_xydata().tolist() == [[1.0, 1.0]]


def test_contour_saddle_marks_the_saddle_and_no_minimum(rc_guard):
    out = plots.plot_contour("saddle", ax=new_ax(), filled=True, alpha=0.5)
    assert out["minima"] is None
    assert out["saddles"].get_xydata().tolist() == [[0.0, 0.0]]


def test_contour_checks_its_arguments():
    with pytest.raises(TypeError, match="problem must be a Problem"):
        plots.plot_contour(42, ax=new_ax())
    with pytest.raises(ValueError, match="resolution must be in"):
        plots.plot_contour("bowl", ax=new_ax(), resolution=5)
    with pytest.raises(ValueError, match="levels must be an int >= 2 or increasing"):
        plots.plot_contour("bowl", ax=new_ax(), levels=[3.0, 1.0])
    with pytest.raises(ValueError, match=r"levels must be in \[2, 1000\]"):
        plots.plot_contour("bowl", ax=new_ax(), levels=1)
    with pytest.raises(ValueError, match="alpha must be in"):
        plots.plot_contour("bowl", ax=new_ax(), alpha=2.0)
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        plots.plot_contour("bowl", ax="left")


def test_ax_none_makes_a_new_pyplot_figure():
    import matplotlib.pyplot as plt

    before = set(plt.get_fignums())
    lines = plots.plot_loss_curves([3.0, 2.0, 1.0])
    new = set(plt.get_fignums()) - before
    assert len(new) == 1 and lines[0].axes.figure.number in new
    plt.close(lines[0].axes.figure)


# --------------------------------------------------------------------------------------------
# clip_path
def test_clip_path_ends_on_the_border_where_the_segment_crosses():
    # (0, 0) -> (2, 1) leaves x <= 1 at t = 1/2, i.e. at (1, 0.5)
    pts, left = plots.clip_path([[0.0, 0.0], [2.0, 1.0]], ((-1, 1), (-1, 1)))
    assert left and pts.tolist() == [[0.0, 0.0], [1.0, 0.5]]
    # (0.5, 0.5) -> (0.5, -3.5) crosses y = -1 at (0.5, -1)
    pts, _ = plots.clip_path([[0.5, 0.5], [0.5, -3.5], [9.0, 9.0]], ((-1, 1), (-1, 1)))
    assert pts.tolist() == [[0.5, 0.5], [0.5, -1.0]]
    # the corner case: both bounds crossed, the first crossing wins
    pts, _ = plots.clip_path([[0.0, 0.0], [4.0, 2.0]], ((-1, 1), (-1, 1)))
    assert pts[-1].tolist() == [1.0, 0.5]


def test_clip_path_keeps_a_path_inside_and_refuses_bad_shapes():
    path = np.array([[0.0, 0.0], [0.5, -0.5]])
    pts, left = plots.clip_path(path, ((-1, 1), (-1, 1)))
    assert not left and np.array_equal(pts, path)
    with pytest.raises(ValueError, match=r"path must have shape \(k \+ 1, 2\)"):
        plots.clip_path(np.zeros((3, 3)), ((-1, 1), (-1, 1)))


def test_loss_gap_subtracts_and_floors():
    assert plots.loss_gap([3.0, 1.0], 1.0).tolist() == [2.0, 1e-16]
    assert plots.loss_gap([3.0, -1.0], None).tolist() == [3.0, -1.0]


# --------------------------------------------------------------------------------------------
# paths
def test_paths_draw_the_points_start_end_and_legend(rc_guard):
    path = np.array([[-4.0, 2.0], [-2.0, 1.0], [-1.0, 0.0]])
    other = np.array([[-4.0, 2.0], [0.0, 0.0]])
    out = plots.plot_paths("bowl", {"mine": path, "other": other}, ax=new_ax())
    assert np.array_equal(out["lines"][0].get_xydata(), path)
    assert np.array_equal(out["lines"][1].get_xydata(), other)
    assert out["ends"][0].get_xydata().tolist() == [[-1.0, 0.0]]
    assert out["start"].get_xydata().tolist() == [[-4.0, 2.0]]  # shared start drawn once
    texts = [t.get_text() for t in out["legend"].get_texts()]
    assert {"mine", "other", "start", "minimum"} <= set(texts)
    assert out["diverged"] == [False, False]


def test_paths_accept_results_and_name_them_by_optimizer():
    res = run_path("bowl", "gd", steps=20, lr=0.1)
    out = plots.plot_paths("bowl", [res], ax=new_ax())
    assert out["labels"] == ["gd"]
    assert np.array_equal(out["lines"][0].get_xydata(), res.path)


def test_a_diverged_path_is_clipped_and_labelled():
    problem = get_problem("rosenbrock")
    bad = run_path(problem, "gd", steps=100, lr=0.01)
    assert bad.diverged  # precondition: lr = 0.01 diverges from (-1.2, 1) on Rosenbrock
    out = plots.plot_paths(problem, {"gd": bad}, ax=new_ax())
    drawn = out["lines"][0].get_xydata()
    (x0, x1), (y0, y1) = problem.bounds
    assert out["labels"] == ["gd (diverged)"] and out["diverged"] == [True]
    assert np.all((drawn[:, 0] >= x0) & (drawn[:, 0] <= x1) & (drawn[:, 1] >= y0)
                  & (drawn[:, 1] <= y1))
    last = drawn[-1]
    assert np.isclose(last[0], x0) or np.isclose(last[0], x1) or np.isclose(last[1], y0) \
        or np.isclose(last[1], y1)
    assert np.array_equal(drawn[:-1], bad.path[:len(drawn) - 1])
    assert out["ends"][0].get_marker() == "x"


def test_nan_points_are_never_drawn():
    path = np.array([[0.0, 0.0], [1.0, 1.0], [np.nan, np.nan]])
    out = plots.plot_paths("bowl", {"p": path}, ax=new_ax())
    assert out["diverged"] == [True]
    assert np.all(np.isfinite(out["lines"][0].get_xydata()))


def test_paths_check_their_arguments():
    with pytest.raises(ValueError, match=r"must have shape \(k \+ 1, 2\)"):
        plots.plot_paths("bowl", {"p": np.zeros((4, 3))}, ax=new_ax())
    with pytest.raises(ValueError, match="paths must not be empty"):
        plots.plot_paths("bowl", {}, ax=new_ax())
    with pytest.raises(TypeError, match="paths keys must be labels"):
        plots.plot_paths("bowl", {1: np.zeros((2, 2))}, ax=new_ax())
    with pytest.raises(ValueError, match="styles must have one dict per path"):
        plots.plot_paths("bowl", {"p": np.zeros((2, 2))}, ax=new_ax(), styles=[{}, {}])
    with pytest.raises(ValueError, match="no recorded path"):
        plots.plot_paths("bowl", [SimpleNamespace(path=None)], ax=new_ax())


# --------------------------------------------------------------------------------------------
# loss curves
def test_loss_curves_by_iteration_with_gap_and_automatic_log(rc_guard):
    ax = new_ax()
    lines = plots.plot_loss_curves({"a": [5.0, 3.0, 2.0, 1.0001]}, ax=ax, f_min=1.0)
    assert lines[0].get_xdata().tolist() == [0.0, 1.0, 2.0, 3.0]
    assert np.allclose(lines[0].get_ydata(), [4.0, 2.0, 1.0, 1e-4])
    assert ax.get_yscale() == "log"  # 4 ... 1e-4 spans more than 2 decades
    ax2 = new_ax()
    plots.plot_loss_curves([2.0, 1.5, 1.0], ax=ax2)
    assert ax2.get_yscale() == "linear"  # a factor 2 only


def test_loss_curves_by_epoch_and_by_time_from_a_training_result():
    fake = SimpleNamespace(loss_per_epoch=np.array([4.0, 2.0, 1.0]), epochs_run=2,
                           epoch_times=np.array([0.5, 0.25]), loss_per_iteration=np.ones(6))
    (by_epoch,) = plots.plot_loss_curves({"r": fake}, by="epoch", ax=new_ax())
    assert by_epoch.get_xdata().tolist() == [0.0, 1.0, 2.0]  # epoch 0 = before training
    assert by_epoch.get_ydata().tolist() == [4.0, 2.0, 1.0]
    (by_time,) = plots.plot_loss_curves({"r": fake}, by="time", ax=new_ax())
    assert by_time.get_xdata().tolist() == [0.0, 0.5, 0.75]  # cumulative seconds
    (by_iter,) = plots.plot_loss_curves({"r": fake}, ax=new_ax())
    assert by_iter.get_xdata().size == 6


def test_loss_curves_real_training_run():
    data = make_regression(n=50, d=1, rng=0)
    res = train(LinearRegression(1), data.X, data.y, "gd", batch_size=10, epochs=3, lr=0.1)
    (line,) = plots.plot_loss_curves({"mb": res}, by="time", ax=new_ax())
    x = line.get_xdata()
    assert x.size == res.epochs_run + 1 and x[0] == 0.0 and np.all(np.diff(x) >= 0)
    (line,) = plots.plot_loss_curves({"mb": res}, ax=new_ax())
    assert line.get_ydata().size == 15  # 3 epochs x ceil(50 / 10)


def test_loss_curves_check_their_arguments():
    with pytest.raises(ValueError, match="by must be one of"):
        plots.plot_loss_curves([1.0, 2.0], by="epochs", ax=new_ax())
    with pytest.raises(ValueError, match="by='time' needs a training result"):
        plots.plot_loss_curves([1.0, 2.0], by="time", ax=new_ax())
    with pytest.raises(TypeError, match="log must be True, False or None"):
        plots.plot_loss_curves([1.0, 2.0], log="yes", ax=new_ax())
    with pytest.raises(ValueError, match="log=True needs positive losses"):
        plots.plot_loss_curves([1.0, 0.0], log=True, ax=new_ax())
    with pytest.raises(ValueError, match="x and y must have the same length"):
        plots.plot_loss_curves({"a": ([0.0, 1.0], [1.0])}, ax=new_ax())
    with pytest.raises(ValueError, match="must contain only finite numbers"):
        plots.plot_loss_curves([1.0, np.nan], ax=new_ax())


# --------------------------------------------------------------------------------------------
# log_scale
def _drawn_ticks(ax, axis):
    """(major labels, number of minor ticks) of a drawn axis."""
    ax.figure.canvas.draw()
    target = getattr(ax, f"{axis}axis")
    labels = [t.get_text() for t in target.get_majorticklabels() if t.get_visible()]
    return labels, len(target.get_minorticklocs())


def test_log_scale_labels_are_plain_text_superscripts(rc_guard):
    ax = new_ax()
    ax.plot([1.0, 2.0, 3.0], [1e-4, 1e-2, 10.0])
    assert plots.log_scale(ax, "y") is ax
    assert ax.get_yscale() == "log" and ax.get_xscale() == "linear"
    major = ax.yaxis.get_major_formatter()
    # written out by hand: the decades 10^-4, 10^-1, 10^0, 10^2 and a non-decade 3 x 10^-3
    assert [major(v) for v in (1e-4, 0.1, 1.0, 100.0)] == ["10⁻⁴", "10⁻¹", "10⁰", "10²"]
    assert ax.yaxis.get_minor_formatter()(3e-3) in ("", "3×10⁻³")
    labels, _ = _drawn_ticks(ax, "y")
    assert labels and not any("$" in t for t in labels)   # no mathtext left to parse
    assert "10⁻²" in labels


def test_log_scale_drops_minor_ticks_only_over_two_decades_or_more(rc_guard):
    wide = new_ax()
    wide.plot([1.0, 1000.0], [1.0, 2.0])
    plots.log_scale(wide, "x")
    _, minor = _drawn_ticks(wide, "x")
    assert minor == 0
    narrow = new_ax()
    narrow.plot([1.0, 2.0], [0.2, 0.5])                   # less than half a decade
    plots.log_scale(narrow, "y")
    labels, minor = _drawn_ticks(narrow, "y")
    assert minor > 0                                      # 0.2, 0.3, 0.4, 0.5 at least
    assert any(t for t in labels + [t.get_text() for t in narrow.yaxis.get_minorticklabels()])


def test_loss_curves_and_effective_lr_use_the_quick_log_scale():
    ax = new_ax()
    plots.plot_loss_curves({"a": [1e2, 1.0, 1e-3]}, ax=ax)
    labels, minor = _drawn_ticks(ax, "y")
    assert ax.get_yscale() == "log" and minor == 0 and not any("$" in t for t in labels)
    ax = new_ax()
    plots.plot_effective_lr({"ada": 1.0 / np.sqrt(np.arange(1.0, 10_001.0))}, ax=ax)
    labels, minor = _drawn_ticks(ax, "y")
    assert ax.get_yscale() == "log" and minor == 0 and "10⁻²" in labels


def test_log_scale_without_minor_ticks_even_over_a_narrow_view(rc_guard):
    narrow = new_ax()
    narrow.plot([1.0, 2.0], [0.2, 0.5])                   # minor ticks by default (above)
    plots.log_scale(narrow, "y", minor=False)
    labels, minor = _drawn_ticks(narrow, "y")
    assert minor == 0 and not any("$" in t for t in labels)


def test_log_scale_checks_its_arguments():
    with pytest.raises(ValueError, match="axis must be one of 'x', 'y'; got 'z'"):
        plots.log_scale(new_ax(), "z")
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes, got 3"):
        plots.log_scale(3)
    with pytest.raises(TypeError, match="minor must be True or False, got 'no'"):
        plots.log_scale(new_ax(), "y", minor="no")


# --------------------------------------------------------------------------------------------
# effective learning rate
def test_effective_lr_of_adagrad_matches_its_formula_and_shrinks(rc_guard):
    problem = get_problem("bowl")
    lr, eps = 0.5, 1e-10
    res = run_path(problem, "adagrad", steps=40, lr=lr, record_lr=True)
    ax = new_ax()
    lines = plots.plot_effective_lr({"adagrad": res}, ax=ax)
    # alpha_t = sum of squared gradients at the points the steps were taken from
    grads = np.array([problem.grad(w) for w in res.path[:-1]])
    expected = lr / (np.sqrt(np.cumsum(grads ** 2, axis=0)) + eps)
    assert len(lines) == 2  # W1 and W2
    assert lines[0].get_xdata().tolist() == list(range(1, 41))
    assert np.allclose(lines[0].get_ydata(), expected[:, 0])
    assert np.allclose(lines[1].get_ydata(), expected[:, 1])
    assert np.all(np.diff(lines[0].get_ydata()) <= 0)  # alpha_t only grows
    assert ax.get_yscale() == "log"


def test_effective_lr_rmsprop_stays_alive_while_adagrad_collapses():
    problem = get_problem("rosenbrock")
    ada = run_path(problem, "adagrad", steps=300, lr=0.5, record_lr=True)
    rms = run_path(problem, "rmsprop", steps=300, lr=0.01, record_lr=True)
    lines = plots.plot_effective_lr({"adagrad": ada, "rmsprop": rms}, ax=new_ax())
    for ada_y, rms_y in [(lines[0].get_ydata(), lines[2].get_ydata()),
                         (lines[1].get_ydata(), lines[3].get_ydata())]:
        assert np.all(np.diff(ada_y) <= 0) and ada_y[-1] < ada_y[0]  # Adagrad: only down
        assert rms_y[-1] > 10 * rms_y.min()  # RMSprop: recovers as the gradients shrink


def test_effective_lr_from_a_training_result_and_many_parameters():
    data = make_regression(n=40, d=1, rng=1)
    res = train(LinearRegression(1), data.X, data.y, "adagrad", batch_size=8, epochs=2,
                record_lr=True, lr=0.1)
    lines = plots.plot_effective_lr({"adagrad": res}, ax=new_ax())
    assert [ln.get_label() for ln in lines] == ["adagrad: W", "adagrad: b"]
    assert np.allclose(lines[1].get_ydata(), res.lr_history["db"][:, 0])
    wide = np.abs(np.random.default_rng(0).standard_normal((10, 6))) + 0.1
    (median,) = plots.plot_effective_lr({"net": wide}, ax=new_ax(), max_components=4)
    assert np.allclose(median.get_ydata(), np.median(wide, axis=1))


def test_effective_lr_checks_its_arguments():
    res = run_path("bowl", "adam", steps=5)
    with pytest.raises(ValueError, match="record_lr=True"):
        plots.plot_effective_lr({"adam": res}, ax=new_ax())
    with pytest.raises(ValueError, match="negative learning rates"):
        plots.plot_effective_lr({"x": [0.1, -0.1]}, ax=new_ax())
    with pytest.raises(TypeError, match="log must be True or False"):
        plots.plot_effective_lr({"x": [0.1]}, log=None, ax=new_ax())
    with pytest.raises(ValueError, match="log=True needs positive"):
        plots.plot_effective_lr({"x": [0.1, 0.0]}, ax=new_ax())
    with pytest.raises(ValueError, match="max_components must be >= 1"):
        plots.plot_effective_lr({"x": [0.1]}, max_components=0, ax=new_ax())


# --------------------------------------------------------------------------------------------
# EWA
def test_ewa_raw_and_corrected_by_hand(rc_guard):
    out = plots.plot_ewa([10.0, 10.0, 10.0], betas=0.5, ax=new_ax())
    # v1 = 0.5*0 + 0.5*10 = 5, v2 = 2.5 + 5 = 7.5, v3 = 3.75 + 5 = 8.75; corrected: all 10
    assert out["ewa"][(0.5, False)].get_ydata().tolist() == [5.0, 7.5, 8.75]
    assert np.allclose(out["ewa"][(0.5, True)].get_ydata(), [10.0, 10.0, 10.0])
    assert out["data"].get_ydata().tolist() == [10.0, 10.0, 10.0]
    assert out["data"].get_xdata().tolist() == [1.0, 2.0, 3.0]
    assert "≈ 2 values" in out["ewa"][(0.5, True)].get_label()


def test_ewa_several_betas_follow_the_recursion():
    a = np.random.default_rng(3).normal(size=30)
    out = plots.plot_ewa(a, betas=(0.2, 0.9), bias_correction=False, ax=new_ax(),
                         t=np.arange(30.0) * 2)
    for beta in (0.2, 0.9):
        v, expected = 0.0, []
        for x in a:
            v = beta * v + (1 - beta) * x
            expected.append(v)
        assert np.allclose(out["ewa"][(beta, False)].get_ydata(), expected)
    assert set(out["ewa"]) == {(0.2, False), (0.9, False)}
    assert out["data"].get_xdata()[-1] == 58.0


def test_ewa_checks_its_arguments():
    with pytest.raises(ValueError, match=r"betas must be in \[0.0, 1.0\)"):
        plots.plot_ewa([1.0, 2.0], betas=1.0, ax=new_ax())
    with pytest.raises(ValueError, match="bias_correction must be True, False or 'both'"):
        plots.plot_ewa([1.0, 2.0], bias_correction="yes", ax=new_ax())
    with pytest.raises(ValueError, match="t must have the same length"):
        plots.plot_ewa([1.0, 2.0], t=[1.0], ax=new_ax())
    with pytest.raises(ValueError, match="at least one value"):
        plots.plot_ewa([], ax=new_ax())
    with pytest.raises(TypeError, match="betas must be a number or a non-empty sequence"):
        plots.plot_ewa([1.0], betas=[], ax=new_ax())


# --------------------------------------------------------------------------------------------
# GD vs SGD vs mini-batch
def test_regression_surface_matches_the_model_loss_and_least_squares():
    data = make_regression(n=60, d=1, noise=0.3, rng=2)
    surface = plots.regression_surface(data.X, data.y)
    model = LinearRegression(1)
    for w, b in [(0.0, 0.0), (1.5, -0.7), (-2.0, 3.0)]:
        direct = np.mean((data.X[:, 0] * w + b - data.y) ** 2)
        assert np.isclose(surface.value([w, b]), direct)
        params = {"W": np.array([w]), "b": np.array([b])}
        assert np.isclose(surface.value([w, b]), model.loss(params, data.X, data.y))
        _, grads = model.loss_and_grads(params, data.X, data.y)
        assert np.allclose(surface.grad([w, b]), [grads["dW"][0], grads["db"][0]])
    A = np.column_stack([data.X[:, 0], np.ones(60)])
    best = np.linalg.lstsq(A, data.y, rcond=None)[0]
    assert np.allclose(surface.minima[0], best)
    # lambda_max from a finite-difference Hessian of the surface itself
    h, w0 = 1e-4, np.array([0.3, 0.2])
    H = np.array([[(surface.grad(w0 + h * e)[i] - surface.grad(w0 - h * e)[i]) / (2 * h)
                   for e in np.eye(2)] for i in range(2)])
    assert np.isclose(surface.lambda_max, np.linalg.eigvalsh(H)[-1], rtol=1e-6)
    assert np.isclose(plots.regression_surface(data.X, data.y, half=True).value([1.0, 1.0]),
                      0.5 * surface.value([1.0, 1.0]))


def test_regression_surface_checks_its_arguments():
    with pytest.raises(ValueError, match="X must have one feature"):
        plots.regression_surface(np.zeros((5, 2)), np.zeros(5))
    with pytest.raises(ValueError, match="same number of records"):
        plots.regression_surface(np.arange(5.0), np.zeros(4))
    with pytest.raises(ValueError, match="at least two different values"):
        plots.regression_surface(np.ones(5), np.zeros(5))


def test_batch_paths_from_training_results():
    data = make_regression(n=40, d=1, rng=0)
    start = {"W": np.array([-2.0]), "b": np.array([2.0])}
    runs = {name: train(LinearRegression(1), data.X, data.y, "gd", batch_size=bs, epochs=2,
                        params=start, record_path=True, lr=0.05)
            for name, bs in [("GD", None), ("SGD", 1), ("mini-batch", 10)]}
    out = plots.plot_batch_paths(data, runs, ax=new_ax())
    assert out["labels"] == ["GD (2 updates)", "SGD (80 updates)", "mini-batch (8 updates)"]
    sgd = runs["SGD"].path
    assert np.array_equal(out["lines"][1].get_xydata(),
                          np.column_stack([sgd["W"][:, 0], sgd["b"][:, 0]]))
    assert out["lines"][0].get_linewidth() > out["lines"][1].get_linewidth()
    # GD by hand: W <- W - lr * dL/dW with L = mean((x W + b - y)^2)
    w, b, x, y = -2.0, 2.0, data.X[:, 0], data.y
    for _ in range(2):
        r = x * w + b - y
        w, b = w - 0.05 * 2 * np.mean(r * x), b - 0.05 * 2 * np.mean(r)
    assert np.allclose(out["lines"][0].get_xydata()[-1], [w, b])


def test_batch_paths_on_a_2d_problem_and_an_xy_pair():
    out = plots.plot_batch_paths("bowl", {"GD": np.array([[-4.0, 2.0], [-3.0, 1.0]])},
                                 ax=new_ax())
    assert out["labels"] == ["GD (1 updates)"]
    data = make_regression(n=20, d=1, rng=0)
    out = plots.plot_batch_paths((data.X, data.y), {"p": np.zeros((2, 2))}, ax=new_ax())
    assert out["contour"] is not None


# --------------------------------------------------------------------------------------------
# animation
def test_animation_is_self_contained_and_capped(rc_guard):
    problem = get_problem("rosenbrock")
    runs = {"gd": run_path(problem, "gd", steps=120, lr=2e-3),
            "adam": run_path(problem, "adam", steps=120, lr=0.1)}
    anim = plots.animate_paths(problem, runs, max_frames=8)
    assert len(anim.frames) <= 8 and anim.frames[0] == 0 and anim.frames[-1] == 120
    assert len(anim.images) == len(anim.frames)
    assert all(im[:8] == b"\x89PNG\r\n\x1a\n" for im in anim.images)
    assert anim.html.count("iVBORw0KGgo") == len(anim.frames) + 1  # each frame + the still
    assert "http" not in anim.html and "<script src" not in anim.html  # no internet needed
    assert anim._repr_html_() is anim.html
    assert repr(anim).startswith(f"<PathAnimation: {len(anim.frames)} frames, steps 0..120")
    assert len(repr(anim)) < 100  # the notebook's text/plain copy stays tiny
    assert np.array_equal(anim.lines[0].get_xydata(), runs["gd"].path)  # final frame: all
    assert len(anim.html) < 400_000  # a notebook stays small


def test_animation_of_a_short_path_has_one_frame_per_step():
    anim = plots.animate_paths("bowl", np.array([[-4.0, 2.0], [-2.0, 1.0], [0.0, 0.0]]),
                               max_frames=50)
    assert anim.frames.tolist() == [0, 1, 2]


def test_animation_checks_its_arguments():
    path = np.zeros((3, 2))
    with pytest.raises(ValueError, match=r"max_frames must be in \[2, 300\]"):
        plots.animate_paths("bowl", path, max_frames=1)
    with pytest.raises(ValueError, match=r"interval must be in \[10, 60000\]"):
        plots.animate_paths("bowl", path, interval=1)
    with pytest.raises(ValueError, match=r"dpi must be in \[20, 200\]"):
        plots.animate_paths("bowl", path, dpi=1000)


def test_contour_axes_are_named_after_the_parameters():
    # a test function's axes are the two weights; a regression surface's are W and b
    ax = Figure().add_subplot()
    plots.plot_contour("bowl", ax=ax)
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("W₁", "W₂")
    X = np.linspace(-1.0, 1.0, 20)[:, None]
    surface = plots.regression_surface(X, 2.0 * X[:, 0] + 1.0)
    ax = Figure().add_subplot()
    plots.plot_contour(surface, ax=ax)
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("W", "b")


def test_no_figure_text_needs_mathtext():
    # mathtext costs about 0.1 s the first time a session draws it: the library's own labels,
    # legends and log ticks are plain text with Unicode sub/superscripts instead
    from matplotlib.text import Text

    fig = Figure(figsize=(12, 3))
    a, b, c, d = fig.subplots(1, 4)
    bowl = get_problem("bowl")
    plots.plot_paths(bowl, {"gd": run_path(bowl, "gd", steps=20, lr=0.05)}, ax=a)
    plots.plot_loss_curves({"gd": [10.0, 1.0, 1e-3]}, ax=b)
    plots.plot_effective_lr({"ada": np.column_stack([np.geomspace(1.0, 1e-3, 50)] * 2)}, ax=c)
    plots.plot_ewa(np.sin(np.arange(60.0)), ax=d)
    fig.canvas.draw()
    texts = [t.get_text() for t in fig.findobj(Text)]
    for ax in (a, b, c, d):
        for axis in (ax.xaxis, ax.yaxis):
            texts += [t.get_text() for t in axis.get_majorticklabels() + axis.get_minorticklabels()]
    texts = [t for t in texts if t]
    assert "W₁" in texts and "W₂" in texts and "10⁻³" in texts
    assert any(t.endswith("W₂") for t in texts)            # the effective-lr legend, per weight
    assert [t for t in texts if "$" in t] == []
