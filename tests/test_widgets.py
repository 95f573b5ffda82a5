"""course_lib.widgets without a browser: every control moves the drawing, every failure is a
message (never a traceback), and the numbers drawn match independent computations.
"""
import os

os.environ.setdefault("MPLBACKEND", "Agg")

import importlib.util  # noqa: E402
import math  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import textwrap  # noqa: E402
from pathlib import Path  # noqa: E402

import ipywidgets  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_lib import widgets as W  # noqa: E402
from course_lib.optimizers import OPTIMIZERS  # noqa: E402
from course_lib.paths import run_path  # noqa: E402
from course_lib.problems import PROBLEMS, get_problem  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def pg():
    """One playground shared by the tests that only move its controls (building costs ~0.3 s)."""
    return W.playground("rosenbrock", ["gd", "momentum", "rmsprop", "adam"], steps=100)


@pytest.fixture(scope="module")
def lx():
    return W.lr_explorer(lr=0.05, steps=30, condition=10.0)


def xy(line):
    return np.column_stack([line.get_xdata(), line.get_ydata()])


# --------------------------------------------------------------------------------------------
# sliders from the registry specs
def test_hparam_sliders_follow_the_registry_specs():
    for opt in OPTIMIZERS.values():
        for spec in opt.hparams.values():
            s = W.hparam_slider(spec)
            lo, hi = spec.slider
            if spec.log:
                assert isinstance(s, ipywidgets.FloatLogSlider)
                assert math.isclose(s.min, math.log10(lo)) and math.isclose(s.max, math.log10(hi))
            else:
                assert isinstance(s, ipywidgets.FloatSlider)
                assert (s.min, s.max) == (lo, hi)
            assert lo <= s.value <= hi
    lr = OPTIMIZERS["adam"].hparams["lr"]
    # issue 16, item 4: a valid value outside the slider range is used (the slider widens),
    # never clamped; tests/test_widgets_values.py has the rest
    wide = W.hparam_slider(lr, 50.0)
    assert wide.value == 50.0 and 10 ** wide.max >= 50.0
    with pytest.raises(TypeError, match="spec must be an HParam"):
        W.hparam_slider({"name": "lr"})


def test_start_learning_rates_make_progress_without_diverging():
    for problem_name, table in W.START_LR.items():
        problem = get_problem(problem_name)
        assert set(table) == set(OPTIMIZERS)
        for name, lr in table.items():
            res = run_path(problem, name, steps=200, lr=lr)
            assert not res.diverged, (problem_name, name, res.message)
            assert res.losses[-1] < res.losses[0], (problem_name, name)


# --------------------------------------------------------------------------------------------
# playground
def test_playground_controls_and_figure(pg):
    c = pg.controls
    assert {"problem", "optimizers", "steps", "x0", "y0"} <= set(c)
    assert {f"adam.{hp}" for hp in OPTIMIZERS["adam"].hparams} <= set(c)
    assert all(f"{name}.lr" in c for name in OPTIMIZERS)
    assert isinstance(c["adam.lr"], ipywidgets.FloatLogSlider)
    assert isinstance(c["adam.beta1"], ipywidgets.FloatSlider)
    assert c["gd.lr"].value == W.START_LR["rosenbrock"]["gd"]
    assert pg.figure is pg.ax_path.figure and not pg.live
    assert set(pg.results) == {"gd", "momentum", "rmsprop", "adam"}
    assert pg.status == "info" and pg.message.value


def test_muon_tab_shows_only_what_acts_on_the_point():
    """Muon's AdamW settings act on parameters other than W; the 2-D point is W alone, so
    the playground leaves those sliders out of Muon's tab and Muon's own are all there."""
    p = W.playground("bowl", ["muon", "lion"], steps=20)
    muon_tab, lion_tab = p._tabs.children
    shown = {s.description for s in muon_tab.children}
    wanted = {f"{OPTIMIZERS['muon'].hparams[hp].symbol} ({hp})"
              for hp in ("lr", "beta", "weight_decay", "eps")}
    assert len(muon_tab.children) == 4 and wanted <= shown, shown
    assert len(lion_tab.children) == len(OPTIMIZERS["lion"].hparams)
    assert not any(p.results[n].diverged for n in ("muon", "lion"))


def test_moving_the_lr_slider_redraws_the_path_by_blitting(pg):
    line = pg._slots["adam"][0]
    before = xy(line)
    blits = pg.redraws["blit"]
    pg.controls["adam.lr"].value = 0.05
    after = xy(line)
    expected = run_path("rosenbrock", "adam", steps=100, lr=0.05,
                        start=[pg.controls["x0"].value, pg.controls["y0"].value]).path
    assert not np.array_equal(before, after)
    assert np.allclose(after, expected)
    assert pg.redraws["blit"] == blits + 1  # the fast path: no full redraw
    loss = pg._slots["adam"][2]
    assert np.allclose(loss.get_ydata(), np.maximum(
        run_path("rosenbrock", "adam", steps=100, lr=0.05).losses, 1e-16))


