"""A chapter presented live with RISE (jupyterlab-rise) in JupyterLab, in headless chromium.

JupyterLab starts on a copy of a chapter notebook (as tests/test_browser.py does, with the same
isolated settings and helpers). The test clicks RISE's toolbar button ("Render as Reveal
Slideshow", Alt+R), waits for the slideshow panel and checks, against the notebook itself:

- the first slide shows the chapter's title (its ``# Chapter N · ...`` heading);
- the slideshow has one slide per cell whose ``slideshow`` metadata starts a slide;
- the "next" control moves to the second slide, which shows the first ``##`` section's heading;
- the math of the chapter is typeset inside the slides.

Skips without chromium or Playwright, fails under CI=true (see tests/test_browser.py).
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from test_browser import (
    _chromium,
    _sync_playwright,
    notebook_page,
    running_lab,
)

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = ROOT / "notebooks" / "00_introduction.ipynb"
RISE_TIMEOUT = 90_000  # ms: the slideshow is a second app in an iframe; slow on a busy machine

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
        # RISE's toolbar button (the command RISE:preview, Alt+R)
        page.locator(".jp-NotebookPanel-toolbar [data-command='RISE:preview']").click()
        show = page.frame_locator(f"iframe[src*='/rise/notebooks/{CHAPTER.name}']")
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
