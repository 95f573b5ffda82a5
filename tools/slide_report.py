"""Measure the static slide decks in chromium at 1280×720: one line per slide.

Builds the decks of the given notebooks (``tools/build_slides.py``) into a temporary folder,
opens each one in headless Debian chromium (driven by Playwright, launched as the browser tests
launch it, network off), visits every slide and subslide and prints, per slide:

- the deck, the slide's index (``h`` or ``h.v``) and its first heading;
- its height in screens (the slide's content height over reveal.js's slide height; more than
  1.5 means the presenter scrolls a lot);
- code lines cut at the right edge (a ``<pre>`` wider than its box or than the slide);
- what gives an exercise away: a solution line or a "PASSED" box visible on the slide;
- interview answers visible before their fragment is revealed;
- whether the slide carries speaker notes (``aside.notes`` with text), and whether it opens a
  ``##`` section (its first cell is Markdown with a ``##`` heading; such a slide must have them).

Usage::

    python tools/slide_report.py                      # every chapter and the playground
    python tools/slide_report.py notebooks/09_adam.ipynb --tall 1.5

The exit code is 1 when a slide breaks a rule (taller than ``--tall`` screens, clipped code,
a visible solution, "PASSED" box or answer, a section without notes), else 0. The browser test
``tests/test_slides.py::test_every_deck_fits_the_room_in_chromium`` runs the same measurement
(``measure_deck``) on every chapter deck.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import build_slides  # noqa: E402

WIDTH, HEIGHT = 1280, 720  # a projector's screen
TALL = 1.5                 # screens: the most a slide may take
# the chromium flags of tests/test_browser.py (no background connections on a machine offline)
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)\n[ \t]*### END SOLUTION", re.S)
PASSED = ("PASSED", "\u2714", "\u2705")  # the checker's verdict box

# Runs in the page once the deck is ready: visits every slide (fragments hidden) and measures it.
MEASURE_JS = r"""async (args) => {
  const solution = new Set(args.solution), passed = args.passed;
  const settle = () => new Promise((done) => {
    if (window.MathJax && MathJax.Hub && MathJax.Hub.Queue) MathJax.Hub.Queue(() => done());
    else done();
  });
  await Promise.all([...document.images].map((img) => img.complete ? null :
    new Promise((done) => { img.onload = img.onerror = done; })));
  await settle();
  const height = Reveal.getConfig().height, rows = [];
  for (const slide of Reveal.getSlides()) {
    const at = Reveal.getIndices(slide);
    Reveal.slide(at.h, at.v, -1);          // arrive with every fragment hidden
    // the template re-renders the slide's math on arrival (MathJax sizes math in a hidden
    // slide wrongly); measure what the room sees, after that
    await settle();
    const box = slide.getBoundingClientRect();
    const heading = slide.querySelector('h1, h2, h3, h4');
    const clipped = [], shown = [];
    slide.querySelectorAll('pre').forEach((pre) => {
      // cut: the <pre> scrolls sideways, or its text reaches past a box that hides overflow
      let left = -Infinity, right = Infinity;
      for (let e = pre.parentElement; e && e !== slide.parentElement; e = e.parentElement) {
        if (getComputedStyle(e).overflowX === 'visible') continue;
        const r = e.getBoundingClientRect();
        left = Math.max(left, r.left); right = Math.min(right, r.right);
      }
      const out = (range) => [...range.getClientRects()].some((r) => r.width > 0
        && (r.right > right + 1 || r.left < left - 1));
      const range = document.createRange();
      range.selectNodeContents(pre);
      let cut = false;
      if (out(range)) {  // look closer: wrapped lines may leave only spaces hanging outside
        const walk = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
        for (let node = walk.nextNode(); node && !cut; node = walk.nextNode()) {
          for (const word of node.data.matchAll(/\S+/g)) {
            range.setStart(node, word.index);
            range.setEnd(node, word.index + word[0].length);
            if (out(range)) { cut = true; break; }
          }
        }
      }
      if (cut || pre.scrollWidth > pre.clientWidth + 1)
        clipped.push(pre.textContent.split('\n')[0].slice(0, 60));
      if (pre.closest('.highlight'))       // code, not output
        pre.textContent.split('\n').forEach((line) => {
          if (solution.has(line.trim())) shown.push(line.trim());
        });
    });
    const visible = (el) => {
      const s = getComputedStyle(el);
      return el.getClientRects().length > 0 && s.visibility === 'visible'
             && parseFloat(s.opacity) > 0;
    };
    const text = slide.innerText, first = slide.querySelector(':scope > .jp-Cell');
    const notes = [...slide.querySelectorAll('aside.notes')]
      .some((n) => n.textContent.trim().length > 0);
    // every cell's top and height in the slide's own pixels (for laying slides out)
    const scale = box.height / slide.offsetHeight || 1, cells = [];
    slide.querySelectorAll(':scope > .jp-Cell').forEach((cell) => {
      cells.push([cell.id.replace('cell-id=', ''),
                  (cell.getBoundingClientRect().top - box.top) / scale + slide.scrollTop]);
    });
    cells.forEach((c, i) => c.push((i + 1 < cells.length ? cells[i + 1][1] : slide.scrollHeight)
                                   - c[1]));
    rows.push({
      cells: cells,
      index: at.v ? `${at.h}.${at.v}` : `${at.h}`,
      heading: heading ? heading.textContent.replace('\u00b6', '').trim() : '',
      section: !!(first && first.classList.contains('jp-MarkdownCell')
                  && first.querySelector('h2')),
      screens: slide.scrollHeight / height,
      wide: slide.scrollWidth > slide.clientWidth + 1,
      clipped: clipped,
      solution: shown,
      passed: passed.filter((p) => text.includes(p)),
      answers: [...slide.querySelectorAll('.interview-answer')].filter(visible).length,
      hidden_answers: [...slide.querySelectorAll('.interview-answer')].filter(
        (a) => !visible(a)).length,
      notes: notes,
    });
  }
  Reveal.slide(0, 0, -1);
  return rows;
}"""


def solution_lines(notebook: Path) -> list[str]:
    """Lines of the notebook's exercise solutions that appear nowhere else in its code (so a
    slide showing one gives the answer away), stripped; short lines (``return x``) left out."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    bodies, others = set(), set()
    for cell in nb["cells"]:
        source = "".join(cell["source"])
        for body in SOLUTION.findall(source):
            bodies |= {ln.strip() for ln in body.splitlines()}
        outside = SOLUTION.sub("", source)
        others |= {ln.strip() for ln in outside.splitlines()}
    return sorted(ln for ln in bodies - others if len(ln) >= 12 and not ln.startswith("#"))


