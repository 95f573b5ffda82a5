"""The instructor guide and the speaker notes say the same thing, from one source.

Every chapter notebook (and the playground) has one speaker-notes cell under its title and under
each ``##`` heading; ``tools/build_guide.py`` writes the guide's chapter blocks from them. Here:
the guide is in sync with the notes (a changed notes cell makes it stale), every section has its
notes, the tool refuses malformed notes with a message that says what to write, and the guide's
session plans fit the clock, read from the guide's own tables and checked against the notes.
"""
from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import build_guide  # noqa: E402

GUIDE = ROOT / "docs" / "instructor_guide.md"
NOTEBOOKS = build_guide.notebooks()
PLANS = {"Six sessions of 50 minutes": (50, 300), "Six sessions of 90 minutes": (90, 540)}
LATER_CHAPTERS = {12}  # planned as homework or an optional session; no notebook needed yet


def _guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _headings(path: Path) -> list[str]:
    """The ``##`` headings of a notebook, read from its Markdown cells (not via the tool)."""
    out = []
    for cell in _cells(path):
        if cell["cell_type"] == "markdown":
            out += re.findall(r"^## (.+?)\s*$", "".join(cell["source"]), flags=re.M)
    return out


def _chapter(n: int) -> Path:
    found = [p for p in NOTEBOOKS if p.name.startswith(f"{n:02d}_")]
    assert len(found) == 1, f"no notebook for chapter {n}"
    return found[0]


# --------------------------------------------------------------------------------------------
# Every section has its notes, and the guide shows them
@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_section_has_one_notes_cell_with_minutes(nb):
    cells = _cells(nb)
    headings = [i for i, c in enumerate(cells) if c["cell_type"] == "markdown"
                and re.match(r"#{1,2} ", "".join(c["source"]))]
    notes = [i for i, c in enumerate(cells)
             if c["metadata"].get("slideshow", {}).get("slide_type") == "notes"]
    assert headings, nb.name
    # exactly one notes cell directly under each '#' / '##' heading, and none elsewhere
    assert notes == [i + 1 for i in headings], (
        f"{nb.name}: {len(headings) - len(set(notes) & {i + 1 for i in headings})} of "
        f"{len(headings)} headings have no notes cell right under them")
    for i in notes:
        text = "".join(cells[i]["source"])
        assert re.match(r"\*\*Speaker notes · [1-9]\d* min\*\*\n", text), text[:60]
        assert {"remove-cell", "speaker-notes"} <= set(cells[i]["metadata"].get("tags", []))
    parsed, without = build_guide.read_notes(nb)  # and the tool reads them all
    assert not without and len(parsed) == len(headings)


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_guide_block_is_generated_from_the_notes(nb):
    blocks = {m.group("name"): m.group("body") for m in build_guide.BLOCK.finditer(_guide())}
    assert nb.stem in blocks, f"the guide has no notes block for {nb.stem}"
    notes, _ = build_guide.read_notes(nb)
    assert notes, f"{nb.stem} has no speaker notes: the guide block is still hand-written"
    assert blocks[nb.stem] == build_guide.render(notes), (
        f"docs/instructor_guide.md is stale for {nb.stem}: run python tools/build_guide.py")
    # the block says what the notes say, and its timing is their sum
    body = blocks[nb.stem]
    total = sum(int(m) for m in re.findall(r"^\*\*.+?\*\* · (\d+) min$", body, flags=re.M))
    assert f"**Timing:** {total} minutes" in body
    for note in notes:
        assert " ".join(note.answer.split()) in " ".join(body.split())


def test_a_changed_notes_cell_makes_the_guide_stale(tmp_path):
    for nb in NOTEBOOKS:
        shutil.copy(nb, tmp_path / nb.name)
    guide = _guide()
    assert build_guide.build(guide, tmp_path)[0] == build_guide.build(guide)[0]
    target = tmp_path / "00_introduction.ipynb"
    nb = json.loads(target.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if c["metadata"].get("slideshow", {}).get("slide_type")
                == "notes" and "W = 2, dW = 4" in "".join(c["source"]))  # "The update rule"
    source = "".join(cell["source"])
    cell["source"] = re.sub(r"· \d+ min", "· 9 min", source, count=1)
    target.write_text(json.dumps(nb), encoding="utf-8")
    rebuilt, _ = build_guide.build(guide, tmp_path)
    assert rebuilt != build_guide.build(guide)[0]
    assert "**Timing:** 42 minutes" in rebuilt  # 40 in the notes, one section 7 -> 9


