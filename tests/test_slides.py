"""Static slide decks (tools/build_slides.py): one per chapter, and they open without internet.

The decks are built once for the module into a temporary folder from the committed notebooks.
What each deck must hold is read from the notebook itself (its title, its slide cells, its
widget outputs), never from the deck. A headless chromium with the network switched off then
opens a deck and must show its first slide, with reveal.js running and the math typeset.
"""
from __future__ import annotations

import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import build_slides  # noqa: E402

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
CHAPTERS = build_slides.chapter_notebooks()


def _notebook(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _title(nb: dict) -> str:
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            m = re.search(r"^# (.+)$", "".join(cell["source"]), flags=re.M)
            if m:
                return m.group(1).strip()
    raise AssertionError("no '# ' title")


def _slide_headings(nb: dict) -> list[str]:
    """The first heading of every cell that starts a slide (its slideshow metadata)."""
    out = []
    for cell in nb["cells"]:
        if cell["metadata"].get("slideshow", {}).get("slide_type") == "slide":
            m = re.search(r"^#+ (.+)$", "".join(cell["source"]), flags=re.M)
            if m:
                out.append(m.group(1).strip())
    return out


class _Refs(HTMLParser):
    """Every URL the page loads by itself: scripts, style sheets, images, frames, media."""

    LOADS = {("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src"),
             ("source", "src"), ("video", "src"), ("audio", "src"), ("embed", "src")}

    def __init__(self):
        super().__init__()
        self.loads, self.links, self._in_script, self.inline_scripts = [], [], False, []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if (tag, name) in self.LOADS:
                self.loads.append(value)
            elif tag == "a" and name == "href":
                self.links.append(value)
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.inline_scripts.append(data)


def _refs(html: str) -> _Refs:
    parser = _Refs()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    """``{notebook path: deck path}`` for every chapter, built into a fresh folder."""
    assert CHAPTERS, "no chapter notebooks (notebooks/NN_name.ipynb) found"
    out = tmp_path_factory.mktemp("slides")
    built = build_slides.build(CHAPTERS, out)
    assert [d.name for d, _ in built] == [f"{p.stem}.slides.html" for p in CHAPTERS]
    return {nb: deck for nb, (deck, _) in zip(CHAPTERS, built, strict=True)}


# --------------------------------------------------------------------------------------------
# The decks as files
@pytest.mark.parametrize("nb", CHAPTERS, ids=lambda p: p.stem)
def test_deck_loads_nothing_from_the_network(decks, nb):
    html = decks[nb].read_text(encoding="utf-8")
    refs = _refs(html)
    remote = [u for u in refs.loads if urlsplit(u).scheme not in ("", "data", "file")]
    assert not remote, f"{decks[nb].name} loads from the network: {remote}"
    # ES-module imports and AMD paths inside inline scripts count too (nbconvert's mermaid
    # import, the widget manager, reveal.js through require.js)
    inline = [m.group(0) for s in refs.inline_scripts
              for m in re.finditer(r"""["'](?:https?:)?//[^"']+["']""", s)]
    assert not inline, f"{decks[nb].name}: inline scripts fetch {inline}"


@pytest.mark.parametrize("nb", CHAPTERS, ids=lambda p: p.stem)
def test_every_local_file_a_deck_loads_exists(decks, nb):
    deck = decks[nb]
    refs = _refs(deck.read_text(encoding="utf-8"))
    local = [u for u in refs.loads if urlsplit(u).scheme == ""]
    assert any("reveal.js" in u for u in local), "the deck does not load reveal.js"
    missing = [u for u in local if not (deck.parent / unquote(urlsplit(u).path)).is_file()]
    assert not missing, f"{deck.name} loads files that are not there: {missing}"
    # what require.js loads by name inside the inline script
    amd = re.findall(r'"([^"]+/(?:dist/reveal|plugin/notes/notes)\.js)"', deck.read_text())
    assert len(amd) == 2, amd
    assert all((deck.parent / p).is_file() for p in amd), amd
    assert (deck.parent / "assets" / "mathjax" / "MathJax.js").is_file()


@pytest.mark.parametrize("nb", CHAPTERS, ids=lambda p: p.stem)
def test_deck_has_the_title_and_a_slide_per_section(decks, nb):
    source = _notebook(nb)
    html = decks[nb].read_text(encoding="utf-8")
    title = _title(source)
    assert f"<title>{title}" in html.replace("&#39;", "'").replace("&amp;", "&"), title
    headings = _slide_headings(source)
    assert len(headings) >= 3, f"{nb.name}: fewer than 3 cells start a slide ({headings})"
    # nbconvert writes one top-level <section> per slide; the title slide may be unmarked
    top_sections = len(re.findall(r"<section>\s*<section", html))
    assert top_sections in (len(headings), len(headings) + 1), (top_sections, len(headings))
    text = re.sub(r"<[^>]+>", "", html)
    for heading in headings:
        words = re.sub(r"[`*_$\\]", "", heading)
        assert words.split()[0] in text, f"slide heading {heading!r} missing from the deck"


@pytest.mark.parametrize("nb", CHAPTERS, ids=lambda p: p.stem)
def test_widgets_become_a_note_and_chapter_links_point_to_decks(decks, nb):
    source = _notebook(nb)
    html = decks[nb].read_text(encoding="utf-8")
    widgets = sum(WIDGET_VIEW in out.get("data", {}) for cell in source["cells"]
                  for out in cell.get("outputs", []))
    assert html.count('class="course-widget-note"') == widgets
    assert WIDGET_VIEW not in html
    links = _refs(html).links
    assert not [u for u in links if u.endswith(".ipynb") or ".ipynb#" in u], links
    chapter_links = [u for u in links if re.match(r"\d\d_\w+\.slides\.html", u)]
    for link in chapter_links:  # every deck a chapter links to is built
        assert (decks[nb].parent / link.split("#")[0]).is_file(), link


def test_index_lists_every_deck(decks):
    index = next(iter(decks.values())).parent / "index.html"
    links = _refs(index.read_text(encoding="utf-8")).links
    assert links == [d.name for d in decks.values()]


# --------------------------------------------------------------------------------------------
# The build script's own messages
def test_missing_notebook_is_named(tmp_path):
    with pytest.raises(build_slides.SlidesError, match=r"notebook not found: .*nope\.ipynb"):
        build_slides.build([tmp_path / "nope.ipynb"], tmp_path / "out")
    assert not (tmp_path / "out").exists(), "nothing is written when an input is wrong"


def test_no_notebooks_is_an_error(tmp_path):
    with pytest.raises(build_slides.SlidesError, match="no chapter notebooks"):
        build_slides.build([], tmp_path)


def test_notebook_without_title_is_refused(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("## only a section")])
    path = tmp_path / "00_untitled.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(build_slides.SlidesError, match="00_untitled.ipynb has no '# ' title"):
        build_slides.build_deck(path, tmp_path)


