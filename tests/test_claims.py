"""Every number the prose quotes is computed in the notebook or checked by a claim cell.

The claim cells themselves run under strict nbval (a false claim fails its cell); this file
checks the other half of the promise, statically, on the stored notebooks:

- a number quoted in a Markdown cell must appear in the notebook's code or outputs (a claim
  check is code, so a number under ``claim(...)`` counts), or be on the short allow-list below
  with the reason it needs no check;
- every claim cell is tagged ``claim`` and ``hide-cell``, skipped on slides, calls ``claim``,
  quotes its sentence (``says=``) word for word from a Markdown cell of the notebook, and holds
  no prose (the book hides claim cells: text lost inside one would vanish with it);
- every chapter carries claims.
"""
from __future__ import annotations

import ast
import json
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CHAPTERS = [nb for nb in NOTEBOOKS if re.match(r"\d\d_", nb.name)]
MIN_CLAIMS = 3                     # every chapter states at least this many checked facts

# A number the prose may quote without a check, with the reason. Keep it short: definitions
# and conventions, not results.
ALLOWED = {
    "*": {
        "0": "zero, as in 'v starts at 0'",
        "1": "one, as in 'one record', 'the first step'",
        "2": "two, as in 'two loops'",
    },
}

# A number: 1,000,000 or 1000 or 3.16 or 1e-8 (not part of a word such as W2 or float64).
NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?([eE][-+]?\d+)?(?![\w])")
# The first line of a speaker-notes cell gives the section's minutes: a plan, not a quantity.
NOTES_MINUTES = re.compile(r"^\*\*Speaker notes · \d+ min\*\*[ \t]*$", re.M)
# What is not a quoted quantity in Markdown: link targets, chapter references, citation years.
NOT_QUANTITIES = [
    re.compile(r"\]\([^)]*\)"),                                     # [text](target)
    re.compile(r"<[^>]+>"),                                         # HTML tags and attributes
    re.compile(r"\b[Cc]h(?:apters?|\.)?\s+\d+(?:\s*(?:,|and|or|to|-|–)\s*\d+)*"),  # Chapter 6
    re.compile(r"(?<=[(,&\s])(?:19[5-9]\d|20[0-2]\d)(?=[a-z]?[),;])"),  # (Kingma & Ba, 2015)
    re.compile(r"\b[Ii]ssue\s+#?\d+"),
]


def _cells(nb_path):
    return json.loads(nb_path.read_text(encoding="utf-8"))["cells"]


def _text(source) -> str:
    return "".join(source) if isinstance(source, list) else source


def canonical(token: str) -> str:
    """1,000 / 1_000 / 1000.0 / 1e3 -> the same key."""
    value = float(token.replace(",", "").replace("_", ""))
    return f"{value:.12g}"


def numbers_in(text: str) -> set[str]:
    """Every number in ``text``, as canonical keys (mantissas and exponents of 1e-8 too)."""
    text = re.sub(r"(?<=\d)_(?=\d)", "", text)                      # 1_000_000
    found = set()
    for m in NUMBER.finditer(text):
        found.add(canonical(m.group(0)))
        found.add(canonical(m.group(1) + (m.group(2) or "")))
        if m.group(3):
            found.add(canonical(m.group(3)[1:].lstrip("+-")))
    return found


def quoted_numbers(markdown: str) -> set[str]:
    """The numbers a Markdown cell quotes, without link targets, chapter numbers and years."""
    for pattern in NOT_QUANTITIES:
        markdown = pattern.sub(" ", markdown)
    return numbers_in(markdown)


def _outputs_text(cell) -> str:
    parts = []
    for out in cell.get("outputs", []):
        if "text" in out:
            parts.append(_text(out["text"]))
        for mime in ("text/plain", "text/markdown", "text/html", "text/latex"):
            if mime in out.get("data", {}):
                parts.append(_text(out["data"][mime]))
    return "\n".join(parts)


def computed_numbers(cells) -> set[str]:
    """Numbers in the code of the notebook and in its stored outputs."""
    found = set()
    for cell in cells:
        if cell["cell_type"] == "code":
            found |= numbers_in(_text(cell["source"]))
            found |= numbers_in(_outputs_text(cell))
    return found


def unbacked(nb_path) -> dict[str, list[str]]:
    """Markdown numbers that no code, output or allow-list entry backs: number -> snippets."""
    cells = _cells(nb_path)
    backed = computed_numbers(cells)
    allowed = {canonical(k) for k in {**ALLOWED["*"], **ALLOWED.get(nb_path.name, {})}}
    missing: dict[str, list[str]] = {}
    for cell in cells:
        if cell["cell_type"] != "markdown":
            continue
        text = _text(cell["source"])
        if "speaker-notes" in cell.get("metadata", {}).get("tags", []):
            text = NOTES_MINUTES.sub(" ", text, count=1)  # the rest of the notes is audited
        for key in quoted_numbers(text) - backed - allowed:
            missing.setdefault(key, []).append(_snippet(text, key))
    return missing


