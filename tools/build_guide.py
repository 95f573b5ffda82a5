"""Write the instructor guide's chapter notes from the notebooks' speaker notes (one source).

Every chapter notebook (``notebooks/NN_name.ipynb``, and the playground) carries one speaker-notes
cell right after its ``#`` title and after each ``##`` heading: a Markdown cell with
``slide_type`` "notes" (reveal.js and RISE show it in the speaker view) and the tags
``speaker-notes`` and ``remove-cell`` (the book leaves it out). Its fixed format::

    **Speaker notes · 6 min**

    - **Point:** the one thing the room must leave with.
    - **Demo:** what to run or show, with the exact widget settings.
    - **Ask the room:** "question?" **Answer:** the answer.
    - **Cut when short:** what to skip (optional).

``docs/instructor_guide.md`` holds, per notebook, a block between ``<!-- notes:begin NAME -->``
and ``<!-- notes:end NAME -->``; this tool rewrites each block from that notebook's notes: its
timing (the sum of the minutes) and the notes section by section. A block whose notebook has no
notes yet is left as written. The ``<!-- timing:begin -->`` block gets the sum of every
``**Timing:**`` line of the guide. Everything outside the blocks is hand-written and kept.

Usage::

    python tools/build_guide.py            # rewrite the blocks
    python tools/build_guide.py --check    # exit 1 when the guide is stale (or notes are missing)
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
GUIDE = ROOT / "docs" / "instructor_guide.md"
NOTES_TAG = "speaker-notes"
BOOK_TAG = "remove-cell"
HEADER = re.compile(r"^\*\*Speaker notes · (\d+) min\*\*$")
HEADER_LIKE = re.compile(r"^\*\*Speaker notes\b")
ITEM = re.compile(r"^- \*\*(Point|Demo|Ask the room|Cut when short):\*\*[ \t]+(\S.*)$")
REQUIRED = ("Point", "Demo", "Ask the room")
ANSWER = "**Answer:**"
HEADING = re.compile(r"^(#{1,2}) (\S.*?)\s*$")
BLOCK = re.compile(r"(<!-- notes:begin (?P<name>[\w-]+) -->\n)(?P<body>.*?)(<!-- notes:end "
                   r"(?P=name) -->)", re.S)
TIMING_BLOCK = re.compile(r"(<!-- timing:begin -->\n)(.*?)(<!-- timing:end -->)", re.S)
TIMING_LINE = re.compile(r"^- \*\*Timing:\*\* (\d+) minutes", re.M)
WIDTH = 100


class NotesError(Exception):
    """A malformed or misplaced notes cell, or a guide without its blocks: one clear line."""


@dataclass(frozen=True)
class Note:
    """The speaker notes of one slide: the title slide (level 1) or a ``##`` section."""

    heading: str
    level: int
    minutes: int
    point: str
    demo: str
    ask: str
    answer: str
    cut: str | None


def notebooks(folder: Path = NOTEBOOKS) -> list[Path]:
    """The chapter notebooks (``NN_name.ipynb``) in course order, then the playground."""
    chapters = sorted(p for p in folder.glob("*.ipynb") if re.match(r"\d\d_", p.name))
    playground = folder / "playground.ipynb"
    return chapters + ([playground] if playground.is_file() else [])


def _text(source) -> str:
    return "".join(source) if isinstance(source, list) else source


def is_notes(cell: dict) -> bool:
    """A speaker-notes cell: slide_type "notes" or the speaker-notes tag."""
    meta = cell.get("metadata", {})
    return (meta.get("slideshow", {}).get("slide_type") == "notes"
            or NOTES_TAG in meta.get("tags", []))


def heading_of(cell: dict) -> tuple[int, str] | None:
    """``(level, text)`` when a Markdown cell opens with a ``#`` or ``##`` heading."""
    if cell.get("cell_type") != "markdown":
        return None
    lines = _text(cell["source"]).lstrip("\n").splitlines()
    m = HEADING.match(lines[0]) if lines else None
    return (len(m.group(1)), m.group(2)) if m else None


