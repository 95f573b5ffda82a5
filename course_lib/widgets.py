r"""Sliders on the lecture's ideas: the optimizer playground and three small explorers.

Each function returns an :class:`Explorer`; a notebook cell that ends with the call shows it::

    from course_lib.widgets import playground
    playground("rosenbrock", ["gd", "momentum", "rmsprop", "adam"])

- :func:`playground`: test function, optimizers, their hyperparameters (sliders built from
  ``OPTIMIZERS[name].hparams``; learning rates on a log scale), steps and start point; paths and
  loss curves; a diverged run is named, with the stability bound where one is known. Your own
  update rule races the library's with ``extra={"my adam": ("adam", my_update)}``.
- :func:`ewa_explorer`: β, bias correction and noise of an exponentially weighted average, and
  the ≈ 1/(1 − β) values it averages.
- :func:`batch_size_explorer`: GD, SGD and mini-batch on one regression data set.
- :func:`lr_explorer`: plain GD on a bowl with a learning rate too small, good, oscillating or
  diverging.

Every explorer exposes ``.controls`` (name -> ipywidgets control), ``.figure``, ``.message`` (an
``ipywidgets.HTML``) and ``.update()``, so a test can set ``controls["adam.lr"].value`` and read
the drawn data back without a browser. A bad combination never shows a traceback: the update
catches it and writes a readable line in ``.message``; a learner's ``extra=`` update rule that
runs longer than ``course_lib.exercises.TIME_LIMIT`` is stopped and named there too.

Every explorer takes ``layout="auto"`` (or "wide", "compact"; see :data:`LAYOUTS`): in a notebook
the controls sit above a wide figure; on a RISE slide they move into a column beside a smaller
figure, so that at 1280 x 720 the figure and all the controls are on the screen at once.

Each explorer owns its figure (it is not in pyplot's list of open figures, so many explorers in
one kernel never meet matplotlib's "More than 20 figures" warning); ``.close()`` frees it, and a
notebook cell run again closes the explorers its earlier run made.

Speed: with the ipympl backend (``%matplotlib widget``) the figure is a live canvas; the static
parts (contour, axes, legend) are drawn once and cached, and a slider move only recomputes the
paths and blits them over the cached background (``restore_region`` + ``draw_artist`` +
``blit``), well under 30 ms for 4 optimizers x 200 steps on Rosenbrock (see
``benchmarks/widget_latency.py``). With any other backend (inline, Agg) the figure is shown as a
PNG in an ``ipywidgets.Image``, re-rendered on each update.
"""
from __future__ import annotations

import contextlib
import html
import math
import warnings

import ipywidgets as widgets
import numpy as np

from . import plots
from ._validate import _show, check_array, check_choice, check_number, check_rng
from .moving_averages import ewa_series, ewa_window
from .optimizers import OPTIMIZERS, HParam, get_optimizer
from .paths import run_path
from .problems import PROBLEMS, Problem, get_problem

__all__ = [
    "Explorer", "playground", "ewa_explorer", "batch_size_explorer", "lr_explorer",
    "hparam_slider", "lr_regime", "START_LR", "LAYOUTS",
]

#: Starting learning rates of the playground, per problem: each run of 200 steps from the
#: problem's start makes visible progress without diverging (tests/test_widgets.py checks it).
#: Other problems start from the registry defaults.
START_LR = {
    "bowl": {"gd": 0.1, "momentum": 0.1, "nesterov": 0.1, "adagrad": 0.5, "rmsprop": 0.05,
             "adadelta": 1.0, "adam": 0.1, "amsgrad": 0.1, "adamw": 0.1, "nadam": 0.1,
             "radam": 0.1, "adafactor": 0.1, "muon": 0.1, "lion": 0.1},
    "rosenbrock": {"gd": 2e-3, "momentum": 2e-3, "nesterov": 2e-3, "adagrad": 0.5,
                   "rmsprop": 1e-2, "adadelta": 1.0, "adam": 0.1, "amsgrad": 0.1, "adamw": 0.1,
                   "nadam": 0.1,
                   "radam": 5e-3, "adafactor": 0.1, "muon": 0.1, "lion": 0.1},
    "beale": {"gd": 1e-2, "momentum": 1e-2, "nesterov": 1e-2, "adagrad": 0.5, "rmsprop": 2e-2,
              "adadelta": 1.0, "adam": 0.1, "amsgrad": 0.1, "adamw": 0.1, "nadam": 0.1,
              "radam": 2e-2, "adafactor": 0.1, "muon": 0.1, "lion": 0.1},
    "himmelblau": {"gd": 5e-3, "momentum": 5e-3, "nesterov": 5e-3, "adagrad": 0.5,
                   "rmsprop": 2e-2, "adadelta": 1.0, "adam": 0.05, "amsgrad": 0.05,
                   "adamw": 0.05, "nadam": 0.05,
                   "radam": 0.05, "adafactor": 0.1, "muon": 0.1, "lion": 0.1},
    "saddle": {"gd": 1e-2, "momentum": 1e-2, "nesterov": 1e-2, "adagrad": 0.1, "rmsprop": 1e-2,
               "adadelta": 1.0, "adam": 1e-2, "amsgrad": 1e-2, "adamw": 1e-2, "nadam": 1e-2,
               "radam": 0.1, "adafactor": 0.1, "muon": 0.1, "lion": 0.1},
}

#: Hyperparameters that do nothing on the playground's 2-D point, so get no slider there: Muon
#: runs its own rule on W (the point, read as a 1x2 row) and AdamW only on other parameters.
POINT_UNUSED = {"muon": ("adamw_lr", "adamw_beta1", "adamw_beta2", "adamw_eps",
                         "adamw_weight_decay")}

#: The arrangements an explorer knows (its ``layout`` argument):
#:
#: - "wide": the controls above a figure as wide as the notebook (the notebook view);
#: - "compact": the controls in one column beside a smaller figure, the message under the
#:   figure, so that controls and figure fit a 1280 x 720 slide; in a box narrower than
#:   820 px, controls, figure and message stack;
#: - "auto": "compact" on a RISE slide (inside reveal.js), "wide" anywhere else.
#:
#: The browser makes the "auto" choice (a style sheet shipped with the explorer), since only it
#: knows where the widget is shown; the kernel cannot tell a slide from a notebook.
LAYOUTS = ("auto", "wide", "compact")


def _check_layout(layout):
    return check_choice("layout", layout, LAYOUTS)


def _compact_css() -> str:
    """The style sheet of the compact layout, for an explorer box of class ``oc-compact``, and
    of class ``oc-auto`` inside RISE's ``.reveal``.

    A grid: the controls in a column on the left (at most 380 px wide) over two rows, the
    figure at the top right, scaled to the column left over (and to at most 62 % of the
    screen's height), the message under it. Below 820 px of width (a container query on the
    box) the three stack: controls, figure, message. Also, on a RISE slide, a slide that holds
    an explorer starts at its top: reveal.js centres a slide vertically when it is shown and
    does not move it again when a cell's output appears, so a slide that was short before its
    playground ran would push the figure below the bottom edge of the screen.
    """
    scopes = (".oc-explorer.oc-compact", ".reveal .oc-explorer.oc-auto")
    rules = {
        "": ("display: grid !important; grid-template-columns: minmax(0, 380px) "
             "minmax(0, 1fr); column-gap: 12px; align-items: start; "
             "container-type: inline-size"),
        " > .oc-controls": "grid-column: 1; grid-row: 1 / span 2; min-width: 0",
        " > .oc-view": ("grid-column: 2; grid-row: 1; width: 100%; height: auto; "
                        "max-height: 62vh; object-fit: contain; object-position: left top"),
        " > .oc-message": "grid-column: 2; grid-row: 2; min-width: 0",
        # one message line per optimizer: 18 px each instead of a control's 28 px
        " > .oc-message .widget-html-content": "line-height: 1.35",
        " .oc-split": "flex-direction: column !important",
        " .oc-split > .widget-box": "width: auto !important",
    }

    def rule(sub, body):
        return ", ".join(scope + sub for scope in scopes) + " { " + body + "; }"

    narrow = "grid-column: 1 / -1; grid-row: auto"
    sheet = [rule(sub, body) for sub, body in rules.items()]
    sheet.append("@container (max-width: 820px) { "
                 + " ".join(rule(f" > .oc-{part}", f"{narrow}; order: {i}")
                            for i, part in enumerate(("controls", "view", "message")))
                 + " }")
    sheet.append(".reveal .slides section.present:has(.oc-explorer) { top: 0 !important; }")
    return "\n".join(sheet)


