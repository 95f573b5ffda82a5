"""Write one static reveal.js slide deck per chapter, openable from disk with no internet.

Each chapter notebook ``notebooks/NN_name.ipynb`` becomes ``NN_name.slides.html`` in the output
folder (default ``_build/slides/``), built by nbconvert's slides exporter (what
``jupyter nbconvert --to slides`` runs) from the stored outputs, without executing anything.
Slides follow the cells' ``slideshow`` metadata: every ``##`` section starts a slide.

nbconvert's reveal template loads reveal.js, require.js, jQuery and MathJax from CDNs. Here every
one of them comes from ``assets/`` beside the decks instead:

- reveal.js, require.js and jQuery from ``tools/slides/vendor/`` (small, MIT, see its README);
- MathJax 2.7 from the ``jupyter-server-mathjax`` package (a dev dependency);
- the template ``tools/slides/templates/course_reveal`` drops the CDN imports of mermaid and of
  the widget manager;
- a widget output (a view of a live widget: it needs a kernel) becomes a note saying so: present
  those with RISE in JupyterLab;
- images in Markdown cells are embedded in the HTML;
- links to another chapter's notebook (``06_momentum.ipynb``) point to that chapter's deck.

The cells' metadata decides what a slide shows (``prepare``), so the decks show what the book
shows and no answer before its time:

- tags ``remove-cell``, ``hide-cell`` and ``claim``: the cell is left out (the book removes the
  first, collapses the second; a claim cell only checks the prose), except a speaker-notes cell
  (``slide_type`` "notes", tagged ``remove-cell`` so that the book leaves it out): it becomes
  its slide's reveal.js speaker notes (``<aside class="notes">``, the ``S`` speaker view);
- tags ``remove-input`` and ``hide-input``: the output only; ``remove-output`` and
  ``hide-output``: the code only;
- tag ``slides-output-only``: the output only on slides, while the book keeps the code as it is
  (for plotting and long computing code: on a slide the figure or the printed result is the
  point); the book and RISE ignore the tag;
- tag ``slides-compact``: the template sets the cell in smaller type (one long list or table
  that cannot be cut into subslides);
- an exercise shows the task: the code between ``### BEGIN SOLUTION`` and ``### END SOLUTION``
  becomes the stub the learner gets (``tools/make_student.py``), and a cell that calls
  ``check(...)`` keeps its code but not its result (the "PASSED" box);
- in a ``## Interview questions`` section, the text after each question (a paragraph or list
  item that starts with a bold or italic quoted question) is a reveal.js fragment: hidden until
  the presenter presses the right arrow;
- ``# noqa`` comments are dropped from the code.

``index.html`` in the output folder lists the decks, each with a link to its page of the book
(``_build/html``, written by ``make book``).

Usage::

    python tools/build_slides.py                                # every chapter -> _build/slides/
    python tools/build_slides.py notebooks/09_adam.ipynb --out /tmp/slides
"""
from __future__ import annotations

import argparse
import html
import os
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SLIDES = ROOT / "tools" / "slides"
VENDOR = SLIDES / "vendor"
TEMPLATES = SLIDES / "templates"
TEMPLATE = "course_reveal"
DEFAULT_OUT = ROOT / "_build" / "slides"
ASSETS = "assets"
CHAPTER = re.compile(r"^\d\d_[a-z0-9_]+\.ipynb$")
# a Markdown link target to another chapter notebook, e.g. (06_momentum.ipynb#summary)
CHAPTER_LINK = re.compile(r"\]\((\d\d_[a-z0-9_]+)\.ipynb(#[^)\s]*)?\)")
MATHJAX_CONFIG = "TeX-AMS-MML_HTMLorMML-full,Safe"  # the config file jupyter-server-mathjax ships
BOOK = ROOT / "_build" / "html"  # where `make book` writes the book
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# tags that decide what a slide shows of a cell (the book reads the same tags)
DROP_CELL_TAGS = frozenset({"remove-cell", "hide-cell", "claim"})
OUTPUT_ONLY_TAGS = frozenset({"remove-input", "hide-input"})
# the output only on slides, the code still in the book (a plot's code: the figure is the point)
SLIDES_OUTPUT_ONLY = "slides-output-only"
INPUT_ONLY_TAGS = frozenset({"remove-output", "hide-output"})
SOLUTION_BEGIN = "### BEGIN SOLUTION"
CHECK_CALL = re.compile(r"(?<![\w.])check\(")  # check("name", f): the exercise checker
NOQA = re.compile(r"[ \t]*#[ \t]*noqa\b[^\n]*")
INTERVIEW_HEADING = re.compile(r"^##[ \t]+Interview questions\b", re.M | re.I)
SECTION_HEADING = re.compile(r"^##[ \t]", re.M)
LIST_ITEM = re.compile(r"^[ ]{0,3}(?:\d+[.)]|[-*+])[ \t]")
# a paragraph or list item that opens with a quoted question in bold or italics, then its answer
QUESTION = re.compile(
    r"^(?P<lead>[ ]{0,3}(?:(?:\d+[.)]|[-*+])[ \t]+)?)"
    r"(?P<question>\*\*\"(?:(?!\*\*).)+?\*\*|\*\"[^*]+?\*)"
    r"(?P<answer>\s*\S.*?)\s*$", re.S)
