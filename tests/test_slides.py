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
    assert [u for u in links if u.endswith(".slides.html")] == [d.name for d in decks.values()]


def test_index_links_every_deck_to_its_page_of_the_book(decks):
    out = next(iter(decks.values())).parent
    links = _refs((out / "index.html").read_text(encoding="utf-8")).links
    book = [u for u in links if not u.endswith(".slides.html")]
    # `make book` writes notebooks/NN_name.ipynb to _build/html/notebooks/NN_name.html
    expected = [ROOT / "_build" / "html" / "index.html"] + [
        ROOT / "_build" / "html" / "notebooks" / f"{nb.stem}.html" for nb in decks]
    assert [(out / u).resolve() for u in book] == [p.resolve() for p in expected]
    assert not [u for u in book if "://" in u], "links to the book are relative"
    # from the default folder, _build/slides/, the book is ../html/
    assert build_slides.book_link(ROOT / "_build" / "slides", "notebooks/09_adam.html") \
        == "../html/notebooks/09_adam.html"


# --------------------------------------------------------------------------------------------
# What a slide shows of a cell: the cells' metadata, exercises, interview answers
class _Cells(HTMLParser):
    """Text of the deck's code inputs (pygments' ``div.highlight``), of its outputs
    (``div.jp-OutputArea-output``), of its interview-answer fragments, and the page's text."""

    KINDS = {"highlight": "code", "jp-OutputArea-output": "output",
             "interview-answer": "answer"}

    def __init__(self):
        super().__init__()
        self.texts = {"code": [], "output": [], "answer": []}
        self.all: list[str] = []
        self._open: list[tuple[str, str | None]] = []  # (tag, kind of the element it opens)
        self._skip = 0  # inside <script> or <style>

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        if tag in ("br", "img", "meta", "link", "input", "hr"):
            return
        classes = (dict(attrs).get("class") or "").split()
        kind = next((k for c, k in self.KINDS.items() if c in classes), None)
        if kind:
            self.texts[kind].append("")
        self._open.append((tag, kind))

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1
        while self._open:
            if self._open.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self._skip:
            return
        self.all.append(data)
        for kind in {k for _, k in self._open if k}:
            self.texts[kind][-1] += data


def _cells(path: Path) -> _Cells:
    parser = _Cells()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _source(cell: dict) -> str:
    return "".join(cell["source"])


def _tiny_deck(tmp_path: Path, cells: list) -> _Cells:
    nbformat = pytest.importorskip("nbformat")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Tiny deck")] + cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    path = tmp_path / "99_tiny.ipynb"
    nbformat.write(nb, path)
    deck, _ = build_slides.build_deck(path, tmp_path)
    return _cells(deck)


def _code(source: str, tags=(), printed: str | None = None):
    nbformat = pytest.importorskip("nbformat")
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": list(tags)} if tags else {})
    if printed is not None:
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=printed + "\n")]
    return cell


def test_cell_tags_decide_what_a_slide_shows(tmp_path):
    shown = _tiny_deck(tmp_path, [
        _code("keep_source = 1", printed="keep-output"),
        _code("gone_source = 1", ["remove-cell"], printed="gone-output"),
        _code("folded_source = 1", ["hide-cell"], printed="folded-output"),
        _code("claim_source = 1", ["claim", "hide-cell"], printed="claim-output"),
        _code("plot_source = 1", ["hide-input"], printed="plot-output"),
        _code("setup_source = 1", ["remove-input"], printed="setup-output"),
        _code("quiet_source = 1", ["remove-output"], printed="quiet-output"),
        _code("figure_source = 1", ["slides-output-only"], printed="figure-output"),
    ])
    code, output = "\n".join(shown.texts["code"]), "\n".join(shown.texts["output"])
    assert "keep_source" in code and "keep-output" in output  # the parser sees both kinds
    for gone in ("gone", "folded", "claim"):
        assert f"{gone}_source" not in code and f"{gone}-output" not in output, gone
    for output_only in ("plot", "setup", "figure"):
        assert f"{output_only}_source" not in code and f"{output_only}-output" in output
    assert "quiet_source" in code and "quiet-output" not in output


