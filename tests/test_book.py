"""The course as a book: `jupyter-book build -W -n --keep-going` passes with no warning.

The book is built once for the module, from the checkout, into a temporary folder (nothing is
executed: the pages show the notebooks' stored outputs). Then the pages are checked against the
notebooks they come from: every chapter is in the table of contents with its own title, every
stored figure is on the page, the math is there for MathJax (served from the book itself), the
links between chapters resolve, widget outputs become a note, and the jupytext text pairs are
not pages. What a page must show is read from the notebook, not from the page.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

yaml = pytest.importorskip("yaml", reason="PyYAML comes with JupyterLab")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
CHAPTER_LINK = re.compile(r"\]\(((\d\d_[a-z0-9_]+)\.ipynb)(#[^)\s]*)?\)")
PARTS = ("Foundations", "Adaptive methods", "Practice")


def _toc() -> dict:
    return yaml.safe_load((ROOT / "_toc.yml").read_text())


def _toc_files() -> list[str]:
    toc = _toc()
    return [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]


def _toc_notebooks() -> list[Path]:
    return [ROOT / f"{f}.ipynb" for f in _toc_files() if (ROOT / f"{f}.ipynb").exists()]


def _notebook(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _markdown(nb: dict) -> str:
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


def _outputs(nb: dict):
    for cell in nb["cells"]:
        yield from cell.get("outputs", [])


def _page(book: Path, notebook: Path) -> Path:
    return book / notebook.relative_to(ROOT).with_suffix(".html")


def _jupyter_book() -> str:
    exe = Path(sys.executable).with_name("jupyter-book")
    if not exe.exists():
        pytest.skip("jupyter-book is not installed: pip install -e '.[dev]'")
    return str(exe)


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    """``(html folder, build log)`` of a fresh, complete build of the book."""
    out = tmp_path_factory.mktemp("book")
    cmd = [_jupyter_book(), "build", "--all", "-W", "-n", "--keep-going",
           "--path-output", str(out), str(ROOT)]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    log = proc.stdout + proc.stderr
    warnings = [line for line in log.splitlines() if "WARNING" in line or "ERROR" in line]
    assert proc.returncode == 0 and not warnings, (
        f"`jupyter-book build -W -n --keep-going .` failed (exit {proc.returncode}):\n"
        + "\n".join(warnings or log.splitlines()[-30:]))
    return out / "_build" / "html", log


# --------------------------------------------------------------------------------------------
# The table of contents (no build needed)
def test_toc_has_the_three_parts_and_every_file_exists():
    toc = _toc()
    assert toc["format"] == "jb-book"
    captions = [part["caption"] for part in toc["parts"]]
    assert [c.split(":")[0] for c in captions] == list(PARTS), captions
    missing = [f for f in _toc_files()
               if not any((ROOT / f"{f}{ext}").exists() for ext in (".ipynb", ".md"))]
    assert not missing, f"_toc.yml lists files that do not exist: {missing}"


def test_every_notebook_is_in_the_toc_in_course_order():
    listed = [f for f in _toc_files() if f.startswith("notebooks/")]
    on_disk = sorted(f"notebooks/{p.stem}" for p in NOTEBOOKS.glob("*.ipynb"))
    assert sorted(listed) == on_disk, (
        f"not in _toc.yml: {sorted(set(on_disk) - set(listed))}; "
        f"in _toc.yml but not on disk: {sorted(set(listed) - set(on_disk))}")
    chapters = [f for f in listed if re.match(r"notebooks/\d\d_", f)]
    assert chapters == sorted(chapters), "chapters are out of order in _toc.yml"


def test_book_notebooks_are_executed():
    """The book shows stored outputs (execute_notebooks: off): a notebook committed without
    them would be a page of code with no results."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert config["execute"]["execute_notebooks"] == "off"
    for path in _toc_notebooks():
        nb = _notebook(path)
        code = [c for c in nb["cells"] if c["cell_type"] == "code" and c["source"]]
        assert code and all(c.get("execution_count") for c in code), \
            f"{path.name}: run it before committing (some code cells were never executed)"
        assert nb["metadata"].get("language_info", {}).get("name") == "python", \
            f"{path.name}: no language_info (the book cannot highlight the code): execute it"