def open_deck(page, deck: Path, timeout: int = 20_000) -> None:
    """Load ``deck`` in ``page`` and wait until reveal.js and MathJax have started."""
    page.goto(deck.as_uri())
    page.wait_for_function("window.Reveal && Reveal.isReady && Reveal.isReady()",
                           timeout=timeout)
    page.wait_for_function("window.MathJax && MathJax.isReady", timeout=timeout)


def measure_deck(page, deck: Path, notebook: Path) -> list[dict]:
    """One dict per slide of ``deck`` (built from ``notebook``), see the module docstring."""
    open_deck(page, deck)
    rows = page.evaluate(MEASURE_JS, {"solution": solution_lines(notebook),
                                      "passed": list(PASSED)})
    for row in rows:
        row["deck"] = deck.name.removesuffix(".slides.html")
    return rows


def problems(row: dict, tall: float = TALL) -> list[str]:
    """What is wrong with one measured slide (empty when nothing)."""
    out = []
    if row["screens"] > tall:
        out.append(f"{row['screens']:.1f} screens tall")
    if row["clipped"]:
        out.append(f"code cut at the right edge: {row['clipped']}")
    if row["wide"]:
        out.append("wider than the screen")
    if row["solution"]:
        out.append(f"solution shown: {row['solution'][:3]}")
    if row["passed"]:
        out.append(f"checker verdict shown: {row['passed']}")
    if row["answers"]:
        out.append(f"{row['answers']} interview answer(s) shown before their fragment")
    if row["section"] and not row["notes"]:
        out.append("opens a ## section but has no speaker notes")
    return out


def describe(row: dict, tall: float = TALL) -> str:
    """One line per slide: deck, index, height, notes, heading, problems."""
    flags = "; ".join(p for p in problems(row, tall) if "screens tall" not in p)
    mark = "!" if row["screens"] > tall else " "
    return (f"{row['deck']:<34} {row['index']:>5} {mark}{row['screens']:4.1f} "
            f"{'N' if row['notes'] else '-'} {row['heading'][:60]}"
            + (f"   <- {flags}" if flags else ""))


def chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    raise SystemExit("slide_report: chromium not found on PATH (apt-get install chromium)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks (default: every chapter and notebooks/playground.ipynb)")
    parser.add_argument("--tall", type=float, default=TALL,
                        help=f"screens a slide may take (default {TALL})")
    parser.add_argument("--json", type=Path, help="also write the rows to this file")
    args = parser.parse_args(argv)
    notebooks = args.notebooks or [*build_slides.chapter_notebooks(),
                                   ROOT / "notebooks" / "playground.ipynb"]
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory(prefix="slide-report-") as tmp:
        try:
            decks = build_slides.build(notebooks, Path(tmp))
        except build_slides.SlidesError as exc:
            print(f"slide_report: {exc}", file=sys.stderr)
            return 1
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
            try:
                page = browser.new_context(offline=True, viewport={
                    "width": WIDTH, "height": HEIGHT}).new_page()
                for notebook, (deck, _) in zip(notebooks, decks, strict=True):
                    rows += measure_deck(page, deck, notebook)
            finally:
                browser.close()
    for row in rows:
        print(describe(row, args.tall))
    print()
    print(f"{'deck':<34} slides  tall  max screens  screens in all")
    bad = 0
    for name in dict.fromkeys(r["deck"] for r in rows):
        mine = [r for r in rows if r["deck"] == name]
        tall = sum(r["screens"] > args.tall for r in mine)
        print(f"{name:<34} {len(mine):>6} {tall:>5} {max(r['screens'] for r in mine):>12.1f} "
              f"{sum(r['screens'] for r in mine):>15.0f}")
        bad += sum(bool(problems(r, args.tall)) for r in mine)
    print(f"{len(rows)} slides, {bad} with a problem")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