_STYLE = {"description_width": "initial"}
_BOX = {"error": ("#a50e0e", "#fce8e6"), "warning": ("#7a4100", "#fef7e0"),
        "info": ("#202124", "#f1f3f4")}


# --------------------------------------------------------------------------------------------
# Figures: a live ipympl canvas when that backend is active, else an off-screen Agg figure.
def _widget_backend() -> bool:
    import matplotlib

    name = str(matplotlib.get_backend()).lower()
    return "ipympl" in name or name == "widget"


def _new_figure(figsize):
    """``(figure, live)``: ``live`` when ``figure.canvas`` is an ipympl widget.

    No layout engine: each explorer places its axes with :func:`_fixed_layout`. Constrained
    layout measured every tick label and title before the first draw and cost more than the
    draw itself (0.3-0.5 s of a widget's first appearance).
    """
    from matplotlib.figure import Figure

    if _widget_backend():
        try:
            from ipympl import backend_nbagg
        except ImportError:  # pragma: no cover - the "widget" backend is ipympl
            backend_nbagg = None
        if backend_nbagg is not None:
            import matplotlib.pyplot as plt

            # The backend's own hook gives the figure its ipympl canvas and toolbar WITHOUT
            # pyplot's list of open figures (plt.figure would add it there): the explorer owns
            # its figure, which is shown inside the explorer's box, never by plt.show(), and
            # goes with the explorer (close() or a re-run of its cell), so that many explorers
            # in one kernel never reach matplotlib's "More than 20 figures" warning.
            with plt.ioff():  # not queued for display on its own
                fig = Figure(figsize=figsize)
                backend_nbagg.new_figure_manager_given_figure(id(fig), fig)
            if isinstance(fig.canvas, widgets.DOMWidget):
                fig.canvas.header_visible = False
                fig.canvas.footer_visible = False
                fig.canvas.toolbar_position = "right"
                return fig, True
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = Figure(figsize=figsize)
    FigureCanvasAgg(fig)
    return fig, False


def _fixed_layout(fig, *, left, right, bottom, top, gap):
    """Place a row of subplots: margins and the ``gap`` between axes, all in figure fractions.

    The numbers are those constrained layout chose for the explorer's default view (labels,
    titles and tick labels inside the figure), fixed so the first draw need not measure them.
    """
    ncols = fig.axes[0].get_subplotspec().get_gridspec().ncols if fig.axes else 1
    width = right - left
    wspace = gap * ncols / (width - gap * (ncols - 1)) if ncols > 1 else 0.0
    fig.subplots_adjust(left=left, right=right, bottom=bottom, top=top, wspace=wspace)


def _png(canvas) -> bytes:
    """What the canvas shows now (including blitted artists), as PNG bytes.

    Written here rather than by Pillow: Pillow filters each row adaptively and compresses at
    zlib level 6 (35 ms for the playground's 1000 x 430 pixels, most of an inline slider move);
    unfiltered rows at level 1 take about a third of that and, for these flat-coloured plots,
    come out smaller (210 kB instead of 250 kB). Lossless RGBA: the same pixels.
    """
    import struct
    import zlib

    rgba = np.asarray(canvas.buffer_rgba())
    h, w = rgba.shape[:2]
    rows = np.empty((h, 1 + 4 * w), dtype=np.uint8)
    rows[:, 0] = 0  # filter type 0 (None) for every row
    rows[:, 1:] = rgba.reshape(h, 4 * w)

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    header = struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0)  # 8-bit RGBA, no interlace
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows.tobytes(), 1)) + chunk(b"IEND", b""))


def hparam_slider(spec: HParam, value=None, *, description=None, continuous_update=True):
    """A slider for one hyperparameter spec: ``FloatLogSlider`` when ``spec.log``, else a
    ``FloatSlider``, over ``spec.slider``. A value outside the valid range of the spec (the
    optimizer's own check) is refused; a valid value outside ``spec.slider`` widens the slider
    to reach it, so the value you give is the value used (never moved into the range).

    >>> from course_lib.optimizers import OPTIMIZERS
    >>> s = hparam_slider(OPTIMIZERS["adam"].hparams["lr"], 0.05)
    >>> type(s).__name__, s.value
    ('FloatLogSlider', 0.05)
    """
    if not isinstance(spec, HParam):
        raise TypeError(f"spec must be an HParam from OPTIMIZERS[name].hparams, got {_show(spec)}")
    lo, hi = spec.slider
    value = spec.default if value is None else check_number(
        spec.name, value, low=spec.low, high=spec.high, low_open=spec.low_open,
        high_open=spec.high_open)
    if description is not None and not isinstance(description, str):
        raise TypeError(f"description must be a str (the slider's label) or None, got "
                        f"{_show(description)} of type {type(description).__name__}")
    continuous_update = _check_flag("continuous_update", continuous_update)
    text = description or f"{spec.symbol} ({spec.name})"
    common = {"description": text, "continuous_update": continuous_update, "style": _STYLE,
              "layout": widgets.Layout(width="95%")}
    if spec.log:
        e0, e1 = math.log10(lo), math.log10(hi)
        # whole powers of ten past the value: 10**log10(v) may round to just below v
        e0, e1 = min(e0, math.floor(math.log10(value))), max(e1, math.ceil(math.log10(value)))
        # step=None: no grid, so the browser does not snap the value (0.002 -> 0.00209) and
        # change the learner's result the moment the widget is shown
        return widgets.FloatLogSlider(value=value, base=10.0, min=e0, max=e1,
                                      step=None, readout_format=".3g", **common)
    lo, hi = min(lo, value), max(hi, value)
    step = 0.001 if hi - lo <= 1.0 else (hi - lo) / 200.0
    return widgets.FloatSlider(value=value, min=lo, max=hi, step=step, readout_format=".3f",
                               **common)


