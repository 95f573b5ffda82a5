"""A chapter presented live with RISE (jupyterlab-rise) in JupyterLab, in headless chromium.

JupyterLab starts on a copy of a chapter notebook (as tests/test_browser.py does, with the same
isolated settings and helpers). The test clicks RISE's toolbar button ("Render as Reveal
Slideshow", Alt+R), waits for the slideshow panel and checks, against the notebook itself:

- the first slide shows the chapter's title (its ``# Chapter N · ...`` heading);
- the slideshow has one slide per cell whose ``slideshow`` metadata starts a slide;
- the "next" control moves to the second slide, which shows the first ``##`` section's heading;
- the math of the chapter is typeset inside the slides;
- widgets work during the talk: run in its slide (Ctrl+Enter), the chapter's playground
  appears *inside* the slide as live controls and a drawn figure (not as the text
  ``VBox(...)``), and typing a new learning rate into its slider redraws the figure and
  updates the message to the numbers the library computes for that rate. This needs
  tools/rise_widgets (installed by ``make install``), which the test checks is in place;
- the explorers fit a projector's slide: in a 1280 x 720 window showing the slideshow full size
  (the page RISE's "Open as Reveal Slideshow" opens), the chapter 0 playground and the
  chapter 1 learning-rate explorer, run on their slides, show their figure and every control
  (sliders, dropdown, list, tabs, buttons) and their message inside the window, the figure at
  least half the slide wide; a slider dragged there redraws the figure (the playground's
  message then gives the library's numbers for the new step count).

Skips without chromium or Playwright, fails under CI=true (see tests/test_browser.py).
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from test_browser import (
    UI_TIMEOUT,
    _chromium,
    _message_line,
    _start_lr,
    _sync_playwright,
    _type_into_readout,
    notebook_page,
    running_lab,
)

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = ROOT / "notebooks" / "00_introduction.ipynb"
RISE_TIMEOUT = 90_000  # ms: the slideshow is a second app in an iframe; slow on a busy machine

# The chapter's playground cell: playground("bowl", ["gd"], steps=50); the test moves GD's lr.
PLAYGROUND_SLIDE = "Try it: the playground"
PROBLEM, OPTIMIZER, STEPS, NEW_LR = "bowl", "gd", 50, 0.05

pytestmark = pytest.mark.browser


def _cells() -> list[dict]:
    return json.loads(CHAPTER.read_text(encoding="utf-8"))["cells"]


def _first_heading(cell: dict, level: str) -> str | None:
    m = re.search(rf"^{level} (.+)$", "".join(cell["source"]), flags=re.M)
    return m.group(1).strip() if m else None


def _slide_starts(cells: list[dict]) -> list[int]:
    """Indices of the cells that start a slide: the first cell, and every cell marked "slide"."""
    marked = [i for i, c in enumerate(cells)
              if c["metadata"].get("slideshow", {}).get("slide_type") == "slide"]
    return sorted({0, *marked})


def _clean(text: str) -> str:
    """Rendered heading text without JupyterLab's anchor mark, spaces normalised."""
    return re.sub(r"\s+", " ", text.replace("¶", "")).strip()


def _plain(markdown: str) -> str:
    """A heading as it reads once rendered: no Markdown emphasis or code marks, no TeX."""
    return _clean(re.sub(r"[`*_]", "", re.sub(r"\$[^$]*\$", "", markdown)))


@pytest.fixture
def rise_lab(tmp_path):
    """``(url, token, log)`` of JupyterLab (with jupyterlab-rise) on a copy of the chapter."""
    executable, sync_playwright = _chromium(), _sync_playwright()
    assert CHAPTER.exists(), f"{CHAPTER} is missing"
    pytest.importorskip("jupyterlab_rise", reason="jupyterlab-rise is not installed: "
                        "pip install -e '.[dev]'")
    root = tmp_path / "course"
    (root / "notebooks").mkdir(parents=True)
    shutil.copy(CHAPTER, root / "notebooks" / CHAPTER.name)
    with running_lab(root, tmp_path) as (url, token, log):
        yield executable, sync_playwright, url, token, log


def _go_to_slide(page, show, title: str, slides: int):
    """Press "next" until the present slide's ``##`` heading holds ``title``; that heading."""
    present = show.locator(".reveal .slides > section.present")
    present.locator("h1").first.wait_for(state="visible", timeout=RISE_TIMEOUT)
    heading = present.locator("h2").filter(has_text=title)
    for _ in range(slides):
        if heading.count():
            break
        show.locator(".reveal .controls .navigate-right").click(force=True)
        page.wait_for_timeout(300)
    heading.first.wait_for(state="visible", timeout=UI_TIMEOUT)
    return heading