# An answer is marked in the Markdown by two private-use characters that the Markdown renderer
# passes through as text; the rendered HTML then gets the fragment's <span> there. (Raw HTML in
# the Markdown does not work: nbconvert re-parses each inline tag alone and closes the span at
# once.) Both marks sit in the same paragraph or list item, so the span nests properly.
ANSWER_START, ANSWER_END = "\ue000", "\ue001"
FRAGMENT_OPEN, FRAGMENT_CLOSE = '<span class="fragment interview-answer">', "</span>"
WIDGET_NOTE = (
    '<div class="course-widget-note" style="border-left: 4px solid #1976d2; '
    'padding: 0.2em 0.8em; background: #f3f7fc;"><p><b>Interactive widget</b>: it needs a '
    "running kernel. In JupyterLab (<code>make lab</code>) run this cell in the notebook, next "
    "to the chapter's live slides (RISE, <code>Alt+R</code>).</p></div>")


class SlidesError(Exception):
    """A problem with an input or the environment: one line, exit code 1, no traceback."""


def chapter_notebooks(folder: Path = ROOT / "notebooks") -> list[Path]:
    """The chapter notebooks (``NN_name.ipynb``) in ``folder``, in course order."""
    return sorted(p for p in folder.glob("*.ipynb") if CHAPTER.match(p.name))


def mathjax_folder() -> Path:
    """MathJax 2.7 as shipped inside the jupyter-server-mathjax package."""
    try:
        import jupyter_server_mathjax
    except ImportError as exc:
        raise SlidesError("jupyter-server-mathjax is missing (offline MathJax for the decks): "
                          "pip install -e '.[dev]'") from exc
    folder = Path(jupyter_server_mathjax.__file__).parent / "static"
    if not (folder / "MathJax.js").is_file():
        raise SlidesError(f"MathJax.js is missing from {folder}: reinstall jupyter-server-mathjax")
    return folder


def copy_assets(out: Path) -> Path:
    """Copy reveal.js, require.js, jQuery and MathJax to ``out/assets``; return that folder."""
    assets = out / ASSETS
    shutil.copytree(VENDOR, assets, dirs_exist_ok=True)
    shutil.copytree(mathjax_folder(), assets / "mathjax", dirs_exist_ok=True)
    return assets


def exporter():
    """nbconvert's SlidesExporter configured for decks that load nothing from the network."""
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    c = Config()
    c.SlidesExporter.extra_template_basedirs = [str(TEMPLATES)]
    c.SlidesExporter.template_name = TEMPLATE
    c.SlidesExporter.reveal_url_prefix = f"{ASSETS}/reveal.js"
    c.SlidesExporter.reveal_theme = "white"
    c.SlidesExporter.reveal_transition = "none"
    c.SlidesExporter.reveal_number = "c/t"
    c.SlidesExporter.require_js_url = f"{ASSETS}/require.js"
    c.SlidesExporter.jquery_url = f"{ASSETS}/jquery.min.js"
    c.SlidesExporter.mathjax_url = f"{ASSETS}/mathjax/MathJax.js?config={MATHJAX_CONFIG}"
    c.SlidesExporter.embed_images = True
    c.SlidesExporter.exclude_input_prompt = True
    c.SlidesExporter.exclude_output_prompt = True
    return SlidesExporter(config=c)


def deck_title(nb) -> str:
    """The notebook's first ``#`` heading (``Chapter N · Title``), else an empty string."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^# (.+)$", cell.source, flags=re.M)
            if m:
                return m.group(1).strip()
    return ""


def to_decks(markdown) -> str:
    """Markdown with every link to a chapter notebook pointed at that chapter's deck."""
    if isinstance(markdown, list):  # nbformat may keep a multi-line string as a list
        markdown = "".join(markdown)
    return CHAPTER_LINK.sub(r"](\1.slides.html\2)", markdown)