def test_check_mode_fails_on_a_stale_guide(tmp_path, monkeypatch, capsys):
    stale = tmp_path / "guide.md"
    stale.write_text(_guide().replace("Title slide** · 2 min", "Title slide** · 3 min", 1),
                     encoding="utf-8")
    monkeypatch.setattr(build_guide, "GUIDE", stale)
    monkeypatch.setattr(build_guide, "ROOT", tmp_path)
    assert build_guide.main(["--check"]) == 1
    assert "is stale" in capsys.readouterr().err
    assert "Title slide** · 3 min" in stale.read_text(encoding="utf-8"), "--check wrote"


def test_the_guide_states_the_sum_of_its_timings():
    guide = _guide()
    blocks = [m for m in build_guide.BLOCK.finditer(guide) if re.match(r"\d\d_", m["name"])]
    timings = [int(t) for m in blocks for t in build_guide.TIMING_LINE.findall(m["body"])]
    assert len(timings) == len(blocks) == len([p for p in NOTEBOOKS if p.stem[:2].isdigit()])
    stated = re.search(r"<!-- timing:begin -->\n(.*?)<!-- timing:end -->", guide, re.S).group(1)
    assert f"**{sum(timings)} minutes**" in stated
    # no other course length is claimed anywhere in the guide (the old "ten hours" for 525 min)
    assert not re.search(r"\b(?:about|roughly) \w+ hours\b", guide)


# --------------------------------------------------------------------------------------------
# The tool refuses malformed notes
GOOD = ('**Speaker notes · 3 min**\n\n- **Point:** p.\n- **Demo:** d.\n'
        '- **Ask the room:** "q?" **Answer:** a.\n')


@pytest.mark.parametrize("text, message", [
    (GOOD.replace("3 min", "3.5 min"), r"whole number"),
    (GOOD.replace("3 min", "0 min"), r"at least 1 minute"),
    (GOOD.replace("**Speaker notes · 3 min**", "Notes"), r"first line must be"),
    (GOOD.replace("- **Demo:** d.\n", ""), r"missing \*\*Demo:\*\*"),
    (GOOD.replace(" **Answer:** a.", " a."), r"needs the question, then '\*\*Answer:\*\*'"),
    (GOOD + "- **Slides:** s.\n", r"unexpected line '- \*\*Slides:\*\* s\.'"),
    (GOOD + "- **Point:** again.\n", r"'\*\*Point:\*\*' appears twice"),
], ids=["decimal", "zero", "header", "no-demo", "no-answer", "unknown-item", "twice"])
def test_malformed_notes_are_refused_with_a_clear_message(text, message):
    assert build_guide.parse_note(GOOD, "## S", 2, "x.ipynb").minutes == 3
    with pytest.raises(build_guide.NotesError, match=r"x\.ipynb, notes of '## S': .*" + message):
        build_guide.parse_note(text, "## S", 2, "x.ipynb")


def _notebook(tmp_path: Path, cells: list[dict]) -> Path:
    path = tmp_path / "99_tiny.ipynb"
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4,
                                "nbformat_minor": 5}), encoding="utf-8")
    return path


def _md(text: str, notes: bool = False, tags=("remove-cell", "speaker-notes")) -> dict:
    meta = {"slideshow": {"slide_type": "notes"}, "tags": list(tags)} if notes else {}
    return {"cell_type": "markdown", "metadata": meta, "source": text}