def _run_cell(page, present, call: str):
    """Run the slide's code cell that holds ``call`` and stay on the slide (Ctrl+Enter)."""
    cell = present.locator(".jp-CodeCell").filter(has_text=call)
    assert cell.count() == 1, f"expected one code cell with {call!r} on the slide"
    cell.locator(".jp-InputArea-editor").click()
    page.keyboard.press("Control+Enter")


def _open_slideshow(page):
    """Click RISE's toolbar button (the command RISE:preview, Alt+R); the slideshow's frame."""
    page.locator(".jp-NotebookPanel-toolbar [data-command='RISE:preview']").click()
    return page.frame_locator(f"iframe[src*='/rise/notebooks/{CHAPTER.name}']")


def test_rise_presents_a_chapter(rise_lab, tmp_path):
    executable, sync_playwright, url, token, log = rise_lab
    cells = _cells()
    title = _first_heading(cells[0], "#")
    assert title and title.startswith("Chapter "), f"{CHAPTER.name}: no chapter title"
    starts = _slide_starts(cells)
    assert len(starts) >= 3, f"{CHAPTER.name}: only {len(starts)} slides (slideshow metadata?)"
    second = _first_heading(cells[starts[1]], "##")
    assert second, f"{CHAPTER.name}: the second slide's cell has no '## ' heading"

    with notebook_page((executable, sync_playwright), (url, token, log), CHAPTER.name,
                       tmp_path) as (page, errors):
        show = _open_slideshow(page)
        present = show.locator(".reveal .slides > section.present")
        heading = present.locator("h1").first
        heading.wait_for(state="visible", timeout=RISE_TIMEOUT)
        assert _clean(heading.inner_text()) == _plain(title)

        slides = show.locator(".reveal .slides > section")
        assert slides.count() == len(starts), (
            f"RISE made {slides.count()} slides; the notebook starts {len(starts)}")

        show.locator(".reveal .controls .navigate-right").click(force=True)
        show.locator(".reveal .slides > section.present h2").first.wait_for(
            state="visible", timeout=RISE_TIMEOUT)
        shown = _clean(show.locator(".reveal .slides > section.present h2").first
                       .inner_text())
        assert shown == _plain(second), (shown, second)

        if any("$" in "".join(c["source"]) for c in cells if c["cell_type"] == "markdown"):
            # MathJax (JupyterLab's, served locally) typesets the slides' math
            show.locator(".reveal mjx-container, .reveal .MathJax").first.wait_for(
                state="attached", timeout=RISE_TIMEOUT)
        assert not errors, f"JavaScript errors: {errors}"
        page.screenshot(path=str(tmp_path / "rise.png"))


def _extension_installed() -> bool:
    """Is tools/rise_widgets installed where this environment's JupyterLab looks?"""
    from jupyter_core.paths import jupyter_path

    package = ROOT / "tools" / "rise_widgets" / "package.json"
    name = json.loads(package.read_text(encoding="utf-8"))["name"]
    return any((Path(d) / "labextensions" / name / "package.json").exists()
               for d in jupyter_path())