def parse_note(text: str, heading: str, level: int, where: str) -> Note:
    """One notes cell's text as a :class:`Note`; :class:`NotesError` names what is wrong.

    >>> n = parse_note('**Speaker notes · 3 min**\\n\\n- **Point:** a.\\n- **Demo:** b\\n  c.\\n'
    ...                '- **Ask the room:** "q?" **Answer:** d.', "## S", 2, "x.ipynb")
    >>> n.minutes, n.demo, n.ask, n.answer, n.cut
    (3, 'b c.', '"q?"', 'd.', None)
    """
    at = f"{where}, notes of {heading!r}"
    lines = text.strip().splitlines()
    first = lines[0].strip() if lines else ""
    m = HEADER.match(first)
    if not m:
        if HEADER_LIKE.match(first):
            raise NotesError(f"{at}: the first line is {first!r}; write the minutes as a whole "
                             "number: '**Speaker notes · 6 min**'")
        raise NotesError(f"{at}: the first line must be '**Speaker notes · N min**', "
                         f"not {first!r}")
    minutes = int(m.group(1))
    if minutes < 1:
        raise NotesError(f"{at}: {minutes} min; a slide takes at least 1 minute")
    items: dict[str, str] = {}
    current = None
    for line in lines[1:]:
        if not line.strip():
            continue
        item = ITEM.match(line)
        if item:
            current = item.group(1)
            if current in items:
                raise NotesError(f"{at}: '**{current}:**' appears twice")
            items[current] = item.group(2).strip()
        elif line.startswith("  ") and current:
            items[current] += " " + line.strip()
        else:
            raise NotesError(f"{at}: unexpected line {line.strip()!r}; every line is one of "
                             "'- **Point:**', '- **Demo:**', '- **Ask the room:**', "
                             "'- **Cut when short:**' or its indented continuation")
    missing = [k for k in REQUIRED if k not in items]
    if missing:
        raise NotesError(f"{at}: missing {', '.join(f'**{k}:**' for k in missing)}")
    ask, sep, answer = items["Ask the room"].partition(ANSWER)
    if not sep or not ask.strip() or not answer.strip():
        raise NotesError(f"{at}: '**Ask the room:**' needs the question, then '{ANSWER}' and "
                         "the answer")
    return Note(heading, level, minutes, items["Point"], items["Demo"], ask.strip(),
                answer.strip(), items.get("Cut when short"))


def read_notes(path: Path) -> tuple[list[Note], list[str]]:
    """The notes of a notebook, in order, and the ``#``/``##`` headings that have none.

    Raises :class:`NotesError` for a notes cell that is malformed, not right after its heading,
    not tagged for the book, or the second one of a section.
    """
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    notes, without, previous = [], [], None
    noted: set[int] = set()
    for index, cell in enumerate(cells):
        found = heading_of(cell)
        if is_notes(cell):
            if previous is None:
                raise NotesError(f"{path.name}: a notes cell (cell {index}) that does not follow "
                                 "a '#' or '##' heading cell: put it right after the heading")
            level, heading, at = previous
            if at != index - 1:
                what = "a second notes cell" if at in noted else "a notes cell"
                raise NotesError(f"{path.name}: {what} for {heading!r} (cell {index}) is not "
                                 f"right after its heading (cell {at}): one notes cell per "
                                 "section, directly under the heading")
            tags = cell.get("metadata", {}).get("tags", [])
            if BOOK_TAG not in tags or NOTES_TAG not in tags:
                raise NotesError(f"{path.name}, notes of {heading!r}: tag the cell "
                                 f"[{BOOK_TAG!r}, {NOTES_TAG!r}] (the book must not show it)")
            if cell.get("metadata", {}).get("slideshow", {}).get("slide_type") != "notes":
                raise NotesError(f"{path.name}, notes of {heading!r}: set slide_type 'notes' "
                                 "(the speaker view shows it)")
            notes.append(parse_note(_text(cell["source"]), heading, level, path.name))
            noted.add(at)
            continue
        if found:
            if previous and previous[2] not in noted:
                without.append(previous[1])
            previous = (*found, index)
    if previous and previous[2] not in noted:
        without.append(previous[1])
    return notes, without


