"""The widgets' fast drawing: the hand-written PNG holds exactly the canvas pixels, and the
fixed layout (no constrained layout) keeps every label inside the figure and apart."""
import io
import os
import zlib

os.environ.setdefault("MPLBACKEND", "Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from course_lib import widgets as W  # noqa: E402

EXPLORERS = {
    "playground": lambda: W.playground("rosenbrock"),
    "playground bowl": lambda: W.playground("bowl", ["gd", "adam", "adadelta"]),
    "lr_explorer": lambda: W.lr_explorer(),
    "batch_size_explorer": lambda: W.batch_size_explorer(),
    "ewa_explorer": lambda: W.ewa_explorer(),
}


@pytest.fixture(scope="module")
def made():
    return {name: make() for name, make in EXPLORERS.items()}


def decode(png):
    with Image.open(io.BytesIO(png)) as im:
        im.load()
        return im.mode, np.asarray(im)


@pytest.mark.parametrize("name", list(EXPLORERS))
def test_png_holds_exactly_the_canvas_pixels(made, name):
    e = made[name]
    png = e.widget.children[-1].value
    mode, pixels = decode(png)
    canvas = np.asarray(e.figure.canvas.buffer_rgba())
    assert mode == "RGBA" and pixels.shape == canvas.shape
    np.testing.assert_array_equal(pixels, canvas)


def test_png_structure_by_hand():
    """A 2 x 1 figure-sized fake canvas: signature, IHDR fields, one unfiltered row, CRCs."""
    class Canvas:
        def buffer_rgba(self):
            return memoryview(np.array([[[255, 0, 0, 255], [0, 0, 255, 128]]], np.uint8))

    png = W._png(Canvas())
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks = 8, []
    while pos < len(png):
        n = int.from_bytes(png[pos:pos + 4], "big")
        kind, data = png[pos + 4:pos + 8], png[pos + 8:pos + 8 + n]
        crc = int.from_bytes(png[pos + 8 + n:pos + 12 + n], "big")
        assert crc == zlib.crc32(kind + data)
        chunks.append((kind, data))
        pos += 12 + n
    assert [k for k, _ in chunks] == [b"IHDR", b"IDAT", b"IEND"]
    # width 2, height 1, bit depth 8, colour type 6 (RGBA), compression/filter/interlace 0
    assert chunks[0][1] == bytes([0, 0, 0, 2, 0, 0, 0, 1, 8, 6, 0, 0, 0])
    assert zlib.decompress(chunks[1][1]) == bytes([0, 255, 0, 0, 255, 0, 0, 255, 128])
    mode, pixels = decode(png)
    assert pixels.tolist() == [[[255, 0, 0, 255], [0, 0, 255, 128]]]


def test_a_slider_move_refreshes_the_png(made):
    pg = made["playground"]
    before = pg.widget.children[-1].value
    pg.controls["adam.lr"].value = 0.037
    after = pg.widget.children[-1].value
    assert after != before
    np.testing.assert_array_equal(decode(after)[1],
                                  np.asarray(pg.figure.canvas.buffer_rgba()))


@pytest.mark.parametrize("name", list(EXPLORERS))
def test_fixed_layout_keeps_labels_inside_the_figure_and_axes_apart(made, name):
    e = made[name]
    fig = e.figure
    assert fig.get_layout_engine() is None  # no constrained layout on the first draw
    renderer = fig.canvas.get_renderer()
    to_fig = fig.transFigure.inverted()
    boxes = []
    for ax in fig.axes:
        # title, axis labels and tick labels (not the data artists: a path may leave the plot)
        parts = [ax.xaxis.get_tightbbox(renderer), ax.yaxis.get_tightbbox(renderer)]
        if ax.get_title():
            parts.append(ax.title.get_window_extent(renderer))
        parts = [bb.transformed(to_fig) for bb in parts if bb is not None]
        for bb in parts:
            assert bb.x0 >= 0 and bb.y0 >= 0 and bb.x1 <= 1 and bb.y1 <= 1, (name, bb)
        boxes.append((min(bb.x0 for bb in parts), max(bb.x1 for bb in parts)))
    for (_, right), (left, _) in zip(boxes[:-1], boxes[1:], strict=True):
        assert right < left  # a panel's labels never run into the next panel's


def test_fixed_layout_matches_the_gap_asked_for():
    from matplotlib.figure import Figure

    fig = Figure(figsize=(10, 4))
    axes = fig.subplots(1, 2, width_ratios=[1.15, 1.0])
    W._fixed_layout(fig, left=0.07, right=0.98, bottom=0.1, top=0.9, gap=0.09)
    a, b = (ax.get_position() for ax in axes)
    assert (a.x0, b.x1, a.y0, a.y1) == pytest.approx((0.07, 0.98, 0.1, 0.9))
    assert b.x0 - a.x1 == pytest.approx(0.09)
    assert (a.x1 - a.x0) / (b.x1 - b.x0) == pytest.approx(1.15)


def test_latency_benchmark_with_the_png_image_smoke():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "widget_latency.py"
    spec = importlib.util.spec_from_file_location("widget_latency_png", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    result = bench.measure(moves=2, warmup=0, image=True)
    timed = {k: v for k, v in result.items() if not k.startswith("_")}
    assert len(timed) == 2 and all(len(v) == 2 and min(v) > 0 for v in timed.values())
    assert result["_redraws"]["blit"] == 4


@pytest.mark.parametrize("name", list(EXPLORERS))
def test_no_explorer_text_needs_mathtext(made, name):
    # mathtext costs 0.2-0.3 s the first time a session draws it (each chapter's widget was the
    # first): titles, labels, legends and log ticks are plain text with Unicode sub/superscripts
    from matplotlib.text import Text

    fig = made[name].figure
    texts = [t.get_text() for t in fig.findobj(Text)]
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            texts += [t.get_text() for t in axis.get_majorticklabels()]
    texts = [t for t in texts if t]
    assert texts and [t for t in texts if "$" in t] == []
    if name.startswith("playground"):
        assert "10⁻¹⁰" in texts  # the loss axis's log ticks, as plain text


def test_ewa_explorer_labels_in_plain_text(made):
    e = made["ewa_explorer"]
    assert e.ax_w.get_title() == "weight of aₜ₋ₖ in vₜ: (1−β)·βᵏ"
    assert e.data_line.get_label() == "data aₜ"
    assert e.ewa_line.get_label() == "EWA, bias-corrected v̂ₜ"
    assert e.raw_line.get_label() == "raw vₜ (starts near 0)"


def test_end_markers_stay_inside_the_figure_on_the_saddle():
    """On the saddle, RMSprop and Adam escape the plot window without diverging: their end
    markers must not be drawn outside the axes (with a fixed layout they would leave the
    figure). A diverged run keeps its X on the border, drawn whole."""
    e = W.playground("saddle", ["gd", "rmsprop", "adam"], steps=200)
    (x0, x1), (y0, y1) = e.problem.bounds
    escaped = [name for name, res in e.results.items() if not res.diverged and not (
        x0 <= res.path[-1, 0] <= x1 and y0 <= res.path[-1, 1] <= y1)]
    assert escaped, "no run leaves the window: pick a case where one does"
    fig = e.figure
    renderer = fig.canvas.get_renderer()
    fig.canvas.draw()
    for name in escaped:
        end = e._slots[name][1]
        assert end.get_clip_on(), name
    ax_box = e.ax_path.get_window_extent(renderer)
    for name, (_line, end, _loss) in e._slots.items():
        if end.get_clip_on():
            continue  # drawn only inside the axes
        x, y = e.ax_path.transData.transform(np.column_stack(end.get_data()))[0]
        assert e.results[name].diverged, name
        assert ax_box.x0 - 1 <= x <= ax_box.x1 + 1 and ax_box.y0 - 1 <= y <= ax_box.y1 + 1, name


def test_hparam_slider_checks_description_and_continuous_update():
    # before: a raw traitlets TraitError (a list as label, "x" as flag), and an array label hit
    # "truth value of an array is ambiguous"
    from course_lib.optimizers import OPTIMIZERS
    from course_lib.widgets import hparam_slider
    spec = OPTIMIZERS["adam"].hparams["lr"]
    with pytest.raises(TypeError, match="description must be a str"):
        hparam_slider(spec, 0.05, description=np.array([1.0, 2.0]))
    with pytest.raises(TypeError, match="description must be a str"):
        hparam_slider(spec, 0.05, description=["η"])
    with pytest.raises(TypeError, match="continuous_update must be True or False, got 'x'"):
        hparam_slider(spec, 0.05, continuous_update="x")
    assert hparam_slider(spec, 0.05, description="rate").description == "rate"


def test_playground_names_hparams_on_an_unknown_hyperparameter():
    from course_lib.widgets import playground
    with pytest.raises(TypeError, match=r"hparams\['adam'\]: adam got an unknown "
                                        r"hyperparameter 'zz'"):
        playground("bowl", ["adam"], hparams={"adam": {"lr": 0.05, "zz": 0.0}})


# --------------------------------------------------------------------------------------------
# The layout argument: "wide" in a notebook, "compact" on a slide, "auto" chosen by the browser.
# (tests/test_browser_rise.py measures the result in RISE at 1280 x 720.)
SMALL = {
    "playground": lambda **kw: W.playground("bowl", ["gd"], steps=20, **kw),
    "lr_explorer": lambda **kw: W.lr_explorer(steps=10, **kw),
    "batch_size_explorer": lambda **kw: W.batch_size_explorer(n=50, epochs=1, **kw),
    "ewa_explorer": lambda **kw: W.ewa_explorer(n=50, **kw),
}
LAYOUTS = ("auto", "wide", "compact")


@pytest.mark.parametrize("layout", [None, *LAYOUTS])
@pytest.mark.parametrize("name", list(SMALL))
def test_the_layout_marks_the_explorer_box(name, layout):
    e = SMALL[name](**({} if layout is None else {"layout": layout}))
    chosen = layout or "auto"  # the default
    try:
        assert e.layout == chosen
        box = e.widget
        classes = set(box._dom_classes)
        assert "oc-explorer" in classes and f"oc-{chosen}" in classes
        assert not classes & {f"oc-{other}" for other in LAYOUTS if other != chosen}
        sheet, controls, message, view = box.children
        assert sheet.layout.display == "none"  # a style sheet: nothing to see
        assert sheet.value.startswith("<style>") and sheet.value.endswith("</style>")
        assert message is e.message and view is e._image  # the figure stays the last child
        for part, name_ in ((controls, "controls"), (message, "message"), (view, "view")):
            assert f"oc-{name_}" in part._dom_classes
    finally:
        e.close()


@pytest.mark.parametrize("name", list(SMALL))
def test_the_layout_is_checked(name):
    with pytest.raises(ValueError, match=r"^layout must be one of 'auto', 'wide', 'compact'; "
                                         r"got 'slide'"):
        SMALL[name](layout="slide")
    with pytest.raises(TypeError, match=r"^layout must be one of .*got None of type NoneType"):
        SMALL[name](layout=None)


def _rules(css):
    """``(selectors, declarations, in a container query)`` of each rule of the style sheet."""
    import re

    out = []
    for query, inner, selectors, body in re.findall(
            r"@container\s*\(([^)]*)\)\s*\{((?:[^{}]*\{[^{}]*\})*)\s*\}|([^{}@]+)\{([^{}]*)\}",
            css):
        found = [(sel, b, query) for sel, b in re.findall(r"([^{}]+)\{([^{}]*)\}", inner)] \
            if query else [(selectors, body, None)]
        for sel, b, q in found:
            decl = dict(tuple(x.strip() for x in d.split(":", 1)) for d in b.split(";")
                        if d.strip())
            out.append(([s.strip() for s in sel.split(",")], decl, q))
    return out


def test_the_compact_rules_hold_everywhere_for_compact_and_on_a_slide_for_auto():
    e = SMALL["playground"]()
    css = e.widget.children[0].value.removeprefix("<style>").removesuffix("</style>")
    e.close()
    rules = _rules(css)
    assert len(rules) >= 6
    compact, auto = ".oc-explorer.oc-compact", ".reveal .oc-explorer.oc-auto"
    by_part = {}
    for selectors, decl, query in rules:
        assert not any("oc-wide" in s for s in selectors)  # "wide" is the notebook's own look
        mine = [s for s in selectors if s.startswith((compact, auto))]
        if not mine:  # the slide that holds an explorer: only inside RISE's .reveal
            assert all(s.startswith(".reveal ") for s in selectors), selectors
            assert decl == {"top": "0 !important"}, decl
            continue
        # each rule for "compact" holds for "auto" exactly when inside a RISE slide
        assert sorted(mine) == sorted(
            [s for s in mine if s.startswith(compact)]
            + [s.replace(compact, auto, 1) for s in mine if s.startswith(compact)]), selectors
        by_part[(mine[0].removeprefix(compact).strip(), query)] = decl
    # side by side: the controls in the first column, figure and message in the second
    assert by_part[("", None)]["display"].startswith("grid")
    assert by_part[("> .oc-controls", None)]["grid-column"] == "1"
    assert by_part[("> .oc-view", None)]["grid-column"] == "2"
    assert by_part[("> .oc-message", None)]["grid-column"] == "2"
    assert "max-height" in by_part[("> .oc-view", None)]  # a figure no taller than the screen
    # a narrow box: every part over the full width, controls, then figure, then message
    narrow = {part: decl for (part, query), decl in by_part.items() if query}
    assert narrow and all(d["grid-column"] == "1 / -1" for d in narrow.values())
    assert [narrow[f"> .oc-{p}"]["order"] for p in ("controls", "view", "message")] == \
        ["0", "1", "2"]