def _snippet(text: str, key: str) -> str:
    for m in NUMBER.finditer(re.sub(r"(?<=\d)_(?=\d)", "", text)):
        if key in {canonical(m.group(0)), canonical(m.group(1) + (m.group(2) or ""))}:
            return " ".join(text[max(0, m.start() - 50):m.end() + 30].split())
    return key


def claim_cells(cells):
    return [c for c in cells if c["cell_type"] == "code"
            and "claim" in c.get("metadata", {}).get("tags", [])]


def claim_sentences(source: str) -> list[str]:
    """The ``says=`` strings of the ``claim(...)`` calls in a cell."""
    says = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "claim":
            for kw in node.keywords:
                if kw.arg == "says":
                    assert isinstance(kw.value, ast.Constant), (
                        "says= must be the sentence itself, a string literal")
                    says.append(kw.value.value)
    return says


def _flat(text: str) -> str:
    return " ".join(text.split())


# -- the checker checks itself ---------------------------------------------------------------

def test_numbers_are_read_as_a_reader_reads_them():
    assert numbers_in("1,000,000 records") == numbers_in("n=1_000_000") == {"1000000"}
    assert canonical("0.90") == canonical("0.9")
    assert {"1e-08", "1", "8"} <= numbers_in("eps=1e-8")
    assert "3.2" not in numbers_in("3.25") and "25" not in numbers_in("W25")
    prose = "See [Chapter 6](06_momentum.ipynb) and (Kingma & Ba, 2015): 3.2 times larger."
    assert quoted_numbers(prose) == {"3.2"}


def test_a_planted_number_is_caught(tmp_path):
    nb = {"cells": [
        {"cell_type": "markdown", "metadata": {}, "source": "The step is 3.2 times larger."},
        {"cell_type": "code", "metadata": {}, "source": "x = 3.16", "outputs": [],
         "execution_count": 1}],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "99_planted.ipynb"
    path.write_text(json.dumps(nb))
    assert set(unbacked(path)) == {"3.2"}
    nb["cells"][1]["source"] = "claim(x, approx=3.2, says='The step is 3.2 times larger.')"
    path.write_text(json.dumps(nb))
    assert unbacked(path) == {}


def test_speaker_notes_minutes_are_not_quantities_but_their_text_is_audited(tmp_path):
    notes = {"cell_type": "markdown", "source": "**Speaker notes · 37 min**\n\n- **Point:** 3.2",
             "metadata": {"tags": ["remove-cell", "speaker-notes"]}}
    nb = {"cells": [notes], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "99_notes.ipynb"
    path.write_text(json.dumps(nb))
    assert set(unbacked(path)) == {"3.2"}
    notes["metadata"]["tags"] = []  # the same line outside a notes cell is a quoted number
    path.write_text(json.dumps(nb))
    assert set(unbacked(path)) == {"37", "3.2"}


# -- the notebooks -----------------------------------------------------------------------------

@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_every_quoted_number_is_computed_or_checked(nb):
    missing = unbacked(nb)
    lines = [f"  {key}: ...{snippets[0]}..." for key, snippets in sorted(missing.items())]
    assert not missing, (
        f"{nb.name}: these numbers in the prose appear nowhere in the code or outputs; put "
        "each under a claim(...) check (or, for a definition, on tests/test_claims.py's "
        "ALLOWED list with the reason):\n" + "\n".join(lines))


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_claim_cells_are_tagged_and_quote_their_sentence(nb):
    cells = _cells(nb)
    prose = [_flat(_text(c["source"])) for c in cells if c["cell_type"] == "markdown"]
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        source = _text(cell["source"])
        tags = cell.get("metadata", {}).get("tags", [])
        if "claim(" in source and "from course_lib" not in source:
            assert "claim" in tags, f"{nb.name}: a cell that calls claim() lacks the claim tag:"\
                                    f"\n{source}"
        if "claim" not in tags:
            continue
        assert "hide-cell" in tags, f"{nb.name}: claim cell not tagged hide-cell:\n{source}"
        slide = cell.get("metadata", {}).get("slideshow", {}).get("slide_type")
        assert slide == "skip", f"{nb.name}: claim cell not skipped on slides:\n{source}"
        comments = [line.strip() for line in source.splitlines()
                    if line.strip().startswith("#")]
        assert "#" not in comments and len(comments) <= 2, (
            f"{nb.name}: a claim cell holds prose (comment lines): the book hides claim cells, "
            f"so the text must go into a Markdown cell of its own:\n{source}")
        sentences = claim_sentences(source)
        assert sentences, f"{nb.name}: a claim cell with no claim(..., says=...):\n{source}"
        for says in sentences:
            assert any(_flat(says) in p for p in prose), (
                f"{nb.name}: claim says {says!r}, but no Markdown cell has that sentence word "
                "for word: copy it from the cell it checks")


@pytest.mark.parametrize("nb", CHAPTERS, ids=lambda p: p.name)
def test_every_chapter_checks_its_claims(nb):
    count = sum(len(claim_sentences(_text(c["source"]))) for c in claim_cells(_cells(nb)))
    assert count >= MIN_CLAIMS, f"{nb.name}: {count} claim checks, fewer than {MIN_CLAIMS}"