def test_every_hparam_slider_of_a_shown_optimizer_changes_its_path(pg):
    for key in ("adam.beta1", "adam.beta2", "adam.eps", "momentum.beta", "rmsprop.beta"):
        name = key.split(".")[0]
        before = xy(pg._slots[name][0])
        control = pg.controls[key]
        control.value = control.min + 0.37 * (control.max - control.min) if not isinstance(
            control, ipywidgets.FloatLogSlider) else 10 ** (control.max - 1)
        assert not np.array_equal(before, xy(pg._slots[name][0])), key


def test_start_point_moves_every_path(pg):
    pg.controls["x0"].value = -1.0
    pg.controls["y0"].value = 0.5
    for name, (line, _, _) in pg._slots.items():
        assert xy(line)[0].tolist() == [-1.0, 0.5], name
    assert pg._start.get_xydata().tolist() == [[-1.0, 0.5]]
    pg.controls["x0"].value, pg.controls["y0"].value = -1.2, 1.0


def test_steps_change_the_path_length_and_the_loss_axis(pg):
    full = pg.redraws["full"]
    pg.controls["steps"].value = 40
    assert all(len(xy(line)) == 41 for line, _, _ in pg._slots.values())
    assert pg.ax_loss.get_xlim() == (0.0, 40.0)
    assert pg.redraws["full"] == full + 1  # new limits: one full redraw
    pg.controls["steps"].value = 100


def test_choosing_optimizers_and_the_empty_choice(pg):
    pg.controls["optimizers"].value = ("adam", "nadam")
    assert set(pg._slots) == {"adam", "nadam"} and set(pg.results) == {"adam", "nadam"}
    assert [t.get_text() for t in pg.ax_loss.get_legend().get_texts()] == ["adam", "nadam"]
    assert pg._tabs.titles == ("adam", "nadam")
    pg.controls["optimizers"].value = ()
    assert pg.status == "warning" and "Select at least one optimizer" in pg.notes[0]
    assert "Select at least one optimizer" in pg.message.value
    pg.controls["optimizers"].value = ("gd", "momentum", "rmsprop", "adam")
    assert pg.status == "info"


def test_a_diverged_run_is_named_with_the_stability_bound():
    pg = W.playground("bowl", ["gd", "adam"], steps=100)
    pg.controls["gd.lr"].value = 0.25  # bowl: lambda_max = 10, GD needs lr < 2/10 = 0.2
    assert pg.status == "warning"
    note = next(n for n in pg.notes if n.startswith("gd:"))
    assert "diverged" in note and "2/lambda_max = 0.2" in note
    assert "diverged" in pg.message.value
    drawn = xy(pg._slots["gd"][0])
    assert np.all(np.abs(drawn) <= 5.0 + 1e-12)  # clipped at the window's border
    assert pg._slots["gd"][1].get_marker() == "X"
    pg.controls["gd.lr"].value = 0.19
    assert pg.status == "info" and pg._slots["gd"][1].get_marker() == "o"


def test_changing_the_problem_resets_window_and_learning_rates():
    pg = W.playground("rosenbrock", ["gd", "adam"], steps=50)
    pg.controls["problem"].value = "himmelblau"
    assert pg.problem.name == "himmelblau"
    assert (pg.controls["x0"].min, pg.controls["x0"].max) == (-5.0, 5.0)
    assert (pg.controls["x0"].value, pg.controls["y0"].value) == (0.0, 0.0)
    assert pg.controls["gd.lr"].value == W.START_LR["himmelblau"]["gd"]
    assert pg.ax_path.get_title() == get_problem("himmelblau").title
    expected = run_path("himmelblau", "gd", steps=50, lr=W.START_LR["himmelblau"]["gd"]).path
    assert np.allclose(xy(pg._slots["gd"][0]), expected)
    pg.controls["problem"].value = "saddle"  # no minimum: a linear loss axis, still no error
    assert pg.status in ("info", "warning") and pg.ax_loss.get_yscale() == "linear"


def test_a_learners_update_races_the_library():
    def my_gd(params, grads, state, *, lr):
        return {"W": params["W"] - lr * grads["dW"]}, type(state)(state.t + 1)

    pg = W.playground("bowl", ["gd", "mine"], steps=30, extra={"mine": ("gd", my_gd)},
                      hparams={"gd": {"lr": 0.05}, "mine": {"lr": 0.05}})
    assert pg.status == "info"
    assert np.array_equal(pg.results["mine"].path, pg.results["gd"].path)
    assert isinstance(pg.controls["mine.lr"], ipywidgets.FloatLogSlider)
    pg.controls["mine.lr"].value = 0.1
    assert not np.array_equal(pg.results["mine"].path, pg.results["gd"].path)