def test_cli_reports_errors_without_traceback(tmp_path, capsys):
    assert build_slides.main([str(tmp_path / "nope.ipynb"), "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("build_slides: notebook not found") and "Traceback" not in err


def test_chapter_links_are_rewritten_to_decks():
    text = "see [Chapter 6](06_momentum.ipynb) and [its summary](06_momentum.ipynb#summary), " \
           "not [the playground](playground.ipynb) or [a site](https://x.org/07_a.ipynb)"
    out = build_slides.to_decks(text)
    assert "(06_momentum.slides.html)" in out and "(06_momentum.slides.html#summary)" in out
    assert "(playground.ipynb)" in out and "(https://x.org/07_a.ipynb)" in out


# --------------------------------------------------------------------------------------------
# A deck in a browser with the network off
@pytest.mark.browser
def test_deck_opens_offline_in_chromium(decks):
    from test_browser import CHROMIUM_ARGS, _chromium, _sync_playwright

    executable, sync_playwright = _chromium(), _sync_playwright()
    nb = next((p for p in CHAPTERS if "$" in nb_text(p)), CHAPTERS[0])  # a chapter with math
    title = _title(_notebook(nb))
    with sync_playwright() as p:
        chrome = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            context = chrome.new_context(offline=True, viewport={"width": 1280, "height": 800})
            page = context.new_page()
            remote, errors = [], []
            page.on("request", lambda r: remote.append(r.url)
                    if urlsplit(r.url).scheme in ("http", "https", "ws", "wss") else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(decks[nb].as_uri())
            first = page.locator(".reveal .slides > section.present").first
            first.wait_for(timeout=15_000)
            heading = first.locator("h1").first
            heading.wait_for(timeout=15_000)
            assert heading.is_visible()
            assert heading.inner_text().strip().lower() == title.lower()
            # reveal.js is running: it numbers the slides and reacts to the keyboard
            page.locator(".reveal .slide-number").wait_for(timeout=15_000)
            n_slides = page.locator(".reveal .slides > section").count()
            assert page.locator(".reveal .slide-number").inner_text().replace(" ", "") \
                == f"1/{n_slides}"
            page.keyboard.press("ArrowRight")
            page.wait_for_function(
                "document.querySelector('.reveal .slide-number').innerText.startsWith('2')")
            # MathJax, from the deck's own assets, typesets the math
            page.wait_for_function("document.querySelectorAll('.MathJax, .MathJax_SVG').length"
                                   " > 0", timeout=20_000)
            assert not remote, f"the deck tried the network: {remote}"
            assert not errors, f"JavaScript errors: {errors}"
        finally:
            chrome.close()


def nb_text(path: Path) -> str:
    return "".join("".join(c["source"]) for c in _notebook(path)["cells"]
                   if c["cell_type"] == "markdown")