# --------------------------------------------------------------------------------------------
class Explorer:
    """What every explorer shares: controls, a figure, a message line, a fast redraw.

    Attributes
    ----------
    controls : dict of str -> ipywidgets control
        Set ``controls[name].value`` and the explorer updates (``observe(names="value")``).
    figure : matplotlib.figure.Figure
    message : ipywidgets.HTML
        Diverged runs, errors (no traceback) and short results.
    notes : list of str
        The plain text of the message lines.
    status : {"info", "warning", "error"}
    last_error : Exception or None
        The exception an update caught, if any (the message shows it as text).
    live : bool
        True when the figure is an ipympl canvas widget.
    closed : bool
        True after :meth:`close` (or a re-run of the cell that made it): no more updates.
    layout : {"auto", "wide", "compact"}
        The arrangement of controls and figure (see :data:`LAYOUTS`).
    redraws : dict
        How many updates took the full redraw and how many the blit path.
    """

    def __init__(self, figsize, layout="auto"):
        self.layout = _check_layout(layout)
        self.closed = False
        self.controls: dict = {}
        self.figure, self.live = _new_figure(figsize)
        self.message = widgets.HTML(value="")
        self.notes: list = []
        self.status = "info"
        self.last_error = None
        self.redraws = {"full": 0, "blit": 0}
        self._moving: list = []  # artists redrawn on every update (animated: not in background)
        self._background = None
        self._need_full = True
        self._hold = 0
        self._image = None
        self._widget = None
        self.figure.canvas.mpl_connect("draw_event", self._on_draw)
        _replace_earlier_runs(self)

    # ---- to be written by each explorer ----------------------------------------------------
    def _compute(self) -> tuple[str, list]:
        """Recompute and set the artists' data; return ``(status, notes)``."""
        raise NotImplementedError

    def _controls_box(self):
        return widgets.VBox(list(self.controls.values()))

    # ---- updating --------------------------------------------------------------------------
    def _watch(self, names=None):
        for name in names or self.controls:
            self.controls[name].observe(self._on_change, names="value")

    def _on_change(self, change):
        if not self._hold:
            self.update()

    @contextlib.contextmanager
    def _holding(self):
        """Change several controls without an update after each."""
        self._hold += 1
        try:
            yield
        finally:
            self._hold -= 1

    def update(self):
        """Recompute from the controls and redraw; any failure becomes a message."""
        if self.closed:
            return
        try:
            status, notes = self._compute()
            self._redraw()
            self.last_error = None
        except Exception as err:  # noqa: BLE001 - the widget shows it, never a traceback
            self.last_error = err
            status, notes = "error", [_readable(err)]
        self._say(status, notes)

    def _say(self, status, notes):
        self.status, self.notes = status, list(notes)
        fg, bg = _BOX[status]
        body = "<br>".join(html.escape(str(n)) for n in notes)
        self.message.value = (f'<div style="color:{fg};background:{bg};padding:4px 8px;'
                              f'border-radius:4px;font-size:13px">{body}</div>' if notes else "")

    # ---- drawing: full draw (caches the background) or blit over the cached background ------
    def _on_draw(self, event):
        canvas = self.figure.canvas
        if hasattr(canvas, "copy_from_bbox"):
            self._background = canvas.copy_from_bbox(self.figure.bbox)
        for artist in self._moving:
            self.figure.draw_artist(artist)

    def _redraw(self):
        canvas = self.figure.canvas
        blit_ok = hasattr(canvas, "copy_from_bbox") and hasattr(canvas, "restore_region")
        if not blit_ok:
            canvas.draw_idle()
            self.redraws["full"] += 1
        elif self.live and getattr(canvas, "syncing_data_url", False):
            # ipympl before its view exists in the browser: a draw now would store an image
            # without its data: prefix and the canvas would stay blank (ipympl issue #472);
            # let the canvas draw when it is ready, and redo the full draw next time.
            canvas.draw_idle()
            self._need_full = True
            self.redraws["full"] += 1
        elif self._need_full or self._background is None:
            self._need_full = False
            canvas.draw()  # the draw_event handler caches the background and draws _moving
            self.redraws["full"] += 1
        else:
            canvas.restore_region(self._background)
            for artist in self._moving:
                self.figure.draw_artist(artist)
            canvas.blit(self.figure.bbox)
            self.redraws["blit"] += 1
        if self._image is not None:
            self._image.value = _png(canvas)

    def _set_moving(self, artists):
        for artist in artists:
            artist.set_animated(True)
        self._moving = list(artists)
        self._need_full = True

    # ---- showing ---------------------------------------------------------------------------
    @property
    def widget(self):
        """The whole explorer as one ipywidgets box: its style sheet (an invisible
        ``widgets.HTML``), controls, message and figure, marked with CSS classes (``oc-explorer``
        and ``oc-<layout>`` on the box, ``oc-controls``, ``oc-message``, ``oc-view`` on its
        parts) that the style sheet arranges as :attr:`layout` says."""
        if self._widget is None:
            if self.live:
                view = self.figure.canvas
            else:
                self._image = widgets.Image(format="png", value=_png(self.figure.canvas))
                view = self._image
            controls = self._controls_box()
            sheet = widgets.HTML(f"<style>{_compact_css()}</style>",
                                 layout=widgets.Layout(display="none"))
            for part, name in ((controls, "controls"), (self.message, "message"),
                               (view, "view")):
                part.add_class(f"oc-{name}")
            self._widget = widgets.VBox([sheet, controls, self.message, view])
            self._widget.add_class("oc-explorer")
            self._widget.add_class(f"oc-{self.layout}")
        return self._widget

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)

    def close(self):
        """Close the figure (an ipympl canvas and its link to the browser), the controls and the
        box; the explorer is then inert. A notebook cell that is run again closes the explorers
        its earlier run made (in JupyterLab, Notebook 7 and VS Code, which name the cell)."""
        if self.closed:
            return
        self.closed = True  # update() does nothing from now on
        parts = [self._widget, self.message, self._image, *self.controls.values(),
                 getattr(self, "_tabs", None)]
        if self.live:
            parts.append(self.figure.canvas)
        for part in parts:
            _close_tree(part)

    def __repr__(self):
        return f"<{type(self).__name__}: controls {', '.join(self.controls)}>"


def _close_tree(widget):
    if isinstance(widget, widgets.Box):
        for child in widget.children:
            _close_tree(child)
    if isinstance(widget, widgets.Widget):
        widget.close()


#: cell id -> (execution count, the explorers that run of the cell made)
_BY_CELL: dict = {}


def _cell_run():
    """``(cell id, execution count)`` of the notebook cell running now, or None.

    The front end names the cell in the request's metadata ("cellId": JupyterLab >= 3,
    Notebook 7, VS Code); without one (a script, nbclient, a widget callback) there is nothing
    to replace.
    """
    try:
        from IPython import get_ipython

        shell = get_ipython()
        kernel = getattr(shell, "kernel", None)
        parent = kernel.get_parent() if kernel is not None else None
        cell = (parent or {}).get("metadata", {}).get("cellId")
        return (str(cell), shell.execution_count) if cell else None
    except Exception:  # noqa: BLE001 - an old ipykernel or an unusual shell: no replacing
        return None


def _replace_earlier_runs(explorer):
    """Close the explorers an earlier run of the current cell made; remember this one."""
    run = _cell_run()
    if run is None:
        return
    cell, count = run
    earlier_count, made = _BY_CELL.get(cell, (None, []))
    if earlier_count != count:
        for old in made:
            old.close()
        made = []
    _BY_CELL[cell] = (count, [*made, explorer])


def _safe(handler):
    """Wrap a control callback so that a failure becomes the explorer's message, not a traceback."""
    import functools

    @functools.wraps(handler)
    def wrapped(self, *args, **kwargs):
        try:
            return handler(self, *args, **kwargs)
        except Exception as err:  # noqa: BLE001 - shown in the widget
            self.last_error = err
            self._say("error", [_readable(err)])
    return wrapped


def _readable(err) -> str:
    text = str(err) or "no details"
    return f"Could not update: {type(err).__name__}: {text}"


def _fit_limits(ax, lo, hi, *, log=False, axis="y"):
    """Set new limits only when the data left them or fills less than half: True if changed."""
    get, put = (ax.get_ylim, ax.set_ylim) if axis == "y" else (ax.get_xlim, ax.set_xlim)
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return False
    f = np.log10 if log else (lambda v: v)
    cur_lo, cur_hi = get()
    span = f(cur_hi) - f(cur_lo)
    if lo >= cur_lo and hi <= cur_hi and (f(hi) - f(lo)) >= 0.5 * span:
        return False
    if log:
        lo, hi = max(lo, 1e-300), max(hi, lo * 10.0)
        pad = (math.log10(hi) - math.log10(lo)) * 0.08 + 0.1
        put(lo / 10 ** pad, hi * 10 ** pad)
    else:
        pad = (hi - lo) * 0.08 or 1.0
        put(lo - pad, hi + pad)
    return True