def test_a_failing_learners_update_is_a_message_not_a_traceback():
    def broken(params, grads, state, *, lr):
        raise ValueError("I forgot the learning rate")

    def wrong_shape(params, grads, state, *, lr):
        return params["W"], state

    pg = W.playground("bowl", ["gd", "broken", "wrong"], steps=20,
                      extra={"broken": ("gd", broken), "wrong": ("gd", wrong_shape)})
    assert pg.status == "error"
    text = " ".join(pg.notes)
    assert "broken: ValueError: I forgot the learning rate" in text
    assert "wrong: TypeError" in text and "must return (new_params, new_state)" in text
    assert "Traceback" not in pg.message.value
    assert "gd" in pg.results and len(xy(pg._slots["gd"][0])) == 21  # the others still run
    assert len(xy(pg._slots["broken"][0])) == 0


def test_a_learners_update_that_never_returns_is_a_message_not_a_frozen_widget(monkeypatch):
    import signal
    import time

    from course_lib import exercises

    monkeypatch.setattr(exercises, "TIME_LIMIT", 0.3)
    escape = time.monotonic() + 6.0   # without a time limit the widget would hang: stop anyway

    def spins(params, grads, state, *, lr):
        step = 0
        while step < 10 and time.monotonic() < escape:   # the step (step += 1) is missing
            pass
        return params, state

    start = time.monotonic()
    pg = W.playground("bowl", ["gd", "spins"], steps=20, extra={"spins": ("gd", spins)})
    assert time.monotonic() < escape, "the update was not stopped at the time limit"
    assert pg.status == "error" and "Traceback" not in pg.message.value
    note = next(n for n in pg.notes if n.startswith("spins:"))
    assert "TimeoutError" in note and "within 0.3 s" in note
    assert "while step < 10" in note and "missing its step" in note
    assert "gd" in pg.results and len(xy(pg._slots["gd"][0])) == 21  # the others still run
    # a slider move tries again (a new run), under the same limit; the widget stays usable
    pg.controls["spins.lr"].value = 0.2
    assert "TimeoutError" in " ".join(pg.notes) and time.monotonic() - start < 20
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    pg.controls["optimizers"].value = ("gd",)
    assert pg.status == "info"


def test_playground_checks_its_arguments():
    with pytest.raises(ValueError, match="did you mean 'rosenbrock'"):
        W.playground("rosenbrok")
    with pytest.raises(ValueError, match="optimizers must be one of"):
        W.playground("bowl", ["adma"])
    with pytest.raises(TypeError, match="optimizers must be a list"):
        W.playground("bowl", 3)
    with pytest.raises(ValueError, match=r"steps must be in \[10, 1000\]"):
        W.playground("bowl", steps=5)
    with pytest.raises(ValueError, match="start must lie in the plot window"):
        W.playground("bowl", start=(9.0, 0.0))
    with pytest.raises(ValueError, match="adam: lr must be > 0"):
        W.playground("bowl", hparams={"adam": {"lr": -1.0}})
    with pytest.raises(TypeError, match="hparams must be a dict"):
        W.playground("bowl", hparams=[0.1])
    with pytest.raises(ValueError, match="is a library optimizer's name"):
        W.playground("bowl", extra={"adam": ("adam", lambda *a, **k: None)})
    with pytest.raises(TypeError, match=r"must be \(library name, update function\)"):
        W.playground("bowl", extra={"mine": "adam"})
    with pytest.raises(TypeError, match="continuous_update must be True or False"):
        W.playground("bowl", continuous_update="yes")


def test_playground_accepts_a_problem_object():
    problem = get_problem("bowl", condition=4.0)
    pg = W.playground(problem, ["gd"], steps=20)
    assert pg.problem is problem and pg.controls["problem"].value == "bowl"
    expected = run_path(problem, "gd", steps=20, lr=W.START_LR["bowl"]["gd"]).path
    assert np.allclose(pg.results["gd"].path, expected)


# --------------------------------------------------------------------------------------------
# shared machinery: errors, display
def test_any_failure_in_an_update_becomes_a_readable_message(pg):
    good = pg._compute

    def boom():
        raise RuntimeError("something odd")

    pg._compute = boom
    try:
        pg.controls["adam.lr"].value = 0.07  # the slider callback must not raise
        assert pg.status == "error" and isinstance(pg.last_error, RuntimeError)
        assert pg.notes == ["Could not update: RuntimeError: something odd"]
        assert "something odd" in pg.message.value and "Traceback" not in pg.message.value
    finally:
        pg._compute = good
    pg.update()
    assert pg.last_error is None and pg.status == "info"