def test_instructor_guide_covers_every_chapter():
    """One section per chapter with its timing and a block of notes that tools/build_guide.py
    writes from the notebook's speaker notes (tests/test_guide.py checks the block's content)."""
    guide = (ROOT / "docs" / "instructor_guide.md").read_text(encoding="utf-8")
    sections = re.split(r"^## ", guide, flags=re.M)[1:]
    chapters = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    assert chapters
    for notebook in chapters:
        found = [s for s in sections if f"(../notebooks/{notebook.name})" in s]
        assert len(found) == 1, f"the instructor guide needs one section for {notebook.name}"
        block = re.search(rf"<!-- notes:begin {notebook.stem} -->\n(.*?)<!-- notes:end "
                          rf"{notebook.stem} -->", found[0], flags=re.S)
        assert block, f"{notebook.name}: no notes block in its guide section"
        assert re.search(r"^- \*\*Timing:\*\* \d+ minutes", block.group(1), flags=re.M), \
            f"{notebook.name}: **Timing:** missing in the guide"


# --------------------------------------------------------------------------------------------
# The built book
def test_build_is_warning_free(book):
    html, log = book
    assert "build succeeded" in log
    assert (html / "index.html").exists()


def test_pages_are_exactly_the_toc(book):
    html, _ = book
    pages = {str(p.relative_to(html).with_suffix("")) for p in html.rglob("*.html")
             if not p.relative_to(html).parts[0].startswith("_")}
    assert pages - {"index", "genindex", "search"} == set(_toc_files())
    assert not list(html.rglob("*.py.html")) and not (html / "notebooks" / "_build").exists()


@pytest.mark.parametrize("notebook", _toc_notebooks(), ids=lambda p: p.stem)
def test_chapter_page_has_its_title(book, notebook):
    html, _ = book
    page = _page(html, notebook).read_text(encoding="utf-8")
    title = re.search(r"^# (.+)$", _markdown(_notebook(notebook)), flags=re.M)
    assert title, f"{notebook.name} has no '# ' title"
    expected = title.group(1).strip()
    shown = re.search(r"<title>(.*?) &#8212;", page).group(1).replace("&amp;", "&")
    assert shown == expected
    if re.match(r"\d\d_", notebook.name):
        n = int(notebook.name[:2])
        assert expected.startswith(f"Chapter {n} · "), expected


@pytest.mark.parametrize("notebook", _toc_notebooks(), ids=lambda p: p.stem)
def test_every_stored_figure_is_on_the_page(book, notebook):
    html, _ = book
    page_path = _page(html, notebook)
    page = page_path.read_text(encoding="utf-8")
    nb = _notebook(notebook)
    figures = sum("image/png" in out.get("data", {}) for out in _outputs(nb))
    md_images = len(re.findall(r"!\[[^\]]*\]\([^)]+\)", _markdown(nb)))
    srcs = re.findall(r'<img [^>]*src="([^"]+)"', page)
    shown = [s for s in srcs if "_images/" in s]
    assert len(shown) == figures + md_images, (len(shown), figures, md_images)
    broken = [s for s in shown if not (page_path.parent / unquote(s)).resolve().is_file()]
    assert not broken, broken


@pytest.mark.parametrize("notebook", _toc_notebooks(), ids=lambda p: p.stem)
def test_math_is_typeset_from_the_book_itself(book, notebook):
    html, _ = book
    page = _page(html, notebook).read_text(encoding="utf-8")
    md = _markdown(_notebook(notebook))
    displays = len(re.findall(r"^\s*\$\$", md, flags=re.M))
    if not re.search(r"\$[^$\n]+\$", md):
        pytest.skip(f"{notebook.name} has no math")
    assert 'class="math' in page, f"{notebook.name}: the math did not reach the page"
    assert page.count('<div class="math notranslate nohighlight">') >= displays // 2
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', page)
    mathjax = [s for s in scripts if "MathJax.js" in s]
    assert mathjax and all(urlsplit(s).scheme == "" for s in mathjax), mathjax
    assert (html / "_static" / "mathjax" / "MathJax.js").is_file()