@pytest.mark.parametrize("cells, message", [
    ([_md("# T"), _md("text"), _md(GOOD, True)], r"not right after its heading"),
    ([_md("# T"), _md(GOOD, True), _md(GOOD, True)], r"a second notes cell for 'T'"),
    ([_md(GOOD, True), _md("# T")], r"does not follow a '#' or '##' heading"),
    ([_md("# T"), _md(GOOD, True, tags=("speaker-notes",))], r"tag the cell \['remove-cell'"),
], ids=["misplaced", "second", "before-any-heading", "shown-in-book"])
def test_misplaced_notes_are_refused(tmp_path, cells, message):
    with pytest.raises(build_guide.NotesError, match=message):
        build_guide.read_notes(_notebook(tmp_path, cells))


def test_sections_without_notes_are_named(tmp_path):
    path = _notebook(tmp_path, [_md("# T"), _md(GOOD, True), _md("## A\ntext"),
                                _md("### not a section"), _md("## B")])
    notes, without = build_guide.read_notes(path)
    assert [n.heading for n in notes] == ["T"] and without == ["A", "B"]


# --------------------------------------------------------------------------------------------
# The session plans, read from the guide's own tables
def _plan(title: str) -> tuple[list[tuple[str, int, str, int | None]], int]:
    """``([(session, chapter, section, minutes or None), ...], stated total)``."""
    guide = _guide()
    m = re.search(rf"^### {re.escape(title)}\n(.*?)(?=^#{{2,3}} |\Z)", guide, flags=re.M | re.S)
    assert m, f"the guide has no '### {title}' section"
    rows, total = [], None
    for line in m.group(1).splitlines():
        cols = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("|") or cols[0] in ("Session", "---"):
            continue
        if cols[0] == "**Total**":
            total = int(cols[3].strip("*"))
            continue
        minutes = None if cols[3] == "—" else int(cols[3])
        rows.append((cols[0], int(cols[1]), cols[2], minutes))
    assert rows and total is not None, f"'{title}': no table with a total row"
    return rows, total


@pytest.mark.parametrize("title", PLANS)
def test_plan_fits_the_clock(title):
    per_session, limit = PLANS[title]
    rows, total = _plan(title)
    timed = [r for r in rows if r[3] is not None]
    assert total == sum(r[3] for r in timed), f"{title}: the total row is not the sum"
    assert total <= limit, f"{title}: {total} minutes, more than {limit}"
    sessions: dict[str, int] = {}
    for session, _, _, minutes in timed:
        sessions[session] = sessions.get(session, 0) + minutes
    assert sorted(sessions) == [str(s) for s in range(1, 7)], sorted(sessions)
    over = {s: m for s, m in sessions.items() if m > per_session}
    assert not over, f"{title}: sessions longer than {per_session} minutes: {over}"
    later = [r for r in rows if r[1] in LATER_CHAPTERS]
    assert len(later) == 1 and later[0][3] is None, "chapter 12: one row, homework or optional"


@pytest.mark.parametrize("title", PLANS)
def test_plan_rows_are_sections_of_their_chapter(title):
    rows, _ = _plan(title)
    for _, chapter, section, _ in rows:
        if chapter in LATER_CHAPTERS:
            continue
        assert section in _headings(_chapter(chapter)), \
            f"{title}: {section!r} is not a '##' heading of chapter {chapter}"


@pytest.mark.parametrize("title", PLANS)
@pytest.mark.parametrize("chapter", range(12))
def test_plan_minutes_are_at_most_the_notes(title, chapter):
    rows = [r for r in _plan(title)[0] if r[1] == chapter]
    if not rows:
        pytest.skip(f"chapter {chapter} is not in the plan '{title}'")  # homework only
    notes = {n.heading: n.minutes for n in build_guide.read_notes(_chapter(chapter))[0]}
    for _, _, section, minutes in rows:
        assert section in notes, f"chapter {chapter}: {section!r} has no speaker notes"
        assert minutes <= notes[section], (
            f"{title}: {section!r} planned for {minutes} min, its notes say {notes[section]}")


def test_every_chapter_is_in_both_plans():
    for title in PLANS:
        chapters = {r[1] for r in _plan(title)[0]}
        assert chapters == set(range(12)) | LATER_CHAPTERS, (title, sorted(chapters))