def _tags(cell) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def _text(source) -> str:
    return "".join(source) if isinstance(source, list) else source


def is_notes(cell) -> bool:
    """A speaker-notes cell: Markdown with ``slide_type`` "notes" (see tools/build_guide.py)."""
    return (cell.get("cell_type") == "markdown"
            and cell.get("metadata", {}).get("slideshow", {}).get("slide_type") == "notes")


def strip_noqa(code: str) -> str:
    """Code without its ``# noqa`` comments (and the spaces before them).

    >>> strip_noqa("import torch  # noqa: E402\\nx = 1")
    'import torch\\nx = 1'
    """
    return NOQA.sub("", code)


def _blocks(markdown: str) -> list[str]:
    """Paragraphs (split at blank lines), with a list cut into its items."""
    blocks = []
    for para in re.split(r"\n[ \t]*\n", markdown):
        item: list[str] = []
        for line in para.split("\n"):
            if LIST_ITEM.match(line) and item:
                blocks.append("\n".join(item))
                item = []
            item.append(line)
        blocks.append("\n".join(item))
    return blocks


def interview_fragments(markdown: str, start: str = ANSWER_START,
                        end: str = ANSWER_END) -> tuple[str, int]:
    """Every answer after a quoted question put between ``start`` and ``end``; ``(text, count)``.

    A question is a paragraph or list item that opens with a quoted question in bold or italics;
    its answer is the rest of that paragraph or item. Other paragraphs stay as they are.

    >>> text = 'Intro.\\n\\n**"Why?"** Because.\\n\\n1. *"How?"* Like\\n   so.\\n2. *"No"*'
    >>> print(interview_fragments(text, "[", "]")[0])
    Intro.
    <BLANKLINE>
    **"Why?"** [Because.]
    <BLANKLINE>
    1. *"How?"* [Like
       so.]
    2. *"No"*
    """
    count = 0

    def one(block: str) -> str:
        nonlocal count
        m = QUESTION.match(block)
        if not m:
            return block
        count += 1
        return f"{m['lead']}{m['question']} {start}{m['answer'].lstrip()}{end}"

    out, pos = [], 0
    # rebuild the text with the separators it had (blank lines, item starts)
    for block in _blocks(markdown):
        at = markdown.index(block, pos)
        out.append(markdown[pos:at])
        out.append(one(block))
        pos = at + len(block)
    out.append(markdown[pos:])
    return "".join(out), count


def prepare(nb, where: str = "notebook"):
    """Apply the cells' metadata for slides to ``nb`` (in place) and return it.

    See the module docstring: dropped cells, output-only and code-only cells, exercises shown as
    their task, interview answers as fragments, no ``# noqa``.
    """
    if str(ROOT / "tools") not in sys.path:  # make_student sits beside this script
        sys.path.insert(0, str(ROOT / "tools"))
    from make_student import StudentError, strip_solutions

    kept, in_interview = [], False
    for cell in nb.cells:
        tags = _tags(cell)
        if is_notes(cell):  # speaker notes: nbconvert's reveal template makes them an <aside>
            kept.append(cell)
            continue
        if tags & DROP_CELL_TAGS:
            continue
        source = _text(cell.source)
        if cell.cell_type == "markdown":
            heading = SECTION_HEADING.search(source)
            if heading:
                in_interview = bool(INTERVIEW_HEADING.search(source))
            if in_interview:
                source = interview_fragments(source)[0]
        if SOLUTION_BEGIN in source:  # an exercise: the learner's stub, not the solution
            try:
                source = strip_solutions(source, cell_type=cell.cell_type, where=where)[0]
            except StudentError as exc:  # unbalanced markers
                raise SlidesError(str(exc)) from exc
            if cell.cell_type == "code":
                cell.outputs = []
        if cell.cell_type == "code":
            source = strip_noqa(source)
            if CHECK_CALL.search(source):  # the checker's verdict would give the answer away
                cell.outputs = []
            if tags & OUTPUT_ONLY_TAGS or SLIDES_OUTPUT_ONLY in tags:
                cell.metadata.setdefault("transient", {})["remove_source"] = True
            if tags & INPUT_ONLY_TAGS:
                cell.outputs = []
        cell.source = source
        kept.append(cell)
    nb.cells = kept
    return nb