# --------------------------------------------------------------------------------------------
# The optimizer playground.
class _Playground(Explorer):
    """See :func:`playground`."""

    def __init__(self, problem, optimizers, steps, start, hparams, extra, continuous_update,
                 layout="auto"):
        super().__init__(figsize=(10.0, 4.3), layout=layout)
        self._problems = {name: None for name in PROBLEMS}
        if isinstance(problem, Problem):
            self._problems[problem.name] = problem
            first = problem.name
        else:
            first = check_choice("problem", problem, PROBLEMS)
        self._extra = _check_extra(extra)
        names = list(OPTIMIZERS) + list(self._extra)
        optimizers = _check_optimizers(optimizers, names)
        steps = check_number("steps", steps, low=10, high=1000, integer=True)
        hparams = _check_hparam_overrides(hparams, names, self._base)
        self._cache: dict = {}
        self.results: dict = {}
        self.problem = self._problem(first)
        start = self.problem.start if start is None else _check_start(start, self.problem)

        c = self.controls
        c["problem"] = widgets.Dropdown(options=list(self._problems), value=first,
                                        description="test function", style=_STYLE)
        c["optimizers"] = widgets.SelectMultiple(
            options=names, value=tuple(optimizers), rows=min(len(names), 6),
            description="optimizers", style=_STYLE)
        c["steps"] = widgets.IntSlider(value=steps, min=10, max=1000, step=10,
                                       description="steps", style=_STYLE,
                                       continuous_update=False)  # a full redraw: on release
        (x0, x1), (y0, y1) = self.problem.bounds
        c["x0"] = widgets.FloatSlider(value=start[0], min=x0, max=x1, step=(x1 - x0) / 200,
                                      description="start W₁", style=_STYLE,
                                      continuous_update=continuous_update)
        c["y0"] = widgets.FloatSlider(value=start[1], min=y0, max=y1, step=(y1 - y0) / 200,
                                      description="start W₂", style=_STYLE,
                                      continuous_update=continuous_update)
        for name in names:
            base = self._base(name)
            for hp, spec in base.hparams.items():
                value = hparams.get(name, {}).get(hp)
                if value is None and hp == "lr":
                    value = START_LR.get(first, {}).get(base.name)
                c[f"{name}.{hp}"] = hparam_slider(spec, value,
                                                  continuous_update=continuous_update)
        self._tabs = widgets.Tab()
        self.ax_path, self.ax_loss = self.figure.subplots(1, 2, width_ratios=[1.15, 1.0])
        _fixed_layout(self.figure, left=0.068, right=0.982, bottom=0.111, top=0.941, gap=0.09)
        self._built = None
        self._slots: dict = {}
        c["problem"].observe(self._on_problem, names="value")
        c["optimizers"].observe(self._sync_tabs, names="value")
        self._watch([k for k in c if k != "problem"])
        self._sync_tabs()
        self.update()

    # ---- bookkeeping -----------------------------------------------------------------------
    def _base(self, name):
        return get_optimizer(self._extra[name][0] if name in self._extra else name)

    def _problem(self, name):
        if self._problems.get(name) is None:
            self._problems[name] = get_problem(name)
        return self._problems[name]

    def _hparams(self, name):
        # 12 significant digits: the browser sends back float noise (0.9 -> 0.9000000000000001)
        return {hp: float(f"{self.controls[f'{name}.{hp}'].value:.12g}")
                for hp in self._base(name).hparams}

    @_safe
    def _on_problem(self, change):
        """A new test function: new start-point ranges and starting learning rates."""
        problem = self._problem(change["new"])
        (x0, x1), (y0, y1) = problem.bounds
        with self._holding():
            for key, (lo, hi), v in (("x0", (x0, x1), problem.start[0]),
                                     ("y0", (y0, y1), problem.start[1])):
                s = self.controls[key]
                s.min, s.max = min(lo, s.min), max(hi, s.max)  # widen first, then narrow
                s.value = float(v)
                s.min, s.max, s.step = lo, hi, (hi - lo) / 200
            for name in self.controls["optimizers"].options:
                lr = START_LR.get(problem.name, {}).get(self._base(name).name)
                if lr is not None:
                    self.controls[f"{name}.lr"].value = lr
        self.update()

    @_safe
    def _sync_tabs(self, change=None):
        chosen = list(self.controls["optimizers"].value)
        self._tabs.children = [
            widgets.VBox([self.controls[f"{n}.{hp}"] for hp in self._base(n).hparams
                          if hp not in POINT_UNUSED.get(self._base(n).name, ())])
            for n in chosen]
        self._tabs.titles = tuple(chosen)

    def _controls_box(self):
        c = self.controls
        left = widgets.VBox([c["problem"], c["optimizers"], c["steps"], c["x0"], c["y0"]],
                            layout=widgets.Layout(width="42%"))
        right = widgets.VBox([widgets.HTML("<b>hyperparameters</b>"), self._tabs],
                             layout=widgets.Layout(width="58%"))
        box = widgets.HBox([left, right])
        box.add_class("oc-split")  # the compact layout stacks the two columns
        return box

    # ---- computing -------------------------------------------------------------------------
    def _run(self, name, start, steps):
        hp = self._hparams(name)
        key = (self.problem.name, id(self.problem), name, steps, tuple(start),
               tuple(sorted(hp.items())))
        if key not in self._cache:
            if len(self._cache) > 256:
                self._cache.clear()
            try:
                if name in self._extra:
                    res = self._run_extra(name, start, steps, hp)
                else:
                    res = run_path(self.problem, name, steps=steps, start=start, **hp)
            except Exception as err:  # noqa: BLE001 - shown in the message, per optimizer
                res = err
            self._cache[key] = res
        return self._cache[key]

    def _run_extra(self, name, start, steps, hp):
        """The learner's rule, under the checkers' time limit: a message, never a frozen widget."""
        from . import exercises  # here, not at the top: the checkers are not needed otherwise

        base, fn = self._extra[name]
        limit = exercises._time_limit_value()
        try:
            with exercises._time_limit(limit):
                return run_path(self.problem, base, update=fn, steps=steps, start=start, **hp)
        except exercises._TimedOut as err:
            where = exercises._where(err, fn)
            return TimeoutError(
                f"your update function did not finish {steps} steps within {limit:g} s and "
                f"was stopped{f' at {where}' if where else ''}. Is a loop inside it missing "
                "its step, or does a while condition never become false? (The limit is "
                "course_lib.exercises.TIME_LIMIT.)")

    def _compute(self):
        c = self.controls
        self.problem = self._problem(c["problem"].value)
        chosen = list(c["optimizers"].value)
        steps = int(c["steps"].value)
        start = np.array([c["x0"].value, c["y0"].value], dtype=np.float64)
        build = (self.problem.name, id(self.problem), tuple(chosen), steps)
        if build != self._built:
            self._build(chosen, steps)
            self._built = build
        if not chosen:
            self.results = {}
            self._start.set_data([start[0]], [start[1]])
            return "warning", ["Select at least one optimizer (ctrl- or ⌘-click for several)."]
        self._start.set_data([start[0]], [start[1]])
        self.results, notes, worst = {}, [], "info"
        for name in chosen:
            res = self._run(name, start, steps)
            line, end, loss = self._slots[name]
            if isinstance(res, Exception):
                for artist in (line, end, loss):
                    artist.set_data([], [])
                notes.append(f"{name}: {_readable(res)[len('Could not update: '):]}")
                worst = "error"
                continue
            self.results[name] = res
            path, _ = plots.clip_path(res.path, self.problem.bounds) if res.diverged \
                else (res.path, False)
            line.set_data(path[:, 0], path[:, 1])
            end.set_data(path[-1:, 0], path[-1:, 1])
            end.set_marker("X" if res.diverged else "o")
            # A diverged run ends exactly on the border (clip_path): show its whole X. A run that
            # wandered out of the window without diverging (the saddle) ends off the picture, like
            # its line: no marker drawn outside the axes, or beyond the figure.
            end.set_clip_on(not res.diverged)
            gap = plots.loss_gap(res.losses, self.problem.f_min)
            loss.set_data(np.arange(gap.size), gap)
            if res.diverged:
                notes.append(f"{name}: {res.message}")
                worst = "error" if worst == "error" else "warning"
            else:
                notes.append(f"{name}: loss {res.losses[-1]:.4g} after {res.steps_taken} steps"
                             f"{self._distance(res.path[-1])}")
        return worst, notes

    def _distance(self, w):
        if not self.problem.minima:
            return ""
        d = min(float(np.linalg.norm(w - m)) for m in self.problem.minima)
        return f", {d:.2g} from the nearest minimum"

    def _build(self, chosen, steps):
        """The static parts: contour, empty lines per optimizer, axes limits, legend."""
        ax, axl = self.ax_path, self.ax_loss
        ax.clear()
        axl.clear()
        plots.plot_contour(self.problem, ax=ax, resolution=150)
        names = list(self.controls["optimizers"].options)
        self._slots = {}
        moving = []
        for name in chosen:
            color = plots.COLORS[names.index(name) % len(plots.COLORS)]
            (line,) = ax.plot([], [], "-", color=color, linewidth=1.8, zorder=3)
            (end,) = ax.plot([], [], "o", color=color, markersize=8, markeredgecolor="k",
                             zorder=4, clip_on=False)
            (loss,) = axl.plot([], [], color=color, label=name)
            self._slots[name] = (line, end, loss)
            moving += [line, end, loss]
        (self._start,) = ax.plot([], [], "o", markerfacecolor="white", markeredgecolor="k",
                                 markersize=9, zorder=5)
        self._set_moving(moving + [self._start])
        axl.set_xlim(0, steps)
        axl.set_xlabel("step")
        f_min = self.problem.f_min
        (x0, x1), (y0, y1) = self.problem.bounds
        X, Y = np.meshgrid(np.linspace(x0, x1, 60), np.linspace(y0, y1, 60))
        with np.errstate(all="ignore"):
            Z = self.problem.value_grid(X, Y)
        if f_min is not None:
            plots.log_scale(axl, "y", minor=False)
            axl.set_ylim(1e-10, 10.0 * max(float(np.nanmax(Z)) - f_min, 1.0))
            axl.set_ylabel("f(W) − f*  (log scale)")
        else:
            lo, hi = float(np.nanmin(Z)), float(np.nanmax(Z))
            axl.set_ylim(lo - 0.1 * (hi - lo), hi + 0.1 * (hi - lo))
            axl.set_ylabel("f(W)")
        axl.set_title("loss")
        if chosen:
            axl.legend(loc="upper right", fontsize="small")


