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
  tools/rise_widgets (installed by ``make install``), which the test checks is in place.

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
        present.locator("h1").first.wait_for(state="visible", timeout=RISE_TIMEOUT)
        heading = present.locator("h2").filter(has_text=PLAYGROUND_SLIDE)
        for _ in range(len(_slide_starts(_cells()))):
            if heading.count():
                break
            show.locator(".reveal .controls .navigate-right").click(force=True)
            page.wait_for_timeout(300)
        heading.first.wait_for(state="visible", timeout=UI_TIMEOUT)
        # What the presenter does: run the slide's code cell right there (Ctrl+Enter: run and
        # stay; Shift+Enter would also run it, then move on to the next slide).
        present.locator(".jp-CodeCell .jp-InputArea-editor").first.click()
        page.keyboard.press("Control+Enter")
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