def test_a_failing_control_callback_becomes_a_message_too():
    pg = W.playground("bowl", ["gd"], steps=20)

    def no_such_problem(name):
        raise KeyError(f"cannot build {name}")

    pg._problem = no_such_problem
    pg.controls["problem"].value = "beale"  # the callback must not raise
    assert pg.status == "error" and "KeyError" in pg.notes[0] and "cannot build beale" in \
        pg.notes[0]
    assert "Traceback" not in pg.message.value


def test_the_widget_box_shows_the_figure_as_an_image_without_ipympl(lx):
    ex = lx
    ex.controls["lr"].value = 0.05
    box = ex.widget
    assert isinstance(box, ipywidgets.VBox) and ex.message in box.children
    image = box.children[-1]
    assert isinstance(image, ipywidgets.Image) and image.value[:4] == b"\x89PNG"
    first = image.value
    ex.controls["lr"].value = 0.15
    assert image.value != first  # re-rendered on update
    assert ex.widget is box  # built once
    assert "controls" in repr(ex)


def test_ipython_display_shows_the_box(monkeypatch, lx):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    ex = lx
    ex._ipython_display_()
    assert shown == [ex.widget]


@pytest.mark.skipif(importlib.util.find_spec("ipympl") is None, reason="ipympl not installed")
def test_with_ipympl_the_canvas_is_the_widget_and_updates_blit():
    # in a subprocess: importing ipympl switches matplotlib's backend for the whole process
    code = textwrap.dedent("""
        import numpy as np, ipywidgets
        from course_lib.widgets import playground
        pg = playground("rosenbrock", ["gd", "adam"], steps=50)
        assert pg.live and isinstance(pg.figure.canvas, ipywidgets.DOMWidget)
        assert pg.figure.canvas in pg.widget.children
        sent = []
        pg.figure.canvas.send_binary = lambda data: sent.append(len(data))
        # no browser view yet: the widget must not draw() (ipympl would store an image without
        # its data: prefix, issue #472) but leave the drawing to the canvas
        assert pg.figure.canvas.syncing_data_url and pg.redraws["blit"] == 0
        pg.controls["adam.lr"].value = 0.02
        assert pg.redraws["blit"] == 0 and not sent, (pg.redraws, sent)
        # the view reports it is ready, as ipympl's 'initialized' message does
        pg.figure.canvas._handle_message(pg.figure.canvas, {"type": "initialized"}, [])
        assert not pg.figure.canvas.syncing_data_url
        pg.controls["adam.lr"].value = 0.03   # one full draw to cache the background
        before = np.array(pg._slots["adam"][0].get_xdata())
        pg.controls["adam.lr"].value = 0.05
        assert not np.array_equal(before, pg._slots["adam"][0].get_xdata())
        assert pg.redraws["blit"] == 1 and sent, (pg.redraws, sent)
        print("ok")
    """)
    env = dict(os.environ, MPLBACKEND="module://ipympl.backend_nbagg", PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr[-2000:]


@pytest.mark.skipif(importlib.util.find_spec("ipympl") is None, reason="ipympl not installed")
def test_with_ipympl_many_explorers_open_no_pyplot_figures():
    # 25 explorers in one kernel: matplotlib warned "More than 20 figures have been opened"
    code = textwrap.dedent("""
        import warnings
        warnings.simplefilter("error")   # every warning is an error ...
        # ... but ipympl 0.10's own toolbar, which passes traitlets an argument it deprecates
        warnings.filterwarnings("ignore", "Passing unrecognized arguments",
                                DeprecationWarning)
        import matplotlib.pyplot as plt
        from course_lib import widgets as W
        made = [W.lr_explorer(steps=10) for _ in range(25)]
        assert all(e.live for e in made) and plt.get_fignums() == []
        made[0].close()
        assert made[0].figure.canvas.comm is None and made[1].figure.canvas.comm is not None
        print("ok")
    """)
    env = dict(os.environ, MPLBACKEND="module://ipympl.backend_nbagg", PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr[-2000:]


def test_a_cell_run_again_closes_the_explorers_its_earlier_run_made(monkeypatch):
    run = {"cell": ("cell-a", 1)}
    monkeypatch.setattr(W, "_cell_run", lambda: run["cell"])
    monkeypatch.setattr(W, "_BY_CELL", {})
    first, second = W.lr_explorer(steps=10), W.ewa_explorer(n=50)   # one run, two explorers
    run["cell"] = ("cell-b", 2)
    other = W.lr_explorer(steps=10)                                  # another cell
    run["cell"] = ("cell-a", 3)                                      # cell a again
    with pytest.raises(ValueError):
        W.playground("rosenbrok")          # a failed call made half an explorer ...
    assert first.closed and second.closed and not other.closed
    run["cell"] = ("cell-a", 4)
    third = W.lr_explorer(steps=10)        # ... which the next run closes without an error
    assert not third.closed and not other.closed
    drawn = dict(first.redraws)
    first.controls["lr"].value = 0.1       # a closed explorer no longer updates
    assert first.redraws == drawn
    redraws = dict(third.redraws)
    third.controls["lr"].value = 0.1
    assert third.redraws != redraws
    first.close()                          # twice is harmless


def test_the_running_cell_is_read_from_the_kernels_request(monkeypatch):
    import IPython

    class Kernel:
        def __init__(self, metadata):
            self.metadata = metadata

        def get_parent(self):
            return {"metadata": self.metadata}

    class Shell:
        execution_count = 7
        kernel = Kernel({"cellId": "abc"})

    monkeypatch.setattr(IPython, "get_ipython", lambda: Shell())
    assert W._cell_run() == ("abc", 7)
    Shell.kernel = Kernel({})              # a front end that names no cell: nothing to replace
    assert W._cell_run() is None
    monkeypatch.setattr(IPython, "get_ipython", lambda: None)   # a plain script
    assert W._cell_run() is None


# --------------------------------------------------------------------------------------------
# EWA explorer
def ewa_by_hand(a, beta, corrected):
    v, out = 0.0, []
    for t, x in enumerate(a, start=1):
        v = beta * v + (1 - beta) * x
        out.append(v / (1 - beta ** t) if corrected else v)
    return np.array(out)


def test_ewa_explorer_draws_the_average_of_the_data():
    ex = W.ewa_explorer(n=60, beta=0.8, noise=1.0)
    a = ex.series
    assert np.array_equal(ex.data_line.get_ydata(), a)
    assert np.allclose(ex.ewa_line.get_ydata(), ewa_by_hand(a, 0.8, True))
    assert np.allclose(ex.raw_line.get_ydata(), ewa_by_hand(a, 0.8, False))
    ex.controls["beta"].value = 0.95
    assert np.allclose(ex.ewa_line.get_ydata(), ewa_by_hand(a, 0.95, True))
    assert math.isclose(ex.window.get_width(), 20.0)  # 1 / (1 - 0.95)
    k = ex.weight_line.get_xdata()
    assert np.allclose(ex.weight_line.get_ydata(), 0.05 * 0.95 ** k)
    assert "20 values" in ex.window_text.get_text()
    assert "the last 20 values carry 64% of the weight" == ex.weight_text.get_text()  # 1-.95^20


def test_ewa_explorer_bias_correction_noise_and_seed():
    ex = W.ewa_explorer(n=50, beta=0.9, noise=2.0)
    assert ex.raw_line.get_visible() and ex.ewa_line.get_visible()
    ex.controls["bias_correction"].value = False
    assert np.allclose(ex.raw_line.get_ydata(), ewa_by_hand(ex.series, 0.9, False))
    ex.controls["noise"].value = 0.0
    assert np.array_equal(ex.series, ex.signal)  # no noise: the smooth signal itself
    ex.controls["noise"].value = 1.0
    noisy = ex.series.copy()
    ex.controls["seed"].value = 7
    assert not np.array_equal(ex.series, noisy)
    z = np.random.default_rng(7).standard_normal(50)
    assert np.allclose(ex.series, ex.signal + 1.0 * z)
    assert ex.status == "info" and "β = 0.90" in ex.notes[0]


def test_ewa_explorer_shows_the_start_up_dip_with_the_correction_off():
    """Chapter 5 says: switch the correction off and see the red start-up dip. The dashed red
    raw line must then be drawn (it used to be hidden exactly then), starting at (1 - beta) a_1,
    and the blue corrected line, which has no dip, must not."""
    ex = W.ewa_explorer(n=60, beta=0.95, noise=2.0)
    ex.controls["bias_correction"].value = False
    assert ex.raw_line.get_visible() and ex.raw_line.get_color() == "#d62728"
    assert ex.raw_line.get_linestyle() == "--"
    raw = np.asarray(ex.raw_line.get_ydata())
    assert np.allclose(raw, ewa_by_hand(ex.series, 0.95, False))
    assert raw[0] == pytest.approx(0.05 * ex.series[0]) and raw[0] < 0.1 * ex.series[:20].min()
    assert not ex.ewa_line.get_visible()
    assert "Correction off" in ex.notes[1] and "t < 90" in ex.notes[1]  # 0.95^90 < 0.01 < 0.95^89
    ex.controls["bias_correction"].value = True
    assert ex.raw_line.get_visible() and ex.ewa_line.get_visible()
    assert np.allclose(ex.ewa_line.get_ydata(), ewa_by_hand(ex.series, 0.95, True))
    assert "after t = 90 it is within 1 % of 1" in ex.notes[1]


def test_ewa_explorer_draws_the_noise_of_its_rng():
    """rng was ignored: the seed control (0) redrew the noise, so rng=0 and rng=5 gave the same
    series. An int is the seed the control shows; a Generator draws that seed."""
    n, noise = 40, 2.0
    a0, a5 = (W.ewa_explorer(n=n, rng=r, noise=noise) for r in (0, 5))
    assert a5.controls["seed"].value == 5 and a0.controls["seed"].value == 0
    assert not np.array_equal(a0.series, a5.series)
    assert np.allclose(a5.series, a5.signal + noise * np.random.default_rng(5).standard_normal(n))
    g1, g2 = (W.ewa_explorer(n=n, rng=np.random.default_rng(3), noise=noise) for _ in range(2))
    assert np.array_equal(g1.series, g2.series)  # the same Generator state, the same series
    seed = g1.controls["seed"].value
    assert np.allclose(g1.series,
                       g1.signal + noise * np.random.default_rng(seed).standard_normal(n))
    a5.controls["seed"].value = 0
    assert np.array_equal(a5.series, a0.series)


def test_ewa_explorer_checks_its_arguments():
    with pytest.raises(ValueError, match=r"beta must be in \[0.0, 0.99\]"):
        W.ewa_explorer(beta=1.0)
    with pytest.raises(ValueError, match=r"n must be in \[20, 2000\]"):
        W.ewa_explorer(n=5)
    with pytest.raises(ValueError, match=r"noise must be in \[0.0, 6.0\]"):
        W.ewa_explorer(noise=-1.0)
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        W.ewa_explorer(rng="seed")
    with pytest.raises(ValueError, match=r"rng must be in \[0, 1000000\]"):
        W.ewa_explorer(rng=10**6 + 1)


# --------------------------------------------------------------------------------------------
# batch-size explorer
@pytest.fixture(scope="module")
def bx():
    return W.batch_size_explorer(n=40, batch_size=10, lr=0.05, epochs=2)


def test_batch_explorer_runs_gd_sgd_and_minibatch(bx):
    gd, sgd, mb = bx.runs.values()
    assert (gd.iterations, sgd.iterations, mb.iterations) == (2, 80, 8)  # 2 x ceil(40 / b)
    assert "GD (full batch): 1 iteration per epoch" in bx.notes[0]
    assert "SGD (batch 1): 40 iterations per epoch" in bx.notes[1]
    assert "mini-batch 10: 4 iterations per epoch (ceil(40/10))" in bx.notes[2]
    # GD by hand on L = mean((x W + b - y)^2), from the explorer's start
    x, y = bx.data.X[:, 0], bx.data.y
    w, b = bx.surface.start
    for _ in range(2):
        r = x * w + b - y
        w, b = w - 0.05 * 2 * np.mean(r * x), b - 0.05 * 2 * np.mean(r)
    assert np.allclose(xy(bx._drawn["lines"][0])[-1], [w, b])
    # the loss panel: the full-data loss gap at each iterate of the SGD path
    path = xy(bx._drawn["lines"][1])
    gap = np.array([np.mean((x * p[0] + p[1] - y) ** 2) for p in path]) - bx.surface.f_min
    assert np.allclose(bx._drawn["iter"][1].get_ydata(), np.maximum(gap, 1e-16), rtol=1e-6,
                       atol=1e-12)
    secs = bx._drawn["time"][1].get_xdata()
    assert secs[0] == 0.0 and np.all(np.diff(secs) >= 0)
    assert math.isclose(secs[-1], sgd.epoch_times.sum())


def test_batch_explorer_reacts_to_each_control(bx):
    bx.controls["batch_size"].value = 5
    assert list(bx.runs)[2] == "mini-batch 5" and bx.runs["mini-batch 5"].iterations == 16
    bx.controls["epochs"].value = 3
    assert bx.runs["GD (full batch)"].iterations == 3
    before = xy(bx._drawn["lines"][0])
    bx.controls["lr"].value = 0.1
    assert not np.array_equal(before, xy(bx._drawn["lines"][0]))
    old = bx.data.y.copy()
    bx.controls["seed"].value = 3
    assert not np.array_equal(old, bx.data.y)
    assert bx.status == "info"


def test_batch_explorer_reports_divergence_and_the_gd_bound(bx):
    bx.controls["lr"].value = 1.0
    text = " ".join(bx.notes)
    assert bx.status == "warning"
    assert "diverged" in text and "try a smaller learning rate" in text
    bound = 2.0 / bx.surface.lambda_max
    if 1.0 >= bound:
        assert f"2/λ_max = {bound:.3g}" in text
    assert "Traceback" not in bx.message.value


def test_batch_explorer_checks_its_arguments():
    with pytest.raises(ValueError, match=r"batch_size must be in \[2, 39\]"):
        W.batch_size_explorer(n=40, batch_size=40)
    with pytest.raises(ValueError, match=r"lr must be in \[0.001, 1.0\]"):
        W.batch_size_explorer(lr=5.0)
    with pytest.raises(ValueError, match=r"epochs must be in \[1, 30\]"):
        W.batch_size_explorer(epochs=0)
    with pytest.raises(ValueError, match=r"n must be in \[10, 2000\]"):
        W.batch_size_explorer(n=3)


# --------------------------------------------------------------------------------------------
# learning-rate explorer
def test_lr_regimes_from_the_contraction_factors():
    # lambda_max = 10, lambda_min = 1, 30 steps; one step multiplies an error by (1 - lr*lambda)
    kw = {"lambda_max": 10.0, "lambda_min": 1.0, "steps": 30}
    assert W.lr_regime(0.25, **kw)[0] == "diverging"  # |1 - 2.5| = 1.5 > 1
    # the fastest fixed lr is 2/(10 + 1) = 0.182: factors -0.818 and 0.818
    assert W.lr_regime(0.19, **kw)[0] == "oscillating"  # |1 - 1.9| = 0.9 > 1 - 0.19 = 0.81
    assert W.lr_regime(0.15, **kw)[0] == "good"  # |1 - 1.5| = 0.5 < 1 - 0.15 = 0.85
    assert "never dies out" in W.lr_regime(0.2, **kw)[1]  # 1 - 2 = -1: bounces, no shrinking
    assert W.lr_regime(0.1, **kw)[0] == "good"  # 0.9^30 = 0.042 < 0.1
    assert W.lr_regime(0.05, **kw)[0] == "too small"  # 0.05 < 0.182 / 2, 0.95^30 = 0.21 > 0.1
    assert W.lr_regime(0.01, **kw)[0] == "too small"  # 0.99^30 = 0.74 > 0.1
    assert "74%" in W.lr_regime(0.01, **kw)[1]
    assert "2/λ_max = 0.2" in W.lr_regime(0.25, **kw)[1]


def test_lr_regime_checks_its_arguments():
    with pytest.raises(ValueError, match="lr must be > 0"):
        W.lr_regime(0.0, lambda_max=1.0, lambda_min=1.0, steps=5)
    with pytest.raises(ValueError, match="lambda_min must be <= lambda_max"):
        W.lr_regime(0.1, lambda_max=1.0, lambda_min=2.0, steps=5)
    with pytest.raises(ValueError, match=r"steps must be in \[1, 1000000000\]"):
        W.lr_regime(0.1, lambda_max=1.0, lambda_min=1.0, steps=0)


def test_lr_explorer_diverging_preset_matches_the_closed_form(lx):
    ex = lx
    ex.controls["steps"].value = 20
    ex.controls["condition"].value = 10.0
    ex.controls["preset"].value = "diverging"
    lr = ex.controls["lr"].value
    assert math.isclose(lr, 0.21)
    assert ex.regime == "diverging" and ex.status == "warning"
    # bowl (x^2 + 10 y^2)/2 from (-4, 2): x_k = -4 (1 - lr)^k, y_k = 2 (1 - 10 lr)^k
    k = np.arange(21)
    path = xy(ex.line)
    assert np.allclose(path[:, 0], -4.0 * (1 - lr) ** k)
    assert np.allclose(path[:, 1], 2.0 * (1 - 10 * lr) ** k)
    assert "2/λ_max = 0.2" in ex.notes[0]
    assert ex.label.get_text() == "η = 0.21: diverging"


def test_lr_explorer_reacts_to_each_control(lx):
    ex = lx
    ex.controls["steps"].value = 30
    ex.controls["condition"].value = 10.0
    ex.controls["lr"].value = 0.05
    assert ex.regime == "too small"  # 0.95^30 = 0.21 > 0.1
    for preset, regime in [("good", "good"), ("oscillating", "oscillating"),
                           ("too small", "too small")]:
        ex.controls["preset"].value = preset
        assert ex.regime == regime, preset
    ex.controls["lr"].value = 0.15  # a hand-picked lr clears the preset
    # 1 - 1.5 = -0.5: a zig-zag, but it shrinks faster than the shallow 0.85: not the bottleneck
    assert ex.controls["preset"].value is None and ex.regime == "good"
    signs = np.sign(xy(ex.line)[:, 1])
    assert np.all(signs[1:] == -signs[:-1])  # the steep coordinate flips sign every step
    ex.controls["steps"].value = 12
    assert len(xy(ex.line)) == 13 and ex.ax_loss.get_xlim() == (0.0, 12.0)
    ex.controls["condition"].value = 20.0  # lambda_max = 20: 0.15 * 20 = 3 > 2
    assert ex.regime == "diverging" and "2/λ_max = 0.1" in ex.notes[0]
    loss = ex.loss_line.get_ydata()
    assert np.allclose(loss, [get_problem("bowl", condition=20.0).value(p) for p in xy(ex.line)])


@pytest.mark.parametrize("condition", [1.0, 2.0, 10.0, 25.0, 50.0])
@pytest.mark.parametrize("steps", [5, 30, 200])
def test_lr_explorer_presets_earn_their_labels_at_every_condition(lx, condition, steps):
    # issue 12, item 14: at condition 50 "good" (then 1/lambda_max) was labelled "too small"
    # and ended above "oscillating"
    ex = lx
    ex.controls["steps"].value = steps
    ex.controls["condition"].value = condition
    final = {}
    for preset in ["too small", "good", "oscillating", "diverging"]:
        ex.controls["preset"].value = preset
        assert ex.regime == preset, (preset, ex.notes)
        final[preset] = ex.result.losses[-1]
    assert final["good"] <= final["oscillating"]
    if steps >= 30:  # in 5 steps on a long bowl no η gets far: the steep part of the loss rules
        assert final["good"] <= final["too small"]


def test_lr_explorer_condition_change_unselects_the_preset(lx):
    # issue 12, item 14: the preset button stayed selected for an lr that was no longer its own
    ex = lx
    ex.controls["condition"].value = 10.0
    ex.controls["preset"].value = "good"
    lr = ex.controls["lr"].value
    assert math.isclose(lr, 2 / 11)
    ex.controls["condition"].value = 50.0
    assert ex.controls["preset"].value is None
    assert ex.controls["lr"].value == lr and ex.regime == "diverging"  # 50 * 2/11 > 2
    ex.controls["preset"].value = "good"  # clicking again fits the new bowl
    assert math.isclose(ex.controls["lr"].value, 2 / 51) and ex.regime == "good"


def test_lr_explorer_too_small_preset_is_not_clamped_on_a_long_bowl(lx):
    # issue 12 (second round), finding 3: at condition 50 the preset 0.01/lambda_max = 0.0002
    # lay below the slider's old minimum 0.001 and was silently clamped to it
    ex = lx
    ex.controls["condition"].value = 50.0
    ex.controls["preset"].value = "too small"
    assert math.isclose(ex.controls["lr"].value, 0.0002, rel_tol=1e-9)
    assert ex.label.get_text() == "η = 0.0002: too small"
    presets = W._lr_presets(10.0, 1.0)
    assert math.isclose(presets["too small"], 0.005 * 2 / 10.0)  # 0.005 x the bound
    assert math.isclose(presets["diverging"], 1.05 * 2 / 10.0)  # 1.05 x the bound


def test_lr_regime_on_a_round_bowl_does_not_compare_with_a_shallow_direction():
    # issue 12 (second round), finding 3: at condition 1 the message said the zig-zag "shrinks
    # more slowly than the shallow direction (factor -0.5)", both factors being -0.5
    name, why = W.lr_regime(1.5, lambda_max=1.0, lambda_min=1.0, steps=30)
    assert name == "oscillating"
    assert "the whole bowl zig-zags" in why and "shallow direction" not in why
    assert "never dies out" in W.lr_regime(2.0, lambda_max=1.0, lambda_min=1.0, steps=30)[1]


def test_lr_explorer_checks_its_arguments():
    with pytest.raises(ValueError, match=r"lr must be in \[0.0001, 3.0\]"):
        W.lr_explorer(lr=10.0)
    with pytest.raises(ValueError, match=r"steps must be in \[5, 200\]"):
        W.lr_explorer(steps=1)
    with pytest.raises(ValueError, match=r"condition must be in \[1.0, 50.0\]"):
        W.lr_explorer(condition=0.5)


# --------------------------------------------------------------------------------------------
# the latency benchmark runs (timing is its own business, not a test's)
def test_latency_benchmark_smoke():
    spec = importlib.util.spec_from_file_location("widget_latency",
                                                  ROOT / "benchmarks" / "widget_latency.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    result = bench.measure(moves=2, warmup=0)
    timed = {k: v for k, v in result.items() if not k.startswith("_")}
    assert len(timed) == 2 and all(len(v) == 2 and min(v) > 0 for v in timed.values())
    assert result["_redraws"]["blit"] == 4
    assert set(PROBLEMS) >= {"rosenbrock"}