def _check_extra(extra):
    if extra is None:
        return {}
    if not isinstance(extra, dict):
        raise TypeError(f"extra must be a dict label -> (library name, update function), "
                        f"got {_show(extra)}")
    out = {}
    for label, value in extra.items():
        if not isinstance(label, str) or not label or "." in label:
            raise ValueError(f"extra labels must be non-empty strings without '.', got {label!r}")
        if label in OPTIMIZERS:
            raise ValueError(f"extra label {label!r} is a library optimizer's name; pick "
                             f"another, e.g. 'my {label}'")
        if not (isinstance(value, tuple) and len(value) == 2 and callable(value[1])):
            raise TypeError(f"extra[{label!r}] must be (library name, update function), e.g. "
                            f"('adam', my_update); got {_show(value)}")
        get_optimizer(value[0])
        out[label] = (value[0], value[1])
    return out


def _check_optimizers(optimizers, names):
    if isinstance(optimizers, str):
        optimizers = [optimizers]
    if not isinstance(optimizers, (list, tuple)):
        raise TypeError(f"optimizers must be a list of names such as ['gd', 'adam'], "
                        f"got {_show(optimizers)}")
    for name in optimizers:
        check_choice("optimizers", name, names)
    return list(dict.fromkeys(optimizers))


def _check_hparam_overrides(hparams, names, base):
    if hparams is None:
        return {}
    if not isinstance(hparams, dict):
        raise TypeError(f"hparams must be a dict name -> {{hparameter: value}}, e.g. "
                        f"{{'adam': {{'lr': 0.05}}}}; got {_show(hparams)}")
    for name, values in hparams.items():
        check_choice("hparams key", name, names)
        if not isinstance(values, dict):
            raise TypeError(f"hparams[{name!r}] must be a dict such as {{'lr': 0.05}}, "
                            f"got {_show(values)}")
        try:
            base(name).check_hparams(**values)
        except (TypeError, ValueError) as err:  # name the argument the value came in
            raise type(err)(f"hparams[{name!r}]: {err}") from None
    return hparams


def _check_start(start, problem):
    start = check_array("start", start, shape=(2,))
    (x0, x1), (y0, y1) = problem.bounds
    if not (x0 <= start[0] <= x1 and y0 <= start[1] <= y1):
        raise ValueError(f"start must lie in the plot window {problem.bounds} of "
                         f"{problem.name}, got {start.tolist()}")
    return start


def playground(problem="rosenbrock", optimizers=("gd", "momentum", "rmsprop", "adam"), *,
               steps=200, start=None, hparams=None, extra=None, continuous_update=True,
               layout="auto"):
    """The optimizer playground: paths and loss curves of several optimizers, live.

    Parameters
    ----------
    problem : str or Problem
        A name in ``course_lib.problems.PROBLEMS`` ("bowl", "rosenbrock", "beale", "saddle",
        "himmelblau") or your own Problem.
    optimizers : sequence of str
        The optimizers shown first (names in ``OPTIMIZERS`` or labels of ``extra``).
    steps : int in [10, 1000]
    start : (W1, W2), optional
        Start point inside the problem's plot window (default: the problem's classic start).
    hparams : dict, optional
        Starting slider values, e.g. ``{"adam": {"lr": 0.05, "beta1": 0.8}}``. Learning rates
        default to :data:`START_LR` for the built-in problems.
    extra : dict label -> (library name, update function), optional
        Your own rule ``update(params, grads, state, **hparams) -> (params, state)``, run on the
        library optimizer's state and hyperparameter sliders: ``{"my adam": ("adam", my_adam)}``.
        Select it next to "adam" to race the two.
    continuous_update : bool
        Recompute while a slider is dragged (True) or only when it is released.
    layout : {"auto", "wide", "compact"}
        How controls and figure are arranged; see :data:`LAYOUTS`. "auto" (the default) is
        "wide" in a notebook and "compact" on a RISE slide.

    Returns
    -------
    Explorer
        ``controls``: "problem", "optimizers", "steps", "x0", "y0" and one slider per
        hyperparameter named "<optimizer>.<hparam>" (e.g. "adam.lr", "my adam.beta1");
        ``results``: the PathResult of each shown optimizer; ``ax_path``, ``ax_loss``.
    """
    layout = _check_layout(layout)
    return _Playground(problem, optimizers, steps, start, hparams, extra,
                       _check_flag("continuous_update", continuous_update), layout)


def _check_flag(name, value):
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {_show(value)}")
    return value


# --------------------------------------------------------------------------------------------
# EWA explorer.
_EWA_MAX_SEED = 10**6
#: The largest seed a seed box takes: JavaScript holds integers exactly up to 2**53 - 1.
_SEED_MAX = 2**53 - 1


class _EWAExplorer(Explorer):
    """See :func:`ewa_explorer`."""

    def __init__(self, n, seed, beta, noise, layout="auto"):
        super().__init__(figsize=(10.0, 3.8), layout=layout)
        self.n = n
        self.t = np.arange(1, n + 1, dtype=np.float64)
        self.signal = 15.0 + 8.0 * np.sin(2.0 * np.pi * self.t / n) + 0.02 * self.t
        c = self.controls
        c["beta"] = widgets.FloatSlider(value=beta, min=0.0, max=0.99, step=0.01,
                                        description="β (beta)", style=_STYLE)
        c["bias_correction"] = widgets.Checkbox(value=True, description="bias correction "
                                                "v_t / (1 − β^t)", style=_STYLE)
        c["noise"] = widgets.FloatSlider(value=noise, min=0.0, max=6.0, step=0.1,
                                         description="noise σ", style=_STYLE)
        c["seed"] = widgets.BoundedIntText(value=seed, min=0, max=_EWA_MAX_SEED,
                                           description="seed", style=_STYLE,
                                           layout=widgets.Layout(width="160px"))
        self.ax, self.ax_w = self.figure.subplots(1, 2, width_ratios=[2.2, 1.0])
        _fixed_layout(self.figure, left=0.052, right=0.982, bottom=0.125, top=0.930, gap=0.063)
        ax, aw = self.ax, self.ax_w
        (self.data_line,) = ax.plot([], [], ".", color="0.55", markersize=4, label="data aₜ")
        (self.raw_line,) = ax.plot([], [], "--", color="#d62728", linewidth=1.3,
                                   label="raw vₜ (starts near 0)")
        (self.ewa_line,) = ax.plot([], [], "-", color="#1f77b4", linewidth=2.2,
                                   label="EWA, bias-corrected v̂ₜ")
        self.window = ax.axvspan(n - 10, n, color="#ff7f0e", alpha=0.25,
                                 label="the last ≈ 1/(1−β) values")
        self.window_text = ax.text(0.99, 0.03, "", transform=ax.transAxes, ha="right",
                                   fontsize="small")
        ax.set_xlim(0, n + 1)
        ax.set_xlabel("t (e.g. day)")
        ax.set_ylabel("value")
        ax.legend(loc="upper left", fontsize="small")
        k = np.arange(0, n)
        (self.weight_line,) = aw.plot(k, np.ones_like(k, dtype=float), drawstyle="steps-mid",
                                      color="#1f77b4")
        self.weight_mark = aw.axvline(10, color="#ff7f0e", linestyle="--")
        self.weight_text = aw.text(0.97, 0.95, "", transform=aw.transAxes, ha="right",
                                   va="top", fontsize="small")
        plots.log_scale(aw, "y", minor=False)
        aw.set_ylim(1e-5, 1.5)
        aw.set_xlim(0, min(n, 120))
        aw.set_xlabel("how far back, k")
        aw.set_title("weight of aₜ₋ₖ in vₜ: (1−β)·βᵏ", fontsize="medium")
        self._set_moving([self.data_line, self.raw_line, self.ewa_line, self.window,
                          self.window_text, self.weight_line, self.weight_mark,
                          self.weight_text])
        self._seed = None
        self._watch()
        self.update()

    def _compute(self):
        c = self.controls
        beta, corrected, sigma = float(c["beta"].value), bool(c["bias_correction"].value), \
            float(c["noise"].value)
        seed = check_number("seed", c["seed"].value, low=0, integer=True)
        if seed != self._seed:
            self._z = np.random.default_rng(seed).standard_normal(self.n)
            self._seed = seed
        a = self.signal + sigma * self._z
        v_raw = ewa_series(a, beta)
        v_hat = ewa_series(a, beta, bias_correction=True)
        self.series = a
        self.data_line.set_data(self.t, a)
        # the raw average (red, dashed) is always drawn: its start-up dip is the bias; the
        # corrected one (blue) only while the correction is on
        self.raw_line.set_data(self.t, v_raw)
        self.ewa_line.set_data(self.t, v_hat)
        self.ewa_line.set_visible(corrected)
        v = v_hat if corrected else v_raw
        window = ewa_window(beta)
        self.window.set_x(self.n + 0.5 - window)
        self.window.set_width(window)
        self.window_text.set_text(f"β = {beta:.2f}: averages ≈ 1/(1−β) = {window:.3g} values")
        k = self.weight_line.get_xdata()
        self.weight_line.set_ydata(np.maximum((1.0 - beta) * beta ** k, 1e-300))
        self.weight_mark.set_xdata([window, window])
        last = math.ceil(window - 1e-9)  # 1/(1 - 0.9) is 10.000000000000002 in floats
        share = 1.0 - beta ** last
        self.weight_text.set_text(f"the last {last} values carry {100 * share:.0f}% of the weight")
        lo, hi = float(min(a.min(), v_raw.min())), float(max(a.max(), v.max()))
        if _fit_limits(self.ax, lo, hi):
            self._need_full = True
        notes = [f"v_t = β·v_(t−1) + (1−β)·a_t with β = {beta:.2f}: roughly the average of the "
                 f"last {window:.3g} values."]
        if beta > 0:
            within = math.ceil(math.log(0.01) / math.log(beta) - 1e-9)  # beta^t < 1 %
            if corrected:
                notes.append(f"Bias correction divides by 1 − β^t: at t = 1 that is "
                             f"{1 - beta:.2f}; after t = {within} it is within 1 % of 1 (the "
                             f"dashed red raw vₜ shows the start-up dip it removes).")
            else:
                notes.append(f"Correction off: only the raw vₜ is drawn (dashed red). It starts "
                             f"at {1 - beta:.2f}·a₁ and is more than 1 % low for t < {within}: "
                             f"the start-up dip.")
        return "info", notes