def test_rise_widgets_work_in_slides(rise_lab, tmp_path):
    executable, sync_playwright, url, token, log = rise_lab
    assert _extension_installed(), (
        "tools/rise_widgets is not installed, so widgets cannot load inside RISE slides: "
        "`make install`, or `pip install ./tools/rise_widgets`")
    source = "".join("".join(c["source"]) for c in _cells())
    assert f'playground("{PROBLEM}", ["{OPTIMIZER}"], steps={STEPS})' in source, (
        f"{CHAPTER.name}'s playground cell changed: update PROBLEM, OPTIMIZER and STEPS here")
    start = _start_lr(PROBLEM, OPTIMIZER)
    before, after = (_message_line(lr, PROBLEM, OPTIMIZER, STEPS) for lr in (start, NEW_LR))
    assert before != after, "NEW_LR must change the message: pick another"

    with notebook_page((executable, sync_playwright), (url, token, log), CHAPTER.name,
                       tmp_path) as (page, errors):
        show = _open_slideshow(page)
        present = show.locator(".reveal .slides > section.present")
        _go_to_slide(page, show, PLAYGROUND_SLIDE, len(_slide_starts(_cells())))
        # What the presenter does: run the slide's code cell right there (Ctrl+Enter: run and
        # stay; Shift+Enter would also run it, then move on to the next slide).
        _run_cell(page, present, "playground(")
        # The playground inside the slide: controls, message and figure, not "VBox(...)". The
        # chapter draws inline (no `%matplotlib widget`), so the figure is an image widget.
        output = present.locator(".jp-OutputArea-output").filter(
            has=show.locator(".widget-slider"))
        output.first.wait_for(state="visible", timeout=RISE_TIMEOUT)
        assert "VBox(" not in present.inner_text(), "the playground shows as text in the slide"
        message = output.locator(".widget-html-content").filter(has_text=": loss ")
        message.filter(has_text=before).wait_for(timeout=RISE_TIMEOUT)
        image = output.locator(".widget-image").first
        image.wait_for(state="visible", timeout=RISE_TIMEOUT)
        shown = image.evaluate("img => img.complete && img.naturalWidth > 100 && img.src")
        assert shown, "the playground's figure did not load in the slide"

        # Live: a new learning rate goes to the kernel and comes back as a new message and path.
        slider = output.locator(".widget-slider:visible").filter(has_text="(lr)")
        assert slider.count() == 1, f"expected one visible lr slider, found {slider.count()}"
        _type_into_readout(slider, f"{NEW_LR:g}")
        message.filter(has_text=after).wait_for(timeout=RISE_TIMEOUT)
        assert before not in message.inner_text()
        page.wait_for_function(
            "([img, old]) => img.src !== old && img.complete && img.naturalWidth > 100",
            arg=[image.element_handle(), shown], timeout=RISE_TIMEOUT)
        assert not errors, f"JavaScript errors: {errors}"
        page.screenshot(path=str(tmp_path / "rise-widgets.png"))


# --------------------------------------------------------------------------------------------
# The explorers on a projector: 1280 x 720, the slideshow filling the window.
SLIDE_SIZE = {"width": 1280, "height": 720}
# The controls a presenter touches; each must be inside the window.
CONTROLS = (".widget-slider", ".widget-dropdown", ".widget-select-multiple", ".lm-TabBar-tab",
            ".widget-toggle-button", ".widget-checkbox", ".widget-text")
#: (notebook, slide heading, the call in the slide's code cell, controls it must show (selector
#: -> at least how many visible), the slider the test drags)
FITS = {
    "playground": ("00_introduction.ipynb", PLAYGROUND_SLIDE,
                   f'playground("{PROBLEM}", ["{OPTIMIZER}"], steps={STEPS})',
                   {".widget-dropdown": 1, ".widget-select-multiple": 1, ".widget-slider": 4,
                    ".lm-TabBar-tab": 1}, "steps"),
    "lr_explorer": ("01_gradient_descent.ipynb", "Try it: the learning-rate explorer",
                    "lr_explorer(", {".widget-toggle-button": 4, ".widget-slider": 3}, "steps"),
}


def _box_outside(box, width: int, height: int) -> str | None:
    """Why ``box`` (a Playwright bounding box) is not wholly inside the window, or None."""
    if box is None:
        return "not laid out"
    x0, y0, x1, y1 = box["x"], box["y"], box["x"] + box["width"], box["y"] + box["height"]
    if x0 < -0.5 or y0 < -0.5 or x1 > width + 0.5 or y1 > height + 0.5:
        return f"x {x0:.0f}..{x1:.0f}, y {y0:.0f}..{y1:.0f} (the window is {width} x {height})"
    return None


def _outside(output, figure, message) -> list[str]:
    """What of the explorer lies (partly) outside the window: figure, message, every visible
    control; each as ``"<what>: <where>"``."""
    w, h = SLIDE_SIZE["width"], SLIDE_SIZE["height"]
    parts = [("the figure", figure), ("the message", message)]
    for selector in CONTROLS:
        found = output.locator(f"{selector}:visible")
        parts += [(f"{selector} {found.nth(i).inner_text()[:30]!r}", found.nth(i))
                  for i in range(found.count())]
    return [f"{what}: {why}" for what, part in parts
            if (why := _box_outside(part.bounding_box(), w, h))]


def _drag_right(page, slider, pixels: int):
    """Drag the slider's handle ``pixels`` to the right with the mouse, as a presenter does."""
    handle = slider.locator(".noUi-handle")
    box = handle.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + pixels, y, steps=8)
    page.mouse.up()


@pytest.fixture(params=list(FITS))
def fit_case(request, tmp_path):
    """``(name, executable, sync_playwright, url, token, log)``: JupyterLab on a copy of the
    case's chapter."""
    executable, sync_playwright = _chromium(), _sync_playwright()
    pytest.importorskip("jupyterlab_rise", reason="jupyterlab-rise is not installed: "
                        "pip install -e '.[dev]'")
    chapter = ROOT / "notebooks" / FITS[request.param][0]
    assert chapter.exists(), f"{chapter} is missing"
    root = tmp_path / "course"
    (root / "notebooks").mkdir(parents=True)
    shutil.copy(chapter, root / "notebooks" / chapter.name)
    with running_lab(root, tmp_path) as (url, token, log):
        yield request.param, executable, sync_playwright, url, token, log