def build_deck(notebook: Path, out: Path, slides_exporter=None) -> tuple[Path, str]:
    """Write ``out/<name>.slides.html`` for one notebook; return its path and title."""
    import nbformat

    if not notebook.is_file():
        raise SlidesError(f"notebook not found: {notebook}")
    nb = nbformat.read(notebook, as_version=4)
    title = deck_title(nb)
    if not title:
        raise SlidesError(f"{notebook.name} has no '# ' title in a markdown cell: a deck needs "
                          "one for its first slide")
    nb.metadata["title"] = title  # the page title of the deck
    nb.metadata.pop("widgets", None)
    prepare(nb, where=notebook.name)
    for cell in nb.cells:
        if cell.cell_type == "markdown":  # a link to a chapter opens that chapter's deck
            cell.source = to_decks(cell.source)
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW in data:
                output["data"] = {"text/html": WIDGET_NOTE}
            elif "text/markdown" in data:  # display(Markdown(...)) links too
                data["text/markdown"] = to_decks(data["text/markdown"])
    slides_exporter = slides_exporter or exporter()
    body, _ = slides_exporter.from_notebook_node(
        nb, resources={"metadata": {"name": notebook.stem, "path": str(notebook.parent)}})
    body = body.replace(ANSWER_START, FRAGMENT_OPEN).replace(ANSWER_END, FRAGMENT_CLOSE)
    deck = out / f"{notebook.stem}.slides.html"
    deck.write_text(body, encoding="utf-8")
    return deck, title


def book_link(out: Path, page: str, book: Path = BOOK) -> str:
    """The link from a page in ``out`` to ``page`` of the book (relative when it can be)."""
    target = book / page
    try:
        return Path(os.path.relpath(target, out)).as_posix()
    except ValueError:  # another drive (Windows): no relative path exists
        return target.resolve().as_uri()


def write_index(out: Path, decks: list[tuple[Path, str]], book: Path = BOOK) -> Path:
    """A plain page linking every deck and, beside it, its chapter in the book."""
    def item(deck: Path, title: str) -> str:
        chapter = book_link(out, f"notebooks/{deck.name.removesuffix('.slides.html')}.html", book)
        return (f'  <li><a href="{html.escape(deck.name)}">{html.escape(title)}</a> · '
                f'<a class="book" href="{html.escape(chapter)}">in the book</a></li>')

    items = "\n".join(item(d, t) for d, t in decks)
    home = html.escape(book_link(out, "index.html", book))
    index = out / "index.html"
    index.write_text(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">"
        "<title>Optimizers course: slides</title></head>\n<body>\n"
        "<h1>Optimizers course: slide decks</h1>\n"
        "<p>Arrow keys move between slides, <kbd>Esc</kbd> shows an overview, <kbd>S</kbd> "
        "opens the speaker view. Widgets are live only in JupyterLab with RISE.</p>\n"
        f'<p>The same chapters as a book, with every cell: <a class="book" href="{home}">'
        "the course book</a> (<code>make book</code> writes it to <code>_build/html</code>)."
        "</p>\n"
        f"<ul>\n{items}\n</ul>\n</body>\n</html>\n", encoding="utf-8")
    return index


def build(notebooks: list[Path], out: Path) -> list[tuple[Path, str]]:
    """Build every deck (checks all inputs first); return ``[(deck path, title), ...]``."""
    if not notebooks:
        raise SlidesError("no chapter notebooks to convert (notebooks/NN_name.ipynb)")
    missing = [str(p) for p in notebooks if not p.is_file()]
    if missing:
        raise SlidesError(f"notebook not found: {', '.join(missing)}")
    mathjax_folder()  # fail before writing anything
    out.mkdir(parents=True, exist_ok=True)
    copy_assets(out)
    slides_exporter = exporter()
    decks = [build_deck(nb, out, slides_exporter) for nb in notebooks]
    write_index(out, decks)
    return decks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to convert (default: every notebooks/NN_name.ipynb)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help=f"output folder (default: {DEFAULT_OUT.relative_to(ROOT)})")
    args = parser.parse_args(argv)
    try:
        decks = build(args.notebooks or chapter_notebooks(), args.out)
    except SlidesError as exc:
        print(f"build_slides: {exc}", file=sys.stderr)
        return 1
    for deck, title in decks:
        print(f"{deck}  ({title})")
    print(f"{len(decks)} decks; open {args.out / 'index.html'} in a browser (works offline)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