def ewa_explorer(*, n=200, rng=0, beta=0.9, noise=2.0, layout="auto"):
    r"""Explore the exponentially weighted average :math:`v_t = \beta v_{t-1} + (1-\beta) a_t`.

    Controls: "beta" (0 ... 0.99), "bias_correction" (on / off), "noise" (σ of the data around
    a smooth signal) and "seed". The left panel shows the data, the raw average (dashed red,
    always: its start-up dip is the bias), the bias-corrected one (blue, while the correction is
    on) and the window of the last ≈ 1/(1 − β) values; the right one the weight
    :math:`(1-\beta)\beta^k` each older value gets.

    Parameters
    ----------
    n : int in [20, 2000]
        Length of the series.
    rng : int in [0, 10**6] or numpy.random.Generator
        The noise is ``numpy.random.default_rng(seed).standard_normal(n)``; an int is that seed
        (shown in the "seed" control, which changes it later), a Generator draws the seed.
    beta : float in [0, 0.99]
    noise : float in [0, 6]
    layout : {"auto", "wide", "compact"}
        How controls and figure are arranged (see :data:`LAYOUTS`): "auto" is "wide" in a
        notebook and "compact" on a RISE slide.

    Returns
    -------
    Explorer
        ``series``: the data drawn; ``data_line``; ``raw_line``: the raw average
        :math:`v_t`, always drawn (dashed red: its start-up dip is the bias); ``ewa_line``: the
        bias-corrected :math:`\hat v_t`, drawn while the correction is on.
    """
    n = check_number("n", n, low=20, high=2000, integer=True)
    beta = check_number("beta", beta, low=0.0, high=0.99)
    noise = check_number("noise", noise, low=0.0, high=6.0)
    if isinstance(rng, np.random.Generator):
        seed = int(rng.integers(0, _EWA_MAX_SEED + 1))
    else:
        check_rng("rng", rng)  # the type check and its message
        seed = check_number("rng", rng, low=0, high=_EWA_MAX_SEED, integer=True)
    layout = _check_layout(layout)
    return _EWAExplorer(n, seed, beta, noise, layout)