def _wrap(text: str) -> str:
    return "\n".join(textwrap.wrap(text, WIDTH, subsequent_indent="  ", break_on_hyphens=False,
                                   break_long_words=False))


def _wrap_plain(text: str) -> str:
    return "\n".join(textwrap.wrap(text, WIDTH, break_on_hyphens=False, break_long_words=False))


def render(notes: list[Note]) -> str:
    """A guide block: the timing, then every slide's notes."""
    total = sum(n.minutes for n in notes)
    out = [f"- **Timing:** {total} minutes (the sum of the speaker notes below, without the "
           "exercises).", ""]
    for n in notes:
        title = "Title slide" if n.level == 1 else f'"{n.heading}"'
        out.append(f"**{title}** · {n.minutes} min")
        out.append("")
        out.append(_wrap(f"- **Point:** {n.point}"))
        out.append(_wrap(f"- **Demo:** {n.demo}"))
        out.append(_wrap(f"- **Ask the room:** {n.ask} {ANSWER} {n.answer}"))
        if n.cut:
            out.append(_wrap(f"- **Cut when short:** {n.cut}"))
        out.append("")
    return "\n".join(out)


def render_timing(total: int) -> str:
    hours, minutes = divmod(total, 60)
    return _wrap_plain(
        f"The chapters' timings below add up to **{total} minutes** ({hours} h {minutes:02d}) "
        "of live talk, without the exercises. That is more than six sessions of 50 minutes "
        "hold (300): the 50-minute plan at the end of this page cuts sections and sets "
        "them as homework; six sessions of 90 minutes (540) hold nearly all of it.") + "\n"


def build(guide_text: str, folder: Path = NOTEBOOKS) -> tuple[str, list[str]]:
    """The guide with every block rewritten; and the notebooks whose notes are missing."""
    blocks = {m.group("name"): m for m in BLOCK.finditer(guide_text)}
    books = notebooks(folder)
    absent = [p.stem for p in books if p.stem not in blocks]
    if absent:
        raise NotesError(f"{GUIDE.name} has no '<!-- notes:begin NAME -->' block for "
                         f"{', '.join(absent)}")
    unknown = sorted(set(blocks) - {p.stem for p in books})
    if unknown:
        raise NotesError(f"{GUIDE.name} has blocks for notebooks that do not exist: {unknown}")
    rendered, missing = {}, []
    for path in books:
        notes, without = read_notes(path)
        if without:
            missing.append(f"{path.stem}: no speaker notes for {', '.join(map(repr, without))}")
        if notes:
            rendered[path.stem] = render(notes)

    def block(m: re.Match) -> str:
        body = rendered.get(m.group("name"), m.group("body"))
        return m.group(1) + body + m.group(4)

    text = BLOCK.sub(block, guide_text)
    if not TIMING_BLOCK.search(text):
        raise NotesError(f"{GUIDE.name} has no '<!-- timing:begin -->' block")
    total = sum(int(t) for m in BLOCK.finditer(text) if re.match(r"\d\d_", m.group("name"))
                for t in TIMING_LINE.findall(m.group("body")))
    text = TIMING_BLOCK.sub(lambda m: m.group(1) + render_timing(total) + m.group(3), text)
    return text, missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 when the guide is stale or notes are missing")
    args = parser.parse_args(argv)
    try:
        old = GUIDE.read_text(encoding="utf-8")
        new, missing = build(old)
    except NotesError as exc:
        print(f"build_guide: {exc}", file=sys.stderr)
        return 1
    for line in missing:
        print(f"build_guide: {line}", file=sys.stderr)
    if args.check:
        if new != old:
            print(f"build_guide: {GUIDE.relative_to(ROOT)} is stale: run "
                  "python tools/build_guide.py", file=sys.stderr)
            return 1
        return 1 if missing else 0
    if new != old:
        GUIDE.write_text(new, encoding="utf-8")
        print(f"build_guide: wrote {GUIDE.relative_to(ROOT)}")
    else:
        print(f"build_guide: {GUIDE.relative_to(ROOT)} is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