@pytest.mark.parametrize("nb", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_decks_leave_out_claims_and_hidden_input(decks, nb):
    cells = _notebook(nb)["cells"]
    code = "\n".join(_cells(decks[nb]).texts["code"])
    for cell in cells:
        tags = set(cell["metadata"].get("tags", []))
        first = next((ln.strip() for ln in _source(cell).splitlines() if ln.strip()), "")
        if tags & {"claim", "remove-cell", "hide-cell", "hide-input", "remove-input"} and first:
            assert first not in code, f"{nb.name}: {sorted(tags)} cell shown: {first!r}"


def test_exercise_cells_show_the_stub_and_no_verdict(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    solution = _code('def double(x):\n    """Twice x."""\n    ### BEGIN SOLUTION\n'
                     "    return x + x  # the answer\n    ### END SOLUTION\n")
    verdict = nbformat.v4.new_output("display_data", data={
        "text/plain": "\u2714 PASSED: double", "text/html": "<b>&#10004; PASSED: double</b>"})
    check = _code('check("double", double)')
    check.outputs = [verdict]
    shown = _tiny_deck(tmp_path, [solution, check])
    code, text = "\n".join(shown.texts["code"]), "".join(shown.all)
    assert '"""Twice x."""' in code and 'raise NotImplementedError("Your code here")' in code
    assert "x + x" not in text and "BEGIN SOLUTION" not in text
    assert 'check("double", double)' in code  # the learner sees what to run ...
    assert "PASSED" not in text and "\u2714" not in text  # ... but not its result


@pytest.mark.parametrize("nb", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_exercises_show_no_solution_and_no_passed_box(decks, nb):
    cells = _notebook(nb)["cells"]
    shown = _cells(decks[nb])
    solutions = [c for c in cells if "### BEGIN SOLUTION" in _source(c)]
    for cell in solutions:
        source = _source(cell)
        body = re.findall(r"### BEGIN SOLUTION\n(.*?)\n\s*### END SOLUTION", source, flags=re.S)
        assert body, cell
        lines = {ln.strip() for b in body for ln in b.splitlines()} - {""}
        first = source.splitlines()[0].split("  # noqa")[0].strip()  # e.g. "def f(x):"
        shown_as = [t for t in shown.texts["code"] if first in t.splitlines()[0]]
        assert len(shown_as) == 1, f"{nb.name}: the exercise {first!r} is not on a slide"
        shown_lines = {ln.strip() for ln in shown_as[0].splitlines()}
        assert not lines & shown_lines, f"{nb.name}: solution shown: {sorted(lines & shown_lines)}"
        assert 'raise NotImplementedError("Your code here")' in shown_lines
    text = "".join(shown.all)
    assert "PASSED" not in text and "\u2714" not in text and "\u2705" not in text


def _interview_questions(nb: dict) -> list[str]:
    """The questions of a chapter's "## Interview questions" section, read line by line: a
    line that starts (after a list number) with a bold or italic opening quote."""
    questions, inside = [], False
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        for line in _source(cell).splitlines():
            if line.startswith("## "):
                inside = line.startswith("## Interview questions")
            elif inside:
                m = re.match(r'\s*(?:\d+\.\s+)?\*\*?"(.+)', line)
                if m:
                    questions.append(m.group(1).split('"')[0])
    return questions


@pytest.mark.parametrize("nb", CHAPTERS, ids=lambda p: p.stem)
def test_interview_answers_are_fragments(decks, nb):
    questions = _interview_questions(_notebook(nb))
    answers = [" ".join(a.split()) for a in _cells(decks[nb]).texts["answer"]]
    assert len(answers) == len(questions), (questions, answers)
    for answer in answers:
        assert len(answer.split()) >= 1, f"{nb.name}: an empty answer fragment"
        assert not any(q[:30] in answer for q in questions), f"question inside {answer!r}"
    html = decks[nb].read_text(encoding="utf-8")
    assert build_slides.ANSWER_START not in html and build_slides.ANSWER_END not in html
    # a fragment follows its question inside the same paragraph or list item
    for q in questions:
        assert re.search(re.escape(q[:20]) + r'[^<]*"?</(?:strong|em)>\s*<span class="fragment',
                         html), f"{nb.name}: no fragment right after {q!r}"


def test_some_chapters_have_interview_questions():
    """The test above can fail: most chapters have questions to hide."""
    counts = [len(_interview_questions(_notebook(nb))) for nb in CHAPTERS]
    assert sum(c >= 3 for c in counts) >= 8, counts


def test_interview_markdown_wraps_only_the_answer():
    text = ('## Interview questions\n\n**"Why?"** Because\n$x$ grows.\n\n'
            '1. *"How many?"* Three.\n2. *"And then?"* Four.\n\nNow the quiz:')
    out, count = build_slides.interview_fragments(text, "<", ">")
    assert count == 3
    assert out == ('## Interview questions\n\n**"Why?"** <Because\n$x$ grows.>\n\n'
                   '1. *"How many?"* <Three.>\n2. *"And then?"* <Four.>\n\nNow the quiz:')


@pytest.mark.parametrize("nb", CHAPTERS, ids=lambda p: p.stem)
def test_no_noqa_on_slides(decks, nb):
    code = "\n".join(_cells(decks[nb]).texts["code"])
    assert "noqa" not in code


def test_noqa_is_in_the_notebooks_and_stripped():
    """The test above can fail: chapters carry `# noqa` comments."""
    assert any("# noqa" in _source(c) for nb in CHAPTERS for c in _notebook(nb)["cells"]
               if c["cell_type"] == "code")
    assert build_slides.strip_noqa("import torch  # noqa: E402\nx = 1  # keep\n# noqa") \
        == "import torch\nx = 1  # keep\n"


@pytest.mark.parametrize("nb", CHAPTERS[:1], ids=lambda p: p.stem)
def test_template_wraps_code_and_scrolls_every_slide(decks, nb):
    html = decks[nb].read_text(encoding="utf-8")
    styles = " ".join(re.findall(r"<style[^>]*>(.*?)</style>", html, flags=re.S))
    rules = [([x.strip() for x in sel.split(",")], body)
             for sel, body in re.findall(r"([^{}]+)\{([^}]*)\}", styles)]
    wrap = [body for sels, body in rules if ".reveal .highlight pre" in sels]
    assert any("white-space: pre-wrap" in body for body in wrap), wrap
    scroll = [body for sels, body in rules if ".reveal .slides > section > section" in sels]
    assert any("overflow-y: auto" in b and "max-height: 700px" in b for b in scroll), scroll
    # nbconvert's scrolling turned on only at a slide change: it is gone
    assert "setScrollingSlide" not in html
    # a cell tagged slides-compact is set in smaller type on slides
    compact = [body for sels, body in rules if ".reveal .celltag_slides-compact" in sels]
    assert any("--jp-content-font-size1: 16px" in b for b in compact), compact
    tables = [body for sels, body in rules if ".reveal .celltag_slides-compact table" in sels]
    assert any("font-size: 0.8em" in b for b in tables), tables


def test_slide_only_tags_are_in_the_chapters_and_reach_the_deck(decks):
    """Plots and long computing code are output-only on slides through their own tag (the book
    keeps the code: no hide-input), and the long cells marked compact get the template's class."""
    output_only = compact = 0
    for nb in CHAPTERS:
        shown = _cells(decks[nb])
        code = "\n".join(shown.texts["code"])
        html = decks[nb].read_text(encoding="utf-8")
        for cell in _notebook(nb)["cells"]:
            tags = cell["metadata"].get("tags", [])
            if "slides-output-only" in tags:
                output_only += 1
                assert "hide-input" not in tags and "remove-input" not in tags
                first = next(ln.strip() for ln in _source(cell).splitlines() if ln.strip())
                assert first not in code, f"{nb.name}: slides-output-only code shown: {first!r}"
            if "slides-compact" in tags:
                compact += 1
                # nbconvert puts a code cell's tags on its <div>, a Markdown cell's on the
                # <div> of its rendered text
                at = html.index(f'id="cell-id={cell["id"]}"')
                start = html.rindex("<div", 0, at)
                head = html[start:start + 1000]  # the cell's opening <div>s
                assert re.search(r'class="[^"]*\bcelltag_slides-compact\b', head), head
    assert output_only >= 50 and compact >= 1, (output_only, compact)


# --------------------------------------------------------------------------------------------
# Speaker notes: every section's notes cell is its slide's <aside class="notes">
def _notes_cells(nb: dict) -> list[str]:
    return ["".join(c["source"]) for c in nb["cells"]
            if c["metadata"].get("slideshow", {}).get("slide_type") == "notes"]


def _asides(html: str) -> list[tuple[int, str]]:
    """``(index of the top-level slide, text)`` of every speaker-notes aside of a deck."""
    out = []
    for k, slide in enumerate(re.split(r"<section>\s*<section", html)[1:]):
        for aside in re.findall(r'<aside class="notes">(.*?)</aside>', slide, flags=re.S):
            out.append((k, " ".join(re.sub(r"<[^>]+>", " ", aside).split())))
    return out


def test_notes_cells_become_speaker_notes_even_when_the_book_removes_them(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    notes = nbformat.v4.new_markdown_cell(
        "**Speaker notes · 3 min**\n\n- **Point:** say_this_aloud", metadata={
            "slideshow": {"slide_type": "notes"}, "tags": ["remove-cell", "speaker-notes"]})
    gone = nbformat.v4.new_markdown_cell("removed_text", metadata={"tags": ["remove-cell"]})
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Tiny deck"), notes,
                                         gone])
    nb.metadata["language_info"] = {"name": "python"}
    path = tmp_path / "99_tiny.ipynb"
    nbformat.write(nb, path)
    deck, _ = build_slides.build_deck(path, tmp_path)
    html = deck.read_text(encoding="utf-8")
    asides = re.findall(r'<aside class="notes">(.*?)</aside>', html, flags=re.S)
    assert len(asides) == 1 and "say_this_aloud" in asides[0]
    assert "removed_text" not in html


@pytest.mark.parametrize("nb", CHAPTERS, ids=lambda p: p.stem)
def test_every_section_has_speaker_notes_on_its_slide(decks, nb):
    source = _notebook(nb)
    headings = _slide_headings(source)
    asides = _asides(decks[nb].read_text(encoding="utf-8"))
    notes = _notes_cells(source)
    assert notes, f"{nb.name}: no speaker-notes cells"
    assert len(asides) == len(notes), (len(asides), len(notes))
    for (_, shown), text in zip(asides, notes, strict=True):
        minutes = re.match(r"\*\*Speaker notes · (\d+) min\*\*", text)
        assert minutes and f"Speaker notes · {minutes.group(1)} min" in shown
    # one aside on every slide that starts a section (the title slide too)
    slides_with_notes = {k for k, _ in asides}
    first = 0 if len(re.findall(r"<section>\s*<section", decks[nb].read_text())) == len(
        headings) else 1
    assert set(range(first, first + len(headings))) <= slides_with_notes, (
        f"{nb.name}: slides without speaker notes: "
        f"{sorted(set(range(first, first + len(headings))) - slides_with_notes)}")


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
            # every slide is a <section> of <section>s (its subslides); reveal.js counts all
            n_slides = page.locator(".reveal .slides > section > section").count()
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


def _section_headings(nb: dict) -> list[str]:
    """The ``##`` headings that open a section on the slides (Markdown cells shown there)."""
    out = []
    for cell in nb["cells"]:
        tags = set(cell["metadata"].get("tags", []))
        skipped = cell["metadata"].get("slideshow", {}).get("slide_type") in ("skip", "notes")
        if cell["cell_type"] == "markdown" and not tags & build_slides.DROP_CELL_TAGS \
                and not skipped and _source(cell).startswith("## "):
            out.append(_source(cell).splitlines()[0][3:].strip())
    return out


@pytest.mark.browser
def test_decks_fit_the_room_in_chromium(decks):
    """Every deck at 1280x720 (tools/slide_report.py measures each slide and subslide): none
    taller than 1.5 screens, no code cut at the right edge, no solution line, "PASSED" box or
    interview answer visible on arrival, and every ## section opens on a slide with notes."""
    from test_browser import CHROMIUM_ARGS, _chromium, _sync_playwright

    import slide_report

    executable, sync_playwright = _chromium(), _sync_playwright()
    rows, expected_sections = [], {}
    with sync_playwright() as p:
        chrome = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            context = chrome.new_context(offline=True, viewport={
                "width": slide_report.WIDTH, "height": slide_report.HEIGHT})
            page = context.new_page()
            for nb, deck in decks.items():
                rows += slide_report.measure_deck(page, deck, nb)
                expected_sections[deck.name.removesuffix(".slides.html")] = \
                    _section_headings(_notebook(nb))
        finally:
            chrome.close()

    def where(r):
        return f"{r['deck']} slide {r['index']} ({r['heading'][:40]!r})"

    # the measurement sees what it must judge: every deck, its sections, answers to hide
    assert {r["deck"] for r in rows} == set(expected_sections)
    for deck, headings in expected_sections.items():
        found = [r for r in rows if r["deck"] == deck and r["section"]]
        assert len(found) == len(headings), (deck, headings, [r["heading"] for r in found])
    assert sum(r["hidden_answers"] for r in rows) >= 3 * 8, "interview answers not found"
    assert sum(len(slide_report.solution_lines(nb)) > 0 for nb in decks) >= 8

    tall = [f"{where(r)}: {r['screens']:.2f} screens" for r in rows
            if r["screens"] > slide_report.TALL]
    clipped = [f"{where(r)}: {r['clipped']}" for r in rows if r["clipped"] or r["wide"]]
    given_away = [f"{where(r)}: {r['solution'][:2] + r['passed']}" for r in rows
                  if r["solution"] or r["passed"]]
    answers = [f"{where(r)}: {r['answers']}" for r in rows if r["answers"]]
    no_notes = [where(r) for r in rows if r["section"] and not r["notes"]]
    assert not tall, f"{len(tall)} slides taller than {slide_report.TALL} screens: {tall}"
    assert not clipped, f"code cut at the right edge: {clipped}"
    assert not given_away, f"solutions or checker verdicts on slides: {given_away}"
    assert not answers, f"interview answers visible before their fragment: {answers}"
    assert not no_notes, (f"{len(no_notes)} ## sections without speaker notes (a notes cell, "
                          f"slide_type 'notes', after the heading): {no_notes}")


@pytest.mark.browser
def test_a_tall_slide_scrolls_at_once_and_answers_wait_for_the_arrow(tmp_path, decks):
    """A first slide taller than the screen scrolls without a slide change first (the template's
    CSS), and an interview answer appears when the presenter presses the right arrow."""
    from test_browser import CHROMIUM_ARGS, _chromium, _sync_playwright

    nbformat = pytest.importorskip("nbformat")
    long_title = "# A tall first slide\n\n" + "\n\n".join(f"Line {i}." for i in range(60))
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(long_title)])
    nb.metadata["language_info"] = {"name": "python"}
    path = tmp_path / "99_tall.ipynb"
    nbformat.write(nb, path)
    (tall_deck, _), = build_slides.build([path], tmp_path / "out")
    executable, sync_playwright = _chromium(), _sync_playwright()
    by_stem = {nb.stem: deck for nb, deck in decks.items()}
    with sync_playwright() as p:
        chrome = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            context = chrome.new_context(offline=True, viewport={"width": 1280, "height": 720})
            page = context.new_page()
            page.goto(tall_deck.as_uri())
            page.wait_for_function("window.Reveal && Reveal.isReady && Reveal.isReady()",
                                   timeout=15_000)
            first = page.evaluate("""() => {
                const s = Reveal.getCurrentSlide(), r = s.getBoundingClientRect();
                const before = s.scrollTop; s.scrollTop = 200;
                return {tall: s.scrollHeight > s.clientHeight + 10, bottom: r.bottom,
                        moved: s.scrollTop - before};
            }""")
            assert first["tall"], f"the test slide is not taller than the screen: {first}"
            assert first["bottom"] <= 720 + 1, f"the first slide runs off: {first}"
            assert first["moved"] > 0, f"the first slide does not scroll: {first}"
            page.goto(by_stem["03_minibatch_sgd"].as_uri())
            page.wait_for_function("window.Reveal && Reveal.isReady && Reveal.isReady()",
                                   timeout=15_000)
            state = """() => {
                const spans = [...Reveal.getCurrentSlide().querySelectorAll('.interview-answer')];
                return spans.map((s) => getComputedStyle(s).visibility === 'visible'
                                        && getComputedStyle(s).opacity === '1');
            }"""
            page.evaluate("""() => {
                const slide = [...document.querySelectorAll('.interview-answer')][0]
                    .closest('section');
                Reveal.slide(...Object.values(Reveal.getIndices(slide)));
            }""")
            assert page.evaluate(state) == [False, False, False]
            page.keyboard.press("ArrowRight")
            page.wait_for_timeout(300)  # the fragment's fade
            assert page.evaluate(state) == [True, False, False]
        finally:
            chrome.close()