# --------------------------------------------------------------------------------------------
# Batch-size explorer.
class _BatchExplorer(Explorer):
    """See :func:`batch_size_explorer`."""

    def __init__(self, n, batch_size, lr, epochs, noise, seed, layout="auto"):
        super().__init__(figsize=(11.0, 3.9), layout=layout)
        self.n, self.noise = n, noise
        sizes = sorted({b for b in (2, 5, 10, 20, 50, 100, 200, 500, 1000) if b < n}
                       | {batch_size})
        c = self.controls
        c["batch_size"] = widgets.SelectionSlider(options=sizes, value=batch_size,
                                                  description="mini-batch size",
                                                  continuous_update=False, style=_STYLE)
        c["lr"] = widgets.FloatLogSlider(value=lr, base=10.0, min=-3, max=0, step=0.05,
                                         description="η (lr)", readout_format=".3g",
                                         continuous_update=False, style=_STYLE)
        c["epochs"] = widgets.IntSlider(value=epochs, min=1, max=30, description="epochs",
                                        continuous_update=False, style=_STYLE)
        c["seed"] = widgets.BoundedIntText(value=seed, min=0, max=_SEED_MAX, description="seed",
                                           style=_STYLE, layout=widgets.Layout(width="160px"))
        self.ax_path, self.ax_iter, self.ax_time = self.figure.subplots(1, 3)
        _fixed_layout(self.figure, left=0.062, right=0.980, bottom=0.129, top=0.940, gap=0.065)
        for ax, title, xlabel in ((self.ax_iter, "loss per iteration", "iteration + 1 (log)"),
                                  (self.ax_time, "loss per second (measured)",
                                   "wall-clock time (s)")):
            ax.set_title(title, fontsize="medium")
            ax.set_xlabel(xlabel)
            ax.set_ylabel("full-data loss − best")
            plots.log_scale(ax, "y", minor=False)
        plots.log_scale(self.ax_iter, "x", minor=False)
        self._cache: dict = {}
        self._data_seed = None
        self._drawn = None
        self.runs: dict = {}
        self._watch()
        self.update()

    def _data(self, seed):
        from .data import make_regression

        if seed != self._data_seed:
            self.data = make_regression(n=self.n, d=1, noise=self.noise, rng=seed)
            probe = plots.regression_surface(self.data.X, self.data.y)
            w, b = probe.minima[0]
            self.surface = plots.regression_surface(self.data.X, self.data.y,
                                                    start=(w - 2.5, b + 2.0))
            self._data_seed = seed
            self._cache.clear()
            self._drawn = None
        return self.data

    def _train(self, batch_size, lr, epochs, seed):
        from .models import LinearRegression
        from .training import train

        key = (batch_size, lr, epochs, seed)
        if key not in self._cache:
            w, b = self.surface.start
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # the message says it instead
                self._cache[key] = train(
                    LinearRegression(1), self.data.X, self.data.y, "gd", batch_size=batch_size,
                    epochs=epochs, rng=seed, params={"W": np.array([w]), "b": np.array([b])},
                    record_path=True, progress=False, lr=lr)
        return self._cache[key]

    def _curves(self, res):
        """Path (W, b), full-data loss gap per iterate, and the seconds of each iterate."""
        surface = self.surface
        path = np.column_stack([res.path["W"][:, 0], res.path["b"][:, 0]])
        gap = plots.loss_gap(surface.fn(path[:, 0], path[:, 1]), surface.f_min)
        it = np.arange(gap.size)
        ipe = res.iterations_per_epoch
        ends = np.concatenate([[0.0], np.cumsum(res.epoch_times), [0.0]])
        spans = np.append(res.epoch_times, 0.0)
        # iterate i (after i updates) is reached in epoch (i - 1) // ipe: that epoch's measured
        # seconds are spread evenly over its iterations
        epoch = np.minimum(np.maximum(it - 1, 0) // ipe, max(res.epochs_run - 1, 0))
        secs = ends[epoch] + (it - epoch * ipe) / ipe * spans[epoch]
        return path, gap, secs

    def _compute(self):
        from .data import iterations_per_epoch

        c = self.controls
        seed = check_number("seed", c["seed"].value, low=0, integer=True)
        self._data(seed)
        lr, epochs = float(c["lr"].value), int(c["epochs"].value)
        size = int(c["batch_size"].value)
        sizes = {"GD (full batch)": None, "SGD (batch 1)": 1, f"mini-batch {size}": size}
        self.runs = {label: self._train(b, lr, epochs, seed) for label, b in sizes.items()}
        if self._drawn is None:
            self._first_draw()
        notes, status = [], "info"
        d = self._drawn
        for i, (label, res) in enumerate(self.runs.items()):
            path, gap, secs = self._curves(res)
            d["lines"][i].set_data(path[:, 0], path[:, 1])
            d["lines"][i].set_label(f"{label} ({res.iterations} updates)")
            d["ends"][i].set_data(path[-1:, 0], path[-1:, 1])
            d["iter"][i].set_data(np.arange(1, gap.size + 1), gap)
            d["time"][i].set_data(secs, gap)
            for line in (d["iter"][i], d["time"][i]):
                line.set_label(label)
            per = iterations_per_epoch(self.n, sizes[label])
            if res.diverged:
                status = "warning"
                notes.append(f"{label}: {res.message}")
            else:
                ms = 1e3 * float(np.mean(res.epoch_times))
                notes.append(f"{label}: {per} iteration{'s' if per > 1 else ''} per epoch "
                             f"(ceil({self.n}/{sizes[label] or self.n})), {res.iterations} "
                             f"in all, {ms:.2f} ms per epoch, final loss − best = {gap[-1]:.2g}")
        self.ax_path.legend(fontsize="x-small", framealpha=0.8)
        for ax in (self.ax_iter, self.ax_time):
            ax.relim()
            ax.autoscale_view()
            ax.legend(fontsize="x-small")
        bound = 2.0 / self.surface.lambda_max
        if lr >= bound:
            notes.append(f"Full-batch GD on this data needs η < 2/λ_max = {bound:.3g}; "
                         f"η = {lr:.3g} is above it.")
            status = "warning"
        self._need_full = True
        return status, notes

    def _first_draw(self):
        """The contour and one set of lines per run; later updates only move their data."""
        ax = self.ax_path
        ax.clear()
        plots.plot_contour(self.surface, ax=ax, resolution=120, levels=20)
        drawn = plots.plot_batch_paths(self.surface, self.runs, ax=ax, contour=False)
        ax.set_title("path in (W, b)", fontsize="medium")
        ax.set_xlabel("W")
        ax.set_ylabel("b")
        for ax_ in (self.ax_iter, self.ax_time):
            for line in list(ax_.lines):
                line.remove()
        self._drawn = {
            "lines": drawn["lines"], "ends": drawn["ends"],
            "iter": [self.ax_iter.plot([], [], color=col)[0] for col in plots.COLORS[:3]],
            "time": [self.ax_time.plot([], [], color=col)[0] for col in plots.COLORS[:3]]}


def batch_size_explorer(*, n=200, batch_size=20, lr=0.05, epochs=10, noise=0.5, seed=0,
                        layout="auto"):
    """GD vs SGD vs mini-batch SGD on one linear-regression data set (W and b: a 2-D path).

    Controls: "batch_size" (of the mini-batch run), "lr", "epochs", "seed". Shows the three
    paths on the loss contour, the full-data loss per iteration, and per measured second, and
    says how many iterations one epoch takes for each (``ceil(n / batch size)``).

    Parameters
    ----------
    n : int in [10, 2000]
        Records in the data set.
    batch_size : int in [2, n - 1]
    lr : float in [0.001, 1]
    epochs : int in [1, 30]
    noise : float >= 0
        Noise of the targets.
    seed : int in [0, 2**53 - 1]
        The largest seed the browser's seed box holds exactly is 2**53 - 1.
    layout : {"auto", "wide", "compact"}
        How controls and figure are arranged (see :data:`LAYOUTS`): "auto" is "wide" in a
        notebook and "compact" on a RISE slide.

    Returns
    -------
    Explorer
        ``runs``: the TrainResult of each of the three runs; ``data``; ``surface``.
    """
    n = check_number("n", n, low=10, high=2000, integer=True)
    batch_size = check_number("batch_size", batch_size, low=2, high=n - 1, integer=True)
    lr = check_number("lr", lr, low=1e-3, high=1.0)
    epochs = check_number("epochs", epochs, low=1, high=30, integer=True)
    noise = check_number("noise", noise, low=0.0)
    seed = check_number("seed", seed, low=0, high=_SEED_MAX, integer=True)
    layout = _check_layout(layout)
    return _BatchExplorer(n, batch_size, lr, epochs, noise, seed, layout)


# --------------------------------------------------------------------------------------------
# Learning-rate explorer.
_PRESETS = ("too small", "good", "oscillating", "diverging")


def _lr_presets(lambda_max, lambda_min):
    """The preset learning rates of :func:`lr_explorer` on a bowl with these curvatures.

    "good" is the fastest fixed η in the worst case, 2/(λ_max + λ_min), where the steep and the
    shallow direction shrink by the same factor; "oscillating" lies halfway between it and the
    bound 2/λ_max; "too small" is 0.005 × the bound (0.01/λ_max) and "diverging" 1.05 × the
    bound (2.1/λ_max).

    >>> {k: round(v, 4) for k, v in _lr_presets(10.0, 1.0).items()}
    {'too small': 0.001, 'good': 0.1818, 'oscillating': 0.1909, 'diverging': 0.21}
    """
    best, bound = 2.0 / (lambda_max + lambda_min), 2.0 / lambda_max
    return {"too small": 0.01 / lambda_max, "good": best, "oscillating": (best + bound) / 2,
            "diverging": 2.1 / lambda_max}


def lr_regime(lr, *, lambda_max, lambda_min, steps):
    r"""Name what plain GD does on a quadratic with these curvatures: one of "too small",
    "good", "oscillating", "diverging", with the reason.

    Along an eigen-direction of curvature λ one step multiplies the error by (1 − ηλ). The
    slowest direction sets the speed: the shallow one (factor 1 − ηλ_min) for a small η, the
    steep one (factor |1 − ηλ_max|) for a large η. The two are equal at the fastest fixed rate in
    the worst case (it minimises the slowest factor per step)
    :math:`\eta^* = 2/(\lambda_{max} + \lambda_{min})`, just below the bound 2/λ_max on an
    elongated bowl.

    - ηλ_max > 2: the steep factor is below −1, the steep direction grows: **diverging**;
    - η > η*: the steep direction's zig-zag (negative factor, of size above the shallow
      factor) is what slows the path down: **oscillating** (it still converges when
      ηλ_max < 2);
    - η < η*/2 and :math:`(1 - \eta\lambda_{min})^{steps} > 0.1`: after all the steps more
      than 10 % of the way along the shallow direction is left, and a larger η would get
      there at least twice as fast: **too small**;
    - otherwise **good** (for ηλ_max > 1 the steep direction zig-zags, but it shrinks at least
      as fast as the shallow one).

    >>> lr_regime(0.25, lambda_max=10.0, lambda_min=1.0, steps=30)[0]
    'diverging'
    >>> lr_regime(0.1, lambda_max=10.0, lambda_min=1.0, steps=30)[0]
    'good'
    >>> lr_regime(0.19, lambda_max=10.0, lambda_min=1.0, steps=30)[0]
    'oscillating'
    """
    lr = check_number("lr", lr, low=0.0, low_open=True)
    lambda_max = check_number("lambda_max", lambda_max, low=0.0, low_open=True)
    lambda_min = check_number("lambda_min", lambda_min, low=0.0, low_open=True)
    if lambda_min > lambda_max:
        raise ValueError(f"lambda_min must be <= lambda_max ({lambda_max:g}), "
                         f"got {lambda_min:g}")
    steps = check_number("steps", steps, low=1, high=10**9, integer=True)
    r = lr * lambda_max
    best = 2.0 / (lambda_max + lambda_min)
    bound = f"GD on this bowl needs η < 2/λ_max = {2.0 / lambda_max:.3g}"
    fastest = f"the fastest fixed η in the worst case is 2/(λ_max + λ_min) = {best:.3g}"
    if r > 2.0:
        return "diverging", (f"η·λ_max = {r:.3g} > 2: each step multiplies the error along the "
                             f"steep direction by |1 − η·λ_max| = {abs(1 - r):.3g} > 1, so it "
                             f"grows. {bound}.")
    shallow = 1.0 - lr * lambda_min
    left = shallow ** steps
    if lr > best or r >= 2.0:
        if lambda_min == lambda_max:  # a round bowl: no shallow direction to compare with
            tail = (", and the zig-zag shrinks more slowly than at η = 1/λ" if r < 2
                    else " and never dies out")
            return "oscillating", (f"η·λ = {r:.3g}: each step overshoots the minimum (factor "
                                   f"1 − η·λ = {1 - r:.3g}): the whole bowl zig-zags{tail}. "
                                   f"{bound}; {fastest}.")
        return "oscillating", (f"η·λ_max = {r:.3g}: each step overshoots the valley floor "
                               f"(factor 1 − η·λ_max = {1 - r:.3g}), and this zig-zag shrinks "
                               f"more slowly than the shallow direction (factor {shallow:.3g})"
                               f"{': it limits the speed' if r < 2 else ' and never dies out'}"
                               f". {bound}; {fastest}.")
    if lr < best / 2 and left > 0.1:
        return "too small", (f"η·λ_max = {r:.3g}: after {steps} steps {100 * left:.0f}% of "
                             f"the distance along the shallow direction is left (factor "
                             f"1 − η·λ_min = {shallow:.3g} per step): the path crawls; "
                             f"{fastest}.")
    zig = (f"the steep direction zig-zags (factor {1 - r:.3g}) but shrinks at least as fast "
           f"as the shallow one; " if r > 1 else "")
    return "good", (f"η·λ_max = {r:.3g}: {zig}after {steps} steps {100 * left:.2g}% of the "
                    f"distance along the shallow direction is left ({fastest}).")


class _LRExplorer(Explorer):
    """See :func:`lr_explorer`."""

    def __init__(self, lr, steps, condition, layout="auto"):
        super().__init__(figsize=(10.0, 4.0), layout=layout)
        c = self.controls
        c["preset"] = widgets.ToggleButtons(options=list(_PRESETS), value=None,
                                            description="try", style=_STYLE)
        c["lr"] = widgets.FloatLogSlider(value=lr, base=10.0, min=-4, max=math.log10(3.0),
                                         step=0.02, description="η (lr)", readout_format=".3g",
                                         style=_STYLE, layout=widgets.Layout(width="95%"))
        c["steps"] = widgets.IntSlider(value=steps, min=5, max=200, description="steps",
                                       style=_STYLE, continuous_update=False)
        c["condition"] = widgets.FloatSlider(value=condition, min=1.0, max=50.0, step=0.5,
                                             description="condition κ = λ_max/λ_min",
                                             style=_STYLE, continuous_update=False)
        self.ax_path, self.ax_loss = self.figure.subplots(1, 2, width_ratios=[1.15, 1.0])
        _fixed_layout(self.figure, left=0.055, right=0.982, bottom=0.119, top=0.936, gap=0.079)
        self._built = None
        self.regime = None
        c["preset"].observe(self._on_preset, names="value")
        c["lr"].observe(self._unselect_preset, names="value")
        c["condition"].observe(self._unselect_preset, names="value")
        self._watch(["steps"])
        self.update()

    @_safe
    def _on_preset(self, change):
        if change["new"] is None or self._hold:
            return
        with self._holding():
            lam = float(self.controls["condition"].value)  # lambda_max; lambda_min = 1
            self.controls["lr"].value = _lr_presets(lam, 1.0)[change["new"]]
        self.update()

    @_safe
    def _unselect_preset(self, change):
        """A hand-picked η, or η kept on a bowl of another condition, is no longer a preset."""
        if self._hold:
            return
        with self._holding():
            self.controls["preset"].value = None
        self.update()

    def _build(self, condition, steps):
        from .problems import quadratic_bowl

        self.problem = quadratic_bowl(condition=condition)
        ax, axl = self.ax_path, self.ax_loss
        ax.clear()
        axl.clear()
        plots.plot_contour(self.problem, ax=ax, resolution=120, levels=15)
        (self.line,) = ax.plot([], [], "-o", color="#d62728", markersize=3, linewidth=1.5,
                               zorder=3)
        (self.start,) = ax.plot(*self.problem.start, "o", markerfacecolor="white",
                                markeredgecolor="k", markersize=9, zorder=4)
        self.label = ax.text(0.02, 0.97, "", transform=ax.transAxes, va="top",
                             fontweight="bold", bbox={"facecolor": "white", "alpha": 0.85,
                                                      "linewidth": 0})
        (self.loss_line,) = axl.plot([], [], "-o", color="#d62728", markersize=3)
        plots.log_scale(axl, "y", minor=False)
        axl.set_ylim(1e-12, 1e8)
        axl.set_xlim(0, steps)
        axl.set_xlabel("step")
        axl.set_ylabel("loss f(W) (log scale)")
        axl.set_title("loss")
        self._set_moving([self.line, self.label, self.loss_line])

    def _compute(self):
        c = self.controls
        lr, steps, condition = float(c["lr"].value), int(c["steps"].value), \
            float(c["condition"].value)
        if (condition, steps) != self._built:
            self._build(condition, steps)
            self._built = (condition, steps)
        lam_max, lam_min = self.problem.lambda_max, self.problem.lambda_max / condition
        self.regime, why = lr_regime(lr, lambda_max=lam_max, lambda_min=lam_min, steps=steps)
        self.result = run_path(self.problem, "gd", steps=steps, lr=lr)
        self.line.set_data(self.result.path[:, 0], self.result.path[:, 1])
        self.loss_line.set_data(np.arange(self.result.losses.size),
                                np.maximum(self.result.losses, 1e-300))
        colors = {"too small": "#7a4100", "good": "#137333", "oscillating": "#b06000",
                  "diverging": "#a50e0e"}
        self.label.set_text(f"η = {lr:.3g}: {self.regime}")
        self.label.set_color(colors[self.regime])
        notes = [why]
        if self.result.diverged:
            notes.append(self.result.message)
        return ("warning" if self.regime == "diverging" else "info"), notes


def lr_explorer(*, lr=0.05, steps=30, condition=10.0, layout="auto"):
    """Plain GD on a quadratic bowl: a learning rate too small, good, oscillating or diverging.

    Controls: "lr" (log slider), "steps", "condition" (how elongated the bowl is; λ_max =
    condition, λ_min = 1) and "preset" (buttons that set η for the bowl shown: 0.005 × the
    bound 2/λ_max, the fastest fixed η in the worst case 2/(λ_max + λ_min), halfway between it
    and the bound, and 1.05 × the bound; the slider reaches down to 1e-4, so every preset is
    shown exactly, down to 0.0002 at condition 50). Moving the condition keeps η and unselects
    the preset (on the new bowl that η is no longer the preset's). The label on the plot and the
    message name the regime with its reason (see :func:`lr_regime`) and the bound η < 2/λ_max.

    Parameters
    ----------
    lr : float in [0.0001, 3]
    steps : int in [5, 200]
    condition : float in [1, 50]
    layout : {"auto", "wide", "compact"}
        How controls and figure are arranged (see :data:`LAYOUTS`): "auto" is "wide" in a
        notebook and "compact" on a RISE slide.

    Returns
    -------
    Explorer
        ``regime``, ``result`` (the PathResult drawn), ``line``, ``loss_line``.
    """
    lr = check_number("lr", lr, low=1e-4, high=3.0)
    steps = check_number("steps", steps, low=5, high=200, integer=True)
    condition = check_number("condition", condition, low=1.0, high=50.0)
    layout = _check_layout(layout)
    return _LRExplorer(lr, steps, condition, layout)