@pytest.mark.parametrize("notebook", _toc_notebooks(), ids=lambda p: p.stem)
def test_links_between_chapters_resolve(book, notebook):
    html, _ = book
    page_path = _page(html, notebook)
    page = page_path.read_text(encoding="utf-8")
    targets = {m.group(2) for m in CHAPTER_LINK.finditer(_markdown(_notebook(notebook)))}
    hrefs = set(re.findall(r'<a class="reference internal" href="([^"#]+)', page))
    for target in targets:
        assert f"{target}.html" in hrefs, f"{notebook.name}: the link to {target} is not a link"
        assert (page_path.parent / f"{target}.html").is_file()
    dangling = re.findall(r'href="#?(\d\d_[a-z0-9_]+\.ipynb)', page)
    assert not dangling, f"{notebook.name}: links that did not resolve: {dangling}"


@pytest.mark.parametrize("notebook", _toc_notebooks(), ids=lambda p: p.stem)
def test_widgets_show_a_note(book, notebook):
    html, _ = book
    page = _page(html, notebook).read_text(encoding="utf-8")
    widgets = sum(WIDGET_VIEW in out.get("data", {}) for out in _outputs(_notebook(notebook)))
    assert page.count("widget-placeholder") == widgets
    assert WIDGET_VIEW not in page


@pytest.mark.parametrize("notebook", _toc_notebooks(), ids=lambda p: p.stem)
def test_speaker_notes_are_not_in_the_book(book, notebook):
    """Notes cells (slide_type "notes") are for the slides' speaker view: tagged remove-cell,
    the book leaves them out."""
    html, _ = book
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", _page(html, notebook).read_text(
        encoding="utf-8")))
    notes = [c for c in _notebook(notebook)["cells"]
             if c["metadata"].get("slideshow", {}).get("slide_type") == "notes"]
    for cell in notes:
        assert "remove-cell" in cell["metadata"].get("tags", []), cell["source"][:1]
    assert "Speaker notes ·" not in page
    body = re.sub(r"\s+", " ", re.sub(r"[*`]", "", " ".join(
        "".join(c["source"]) for c in _notebook(notebook)["cells"] if c not in notes)))
    checked = 0
    for cell in notes:  # nor any line of their text (a line the chapter itself says aside)
        for line in "".join(cell["source"]).splitlines()[2:]:
            text = re.sub(r"[*`]", "", line).strip(" -#").strip()
            if len(text) < 40 or text in body:
                continue
            checked += 1
            assert text not in page, text
    assert checked >= len(notes), (notebook.name, checked, "too few note lines to test")


def test_readme_is_the_front_page_with_the_parts(book):
    html, _ = book
    front = (html / "README.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", "", front)
    assert "make lab" in text and "make test" in text
    for part in PARTS:
        assert part in front, f"part {part!r} missing from the navigation"
    index = (html / "index.html").read_text(encoding="utf-8")
    assert "README.html" in index  # index.html forwards to the front page


# --------------------------------------------------------------------------------------------
# In a browser with the network off: MathJax typesets a chapter from the book's own copy
@pytest.mark.browser
def test_math_renders_offline_in_chromium(book):
    from test_browser import CHROMIUM_ARGS, _chromium, _sync_playwright

    executable, sync_playwright = _chromium(), _sync_playwright()
    html, _ = book
    notebook = next(p for p in _toc_notebooks() if "$$" in _markdown(_notebook(p)))
    with sync_playwright() as p:
        chrome = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            page = chrome.new_context(offline=True).new_page()
            errors = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(_page(html, notebook).as_uri())
            page.wait_for_function("document.querySelectorAll('.MathJax').length > 0",
                                   timeout=30_000)
            # every math node Sphinx wrote is typeset: MathJax put its rendering inside it
            page.wait_for_function(
                "[...document.querySelectorAll('.math.notranslate')].every(e => e.querySelector("
                "'.MathJax, .MathJax_Display'))", timeout=30_000)
            raw = page.evaluate("[...document.querySelectorAll('.math.notranslate')].filter("
                                "e => /\\\\[(\\[]/.test(e.innerText)).length")
            assert raw == 0, f"{raw} math nodes still show raw TeX"
            figures = page.locator("img[src*='_images/']")
            if figures.count():
                assert figures.first.evaluate("img => img.complete && img.naturalWidth > 0")
            assert not errors, errors
        finally:
            chrome.close()