def test_explorers_fit_a_1280x720_slide(fit_case, tmp_path):
    name, executable, sync_playwright, url, token, log = fit_case
    notebook, title, call, expected, dragged = FITS[name]
    assert _extension_installed(), "tools/rise_widgets is not installed: `make install`"
    cells = json.loads((ROOT / "notebooks" / notebook).read_text(encoding="utf-8"))["cells"]
    assert any(call in "".join(c["source"]) for c in cells if c["cell_type"] == "code"), (
        f"{notebook} no longer calls {call!r}: update FITS")

    with notebook_page((executable, sync_playwright), (url, token, log), notebook,
                       tmp_path) as (page, errors):
        # The slideshow alone in a 1280 x 720 window: what RISE's "Open as Reveal Slideshow"
        # (a new browser tab) or its full-screen button shows on a projector of that size.
        page.set_viewport_size(SLIDE_SIZE)
        page.goto(f"{url}/rise/notebooks/{notebook}?token={token}")
        present = page.locator(".reveal .slides > section.present")
        _go_to_slide(page, page, title, len(_slide_starts(cells)))
        _run_cell(page, present, call)

        output = present.locator(".jp-OutputArea-output").filter(
            has=page.locator(".oc-explorer"))
        output.first.wait_for(state="visible", timeout=RISE_TIMEOUT)
        figure = output.locator(".oc-explorer > .widget-image")
        figure.wait_for(state="visible", timeout=RISE_TIMEOUT)
        src = figure.evaluate("img => img.complete && img.naturalWidth > 100 && img.src")
        assert src, f"{name}: the figure did not load in the slide"
        message = output.locator(".oc-message")
        message.wait_for(state="visible")
        page.wait_for_timeout(500)  # the slide's own layout (reveal.js) after the output grew

        for selector, least in expected.items():
            shown = output.locator(f"{selector}:visible").count()
            assert shown >= least, f"{name}: {shown} visible {selector}, expected >= {least}"
        box = figure.bounding_box()
        assert box["width"] >= SLIDE_SIZE["width"] / 2 and box["height"] >= 250, (
            f"{name}: the figure is shown only {box['width']:.0f} x {box['height']:.0f} px")
        outside = _outside(output, figure, message)
        page.screenshot(path=str(tmp_path / f"rise-{name}.png"))
        assert not outside, f"{name} at 1280 x 720, outside the window:\n" + "\n".join(outside)

        # A slider moved on the slide: a new step count goes to the kernel and comes back as
        # a new figure (and, for the playground, the library's numbers for that many steps).
        slider = output.locator(".widget-slider:visible").filter(
            has=page.locator(".widget-label", has_text=re.compile(f"^{dragged}$")))
        assert slider.count() == 1, f"{name}: expected one visible {dragged!r} slider"
        readout = slider.locator(".widget-readout")
        old_text, old_value = message.inner_text(), int(readout.inner_text())
        _drag_right(page, slider, 60)
        page.wait_for_function("([el, old]) => Number(el.textContent) !== old",
                               arg=[readout.element_handle(), old_value], timeout=UI_TIMEOUT)
        new_value = int(readout.inner_text())
        assert new_value > old_value, (name, old_value, new_value)
        if name == "playground":
            start = _start_lr(PROBLEM, OPTIMIZER)
            assert old_value == STEPS and _message_line(start, PROBLEM, OPTIMIZER, STEPS) in \
                old_text
            message.filter(has_text=_message_line(start, PROBLEM, OPTIMIZER, new_value)) \
                .wait_for(timeout=RISE_TIMEOUT)
        page.wait_for_function(
            "([img, old]) => img.src !== old && img.complete && img.naturalWidth > 100",
            arg=[figure.element_handle(), src], timeout=RISE_TIMEOUT)
        page.wait_for_function("([el, old]) => el.innerText !== old",
                               arg=[message.element_handle(), old_text], timeout=RISE_TIMEOUT)
        outside = _outside(output, figure, message)
        page.screenshot(path=str(tmp_path / f"rise-{name}-moved.png"))
        assert not outside, (f"{name} after the slider moved, outside the window:\n"
                             + "\n".join(outside))
        assert not errors, f"JavaScript errors: {errors}"
